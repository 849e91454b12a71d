//! Exemption: protected staff (pregnant, nursing, ...) take no duty past
//! a set time, no duty that waits until pickup, and none in listed
//! sessions. Data: the policy's `[[exemptions]]` (`no_end_after`, which may
//! be `"work_end"`, `no_until_pickup`, `no_sessions`), named in staff.csv's
//! `exemption` (豁免) column.

use crate::demand::Duty;
use crate::model::policy::{Exemption, Policy};
use crate::model::school::School;
use crate::model::units::Hm;

/// The reason users see for a duty ending after `t`.
pub(crate) fn ends_late(ex: &Exemption, end: Hm, t: Hm) -> String {
    format!("{}: ends {end} after {t}", ex.label)
}

/// The reason users see for a duty that waits until pickup.
pub(crate) fn until_pickup(ex: &Exemption) -> String {
    format!("{}: waits until pickup", ex.label)
}

/// The reason users see for a session the person does not serve.
pub(crate) fn no_session(ex: &Exemption, session: &str) -> String {
    format!("{}: no {session} duty", ex.label)
}

/// Planner: `s`'s exemption rules out `d`.
#[inline]
pub(crate) fn blocks(policy: &Policy, school: &School, s: usize, d: &Duty) -> bool {
    let st = &school.staff[s];
    st.exemption
        .as_deref()
        .and_then(|e| policy.exemption(e))
        .is_some_and(|ex| {
            let late = ex.no_end_after.is_some_and(|t| d.end > t);
            late || (ex.no_until_pickup && d.until_pickup) || ex.no_sessions.contains(&d.session)
        })
}

/// Checker: each way `s`'s exemption rules out `d`.
pub(crate) fn check(policy: &Policy, school: &School, s: usize, d: &Duty) -> Vec<String> {
    let st = &school.staff[s];
    let mut out = Vec::new();
    let Some(ex) = st
        .exemption
        .as_ref()
        .and_then(|e| policy.exemptions.iter().find(|x| x.id == *e))
    else {
        return out;
    };
    if let Some(t) = ex.no_end_after {
        if d.end > t {
            out.push(ends_late(ex, d.end, t));
        }
    }
    if ex.no_until_pickup && d.until_pickup {
        out.push(until_pickup(ex));
    }
    if ex.no_sessions.contains(&d.session) {
        out.push(no_session(ex, &d.session));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{assert_agree, demo};

    #[test]
    fn each_exemption_clause_is_caught_by_both() {
        let mut x = demo();
        let s = x.staff("T001");
        let mut d = x.duty("homework");
        x.school.staff[s].exemption = Some("nursing".into());
        let ex = x
            .policy
            .exemption("nursing")
            .expect("demo exemption")
            .clone();
        let t = ex.no_end_after.expect("nursing has a work-end");
        d.end = Hm(t.0 + 10);
        d.until_pickup = true;
        d.session = "morning".into();
        let (p, sc) = (&x.policy, &x.school);
        assert!(blocks(p, sc, s, &d));
        let want = vec![
            ends_late(&ex, d.end, t),
            until_pickup(&ex),
            no_session(&ex, "morning"),
        ];
        assert_eq!(check(p, sc, s, &d), want);
    }

    #[test]
    fn a_duty_inside_the_exemption_is_caught_by_neither() {
        let mut x = demo();
        let s = x.staff("T001");
        let d = x.duty("homework");
        x.school.staff[s].exemption = Some("nursing".into());
        let ex = x.policy.exemption("nursing").expect("demo exemption");
        assert!(ex.no_end_after.is_some_and(|t| d.end <= t));
        assert!(!d.until_pickup && d.session != "morning");
        assert!(!blocks(&x.policy, &x.school, s, &d));
        assert!(check(&x.policy, &x.school, s, &d).is_empty());
    }

    #[test]
    fn planner_and_checker_agree_on_the_demo_week() {
        let mut x = demo();
        let s = x.staff("T001");
        x.school.staff[s].exemption = Some("pregnant".into());
        assert!(assert_agree(&x, blocks, check) > 0);
    }
}
