//! Tier-2 lower bound by column generation (Dantzig–Wolfe).
//!
//! A column is one person's whole week (a *pattern*): no overlap, daily
//! and weekly limits, and a load within the probed cap. People with the
//! same eligible pools, quota and term-to-date load are interchangeable, so
//! they form one class with one convexity row of their headcount
//! (symmetry removed). The master LP minimises uncovered demand; if even
//! its optimum exceeds tier 1's, no roster reaches the probed level. The
//! pattern polytope sees the lumpiness of each person's week that the
//! compact LP averages away.

use std::collections::BTreeMap;
use std::hash::{BuildHasherDefault, DefaultHasher};
use std::time::Instant;

use highs::{ColProblem, HighsModelStatus, Row, Sense};

use super::Model;

/// A hash map with fixed keys: iteration order, and so tie-breaking in
/// pricing, is the same on every run (std's default map is seeded
/// randomly per instance).
type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<DefaultHasher>>;
use crate::error::{Error, Result};

/// One option of a person's day: (start, end, load, minutes).
type DayOption = (u16, u16, i64, u32);

/// One non-overlapping choice of pools on one day.
struct DaySub {
    pools: Vec<usize>,
    n: u32,
    load: i64,
    minutes: u32,
    /// Preference penalty of the choice for the class (preference mode).
    pref: f64,
}

struct Class {
    /// Representative staff member (all members are interchangeable).
    rep: usize,
    members: Vec<usize>,
    size: u32,
    /// Loads the class can reach; None for staff outside fairness (no cap).
    reach: Option<Vec<i64>>,
    days: Vec<Vec<DaySub>>,
}

struct Pattern {
    class: usize,
    pools: Vec<usize>,
    load: i64,
    /// Preference penalty (preference mode; else 0).
    pref: f64,
}

pub(super) struct Dw<'m, 'a> {
    m: &'m Model<'a>,
    classes: Vec<Class>,
    /// Class of each staff member (usize::MAX: no eligible pool).
    class_of: Vec<usize>,
    patterns: Vec<Pattern>,
    /// Longest a probe may run; past it, the level counts as not ruled out.
    pub(super) deadline: Instant,
    /// Diving: residual need per pool and headcount per class (None: the
    /// full week).
    need_ov: Option<Vec<u32>>,
    size_ov: Option<Vec<u32>>,
    /// Costed modes (tiers 3–5): every fair person holds exactly one
    /// week (the empty one included), open seats are capped instead of
    /// costed, and weeks cost what `Costed::cost` says.
    costed: Option<Costed>,
    /// Classes split by preferences too (own classes, avoided duties), and
    /// day choices carry their preference penalty: for tier 5.
    prefs: bool,
    /// The last master LP: objective and (pattern, value) of its columns.
    last_obj: f64,
    lambda: Vec<(usize, f64)>,
    lp_solves: u32,
}

#[derive(Clone, Copy)]
pub(super) struct Costed {
    /// The average relative load of the fair staff.
    pub(super) center: f64,
    /// Most seats that may stay open (tier 1's optimum).
    pub(super) uncovered: f64,
    pub(super) cost: Cost,
}

/// What a week costs its owner in a costed mode.
#[derive(Clone, Copy)]
pub(super) enum Cost {
    /// Tier 3: the distance of its relative load outside the tier-3 band
    /// around the average.
    Spread,
    /// Tier 4: the squared distance from the average.
    Balance,
    /// Tier 5: its preference penalty, while the balance sum stays within
    /// `keep_balance` (tier 4's optimum).
    Preferences { keep_balance: f64 },
}

/// Penalty on a balance-mode slack (an unplaced person, an open seat
/// beyond tier 1's optimum): far above any week's cost.
const BALANCE_PENALTY: f64 = 1e4;

/// Outcome of one probe.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Probe {
    /// No roster keeps everyone within the caps (proved by the LP).
    RuledOut,
    /// The LP cannot rule the level out (or ran out of time).
    Open,
}

