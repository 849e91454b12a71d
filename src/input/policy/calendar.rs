//! `[calendar]`: terms, holidays and make-up workdays, from national
//! calendar files and the school's own entries.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};

use super::ctx::{date_of, join, keys, Ctx};
use super::raw;
use crate::error::Said;
use crate::input::limits::{date_range, FIRST_DATE, LAST_DATE};
use crate::input::toml_source::{Seg, TomlSource};
use crate::model::policy::{CalendarRules, Holiday, Term};
use crate::model::units::parse_weekday;

/// A table's place: in a national file (`src`) or the policy (`None`).
struct Origin<'a> {
    src: Option<&'a TomlSource>,
    path: Vec<Seg>,
}

impl Origin<'_> {
    fn report(&self, c: &mut Ctx, key: &str, found: Said, expected: Said) {
        c.err_in(self.src, &join(&self.path, key), found, expected);
    }
}

pub(super) fn compile_calendar(
    c: &mut Ctx,
    cal: &raw::Calendar,
    national: &[(TomlSource, raw::NationalFile)],
) -> CalendarRules {
    let terms = terms(c, &cal.terms);
    let mut holidays = Vec::new();
    let mut makeup = BTreeMap::new();
    let mut national_years = BTreeSet::new();
    for (nsrc, n) in national {
        let first = holidays.len();
        holidays.extend(ranges(c, Some(nsrc), keys!["holidays"], &n.holidays));
        national_years.extend(covered_years(c, nsrc, n, &holidays[first..]));
        for (i, m) in n.makeup_days.iter().enumerate() {
            add_makeup(c, Some(nsrc), keys!["makeup_days", i], m, &mut makeup);
        }
    }
    let school_holidays = ranges(c, None, keys!["calendar", "holidays"], &cal.holidays);
    holidays.extend(school_holidays);
    let no_service = ranges(
        c,
        None,
        keys!["calendar", "no_service_days"],
        &cal.no_service_days,
    );
    // School entries override the national file's choice of timetable.
    for (i, m) in cal.makeup_days.iter().enumerate() {
        add_makeup(c, None, keys!["calendar", "makeup_days", i], m, &mut makeup);
    }
    for d in makeup.keys() {
        if let Some(h) = holidays.iter().find(|h| h.from <= *d && *d <= h.to) {
            c.err(
                keys!["calendar", "makeup_days"],
                Said::new(
                    format!("调休上课日 {d} 在假期 \"{}\" 之内", h.name),
                    format!("make-up day {d} inside holiday \"{}\"", h.name),
                ),
                Said::new(
                    "不在任何假期之内的调休上课日",
                    "a make-up day outside every holiday",
                ),
            );
        }
    }
    CalendarRules {
        terms,
        holidays,
        makeup,
        no_service,
        national_years,
        national_file: national_file(&c.src.file, national),
    }
}

/// The years a national file covers: its `year`, or else the years of its
/// holidays and make-up days.
fn covered_years(
    c: &mut Ctx,
    src: &TomlSource,
    n: &raw::NationalFile,
    holidays: &[Holiday],
) -> BTreeSet<i32> {
    let (first, last) = (FIRST_DATE.year(), LAST_DATE.year());
    match n.year {
        Some(y) if (i64::from(first)..=i64::from(last)).contains(&y) => BTreeSet::from([y as i32]),
        Some(y) => {
            c.err_in(
                Some(src),
                &[Seg::from("year")],
                Said::same(y.to_string()),
                Said::new(
                    format!("这个文件所属的年份, {first} 到 {last}"),
                    format!("the year the file covers, from {first} to {last}"),
                ),
            );
            BTreeSet::new()
        }
        None => {
            let makeup = n.makeup_days.iter().filter_map(|m| date_of(&m.date));
            holidays
                .iter()
                .flat_map(|h| [h.from, h.to])
                .chain(makeup)
                .map(|d| d.year())
                .collect()
        }
    }
}

/// Where a missing year's national file goes: beside the policy's last
/// national file, its year in the name replaced (`cn-2026.toml` gives
/// `cn-{year}.toml`); `calendar/cn-{year}.toml` beside the policy without one.
fn national_file(policy: &Path, national: &[(TomlSource, raw::NationalFile)]) -> String {
    let base = policy.parent().unwrap_or(Path::new(""));
    let last = national.last().and_then(|(src, n)| {
        let year = n.year?.to_string();
        let name = src.file.file_name()?.to_str()?;
        let dir = src.file.parent().unwrap_or(base);
        name.contains(&year)
            .then(|| dir.join(name.replacen(&year, "{year}", 1)))
    });
    last.unwrap_or_else(|| base.join("calendar").join("cn-{year}.toml"))
        .display()
        .to_string()
}

