//! Coverage: every duty gets the staff it needs (`staff_needed`: from the
//! duty kind's `grouping` in the policy, or clubs.csv's `staff_needed`), or
//! the missing seats are reported uncovered (roster rows without staff).
//! Nobody holds the same duty twice, and no duty is overstaffed.
//!
//! Planner: a roster-wide rule with no per-person predicate; the model's
//! cover rows (`Rule::Coverage` in `src/plan/mod.rs`: staff on a pool plus
//! uncovered seats equal the need) enforce it.

use crate::demand::Duty;
use crate::lang::Lang;

/// The reason users see for a second row of one person on one duty.
pub(crate) const TWICE: &str = "same person twice on one duty / 同一人重复安排";

/// Checker: `d` with `staff` people on it and `uncovered` seats reported
/// uncovered: short seats not reported, or too many staff.
pub(crate) fn check(d: &Duty, staff: u32, uncovered: u32) -> Vec<String> {
    let mut out = Vec::new();
    if staff + uncovered < d.staff_needed {
        out.push(format!(
            "needs {} staff, has {staff}, {uncovered} reported uncovered / 缺人且未标注",
            d.staff_needed
        ));
    }
    if staff > d.staff_needed {
        out.push(format!(
            "needs {} staff, has {staff} / 超员",
            d.staff_needed
        ));
    }
    out
}

/// Diagnosis: the fix when too few people may take a slot at all.
pub(crate) fn fix(lang: Lang, missing: u32) -> String {
    match lang {
        Lang::Zh => format!(
            "能担任的人不够: 增加 {missing} 名可上岗人员 (代课、外聘), 或把小组合并得更大 (每组人数上限 duty_kinds.grouping.max)"
        ),
        Lang::En => format!(
            "too few people may take it: add {missing} available staff (substitutes, outside staff), or merge groups (group size limit duty_kinds.grouping.max)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::demo;

    #[test]
    fn short_and_over_staffed_duties_are_reported() {
        let mut d = demo().duty("homework");
        d.staff_needed = 2;
        assert_eq!(check(&d, 1, 0).len(), 1);
        assert_eq!(check(&d, 3, 0).len(), 1);
    }

    #[test]
    fn staffed_or_reported_duties_are_not() {
        let mut d = demo().duty("homework");
        d.staff_needed = 2;
        assert!(check(&d, 2, 0).is_empty());
        assert!(check(&d, 1, 1).is_empty());
        assert!(check(&d, 0, 2).is_empty());
    }
}
