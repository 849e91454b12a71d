//! Emergency changes (issue 20, item 3): a day or a session cancelled for
//! a reason (weather, epidemic, air pollution, other), or a session ended
//! early at a given time.
//!
//! - A cancellation is the ledger's own `Event::Cancel` (not served, not
//!   paid); its reason category is kept at the head of the note
//!   (`weather`, `other: 停电检修`), so the notices can say the category and
//!   nothing more.
//! - An early end is an [`Adjustment`], kept in its own append-only table
//!   (record migration 10) rather than as a new event kind: the events
//!   table's kinds are fixed by a CHECK that only a table rebuild could
//!   change. `served` applies it: a duty of that day and session that
//!   would start at or after the end is not served; one running across it
//!   is served until it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::demand::{self, Duty};
use crate::error::{Error, Result, Said};
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::model::units::Hm;

use super::{cancelled, servers, Event, Published};

/// Why the school cancels or adjusts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    Weather,
    Epidemic,
    AirPollution,
    Other,
}

impl Reason {
    pub const ALL: [Reason; 4] = [
        Reason::Weather,
        Reason::Epidemic,
        Reason::AirPollution,
        Reason::Other,
    ];

    /// The code in forms, the CLI and the stored note.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Weather => "weather",
            Reason::Epidemic => "epidemic",
            Reason::AirPollution => "air_pollution",
            Reason::Other => "other",
        }
    }

    /// A code or a Chinese name.
    pub fn parse(s: &str) -> Option<Reason> {
        let s = s.trim();
        Reason::ALL
            .into_iter()
            .find(|r| r.code() == s || r.label(Lang::Zh) == s || r.label(Lang::En) == s)
    }

    /// The category as a notice says it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Reason::Weather => lang.t("恶劣天气", "severe weather"),
            Reason::Epidemic => lang.t("疫情防控", "epidemic control"),
            Reason::AirPollution => lang.t("空气重污染", "heavy air pollution"),
            Reason::Other => lang.t("学校临时安排", "a school arrangement"),
        }
    }

    /// The codes, for a message.
    pub fn codes() -> String {
        Reason::ALL.map(Reason::code).join(", ")
    }
}

/// The note kept with a cancellation or an adjustment: the reason's code,
/// then the administrator's text (which no notice carries).
pub fn note(reason: Reason, text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        reason.code().to_string()
    } else {
        format!("{}: {text}", reason.code())
    }
}

/// The reason a note begins with (None: a cancellation recorded without one).
pub fn reason_of(note: &str) -> Option<Reason> {
    let code = note.split(':').next().unwrap_or("").trim();
    Reason::ALL.into_iter().find(|r| r.code() == code)
}

/// A session of a day ended early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub date: NaiveDate,
    /// A session id.
    pub session: String,
    pub end: Hm,
    pub note: String,
}

/// The earliest end adjustments give a duty's day and session, if any.
fn early_end(adjustments: &[Adjustment], duty: &Duty) -> Option<Hm> {
    adjustments
        .iter()
        .filter(|a| a.date == duty.date && a.session == duty.session)
        .map(|a| a.end)
        .min()
}

/// A duty as served after the early ends: None when it would have started
/// at or after its session's end; else its end cut to it.
pub fn adjusted(duty: &Duty, adjustments: &[Adjustment]) -> Option<Duty> {
    match early_end(adjustments, duty) {
        None => Some(duty.clone()),
        Some(end) if duty.start >= end => None,
        Some(end) => Some(Duty {
            end: duty.end.min(end),
            ..duty.clone()
        }),
    }
}

/// One duty an emergency change touches.
#[derive(Debug, Clone, PartialEq)]
pub struct Affected {
    pub duty: Duty,
    /// Who serves it now (after the events so far), by staff id.
    pub staff: Vec<String>,
    /// Its end after an early end (None: cancelled outright).
    pub new_end: Option<Hm>,
}

