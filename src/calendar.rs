//! Which dates are school days, which weekday's timetable each follows and
//! in which season. Holidays and make-up days are data (policy and national
//! calendar files), never code.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::model::policy::Policy;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayKind {
    /// A school day following `follows`'s timetable (itself, or for a
    /// make-up workday the weekday it replaces).
    School {
        follows: Weekday,
        makeup: bool,
    },
    Weekend,
    Holiday(String),
    /// A school-specific day without service (exam day, sports day, June 1).
    NoService(String),
    OutOfTerm,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// Season id (only for school days).
    pub season: Option<String>,
}

impl Day {
    pub fn follows(&self) -> Option<Weekday> {
        match self.kind {
            DayKind::School { follows, .. } => Some(follows),
            _ => None,
        }
    }

    pub fn describe(&self, lang: Lang) -> String {
        match &self.kind {
            DayKind::School {
                follows,
                makeup: true,
            } => match lang {
                Lang::Zh => format!("调休上课(按{}课表)", lang.weekday(*follows)),
                Lang::En => format!("make-up workday (follows {})", lang.weekday(*follows)),
            },
            DayKind::School { .. } => lang.t("上课日", "school day").to_string(),
            DayKind::Weekend => lang.t("周末", "weekend").to_string(),
            DayKind::Holiday(n) => format!("{}: {n}", lang.t("假日", "holiday")),
            DayKind::NoService(n) => format!("{}: {n}", lang.t("无课后服务", "no service")),
            DayKind::OutOfTerm => lang.t("非学期内", "outside term").to_string(),
        }
    }
}

/// Classify one date.
pub fn day(policy: &Policy, date: NaiveDate) -> Day {
    let cal = &policy.calendar;
    let kind = if let Some(h) = cal.holidays.iter().find(|h| h.from <= date && date <= h.to) {
        DayKind::Holiday(h.name.clone())
    } else if !cal.terms.is_empty() && !cal.terms.iter().any(|t| t.start <= date && date <= t.end) {
        DayKind::OutOfTerm
    } else if let Some(n) = cal
        .no_service
        .iter()
        .find(|h| h.from <= date && date <= h.to)
    {
        DayKind::NoService(n.name.clone())
    } else if let Some(&follows) = cal.makeup.get(&date) {
        DayKind::School {
            follows,
            makeup: true,
        }
    } else if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        DayKind::Weekend
    } else {
        DayKind::School {
            follows: date.weekday(),
            makeup: false,
        }
    };
    let season = match kind {
        DayKind::School { .. } => policy.season_on(date).map(|s| s.id.clone()),
        _ => None,
    };
    Day { date, kind, season }
}

/// The Monday of the week containing `date`.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Days::new(u64::from(date.weekday().num_days_from_monday()))
}

/// The seven days (Mon..Sun) of the week containing `date`.
pub fn week(policy: &Policy, date: NaiveDate) -> Vec<Day> {
    let mon = monday_of(date);
    (0..7).map(|i| day(policy, mon + Days::new(i))).collect()
}

/// School days in a date range, inclusive.
pub fn school_days(policy: &Policy, from: NaiveDate, to: NaiveDate) -> Vec<Day> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .map(|d| day(policy, d))
        .filter(|d| matches!(d.kind, DayKind::School { .. }))
        .collect()
}

/// Term dates from `from` to `to` (every date when the policy has no terms)
/// in a year no national calendar file covers, as inclusive ranges.
pub fn uncovered(policy: &Policy, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let cal = &policy.calendar;
    let spans: Vec<(NaiveDate, NaiveDate)> = if cal.terms.is_empty() {
        vec![(from, to)]
    } else {
        cal.terms
            .iter()
            .map(|t| (t.start.max(from), t.end.min(to)))
            .filter(|(a, b)| a <= b)
            .collect()
    };
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for (a, b) in spans {
        for y in a.year()..=b.year() {
            if cal.national_years.contains(&y) {
                continue;
            }
            let start = NaiveDate::from_ymd_opt(y, 1, 1).map_or(a, |d| d.max(a));
            let end = NaiveDate::from_ymd_opt(y, 12, 31).map_or(b, |d| d.min(b));
            match out.last_mut() {
                Some(last) if last.1.succ_opt() == Some(start) => last.1 = end,
                _ => out.push((start, end)),
            }
        }
    }
    out
}

/// Every term date of the policy that no national calendar covers.
pub fn uncovered_terms(policy: &Policy) -> Vec<(NaiveDate, NaiveDate)> {
    match (
        policy.calendar.terms.iter().map(|t| t.start).min(),
        policy.calendar.terms.iter().map(|t| t.end).max(),
    ) {
        (Some(a), Some(b)) => uncovered(policy, a, b),
        _ => Vec::new(),
    }
}

/// Refuses term dates from `from` to `to` that no national calendar
/// covers: planning them would make each a school day without a word
/// (2027-01-01 was, with only the 2026 file).
pub fn require_national(policy: &Policy, from: NaiveDate, to: NaiveDate) -> Result<()> {
    match national_gap(policy, &uncovered(policy, from, to)) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The error naming `ranges` and the files to add; None when there are none.
pub fn national_gap(policy: &Policy, ranges: &[(NaiveDate, NaiveDate)]) -> Option<Error> {
    if ranges.is_empty() {
        return None;
    }
    let dates: Vec<String> = ranges
        .iter()
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}..{b}")
            }
        })
        .collect();
    let mut years: Vec<i32> = ranges
        .iter()
        .flat_map(|(a, b)| a.year()..=b.year())
        .collect();
    years.sort_unstable();
    years.dedup();
    let template = &policy.calendar.national_file;
    let base = policy.file.parent().unwrap_or(std::path::Path::new(""));
    let file = |y: i32| template.replace("{year}", &y.to_string());
    let listed = |y: i32| {
        let f = file(y);
        let rel = std::path::Path::new(&f)
            .strip_prefix(base)
            .map_or(f.clone(), |p| p.display().to_string());
        format!("\"{rel}\"")
    };
    Some(Error::NoNationalCalendar {
        policy: policy.file.clone(),
        dates: dates.join(", "),
        files: years
            .iter()
            .map(|&y| file(y))
            .collect::<Vec<_>>()
            .join(", "),
        listed: years
            .iter()
            .map(|&y| listed(y))
            .collect::<Vec<_>>()
            .join(", "),
    })
}
