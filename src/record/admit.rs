//! Every event is checked before it is written, so the ledger never holds
//! a duty that cannot have been served. The checks:
//!
//! - the duty is in the published week, and not cancelled;
//! - the person named holds it now (after the events already recorded), so
//!   the same absence cannot be recorded twice;
//! - the substitute (or the colleague of a swap) is someone else, and the
//!   week as served then keeps every hard rule the checker knows: role and
//!   active, qualification, leave, blackout, exemption, no overlap (counting
//!   the substitutions already recorded), daily and weekly limits. This is
//!   `check::check` itself, run on the served week before and after the
//!   event: the event is refused for any violation it adds;
//! - a cancellation names a session by id or label, and covers a published
//!   duty not yet cancelled.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::check::{self, Violation};
use crate::demand::{self, Duty, WeekDemand};
use crate::error::{Error, Result, Said};
use crate::lang::Lang;
use crate::ledger::{cancelled, servers, session_named as session_id, Event};
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::roster::Row;
use crate::rules::Rule;

use super::{Actor, Base, Tx};

/// An event as recorded: its id, the event as stored (a cancellation's
/// session by id), and the week and version it was checked against.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub id: i64,
    pub event: Event,
    pub week: NaiveDate,
    pub version: u32,
}

/// A reason an event was refused, in both languages.
pub type Refusal = Said;

/// Check `e` against the week's latest version and the events recorded so
/// far, and store it; all in the caller's write transaction. `based_on`,
/// when given, must still be the latest version.
pub fn record(
    tx: &Tx,
    policy: &Policy,
    school: &School,
    e: &Event,
    based_on: Option<u32>,
    by: &Actor,
) -> Result<Recorded> {
    let week = event_week(e).ok_or_else(|| refused(no_duty(e)))?;
    let latest = tx.latest(week)?;
    if let Some(b) = based_on {
        tx.expect(week, Base::Version(b), latest)?;
    }
    let Some(version) = latest else {
        return Err(refused(Said::new(
            format!("{week} 这一周尚未发布, 只能记录已发布排班中的任务"),
            format!(
                "week {week} is not published; only duties of a published roster can be recorded"
            ),
        )));
    };
    let rows = tx.rows(week, version)?.unwrap_or_default();
    let events = tx.events()?;
    let dm = demand::week(policy, school, week);
    let event = admit(policy, school, &dm, &rows, &events, e).map_err(Error::Refused)?;
    let id = tx.insert_event(&event, week, version, by)?;
    Ok(Recorded {
        id,
        event,
        week,
        version,
    })
}

fn refused(s: Said) -> Error {
    Error::Refused(vec![s])
}

/// The Monday of the week an event belongs to: the date that starts its
/// duty id (date/kind/group), or a cancellation's date.
pub fn event_week(e: &Event) -> Option<NaiveDate> {
    let date = match e {
        Event::Absent { duty, .. } | Event::Swap { duty, .. } => {
            duty.split('/').next()?.parse().ok()?
        }
        Event::Cancel { date, .. } => *date,
    };
    Some(crate::calendar::monday_of(date))
}

/// The event as it will be stored, or every reason it cannot be.
pub fn admit(
    policy: &Policy,
    school: &School,
    week: &WeekDemand,
    rows: &[Row],
    events: &[Event],
    e: &Event,
) -> std::result::Result<Event, Vec<Refusal>> {
    match e {
        Event::Cancel {
            date,
            session,
            note,
        } => admit_cancel(policy, week, rows, events, *date, session.as_deref())
            .map(|session| Event::Cancel {
                date: *date,
                session,
                note: note.clone(),
            })
            .map_err(|r| vec![r]),
        Event::Absent { .. } | Event::Swap { .. } => {
            admit_change(policy, school, week, rows, events, e)?;
            Ok(e.clone())
        }
    }
}

/// An absence's or a swap's duty, the person who leaves it and who takes
/// it (None: nobody); None for a cancellation.
fn change(e: &Event) -> Option<(&str, &str, Option<&str>)> {
    match e {
        Event::Absent {
            duty,
            staff,
            substitute,
            ..
        } => Some((duty, staff, substitute.as_deref())),
        Event::Swap {
            duty, staff, with, ..
        } => Some((duty, staff, Some(with))),
        Event::Cancel { .. } => None,
    }
}

