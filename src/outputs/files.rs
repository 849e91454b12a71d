//! Writers at the edge: outputs replaced atomically, one file or a whole
//! set at a time; file names made safe from ids and labels; Excel-friendly
//! CSV.
//!
//! Every output goes through an [`OutputSet`] (a single file through
//! [`write_atomic`]): each file's bytes are written to a temporary file
//! beside its target first (`.kehou-tmp-…`, created with mode 0666 so the
//! umask decides its permissions), and only when all of them are written
//! are they renamed into place. A failure before the renames leaves the old
//! files untouched; a failure during them puts the old files back.

mod names;
mod set;

pub use names::safe_name;
pub use set::{sweep, OutputSet, STALE_AFTER, TMP_PREFIX};

use std::path::Path;

use crate::error::Result;

/// Replace one file atomically: a reader sees the old file or the new one,
/// never a part; a failed run leaves the old file as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut set = OutputSet::new();
    set.add(path, bytes);
    set.commit()
}

/// Neutralise spreadsheet formula injection: a cell starting with = + - @
/// (or tab/CR) gets a leading apostrophe, which Excel and WPS show as text.
pub fn safe_cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// Build CSV bytes with a UTF-8 BOM (Excel shows Chinese correctly), every
/// text cell made safe. Numbers are passed through `num` cells untouched.
pub struct CsvOut {
    w: csv::Writer<Vec<u8>>,
}

pub enum Cell {
    Text(String),
    Num(String),
}

impl CsvOut {
    pub fn new(headers: &[&str]) -> Self {
        let mut w = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
        let _ = w.write_record(headers.iter().map(|h| safe_cell(h)));
        CsvOut { w }
    }
    pub fn row(&mut self, cells: Vec<Cell>) {
        let rec: Vec<String> = cells
            .into_iter()
            .map(|c| match c {
                Cell::Text(s) => safe_cell(&s),
                Cell::Num(s) => s,
            })
            .collect();
        // Writing to a Vec cannot fail.
        let _ = self.w.write_record(&rec);
    }
    pub fn into_bytes(self) -> Vec<u8> {
        self.w.into_inner().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(safe_cell("=1+1"), "'=1+1");
        assert_eq!(safe_cell("+86"), "'+86");
        assert_eq!(safe_cell("-2"), "'-2");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("王静"), "王静");
    }

    #[test]
    fn csv_starts_with_bom() {
        let mut c = CsvOut::new(&["姓名"]);
        c.row(vec![Cell::Text("=cmd".into())]);
        let b = c.into_bytes();
        assert!(b.starts_with(b"\xEF\xBB\xBF"));
        assert!(String::from_utf8_lossy(&b).contains("'=cmd"));
    }

    #[test]
    fn write_atomic_replaces_a_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub").join("a.csv");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.csv")]);
    }
}
