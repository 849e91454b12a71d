//! Tiers 4 (balance) and 5 (preferences) by patterns: each week costs
//! its owner's squared distance from the average (balance) or its
//! preference penalty with the balance sum kept (preferences); the band
//! and caps stay. Pins and a repair's change limits are not modelled by
//! patterns: the compact model takes them.

use crate::error::Result;

use super::{Run, Step};
use crate::plan::bounds::Tier;
use crate::plan::patterns::{Cost, Costed, Dw};
use crate::plan::pool::Roster;
use crate::plan::tol::{DISTANCE_ZERO, IMPROVES};
use crate::plan::types::{Stop, TierReport};

/// The best roster found and its value, against the patterns' bound.
/// None for preferences when patterns found nothing (pins, or the column
/// generation ran out): the compact model then takes the tier.
pub(super) fn by_patterns(run: &mut Run, step: &Step) -> Result<Option<(Roster, TierReport)>> {
    let (m, tier) = (run.m, step.tier);
    let Some(center) = run.bounds.floor_base else {
        return Ok(None);
    };
    let value = run.bounds.value(m, tier, step.start);
    let mut best = (step.start.clone(), value, f64::NAN);
    let mut found_any = false;
    let usable = !run.opts.compact_only && m.pins.is_empty() && run.opts.baseline.is_none();
    if usable {
        let (found, lb) = costed(run, step, center)?;
        best.2 = lb;
        for r in found {
            found_any = true;
            let v = run.bounds.value(m, tier, &r);
            if v < best.1 - IMPROVES && run.bounds.keeps(m, &r) {
                best = (r, v, lb);
            }
        }
    }
    let (r, v, lb) = best;
    let mut rep = step.against(v, lb);
    if !usable && !rep.optimal {
        rep.stopped = Some(Stop::NotModelled);
    }
    Ok((tier == Tier::Balance || found_any).then_some((r, rep)))
}

/// The costed pattern run for the tier: the rosters found and the bound.
fn costed(run: &mut Run, step: &Step, center: f64) -> Result<(Vec<Roster>, f64)> {
    let (m, bounds, tier) = (run.m, &run.bounds, step.tier);
    let until = step.until();
    // Cohorts split by tier-3 distance (when anyone has one) and, for
    // preferences, by own class and requests.
    let split = bounds.windows.as_deref().filter(|w| {
        w.iter()
            .any(|&(a, e)| a > DISTANCE_ZERO || e > DISTANCE_ZERO)
    });
    let mut own;
    let dw = match (tier, split, run.dw.as_mut()) {
        (Tier::Balance, None, Some(d)) => d,
        _ => {
            own = Dw::new(m, tier == Tier::Preferences, split);
            own.floor = bounds.carried_floor(m);
            &mut own
        }
    };
    dw.begin(until, step.start);
    let cost = if tier == Tier::Preferences {
        Cost::Preferences {
            keep_balance: bounds.balance.unwrap_or(f64::INFINITY),
        }
    } else {
        Cost::Balance
    };
    let mode = Costed {
        center,
        uncovered: bounds.uncovered.unwrap_or(0.0),
        cost,
    };
    let band = |s: usize| bounds.band(m, s);
    let out = dw.costed(&band, mode, run.opts.max_nodes)?;
    let (classes, hit) = (dw.sizes().0, dw.hit.get());
    if tier == Tier::Preferences {
        run.stats.pref_classes = classes;
    }
    run.hit = hit;
    Ok(out)
}
