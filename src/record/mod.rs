//! The school's record: one SQLite file beside the policy and the data.
//! It holds every published roster version, what happened to them (events:
//! absence, substitution, swap, cancellation) and an audit trail of who
//! changed what, from which command or page.
//!
//! Every command is one transaction. Writers take the write lock first
//! (`BEGIN IMMEDIATE`) and wait for each other (busy timeout) instead of
//! failing; readers see one consistent snapshot (WAL). An event is checked
//! (`admit`) inside the writing transaction, against the version it is
//! based on, so nothing can slip in between the check and the write.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::error::{Error, Result};
use crate::ledger::history::VersionHistory;
use crate::ledger::{Event, Published};
use crate::roster::{self, Row};

pub mod accounts;
pub mod admit;
pub mod applications;
pub mod comp;
pub mod duty;
pub mod emergency;
pub mod export;
pub mod family;
pub mod family_records;
pub mod legacy;
pub mod policy_versions;
pub mod privacy;
pub mod requests;
mod schema;
pub mod subscriptions;
pub mod surveys;

pub use admit::Refusal;

/// How long a writer waits for another before giving up.
const BUSY_WAIT: Duration = Duration::from_secs(60);

/// The school's record, open.
pub struct Record {
    conn: Connection,
    path: PathBuf,
}

/// Who writes, and from where (a command line, later a page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub who: String,
    pub via: String,
}

impl Actor {
    /// The user running a command: the login name, else the account of
    /// the process's user id, else "unknown".
    pub fn cli(command: &str) -> Actor {
        let who = ["USER", "USERNAME", "LOGNAME"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
            .or_else(account)
            .unwrap_or_else(|| "unknown".into());
        Actor {
            who,
            via: format!("kehou {command}"),
        }
    }
}

/// The account name of this process's real user id (Linux: /proc and
/// /etc/passwd), for a shell without USER set.
fn account() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .to_string();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() > 2 && f[2] == uid).then(|| f[0].to_string())
    })
}

/// What a write expects the week's latest version to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// The week has no published version yet.
    Unpublished,
    /// The week's latest published version is this one.
    Version(u32),
}

/// One published version's facts, for listings and stale-base messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    pub week: NaiveDate,
    pub version: u32,
    pub published_at: String,
    pub who: String,
    pub via: String,
}

