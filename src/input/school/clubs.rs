//! clubs.csv: clubs, their days, session, size, qualification and named instructor.

use std::collections::BTreeSet;

use crate::error::{Diagnostic, Diagnostics, Result, Said};
use crate::input::table::{split_list, Columns, Fields, Row, Table};
use crate::model::policy::{Policy, Role, Source};
use crate::model::school::*;
use crate::model::units::{parse_weekday, Hm};

pub const CLUB_COLUMNS: Columns = &[
    ("id", &["编号", "社团编号"], true),
    ("name", &["名称", "社团"], true),
    ("weekdays", &["星期", "活动日"], true),
    ("session", &["时段"], true),
    ("pupils", &["人数"], true),
    ("qualification", &["资质", "所需资质"], false),
    ("staff_needed", &["所需人数", "教师人数"], false),
    ("instructor", &["指定教师", "外聘教师"], false),
    ("start", &["开始"], false),
    ("end", &["结束"], false),
];

pub(super) fn load(
    t: &Table,
    policy: &Policy,
    school: &mut School,
    defined: &super::Defined,
    diags: &mut Diagnostics,
) -> Result<()> {
    let club_sessions: BTreeSet<&str> = policy
        .duty_kinds
        .iter()
        .filter(|k| k.source == Source::Clubs)
        .map(|k| k.session.as_str())
        .collect();
    let mut f = t.fields(diags);
    let mut ids = BTreeSet::new();
    for row in &t.rows {
        let Some((id, name)) = super::id_and_name(&mut f, row, &mut ids, ("社团", "club")) else {
            continue;
        };
        let Some(weekdays) = weekdays(&mut f, row) else {
            continue;
        };
        let Some(written) = f.required(row, "session") else {
            continue;
        };
        let sess = if club_sessions.contains(written) {
            written
        } else {
            let pairs = club_sessions.iter().map(|s| (*s, *s));
            super::key_of_part(policy, written, pairs).unwrap_or(written)
        };
        if !club_sessions.contains(sess) {
            let known: Vec<String> = club_sessions.iter().map(|s| format!("\"{s}\"")).collect();
            f.err(
                row.line,
                "session",
                Said::same(format!("\"{sess}\"")),
                Said::new(
                    format!("有社团任务的时段: {}", known.join("、")),
                    format!("a session with a clubs duty kind: {}", known.join(", ")),
                ),
            );
            continue;
        }
        let Some(pupils) = f.number(row, "pupils", 500) else {
            continue;
        };
        let staff_needed = if row.get("staff_needed").is_empty() {
            Some(1)
        } else {
            f.number(row, "staff_needed", 20)
        };
        let ins = row.get("instructor");
        let instructor = if ins.is_empty() {
            None
        } else {
            super::staff_ref(&mut f, row, school, defined, "instructor", ins)
        };
        let times = times(&mut f, row);
        let qualification = Some(row.get("qualification").to_string()).filter(|q| !q.is_empty());
        if let Some(w) = unqualified(&f, row, school, instructor, qualification.as_deref()) {
            school.warnings.push(w);
        }
        school.clubs.push(Club {
            id: id.to_string(),
            name: name.to_string(),
            weekdays,
            session: sess.to_string(),
            pupils,
            qualification,
            staff_needed: staff_needed.unwrap_or(1),
            instructor,
            times,
            line: row.line,
        });
    }
    Ok(())
}

/// A warning when the club's named instructor is on the school's staff
/// and lacks the club's qualification: they are given the club anyway (a
/// named instructor needs none), which may be a typo in either file. An
/// outside instructor (外聘) is hired for the club, so is not warned about.
fn unqualified(
    f: &Fields,
    row: &Row,
    school: &School,
    instructor: Option<usize>,
    q: Option<&str>,
) -> Option<Diagnostic> {
    let (st, q) = (&school.staff[instructor?], q?);
    if st.role == Role::Outside || st.qualifications.contains(q) {
        return None;
    }
    Some(Diagnostic::new(
        f.file,
        row.line,
        f.field("instructor"),
        Said::new(
            format!("指定教师 \"{}\"({}) 没有本社团所需的资质 \"{q}\"", st.name, st.id),
            format!(
                "the named instructor \"{}\"({}) without the club's qualification \"{q}\"",
                st.name, st.id
            ),
        ),
        Said::new(
            format!("仍由其负责本社团; 如其具备该资质, 请在 staff.csv 的资质中加上 \"{q}\", 否则另指定教师"),
            format!("they still run the club; if they hold it, add \"{q}\" to their qualifications in staff.csv, otherwise name another instructor"),
        ),
    ))
}

/// The club's weekdays; None when every one given is wrong (the row is
/// left out; each wrong one was reported).
fn weekdays(f: &mut Fields, row: &Row) -> Option<Vec<chrono::Weekday>> {
    let mut weekdays = Vec::new();
    for w in split_list(row.get("weekdays")) {
        match parse_weekday(&w) {
            Some(d) => weekdays.push(d),
            None => f.err(
                row.line,
                "weekdays",
                Said::same(format!("\"{w}\"")),
                Said::new("星期, 如 周一;周三", "weekdays such as mon;wed"),
            ),
        }
    }
    if weekdays.is_empty() && !row.get("weekdays").is_empty() {
        return None;
    }
    if weekdays.is_empty() {
        f.err(
            row.line,
            "weekdays",
            Said::new("空单元格", "an empty cell"),
            Said::new(
                "社团活动的星期, 如 周一;周三",
                "the weekdays the club meets, such as mon;wed",
            ),
        );
    }
    Some(weekdays)
}

/// The club's own times, when both are given.
fn times(f: &mut Fields, row: &Row) -> Option<(Hm, Hm)> {
    match (row.get("start"), row.get("end")) {
        ("", "") => None,
        (a, b) => match (Hm::parse(a), Hm::parse(b)) {
            (Some(x), Some(y)) if x < y => Some((x, y)),
            _ => {
                f.err(
                    row.line,
                    "end",
                    Said::new(
                        format!("开始 \"{a}\", 结束 \"{b}\""),
                        format!("start \"{a}\", end \"{b}\""),
                    ),
                    Said::new(
                        "两个时刻都写, 结束晚于开始, 如 16:30 和 17:00",
                        "both times, the end after the start, such as 16:30 and 17:00",
                    ),
                );
                None
            }
        },
    }
}
