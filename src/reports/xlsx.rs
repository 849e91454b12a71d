//! The reports' tables as workbooks (`.xlsx`, beside the CSV): one sheet,
//! the headers in bold on its first row (kept in view when scrolling),
//! counts as numbers, text as text (written as a string, so a cell
//! starting with `=` is never a formula), each column as wide as its
//! widest cell.

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use unicode_width::UnicodeWidthStr;

use crate::error::{Error, Result};
use crate::outputs::files::Cell;

use super::csv::Table;

impl Table {
    /// The table as a workbook of one sheet named `sheet`.
    pub fn to_xlsx(&self, sheet: &str) -> Result<Vec<u8>> {
        write(self, sheet).map_err(|e| Error::Solver(format!("xlsx: {e}")))
    }
}

fn write(t: &Table, sheet: &str) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    let mut widths: Vec<usize> = t.headers.iter().map(|h| h.width()).collect();
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            let shown = match cell {
                Cell::Text(s) => {
                    ws.write_string(r, col, s)?;
                    s
                }
                Cell::Num(n) => {
                    match n.parse::<f64>() {
                        Ok(x) => ws.write_number(r, col, x)?,
                        Err(_) => ws.write_string(r, col, n)?,
                    };
                    n
                }
            };
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(shown.width());
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (w + 2).max(6) as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}
