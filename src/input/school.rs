//! School data from CSV files kept in Excel or WPS (see docs/data.md).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::{Diagnostics, Error, Result};
use crate::input::table::{parse_table, split_list, yes_no, Columns, Fields, Table};
use crate::model::policy::{Policy, Role, Source};
use crate::model::school::*;
use crate::model::units::{parse_weekday, Centi, Hm};

// ---------------------------------------------------------------- files

pub const STAFF_COLUMNS: Columns = &[
    ("id", &["工号", "编号"], true),
    ("name", &["姓名"], true),
    ("role", &["角色", "岗位"], true),
    ("subject", &["学科", "任教学科"], false),
    ("qualifications", &["资质", "特长"], false),
    ("homeroom_class", &["班主任班级", "所带班级"], false),
    ("quota", &["工作量系数", "定额"], false),
    ("exemption", &["豁免", "特殊情况"], false),
    ("active", &["参与", "参加课后服务"], false),
];

pub const CLASS_COLUMNS: Columns = &[
    ("id", &["班级编号", "编号"], true),
    ("name", &["班级", "班级名称"], true),
    ("grade", &["年级"], true),
    ("pupils", &["人数", "学生数"], true),
];

pub const ENROLLMENT_COLUMNS: Columns = &[
    ("class", &["班级", "班级编号"], true),
    ("weekday", &["星期"], true),
    ("session", &["时段", "项目"], true),
    ("pupils", &["人数", "报名人数"], true),
];

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

pub const LEAVE_COLUMNS: Columns = &[
    ("staff", &["工号"], true),
    ("from", &["开始日期", "开始"], true),
    ("to", &["结束日期", "结束"], true),
    ("sessions", &["时段"], false),
    ("kind", &["类型"], false),
    ("reason", &["原因", "事由"], false),
];

pub const SERVED_COLUMNS: Columns = &[
    ("staff", &["工号"], true),
    ("hours", &["已服务负荷", "加权小时"], true),
];

/// Limits far beyond any real school, so absurd input gets a clear error.
pub const MAX_STAFF: usize = 5_000;
pub const MAX_CLASSES: usize = 1_000;

/// The raw bytes of a school's CSV files (`None`: the optional file is absent).
#[derive(Debug, Clone, Default)]
pub struct Files {
    pub staff: Vec<u8>,
    pub classes: Vec<u8>,
    pub enrollment: Vec<u8>,
    pub clubs: Option<Vec<u8>>,
    pub leave: Option<Vec<u8>>,
    pub served: Option<Vec<u8>>,
}

pub const FILE_NAMES: [&str; 6] = [
    "staff.csv",
    "classes.csv",
    "enrollment.csv",
    "clubs.csv",
    "leave.csv",
    "served.csv",
];

fn read_bytes(path: &Path, required: bool) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Load a school's data directory, reporting every problem at once.
pub fn load(dir: &Path, policy: &Policy) -> Result<School> {
    let req = |n: &str| read_bytes(&dir.join(n), true).map(|b| b.unwrap_or_default());
    let files = Files {
        staff: req("staff.csv")?,
        classes: req("classes.csv")?,
        enrollment: req("enrollment.csv")?,
        clubs: read_bytes(&dir.join("clubs.csv"), false)?,
        leave: read_bytes(&dir.join("leave.csv"), false)?,
        served: read_bytes(&dir.join("served.csv"), false)?,
    };
    from_files(dir, policy, &files)
}

/// Build a school from file contents; `dir` is used to name files in messages.
pub fn from_files(dir: &Path, policy: &Policy, f: &Files) -> Result<School> {
    let mut diags = Diagnostics::default();
    let mut t = |name: &str, bytes: Option<&Vec<u8>>, cols: Columns| {
        bytes.and_then(|b| parse_table(&dir.join(name), b, cols, &mut diags))
    };
    let staff_t = t("staff.csv", Some(&f.staff), STAFF_COLUMNS);
    let class_t = t("classes.csv", Some(&f.classes), CLASS_COLUMNS);
    let enr_t = t("enrollment.csv", Some(&f.enrollment), ENROLLMENT_COLUMNS);
    let club_t = t("clubs.csv", f.clubs.as_ref(), CLUB_COLUMNS);
    let leave_t = t("leave.csv", f.leave.as_ref(), LEAVE_COLUMNS);
    let served_t = t("served.csv", f.served.as_ref(), SERVED_COLUMNS);
    let school = build(
        dir, policy, staff_t, class_t, enr_t, club_t, leave_t, served_t, &mut diags,
    )?;
    diags.into_result(school)
}

