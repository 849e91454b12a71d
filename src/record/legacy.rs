//! The `history/` folder earlier kehou versions kept, imported once into
//! the record:
//! ```text
//! history/
//!   weeks/2026-12-07/v1.csv, v2.csv ...   published versions (roster CSV)
//!   events.csv                            absences, swaps, cancellations
//! ```
//! Every file must read: an unreadable folder or file stops the import
//! (nothing is imported), never skipped. Each event is checked as a new one
//! is, against its week's latest version, and the import is refused with
//! every event that fails (its line in events.csv and why).

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::demand::{self, WeekDemand};
use crate::error::{Error, Result, Said};
use crate::ledger::{parse_events, Event};
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::roster::Row;

use super::admit::{admit, event_week};
use super::{Actor, Tx};

/// The meta key set once a history folder has been imported.
const IMPORTED: &str = "history_imported";

/// What an import brought in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub versions: usize,
    pub events: usize,
}

/// Whether `dir` holds an earlier kehou's history.
pub fn present(dir: &Path) -> bool {
    dir.join("weeks").is_dir() || dir.join("events.csv").is_file()
}

/// Whether `dir` holds a history that was not imported because the record
/// already held something when it was first seen.
pub fn left_out(tx: &Tx, dir: &Path) -> Result<bool> {
    Ok(present(dir) && tx.meta(IMPORTED)?.is_none() && !tx.is_empty()?)
}

/// Import `dir` unless the record already holds anything or imported
/// before; None when nothing was done.
pub fn import(
    tx: &Tx,
    dir: &Path,
    policy: &Policy,
    school: &School,
    by: &Actor,
) -> Result<Option<Imported>> {
    if !present(dir) || tx.meta(IMPORTED)?.is_some() || !tx.is_empty()? {
        return Ok(None);
    }
    let mut done = Imported::default();
    for (week, versions) in read_weeks(dir)? {
        for (v, path) in versions {
            let bytes = crate::input::limits::read_input(&path)?;
            crate::roster::parse(&path, &bytes)?;
            // The old numbers are kept, gaps and all.
            tx.insert_version(week, v, &bytes, by)?;
            done.versions += 1;
        }
    }
    done.events = import_events(tx, dir, policy, school, by)?;
    tx.set_meta(IMPORTED, &dir.display().to_string())?;
    tx.audit(
        by,
        "import",
        None,
        &format!(
            "{} ({} versions, {} events)",
            dir.display(),
            done.versions,
            done.events
        ),
    )?;
    Ok(Some(done))
}

/// weeks/<monday>/v<n>.csv, by week and version.
fn read_weeks(dir: &Path) -> Result<BTreeMap<NaiveDate, BTreeMap<u32, PathBuf>>> {
    let weeks = dir.join("weeks");
    let mut out = BTreeMap::new();
    if !weeks.exists() {
        return Ok(out);
    }
    for entry in list(&weeks)? {
        let name = entry
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let week: NaiveDate = name.parse().map_err(|_| {
            bad(
                &entry,
                Said::new(
                    "以周一日期命名的周文件夹, 如 2026-12-07",
                    "a week folder named by its Monday, such as 2026-12-07",
                ),
            )
        })?;
        let mut versions = BTreeMap::new();
        for f in list(&entry)? {
            let fname = f
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let v = fname
                .strip_prefix('v')
                .and_then(|n| n.strip_suffix(".csv"))
                .and_then(|n| n.parse::<u32>().ok())
                .filter(|&n| n >= 1)
                .ok_or_else(|| {
                    bad(
                        &f,
                        Said::new("版本文件, 如 v1.csv", "a version file such as v1.csv"),
                    )
                })?;
            if versions.insert(v, f.clone()).is_some() {
                return Err(bad(
                    &f,
                    Said::new(
                        "每个版本一个文件 (v1.csv 和 v01.csv 是同一个版本)",
                        "one file per version (v1.csv and v01.csv are the same version)",
                    ),
                ));
            }
        }
        if crate::calendar::monday_of(week) != week {
            return Err(bad(
                &entry,
                Said::new(
                    "以周一日期命名的周文件夹",
                    "a week folder named by its Monday",
                ),
            ));
        }
        if out.insert(week, versions).is_some() {
            return Err(bad(
                &entry,
                Said::new(
                    "每周一个文件夹 (2026-12-7 和 2026-12-07 是同一周)",
                    "one folder per week (2026-12-7 and 2026-12-07 are the same week)",
                ),
            ));
        }
    }
    Ok(out)
}

/// The entries of a folder, sorted; an unreadable folder is an error.
fn list(dir: &Path) -> Result<Vec<PathBuf>> {
    let rd = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for e in rd {
        let e = e.map_err(|source| Error::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        out.push(e.path());
    }
    out.sort();
    Ok(out)
}

fn bad(path: &Path, expected: Said) -> Error {
    Error::invalid(crate::error::Diagnostic::new(
        path,
        0,
        Said::new("名称", "name"),
        Said::same(format!("{:?}", path.file_name().unwrap_or_default())),
        expected,
    ))
}

/// events.csv, each event checked in order; all refusals at once.
fn import_events(
    tx: &Tx,
    dir: &Path,
    policy: &Policy,
    school: &School,
    by: &Actor,
) -> Result<usize> {
    let path = dir.join("events.csv");
    if !path.exists() {
        return Ok(0);
    }
    let bytes = crate::input::limits::read_input(&path)?;
    let events = parse_events(&path, &bytes)?;
    let lines = event_lines(&bytes, events.len());
    let mut weeks: BTreeMap<NaiveDate, (u32, WeekDemand, Vec<Row>)> = BTreeMap::new();
    let mut so_far: Vec<Event> = Vec::new();
    let mut why = Vec::new();
    for (e, line) in events.iter().zip(lines) {
        let at = format!("{}:{line}", path.display());
        let Some(week) = event_week(e) else {
            why.push(Said::new(
                format!("{at}: 任务编号不含日期"),
                format!("{at}: the duty id has no date"),
            ));
            continue;
        };
        let (v, dm, rows) = match weeks.entry(week) {
            Entry::Occupied(o) => o.into_mut(),
            Entry::Vacant(slot) => {
                let Some((v, rows)) = crate::ledger::Published::published(tx, week)? else {
                    why.push(Said::new(
                        format!("{at}: {week} 这一周没有已发布的版本"),
                        format!("{at}: week {week} has no published version"),
                    ));
                    continue;
                };
                slot.insert((v, demand::week(policy, school, week), rows))
            }
        };
        match admit(policy, school, dm, rows, &so_far, e) {
            Ok(ev) => {
                tx.insert_event(&ev, week, *v, by)?;
                so_far.push(ev);
            }
            Err(rs) => why.extend(
                rs.into_iter()
                    .map(|r| Said::new(format!("{at}: {}", r.zh), format!("{at}: {}", r.en))),
            ),
        }
    }
    if why.is_empty() {
        Ok(so_far.len())
    } else {
        Err(Error::Refused(why))
    }
}

/// The file line of each event row (after the header), for messages.
fn event_lines(bytes: &[u8], n: usize) -> Vec<usize> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let mut out: Vec<usize> = rdr
        .records()
        .filter_map(|r| r.ok())
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .map(|r| r.position().map_or(0, |p| p.line() as usize))
        .collect();
    out.resize(n, 0);
    out
}
