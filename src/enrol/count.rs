//! The enrollment a day's demand uses, from approved applications: per
//! class and session, the children whose approval is in effect that day
//! and who chose its weekday. It has the shape of `enrollment.csv` (the
//! hand-typed fallback, kept for classes without applications) so that
//! demand forms groups the same way from either.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, Weekday};

use crate::model::school::{Attends, School};

use super::steps::{Choice, State};

/// The counts of one day and what could not be counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counted {
    /// (class index, weekday from Monday = 0, session key) -> children,
    /// as `School::enrollment`.
    pub enrollment: BTreeMap<(usize, u8, String), u32>,
    /// Classes (by index) whose enrollment comes from applications.
    pub classes: BTreeSet<usize>,
    /// Applications whose class is not in the school's data (by class id,
    /// with how many): counted apart and named, not dropped silently.
    pub unknown_classes: BTreeMap<String, u32>,
}

/// The approved attendance the applications give (those never approved
/// give none), each with its pupil.
pub fn attends(apps: &[(i64, Choice, State)]) -> Vec<Attends> {
    apps.iter()
        .filter_map(|(pupil, c, st)| {
            let (from, until) = match *st {
                State::Approved { from } | State::Withdrawing { from, .. } => (from, None),
                State::Withdrawn { from, until } => (from, Some(until)),
                _ => return None,
            };
            Some(Attends {
                pupil: *pupil,
                class: c.class.clone(),
                weekdays: c.weekdays.clone(),
                sessions: c.sessions.clone(),
                from,
                until,
            })
        })
        .collect()
}

fn in_effect(a: &Attends, date: NaiveDate) -> bool {
    a.from <= date && a.until.is_none_or(|u| date < u)
}

/// The attendance in effect on `date`, one per pupil: a child with two
/// approvals in effect (a new application approved before the old one's
/// withdrawal) counts once, by the approval that took effect last (the
/// later application on a tie).
fn in_effect_once(all: &[Attends], date: NaiveDate) -> Vec<&Attends> {
    let mut by_pupil: BTreeMap<i64, &Attends> = BTreeMap::new();
    for a in all.iter().filter(|a| in_effect(a, date)) {
        let keep = by_pupil.get(&a.pupil).is_none_or(|b| a.from >= b.from);
        if keep {
            by_pupil.insert(a.pupil, a);
        }
    }
    by_pupil.into_values().collect()
}

/// The counts on `date`, a day following `follows`'s timetable (a make-up
/// day counts the children of the weekday it follows). A class counts
/// from applications once any of its approvals is in effect on the day.
pub fn enrollment_on(school: &School, date: NaiveDate, follows: Weekday) -> Counted {
    let mut out = Counted::default();
    let wd = follows.num_days_from_monday() as u8;
    for a in in_effect_once(&school.attends, date) {
        let Some(ci) = school.classes.iter().position(|k| k.id == a.class) else {
            *out.unknown_classes.entry(a.class.clone()).or_default() += 1;
            continue;
        };
        out.classes.insert(ci);
        if !a.weekdays.contains(&follows) {
            continue;
        }
        for s in &a.sessions {
            *out.enrollment.entry((ci, wd, s.clone())).or_default() += 1;
        }
    }
    out
}

/// The school as a day's demand sees it: where applications are in
/// effect, their classes' counts replace `enrollment.csv`'s for that
/// weekday. Borrowed as it is when the record holds no applications.
pub(crate) fn school_on(school: &School, date: NaiveDate, follows: Weekday) -> Cow<'_, School> {
    if school.attends.is_empty() {
        return Cow::Borrowed(school);
    }
    let counted = enrollment_on(school, date, follows);
    if counted.classes.is_empty() {
        return Cow::Borrowed(school);
    }
    let wd = follows.num_days_from_monday() as u8;
    let mut s = school.clone();
    s.enrollment
        .retain(|(ci, w, _), _| *w != wd || !counted.classes.contains(ci));
    s.enrollment.extend(counted.enrollment);
    Cow::Owned(s)
}
