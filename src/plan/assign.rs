//! Who takes which duty inside a pool (Kuhn–Munkres), and the
//! (staff, pool) pairs the preferences concern: own class, avoided.

use std::collections::{BTreeMap, BTreeSet};

use crate::demand::WeekDemand;
use crate::model::policy::{Part, Policy};
use crate::model::school::{LeaveKind, School};

use super::pool::Pool;
use super::types::{Assignment, Pin};

/// The class whose homeroom teacher this duty is "own" for: a one-class
/// group (only the first part, if the class was split).
fn own_duty(demand: &WeekDemand, d: usize) -> Option<usize> {
    let duty = &demand.duties[d];
    (duty.classes.len() == 1 && duty.split <= 1).then(|| duty.classes[0])
}

pub(crate) fn own_class_pairs(
    school: &School,
    demand: &WeekDemand,
    pools: &[Pool],
) -> BTreeSet<(usize, usize)> {
    let mut out = BTreeSet::new();
    for (p, pool) in pools.iter().enumerate() {
        for &d in &pool.duties {
            if let Some(c) = own_duty(demand, d) {
                for &s in &pool.eligible {
                    if school.staff[s].homeroom == Some(c) {
                        out.insert((s, p));
                    }
                }
            }
        }
    }
    out
}

pub(crate) fn avoid_pairs(
    school: &School,
    demand: &WeekDemand,
    pools: &[Pool],
) -> BTreeSet<(usize, usize)> {
    let mut out = BTreeSet::new();
    for l in school.leave.iter().filter(|l| l.kind == LeaveKind::Request) {
        for (p, pool) in pools.iter().enumerate() {
            let d = &demand.duties[pool.duties[0]];
            if l.from <= d.date
                && d.date <= l.to
                && (l.sessions.is_empty() || l.sessions.contains(&d.session))
            {
                out.insert((l.staff, p));
            }
        }
    }
    out
}

/// Inside each pool, give each chosen person a seat (duty, index) by a
/// maximum-weight assignment: fill every duty's first seat first, then
/// homeroom teachers on their own class, then continuity with the same
/// person's previous stage.
pub(crate) fn match_pools(
    policy: &Policy,
    school: &School,
    demand: &WeekDemand,
    pools: &[Pool],
    chosen: &[Vec<usize>],
    baseline: &[Assignment],
    pins: &[Pin],
) -> (Vec<Assignment>, Vec<(usize, u32)>) {
    let pinned: BTreeSet<(usize, usize)> = pins.iter().map(|p| (p.duty, p.staff)).collect();
    let kept: BTreeSet<(usize, usize)> = baseline.iter().map(|a| (a.duty, a.staff)).collect();
    let mut order: Vec<usize> = (0..pools.len()).collect();
    order.sort_by_key(|&p| (pools[p].day, pools[p].start, pools[p].end, p));
    let mut assignments = Vec::new();
    let mut filled: BTreeMap<usize, u32> = BTreeMap::new();
    // Previous-stage classes per (staff, day).
    let mut prev_classes: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for p in order {
        let pool = &pools[p];
        let staff = &chosen[p];
        if staff.is_empty() {
            continue;
        }
        let seats: Vec<(usize, u32)> = pool
            .duties
            .iter()
            .zip(&pool.seats)
            .flat_map(|(&d, &(first, n))| (first..first + n).map(move |k| (d, k)))
            .collect();
        let weight = |s: usize, (d, k): (usize, u32)| -> i64 {
            let duty = &demand.duties[d];
            let mut w = if k == 0 { 1_000_000 } else { 0 };
            if pinned.contains(&(d, s)) {
                // Rule::Pin: a pinned person gets exactly the pinned duty.
                w += 100_000_000;
            }
            if kept.contains(&(d, s)) {
                // Repair: the same person keeps the same group.
                w += 500_000;
            }
            if k == 0 && own_duty(demand, d).is_some_and(|c| school.staff[s].homeroom == Some(c)) {
                w += 1000 * i64::from(policy.prefs.own_class);
            }
            if let Some(pc) = prev_classes.get(&(s, pool.day)) {
                if duty.classes.iter().any(|c| pc.contains(c)) {
                    w += 100 * i64::from(policy.prefs.continuity);
                }
            }
            w
        };
        let m = pathfinding::matrix::Matrix::from_rows(
            staff
                .iter()
                .map(|&s| {
                    seats
                        .iter()
                        .map(|&seat| weight(s, seat))
                        .collect::<Vec<i64>>()
                })
                .collect::<Vec<_>>(),
        );
        let cols_of = match m {
            Ok(m) if m.rows <= m.columns => pathfinding::kuhn_munkres::kuhn_munkres(&m).1,
            _ => (0..staff.len()).collect(),
        };
        for (i, &s) in staff.iter().enumerate() {
            let Some(&(d, _)) = cols_of.get(i).and_then(|&c| seats.get(c)) else {
                continue;
            };
            assignments.push(Assignment { duty: d, staff: s });
            *filled.entry(d).or_insert(0) += 1;
            if pool.part == Part::Afternoon {
                prev_classes.insert((s, pool.day), demand.duties[d].classes.clone());
            }
        }
    }
    assignments.sort();
    let uncovered = demand
        .duties
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let f = filled.get(&i).copied().unwrap_or(0);
            (f < d.staff_needed).then_some((i, d.staff_needed - f))
        })
        .collect();
    (assignments, uncovered)
}