#[allow(clippy::too_many_arguments)]
fn build(
    dir: &Path,
    policy: &Policy,
    staff_t: Option<Table>,
    class_t: Option<Table>,
    enr_t: Option<Table>,
    club_t: Option<Table>,
    leave_t: Option<Table>,
    served_t: Option<Table>,
    diags: &mut Diagnostics,
) -> Result<School> {
    let mut school = School {
        dir: dir.to_path_buf(),
        staff: Vec::new(),
        classes: Vec::new(),
        enrollment: BTreeMap::new(),
        clubs: Vec::new(),
        leave: Vec::new(),
        served: BTreeMap::new(),
    };

    // Classes first: staff refer to them.
    if let Some(t) = &class_t {
        if t.rows.len() > MAX_CLASSES {
            return Err(Error::TooLarge(format!(
                "{}: {} classes, more than {MAX_CLASSES}",
                t.file.display(),
                t.rows.len()
            )));
        }
        let mut f = Fields {
            file: &t.file,
            diags,
        };
        let mut ids = BTreeSet::new();
        for row in &t.rows {
            let (Some(id), Some(name)) = (f.required(row, "id"), f.required(row, "name")) else {
                continue;
            };
            if !ids.insert(id.to_string()) {
                f.err(
                    row.line,
                    "id",
                    format!("duplicate class id \"{id}\""),
                    "a class id used once",
                );
                continue;
            }
            let grade = f.number(row, "grade", 12);
            if grade == Some(0) {
                f.err(row.line, "grade", "0", "a grade from 1 to 12");
            }
            let pupils = f.number(row, "pupils", 200);
            if let (Some(g), Some(p)) = (grade, pupils) {
                if g >= 1 && !policy.bands.is_empty() && policy.band_of_grade(g as u8).is_none() {
                    f.err(
                        row.line,
                        "grade",
                        format!("grade {g}, in no grade band"),
                        "a grade listed in the policy's [[grade_bands]]",
                    );
                }
                school.classes.push(Class {
                    id: id.to_string(),
                    name: name.to_string(),
                    grade: g as u8,
                    pupils: p,
                });
            }
        }
        if t.rows.is_empty() {
            f.err(0, "-", "no classes", "at least one class");
        }
    }

    if let Some(t) = &staff_t {
        if t.rows.len() > MAX_STAFF {
            return Err(Error::TooLarge(format!(
                "{}: {} staff, more than {MAX_STAFF}",
                t.file.display(),
                t.rows.len()
            )));
        }
        let mut f = Fields {
            file: &t.file,
            diags,
        };
        let mut ids = BTreeSet::new();
        let mut homerooms: BTreeMap<usize, usize> = BTreeMap::new();
        for row in &t.rows {
            let (Some(id), Some(name)) = (f.required(row, "id"), f.required(row, "name")) else {
                continue;
            };
            if !ids.insert(id.to_string()) {
                f.err(
                    row.line,
                    "id",
                    format!("duplicate staff id \"{id}\""),
                    "a staff id used once",
                );
                continue;
            }
            let Some(role_s) = f.required(row, "role") else {
                continue;
            };
            let Some(role) = Role::parse(role_s) else {
                f.err(
                    row.line,
                    "role",
                    format!("\"{role_s}\""),
                    "班主任/任课教师/行政/外聘 (homeroom/subject/admin/outside)",
                );
                continue;
            };
            let hr = row.get("homeroom_class");
            let homeroom = if hr.is_empty() {
                None
            } else {
                match school.class_index(hr) {
                    Some(ci) => {
                        if let Some(prev) = homerooms.insert(ci, row.line) {
                            f.err(row.line, "homeroom_class", format!("class \"{hr}\", already the homeroom class of the person on line {prev}"), "one homeroom teacher per class");
                        }
                        Some(ci)
                    }
                    None => {
                        f.err(
                            row.line,
                            "homeroom_class",
                            format!("class \"{hr}\", which is not in classes.csv"),
                            "a class id from classes.csv",
                        );
                        None
                    }
                }
            };
            if role == Role::Homeroom && homeroom.is_none() && hr.is_empty() {
                f.err(
                    row.line,
                    "homeroom_class",
                    "an empty cell for a homeroom teacher",
                    "the class this person is homeroom teacher of",
                );
            }
            let q = row.get("quota");
            let quota = if q.is_empty() {
                policy
                    .rules
                    .default_quota
                    .get(&role)
                    .copied()
                    .unwrap_or(Centi::ONE)
            } else {
                match Centi::parse(q) {
                    Some(c) if c.0 >= 0 && c.0 <= 1000 => c,
                    _ => {
                        f.err(
                            row.line,
                            "quota",
                            format!("\"{q}\""),
                            "a number from 0 to 10 with at most 2 decimals (1 = full load)",
                        );
                        Centi::ONE
                    }
                }
            };
            let ex = row.get("exemption");
            let exemption = if ex.is_empty() {
                None
            } else if policy.exemption(ex).is_some() {
                Some(ex.to_string())
            } else {
                let known: Vec<&str> = policy.exemptions.iter().map(|e| e.id.as_str()).collect();
                f.err(
                    row.line,
                    "exemption",
                    format!("\"{ex}\""),
                    format!("an exemption id from the policy: {}", known.join(", ")),
                );
                None
            };
            let active = match yes_no(row.get("active")) {
                Some(a) => a,
                None => {
                    f.err(
                        row.line,
                        "active",
                        format!("\"{}\"", row.get("active")),
                        "是/否 (yes/no)",
                    );
                    true
                }
            };
            school.staff.push(Staff {
                id: id.to_string(),
                name: name.to_string(),
                role,
                subject: row.get("subject").to_string(),
                qualifications: split_list(row.get("qualifications")).into_iter().collect(),
                homeroom,
                quota,
                exemption,
                active: active && quota.0 > 0,
                line: row.line,
            });
        }
    }

    // Enrollment keys the policy uses.
    let keys: BTreeSet<String> = policy
        .duty_kinds
        .iter()
        .filter_map(|k| match &k.source {
            Source::Groups { enrollment, .. } => Some(enrollment.clone()),
            _ => None,
        })
        .collect();
    if let Some(t) = &enr_t {
        let mut f = Fields {
            file: &t.file,
            diags,
        };
        for row in &t.rows {
            let Some(cls) = f.required(row, "class") else {
                continue;
            };
            let Some(ci) = school.class_index(cls) else {
                f.err(
                    row.line,
                    "class",
                    format!("class \"{cls}\", which is not in classes.csv"),
                    "a class id from classes.csv",
                );
                continue;
            };
            let Some(wd) = f.weekday(row, "weekday") else {
                continue;
            };
            let Some(sess) = f.required(row, "session") else {
                continue;
            };
            if !keys.contains(sess) {
                let known: Vec<&str> = keys.iter().map(|s| s.as_str()).collect();
                f.err(
                    row.line,
                    "session",
                    format!("\"{sess}\""),
                    format!("an enrollment key the policy uses: {}", known.join(", ")),
                );
                continue;
            }
            let Some(p) = f.number(row, "pupils", 200) else {
                continue;
            };
            if p > school.classes[ci].pupils {
                f.err(
                    row.line,
                    "pupils",
                    format!(
                        "{p}, more than the class's {} pupils",
                        school.classes[ci].pupils
                    ),
                    "at most the class size",
                );
            }
            if school
                .enrollment
                .insert((ci, wd.num_days_from_monday() as u8, sess.to_string()), p)
                .is_some()
            {
                f.err(
                    row.line,
                    "session",
                    format!("a second row for class {cls}, {wd}, {sess}"),
                    "one row per class, weekday and session",
                );
            }
        }
    }

    if let Some(t) = &club_t {
        let club_sessions: BTreeSet<&str> = policy
            .duty_kinds
            .iter()
            .filter(|k| k.source == Source::Clubs)
            .map(|k| k.session.as_str())
            .collect();
        let mut f = Fields {
            file: &t.file,
            diags,
        };
        let mut ids = BTreeSet::new();
        for row in &t.rows {
            let (Some(id), Some(name)) = (f.required(row, "id"), f.required(row, "name")) else {
                continue;
            };
            if !ids.insert(id.to_string()) {
                f.err(
                    row.line,
                    "id",
                    format!("duplicate club id \"{id}\""),
                    "a club id used once",
                );
                continue;
            }
            let mut weekdays = Vec::new();
            for w in split_list(row.get("weekdays")) {
                match parse_weekday(&w) {
                    Some(d) => weekdays.push(d),
                    None => f.err(
                        row.line,
                        "weekdays",
                        format!("\"{w}\""),
                        "weekdays such as 周一;周三",
                    ),
                }
            }
            if weekdays.is_empty() && !row.get("weekdays").is_empty() {
                continue;
            }
            if weekdays.is_empty() {
                f.err(
                    row.line,
                    "weekdays",
                    "an empty cell",
                    "the weekdays the club meets, such as 周一;周三",
                );
            }
            let Some(sess) = f.required(row, "session") else {
                continue;
            };
            if !club_sessions.contains(sess) {
                let known: Vec<&str> = club_sessions.iter().copied().collect();
                f.err(
                    row.line,
                    "session",
                    format!("\"{sess}\""),
                    format!("a session with a clubs duty kind: {}", known.join(", ")),
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
                let ix = school.staff_index(ins);
                if ix.is_none() {
                    f.err(
                        row.line,
                        "instructor",
                        format!("staff \"{ins}\", who is not in staff.csv"),
                        "a staff id from staff.csv",
                    );
                }
                ix
            };
            let times = match (row.get("start"), row.get("end")) {
                ("", "") => None,
                (a, b) => match (Hm::parse(a), Hm::parse(b)) {
                    (Some(x), Some(y)) if x < y => Some((x, y)),
                    _ => {
                        f.err(
                            row.line,
                            "end",
                            format!("start \"{a}\", end \"{b}\""),
                            "both times, the end after the start, such as 16:30 and 17:00",
                        );
                        None
                    }
                },
            };
            school.clubs.push(Club {
                id: id.to_string(),
                name: name.to_string(),
                weekdays,
                session: sess.to_string(),
                pupils,
                qualification: Some(row.get("qualification").to_string()).filter(|q| !q.is_empty()),
                staff_needed: staff_needed.unwrap_or(1),
                instructor,
                times,
                line: row.line,
            });
        }
    }

    if let Some(t) = &leave_t {
        let mut f = Fields {
            file: &t.file,
            diags,
        };
        for row in &t.rows {
            let Some(sid) = f.required(row, "staff") else {
                continue;
            };
            let Some(si) = school.staff_index(sid) else {
                f.err(
                    row.line,
                    "staff",
                    format!("staff \"{sid}\", who is not in staff.csv"),
                    "a staff id from staff.csv",
                );
                continue;
            };
            let (Some(from), Some(to)) = (f.date(row, "from"), f.date(row, "to")) else {
                continue;
            };
            if to < from {
                f.err(
                    row.line,
                    "to",
                    format!("{to}, before {from}"),
                    "an end date on or after the start",
                );
                continue;
            }
            let mut sessions = Vec::new();
            for s in split_list(row.get("sessions")) {
                let m = policy
                    .sessions
                    .iter()
                    .filter(|x| {
                        x.id == s || x.label == s || crate::input::policy::part_name(x.part) == s
                    })
                    .map(|x| x.id.clone())
                    .collect::<Vec<_>>();
                if m.is_empty() {
                    f.err(row.line, "sessions", format!("\"{s}\""), "session ids from the policy, or morning/noon/afternoon; empty for the whole day");
                }
                sessions.extend(m);
            }
            if sessions
                .iter()
                .any(|s| policy.part_of(s) == Some(crate::model::policy::Part::Afternoon))
            {
                sessions.push(crate::model::policy::AFTERNOON_SPAN.to_string());
            }
            let kind = match row.get("kind").to_lowercase().as_str() {
                "" | "请假" | "leave" | "病假" | "事假" | "产假" | "公差" => {
                    LeaveKind::Leave
                }
                "意愿" | "request" | "申请" | "preference" => LeaveKind::Request,
                o => {
                    f.err(
                        row.line,
                        "kind",
                        format!("\"{o}\""),
                        "请假 (leave, hard) or 意愿 (request, soft)",
                    );
                    continue;
                }
            };
            school.leave.push(Leave {
                staff: si,
                from,
                to,
                sessions,
                kind,
                reason: row.get("reason").to_string(),
            });
        }
    }

    if let Some(t) = &served_t {
        let mut f = Fields {
            file: &t.file,
            diags,
        };
        for row in &t.rows {
            let Some(sid) = f.required(row, "staff") else {
                continue;
            };
            let Some(si) = school.staff_index(sid) else {
                f.err(
                    row.line,
                    "staff",
                    format!("staff \"{sid}\", who is not in staff.csv"),
                    "a staff id from staff.csv",
                );
                continue;
            };
            let h = row.get("hours");
            match Centi::parse(h) {
                Some(c) if c.0 >= 0 => {
                    *school.served.entry(si).or_insert(0) += c.0 * 60;
                }
                _ => f.err(
                    row.line,
                    "hours",
                    format!("\"{h}\""),
                    "weighted hours served this term, e.g. 12.5",
                ),
            }
        }
    }
    Ok(school)
}
