//! What each tier asks of the patterns: tier 1's bound, tier 2's probes,
//! tier 3 at zero, and the costed tiers 3–5.

use crate::error::Result;

use super::master::{hours, Master, BALANCE_PENALTY};
use super::{Cost, Costed, Dw, Pattern, Probe};
use crate::plan::instance::Instance;
use crate::plan::pool::Roster;
use crate::plan::tol::{open_slack, LOAD_EQ, LP_FEAS, VALUE_EQ};

/// A per-person relative-load band: staff member -> (low, high).
pub(crate) type Band<'b> = &'b dyn Fn(usize) -> (f64, f64);

impl Dw<'_, '_> {
    /// Can any roster leave at most `uncovered` seats open with every fair
    /// person at relative load `v` or below? RuledOut is a proof that not.
    pub(crate) fn probe(&mut self, v: f64, uncovered: f64) -> Result<Probe> {
        let caps = self.caps(v);
        if caps.iter().any(|&c| c < 0) {
            // Someone's term-to-date load alone is above the level.
            return Ok(Probe::RuledOut);
        }
        let lo = vec![0; caps.len()];
        let lb = self
            .cg(&Master::new(&lo, &caps, None), |obj, lb| {
                obj <= uncovered + open_slack(uncovered) || lb > uncovered + open_slack(uncovered)
            })?
            .bound;
        Ok(if lb > uncovered + open_slack(uncovered) {
            Probe::RuledOut
        } else {
            Probe::Open
        })
    }

    /// Tier 1's bound: the fewest open seats any roster can leave
    /// (the column-generation LP, rounded up).
    pub(crate) fn min_uncovered(&mut self) -> Result<f64> {
        let caps = self.caps(f64::INFINITY);
        let up = |x: f64| (x - open_slack(x)).ceil().max(0.0);
        let lo = vec![0; caps.len()];
        let lb = self
            .cg(&Master::new(&lo, &caps, None), |obj, lb| up(lb) >= up(obj))?
            .bound;
        Ok(up(lb))
    }

    /// Tier 3 when its optimum is zero: a roster with every fair person's
    /// relative load inside their band (low and high) and at most
    /// `uncovered` seats open. None when the pattern LP rules it out or
    /// the generated weeks do not combine into one.
    pub(crate) fn within_bands(
        &mut self,
        band: Band,
        uncovered: f64,
        max_nodes: u32,
    ) -> Result<Option<Roster>> {
        let Some((lo, hi)) = self.windows(band) else {
            return Ok(None);
        };
        let w = Master::new(&lo, &hi, None);
        let lb = self
            .cg(&w, |obj, lb| {
                obj <= uncovered + open_slack(uncovered) || lb > uncovered + open_slack(uncovered)
            })?
            .bound;
        if lb > uncovered + open_slack(uncovered) {
            return Ok(None);
        }
        self.integer_in(&w, uncovered, max_nodes)
    }

    /// Per cohort, the reachable loads inside the relative-load band of
    /// its representative, as (lowest, highest); None when some cohort
    /// can reach no load inside its band.
    fn windows(&self, band: Band) -> Option<(Vec<i64>, Vec<i64>)> {
        let mut lo = Vec::with_capacity(self.cohorts.len());
        let mut hi = Vec::with_capacity(self.cohorts.len());
        for c in &self.cohorts {
            let Some(r) = &c.reach else {
                lo.push(0);
                hi.push(i64::MAX);
                continue;
            };
            let (a, b) = band(c.rep);
            let rel = |x: i64| self.m.rel(c.rep, x);
            let l = r.iter().find(|&&x| rel(x) >= a - LOAD_EQ).copied();
            let h = r.iter().rev().find(|&&x| rel(x) <= b + LOAD_EQ).copied();
            match (l, h) {
                (Some(l), Some(h)) if l <= h => {
                    lo.push(l);
                    hi.push(h);
                }
                _ => return None,
            }
        }
        Some((lo, hi))
    }

    /// Tiers 3–5: the roster within the per-person bands, with at most
    /// `mode.uncovered` seats open, that minimises the sum over fair
    /// staff of their weeks' costs (`mode.cost`) around `mode.center`.
    /// Returns the rosters found (price-and-branch, diving) and the
    /// column-generation lower bound on the objective.
    pub(crate) fn costed(
        &mut self,
        band: Band,
        mode: Costed,
        max_nodes: u32,
    ) -> Result<(Vec<Roster>, f64)> {
        let Some((lo, hi)) = self.windows(band) else {
            return Ok((Vec::new(), f64::NAN));
        };
        // The empty week, which a person far above the average may need.
        for (k, &l) in lo.iter().enumerate() {
            if l == 0
                && !self
                    .patterns
                    .iter()
                    .any(|q| q.cohort == k && q.pools.is_empty())
            {
                self.patterns.push(Pattern {
                    cohort: k,
                    pools: Vec::new(),
                    load: 0,
                    pref: 0.0,
                });
            }
        }
        let w = Master::new(&lo, &hi, Some(mode));
        let lb = self.cg(&w, |obj, lb| lb >= obj - LP_FEAS)?.bound;
        let mut found = Vec::new();
        let value = |m: &Instance, x: &[Vec<usize>]| match mode.cost {
            Cost::Covered => -hours(m.fair_load(x)),
            Cost::Spread => m.spread_value(x, mode.center),
            Cost::Balance => m.balance_value(x, mode.center),
            Cost::Preferences { .. } => m.pref_value(x),
        };
        let closes = |v: f64| v <= lb + VALUE_EQ * lb.abs().max(1.0);
        // Spread and balance: diving first (measured on the large school:
        // price-and-branch spends 3.5 s at its root alone, diving reaches
        // 0.04 % in 2.2 s). In preference mode diving would have to shrink the
        // balance row by the fixed weeks' distances, so it is not used.
        if !matches!(mode.cost, Cost::Preferences { .. }) {
            if let Some(x) = self.dive_in(&w, |obj| obj >= BALANCE_PENALTY * 0.5)? {
                let done = closes(value(self.m, &x));
                found.push(x);
                if done {
                    return Ok((found, lb));
                }
            }
        }
        // Price-and-branch over every week generated so far.
        if let Some(x) = self.integer_in(&w, mode.uncovered, max_nodes)? {
            found.push(x);
        }
        Ok((found, lb))
    }
}
