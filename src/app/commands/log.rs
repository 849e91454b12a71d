//! `kehou log`: what the record holds, week by week: each published
//! version (who, when, from where) and the events recorded on it.

use std::path::Path;

use chrono::NaiveDate;

use crate::app::context::Ctx;
use crate::calendar::monday_of;
use crate::error::Result;
use crate::ledger::Event;
use crate::record::export::{events_log_csv, Stamp};
use crate::record::VersionInfo;

pub(crate) fn run(cx: &Ctx, week: Option<NaiveDate>, events_csv: Option<&Path>) -> Result<i32> {
    let (p, s) = cx.load()?;
    let mut rec = cx.record(&p, &s, false)?;
    let (versions, log) = rec.read(|tx| Ok((tx.all_versions()?, tx.event_log()?)))?;
    let week = week.map(monday_of);
    let keep = |w: NaiveDate| week.is_none_or(|x| x == w);
    if let Some(path) = events_csv {
        let mine: Vec<(Event, Stamp)> = log
            .iter()
            .filter(|(_, st)| st.week.parse().is_ok_and(keep))
            .cloned()
            .collect();
        cx.write(path, &events_log_csv(&mine))?;
        return Ok(0);
    }
    let shown: Vec<&VersionInfo> = versions.iter().filter(|v| keep(v.week)).collect();
    if shown.is_empty() {
        println!(
            "{} {}",
            cx.t("记录中没有发布的版本:", "no published version in"),
            rec.path().display()
        );
        return Ok(0);
    }
    for v in shown {
        println!(
            "{} v{}  {}  {}  {}",
            v.week, v.version, v.published_at, v.who, v.via
        );
        for (e, st) in log
            .iter()
            .filter(|(_, st)| st.week == v.week.to_string() && st.based_on == v.version)
        {
            println!("    #{} {}  {}  {}", st.id, describe(e, cx), st.at, st.who);
        }
    }
    Ok(0)
}

/// One line for an event.
fn describe(e: &Event, cx: &Ctx) -> String {
    match e {
        Event::Absent {
            duty,
            staff,
            substitute,
            ..
        } => match substitute {
            Some(x) => format!("{} {staff} {duty} → {x}", cx.t("缺勤", "absent")),
            None => format!(
                "{} {staff} {duty} ({})",
                cx.t("缺勤", "absent"),
                cx.t("无人代", "not covered")
            ),
        },
        Event::Swap {
            duty, staff, with, ..
        } => format!("{} {staff} {duty} → {with}", cx.t("换班", "swap")),
        Event::Cancel { date, session, .. } => format!(
            "{} {date} {}",
            cx.t("取消", "cancel"),
            session.as_deref().unwrap_or(cx.t("全天", "all day"))
        ),
    }
}
