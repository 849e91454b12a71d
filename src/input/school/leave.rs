//! leave.csv: leave (hard) and requests (soft) by date range and session.

use crate::error::{Diagnostics, Result, Said};
use crate::input::table::{split_list, Columns, Table};
use crate::model::policy::Policy;
use crate::model::school::*;

pub const LEAVE_COLUMNS: Columns = &[
    ("staff", &["工号"], true),
    ("from", &["开始日期", "开始"], true),
    ("to", &["结束日期", "结束"], true),
    ("sessions", &["时段"], false),
    ("kind", &["类型"], false),
    ("reason", &["原因", "事由"], false),
];

pub(super) fn load(
    t: &Table,
    policy: &Policy,
    school: &mut School,
    defined: &super::Defined,
    diags: &mut Diagnostics,
) -> Result<()> {
    let mut f = t.fields(diags);
    for row in &t.rows {
        // Dates are checked even when the staff id is not known (or
        // staff.csv could not be read): a bad date is a mistake of its own.
        let si = super::known_staff(&mut f, row, school, defined, "staff");
        let (Some(si), Some(from), Some(to)) = (si, f.date(row, "from"), f.date(row, "to")) else {
            continue;
        };
        if to < from {
            f.err(
                row.line,
                "to",
                Said::new(format!("{to}, 早于 {from}"), format!("{to}, before {from}")),
                Said::new(
                    "不早于开始日期的结束日期",
                    "an end date on or after the start",
                ),
            );
            continue;
        }
        let mut sessions = Vec::new();
        for s in split_list(row.get("sessions")) {
            let m = policy
                .sessions
                .iter()
                .filter(|x| {
                    x.id == s
                        || x.label == s
                        || crate::input::policy::part_named(&s) == Some(x.part)
                })
                .map(|x| x.id.clone())
                .collect::<Vec<_>>();
            if m.is_empty() {
                f.err(
                    row.line,
                    "sessions",
                    Said::same(format!("\"{s}\"")),
                    Said::new(
                        "政策中的时段编号或名称, 或 上午、中午、下午; 留空表示全天",
                        "session ids from the policy, or morning, noon or afternoon; empty for the whole day",
                    ),
                );
            }
            sessions.extend(m);
        }
        policy.add_afternoon_span(&mut sessions);
        let kind = match row.get("kind").to_lowercase().as_str() {
            "" | "请假" | "leave" | "病假" | "事假" | "产假" | "公差" => LeaveKind::Leave,
            "意愿" | "request" | "申请" | "preference" => LeaveKind::Request,
            o => {
                f.err(
                    row.line,
                    "kind",
                    Said::same(format!("\"{o}\"")),
                    Said::new(
                        "请假 (不能安排) 或 意愿 (尽量不安排)",
                        "leave (never planned) or request (avoided where possible)",
                    ),
                );
                continue;
            }
        };
        school.leave.push(Leave {
            staff: si,
            from,
            to,
            sessions,
            kind,
            reason: row.get("reason").to_string(),
        });
    }
    Ok(())
}
