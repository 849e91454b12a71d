//! Which dates are school days, which weekday's timetable each follows and
//! in which season. Holidays and make-up days are data (policy and national
//! calendar files), never code.

use chrono::{Datelike, Days, NaiveDate, Weekday};

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
