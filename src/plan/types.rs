//! The planner's public types: options, the plan and its reports.

use crate::demand::WeekDemand;
use crate::model::policy::Policy;

use super::tol::{GAP_DENOM, VALUE_EQ};

/// A pinned assignment (lock): kept by planning and repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pin {
    pub duty: usize,
    pub staff: usize,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub time_limit_s: f64,
    pub max_nodes: u32,
    /// Repair: the published roster; the plan then changes as little as possible.
    pub baseline: Option<Vec<Assignment>>,
    /// Repair: duties starting before this moment keep their published staff.
    pub frozen_before: Option<chrono::NaiveDateTime>,
    /// Stop after the fairness tiers (what-if studies compare no preferences).
    pub skip_preferences: bool,
    /// Skip tier 4 (balance) too: what-if studies compare coverage, the
    /// highest load and the band, and run fifty scenarios at once.
    pub skip_balance: bool,
    pub mip_rel_gap: f64,
    /// Tier 5 stops within this relative gap.
    pub preferences_gap: f64,
    pub pins: Vec<Pin>,
    /// Solve tiers 1-2 with the compact MIP alone, without column
    /// generation (slower; tests use it to cross-check the two).
    pub compact_only: bool,
    /// Told of each tier as it ends (the web app's progress).
    pub progress: Progress,
}

/// A callback given each tier's report as the tier ends, and how many
/// tiers the plan runs. It cannot change the plan.
#[derive(Clone, Default)]
pub struct Progress(pub Option<Tell>);

/// The callback: a tier's report and how many tiers the plan runs.
pub type Tell = std::sync::Arc<dyn Fn(&TierReport, usize) + Send + Sync>;

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress(set)"
        } else {
            "Progress(none)"
        })
    }
}

impl Progress {
    pub(crate) fn tell(&self, rep: &TierReport, of: usize) {
        if let Some(f) = &self.0 {
            f(rep, of);
        }
    }
}

impl Options {
    pub fn from_policy(p: &Policy) -> Options {
        Options {
            time_limit_s: p.solver.time_limit_s,
            max_nodes: p.solver.max_nodes,
            baseline: None,
            frozen_before: None,
            skip_preferences: false,
            skip_balance: false,
            mip_rel_gap: p.solver.mip_rel_gap,
            preferences_gap: p.solver.preferences_gap,
            pins: Vec::new(),
            compact_only: false,
            progress: Progress::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TierReport {
    pub tier: &'static str,
    pub name: &'static str,
    pub objective: f64,
    pub bound: f64,
    pub gap: f64,
    pub optimal: bool,
    pub seconds: f64,
    /// What stopped it before a proof (None when proven).
    pub stopped: Option<Stop>,
}

/// What stopped a tier before its value met its bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Its share of the time limit (`solver.time_limit_s`).
    Time,
    /// The branching node budget (`solver.max_nodes`).
    Nodes,
    /// It came within the gap the policy allows (`solver.mip_rel_gap`,
    /// and for preferences `solver.preferences_gap`).
    Gap,
    /// Neither: the search ended (diving and branching over the weeks
    /// generated) with the gap still open.
    Search,
    /// Not optimised: the balance tier has no compact model (its squares),
    /// and its patterns do not model pinned duties; the roster before it
    /// is kept.
    NotModelled,
}

impl TierReport {
    /// A tier whose value meets its proven bound.
    pub(crate) fn proven(
        tier: &'static str,
        name: &'static str,
        value: f64,
        bound: f64,
    ) -> TierReport {
        TierReport {
            tier,
            name,
            objective: value,
            bound,
            gap: 0.0,
            optimal: true,
            seconds: 0.0,
            stopped: None,
        }
    }

    /// A tier left unsolved (the previous tier's roster is kept).
    pub(crate) fn unsolved(tier: &'static str, name: &'static str, seconds: f64) -> TierReport {
        TierReport {
            tier,
            name,
            objective: f64::NAN,
            bound: f64::NAN,
            gap: f64::INFINITY,
            optimal: false,
            seconds,
            stopped: None,
        }
    }

    /// A tier's value against a lower bound (NaN: none): proven when they
    /// meet, else the relative gap.
    pub(crate) fn against(
        tier: &'static str,
        name: &'static str,
        value: f64,
        bound: f64,
    ) -> TierReport {
        if value <= bound + VALUE_EQ * value.abs().max(1.0) {
            return TierReport::proven(tier, name, value, bound);
        }
        TierReport {
            tier,
            name,
            objective: value,
            bound,
            gap: if bound.is_nan() {
                f64::INFINITY
            } else {
                (value - bound) / value.abs().max(GAP_DENOM)
            },
            optimal: false,
            seconds: 0.0,
            stopped: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub duties: usize,
    pub pools: usize,
    pub staff: usize,
    pub binaries: usize,
    /// Column generation: cohorts of interchangeable staff, week patterns
    /// generated, master LP solves.
    pub classes: usize,
    pub cg_columns: usize,
    pub cg_lps: u32,
    /// Tier 5 by column generation: cohorts (split by preferences).
    pub pref_classes: usize,
    /// The average relative load tiers 3-5 measure distances from: that
    /// of tier 2's roster. With seats left open, which ones stay open
    /// moves it, so two plans' tiers 3-5 compare only at the same center.
    pub center: Option<f64>,
    /// Tier 1's weight of one open seat per priority (required, high,
    /// normal): its value and bound read as seats with `by_priority`.
    pub priority_weights: [f64; 3],
    /// Fair staff away for the whole week (no duty they may take): outside
    /// the fairness tiers, shown apart.
    pub away: Vec<usize>,
    pub rows: usize,
    pub build_s: f64,
    pub solve_s: f64,
    pub match_s: f64,
    pub total_s: f64,
}

/// One staff member on one duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Assignment {
    pub duty: usize,
    pub staff: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub demand: WeekDemand,
    pub assignments: Vec<Assignment>,
    /// (duty, staff missing).
    pub uncovered: Vec<(usize, u32)>,
    pub tiers: Vec<TierReport>,
    pub stats: Stats,
}

/// A tier-1 value (open seats weighted by priority; a roster's, or a
/// bound on it) as seats per priority (required, high, normal).
pub fn by_priority(weights: [f64; 3], weighted: f64) -> [f64; 3] {
    let mut left = weighted.max(0.0);
    let mut out = [0.0; 3];
    for (k, &w) in weights.iter().enumerate() {
        let n = if w <= 0.0 {
            0.0
        } else {
            (left / w + super::tol::LP_ROUND).floor()
        };
        out[k] = n;
        left = (left - n * w).max(0.0);
    }
    out
}
