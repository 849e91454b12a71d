//! Unknown: every roster row names a duty of the week's demand (the
//! `duty_id` column, 任务编号) and a person of staff.csv (`staff_id`, 工号),
//! or leaves the person empty to report the seat uncovered. Rows edited by
//! hand in Excel may break it; the planner's rosters cannot.

/// The reason users see for a duty id the week does not have.
pub(crate) const NO_DUTY: &str = "duty not in this week's demand / 本周无此任务";

/// The reason users see for a staff id staff.csv does not have.
pub(crate) const NO_PERSON: &str = "person not in staff.csv / 教职工名单中无此人";
