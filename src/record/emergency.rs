//! Emergency changes written to the record (issue 20, item 3): a
//! cancellation is an `Event::Cancel` checked by `admit` like any event,
//! its reason at the head of its note; an early end is a row of
//! `adjustments` (migration 10), checked here. Both go through
//! `ledger::emergency::preview` first, inside the writing transaction, so
//! what is written is what the preview showed.

use chrono::NaiveDate;
use rusqlite::params;

use crate::error::{Error, Result};
use crate::ledger::emergency::{self, Adjustment, Preview, Reason};
use crate::ledger::Event;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::model::units::Hm;

use super::admit::{self, Recorded};
use super::{now, Actor, Tx};

/// An emergency change as asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub date: NaiveDate,
    /// A session's id or label (None: the whole day; an early end needs one).
    pub session: Option<String>,
    /// The early end (None: a cancellation).
    pub end: Option<Hm>,
    pub reason: Reason,
    /// The administrator's words, kept in the record only.
    pub text: String,
}

/// What was written: the preview it rests on, and the event's or the
/// adjustment's id.
#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    pub preview: Preview,
    pub id: i64,
}

/// Check and record `c`, in the caller's write transaction.
pub fn record(tx: &Tx, policy: &Policy, school: &School, c: &Change, by: &Actor) -> Result<Done> {
    let preview = emergency::preview(policy, school, tx, c.date, c.session.as_deref(), c.end)?;
    let note = emergency::note(c.reason, &c.text);
    let id = match c.end {
        None => {
            let e = Event::Cancel {
                date: c.date,
                session: preview.session.clone(),
                note,
            };
            let r: Recorded = admit::record(tx, policy, school, &e, None, by)?;
            r.id
        }
        Some(end) => {
            let Some(session) = preview.session.clone() else {
                return Err(Error::Refused(vec![crate::error::Said::new(
                    "提前结束须指明时段; 未做任何记录",
                    "an early end names a session; nothing was recorded",
                )]));
            };
            let a = Adjustment {
                date: c.date,
                session,
                end,
                note,
            };
            tx.insert_adjustment(&a, by)?
        }
    };
    Ok(Done { preview, id })
}

impl Tx<'_> {
    /// Every early end, in the order recorded.
    pub fn adjustments(&self) -> Result<Vec<Adjustment>> {
        let mut st = self
            .tx
            .prepare_cached("SELECT date, session, end_at, note FROM adjustments ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (date, session, end, note) = row.map_err(|e| self.err(e))?;
            let bad = || Error::Record {
                path: self.path.clone(),
                detail: format!("stored adjustment {date} {session} {end} cannot be read"),
            };
            let date = date.parse().map_err(|_| bad())?;
            let end = Hm::parse(&end).ok_or_else(bad)?;
            out.push(Adjustment {
                date,
                session,
                end,
                note,
            });
        }
        Ok(out)
    }

    fn insert_adjustment(&self, a: &Adjustment, by: &Actor) -> Result<i64> {
        self.tx
            .execute(
                "INSERT INTO adjustments (date, session, end_at, note, recorded_at, who, via)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    a.date.to_string(),
                    a.session,
                    a.end.to_string(),
                    a.note,
                    now(),
                    by.who,
                    by.via
                ],
            )
            .map_err(|e| self.err(e))?;
        let id = self.tx.last_insert_rowid();
        let week = crate::calendar::monday_of(a.date);
        self.audit(by, "adjust", Some(week), &format!("adjustment {id}"))?;
        Ok(id)
    }
}
