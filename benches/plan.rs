//! Planning speed: the demo school, the 48-class school and a synthetic
//! 90-class, 200-staff school, one week each (2026-12-07).

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use kehou::{data, demand, policy, solver, synth};

fn week(c: &mut Criterion, name: &str, files: Option<data::Files>, dir: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let p = policy::load(&root.join("policies/demo.toml")).expect("policy");
    let s = match files {
        Some(f) => data::from_files(Path::new(name), &p, &f).expect("synthetic data"),
        None => data::load(&root.join(dir), &p).expect("data"),
    };
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
    let dm = demand::week(&p, &s, date);
    let opts = solver::Options::from_policy(&p);
    let mut g = c.benchmark_group("plan");
    g.sample_size(10);
    g.bench_function(name, |b| {
        b.iter(|| solver::plan(&p, &s, &dm, &opts).expect("plan"))
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    week(c, "demo-24-classes", None, "datasets/demo");
    week(c, "large-48-classes", None, "datasets/large");
    week(
        c,
        "synthetic-90-classes-200-staff",
        Some(synth::generate(&synth::Profile::sized(90, 200, 90))),
        "",
    );
}

criterion_group!(plan, benches);
criterion_main!(plan);
