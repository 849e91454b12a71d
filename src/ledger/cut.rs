//! What of each duty can have been served after the day's cancellations
//! and early ends. One place for the rule; the ledger (pay), the duty
//! pages, the record's admission of events and the emergency preview all
//! ask it:
//! - a cancellation covers the duties of its day and session (every
//!   session when it names none);
//! - an early end of a session at `end` covers that session and the later
//!   sessions of the same part of the day (the service ends then): a duty
//!   that would start at or after `end` is not served, one across it is
//!   cut to it;
//! - a duty spanning the afternoon (the patrol) is served while the duties
//!   inside its window run: from the first start to the last end of those
//!   still served, and not at all when every one of them is cancelled or
//!   dropped. Its own cancellation or early end applies as well.

use crate::demand::Duty;
use crate::model::policy::{Policy, AFTERNOON_SPAN};
use crate::model::units::Hm;

use super::emergency::Adjustment;
use super::Event;

/// A cancellation names the duty's day and its session (or no session).
fn cancel_covers(events: &[Event], duty: &Duty) -> bool {
    events.iter().any(|e| {
        matches!(e, Event::Cancel { date, session, .. }
            if *date == duty.date && session.as_ref().is_none_or(|s| *s == duty.session))
    })
}

/// The duties of `day` inside a spanning duty's window: the same date,
/// another session, starting within it.
fn inside<'a>(span: &'a Duty, day: &'a [Duty]) -> impl Iterator<Item = (usize, &'a Duty)> {
    day.iter().enumerate().filter(move |(_, d)| {
        d.date == span.date
            && d.session != AFTERNOON_SPAN
            && span.start <= d.start
            && d.start < span.end
    })
}

/// Whether the duty is cancelled: a cancellation covers its day and
/// session, or it spans the afternoon and every duty inside it is
/// cancelled. `day`: the duties planned with it (its week's or day's).
pub(crate) fn cancelled(events: &[Event], duty: &Duty, day: &[Duty]) -> bool {
    if cancel_covers(events, duty) {
        return true;
    }
    if duty.session != AFTERNOON_SPAN {
        return false;
    }
    let mut stages = inside(duty, day).peekable();
    stages.peek().is_some() && stages.all(|(_, d)| cancel_covers(events, d))
}

/// Whether an early end of `a.session` reaches a duty of `session`: the
/// same session, a later one of the same part, or the afternoon span and
/// an afternoon stage (either way round).
fn reaches(policy: &Policy, a: &Adjustment, session: &str) -> bool {
    if a.session == session {
        return true;
    }
    let (Some(pa), Some(pd)) = (policy.part_of(&a.session), policy.part_of(session)) else {
        return false;
    };
    let pos = |s: &str| policy.sessions.iter().position(|x| x.id == s);
    pa == pd
        && match (pos(&a.session), pos(session)) {
            (Some(i), Some(j)) => j > i,
            _ => true,
        }
}

/// The earliest end the early ends give a duty, if any.
pub(crate) fn early_end(policy: &Policy, adjustments: &[Adjustment], duty: &Duty) -> Option<Hm> {
    adjustments
        .iter()
        .filter(|a| a.date == duty.date && reaches(policy, a, &duty.session))
        .map(|a| a.end)
        .min()
}

/// A duty after the early ends: None when it would have started at or
/// after the end that reaches it; else its end cut to that end.
pub fn adjusted(policy: &Policy, duty: &Duty, adjustments: &[Adjustment]) -> Option<Duty> {
    match early_end(policy, adjustments, duty) {
        None => Some(duty.clone()),
        Some(end) if duty.start >= end => None,
        Some(end) => Some(Duty {
            end: duty.end.min(end),
            ..duty.clone()
        }),
    }
}

