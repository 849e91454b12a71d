//! Planning: every roster passes the independent checker, each hard rule
//! is caught by the checker when broken, shortages are diagnosed.

mod common;
use common::*;
use kehou::app::roster_rows;
use kehou::check::{self, Violation};
use kehou::demand::{self, WeekDemand};
use kehou::model::policy::Policy;
use kehou::model::school::School;
use kehou::plan::{self, Options, Plan};
use kehou::roster::Row;
use kehou::rules::Rule;

fn plan(p: &Policy, s: &School, week: &str) -> (WeekDemand, Plan) {
    let dm = demand::week(p, s, date(week));
    let mut o = Options::from_policy(p);
    // Only the deterministic node budget may stop a tier.
    o.time_limit_s = 600.0;
    let plan = plan::plan(p, s, &dm, &o).expect("plan");
    (dm, plan)
}

fn rules(v: &[Violation]) -> Vec<Rule> {
    let mut r: Vec<Rule> = v.iter().map(|x| x.rule).collect();
    r.dedup();
    r
}

fn tiny() -> (Policy, School) {
    let p = demo_policy();
    let s = school_from(&p, &tiny_files()).unwrap();
    (p, s)
}

fn row(dm: &WeekDemand, pred: impl Fn(&kehou::demand::Duty) -> bool, staff: &str) -> Row {
    let d = dm.duties.iter().find(|d| pred(d)).expect("duty exists");
    Row::new(99, d.id.clone(), Some(staff.into()))
}

/// The staff within fairness (active, not outside, positive quota) and
/// everyone's week load in the plan, recomputed from its assignments.
fn fair_loads(s: &School, dm: &WeekDemand, plan: &Plan) -> (Vec<usize>, Vec<i64>) {
    let fair = (0..s.staff.len())
        .filter(|&i| {
            let st = &s.staff[i];
            kehou::plan::is_fair(st)
        })
        .collect();
    let mut load = vec![0i64; s.staff.len()];
    for a in &plan.assignments {
        load[a.staff] += dm.duties[a.duty].load();
    }
    (fair, load)
}

fn kind(p: &Policy, id: &str) -> usize {
    p.duty_kinds.iter().position(|k| k.id == id).unwrap()
}

#[test]
fn tiny_week_is_covered_and_passes_the_checker() {
    let (p, s) = tiny();
    let (dm, plan) = plan(&p, &s, "2026-12-07");
    assert!(plan.uncovered.is_empty(), "{:?}", plan.uncovered);
    let v = check::check(&p, &s, &dm, &roster_rows(&s, &plan));
    assert!(v.is_empty(), "{v:?}");
    assert!(
        plan.tiers.iter().take(3).all(|t| t.optimal),
        "{:?}",
        plan.tiers
    );
}

#[test]
fn demo_week_passes_the_checker_and_is_deterministic() {
    let p = demo_policy();
    let s = demo_school(&p);
    let (dm, a) = plan(&p, &s, "2026-12-07");
    let v = check::check(&p, &s, &dm, &roster_rows(&s, &a));
    assert!(v.is_empty(), "{v:?}");
    let (_, b) = plan(&p, &s, "2026-12-07");
    let lang = kehou::lang::Lang::Zh;
    assert!(
        kehou::outputs::roster_csv::to_csv(&p, &s, &a, lang)
            == kehou::outputs::roster_csv::to_csv(&p, &s, &b, lang),
        "roster CSV differs between two runs"
    );
    // Written roster reads back and still passes.
    let bytes = kehou::outputs::roster_csv::to_csv(&p, &s, &a, lang);
    let rows = kehou::roster::parse(std::path::Path::new("r.csv"), &bytes).unwrap();
    assert!(check::check(&p, &s, &dm, &rows).is_empty());
}

