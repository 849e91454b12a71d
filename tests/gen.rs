//! `kehou gen`: the realistic profile's schools validate, plan and have the
//! features docs/guide.md lists for 24, 48 and 90 classes; generation is
//! deterministic; the class count is bounded with a usage error.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::*;
use kehou::model::policy::{Policy, Role};
use kehou::model::school::School;
use kehou::studies::realistic::{self, Scale};
use kehou::{demand, input, plan};

fn load(dir: &Path) -> (Policy, School) {
    let p = input::policy::load(&dir.join("policy.toml")).expect("generated policy validates");
    let s = input::school::load(dir, &p).expect("generated data validates");
    (p, s)
}

fn generated(classes: u32, seed: u64) -> (tempfile::TempDir, Policy, School) {
    let dir = tempfile::tempdir().unwrap();
    realistic::write(&realistic::generate(classes, seed), dir.path()).unwrap();
    let (p, s) = load(dir.path());
    (dir, p, s)
}

/// The documented numbers of each size (docs/guide.md, `gen`).
#[test]
fn scale_of_the_documented_sizes() {
    let row = |n| {
        let s = Scale::of(n);
        (
            s.teachers,
            s.admins,
            s.clubs,
            s.outside,
            s.exempt,
            s.inactive,
            s.bands.len(),
            s.blackouts.len(),
            s.patrols_per_day,
        )
    };
    assert_eq!(row(24), (58, 6, 20, 5, 3, 5, 2, 1, 4));
    assert_eq!(row(48), (115, 10, 40, 10, 5, 9, 3, 1, 8));
    assert_eq!(row(90), (216, 17, 75, 19, 9, 17, 3, 2, 8));
}

fn check_features(classes: u32) {
    let (_dir, p, s) = generated(classes, 1);
    let sc = Scale::of(classes);
    assert_eq!(s.classes.len() as u32, classes);
    // Clubs with outside instructors, each running exactly one club.
    let outside: Vec<usize> = (0..s.staff.len())
        .filter(|&i| s.staff[i].role == Role::Outside)
        .collect();
    assert_eq!(outside.len() as u32, sc.outside);
    assert_eq!(s.clubs.len() as u32, sc.clubs);
    let run: Vec<usize> = s.clubs.iter().filter_map(|c| c.instructor).collect();
    assert_eq!(
        run.iter().copied().collect::<BTreeSet<_>>().len(),
        run.len()
    );
    assert_eq!(
        run.iter().copied().collect::<BTreeSet<_>>(),
        outside.into_iter().collect()
    );
    // Exempt staff and staff not taking part.
    let exempt = s.staff.iter().filter(|t| t.exemption.is_some()).count();
    assert_eq!(exempt as u32, sc.exempt);
    assert_eq!(
        s.staff.iter().filter(|t| !t.active).count() as u32,
        sc.inactive
    );
    // PE study on Wednesday afternoon (and the arts group at 90 classes).
    assert_eq!(p.staff_blackouts.len(), sc.blackouts.len());
    assert_eq!(p.staff_blackouts[0].subjects, vec!["体育".to_string()]);
    for season in &p.seasons {
        let times: BTreeSet<_> = season.dismissal.values().collect();
        assert_eq!(
            times.len(),
            sc.bands.len(),
            "staggered dismissal in {}",
            season.id
        );
    }
    // The winter week: one stage-1 start per band, patrols per day by size.
    let dm = demand::week(&p, &s, date("2026-12-07"));
    let homework = p
        .duty_kinds
        .iter()
        .position(|k| k.id == "homework")
        .unwrap();
    let starts: BTreeSet<_> = dm
        .duties
        .iter()
        .filter(|d| d.kind == homework && d.date == date("2026-12-07"))
        .map(|d| d.start)
        .collect();
    assert_eq!(starts.len(), sc.bands.len());
    let patrol = p.duty_kinds.iter().position(|k| k.id == "patrol").unwrap();
    for day in ["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-11"] {
        let n: u32 = dm
            .duties
            .iter()
            .filter(|d| d.kind == patrol && d.date == date(day))
            .map(|d| d.staff_needed)
            .sum();
        assert_eq!(n, sc.patrols_per_day, "patrols on {day}");
    }
    partial_week(&s);
    // Tiers 1-3 plan the winter week with every seat covered.
    let mut opts = plan::Options::from_policy(&p);
    opts.skip_balance = true;
    opts.skip_preferences = true;
    let pl = plan::plan(&p, &s, &dm, &opts).expect("plans");
    assert!(pl.uncovered.is_empty(), "{:?}", pl.uncovered);
}

