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

use super::cut::{as_served, cancelled};
use super::{servers, Event, Published};

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

/// One duty an emergency change touches.
#[derive(Debug, Clone, PartialEq)]
pub struct Affected {
    pub duty: Duty,
    /// Who serves it now (after the events so far), by staff id.
    pub staff: Vec<String>,
    /// Its end after the change (None: not served at all).
    pub new_end: Option<Hm>,
    /// Its start after the change, when that moves (the patrol, when the
    /// first stage is cancelled).
    pub new_start: Option<Hm>,
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
/// session at `end`, would touch: every published duty of that day whose
/// served time it changes (`cut`: a later stage an early end reaches, the
/// patrol spanning the afternoon). Refused, with a clear message, for a
/// date outside every term, an unknown session, an early end without a
/// session, a day with no such duty, or a change already recorded.
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
    if end.is_some() && session.is_none() {
        return Err(refused(
            "提前结束须指明时段; 未做任何记录".into(),
            "an early end names a session; nothing was recorded".into(),
        ));
    }
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
    let published = |d: &Duty| d.date == date && rows.iter().any(|r| r.duty_id == d.id);
    let asked: Vec<&Duty> = dm
        .duties
        .iter()
        .filter(|d| published(d) && session.as_ref().is_none_or(|s| *s == d.session))
        .collect();
    if asked.is_empty() {
        return Err(refused(
            format!("{what} 没有已发布的任务, 无可取消或调整; 未做任何记录"),
            format!("{what} has no published duty to cancel or adjust; nothing was recorded"),
        ));
    }
    if asked.iter().all(|d| cancelled(&events, d, &dm.duties)) {
        return Err(refused(
            format!("已记录过: {what} 的任务已全部取消; 未重复记录"),
            format!(
                "already recorded: every duty of {what} is cancelled; nothing was recorded twice"
            ),
        ));
    }
    let change = Change {
        date,
        session: session.clone(),
        end,
    };
    let touched = change.touched(policy, &dm.duties, &events, &adjustments, &published);
    if touched.is_empty() {
        return Err(match end {
            Some(end) => refused(
                format!("{what} 的任务在 {end} 前都已结束 (或已提前结束); 未做任何记录"),
                format!("every duty of {what} already ends by {end} (or was ended early); nothing was recorded"),
            ),
            None => refused(
                format!("{what} 的任务已不再进行 (已取消或已提前结束); 未做任何记录"),
                format!("no duty of {what} still runs (cancelled or ended early); nothing was recorded"),
            ),
        });
    }
    Ok(summarise(
        date, session, end, &touched, &rows, &dm.duties, &events,
    ))
}

/// A change asked for, before it is recorded.
struct Change {
    date: NaiveDate,
    session: Option<String>,
    end: Option<Hm>,
}

impl Change {
    /// The duties (among those `keep` accepts) whose served time the change
    /// alters, each with what is left of it (None: nothing).
    fn touched<'a>(
        &self,
        policy: &Policy,
        duties: &'a [Duty],
        events: &[Event],
        adjustments: &[Adjustment],
        keep: &dyn Fn(&Duty) -> bool,
    ) -> Vec<(&'a Duty, Option<Duty>)> {
        let before = as_served(policy, duties, events, adjustments);
        let (mut events, mut adjustments) = (events.to_vec(), adjustments.to_vec());
        match (self.end, &self.session) {
            (Some(end), Some(session)) => adjustments.push(Adjustment {
                date: self.date,
                session: session.clone(),
                end,
                note: String::new(),
            }),
            _ => events.push(Event::Cancel {
                date: self.date,
                session: self.session.clone(),
                note: String::new(),
            }),
        }
        let after = as_served(policy, duties, &events, &adjustments);
        duties
            .iter()
            .zip(before.into_iter().zip(after))
            .filter(|(d, (b, a))| keep(d) && b.is_some() && b != a)
            .map(|(d, (_, a))| (d, a))
            .collect()
    }
}

/// The preview of the duties touched: who, which classes, how many pupils.
fn summarise(
    date: NaiveDate,
    session: Option<String>,
    end: Option<Hm>,
    touched: &[(&Duty, Option<Duty>)],
    rows: &[crate::roster::Row],
    all: &[Duty],
    events: &[Event],
) -> Preview {
    let serving = servers(all, rows, events);
    let mut duties = Vec::new();
    let mut people = BTreeSet::new();
    let mut classes = BTreeSet::new();
    let mut by_session: BTreeMap<&str, u32> = BTreeMap::new();
    for (d, now) in touched {
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
            new_end: now.as_ref().map(|x| x.end),
            new_start: now
                .as_ref()
                .and_then(|x| (x.start != d.start).then_some(x.start)),
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
    use super::super::cut::adjusted;
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
        assert_eq!(adjusted(&demo.policy, &d, &[]), Some(d.clone()));
        assert_eq!(adjusted(&demo.policy, &d, &[adj(d.start.0)]), None);
        let cut = adjusted(&demo.policy, &d, &[adj(d.start.0 + 10)]).expect("served");
        assert_eq!(cut.minutes(), 10);
        // Another session's end does not touch it.
        let other = Adjustment {
            session: "x".into(),
            ..adj(d.start.0)
        };
        assert_eq!(adjusted(&demo.policy, &d, &[other]), Some(d));
    }
}
