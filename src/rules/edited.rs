//! Edited: a roster row still says what its duty and its person are. Every
//! cell kehou derives from the duty id (任务编号) and the staff id (工号) —
//! the duty's date, weekday, session, start and end, duty kind, group,
//! hours and ledger category, and the person's name — holds what kehou
//! writes for them. A file edited in Excel may move an end time or rename
//! a person beside an unchanged id; `workload` pays by the ids, so such a
//! file would say one thing and the ledger pay another.
//!
//! Data: the week's demand, the policy's session and duty kind labels
//! (Chinese and English), staff.csv's names.
//!
//! Planner: none, and none is needed. The planner chooses ids only; the
//! roster writer (`outputs::roster_csv`) renders every cell from them, so
//! a planned roster keeps this rule by construction, and rows built from a
//! plan carry no cells to compare. Only a file read back can break it.
//!
//! Checker: each cell the file holds is compared with kehou's rendering in
//! either language, the way a school's Excel keeps it: dates as
//! `2026-12-08` or `2026/12/8`, times as `17:00` or `17:00:00`, hours to
//! the hundredth (`1.5` is `1.50`), a weekday in any spelling kehou reads.
//! A column missing from the file is not compared; the status (状态) is
//! not either. A seat without staff (uncovered, 工号 empty) has no name to
//! compare, nor has a person not in staff.csv (`unknown` reports them).

use chrono::Datelike;

use crate::demand::Duty;
use crate::input::table::parse_date;
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::model::units::{parse_weekday, Hm};

/// A roster column kehou derives from the duty and the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    Date,
    Weekday,
    Session,
    Start,
    End,
    Duty,
    Group,
    Name,
    Hours,
    Ledger,
}

impl Column {
    pub const ALL: [Column; 10] = [
        Column::Date,
        Column::Weekday,
        Column::Session,
        Column::Start,
        Column::End,
        Column::Duty,
        Column::Group,
        Column::Name,
        Column::Hours,
        Column::Ledger,
    ];

    /// The column's canonical (English) name, as in `roster::ROSTER_COLUMNS`.
    pub fn key(self) -> &'static str {
        match self {
            Column::Date => "date",
            Column::Weekday => "weekday",
            Column::Session => "session",
            Column::Start => "start",
            Column::End => "end",
            Column::Duty => "duty",
            Column::Group => "group",
            Column::Name => "name",
            Column::Hours => "hours",
            Column::Ledger => "ledger",
        }
    }

    /// The column's Chinese header.
    pub fn header(self) -> &'static str {
        match self {
            Column::Date => "日期",
            Column::Weekday => "星期",
            Column::Session => "时段",
            Column::Start => "开始",
            Column::End => "结束",
            Column::Duty => "任务",
            Column::Group => "小组",
            Column::Name => "姓名",
            Column::Hours => "小时",
            Column::Ledger => "台账类别",
        }
    }
}

/// Who a roster row puts on its duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holder {
    /// No staff id: the seat is reported uncovered.
    Open,
    /// A person of staff.csv (index).
    Staff(usize),
    /// A staff id staff.csv does not have.
    Unknown,
}

/// Whose value a cell shows, for the message.
enum Whose<'a> {
    Duty,
    Person(&'a str),
}

/// What kehou writes in one cell, in Chinese and in English.
struct Written<'a> {
    zh: String,
    en: String,
    whose: Whose<'a>,
}

impl<'a> Written<'a> {
    fn duty(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Written {
            zh: zh.into(),
            en: en.into(),
            whose: Whose::Duty,
        }
    }
    fn same(text: impl Into<String>) -> Self {
        let text = text.into();
        Written::duty(text.clone(), text)
    }
}

/// Checker: the reasons the cells of one row (column, what the file says)
/// differ from what kehou writes for `duty` and `holder`.
pub(crate) fn check(
    policy: &Policy,
    school: &School,
    duty: &Duty,
    holder: Holder,
    cells: &[(Column, String)],
) -> Vec<String> {
    cells
        .iter()
        .filter_map(|(col, found)| {
            let w = written(policy, school, duty, holder, *col)?;
            (!same(*col, found.trim(), duty, &w)).then(|| differs(*col, found.trim(), &w))
        })
        .collect()
}

