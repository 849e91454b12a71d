//! Reading what the school gives: text in any encoding Excel or WPS saves,
//! TOML with positions, CSV tables, the policy file and the school's CSV files.

pub(crate) mod cells;
pub mod import;
pub mod limits;
pub mod policy;
pub mod school;
pub mod table;
pub mod text;
pub mod toml_source;
pub(crate) mod toml_zh;
pub(crate) mod xlsx;
