//! `kehou plan`: the week planned, re-checked, written and reported.

use std::path::Path;

use chrono::NaiveDate;

use crate::app::context::{add_readable, refuse, roster_rows, Ctx};
use crate::error::{Error, Result};
use crate::outputs::files::OutputSet;
use crate::outputs::terminal;
use crate::studies::repair;
use crate::{calendar, check, ledger, plan};

pub(crate) fn run(
    cx: &Ctx,
    week: NaiveDate,
    out: &Path,
    quiet: bool,
    pins: Option<&Path>,
) -> Result<i32> {
    let lang = cx.lang;
    let t0 = std::time::Instant::now();
    let (p, mut s) = cx.load()?;
    crate::app::context::print_warnings(&s.warnings, lang);
    let monday = calendar::monday_of(week);
    cx.record(&p, &s, false)?
        .read(|tx| ledger::add_term_load(&p, &mut s, tx, monday))?;
    let t_load = t0.elapsed().as_secs_f64();
    let dm = crate::app::context::week(&p, &s, week)?;
    let mut opts = plan::Options::from_policy(&p);
    if let Some(f) = pins {
        opts.pins = repair::read_pins(f, &s, &dm)?;
        repair::check_pins(&p, &s, &dm, &opts.pins, lang)?;
    }
    let plan = plan::plan(&p, &s, &dm, &opts)?;
    // Independent re-check before anything is written.
    refuse(
        &check::check(&p, &s, &dm, &roster_rows(&s, &plan)),
        "",
        lang,
        || Error::Solver("the roster failed the independent check; nothing written".into()),
    )?;
    let roster_path = out.join(format!("roster-{}.csv", dm.monday));
    let summary_path = out.join(format!("summary-{}.csv", dm.monday));
    // Every file of the week, replaced together or not at all.
    let mut set = OutputSet::new();
    set.add(
        &roster_path,
        crate::outputs::roster_csv::to_csv(&p, &s, &plan, lang),
    );
    set.add(
        &summary_path,
        crate::outputs::roster_csv::summary_csv(&s, &plan, lang),
    );
    add_readable(&mut set, &p, &s, &plan, out, lang);
    set.commit()?;
    if dm.duties.is_empty() {
        print!("{}", terminal::empty_week(&dm, lang));
    } else if !quiet {
        print!("{}", terminal::roster_table(&p, &s, &plan, lang));
    }
    print!("{}", terminal::plan_report(&p, &s, &plan, lang, t_load));
    print!(
        "{}",
        crate::outputs::shortage::terminal(&p, &s, &plan, lang)
    );
    println!(
        "{} {} , {}",
        cx.t("已写入", "wrote"),
        roster_path.display(),
        summary_path.display()
    );
    Ok(0)
}
