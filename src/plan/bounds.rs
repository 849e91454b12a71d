//! The tiers, and what the earlier tiers' optima demand of a roster.

use super::instance::Instance;
use super::tol::{open_slack, BOUND_SLACK, COUNT_EQ, DEV_SLACK, LOAD_EQ, MAX_LOAD_SLACK};

/// Which tier the model optimises; earlier tiers' optima are bounds.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Tier {
    Uncovered,
    /// Repair only: assignments changed against the published roster.
    Changes,
    /// Repair only: the new work goes to the least loaded (sum of their
    /// relative load before the repair over added assignments).
    Replacement,
    MaxLoad,
    /// Tier 2b: the most load the fair staff carry (reported as the hours
    /// they leave to others or open), which fixes the average of tiers 3-5.
    Covered,
    /// Any roster within `Bounds::caps` (objective 0): a tier-2 probe.
    Feasible,
    Spread,
    /// Sum over fair staff of the squared distance of their relative load
    /// from the average, within the tier-3 band (column generation only).
    Balance,
    Preferences,
}

/// Tier 2b's optimum as a model row: the fair staff's total load (units),
/// as a floor, or an equality when tier 2b stopped unproven (a later
/// roster carrying more would have another average than the one the
/// later tiers measure from). A floor where it is proven: the same
/// rosters, and an LP that solves faster (tier 4 on the realistic
/// 48-class make-up week: 2 s against 5 s with the equality).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Carried {
    pub(crate) load: i64,
    pub(crate) exact: bool,
}

#[derive(Clone, Default)]
pub(crate) struct Bounds {
    /// Tier 3's reference: the average relative load of the fair staff
    /// (from tier 2b on, that of every roster considered).
    pub(crate) floor_base: Option<f64>,
    pub(crate) uncovered: Option<f64>,
    pub(crate) changes: Option<f64>,
    pub(crate) replacement: Option<f64>,
    pub(crate) max_load: Option<f64>,
    /// Tier 2b's optimum: the total load (units) the fair staff carry,
    /// so every later roster has the same average.
    pub(crate) fair_load: Option<i64>,
    /// Whether tier 2b proved `fair_load` the most the fair staff can
    /// carry (then no roster carries more, and a floor keeps it exactly).
    pub(crate) fair_load_proven: bool,
    pub(crate) shortfall: Option<f64>,
    /// Tiers 4-5: each fair person's tier-3 (shortfall, excess), kept as
    /// their own limits so preferences cannot trade one person's fairness
    /// for another's.
    pub(crate) windows: Option<Vec<(f64, f64)>>,
    /// Preferences: each fair person's distance from the average after the
    /// balance tier, kept as their own limit (compact model).
    pub(crate) dev: Option<Vec<f64>>,
    /// Preferences: tier 4's optimum, the most the balance sum may be
    /// (column generation).
    pub(crate) balance: Option<f64>,
    /// Tier-2 probe: per fair person, the highest relative load they can
    /// actually reach without exceeding the probed level.
    pub(crate) caps: Option<Vec<f64>>,
}

impl Bounds {
    /// The objective value of a roster for a tier.
    pub(crate) fn value(&self, m: &Instance, tier: Tier, chosen: &[Vec<usize>]) -> f64 {
        match tier {
            Tier::Uncovered => m.uncovered(chosen),
            Tier::MaxLoad | Tier::Feasible => m.max_rel(chosen),
            Tier::Covered => m.not_carried(chosen),
            Tier::Spread => self.deviations(m, chosen).iter().map(|(a, e)| a + e).sum(),
            Tier::Balance => m.balance_value(chosen, self.floor_base.unwrap_or(0.0)),
            Tier::Changes => m.changes(chosen) as f64,
            Tier::Replacement => m.replacement(chosen),
            Tier::Preferences => m.pref_value(chosen),
        }
    }

    /// Whether a roster built outside the compact model meets what only
    /// the compact model encodes: pins and the earlier tiers' optima.
    pub(crate) fn respects(&self, m: &Instance, chosen: &[Vec<usize>]) -> bool {
        m.pins.iter().all(|&(s, p)| chosen[p].contains(&s))
            && self
                .uncovered
                .is_none_or(|u| m.uncovered(chosen) <= u + open_slack(u))
            && self.fair_load.is_none_or(|t| m.fair_load(chosen) == t)
            && self.changes.is_none_or(|c| m.changes(chosen) as f64 <= c)
            && self
                .replacement
                .is_none_or(|r| self.value(m, Tier::Replacement, chosen) <= r)
    }

