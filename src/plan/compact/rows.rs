//! The compact model's constraints, in the order HiGHS receives them.

use std::collections::BTreeSet;

use good_lp::solvers::highs::HighsProblem;
use good_lp::{constraint, Constraint, Expression, SolverModel, Variable};

use crate::model::policy::Part;
use crate::model::school::LOAD_PER_HOUR;

use super::vars::{changes_expr, replacement_expr, Vars};
use crate::plan::bounds::{Bounds, Tier};
use crate::plan::instance::Instance;
use crate::plan::tol::{open_slack, BOUND_SLACK};

/// The problem with a count of the rows added.
pub(super) struct Rows {
    pub(super) pb: HighsProblem,
    pub(super) n: usize,
}

impl Rows {
    fn add(&mut self, c: Constraint) {
        self.pb.add_constraint(c);
        self.n += 1;
    }
}

/// Every row of the model for `tier` under bounds `b`.
pub(super) fn add_all(rows: &mut Rows, m: &Instance, v: &Vars, tier: Tier, b: &Bounds) {
    coverage(rows, m, v);
    pins(rows, m, v);
    no_overlap(rows, m, v);
    for s in 0..m.school.staff.len() {
        limits(rows, m, v, s);
    }
    fairness(rows, m, v, tier, b);
    earlier_tiers(rows, m, v, tier, b);
    continuity(rows, m, v);
    noon_and_afternoon(rows, m, v);
}

/// Rule::Coverage: staff on the pool plus uncovered equals the need.
fn coverage(rows: &mut Rows, m: &Instance, v: &Vars) {
    for (p, pool) in m.pools.iter().enumerate() {
        let on: Expression = pool.eligible.iter().map(|&s| v.x[&(s, p)]).sum();
        rows.add(constraint!(on + v.u[p] == pool.need as f64));
    }
}

/// Rule::Pin
fn pins(rows: &mut Rows, m: &Instance, v: &Vars) {
    for &(s, p) in &m.pins {
        if let Some(x) = v.x.get(&(s, p)) {
            rows.add(constraint!(*x == 1.0));
        }
    }
}

/// Rule::NoOverlap: at most one pool of each clique per person.
fn no_overlap(rows: &mut Rows, m: &Instance, v: &Vars) {
    let x = &v.x;
    for s in 0..m.school.staff.len() {
        let mut seen = BTreeSet::new();
        for c in &m.cliques {
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
                rows.add(constraint!(e <= 1.0));
            }
        }
    }
}

/// Rule::DailyLimit and Rule::WeeklyLimit for staff member `s`, only
/// where they can bind.
fn limits(rows: &mut Rows, m: &Instance, v: &Vars, s: usize) {
    let r = &m.policy.rules;
    let mine: Vec<usize> = (0..m.pools.len())
        .filter(|&p| v.x.contains_key(&(s, p)))
        .collect();
    for d in 0..m.demand.days.len() {
        let ps: Vec<usize> = mine
            .iter()
            .copied()
            .filter(|&p| m.pools[p].day == d)
            .collect();
        limit(
            rows,
            m,
            v,
            (s, &ps),
            r.max_duties_per_day,
            r.max_minutes_per_day,
        );
    }
    limit(
        rows,
        m,
        v,
        (s, &mine),
        r.max_duties_per_week,
        r.max_minutes_per_week,
    );
}

/// At most `max_n` of staff member `s`'s pools `ps` and `max_min` minutes.
fn limit(
    rows: &mut Rows,
    m: &Instance,
    v: &Vars,
    (s, ps): (usize, &[usize]),
    max_n: u32,
    max_min: u32,
) {
    if ps.len() as u32 > max_n {
        let e: Expression = ps.iter().map(|&p| v.x[&(s, p)]).sum();
        rows.add(constraint!(e <= max_n as f64));
    }
    if ps.iter().map(|&p| m.pools[p].minutes).sum::<u32>() > max_min {
        let e: Expression = ps
            .iter()
            .map(|&p| m.pools[p].minutes as f64 * v.x[&(s, p)])
            .sum();
        rows.add(constraint!(e <= max_min as f64));
    }
}