#[test]
fn checker_catches_each_broken_rule() {
    let (p, s) = tiny();
    let (dm, plan) = plan(&p, &s, "2026-12-07");
    let base = roster_rows(&s, &plan);
    let wed = date("2026-12-09");
    let with = |extra: Vec<Row>| {
        let mut r = base.clone();
        r.extend(extra);
        check::check(&p, &s, &dm, &r)
    };
    // Role: an administrator on homework.
    let v = with(vec![row(
        &dm,
        |d| d.kind == kind(&p, "homework") && d.date == wed,
        "T6",
    )]);
    assert!(rules(&v).contains(&Rule::Role), "{v:?}");
    // Qualification: the football club (PE) given to a music teacher.
    let v = with(vec![row(&dm, |d| d.kind == kind(&p, "club"), "T5")]);
    assert!(rules(&v).contains(&Rule::Qualification), "{v:?}");
    // Blackout: the PE teacher on Wednesday afternoon.
    let v = with(vec![row(
        &dm,
        |d| d.kind == kind(&p, "care") && d.date == wed,
        "T4",
    )]);
    assert!(rules(&v).contains(&Rule::Blackout), "{v:?}");
    // Overlap: the patrol administrator also on a care group the same afternoon.
    let pat = plan
        .assignments
        .iter()
        .find(|a| dm.duties[a.duty].kind == kind(&p, "patrol"))
        .unwrap();
    let pd = dm.duties[pat.duty].date;
    let v = with(vec![row(
        &dm,
        |d| d.kind == kind(&p, "care") && d.date == pd,
        &s.staff[pat.staff].id,
    )]);
    assert!(rules(&v).contains(&Rule::NoOverlap), "{v:?}");
    // Coverage: a duty's row removed.
    let mut r = base.clone();
    r.remove(0);
    assert!(rules(&check::check(&p, &s, &dm, &r)).contains(&Rule::Coverage));
    // Unknown duty and person.
    let v = with(vec![Row::new(
        5,
        "2026-12-07/nope/x".into(),
        Some("T1".into()),
    )]);
    assert_eq!(rules(&v), vec![Rule::Unknown]);
    let v = with(vec![row(&dm, |d| d.kind == kind(&p, "care"), "T404")]);
    assert!(rules(&v).contains(&Rule::Unknown));
}

#[test]
fn checker_catches_leave_exemption_and_limits() {
    let p = demo_policy();
    let mut f = tiny_files();
    f.leave =
        Some("工号,开始日期,结束日期,时段,类型,原因\nT1,2026-12-08,2026-12-08,,请假,病假\n".into());
    let s = school_from(&p, &f).unwrap();
    let dm = demand::week(&p, &s, date("2026-12-07"));
    let tue = date("2026-12-08");
    let rows = vec![row(
        &dm,
        |d| d.kind == kind(&p, "homework") && d.date == tue,
        "T1",
    )];
    assert!(rules(&check::check(&p, &s, &dm, &rows)).contains(&Rule::Leave));
    // Pregnant T5: not on a summer stage-2 duty ending 17:30.
    let summer = demand::week(&p, &s, date("2026-05-11"));
    let rows = vec![row(&summer, |d| d.kind == kind(&p, "care"), "T5")];
    assert!(rules(&check::check(&p, &s, &summer, &rows)).contains(&Rule::Exemption));
    // Daily limit: three duties on Monday (the policy allows two).
    let mon = date("2026-12-07");
    let rows: Vec<Row> = dm
        .duties
        .iter()
        .filter(|d| d.date == mon && d.kind == kind(&p, "homework"))
        .take(1)
        .map(|d| Row::new(1, d.id.clone(), Some("T2".into())))
        .chain(
            dm.duties
                .iter()
                .filter(|d| d.date == mon && d.kind == kind(&p, "care"))
                .take(2)
                .map(|d| Row::new(2, d.id.clone(), Some("T2".into()))),
        )
        .collect();
    let r = rules(&check::check(&p, &s, &dm, &rows));
    assert!(r.contains(&Rule::DailyLimit), "{r:?}");
    // Weekly limit: homework every afternoon plus care = 8 duties > 7.
    let rows: Vec<Row> = dm
        .duties
        .iter()
        .filter(|d| d.kind == kind(&p, "homework") && d.classes == vec![1])
        .chain(
            dm.duties
                .iter()
                .filter(|d| d.kind == kind(&p, "care"))
                .take(4),
        )
        .map(|d| Row::new(3, d.id.clone(), Some("T2".into())))
        .collect();
    let r = rules(&check::check(&p, &s, &dm, &rows));
    assert!(r.contains(&Rule::WeeklyLimit), "{r:?}");
}

