//! Coverage priorities and named instructors (issue 21): a required duty
//! is never left open while someone who could take it holds a normal one;
//! a club's named instructor takes their own seat and the club's other
//! seats go to anyone qualified.

mod common;
use common::*;
use kehou::app::roster_rows;
use kehou::check;
use kehou::demand::{self, WeekDemand};
use kehou::model::policy::{Policy, Priority};
use kehou::model::school::School;
use kehou::plan::{self, ineligible, Options, Plan};

fn plan(p: &Policy, s: &School, week: &str) -> (WeekDemand, Plan) {
    let dm = demand::week(p, s, date(week));
    let mut o = Options::from_policy(p);
    o.time_limit_s = 600.0;
    let plan = plan::plan(p, s, &dm, &o).expect("plan");
    (dm, plan)
}

fn priority(p: &Policy, dm: &WeekDemand, d: usize) -> Priority {
    p.duty_kinds[dm.duties[d].kind].priority
}

/// The tiny school with noon care (required in the demo policy) every
/// day and room for only two duties per person and week: more seats than
/// people can take.
fn short_tiny() -> (Policy, School) {
    let mut p = demo_policy();
    p.rules.max_duties_per_week = 2;
    let mut f = tiny_files();
    let text = String::from_utf8(f.enrollment.clone()).unwrap();
    f.enrollment = text.replace(",noon,0", ",noon,20").into_bytes();
    let s = school_from(&p, &f).unwrap();
    (p, s)
}

#[test]
fn a_shortage_leaves_normal_duties_open_before_required_ones() {
    let (p, s) = short_tiny();
    let (dm, plan) = plan(&p, &s, "2026-12-07");
    assert!(check::check(&p, &s, &dm, &roster_rows(&s, &plan)).is_empty());
    let open_required: Vec<usize> = plan
        .uncovered
        .iter()
        .map(|u| u.0)
        .filter(|&d| priority(&p, &dm, d) == Priority::Required)
        .collect();
    let open_normal: u32 = plan
        .uncovered
        .iter()
        .filter(|u| priority(&p, &dm, u.0) == Priority::Normal)
        .map(|u| u.1)
        .sum();
    assert!(open_normal > 0, "the week is short: {:?}", plan.uncovered);
    // Nobody on a normal duty could have taken an open required one
    // instead (same duty count, no other duty at that time).
    for &r in &open_required {
        let req = &dm.duties[r];
        for a in &plan.assignments {
            if priority(&p, &dm, a.duty) != Priority::Normal {
                continue;
            }
            let busy = plan
                .assignments
                .iter()
                .any(|b| b.staff == a.staff && b.duty != a.duty && dm.duties[b.duty].overlaps(req));
            let could = ineligible(&p, &s, a.staff, req).is_none() && !busy;
            assert!(
                !could,
                "{} holds {} while {} is open",
                s.staff[a.staff].id, dm.duties[a.duty].id, req.id
            );
        }
    }
    // The report's tier 1 reads as seats per priority.
    let t1 = &plan.tiers[0];
    let seats = plan::by_priority(plan.stats.priority_weights, t1.objective);
    assert_eq!(seats[0] as usize, open_required.len());
    assert_eq!(seats[2] as u32, open_normal);
    assert!(t1.optimal);
}

#[test]
fn without_priorities_the_same_shortage_falls_on_required_duties() {
    // The same school with every kind normal leaves as many seats open in
    // all, so the priorities decide which ones, not how many.
    let (p, s) = short_tiny();
    let (dm, with) = plan(&p, &s, "2026-12-07");
    let required = |pl: &Plan| {
        pl.uncovered
            .iter()
            .filter(|u| priority(&p, &dm, u.0) == Priority::Required)
            .count()
    };
    let req_with = required(&with);
    let mut q = p.clone();
    for k in &mut q.duty_kinds {
        k.priority = Priority::Normal;
    }
    let (_, without) = plan(&q, &s, "2026-12-07");
    let total = |pl: &Plan| pl.uncovered.iter().map(|u| u.1).sum::<u32>();
    assert_eq!(total(&with), total(&without));
    assert!(required(&without) > req_with, "{:?}", without.uncovered);
}

