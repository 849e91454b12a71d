//! Planning speed: the demo school, the 48-class school and a synthetic
//! 90-class, 200-staff school, one week each (2026-12-07): tiers 1-3 (the
//! proven fairness tiers, the speed targets) and, for the demo school, all
//! five tiers; and the demo school's short make-up week (2026-09-14, six
//! service days, seats left open), tiers 1-3. Then the realistic schools
//! of issue 21 (`kehou gen --profile realistic --classes 24|48|90 --seed
//! 1`), each with a winter week (2026-12-07) and a summer week with a
//! make-up Sunday (2026-09-14), all five tiers, the targets
//! (`cargo bench --bench plan -- realistic`; about 20 minutes at the
//! engine of docs/measurements.md's "Realistic schools").

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use kehou::{demand, input, plan, studies};

fn week(
    c: &mut Criterion,
    name: &str,
    files: Option<input::school::Files>,
    dir: &str,
    all_tiers: bool,
    monday: (i32, u32, u32),
) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let p = input::policy::load(&root.join("policies/demo.toml")).expect("policy");
    let s = match files {
        Some(f) => input::school::from_files(Path::new(name), &p, &f).expect("synthetic data"),
        None => input::school::load(&root.join(dir), &p).expect("data"),
    };
    let date = chrono::NaiveDate::from_ymd_opt(monday.0, monday.1, monday.2).expect("date");
    let dm = demand::week(&p, &s, date);
    let mut opts = plan::Options::from_policy(&p);
    opts.skip_preferences = !all_tiers;
    opts.skip_balance = !all_tiers;
    let mut g = c.benchmark_group(if all_tiers {
        "plan-all-tiers"
    } else {
        "plan-tiers-1-3"
    });
    g.sample_size(10);
    g.bench_function(name, |b| {
        b.iter(|| plan::plan(&p, &s, &dm, &opts).expect("plan"))
    });
    g.finish();
}

/// The large shipped school (48 classes) and its planned week 2026-12-07.
fn large_week() -> (
    kehou::model::policy::Policy,
    kehou::model::school::School,
    demand::WeekDemand,
    plan::Plan,
) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let p = input::policy::load(&root.join("policies/demo.toml")).expect("policy");
    let s = input::school::load(&root.join("datasets/large"), &p).expect("data");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
    let dm = demand::week(&p, &s, date);
    let plan = plan::plan(&p, &s, &dm, &plan::Options::from_policy(&p)).expect("plan");
    (p, s, dm, plan)
}

/// Repair of the large school's published week: a homeroom teacher absent
/// Wednesday and Thursday, decided Tuesday evening.
fn repair_large(c: &mut Criterion) {
    let (p, s, dm, plan) = large_week();
    let rows = kehou::app::roster_rows(&s, &plan);
    let req = kehou::studies::repair::Request {
        absent: "T001".into(),
        from: chrono::NaiveDate::from_ymd_opt(2026, 12, 9).expect("date"),
        to: chrono::NaiveDate::from_ymd_opt(2026, 12, 10).expect("date"),
        sessions: Vec::new(),
        now: chrono::NaiveDate::from_ymd_opt(2026, 12, 8)
            .and_then(|d| d.and_hms_opt(18, 0, 0))
            .expect("time"),
        pins: Vec::new(),
    };
    let mut g = c.benchmark_group("repair");
    g.sample_size(10);
    g.bench_function("large-48-classes", |b| {
        b.iter(|| {
            kehou::studies::repair::repair(&p, &s, &dm, &rows, &req, kehou::lang::Lang::Zh)
                .expect("repair")
        })
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    let dec = (2026, 12, 7);
    week(c, "demo-24-classes", None, "datasets/demo", false, dec);
    week(c, "large-48-classes", None, "datasets/large", false, dec);
    week(
        c,
        "synthetic-90-classes-200-staff",
        Some(studies::synth::generate(&studies::synth::Profile::sized(
            90, 200, 90,
        ))),
        "",
        false,
        dec,
    );
    week(c, "demo-24-classes", None, "datasets/demo", true, dec);
    week(
        c,
        "demo-24-classes-make-up-week",
        None,
        "datasets/demo",
        false,
        (2026, 9, 14),
    );
}

/// The realistic schools' weeks, all five tiers.
fn realistic(c: &mut Criterion) {
    let mut g = c.benchmark_group("plan-realistic-all-tiers");
    g.sample_size(10);
    g.warm_up_time(std::time::Duration::from_secs(1));
    g.measurement_time(std::time::Duration::from_secs(5));
    for classes in [24, 48, 90] {
        let dir = tempfile::tempdir().expect("temporary folder");
        let school = studies::realistic::generate(classes, 1);
        studies::realistic::write(&school, dir.path()).expect("write");
        let p = input::policy::load(&dir.path().join("policy.toml")).expect("policy");
        let s = input::school::load(dir.path(), &p).expect("data");
        let opts = plan::Options::from_policy(&p);
        for (name, monday) in [
            ("winter-week", (2026, 12, 7)),
            ("make-up-week", (2026, 9, 14)),
        ] {
            let date = chrono::NaiveDate::from_ymd_opt(monday.0, monday.1, monday.2).expect("date");
            let dm = demand::week(&p, &s, date);
            g.bench_function(format!("{classes}-classes-{name}"), |b| {
                b.iter(|| plan::plan(&p, &s, &dm, &opts).expect("plan"))
            });
        }
    }
    g.finish();
}

criterion_group!(plan, benches, repair_large, edit_large, realistic);
criterion_main!(plan);

/// A hand edit on the large (48-class) school's planned week: the seat
/// page's candidate list for one duty, and one move checked by the
/// independent checker (issue 18: a hand edit checked in under 100 ms).
fn edit_large(c: &mut Criterion) {
    use kehou::studies::edit::{self, Edit, Verdict};
    let (p, s, _, plan) = large_week();
    let a = plan.assignments[plan.assignments.len() / 2];
    let cands = edit::candidates(&p, &s, &plan, a.duty, Some(a.staff));
    let to = cands
        .iter()
        .find(|c| c.verdict == Verdict::Free)
        .expect("a free candidate")
        .staff;
    let mv = Edit::Move {
        duty: a.duty,
        from: Some(a.staff),
        to,
    };
    let mut g = c.benchmark_group("edit");
    g.sample_size(10);
    g.bench_function("large-48-classes-candidates", |b| {
        b.iter(|| edit::candidates(&p, &s, &plan, a.duty, Some(a.staff)))
    });
    g.bench_function("large-48-classes-move-checked", |b| {
        b.iter(|| edit::apply(&p, &s, &plan, &mv).expect("move"))
    });
    g.finish();
}
