//! Who counts for fairness.

use crate::model::policy::Role;
use crate::model::school::Staff;

/// THE definition of fair staff: active, not an outside instructor, with
/// a quota above zero. Fairness tiers and reports count only them.
pub fn is_fair(staff: &Staff) -> bool {
    staff.active && staff.role != Role::Outside && staff.quota.0 > 0
}