impl<'m, 'a> Dw<'m, 'a> {
    /// `prefs`: split classes by preferences too and price day choices
    /// with their penalty (tier 5). `windows`: split classes by each fair
    /// person's own tier-3 distance (shortfall, excess), so that every
    /// member of a class has the same band (tiers 4 and 5).
    pub(super) fn new(
        m: &'m Model<'a>,
        deadline: Instant,
        prefs: bool,
        windows: Option<&[(f64, f64)]>,
    ) -> Dw<'m, 'a> {
        let staff_n = m.school.staff.len();
        let mut eligible: Vec<Vec<usize>> = vec![Vec::new(); staff_n];
        for (p, pool) in m.pools.iter().enumerate() {
            for &s in &pool.eligible {
                eligible[s].push(p);
            }
        }
        // Class key: eligible pools, and for fair staff their quota and
        // term-to-date load (the two inputs of relative load); with
        // preferences, the pools that are their own class or avoided; with
        // windows, their tier-3 distance (in millionths).
        type Key = (Vec<usize>, Option<(i64, i64)>, Vec<usize>, (i64, i64));
        let mut by_key: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
        let fair: std::collections::BTreeSet<usize> = m.fair.iter().copied().collect();
        for (s, el) in eligible.iter().enumerate() {
            if el.is_empty() {
                continue;
            }
            let f = fair.contains(&s).then(|| {
                (
                    m.school.staff[s].quota.0,
                    m.school.served.get(&s).copied().unwrap_or(0),
                )
            });
            // 2p: pool p holds their own class; 2p + 1: they asked to
            // avoid it (both can hold).
            let own: Vec<usize> = if prefs {
                el.iter()
                    .flat_map(|&p| {
                        let own = m.own.contains(&(s, p)).then_some(2 * p);
                        own.into_iter()
                            .chain(m.avoid.contains(&(s, p)).then_some(2 * p + 1))
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let w = windows
                .zip(m.fair.binary_search(&s).ok())
                .and_then(|(w, i)| w.get(i))
                .map_or((0, 0), |&(a, e)| {
                    ((a * 1e6).round() as i64, (e * 1e6).round() as i64)
                });
            by_key.entry((el.clone(), f, own, w)).or_default().push(s);
        }
        let n_days = m.demand.days.len();
        let r = &m.policy.rules;
        let mut class_of = vec![usize::MAX; staff_n];
        let classes: Vec<Class> = by_key
            .into_iter()
            .enumerate()
            .map(|(k, ((pools, f, _, _), members))| {
                for &s in &members {
                    class_of[s] = k;
                }
                let rep = members[0];
                let mut days: Vec<Vec<DaySub>> = (0..n_days).map(|_| Vec::new()).collect();
                for (d, out) in days.iter_mut().enumerate() {
                    let mut opts: Vec<(DayOption, usize)> = pools
                        .iter()
                        .filter(|&&p| m.pools[p].day == d)
                        .map(|&p| {
                            let pl = &m.pools[p];
                            ((pl.start, pl.end, pl.load, pl.minutes), p)
                        })
                        .collect();
                    opts.sort_unstable();
                    let mut acc = Vec::new();
                    subs(
                        &opts,
                        0,
                        0,
                        &mut acc,
                        r.max_duties_per_day,
                        r.max_minutes_per_day,
                        out,
                    );
                    if prefs {
                        for sub in out.iter_mut() {
                            sub.pref = m.week_pref(rep, &sub.pools);
                        }
                    }
                }
                Class {
                    rep,
                    size: members.len() as u32,
                    members,
                    reach: f.map(|_| reachable(&days, r)),
                    days,
                }
            })
            .collect();
        Dw {
            m,
            classes,
            class_of,
            patterns: Vec::new(),
            deadline,
            need_ov: None,
            size_ov: None,
            costed: None,
            prefs,
            last_obj: f64::INFINITY,
            lambda: Vec::new(),
            lp_solves: 0,
        }
    }

    /// (classes, week patterns, LP solves) so far.
    pub(super) fn sizes(&self) -> (usize, usize, u32) {
        (self.classes.len(), self.patterns.len(), self.lp_solves)
    }

    /// Add a known roster's weeks to the column pool.
    pub(super) fn seed(&mut self, roster: &[Vec<usize>]) {
        let mut weeks: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (p, ss) in roster.iter().enumerate() {
            for &s in ss {
                weeks.entry(s).or_default().push(p);
            }
        }
        for (s, pools) in weeks {
            let class = self.class_of[s];
            if class == usize::MAX
                || self
                    .patterns
                    .iter()
                    .any(|q| q.class == class && q.pools == pools)
            {
                continue;
            }
            self.patterns.push(Pattern {
                class,
                load: pools.iter().map(|&p| self.m.pools[p].load).sum(),
                pref: self.pattern_pref(s, &pools),
                pools,
            });
        }
    }

    /// Tier 2's candidate levels below `ub`, then `ub`: the highest
    /// relative load is always one some fair person can actually reach.
    pub(super) fn levels(&self, ub: f64) -> Vec<f64> {
        let floor0 = self
            .m
            .fair
            .iter()
            .map(|&s| self.m.rel(s, 0))
            .fold(0.0, f64::max);
        let mut levels: Vec<f64> = self
            .classes
            .iter()
            .filter_map(|c| c.reach.as_ref().map(|r| (c.rep, r)))
            .flat_map(|(rep, r)| r.iter().map(move |&a| self.m.rel(rep, a)))
            .filter(|&v| v >= floor0 - 1e-9 && v < ub - 1e-9)
            .collect();
        levels.push(ub);
        levels.sort_by(f64::total_cmp);
        levels.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
        levels
    }

    /// Per fair person (in `Model::fair` order), the highest relative load
    /// they can reach at level `v`: caps for the compact model.
    pub(super) fn fair_caps(&self, v: f64) -> Vec<f64> {
        self.m
            .fair
            .iter()
            .map(|&s| {
                let k = self.class_of[s];
                let a = if k == usize::MAX {
                    0
                } else {
                    self.cap(k, v).max(0)
                };
                self.m.rel(s, a) + 1e-9
            })
            .collect()
    }

    /// The highest load class `k` may carry at level `v` (in load units).
    fn cap(&self, k: usize, v: f64) -> i64 {
        let c = &self.classes[k];
        match &c.reach {
            None => i64::MAX,
            Some(r) => r
                .iter()
                .rev()
                .find(|&&a| self.m.rel(c.rep, a) <= v + 1e-9)
                .copied()
                .unwrap_or(-1),
        }
    }

    /// Can any roster leave at most `uncovered` seats open with every fair
    /// person at relative load `v` or below? RuledOut is a proof that not.
    pub(super) fn probe(&mut self, v: f64, uncovered: f64) -> Result<Probe> {
        let caps: Vec<i64> = (0..self.classes.len()).map(|k| self.cap(k, v)).collect();
        if caps.iter().any(|&c| c < 0) {
            // Someone's term-to-date load alone is above the level.
            return Ok(Probe::RuledOut);
        }
        let lo = vec![0; caps.len()];
        let lb = self.cg(&lo, &caps, |obj, lb| {
            obj <= uncovered + 1e-6 || lb > uncovered + 1e-6
        })?;
        Ok(if lb > uncovered + 1e-6 {
            Probe::RuledOut
        } else {
            Probe::Open
        })
    }

    /// Tier 1's bound: the fewest open seats any roster can leave
    /// (the column-generation LP, rounded up).
    pub(super) fn min_uncovered(&mut self) -> Result<f64> {
        let caps: Vec<i64> = (0..self.classes.len())
            .map(|k| self.cap(k, f64::INFINITY))
            .collect();
        let up = |x: f64| (x - 1e-6).ceil().max(0.0);
        let lo = vec![0; caps.len()];
        let lb = self.cg(&lo, &caps, |obj, lb| up(lb) >= up(obj))?;
        Ok(up(lb))
    }

    /// Tier 3 when its optimum is zero: a roster with every fair person's
    /// relative load inside their band (`band(staff)`, low and high) and at
    /// most `uncovered` seats open. None when the pattern LP rules it out
    /// or the generated weeks do not combine into one.
    pub(super) fn within_bands(
        &mut self,
        band: &dyn Fn(usize) -> (f64, f64),
        uncovered: f64,
        max_nodes: u32,
    ) -> Result<Option<Vec<Vec<usize>>>> {
        let Some((lo, hi)) = self.windows(band) else {
            return Ok(None);
        };
        let lb = self.cg(&lo, &hi, |obj, lb| {
            obj <= uncovered + 1e-6 || lb > uncovered + 1e-6
        })?;
        if lb > uncovered + 1e-6 {
            return Ok(None);
        }
        self.integer_in(&lo, &hi, uncovered, max_nodes)
    }

    /// Per class, the reachable loads inside the relative-load band
    /// `band(representative)`, as (lowest, highest); None when some class
    /// can reach no load inside its band.
    fn windows(&self, band: &dyn Fn(usize) -> (f64, f64)) -> Option<(Vec<i64>, Vec<i64>)> {
        let mut lo = Vec::with_capacity(self.classes.len());
        let mut hi = Vec::with_capacity(self.classes.len());
        for c in &self.classes {
            let Some(r) = &c.reach else {
                lo.push(0);
                hi.push(i64::MAX);
                continue;
            };
            let (a, b) = band(c.rep);
            let rel = |x: i64| self.m.rel(c.rep, x);
            let l = r.iter().find(|&&x| rel(x) >= a - 1e-9).copied();
            let h = r.iter().rev().find(|&&x| rel(x) <= b + 1e-9).copied();
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

    /// Tiers 3–5: the roster within the per-class bands
    /// `band(representative)`, with at most `mode.uncovered` seats open,
    /// that minimises the sum over fair staff of their weeks' costs
    /// (`mode.cost`) around `mode.center`. Returns the rosters found
    /// (price-and-branch, diving) and the column-generation lower bound
    /// on the objective.
    pub(super) fn costed(
        &mut self,
        band: &dyn Fn(usize) -> (f64, f64),
        mode: Costed,
        max_nodes: u32,
    ) -> Result<(Vec<Vec<Vec<usize>>>, f64)> {
        let Some((lo, hi)) = self.windows(band) else {
            return Ok((Vec::new(), f64::NAN));
        };
        // The empty week, which a person far above the average may need.
        for (k, &l) in lo.iter().enumerate() {
            if l == 0
                && !self
                    .patterns
                    .iter()
                    .any(|q| q.class == k && q.pools.is_empty())
            {
                self.patterns.push(Pattern {
                    class: k,
                    pools: Vec::new(),
                    load: 0,
                    pref: 0.0,
                });
            }
        }
        self.costed = Some(mode);
        let out = self.costed_run(&lo, &hi, mode, max_nodes);
        self.costed = None;
        out
    }

    fn costed_run(
        &mut self,
        lo: &[i64],
        hi: &[i64],
        mode: Costed,
        max_nodes: u32,
    ) -> Result<(Vec<Vec<Vec<usize>>>, f64)> {
        let lb = self.cg(lo, hi, |obj, lb| lb >= obj - 1e-9)?;
        let mut found = Vec::new();
        let value = |m: &Model, x: &[Vec<usize>]| match mode.cost {
            Cost::Spread => m.spread_value(x, mode.center),
            Cost::Balance => m.balance_value(x, mode.center),
            Cost::Preferences { .. } => m.pref_value(x),
        };
        let closes = |v: f64| v <= lb + 1e-6 * lb.abs().max(1.0);
        // Spread and balance: diving first (measured on the large school:
        // price-and-branch spends 3.5 s at its root alone, diving reaches
        // 0.04 % in 2.2 s). In preference mode diving would have to shrink the
        // balance row by the fixed weeks' distances, so it is not used.
        if !matches!(mode.cost, Cost::Preferences { .. }) {
            if let Some(x) = self.dive_in(lo, hi, |obj| obj >= BALANCE_PENALTY * 0.5)? {
                let done = closes(value(self.m, &x));
                found.push(x);
                if done {
                    return Ok((found, lb));
                }
            }
        }
        // Price-and-branch over every week generated so far.
        if let Some(x) = self.integer_in(lo, hi, mode.uncovered, max_nodes)? {
            found.push(x);
        }
        Ok((found, lb))
    }

    /// Costed modes: a week's squared distance of its load `load` from
    /// the average (tier 3: its distance outside the band), for class `k`
    /// (0 outside fairness).
    fn distance(&self, k: usize, load: i64) -> f64 {
        let c = &self.classes[k];
        match (&self.costed, &c.reach) {
            (Some(b), Some(_)) => match b.cost {
                Cost::Spread => self.m.spread_distance(c.rep, load, b.center),
                Cost::Balance | Cost::Preferences { .. } => {
                    (self.m.rel(c.rep, load) - b.center).powi(2)
                }
            },
            _ => 0.0,
        }
    }

    /// A week's column: its class's convexity row, its pools' cover rows
    /// and, in preference mode, its distance in the balance row.
    fn column(
        &self,
        pat: &Pattern,
        conv: &[Row],
        cover: &[Row],
        keep: Option<Row>,
    ) -> Vec<(Row, f64)> {
        std::iter::once((conv[pat.class], 1.0))
            .chain(pat.pools.iter().map(|&p| (cover[p], 1.0)))
            .chain(keep.map(|r| (r, self.distance(pat.class, pat.load))))
            .collect()
    }

    /// A week's objective coefficient in the master.
    fn cost(&self, pat: &Pattern) -> f64 {
        match &self.costed {
            Some(Costed {
                cost: Cost::Preferences { .. },
                ..
            }) => pat.pref,
            Some(_) => self.distance(pat.class, pat.load),
            None => 0.0,
        }
    }

    fn pattern_pref(&self, s: usize, pools: &[usize]) -> f64 {
        if self.prefs {
            self.m.week_pref(s, pools)
        } else {
            0.0
        }
    }

    /// A pool's cover row: at least its need; in balance mode exactly, so
    /// that a surplus seat cannot count as load.
    fn cover_row(&self, pb: &mut ColProblem, need: u32) -> Row {
        let n = f64::from(need);
        if self.costed.is_some() {
            pb.add_row(n..=n)
        } else {
            pb.add_row(n..)
        }
    }

    /// Preference mode: the row keeping the balance sum within tier 4's
    /// optimum (added after the cover, convexity and open-seat rows).
    fn balance_row(&self, pb: &mut ColProblem) -> Option<Row> {
        match self.costed {
            Some(Costed {
                cost: Cost::Preferences { keep_balance },
                ..
            }) => Some(pb.add_row(..=keep_balance + 1e-6)),
            _ => None,
        }
    }

    /// One convexity row per class: its headcount `size` of weeks, exactly
    /// when every member must be placed.
    fn conv_rows(&self, pb: &mut ColProblem, size: &[u32], lo: &[i64]) -> Vec<Row> {
        (0..self.classes.len())
            .map(|k| {
                let n = f64::from(size[k]);
                if self.placed(k, lo[k]) {
                    pb.add_row(n..=n)
                } else {
                    pb.add_row(..=n)
                }
            })
            .collect()
    }

    /// Whether class `k` must hold exactly its headcount of weeks.
    fn placed(&self, k: usize, lo: i64) -> bool {
        lo > 0 || (self.costed.is_some() && self.classes[k].reach.is_some())
    }

    /// Column generation on the master LP with per-class load windows
    /// `lo..=caps` until `done(objective, bound)`, convergence or the
    /// deadline. Returns the best proven lower bound on the LP optimum
    /// (Lagrangian, or the optimum itself once no column prices out). A
    /// class with a positive floor must place every member (a penalised
    /// slack keeps the LP feasible meanwhile).
    fn cg(&mut self, lo: &[i64], caps: &[i64], done: impl Fn(f64, f64) -> bool) -> Result<f64> {
        let pools = &self.m.pools;
        let need: Vec<u32> = match &self.need_ov {
            Some(n) => n.clone(),
            None => pools.iter().map(|p| p.need).collect(),
        };
        let size: Vec<u32> = match &self.size_ov {
            Some(n) => n.clone(),
            None => self.classes.iter().map(|c| c.size).collect(),
        };
        let mut pb = ColProblem::default();
        let cover: Vec<Row> = need.iter().map(|&n| self.cover_row(&mut pb, n)).collect();
        let conv = self.conv_rows(&mut pb, &size, lo);
        // Open seats: the objective itself, or in balance mode capped at
        // tier 1's optimum (a penalised overflow keeps the LP feasible).
        let open = self.costed.map(|b| pb.add_row(..=b.uncovered + 1e-6));
        for (p, &n) in need.iter().enumerate() {
            match open {
                Some(o) => pb.add_column(0.0, 0.0..=f64::from(n), [(cover[p], 1.0), (o, 1.0)]),
                None => pb.add_column(1.0, 0.0..=f64::from(n), [(cover[p], 1.0)]),
            }
        }
        let total_need: f64 = need.iter().map(|&n| f64::from(n)).sum();
        let penalty = if self.costed.is_some() {
            BALANCE_PENALTY
        } else {
            total_need + 1.0
        };
        // Preference mode: the balance sum stays within tier 4's optimum.
        let keep = self.balance_row(&mut pb);
        let mut n_cols = need.len();
        for row in [open, keep].into_iter().flatten() {
            pb.add_column(penalty, 0.0.., [(row, -1.0)]);
            n_cols += 1;
        }
        for k in 0..self.classes.len() {
            if self.placed(k, lo[k]) {
                pb.add_column(penalty, 0.0..=f64::from(size[k]), [(conv[k], 1.0)]);
                n_cols += 1;
            }
        }
        // Pattern of each master column (after the slack columns).
        let mut col_pat: Vec<usize> = Vec::new();
        for (i, pat) in self.patterns.iter().enumerate() {
            if (lo[pat.class]..=caps[pat.class]).contains(&pat.load) {
                pb.add_column(self.cost(pat), 0.0.., self.column(pat, &conv, &cover, keep));
                col_pat.push(i);
            }
        }
        let mut hm = pb
            .try_optimise(Sense::Minimise)
            .map_err(|e| Error::Solver(format!("{e:?}")))?;
        hm.make_quiet();
        let _ = hm.try_set_option("threads", 1);
        // Uncovered seats and squared distances are never negative;
        // preference penalties may be.
        let mut lb = if keep.is_some() {
            f64::NEG_INFINITY
        } else {
            0.0
        };
        loop {
            let left = self
                .deadline
                .saturating_duration_since(Instant::now())
                .as_secs_f64();
            if left <= 0.0 {
                return Ok(lb);
            }
            let _ = hm.try_set_option("time_limit", left);
            let solved = hm
                .try_solve()
                .map_err(|e| Error::Solver(format!("{e:?}")))?;
            self.lp_solves += 1;
            if solved.status() != HighsModelStatus::Optimal {
                return Ok(lb);
            }
            let obj = solved.objective_value();
            let sol = solved.get_solution();
            self.last_obj = obj;
            self.lambda = col_pat
                .iter()
                .enumerate()
                .filter_map(|(j, &i)| {
                    let v = sol.columns().get(n_cols + j).copied().unwrap_or(0.0);
                    (v > 1e-9).then_some((i, v))
                })
                .collect();
            if done(obj, lb) {
                return Ok(lb);
            }
            let duals = sol.dual_rows();
            let pi: Vec<f64> = (0..pools.len())
                .map(|p| {
                    if self.costed.is_some() {
                        duals[p]
                    } else {
                        duals[p].max(0.0)
                    }
                })
                .collect();
            let sigma: Vec<f64> = (0..self.classes.len())
                .map(|k| {
                    let d = duals[pools.len() + k];
                    if self.placed(k, lo[k]) {
                        d
                    } else {
                        d.min(0.0)
                    }
                })
                .collect();
            // The balance row's dual (<= row: not positive).
            let mu = keep.map_or(0.0, |_| duals[pools.len() + size.len() + 1].min(0.0));
            // Price every class; Lagrangian bound: obj + sum of size x rc.
            let mut lagr = obj;
            let mut new = Vec::new();
            for (k, &cap) in caps.iter().enumerate() {
                if let Some((value, chosen)) = self.price(k, &pi, mu, lo[k], cap) {
                    let rc = -(value + sigma[k]);
                    if rc < -1e-9 {
                        lagr += f64::from(size[k]) * rc;
                        new.push(Pattern {
                            class: k,
                            load: chosen.iter().map(|&p| pools[p].load).sum(),
                            pref: self.pattern_pref(self.classes[k].rep, &chosen),
                            pools: chosen,
                        });
                    }
                }
            }
            if new.is_empty() {
                return Ok(lb.max(obj));
            }
            lb = lb.max(lagr);
            if done(obj, lb) {
                return Ok(lb);
            }
            let mut hm2: highs::Model = solved.into();
            for pat in new {
                hm2.try_add_column(
                    self.cost(&pat),
                    0.0..,
                    self.column(&pat, &conv, &cover, keep),
                )
                .map_err(|e| Error::Solver(format!("{e:?}")))?;
                col_pat.push(self.patterns.len());
                self.patterns.push(pat);
            }
            hm = hm2;
        }
    }

    /// Price and branch: the generated weeks as an integer program. A
    /// roster using only known weeks within the caps at level `v`, with at
    /// most `uncovered` seats open, or None. Pins are not modelled here:
    /// the caller checks the roster against the full model.
    pub(super) fn integer(
        &self,
        v: f64,
        uncovered: f64,
        max_nodes: u32,
    ) -> Result<Option<Vec<Vec<usize>>>> {
        let caps: Vec<i64> = (0..self.classes.len()).map(|k| self.cap(k, v)).collect();
        let lo = vec![0; caps.len()];
        self.integer_in(&lo, &caps, uncovered, max_nodes)
    }

    /// Diving: solve the master LP, fix the weeks it uses whole (and, if
    /// none, one unit of its largest fractional week), shrink the needs and
    /// headcounts, generate columns again, until nothing is fractional. A
    /// roster at level `v` with at most `uncovered` seats open, or None.
    pub(super) fn dive(&mut self, v: f64, uncovered: f64) -> Result<Option<Vec<Vec<usize>>>> {
        let caps: Vec<i64> = (0..self.classes.len()).map(|k| self.cap(k, v)).collect();
        if caps.iter().any(|&c| c < 0) {
            return Ok(None);
        }
        let lo = vec![0; caps.len()];
        self.dive_in(&lo, &caps, |obj| obj > uncovered + 1e-6)
    }

    /// Diving within per-class load windows `lo..=caps`; `infeasible(obj)`
    /// says when a master LP's optimum shows the residual has no roster.
    fn dive_in(
        &mut self,
        lo: &[i64],
        caps: &[i64],
        infeasible: impl Fn(f64) -> bool,
    ) -> Result<Option<Vec<Vec<usize>>>> {
        let mut need: Vec<u32> = self.m.pools.iter().map(|p| p.need).collect();
        let mut size: Vec<u32> = self.classes.iter().map(|c| c.size).collect();
        let mut fixed: Vec<usize> = Vec::new();
        let mut ok = false;
        let staff: u32 = size.iter().sum();
        for _ in 0..=staff {
            self.need_ov = Some(need.clone());
            self.size_ov = Some(size.clone());
            self.last_obj = f64::INFINITY;
            self.cg(lo, caps, |obj, lb| lb >= obj - 1e-9)?;
            if infeasible(self.last_obj) || Instant::now() >= self.deadline {
                break;
            }
            let lam = std::mem::take(&mut self.lambda);
            if lam.is_empty() {
                ok = true;
                break;
            }
            let mut fix = |i: usize, fixed: &mut Vec<usize>| {
                let k = self.patterns[i].class;
                if size[k] > 0 {
                    size[k] -= 1;
                    for &p in &self.patterns[i].pools {
                        need[p] = need[p].saturating_sub(1);
                    }
                    fixed.push(i);
                }
            };
            let before = fixed.len();
            for &(i, x) in &lam {
                for _ in 0..((x + 1e-6).floor() as u32) {
                    fix(i, &mut fixed);
                }
            }
            if fixed.len() == before {
                let (i, _) = lam
                    .iter()
                    .copied()
                    .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                    .unwrap_or((0, 0.0));
                fix(i, &mut fixed);
                if fixed.len() == before {
                    break;
                }
            }
        }
        self.need_ov = None;
        self.size_ov = None;
        if !ok {
            return Ok(None);
        }
        Ok(self.roster(&fixed))
    }

    /// The roster of a list of weeks (pattern indices, one per person):
    /// each class's weeks go to its members in id order. None if a class
    /// has more weeks than members.
    fn roster(&self, weeks: &[usize]) -> Option<Vec<Vec<usize>>> {
        let mut next = vec![0usize; self.classes.len()];
        let mut chosen: Vec<Vec<usize>> = vec![Vec::new(); self.m.pools.len()];
        for &i in weeks {
            let k = self.patterns[i].class;
            let &s = self.classes[k].members.get(next[k])?;
            next[k] += 1;
            for &p in &self.patterns[i].pools {
                chosen[p].push(s);
            }
        }
        // Seats beyond the need: drop the extra people (loads only fall).
        for (p, ss) in chosen.iter_mut().enumerate() {
            ss.sort_unstable();
            ss.truncate(self.m.pools[p].need as usize);
        }
        Some(chosen)
    }

    /// Column generation at level `v` run to the LP optimum (not stopped
    /// as soon as the level is open), so that price-and-branch has the
    /// weeks an integer roster needs.
    pub(super) fn enrich(&mut self, v: f64) -> Result<()> {
        let caps: Vec<i64> = (0..self.classes.len()).map(|k| self.cap(k, v)).collect();
        if caps.iter().any(|&c| c < 0) {
            return Ok(());
        }
        let lo = vec![0; caps.len()];
        self.cg(&lo, &caps, |obj, lb| lb >= obj - 1e-9)?;
        Ok(())
    }

    /// As `integer`, with per-class load windows `lo..=caps`.
    fn integer_in(
        &self,
        lo: &[i64],
        caps: &[i64],
        uncovered: f64,
        max_nodes: u32,
    ) -> Result<Option<Vec<Vec<usize>>>> {
        let pools = &self.m.pools;
        let mut pb = ColProblem::default();
        let cover: Vec<Row> = pools
            .iter()
            .map(|p| self.cover_row(&mut pb, p.need))
            .collect();
        let size: Vec<u32> = self.classes.iter().map(|c| c.size).collect();
        let conv = self.conv_rows(&mut pb, &size, lo);
        let open = pb.add_row(..=uncovered + 1e-6);
        let keep = self.balance_row(&mut pb);
        let seat_cost = if self.costed.is_some() { 0.0 } else { 1.0 };
        for (p, pool) in pools.iter().enumerate() {
            pb.add_integer_column(
                seat_cost,
                0.0..=f64::from(pool.need),
                [(cover[p], 1.0), (open, 1.0)],
            );
        }
        let used: Vec<usize> = (0..self.patterns.len())
            .filter(|&i| {
                let pat = &self.patterns[i];
                (lo[pat.class]..=caps[pat.class]).contains(&pat.load)
            })
            .collect();
        for pat in used.iter().map(|&i| &self.patterns[i]) {
            pb.add_integer_column(self.cost(pat), 0.0.., self.column(pat, &conv, &cover, keep));
        }
        let mut hm = pb
            .try_optimise(Sense::Minimise)
            .map_err(|e| Error::Solver(format!("{e:?}")))?;
        hm.make_quiet();
        let _ = hm.try_set_option("threads", 1);
        let _ = hm.try_set_option("random_seed", 0);
        let _ = hm.try_set_option("mip_max_nodes", max_nodes as i32);
        let left = self
            .deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
            .max(0.1);
        let _ = hm.try_set_option("time_limit", left);
        let solved = hm
            .try_solve()
            .map_err(|e| Error::Solver(format!("{e:?}")))?;
        let cols = solved.get_solution().columns().to_vec();
        let n = pools.len() + used.len();
        if cols.len() != n
            || solved.primal_solution_status() != highs::HighsSolutionStatus::Feasible
        {
            return Ok(None);
        }
        let weeks: Vec<usize> = used
            .iter()
            .enumerate()
            .flat_map(|(j, &i)| std::iter::repeat_n(i, cols[pools.len() + j].round() as usize))
            .collect();
        Ok(self.roster(&weeks))
    }

    /// The class's most valuable week under duals `pi` (and `mu`, the
    /// balance row's) with a load in `lo..=cap`: duals covered less the
    /// week's cost in the master.
    fn price(&self, k: usize, pi: &[f64], mu: f64, lo: i64, cap: i64) -> Option<(f64, Vec<usize>)> {
        let c = &self.classes[k];
        let keep = self
            .costed
            .is_some_and(|m| matches!(m.cost, Cost::Preferences { .. }));
        // Cost of the week's load at the end of the DP.
        let end_cost = |load: i64| {
            if keep {
                -mu * self.distance(k, load)
            } else {
                self.distance(k, load)
            }
        };
        // Without costs, a day choice no dual values cannot help; with
        // them, it may bring a person nearer the average.
        let skip_idle = lo == 0 && self.costed.is_none();
        let r = &self.m.policy.rules;
        type St = (u32, i64, u32);
        // Layered DP over days: state -> (value, previous state, day choice).
        let mut layers: Vec<HashMap<St, (f64, St, usize)>> = Vec::with_capacity(c.days.len());
        let mut cur: HashMap<St, (f64, St, usize)> = HashMap::default();
        cur.insert((0, 0, 0), (0.0, (0, 0, 0), usize::MAX));
        for subs in &c.days {
            // Best choice per (duties, load, minutes) on this day.
            let mut best: HashMap<St, (f64, usize)> = HashMap::default();
            for (i, sub) in subs.iter().enumerate() {
                let v: f64 = sub.pools.iter().map(|&p| pi[p]).sum::<f64>()
                    - if keep { sub.pref } else { 0.0 };
                if v <= 1e-12 && skip_idle {
                    continue;
                }
                let e = best.entry((sub.n, sub.load, sub.minutes)).or_insert((v, i));
                if v > e.0 {
                    *e = (v, i);
                }
            }
            let mut next: HashMap<St, (f64, St, usize)> =
                HashMap::with_capacity_and_hasher(cur.len() * 2, Default::default());
            for (&st, &(val, _, _)) in &cur {
                let keep = next.entry(st).or_insert((val, st, usize::MAX));
                if val > keep.0 {
                    *keep = (val, st, usize::MAX);
                }
                for (&(n, l, mi), &(v, i)) in &best {
                    let ns = (st.0 + n, st.1 + l, st.2 + mi);
                    if ns.0 > r.max_duties_per_week || ns.2 > r.max_minutes_per_week || ns.1 > cap {
                        continue;
                    }
                    let nv = val + v;
                    let e = next.entry(ns).or_insert((f64::NEG_INFINITY, st, i));
                    if nv > e.0 {
                        *e = (nv, st, i);
                    }
                }
            }
            layers.push(next.clone());
            cur = next;
        }
        // Deterministic argmax: highest value, then smallest state.
        let (end, value) = cur
            .iter()
            .filter(|(st, _)| st.1 >= lo)
            .map(|(&st, &(v, _, _))| (st, v - end_cost(st.1)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
        if value <= 1e-12 && skip_idle {
            return None;
        }
        let mut pools = Vec::new();
        let mut st = end;
        for d in (0..layers.len()).rev() {
            let (_, prev, i) = layers[d][&st];
            if i != usize::MAX {
                pools.extend_from_slice(&c.days[d][i].pools);
            }
            st = prev;
        }
        pools.sort_unstable();
        Some((value, pools))
    }
}

/// Non-overlapping subsets (sorted by start) within the daily limits.
fn subs(
    opts: &[(DayOption, usize)],
    from: usize,
    free_at: u16,
    acc: &mut Vec<usize>,
    max_n: u32,
    max_min: u32,
    out: &mut Vec<DaySub>,
) {
    if !acc.is_empty() {
        let (load, minutes) = acc.iter().fold((0i64, 0u32), |(l, m), &i| {
            (l + opts[i].0 .2, m + opts[i].0 .3)
        });
        out.push(DaySub {
            pools: acc.iter().map(|&i| opts[i].1).collect(),
            n: acc.len() as u32,
            load,
            minutes,
            pref: 0.0,
        });
    }
    if acc.len() as u32 >= max_n {
        return;
    }
    let used: u32 = acc.iter().map(|&i| opts[i].0 .3).sum();
    for j in from..opts.len() {
        let (st, en, _, mi) = opts[j].0;
        if st >= free_at && used + mi <= max_min {
            acc.push(j);
            subs(opts, j + 1, en, acc, max_n, max_min, out);
            acc.pop();
        }
    }
}

/// Every weekly load a class could carry, sorted: one choice per day
/// within the weekly limits. A superset of what the full model allows
/// (pins are ignored), so levels and caps derived from it stay valid.
fn reachable(days: &[Vec<DaySub>], r: &crate::model::policy::StaffRules) -> Vec<i64> {
    let mut week: std::collections::BTreeSet<(u32, i64, u32)> = [(0, 0, 0)].into();
    for subs in days {
        let mut next = week.clone();
        for &(n, l, m) in &week {
            for d in subs {
                if n + d.n <= r.max_duties_per_week && m + d.minutes <= r.max_minutes_per_week {
                    next.insert((n + d.n, l + d.load, m + d.minutes));
                }
            }
        }
        week = next;
    }
    let mut loads: Vec<i64> = week.into_iter().map(|(_, l, _)| l).collect();
    loads.sort_unstable();
    loads.dedup();
    loads
}
