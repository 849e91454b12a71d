//! Role: a duty is taken only by active staff whose role the duty kind
//! names. Data: `[[duty_kinds]] roles` in the policy; staff.csv's `role`
//! and `active` (参与) columns. Outside instructors (外聘) take only the clubs
//! that name them (clubs.csv `instructor`); a club's named instructor may
//! take it whatever their role.

use crate::demand::Duty;
use crate::model::policy::{Policy, Role};
use crate::model::school::School;

/// The reason users see for staff who take no part in the service.
pub(crate) const INACTIVE: &str = "not taking part in the service / 未参加课后服务";

/// The reason users see for a role the duty kind does not name.
pub(crate) fn wrong_role(role: Role) -> String {
    format!("role {} may not take this duty / 岗位不符", role.code())
}

/// Planner: staff member `s` takes no part in the service at all.
#[inline]
pub(crate) fn inactive(school: &School, s: usize) -> bool {
    !school.staff[s].active
}

/// Planner: the duty kind does not name `s`'s role (unless `s` is the
/// duty's named instructor); outside instructors take no other duty.
#[inline]
pub(crate) fn blocks(_: &Policy, school: &School, s: usize, d: &Duty) -> bool {
    let st = &school.staff[s];
    d.instructor != Some(s) && (st.role == Role::Outside || !d.roles.contains(&st.role))
}

/// Checker: why `s` may not take `d` by role, if they may not.
pub(crate) fn check(_: &Policy, school: &School, s: usize, d: &Duty) -> Vec<String> {
    let st = &school.staff[s];
    if !st.active {
        return vec![INACTIVE.to_string()];
    }
    let is_instructor = d.instructor == Some(s);
    if !is_instructor && (!d.roles.contains(&st.role) || st.role == Role::Outside) {
        return vec![wrong_role(st.role)];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{assert_agree, demo};

    /// Planner and checker on one person and duty: (blocked, reasons).
    fn both(p: &Policy, school: &School, s: usize, d: &Duty) -> (bool, Vec<String>) {
        let blocked = inactive(school, s) || blocks(p, school, s, d);
        (blocked, check(p, school, s, d))
    }

    #[test]
    fn an_inactive_person_is_caught_by_both() {
        let mut x = demo();
        let s = x.staff("T001");
        let d = x.duty("homework");
        assert_eq!(both(&x.policy, &x.school, s, &d), (false, vec![]));
        x.school.staff[s].active = false;
        assert_eq!(
            both(&x.policy, &x.school, s, &d),
            (true, vec![INACTIVE.to_string()])
        );
    }

    #[test]
    fn a_role_the_kind_does_not_name_is_caught_by_both() {
        let mut x = demo();
        let s = x.staff("T001");
        let mut d = x.duty("homework");
        x.school.staff[s].role = Role::Admin;
        assert_eq!(
            both(&x.policy, &x.school, s, &d),
            (true, vec![wrong_role(Role::Admin)])
        );
        // The club's named instructor is exempt from the role rule.
        d.instructor = Some(s);
        assert_eq!(both(&x.policy, &x.school, s, &d), (false, vec![]));
    }

    #[test]
    fn outside_instructors_take_only_their_own_clubs() {
        let mut x = demo();
        let s = x.staff("T001");
        let mut d = x.duty("club");
        x.school.staff[s].role = Role::Outside;
        d.instructor = None;
        assert!(d.roles.contains(&Role::Outside));
        assert_eq!(
            both(&x.policy, &x.school, s, &d),
            (true, vec![wrong_role(Role::Outside)])
        );
    }

    #[test]
    fn planner_and_checker_agree_on_the_demo_week() {
        let mut x = demo();
        let s = x.staff("T001");
        x.school.staff[s].role = Role::Admin;
        let blocked = assert_agree(
            &x,
            |p, sc, s, d| inactive(sc, s) || blocks(p, sc, s, d),
            check,
        );
        assert!(blocked > 0);
    }
}
