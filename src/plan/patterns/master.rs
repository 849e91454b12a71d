//! The master LP over the known weeks, and column generation on it.

use std::time::Instant;

use highs::{ColProblem, HighsModelStatus, Row, Sense};

use crate::error::Result;

use super::{Cost, Costed, Dw, Pattern};
use crate::model::school::LOAD_PER_HOUR;
use crate::plan::highs::{configure, set_time_limit, solve, solver_error, Setup};
use crate::plan::tol::{open_slack, BOUND_SLACK, LP_FEAS};
use crate::plan::types::Stop;

/// A load in hours.
pub(super) fn hours(load: i64) -> f64 {
    load as f64 / LOAD_PER_HOUR as f64
}

/// Penalty on a costed-mode slack (an unplaced person, an open seat
/// beyond tier 1's optimum): far above any week's cost.
pub(super) const BALANCE_PENALTY: f64 = 1e4;

/// What one master problem is: per-cohort load windows `lo..=hi`, the
/// costed mode (None: open seats are the objective) and, when diving,
/// the residual need per pool and headcount per cohort, and the fair
/// staff's load already fixed.
#[derive(Clone, Copy)]
pub(super) struct Master<'w> {
    pub(super) lo: &'w [i64],
    pub(super) hi: &'w [i64],
    pub(super) mode: Option<Costed>,
    pub(super) residual: Option<(&'w [u32], &'w [u32])>,
    pub(super) fixed_fair: i64,
}

impl<'w> Master<'w> {
    pub(super) fn new(lo: &'w [i64], hi: &'w [i64], mode: Option<Costed>) -> Master<'w> {
        Master {
            lo,
            hi,
            mode,
            residual: None,
            fixed_fair: 0,
        }
    }
}

/// What column generation ends with.
pub(super) struct Lp {
    /// The best proven lower bound on the LP optimum.
    pub(super) bound: f64,
    /// The last optimal master: objective and (pattern, value) of its
    /// columns in use.
    pub(super) last: Option<(f64, Vec<(usize, f64)>)>,
}

/// The master's rows new columns enter: cover per pool, convexity per
/// cohort, (preference mode) the balance row and (from tier 3 on) the
/// fair staff's total load, with the index of that row's dual.
pub(super) struct Rows {
    pub(super) cover: Vec<Row>,
    pub(super) conv: Vec<Row>,
    pub(super) keep: Option<Row>,
    pub(super) carried: Option<(Row, usize)>,
}

impl Dw<'_, '_> {
    /// Costed modes: a week's squared distance of its load `load` from
    /// the average (tier 3: its distance outside the band), for cohort
    /// `k` (0 outside fairness).
    pub(super) fn distance(&self, k: usize, load: i64, mode: Option<Costed>) -> f64 {
        let c = &self.cohorts[k];
        match (&mode, &c.reach) {
            (Some(b), Some(_)) => match b.cost {
                Cost::Spread => self.m.spread_distance(c.rep, load, b.center),
                Cost::Covered => -hours(load),
                Cost::Balance | Cost::Preferences { .. } => {
                    (self.m.rel(c.rep, load) - b.center).powi(2)
                }
            },
            _ => 0.0,
        }
    }

    /// A week's column: its cohort's convexity row, its pools' cover rows,
    /// in preference mode its distance in the balance row, and a fair
    /// person's load (load units) in the carried-load row.
    pub(super) fn column(
        &self,
        pat: &Pattern,
        rows: &Rows,
        mode: Option<Costed>,
    ) -> Vec<(Row, f64)> {
        let fair = self.cohorts[pat.cohort].reach.is_some();
        std::iter::once((rows.conv[pat.cohort], 1.0))
            .chain(pat.pools.iter().map(|&p| (rows.cover[p], 1.0)))
            .chain(
                rows.keep
                    .map(|r| (r, self.distance(pat.cohort, pat.load, mode))),
            )
            .chain(
                rows.carried
                    .filter(|_| fair)
                    .map(|(r, _)| (r, hours(pat.load))),
            )
            .collect()
    }

