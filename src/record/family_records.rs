//! What the record holds about one child beyond their applications, for
//! the family's export (`record::privacy`): the duty rows naming them
//! (roll-call marks, unwell records, pickups, handovers), the agreements
//! signed, the club draws their applications were in and when their
//! invitation codes were issued. Each is read as stored, in time order.

use rusqlite::{params, Row};
use serde::Serialize;

use crate::error::Result;

use super::Tx;

/// One roll-call mark of the child.
#[derive(Debug, Clone, Serialize)]
pub struct RollCallData {
    pub date: String,
    pub duty: String,
    /// `present`, `leave` or `unexcused`.
    pub mark: String,
    pub at: String,
    pub staff: String,
}

/// The child unwell during a duty: when, and what was done.
#[derive(Debug, Clone, Serialize)]
pub struct UnwellData {
    pub date: String,
    pub duty: String,
    pub at: String,
    pub action: String,
    pub staff: String,
}

/// The child picked up.
#[derive(Debug, Clone, Serialize)]
pub struct PickupData {
    pub date: String,
    pub duty: String,
    pub at: String,
    pub late: bool,
    pub staff: String,
}

/// A handover naming the child: from whom to whom, and its confirmation.
#[derive(Debug, Clone, Serialize)]
pub struct HandoverData {
    pub date: String,
    pub from_duty: String,
    pub from_staff: String,
    pub to_duty: String,
    pub to_staff: String,
    pub at: String,
    pub confirmed_at: Option<String>,
}

/// A signed agreement of one of the child's applications.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementData {
    pub application: i64,
    pub signed_on: String,
    pub signed_by: String,
    pub recorded_at: String,
}

/// A club draw one of the child's applications was in.
#[derive(Debug, Clone, Serialize)]
pub struct DrawData {
    pub club: String,
    pub drawn_at: String,
    pub application: i64,
    /// `admitted` or `waiting`, and the place (from 1).
    pub seat: String,
    pub place: usize,
}

/// The child's duty rows, agreements, draws and codes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChildRecords {
    pub roll_calls: Vec<RollCallData>,
    pub unwell: Vec<UnwellData>,
    pub pickups: Vec<PickupData>,
    pub handovers: Vec<HandoverData>,
    pub agreements: Vec<AgreementData>,
    pub club_draws: Vec<DrawData>,
    /// When each of the child's invitation codes was issued (the codes
    /// themselves are not kept).
    pub codes_issued: Vec<String>,
}

impl Tx<'_> {
    /// Rows of `sql` (one parameter: the pupil), each made by `f`.
    fn rows_of<T>(
        &self,
        sql: &str,
        pupil: i64,
        f: fn(&Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut st = self.tx.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = st.query_map(params![pupil], f).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// Everything beyond the applications that names the child.
    pub fn child_records(&self, pupil: i64) -> Result<ChildRecords> {
        Ok(ChildRecords {
            roll_calls: self.rows_of(
                "SELECT date, duty_id, mark, at, staff_id FROM roll_calls WHERE pupil_id = ?1 ORDER BY at, id",
                pupil,
                |r| Ok(RollCallData { date: r.get(0)?, duty: r.get(1)?, mark: r.get(2)?, at: r.get(3)?, staff: r.get(4)? }),
            )?,
            unwell: self.rows_of(
                "SELECT date, duty_id, at, action, staff_id FROM unwell WHERE pupil_id = ?1 ORDER BY at, id",
                pupil,
                |r| Ok(UnwellData { date: r.get(0)?, duty: r.get(1)?, at: r.get(2)?, action: r.get(3)?, staff: r.get(4)? }),
            )?,
            pickups: self.rows_of(
                "SELECT date, duty_id, at, late, staff_id FROM pickups WHERE pupil_id = ?1 ORDER BY at, id",
                pupil,
                |r| Ok(PickupData { date: r.get(0)?, duty: r.get(1)?, at: r.get(2)?, late: r.get(3)?, staff: r.get(4)? }),
            )?,
            handovers: self.rows_of(
                "SELECT h.date, h.from_duty, h.from_staff, h.to_duty, h.to_staff, h.at, c.at
                 FROM handovers h LEFT JOIN handover_confirms c ON c.handover_id = h.id
                 WHERE ',' || h.pupils || ',' LIKE '%,' || ?1 || ',%' ORDER BY h.at, h.id",
                pupil,
                |r| Ok(HandoverData { date: r.get(0)?, from_duty: r.get(1)?, from_staff: r.get(2)?, to_duty: r.get(3)?, to_staff: r.get(4)?, at: r.get(5)?, confirmed_at: r.get(6)? }),
            )?,
            agreements: self.rows_of(
                "SELECT g.application_id, g.signed_on, g.signed_by, g.recorded_at FROM agreements g
                 JOIN applications a ON a.id = g.application_id WHERE a.pupil_id = ?1 ORDER BY g.application_id",
                pupil,
                |r| Ok(AgreementData { application: r.get(0)?, signed_on: r.get(1)?, signed_by: r.get(2)?, recorded_at: r.get(3)? }),
            )?,
            club_draws: self.draws_of(pupil)?,
            codes_issued: self.rows_of(
                "SELECT created_at FROM invitation_codes WHERE pupil_id = ?1 ORDER BY id",
                pupil,
                |r| r.get(0),
            )?,
        })
    }

    /// The draws naming one of the child's applications, with its seat.
    fn draws_of(&self, pupil: i64) -> Result<Vec<DrawData>> {
        let mine: Vec<i64> = self
            .applications_of_pupil(pupil)?
            .iter()
            .map(|a| a.id)
            .collect();
        let mut out = Vec::new();
        for d in self.club_draws()?.into_iter().rev() {
            for (seat, ids) in [("admitted", &d.admitted), ("waiting", &d.waiting)] {
                for (i, a) in ids.iter().enumerate().filter(|(_, a)| mine.contains(a)) {
                    out.push(DrawData {
                        club: d.club_id.clone(),
                        drawn_at: d.drawn_at.clone(),
                        application: *a,
                        seat: seat.into(),
                        place: i + 1,
                    });
                }
            }
        }
        Ok(out)
    }
}
