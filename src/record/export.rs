//! The record as CSV, for anyone who wants to read it in Excel: any
//! published version as it was published (`Tx::roster_bytes`), and every
//! event with who recorded it, when, and on which version.

use crate::ledger::{event_cells, event_headers, Event};
use crate::outputs::files::{Cell, CsvOut};

/// When, by whom and against which version an event was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub id: i64,
    pub week: String,
    pub based_on: u32,
    pub at: String,
    pub who: String,
    pub via: String,
}

/// The record's own columns, after the events file's.
const STAMP_COLUMNS: [&str; 6] = [
    "record_id",
    "week",
    "based_on",
    "recorded_at",
    "recorded_by",
    "via",
];

/// Every event with its stamp: the events file's columns first, then the
/// record's.
pub fn events_log_csv(log: &[(Event, Stamp)]) -> Vec<u8> {
    let mut head = event_headers();
    head.extend(STAMP_COLUMNS);
    let mut out = CsvOut::new(&head);
    for (e, st) in log {
        let mut row: Vec<Cell> = event_cells(e).into_iter().map(Cell::Text).collect();
        row.push(Cell::Num(st.id.to_string()));
        row.push(Cell::Text(st.week.clone()));
        row.push(Cell::Num(st.based_on.to_string()));
        row.push(Cell::Text(st.at.clone()));
        row.push(Cell::Text(st.who.clone()));
        row.push(Cell::Text(st.via.clone()));
        out.row(row);
    }
    out.into_bytes()
}
