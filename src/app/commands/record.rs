//! `kehou record`: what was actually served (absence, swap, cancellation).

use crate::app::args::RecordCmd;
use crate::app::context::{known_staff, Ctx};
use crate::error::Result;
use crate::ledger::Event;

pub(crate) fn run(cx: &Ctx, what: &RecordCmd) -> Result<i32> {
    let (_, school) = cx.load()?;
    let e = match what {
        RecordCmd::Absent {
            duty,
            staff,
            substitute,
            note,
        } => {
            let ids = std::iter::once(staff).chain(substitute.iter());
            known_staff(&school, ids, cx.lang)?;
            Event::Absent {
                duty: duty.clone(),
                staff: staff.clone(),
                substitute: substitute.clone(),
                note: note.clone(),
            }
        }
        RecordCmd::Swap {
            duty,
            staff,
            with,
            note,
        } => {
            known_staff(&school, [staff, with], cx.lang)?;
            Event::Swap {
                duty: duty.clone(),
                staff: staff.clone(),
                with: with.clone(),
                note: note.clone(),
            }
        }
        RecordCmd::Cancel {
            date,
            session,
            note,
        } => Event::Cancel {
            date: *date,
            session: session.clone(),
            note: note.clone(),
        },
    };
    let h = cx.history();
    h.record(&e)?;
    println!(
        "{} {}",
        cx.t("已记录到", "recorded in"),
        h.events_path().display()
    );
    Ok(0)
}
