//! Who may take a duty: the planner's side of the hard rules that concern
//! one person and one duty. The checker has its own, independent version.

use crate::demand::Duty;
use crate::model::policy::{Policy, Role};
use crate::model::school::{LeaveKind, School};
use crate::rules::Rule;

/// Why staff member `s` may not take duty `d`, if they may not.
/// (The checker has its own, independent implementation of these rules.)
pub fn ineligible(policy: &Policy, school: &School, s: usize, d: &Duty) -> Option<Rule> {
    let st = &school.staff[s];
    if !st.active {
        return Some(Rule::Role);
    }
    if let Some(i) = d.instructor {
        if i != s && available(policy, school, i, d) {
            return Some(Rule::Instructor);
        }
    }
    if d.instructor != Some(s) {
        if st.role == Role::Outside || !d.roles.contains(&st.role) {
            return Some(Rule::Role);
        }
        if let Some(q) = &d.qualification {
            if !st.qualifications.contains(q) {
                return Some(Rule::Qualification);
            }
        }
    }
    if let Some(r) = unavailable(policy, school, s, d) {
        return Some(r);
    }
    if d.minutes() > policy.rules.max_minutes_per_day
        || d.minutes() > policy.rules.max_minutes_per_week
    {
        return Some(Rule::DailyLimit);
    }
    None
}

pub(crate) fn available(policy: &Policy, school: &School, s: usize, d: &Duty) -> bool {
    school.staff[s].active && unavailable(policy, school, s, d).is_none()
}

/// Leave, blackouts and exemptions (the person, not the duty kind).
fn unavailable(policy: &Policy, school: &School, s: usize, d: &Duty) -> Option<Rule> {
    let st = &school.staff[s];
    let on_leave = school.leave.iter().any(|l| {
        l.staff == s
            && l.kind == LeaveKind::Leave
            && l.from <= d.date
            && d.date <= l.to
            && (l.sessions.is_empty() || l.sessions.contains(&d.session))
    });
    if on_leave {
        return Some(Rule::Leave);
    }
    let blacked = policy.staff_blackouts.iter().any(|b| {
        (b.subjects.contains(&st.subject) || b.roles.contains(&st.role))
            && (b.weekdays.is_empty() || b.weekdays.contains(&d.follows))
            && b.sessions.contains(&d.session)
    });
    if blacked {
        return Some(Rule::Blackout);
    }
    if let Some(ex) = st.exemption.as_deref().and_then(|e| policy.exemption(e)) {
        let late = ex.no_end_after.is_some_and(|t| d.end > t);
        if late || (ex.no_until_pickup && d.until_pickup) || ex.no_sessions.contains(&d.session) {
            return Some(Rule::Exemption);
        }
    }
    None
}
