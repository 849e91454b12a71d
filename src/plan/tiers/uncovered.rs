//! Tier 1, the fewest open seats, by patterns: the pattern LP's bound,
//! then a roster that meets it.

use crate::error::Result;

use super::{shared, Run, Step};
use crate::plan::pool::Roster;
use crate::plan::tol::{open_slack, HALF};
use crate::plan::types::TierReport;

/// None when no seat stays open in the known roster (the compact LP
/// proves it) or no roster meeting the bound was found.
pub(super) fn by_patterns(run: &mut Run, step: &Step) -> Result<Option<(Roster, TierReport)>> {
    let m = run.m;
    let st = step.start;
    let g = m.uncovered(st);
    if g <= HALF {
        return Ok(None);
    }
    let dw = shared(&mut run.dw, m);
    dw.begin(step.until(), st);
    let bound = dw.min_uncovered()?;
    let bounds = &run.bounds;
    let meets = |r: &Roster| bounds.respects(m, r) && m.uncovered(r) <= bound + open_slack(bound);
    let found = if g <= bound + open_slack(bound) {
        Some(st.clone())
    } else {
        // Diving first, as in tier 2: on the make-up week (seats
        // left open) price-and-branch took 0.9 s (demo) to
        // 4.1 s (synthetic), diving 0.3-0.5 s.
        match dw.dive(f64::INFINITY, bound)?.filter(meets) {
            Some(r) => Some(r),
            None => dw
                .integer(f64::INFINITY, bound, run.opts.max_nodes)?
                .filter(meets),
        }
    };
    Ok(found.map(|r| {
        let rep = step.proven(m.uncovered(&r), bound);
        (r, rep)
    }))
}
