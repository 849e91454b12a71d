//! Pools (interchangeable duties of one slot) and interval cliques.

use std::collections::{BTreeMap, BTreeSet};

use crate::demand::WeekDemand;
use crate::model::policy::{Part, Policy, Priority};
use crate::model::school::School;

use super::eligibility::{available, ineligible};

/// A roster by pool: the staff chosen for each pool, in pool order.
pub(crate) type Roster = Vec<Vec<usize>>;

/// Interchangeable duties of one slot.
#[derive(Debug, Clone)]
pub struct Pool {
    pub duties: Vec<usize>,
    /// Per duty (parallel to `duties`): its first seat in this pool and
    /// how many of its seats the pool holds. A club whose named instructor
    /// is available has its first seat in the instructor's own pool and
    /// the others in a pool for everyone else qualified.
    pub seats: Vec<(u32, u32)>,
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
    pub priority: Priority,
}

/// Which seats of a club with an available named instructor: theirs
/// (the first) or the rest (anyone else qualified).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Seats {
    All,
    Instructor(usize),
    Others(usize),
}

/// A duty's seats in one pool: (first seat, count).
type SeatRange = (u32, u32);

/// Date, start, end, kind, qualification, seats, session.
type PoolKey = (
    chrono::NaiveDate,
    u16,
    u16,
    usize,
    Option<String>,
    Seats,
    String,
);

pub fn pools(policy: &Policy, school: &School, demand: &WeekDemand) -> Vec<Pool> {
    let mut by_key: BTreeMap<PoolKey, Vec<(usize, SeatRange)>> = BTreeMap::new();
    for (i, d) in demand.duties.iter().enumerate() {
        let key = |seats| {
            let q = d.qualification.clone();
            (
                d.date,
                d.start.0,
                d.end.0,
                d.kind,
                q,
                seats,
                d.session.clone(),
            )
        };
        // Rule::Instructor: an available named instructor holds the
        // first seat; the others are open to anyone else qualified.
        match d.instructor.filter(|&s| available(policy, school, s, d)) {
            Some(s) => {
                by_key
                    .entry(key(Seats::Instructor(s)))
                    .or_default()
                    .push((i, (0, 1)));
                if d.staff_needed > 1 {
                    let rest = (1, d.staff_needed - 1);
                    by_key
                        .entry(key(Seats::Others(s)))
                        .or_default()
                        .push((i, rest));
                }
            }
            None => {
                let all = (0, d.staff_needed);
                by_key.entry(key(Seats::All)).or_default().push((i, all));
            }
        }
    }
    let day_index: BTreeMap<chrono::NaiveDate, usize> = demand
        .days
        .iter()
        .enumerate()
        .map(|(i, d)| (d.date, i))
        .collect();
    by_key
        .into_iter()
        .map(|(key, list)| {
            let d0 = &demand.duties[list[0].0];
            let eligible = (0..school.staff.len())
                .filter(|&s| match key.5 {
                    Seats::Instructor(i) => s == i,
                    Seats::Others(i) => s != i,
                    Seats::All => true,
                })
                .filter(|&s| ineligible(policy, school, s, d0).is_none())
                .collect();
            let kind = &policy.duty_kinds[d0.kind];
            Pool {
                need: list.iter().map(|(_, (_, n))| n).sum(),
                duties: list.iter().map(|(d, _)| *d).collect(),
                seats: list.iter().map(|(_, s)| *s).collect(),
                eligible,
                day: day_index.get(&d0.date).copied().unwrap_or(0),
                start: d0.start.0,
                end: d0.end.0,
                load: d0.load(),
                minutes: d0.minutes(),
                part: policy.part_of(&d0.session).unwrap_or(Part::Afternoon),
                session: d0.session.clone(),
                kind: d0.kind,
                priority: kind.priority,
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
