//! A week's history as each person's calendar sees it: every published
//! version in turn, with the events recorded while it was the latest. A
//! duty occurrence held by a person is one calendar event (duty × person);
//! its SEQUENCE counts the points of the history (a publication, an
//! event) at which its state changed, and its stamp is when the last such
//! change was recorded. A duty the person no longer holds (moved away by a
//! repair, a swap, a substitution or a re-plan) or that was cancelled stays
//! in the history as not held, so calendars drop it.

use std::collections::BTreeMap;

use crate::demand::Duty;
use crate::roster::Row;

use super::{cancelled, servers, Event};

/// One published version of a week and the events recorded while it was
/// the week's latest (in the order recorded), each with when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionHistory {
    pub version: u32,
    pub published_at: String,
    pub rows: Vec<Row>,
    pub events: Vec<(Event, String)>,
}

/// A person's relation to a duty occurrence at one point of the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Held {
    /// They hold it.
    Holds,
    /// Someone else holds it now, or nobody (an open seat).
    Moved,
    /// Its day or session was cancelled.
    Cancelled,
}

/// One duty occurrence × person, as it stands after the whole history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Index into the week's duties.
    pub duty: usize,
    pub staff_id: String,
    pub held: Held,
    /// 0 when first published; one more at each change of `held`.
    pub sequence: u32,
    /// When the change that made the current state was recorded (the
    /// record's time stamp).
    pub stamp: String,
}

/// Who holds each duty after `events`, and whether it is cancelled: (duty
/// index, staff id) → state.
fn state(duties: &[Duty], rows: &[Row], events: &[Event]) -> BTreeMap<(usize, String), Held> {
    let index: BTreeMap<&str, usize> = duties
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let mut out = BTreeMap::new();
    for (r, who) in rows.iter().zip(servers(duties, rows, events)) {
        let (Some(who), Some(&i)) = (who, index.get(r.duty_id.as_str())) else {
            continue;
        };
        let held = if cancelled(events, &duties[i], duties) {
            Held::Cancelled
        } else {
            Held::Holds
        };
        out.insert((i, who), held);
    }
    out
}

/// Every point of the history: (rows in force, events recorded so far, when).
fn points(history: &[VersionHistory]) -> Vec<(&[Row], Vec<Event>, &str)> {
    let mut events = Vec::new();
    let mut out = Vec::new();
    for v in history {
        out.push((v.rows.as_slice(), events.clone(), v.published_at.as_str()));
        for (e, at) in &v.events {
            events.push(e.clone());
            out.push((v.rows.as_slice(), events.clone(), at.as_str()));
        }
    }
    out
}

/// Every duty occurrence × person the week's history ever had, with its
/// state now, sequence and stamp; by duty, then person.
pub fn occurrences(duties: &[Duty], history: &[VersionHistory]) -> Vec<Occurrence> {
    let mut tracks: BTreeMap<(usize, String), Occurrence> = BTreeMap::new();
    for (rows, events, at) in points(history) {
        let now = state(duties, rows, &events);
        for (key, held) in &now {
            let t = tracks.entry(key.clone()).or_insert_with(|| Occurrence {
                duty: key.0,
                staff_id: key.1.clone(),
                held: *held,
                sequence: 0,
                stamp: at.to_string(),
            });
            if t.held != *held {
                t.held = *held;
                t.sequence += 1;
                t.stamp = at.to_string();
            }
        }
        for (key, t) in tracks.iter_mut() {
            if t.held == Held::Holds && !now.contains_key(key) {
                t.held = Held::Moved;
                t.sequence += 1;
                t.stamp = at.to_string();
            }
        }
    }
    tracks.into_values().collect()
}

/// One duty whose holders a publication changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyChange {
    /// Index into the week's duties.
    pub duty: usize,
    /// Staff ids holding it before, and after (sorted).
    pub before: Vec<String>,
    pub after: Vec<String>,
}

/// Who holds each duty not cancelled: duty index → staff ids (sorted).
fn holders(duties: &[Duty], rows: &[Row], events: &[Event]) -> BTreeMap<usize, Vec<String>> {
    let mut out: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for ((duty, who), held) in state(duties, rows, events) {
        if held == Held::Holds {
            out.entry(duty).or_default().push(who);
        }
    }
    out
}

/// The duties whose holders publishing `version` changed: the week as
/// served just before it (the version before, with every event recorded
/// until then) against the week as served just after (the new version,
/// with the same events). For the first version, every duty held.
pub fn changes(duties: &[Duty], history: &[VersionHistory], version: u32) -> Vec<DutyChange> {
    let Some(at) = history.iter().position(|v| v.version == version) else {
        return Vec::new();
    };
    let events: Vec<Event> = history[..at]
        .iter()
        .flat_map(|v| v.events.iter().map(|(e, _)| e.clone()))
        .collect();
    let before = match at {
        0 => BTreeMap::new(),
        _ => holders(duties, &history[at - 1].rows, &events),
    };
    let after = holders(duties, &history[at].rows, &events);
    let mut ids: Vec<usize> = before.keys().chain(after.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter(|i| before.get(i) != after.get(i))
        .map(|i| DutyChange {
            duty: i,
            before: before.get(&i).cloned().unwrap_or_default(),
            after: after.get(&i).cloned().unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(duty: &str, staff: &str) -> Row {
        Row::new(0, duty.to_string(), Some(staff.to_string()))
    }

    #[test]
    fn a_swap_then_a_replan_moves_each_holder_once_and_counts_in_the_sequence() {
        let demo = crate::rules::testkit::demo();
        let duties = &demo.week.duties;
        let (d0, d1) = (duties[0].id.as_str(), duties[1].id.as_str());
        let swap = Event::Swap {
            duty: d0.to_string(),
            staff: "A".into(),
            with: "C".into(),
            note: String::new(),
        };
        let history = vec![
            VersionHistory {
                version: 1,
                published_at: "t1".into(),
                rows: vec![row(d0, "A"), row(d1, "B")],
                events: vec![(swap, "t2".into())],
            },
            VersionHistory {
                version: 2,
                published_at: "t3".into(),
                rows: vec![row(d0, "D"), row(d1, "B")],
                events: Vec::new(),
            },
        ];
        let occ = occurrences(duties, &history);
        let got: Vec<(usize, &str, Held, u32, &str)> = occ
            .iter()
            .map(|o| {
                (
                    o.duty,
                    o.staff_id.as_str(),
                    o.held,
                    o.sequence,
                    o.stamp.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (0, "A", Held::Moved, 1, "t2"),
                (0, "C", Held::Moved, 1, "t3"),
                (0, "D", Held::Holds, 0, "t3"),
                (1, "B", Held::Holds, 0, "t1"),
            ]
        );
        // v2's change list: the swap's C, as served before, gave way to D.
        let c = changes(duties, &history, 2);
        assert_eq!(
            c,
            vec![DutyChange {
                duty: 0,
                before: vec!["C".into()],
                after: vec!["D".into()],
            }]
        );
        // v1's: every duty held is news.
        assert_eq!(changes(duties, &history, 1).len(), 2);
        assert!(changes(duties, &history, 3).is_empty());
    }
}