    /// From tier 3 on: the row keeping the fair staff's total load (in
    /// hours: in load units, coefficients in the thousands made tier 3 of
    /// the realistic 48-class make-up week 3.5 times slower) at tier
    /// 2b's, less what a dive has fixed: at least, or exactly (see
    /// `Carried`); half a load unit either side, as loads are whole
    /// units. Its dual's index is `at`.
    pub(super) fn carried_row(
        &self,
        pb: &mut ColProblem,
        fixed: i64,
        at: usize,
    ) -> Option<(Row, usize)> {
        self.floor.map(|c| {
            let t = hours(c.load - fixed);
            let half = hours(1) / 2.0;
            let top = if c.exact { t + half } else { f64::INFINITY };
            (pb.add_row(t - half..=top), at)
        })
    }

    /// Whether cover rows are equalities: in costed modes, and wherever
    /// the carried load is kept (a surplus seat would count towards it
    /// and be trimmed away later).
    pub(super) fn exact_cover(&self, mode: Option<Costed>) -> bool {
        mode.is_some() || self.floor.is_some()
    }

    /// Keep which budget a solve ran into (HiGHS ends a MIP at its node
    /// budget with a solution-limit status).
    pub(super) fn note_budget(&self, status: HighsModelStatus) {
        let stop = match status {
            HighsModelStatus::ReachedTimeLimit => Stop::Time,
            HighsModelStatus::ReachedSolutionLimit | HighsModelStatus::ReachedIterationLimit => {
                Stop::Nodes
            }
            _ => return,
        };
        if self.hit.get() != Some(Stop::Time) {
            self.hit.set(Some(stop));
        }
    }

    /// A week's objective coefficient in the master.
    pub(super) fn cost(&self, pat: &Pattern, mode: Option<Costed>) -> f64 {
        match &mode {
            Some(Costed {
                cost: Cost::Preferences { .. },
                ..
            }) => pat.pref,
            Some(_) => self.distance(pat.cohort, pat.load, mode),
            None => 0.0,
        }
    }

    /// A pool's cover row: at least its need; in a costed mode exactly,
    /// so that a surplus seat cannot count as load.
    pub(super) fn cover_row(pb: &mut ColProblem, need: u32, exact: bool) -> Row {
        let n = f64::from(need);
        if exact {
            pb.add_row(n..=n)
        } else {
            pb.add_row(n..)
        }
    }

    /// Preference mode: the row keeping the balance sum within tier 4's
    /// optimum (added after the cover, convexity and open-seat rows).
    pub(super) fn balance_row(pb: &mut ColProblem, mode: Option<Costed>) -> Option<Row> {
        match mode {
            Some(Costed {
                cost: Cost::Preferences { keep_balance },
                ..
            }) => Some(pb.add_row(..=keep_balance + BOUND_SLACK)),
            _ => None,
        }
    }

    /// One convexity row per cohort: its headcount `size` of weeks,
    /// exactly when every member must be placed.
    pub(super) fn conv_rows(
        &self,
        pb: &mut ColProblem,
        size: &[u32],
        lo: &[i64],
        mode: Option<Costed>,
    ) -> Vec<Row> {
        (0..self.cohorts.len())
            .map(|k| {
                let n = f64::from(size[k]);
                if self.placed(k, lo[k], mode) {
                    pb.add_row(n..=n)
                } else {
                    pb.add_row(..=n)
                }
            })
            .collect()
    }

    /// Whether cohort `k` must hold exactly its headcount of weeks.
    pub(super) fn placed(&self, k: usize, lo: i64, mode: Option<Costed>) -> bool {
        lo > 0 || (mode.is_some() && self.cohorts[k].reach.is_some())
    }

