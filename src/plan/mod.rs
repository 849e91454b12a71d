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

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use good_lp::{constraint, highs, variable, Expression, ProblemVariables, SolverModel, Variable};

use crate::demand::WeekDemand;
use crate::error::{Error, Result};
use crate::model::policy::{Part, Policy, Role};
use crate::model::school::{LeaveKind, School, LOAD_PER_HOUR};

pub mod diagnose;
pub mod eligibility;
mod patterns;

use eligibility::available;
pub use eligibility::ineligible;

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
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TierReport {
    pub tier: u8,
    pub name: &'static str,
    pub objective: f64,
    pub bound: f64,
    pub gap: f64,
    pub optimal: bool,
    pub seconds: f64,
}

impl TierReport {
    /// A tier whose value meets its proven bound.
    fn proven(tier: u8, name: &'static str, value: f64, bound: f64) -> TierReport {
        TierReport {
            tier,
            name,
            objective: value,
            bound,
            gap: 0.0,
            optimal: true,
            seconds: 0.0,
        }
    }

    /// A tier's value against a lower bound (NaN: none): proven when they
    /// meet, else the relative gap.
    fn against(tier: u8, name: &'static str, value: f64, bound: f64) -> TierReport {
        if value <= bound + 1e-6 * value.abs().max(1.0) {
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
                (value - bound) / value.abs().max(1e-9)
            },
            optimal: false,
            seconds: 0.0,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub duties: usize,
    pub pools: usize,
    pub staff: usize,
    pub binaries: usize,
    /// Column generation: classes of interchangeable staff, week patterns
    /// generated, master LP solves.
    pub classes: usize,
    pub cg_columns: usize,
    pub cg_lps: u32,
    /// Tier 5 by column generation: classes (split by preferences).
    pub pref_classes: usize,
    /// The average relative load tiers 3-5 measure distances from: that
    /// of tier 2's roster. With seats left open, which ones stay open
    /// moves it, so two plans' tiers 3-5 compare only at the same center.
    pub center: Option<f64>,
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

/// Interchangeable duties of one slot.
#[derive(Debug, Clone)]
pub struct Pool {
    pub duties: Vec<usize>,
    pub need: u32,
    pub eligible: Vec<usize>,
    pub day: usize,
    pub start: u16,
    pub end: u16,
    pub load: i64,
    pub minutes: u32,
    pub part: Part,
    pub session: String,
    pub kind: usize,
}

/// Date, start, end, kind, qualification, fixed instructor, session.
type PoolKey = (
    chrono::NaiveDate,
    u16,
    u16,
    usize,
    Option<String>,
    Option<usize>,
    String,
);

pub fn pools(policy: &Policy, school: &School, demand: &WeekDemand) -> Vec<Pool> {
    let mut by_key: BTreeMap<PoolKey, Vec<usize>> = BTreeMap::new();
    for (i, d) in demand.duties.iter().enumerate() {
        // A named, available instructor makes the duty theirs alone.
        let fixed = d.instructor.filter(|&s| available(policy, school, s, d));
        by_key
            .entry((
                d.date,
                d.start.0,
                d.end.0,
                d.kind,
                d.qualification.clone(),
                fixed,
                d.session.clone(),
            ))
            .or_default()
            .push(i);
    }
    let day_index: BTreeMap<chrono::NaiveDate, usize> = demand
        .days
        .iter()
        .enumerate()
        .map(|(i, d)| (d.date, i))
        .collect();
    by_key
        .into_values()
        .map(|duties| {
            let d0 = &demand.duties[duties[0]];
            let eligible = (0..school.staff.len())
                .filter(|&s| ineligible(policy, school, s, d0).is_none())
                .collect();
            Pool {
                need: duties.iter().map(|&i| demand.duties[i].staff_needed).sum(),
                duties,
                eligible,
                day: day_index.get(&d0.date).copied().unwrap_or(0),
                start: d0.start.0,
                end: d0.end.0,
                load: d0.load(),
                minutes: d0.minutes(),
                part: policy.part_of(&d0.session).unwrap_or(Part::Afternoon),
                session: d0.session.clone(),
                kind: d0.kind,
            }
        })
        .collect()
}

/// Maximal sets of pairwise-overlapping pools per day (interval cliques).
fn cliques(pools: &[Pool]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let days: BTreeSet<usize> = pools.iter().map(|p| p.day).collect();
    for day in days {
        let idx: Vec<usize> = (0..pools.len()).filter(|&i| pools[i].day == day).collect();
        let mut starts: Vec<u16> = idx.iter().map(|&i| pools[i].start).collect();
        starts.sort_unstable();
        starts.dedup();
        let mut prev: Option<Vec<usize>> = None;
        for t in starts {
            let c: Vec<usize> = idx
                .iter()
                .copied()
                .filter(|&i| pools[i].start <= t && t < pools[i].end)
                .collect();
            if c.len() >= 2
                && prev
                    .as_ref()
                    .is_none_or(|p| !c.iter().all(|x| p.contains(x)))
            {
                out.push(c.clone());
            }
            prev = Some(c);
        }
    }
    out
}

/// Which tier the model optimises; earlier tiers' optima are bounds.
#[derive(Clone, Copy, PartialEq)]
enum Tier {
    Uncovered,
    /// Repair only: assignments changed against the published roster.
    Changes,
    /// Repair only: the new work goes to the least loaded (sum of their
    /// relative load before the repair over added assignments).
    Replacement,
    MaxLoad,
    /// Any roster within `Bounds::caps` (objective 0): a tier-2 probe.
    Feasible,
    Spread,
    /// Sum over fair staff of the squared distance of their relative load
    /// from the average, within the tier-3 band (column generation only).
    Balance,
    Preferences,
}

#[derive(Clone)]
struct Bounds {
    /// Tier 3's reference: the average relative load of the fair staff.
    floor_base: Option<f64>,
    uncovered: Option<f64>,
    changes: Option<f64>,
    replacement: Option<f64>,
    max_load: Option<f64>,
    shortfall: Option<f64>,
    /// Tiers 4-5: each fair person's tier-3 (shortfall, excess), kept as
    /// their own limits so preferences cannot trade one person's fairness
    /// for another's.
    windows: Option<Vec<(f64, f64)>>,
    /// Preferences: each fair person's distance from the average after the
    /// balance tier, kept as their own limit (compact model).
    dev: Option<Vec<f64>>,
    /// Preferences: tier 4's optimum, the most the balance sum may be
    /// (column generation).
    balance: Option<f64>,
    /// Tier-2 probe: per fair person, the highest relative load they can
    /// actually reach without exceeding the probed level.
    caps: Option<Vec<f64>>,
}

struct Model<'a> {
    policy: &'a Policy,
    /// The afternoon sessions in order (continuity pairs stage k, k+1).
    afternoon: Vec<&'a str>,
    school: &'a School,
    demand: &'a WeekDemand,
    pools: Vec<Pool>,
    cliques: Vec<Vec<usize>>,
    /// Staff counted for fairness (active, not outside, quota > 0).
    fair: Vec<usize>,
    pins: Vec<(usize, usize)>,
    /// (staff, pool) pairs with a homeroom teacher's own class in the pool.
    own: BTreeSet<(usize, usize)>,
    /// (staff, pool) pairs the person asked to avoid.
    avoid: BTreeSet<(usize, usize)>,
    /// Per fair person: half the tier-3 band, half the largest relative
    /// load of one duty they may take (a band one duty wide, so that over
    /// a term people of equal quota end within one duty of each other).
    delta: Vec<f64>,
    /// Repair: the published (staff, pool) pairs.
    baseline: BTreeSet<(usize, usize)>,
    /// Repair: each person's relative load before the repair.
    base_rel: Vec<f64>,
}

struct Built {
    problem: highs::Model,
    x: BTreeMap<(usize, usize), Variable>,
    /// Column of each x variable in the HiGHS model (insertion order).
    xcol: BTreeMap<(usize, usize), usize>,
    /// Columns of tier-4 indicators: (staff, day) -> (any afternoon, noon and afternoon).
    pref_cols: BTreeMap<(usize, usize), (usize, usize)>,
    n_cols: usize,
    rows: usize,
}

impl Model<'_> {
    fn prior(&self, s: usize) -> f64 {
        self.school.served.get(&s).copied().unwrap_or(0) as f64 / LOAD_PER_HOUR as f64
    }

