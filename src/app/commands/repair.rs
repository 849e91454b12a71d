//! `kehou repair`: the published week repaired for an absence.

use crate::app::args::Cmd;
use crate::app::context::{refuse, roster_rows, Ctx};
use crate::error::{Error, Result};
use crate::outputs::files::write_atomic;
use crate::studies::repair::{self, Request};
use crate::{check, ledger, plan};

pub(crate) fn run(cx: &Ctx, cmd: &Cmd) -> Result<i32> {
    let Cmd::Repair {
        week,
        absent,
        from,
        to,
        sessions,
        now,
        pins,
        out,
    } = cmd
    else {
        return Err(Error::Usage("repair".into()));
    };
    let lang = cx.lang;
    let (p, mut s) = cx.load()?;
    let h = cx.history();
    let dm = crate::app::context::week(&p, &s, *week)?;
    let Some((ver, rows)) = h.published(dm.monday)? else {
        return Err(Error::Usage(format!(
            "{} {}",
            cx.t("该周尚未发布:", "week not published:"),
            dm.monday
        )));
    };
    ledger::add_term_load(&p, &mut s, &h, dm.monday)?;
    let pins = match pins {
        Some(f) => repair::read_pins(f, &s, &dm)?,
        None => Vec::new(),
    };
    let req = Request {
        absent: absent.clone(),
        from: *from,
        to: *to,
        sessions: sessions.clone(),
        now: now.unwrap_or_else(|| chrono::Local::now().naive_local()),
        pins,
    };
    let (plan, changes) = repair::repair(&p, &s, &dm, &rows, &req, lang)?;
    let s2 = match s.staff_index(absent) {
        Some(a) => repair::with_absence(&p, &s, a, &req),
        None => s.clone(),
    };
    refuse(
        &check::check(&p, &s2, &dm, &roster_rows(&s2, &plan)),
        "  ",
        lang,
        || {
            Error::Solver(
                "the repaired roster failed the independent check; nothing written".into(),
            )
        },
    )?;
    print!("{}", repair::render_changes(&s, &plan, &changes, lang));
    if let Some(l) = plan::diagnose::open_summary(&p, &plan, lang) {
        println!("  {l}");
    }
    for d in plan::diagnose::diagnose(&p, &s2, &plan) {
        println!("  ! {}", d.render(&p, lang));
    }
    if changes.is_empty() {
        println!(
            "{} v{ver}",
            cx.t("已发布版本保持不变:", "published version unchanged:")
        );
        return Ok(0);
    }
    let new_ver = h.publish(
        dm.monday,
        &crate::outputs::roster_csv::to_csv(&p, &s, &plan, lang),
        true,
    )?;
    let cpath = out.join(format!("changes-{}-v{new_ver}.csv", dm.monday));
    write_atomic(&cpath, &repair::changes_csv(&s, &plan, &changes, lang))?;
    println!(
        "{} v{new_ver} ({} v{ver}); {} {}",
        cx.t("已发布修复版本", "published repaired version"),
        cx.t("保留", "kept"),
        cx.t("变更清单", "changes"),
        cpath.display()
    );
    Ok(0)
}
