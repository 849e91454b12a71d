//! The compact model's part in every tier: a certificate from its LP
//! relaxation when the known roster already meets the bound, else the MIP.

use std::time::Instant;

use crate::error::{Error, Result};

use super::{Run, Step};
use crate::plan::bounds::Tier;
use crate::plan::compact::{self, Mip, MipLimits};
use crate::plan::pool::Roster;
use crate::plan::tol::{open_slack, BOUND_SLACK};
use crate::plan::types::TierReport;

/// Certificate by LP bound: when the known roster already meets the
/// relaxation's bound it is optimal, and no branching is needed.
pub(super) fn lp_certificate(run: &mut Run, step: &Step) -> Result<Option<(Roster, TierReport)>> {
    let (m, tier) = (run.m, step.tier);
    let value = run.bounds.value(m, tier, step.start);
    let tb = Instant::now();
    let lp = compact::build(m, tier, &run.bounds, true)?;
    run.stats.build_s += tb.elapsed().as_secs_f64();
    let Some(lb) = compact::solve_lp(lp.problem, step.budget)? else {
        return Ok(None);
    };
    let lb = lb + lp.offset;
    // Whole seats and changes: the bound rounds up.
    let lb_r = if matches!(tier, Tier::Uncovered | Tier::Changes) {
        (lb - open_slack(lb)).ceil()
    } else {
        lb
    };
    Ok((value <= lb_r + BOUND_SLACK).then(|| (step.start.clone(), step.proven(value, lb))))
}

/// The tier's MIP, warm-started from the known roster. An error when it
/// finds nothing and no earlier tier left a roster.
pub(super) fn compact_mip(run: &mut Run, step: &Step) -> Result<Option<(Roster, TierReport)>> {
    let opts = run.opts;
    let gap = if step.tier == Tier::Preferences {
        opts.mip_rel_gap.max(opts.preferences_gap)
    } else {
        opts.mip_rel_gap
    };
    let limits = MipLimits {
        deadline: step.deadline,
        share: step.share,
        gap,
        max_nodes: opts.max_nodes,
    };
    let tier = (step.tier, step.id, step.name);
    match compact::solve_mip(run.m, tier, &run.bounds, step.start, &limits, run.stats)? {
        Mip::Solved(chosen, rep) => Ok(Some((chosen, rep))),
        Mip::Nothing(status) if step.first => Err(Error::Solver(format!(
            "tier {} ({}): HiGHS status {status:?}",
            step.id, step.name
        ))),
        Mip::Nothing(_) => Ok(None),
    }
}
