//! `[duty]` (optional): the rules of a duty as it is held: how late a
//! sign-in may be, when a pickup is late, how a late-stay duty is paid.

use super::ctx::{keys, Ctx};
use super::raw;
use crate::error::Said;
use crate::input::toml_source::Seg;
use crate::model::policy::{DutyRules, LateStayPay};

/// At most this many minutes of grace (an hour and a half).
const MAX_GRACE_MIN: i64 = 90;

pub(super) fn compile(c: &mut Ctx, d: Option<&raw::Duty>) -> DutyRules {
    let mut out = DutyRules::default();
    let Some(d) = d else { return out };
    if let Some(g) = d.sign_in_grace_min {
        if (0..=MAX_GRACE_MIN).contains(&g) {
            out.sign_in_grace_min = g as u32;
        } else {
            c.err(
                keys!["duty", "sign_in_grace_min"],
                Said::same(g.to_string()),
                Said::new(
                    format!("0 到 {MAX_GRACE_MIN} 的分钟数"),
                    format!("a number of minutes from 0 to {MAX_GRACE_MIN}"),
                ),
            );
        }
    }
    if let Some(t) = &d.late_pickup_after {
        if let Some(hm) = c.time_opt(keys!["duty", "late_pickup_after"], t) {
            out.late_pickup_after = hm;
        }
    }
    if let Some(p) = &d.late_stay_pay {
        match p.trim() {
            "actual" | "实际" => out.late_stay_pay = LateStayPay::Actual,
            "planned" | "计划" => out.late_stay_pay = LateStayPay::Planned,
            other => c.err(
                keys!["duty", "late_stay_pay"],
                Said::same(format!("\"{other}\"")),
                Said::new(
                    "\"actual\" (按实际结束, 即最后一名学生被接走) 或 \"planned\" (按计划结束)",
                    "\"actual\" (to the last pickup) or \"planned\" (to the planned end)",
                ),
            ),
        }
    }
    out
}
