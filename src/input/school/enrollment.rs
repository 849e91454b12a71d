//! enrollment.csv: pupils per class, weekday and session.

use std::collections::BTreeSet;

use crate::error::{Diagnostics, Result, Said};
use crate::input::table::{Columns, Table};
use crate::model::policy::{Policy, Source};
use crate::model::school::*;

pub const ENROLLMENT_COLUMNS: Columns = &[
    ("class", &["班级", "班级编号"], true),
    ("weekday", &["星期"], true),
    ("session", &["时段", "项目"], true),
    ("pupils", &["人数", "报名人数"], true),
];

pub(super) fn load(
    t: &Table,
    policy: &Policy,
    school: &mut School,
    defined: &super::Defined,
    diags: &mut Diagnostics,
) -> Result<()> {
    // Enrollment keys the policy uses.
    let key_sessions: Vec<(&str, &str)> = policy
        .duty_kinds
        .iter()
        .filter_map(|k| match &k.source {
            Source::Groups { enrollment, .. } => Some((enrollment.as_str(), k.session.as_str())),
            _ => None,
        })
        .collect();
    let keys: BTreeSet<&str> = key_sessions.iter().map(|(k, _)| *k).collect();
    let mut f = t.fields(diags);
    for row in &t.rows {
        let Some(ci) = super::known_class(&mut f, row, school, defined, "class") else {
            continue;
        };
        let Some(wd) = f.weekday(row, "weekday") else {
            continue;
        };
        let Some(written) = f.required(row, "session") else {
            continue;
        };
        // 上午 for the one morning key; a part with several keys is asked.
        let sess = if keys.contains(written) {
            written
        } else {
            super::key_of_part(policy, written, key_sessions.iter().copied()).unwrap_or(written)
        };
        if !keys.contains(sess) {
            let known = keys
                .iter()
                .map(|k| format!("\"{k}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let part = crate::input::policy::part_named(sess).is_some();
            let (zh, en) = if part {
                (
                    "这个时段有多个报名项目, 请写明是哪一个",
                    "a part of the day with several enrollment keys: say which",
                )
            } else {
                ("政策中使用的报名项目", "an enrollment key the policy uses")
            };
            f.err(
                row.line,
                "session",
                Said::same(format!("\"{sess}\"")),
                Said::new(format!("{zh}: {known}"), format!("{en}: {known}")),
            );
            continue;
        }
        let Some(p) = f.number(row, "pupils", 200) else {
            continue;
        };
        if p > school.classes[ci].pupils {
            f.err(
                row.line,
                "pupils",
                Said::new(
                    format!("{p}, 多于该班的 {} 人", school.classes[ci].pupils),
                    format!(
                        "{p}, more than the class's {} pupils",
                        school.classes[ci].pupils
                    ),
                ),
                Said::new("不超过班级人数", "at most the class size"),
            );
        }
        if school
            .enrollment
            .insert((ci, wd.num_days_from_monday() as u8, sess.to_string()), p)
            .is_some()
        {
            f.err(
                row.line,
                "session",
                Said::new(
                    format!(
                        "班级 {}、{}、{sess} 的第二行",
                        row.get("class"),
                        crate::lang::Lang::Zh.weekday(wd)
                    ),
                    format!("a second row for class {}, {wd}, {sess}", row.get("class")),
                ),
                Said::new(
                    "每个班级、星期和时段只写一行",
                    "one row per class, weekday and session",
                ),
            );
        }
    }
    Ok(())
}
