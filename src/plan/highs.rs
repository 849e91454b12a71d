//! The one place a HiGHS model is set up: one thread, seed 0 (runs are
//! reproducible), a time limit, an optional node limit and, on request,
//! HiGHS's own log.

use ::highs::Model;

use crate::error::{Error, Result};

/// Shortest time limit a tier (its MIP included) gets.
pub(crate) const MIN_TIER_S: f64 = 0.5;
/// Shortest time limit a tier-2 feasibility probe gets.
pub(crate) const MIN_PROBE_S: f64 = 0.2;
/// Shortest time limit price-and-branch gets.
pub(crate) const MIN_BRANCH_S: f64 = 0.1;

/// How a HiGHS solve is limited.
pub(crate) struct Setup {
    pub(crate) time_limit: f64,
    pub(crate) max_nodes: Option<u32>,
    /// Show HiGHS's log (the compact MIP with `KEHOU_HIGHS_LOG` set).
    pub(crate) log: bool,
}

impl Setup {
    /// Quiet, no node limit.
    pub(crate) fn within(time_limit: f64) -> Setup {
        Setup {
            time_limit,
            max_nodes: None,
            log: false,
        }
    }

    pub(crate) fn nodes(mut self, max_nodes: u32) -> Setup {
        self.max_nodes = Some(max_nodes);
        self
    }
}

/// Apply `setup` to `hm`.
pub(crate) fn configure(hm: &mut Model, setup: &Setup) {
    if setup.log {
        let _ = hm.try_set_option("output_flag", true);
        let _ = hm.try_set_option("log_to_console", true);
    } else {
        hm.make_quiet();
    }
    set_time_limit(hm, setup.time_limit);
    let _ = hm.try_set_option("threads", 1);
    let _ = hm.try_set_option("random_seed", 0);
    if let Some(n) = setup.max_nodes {
        let _ = hm.try_set_option("mip_max_nodes", n as i32);
    }
}

pub(crate) fn set_time_limit(hm: &mut Model, seconds: f64) {
    let _ = hm.try_set_option("time_limit", seconds);
}

/// Whether `KEHOU_HIGHS_LOG` asks for HiGHS's log (for measuring the model).
pub(crate) fn log_requested() -> bool {
    std::env::var_os("KEHOU_HIGHS_LOG").is_some()
}

/// HiGHS's error as the crate's.
pub(crate) fn solver_error(e: impl std::fmt::Debug) -> Error {
    Error::Solver(format!("{e:?}"))
}

/// Solve, mapping HiGHS's error.
pub(crate) fn solve(hm: Model) -> Result<::highs::SolvedModel> {
    hm.try_solve().map_err(solver_error)
}
