//! classes.csv: the school's classes, their grade and size.

use std::collections::BTreeSet;

use crate::error::{Diagnostics, Result, Said};
use crate::input::table::{Columns, Table};
use crate::model::policy::Policy;
use crate::model::school::*;

pub const CLASS_COLUMNS: Columns = &[
    ("id", &["班级编号", "编号"], true),
    ("name", &["班级", "班级名称"], true),
    ("grade", &["年级"], true),
    ("pupils", &["人数", "学生数"], true),
];

pub(super) fn load(
    t: &Table,
    policy: &Policy,
    school: &mut School,
    _defined: &super::Defined,
    diags: &mut Diagnostics,
) -> Result<()> {
    let mut f = t.fields(diags);
    let mut ids = BTreeSet::new();
    for row in &t.rows {
        let Some((id, name)) = super::id_and_name(&mut f, row, &mut ids, ("班级", "class"))
        else {
            continue;
        };
        let grade = f.number(row, "grade", 12);
        if grade == Some(0) {
            f.err(
                row.line,
                "grade",
                Said::same("0"),
                Said::new("1 到 12 的年级", "a grade from 1 to 12"),
            );
        }
        let pupils = f.number(row, "pupils", 200);
        if let (Some(g), Some(p)) = (grade, pupils) {
            if g >= 1 && !policy.grade_bands.is_empty() && policy.band_of_grade(g as u8).is_none() {
                f.err(
                    row.line,
                    "grade",
                    Said::new(
                        format!("{g} 年级, 不在任何学段中"),
                        format!("grade {g}, in no grade band"),
                    ),
                    Said::new(
                        "政策 `[[grade_bands]]` 中列出的年级",
                        "a grade listed in the policy's `[[grade_bands]]`",
                    ),
                );
            }
            school.classes.push(Class {
                id: id.to_string(),
                name: name.to_string(),
                grade: g as u8,
                pupils: p,
            });
        }
    }
    if t.rows.is_empty() {
        f.err(
            0,
            "-",
            Said::new("没有班级", "no classes"),
            Said::new("至少一个班级", "at least one class"),
        );
    }
    Ok(())
}