impl Record {
    /// Open (creating and migrating if needed) the record at `path`.
    pub fn open(path: &Path) -> Result<Record> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::Write {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|e| db_err(path, e))?;
        let mut rec = Record {
            conn,
            path: path.to_path_buf(),
        };
        rec.setup(true)?;
        Ok(rec)
    }

    /// The record at `path` if the file exists, else an empty one in memory
    /// (for commands that only read: they must not create the file).
    pub fn open_or_empty(path: &Path) -> Result<Record> {
        if path.exists() {
            return Record::open(path);
        }
        let conn = Connection::open_in_memory().map_err(|e| db_err(path, e))?;
        let mut rec = Record {
            conn,
            path: path.to_path_buf(),
        };
        rec.setup(false)?;
        Ok(rec)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Pragmas, then the migrations not yet applied (in one transaction).
    fn setup(&mut self, file: bool) -> Result<()> {
        let path = self.path.clone();
        let e = |x| db_err(&path, x);
        self.conn.busy_timeout(BUSY_WAIT).map_err(e)?;
        if file {
            // WAL: readers never block the writer; FULL: a commit survives
            // a power cut, which pay records need. Asked only when not
            // already so, so that a reader takes no lock here.
            let mode: String = self
                .conn
                .query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .map_err(e)?;
            if !mode.eq_ignore_ascii_case("wal") {
                self.conn
                    .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
                    .map_err(e)?;
            }
            self.conn
                .pragma_update(None, "synchronous", "FULL")
                .map_err(e)?;
        }
        self.conn
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(e)?;
        // An erasure's old text is overwritten in the file, not left in a
        // free page.
        self.conn
            .pragma_update(None, "secure_delete", "ON")
            .map_err(e)?;
        if user_version(&self.conn).map_err(e)? == schema::MIGRATIONS.len() {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(e)?;
        let have = user_version(&tx).map_err(e)?;
        if have > schema::MIGRATIONS.len() {
            return Err(Error::Record {
                path: path.clone(),
                detail: format!(
                    "schema version {have} is newer than this kehou knows ({}); use a newer kehou",
                    schema::MIGRATIONS.len()
                ),
            });
        }
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(have) {
            tx.execute_batch(sql).map_err(e)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(e)?;
        }
        tx.commit().map_err(e)
    }

    /// SQLite's own check of the file: "ok" when whole.
    pub fn integrity(&mut self) -> Result<String> {
        let path = self.path.clone();
        self.conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| db_err(&path, e))
    }

    /// Run `f` in one write transaction (waiting for other writers);
    /// committed only when `f` succeeds.
    pub fn write<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| db_err(&path, e))?;
        let t = Tx { tx, path };
        let out = f(&t)?;
        t.tx.commit().map_err(|e| db_err(&t.path, e))?;
        Ok(out)
    }

    /// Copy every committed page from the write-ahead log into the file
    /// and empty the log (`PRAGMA wal_checkpoint(TRUNCATE)`, waiting for
    /// readers as long as a writer would). Run after an erasure so that its
    /// old text leaves `kehou.db-wal` too, not only the file
    /// (`secure_delete`). False when a reader kept the log from being
    /// emptied in that time (the next checkpoint does it).
    pub fn checkpoint(&mut self) -> Result<bool> {
        let path = self.path.clone();
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
            .map_err(|e| db_err(&path, e))?;
        Ok(busy == 0)
    }

    /// Erase a family's data (`Tx::erase_family`) and, once that is
    /// committed, checkpoint the log so the old text is in neither file.
    pub fn erase_family(&mut self, pupil: i64, today: NaiveDate, by: &Actor) -> Result<()> {
        self.write(|tx| tx.erase_family(pupil, today, by))?;
        self.checkpoint()?;
        Ok(())
    }

    /// Run `f` on one consistent snapshot of the record.
    pub fn read<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(|e| db_err(&path, e))?;
        let t = Tx { tx, path };
        f(&t)
    }
}

/// A transaction on the record: what a command reads and writes.
pub struct Tx<'c> {
    tx: rusqlite::Transaction<'c>,
    path: PathBuf,
}