    fn build(&self, tier: Tier, b: &Bounds, relax: bool) -> Result<Built> {
        let mut vars = ProblemVariables::new();
        let mut x = BTreeMap::new();
        let mut xcol = BTreeMap::new();
        for (p, pool) in self.pools.iter().enumerate() {
            for &s in &pool.eligible {
                xcol.insert((s, p), vars.len());
                x.insert(
                    (s, p),
                    vars.add(if relax {
                        variable().min(0).max(1)
                    } else {
                        variable().binary()
                    }),
                );
            }
        }
        let u: Vec<Variable> = self
            .pools
            .iter()
            .map(|p| {
                let v = variable().min(0).max(p.need as f64);
                vars.add(if relax { v } else { v.integer() })
            })
            .collect();
        let z = vars.add(variable().min(0));
        // Shortfall of each fair person below the floor and excess above
        // the ceiling (tier 3).
        let sf: Vec<Variable> = self
            .fair
            .iter()
            .map(|_| vars.add(variable().min(0)))
            .collect();
        // Excess only from tier 3 on. (Measured: HiGHS's tier-2 time moves
        // between 0.7 s and 3 s on the demo week with the column layout
        // alone, so tiers 1-2 keep the layout they were measured with.)
        let ex: Vec<Variable> = if b.floor_base.is_some() {
            self.fair
                .iter()
                .map(|_| vars.add(variable().min(0)))
                .collect()
        } else {
            Vec::new()
        };
        let n_days = self.demand.days.len();
        let staff_n = self.school.staff.len();
        // Continuity (stage k and k+1 same day) and noon+afternoon indicators.
        let afternoon = &self.afternoon;
        let mut cont = BTreeMap::new();
        let mut noon_aft = BTreeMap::new();
        let mut aft_any = BTreeMap::new();
        let mut pref_cols = BTreeMap::new();
        if tier == Tier::Preferences {
            for s in 0..staff_n {
                for d in 0..n_days {
                    let has = |sess: &str| {
                        self.pools.iter().enumerate().any(|(p, pl)| {
                            pl.day == d && pl.session == sess && x.contains_key(&(s, p))
                        })
                    };
                    for w in afternoon.windows(2) {
                        if has(w[0]) && has(w[1]) {
                            cont.insert(
                                (s, d, w[0].to_string()),
                                vars.add(variable().min(0).max(1)),
                            );
                        }
                    }
                    let noon = self.pools.iter().enumerate().any(|(p, pl)| {
                        pl.day == d && pl.part == Part::Noon && x.contains_key(&(s, p))
                    });
                    let aft = self.pools.iter().enumerate().any(|(p, pl)| {
                        pl.day == d && pl.part == Part::Afternoon && x.contains_key(&(s, p))
                    });
                    if noon && aft {
                        let c = vars.len();
                        noon_aft.insert((s, d), vars.add(variable().min(0)));
                        aft_any.insert((s, d), vars.add(variable().min(0).max(1)));
                        pref_cols.insert((s, d), (c + 1, c));
                    }
                }
            }
        }
        let n_cols = vars.len();

        let uncovered: Expression = u.iter().sum();
        let prefs = self.policy.prefs.clone();
        let objective: Expression = match tier {
            Tier::Uncovered => uncovered.clone(),
            Tier::Changes => self.changes_expr(&x),
            Tier::Replacement => self.replacement_expr(&x),
            Tier::MaxLoad => z.into(),
            Tier::Feasible => Expression::from(0.0),
            Tier::Spread => sf.iter().chain(ex.iter()).sum(),
            // Never built: the balance tier is solved by column generation.
            Tier::Balance => Expression::from(0.0),
            Tier::Preferences => {
                let mut e = Expression::from(0.0);
                for &(s, p) in &self.own {
                    if let Some(v) = x.get(&(s, p)) {
                        e -= f64::from(prefs.own_class) * *v;
                    }
                }
                for &(s, p) in &self.avoid {
                    if let Some(v) = x.get(&(s, p)) {
                        e += f64::from(prefs.personal_request) * *v;
                    }
                }
                for v in cont.values() {
                    e -= f64::from(prefs.continuity) * *v;
                }
                for v in noon_aft.values() {
                    e += f64::from(prefs.noon_and_afternoon) * *v;
                }
                e
            }
        };
        let mut pb = vars.minimise(objective).using(highs);
        let mut rows = 0usize;
        let mut add = |pb: &mut good_lp::solvers::highs::HighsProblem, c: good_lp::Constraint| {
            pb.add_constraint(c);
            rows += 1;
        };

        // Rule::Coverage: staff on the pool plus uncovered equals the need.
        for (p, pool) in self.pools.iter().enumerate() {
            let on: Expression = pool.eligible.iter().map(|&s| x[&(s, p)]).sum();
            add(&mut pb, constraint!(on + u[p] == pool.need as f64));
        }
        // Rule::Pin
        for &(s, p) in &self.pins {
            if let Some(v) = x.get(&(s, p)) {
                add(&mut pb, constraint!(*v == 1.0));
            }
        }
        // Rule::NoOverlap: at most one pool of each clique per person.
        for s in 0..staff_n {
            let mut seen = BTreeSet::new();
            for c in &self.cliques {
                let vs: Vec<Variable> = c.iter().filter_map(|&p| x.get(&(s, p)).copied()).collect();
                if vs.len() >= 2
                    && seen.insert(
                        c.iter()
                            .filter(|&&p| x.contains_key(&(s, p)))
                            .copied()
                            .collect::<Vec<_>>(),
                    )
                {
                    let e: Expression = vs.into_iter().sum();
                    add(&mut pb, constraint!(e <= 1.0));
                }
            }
        }
        // Rule::DailyLimit and Rule::WeeklyLimit, only where they can bind.
        let r = &self.policy.rules;
        for s in 0..staff_n {
            let mine: Vec<usize> = (0..self.pools.len())
                .filter(|&p| x.contains_key(&(s, p)))
                .collect();
            let limit = |pb: &mut good_lp::solvers::highs::HighsProblem,
                         add: &mut dyn FnMut(
                &mut good_lp::solvers::highs::HighsProblem,
                good_lp::Constraint,
            ),
                         ps: &[usize],
                         max_n: u32,
                         max_min: u32| {
                if ps.len() as u32 > max_n {
                    let e: Expression = ps.iter().map(|&p| x[&(s, p)]).sum();
                    add(pb, constraint!(e <= max_n as f64));
                }
                if ps.iter().map(|&p| self.pools[p].minutes).sum::<u32>() > max_min {
                    let e: Expression = ps
                        .iter()
                        .map(|&p| self.pools[p].minutes as f64 * x[&(s, p)])
                        .sum();
                    add(pb, constraint!(e <= max_min as f64));
                }
            };
            for d in 0..n_days {
                let ps: Vec<usize> = mine
                    .iter()
                    .copied()
                    .filter(|&p| self.pools[p].day == d)
                    .collect();
                limit(
                    &mut pb,
                    &mut add,
                    &ps,
                    r.max_duties_per_day,
                    r.max_minutes_per_day,
                );
            }
            limit(
                &mut pb,
                &mut add,
                &mine,
                r.max_duties_per_week,
                r.max_minutes_per_week,
            );
        }
        // Fairness: relative load of each fair person at most z; from tier
        // 3 on, shortfall below the average minus one duty and excess above
        // the average plus one duty.
        for (i, &s) in self.fair.iter().enumerate() {
            let q = self.school.staff[s].quota.as_f64();
            let load: Expression = (0..self.pools.len())
                .filter_map(|p| {
                    x.get(&(s, p))
                        .map(|v| (self.pools[p].load as f64 / LOAD_PER_HOUR as f64 / q) * *v)
                })
                .sum();
            let prior = self.prior(s) / q;
            add(&mut pb, constraint!(load.clone() + prior <= z));
            if let Some(cap) = b.caps.as_ref().and_then(|c| c.get(i)) {
                add(&mut pb, constraint!(load.clone() + prior <= *cap));
            }
            if let (Some(dev), Some(c), Tier::Preferences) = (&b.dev, b.floor_base, tier) {
                add(&mut pb, constraint!(load.clone() + prior >= c - dev[i]));
                add(&mut pb, constraint!(load.clone() + prior <= c + dev[i]));
            }
            if let Some(zmax) = b.floor_base {
                if matches!(tier, Tier::Spread | Tier::Preferences) {
                    let floor = zmax - self.delta[i];
                    let ceiling = zmax + self.delta[i];
                    add(&mut pb, constraint!(sf[i] + load.clone() + prior >= floor));
                    add(&mut pb, constraint!(load + prior - ex[i] <= ceiling));
                }
            }
        }
        // Earlier tiers' optima.
        if let Some(v) = b.uncovered {
            add(&mut pb, constraint!(uncovered <= v + 1e-6));
        }
        if let Some(v) = b.max_load {
            add(&mut pb, constraint!(z <= v));
        }
        if let Some(v) = b.replacement {
            let e = self.replacement_expr(&x);
            add(&mut pb, constraint!(e <= v));
        }
        if let Some(v) = b.changes {
            let e = self.changes_expr(&x);
            add(&mut pb, constraint!(e <= v));
        }
        if let (Some(w), Tier::Preferences) = (&b.windows, tier) {
            for (i, &(a, e)) in w.iter().enumerate() {
                add(&mut pb, constraint!(sf[i] <= a + 1e-6));
                add(&mut pb, constraint!(ex[i] <= e + 1e-6));
            }
        } else if let Some(v) = b.shortfall {
            let total: Expression = sf.iter().chain(ex.iter()).sum();
            add(&mut pb, constraint!(total <= v));
        }
        // Preference indicators.
        for ((s, d, sess), v) in &cont {
            let nxt = afternoon
                .iter()
                .position(|a| a == sess)
                .and_then(|i| afternoon.get(i + 1))
                .copied()
                .unwrap_or("");
            for target in [sess.as_str(), nxt] {
                let e: Expression = self
                    .pools
                    .iter()
                    .enumerate()
                    .filter(|(p, pl)| {
                        pl.day == *d && pl.session == target && x.contains_key(&(*s, *p))
                    })
                    .map(|(p, _)| x[&(*s, p)])
                    .sum();
                add(&mut pb, constraint!(*v <= e));
            }
        }
        for ((s, d), v) in &noon_aft {
            let a = aft_any[&(*s, *d)];
            let noon: Expression = self
                .pools
                .iter()
                .enumerate()
                .filter(|(p, pl)| {
                    pl.day == *d && pl.part == Part::Noon && x.contains_key(&(*s, *p))
                })
                .map(|(p, _)| x[&(*s, p)])
                .sum();
            for (p, pl) in self.pools.iter().enumerate() {
                if pl.day == *d && pl.part == Part::Afternoon {
                    if let Some(xv) = x.get(&(*s, p)) {
                        add(&mut pb, constraint!(a >= *xv));
                    }
                }
            }
            add(&mut pb, constraint!(*v >= noon + a - 1.0));
        }
        let problem = pb
            .try_into_inner()
            .map_err(|e| Error::Solver(e.to_string()))?;
        Ok(Built {
            problem,
            x,
            xcol,
            pref_cols,
            n_cols,
            rows,
        })
    }
}

