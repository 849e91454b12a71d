//! The compact model's variables and objective.

use std::collections::BTreeMap;

use good_lp::{variable, Expression, ProblemVariables, Variable};

use crate::model::policy::Part;
use crate::model::school::LOAD_PER_HOUR;

use crate::plan::bounds::{Bounds, Tier};
use crate::plan::instance::Instance;

/// The model's variables, in the order they were added (the HiGHS
/// column order warm starts follow).
pub(super) struct Vars {
    /// Staff member s on pool p.
    pub(super) x: BTreeMap<(usize, usize), Variable>,
    /// Column of each x variable in the HiGHS model (insertion order).
    pub(super) xcol: BTreeMap<(usize, usize), usize>,
    /// Open seats per pool.
    pub(super) u: Vec<Variable>,
    /// The highest relative load.
    pub(super) z: Variable,
    /// Shortfall of each fair person below the floor and excess above
    /// the ceiling (tier 3).
    pub(super) sf: Vec<Variable>,
    pub(super) ex: Vec<Variable>,
    /// Continuity indicators: (staff, day, first afternoon session).
    pub(super) cont: BTreeMap<(usize, usize, String), Variable>,
    /// Noon-and-afternoon indicators and "any afternoon" per (staff, day).
    pub(super) noon_aft: BTreeMap<(usize, usize), Variable>,
    pub(super) aft_any: BTreeMap<(usize, usize), Variable>,
    /// Columns of tier-4 indicators: (staff, day) -> (any afternoon, noon and afternoon).
    pub(super) pref_cols: BTreeMap<(usize, usize), (usize, usize)>,
    pub(super) n_cols: usize,
}

pub(super) fn variables(
    m: &Instance,
    tier: Tier,
    b: &Bounds,
    relax: bool,
) -> (ProblemVariables, Vars) {
    let mut vars = ProblemVariables::new();
    let mut x = BTreeMap::new();
    let mut xcol = BTreeMap::new();
    for (p, pool) in m.pools.iter().enumerate() {
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
    let u: Vec<Variable> = m
        .pools
        .iter()
        .map(|p| {
            let v = variable().min(0).max(p.need as f64);
            vars.add(if relax { v } else { v.integer() })
        })
        .collect();
    let z = vars.add(variable().min(0));
    let sf: Vec<Variable> = m.fair.iter().map(|_| vars.add(variable().min(0))).collect();
    // Excess only from tier 3 on. (Measured: HiGHS's tier-2 time moves
    // between 0.7 s and 3 s on the demo week with the column layout
    // alone, so tiers 1-2 keep the layout they were measured with.)
    let ex: Vec<Variable> = if b.floor_base.is_some() {
        m.fair.iter().map(|_| vars.add(variable().min(0))).collect()
    } else {
        Vec::new()
    };
    let mut v = Vars {
        x,
        xcol,
        u,
        z,
        sf,
        ex,
        cont: BTreeMap::new(),
        noon_aft: BTreeMap::new(),
        aft_any: BTreeMap::new(),
        pref_cols: BTreeMap::new(),
        n_cols: 0,
    };
    if tier == Tier::Preferences {
        indicators(m, &mut vars, &mut v);
    }
    v.n_cols = vars.len();
    (vars, v)
}

/// Continuity (stage k and k+1 same day) and noon+afternoon indicators.
fn indicators(m: &Instance, vars: &mut ProblemVariables, v: &mut Vars) {
    let x = &v.x;
    for s in 0..m.school.staff.len() {
        for d in 0..m.demand.days.len() {
            let has = |sess: &str| {
                m.pools
                    .iter()
                    .enumerate()
                    .any(|(p, pl)| pl.day == d && pl.session == sess && x.contains_key(&(s, p)))
            };
            for w in m.afternoon.windows(2) {
                if has(w[0]) && has(w[1]) {
                    v.cont
                        .insert((s, d, w[0].to_string()), vars.add(variable().min(0).max(1)));
                }
            }
            let on = |part: Part| {
                m.pools
                    .iter()
                    .enumerate()
                    .any(|(p, pl)| pl.day == d && pl.part == part && x.contains_key(&(s, p)))
            };
            if on(Part::Noon) && on(Part::Afternoon) {
                let c = vars.len();
                v.noon_aft.insert((s, d), vars.add(variable().min(0)));
                v.aft_any.insert((s, d), vars.add(variable().min(0).max(1)));
                v.pref_cols.insert((s, d), (c + 1, c));
            }
        }
    }
}

/// The tier's objective over the variables.
pub(super) fn objective(m: &Instance, tier: Tier, v: &Vars) -> Expression {
    match tier {
        Tier::Uncovered => open_seats(m, &v.u),
        Tier::Changes => changes_expr(m, &v.x),
        Tier::Replacement => replacement_expr(m, &v.x),
        Tier::MaxLoad => v.z.into(),
        Tier::Covered => not_carried_expr(m, &v.x),
        Tier::Feasible => Expression::from(0.0),
        Tier::Spread => v.sf.iter().chain(v.ex.iter()).sum(),
        // Never built: the balance tier is solved by column generation.
        Tier::Balance => Expression::from(0.0),
        Tier::Preferences => preferences_expr(m, v),
    }
}

fn preferences_expr(m: &Instance, v: &Vars) -> Expression {
    let prefs = &m.policy.prefs;
    let mut e = Expression::from(0.0);
    for &(s, p) in &m.own {
        if let Some(x) = v.x.get(&(s, p)) {
            e -= f64::from(prefs.own_class) * *x;
        }
    }
    for &(s, p) in &m.avoid {
        if let Some(x) = v.x.get(&(s, p)) {
            e += f64::from(prefs.personal_request) * *x;
        }
    }
    for x in v.cont.values() {
        e -= f64::from(prefs.continuity) * *x;
    }
    for x in v.noon_aft.values() {
        e += f64::from(prefs.noon_and_afternoon) * *x;
    }
    e
}

pub(super) fn replacement_expr(m: &Instance, x: &BTreeMap<(usize, usize), Variable>) -> Expression {
    let mut e = Expression::from(0.0);
    for (k, v) in x {
        if !m.baseline.contains(k) {
            e += m.base_rel[k.0] * *v;
        }
    }
    e
}

pub(super) fn changes_expr(m: &Instance, x: &BTreeMap<(usize, usize), Variable>) -> Expression {
    let mut e = Expression::from(m.baseline.len() as f64);
    for (k, v) in x {
        if m.baseline.contains(k) {
            e -= *v;
        } else {
            e += *v;
        }
    }
    e
}

/// Hours of the week's seats not carried by the fair staff (tier 2b).
fn not_carried_expr(m: &Instance, x: &BTreeMap<(usize, usize), Variable>) -> Expression {
    m.demand_load() as f64 / LOAD_PER_HOUR as f64 - fair_hours(m, x)
}

/// The fair staff's total load in hours.
pub(super) fn fair_hours(m: &Instance, x: &BTreeMap<(usize, usize), Variable>) -> Expression {
    x.iter()
        .filter(|((s, _), _)| m.fair.binary_search(s).is_ok())
        .map(|(&(_, p), &v)| (m.pools[p].load as f64 / LOAD_PER_HOUR as f64) * v)
        .sum()
}

/// Tier 1's objective: open seats weighted by priority (`open_cost`).
pub(super) fn open_seats(m: &Instance, u: &[Variable]) -> Expression {
    u.iter().zip(&m.open_cost).map(|(&u, &c)| c * u).sum()
}