/// Fairness: relative load of each fair person at most z; from tier 3
/// on, shortfall below the average minus one duty and excess above the
/// average plus one duty.
fn fairness(rows: &mut Rows, m: &Instance, v: &Vars, tier: Tier, b: &Bounds) {
    let (x, z, sf, ex) = (&v.x, v.z, &v.sf, &v.ex);
    for (i, &s) in m.fair.iter().enumerate() {
        let q = m.school.staff[s].quota.as_f64();
        let load: Expression = (0..m.pools.len())
            .filter_map(|p| {
                x.get(&(s, p))
                    .map(|v| (m.pools[p].load as f64 / LOAD_PER_HOUR as f64 / q) * *v)
            })
            .sum();
        let prior = m.prior(s) / q;
        rows.add(constraint!(load.clone() + prior <= z));
        if let Some(cap) = b.caps.as_ref().and_then(|c| c.get(i)) {
            rows.add(constraint!(load.clone() + prior <= *cap));
        }
        if let (Some(dev), Some(c), Tier::Preferences) = (&b.dev, b.floor_base, tier) {
            rows.add(constraint!(load.clone() + prior >= c - dev[i]));
            rows.add(constraint!(load.clone() + prior <= c + dev[i]));
        }
        if let Some(zmax) = b.floor_base {
            if matches!(tier, Tier::Spread | Tier::Preferences) {
                let floor = zmax - m.delta[i];
                let ceiling = zmax + m.delta[i];
                rows.add(constraint!(sf[i] + load.clone() + prior >= floor));
                rows.add(constraint!(load + prior - ex[i] <= ceiling));
            }
        }
    }
}

/// Earlier tiers' optima.
fn earlier_tiers(rows: &mut Rows, m: &Instance, v: &Vars, tier: Tier, b: &Bounds) {
    if let Some(bound) = b.uncovered {
        let uncovered = super::vars::open_seats(m, &v.u);
        rows.add(constraint!(uncovered <= bound + open_slack(bound)));
    }
    if let Some(bound) = b.max_load {
        rows.add(constraint!(v.z <= bound));
    }
    if let Some(c) = b.carried_floor(m) {
        // At least (or exactly) tier 2b's load, half a load unit either
        // side: loads are whole units (see `Carried`).
        let carried = super::vars::fair_hours(m, &v.x);
        let unit = LOAD_PER_HOUR as f64;
        rows.add(constraint!(carried.clone() >= (c.load as f64 - 0.5) / unit));
        if c.exact {
            rows.add(constraint!(carried <= (c.load as f64 + 0.5) / unit));
        }
    }
    if let Some(bound) = b.replacement {
        let e = replacement_expr(m, &v.x);
        rows.add(constraint!(e <= bound));
    }
    if let Some(bound) = b.changes {
        let e = changes_expr(m, &v.x);
        rows.add(constraint!(e <= bound));
    }
    if let (Some(w), Tier::Preferences) = (&b.windows, tier) {
        for (i, &(a, e)) in w.iter().enumerate() {
            rows.add(constraint!(v.sf[i] <= a + BOUND_SLACK));
            rows.add(constraint!(v.ex[i] <= e + BOUND_SLACK));
        }
    } else if let Some(bound) = b.shortfall {
        let total: Expression = v.sf.iter().chain(v.ex.iter()).sum();
        rows.add(constraint!(total <= bound));
    }
}

/// Continuity indicators: at most each of the two stages' duties.
fn continuity(rows: &mut Rows, m: &Instance, v: &Vars) {
    let afternoon = &m.afternoon;
    for ((s, d, sess), c) in &v.cont {
        let nxt = afternoon
            .iter()
            .position(|a| a == sess)
            .and_then(|i| afternoon.get(i + 1))
            .copied()
            .unwrap_or("");
        for target in [sess.as_str(), nxt] {
            let e: Expression = m
                .pools
                .iter()
                .enumerate()
                .filter(|(p, pl)| {
                    pl.day == *d && pl.session == target && v.x.contains_key(&(*s, *p))
                })
                .map(|(p, _)| v.x[&(*s, p)])
                .sum();
            rows.add(constraint!(*c <= e));
        }
    }
}

/// Noon-and-afternoon indicators: set when both parts hold a duty.
fn noon_and_afternoon(rows: &mut Rows, m: &Instance, v: &Vars) {
    for ((s, d), na) in &v.noon_aft {
        let a = v.aft_any[&(*s, *d)];
        let noon: Expression = m
            .pools
            .iter()
            .enumerate()
            .filter(|(p, pl)| pl.day == *d && pl.part == Part::Noon && v.x.contains_key(&(*s, *p)))
            .map(|(p, _)| v.x[&(*s, p)])
            .sum();
        for (p, pl) in m.pools.iter().enumerate() {
            if pl.day == *d && pl.part == Part::Afternoon {
                if let Some(xv) = v.x.get(&(*s, p)) {
                    rows.add(constraint!(a >= *xv));
                }
            }
        }
        rows.add(constraint!(*na >= noon + a - 1.0));
    }
}
