//! Studies built on the stages: absence repair, term simulation, what-if
//! comparisons and synthetic schools (`synth`, and `realistic` with its own
//! policy).

pub mod compare;
pub mod edit;
pub mod realistic;
pub mod repair;
pub mod scenario_file;
pub mod simulate;
pub mod synth;
pub mod whatif;
