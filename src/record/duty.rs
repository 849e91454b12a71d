//! What happens during each duty, kept in the record (schema migration 8):
//! sign-ins, the roll call, a pupil unwell, pickups, handovers and their
//! confirmations. Rows are only inserted (the triggers refuse an update or
//! a delete); the rules that decide whether a row may be written are in
//! `crate::duty`, which calls these inside one write transaction.
//!
//! The functions that return pupils' personal data for a page are
//! `roll_marks`, `pickups_of_duty`, `unwell_of_duty`, `flags_of_class`
//! and `unwell_of_class` (and `crate::duty::roll_of_duty`): the read log
//! is added there.

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, OptionalExtension};

use crate::error::{Error, Result};

use super::{now, Actor, Tx};

/// The stored form of a local time: `YYYY-MM-DDTHH:MM`.
pub(crate) const AT: &str = "%Y-%m-%dT%H:%M";

/// A roll-call mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mark {
    Present,
    /// Absent with leave asked by the family (excused).
    Leave,
    /// Absent without reason: flagged to the homeroom teacher at once.
    Unexcused,
}

impl Mark {
    pub fn code(self) -> &'static str {
        match self {
            Mark::Present => "present",
            Mark::Leave => "leave",
            Mark::Unexcused => "unexcused",
        }
    }
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        match self {
            Mark::Present => lang.t("到", "present"),
            Mark::Leave => lang.t("请假", "on leave"),
            Mark::Unexcused => lang.t("无故缺席", "absent, no reason"),
        }
    }
}

impl FromStr for Mark {
    type Err = ();
    fn from_str(s: &str) -> std::result::Result<Mark, ()> {
        Ok(match s {
            "present" => Mark::Present,
            "leave" => Mark::Leave,
            "unexcused" => Mark::Unexcused,
            _ => return Err(()),
        })
    }
}

/// A duty teacher's sign-in (for the appraisal: late sign-ins).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    pub date: NaiveDate,
    pub duty_id: String,
    pub staff_id: String,
    pub at: NaiveDateTime,
    /// After the duty's start plus the policy's grace.
    pub late: bool,
}

/// One pupil's mark in a duty's roll call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollCall {
    pub duty_id: String,
    pub pupil_id: i64,
    pub mark: Mark,
    pub staff_id: String,
    pub at: NaiveDateTime,
}

/// A pupil unwell during a duty: when, and what was done. Never in a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwell {
    pub duty_id: String,
    pub pupil_id: i64,
    pub at: NaiveDateTime,
    pub action: String,
    pub staff_id: String,
}

/// A pupil picked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pickup {
    pub duty_id: String,
    pub pupil_id: i64,
    pub at: NaiveDateTime,
    /// After the policy's late-pickup limit.
    pub late: bool,
    pub staff_id: String,
}

/// A handover from one duty's teacher to the next's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    pub id: i64,
    pub date: NaiveDate,
    pub from_duty: String,
    pub from_staff: String,
    pub to_duty: String,
    pub to_staff: String,
    /// The pupils handed over by id (empty when only a count is known).
    pub pupils: Vec<i64>,
    pub count: u32,
    /// When the giver recorded it (the giver's confirmation).
    pub at: NaiveDateTime,
    /// The receiver's confirmation: who, when. None: still open.
    pub confirmed: Option<(String, NaiveDateTime)>,
}

/// An unexcused absence or a late pickup of one of a class's pupils.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub what: FlagKind,
    pub pupil_id: i64,
    pub pupil: String,
    pub duty_id: String,
    pub at: NaiveDateTime,
    pub staff_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    Unexcused,
    LatePickup,
}

fn at_text(t: NaiveDateTime) -> String {
    t.format(AT).to_string()
}

