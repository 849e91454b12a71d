//! Pin: an assignment locked by the user (the repair's pins file: a duty id
//! and a staff id per row) is kept by planning and repair.
//!
//! Planner: a roster-wide rule with no per-person predicate. A pin that
//! breaks another hard rule is refused before planning
//! (`studies::repair::check_pins`, which reports the first failing
//! rule from `plan::ineligible`); the model fixes each pin's variable
//! to 1 and the greedy start prefers pinned seats (`Rule::Pin` in
//! `src/plan/mod.rs`).
//!
//! Checker: none. A roster file carries no pins, so the independent checker
//! sees every row alike; a pinned row is checked against the other rules.