impl Model<'_> {
    fn rel(&self, s: usize, load: i64) -> f64 {
        (load as f64 / LOAD_PER_HOUR as f64 + self.prior(s)) / self.school.staff[s].quota.as_f64()
    }

    fn loads(&self, chosen: &[Vec<usize>]) -> Vec<i64> {
        let mut l = vec![0i64; self.school.staff.len()];
        for (p, ss) in chosen.iter().enumerate() {
            for &s in ss {
                l[s] += self.pools[p].load;
            }
        }
        l
    }

    fn uncovered(&self, chosen: &[Vec<usize>]) -> f64 {
        chosen
            .iter()
            .enumerate()
            .map(|(p, ss)| f64::from(self.pools[p].need) - ss.len() as f64)
            .sum()
    }

    /// Assignments added or removed against the baseline (repair).
    fn changes(&self, chosen: &[Vec<usize>]) -> usize {
        let now: BTreeSet<(usize, usize)> = chosen
            .iter()
            .enumerate()
            .flat_map(|(p, ss)| ss.iter().map(move |&s| (s, p)))
            .collect();
        self.baseline.symmetric_difference(&now).count()
    }

    fn replacement_expr(&self, x: &BTreeMap<(usize, usize), Variable>) -> Expression {
        let mut e = Expression::from(0.0);
        for (k, v) in x {
            if !self.baseline.contains(k) {
                e += self.base_rel[k.0] * *v;
            }
        }
        e
    }

    fn changes_expr(&self, x: &BTreeMap<(usize, usize), Variable>) -> Expression {
        let mut e = Expression::from(self.baseline.len() as f64);
        for (k, v) in x {
            if self.baseline.contains(k) {
                e -= *v;
            } else {
                e += *v;
            }
        }
        e
    }

    /// The objective value of a roster for a tier (tiers 1-3).
    fn tier_value(&self, tier: Tier, chosen: &[Vec<usize>], b: &Bounds) -> f64 {
        match tier {
            Tier::Uncovered => self.uncovered(chosen),
            Tier::MaxLoad | Tier::Feasible => self.max_rel(chosen),
            Tier::Spread => self
                .band_deviations(chosen, b)
                .iter()
                .map(|(a, e)| a + e)
                .sum(),
            Tier::Balance => self.balance_value(chosen, b.floor_base.unwrap_or(0.0)),
            Tier::Changes => self.changes(chosen) as f64,
            Tier::Replacement => {
                let mut v = 0.0;
                for (p, ss) in chosen.iter().enumerate() {
                    for &s in ss {
                        if !self.baseline.contains(&(s, p)) {
                            v += self.base_rel[s];
                        }
                    }
                }
                v
            }
            Tier::Preferences => self.pref_value(chosen),
        }
    }

    /// Whether a roster built outside the compact model meets what only
    /// the compact model encodes: pins and the earlier tiers' optima.
    fn respects(&self, chosen: &[Vec<usize>], b: &Bounds) -> bool {
        self.pins.iter().all(|&(s, p)| chosen[p].contains(&s))
            && b.uncovered
                .is_none_or(|u| self.uncovered(chosen) <= u + 1e-6)
            && b.changes.is_none_or(|c| self.changes(chosen) as f64 <= c)
            && b.replacement
                .is_none_or(|r| self.tier_value(Tier::Replacement, chosen, b) <= r)
    }

    /// Total relative load over total quota of the fair staff (fixed once
    /// coverage is fixed).
    fn avg_rel(&self, chosen: &[Vec<usize>]) -> f64 {
        let l = self.loads(chosen);
        let load: f64 = self
            .fair
            .iter()
            .map(|&s| l[s] as f64 / LOAD_PER_HOUR as f64 + self.prior(s))
            .sum();
        let quota: f64 = self
            .fair
            .iter()
            .map(|&s| self.school.staff[s].quota.as_f64())
            .sum();
        if quota > 0.0 {
            load / quota
        } else {
            0.0
        }
    }

    fn max_rel(&self, chosen: &[Vec<usize>]) -> f64 {
        self.rel_loads(chosen).into_iter().fold(0.0, f64::max)
    }

    /// The preference penalty of person `s` holding `pools` (any days):
    /// per day, own-class bonus, avoided-duty penalty, continuity bonus
    /// per pair of consecutive afternoon stages, and the noon-and-afternoon
    /// penalty; the compact model's tier-5 objective, one person at a time.
    fn week_pref(&self, s: usize, pools: &[usize]) -> f64 {
        let w = &self.policy.prefs;
        let mut v = 0.0;
        for &p in pools {
            if self.own.contains(&(s, p)) {
                v -= f64::from(w.own_class);
            }
            if self.avoid.contains(&(s, p)) {
                v += f64::from(w.personal_request);
            }
        }
        let mut days: Vec<usize> = pools.iter().map(|&p| self.pools[p].day).collect();
        days.sort_unstable();
        days.dedup();
        for d in days {
            let on = |f: &dyn Fn(&Pool) -> bool| {
                pools
                    .iter()
                    .any(|&p| self.pools[p].day == d && f(&self.pools[p]))
            };
            for a in self.afternoon.windows(2) {
                if on(&|pl| pl.session == a[0]) && on(&|pl| pl.session == a[1]) {
                    v -= f64::from(w.continuity);
                }
            }
            if on(&|pl| pl.part == Part::Noon) && on(&|pl| pl.part == Part::Afternoon) {
                v += f64::from(w.noon_and_afternoon);
            }
        }
        v
    }

    /// The preference penalty of a roster (tier 5's objective).
    fn pref_value(&self, chosen: &[Vec<usize>]) -> f64 {
        let mut weeks: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (p, ss) in chosen.iter().enumerate() {
            for &s in ss {
                weeks.entry(s).or_default().push(p);
            }
        }
        weeks.iter().map(|(&s, ps)| self.week_pref(s, ps)).sum()
    }

    /// Tier 4's objective: the sum over fair staff of the squared distance
    /// of their relative load from `center`.
    fn balance_value(&self, chosen: &[Vec<usize>], center: f64) -> f64 {
        self.rel_loads(chosen)
            .iter()
            .map(|r| (r - center).powi(2))
            .sum()
    }

    /// Tier 3's objective around `center`: the sum over fair staff of
    /// their distance outside the band.
    fn spread_value(&self, chosen: &[Vec<usize>], center: f64) -> f64 {
        let l = self.loads(chosen);
        self.fair
            .iter()
            .map(|&s| self.spread_distance(s, l[s], center))
            .sum()
    }

    /// Each fair person's relative load (in `fair` order).
    fn rel_loads(&self, chosen: &[Vec<usize>]) -> Vec<f64> {
        let l = self.loads(chosen);
        self.fair.iter().map(|&s| self.rel(s, l[s])).collect()
    }

    /// The relative-load band of staff member `s` from tier 3 on: one duty
    /// wide around the average, widened by their own tier-3 distance,
    /// capped by tier 2's optimum; unbounded outside fairness.
    fn band(&self, b: &Bounds, s: usize) -> (f64, f64) {
        let (Ok(i), Some(c)) = (self.fair.binary_search(&s), b.floor_base) else {
            return (f64::NEG_INFINITY, f64::INFINITY);
        };
        let (a, e) = b
            .windows
            .as_ref()
            .and_then(|w| w.get(i).copied())
            .unwrap_or((0.0, 0.0));
        let top = b.max_load.unwrap_or(f64::INFINITY);
        (c - self.delta[i] - a, (c + self.delta[i] + e).min(top))
    }

    /// Whether a roster from column generation keeps every earlier tier's
    /// optimum: `respects`, tier 2's highest load, each person's tier-3
    /// distance and tier 4's balance sum.
    fn keeps(&self, chosen: &[Vec<usize>], b: &Bounds) -> bool {
        let inside = match &b.windows {
            Some(w) => self
                .band_deviations(chosen, b)
                .iter()
                .zip(w)
                .all(|(d, w)| d.0 <= w.0 + 1e-6 && d.1 <= w.1 + 1e-6),
            None => true,
        };
        inside
            && self.respects(chosen, b)
            && b.max_load
                .is_none_or(|top| self.max_rel(chosen) <= top + 1e-9)
            && b.balance
                .is_none_or(|v| self.tier_value(Tier::Balance, chosen, b) <= v + 1e-6)
    }

    /// Each fair person's (shortfall below, excess above) the tier-3 band.
    fn band_deviations(&self, chosen: &[Vec<usize>], b: &Bounds) -> Vec<(f64, f64)> {
        let l = self.loads(chosen);
        let zmax = b.floor_base.unwrap_or(0.0);
        self.fair
            .iter()
            .enumerate()
            .map(|(i, &s)| self.deviation(i, self.rel(s, l[s]), zmax))
            .collect()
    }

    /// Fair person `i`'s (shortfall below, excess above) their tier-3 band
    /// around `center` at relative load `r`.
    fn deviation(&self, i: usize, r: f64, center: f64) -> (f64, f64) {
        (
            (center - self.delta[i] - r).max(0.0),
            (r - center - self.delta[i]).max(0.0),
        )
    }

    /// Staff member `s`'s tier-3 distance at week load `load` (0 outside
    /// fairness): what a week costs in tier 3 by patterns.
    fn spread_distance(&self, s: usize, load: i64, center: f64) -> f64 {
        match self.fair.binary_search(&s) {
            Ok(i) => {
                let (a, e) = self.deviation(i, self.rel(s, load), center);
                a + e
            }
            Err(_) => 0.0,
        }
    }

    /// Column values of a roster for this tier's model.
    fn warm_cols(&self, built: &Built, chosen: &[Vec<usize>], b: &Bounds) -> Vec<f64> {
        let mut cols = vec![0.0; built.n_cols];
        let nx = built.xcol.len();
        for (p, ss) in chosen.iter().enumerate() {
            for s in ss {
                if let Some(&c) = built.xcol.get(&(*s, p)) {
                    cols[c] = 1.0;
                }
            }
            cols[nx + p] = f64::from(self.pools[p].need) - ss.len() as f64;
        }
        let l = self.loads(chosen);
        let zc = nx + self.pools.len();
        cols[zc] = self.max_rel(chosen);
        if let Some(zmax) = b.floor_base {
            for (i, &s) in self.fair.iter().enumerate() {
                let r = self.rel(s, l[s]);
                cols[zc + 1 + i] = (zmax - self.delta[i] - r).max(0.0);
                cols[zc + 1 + self.fair.len() + i] = (r - zmax - self.delta[i]).max(0.0);
            }
        }
        for (&(s, d), &(a, na)) in &built.pref_cols {
            let on = |part: Part| {
                chosen.iter().enumerate().any(|(p, ss)| {
                    self.pools[p].day == d && self.pools[p].part == part && ss.contains(&s)
                })
            };
            let aft = f64::from(u8::from(on(Part::Afternoon)));
            cols[a] = aft;
            cols[na] = (f64::from(u8::from(on(Part::Noon))) + aft - 1.0).max(0.0);
        }
        cols
    }

    /// A quick balanced roster: scarce pools first, each seat to the
    /// eligible person with the lowest relative load after taking it; then
    /// moves and swaps away from the busiest person while the maximum drops.
    fn greedy(&self) -> Vec<Vec<usize>> {
        let mut st = Greedy::new(self);
        for &(s, p) in &self.pins {
            if st.fits(s, p) {
                st.take(s, p);
            }
        }
        let mut order: Vec<usize> = (0..self.pools.len()).collect();
        order.sort_by(|&a, &b| {
            let ka = self.pools[a].eligible.len() as f64 / f64::from(self.pools[a].need.max(1));
            let kb = self.pools[b].eligible.len() as f64 / f64::from(self.pools[b].need.max(1));
            ka.total_cmp(&kb)
                .then(self.pools[b].load.cmp(&self.pools[a].load))
                .then(a.cmp(&b))
        });
        for p in order {
            while (st.chosen[p].len() as u32) < self.pools[p].need {
                let pl = self.pools[p].load;
                let best = self.pools[p]
                    .eligible
                    .iter()
                    .copied()
                    .filter(|&s| st.fits(s, p))
                    .min_by(|&a, &b| {
                        self.rel(a, st.load[a] + pl)
                            .total_cmp(&self.rel(b, st.load[b] + pl))
                            .then(a.cmp(&b))
                    });
                match best {
                    Some(s) => st.take(s, p),
                    None => break,
                }
            }
        }
        st.improve();
        st.chosen
    }
}

