//! Qualification: a duty that needs a qualification (PE, music, ...) is
//! taken only by staff who hold it. Data: `[[duty_kinds]] qualification` in
//! the policy or clubs.csv's `qualification` (资质) column; staff.csv's
//! `qualifications` column. A club's named instructor needs none.

use crate::demand::Duty;
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::School;

/// The reason users see.
pub(crate) fn missing(q: &str) -> String {
    format!("needs qualification {q} / 需要资质 {q}")
}

/// Planner: `d` needs a qualification `s` lacks (and `s` is not its
/// named instructor).
#[inline]
pub(crate) fn blocks(_: &Policy, school: &School, s: usize, d: &Duty) -> bool {
    let st = &school.staff[s];
    d.instructor != Some(s)
        && d.qualification
            .as_ref()
            .is_some_and(|q| !st.qualifications.contains(q))
}

/// Checker: the qualification `s` lacks for `d` (inactive staff are
/// reported by the role rule alone).
pub(crate) fn check(_: &Policy, school: &School, s: usize, d: &Duty) -> Vec<String> {
    let st = &school.staff[s];
    if !st.active || d.instructor == Some(s) {
        return Vec::new();
    }
    match &d.qualification {
        Some(q) if !st.qualifications.iter().any(|x| x == q) => vec![missing(q)],
        _ => Vec::new(),
    }
}

/// Diagnosis: the fix when too few staff hold the qualification.
pub(crate) fn fix(lang: Lang, q: &str, short: u32) -> String {
    match lang {
        Lang::Zh => format!(
            "增加 {short} 名具备「{q}」资质的教师 (staff.csv 的「资质」列) 或外聘教师, 或调整社团时间"
        ),
        Lang::En => format!(
            "add {short} staff qualified in {q} (staff.csv, qualifications column) or outside instructors, or move the club"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{assert_agree, demo};

    #[test]
    fn a_missing_qualification_is_caught_by_both() {
        let mut x = demo();
        let s = x.staff("T001");
        let mut d = x.duty("homework");
        d.qualification = Some("体育".into());
        let (p, sc) = (&x.policy, &x.school);
        assert!(blocks(p, sc, s, &d));
        assert_eq!(check(p, sc, s, &d), vec![missing("体育")]);
        x.school.staff[s].qualifications.insert("体育".into());
        let (p, sc) = (&x.policy, &x.school);
        assert!(!blocks(p, sc, s, &d));
        assert!(check(p, sc, s, &d).is_empty());
    }

    #[test]
    fn the_named_instructor_needs_none() {
        let x = demo();
        let s = x.staff("T001");
        let mut d = x.duty("homework");
        d.qualification = Some("体育".into());
        d.instructor = Some(s);
        assert!(!blocks(&x.policy, &x.school, s, &d));
        assert!(check(&x.policy, &x.school, s, &d).is_empty());
    }

    #[test]
    fn planner_and_checker_agree_on_the_demo_week() {
        let mut x = demo();
        // Inactive staff are the role rule's alone.
        for st in &mut x.school.staff {
            st.active = true;
        }
        assert!(assert_agree(&x, blocks, check) > 0);
    }
}
