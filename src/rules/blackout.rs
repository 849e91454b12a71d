//! Blackout: staff of a subject or role are unavailable at set times
//! (subject study, 教研). Data: the policy's `[[staff_blackouts]]`
//! (`subjects`, `roles`, `weekdays`, `sessions`, `reason`); staff.csv's
//! `subject` and `role`. A make-up workday follows the weekday it replaces.

use crate::demand::Duty;
use crate::model::policy::{Policy, StaffBlackout};
use crate::model::school::School;

/// The reason users see: the blackout's own `reason`.
pub(crate) fn reason(b: &StaffBlackout) -> String {
    b.reason.clone()
}

/// Planner: a blackout covers `s` at `d`.
#[inline]
pub(crate) fn blocks(policy: &Policy, school: &School, s: usize, d: &Duty) -> bool {
    let st = &school.staff[s];
    policy.staff_blackouts.iter().any(|b| {
        (b.subjects.contains(&st.subject) || b.roles.contains(&st.role))
            && (b.weekdays.is_empty() || b.weekdays.contains(&d.follows))
            && b.sessions.contains(&d.session)
    })
}

/// Checker: every blackout that covers `s` at `d`.
pub(crate) fn check(policy: &Policy, school: &School, s: usize, d: &Duty) -> Vec<String> {
    let st = &school.staff[s];
    let mut out = Vec::new();
    for b in &policy.staff_blackouts {
        let who = b.subjects.contains(&st.subject) || b.roles.contains(&st.role);
        let when = (b.weekdays.is_empty() || b.weekdays.contains(&d.follows))
            && b.sessions.contains(&d.session);
        if who && when {
            out.push(reason(b));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{assert_agree, demo};

    #[test]
    fn a_blackout_is_caught_by_both_only_when_it_applies() {
        let mut x = demo();
        let s = x.staff("T001");
        let d = x.duty("homework");
        let b = StaffBlackout {
            subjects: vec![x.school.staff[s].subject.clone()],
            roles: vec![],
            weekdays: vec![d.follows],
            sessions: vec![d.session.clone()],
            reason: "教研".into(),
        };
        x.policy.staff_blackouts = vec![b.clone()];
        assert!(blocks(&x.policy, &x.school, s, &d));
        assert_eq!(check(&x.policy, &x.school, s, &d), vec![reason(&b)]);
        // Another weekday: neither.
        x.policy.staff_blackouts[0].weekdays = vec![d.follows.succ()];
        assert!(!blocks(&x.policy, &x.school, s, &d));
        assert!(check(&x.policy, &x.school, s, &d).is_empty());
    }

    #[test]
    fn planner_and_checker_agree_on_the_demo_week() {
        // The demo's PE teachers are blacked out on Wednesday afternoon.
        assert!(assert_agree(&demo(), blocks, check) > 0);
    }
}
