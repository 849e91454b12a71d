//! `[[service_blackouts]]` (no service for anyone) and `[[staff_blackouts]]`
//! (a group of staff is not on duty).

use super::ctx::{keys, Ctx};
use super::raw;
use super::sessions::Known;
use crate::error::Said;
use crate::input::toml_source::Seg;
use crate::model::policy::{ServiceBlackout, StaffBlackout};

pub(super) fn service(c: &mut Ctx, list: &[raw::Blackout], known: &Known) -> Vec<ServiceBlackout> {
    let mut out = Vec::new();
    for (i, b) in list.iter().enumerate() {
        if !b.subjects.is_empty() || !b.roles.is_empty() {
            c.err(
                keys!["service_blackouts", i],
                Said::new("`subjects` 或 `roles`", "`subjects` or `roles`"),
                Said::new(
                    "停止服务对所有人适用; 只对部分教职工适用的请写在 `[[staff_blackouts]]` 中",
                    "a service blackout applies to everyone; use `[[staff_blackouts]]` for a group of staff",
                ),
            );
        }
        let weekdays = c.weekdays(keys!["service_blackouts", i, "weekdays"], &b.weekdays);
        let sessions = known.expand(c, keys!["service_blackouts", i, "sessions"], &b.sessions);
        out.push(ServiceBlackout {
            weekdays,
            sessions,
            reason: b.reason.clone(),
        });
    }
    out
}

pub(super) fn staff(c: &mut Ctx, list: &[raw::Blackout], known: &Known) -> Vec<StaffBlackout> {
    let mut out = Vec::new();
    for (i, b) in list.iter().enumerate() {
        let weekdays = c.weekdays(keys!["staff_blackouts", i, "weekdays"], &b.weekdays);
        let sessions = known.expand(c, keys!["staff_blackouts", i, "sessions"], &b.sessions);
        let roles = c.roles(keys!["staff_blackouts", i, "roles"], &b.roles);
        if b.subjects.is_empty() && roles.is_empty() {
            c.err(
                keys!["staff_blackouts", i],
                Said::new(
                    "没有 `subjects` 也没有 `roles`",
                    "no `subjects` and no `roles`",
                ),
                Said::new("它适用的学科或角色", "the subjects or roles it applies to"),
            );
        }
        out.push(StaffBlackout {
            subjects: b.subjects.clone(),
            roles,
            weekdays,
            sessions,
            reason: b.reason.clone(),
        });
    }
    out
}