#[test]
fn solver_respects_leave_and_diagnoses_shortage() {
    let p = demo_policy();
    let mut f = tiny_files();
    // The only PE teacher is away on Tuesday: the football club cannot be covered.
    f.leave = Some(
        "工号,开始日期,结束日期,时段,类型,原因\nT4,2026-12-08,2026-12-08,,请假,外出培训\n".into(),
    );
    let s = school_from(&p, &f).unwrap();
    let (dm, plan) = plan(&p, &s, "2026-12-07");
    let t4 = s.staff_index("T4").unwrap();
    assert!(plan
        .assignments
        .iter()
        .all(|a| !(a.staff == t4 && dm.duties[a.duty].date == date("2026-12-08"))));
    let club = dm
        .duties
        .iter()
        .position(|d| d.kind == kind(&p, "club"))
        .unwrap();
    assert_eq!(plan.uncovered, vec![(club, 1)]);
    // Everything else is still covered, and the roster passes the checker.
    assert!(check::check(&p, &s, &dm, &roster_rows(&s, &plan)).is_empty());
    let diag = kehou::plan::diagnose::diagnose(&p, &s, &plan);
    assert_eq!(diag.len(), 1);
    assert_eq!(diag[0].qualification.as_deref(), Some("体育"));
    assert_eq!(diag[0].eligible, 0);
    assert_eq!(diag[0].excluded.get(&Rule::Leave), Some(&1));
    let text = diag[0].render(&p, kehou::lang::Lang::En);
    assert!(text.contains("qualified in 体育"), "{text}");
}

#[test]
fn pregnant_staff_never_get_late_duties() {
    let p = demo_policy();
    let s = demo_school(&p);
    let (dm, plan) = plan(&p, &s, "2026-05-11");
    for a in &plan.assignments {
        let st = &s.staff[a.staff];
        if st.exemption.is_some() {
            let d = &dm.duties[a.duty];
            assert!(
                d.end <= p.work_end && !d.until_pickup,
                "{} on {}",
                st.id,
                d.id
            );
        }
    }
    assert!(check::check(&p, &s, &dm, &roster_rows(&s, &plan)).is_empty());
}

#[test]
fn balance_and_preference_tiers_report_the_rosters_own_values() {
    use kehou::model::school::LOAD_PER_HOUR;
    let p = demo_policy();
    let s = demo_school(&p);
    let (dm, plan) = plan(&p, &s, "2026-12-07");
    let names: Vec<&str> = plan.tiers.iter().map(|t| t.name).collect();
    assert_eq!(
        names,
        [
            "uncovered",
            "max-load",
            "covered",
            "spread",
            "balance",
            "preferences"
        ]
    );
    // Tier 4 recomputed from the assignments: the sum over fair staff of
    // the squared distance of relative load from the average.
    let (fair, load) = fair_loads(&s, &dm, &plan);
    let hours = |i: usize| load[i] as f64 / LOAD_PER_HOUR as f64;
    let center = fair.iter().map(|&i| hours(i)).sum::<f64>()
        / fair.iter().map(|&i| s.staff[i].quota.as_f64()).sum::<f64>();
    let sum: f64 = fair
        .iter()
        .map(|&i| (hours(i) / s.staff[i].quota.as_f64() - center).powi(2))
        .sum();
    let t4 = &plan.tiers[4];
    assert!((t4.objective - sum).abs() < 1e-6, "{t4:?} vs {sum}");
    assert!(t4.optimal && t4.bound <= t4.objective + 1e-9, "{t4:?}");
    // Tier 5's value is never below its bound.
    let t5 = &plan.tiers[5];
    assert!(t5.objective >= t5.bound - 1e-6, "{t5:?}");
    // The compact model's own tier 5 agrees with the pattern pricing's
    // penalty (the solver errors if the model counts less than the roster
    // has), and column generation is never worse on this week.
    let mut o = Options::from_policy(&p);
    o.time_limit_s = 600.0;
    o.compact_only = true;
    let compact = plan::plan(&p, &s, &dm, &o).expect("compact plan");
    assert!(check::check(&p, &s, &dm, &roster_rows(&s, &compact)).is_empty());
    assert!(
        t4.objective <= compact.tiers[4].objective + 1e-9,
        "{t4:?} vs {:?}",
        compact.tiers[4]
    );
}

