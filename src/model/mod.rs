//! Plain domain types shared by every stage, with no I/O: units, the
//! validated policy and the school.

pub mod policy;
pub mod school;
pub mod units;
