//! Children's data (PIPL treats a child under 14's information as
//! sensitive; issue 20, item 6): every staff read of a pupil's record is
//! logged (migration 7), a family's data can be exported, and erased once
//! the child no longer takes part, keeping only what the counts need: the
//! export holds every row naming the child (`record::family_records`),
//! the erasure blanks every text about them (migration 11 lets it).
//!
//! Who may read which pupil is decided where the page is served (the
//! homeroom teacher their class, the duty teacher their group, the
//! administrator everyone); this module records that it happened.

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

use crate::enrol::State;
use crate::error::{Error, Result, Said};

use super::applications::{Application, Pupil};
use super::family_records::ChildRecords;
use super::{now, Actor, Tx};

/// One logged read of a pupil's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Read {
    pub at: String,
    pub who: String,
    pub via: String,
    /// What was shown: `application`, `roll call`, …
    pub what: String,
}

/// Everything the record holds about one child, for the family.
#[derive(Debug, Clone, Serialize)]
pub struct FamilyData {
    pub pupil: PupilData,
    pub applications: Vec<ApplicationData>,
    /// The duty rows, agreements, draws and codes naming the child.
    #[serde(flatten)]
    pub records: ChildRecords,
    /// Who of the staff read the child's record, and when.
    pub reads: Vec<Read>,
}

/// What an erased unwell record's action reads (the row stays, for the
/// counts; migration 11 allows only this change, of an erased pupil).
pub const ERASED_ACTION: &str = "已删除 (erased)";

#[derive(Debug, Clone, Serialize)]
pub struct PupilData {
    pub id: i64,
    pub class: String,
    pub name: String,
    pub guardian: String,
    pub phone: String,
    pub erased: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApplicationData {
    pub id: i64,
    pub applied_at: String,
    pub weekdays: Vec<u32>,
    pub sessions: Vec<String>,
    pub clubs: Vec<String>,
    pub state: String,
}

fn refused(zh: String, en: String) -> Error {
    Error::Refused(vec![Said::new(zh, en)])
}

impl Tx<'_> {
    /// Log that `by` was shown these pupils' records (`what`: which page
    /// or list). One row per pupil, so a family sees each read of theirs.
    pub fn log_reads(&self, by: &Actor, pupils: &[i64], what: &str) -> Result<()> {
        if pupils.is_empty() {
            return Ok(());
        }
        let mut st = self
            .tx
            .prepare_cached(
                "INSERT INTO pupil_reads (pupil_id, at, who, via, what) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .map_err(|e| self.err(e))?;
        let at = now();
        for p in pupils {
            st.execute(params![p, at, by.who, by.via, what])
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// The reads of one pupil's record, oldest first.
    pub fn reads_of(&self, pupil: i64) -> Result<Vec<Read>> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT at, who, via, what FROM pupil_reads WHERE pupil_id = ?1 ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([pupil], |r| {
                Ok(Read {
                    at: r.get(0)?,
                    who: r.get(1)?,
                    via: r.get(2)?,
                    what: r.get(3)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// Everything kept about a child, for the family (the export is
    /// itself a read, and logged).
    pub fn family_data(&self, pupil: i64, by: &Actor) -> Result<FamilyData> {
        let p = self.existing_pupil(pupil)?;
        self.log_reads(by, &[pupil], "family export")?;
        let applications = self
            .applications()?
            .iter()
            .filter(|a| a.pupil_id == pupil)
            .map(ApplicationData::from)
            .collect();
        Ok(FamilyData {
            pupil: PupilData::from(p),
            applications,
            records: self.child_records(pupil)?,
            reads: self.reads_of(pupil)?,
        })
    }

    /// Erase a family's data: the pupil's name and contacts, every note
    /// written on their applications' steps, the name their agreements
    /// were signed by and the action of each unwell record. Refused while
    /// an application still counts or waits for a decision (withdraw it
    /// first); what was chosen, who decided and the duty rows stay, naming
    /// no one, for the counts the reports, the ledger and pay rest on.
    pub fn erase_family(&self, pupil: i64, today: NaiveDate, by: &Actor) -> Result<()> {
        let p = self.existing_pupil(pupil)?;
        if p.erased {
            return Err(refused(
                format!("学生 {pupil} 的信息已删除"),
                format!("pupil {pupil}'s data is already erased"),
            ));
        }
        let open: Vec<i64> = self
            .applications()?
            .into_iter()
            .filter(|a| a.pupil_id == pupil && !is_closed(&a.state, today))
            .map(|a| a.id)
            .collect();
        if let Some(id) = open.first() {
            return Err(refused(
                format!("学生 {pupil} 的申请 {id} 仍在进行或有效: 先办理退出, 批准后再删除"),
                format!("pupil {pupil}'s application {id} is still open or in effect: withdraw it first, and erase once that is approved"),
            ));
        }
        // The pupil first: migration 11's triggers blank only an erased
        // pupil's unwell actions and agreements.
        self.erase_pupil(pupil, by)?;
        let of_pupil = "application_id IN (SELECT id FROM applications WHERE pupil_id = ?1)";
        for sql in [
            format!("UPDATE application_steps SET note = '' WHERE note <> '' AND {of_pupil}"),
            format!("UPDATE agreements SET signed_by = '' WHERE signed_by <> '' AND {of_pupil}"),
        ] {
            self.tx.execute(&sql, [pupil]).map_err(|e| self.err(e))?;
        }
        self.tx
            .execute(
                "UPDATE unwell SET action = ?2 WHERE action <> ?2 AND pupil_id = ?1",
                params![pupil, ERASED_ACTION],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    fn existing_pupil(&self, pupil: i64) -> Result<Pupil> {
        self.pupil(pupil)?.ok_or_else(|| {
            refused(
                format!("没有学生 {pupil}"),
                format!("there is no pupil {pupil}"),
            )
        })
    }
}

/// An application that waits for nothing and no longer counts on `today`.
fn is_closed(s: &State, today: NaiveDate) -> bool {
    match s {
        State::Refused | State::Cancelled => true,
        State::Withdrawn { until, .. } => *until <= today,
        _ => false,
    }
}

fn state_key(s: &State) -> &'static str {
    match s {
        State::Applied => "applied",
        State::Reviewed => "reviewed",
        State::Refused => "refused",
        State::Cancelled => "cancelled",
        State::Approved { .. } => "approved",
        State::Withdrawing { .. } => "withdrawing",
        State::Withdrawn { .. } => "withdrawn",
    }
}

impl From<Pupil> for PupilData {
    fn from(p: Pupil) -> PupilData {
        PupilData {
            id: p.id,
            class: p.class_id,
            name: p.name,
            guardian: p.guardian,
            phone: p.phone,
            erased: p.erased,
        }
    }
}

impl From<&Application> for ApplicationData {
    fn from(a: &Application) -> ApplicationData {
        ApplicationData {
            id: a.id,
            applied_at: a.applied_at.clone(),
            weekdays: a
                .choice
                .weekdays
                .iter()
                .map(|w| w.number_from_monday())
                .collect(),
            sessions: a.choice.sessions.clone(),
            clubs: a.choice.clubs.clone(),
            state: state_key(&a.state).into(),
        }
    }
}

/// The export as the family downloads it: indented JSON, UTF-8.
pub fn family_json(d: &FamilyData) -> Vec<u8> {
    // Serialising plain strings and numbers cannot fail.
    serde_json::to_vec_pretty(d).unwrap_or_default()
}
