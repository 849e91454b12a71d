//! Pools (interchangeable duties of one slot) and interval cliques.

use std::collections::{BTreeMap, BTreeSet};

use crate::demand::WeekDemand;
use crate::model::policy::{Part, Policy};
use crate::model::school::School;

use super::eligibility::{available, ineligible};

/// A roster by pool: the staff chosen for each pool, in pool order.
pub(crate) type Roster = Vec<Vec<usize>>;

/// Interchangeable duties of one slot.
#[derive(Debug, Clone)]
pub struct Pool {
    pub duties: Vec<usize>,
    pub need: u32,
    pub eligible: Vec<usize>,
    pub day: usize,
    pub start: u16,
    pub end: u16,
    pub load: i64,
    pub minutes: u32,
    pub part: Part,
    pub session: String,
    pub kind: usize,
}

/// Date, start, end, kind, qualification, fixed instructor, session.
type PoolKey = (
    chrono::NaiveDate,
    u16,
    u16,
    usize,
    Option<String>,
    Option<usize>,
    String,
);

pub fn pools(policy: &Policy, school: &School, demand: &WeekDemand) -> Vec<Pool> {
    let mut by_key: BTreeMap<PoolKey, Vec<usize>> = BTreeMap::new();
    for (i, d) in demand.duties.iter().enumerate() {
        // A named, available instructor makes the duty theirs alone.
        let fixed = d.instructor.filter(|&s| available(policy, school, s, d));
        by_key
            .entry((
                d.date,
                d.start.0,
                d.end.0,
                d.kind,
                d.qualification.clone(),
                fixed,
                d.session.clone(),
            ))
            .or_default()
            .push(i);
    }
    let day_index: BTreeMap<chrono::NaiveDate, usize> = demand
        .days
        .iter()
        .enumerate()
        .map(|(i, d)| (d.date, i))
        .collect();
    by_key
        .into_values()
        .map(|duties| {
            let d0 = &demand.duties[duties[0]];
            let eligible = (0..school.staff.len())
                .filter(|&s| ineligible(policy, school, s, d0).is_none())
                .collect();
            Pool {
                need: duties.iter().map(|&i| demand.duties[i].staff_needed).sum(),
                duties,
                eligible,
                day: day_index.get(&d0.date).copied().unwrap_or(0),
                start: d0.start.0,
                end: d0.end.0,
                load: d0.load(),
                minutes: d0.minutes(),
                part: policy.part_of(&d0.session).unwrap_or(Part::Afternoon),
                session: d0.session.clone(),
                kind: d0.kind,
            }
        })
        .collect()
}

/// Maximal sets of pairwise-overlapping pools per day (interval cliques).
pub(crate) fn cliques(pools: &[Pool]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let days: BTreeSet<usize> = pools.iter().map(|p| p.day).collect();
    for day in days {
        let idx: Vec<usize> = (0..pools.len()).filter(|&i| pools[i].day == day).collect();
        let mut starts: Vec<u16> = idx.iter().map(|&i| pools[i].start).collect();
        starts.sort_unstable();
        starts.dedup();
        let mut prev: Option<Vec<usize>> = None;
        for t in starts {
            let c: Vec<usize> = idx
                .iter()
                .copied()
                .filter(|&i| pools[i].start <= t && t < pools[i].end)
                .collect();
            if c.len() >= 2
                && prev
                    .as_ref()
                    .is_none_or(|p| !c.iter().all(|x| p.contains(x)))
            {
                out.push(c.clone());
            }
            prev = Some(c);
        }
    }
    out
}
