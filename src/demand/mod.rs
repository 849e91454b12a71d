//! The week's demand: every duty to be covered, with times, staff needed,
//! qualification and ledger category. Reads the policy, the school data and
//! the calendar; knows nothing of staff assignment.

use chrono::{NaiveDate, Weekday};

mod groups;
mod kinds;

pub use groups::{form_groups, Group};
use kinds::KindCtx;

use crate::calendar::{self, Day};
use crate::model::policy::{Ledger, Policy, Role, Source};
use crate::model::school::{Load, School};
use crate::model::units::{Centi, Hm};

#[derive(Debug, Clone, PartialEq)]
pub struct Duty {
    /// Stable id: date/kind/group, used in roster files.
    pub id: String,
    pub date: NaiveDate,
    /// The weekday whose timetable the date follows.
    pub follows: Weekday,
    pub session: String,
    pub start: Hm,
    pub end: Hm,
    /// Index into `policy.duty_kinds`.
    pub kind: usize,
    pub group: String,
    pub classes: Vec<usize>,
    pub pupils: u32,
    pub staff_needed: u32,
    pub qualification: Option<String>,
    pub roles: Vec<Role>,
    pub ledger: Ledger,
    pub weight: Centi,
    pub until_pickup: bool,
    /// A club's named instructor: the duty is theirs.
    pub instructor: Option<usize>,
    /// Part number when a unit was split into several groups (0: not split).
    pub split: u32,
}

impl Duty {
    pub fn minutes(&self) -> u32 {
        u32::from(self.end.0.saturating_sub(self.start.0))
    }
    /// Weighted workload of one staff member on this duty.
    pub fn load(&self) -> Load {
        i64::from(self.minutes()) * self.weight.0
    }
    pub fn overlaps(&self, other: &Duty) -> bool {
        self.date == other.date && self.start < other.end && other.start < self.end
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct WeekDemand {
    pub monday: NaiveDate,
    pub days: Vec<Day>,
    pub duties: Vec<Duty>,
}

/// Demand for the week (Mon..Sun) containing `date`.
pub fn week(policy: &Policy, school: &School, date: NaiveDate) -> WeekDemand {
    let days = calendar::week(policy, date);
    let mut duties = Vec::new();
    for d in &days {
        duties.extend(day(policy, school, d));
    }
    WeekDemand {
        monday: calendar::monday_of(date),
        days,
        duties,
    }
}

/// Demand of one day (empty unless it is a school day).
pub fn day(policy: &Policy, school: &School, d: &Day) -> Vec<Duty> {
    let (Some(follows), Some(season)) = (
        d.follows(),
        d.season
            .as_deref()
            .and_then(|s| policy.seasons.iter().find(|x| x.id == s)),
    ) else {
        return Vec::new();
    };
    // Applications in effect this day count instead of enrollment.csv.
    let school = &*crate::enrol::school_on(school, d.date, follows);
    let mut out = Vec::new();
    for (ki, kind) in policy.duty_kinds.iter().enumerate() {
        if blacked_out(policy, follows, &kind.session) {
            continue;
        }
        let ctx = KindCtx {
            policy,
            season,
            date: d.date,
            follows,
            ki,
            kind,
        };
        match &kind.source {
            Source::Groups {
                enrollment,
                grouping,
            } => ctx.groups(school, enrollment, grouping, &mut out),
            Source::Clubs => ctx.clubs(school, &mut out),
            Source::Patrol { by_size } => {
                let n = school.classes.len() as u32;
                let staff = by_size
                    .iter()
                    .find(|(max, _)| n <= *max)
                    .or(by_size.last())
                    .map_or(0, |r| r.1);
                if staff > 0 {
                    if let Some((s, e)) = ctx.times(None) {
                        out.push(ctx.duty(
                            "patrol".into(),
                            kind.label.clone(),
                            Vec::new(),
                            0,
                            staff,
                            None,
                            (s, e),
                        ));
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| {
        (a.start, a.end, a.kind, &a.classes, &a.id)
            .cmp(&(b.start, b.end, b.kind, &b.classes, &b.id))
    });
    out
}

/// True when a service blackout removes this session on this timetable day.
pub fn blacked_out(policy: &Policy, follows: Weekday, session: &str) -> bool {
    policy.service_blackouts.iter().any(|b| {
        (b.weekdays.is_empty() || b.weekdays.contains(&follows))
            && b.sessions.iter().any(|s| s == session)
    })
}