#[test]
fn short_make_up_week_reports_the_spread_tier_of_its_roster() {
    use kehou::model::school::LOAD_PER_HOUR;
    // The week of 2026-09-14 has a make-up Sunday (six service days): the
    // weekly limits leave seats open and not everyone fits in the tier-3
    // band, so tier 3 is above zero (solved by patterns; the random
    // schools of tests/properties.rs cross-check it with the compact MIP).
    let p = demo_policy();
    let s = demo_school(&p);
    let (dm, plan) = plan(&p, &s, "2026-09-14");
    let school_days = dm
        .days
        .iter()
        .filter(|d| matches!(d.kind, kehou::calendar::DayKind::School { .. }))
        .count();
    assert_eq!(school_days, 6);
    assert!(plan.uncovered.iter().map(|u| u.1).sum::<u32>() > 0);
    assert!(check::check(&p, &s, &dm, &roster_rows(&s, &plan)).is_empty());
    // Tier 3 recomputed from the assignments: the sum over fair staff of
    // their distance outside the band of half their longest duty around
    // the average relative load.
    let (fair, load) = fair_loads(&s, &dm, &plan);
    let q = |i: usize| s.staff[i].quota.as_f64();
    let rel = |i: usize| load[i] as f64 / LOAD_PER_HOUR as f64 / q(i);
    let center =
        fair.iter().map(|&i| rel(i) * q(i)).sum::<f64>() / fair.iter().map(|&i| q(i)).sum::<f64>();
    let spread: f64 = fair
        .iter()
        .map(|&i| {
            let longest = dm
                .duties
                .iter()
                .filter(|d| plan::ineligible(&p, &s, i, d).is_none())
                .map(|d| d.load())
                .max()
                .unwrap_or(0);
            let half = longest as f64 / LOAD_PER_HOUR as f64 / q(i) / 2.0;
            (center - half - rel(i)).max(0.0) + (rel(i) - center - half).max(0.0)
        })
        .sum();
    let t3 = &plan.tiers[3];
    assert_eq!(t3.name, "spread");
    // The center printed is this roster's own average (tier 2b fixes the
    // fair staff's total load), not tier 2's roster's.
    let printed = plan.stats.center.expect("a center");
    let own = own_average(&s, &dm, &plan);
    assert!((printed - own).abs() < 1e-9, "{printed} vs {own}");
    assert!(
        spread > 0.0 && (t3.objective - spread).abs() < 1e-6,
        "{t3:?} vs {spread}"
    );
    assert!(t3.bound <= t3.objective + 1e-9, "{t3:?}");
}

/// Holiday weeks and weeks outside the term have no duties: planning gives
/// an empty roster (it used to panic inside HiGHS) and says why.
#[test]
fn weeks_without_duties_give_an_empty_roster_and_say_why() {
    let p = demo_policy();
    let s = demo_school(&p);
    for (week, why) in [("2026-08-03", "非学期内"), ("2026-02-16", "春节")] {
        let dm = demand::week(&p, &s, date(week));
        assert!(dm.duties.is_empty(), "{week} has duties");
        let plan = plan::plan(&p, &s, &dm, &Options::from_policy(&p)).expect("plans");
        assert!(plan.assignments.is_empty() && plan.uncovered.is_empty());
        let text = kehou::outputs::terminal::empty_week(&dm, kehou::lang::Lang::Zh);
        assert!(text.contains(why), "{week}: {text}");
    }
}

