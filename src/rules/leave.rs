//! Leave: nobody serves while on leave. Data: leave.csv rows of kind 请假
//! (leave) for the person, from `from` to `to` inclusive, in the listed
//! sessions (none listed: the whole day). Rows of kind 意愿 (a request to
//! avoid) are a soft preference, not this rule.

use crate::demand::Duty;
use crate::model::policy::Policy;
use crate::model::school::{Leave, LeaveKind, School};

/// The reason users see.
pub(crate) fn on_leave(l: &Leave) -> String {
    format!("on leave {}..{} {} / 请假", l.from, l.to, l.reason)
}

/// Planner: `s` is on leave at `d`.
#[inline]
pub(crate) fn blocks(_: &Policy, school: &School, s: usize, d: &Duty) -> bool {
    school.leave.iter().any(|l| {
        l.staff == s
            && l.kind == LeaveKind::Leave
            && l.from <= d.date
            && d.date <= l.to
            && (l.sessions.is_empty() || l.sessions.contains(&d.session))
    })
}

/// Checker: every leave of `s` that covers `d`.
pub(crate) fn check(_: &Policy, school: &School, s: usize, d: &Duty) -> Vec<String> {
    let mut out = Vec::new();
    for l in &school.leave {
        if l.staff == s
            && l.kind == LeaveKind::Leave
            && l.from <= d.date
            && d.date <= l.to
            && (l.sessions.is_empty() || l.sessions.contains(&d.session))
        {
            out.push(on_leave(l));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{assert_agree, demo};

    fn leave(s: usize, d: &Duty, kind: LeaveKind, sessions: Vec<String>) -> Leave {
        Leave {
            staff: s,
            from: d.date,
            to: d.date,
            sessions,
            kind,
            reason: "病假".into(),
        }
    }

    #[test]
    fn leave_on_the_day_is_caught_by_both() {
        let mut x = demo();
        let s = x.staff("T001");
        let d = x.duty("homework");
        assert!(!blocks(&x.policy, &x.school, s, &d));
        assert!(check(&x.policy, &x.school, s, &d).is_empty());
        let l = leave(s, &d, LeaveKind::Leave, vec![]);
        x.school.leave.push(l.clone());
        assert!(blocks(&x.policy, &x.school, s, &d));
        assert_eq!(check(&x.policy, &x.school, s, &d), vec![on_leave(&l)]);
    }

    #[test]
    fn requests_and_other_sessions_are_caught_by_neither() {
        let mut x = demo();
        let s = x.staff("T001");
        let d = x.duty("homework");
        x.school.leave = vec![
            leave(s, &d, LeaveKind::Request, vec![]),
            leave(s, &d, LeaveKind::Leave, vec!["morning".into()]),
        ];
        assert_ne!(d.session, "morning");
        assert!(!blocks(&x.policy, &x.school, s, &d));
        assert!(check(&x.policy, &x.school, s, &d).is_empty());
    }

    #[test]
    fn planner_and_checker_agree_on_the_demo_week() {
        let mut x = demo();
        let d = x.duty("homework");
        let (a, b) = (x.staff("T001"), x.staff("T002"));
        x.school.leave = vec![
            leave(a, &d, LeaveKind::Leave, vec![]),
            leave(a, &d, LeaveKind::Leave, vec![d.session.clone()]),
            leave(b, &d, LeaveKind::Request, vec![]),
            leave(b, &d, LeaveKind::Leave, vec!["morning".into()]),
        ];
        assert!(assert_agree(&x, blocks, check) > 0);
    }
}
