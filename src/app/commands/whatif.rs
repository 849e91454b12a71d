//! `kehou whatif`: every scenario of a study planned in parallel and
//! compared with the baseline.

use std::path::Path;

use crate::app::context::Ctx;
use crate::error::{Error, Result};
use crate::outputs::files::{safe_name, OutputSet};
use crate::studies::whatif::{self, Outcome};

pub(crate) fn run(
    cx: &Ctx,
    file: &Path,
    csv: Option<&Path>,
    rosters: Option<&Path>,
    (threads, balance): (Option<usize>, bool),
) -> Result<i32> {
    let mut study = whatif::load(file)?;
    study.balance = balance;
    // A study of this school counts its record's approved applications.
    if same_dir(&study.data_dir, &cx.data) {
        study.attends = crate::record::applications::attends_in(&cx.record)?;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Usage(e.to_string()))?;
    let t0 = std::time::Instant::now();
    let results = pool.install(|| whatif::run(&study, true, None));
    print!("{}", whatif::comparison_table(&results, cx.lang));
    println!(
        "{} {:.2}s, {} {}",
        cx.t("用时", "time"),
        t0.elapsed().as_secs_f64(),
        pool.current_num_threads(),
        cx.t("线程", "threads")
    );
    // The comparison and every roster, replaced together or not at all.
    let mut set = OutputSet::new();
    if let Some(path) = csv {
        set.add(path, whatif::comparison_csv(&results, cx.lang));
    }
    if let Some(dir) = rosters {
        add_rosters(&mut set, dir, &results);
    }
    set.commit()?;
    Ok(i32::from(results.iter().any(|r| r.1.is_err())))
}

/// Each scenario's rosters, one file per week, named after the scenario
/// (made safe for a file name).
fn add_rosters(set: &mut OutputSet, dir: &Path, results: &[(String, Result<Outcome>)]) {
    for (name, r) in results {
        let Ok(o) = r else { continue };
        let stem = safe_name(name);
        for (m, bytes) in &o.rosters {
            set.add(dir.join(format!("{stem}-{m}.csv")), bytes.clone());
        }
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
