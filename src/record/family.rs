//! The family's side of applications (schema migration 9): invitation
//! codes for the parent page, the term's published offer (服务内容公示),
//! the signed agreements (协议书) and the club draws. Codes arrive here
//! already hashed (by the web layer, as session tokens do): the record
//! never holds a code a copy of the file could use.

use rusqlite::{params, OptionalExtension};

use crate::error::{Error, Result, Said};

use super::applications::Pupil;
use super::{now, Actor, Tx};

/// The term's offer as the school published it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: i64,
    /// The term's name, e.g. 2026年秋季学期.
    pub term: String,
    /// What the service holds (content).
    pub content: String,
    /// The safety measures.
    pub safety: String,
    pub published_at: String,
    pub who: String,
}

/// That an agreement was signed: when, by whom (the guardian as signed),
/// and who recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub application_id: i64,
    pub signed_on: String,
    pub signed_by: String,
    pub recorded_at: String,
    pub who: String,
}

/// A club draw as recorded: the method, the seed of a lottery, who got a
/// seat and who waits (application numbers, in order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClubDraw {
    pub id: i64,
    pub club_id: String,
    /// `None`: first come.
    pub seed: Option<u64>,
    pub admitted: Vec<i64>,
    pub waiting: Vec<i64>,
    pub drawn_at: String,
    pub who: String,
}

fn refused(zh: String, en: String) -> Error {
    Error::Refused(vec![Said::new(zh, en)])
}