/// State of the greedy heuristic (warm start only; HiGHS proves).
struct Greedy<'m, 'a> {
    m: &'m Model<'a>,
    chosen: Vec<Vec<usize>>,
    load: Vec<i64>,
    day_n: Vec<[u32; 7]>,
    day_m: Vec<[u32; 7]>,
    week_n: Vec<u32>,
    week_m: Vec<u32>,
    busy: Vec<Vec<usize>>,
    pinned: BTreeSet<(usize, usize)>,
}

impl<'m, 'a> Greedy<'m, 'a> {
    fn new(m: &'m Model<'a>) -> Self {
        let n = m.school.staff.len();
        Greedy {
            m,
            chosen: vec![Vec::new(); m.pools.len()],
            load: vec![0; n],
            day_n: vec![[0; 7]; n],
            day_m: vec![[0; 7]; n],
            week_n: vec![0; n],
            week_m: vec![0; n],
            busy: vec![Vec::new(); n],
            pinned: m.pins.iter().copied().collect(),
        }
    }

    fn fits(&self, s: usize, p: usize) -> bool {
        let r = &self.m.policy.rules;
        let pl = &self.m.pools[p];
        let d = pl.day.min(6);
        self.day_n[s][d] < r.max_duties_per_day
            && self.day_m[s][d] + pl.minutes <= r.max_minutes_per_day
            && self.week_n[s] < r.max_duties_per_week
            && self.week_m[s] + pl.minutes <= r.max_minutes_per_week
            && !self.busy[s].iter().any(|&q| {
                let o = &self.m.pools[q];
                q == p || (o.day == pl.day && o.start < pl.end && pl.start < o.end)
            })
    }

    fn apply(&mut self, s: usize, p: usize, sign: i64) {
        let pl = &self.m.pools[p];
        let d = pl.day.min(6);
        let k = sign as i32;
        self.load[s] += sign * pl.load;
        self.day_n[s][d] = (self.day_n[s][d] as i32 + k) as u32;
        self.day_m[s][d] = (self.day_m[s][d] as i64 + sign * i64::from(pl.minutes)) as u32;
        self.week_n[s] = (self.week_n[s] as i32 + k) as u32;
        self.week_m[s] = (self.week_m[s] as i64 + sign * i64::from(pl.minutes)) as u32;
        if sign > 0 {
            self.chosen[p].push(s);
            self.busy[s].push(p);
        } else {
            self.chosen[p].retain(|&x| x != s);
            self.busy[s].retain(|&x| x != p);
        }
    }

