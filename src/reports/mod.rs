//! Reports for the school's leadership (issue 20, item 5): counts only,
//! never a name or a health detail. Pure functions over rows the record
//! gives (`Tx::class_events`, `Tx::applications`, `Tx::club_draws`) and
//! the school's clubs, so each count is testable on constructed rows.
//!
//! - attendance per class and ISO week: present, on leave, unexcused;
//! - the three checks per class and week: unexcused absences, pupils
//!   unwell, late pickups;
//! - the applications funnel per class (`enrol::funnel`);
//! - club fill: first-choice applicants and the admitted against the
//!   club's capacity.
//!
//! Each table downloads as CSV or as a workbook (`Table`).

mod csv;
mod xlsx;

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::enrol::{funnel, Funnel, State};
use crate::model::school::Club;
use crate::record::applications::Application;
use crate::record::duty::{ClassEvent, ClassEventKind, Mark};
use crate::record::family::ClubDraw;

pub use csv::{
    applications_table, attendance_table, class_name, clubs_table, incidents_table, Table,
};

/// An ISO week (`2026-W50`): the reports' unit of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Week {
    pub year: i32,
    pub week: u32,
}

impl Week {
    pub fn of(d: NaiveDate) -> Week {
        let w = d.iso_week();
        Week {
            year: w.year(),
            week: w.week(),
        }
    }
    /// Its Monday.
    pub fn monday(self) -> Option<NaiveDate> {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon)
    }
}

impl fmt::Display for Week {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

/// One class's roll-call marks in a week.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attendance {
    pub present: usize,
    pub leave: usize,
    pub unexcused: usize,
}

impl Attendance {
    pub fn total(&self) -> usize {
        self.present + self.leave + self.unexcused
    }
}

/// One class's three-check incidents in a week.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Incidents {
    pub unexcused: usize,
    pub unwell: usize,
    pub late_pickups: usize,
}

impl Incidents {
    pub fn total(&self) -> usize {
        self.unexcused + self.unwell + self.late_pickups
    }
}

/// Counts per (week, class id), in week then class-id order.
pub type ByWeekClass<T> = BTreeMap<(Week, String), T>;

/// Roll-call marks per class and week.
pub fn attendance(events: &[ClassEvent]) -> ByWeekClass<Attendance> {
    let mut out = ByWeekClass::<Attendance>::new();
    for e in events {
        let ClassEventKind::Roll(m) = e.what else {
            continue;
        };
        let a = out
            .entry((Week::of(e.date), e.class_id.clone()))
            .or_default();
        match m {
            Mark::Present => a.present += 1,
            Mark::Leave => a.leave += 1,
            Mark::Unexcused => a.unexcused += 1,
        }
    }
    out
}

/// The three checks per class and week; a class and week with none is
/// not listed.
pub fn incidents(events: &[ClassEvent]) -> ByWeekClass<Incidents> {
    let mut out = ByWeekClass::<Incidents>::new();
    for e in events {
        let key = (Week::of(e.date), e.class_id.clone());
        match e.what {
            ClassEventKind::Roll(Mark::Unexcused) => out.entry(key).or_default().unexcused += 1,
            ClassEventKind::Unwell => out.entry(key).or_default().unwell += 1,
            ClassEventKind::LatePickup => out.entry(key).or_default().late_pickups += 1,
            ClassEventKind::Roll(_) => {}
        }
    }
    out
}

/// The funnel of each class's applications (by class id), and of all.
pub fn funnel_by_class(apps: &[Application]) -> (BTreeMap<String, Funnel>, Funnel) {
    let mut by: BTreeMap<String, Vec<&State>> = BTreeMap::new();
    for a in apps {
        by.entry(a.choice.class.clone()).or_default().push(&a.state);
    }
    let per = by.into_iter().map(|(c, s)| (c, funnel(s))).collect();
    (per, funnel(apps.iter().map(|a| &a.state)))
}

/// One club's fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClubFill {
    pub club_id: String,
    pub name: String,
    /// The club's pupils (`clubs.csv`'s 人数): its seats.
    pub capacity: u32,
    /// Applications still open or in effect naming the club first.
    pub first_choice: usize,
    /// Admitted by the club's latest recorded draw; None: no draw yet.
    pub admitted: Option<usize>,
}

impl ClubFill {
    /// `n` of the capacity in whole percent (None without a capacity).
    pub fn percent(&self, n: usize) -> Option<u64> {
        let c = u64::from(self.capacity);
        (c > 0).then(|| (n as u64 * 100 + c / 2) / c)
    }
}

/// An application that asks for something now: not refused, cancelled
/// or withdrawn.
fn open(s: &State) -> bool {
    !matches!(
        s,
        State::Refused | State::Cancelled | State::Withdrawn { .. }
    )
}

/// Each club of the school (in its order) with its first-choice
/// applicants and the admitted of its latest draw.
pub fn club_fill(clubs: &[Club], apps: &[Application], draws: &[ClubDraw]) -> Vec<ClubFill> {
    clubs
        .iter()
        .map(|c| {
            let first_choice = apps
                .iter()
                .filter(|a| open(&a.state) && a.choice.clubs.first() == Some(&c.id))
                .count();
            // The latest draw: the highest id.
            let admitted = draws
                .iter()
                .filter(|d| d.club_id == c.id)
                .max_by_key(|d| d.id)
                .map(|d| d.admitted.len());
            ClubFill {
                club_id: c.id.clone(),
                name: c.name.clone(),
                capacity: c.pupils,
                first_choice,
                admitted,
            }
        })
        .collect()
}
