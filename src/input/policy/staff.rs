//! `[staff_rules]` (load limits, default quotas) and `[[exemptions]]`.

use std::collections::BTreeMap;

use super::ctx::{keys, Ctx};
use super::raw;
use super::sessions::Known;
use crate::error::Said;
use crate::input::toml_source::Seg;
use crate::model::policy::{Exemption, Role, StaffRules};
use crate::model::units::Hm;

/// The `no_end_after` value that means the school's `work_end`.
const WORK_END: &str = "work_end";

pub(super) fn rules(c: &mut Ctx, r: &raw::StaffRules) -> StaffRules {
    let mut default_quota = BTreeMap::new();
    for (role, q) in &r.default_quota {
        match Role::parse(role) {
            Some(ro) => {
                let v = c.centi(
                    keys!["staff_rules", "default_quota", role],
                    *q,
                    ("工作量系数", "a quota"),
                );
                default_quota.insert(ro, v);
            }
            None => c.err(
                keys!["staff_rules", "default_quota", role],
                Said::same(format!("\"{role}\"")),
                Role::names(),
            ),
        }
    }
    let mut limit = |key: &str, v: i64| c.count(keys!["staff_rules", key], v, 1);
    StaffRules {
        max_duties_per_day: limit("max_duties_per_day", r.max_duties_per_day),
        max_minutes_per_day: limit("max_minutes_per_day", r.max_minutes_per_day),
        max_duties_per_week: limit("max_duties_per_week", r.max_duties_per_week),
        max_minutes_per_week: limit("max_minutes_per_week", r.max_minutes_per_week),
        default_quota,
    }
}

pub(super) fn exemptions(
    c: &mut Ctx,
    list: &[raw::Exemption],
    work_end: Hm,
    known: &Known,
) -> Vec<Exemption> {
    c.unique_ids("exemptions", list.iter().map(|e| &e.id));
    let mut out = Vec::new();
    for (i, e) in list.iter().enumerate() {
        let no_end_after = e.no_end_after.as_ref().map(|t| {
            if t == WORK_END {
                work_end
            } else {
                c.time(keys!["exemptions", i, "no_end_after"], t)
            }
        });
        let no_sessions = known.expand(c, keys!["exemptions", i, "no_sessions"], &e.no_sessions);
        out.push(Exemption {
            id: e.id.clone(),
            label: e.label.clone(),
            no_end_after,
            no_until_pickup: e.no_until_pickup,
            // No selector means no session is exempt (not every session).
            no_sessions: if e.no_sessions.is_empty() {
                Vec::new()
            } else {
                no_sessions
            },
        });
    }
    out
}