/// An absence or a swap: its person leaves the duty, the taker (if any)
/// serves it.
fn admit_change(
    policy: &Policy,
    school: &School,
    week: &WeekDemand,
    rows: &[Row],
    events: &[Event],
    e: &Event,
) -> std::result::Result<(), Vec<Refusal>> {
    let Some((duty_id, staff, taker)) = change(e) else {
        return Ok(());
    };
    let Some(duty) = week.duties.iter().find(|d| d.id == duty_id) else {
        return Err(vec![no_duty(e)]);
    };
    for id in std::iter::once(staff).chain(taker) {
        if school.staff_index(id).is_none() {
            return Err(vec![Said::new(
                format!("教职工名单中无此人: {id}"),
                format!("no such staff member: {id}"),
            )]);
        }
    }
    if taker == Some(staff) {
        return Err(vec![Said::new(
            format!("{} 不能代替自己", who(school, staff)),
            format!("{} cannot stand in for themselves", who(school, staff)),
        )]);
    }
    if cancelled(events, duty, &week.duties) {
        return Err(vec![Said::new(
            format!("任务 {duty_id} 已取消, 无人值守也不计工作量"),
            format!("duty {duty_id} was cancelled: nobody serves it and nobody is paid for it"),
        )]);
    }
    if let Some(r) = not_holder(school, duty, rows, events, e, staff) {
        return Err(vec![r]);
    }
    let before = served_check(policy, school, week, rows, events);
    let mut with = events.to_vec();
    with.push(e.clone());
    let after = served_check(policy, school, week, rows, &with);
    let added: Vec<Refusal> = added(&before, &after).iter().map(said).collect();
    if added.is_empty() {
        Ok(())
    } else {
        Err(added)
    }
}

/// A refusal unless `staff` holds the duty after the events so far.
fn not_holder(
    school: &School,
    duty: &Duty,
    rows: &[Row],
    events: &[Event],
    e: &Event,
    staff: &str,
) -> Option<Refusal> {
    if events.iter().any(|x| same_change(x, e)) {
        return Some(Said::new(
            format!(
                "已记录过: {} 的任务 {} 已有同样的记录",
                who(school, staff),
                duty.id
            ),
            format!(
                "already recorded: {} on duty {} has the same event",
                who(school, staff),
                duty.id
            ),
        ));
    }
    let serving = servers(std::slice::from_ref(duty), rows, events);
    let holders: Vec<String> = rows
        .iter()
        .zip(&serving)
        .filter(|(r, _)| r.duty_id == duty.id)
        .filter_map(|(_, s)| s.clone())
        .collect();
    if holders.iter().any(|h| h == staff) {
        return None;
    }
    let list = holders
        .iter()
        .map(|h| who(school, h))
        .collect::<Vec<_>>()
        .join(", ");
    let (zh, en) = if list.is_empty() {
        ("无人".to_string(), "nobody".to_string())
    } else {
        (list.clone(), list)
    };
    Some(Said::new(
        format!(
            "{} 并未担任任务 {} (现由 {zh} 担任)",
            who(school, staff),
            duty.id
        ),
        format!(
            "{} does not hold duty {} (it is held by {en})",
            who(school, staff),
            duty.id
        ),
    ))
}

/// The same absence or swap (the note aside).
fn same_change(a: &Event, b: &Event) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
        && change(a).is_some()
        && change(a) == change(b)
}

/// Publish `rows` (already checked, as `bytes`) as the week's next
/// version, unless the events already recorded for the week would then
/// break a rule (a substitute recorded for one duty, now also given another
/// at the same time).
#[allow(clippy::too_many_arguments)]
pub fn publish(
    tx: &Tx,
    policy: &Policy,
    school: &School,
    week: &WeekDemand,
    rows: &[Row],
    bytes: &[u8],
    base: Base,
    by: &Actor,
) -> Result<u32> {
    let events = tx.events()?;
    if let Some(v) = tx.latest(week.monday)? {
        let old = tx.rows(week.monday, v)?.unwrap_or_default();
        let lost = dropped(school, week, &old, rows, &events);
        if !lost.is_empty() {
            let mut why = vec![Said::new(
                format!("新版本会使本周已记录的缺勤/换班失效 (v{v} 中成立), 未发布; 请在新版本中保留这些任务的原安排:"),
                format!("the new version would undo events recorded on v{v}, so it is not published; keep these duties as they were:"),
            )];
            why.extend(lost);
            return Err(Error::Refused(why));
        }
    }
    let clash = served_check(policy, school, week, rows, &events);
    if !clash.is_empty() {
        let mut why = vec![Said::new(
            "与本周已记录的缺勤/代课/换班冲突, 未发布:",
            "this version conflicts with the events already recorded for the week, so it is not published:",
        )];
        why.extend(clash.iter().map(said));
        return Err(Error::Refused(why));
    }
    tx.publish(week.monday, bytes, base, by)
}

