//! `kehou cancel`: an emergency change (a day or session cancelled, or a
//! session ended early) recorded in the ledger, then the notices printed:
//! one per class for the parents, one per person for the teachers.

use crate::app::args::Cmd;
use crate::app::context::Ctx;
use crate::error::{Error, Result, Said};
use crate::ledger::emergency::Reason;
use crate::ledger::emergency_notice as notices;
use crate::model::units::Hm;
use crate::record::emergency::{self, Change};
use crate::record::Actor;

pub(crate) fn run(cx: &Ctx, cmd: &Cmd) -> Result<i32> {
    let Cmd::Cancel {
        date,
        session,
        end,
        reason,
        note,
        pickup,
    } = cmd
    else {
        return Ok(2);
    };
    let bad = |zh: String, en: String| Error::Mistake(Said::new(zh, en));
    let reason = Reason::parse(reason).ok_or_else(|| {
        bad(
            format!("--reason \"{reason}\": 应为 {}", Reason::codes()),
            format!("--reason \"{reason}\": expected {}", Reason::codes()),
        )
    })?;
    let end = match end {
        None => None,
        Some(e) => Some(Hm::parse(e).ok_or_else(|| {
            bad(
                format!("--end \"{e}\": 应为时刻, 如 16:30"),
                format!("--end \"{e}\": expected a time such as 16:30"),
            )
        })?),
    };
    if let Some(w) = notices::health_word(pickup) {
        return Err(bad(
            format!("--pickup: 通知不得含健康信息 (\"{w}\"); 未做任何记录"),
            format!("--pickup: a notice carries no health details (\"{w}\"); nothing was recorded"),
        ));
    }
    let (p, s) = cx.load()?;
    let c = Change {
        date: *date,
        session: session.clone(),
        end,
        reason,
        text: note.clone(),
    };
    let by = Actor::cli("cancel");
    let mut rec = cx.record(&p, &s, true)?;
    let done = rec.write(|tx| emergency::record(tx, &p, &s, &c, &by))?;
    let v = &done.preview;
    println!(
        "{} #{}: {} {}, {} {}, {} {}",
        cx.t("已记录", "recorded"),
        done.id,
        v.duties.len(),
        cx.t("项任务", "duties"),
        v.people.len(),
        cx.t("位老师", "teachers"),
        v.pupils,
        cx.t("名学生", "pupils"),
    );
    println!(
        "\n{}",
        cx.t("== 给家长 (每班) ==", "== For parents (per class) ==")
    );
    for n in notices::parents(&p, &s, v, reason, pickup, cx.lang) {
        println!("[{}] {}", n.class, n.text);
    }
    println!(
        "\n{}",
        cx.t("== 给教师 (每人) ==", "== For teachers (per person) ==")
    );
    for n in notices::teachers(&p, &s, v, reason, cx.lang) {
        println!("[{}] {}", n.staff_id, n.text);
    }
    Ok(0)
}
