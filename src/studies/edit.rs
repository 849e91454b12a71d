//! Hand edits of a week's roster: who could take a seat (ranked, each
//! other person with the rule that stops them), and a move, swap or
//! vacated seat, each checked at once by the independent checker before
//! it is kept. An edit never adds a violation; the roster it returns has
//! no tier proofs (they were of the planner's roster, not this one).

use rayon::prelude::*;

use crate::check::{self, Violation};
use crate::error::{Error, Result, Said};
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::plan::{Assignment, Plan};
use crate::roster;
use crate::rules::Rule;

/// One hand edit of a roster (duty and staff are indexes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// `to` takes a seat of `duty`: the one `from` holds, or an open seat.
    Move {
        duty: usize,
        from: Option<usize>,
        to: usize,
    },
    /// `a` leaves `da` and takes `db`; `b` leaves `db` and takes `da`.
    Swap {
        a: usize,
        da: usize,
        b: usize,
        db: usize,
    },
    /// `staff` leaves `duty`, whose seat is left open.
    Vacate { duty: usize, staff: usize },
}

/// Whether a person could take a seat.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// As the roster is.
    Free,
    /// They hold this duty at the same time; exchanging it with the person
    /// replaced passes every rule.
    Swap(usize),
    /// A rule stops them: the rule and what the checker says.
    Blocked(Rule, String),
}

/// One person considered for a seat.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub staff: usize,
    pub verdict: Verdict,
    /// This week's minutes on duty and the relative load (term to date)
    /// if they took the seat (the swap included); None for staff outside
    /// the fairness tiers.
    pub minutes_after: u32,
    pub relative_after: Option<f64>,
}

fn said(zh: String, en: String) -> Error {
    Error::Refused(vec![Said::new(zh, en)])
}

/// The roster with the edit made, unchecked; an edit that does not fit
/// the roster (a person who does not hold the duty, no open seat) is
/// refused with why.
pub fn apply_unchecked(school: &School, plan: &Plan, edit: &Edit) -> Result<Plan> {
    let mut p = plan.clone();
    let name = |s: usize| school.shown_name(s).into_owned();
    let duty_id = |d: usize| plan.demand.duties[d].id.clone();
    let holds =
        |p: &Plan, s: usize, d: usize| p.assignments.contains(&Assignment { duty: d, staff: s });
    let take = |p: &mut Plan, s: usize, d: usize| -> Result<()> {
        if holds(p, s, d) {
            return Err(said(
                format!("{} 已担任任务 {}", name(s), duty_id(d)),
                format!("{} already holds duty {}", name(s), duty_id(d)),
            ));
        }
        p.assignments.push(Assignment { duty: d, staff: s });
        Ok(())
    };
    let leave = |p: &mut Plan, s: usize, d: usize| -> Result<()> {
        let Some(i) = p
            .assignments
            .iter()
            .position(|a| *a == Assignment { duty: d, staff: s })
        else {
            return Err(said(
                format!(
                    "{} 未担任任务 {} (页面已过时? 请重新打开)",
                    name(s),
                    duty_id(d)
                ),
                format!(
                    "{} does not hold duty {} (is the page out of date? open it again)",
                    name(s),
                    duty_id(d)
                ),
            ));
        };
        p.assignments.remove(i);
        Ok(())
    };
    match *edit {
        Edit::Move {
            duty,
            from: Some(f),
            to,
        } => {
            leave(&mut p, f, duty)?;
            take(&mut p, to, duty)?;
        }
        Edit::Move {
            duty,
            from: None,
            to,
        } => {
            let Some(u) = p.uncovered.iter_mut().find(|u| u.0 == duty && u.1 > 0) else {
                return Err(said(
                    format!("任务 {} 没有空缺", duty_id(duty)),
                    format!("duty {} has no open seat", duty_id(duty)),
                ));
            };
            u.1 -= 1;
            take(&mut p, to, duty)?;
        }
        Edit::Swap { a, da, b, db } => {
            leave(&mut p, a, da)?;
            leave(&mut p, b, db)?;
            take(&mut p, a, db)?;
            take(&mut p, b, da)?;
        }
        Edit::Vacate { duty, staff } => {
            leave(&mut p, staff, duty)?;
            match p.uncovered.iter_mut().find(|u| u.0 == duty) {
                Some(u) => u.1 += 1,
                None => p.uncovered.push((duty, 1)),
            }
        }
    }
    p.uncovered.retain(|u| u.1 > 0);
    p.uncovered.sort();
    p.assignments.sort();
    p.tiers.clear();
    Ok(p)
}

/// Everything the checker finds in a roster.
fn violations(policy: &Policy, school: &School, plan: &Plan) -> Vec<Violation> {
    check::check(
        policy,
        school,
        &plan.demand,
        &roster::from_plan(school, plan),
    )
}