/// What a cancellation or an early end would touch.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub date: NaiveDate,
    /// A session id (None: the whole day).
    pub session: Option<String>,
    /// The early end (None: a cancellation).
    pub end: Option<Hm>,
    pub duties: Vec<Affected>,
    /// Everyone whose duty it touches, by staff id (sorted).
    pub people: Vec<String>,
    /// Classes (indexes into the school's) with pupils in those duties.
    pub classes: Vec<usize>,
    /// Pupils in the service at once at most: the largest of the
    /// sessions' totals (a pupil stays through a day's stages).
    pub pupils: u32,
}

fn refused(zh: String, en: String) -> Error {
    Error::Refused(vec![Said::new(zh, en)])
}

/// The term a date falls in, else a refusal naming the terms.
fn in_term(policy: &Policy, date: NaiveDate) -> Result<()> {
    if policy
        .calendar
        .terms
        .iter()
        .any(|t| t.start <= date && date <= t.end)
    {
        return Ok(());
    }
    let terms: Vec<String> = policy
        .calendar
        .terms
        .iter()
        .map(|t| format!("{} {}–{}", t.name, t.start, t.end))
        .collect();
    Err(refused(
        format!("{date} 不在任何学期内 ({}); 未做任何记录", terms.join("; ")),
        format!(
            "{date} is outside every term ({}); nothing was recorded",
            terms.join("; ")
        ),
    ))
}

/// A session named by id or by its label in either language.
pub fn session_id(policy: &Policy, s: &str) -> Result<String> {
    session_named(policy, s).map_err(|r| Error::Refused(vec![r]))
}

/// A session named by id or by its label in either language.
pub fn session_named(policy: &Policy, s: &str) -> std::result::Result<String, Said> {
    let s = s.trim();
    if let Some(x) = policy
        .sessions
        .iter()
        .find(|x| x.id == s || x.label == s || x.label_en.eq_ignore_ascii_case(s))
    {
        return Ok(x.id.clone());
    }
    let zh: Vec<String> = policy
        .sessions
        .iter()
        .map(|x| format!("{} ({})", x.label, x.id))
        .collect();
    let en: Vec<String> = policy
        .sessions
        .iter()
        .map(|x| format!("{} ({})", x.label_en, x.id))
        .collect();
    Err(Said::new(
        format!("没有时段 \"{s}\"; 可选: {}", zh.join(", ")),
        format!("no session \"{s}\"; the sessions are {}", en.join(", ")),
    ))
}

/// What cancelling `date` (one session, or the whole day), or ending the
/// session at `end`, would touch: the published duties of the latest
/// version not yet cancelled nor already ended earlier. Refused, with a
/// clear message, for a date outside every term, an unknown session, a
/// day with no such duty, or one already cancelled.
pub fn preview(
    policy: &Policy,
    school: &School,
    record: &impl Published,
    date: NaiveDate,
    session: Option<&str>,
    end: Option<Hm>,
) -> Result<Preview> {
    in_term(policy, date)?;
    let session = session.map(|s| session_id(policy, s)).transpose()?;
    let what = match &session {
        Some(s) => format!("{date} {s}"),
        None => date.to_string(),
    };
    let monday = crate::calendar::monday_of(date);
    let Some((_, rows)) = record.published(monday)? else {
        return Err(refused(
            format!("{what}: 这一周尚未发布, 没有可取消或调整的任务; 未做任何记录"),
            format!("{what}: the week is not published, so there is no duty to cancel or adjust; nothing was recorded"),
        ));
    };
    let events = record.events()?;
    let adjustments = record.adjustments()?;
    let dm = demand::week(policy, school, date);
    let of_day: Vec<&Duty> = dm
        .duties
        .iter()
        .filter(|d| d.date == date && session.as_ref().is_none_or(|s| *s == d.session))
        .filter(|d| rows.iter().any(|r| r.duty_id == d.id))
        .collect();
    if of_day.is_empty() {
        return Err(refused(
            format!("{what} 没有已发布的任务, 无可取消或调整; 未做任何记录"),
            format!("{what} has no published duty to cancel or adjust; nothing was recorded"),
        ));
    }
    let live: Vec<&Duty> = of_day
        .into_iter()
        .filter(|d| !cancelled(&events, d))
        .collect();
    if live.is_empty() {
        return Err(refused(
            format!("已记录过: {what} 的任务已全部取消; 未重复记录"),
            format!(
                "already recorded: every duty of {what} is cancelled; nothing was recorded twice"
            ),
        ));
    }
    let touched = touched(&live, &adjustments, end, &what)?;
    Ok(summarise(
        date, session, end, &touched, &rows, &dm.duties, &events,
    ))
}

