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

use crate::data::{LeaveKind, School, LOAD_PER_HOUR};
use crate::demand::{Duty, WeekDemand};
use crate::error::{Error, Result};
use crate::policy::{Part, Policy, Role};
use crate::rules::Rule;

/// A pinned assignment (lock): kept by planning and repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pin {
    pub duty: usize,
    pub staff: usize,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub time_limit_s: f64,
    pub mip_rel_gap: f64,
    pub pins: Vec<Pin>,
}

impl Options {
    pub fn from_policy(p: &Policy) -> Options {
        Options {
            time_limit_s: p.solver.time_limit_s,
            mip_rel_gap: p.solver.mip_rel_gap,
            pins: Vec::new(),
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

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub duties: usize,
    pub pools: usize,
    pub staff: usize,
    pub binaries: usize,
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

/// Why staff member `s` may not take duty `d`, if they may not.
/// (The checker has its own, independent implementation of these rules.)
pub fn ineligible(policy: &Policy, school: &School, s: usize, d: &Duty) -> Option<Rule> {
    let st = &school.staff[s];
    if !st.active {
        return Some(Rule::Role);
    }
    if let Some(i) = d.instructor {
        if i != s && available(policy, school, i, d) {
            return Some(Rule::Instructor);
        }
    }
    if d.instructor != Some(s) {
        if st.role == Role::Outside || !d.roles.contains(&st.role) {
            return Some(Rule::Role);
        }
        if let Some(q) = &d.qualification {
            if !st.qualifications.contains(q) {
                return Some(Rule::Qualification);
            }
        }
    }
    if let Some(r) = unavailable(policy, school, s, d) {
        return Some(r);
    }
    if d.minutes() > policy.rules.max_minutes_per_day
        || d.minutes() > policy.rules.max_minutes_per_week
    {
        return Some(Rule::DailyLimit);
    }
    None
}

fn available(policy: &Policy, school: &School, s: usize, d: &Duty) -> bool {
    school.staff[s].active && unavailable(policy, school, s, d).is_none()
}

/// Leave, blackouts and exemptions (the person, not the duty kind).
fn unavailable(policy: &Policy, school: &School, s: usize, d: &Duty) -> Option<Rule> {
    let st = &school.staff[s];
    let on_leave = school.leave.iter().any(|l| {
        l.staff == s
            && l.kind == LeaveKind::Leave
            && l.from <= d.date
            && d.date <= l.to
            && (l.sessions.is_empty() || l.sessions.contains(&d.session))
    });
    if on_leave {
        return Some(Rule::Leave);
    }
    let blacked = policy.staff_blackouts.iter().any(|b| {
        (b.subjects.iter().any(|x| *x == st.subject) || b.roles.contains(&st.role))
            && (b.weekdays.is_empty() || b.weekdays.contains(&d.follows))
            && b.sessions.contains(&d.session)
    });
    if blacked {
        return Some(Rule::Blackout);
    }
    if let Some(ex) = st.exemption.as_deref().and_then(|e| policy.exemption(e)) {
        let late = ex.no_end_after.is_some_and(|t| d.end > t);
        if late || (ex.no_until_pickup && d.until_pickup) || ex.no_sessions.contains(&d.session) {
            return Some(Rule::Exemption);
        }
    }
    None
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

pub fn pools(policy: &Policy, school: &School, demand: &WeekDemand) -> Vec<Pool> {
    let mut by_key: BTreeMap<
        (
            chrono::NaiveDate,
            u16,
            u16,
            usize,
            Option<String>,
            Option<usize>,
            String,
        ),
        Vec<usize>,
    > = BTreeMap::new();
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
    MaxLoad,
    Spread,
    Preferences,
}

struct Bounds {
    uncovered: Option<f64>,
    max_load: Option<f64>,
    min_load: Option<f64>,
}

struct Model<'a> {
    policy: &'a Policy,
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
}

struct Built {
    problem: highs::Model,
    x: BTreeMap<(usize, usize), Variable>,
    /// Column of each x variable in the HiGHS model (insertion order).
    xcol: BTreeMap<(usize, usize), usize>,
    n_cols: usize,
    rows: usize,
}

impl Model<'_> {
    fn prior(&self, s: usize) -> f64 {
        self.school.served.get(&s).copied().unwrap_or(0) as f64 / LOAD_PER_HOUR as f64
    }

    fn build(&self, tier: Tier, b: &Bounds) -> Result<Built> {
        let mut vars = ProblemVariables::new();
        let mut x = BTreeMap::new();
        let mut xcol = BTreeMap::new();
        for (p, pool) in self.pools.iter().enumerate() {
            for &s in &pool.eligible {
                xcol.insert((s, p), vars.len());
                x.insert((s, p), vars.add(variable().binary()));
            }
        }
        let u: Vec<Variable> = self
            .pools
            .iter()
            .map(|p| vars.add(variable().integer().min(0).max(p.need as f64)))
            .collect();
        let z = vars.add(variable().min(0));
        let m = vars.add(variable().min(0));
        let n_days = self.demand.days.len();
        let staff_n = self.school.staff.len();
        // Continuity (stage k and k+1 same day) and noon+afternoon indicators.
        let afternoon: Vec<&str> = self
            .policy
            .sessions
            .iter()
            .filter(|s| s.part == Part::Afternoon)
            .map(|s| s.id.as_str())
            .collect();
        let mut cont = BTreeMap::new();
        let mut noon_aft = BTreeMap::new();
        let mut aft_any = BTreeMap::new();
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
                        noon_aft.insert((s, d), vars.add(variable().min(0)));
                        aft_any.insert((s, d), vars.add(variable().min(0).max(1)));
                    }
                }
            }
        }
        let n_cols = vars.len();

        let uncovered: Expression = u.iter().sum();
        let prefs = self.policy.prefs.clone();
        let objective: Expression = match tier {
            Tier::Uncovered => uncovered.clone(),
            Tier::MaxLoad => z.into(),
            Tier::Spread => Expression::from(z) - m,
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
        // Fairness: relative load of each fair person between m and z.
        for &s in &self.fair {
            let q = self.school.staff[s].quota.as_f64();
            let load: Expression = (0..self.pools.len())
                .filter_map(|p| {
                    x.get(&(s, p))
                        .map(|v| (self.pools[p].load as f64 / LOAD_PER_HOUR as f64 / q) * *v)
                })
                .sum();
            let prior = self.prior(s) / q;
            add(&mut pb, constraint!(load.clone() + prior <= z));
            add(&mut pb, constraint!(load + prior >= m));
        }
        // Earlier tiers' optima.
        if let Some(v) = b.uncovered {
            add(&mut pb, constraint!(uncovered <= v + 1e-6));
        }
        if let Some(v) = b.max_load {
            add(&mut pb, constraint!(z <= v));
        }
        if let Some(v) = b.min_load {
            add(&mut pb, constraint!(m >= v));
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
            n_cols,
            rows,
        })
    }
}

