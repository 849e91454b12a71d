//! The compact MIP (good_lp on HiGHS): one binary per staff member and
//! pool, interval-clique overlap rows, the rules' limits and the fairness
//! rows; earlier tiers' optima are rows too.

use std::collections::BTreeMap;

use good_lp::{highs, IntoAffineExpression};

use crate::error::{Error, Result};

use super::bounds::{Bounds, Tier};
use super::instance::Instance;
use super::pool::Roster;
use super::tol::HALF;

mod rows;
mod solve;
mod vars;
mod warm;

pub(crate) use solve::{feasible, solve_lp, solve_mip, Mip, MipLimits};

pub(crate) struct Built {
    pub(crate) problem: ::highs::Model,
    /// Number of x variables (binary unless relaxed).
    pub(crate) binaries: usize,
    /// Column of each x variable in the HiGHS model (insertion order).
    pub(crate) xcol: BTreeMap<(usize, usize), usize>,
    /// Columns of tier-4 indicators: (staff, day) -> (any afternoon, noon and afternoon).
    pub(crate) pref_cols: BTreeMap<(usize, usize), (usize, usize)>,
    pub(crate) n_cols: usize,
    pub(crate) rows: usize,
    /// The objective's constant, which HiGHS never sees (good_lp drops
    /// it): added back to every value and bound it reports.
    pub(crate) offset: f64,
}

/// The model for `tier` under bounds `b` (`relax`: its LP relaxation).
pub(crate) fn build(m: &Instance, tier: Tier, b: &Bounds, relax: bool) -> Result<Built> {
    let (problem_vars, v) = vars::variables(m, tier, b, relax);
    let objective = vars::objective(m, tier, &v);
    let offset = objective.constant();
    let mut rows = rows::Rows {
        pb: problem_vars.minimise(objective).using(highs),
        n: 0,
    };
    rows::add_all(&mut rows, m, &v, tier, b);
    let problem = rows
        .pb
        .try_into_inner()
        .map_err(|e| Error::Solver(e.to_string()))?;
    Ok(Built {
        problem,
        binaries: v.x.len(),
        xcol: v.xcol,
        pref_cols: v.pref_cols,
        n_cols: v.n_cols,
        rows: rows.n,
        offset,
    })
}

/// The roster a solution's columns `cols` describe (`xcol`: the x
/// variables' columns).
fn roster(xcol: &BTreeMap<(usize, usize), usize>, m: &Instance, cols: &[f64]) -> Roster {
    let mut chosen = vec![Vec::new(); m.pools.len()];
    for ((s, p), c) in xcol {
        if cols[*c] > HALF {
            chosen[*p].push(*s);
        }
    }
    chosen
}