    /// The master LP with every known week inside the windows; the
    /// pattern of each week column (after the slack columns) and the
    /// number of columns before them.
    fn master(
        &self,
        w: &Master,
        need: &[u32],
        size: &[u32],
    ) -> (ColProblem, Rows, Vec<usize>, usize) {
        let mode = w.mode;
        let mut pb = ColProblem::default();
        let cover: Vec<Row> = need
            .iter()
            .map(|&n| Self::cover_row(&mut pb, n, self.exact_cover(mode)))
            .collect();
        let conv = self.conv_rows(&mut pb, size, w.lo, mode);
        // Open seats: the objective itself, or in a costed mode capped at
        // tier 1's optimum (a penalised overflow keeps the LP feasible).
        let open = mode.map(|b| pb.add_row(..=b.uncovered + open_slack(b.uncovered)));
        // Each open seat weighs its pool's priority weight.
        let cost = &self.m.open_cost;
        for (p, &n) in need.iter().enumerate() {
            match open {
                Some(o) => pb.add_column(0.0, 0.0..=f64::from(n), [(cover[p], 1.0), (o, cost[p])]),
                None => pb.add_column(cost[p], 0.0..=f64::from(n), [(cover[p], 1.0)]),
            }
        }
        let total_need: f64 = need.iter().zip(cost).map(|(&n, c)| f64::from(n) * c).sum();
        let penalty = if mode.is_some() {
            BALANCE_PENALTY
        } else {
            total_need + 1.0
        };
        // Preference mode: the balance sum stays within tier 4's optimum.
        let keep = Self::balance_row(&mut pb, mode);
        let at =
            need.len() + size.len() + usize::from(open.is_some()) + usize::from(keep.is_some());
        let carried = self.carried_row(&mut pb, w.fixed_fair, at);
        let mut n_cols = need.len();
        for row in [open, keep].into_iter().flatten() {
            pb.add_column(penalty, 0.0.., [(row, -1.0)]);
            n_cols += 1;
        }
        if let Some((row, _)) = carried {
            let exact = self.floor.is_some_and(|c| c.exact);
            for dir in [1.0, -1.0].into_iter().take(1 + usize::from(exact)) {
                pb.add_column(penalty, 0.0.., [(row, dir)]);
                n_cols += 1;
            }
        }
        for k in 0..self.cohorts.len() {
            if self.placed(k, w.lo[k], mode) {
                pb.add_column(penalty, 0.0..=f64::from(size[k]), [(conv[k], 1.0)]);
                n_cols += 1;
            }
        }
        let rows = Rows {
            cover,
            conv,
            keep,
            carried,
        };
        let mut col_pat: Vec<usize> = Vec::new();
        for (i, pat) in self.patterns.iter().enumerate() {
            if (w.lo[pat.cohort]..=w.hi[pat.cohort]).contains(&pat.load) {
                let col = self.column(pat, &rows, mode);
                pb.add_column(self.cost(pat, mode), 0.0.., col);
                col_pat.push(i);
            }
        }
        (pb, rows, col_pat, n_cols)
    }

