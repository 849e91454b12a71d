//! Writers at the edge: atomic file writes, Excel-friendly CSV.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Write a file atomically: a temporary file beside it, then rename, so a
/// reader never sees a partial file and a failed run leaves nothing behind.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let werr = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(werr)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(werr)?;
    tmp.write_all(bytes).map_err(werr)?;
    tmp.as_file().sync_all().map_err(werr)?;
    tmp.persist(path).map_err(|e| werr(e.error))?;
    Ok(())
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
}
