//! Who may take a duty: the planner's side of the hard rules that concern
//! one person and one duty, composed from the rules' predicates
//! (`crate::rules`). The checker has its own, independent version.

use crate::demand::Duty;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::rules::{self, Rule};

/// Why staff member `s` may not take duty `d`, if they may not: the first
/// failing rule in this order (the order users see in diagnoses and pins).
/// (The checker has its own, independent implementation of these rules.)
pub fn ineligible(policy: &Policy, school: &School, s: usize, d: &Duty) -> Option<Rule> {
    if rules::role::inactive(school, s) {
        return Some(Rule::Role);
    }
    if rules::instructor::blocks(s, d, |i| available(policy, school, i, d)) {
        return Some(Rule::Instructor);
    }
    if rules::role::blocks(policy, school, s, d) {
        return Some(Rule::Role);
    }
    if rules::qualification::blocks(policy, school, s, d) {
        return Some(Rule::Qualification);
    }
    if let Some(r) = unavailable(policy, school, s, d) {
        return Some(r);
    }
    if rules::limits::blocks(&policy.rules, d) {
        return Some(Rule::DailyLimit);
    }
    None
}

pub(crate) fn available(policy: &Policy, school: &School, s: usize, d: &Duty) -> bool {
    !rules::role::inactive(school, s) && unavailable(policy, school, s, d).is_none()
}

/// Leave, blackouts and exemptions (the person, not the duty kind).
fn unavailable(policy: &Policy, school: &School, s: usize, d: &Duty) -> Option<Rule> {
    if rules::leave::blocks(policy, school, s, d) {
        return Some(Rule::Leave);
    }
    if rules::blackout::blocks(policy, school, s, d) {
        return Some(Rule::Blackout);
    }
    if rules::exemption::blocks(policy, school, s, d) {
        return Some(Rule::Exemption);
    }
    None
}