impl Tx<'_> {
    fn at_of(&self, s: &str) -> Result<NaiveDateTime> {
        NaiveDateTime::parse_from_str(s, AT).map_err(|_| Error::Record {
            path: self.path.clone(),
            detail: format!("stored time {s:?} is not a time"),
        })
    }

    fn date_of(&self, s: &str) -> Result<NaiveDate> {
        s.parse().map_err(|_| Error::Record {
            path: self.path.clone(),
            detail: format!("stored date {s:?} is not a date"),
        })
    }

    pub(crate) fn insert_sign_in(&self, s: &SignIn, by: &Actor) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO duty_sign_ins (date, duty_id, staff_id, at, late, recorded_at, who, via)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![s.date.to_string(), s.duty_id, s.staff_id, at_text(s.at), s.late, now(), by.who, by.via],
            )
            .map_err(|e| self.err(e))?;
        self.audit(
            by,
            "sign in",
            None,
            &format!("{} {}", s.duty_id, s.staff_id),
        )
    }

    /// Every sign-in from `from` to `to` (inclusive), by date, time, duty.
    pub fn sign_ins(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<SignIn>> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT date, duty_id, staff_id, at, late FROM duty_sign_ins
                 WHERE date >= ?1 AND date <= ?2 ORDER BY date, at, duty_id, staff_id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([from.to_string(), to.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, bool>(4)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (date, duty_id, staff_id, at, late) = row.map_err(|e| self.err(e))?;
            out.push(SignIn {
                date: self.date_of(&date)?,
                duty_id,
                staff_id,
                at: self.at_of(&at)?,
                late,
            });
        }
        Ok(out)
    }

    /// The sign-in of one person on one duty, if any.
    pub fn sign_in_of(&self, duty_id: &str, staff_id: &str) -> Result<Option<SignIn>> {
        let row = self
            .tx
            .query_row(
                "SELECT date, at, late FROM duty_sign_ins WHERE duty_id = ?1 AND staff_id = ?2",
                [duty_id, staff_id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, bool>(2)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((date, at, late)) = row else {
            return Ok(None);
        };
        Ok(Some(SignIn {
            date: self.date_of(&date)?,
            duty_id: duty_id.to_string(),
            staff_id: staff_id.to_string(),
            at: self.at_of(&at)?,
            late,
        }))
    }

    pub(crate) fn insert_roll_call(&self, date: NaiveDate, r: &RollCall, by: &Actor) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO roll_calls (date, duty_id, pupil_id, mark, staff_id, at, recorded_at, who, via)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![date.to_string(), r.duty_id, r.pupil_id, r.mark.code(), r.staff_id, at_text(r.at), now(), by.who, by.via],
            )
            .map_err(|e| self.err(e))?;
        self.audit(
            by,
            "roll call",
            None,
            &format!("{} pupil {} {}", r.duty_id, r.pupil_id, r.mark.code()),
        )
    }

    /// A duty's roll-call marks, by pupil id.
    pub fn roll_marks(&self, duty_id: &str) -> Result<Vec<RollCall>> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT pupil_id, mark, staff_id, at FROM roll_calls WHERE duty_id = ?1 ORDER BY pupil_id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([duty_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (pupil_id, mark, staff_id, at) = row.map_err(|e| self.err(e))?;
            let mark = mark.parse().map_err(|_| Error::Record {
                path: self.path.clone(),
                detail: format!("roll call of pupil {pupil_id}: unknown mark {mark:?}"),
            })?;
            out.push(RollCall {
                duty_id: duty_id.to_string(),
                pupil_id,
                mark,
                staff_id,
                at: self.at_of(&at)?,
            });
        }
        Ok(out)
    }

    pub(crate) fn insert_unwell(&self, date: NaiveDate, u: &Unwell, by: &Actor) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO unwell (date, duty_id, pupil_id, at, action, staff_id, recorded_at, who, via)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![date.to_string(), u.duty_id, u.pupil_id, at_text(u.at), u.action, u.staff_id, now(), by.who, by.via],
            )
            .map_err(|e| self.err(e))?;
        // The audit names the row, never the health detail.
        self.audit(
            by,
            "unwell",
            None,
            &format!("{} pupil {}", u.duty_id, u.pupil_id),
        )
    }

    fn unwell_where(&self, sql_where: &str, arg: &str) -> Result<Vec<Unwell>> {
        let sql = format!(
            "SELECT u.duty_id, u.pupil_id, u.at, u.action, u.staff_id FROM unwell u
             JOIN pupils p ON p.id = u.pupil_id WHERE {sql_where} ORDER BY u.at, u.id"
        );
        let mut st = self.tx.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map([arg], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (duty_id, pupil_id, at, action, staff_id) = row.map_err(|e| self.err(e))?;
            out.push(Unwell {
                duty_id,
                pupil_id,
                at: self.at_of(&at)?,
                action,
                staff_id,
            });
        }
        Ok(out)
    }

    /// A duty's unwell records (for the homeroom teacher and admins).
    pub fn unwell_of_duty(&self, duty_id: &str) -> Result<Vec<Unwell>> {
        self.unwell_where("u.duty_id = ?1", duty_id)
    }

    /// A class's unwell records (its homeroom teacher and admins only).
    pub fn unwell_of_class(&self, class_id: &str) -> Result<Vec<Unwell>> {
        self.unwell_where("p.class_id = ?1", class_id)
    }

    pub(crate) fn insert_pickup(&self, date: NaiveDate, p: &Pickup, by: &Actor) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO pickups (date, duty_id, pupil_id, at, late, staff_id, recorded_at, who, via)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![date.to_string(), p.duty_id, p.pupil_id, at_text(p.at), p.late, p.staff_id, now(), by.who, by.via],
            )
            .map_err(|e| self.err(e))?;
        self.audit(
            by,
            "pickup",
            None,
            &format!("{} pupil {}", p.duty_id, p.pupil_id),
        )
    }

    fn pickups_where(&self, sql_where: &str, a: &str, b: &str) -> Result<Vec<Pickup>> {
        let sql = format!(
            "SELECT duty_id, pupil_id, at, late, staff_id FROM pickups WHERE {sql_where} ORDER BY at, id"
        );
        let mut st = self.tx.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map([a, b], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (duty_id, pupil_id, at, late, staff_id) = row.map_err(|e| self.err(e))?;
            out.push(Pickup {
                duty_id,
                pupil_id,
                at: self.at_of(&at)?,
                late,
                staff_id,
            });
        }
        Ok(out)
    }

    /// A duty's pickups, in time order.
    pub fn pickups_of_duty(&self, duty_id: &str) -> Result<Vec<Pickup>> {
        self.pickups_where("duty_id = ?1 AND ?2 = ''", duty_id, "")
    }

    /// Every pickup from `from` to `to` (inclusive), for the ledger's
    /// actual ends (no names: duty, pupil id, time, who recorded it).
    pub fn pickups_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Pickup>> {
        self.pickups_where(
            "date >= ?1 AND date <= ?2",
            &from.to_string(),
            &to.to_string(),
        )
    }

    pub(crate) fn insert_handover(&self, h: &Handover, by: &Actor) -> Result<i64> {
        let pupils: Vec<String> = h.pupils.iter().map(i64::to_string).collect();
        self.tx
            .execute(
                "INSERT INTO handovers (date, from_duty, from_staff, to_duty, to_staff, pupils, count, at, recorded_at, who, via)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![h.date.to_string(), h.from_duty, h.from_staff, h.to_duty, h.to_staff, pupils.join(","), h.count, at_text(h.at), now(), by.who, by.via],
            )
            .map_err(|e| self.err(e))?;
        let id = self.tx.last_insert_rowid();
        self.audit(
            by,
            "handover",
            None,
            &format!("handover {id} {} -> {}", h.from_duty, h.to_duty),
        )?;
        Ok(id)
    }

    pub(crate) fn insert_confirm(
        &self,
        id: i64,
        staff_id: &str,
        at: NaiveDateTime,
        by: &Actor,
    ) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO handover_confirms (handover_id, staff_id, at, recorded_at, who, via)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, staff_id, at_text(at), now(), by.who, by.via],
            )
            .map_err(|e| self.err(e))?;
        self.audit(by, "handover confirmed", None, &format!("handover {id}"))
    }

    /// The handovers of a date that a duty gives or receives, in order.
    pub fn handovers_of(&self, date: NaiveDate, duty_id: &str) -> Result<Vec<Handover>> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT h.id, h.from_duty, h.from_staff, h.to_duty, h.to_staff, h.pupils, h.count, h.at, c.staff_id, c.at
                 FROM handovers h LEFT JOIN handover_confirms c ON c.handover_id = h.id
                 WHERE h.date = ?1 AND (?2 = '' OR h.from_duty = ?2 OR h.to_duty = ?2) ORDER BY h.id",
            )
            .map_err(|e| self.err(e))?;
        type Cells = (
            i64,
            [String; 5],
            u32,
            String,
            Option<String>,
            Option<String>,
        );
        let rows = st
            .query_map([date.to_string(), duty_id.to_string()], |r| {
                Ok::<Cells, rusqlite::Error>((
                    r.get(0)?,
                    [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, [from_duty, from_staff, to_duty, to_staff, pupils], count, at, cs, cat) =
                row.map_err(|e| self.err(e))?;
            let confirmed = match (cs, cat) {
                (Some(s), Some(t)) => Some((s, self.at_of(&t)?)),
                _ => None,
            };
            out.push(Handover {
                id,
                date,
                from_duty,
                from_staff,
                to_duty,
                to_staff,
                pupils: pupils.split(',').filter_map(|x| x.parse().ok()).collect(),
                count,
                at: self.at_of(&at)?,
                confirmed,
            });
        }
        Ok(out)
    }

    /// One handover by id.
    pub fn handover(&self, date: NaiveDate, id: i64) -> Result<Option<Handover>> {
        Ok(self
            .handovers_of(date, "")?
            .into_iter()
            .find(|h| h.id == id))
    }

    /// A class's flags on `date`: unexcused absences and late pickups of
    /// its pupils, in time order (its homeroom teacher and admins only).
    pub fn flags_of_class(&self, class_id: &str, date: NaiveDate) -> Result<Vec<Flag>> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT 'u', r.pupil_id, p.name, r.duty_id, r.at, r.staff_id FROM roll_calls r
                   JOIN pupils p ON p.id = r.pupil_id
                   WHERE p.class_id = ?1 AND r.date = ?2 AND r.mark = 'unexcused'
                 UNION ALL
                 SELECT 'p', k.pupil_id, p.name, k.duty_id, k.at, k.staff_id FROM pickups k
                   JOIN pupils p ON p.id = k.pupil_id
                   WHERE p.class_id = ?1 AND k.date = ?2 AND k.late = 1
                 ORDER BY 5, 2",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([class_id.to_string(), date.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (k, pupil_id, pupil, duty_id, at, staff_id) = row.map_err(|e| self.err(e))?;
            out.push(Flag {
                what: if k == "u" {
                    FlagKind::Unexcused
                } else {
                    FlagKind::LatePickup
                },
                pupil_id,
                pupil,
                duty_id,
                at: self.at_of(&at)?,
                staff_id,
            });
        }
        Ok(out)
    }
}