/// The live duties an early end at `end` touches (all for a cancellation),
/// each with its new end; refused when the end changes nothing.
fn touched<'a>(
    live: &[&'a Duty],
    adjustments: &[Adjustment],
    end: Option<Hm>,
    what: &str,
) -> Result<Vec<(&'a Duty, Option<Hm>)>> {
    let Some(end) = end else {
        return Ok(live.iter().map(|d| (*d, None)).collect());
    };
    let out: Vec<(&Duty, Option<Hm>)> = live
        .iter()
        .filter_map(|d| {
            let now = adjusted(d, adjustments)?;
            (now.end > end).then_some((*d, Some(end.max(d.start))))
        })
        .collect();
    if out.is_empty() {
        return Err(refused(
            format!("{what} 的任务在 {end} 前都已结束 (或已提前结束); 未做任何记录"),
            format!("every duty of {what} already ends by {end} (or was ended early); nothing was recorded"),
        ));
    }
    Ok(out)
}

/// The preview of the duties touched: who, which classes, how many pupils.
fn summarise(
    date: NaiveDate,
    session: Option<String>,
    end: Option<Hm>,
    touched: &[(&Duty, Option<Hm>)],
    rows: &[crate::roster::Row],
    all: &[Duty],
    events: &[Event],
) -> Preview {
    let serving = servers(all, rows, events);
    let mut duties = Vec::new();
    let mut people = BTreeSet::new();
    let mut classes = BTreeSet::new();
    let mut by_session: BTreeMap<&str, u32> = BTreeMap::new();
    for (d, new_end) in touched {
        let staff: Vec<String> = rows
            .iter()
            .zip(&serving)
            .filter(|(r, _)| r.duty_id == d.id)
            .filter_map(|(_, s)| s.clone())
            .collect();
        people.extend(staff.iter().cloned());
        classes.extend(d.classes.iter().copied());
        let n = by_session.entry(d.session.as_str()).or_default();
        *n = n.saturating_add(d.pupils);
        duties.push(Affected {
            duty: (*d).clone(),
            staff,
            new_end: *new_end,
        });
    }
    Preview {
        date,
        session,
        end,
        duties,
        people: people.into_iter().collect(),
        classes: classes.into_iter().collect(),
        pupils: by_session.values().copied().max().unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_keeps_the_category_first_and_reads_it_back() {
        assert_eq!(note(Reason::Weather, ""), "weather");
        assert_eq!(note(Reason::Other, " 停电检修 "), "other: 停电检修");
        assert_eq!(reason_of("other: 停电检修"), Some(Reason::Other));
        assert_eq!(reason_of("air_pollution"), Some(Reason::AirPollution));
        assert_eq!(reason_of("台风"), None);
        assert_eq!(Reason::parse("恶劣天气"), Some(Reason::Weather));
    }

    #[test]
    fn an_early_end_drops_later_duties_and_cuts_the_one_across_it() {
        let demo = crate::rules::testkit::demo();
        let d = demo.week.duties[0].clone();
        let adj = |end: u16| Adjustment {
            date: d.date,
            session: d.session.clone(),
            end: Hm(end),
            note: String::new(),
        };
        assert_eq!(adjusted(&d, &[]), Some(d.clone()));
        assert_eq!(adjusted(&d, &[adj(d.start.0)]), None);
        let cut = adjusted(&d, &[adj(d.start.0 + 10)]).expect("served");
        assert_eq!(cut.minutes(), 10);
        // Another session's end does not touch it.
        let other = Adjustment {
            session: "x".into(),
            ..adj(d.start.0)
        };
        assert_eq!(adjusted(&d, &[other]), Some(d));
    }
}
