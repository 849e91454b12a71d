//! Tier 2, the highest relative load, by probing levels. The highest
//! relative load is one of the values people can actually reach, so for
//! a probed level each cohort is capped at its highest reachable load not
//! above it. A binary search with the pattern LP finds the lowest level
//! it cannot rule out; diving or price-and-branch then give a roster
//! there (optimal). The compact model with the caps, as a feasibility MIP
//! per level, is the fallback.

use std::time::Instant;

use ::highs::HighsModelStatus;

use crate::error::Result;

use super::{shared, Run, Step};
use crate::plan::compact;
use crate::plan::patterns::{Dw, Probe};
use crate::plan::pool::Roster;
use crate::plan::tol::{BOUND_SLACK, IMPROVES};
use crate::plan::types::TierReport;

/// How many levels above the lowest open one the known weeks are tried
/// at for a better incumbent.
const LEVELS_UP: usize = 12;

pub(super) fn by_patterns(run: &mut Run, step: &Step) -> Result<(Roster, TierReport)> {
    let m = run.m;
    let start = step.start;
    let ub = m.max_rel(start);
    let dw = shared(&mut run.dw, m);
    let t_end = step.until();
    let levels = dw.levels(ub);
    let u_max = run.bounds.uncovered.unwrap_or(0.0);
    dw.begin(t_end, start);
    let top = levels.len() - 1;
    let k = lowest_open(dw, &levels, u_max)?;
    let mut best = start.to_vec();
    let mut best_v = ub;
    if k < top {
        let found = at_level(run, &levels, k, u_max)?;
        match found {
            Found::Optimal(r, rep) => return Ok((r, rep.named(step))),
            Found::Incumbent(r, v) => (best, best_v) = (r, v),
            Found::None => {}
        }
    }
    let (r, rep) = by_compact(run, (&levels, k), (best, best_v), t_end)?;
    Ok((r, rep.named(step)))
}

/// Lowest level the pattern LP cannot rule out (the top level, the known
/// roster's, is feasible). The level just below the top first: when the
/// known roster is optimal, that one probe proves it.
fn lowest_open(dw: &mut Dw, levels: &[f64], u_max: f64) -> Result<usize> {
    let top = levels.len() - 1;
    let mut lo = 0;
    let mut hi = top;
    let mut ruled_out = |v: f64| -> Result<bool> { Ok(dw.probe(v, u_max)? == Probe::RuledOut) };
    if top > 0 {
        if ruled_out(levels[top - 1])? {
            lo = top;
        } else {
            hi = top - 1;
        }
    }
    while lo < hi {
        let mid = (lo + hi) / 2;
        if ruled_out(levels[mid])? {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    Ok(lo)
}

/// Tier 2's value against its bound (report without id and name yet).
struct Report(TierReport);

impl Report {
    fn new(value: f64, bound: f64) -> Report {
        Report(TierReport {
            tier: "",
            name: "",
            objective: value,
            bound,
            gap: if value > 0.0 {
                ((value - bound) / value).max(0.0)
            } else {
                0.0
            },
            optimal: value <= bound + BOUND_SLACK,
            seconds: 0.0,
            stopped: None,
        })
    }

    fn named(mut self, step: &Step) -> TierReport {
        self.0.tier = step.id;
        self.0.name = step.name;
        self.0
    }
}

enum Found {
    /// A roster at the lowest open level: optimal.
    Optimal(Roster, Report),
    /// A roster a few levels up, and its value.
    Incumbent(Roster, f64),
    None,
}

/// A roster at level `levels[k]` from the patterns, else a better
/// incumbent a few levels up.
fn at_level(run: &mut Run, levels: &[f64], k: usize, u_max: f64) -> Result<Found> {
    let (m, bounds) = (run.m, &run.bounds);
    let max_nodes = run.opts.max_nodes;
    let top = levels.len() - 1;
    let dw = shared(&mut run.dw, m);
    // The probe stopped once the level was open; the full LP's
    // columns first, then a roster from them.
    dw.enrich(levels[k])?;
    let fits = |r: &Roster, v: f64| bounds.respects(m, r) && m.max_rel(r) <= v + BOUND_SLACK;
    // Diving on the master LP, generating columns as it fixes
    // weeks; then price-and-branch over the known weeks. Diving
    // first: measured on the demo's make-up week 2026-09-14,
    // price-and-branch spent 5.4 s and found nothing, diving then
    // took 0.3 s (synthetic 90-class December week: 0.95 s -> 0.71 s).
    if let Some(r) = dw.dive(levels[k], u_max)? {
        if fits(&r, levels[k]) {
            let v = m.max_rel(&r);
            return Ok(Found::Optimal(r, Report::new(v, levels[k].min(v))));
        }
    }
    if let Some(r) = dw.integer(levels[k], u_max, max_nodes)? {
        if fits(&r, levels[k]) {
            let v = m.max_rel(&r);
            return Ok(Found::Optimal(r, Report::new(v, levels[k].min(v))));
        }
    }
    // The known weeks may not combine at that level: the lowest
    // level a few steps up where they do is a better incumbent.
    for &v in &levels[k + 1..top.min(k + LEVELS_UP)] {
        if let Some(r) = dw.integer(v, u_max, max_nodes)? {
            if fits(&r, v) {
                let best_v = m.max_rel(&r);
                return Ok(Found::Incumbent(r, best_v));
            }
        }
    }
    Ok(Found::None)
}

/// From level `k` up to the incumbent's, the compact model with the
/// patterns' caps as a feasibility MIP: the first feasible level is
/// optimal.
fn by_compact(
    run: &mut Run,
    (levels, mut k): (&[f64], usize),
    (best, best_v): (Roster, f64),
    t_end: Instant,
) -> Result<(Roster, Report)> {
    let m = run.m;
    let top = levels.len() - 1;
    while k < top && levels[k] < best_v - IMPROVES {
        let caps = shared(&mut run.dw, m).fair_caps(levels[k]);
        let limits = (t_end, run.opts.max_nodes);
        let (status, roster) = compact::feasible(m, &run.bounds, caps, limits, run.stats)?;
        if let Some(r) = roster {
            let v = m.max_rel(&r);
            return Ok((r, Report::new(v, levels[k].min(v))));
        }
        if status != HighsModelStatus::Infeasible {
            // Budget spent: the best known roster, with the proven bound.
            return Ok((best, Report::new(best_v, levels[k])));
        }
        k += 1;
    }
    Ok((best, Report::new(best_v, best_v)))
}