impl Tx<'_> {
    pub(crate) fn err(&self, e: rusqlite::Error) -> Error {
        db_err(&self.path, e)
    }

    /// Published versions of a week, ascending.
    pub fn versions(&self, week: NaiveDate) -> Result<Vec<u32>> {
        let mut st = self
            .tx
            .prepare_cached("SELECT version FROM versions WHERE week = ?1 ORDER BY version")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([week.to_string()], |r| r.get::<_, u32>(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// The week's latest version number, if published.
    pub fn latest(&self, week: NaiveDate) -> Result<Option<u32>> {
        self.tx
            .query_row(
                "SELECT max(version) FROM versions WHERE week = ?1",
                [week.to_string()],
                |r| r.get::<_, Option<u32>>(0),
            )
            .map_err(|e| self.err(e))
    }

    /// One version's facts.
    pub fn info(&self, week: NaiveDate, version: u32) -> Result<Option<VersionInfo>> {
        self.tx
            .query_row(
                "SELECT published_at, who, via FROM versions WHERE week = ?1 AND version = ?2",
                params![week.to_string(), version],
                |r| {
                    Ok(VersionInfo {
                        week,
                        version,
                        published_at: r.get(0)?,
                        who: r.get(1)?,
                        via: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Every published version, by week then version.
    pub fn all_versions(&self) -> Result<Vec<VersionInfo>> {
        let mut st = self
            .tx
            .prepare(
                "SELECT week, version, published_at, who, via FROM versions ORDER BY week, version",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (w, version, published_at, who, via) = row.map_err(|e| self.err(e))?;
            out.push(VersionInfo {
                week: self.stored_date(&w)?,
                version,
                published_at,
                who,
                via,
            });
        }
        Ok(out)
    }

    /// The roster bytes of one version, as published.
    pub fn roster_bytes(&self, week: NaiveDate, version: u32) -> Result<Option<Vec<u8>>> {
        self.tx
            .query_row(
                "SELECT roster FROM versions WHERE week = ?1 AND version = ?2",
                params![week.to_string(), version],
                |r| r.get::<_, Vec<u8>>(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The rows of one version.
    pub fn rows(&self, week: NaiveDate, version: u32) -> Result<Option<Vec<Row>>> {
        let Some(bytes) = self.roster_bytes(week, version)? else {
            return Ok(None);
        };
        let at = self
            .path
            .join(format!("{week}"))
            .join(format!("v{version}"));
        roster::parse(&at, &bytes).map(Some)
    }

    /// Publish `bytes` as the week's next version, if the week is still as
    /// `base` says; else a `Stale` error naming who published in between.
    pub fn publish(&self, week: NaiveDate, bytes: &[u8], base: Base, by: &Actor) -> Result<u32> {
        let latest = self.latest(week)?;
        self.expect(week, base, latest)?;
        let v = match latest {
            None => 1,
            Some(l) => l.checked_add(1).ok_or_else(|| Error::Record {
                path: self.path.clone(),
                detail: format!("week {week} has reached the last version number"),
            })?,
        };
        self.insert_version(week, v, bytes, by)?;
        Ok(v)
    }

    /// Store version `v` of a week (its number checked by the caller).
    pub(crate) fn insert_version(
        &self,
        week: NaiveDate,
        v: u32,
        bytes: &[u8],
        by: &Actor,
    ) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO versions (week, version, roster, published_at, who, via) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![week.to_string(), v, bytes, now(), by.who, by.via],
            )
            .map_err(|e| self.err(e))?;
        self.audit(by, "publish", Some(week), &format!("v{v}"))
    }

    /// An error unless the week's latest version is what `base` says.
    pub fn expect(&self, week: NaiveDate, base: Base, latest: Option<u32>) -> Result<()> {
        let ok = match base {
            Base::Unpublished => latest.is_none(),
            Base::Version(b) => latest == Some(b),
        };
        if ok {
            return Ok(());
        }
        let newer = match latest {
            Some(l) => self.info(week, l)?,
            None => None,
        };
        Err(Error::Stale {
            week,
            base: match base {
                Base::Unpublished => None,
                Base::Version(b) => Some(b),
            },
            latest: newer.map(|i| crate::error::Published {
                version: i.version,
                at: i.published_at,
                who: i.who,
                via: i.via,
            }),
        })
    }

    /// Every event, in the order recorded.
    pub fn events(&self) -> Result<Vec<Event>> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT kind, date, session, duty_id, staff_id, other_id, note FROM events ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok([
                    r.get::<_, String>(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ])
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let cells = row.map_err(|e| self.err(e))?;
            out.push(self.event_from(cells)?);
        }
        Ok(out)
    }

    /// Every event with when, by whom and on which version it was recorded.
    pub fn event_log(&self) -> Result<Vec<(Event, export::Stamp)>> {
        let mut st = self
            .tx
            .prepare("SELECT id, week, based_on, recorded_at, who, via FROM events ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok(export::Stamp {
                    id: r.get(0)?,
                    week: r.get(1)?,
                    based_on: r.get(2)?,
                    at: r.get(3)?,
                    who: r.get(4)?,
                    via: r.get(5)?,
                })
            })
            .map_err(|e| self.err(e))?;
        let stamps = rows
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        Ok(self.events()?.into_iter().zip(stamps).collect())
    }

    /// A week's history: each version with the events recorded on it
    /// (while it was the latest), in order, each with when.
    pub fn week_history(&self, week: NaiveDate) -> Result<Vec<VersionHistory>> {
        let mut out = Vec::new();
        for v in self.versions(week)? {
            let rows = self.rows(week, v)?.unwrap_or_default();
            let published_at = self
                .info(week, v)?
                .map(|i| i.published_at)
                .unwrap_or_default();
            out.push(VersionHistory {
                version: v,
                published_at,
                rows,
                events: Vec::new(),
            });
        }
        let mut st = self
            .tx
            .prepare(
                "SELECT kind, date, session, duty_id, staff_id, other_id, note, based_on, recorded_at
                 FROM events WHERE week = ?1 ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([week.to_string()], |r| {
                let cells = [
                    r.get::<_, String>(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ];
                Ok((cells, r.get::<_, u32>(7)?, r.get::<_, String>(8)?))
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (cells, based_on, at) = row.map_err(|e| self.err(e))?;
            let e = self.event_from(cells)?;
            if let Some(v) = out.iter_mut().find(|v| v.version == based_on) {
                v.events.push((e, at));
            }
        }
        Ok(out)
    }

    /// Store an event already admitted against version `based_on` of `week`.
    pub(crate) fn insert_event(
        &self,
        e: &Event,
        week: NaiveDate,
        based_on: u32,
        by: &Actor,
    ) -> Result<i64> {
        let [kind, date, session, duty, staff, other, note] = crate::ledger::event_cells(e);
        self.tx
            .execute(
                "INSERT INTO events (kind, week, based_on, date, session, duty_id, staff_id, other_id, note, recorded_at, who, via)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![kind, week.to_string(), based_on, date, session, duty, staff, other, note, now(), by.who, by.via],
            )
            .map_err(|e| self.err(e))?;
        let id = self.tx.last_insert_rowid();
        self.audit(by, &kind, Some(week), &format!("event {id}"))?;
        Ok(id)
    }

    /// One line of the audit trail.
    pub fn audit(
        &self,
        by: &Actor,
        action: &str,
        week: Option<NaiveDate>,
        detail: &str,
    ) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO audit (at, who, via, action, week, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![now(), by.who, by.via, action, week.map(|w| w.to_string()).unwrap_or_default(), detail],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>> {
        self.tx
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    pub(crate) fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
                [key, value],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Whether anything was ever published or recorded.
    pub(crate) fn is_empty(&self) -> Result<bool> {
        self.tx
            .query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM versions) AND NOT EXISTS (SELECT 1 FROM events)",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    fn stored_date(&self, s: &str) -> Result<NaiveDate> {
        s.parse().map_err(|_| Error::Record {
            path: self.path.clone(),
            detail: format!("stored date {s:?} is not a date"),
        })
    }

    /// An event from its stored cells (as `event_cells` wrote them).
    fn event_from(&self, c: [String; 7]) -> Result<Event> {
        let [kind, date, session, duty, staff, other, note] = c;
        let opt = |s: String| Some(s).filter(|s| !s.is_empty());
        Ok(match kind.as_str() {
            "absent" => Event::Absent {
                duty,
                staff,
                substitute: opt(other),
                note,
            },
            "swap" => Event::Swap {
                duty,
                staff,
                with: other,
                note,
            },
            _ => Event::Cancel {
                date: self.stored_date(&date)?,
                session: opt(session),
                note,
            },
        })
    }
}

impl Published for Tx<'_> {
    fn published(&self, week: NaiveDate) -> Result<Option<(u32, Vec<Row>)>> {
        let Some(v) = self.latest(week)? else {
            return Ok(None);
        };
        Ok(self.rows(week, v)?.map(|rows| (v, rows)))
    }

    fn events(&self) -> Result<Vec<Event>> {
        Tx::events(self)
    }

    fn adjustments(&self) -> Result<Vec<crate::ledger::emergency::Adjustment>> {
        Tx::adjustments(self)
    }

    fn pickups(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<crate::ledger::PickedUp>> {
        Ok(self
            .pickups_between(from, to)?
            .into_iter()
            .map(|p| crate::ledger::PickedUp {
                duty_id: p.duty_id,
                staff_id: p.staff_id,
                at: p.at,
            })
            .collect())
    }
}

/// The schema version the file has (migrations applied).
fn user_version(conn: &Connection) -> rusqlite::Result<usize> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(usize::try_from(v).unwrap_or(usize::MAX))
}

/// The local time, to the second, for the audit trail.
pub(crate) fn now() -> String {
    chrono::Local::now()
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

fn db_err(path: &Path, e: rusqlite::Error) -> Error {
    Error::Record {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}
