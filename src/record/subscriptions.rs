//! Calendar subscriptions and secrets, kept in the record (schema
//! migration 4).
//!
//! A person's calendar feed (`/cal/{token}.ics`) needs no login, so the
//! token is the key: 32 random bytes, made by the web layer. The record
//! keeps the token (its owner sees the URL again on their duties page) and
//! its BLAKE2b-256 hash; a feed request is looked up by the hash, so the
//! time a lookup takes says nothing about how much of a guess was right.
//! A new token revokes the person's old one by a row in
//! `calendar_revocations`; nothing is updated or deleted.
//!
//! A secret (the group robot's webhook URL) is set, replaced or cleared;
//! the audit trail says that it changed, never its value.

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use rusqlite::{params, OptionalExtension};

use crate::error::Result;

use super::{now, Actor, Tx};

/// What the record keeps to find a token: its BLAKE2b-256 hash, in hex.
fn hash(token: &str) -> String {
    Blake2b::<U32>::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A person's live calendar token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarToken {
    pub token: String,
    pub created_at: String,
    pub who: String,
}

impl Tx<'_> {
    /// Make `token` the calendar token of `staff_id`: their earlier one
    /// stops working.
    pub fn new_calendar_token(&self, staff_id: &str, token: &str, by: &Actor) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO calendar_revocations (token_id, revoked_at, who)
                 SELECT t.id, ?2, ?3 FROM calendar_tokens t
                 WHERE t.staff_id = ?1 AND t.id NOT IN (SELECT token_id FROM calendar_revocations)",
                params![staff_id, now(), by.who],
            )
            .map_err(|e| self.err(e))?;
        self.tx
            .execute(
                "INSERT INTO calendar_tokens (staff_id, token, token_hash, created_at, who) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![staff_id, token, hash(token), now(), by.who],
            )
            .map_err(|e| self.err(e))?;
        self.audit(by, "calendar token", None, staff_id)
    }

    /// The live calendar token of `staff_id`, if any.
    pub fn calendar_token(&self, staff_id: &str) -> Result<Option<CalendarToken>> {
        self.tx
            .query_row(
                "SELECT token, created_at, who FROM calendar_tokens
                 WHERE staff_id = ?1 AND id NOT IN (SELECT token_id FROM calendar_revocations)
                 ORDER BY id DESC LIMIT 1",
                [staff_id],
                |r| {
                    Ok(CalendarToken {
                        token: r.get(0)?,
                        created_at: r.get(1)?,
                        who: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Whose live token `token` is (None: unknown or revoked).
    pub fn calendar_owner(&self, token: &str) -> Result<Option<String>> {
        self.tx
            .query_row(
                "SELECT staff_id FROM calendar_tokens
                 WHERE token_hash = ?1 AND id NOT IN (SELECT token_id FROM calendar_revocations)",
                [hash(token)],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// A secret's value, if set.
    pub fn secret(&self, name: &str) -> Result<Option<String>> {
        self.tx
            .query_row("SELECT value FROM secrets WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Set (`Some`) or clear (`None`) a secret; audited without its value.
    pub fn set_secret(&self, name: &str, value: Option<&str>, by: &Actor) -> Result<()> {
        let r = match value {
            Some(v) => self.tx.execute(
                "INSERT INTO secrets (name, value, set_at, who) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO UPDATE SET value = ?2, set_at = ?3, who = ?4",
                params![name, v, now(), by.who],
            ),
            None => self
                .tx
                .execute("DELETE FROM secrets WHERE name = ?1", [name]),
        };
        r.map_err(|e| self.err(e))?;
        let action = if value.is_some() {
            "set secret"
        } else {
            "clear secret"
        };
        self.audit(by, action, None, name)
    }
}