/// Plan the week: the best roster the rules allow, with each tier's proof.
pub fn plan(policy: &Policy, school: &School, demand: &WeekDemand, opts: &Options) -> Result<Plan> {
    let t0 = Instant::now();
    let pools = pools(policy, school, demand);
    let cliques = cliques(&pools);
    let fair: Vec<usize> = (0..school.staff.len())
        .filter(|&s| {
            let st = &school.staff[s];
            st.active && st.role != Role::Outside && st.quota.0 > 0
        })
        .collect();
    let mut pins = Vec::new();
    for pin in &opts.pins {
        if let Some(p) = pools.iter().position(|pl| pl.duties.contains(&pin.duty)) {
            pins.push((pin.staff, p));
        }
    }
    let own = own_class_pairs(school, demand, &pools);
    let avoid = avoid_pairs(school, demand, &pools);
    let model = Model {
        policy,
        school,
        demand,
        pools,
        cliques,
        fair,
        pins,
        own,
        avoid,
    };
    let mut stats = Stats {
        duties: demand.duties.len(),
        pools: model.pools.len(),
        staff: school.staff.len(),
        ..Stats::default()
    };
    let mut tiers = Vec::new();
    let mut bounds = Bounds {
        uncovered: None,
        max_load: None,
        min_load: None,
    };
    let mut warm: Option<Vec<f64>> = None;
    let mut last: Option<(Vec<f64>, BTreeMap<(usize, usize), usize>)> = None;
    let deadline = Instant::now() + std::time::Duration::from_secs_f64(opts.time_limit_s);
    // Share of the time limit per tier; time a tier leaves unused rolls over.
    let tiers_spec = [
        (Tier::Uncovered, 1u8, "uncovered", 0.3),
        (Tier::MaxLoad, 2, "max-load", 0.35),
        (Tier::Spread, 3, "spread", 0.2),
        (Tier::Preferences, 4, "preferences", 0.15),
    ];
    for (k, &(tier, id, name, _)) in tiers_spec.iter().enumerate() {
        let share: f64 = tiers_spec[k].3 / tiers_spec[k..].iter().map(|t| t.3).sum::<f64>();
        let tb = Instant::now();
        let built = model.build(tier, &bounds)?;
        stats.build_s += tb.elapsed().as_secs_f64();
        stats.binaries = built.x.len();
        stats.rows = stats.rows.max(built.rows);
        let mut hm = built.problem;
        hm.make_quiet();
        let left = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
            .max(1.0);
        let _ = hm.try_set_option("time_limit", left);
        let _ = hm.try_set_option("mip_rel_gap", opts.mip_rel_gap);
        let _ = hm.try_set_option("threads", 1);
        let _ = hm.try_set_option("random_seed", 0);
        if let Some(w) = &warm {
            let mut cols = w.clone();
            cols.resize(built.n_cols, 0.0);
            let _ = hm.try_set_solution(Some(&cols), None, None, None);
        }
        let ts = Instant::now();
        let solved = hm
            .try_solve()
            .map_err(|e| Error::Solver(format!("{e:?}")))?;
        let secs = ts.elapsed().as_secs_f64();
        stats.solve_s += secs;
        let status = solved.status();
        let sol = solved.get_solution();
        let cols = sol.columns().to_vec();
        let has_solution = cols.len() == built.n_cols
            && !matches!(
                status,
                highs::HighsModelStatus::Infeasible | highs::HighsModelStatus::NotSet
            );
        if !has_solution {
            if last.is_some() {
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
            }
            return Err(Error::Solver(format!(
                "tier {id} ({name}): HiGHS status {status:?}"
            )));
        }
        let obj = solved.objective_value();
        let bound = solved
            .double_info_value(c"mip_dual_bound")
            .unwrap_or(f64::NAN);
        let gap = solved.mip_gap();
        let optimal = status == highs::HighsModelStatus::Optimal;
        // Values measured on the integral solution, for the next tier's bound.
        let xval = |c: &usize| cols[*c] > 0.5;
        match tier {
            Tier::Uncovered => bounds.uncovered = Some(obj.round()),
            Tier::MaxLoad | Tier::Spread => {
                let loads: Vec<f64> = model
                    .fair
                    .iter()
                    .map(|&s| {
                        let q = school.staff[s].quota.as_f64();
                        let l: f64 = built
                            .xcol
                            .iter()
                            .filter(|((ss, _), c)| *ss == s && xval(c))
                            .map(|((_, p), _)| model.pools[*p].load as f64)
                            .sum();
                        (l / LOAD_PER_HOUR as f64 + model.prior(s)) / q
                    })
                    .collect();
                let hi = loads.iter().copied().fold(0.0, f64::max);
                let lo = loads.iter().copied().fold(f64::INFINITY, f64::min);
                if tier == Tier::MaxLoad {
                    bounds.max_load = Some(hi + 1e-7);
                } else {
                    bounds.min_load = Some(if lo.is_finite() { lo - 1e-7 } else { 0.0 });
                }
            }
            Tier::Preferences => {}
        }
        tiers.push(TierReport {
            tier: id,
            name,
            objective: obj,
            bound,
            gap,
            optimal,
            seconds: secs,
        });
        warm = Some(cols.clone());
        last = Some((cols, built.xcol));
        if tier == Tier::Uncovered && model.fair.is_empty() {
            break;
        }
    }
    let Some((cols, x)) = last else {
        return Err(Error::Solver("no tier solved".into()));
    };
    let tm = Instant::now();
    let mut chosen: Vec<Vec<usize>> = vec![Vec::new(); model.pools.len()];
    for ((s, p), c) in &x {
        if cols[*c] > 0.5 {
            chosen[*p].push(*s);
        }
    }
    let (assignments, uncovered) = match_pools(policy, school, demand, &model.pools, &chosen);
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
) -> (Vec<Assignment>, Vec<(usize, u32)>) {
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
