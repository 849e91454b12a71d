//! The school's own files written back: a table imported or edited in the
//! browser saved as its CSV, the file it replaces kept first.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::input::import::TableKind;
use crate::input::limits::read_input;
use crate::input::school::table_file;
use crate::outputs::files::write_atomic;

/// Save a table as the school's CSV (atomically): the file it replaces
/// (`staff.csv`, or `staff.xlsx` when that was the file) is kept first as
/// `data/.history/staff-<stamp>.csv` (or `.xlsx`), and a workbook it
/// replaces is removed, so that the folder holds one file per table.
/// Returns the backup's path, if there was a file to keep.
pub fn save(dir: &Path, kind: TableKind, bytes: &[u8], stamp: &str) -> Result<Option<PathBuf>> {
    let target = dir.join(kind.file_name());
    let old = table_file(dir, kind.stem())?;
    let mut backup = None;
    if let Some(old) = &old {
        let ext = old
            .extension()
            .map_or("csv".into(), |e| e.to_string_lossy());
        let history = dir.join(".history");
        let mut path = history.join(format!("{}-{stamp}.{ext}", kind.stem()));
        let mut n = 1;
        while path.exists() {
            n += 1;
            path = history.join(format!("{}-{stamp}-{n}.{ext}", kind.stem()));
        }
        let was = read_input(old)?;
        write_atomic(&path, &was)?;
        backup = Some(path);
    }
    write_atomic(&target, bytes)?;
    if let Some(old) = old.filter(|o| *o != target) {
        std::fs::remove_file(&old).map_err(|source| Error::Write { path: old, source })?;
    }
    Ok(backup)
}