    /// The relative-load band of staff member `s` from tier 3 on: one duty
    /// wide around the average, widened by their own tier-3 distance,
    /// capped by tier 2's optimum; unbounded outside fairness.
    pub(crate) fn band(&self, m: &Instance, s: usize) -> (f64, f64) {
        let (Ok(i), Some(c)) = (m.fair.binary_search(&s), self.floor_base) else {
            return (f64::NEG_INFINITY, f64::INFINITY);
        };
        let (a, e) = self
            .windows
            .as_ref()
            .and_then(|w| w.get(i).copied())
            .unwrap_or((0.0, 0.0));
        let top = self.max_load.unwrap_or(f64::INFINITY);
        (c - m.delta[i] - a, (c + m.delta[i] + e).min(top))
    }

    /// Tier 2b's floor where a model needs it as a row: not when every
    /// seat is covered and no pool is open to both fair staff and others,
    /// for the fair staff's load is then fixed anyway (and the redundant
    /// row slowed tier 4 on a 24-class winter week from 2 s to 24 s).
    pub(crate) fn carried_floor(&self, m: &Instance) -> Option<Carried> {
        let all_covered = self.uncovered.is_some_and(|u| u <= COUNT_EQ);
        let shared = m.pools.iter().any(|p| {
            let fair = p
                .eligible
                .iter()
                .filter(|s| m.fair.binary_search(s).is_ok())
                .count();
            fair > 0 && fair < p.eligible.len()
        });
        self.fair_load
            .filter(|_| !all_covered || shared)
            .map(|load| Carried {
                load,
                exact: !self.fair_load_proven,
            })
    }

    /// Whether a roster from column generation keeps every earlier tier's
    /// optimum: `respects`, tier 2's highest load, each person's tier-3
    /// distance and tier 4's balance sum.
    pub(crate) fn keeps(&self, m: &Instance, chosen: &[Vec<usize>]) -> bool {
        let inside = match &self.windows {
            Some(w) => self
                .deviations(m, chosen)
                .iter()
                .zip(w)
                .all(|(d, w)| d.0 <= w.0 + BOUND_SLACK && d.1 <= w.1 + BOUND_SLACK),
            None => true,
        };
        inside
            && self.respects(m, chosen)
            && self
                .max_load
                .is_none_or(|top| m.max_rel(chosen) <= top + LOAD_EQ)
            && self
                .balance
                .is_none_or(|v| self.value(m, Tier::Balance, chosen) <= v + BOUND_SLACK)
    }

    /// Each fair person's (shortfall below, excess above) the tier-3 band.
    pub(crate) fn deviations(&self, m: &Instance, chosen: &[Vec<usize>]) -> Vec<(f64, f64)> {
        let l = m.loads(chosen);
        let zmax = self.floor_base.unwrap_or(0.0);
        m.fair
            .iter()
            .enumerate()
            .map(|(i, &s)| m.deviation(i, m.rel(s, l[s]), zmax))
            .collect()
    }

    /// Keep `tier`'s optimum, measured on its integral roster, for the
    /// tiers after it.
    pub(crate) fn record(&mut self, m: &Instance, tier: Tier, chosen: &[Vec<usize>]) {
        match tier {
            Tier::Uncovered => self.uncovered = Some(m.uncovered(chosen)),
            Tier::MaxLoad => {
                self.max_load = Some(m.max_rel(chosen) + MAX_LOAD_SLACK);
                self.floor_base = Some(m.avg_rel(chosen));
            }
            // Kept exactly (even when unproven, when a later roster might
            // carry more): every later roster has this average.
            Tier::Covered => {
                self.fair_load = Some(m.fair_load(chosen));
                self.floor_base = Some(m.avg_rel(chosen));
            }
            Tier::Spread => {
                self.shortfall = Some(self.value(m, Tier::Spread, chosen) + BOUND_SLACK);
                self.windows = Some(self.deviations(m, chosen));
            }
            Tier::Balance => {
                let c = self.floor_base.unwrap_or(0.0);
                self.balance = Some(self.value(m, Tier::Balance, chosen) + BOUND_SLACK);
                self.dev = Some(
                    m.rel_loads(chosen)
                        .iter()
                        .map(|r| (r - c).abs() + DEV_SLACK)
                        .collect(),
                );
            }
            Tier::Changes => self.changes = Some(m.changes(chosen) as f64 + BOUND_SLACK),
            Tier::Replacement => {
                self.replacement = Some(self.value(m, Tier::Replacement, chosen) + BOUND_SLACK)
            }
            Tier::Preferences | Tier::Feasible => {}
        }
    }
}
