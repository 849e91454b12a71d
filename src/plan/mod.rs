//! The roster model (good_lp on HiGHS), solved lexicographically.
//!
//! Structure exploited (see README "Model"):
//! - **Pooling.** Duties of one slot with the same kind, times and
//!   qualification are interchangeable for every rule and for fairness, so
//!   the model has one binary `x[s,p]` per staff member and *pool*, not per
//!   duty. Who takes which duty inside a pool is an exact assignment problem
//!   solved afterwards (Kuhn–Munkres), which also serves the preferences.
//! - **Interval cliques.** Overlap is one constraint per staff member and
//!   maximal clique of overlapping pools (found at interval start points).
//! - **Lexicographic tiers**, each re-solved with the previous optimum fixed
//!   and warm-started from it: uncovered → highest relative load → spread →
//!   preferences.
//!
//! Layout: `types` (the public types), `pool` (pools and cliques),
//! `instance` (what both solvers read, and measures of a roster),
//! `bounds` (tiers and the earlier tiers' optima), `warm` (greedy start),
//! `compact` (the MIP), `patterns` (column generation), `tiers` (one file
//! per tier), `assign` (who takes which duty inside a pool), `highs`
//! (HiGHS set-up), `tol` (named tolerances), `fair` (who counts).

use std::time::Instant;

use crate::demand::WeekDemand;
use crate::error::Result;
use crate::model::policy::Policy;
use crate::model::school::School;

mod assign;
mod bounds;
mod compact;
pub mod diagnose;
pub mod eligibility;
pub mod explain;
mod fair;
mod highs;
mod instance;
mod patterns;
mod pool;
mod tiers;
mod tol;
mod types;
mod warm;

pub use eligibility::ineligible;
pub use fair::is_fair;
pub use pool::{pools, Pool};
pub use types::{by_priority, Assignment, Options, Pin, Plan, Progress, Stats, Stop, TierReport};

use assign::match_pools;
use instance::Instance;

/// Plan the week: the best roster the rules allow, with each tier's proof.
pub fn plan(policy: &Policy, school: &School, demand: &WeekDemand, opts: &Options) -> Result<Plan> {
    let t0 = Instant::now();
    let m = Instance::new(policy, school, demand, opts);
    let mut stats = Stats {
        duties: demand.duties.len(),
        pools: m.pools.len(),
        staff: school.staff.len(),
        ..Stats::default()
    };
    if m.pools.is_empty() {
        // A week without duties (holidays, outside the term): nothing to
        // solve, and HiGHS is not asked to solve an empty model.
        stats.total_s = t0.elapsed().as_secs_f64();
        return Ok(Plan {
            demand: demand.clone(),
            assignments: Vec::new(),
            uncovered: Vec::new(),
            tiers: Vec::new(),
            stats,
        });
    }
    let (chosen, tiers) = tiers::run(&m, opts, &mut stats)?;
    let tm = Instant::now();
    let (assignments, uncovered) = match_pools(
        policy,
        school,
        demand,
        &m.pools,
        &chosen,
        opts.baseline.as_deref().unwrap_or(&[]),
        &opts.pins,
    );
    stats.match_s = tm.elapsed().as_secs_f64();
    stats.total_s = t0.elapsed().as_secs_f64();
    Ok(Plan {
        demand: demand.clone(),
        assignments,
        uncovered,
        tiers,
        stats,
    })
}