    fn take(&mut self, s: usize, p: usize) {
        self.apply(s, p, 1);
    }

    fn eligible(&self, s: usize, p: usize) -> bool {
        self.m.pools[p].eligible.binary_search(&s).is_ok()
    }

    /// Lower the maximum relative load by moves, then swaps.
    fn improve(&mut self) {
        let fair = self.m.fair.clone();
        for _ in 0..20_000 {
            let Some(&top) = fair.iter().max_by(|&&a, &&b| {
                self.m
                    .rel(a, self.load[a])
                    .total_cmp(&self.m.rel(b, self.load[b]))
                    .then(b.cmp(&a))
            }) else {
                return;
            };
            let hi = self.m.rel(top, self.load[top]);
            if !self.step(top, hi) {
                return;
            }
        }
    }

    /// One improving move or swap for the busiest person; false if none.
    fn step(&mut self, top: usize, hi: f64) -> bool {
        let eps = 1e-9;
        let mine: Vec<usize> = self.busy[top]
            .iter()
            .copied()
            .filter(|&p| !self.pinned.contains(&(top, p)))
            .collect();
        // Move: give pool p to t, who stays below hi.
        for &p in &mine {
            let pl = self.m.pools[p].load;
            self.apply(top, p, -1);
            let best = self.m.pools[p]
                .eligible
                .iter()
                .copied()
                .filter(|&t| t != top && self.fits(t, p))
                .map(|t| (self.m.rel(t, self.load[t] + pl), t))
                .filter(|(r, _)| *r < hi - eps)
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            if let Some((_, t)) = best {
                self.take(t, p);
                return true;
            }
            self.take(top, p);
        }
        // Swap: top gives p to t and takes t's lighter q.
        for &p in &mine {
            let lp = self.m.pools[p].load;
            for &t in &self.m.pools[p].eligible.clone() {
                if t == top || self.chosen[p].contains(&t) {
                    continue;
                }
                let theirs: Vec<usize> = self.busy[t]
                    .iter()
                    .copied()
                    .filter(|&q| {
                        self.m.pools[q].load < lp
                            && self.eligible(top, q)
                            && !self.pinned.contains(&(t, q))
                            && !self.chosen[q].contains(&top)
                    })
                    .collect();
                for q in theirs {
                    let lq = self.m.pools[q].load;
                    let new_t = self.m.rel(t, self.load[t] - lq + lp);
                    let new_top = self.m.rel(top, self.load[top] - lp + lq);
                    if new_t >= hi - eps || new_top >= hi - eps {
                        continue;
                    }
                    self.apply(top, p, -1);
                    self.apply(t, q, -1);
                    if self.fits(t, p) && self.fits(top, q) {
                        self.take(t, p);
                        self.take(top, q);
                        return true;
                    }
                    self.take(t, q);
                    self.take(top, p);
                }
            }
        }
        false
    }
}

