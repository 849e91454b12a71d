//! Tier 3, the distance outside the band around the average, by
//! patterns: at zero when everyone fits in their band, else costed.

use crate::error::Result;

use super::{Run, Step};
use crate::plan::bounds::Tier;
use crate::plan::patterns::{Cost, Costed};
use crate::plan::pool::Roster;
use crate::plan::tol::{IMPROVES, ZERO};
use crate::plan::types::TierReport;

pub(super) fn by_patterns(run: &mut Run, step: &Step) -> Result<Option<(Roster, TierReport)>> {
    let Some(center) = run.bounds.floor_base else {
        return Ok(None);
    };
    if run.dw.is_none() {
        return Ok(None);
    }
    if let Some(r) = at_zero(run, step)? {
        return Ok(Some(r));
    }
    above_zero(run, step, center)
}

/// Tier 3 at zero by patterns: everyone inside their band.
fn at_zero(run: &mut Run, step: &Step) -> Result<Option<(Roster, TierReport)>> {
    let (m, bounds) = (run.m, &run.bounds);
    let st = step.start;
    let Some(dw) = run.dw.as_mut() else {
        return Ok(None);
    };
    if bounds.value(m, Tier::Spread, st) <= ZERO {
        return Ok(None);
    }
    dw.begin(step.until(), st);
    let band = |s: usize| bounds.band(m, s);
    let u = bounds.uncovered.unwrap_or(0.0);
    let Some(r) = dw.within_bands(&band, u, run.opts.max_nodes)? else {
        return Ok(None);
    };
    if bounds.keeps(m, &r) && bounds.value(m, Tier::Spread, &r) <= ZERO {
        return Ok(Some((r, step.proven(0.0, 0.0))));
    }
    Ok(None)
}

/// Tier 3 above zero (a short week: not everyone fits in the band) by
/// patterns: each week costs its owner's distance outside the band; the
/// cap stays.
fn above_zero(run: &mut Run, step: &Step, center: f64) -> Result<Option<(Roster, TierReport)>> {
    let (m, bounds) = (run.m, &run.bounds);
    let st = step.start;
    let Some(dw) = run.dw.as_mut() else {
        return Ok(None);
    };
    let value = bounds.value(m, Tier::Spread, st);
    if value <= ZERO || !m.pins.is_empty() || run.opts.baseline.is_some() {
        return Ok(None);
    }
    dw.begin(step.until(), st);
    // Only tier 2's cap (cohorts outside fairness have no band).
    let top = bounds.max_load.unwrap_or(f64::INFINITY);
    let band = |_: usize| (f64::NEG_INFINITY, top);
    let mode = Costed {
        center,
        uncovered: bounds.uncovered.unwrap_or(0.0),
        cost: Cost::Spread,
    };
    let (found, lb) = dw.costed(&band, mode, run.opts.max_nodes)?;
    let mut best = (st.clone(), value);
    for r in found {
        let v = bounds.value(m, Tier::Spread, &r);
        if v < best.1 - IMPROVES && bounds.keeps(m, &r) {
            best = (r, v);
        }
    }
    // Unproven, the gap is reported rather than handed to the
    // compact model: measured on the demo's make-up week with
    // term-to-date loads, it ran 17 s after this and found
    // neither a better roster nor a better bound.
    let (r, v) = best;
    let rep = step.against(v, lb);
    Ok((v < value - IMPROVES || rep.optimal).then_some((r, rep)))
}