#[test]
fn progress_is_told_each_tier_as_it_ends_and_does_not_change_the_plan() {
    use std::sync::{Arc, Mutex};
    let p = demo_policy();
    let s = demo_school(&p);
    let dm = demand::week(&p, &s, date("2026-12-07"));
    let quiet = plan::plan(&p, &s, &dm, &plan::Options::from_policy(&p)).unwrap();
    let told: Arc<Mutex<Vec<(plan::TierReport, usize)>>> = Arc::default();
    let t2 = told.clone();
    let mut opts = plan::Options::from_policy(&p);
    opts.progress = plan::Progress(Some(Arc::new(move |r: &plan::TierReport, of: usize| {
        t2.lock().unwrap().push((r.clone(), of));
    })));
    let watched = plan::plan(&p, &s, &dm, &opts).unwrap();
    assert_eq!(watched.assignments, quiet.assignments);
    let told = told.lock().unwrap();
    let tiers: Vec<&str> = told.iter().map(|(r, _)| r.tier).collect();
    assert_eq!(
        tiers,
        watched.tiers.iter().map(|t| t.tier).collect::<Vec<_>>()
    );
    assert!(
        told.iter().all(|(_, of)| *of == watched.tiers.len()),
        "{told:?}"
    );
    assert_eq!(watched.tiers.len(), 6);
}

#[test]
fn an_unproven_tier_says_which_budget_stopped_it() {
    use kehou::lang::Lang;
    use kehou::plan::Stop;
    // The demo's make-up week: with a fifth of a second tiers stop on
    // time; the compact model with one branching node stops on nodes
    // (its time is ample); unlimited, a tier is proven or its search
    // ended. Each unproven tier says so in words, with its gap.
    let p = demo_policy();
    let s = demo_school(&p);
    let dm = demand::week(&p, &s, date("2026-09-14"));
    let run = |time: f64, nodes: u32, compact: bool| {
        let mut o = Options::from_policy(&p);
        o.time_limit_s = time;
        o.max_nodes = nodes;
        o.compact_only = compact;
        o.skip_preferences = compact;
        plan::plan(&p, &s, &dm, &o).expect("plan")
    };
    let stops = |pl: &Plan| -> Vec<Stop> { pl.tiers.iter().filter_map(|t| t.stopped).collect() };
    let short = run(0.2, 100_000, false);
    assert!(stops(&short).contains(&Stop::Time), "{:?}", short.tiers);
    let nodes = run(600.0, 1, true);
    assert!(stops(&nodes).contains(&Stop::Nodes), "{:?}", nodes.tiers);
    assert!(!stops(&nodes).contains(&Stop::Time), "{:?}", nodes.tiers);
    let full = run(600.0, Options::from_policy(&p).max_nodes, false);
    assert!(!stops(&full).contains(&Stop::Time), "{:?}", full.tiers);
    for pl in [&short, &nodes, &full] {
        for t in &pl.tiers {
            assert_eq!(t.optimal, t.stopped.is_none(), "{t:?}");
        }
        let text = kehou::outputs::terminal::plan_report(&p, &s, pl, Lang::En, 0.0);
        for t in pl.tiers.iter().filter(|t| !t.optimal) {
            let words = match t.stopped {
                Some(Stop::Time) => "time spent",
                Some(Stop::Nodes) => "node budget spent",
                Some(Stop::Gap) => "within the allowed gap",
                Some(Stop::Search) => "search ended",
                Some(Stop::NotModelled) => "not optimised with pinned duties",
                None => unreachable!(),
            };
            assert!(text.contains(words), "{words}: {text}");
        }
        assert!(
            !text.contains("NaN") && !text.contains("gap 0.0%"),
            "{text}"
        );
    }
}