impl Model<'_> {
    /// Tier 2 by probing levels. The highest relative load is one of the
    /// values people can actually reach, so for a probed level each class
    /// of staff is capped at its highest reachable load not above it. A
    /// binary search with the pattern LP (`dw`) finds the lowest level it
    /// cannot rule out; price-and-branch or diving then give a roster
    /// there (optimal). The compact model with the caps, as a feasibility
    /// MIP per level, is the fallback.
    fn max_load_tier(
        &self,
        dw: &mut patterns::Dw,
        b: &Bounds,
        start: &[Vec<usize>],
        budget: f64,
        opts: &Options,
        stats: &mut Stats,
    ) -> Result<(Vec<Vec<usize>>, TierReport)> {
        let t_end = Instant::now() + std::time::Duration::from_secs_f64(budget);
        let ub = self.max_rel(start);
        let levels = dw.levels(ub);
        // The compact model with the caps, as a feasibility MIP.
        let mip = |caps: Vec<f64>,
                   stats: &mut Stats|
         -> Result<(highs::HighsModelStatus, Option<Vec<Vec<usize>>>)> {
            let bb = Bounds {
                caps: Some(caps),
                ..b.clone()
            };
            let tb = Instant::now();
            let built = self.build(Tier::Feasible, &bb, false)?;
            stats.build_s += tb.elapsed().as_secs_f64();
            let mut hm = built.problem;
            hm.make_quiet();
            let left = t_end
                .saturating_duration_since(Instant::now())
                .as_secs_f64()
                .max(0.2);
            let _ = hm.try_set_option("time_limit", left);
            let _ = hm.try_set_option("threads", 1);
            let _ = hm.try_set_option("random_seed", 0);
            stats.binaries = built.x.len();
            stats.rows = stats.rows.max(built.rows);
            let _ = hm.try_set_option("mip_max_nodes", opts.max_nodes as i32);
            let solved = hm
                .try_solve()
                .map_err(|e| Error::Solver(format!("{e:?}")))?;
            let status = solved.status();
            let cols = solved.get_solution().columns().to_vec();
            let roster = (status == highs::HighsModelStatus::Optimal && cols.len() == built.n_cols)
                .then(|| {
                    let mut chosen = vec![Vec::new(); self.pools.len()];
                    for ((s, p), c) in &built.xcol {
                        if cols[*c] > 0.5 {
                            chosen[*p].push(*s);
                        }
                    }
                    chosen
                });
            Ok((status, roster))
        };
        let infeasible = |st: highs::HighsModelStatus| st == highs::HighsModelStatus::Infeasible;
        // Lowest level the pattern LP cannot rule out (the top level, the
        // known roster's, is feasible). The level just below the top first:
        // when the known roster is optimal, that one probe proves it.
        let top = levels.len() - 1;
        let mut lo = 0;
        let mut hi = top;
        let u_max = b.uncovered.unwrap_or(0.0);
        dw.deadline = t_end;
        dw.seed(start);
        let mut ruled_out =
            |v: f64| -> Result<bool> { Ok(dw.probe(v, u_max)? == patterns::Probe::RuledOut) };
        if top > 0 {
            if ruled_out(levels[top - 1])? {
                lo = top;
            } else {
                hi = top - 1;
            }
        }
        while lo < hi {
            let mid = (lo + hi) / 2;
            if ruled_out(levels[mid])? {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let report = |value: f64, bound: f64| TierReport {
            tier: 0,
            name: "",
            objective: value,
            bound,
            gap: if value > 0.0 {
                ((value - bound) / value).max(0.0)
            } else {
                0.0
            },
            optimal: value <= bound + 1e-6,
            seconds: 0.0,
        };
        let mut k = lo;
        let mut best = start.to_vec();
        let mut best_v = ub;
        if k < top {
            // The probe stopped once the level was open; the full LP's
            // columns first, then a roster from them.
            dw.enrich(levels[k])?;
            let fits =
                |r: &Vec<Vec<usize>>, v: f64| self.respects(r, b) && self.max_rel(r) <= v + 1e-6;
            // Diving on the master LP, generating columns as it fixes
            // weeks; then price-and-branch over the known weeks. Diving
            // first: measured on the demo's make-up week 2026-09-14,
            // price-and-branch spent 5.4 s and found nothing, diving then
            // took 0.3 s (synthetic 90-class December week: 0.95 s -> 0.71 s).
            if let Some(r) = dw.dive(levels[k], u_max)? {
                if fits(&r, levels[k]) {
                    let v = self.max_rel(&r);
                    return Ok((r, report(v, levels[k].min(v))));
                }
            }
            if let Some(r) = dw.integer(levels[k], u_max, opts.max_nodes)? {
                if fits(&r, levels[k]) {
                    let v = self.max_rel(&r);
                    return Ok((r, report(v, levels[k].min(v))));
                }
            }
            // The known weeks may not combine at that level: the lowest
            // level a few steps up where they do is a better incumbent.
            for &v in &levels[k + 1..top.min(k + 12)] {
                if let Some(r) = dw.integer(v, u_max, opts.max_nodes)? {
                    if fits(&r, v) {
                        best_v = self.max_rel(&r);
                        best = r;
                        break;
                    }
                }
            }
        }
        while k < top && levels[k] < best_v - 1e-9 {
            let (status, roster) = mip(dw.fair_caps(levels[k]), stats)?;
            if let Some(r) = roster {
                let v = self.max_rel(&r);
                return Ok((r, report(v, levels[k].min(v))));
            }
            if !infeasible(status) {
                // Budget spent: the best known roster, with the proven bound.
                return Ok((best, report(best_v, levels[k])));
            }
            k += 1;
        }
        Ok((best, report(best_v, best_v)))
    }
}

/// Solve an LP relaxation; its optimum is a valid bound for the tier.
fn solve_lp(mut hm: highs::Model, time_limit: f64) -> Result<Option<f64>> {
    hm.make_quiet();
    let _ = hm.try_set_option("time_limit", time_limit);
    let _ = hm.try_set_option("threads", 1);
    let solved = hm
        .try_solve()
        .map_err(|e| Error::Solver(format!("{e:?}")))?;
    Ok((solved.status() == highs::HighsModelStatus::Optimal).then(|| solved.objective_value()))
}

/// Plan the week: the best roster the rules allow, with each tier's proof.
pub fn plan(policy: &Policy, school: &School, demand: &WeekDemand, opts: &Options) -> Result<Plan> {
    let t0 = Instant::now();
    let mut pools = pools(policy, school, demand);
    // Repair: published pairs; past pools keep exactly their published staff.
    let mut baseline = BTreeSet::new();
    let mut frozen_pins = Vec::new();
    if let Some(base) = &opts.baseline {
        let pool_of: BTreeMap<usize, usize> = pools
            .iter()
            .enumerate()
            .flat_map(|(p, pl)| pl.duties.iter().map(move |&d| (d, p)))
            .collect();
        let mut base_staff: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for a in base {
            if let Some(&p) = pool_of.get(&a.duty) {
                base_staff.entry(p).or_default().push(a.staff);
            }
        }
        for (p, pl) in pools.iter_mut().enumerate() {
            let d0 = &demand.duties[pl.duties[0]];
            let start =
                d0.date
                    .and_hms_opt(u32::from(d0.start.0 / 60), u32::from(d0.start.0 % 60), 0);
            let past = matches!((opts.frozen_before, start), (Some(t), Some(st)) if st < t);
            let mut staff = base_staff.get(&p).cloned().unwrap_or_default();
            staff.sort_unstable();
            staff.dedup();
            if past {
                pl.eligible = staff.clone();
                for &s in &staff {
                    frozen_pins.push((s, p));
                }
            }
            for s in staff {
                if pl.eligible.binary_search(&s).is_ok() {
                    baseline.insert((s, p));
                }
            }
        }
    }
    let cliques = cliques(&pools);
    let fair: Vec<usize> = (0..school.staff.len())
        .filter(|&s| {
            let st = &school.staff[s];
            st.active && st.role != Role::Outside && st.quota.0 > 0
        })
        .collect();
    let base_rel: Vec<f64> = (0..school.staff.len())
        .map(|s| {
            let week: i64 = baseline
                .iter()
                .filter(|(bs, _)| *bs == s)
                .map(|&(_, p)| pools[p].load)
                .sum();
            let q = school.staff[s].quota.as_f64().max(0.01);
            ((school.served.get(&s).copied().unwrap_or(0) + week) as f64 / LOAD_PER_HOUR as f64) / q
        })
        .collect();
    let mut pins = frozen_pins;
    for pin in &opts.pins {
        if let Some(p) = pools.iter().position(|pl| pl.duties.contains(&pin.duty)) {
            pins.push((pin.staff, p));
        }
    }
    let own = own_class_pairs(school, demand, &pools);
    let avoid = avoid_pairs(school, demand, &pools);
    let delta = fair
        .iter()
        .map(|&s| {
            let q = school.staff[s].quota.as_f64();
            let l = pools
                .iter()
                .filter(|p| p.eligible.binary_search(&s).is_ok())
                .map(|p| p.load)
                .max()
                .unwrap_or(0);
            l as f64 / LOAD_PER_HOUR as f64 / q / 2.0
        })
        .collect();
    let model = Model {
        policy,
        afternoon: policy
            .sessions
            .iter()
            .filter(|x| x.part == Part::Afternoon)
            .map(|x| x.id.as_str())
            .collect(),
        school,
        demand,
        pools,
        cliques,
        fair,
        pins,
        own,
        avoid,
        delta,
        base_rel,
        baseline,
    };
    let mut stats = Stats {
        duties: demand.duties.len(),
        pools: model.pools.len(),
        staff: school.staff.len(),
        ..Stats::default()
    };
    let mut tiers = Vec::new();
    let mut bounds = Bounds {
        floor_base: None,
        uncovered: None,
        changes: None,
        replacement: None,
        max_load: None,
        shortfall: None,
        windows: None,
        dev: None,
        balance: None,
        caps: None,
    };
    let mut warm: Option<Vec<Vec<usize>>> = None;
    // Warm start: the published roster where it is still valid (repair),
    // else the greedy roster.
    let greedy = Some(match &opts.baseline {
        Some(_) => {
            let mut c = vec![Vec::new(); model.pools.len()];
            for &(s, p) in &model.baseline {
                c[p].push(s);
            }
            c
        }
        None => model.greedy(),
    });
    let deadline = Instant::now() + std::time::Duration::from_secs_f64(opts.time_limit_s);
    // Column generation over people's weeks (tiers 1-2), built on first use.
    let mut dwo: Option<patterns::Dw> = None;
    // Share of the time limit per tier; time a tier leaves unused rolls over.
    let tiers_spec: Vec<(Tier, u8, &str, f64)> = if opts.baseline.is_some() {
        vec![
            (Tier::Uncovered, 1, "uncovered", 0.25),
            (Tier::Changes, 2, "changes", 0.25),
            (Tier::MaxLoad, 3, "max-load", 0.2),
            (Tier::Replacement, 4, "replacement-load", 0.15),
            (Tier::Preferences, 5, "preferences", 0.1),
        ]
    } else {
        vec![
            (Tier::Uncovered, 1, "uncovered", 0.3),
            (Tier::MaxLoad, 2, "max-load", 0.35),
            (Tier::Spread, 3, "spread", 0.15),
            (Tier::Balance, 4, "balance", 0.1),
            (Tier::Preferences, 5, "preferences", 0.15),
        ]
    };
    let mut tiers_spec = tiers_spec;
    if opts.skip_preferences {
        tiers_spec.retain(|t| t.0 != Tier::Preferences);
    }
    if opts.skip_balance {
        tiers_spec.retain(|t| t.0 != Tier::Balance);
    }
    for (k, &(tier, id, name, _)) in tiers_spec.iter().enumerate() {
        let share: f64 = tiers_spec[k].3 / tiers_spec[k..].iter().map(|t| t.3).sum::<f64>();
        let budget = (deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
            * share)
            .max(0.5);
        // The best known roster that meets the earlier tiers.
        let start: Option<Vec<Vec<usize>>> = match (&warm, &greedy) {
            (Some(w), Some(g))
                if tier == Tier::MaxLoad
                    && model.uncovered(g) <= bounds.uncovered.unwrap_or(0.0) + 1e-9
                    && model.max_rel(g) < model.max_rel(w) =>
            {
                Some(g.clone())
            }
            (Some(w), _) => Some(w.clone()),
            (None, g) => g.clone(),
        };
        let ts = Instant::now();
        // Certificate by LP bound: when the known roster already meets the
        // relaxation's bound it is optimal, and no branching is needed.
        let mut result: Option<(Vec<Vec<usize>>, TierReport)> = None;
        if let (Some(st), Tier::Uncovered) = (&start, tier) {
            let g = model.uncovered(st);
            if g > 0.5 && !opts.compact_only {
                let dwm =
                    dwo.get_or_insert_with(|| patterns::Dw::new(&model, deadline, false, None));
                dwm.deadline = Instant::now() + std::time::Duration::from_secs_f64(budget);
                dwm.seed(st);
                let bound = dwm.min_uncovered()?;
                let meets = |r: &Vec<Vec<usize>>| {
                    model.respects(r, &bounds) && model.uncovered(r) <= bound + 1e-6
                };
                let found = if g <= bound + 1e-6 {
                    Some(st.clone())
                } else {
                    // Diving first, as in tier 2: on the make-up week (seats
                    // left open) price-and-branch took 0.9 s (demo) to
                    // 4.1 s (synthetic), diving 0.3-0.5 s.
                    match dwm.dive(f64::INFINITY, bound)?.filter(meets) {
                        Some(r) => Some(r),
                        None => dwm
                            .integer(f64::INFINITY, bound, opts.max_nodes)?
                            .filter(meets),
                    }
                };
                if let Some(r) = found {
                    let rep = TierReport::proven(id, name, model.uncovered(&r), bound);
                    result = Some((r, rep));
                }
            }
        }
        if let (Some(st), Tier::MaxLoad, false) = (&start, tier, opts.compact_only) {
            let dwm = dwo.get_or_insert_with(|| patterns::Dw::new(&model, deadline, false, None));
            let (chosen, mut rep) =
                model.max_load_tier(dwm, &bounds, st, budget, opts, &mut stats)?;
            rep.tier = id;
            rep.name = name;
            result = Some((chosen, rep));
        }
        // Tier 3 at zero by patterns: everyone inside their band.
        if let (Some(st), Tier::Spread, false, Some(_), Some(dwm)) = (
            &start,
            tier,
            opts.compact_only,
            bounds.floor_base,
            dwo.as_mut(),
        ) {
            if model.tier_value(Tier::Spread, st, &bounds) > 1e-6 {
                dwm.deadline = Instant::now() + std::time::Duration::from_secs_f64(budget);
                dwm.seed(st);
                let band = |s: usize| model.band(&bounds, s);
                let u = bounds.uncovered.unwrap_or(0.0);
                if let Some(r) = dwm.within_bands(&band, u, opts.max_nodes)? {
                    if model.keeps(&r, &bounds)
                        && model.tier_value(Tier::Spread, &r, &bounds) <= 1e-6
                    {
                        result = Some((r, TierReport::proven(id, name, 0.0, 0.0)));
                    }
                }
            }
        }
        // Tier 3 above zero (a short week: not everyone fits in the band)
        // by patterns: each week costs its owner's distance outside the
        // band; the cap stays.
        if let (Some(st), Tier::Spread, false, Some(c), None, Some(dwm)) = (
            &start,
            tier,
            opts.compact_only,
            bounds.floor_base,
            &result,
            dwo.as_mut(),
        ) {
            let value = model.tier_value(Tier::Spread, st, &bounds);
            if value > 1e-6 && model.pins.is_empty() && opts.baseline.is_none() {
                dwm.deadline = Instant::now() + std::time::Duration::from_secs_f64(budget);
                dwm.seed(st);
                // Only tier 2's cap (classes outside fairness have no band).
                let top = bounds.max_load.unwrap_or(f64::INFINITY);
                let band = |_: usize| (f64::NEG_INFINITY, top);
                let mode = patterns::Costed {
                    center: c,
                    uncovered: bounds.uncovered.unwrap_or(0.0),
                    cost: patterns::Cost::Spread,
                };
                let (found, lb) = dwm.costed(&band, mode, opts.max_nodes)?;
                let mut best = (st.clone(), value);
                for r in found {
                    let v = model.tier_value(Tier::Spread, &r, &bounds);
                    if v < best.1 - 1e-9 && model.keeps(&r, &bounds) {
                        best = (r, v);
                    }
                }
                // Unproven, the gap is reported rather than handed to the
                // compact model: measured on the demo's make-up week with
                // term-to-date loads, it ran 17 s after this and found
                // neither a better roster nor a better bound.
                let (r, v) = best;
                let rep = TierReport::against(id, name, v, lb);
                if v < value - 1e-9 || rep.optimal {
                    result = Some((r, rep));
                }
            }
        }
        // Tiers 4 and 5 by patterns: each week costs its owner's squared
        // distance from the average (balance) or its preference penalty
        // with the balance sum kept (preferences); the band and caps stay.
        // Pins and a repair's change limits are not modelled by patterns:
        // the compact model takes them.
        let by_patterns = !opts.compact_only && model.pins.is_empty() && opts.baseline.is_none();
        if let (Some(st), Tier::Balance | Tier::Preferences, Some(c)) =
            (&start, tier, bounds.floor_base)
        {
            let value = model.tier_value(tier, st, &bounds);
            let mut best = (st.clone(), value, f64::NAN);
            let mut found_any = false;
            if by_patterns {
                let until = Instant::now() + std::time::Duration::from_secs_f64(budget);
                // Classes split by tier-3 distance (when anyone has one) and,
                // for preferences, by own class and requests.
                let split = bounds
                    .windows
                    .as_deref()
                    .filter(|w| w.iter().any(|&(a, e)| a > 1e-9 || e > 1e-9));
                let mut own;
                let dwm = match (tier, split, dwo.as_mut()) {
                    (Tier::Balance, None, Some(d)) => {
                        d.deadline = until;
                        d
                    }
                    _ => {
                        own = patterns::Dw::new(&model, until, tier == Tier::Preferences, split);
                        &mut own
                    }
                };
                dwm.seed(st);
                let mode = patterns::Costed {
                    center: c,
                    uncovered: bounds.uncovered.unwrap_or(0.0),
                    cost: if tier == Tier::Preferences {
                        patterns::Cost::Preferences {
                            keep_balance: bounds.balance.unwrap_or(f64::INFINITY),
                        }
                    } else {
                        patterns::Cost::Balance
                    },
                };
                let band = |s: usize| model.band(&bounds, s);
                let (found, lb) = dwm.costed(&band, mode, opts.max_nodes)?;
                best.2 = lb;
                for r in found {
                    found_any = true;
                    let v = model.tier_value(tier, &r, &bounds);
                    if v < best.1 - 1e-9 && model.keeps(&r, &bounds) {
                        best = (r, v, lb);
                    }
                }
                if tier == Tier::Preferences {
                    stats.pref_classes = dwm.sizes().0;
                }
            }
            let (r, v, lb) = best;
            let rep = TierReport::against(id, name, v, lb);
            // Preferences fall back to the compact model when patterns
            // found nothing (pins, or the column generation ran out).
            if tier == Tier::Balance || found_any {
                result = Some((r, rep));
            }
        }
        if let (Some(st), true, true) = (&start, tier != Tier::Preferences, result.is_none()) {
            let value = model.tier_value(tier, st, &bounds);
            let tb = Instant::now();
            let lp = model.build(tier, &bounds, true)?;
            stats.build_s += tb.elapsed().as_secs_f64();
            if let Some(lb) = solve_lp(lp.problem, budget)? {
                let lb_r = if matches!(tier, Tier::Uncovered | Tier::Changes) {
                    (lb - 1e-6).ceil()
                } else {
                    lb
                };
                if value <= lb_r + 1e-6 {
                    result = Some((st.clone(), TierReport::proven(id, name, value, lb)));
                }
            }
        }
        if result.is_none() {
            let tb = Instant::now();
            let built = model.build(tier, &bounds, false)?;
            stats.build_s += tb.elapsed().as_secs_f64();
            stats.binaries = built.x.len();
            stats.rows = stats.rows.max(built.rows);
            let warm_cols = start
                .as_ref()
                .map(|st| model.warm_cols(&built, st, &bounds));
            let mut hm = built.problem;
            // KEHOU_HIGHS_LOG=1 shows HiGHS's log (for measuring the model).
            if std::env::var_os("KEHOU_HIGHS_LOG").is_none() {
                hm.make_quiet();
            } else {
                let _ = hm.try_set_option("output_flag", true);
                let _ = hm.try_set_option("log_to_console", true);
            }
            let left = (deadline
                .saturating_duration_since(Instant::now())
                .as_secs_f64()
                * share)
                .max(0.5);
            let _ = hm.try_set_option("time_limit", left);
            let gap = if tier == Tier::Preferences {
                opts.mip_rel_gap.max(opts.preferences_gap)
            } else {
                opts.mip_rel_gap
            };
            let _ = hm.try_set_option("mip_rel_gap", gap);
            let _ = hm.try_set_option("threads", 1);
            let _ = hm.try_set_option("random_seed", 0);
            let _ = hm.try_set_option("mip_max_nodes", opts.max_nodes as i32);
            if tier == Tier::MaxLoad {
                // Measured: HiGHS proves the max-load tier several times
                // faster without presolve (demo 4.4 s -> 1.0 s, large week
                // unproven in 10 s -> proven in 2.8 s).
                let _ = hm.try_set_option("presolve", "off");
            }
            if let Some(cols) = &warm_cols {
                let _ = hm.try_set_solution(Some(cols), None, None, None);
            }
            let solved = hm
                .try_solve()
                .map_err(|e| Error::Solver(format!("{e:?}")))?;
            let status = solved.status();
            let cols = solved.get_solution().columns().to_vec();
            let has_solution = cols.len() == built.n_cols
                && !matches!(
                    status,
                    highs::HighsModelStatus::Infeasible | highs::HighsModelStatus::NotSet
                );
            if has_solution {
                let mut chosen = vec![Vec::new(); model.pools.len()];
                for ((s, p), c) in &built.xcol {
                    if cols[*c] > 0.5 {
                        chosen[*p].push(*s);
                    }
                }
                let mut objective = solved.objective_value();
                let bound = solved
                    .double_info_value(c"mip_dual_bound")
                    .unwrap_or(f64::NAN);
                if tier == Tier::Preferences {
                    // The compact objective counts bonuses only where its
                    // indicators are set, so it is never below the roster's
                    // true penalty (what tier 5 by patterns prices); report
                    // the true one.
                    let exact = model.pref_value(&chosen);
                    if exact > objective + 1e-6 {
                        return Err(Error::Solver(format!(
                            "internal: preference penalty {exact} above the model's {objective}"
                        )));
                    }
                    objective = exact;
                }
                // Proven only when the bound meets the value: HiGHS also
                // says Optimal when it stops within the allowed gap.
                let closed = (objective - bound).abs() <= 1e-6 * objective.abs().max(1.0);
                let rep = TierReport {
                    tier: id,
                    name,
                    objective,
                    bound,
                    gap: if closed { 0.0 } else { solved.mip_gap() },
                    optimal: status == highs::HighsModelStatus::Optimal && closed,
                    seconds: 0.0,
                };
                result = Some((chosen, rep));
            } else if warm.is_none() {
                return Err(Error::Solver(format!(
                    "tier {id} ({name}): HiGHS status {status:?}"
                )));
            }
        }
        let secs = ts.elapsed().as_secs_f64();
        stats.solve_s += secs;
        let Some((chosen, mut rep)) = result else {
            // Keep the previous tier's roster; report this tier unsolved.
            tiers.push(TierReport {
                tier: id,
                name,
                objective: f64::NAN,
                bound: f64::NAN,
                gap: f64::INFINITY,
                optimal: false,
                seconds: secs,
            });
            break;
        };
        rep.seconds = secs;
        // Bounds for the next tiers, measured on the integral roster.
        match tier {
            Tier::Uncovered => bounds.uncovered = Some(model.uncovered(&chosen)),
            Tier::MaxLoad => {
                bounds.max_load = Some(model.max_rel(&chosen) + 1e-7);
                bounds.floor_base = Some(model.avg_rel(&chosen));
                stats.center = bounds.floor_base;
            }
            Tier::Spread => {
                bounds.shortfall = Some(model.tier_value(Tier::Spread, &chosen, &bounds) + 1e-6);
                bounds.windows = Some(model.band_deviations(&chosen, &bounds));
            }
            Tier::Balance => {
                let c = bounds.floor_base.unwrap_or(0.0);
                bounds.balance = Some(model.tier_value(Tier::Balance, &chosen, &bounds) + 1e-6);
                bounds.dev = Some(
                    model
                        .rel_loads(&chosen)
                        .iter()
                        .map(|r| (r - c).abs() + 1e-7)
                        .collect(),
                );
            }
            Tier::Changes => bounds.changes = Some(model.changes(&chosen) as f64 + 1e-6),
            Tier::Replacement => {
                bounds.replacement =
                    Some(model.tier_value(Tier::Replacement, &chosen, &bounds) + 1e-6)
            }
            Tier::Preferences | Tier::Feasible => {}
        }
        tiers.push(rep);
        warm = Some(chosen);
        if tier == Tier::Uncovered && model.fair.is_empty() {
            break;
        }
    }
    let Some(chosen) = warm else {
        return Err(Error::Solver("no tier solved".into()));
    };
    if let Some(d) = &dwo {
        (stats.classes, stats.cg_columns, stats.cg_lps) = d.sizes();
    }
    let tm = Instant::now();
    let (assignments, uncovered) = match_pools(
        policy,
        school,
        demand,
        &model.pools,
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

/// The class whose homeroom teacher this duty is "own" for: a one-class
/// group (only the first part, if the class was split).
fn own_duty(demand: &WeekDemand, d: usize) -> Option<usize> {
    let duty = &demand.duties[d];
    (duty.classes.len() == 1 && duty.split <= 1).then(|| duty.classes[0])
}

fn own_class_pairs(
    school: &School,
    demand: &WeekDemand,
    pools: &[Pool],
) -> BTreeSet<(usize, usize)> {
    let mut out = BTreeSet::new();
    for (p, pool) in pools.iter().enumerate() {
        for &d in &pool.duties {
            if let Some(c) = own_duty(demand, d) {
                for &s in &pool.eligible {
                    if school.staff[s].homeroom == Some(c) {
                        out.insert((s, p));
                    }
                }
            }
        }
    }
    out
}

fn avoid_pairs(school: &School, demand: &WeekDemand, pools: &[Pool]) -> BTreeSet<(usize, usize)> {
    let mut out = BTreeSet::new();
    for l in school.leave.iter().filter(|l| l.kind == LeaveKind::Request) {
        for (p, pool) in pools.iter().enumerate() {
            let d = &demand.duties[pool.duties[0]];
            if l.from <= d.date
                && d.date <= l.to
                && (l.sessions.is_empty() || l.sessions.contains(&d.session))
            {
                out.insert((l.staff, p));
            }
        }
    }
    out
}

/// Inside each pool, give each chosen person a seat (duty, index) by a
/// maximum-weight assignment: fill every duty's first seat first, then
/// homeroom teachers on their own class, then continuity with the same
/// person's previous stage.
fn match_pools(
    policy: &Policy,
    school: &School,
    demand: &WeekDemand,
    pools: &[Pool],
    chosen: &[Vec<usize>],
    baseline: &[Assignment],
    pins: &[Pin],
) -> (Vec<Assignment>, Vec<(usize, u32)>) {
    let pinned: BTreeSet<(usize, usize)> = pins.iter().map(|p| (p.duty, p.staff)).collect();
    let kept: BTreeSet<(usize, usize)> = baseline.iter().map(|a| (a.duty, a.staff)).collect();
    let mut order: Vec<usize> = (0..pools.len()).collect();
    order.sort_by_key(|&p| (pools[p].day, pools[p].start, pools[p].end, p));
    let mut assignments = Vec::new();
    let mut filled: BTreeMap<usize, u32> = BTreeMap::new();
    // Previous-stage classes per (staff, day).
    let mut prev_classes: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for p in order {
        let pool = &pools[p];
        let staff = &chosen[p];
        if staff.is_empty() {
            continue;
        }
        let seats: Vec<(usize, u32)> = pool
            .duties
            .iter()
            .flat_map(|&d| (0..demand.duties[d].staff_needed).map(move |k| (d, k)))
            .collect();
        let weight = |s: usize, (d, k): (usize, u32)| -> i64 {
            let duty = &demand.duties[d];
            let mut w = if k == 0 { 1_000_000 } else { 0 };
            if pinned.contains(&(d, s)) {
                // Rule::Pin: a pinned person gets exactly the pinned duty.
                w += 100_000_000;
            }
            if kept.contains(&(d, s)) {
                // Repair: the same person keeps the same group.
                w += 500_000;
            }
            if k == 0 && own_duty(demand, d).is_some_and(|c| school.staff[s].homeroom == Some(c)) {
                w += 1000 * i64::from(policy.prefs.own_class);
            }
            if let Some(pc) = prev_classes.get(&(s, pool.day)) {
                if duty.classes.iter().any(|c| pc.contains(c)) {
                    w += 100 * i64::from(policy.prefs.continuity);
                }
            }
            w
        };
        let m = pathfinding::matrix::Matrix::from_rows(
            staff
                .iter()
                .map(|&s| {
                    seats
                        .iter()
                        .map(|&seat| weight(s, seat))
                        .collect::<Vec<i64>>()
                })
                .collect::<Vec<_>>(),
        );
        let cols_of = match m {
            Ok(m) if m.rows <= m.columns => pathfinding::kuhn_munkres::kuhn_munkres(&m).1,
            _ => (0..staff.len()).collect(),
        };
        for (i, &s) in staff.iter().enumerate() {
            let Some(&(d, _)) = cols_of.get(i).and_then(|&c| seats.get(c)) else {
                continue;
            };
            assignments.push(Assignment { duty: d, staff: s });
            *filled.entry(d).or_insert(0) += 1;
            if pool.part == Part::Afternoon {
                prev_classes.insert((s, pool.day), demand.duties[d].classes.clone());
            }
        }
    }
    assignments.sort();
    let uncovered = demand
        .duties
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let f = filled.get(&i).copied().unwrap_or(0);
            (f < d.staff_needed).then_some((i, d.staff_needed - f))
        })
        .collect();
    (assignments, uncovered)
}