/// What the checker finds in `after` and not in the roster before
/// (`was`: what it finds there).
fn added(policy: &Policy, school: &School, was: &[Violation], after: &Plan) -> Vec<Violation> {
    let mut now = violations(policy, school, after);
    now.retain(|v| !was.contains(v));
    now
}

/// The roster with the edit made, refused (naming each rule and its
/// reason) when the independent checker finds a violation it adds.
pub fn apply(policy: &Policy, school: &School, plan: &Plan, edit: &Edit) -> Result<Plan> {
    apply_against(
        policy,
        school,
        &violations(policy, school, plan),
        plan,
        edit,
    )
}

/// `apply`, given what the checker finds in `plan` (`was`).
fn apply_against(
    policy: &Policy,
    school: &School,
    was: &[Violation],
    plan: &Plan,
    edit: &Edit,
) -> Result<Plan> {
    let after = apply_unchecked(school, plan, edit)?;
    let bad = added(policy, school, was, &after);
    if bad.is_empty() {
        return Ok(after);
    }
    Err(check::refusal(
        &bad,
        "这项调整违反规则, 未做更改",
        "this change breaks a rule, so nothing was changed",
    ))
}

/// The duty `c` holds that overlaps `duty`, if any.
fn clash(plan: &Plan, c: usize, duty: usize) -> Option<usize> {
    let d = &plan.demand.duties[duty];
    plan.assignments
        .iter()
        .find(|a| a.staff == c && a.duty != duty && plan.demand.duties[a.duty].overlaps(d))
        .map(|a| a.duty)
}

/// Everyone who does not hold `duty`, considered for the seat `from`
/// holds (or an open seat): those who can take it first, lowest relative
/// load after first, then swaps, then those a rule stops, by rule.
pub fn candidates(
    policy: &Policy,
    school: &School,
    plan: &Plan,
    duty: usize,
    from: Option<usize>,
) -> Vec<Candidate> {
    let holders: Vec<usize> = plan
        .assignments
        .iter()
        .filter(|a| a.duty == duty)
        .map(|a| a.staff)
        .collect();
    let was = violations(policy, school, plan);
    // In parallel; collecting an indexed iterator keeps the order.
    let mut out: Vec<Candidate> = (0..school.staff.len())
        .into_par_iter()
        .filter(|s| !holders.contains(s))
        .map(|c| consider(policy, school, plan, &was, duty, from, c))
        .collect();
    let rank = |v: &Verdict| match v {
        Verdict::Free => (0, None),
        Verdict::Swap(_) => (1, None),
        Verdict::Blocked(r, _) => (2, Some(*r)),
    };
    out.sort_by(|x, y| {
        rank(&x.verdict)
            .cmp(&rank(&y.verdict))
            .then(
                x.relative_after
                    .unwrap_or(f64::INFINITY)
                    .total_cmp(&y.relative_after.unwrap_or(f64::INFINITY)),
            )
            .then(x.staff.cmp(&y.staff))
    });
    out
}

/// One person for the seat. The planner's own predicate (`plan::ineligible`)
/// answers first for what concerns the person and the duty alone (role,
/// qualification, leave, blackout, exemption); the checker then judges
/// the roster with the move made (overlaps, limits).
fn consider(
    policy: &Policy,
    school: &School,
    plan: &Plan,
    was: &[Violation],
    duty: usize,
    from: Option<usize>,
    c: usize,
) -> Candidate {
    let mv = Edit::Move { duty, from, to: c };
    let stop = crate::plan::ineligible(policy, school, c, &plan.demand.duties[duty]);
    let (verdict, after) = match (stop, apply_unchecked(school, plan, &mv)) {
        (Some(rule), _) => (Verdict::Blocked(rule, String::new()), None),
        (None, Err(e)) => (Verdict::Blocked(Rule::Coverage, e.render(Lang::Zh)), None),
        (None, Ok(after)) => {
            let bad = added(policy, school, was, &after);
            match (bad.first(), clash(plan, c, duty), from) {
                (None, _, _) => (Verdict::Free, Some(after)),
                (Some(v), Some(d2), Some(f)) if bad.iter().all(|v| v.rule == Rule::NoOverlap) => {
                    let sw = Edit::Swap {
                        a: f,
                        da: duty,
                        b: c,
                        db: d2,
                    };
                    match apply_against(policy, school, was, plan, &sw) {
                        Ok(after) => (Verdict::Swap(d2), Some(after)),
                        Err(_) => (Verdict::Blocked(v.rule, v.detail.clone()), None),
                    }
                }
                (Some(v), _, _) => (Verdict::Blocked(v.rule, v.detail.clone()), None),
            }
        }
    };
    let shown = after.as_ref().unwrap_or(plan);
    let load = &roster::person_loads(school, &shown.demand, shown)[c];
    Candidate {
        staff: c,
        verdict,
        minutes_after: load.minutes,
        relative_after: load.relative,
    }
}
