//! Teachers' requests, kept in the record (schema migration 3): an absence
//! reported for some days, or a swap asked for one duty. The
//! vice-principal answers each once (done or declined); an answer is a row
//! of its own, and both tables refuse updates and deletes. A request
//! changes no roster: the vice-principal acts on it (repair, hand edit)
//! and then answers it.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

use crate::error::{Error, Result, Said};

use super::{now, Actor, Tx};

/// What a teacher asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Away from `from` to `to`: their duties then need someone else.
    Absence,
    /// Someone else for one duty (`duty_id`), on its date.
    Swap,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Absence => "absence",
            Kind::Swap => "swap",
        }
    }
}

/// The vice-principal's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Done,
    Declined,
}

impl Answer {
    fn as_str(self) -> &'static str {
        match self {
            Answer::Done => "done",
            Answer::Declined => "declined",
        }
    }
    pub fn parse(s: &str) -> Option<Answer> {
        [Answer::Done, Answer::Declined]
            .into_iter()
            .find(|a| a.as_str() == s)
    }
}

/// A request to record.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    pub kind: Kind,
    pub staff_id: &'a str,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub duty_id: &'a str,
    pub note: &'a str,
}

/// A recorded request and its answer, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub id: i64,
    pub kind: Kind,
    pub staff_id: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub duty_id: String,
    pub note: String,
    pub asked_at: String,
    pub who: String,
    /// (answer, note, when, who)
    pub answer: Option<(Answer, String, String, String)>,
}

const COLUMNS: &str = "r.id, r.kind, r.staff_id, r.from_date, r.to_date, r.duty_id, r.note, r.asked_at, r.who, a.answer, a.note, a.answered_at, a.who";

fn date(s: &str) -> NaiveDate {
    // The schema's CHECK keeps the columns to ten characters, written by `ask`.
    s.parse().unwrap_or_default()
}

fn request_from(r: &rusqlite::Row) -> rusqlite::Result<Request> {
    let kind: String = r.get(1)?;
    let answer: Option<String> = r.get(9)?;
    Ok(Request {
        id: r.get(0)?,
        kind: if kind == "swap" {
            Kind::Swap
        } else {
            Kind::Absence
        },
        staff_id: r.get(2)?,
        from: date(&r.get::<_, String>(3)?),
        to: date(&r.get::<_, String>(4)?),
        duty_id: r.get(5)?,
        note: r.get(6)?,
        asked_at: r.get(7)?,
        who: r.get(8)?,
        answer: match answer.as_deref().and_then(Answer::parse) {
            Some(a) => Some((a, r.get(10)?, r.get(11)?, r.get(12)?)),
            None => None,
        },
    })
}

impl Tx<'_> {
    /// Record a request; its id.
    pub fn ask(&self, q: &NewRequest, by: &Actor) -> Result<i64> {
        self.tx
            .execute(
                "INSERT INTO requests (kind, staff_id, from_date, to_date, duty_id, note, asked_at, who)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![q.kind.as_str(), q.staff_id, q.from.to_string(), q.to.to_string(), q.duty_id, q.note, now(), by.who],
            )
            .map_err(|e| self.err(e))?;
        let id = self.tx.last_insert_rowid();
        let detail = format!(
            "{} {} {}..{} {}",
            q.kind.as_str(),
            q.staff_id,
            q.from,
            q.to,
            q.duty_id
        );
        self.audit(
            by,
            "request",
            Some(crate::calendar::monday_of(q.from)),
            &detail,
        )?;
        Ok(id)
    }

    /// Answer a request, once.
    pub fn answer(&self, id: i64, a: Answer, note: &str, by: &Actor) -> Result<()> {
        let q = self.request(id)?.ok_or_else(|| {
            Error::Refused(vec![Said::new(
                format!("没有编号为 {id} 的申请"),
                format!("there is no request {id}"),
            )])
        })?;
        if q.answer.is_some() {
            return Err(Error::Refused(vec![Said::new(
                format!("申请 {id} 已经答复过, 未做任何更改"),
                format!("request {id} was answered already; nothing was changed"),
            )]));
        }
        self.tx
            .execute(
                "INSERT INTO request_answers (request_id, answer, note, answered_at, who) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, a.as_str(), note, now(), by.who],
            )
            .map_err(|e| self.err(e))?;
        let week = crate::calendar::monday_of(q.from);
        self.audit(
            by,
            "answer request",
            Some(week),
            &format!("{id} {}", a.as_str()),
        )
    }

    pub fn request(&self, id: i64) -> Result<Option<Request>> {
        self.tx
            .query_row(
                &format!("SELECT {COLUMNS} FROM requests r LEFT JOIN request_answers a ON a.request_id = r.id WHERE r.id = ?1"),
                [id],
                request_from,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The requests touching the days `from..=to` (of one person, or of
    /// everyone), oldest first.
    pub fn requests(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        staff_id: Option<&str>,
    ) -> Result<Vec<Request>> {
        let mut st = self
            .tx
            .prepare(&format!(
                "SELECT {COLUMNS} FROM requests r LEFT JOIN request_answers a ON a.request_id = r.id
                 WHERE r.from_date <= ?2 AND r.to_date >= ?1 AND (?3 IS NULL OR r.staff_id = ?3) ORDER BY r.id"
            ))
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map(
                params![from.to_string(), to.to_string(), staff_id],
                request_from,
            )
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }
}