fn terms(c: &mut Ctx, list: &[raw::Term]) -> Vec<Term> {
    let mut terms = Vec::new();
    for (i, t) in list.iter().enumerate() {
        let start = c.date(keys!["calendar", "terms", i, "start"], &t.start);
        let end = c.date(keys!["calendar", "terms", i, "end"], &t.end);
        if end < start {
            c.err(
                keys!["calendar", "terms", i, "end"],
                Said::new(
                    format!("{end}, 早于开始日期 {start}"),
                    format!("{end}, before the start {start}"),
                ),
                Said::new(
                    "不早于开始日期的结束日期",
                    "an end date on or after the start",
                ),
            );
        }
        terms.push(Term {
            name: t.name.clone(),
            start,
            end,
        });
    }
    for i in 1..terms.len() {
        for j in 0..i {
            if terms[i].start <= terms[j].end && terms[j].start <= terms[i].end {
                c.err(
                    keys!["calendar", "terms", i, "start"],
                    Said::new(
                        format!("学期 \"{}\" 与 \"{}\" 重叠", terms[i].name, terms[j].name),
                        format!("term \"{}\" overlaps \"{}\"", terms[i].name, terms[j].name),
                    ),
                    Said::new("互不重叠的学期", "terms that do not overlap"),
                );
            }
        }
    }
    terms
}

/// Day ranges (holidays, days without service) given by a date or from/to.
fn ranges(
    c: &mut Ctx,
    src: Option<&TomlSource>,
    base: Vec<Seg>,
    list: &[raw::Holiday],
) -> Vec<Holiday> {
    let mut out = Vec::new();
    for (i, h) in list.iter().enumerate() {
        let at = Origin {
            src,
            path: join(&base, i),
        };
        out.extend(range(c, &at, h));
    }
    out
}

fn range(c: &mut Ctx, at: &Origin, h: &raw::Holiday) -> Option<Holiday> {
    let (from, to) = match (&h.date, &h.from, &h.to) {
        (Some(d), None, None) => (date_of(d), date_of(d)),
        (None, Some(a), Some(b)) => (date_of(a), date_of(b)),
        _ => {
            at.report(
                c,
                "date",
                Said::new(
                    "既没有 `date`, 也没有成对的 `from` 和 `to`",
                    "neither a `date` nor a `from`/`to` pair",
                ),
                Said::new(
                    "`date = 2026-06-01`, 或 `from = ...` 和 `to = ...`",
                    "`date = 2026-06-01`, or `from = ...` and `to = ...`",
                ),
            );
            return None;
        }
    };
    match (from, to) {
        (Some(a), Some(b)) if a <= b => {
            return Some(Holiday {
                from: a,
                to: b,
                name: h.name.clone().or(h.reason.clone()).unwrap_or_default(),
            })
        }
        (Some(a), Some(b)) => at.report(
            c,
            "to",
            Said::new(format!("{b}, 早于 {a}"), format!("{b}, before {a}")),
            Said::new(
                "不早于开始日期的结束日期",
                "an end date on or after the start",
            ),
        ),
        _ => at.report(
            c,
            "date",
            Said::new(
                "不是范围内日期的值",
                "a value that is not a plain date in range",
            ),
            date_range("2026-10-01"),
        ),
    }
    None
}

fn is_weekend(w: Weekday) -> bool {
    matches!(w, Weekday::Sat | Weekday::Sun)
}

/// A make-up workday: a weekend date that follows a weekday's timetable.
fn add_makeup(
    c: &mut Ctx,
    src: Option<&TomlSource>,
    path: Vec<Seg>,
    m: &raw::Makeup,
    out: &mut BTreeMap<NaiveDate, Weekday>,
) {
    let at = Origin { src, path };
    let Some(date) = date_of(&m.date) else {
        let found = Said::same(m.date.to_string());
        at.report(c, "date", found, date_range("2026-10-10"));
        return;
    };
    if !is_weekend(date.weekday()) {
        at.report(
            c,
            "date",
            Said::new(
                format!("{date}, {}", crate::lang::Lang::Zh.weekday(date.weekday())),
                format!("{date}, a {:?}", date.weekday()),
            ),
            Said::new(
                "周六或周日 (调休上课日在周末)",
                "a Saturday or Sunday (a make-up workday falls on a weekend)",
            ),
        );
        return;
    }
    match parse_weekday(&m.follows) {
        Some(w) if !is_weekend(w) => {
            out.insert(date, w);
        }
        _ => at.report(
            c,
            "follows",
            Said::same(format!("\"{}\"", m.follows)),
            Said::new(
                "按哪一天的课表上课: 周一 至 周五",
                "the weekday whose timetable it follows: mon..fri",
            ),
        ),
    }
}
