//! enrollment.csv: pupils per class, weekday and session.

use std::collections::BTreeSet;

use crate::error::{Diagnostics, Result};
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
    diags: &mut Diagnostics,
) -> Result<()> {
    // Enrollment keys the policy uses.
    let keys: BTreeSet<String> = policy
        .duty_kinds
        .iter()
        .filter_map(|k| match &k.source {
            Source::Groups { enrollment, .. } => Some(enrollment.clone()),
            _ => None,
        })
        .collect();
    let mut f = t.fields(diags);
    for row in &t.rows {
        let Some(ci) = super::known_class(&mut f, row, school, "class") else {
            continue;
        };
        let Some(wd) = f.weekday(row, "weekday") else {
            continue;
        };
        let Some(sess) = f.required(row, "session") else {
            continue;
        };
        if !keys.contains(sess) {
            let known: Vec<&str> = keys.iter().map(|s| s.as_str()).collect();
            f.err(
                row.line,
                "session",
                format!("\"{sess}\""),
                format!("an enrollment key the policy uses: {}", known.join(", ")),
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
                format!(
                    "{p}, more than the class's {} pupils",
                    school.classes[ci].pupils
                ),
                "at most the class size",
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
                format!("a second row for class {}, {wd}, {sess}", row.get("class")),
                "one row per class, weekday and session",
            );
        }
    }
    Ok(())
}
