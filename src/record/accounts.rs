//! The web app's accounts and sessions, kept in the record's file (schema
//! migration 2). Passwords arrive here already hashed (argon2, by the web
//! layer); sessions are stored by the hash of their token. Creating an
//! account and changing a password are written to the audit trail.

use rusqlite::{params, OptionalExtension};

use crate::error::Result;

use super::{now, Actor, Tx};

/// What an account may do (the web app checks it on every route).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// The vice-principal or administrator: everything.
    Admin,
    /// Workload and pay; rosters read-only.
    Finance,
    /// School leadership: reads rosters and workload.
    Leadership,
    /// A teacher: their own duties only.
    Teacher,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Finance, Role::Leadership, Role::Teacher];

    /// The name stored in the record.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Finance => "finance",
            Role::Leadership => "leadership",
            Role::Teacher => "teacher",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// One account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// The argon2 hash (PHC string).
    pub password_hash: String,
    /// The password was given by someone else (first start, or an
    /// administrator): it must be changed before anything else.
    pub must_change: bool,
    /// A teacher's staff id (工号) in the school's staff list.
    pub staff_id: Option<String>,
    pub created_at: String,
}

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub login: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub must_change: bool,
    pub staff_id: Option<&'a str>,
}

/// A live session: its account and its CSRF token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub expires_at: i64,
}

const USER_COLUMNS: &str =
    "id, login, display_name, role, password_hash, must_change, staff_id, created_at";

fn user_from(r: &rusqlite::Row) -> rusqlite::Result<User> {
    let role: String = r.get(3)?;
    Ok(User {
        id: r.get(0)?,
        login: r.get(1)?,
        display_name: r.get(2)?,
        // The schema's CHECK keeps the column to the four names.
        role: Role::parse(&role).unwrap_or(Role::Teacher),
        password_hash: r.get(4)?,
        must_change: r.get(5)?,
        staff_id: r.get(6)?,
        created_at: r.get(7)?,
    })
}

impl Tx<'_> {
    /// How many accounts exist.
    pub fn user_count(&self) -> Result<i64> {
        self.tx
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Create an account; its id. A login already taken is an error.
    pub fn create_user(&self, u: &NewUser, by: &Actor) -> Result<i64> {
        self.tx
            .execute(
                "INSERT INTO users (login, display_name, role, password_hash, must_change, staff_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![u.login, u.display_name, u.role.as_str(), u.password_hash, u.must_change, u.staff_id, now()],
            )
            .map_err(|e| self.err(e))?;
        let id = self.tx.last_insert_rowid();
        let detail = format!("{} ({})", u.login, u.role.as_str());
        self.audit(by, "create account", None, &detail)?;
        Ok(id)
    }

    pub fn user_by_login(&self, login: &str) -> Result<Option<User>> {
        self.tx
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE login = ?1"),
                [login],
                user_from,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Every account, by login.
    pub fn users(&self) -> Result<Vec<User>> {
        let mut st = self
            .tx
            .prepare(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY login"))
            .map_err(|e| self.err(e))?;
        let rows = st.query_map([], user_from).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// A new password hash for an account; its other sessions end.
    pub fn set_password(
        &self,
        user: i64,
        hash: &str,
        must_change: bool,
        keep_session: &str,
        by: &Actor,
    ) -> Result<()> {
        self.tx
            .execute(
                "UPDATE users SET password_hash = ?1, must_change = ?2 WHERE id = ?3",
                params![hash, must_change, user],
            )
            .map_err(|e| self.err(e))?;
        self.tx
            .execute(
                "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2",
                params![user, keep_session],
            )
            .map_err(|e| self.err(e))?;
        self.audit(by, "change password", None, &format!("account {user}"))
    }

    /// Store a session (by its token's hash) until `expires_at` (unix seconds).
    pub fn insert_session(
        &self,
        token_hash: &str,
        user: i64,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![token_hash, user, csrf, now(), expires_at],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The session with this token hash, unless it expired before `at`.
    pub fn session(&self, token_hash: &str, at: i64) -> Result<Option<Session>> {
        let cols = USER_COLUMNS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.tx
            .query_row(
                &format!(
                    "SELECT {cols}, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
                     WHERE s.token_hash = ?1 AND s.expires_at > ?2"
                ),
                params![token_hash, at],
                |r| {
                    Ok(Session {
                        user: user_from(r)?,
                        csrf: r.get(8)?,
                        expires_at: r.get(9)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// End a session, and forget every session expired before `at`.
    pub fn end_session(&self, token_hash: &str, at: i64) -> Result<()> {
        self.tx
            .execute(
                "DELETE FROM sessions WHERE token_hash = ?1 OR expires_at <= ?2",
                params![token_hash, at],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }
}