fn ids_text(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

fn ids_of(s: &str) -> Vec<i64> {
    s.split(',').filter_map(|x| x.parse().ok()).collect()
}

impl Tx<'_> {
    /// A new invitation code for a pupil (by its hash); any older code
    /// of the pupil stops working.
    pub fn issue_code(&self, pupil_id: i64, code_hash: &str, by: &Actor) -> Result<()> {
        match self.pupil(pupil_id)? {
            Some(p) if !p.erased => {}
            _ => {
                return Err(refused(
                    format!("没有学生 {pupil_id}"),
                    format!("there is no pupil {pupil_id}"),
                ))
            }
        }
        self.tx
            .execute(
                "INSERT INTO invitation_codes (pupil_id, code_hash, created_at, who) VALUES (?1, ?2, ?3, ?4)",
                params![pupil_id, code_hash, now(), by.who],
            )
            .map_err(|e| self.err(e))?;
        self.audit(
            by,
            "issue invitation code",
            None,
            &format!("pupil {pupil_id}"),
        )
    }

    /// The child an invitation code (by its hash) opens: only the pupil's
    /// newest code works, and none of an erased pupil. Personal data: for
    /// the family holding the code.
    pub fn child_of_code(&self, code_hash: &str) -> Result<Option<Pupil>> {
        let id: Option<i64> = self
            .tx
            .query_row(
                "SELECT c.pupil_id FROM invitation_codes c
                 WHERE c.code_hash = ?1
                   AND c.id = (SELECT max(id) FROM invitation_codes WHERE pupil_id = c.pupil_id)",
                [code_hash],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        match id {
            Some(id) => Ok(self.pupil(id)?.filter(|p| !p.erased)),
            None => Ok(None),
        }
    }

    /// When each pupil's current code was issued (pupil id, time).
    pub fn codes_issued(&self) -> Result<Vec<(i64, String)>> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT pupil_id, max(created_at) FROM invitation_codes GROUP BY pupil_id ORDER BY pupil_id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// Publish the term's offer (a new row; the newest is the one shown).
    pub fn publish_offer(
        &self,
        term: &str,
        content: &str,
        safety: &str,
        by: &Actor,
    ) -> Result<i64> {
        self.tx
            .execute(
                "INSERT INTO offers (term, content, safety, published_at, who) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![term, content, safety, now(), by.who],
            )
            .map_err(|e| self.err(e))?;
        let id = self.tx.last_insert_rowid();
        self.audit(by, "publish offer", None, &format!("offer {id} {term}"))?;
        Ok(id)
    }

    /// The offer published last, if any.
    pub fn offer(&self) -> Result<Option<Offer>> {
        self.tx
            .query_row(
                "SELECT id, term, content, safety, published_at, who FROM offers ORDER BY id DESC LIMIT 1",
                [],
                |r| {
                    Ok(Offer {
                        id: r.get(0)?,
                        term: r.get(1)?,
                        content: r.get(2)?,
                        safety: r.get(3)?,
                        published_at: r.get(4)?,
                        who: r.get(5)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Record that an approved application's agreement was signed; once.
    pub fn record_agreement(
        &self,
        application_id: i64,
        signed_on: chrono::NaiveDate,
        signed_by: &str,
        by: &Actor,
    ) -> Result<()> {
        let Some(a) = self.application(application_id)? else {
            return Err(refused(
                format!("没有申请 {application_id}"),
                format!("there is no application {application_id}"),
            ));
        };
        if !matches!(
            a.state,
            crate::enrol::State::Approved { .. } | crate::enrol::State::Withdrawing { .. }
        ) {
            return Err(refused(
                format!("申请 {application_id} 未批准, 不能签协议"),
                format!("application {application_id} is not approved: no agreement to sign"),
            ));
        }
        if self.agreement(application_id)?.is_some() {
            return Err(refused(
                format!("申请 {application_id} 的协议已登记"),
                format!("the agreement of application {application_id} is already recorded"),
            ));
        }
        self.tx
            .execute(
                "INSERT INTO agreements (application_id, signed_on, signed_by, recorded_at, who) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![application_id, signed_on.to_string(), signed_by, now(), by.who],
            )
            .map_err(|e| self.err(e))?;
        self.audit(
            by,
            "record agreement",
            None,
            &format!("application {application_id}"),
        )
    }

    /// The signed agreement of an application, if recorded.
    pub fn agreement(&self, application_id: i64) -> Result<Option<Agreement>> {
        self.tx
            .query_row(
                "SELECT application_id, signed_on, signed_by, recorded_at, who FROM agreements WHERE application_id = ?1",
                [application_id],
                |r| {
                    Ok(Agreement {
                        application_id: r.get(0)?,
                        signed_on: r.get(1)?,
                        signed_by: r.get(2)?,
                        recorded_at: r.get(3)?,
                        who: r.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Record a club draw; its id.
    pub fn record_draw(
        &self,
        club_id: &str,
        seed: Option<u64>,
        admitted: &[i64],
        waiting: &[i64],
        by: &Actor,
    ) -> Result<i64> {
        let method = if seed.is_some() { "lottery" } else { "first" };
        // SQLite keeps 64-bit signed integers: the seed's bits as they are.
        let seed = seed.map(|s| s as i64);
        self.tx
            .execute(
                "INSERT INTO club_draws (club_id, method, seed, admitted, waiting, drawn_at, who) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![club_id, method, seed, ids_text(admitted), ids_text(waiting), now(), by.who],
            )
            .map_err(|e| self.err(e))?;
        let id = self.tx.last_insert_rowid();
        self.audit(
            by,
            "club draw",
            None,
            &format!("draw {id} club {club_id} {method}"),
        )?;
        Ok(id)
    }

    /// Every club draw, newest first.
    pub fn club_draws(&self) -> Result<Vec<ClubDraw>> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT id, club_id, seed, admitted, waiting, drawn_at, who FROM club_draws ORDER BY id DESC",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok(ClubDraw {
                    id: r.get(0)?,
                    club_id: r.get(1)?,
                    seed: r.get::<_, Option<i64>>(2)?.map(|s| s as u64),
                    admitted: ids_of(&r.get::<_, String>(3)?),
                    waiting: ids_of(&r.get::<_, String>(4)?),
                    drawn_at: r.get(5)?,
                    who: r.get(6)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }
}