/// Absences and swaps of the week that take effect on `old` but would not
/// on `new` (their person no longer holds the duty there): publishing
/// `new` would silently move what was served.
fn dropped(
    school: &School,
    week: &WeekDemand,
    old: &[Row],
    new: &[Row],
    events: &[Event],
) -> Vec<Refusal> {
    let mut out = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let Some((duty, staff, _)) = change(e) else {
            continue;
        };
        let Some(d) = week.duties.iter().find(|x| x.id == duty) else {
            continue;
        };
        let holds = |rows: &[Row]| {
            let serving = servers(std::slice::from_ref(d), rows, &events[..i]);
            rows.iter()
                .zip(&serving)
                .any(|(r, s)| r.duty_id == duty && s.as_deref() == Some(staff))
        };
        if holds(old) && !holds(new) {
            out.push(Said::new(
                format!("{} 的 {duty}: 新版本中已不由其担任", who(school, staff)),
                format!(
                    "{} on {duty}: no longer theirs in the new version",
                    who(school, staff)
                ),
            ));
        }
    }
    out
}

fn said(v: &Violation) -> Refusal {
    Said::new(v.render(Lang::Zh), v.render(Lang::En))
}

/// The checker's violations of the week as served after `events`: each
/// seat held by whoever serves it, cancelled duties left out. A seat left
/// open by an absence is what happened, not a breach; a person who left
/// their own club is not its free instructor.
fn served_check(
    policy: &Policy,
    school: &School,
    week: &WeekDemand,
    rows: &[Row],
    events: &[Event],
) -> Vec<Violation> {
    let serving = servers(&week.duties, rows, events);
    let live: Vec<&Duty> = week
        .duties
        .iter()
        .filter(|d| !cancelled(events, d, &week.duties))
        .collect();
    let dm = WeekDemand {
        duties: live.iter().map(|d| (*d).clone()).collect(),
        ..week.clone()
    };
    let served: Vec<Row> = rows
        .iter()
        .zip(serving)
        .filter(|(r, _)| dm.duties.iter().any(|d| d.id == r.duty_id))
        // Who serves is compared, not the cells a substitution leaves as
        // published (the name of the one who was absent).
        .map(|(r, s)| Row::new(r.line, r.duty_id.clone(), s))
        .collect();
    let left = left_duty(events);
    check::check(policy, school, &dm, &served)
        .into_iter()
        .filter(|v| {
            !(v.rule == Rule::Instructor && left.contains(&(v.duty.clone(), v.staff.clone())))
        })
        .collect()
}

/// (duty, staff) of every absence and swap: who left which duty.
fn left_duty(events: &[Event]) -> Vec<(String, String)> {
    events
        .iter()
        .filter_map(change)
        .map(|(d, s, _)| (d.to_string(), s.to_string()))
        .collect()
}

/// Violations in `after` beyond those already in `before` (lines aside).
fn added(before: &[Violation], after: &[Violation]) -> Vec<Violation> {
    let key = |v: &Violation| (v.rule, v.duty.clone(), v.staff.clone(), v.detail.clone());
    let mut seen: BTreeMap<_, usize> = BTreeMap::new();
    for v in before {
        *seen.entry(key(v)).or_default() += 1;
    }
    let mut out = Vec::new();
    for v in after {
        match seen.get_mut(&key(v)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(v.clone()),
        }
    }
    out
}

/// A cancellation: its session resolved to an id (None: the whole day).
fn admit_cancel(
    policy: &Policy,
    week: &WeekDemand,
    rows: &[Row],
    events: &[Event],
    date: NaiveDate,
    session: Option<&str>,
) -> std::result::Result<Option<String>, Refusal> {
    let id = match session {
        None => None,
        Some(s) => Some(session_id(policy, s)?),
    };
    let published: Vec<&Duty> = week
        .duties
        .iter()
        .filter(|d| d.date == date && id.as_ref().is_none_or(|s| *s == d.session))
        .filter(|d| rows.iter().any(|r| r.duty_id == d.id))
        .collect();
    let what = match &id {
        Some(s) => format!("{date} {s}"),
        None => date.to_string(),
    };
    if published.is_empty() {
        return Err(Said::new(
            format!("{what} 没有已发布的任务, 无可取消"),
            format!("{what} has no published duty to cancel"),
        ));
    }
    if published.iter().all(|d| cancelled(events, d, &week.duties)) {
        return Err(Said::new(
            format!("已记录过: {what} 的任务已全部取消"),
            format!("already recorded: every duty of {what} is cancelled"),
        ));
    }
    Ok(id)
}

fn no_duty(e: &Event) -> Refusal {
    let id = change(e).map_or("", |c| c.0);
    Said::new(
        format!("已发布的排班中没有任务 \"{id}\" (任务编号见排班表的 任务编号 列)"),
        format!("no duty \"{id}\" in the published roster (duty ids are in the roster's duty_id column)"),
    )
}

/// "name (id)" of a staff id, or the id alone.
fn who(school: &School, id: &str) -> String {
    match school.staff_index(id) {
        Some(i) => format!("{} ({id})", school.staff[i].name),
        None => id.to_string(),
    }
}