/// What kehou writes for this duty and holder in `col`; None when there
/// is nothing to compare (the name on an open seat or of a person
/// staff.csv does not have).
fn written<'a>(
    policy: &Policy,
    school: &'a School,
    duty: &Duty,
    holder: Holder,
    col: Column,
) -> Option<Written<'a>> {
    let kind = &policy.duty_kinds[duty.kind];
    let w = match col {
        Column::Date => Written::same(duty.date.to_string()),
        Column::Weekday => {
            let wd = duty.date.weekday();
            Written::duty(Lang::Zh.weekday(wd), Lang::En.weekday(wd))
        }
        Column::Session => match policy.session(&duty.session) {
            Some(s) => Written::duty(s.label.clone(), s.label_en.clone()),
            None => Written::same(duty.session.clone()),
        },
        Column::Start => Written::same(duty.start.to_string()),
        Column::End => Written::same(duty.end.to_string()),
        Column::Duty => Written::duty(kind.label.clone(), kind.label_en.clone()),
        Column::Group => Written::same(duty.group.clone()),
        Column::Hours => Written::same(format!("{:.2}", f64::from(duty.minutes()) / 60.0)),
        Column::Ledger => Written::duty(duty.ledger.label(Lang::Zh), duty.ledger.label(Lang::En)),
        Column::Name => match holder {
            Holder::Staff(s) => Written {
                whose: Whose::Person(&school.staff[s].id),
                ..Written::same(school.staff[s].name.clone())
            },
            Holder::Open | Holder::Unknown => return None,
        },
    };
    Some(w)
}

/// Whether the file's cell says what kehou writes, read as Excel keeps it.
fn same(col: Column, found: &str, duty: &Duty, w: &Written) -> bool {
    match col {
        Column::Date => parse_date(found) == Some(duty.date),
        Column::Weekday => parse_weekday(found) == Some(duty.date.weekday()),
        Column::Start => time(found) == Some(duty.start),
        Column::End => time(found) == Some(duty.end),
        Column::Hours => hundredths(found) == Some(written_hundredths(duty.minutes())),
        _ => found == w.zh || found == w.en,
    }
}

/// A clock time `17:00`, `7:30` or with seconds `17:00:00`.
fn time(s: &str) -> Option<Hm> {
    match s.rsplit_once(':') {
        Some((hm, "00")) if hm.contains(':') => Hm::parse(hm),
        _ => Hm::parse(s),
    }
}

/// Hours as a number, in hundredths (rounded as kehou writes them).
fn hundredths(s: &str) -> Option<i64> {
    let x: f64 = s.parse().ok()?;
    (x.is_finite() && x.abs() < 1e9).then(|| (x * 100.0).round() as i64)
}

/// The hours of `minutes` in hundredths, rounded (no minute count lies
/// half-way between two hundredths).
fn written_hundredths(minutes: u32) -> i64 {
    (i64::from(minutes) * 100 + 30) / 60
}

