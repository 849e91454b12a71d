//! `kehou record`: what was actually served (absence, swap, cancellation),
//! checked before it is written.

use crate::app::args::RecordCmd;
use crate::app::context::Ctx;
use crate::error::Result;
use crate::ledger::Event;
use crate::record::{self, Actor};

pub(crate) fn run(cx: &Ctx, what: &RecordCmd) -> Result<i32> {
    let (p, s) = cx.load()?;
    let (e, based_on) = event(what);
    let by = Actor::cli("record");
    let mut rec = cx.record(&p, &s, true)?;
    let r = rec.write(|tx| record::admit::record(tx, &p, &s, &e, based_on, &by))?;
    println!(
        "{} #{} ({} {} v{}) {} {}",
        cx.t("已记录", "recorded"),
        r.id,
        cx.t("依据", "on"),
        r.week,
        r.version,
        cx.t("于", "in"),
        rec.path().display()
    );
    Ok(0)
}

/// The event the options describe, and the version it is based on.
fn event(what: &RecordCmd) -> (Event, Option<u32>) {
    match what {
        RecordCmd::Absent {
            duty,
            staff,
            substitute,
            note,
            based_on,
        } => (
            Event::Absent {
                duty: duty.clone(),
                staff: staff.clone(),
                substitute: substitute.clone(),
                note: note.clone(),
            },
            *based_on,
        ),
        RecordCmd::Swap {
            duty,
            staff,
            with,
            note,
            based_on,
        } => (
            Event::Swap {
                duty: duty.clone(),
                staff: staff.clone(),
                with: with.clone(),
                note: note.clone(),
            },
            *based_on,
        ),
        RecordCmd::Cancel {
            date,
            session,
            note,
            based_on,
        } => (
            Event::Cancel {
                date: *date,
                session: session.clone(),
                note: note.clone(),
            },
            *based_on,
        ),
    }
}