    /// Column generation on the master LP `w` until `done(objective,
    /// bound)`, convergence or the deadline. The best proven lower bound
    /// on the LP optimum (Lagrangian, or the optimum itself once no
    /// column prices out). A cohort with a positive floor must place
    /// every member (a penalised slack keeps the LP feasible meanwhile).
    pub(super) fn cg(&mut self, w: &Master, done: impl Fn(f64, f64) -> bool) -> Result<Lp> {
        let pools = &self.m.pools;
        let (need, size): (Vec<u32>, Vec<u32>) = match w.residual {
            Some((n, k)) => (n.to_vec(), k.to_vec()),
            None => (
                pools.iter().map(|p| p.need).collect(),
                self.cohorts.iter().map(|c| c.size).collect(),
            ),
        };
        let (pb, rows, mut col_pat, n_cols) = self.master(w, &need, &size);
        let mut hm = pb.try_optimise(Sense::Minimise).map_err(solver_error)?;
        configure(&mut hm, &Setup::within(f64::INFINITY));
        // Uncovered seats and squared distances are never negative;
        // preference penalties and minus the carried hours may be.
        let negative = matches!(
            w.mode,
            Some(Costed {
                cost: Cost::Covered,
                ..
            })
        );
        let mut lb = if rows.keep.is_some() || negative {
            f64::NEG_INFINITY
        } else {
            0.0
        };
        let mut last = None;
        loop {
            let left = self
                .deadline
                .saturating_duration_since(Instant::now())
                .as_secs_f64();
            if left <= 0.0 {
                self.hit.set(Some(Stop::Time));
                return Ok(Lp { bound: lb, last });
            }
            set_time_limit(&mut hm, left);
            let solved = solve(hm)?;
            self.lp_solves += 1;
            self.note_budget(solved.status());
            if solved.status() != HighsModelStatus::Optimal {
                return Ok(Lp { bound: lb, last });
            }
            let obj = solved.objective_value();
            let sol = solved.get_solution();
            let lambda = col_pat
                .iter()
                .enumerate()
                .filter_map(|(j, &i)| {
                    let v = sol.columns().get(n_cols + j).copied().unwrap_or(0.0);
                    (v > LP_FEAS).then_some((i, v))
                })
                .collect();
            last = Some((obj, lambda));
            if done(obj, lb) {
                return Ok(Lp { bound: lb, last });
            }
            let (lagr, new) = self.price_all(w, sol.dual_rows(), obj, &size, &rows);
            if new.is_empty() {
                return Ok(Lp {
                    bound: lb.max(obj),
                    last,
                });
            }
            lb = lb.max(lagr);
            if done(obj, lb) {
                return Ok(Lp { bound: lb, last });
            }
            let mut hm2: highs::Model = solved.into();
            for pat in new {
                let col = self.column(&pat, &rows, w.mode);
                hm2.try_add_column(self.cost(&pat, w.mode), 0.0.., col)
                    .map_err(solver_error)?;
                col_pat.push(self.patterns.len());
                self.patterns.push(pat);
            }
            hm = hm2;
        }
    }

    /// Price every cohort under the master's duals: the Lagrangian bound
    /// (obj + sum of size x reduced cost) and the weeks that price out.
    fn price_all(
        &self,
        w: &Master,
        duals: &[f64],
        obj: f64,
        size: &[u32],
        rows: &Rows,
    ) -> (f64, Vec<Pattern>) {
        let keep = rows.keep.is_some();
        let pools = &self.m.pools;
        let pi: Vec<f64> = (0..pools.len())
            .map(|p| {
                if self.exact_cover(w.mode) {
                    duals[p]
                } else {
                    duals[p].max(0.0)
                }
            })
            .collect();
        let sigma: Vec<f64> = (0..self.cohorts.len())
            .map(|k| {
                let d = duals[pools.len() + k];
                if self.placed(k, w.lo[k], w.mode) {
                    d
                } else {
                    d.min(0.0)
                }
            })
            .collect();
        // The balance row's dual (<= row: not positive).
        let mu = if keep {
            duals[pools.len() + size.len() + 1].min(0.0)
        } else {
            0.0
        };
        // The carried-load row's dual (a floor: not negative; an equality:
        // either sign) values a fair person's every hour.
        let exact = self.floor.is_some_and(|c| c.exact);
        let rho = rows.carried.map_or(
            0.0,
            |(_, at)| if exact { duals[at] } else { duals[at].max(0.0) },
        );
        let pi_fair: Vec<f64> = pi
            .iter()
            .zip(pools)
            .map(|(d, p)| d + rho * hours(p.load))
            .collect();
        let mut lagr = obj;
        let mut new = Vec::new();
        for (k, &cap) in w.hi.iter().enumerate() {
            let pi = if self.cohorts[k].reach.is_some() {
                &pi_fair
            } else {
                &pi
            };
            if let Some((value, chosen)) = self.price(k, (pi, mu), (w.lo[k], cap), w.mode) {
                let rc = -(value + sigma[k]);
                if rc < -LP_FEAS {
                    lagr += f64::from(size[k]) * rc;
                    new.push(Pattern {
                        cohort: k,
                        load: chosen.iter().map(|&p| pools[p].load).sum(),
                        pref: self.pattern_pref(self.cohorts[k].rep, &chosen),
                        pools: chosen,
                    });
                }
            }
        }
        (lagr, new)
    }
}
