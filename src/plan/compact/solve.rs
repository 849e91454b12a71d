//! Solving the compact model: an LP bound, a tier-2 feasibility probe,
//! and a tier's MIP warm-started from the best known roster.

use std::time::Instant;

use ::highs::HighsModelStatus;

use crate::error::{Error, Result};

use super::warm::warm_cols;
use super::{build, roster, Built};
use crate::plan::bounds::{Bounds, Tier};
use crate::plan::highs::{configure, log_requested, solve, Setup, MIN_PROBE_S, MIN_TIER_S};
use crate::plan::instance::Instance;
use crate::plan::pool::Roster;
use crate::plan::tol::{BOUND_SLACK, GAP_DENOM, VALUE_EQ};
use crate::plan::types::{Stats, Stop, TierReport};

/// Solve an LP relaxation; its optimum is a valid bound for the tier.
pub(crate) fn solve_lp(mut hm: ::highs::Model, time_limit: f64) -> Result<Option<f64>> {
    configure(&mut hm, &Setup::within(time_limit));
    let solved = solve(hm)?;
    Ok((solved.status() == HighsModelStatus::Optimal).then(|| solved.objective_value()))
}

/// Build timing and model sizes into the statistics.
fn built(m: &Instance, tier: Tier, b: &Bounds, stats: &mut Stats) -> Result<Built> {
    let tb = Instant::now();
    let built = build(m, tier, b, false)?;
    stats.build_s += tb.elapsed().as_secs_f64();
    stats.binaries = built.binaries;
    stats.rows = stats.rows.max(built.rows);
    Ok(built)
}

/// Tier-2 probe: the compact model with per-person `caps`, as a
/// feasibility MIP until `until`. Its status, and a roster when optimal.
pub(crate) fn feasible(
    m: &Instance,
    b: &Bounds,
    caps: Vec<f64>,
    (until, max_nodes): (Instant, u32),
    stats: &mut Stats,
) -> Result<(HighsModelStatus, Option<Roster>)> {
    let bb = Bounds {
        caps: Some(caps),
        ..b.clone()
    };
    let built = built(m, Tier::Feasible, &bb, stats)?;
    let mut hm = built.problem;
    let left = until
        .saturating_duration_since(Instant::now())
        .as_secs_f64()
        .max(MIN_PROBE_S);
    configure(&mut hm, &Setup::within(left).nodes(max_nodes));
    let solved = solve(hm)?;
    let status = solved.status();
    let cols = solved.get_solution().columns().to_vec();
    let roster = (status == HighsModelStatus::Optimal && cols.len() == built.n_cols)
        .then(|| roster(&built.xcol, m, &cols));
    Ok((status, roster))
}

/// A tier's MIP limits: its share of the time left before `deadline`,
/// the relative gap and the node limit.
pub(crate) struct MipLimits {
    pub(crate) deadline: Instant,
    pub(crate) share: f64,
    pub(crate) gap: f64,
    pub(crate) max_nodes: u32,
}

/// What a tier's MIP gave.
pub(crate) enum Mip {
    Solved(Roster, TierReport),
    /// No solution (status).
    Nothing(HighsModelStatus),
}

/// Solve `tier`'s MIP from the known roster `start`.
pub(crate) fn solve_mip(
    m: &Instance,
    (tier, id, name): (Tier, &'static str, &'static str),
    b: &Bounds,
    start: &Roster,
    limits: &MipLimits,
    stats: &mut Stats,
) -> Result<Mip> {
    let built = built(m, tier, b, stats)?;
    let warm = warm_cols(m, &built, start, b);
    let (mut hm, offset) = (built.problem, built.offset);
    let left = (limits
        .deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64()
        * limits.share)
        .max(MIN_TIER_S);
    let setup = Setup {
        log: log_requested(),
        ..Setup::within(left).nodes(limits.max_nodes)
    };
    configure(&mut hm, &setup);
    let _ = hm.try_set_option("mip_rel_gap", limits.gap);
    if tier == Tier::MaxLoad {
        // Measured: HiGHS proves the max-load tier several times
        // faster without presolve (demo 4.4 s -> 1.0 s, large week
        // unproven in 10 s -> proven in 2.8 s).
        let _ = hm.try_set_option("presolve", "off");
    }
    let _ = hm.try_set_solution(Some(&warm), None, None, None);
    let solved = solve(hm)?;
    let status = solved.status();
    let cols = solved.get_solution().columns().to_vec();
    let has_solution = cols.len() == built.n_cols
        && !matches!(
            status,
            HighsModelStatus::Infeasible | HighsModelStatus::NotSet
        );
    if !has_solution {
        return Ok(Mip::Nothing(status));
    }
    let chosen = roster(&built.xcol, m, &cols);
    let mut objective = solved.objective_value() + offset;
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .unwrap_or(f64::NAN)
        + offset;
    if tier == Tier::Preferences {
        objective = true_penalty(m, &chosen, objective)?;
    }
    // Proven only when the bound meets the value: HiGHS also says
    // Optimal when it stops within the allowed gap.
    let closed = (objective - bound).abs() <= VALUE_EQ * objective.abs().max(1.0);
    let rep = TierReport {
        tier: id,
        name,
        objective,
        bound,
        // HiGHS's own gap is relative to the objective without `offset`.
        gap: if closed {
            0.0
        } else {
            (objective - bound) / objective.abs().max(GAP_DENOM)
        },
        optimal: status == HighsModelStatus::Optimal && closed,
        seconds: 0.0,
        stopped: (!closed).then_some(stop_of(status)),
    };
    Ok(Mip::Solved(chosen, rep))
}

/// What stopped an unproven MIP, from HiGHS's status (the node budget
/// ends it with a solution limit status).
fn stop_of(status: HighsModelStatus) -> Stop {
    match status {
        HighsModelStatus::ReachedTimeLimit => Stop::Time,
        HighsModelStatus::ReachedSolutionLimit | HighsModelStatus::ReachedIterationLimit => {
            Stop::Nodes
        }
        HighsModelStatus::Optimal => Stop::Gap,
        _ => Stop::Search,
    }
}

/// The compact objective counts bonuses only where its indicators are
/// set, so it is never below the roster's true penalty (what tier 5 by
/// patterns prices); report the true one.
fn true_penalty(m: &Instance, chosen: &[Vec<usize>], objective: f64) -> Result<f64> {
    let exact = m.pref_value(chosen);
    if exact > objective + BOUND_SLACK {
        return Err(Error::Solver(format!(
            "internal: preference penalty {exact} above the model's {objective}"
        )));
    }
    Ok(exact)
}