/// The reason users see: the column, what the file says, what it should.
fn differs(col: Column, found: &str, w: &Written) -> String {
    let (is_en, is_zh) = if found.is_empty() {
        ("is empty".to_string(), "为空".to_string())
    } else {
        (format!("is {found}"), format!("为 {found}"))
    };
    let shown = |s: &str, empty: &'static str| {
        if s.is_empty() {
            empty.to_string()
        } else {
            format!(" {s}")
        }
    };
    let (should_en, should_zh) = match w.whose {
        Whose::Duty => (
            format!("the duty's is{}", shown(&w.en, " empty")),
            format!("该任务为{}", shown(&w.zh, "空")),
        ),
        Whose::Person(id) => (format!("{id} is {}", w.en), format!("{id} 为 {}", w.zh)),
    };
    format!(
        "\"{}\" {is_en}, {should_en} / \"{}\" {is_zh}, {should_zh}",
        col.key(),
        col.header()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::demo;

    /// Every column of `duty` as kehou writes it, in one language.
    fn as_written(
        x: &crate::rules::testkit::Demo,
        d: &Duty,
        s: usize,
        zh: bool,
    ) -> Vec<(Column, String)> {
        let lang = if zh { Lang::Zh } else { Lang::En };
        let kind = &x.policy.duty_kinds[d.kind];
        let sess = x.policy.session(&d.session);
        Column::ALL
            .iter()
            .map(|&c| {
                let v = match c {
                    Column::Date => d.date.to_string(),
                    Column::Weekday => lang.weekday(d.date.weekday()).to_string(),
                    Column::Session => match sess {
                        Some(x) if zh => x.label.clone(),
                        Some(x) => x.label_en.clone(),
                        None => d.session.clone(),
                    },
                    Column::Start => d.start.to_string(),
                    Column::End => d.end.to_string(),
                    Column::Duty => {
                        if zh {
                            kind.label.clone()
                        } else {
                            kind.label_en.clone()
                        }
                    }
                    Column::Group => d.group.clone(),
                    Column::Name => x.school.staff[s].name.clone(),
                    Column::Hours => format!("{:.2}", f64::from(d.minutes()) / 60.0),
                    Column::Ledger => d.ledger.label(lang).to_string(),
                };
                (c, v)
            })
            .collect()
    }

    fn set(cells: &mut [(Column, String)], col: Column, v: &str) {
        let c = cells.iter_mut().find(|(c, _)| *c == col).expect("column");
        c.1 = v.to_string();
    }

    #[test]
    fn cells_as_written_in_either_language_pass() {
        let x = demo();
        let s = x.staff("T005");
        for kind in ["homework", "noon", "club", "late", "patrol"] {
            let d = x.duty(kind);
            for zh in [true, false] {
                let cells = as_written(&x, &d, s, zh);
                let v = check(&x.policy, &x.school, &d, Holder::Staff(s), &cells);
                assert!(v.is_empty(), "{kind} zh={zh}: {v:?}");
            }
        }
    }

    #[test]
    fn cells_as_excel_keeps_them_pass() {
        let x = demo();
        let s = x.staff("T005");
        let d = x.duty("homework");
        let mut cells = as_written(&x, &d, s, true);
        let date = format!("{}/{}/{}", d.date.year(), d.date.month(), d.date.day());
        set(&mut cells, Column::Date, &date);
        set(&mut cells, Column::End, &format!("{}:00", d.end));
        set(
            &mut cells,
            Column::Start,
            &format!("{}:{:02}", d.start.0 / 60, d.start.0 % 60),
        );
        let hours = format!("{}", f64::from(d.minutes()) / 60.0);
        set(&mut cells, Column::Hours, &hours);
        set(
            &mut cells,
            Column::Weekday,
            &format!("星期{}", &Lang::Zh.weekday(d.date.weekday())[3..]),
        );
        let v = check(&x.policy, &x.school, &d, Holder::Staff(s), &cells);
        assert!(v.is_empty(), "{v:?}");
    }

    #[test]
    fn each_changed_or_emptied_cell_is_named_with_what_it_should_be() {
        let x = demo();
        let s = x.staff("T005");
        let d = x.duty("homework");
        let other = x.school.staff[x.staff("T006")].name.clone();
        let next_day = (d.date + chrono::Days::new(1)).to_string();
        let edits = [
            (Column::Date, next_day.as_str()),
            (Column::Weekday, "周日"),
            (Column::Session, "午间"),
            (Column::Start, "15:31"),
            (Column::End, "17:45"),
            (Column::Duty, "社团活动"),
            (Column::Group, ""),
            (Column::Name, other.as_str()),
            (Column::Hours, "9.99"),
            (Column::Ledger, ""),
        ];
        for (col, to) in edits {
            let mut cells = as_written(&x, &d, s, true);
            set(&mut cells, col, to);
            let v = check(&x.policy, &x.school, &d, Holder::Staff(s), &cells);
            assert_eq!(v.len(), 1, "{col:?}: {v:?}");
            assert!(v[0].contains(&format!("\"{}\"", col.header())), "{v:?}");
            assert!(v[0].contains(&format!("\"{}\"", col.key())), "{v:?}");
        }
        let mut cells = as_written(&x, &d, s, true);
        set(&mut cells, Column::End, "17:45");
        let v = check(&x.policy, &x.school, &d, Holder::Staff(s), &cells);
        assert_eq!(
            v[0],
            format!(
                "\"end\" is 17:45, the duty's is {e} / \"结束\" 为 17:45, 该任务为 {e}",
                e = d.end
            )
        );
        set(&mut cells, Column::End, &d.end.to_string());
        set(&mut cells, Column::Name, &other);
        let v = check(&x.policy, &x.school, &d, Holder::Staff(s), &cells);
        let own = &x.school.staff[s].name;
        assert_eq!(
            v[0],
            format!("\"name\" is {other}, T005 is {own} / \"姓名\" 为 {other}, T005 为 {own}")
        );
    }

    #[test]
    fn missing_columns_and_unknown_people_are_not_compared() {
        let x = demo();
        let d = x.duty("homework");
        let cells = vec![(Column::Name, "谁".to_string())];
        assert!(check(&x.policy, &x.school, &d, Holder::Unknown, &cells).is_empty());
        assert!(check(&x.policy, &x.school, &d, Holder::Staff(0), &[]).is_empty());
        // An open seat (工号 emptied) has no name to compare; its duty's
        // cells still are.
        assert!(check(&x.policy, &x.school, &d, Holder::Open, &cells).is_empty());
        let moved = vec![(Column::End, "23:00".to_string())];
        assert_eq!(
            check(&x.policy, &x.school, &d, Holder::Open, &moved).len(),
            1
        );
    }

    #[test]
    fn times_and_hours_are_read_as_numbers() {
        assert_eq!(time("17:00:00"), Some(Hm(17 * 60)));
        assert_eq!(time("7:05"), Some(Hm(7 * 60 + 5)));
        assert_eq!(time("17:00:30"), None);
        assert_eq!(hundredths("1.5"), Some(150));
        assert_eq!(hundredths("0.667"), Some(67));
        assert_eq!(hundredths("inf"), None);
        assert_eq!(hundredths("1.5h"), None);
        for m in 0..600 {
            let text = format!("{:.2}", f64::from(m) / 60.0);
            assert_eq!(hundredths(&text), Some(written_hundredths(m)), "{m} min");
        }
    }
}
