//! kehou (课后): weekly duty roster and workload ledger for a school's
//! after-school service.
//!
//! Data flows one way, one module per stage:
//! [`input`] (policy file, school CSV) → [`model`] (plain domain types) →
//! [`calendar`] → [`demand`] (the week's duties) → [`plan`] (the optimal
//! roster, with proofs) → [`roster`] (the roster as a file) → [`check`]
//! (the independent checker) → [`record`] (the school's record in SQLite:
//! published weeks, events checked before they are written, audit) →
//! [`ledger`] (what was served, pay) → [`outputs`] (terminal, CSV, HTML, iCalendar, xlsx).
//! [`lang`] is the user's language, which every stage's messages use;
//! [`rules`] holds the hard rules by name; [`studies`] the repair, term
//! simulation, what-if studies and synthetic schools built on the stages;
//! [`app`] the command line, a thin layer over all of it.

pub mod app;
pub mod calendar;
pub mod check;
pub mod demand;
pub mod duty;
pub mod enrol;
pub mod error;
pub mod input;
pub mod lang;
pub mod ledger;
pub mod model;
pub mod outputs;
pub mod plan;
pub mod record;
pub mod roster;
pub mod rules;
pub mod studies;
pub mod web;

pub use error::{Error, Result};
