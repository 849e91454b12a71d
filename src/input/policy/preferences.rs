//! `[preferences]` (weights of the soft wishes) and `[solver]` (limits of
//! the search), both optional with defaults.

use super::ctx::{keys, shown_number, Ctx};
use super::raw;
use crate::error::Said;
use crate::input::toml_source::Seg;
use crate::model::policy::{Preferences, SolverOptions};

/// Defaults when `[solver]` leaves a value out.
const TIME_LIMIT_S: f64 = 60.0;
const MAX_TIME_LIMIT_S: f64 = 86_400.0;
const MAX_NODES: u32 = 500;
const MAX_NODES_LIMIT: i64 = 10_000_000;
const MIP_REL_GAP: f64 = 0.0;
const PREFERENCES_GAP: f64 = 0.01;

pub(super) fn preferences(c: &mut Ctx, pr: Option<&raw::Preferences>) -> Preferences {
    let mut pref = |key: &str, v: Option<i64>, d: i64| -> u32 {
        c.count(keys!["preferences", key], v.unwrap_or(d), 0)
    };
    Preferences {
        own_class: pref("own_class", pr.and_then(|p| p.own_class), 3),
        continuity: pref("continuity", pr.and_then(|p| p.continuity), 2),
        noon_and_afternoon: pref(
            "noon_and_afternoon",
            pr.and_then(|p| p.noon_and_afternoon),
            1,
        ),
        personal_request: pref("personal_request", pr.and_then(|p| p.personal_request), 2),
    }
}

pub(super) fn solver(c: &mut Ctx, so: Option<&raw::Solver>) -> SolverOptions {
    let solver = SolverOptions {
        time_limit_s: so.and_then(|s| s.time_limit_s).unwrap_or(TIME_LIMIT_S),
        max_nodes: so
            .and_then(|s| s.max_nodes)
            .map_or(MAX_NODES, |n| n.clamp(1, MAX_NODES_LIMIT) as u32),
        mip_rel_gap: so.and_then(|s| s.mip_rel_gap).unwrap_or(MIP_REL_GAP),
        preferences_gap: so
            .and_then(|s| s.preferences_gap)
            .unwrap_or(PREFERENCES_GAP),
    };
    // Also keeps the planner's deadline (now + the limit) representable.
    if !(solver.time_limit_s > 0.0 && solver.time_limit_s <= MAX_TIME_LIMIT_S) {
        c.err(
            keys!["solver", "time_limit_s"],
            shown_number(solver.time_limit_s),
            Said::new(
                format!("大于 0、至多 {MAX_TIME_LIMIT_S} 的秒数 (一天)"),
                format!("a number of seconds above 0 and at most {MAX_TIME_LIMIT_S} (a day)"),
            ),
        );
    }
    for (key, v) in [
        ("mip_rel_gap", solver.mip_rel_gap),
        ("preferences_gap", solver.preferences_gap),
    ] {
        if !(0.0..1.0).contains(&v) {
            c.err(
                keys!["solver", key],
                shown_number(v),
                Said::new("0 到 1 之间 (不含 1) 的差距", "a gap from 0 to below 1"),
            );
        }
    }
    solver
}
