//! The workload ledger: published rosters (versioned, never overwritten),
//! what was actually served (absences, substitutions, cancellations), and
//! pay computed exactly in fen.
//!
//! Layout of a history folder:
//! ```text
//! history/
//!   weeks/2026-12-07/v1.csv, v2.csv ...   published versions (roster CSV)
//!   events.csv                            absences, substitutions, cancellations
//!   .lock                                 held while a command writes
//! ```

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::outputs::files::write_atomic;
use crate::roster::{self, Row};

mod events;
mod pay;
mod served;

pub use events::Event;
use events::{events_csv, parse_events};
pub use pay::{totals, workload, workload_csv, workload_xlsx, Amounts, WorkloadRow};
pub use served::{add_term_load, served, served_load, served_week, Served};

/// A school's history folder.
pub struct History {
    pub dir: PathBuf,
}

/// Held while writing the history; a second run gets a clear error.
pub struct Lock {
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl History {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        History { dir: dir.into() }
    }

    pub fn lock(&self) -> Result<Lock> {
        let path = self.dir.join(".lock");
        std::fs::create_dir_all(&self.dir).map_err(|source| Error::Write {
            path: self.dir.clone(),
            source,
        })?;
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(_) => Ok(Lock { path }),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::Usage(format!(
                "{} exists: another kehou run is writing this history (delete the file if no run is active) / 另一个进程正在写入排班历史",
                path.display()
            ))),
            Err(source) => Err(Error::Write { path, source }),
        }
    }

    fn week_dir(&self, monday: NaiveDate) -> PathBuf {
        self.dir.join("weeks").join(monday.to_string())
    }

    /// Published versions of a week, ascending.
    pub fn versions(&self, monday: NaiveDate) -> Vec<u32> {
        let mut v: Vec<u32> = std::fs::read_dir(self.week_dir(monday))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter_map(|e| {
                        e.file_name()
                            .to_str()
                            .and_then(|n| n.strip_prefix('v'))
                            .and_then(|n| n.strip_suffix(".csv"))
                            .and_then(|n| n.parse().ok())
                    })
                    .collect()
            })
            .unwrap_or_default();
        v.sort_unstable();
        v
    }

    pub fn version_path(&self, monday: NaiveDate, v: u32) -> PathBuf {
        self.week_dir(monday).join(format!("v{v}.csv"))
    }

    /// Publish roster bytes as the week's next version. An already published
    /// week needs `replace`; the earlier versions are kept.
    pub fn publish(&self, monday: NaiveDate, bytes: &[u8], replace: bool) -> Result<u32> {
        let _lock = self.lock()?;
        let versions = self.versions(monday);
        if let Some(&last) = versions.last() {
            if !replace {
                return Err(Error::Usage(format!(
                    "week {monday} is already published (v{last}); publish again with --replace to make v{} (v{last} is kept) / 本周已发布,如需更新请加 --replace",
                    last + 1
                )));
            }
        }
        let v = versions.last().map_or(1, |l| l + 1);
        write_atomic(&self.version_path(monday, v), bytes)?;
        Ok(v)
    }

    /// The latest published rows of a week, if any.
    pub fn published(&self, monday: NaiveDate) -> Result<Option<(u32, Vec<Row>)>> {
        match self.versions(monday).last() {
            Some(&v) => Ok(Some((v, roster::read(&self.version_path(monday, v))?))),
            None => Ok(None),
        }
    }

    pub fn events_path(&self) -> PathBuf {
        self.dir.join("events.csv")
    }

    pub fn events(&self) -> Result<Vec<Event>> {
        let path = self.events_path();
        match crate::input::limits::read_input(&path) {
            Ok(b) => parse_events(&path, &b),
            Err(Error::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                Ok(Vec::new())
            }
            Err(e) => Err(e),
        }
    }

    /// Append an event (the file is rewritten atomically).
    pub fn record(&self, e: &Event) -> Result<()> {
        let _lock = self.lock()?;
        let mut all = self.events()?;
        all.push(e.clone());
        write_atomic(&self.events_path(), &events_csv(&all))
    }
}