/// About 85 % enrolled, 71 % of them every weekday and the rest two to
/// four: stage 1 holds about 75 % of the pupils on an average weekday, and
/// nearly every class has weekdays with different counts.
fn partial_week(s: &School) {
    let mut attending = 0u32;
    let mut varying = 0;
    for ci in 0..s.classes.len() {
        let days: Vec<u32> = (0..5u8)
            .map(|d| s.enrollment[&(ci, d, "stage1".to_string())])
            .collect();
        attending += days.iter().sum::<u32>();
        varying += usize::from(days.iter().collect::<BTreeSet<_>>().len() > 1);
    }
    let pupils: u32 = s.classes.iter().map(|c| c.pupils).sum();
    let share = f64::from(attending) / f64::from(5 * pupils);
    assert!((0.70..0.80).contains(&share), "daily attendance {share}");
    assert!(
        varying * 10 >= s.classes.len() * 9,
        "{varying} classes vary"
    );
}

#[test]
fn realistic_24_classes() {
    check_features(24);
}

#[test]
fn realistic_48_classes() {
    check_features(48);
}

#[test]
fn realistic_90_classes() {
    check_features(90);
}

/// Any class count works, including those with grades or bands left empty.
#[test]
fn realistic_odd_sizes_validate_and_plan() {
    for n in [1, 5, 7, 13, 35, 36, 71, 72] {
        let (_dir, p, s) = generated(n, 7);
        assert_eq!(s.classes.len() as u32, n);
        let dm = demand::week(&p, &s, date("2026-12-07"));
        let mut opts = plan::Options::from_policy(&p);
        opts.skip_balance = true;
        opts.skip_preferences = true;
        plan::plan(&p, &s, &dm, &opts).unwrap_or_else(|e| panic!("{n} classes: {e}"));
    }
}

#[test]
fn same_seed_same_bytes() {
    let (a, b) = (realistic::generate(48, 3), realistic::generate(48, 3));
    assert_eq!(a.policy, b.policy);
    assert_eq!(a.files.staff, b.files.staff);
    assert_eq!(a.files.classes, b.files.classes);
    assert_eq!(a.files.enrollment, b.files.enrollment);
    assert_eq!(a.files.clubs, b.files.clubs);
    let c = realistic::generate(48, 4);
    assert_ne!(a.files.enrollment, c.files.enrollment);
    assert_ne!(a.files.staff, c.files.staff);
}

fn kehou(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kehou"))
        .args(args)
        .output()
        .unwrap()
}

/// The CLI writes the same bytes twice, and the folder validates as the
/// message printed says to use it.
#[test]
fn cli_writes_a_school_that_validates_the_same_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        let o = kehou(&[
            "gen",
            "--profile",
            "realistic",
            "--classes",
            "24",
            "--seed",
            "9",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    for f in [
        "policy.toml",
        "calendar/cn-2026.toml",
        "staff.csv",
        "classes.csv",
        "enrollment.csv",
        "clubs.csv",
        "leave.csv",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    let policy = a.join("policy.toml");
    let o = kehou(&[
        "--policy",
        policy.to_str().unwrap(),
        "--data",
        a.to_str().unwrap(),
        "validate",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A huge class or staff count is a usage error (exit 2), not an abort on
/// memory or a panic (101); nothing is written.
#[test]
fn cli_bounds_the_class_and_staff_counts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x");
    let out_s = out.to_str().unwrap();
    for args in [
        vec!["gen", "--classes", "4000000000", "--out", out_s],
        vec![
            "gen",
            "--profile",
            "realistic",
            "--classes",
            "301",
            "--out",
            out_s,
        ],
        vec![
            "gen",
            "--profile",
            "realistic",
            "--classes",
            "0",
            "--out",
            out_s,
        ],
        vec![
            "gen",
            "--classes",
            "24",
            "--staff",
            "4000000000",
            "--out",
            out_s,
        ],
        vec![
            "gen",
            "--profile",
            "realistic",
            "--staff",
            "100",
            "--out",
            out_s,
        ],
        vec!["gen", "--profile", "nosuch", "--out", out_s],
    ] {
        let o = kehou(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("错误"), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?} wrote {out_s}");
    }
    let o = kehou(&[
        "--lang",
        "en",
        "gen",
        "--classes",
        "4000000000",
        "--out",
        out_s,
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("expected 1 to 300"), "{err}");
    let o = kehou(&[
        "gen",
        "--profile",
        "realistic",
        "--classes",
        "300",
        "--out",
        out_s,
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
