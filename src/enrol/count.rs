//! The enrollment a week's demand uses, from approved applications: per
//! class, weekday and session, the children whose approval is in effect
//! on that day. It has the shape of `enrollment.csv` (the hand-typed
//! fallback) so that demand is computed the same way from either.

use std::collections::BTreeMap;

use crate::calendar::Day;
use crate::model::school::School;

use super::steps::{Choice, State};

/// The counts and what could not be counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counted {
    /// (class index, weekday from Monday = 0, session key) -> children,
    /// as `School::enrollment`.
    pub enrollment: BTreeMap<(usize, u8, String), u32>,
    /// Applications in effect this week whose class is no longer in the
    /// school's data (by class id, with how many).
    pub unknown_classes: BTreeMap<String, u32>,
}

/// Count the applications for the school days of `days` (one week). A
/// make-up day counts the children of the weekday it follows, on its own
/// date; where two days of the week follow one weekday, the first one's
/// count is used (the enrollment has one count per weekday).
pub fn enrollment_for_week(school: &School, days: &[Day], apps: &[(Choice, State)]) -> Counted {
    let mut out = Counted::default();
    let mut unknown: Vec<usize> = Vec::new();
    let mut done: Vec<u8> = Vec::new();
    for d in days {
        let Some(follows) = d.follows() else { continue };
        let wd = follows.num_days_from_monday() as u8;
        if done.contains(&wd) {
            continue;
        }
        done.push(wd);
        for (i, (c, st)) in apps.iter().enumerate() {
            if !st.counts_on(d.date) || !c.weekdays.contains(&follows) {
                continue;
            }
            let Some(ci) = school.classes.iter().position(|k| k.id == c.class) else {
                if !unknown.contains(&i) {
                    unknown.push(i);
                    *out.unknown_classes.entry(c.class.clone()).or_default() += 1;
                }
                continue;
            };
            for s in &c.sessions {
                *out.enrollment.entry((ci, wd, s.clone())).or_default() += 1;
            }
        }
    }
    out
}
