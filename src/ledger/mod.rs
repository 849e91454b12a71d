//! The workload ledger: what was actually served (the published rosters
//! with absences, substitutions, swaps and cancellations applied) and pay
//! computed exactly in fen. The published rosters and events come from the
//! school's record (the `record` module), through [`Published`].

use chrono::NaiveDate;

use crate::error::Result;
use crate::roster::Row;

pub mod appraisal;
pub mod comp;
mod cut;
pub mod effect;
pub mod emergency;
pub mod emergency_notice;
mod events;
pub mod history;
mod pay;
pub mod period;
mod served;
mod sheet;
mod workbook;

pub(crate) use cut::cancelled;
pub use effect::{pay_effect, PayEffect, PersonEffect, WeekEffect};
pub use emergency::session_named;
pub use events::Event;
pub(crate) use events::{cells as event_cells, event_headers, parse_events};
pub(crate) use pay::div_round;
pub use pay::{totals, workload, Amounts, WorkloadRow};
pub use period::{Period, PeriodError};
pub(crate) use served::servers;
pub use served::{actual_ends, add_term_load, served, served_load, served_week, Changes, Served};
pub use sheet::{sheet, workload_csv, workload_table, Category, Line, Sheet, Value, COLUMNS};
pub use workbook::{workload_xlsx, Heading};

/// Where the published weeks and their events are read from.
pub trait Published {
    /// The latest published version of a week and its rows, if any.
    fn published(&self, monday: NaiveDate) -> Result<Option<(u32, Vec<Row>)>>;
    /// Every event, in the order recorded.
    fn events(&self) -> Result<Vec<Event>>;
    /// Every early end of a session (`emergency`), in the order recorded.
    fn adjustments(&self) -> Result<Vec<emergency::Adjustment>> {
        Ok(Vec::new())
    }

    /// The pickups recorded during duties from `from` to `to` (none for a
    /// source that keeps no duty records).
    fn pickups(&self, _from: NaiveDate, _to: NaiveDate) -> Result<Vec<PickedUp>> {
        Ok(Vec::new())
    }
}

/// One recorded pickup, as the ledger sees it: which duty, who recorded
/// it, when (no pupil).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickedUp {
    pub duty_id: String,
    pub staff_id: String,
    pub at: chrono::NaiveDateTime,
}
