//! Property: on random synthetic schools (with random leave), every roster
//! the solver writes passes the independent checker.

mod common;
use common::*;
use kehou::{app::roster_rows, check, demand, input, plan, studies};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_roster_passes_the_checker(classes in 4u32..=12, extra in 4u32..=14, seed in 0u64..10_000, leaves in 0usize..4, day in 7u32..=11) {
        let p = demo_policy();
        let staff = classes + extra;
        let mut files = studies::synth::generate(&studies::synth::Profile::sized(classes, staff, seed));
        let mut leave = String::from("工号,开始日期,结束日期,时段,类型,原因\n");
        for i in 0..leaves {
            let who = 1 + (seed as usize + 7 * i) % staff as usize;
            leave.push_str(&format!("T{who:03},2026-12-{day:02},2026-12-{day:02},,请假,病假\n"));
        }
        files.leave = Some(leave.into_bytes());
        let s = input::school::from_files(std::path::Path::new("synthetic"), &p, &files).expect("synthetic school is valid");
        let dm = demand::week(&p, &s, date("2026-12-07"));
        let mut o = plan::Options::from_policy(&p);
        o.time_limit_s = 600.0;
        let plan = plan::plan(&p, &s, &dm, &o).expect("plans");
        let v = check::check(&p, &s, &dm, &roster_rows(&s, &plan));
        prop_assert!(v.is_empty(), "{:?}", v);
        // Every seat is either assigned or reported uncovered.
        let seats: u32 = dm.duties.iter().map(|d| d.staff_needed).sum();
        let unc: u32 = plan.uncovered.iter().map(|u| u.1).sum();
        prop_assert_eq!(plan.assignments.len() as u32 + unc, seats);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, failure_persistence: None, ..ProptestConfig::default() })]

    /// Tiers 1-3 by column generation (week patterns, classes of
    /// interchangeable people; tier 3 when it is above zero): the compact
    /// MIP never finds a roster below the pattern bound, and where both
    /// prove their optimum they agree.
    /// (The compact MIP often cannot close its gap: seed 8010 with 6 classes and 15
    /// staff stayed at a 2.7% gap after 381 s; column generation proved
    /// the same 6.5 in 0.03 s.) Random term-to-date loads make people
    /// differ; few staff makes shortages.
    #[test]
    fn column_generation_agrees_with_the_compact_model(classes in 4u32..=10, extra in 0u32..=10, seed in 0u64..10_000, served in proptest::collection::vec(0i64..40_000, 0..8)) {
        let p = demo_policy();
        let staff = classes + extra;
        let files = studies::synth::generate(&studies::synth::Profile::sized(classes, staff, seed));
        let mut s = input::school::from_files(std::path::Path::new("synthetic"), &p, &files).expect("synthetic school is valid");
        for (i, load) in served.iter().enumerate() {
            s.served.insert((i * 5 + seed as usize) % s.staff.len(), *load);
        }
        let dm = demand::week(&p, &s, date("2026-12-07"));
        let mut o = plan::Options::from_policy(&p);
        o.time_limit_s = 600.0;
        o.skip_preferences = true;
        let fast = plan::plan(&p, &s, &dm, &o).expect("plans");
        o.compact_only = true;
        o.max_nodes = 3000;
        let compact = plan::plan(&p, &s, &dm, &o).expect("plans");
        let names: Vec<&str> = fast.tiers.iter().map(|t| t.name).collect();
        prop_assert_eq!(&names[..4], ["uncovered", "max-load", "covered", "spread"]);
        // Tiers 3-4 measure distances from the average relative load of the
        // roster chosen: tier 2b fixes the fair staff's total load, so the
        // center is the final roster's own average, and the same on both
        // paths wherever tiers 1, 2 and 2b agree (it used to be tier 2's
        // roster's, which depends on which seats it happened to leave open).
        for plan in [&fast, &compact] {
            if let Some(c) = plan.stats.center {
                let own = own_average(&s, &dm, plan);
                prop_assert!((c - own).abs() < 1e-9, "center {} but the roster's average {}", c, own);
            }
        }
        let agree = |n: usize| (0..n).all(|u| (fast.tiers[u].objective - compact.tiers[u].objective).abs() < 1e-6);
        let same_center = match (fast.stats.center, compact.stats.center) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-9,
            _ => false,
        };
        if agree(3) {
            prop_assert!(same_center, "tiers 1-2b agree, centers {:?} and {:?}", fast.stats.center, compact.stats.center);
        }
        for t in 0..4 {
            let (f, c) = (&fast.tiers[t], &compact.tiers[t]);
            if !agree(t) {
                // A tier is only comparable under the same earlier values.
                break;
            }
            // The column-generation bound is valid: no roster the compact
            // MIP finds is below it.
            // 1e-5: HiGHS reports the compact max-load `z` within its
            // feasibility tolerance (seen: 5.8333323 for a true 5.8333333).
            prop_assert!(c.objective >= f.bound - 1e-5, "compact below the pattern bound: {:?} vs {:?}", c, f);
            prop_assert!(f.objective >= f.bound - 1e-6, "{:?}", f);
            if f.optimal && c.optimal {
                prop_assert!((c.objective - f.objective).abs() < 1e-5, "{:?} vs {:?}", c, f);
            }
        }
        // Tier 4 (balance) by patterns: where tiers 1-3 agree and tier 3
        // is zero, the compact tier-3 roster is feasible for tier 4, so its
        // sum of squared distances is never below the pattern bound.
        if agree(4) && fast.tiers[3].objective < 1e-9 {
            prop_assert!(compact.tiers[4].objective >= fast.tiers[4].bound - 1e-6, "{:?} vs {:?}", compact.tiers[4], fast.tiers[4]);
            prop_assert!(fast.tiers[4].objective <= compact.tiers[4].objective + 1e-6, "{:?} vs {:?}", fast.tiers[4], compact.tiers[4]);
        }
        let v = check::check(&p, &s, &dm, &roster_rows(&s, &fast));
        prop_assert!(v.is_empty(), "{:?}", v);
    }
}
