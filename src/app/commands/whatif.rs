//! `kehou whatif`: every scenario of a study planned in parallel and
//! compared with the baseline.

use std::path::Path;

use crate::app::context::Ctx;
use crate::error::{Error, Result};
use crate::outputs::files::write_atomic;
use crate::studies::whatif::{self, Outcome};

pub(crate) fn run(
    cx: &Ctx,
    file: &Path,
    csv: Option<&Path>,
    rosters: Option<&Path>,
    threads: Option<usize>,
) -> Result<i32> {
    let study = whatif::load(file)?;
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
    if let Some(path) = csv {
        write_atomic(path, &whatif::comparison_csv(&results, cx.lang))?;
    }
    if let Some(dir) = rosters {
        write_rosters(dir, &results)?;
    }
    Ok(i32::from(results.iter().any(|r| r.1.is_err())))
}

/// Each scenario's rosters, one file per week, named after the scenario.
fn write_rosters(dir: &Path, results: &[(String, Result<Outcome>)]) -> Result<()> {
    for (name, r) in results {
        let Ok(o) = r else { continue };
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        for (m, bytes) in &o.rosters {
            write_atomic(&dir.join(format!("{safe}-{m}.csv")), bytes)?;
        }
    }
    Ok(())
}
