//! The workload ledger: what was actually served (the published rosters
//! with absences, substitutions, swaps and cancellations applied) and pay
//! computed exactly in fen. The published rosters and events come from the
//! school's record (the `record` module), through [`Published`].

use chrono::NaiveDate;

use crate::error::Result;
use crate::roster::Row;

mod events;
pub mod history;
mod pay;
mod served;

pub use events::Event;
pub(crate) use events::{cells as event_cells, event_headers, parse_events};
pub(crate) use pay::headers as workload_headers;
pub use pay::{
    totals, workload, workload_csv, workload_table, workload_xlsx, Amounts, WorkloadRow,
};
pub use served::{add_term_load, served, served_load, served_week, Served};
pub(crate) use served::{cancelled, servers};

/// Where the published weeks and their events are read from.
pub trait Published {
    /// The latest published version of a week and its rows, if any.
    fn published(&self, monday: NaiveDate) -> Result<Option<(u32, Vec<Row>)>>;
    /// Every event, in the order recorded.
    fn events(&self) -> Result<Vec<Event>>;
}
