//! `[[grade_bands]]`: which grades form a band.

use std::collections::BTreeSet;

use super::ctx::{keys, Ctx};
use super::raw;
use crate::error::Said;
use crate::input::toml_source::Seg;
use crate::model::policy::GradeBand;

/// Grades a school may have.
const GRADES: std::ops::RangeInclusive<i64> = 1..=12;

pub(super) fn compile(c: &mut Ctx, list: &[raw::GradeBand]) -> Vec<GradeBand> {
    c.unique_ids("grade_bands", list.iter().map(|b| &b.id));
    let mut seen_grades = BTreeSet::new();
    let mut bands = Vec::new();
    for (i, b) in list.iter().enumerate() {
        let mut grades = Vec::new();
        for (j, &g) in b.grades.iter().enumerate() {
            if !GRADES.contains(&g) {
                c.err(
                    keys!["grade_bands", i, "grades", j],
                    Said::same(g.to_string()),
                    Said::new("1 到 12 的年级", "a grade from 1 to 12"),
                );
            } else if !seen_grades.insert(g) {
                c.err(
                    keys!["grade_bands", i, "grades", j],
                    Said::new(
                        format!("{g} 年级在两个学段中"),
                        format!("grade {g} in two bands"),
                    ),
                    Said::new("每个年级只在一个学段中", "each grade in one band"),
                );
            } else {
                grades.push(g as u8);
            }
        }
        bands.push(GradeBand {
            id: b.id.clone(),
            label: b.label.clone(),
            grades,
        });
    }
    bands
}
