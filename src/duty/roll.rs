//! Who is in a duty's group: the pupils whose approved application is in
//! effect that day and names the day's weekday and the duty kind's
//! session (its enrollment key), from the classes the group serves. A
//! class counted from `enrollment.csv` only (no approved application in
//! effect) has no list: it is named apart. A group split in parts (a
//! unit above the policy's `max`) takes its share of the unit's list in
//! order, the first parts one more, as the split divides the count.

use std::collections::BTreeSet;

use crate::demand::Duty;
use crate::error::{Result, Said};
use crate::model::policy::{Policy, Source};
use crate::model::school::School;
use crate::record::applications::Pupil;
use crate::record::Tx;

use super::held::Day;

/// A duty's roll: the pupils on its list and what has none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roll {
    /// In class order, then by pupil id.
    pub pupils: Vec<Pupil>,
    /// Classes the group serves that have no applications that day
    /// (their count comes from `enrollment.csv`): no names to call.
    pub unlisted: Vec<usize>,
    /// Why the duty has no list at all (a club, a patrol).
    pub no_list: Option<Said>,
}

impl Roll {
    pub fn has(&self, pupil_id: i64) -> bool {
        self.pupils.iter().any(|p| p.id == pupil_id)
    }
    pub fn pupil(&self, pupil_id: i64) -> Option<&Pupil> {
        self.pupils.iter().find(|p| p.id == pupil_id)
    }
}

/// The roll of `duty` (a duty of `day`). Personal data: shown only to the
/// duty teacher of that duty that day and to administrators.
pub fn roll_of_duty(
    tx: &Tx,
    policy: &Policy,
    school: &School,
    day: &Day,
    duty: &Duty,
) -> Result<Roll> {
    let key = match &policy.duty_kinds[duty.kind].source {
        Source::Groups { enrollment, .. } => enrollment.clone(),
        Source::Clubs => {
            return Ok(Roll {
                no_list: Some(Said::new(
                    "社团的名单来自社团分配, 这里还没有; 请按社团名册点名",
                    "a club's list comes from the club allocation, not here yet; call the club's own register",
                )),
                ..Roll::default()
            })
        }
        Source::Patrol { .. } => {
            return Ok(Roll {
                no_list: Some(Said::new("巡查没有学生名单", "a patrol has no list of pupils")),
                ..Roll::default()
            })
        }
    };
    let apps: Vec<_> = tx
        .applications()?
        .into_iter()
        .filter(|a| a.state.counts_on(day.date))
        .collect();
    let listed: BTreeSet<&str> = apps.iter().map(|a| a.choice.class.as_str()).collect();
    let mut ids: Vec<(usize, i64)> = Vec::new();
    let mut unlisted = Vec::new();
    for &ci in &duty.classes {
        let class = &school.classes[ci].id;
        if !listed.contains(class.as_str()) {
            unlisted.push(ci);
            continue;
        }
        for a in apps.iter().filter(|a| &a.choice.class == class) {
            if a.choice.weekdays.contains(&duty.follows) && a.choice.sessions.contains(&key) {
                ids.push((ci, a.pupil_id));
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    let ids = share(day, duty, ids);
    let mut pupils = Vec::with_capacity(ids.len());
    for (_, id) in ids {
        if let Some(p) = tx.pupil(id)?.filter(|p| !p.erased) {
            pupils.push(p);
        }
    }
    Ok(Roll {
        pupils,
        unlisted,
        no_list: None,
    })
}

/// A split group's share of its unit's list (the whole list otherwise).
fn share(day: &Day, duty: &Duty, ids: Vec<(usize, i64)>) -> Vec<(usize, i64)> {
    if duty.split == 0 {
        return ids;
    }
    let parts = day
        .duties
        .iter()
        .filter(|d| d.kind == duty.kind && d.classes == duty.classes && d.split > 0)
        .count()
        .max(1);
    let i = (duty.split as usize).saturating_sub(1);
    let n = ids.len();
    let size = |k: usize| n / parts + usize::from(k < n % parts);
    let start: usize = (0..i).map(size).sum();
    ids.into_iter().skip(start).take(size(i)).collect()
}
