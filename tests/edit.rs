//! Hand edits: every candidate the seat page offers passes the independent
//! checker once made, every person it says a rule stops is refused by that
//! rule, and a vacated seat filled again gives the roster back.

mod common;
use common::*;
use kehou::model::policy::Policy;
use kehou::model::school::School;
use kehou::plan::{self, Plan};
use kehou::rules::Rule;
use kehou::studies::edit::{self, Edit, Verdict};
use kehou::{check, demand, roster};

fn demo_week() -> (Policy, School, Plan) {
    let p = demo_policy();
    let s = demo_school(&p);
    let dm = demand::week(&p, &s, date("2026-12-07"));
    let plan = plan::plan(&p, &s, &dm, &plan::Options::from_policy(&p)).expect("plan");
    (p, s, plan)
}

fn clean(p: &Policy, s: &School, plan: &Plan) -> bool {
    check::check(p, s, &plan.demand, &roster::from_plan(s, plan)).is_empty()
}

#[test]
fn what_the_seat_page_offers_is_what_the_checker_allows() {
    let (p, s, plan) = demo_week();
    assert!(clean(&p, &s, &plan));
    let (mut free, mut swaps, mut blocked) = (0, 0, Vec::new());
    for a in plan.assignments.iter().step_by(9) {
        let cands = edit::candidates(&p, &s, &plan, a.duty, Some(a.staff));
        assert_eq!(
            cands.len(),
            s.staff.len() - plan.assignments.iter().filter(|b| b.duty == a.duty).count()
        );
        let mut last_free = f64::NEG_INFINITY;
        for c in &cands {
            let mv = Edit::Move {
                duty: a.duty,
                from: Some(a.staff),
                to: c.staff,
            };
            match &c.verdict {
                Verdict::Free => {
                    let after =
                        edit::apply(&p, &s, &plan, &mv).expect("a free candidate's move passes");
                    assert!(clean(&p, &s, &after));
                    let r = c.relative_after.unwrap_or(f64::INFINITY);
                    assert!(r >= last_free, "free candidates ranked by load after");
                    last_free = r;
                    free += 1;
                }
                Verdict::Swap(d2) => {
                    assert!(
                        edit::apply(&p, &s, &plan, &mv).is_err(),
                        "a swap candidate cannot simply move"
                    );
                    let sw = Edit::Swap {
                        a: a.staff,
                        da: a.duty,
                        b: c.staff,
                        db: *d2,
                    };
                    let after = edit::apply(&p, &s, &plan, &sw).expect("the offered swap passes");
                    assert!(clean(&p, &s, &after));
                    swaps += 1;
                }
                Verdict::Blocked(rule, _) => {
                    assert!(
                        edit::apply(&p, &s, &plan, &mv).is_err(),
                        "{rule:?} candidate refused"
                    );
                    let after = edit::apply_unchecked(&s, &plan, &mv).expect("fits the roster");
                    let v = check::check(&p, &s, &after.demand, &roster::from_plan(&s, &after));
                    assert!(
                        v.iter().any(|v| v.rule == *rule),
                        "the checker names {rule:?}: {v:?}"
                    );
                    blocked.push(*rule);
                }
            }
        }
    }
    assert!(
        free > 0 && !blocked.is_empty(),
        "free {free}, blocked {}",
        blocked.len()
    );
    for r in [Rule::NoOverlap, Rule::Role] {
        assert!(blocked.contains(&r), "{r:?} among the reasons: {blocked:?}");
    }
    eprintln!("free {free}, swaps {swaps}, blocked {}", blocked.len());
}

#[test]
fn a_vacated_seat_filled_again_gives_the_roster_back() {
    let (p, s, plan) = demo_week();
    let a = *plan
        .assignments
        .iter()
        .find(|a| !plan.uncovered.iter().any(|u| u.0 == a.duty))
        .expect("a duty with no open seat");
    let open = edit::apply(
        &p,
        &s,
        &plan,
        &Edit::Vacate {
            duty: a.duty,
            staff: a.staff,
        },
    )
    .expect("vacate");
    assert!(open.uncovered.iter().any(|u| u.0 == a.duty && u.1 >= 1));
    assert!(!open.assignments.contains(&a));
    assert!(open.tiers.is_empty(), "an edited roster carries no proofs");
    let back = edit::apply(
        &p,
        &s,
        &open,
        &Edit::Move {
            duty: a.duty,
            from: None,
            to: a.staff,
        },
    )
    .expect("fill");
    assert_eq!(back.assignments, plan.assignments);
    assert_eq!(back.uncovered, plan.uncovered);
    // Nobody can take a seat that is not open, or leave a duty they do not hold.
    let other = (0..s.staff.len())
        .find(|x| {
            !plan
                .assignments
                .iter()
                .any(|b| b.duty == a.duty && b.staff == *x)
        })
        .expect("someone");
    assert!(
        edit::apply_unchecked(
            &s,
            &plan,
            &Edit::Move {
                duty: a.duty,
                from: None,
                to: other
            }
        )
        .is_err(),
        "no open seat to take"
    );
    assert!(edit::apply_unchecked(
        &s,
        &plan,
        &Edit::Vacate {
            duty: a.duty,
            staff: other
        }
    )
    .is_err());
}

#[test]
fn a_move_onto_a_person_on_leave_is_refused_by_the_leave_rule() {
    let (p, mut s, plan) = demo_week();
    let a = plan.assignments[0];
    let d = &plan.demand.duties[a.duty];
    let cands = edit::candidates(&p, &s, &plan, a.duty, Some(a.staff));
    let c = cands
        .iter()
        .find(|c| c.verdict == Verdict::Free)
        .expect("someone free")
        .staff;
    s.leave.push(kehou::model::school::Leave {
        staff: c,
        from: d.date,
        to: d.date,
        sessions: Vec::new(),
        kind: kehou::model::school::LeaveKind::Leave,
        reason: "test".into(),
    });
    let cands = edit::candidates(&p, &s, &plan, a.duty, Some(a.staff));
    let now = cands.iter().find(|x| x.staff == c).expect("listed");
    assert!(
        matches!(now.verdict, Verdict::Blocked(Rule::Leave, _)),
        "{:?}",
        now.verdict
    );
    let e = edit::apply(
        &p,
        &s,
        &plan,
        &Edit::Move {
            duty: a.duty,
            from: Some(a.staff),
            to: c,
        },
    )
    .expect_err("refused");
    assert!(
        e.render(kehou::lang::Lang::Zh)
            .contains(Rule::Leave.label(kehou::lang::Lang::Zh)),
        "{}",
        e.render(kehou::lang::Lang::Zh)
    );
}
