//! `kehou repair`: the published week repaired for an absence.

use crate::app::args::Cmd;
use crate::app::context::{refuse, roster_rows, Ctx};
use crate::error::{Error, Result};
use crate::ledger;
use crate::ledger::Published;
use crate::outputs::files::write_atomic;
use crate::record::{admit, Actor, Base};
use crate::studies::repair::{self, Request};

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
    let dm = crate::app::context::week(&p, &s, *week)?;
    let mut rec = cx.record(&p, &s, true)?;
    let published = rec.read(|tx| {
        ledger::add_term_load(&p, &mut s, tx, dm.monday)?;
        tx.published(dm.monday)
    })?;
    let Some((ver, rows)) = published else {
        return Err(Error::Usage(format!(
            "{} {}",
            cx.t("该周尚未发布:", "week not published:"),
            dm.monday
        )));
    };
    let pins = match pins {
        Some(f) => repair::read_pins(f, &s, &dm)?,
        None => Vec::new(),
    };
    let req = Request {
        absent: absent.clone(),
        from: *from,
        to: *to,
        sessions: session_ids(cx, &p, sessions)?,
        now: now.unwrap_or_else(|| chrono::Local::now().naive_local()),
        pins,
    };
    let (plan, changes) = repair::repair(&p, &s, &dm, &rows, &req, lang)?;
    let (s2, violations) = repair::check_repaired(&p, &s, &dm, &plan, &req);
    refuse(&violations, "  ", lang, || {
        Error::Solver("the repaired roster failed the independent check; nothing written".into())
    })?;
    print!("{}", repair::render_changes(&s, &plan, &changes, lang));
    print!(
        "{}",
        crate::outputs::shortage::terminal(&p, &s2, &plan, lang)
    );
    if changes.is_empty() {
        println!(
            "{} v{ver}",
            cx.t("已发布版本保持不变:", "published version unchanged:")
        );
        return Ok(0);
    }
    let bytes = crate::outputs::roster_csv::to_csv(&p, &s, &plan, lang);
    let by = Actor::cli("repair");
    // Based on the version read above: a version published meanwhile is
    // not undone.
    let new_rows = roster_rows(&s, &plan);
    // The change list is written first (it names the version the publish
    // makes, the next after the one it is based on): a change list that
    // cannot be written publishes nothing; a refused publish removes it.
    let next = ver.checked_add(1).unwrap_or(ver);
    let cpath = out.join(format!("changes-{}-v{next}.csv", dm.monday));
    write_atomic(&cpath, &repair::changes_csv(&s, &plan, &changes, lang))?;
    let published =
        rec.write(|tx| admit::publish(tx, &p, &s, &dm, &new_rows, &bytes, Base::Version(ver), &by));
    let new_ver = match published {
        Ok(v) => v,
        Err(e) => {
            let _ = std::fs::remove_file(&cpath);
            return Err(e);
        }
    };
    println!(
        "{} v{new_ver} ({} v{ver}); {} {}",
        cx.t("已发布修复版本", "published repaired version"),
        cx.t("保留", "kept"),
        cx.t("变更清单", "changes"),
        cpath.display()
    );
    Ok(0)
}

/// `--sessions` as session ids: each word an id, a label in either
/// language, or a part of the day; an unknown word is an error naming the
/// sessions there are (it would otherwise repair nothing).
fn session_ids(
    cx: &Ctx,
    p: &crate::model::policy::Policy,
    words: &[String],
) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for w in words {
        let named = p.sessions_named(w);
        if named.is_empty() {
            let there: Vec<String> = p
                .sessions
                .iter()
                .map(|s| format!("{} ({})", cx.lang.t(&s.label, &s.label_en), s.id))
                .collect();
            return Err(Error::Usage(format!(
                "--sessions: {} \"{w}\"; {} {}",
                cx.t("没有时段", "no session"),
                cx.t("可选:", "the sessions are"),
                there.join(", ")
            )));
        }
        ids.extend(named);
    }
    Ok(ids)
}
