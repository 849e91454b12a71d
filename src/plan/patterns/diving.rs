//! Diving: fix the weeks the master LP uses, generate columns for the
//! rest, until nothing is fractional.

use std::time::Instant;

use crate::error::Result;

use super::master::Master;
use super::Dw;
use crate::plan::pool::Roster;
use crate::plan::tol::{open_slack, LP_FEAS, LP_ROUND};
use crate::plan::types::Stop;

/// The residual of a dive: need per pool, headcount per cohort, the
/// weeks fixed so far and the fair staff's load in them.
struct Residual {
    need: Vec<u32>,
    size: Vec<u32>,
    fixed: Vec<usize>,
    fixed_fair: i64,
}

impl Dw<'_, '_> {
    /// Diving: solve the master LP, fix the weeks it uses whole (and, if
    /// none, one unit of its largest fractional week), shrink the needs and
    /// headcounts, generate columns again, until nothing is fractional. A
    /// roster at level `v` with at most `uncovered` seats open, or None.
    pub(crate) fn dive(&mut self, v: f64, uncovered: f64) -> Result<Option<Roster>> {
        let caps = self.caps(v);
        if caps.iter().any(|&c| c < 0) {
            return Ok(None);
        }
        let lo = vec![0; caps.len()];
        self.dive_in(&Master::new(&lo, &caps, None), |obj| {
            obj > uncovered + open_slack(uncovered)
        })
    }

    /// Diving on master `w`; `infeasible(obj)` says when a master LP's
    /// optimum shows the residual has no roster.
    pub(super) fn dive_in(
        &mut self,
        w: &Master,
        infeasible: impl Fn(f64) -> bool,
    ) -> Result<Option<Roster>> {
        let mut res = Residual {
            need: self.m.pools.iter().map(|p| p.need).collect(),
            size: self.cohorts.iter().map(|c| c.size).collect(),
            fixed: Vec::new(),
            fixed_fair: 0,
        };
        let mut ok = false;
        let staff: u32 = res.size.iter().sum();
        for _ in 0..=staff {
            let wr = Master {
                residual: Some((&res.need, &res.size)),
                fixed_fair: res.fixed_fair,
                ..*w
            };
            let lp = self.cg(&wr, |obj, lb| lb >= obj - LP_FEAS)?;
            let (obj, lam) = lp.last.unwrap_or((f64::INFINITY, Vec::new()));
            if Instant::now() >= self.deadline {
                self.hit.set(Some(Stop::Time));
                break;
            }
            if infeasible(obj) {
                break;
            }
            if lam.is_empty() {
                ok = true;
                break;
            }
            if !self.fix(&mut res, &lam) {
                break;
            }
        }
        if !ok {
            return Ok(None);
        }
        Ok(self.roster(&res.fixed))
    }

    /// Fix the weeks of `lam` used whole, or else one unit of the largest
    /// fractional one; false when nothing could be fixed.
    fn fix(&self, res: &mut Residual, lam: &[(usize, f64)]) -> bool {
        let fix = |i: usize, res: &mut Residual| {
            let k = self.patterns[i].cohort;
            if res.size[k] > 0 {
                res.size[k] -= 1;
                for &p in &self.patterns[i].pools {
                    res.need[p] = res.need[p].saturating_sub(1);
                }
                res.fixed.push(i);
                if self.cohorts[k].reach.is_some() {
                    res.fixed_fair += self.patterns[i].load;
                }
            }
        };
        let before = res.fixed.len();
        for &(i, x) in lam {
            for _ in 0..((x + LP_ROUND).floor() as u32) {
                fix(i, res);
            }
        }
        if res.fixed.len() == before {
            let (i, _) = lam
                .iter()
                .copied()
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                .unwrap_or((0, 0.0));
            fix(i, res);
            if res.fixed.len() == before {
                return false;
            }
        }
        true
    }
}