/// The tiny school with a second PE teacher and a two-seat football club
/// named for T4.
fn two_seat_club() -> (Policy, School) {
    let p = demo_policy();
    let mut f = tiny_files();
    let staff = String::from_utf8(f.staff.clone()).unwrap();
    f.staff = format!("{staff}T7,周勇,任课教师,体育,体育,,,,是\n").into_bytes();
    f.clubs = Some(
        "编号,名称,星期,时段,人数,资质,所需人数,指定教师\nC1,足球,周二,stage2,30,体育,2,T4\n"
            .into(),
    );
    let s = school_from(&p, &f).unwrap();
    (p, s)
}

#[test]
fn a_two_seat_club_gets_its_instructor_and_a_qualified_teacher() {
    let (p, s) = two_seat_club();
    let (dm, plan) = plan(&p, &s, "2026-12-07");
    assert!(check::check(&p, &s, &dm, &roster_rows(&s, &plan)).is_empty());
    let club = dm
        .duties
        .iter()
        .position(|d| d.instructor.is_some())
        .expect("the club runs on Tuesday");
    let on: Vec<&str> = plan
        .assignments
        .iter()
        .filter(|a| a.duty == club)
        .map(|a| s.staff[a.staff].id.as_str())
        .collect();
    assert_eq!(on.len(), 2, "both seats covered: {on:?}");
    assert!(on.contains(&"T4"), "the instructor holds a seat: {on:?}");
    assert!(
        on.contains(&"T7"),
        "the other qualified teacher the other: {on:?}"
    );
    assert!(plan.uncovered.iter().all(|u| u.0 != club));
}

#[test]
fn the_checker_still_wants_the_instructor_when_they_are_free() {
    let (p, s) = two_seat_club();
    let (dm, plan) = plan(&p, &s, "2026-12-07");
    let club = dm
        .duties
        .iter()
        .position(|d| d.instructor.is_some())
        .unwrap();
    let t4 = s.staff_index("T4").unwrap();
    let t1 = s.staff_index("T1").unwrap();
    // Hand edit: T1 replaces the instructor on the club.
    let mut rows = roster_rows(&s, &plan);
    for r in &mut rows {
        if r.duty_id == dm.duties[club].id && r.staff_id.as_deref() == Some(&s.staff[t4].id) {
            r.staff_id = Some(s.staff[t1].id.clone());
        }
    }
    let v = check::check(&p, &s, &dm, &rows);
    assert!(
        v.iter().any(|x| x.rule == kehou::rules::Rule::Instructor),
        "{v:?}"
    );
}

#[test]
fn staff_away_all_week_are_outside_the_fairness_tiers_and_shown_apart() {
    let p = demo_policy();
    let mut f = tiny_files();
    // T2 is on leave the whole week, with a large term-to-date load that
    // would otherwise set the highest relative load on its own.
    f.leave =
        Some("工号,开始日期,结束日期,时段,类型,原因\nT2,2026-12-07,2026-12-13,,请假,病假\n".into());
    f.served = Some("工号,加权小时\nT2,400\n".into());
    let s = match school_from(&p, &f) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    let (_, plan) = plan(&p, &s, "2026-12-07");
    let t2 = s.staff_index("T2").unwrap();
    assert_eq!(plan.stats.away, vec![t2]);
    let loads = kehou::roster::person_loads(&s, &plan.demand, &plan);
    assert_eq!(loads[t2].relative, None);
    // Tier 2's highest relative load is among those who can serve.
    let top = loads.iter().filter_map(|l| l.relative).fold(0.0, f64::max);
    assert!(
        (plan.tiers[1].objective - top).abs() < 1e-6,
        "{} vs {top}",
        plan.tiers[1].objective
    );
}
