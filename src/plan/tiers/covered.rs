//! Tier 2b, the most load the fair staff carry, by patterns. Its value
//! is kept exactly, so every later roster carries as much and
//! the average tiers 3-5 measure from is that of the roster chosen, the
//! same whichever tier-2 roster came first. Reported as the hours the
//! fair staff do not carry (left open or taken by people outside
//! fairness), a value to minimise.

use crate::error::Result;

use super::{Run, Step};
use crate::model::school::LOAD_PER_HOUR;
use crate::plan::bounds::Tier;
use crate::plan::instance::Instance;
use crate::plan::patterns::{Cost, Costed};
use crate::plan::pool::Roster;
use crate::plan::tol::IMPROVES;
use crate::plan::types::TierReport;

/// Proven at once when the fair staff already carry every seat they may
/// take; else by column generation with each week costing minus its
/// hours. None when patterns do not apply (pins, compact only).
pub(super) fn by_patterns(run: &mut Run, step: &Step) -> Result<Option<(Roster, TierReport)>> {
    let (m, bounds) = (run.m, &run.bounds);
    let st = step.start;
    let value = bounds.value(m, Tier::Covered, st);
    let least = (m.demand_load() - m.fair_load_cap()) as f64 / LOAD_PER_HOUR as f64;
    if value <= least + IMPROVES {
        return Ok(Some((st.clone(), step.proven(value, least))));
    }
    if run.opts.compact_only || !m.pins.is_empty() || run.opts.baseline.is_some() {
        return Ok(None);
    }
    let Some(dw) = run.dw.as_mut() else {
        return Ok(None);
    };
    dw.begin(step.until(), st);
    let top = bounds.max_load.unwrap_or(f64::INFINITY);
    let band = |_: usize| (f64::NEG_INFINITY, top);
    let mode = Costed {
        center: bounds.floor_base.unwrap_or(0.0),
        uncovered: bounds.uncovered.unwrap_or(0.0),
        cost: Cost::Covered,
    };
    let (found, lb) = dw.costed(&band, mode, run.opts.max_nodes)?;
    let mut best = (st.clone(), value);
    for r in found {
        let v = bounds.value(m, Tier::Covered, &r);
        if v < best.1 - IMPROVES && bounds.keeps(m, &r) {
            best = (r, v);
        }
    }
    let (r, v) = best;
    Ok(Some((r, step.against(v, bound(m, lb).max(least)))))
}

/// The value's bound from the LP's bound `lb` on minus the hours carried:
/// the carried load is a sum of pool loads, so at most the LP's bound
/// rounded down to a multiple of their greatest common divisor.
fn bound(m: &Instance, lb: f64) -> f64 {
    let g = m.pools.iter().fold(0i64, |g, p| gcd(g, p.load)).max(1);
    let most = -lb * LOAD_PER_HOUR as f64;
    if !most.is_finite() {
        return f64::NAN;
    }
    let most = ((most + round_units(g)) / g as f64).floor() as i64 * g;
    (m.demand_load() - most) as f64 / LOAD_PER_HOUR as f64
}

/// How far (in load units) the LP's bound may be off in floating point
/// before rounding down to a multiple of `g`: one unit (1/6000 h, far
/// above the LP's tolerances in hours), or a hundredth of `g` when that
/// is smaller, so that a step of `g` is never given away.
fn round_units(g: i64) -> f64 {
    (g as f64 / 100.0).min(1.0)
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}
