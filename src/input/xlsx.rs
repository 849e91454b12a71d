//! A workbook where a CSV file is expected (an `.xlsx` saved under a
//! `.csv` name, or given as it is): its first sheet, as the CSV text the
//! table reader reads, each sheet row on its own line so that messages
//! name the row Excel shows.

use std::io::Cursor;

use calamine::{Data, Reader};

/// Whether the bytes are a workbook: a zip (`.xlsx`, starting `PK`) or an
/// OLE compound file (`.xls`), not text.
pub(crate) fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// A workbook's first sheet: its used range, read once.
pub(crate) struct Sheet(calamine::Range<Data>);

impl Sheet {
    /// The first sheet of the workbook's bytes; Err: why it cannot be read.
    pub(crate) fn first(bytes: &[u8]) -> Result<Sheet, String> {
        let mut book =
            calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        match book.worksheet_range_at(0) {
            Some(r) => Ok(Sheet(r.map_err(|e| e.to_string())?)),
            None => Err("no sheet".to_string()),
        }
    }

    /// Rows from the first used one to the last, blank ones between
    /// them included (the work a reader of the sheet will do).
    pub(crate) fn height(&self) -> usize {
        self.0.height()
    }

    /// Each row of the used range with its number as Excel and WPS show
    /// it (1-based: the rows above the used range are counted), its
    /// cells as text from column A.
    pub(crate) fn rows(&self) -> impl Iterator<Item = (usize, Vec<String>)> + '_ {
        let (first_row, first_col) = self.0.start().unwrap_or((0, 0));
        self.0.rows().enumerate().map(move |(i, row)| {
            let lead = std::iter::repeat_n(String::new(), first_col as usize);
            let cells = lead.chain(row.iter().map(cell_text)).collect();
            (first_row as usize + i + 1, cells)
        })
    }
}

/// The first sheet as comma-separated text; Err: why it cannot be read.
pub(crate) fn first_sheet_csv(bytes: &[u8]) -> Result<String, String> {
    let sheet = Sheet::first(bytes)?;
    let mut out = csv::WriterBuilder::new().from_writer(Vec::new());
    let first_row = sheet.0.start().map_or(0, |(r, _)| r);
    // Rows above the used range: blank lines keep the row numbers.
    let mut text = "\n".repeat(first_row as usize);
    for (_, cells) in sheet.rows() {
        out.write_record(&cells).map_err(|e| e.to_string())?;
    }
    let body = out.into_inner().map_err(|e| e.to_string())?;
    text.push_str(&String::from_utf8(body).map_err(|e| e.to_string())?);
    Ok(text)
}

/// A cell as the school sees it in Excel: whole numbers without `.0`,
/// dates as `2026-12-07`, times as `16:30`.
fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(dt) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            let whole_day = dt.as_f64().fract() == 0.0;
            if dt.as_f64() < 1.0 {
                format!("{h:02}:{mi:02}")
            } else if whole_day {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        Data::Error(e) => format!("#{e:?}"),
    }
}
