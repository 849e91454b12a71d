//! The applications funnel (applied, reviewed, approved, refused,
//! withdrawn) and the choices a form offers (the policy's sessions).

use crate::model::policy::{Policy, Source};

use super::State;

/// How far the applications got. Each counts those that reached the
/// stage, whatever happened after: an approved application was also
/// applied and reviewed; a withdrawn one (before or after approval) also
/// counts where it had got to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Funnel {
    pub applied: usize,
    /// Passed the homeroom teacher's review.
    pub reviewed: usize,
    /// Approved by the principal (counting now or counted before a withdrawal).
    pub approved: usize,
    /// Refused by the homeroom teacher or the principal.
    pub refused: usize,
    /// Cancelled before approval, or withdrawn after it (approved).
    pub withdrawn: usize,
}

/// The funnel of these states.
pub fn funnel<'a>(states: impl IntoIterator<Item = &'a State>) -> Funnel {
    let mut f = Funnel::default();
    for s in states {
        f.applied += 1;
        match s {
            State::Applied => {}
            State::Refused => f.refused += 1,
            State::Cancelled => f.withdrawn += 1,
            State::Reviewed => f.reviewed += 1,
            State::Approved { .. } | State::Withdrawing { .. } => {
                f.reviewed += 1;
                f.approved += 1;
            }
            State::Withdrawn { .. } => {
                f.reviewed += 1;
                f.approved += 1;
                f.withdrawn += 1;
            }
        }
    }
    f
}

/// One session a family may choose: the policy's enrollment key, and the
/// label of the duty that counts it (Chinese, English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionChoice {
    pub key: String,
    pub label: String,
    pub label_en: String,
    /// The policy's session id the duty runs in (for its times).
    pub session: String,
}

/// The sessions a family may choose, in policy order.
pub fn session_choices(policy: &Policy) -> Vec<SessionChoice> {
    let mut out: Vec<SessionChoice> = Vec::new();
    for k in &policy.duty_kinds {
        if let Source::Groups { enrollment, .. } = &k.source {
            if !out.iter().any(|c| &c.key == enrollment) {
                out.push(SessionChoice {
                    key: enrollment.clone(),
                    label: k.label.clone(),
                    label_en: k.label_en.clone(),
                    session: k.session.clone(),
                });
            }
        }
    }
    out
}
