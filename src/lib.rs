//! kehou (课后): weekly duty roster and workload ledger for a school's
//! after-school service.
//!
//! Data flows one way: [`policy`] + [`data`] → [`calendar`] → [`demand`]
//! → [`solver`] → roster → [`checker`] → reports ([`export`]).

pub mod calendar;
pub mod checker;
pub mod cli;
pub mod data;
pub mod demand;
pub mod diagnose;
pub mod error;
pub mod export;
pub mod html;
pub mod i18n;
pub mod ledger;
pub mod policy;
pub mod repair;
pub mod report;
pub mod roster;
pub mod rules;
pub mod scenarios;
pub mod simulate;
pub mod solver;
pub mod synth;
pub mod tomlsrc;
pub mod units;

pub use error::{Error, Result};
