//! Every policy saved from the web app, kept as it was saved: the text,
//! who saved it and when, their note, and whether they confirmed a change
//! to the pay of published weeks. A restore is a new save of an earlier
//! text (it names the version it came from). Rows are never updated or
//! deleted (the triggers of migration 6 refuse it).

use rusqlite::{params, OptionalExtension};

use crate::error::Result;

use super::{now, Actor, Tx};

/// One saved policy version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyVersion {
    pub id: i64,
    pub saved_at: String,
    pub who: String,
    pub via: String,
    pub note: String,
    /// The version this one restored, if it was a restore.
    pub restored_from: Option<i64>,
    /// Saved with the confirmation that published weeks' pay changes.
    pub pay_confirmed: bool,
    /// The text (empty in a listing).
    pub text: String,
}

/// What a save records besides the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaveNote {
    pub note: String,
    pub restored_from: Option<i64>,
    pub pay_confirmed: bool,
}

const COLUMNS: &str = "id, saved_at, who, via, note, restored_from, pay_confirmed";

fn version(r: &rusqlite::Row, text: String) -> rusqlite::Result<PolicyVersion> {
    Ok(PolicyVersion {
        id: r.get(0)?,
        saved_at: r.get(1)?,
        who: r.get(2)?,
        via: r.get(3)?,
        note: r.get(4)?,
        restored_from: r.get(5)?,
        pay_confirmed: r.get::<_, i64>(6)? != 0,
        text,
    })
}

impl Tx<'_> {
    /// Keep `text` as the newest policy version; its id. The first save
    /// first keeps `before` (the file as it was) so it can be restored.
    pub fn save_policy(&self, before: &str, text: &str, n: &SaveNote, by: &Actor) -> Result<i64> {
        if self.policy_versions()?.is_empty() {
            let first = SaveNote {
                note:
                    "网页首次保存前的政策文件 (the policy file before the first save from the web)"
                        .into(),
                ..SaveNote::default()
            };
            self.insert_policy(before, &first, by)?;
        }
        let id = self.insert_policy(text, n, by)?;
        let what = match n.restored_from {
            Some(r) => format!("policy version {id} (restores {r})"),
            None => format!("policy version {id}"),
        };
        self.audit(by, "policy", None, &what)?;
        Ok(id)
    }

    fn insert_policy(&self, text: &str, n: &SaveNote, by: &Actor) -> Result<i64> {
        self.tx
            .execute(
                "INSERT INTO policy_versions (text, saved_at, who, via, note, restored_from, pay_confirmed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![text, now(), by.who, by.via, n.note, n.restored_from, i64::from(n.pay_confirmed)],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Every saved version, newest first, without their texts.
    pub fn policy_versions(&self) -> Result<Vec<PolicyVersion>> {
        let sql = format!("SELECT {COLUMNS} FROM policy_versions ORDER BY id DESC");
        let mut st = self.tx.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| version(r, String::new()))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// One version with its text.
    pub fn policy_version(&self, id: i64) -> Result<Option<PolicyVersion>> {
        let sql = format!("SELECT {COLUMNS}, text FROM policy_versions WHERE id = ?1");
        self.tx
            .query_row(&sql, [id], |r| version(r, r.get(7)?))
            .optional()
            .map_err(|e| self.err(e))
    }
}

/// Keep `text` as a new version and write it to `file` (atomically: a
/// reader sees the old file or the new one). The file is replaced inside
/// the record's transaction, so a failed write keeps no version.
pub fn save_and_write(
    rec: &mut super::Record,
    file: &std::path::Path,
    before: &str,
    text: &str,
    n: &SaveNote,
    by: &Actor,
) -> Result<i64> {
    rec.write(|tx| {
        let id = tx.save_policy(before, text, n, by)?;
        crate::outputs::files::write_atomic(file, text.as_bytes())?;
        Ok(id)
    })
}