/// Each of `duties` as it can have been served after the cancellations
/// and early ends (None: not at all), in the same order.
pub(crate) fn as_served(
    policy: &Policy,
    duties: &[Duty],
    events: &[Event],
    adjustments: &[Adjustment],
) -> Vec<Option<Duty>> {
    let own = |d: &Duty| {
        if cancel_covers(events, d) {
            None
        } else {
            adjusted(policy, d, adjustments)
        }
    };
    let stages: Vec<Option<Duty>> = duties
        .iter()
        .map(|d| {
            if d.session == AFTERNOON_SPAN {
                None
            } else {
                own(d)
            }
        })
        .collect();
    duties
        .iter()
        .zip(&stages)
        .map(|(d, stage)| {
            if d.session != AFTERNOON_SPAN {
                return stage.clone();
            }
            let span = own(d)?;
            let window: Vec<usize> = inside(d, duties).map(|(i, _)| i).collect();
            if window.is_empty() {
                return Some(span);
            }
            let live: Vec<&Duty> = window.iter().filter_map(|&i| stages[i].as_ref()).collect();
            let start = live.iter().map(|x| x.start).min()?.max(span.start);
            let end = live.iter().map(|x| x.end).max()?.min(span.end);
            (start < end).then_some(Duty { start, end, ..span })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> (Policy, Vec<Duty>) {
        let demo = crate::rules::testkit::demo();
        (demo.policy.clone(), demo.week.duties.clone())
    }

    /// The first day with a patrol, its patrol and that day's duties.
    fn patrol_day(duties: &[Duty]) -> (Duty, Vec<Duty>) {
        let span = duties
            .iter()
            .find(|d| d.session == AFTERNOON_SPAN)
            .expect("the demo week has a patrol")
            .clone();
        let day = duties
            .iter()
            .filter(|d| d.date == span.date)
            .cloned()
            .collect();
        (span, day)
    }

    fn cancel(span: &Duty, session: &str) -> Event {
        Event::Cancel {
            date: span.date,
            session: Some(session.into()),
            note: String::new(),
        }
    }

    fn served_span(p: &Policy, day: &[Duty], ev: &[Event], adj: &[Adjustment]) -> Option<Duty> {
        let i = day.iter().position(|d| d.session == AFTERNOON_SPAN)?;
        as_served(p, day, ev, adj)[i].clone()
    }

    #[test]
    fn the_patrol_ends_with_the_last_stage_still_served() {
        let (p, duties) = demo();
        let (span, day) = patrol_day(&duties);
        assert_eq!(served_span(&p, &day, &[], &[]), Some(span.clone()));
        let stage2_start = day
            .iter()
            .filter(|d| d.session == "stage2")
            .map(|d| d.start)
            .min()
            .expect("stage 2 runs");
        let one = [cancel(&span, "stage2")];
        let cut = served_span(&p, &day, &one, &[]).expect("stage 1 still runs");
        assert_eq!((cut.start, cut.end), (span.start, stage2_start));
        assert!(!cancelled(&one, &span, &day));
        let both = [cancel(&span, "stage2"), cancel(&span, "stage1")];
        assert_eq!(served_span(&p, &day, &both, &[]), None);
        assert!(cancelled(&both, &span, &day));
    }

    #[test]
    fn an_early_end_reaches_later_stages_of_its_part_and_the_patrol() {
        let (p, duties) = demo();
        let (span, day) = patrol_day(&duties);
        let end = Hm(span.start.0 + 20);
        let adj = [Adjustment {
            date: span.date,
            session: "stage1".into(),
            end,
            note: String::new(),
        }];
        let now = as_served(&p, &day, &[], &adj);
        for (d, n) in day.iter().zip(&now) {
            match d.session.as_str() {
                "stage2" => assert_eq!(n, &None, "{} starts after the end", d.id),
                "morning" | "noon" => assert_eq!(n.as_ref(), Some(d), "{} is untouched", d.id),
                _ => assert!(n.as_ref().is_some_and(|x| x.end <= end), "{} is cut", d.id),
            }
        }
    }

    #[test]
    fn an_early_end_of_the_last_stage_cuts_the_patrol() {
        let (p, duties) = demo();
        let (span, day) = patrol_day(&duties);
        let end = Hm(span.end.0 - 15);
        let adj = [Adjustment {
            date: span.date,
            session: "stage2".into(),
            end,
            note: String::new(),
        }];
        let cut = served_span(&p, &day, &[], &adj).expect("served until the end");
        assert_eq!(cut.end, end);
        // A stage 1 duty ends before that and stays whole.
        let s1 = day.iter().position(|d| d.session == "stage1").unwrap();
        assert_eq!(as_served(&p, &day, &[], &adj)[s1].as_ref(), Some(&day[s1]));
    }
}
