//! Property: on random synthetic schools (with random leave), every roster
//! the solver writes passes the independent checker.

mod common;
use common::*;
use kehou::{checker, cli::roster_rows, data, demand, solver, synth};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_roster_passes_the_checker(classes in 4u32..=12, extra in 4u32..=14, seed in 0u64..10_000, leaves in 0usize..4, day in 7u32..=11) {
        let p = demo_policy();
        let staff = classes + extra;
        let mut files = synth::generate(&synth::Profile::sized(classes, staff, seed));
        let mut leave = String::from("工号,开始日期,结束日期,时段,类型,原因\n");
        for i in 0..leaves {
            let who = 1 + (seed as usize + 7 * i) % staff as usize;
            leave.push_str(&format!("T{who:03},2026-12-{day:02},2026-12-{day:02},,请假,病假\n"));
        }
        files.leave = Some(leave.into_bytes());
        let s = data::from_files(std::path::Path::new("synthetic"), &p, &files).expect("synthetic school is valid");
        let dm = demand::week(&p, &s, date("2026-12-07"));
        let mut o = solver::Options::from_policy(&p);
        o.time_limit_s = 600.0;
        let plan = solver::plan(&p, &s, &dm, &o).expect("plans");
        let v = checker::check(&p, &s, &dm, &roster_rows(&s, &plan));
        prop_assert!(v.is_empty(), "{:?}", v);
        // Every seat is either assigned or reported uncovered.
        let seats: u32 = dm.duties.iter().map(|d| d.staff_needed).sum();
        let unc: u32 = plan.uncovered.iter().map(|u| u.1).sum();
        prop_assert_eq!(plan.assignments.len() as u32 + unc, seats);
    }
}
