//! Cohorts: staff interchangeable for the patterns, with each day's
//! choices and the weekly loads they can reach.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::policy::StaffRules;

use super::NO_COHORT;
use crate::plan::instance::Instance;
use crate::plan::tol::DISTANCE_UNIT;

/// One option of a person's day: (start, end, load, minutes).
type DayOption = (u16, u16, i64, u32);

/// One non-overlapping choice of pools on one day.
pub(super) struct DaySub {
    pub(super) pools: Vec<usize>,
    pub(super) n: u32,
    pub(super) load: i64,
    pub(super) minutes: u32,
    /// Preference penalty of the choice for the cohort (preference mode).
    pub(super) pref: f64,
}

/// Staff interchangeable for every rule, fairness and (when split so)
/// preferences and tier-3 distance.
pub(super) struct Cohort {
    /// Representative staff member (all members are interchangeable).
    pub(super) rep: usize,
    pub(super) members: Vec<usize>,
    pub(super) size: u32,
    /// Loads the cohort can reach; None for staff outside fairness (no cap).
    pub(super) reach: Option<Vec<i64>>,
    pub(super) days: Vec<Vec<DaySub>>,
}

/// Cohort key: eligible pools, and for fair staff their quota and
/// term-to-date load (the two inputs of relative load); with preferences,
/// the pools that are their own class or avoided; with windows, their
/// tier-3 distance (in millionths).
type Key = (Vec<usize>, Option<(i64, i64)>, Vec<usize>, (i64, i64));

/// The cohorts, and the cohort of each staff member (`NO_COHORT`: none).
pub(super) fn cohorts(
    m: &Instance,
    prefs: bool,
    windows: Option<&[(f64, f64)]>,
) -> (Vec<Cohort>, Vec<usize>) {
    let staff_n = m.school.staff.len();
    let mut cohort_of = vec![NO_COHORT; staff_n];
    let cohorts = keys(m, prefs, windows)
        .into_iter()
        .enumerate()
        .map(|(k, ((pools, f, _, _), members))| {
            for &s in &members {
                cohort_of[s] = k;
            }
            cohort(m, prefs, &pools, f.is_some(), members)
        })
        .collect();
    (cohorts, cohort_of)
}

/// Staff with any eligible pool, grouped by cohort key.
fn keys(m: &Instance, prefs: bool, windows: Option<&[(f64, f64)]>) -> BTreeMap<Key, Vec<usize>> {
    let mut eligible: Vec<Vec<usize>> = vec![Vec::new(); m.school.staff.len()];
    for (p, pool) in m.pools.iter().enumerate() {
        for &s in &pool.eligible {
            eligible[s].push(p);
        }
    }
    let mut by_key: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    let fair: BTreeSet<usize> = m.fair.iter().copied().collect();
    for (s, el) in eligible.iter().enumerate() {
        if el.is_empty() {
            continue;
        }
        let f = fair.contains(&s).then(|| {
            (
                m.school.staff[s].quota.0,
                m.school.served.get(&s).copied().unwrap_or(0),
            )
        });
        // 2p: pool p holds their own class; 2p + 1: they asked to
        // avoid it (both can hold).
        let own: Vec<usize> = if prefs {
            el.iter()
                .flat_map(|&p| {
                    let own = m.own.contains(&(s, p)).then_some(2 * p);
                    own.into_iter()
                        .chain(m.avoid.contains(&(s, p)).then_some(2 * p + 1))
                })
                .collect()
        } else {
            Vec::new()
        };
        let w = windows
            .zip(m.fair.binary_search(&s).ok())
            .and_then(|(w, i)| w.get(i))
            .map_or((0, 0), |&(a, e)| {
                (
                    (a * DISTANCE_UNIT).round() as i64,
                    (e * DISTANCE_UNIT).round() as i64,
                )
            });
        by_key.entry((el.clone(), f, own, w)).or_default().push(s);
    }
    by_key
}

/// One cohort: its day choices over `pools` and, for fair staff, its
/// reachable loads.
fn cohort(m: &Instance, prefs: bool, pools: &[usize], fair: bool, members: Vec<usize>) -> Cohort {
    let r = &m.policy.rules;
    let rep = members[0];
    let mut days: Vec<Vec<DaySub>> = (0..m.demand.days.len()).map(|_| Vec::new()).collect();
    for (d, out) in days.iter_mut().enumerate() {
        let mut opts: Vec<(DayOption, usize)> = pools
            .iter()
            .filter(|&&p| m.pools[p].day == d)
            .map(|&p| {
                let pl = &m.pools[p];
                ((pl.start, pl.end, pl.load, pl.minutes), p)
            })
            .collect();
        opts.sort_unstable();
        let mut acc = Vec::new();
        let limits = (r.max_duties_per_day, r.max_minutes_per_day);
        subs(&opts, (0, 0), &mut acc, limits, out);
        if prefs {
            for sub in out.iter_mut() {
                sub.pref = m.week_pref(rep, &sub.pools);
            }
        }
    }
    Cohort {
        rep,
        size: members.len() as u32,
        members,
        reach: fair.then(|| reachable(&days, r)),
        days,
    }
}

/// Non-overlapping subsets (sorted by start) within the daily limits
/// (`max_n` duties, `max_min` minutes), from option `from` on with the
/// person free at `free_at`.
fn subs(
    opts: &[(DayOption, usize)],
    (from, free_at): (usize, u16),
    acc: &mut Vec<usize>,
    (max_n, max_min): (u32, u32),
    out: &mut Vec<DaySub>,
) {
    if !acc.is_empty() {
        let (load, minutes) = acc.iter().fold((0i64, 0u32), |(l, m), &i| {
            (l + opts[i].0 .2, m + opts[i].0 .3)
        });
        out.push(DaySub {
            pools: acc.iter().map(|&i| opts[i].1).collect(),
            n: acc.len() as u32,
            load,
            minutes,
            pref: 0.0,
        });
    }
    if acc.len() as u32 >= max_n {
        return;
    }
    let used: u32 = acc.iter().map(|&i| opts[i].0 .3).sum();
    for j in from..opts.len() {
        let (st, en, _, mi) = opts[j].0;
        if st >= free_at && used + mi <= max_min {
            acc.push(j);
            subs(opts, (j + 1, en), acc, (max_n, max_min), out);
            acc.pop();
        }
    }
}

/// Every weekly load a cohort could carry, sorted: one choice per day
/// within the weekly limits. A superset of what the full model allows
/// (pins are ignored), so levels and caps derived from it stay valid.
fn reachable(days: &[Vec<DaySub>], r: &StaffRules) -> Vec<i64> {
    let mut week: BTreeSet<(u32, i64, u32)> = [(0, 0, 0)].into();
    for subs in days {
        let mut next = week.clone();
        for &(n, l, m) in &week {
            for d in subs {
                if n + d.n <= r.max_duties_per_week && m + d.minutes <= r.max_minutes_per_week {
                    next.insert((n + d.n, l + d.load, m + d.minutes));
                }
            }
        }
        week = next;
    }
    let mut loads: Vec<i64> = week.into_iter().map(|(_, l, _)| l).collect();
    loads.sort_unstable();
    loads.dedup();
    loads
}
