//! The hard rules, by name. The model, the checker and the messages users
//! see all use these names, so a rule is found in one place.
//!
//! One file per rule holds, side by side and written separately, what the
//! rule means to users and where its data comes from, the planner's
//! predicate (used by `plan::eligibility`), the reason users see and
//! the independent check (used by `check`):
//!
//! - `coverage`: every duty gets the staff it needs, or is reported uncovered;
//! - `no_overlap`: nobody holds two duties whose times overlap;
//! - `role`: only the roles the duty kind names, and only active staff;
//! - `qualification`: the duty's qualification (PE, music, ...);
//! - `leave`: leave and absences (leave.csv);
//! - `blackout`: staff blackouts (`[[staff_blackouts]]`);
//! - `exemption`: exemptions (`[[exemptions]]`, staff.csv `exemption`);
//! - `limits`: daily and weekly limits (`[staff_rules]`);
//! - `instructor`: a club's named instructor runs it when available;
//! - `pin`: a pinned assignment is kept;
//! - `unknown`: a roster row names a duty or person that does not exist;
//! - `edited`: a roster row's cells say what its duty and person are.

pub(crate) mod blackout;
pub(crate) mod coverage;
pub mod edited;
pub(crate) mod exemption;
pub(crate) mod instructor;
pub(crate) mod leave;
pub(crate) mod limits;
pub(crate) mod no_overlap;
pub(crate) mod pin;
pub(crate) mod qualification;
pub(crate) mod role;
#[cfg(test)]
pub(crate) mod testkit;
pub(crate) mod unknown;

use crate::lang::Lang;
pub use limits::Limit;

/// What a roster-wide check found: the roster line (0 when no single row
/// is at fault), where (a duty id, a date, or nothing) and the detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Breach {
    pub line: usize,
    pub at: String,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// Every duty gets the staff it needs, or is reported uncovered.
    Coverage,
    /// Nobody holds two duties whose times overlap.
    NoOverlap,
    /// Only the roles the duty kind names, and only active staff.
    Role,
    /// The duty's qualification (PE, music, ...) is required.
    Qualification,
    /// Leave and absences.
    Leave,
    /// Staff blackouts (subject study times).
    Blackout,
    /// Exemptions (pregnant, nursing: no duty past the work-end).
    Exemption,
    /// Limits per day (duties and minutes).
    DailyLimit,
    /// Limits per week (duties and minutes).
    WeeklyLimit,
    /// A club's named instructor runs it when available.
    Instructor,
    /// A pinned assignment is kept.
    Pin,
    /// A roster row names a duty or person that does not exist.
    Unknown,
    /// A roster row's cells differ from its duty and person (edited by hand).
    Edited,
}

pub const ALL: [Rule; 13] = [
    Rule::Coverage,
    Rule::NoOverlap,
    Rule::Role,
    Rule::Qualification,
    Rule::Leave,
    Rule::Blackout,
    Rule::Exemption,
    Rule::DailyLimit,
    Rule::WeeklyLimit,
    Rule::Instructor,
    Rule::Pin,
    Rule::Unknown,
    Rule::Edited,
];

impl Rule {
    pub fn id(self) -> &'static str {
        match self {
            Rule::Coverage => "coverage",
            Rule::NoOverlap => "no-overlap",
            Rule::Role => "role",
            Rule::Qualification => "qualification",
            Rule::Leave => "leave",
            Rule::Blackout => "blackout",
            Rule::Exemption => "exemption",
            Rule::DailyLimit => "daily-limit",
            Rule::WeeklyLimit => "weekly-limit",
            Rule::Instructor => "instructor",
            Rule::Pin => "pin",
            Rule::Unknown => "unknown",
            Rule::Edited => "edited",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Rule::Coverage => lang.t("覆盖", "coverage"),
            Rule::NoOverlap => lang.t("时间冲突", "overlap"),
            Rule::Role => lang.t("岗位", "role"),
            Rule::Qualification => lang.t("资质", "qualification"),
            Rule::Leave => lang.t("请假", "leave"),
            Rule::Blackout => lang.t("教研时段", "blackout"),
            Rule::Exemption => lang.t("豁免", "exemption"),
            Rule::DailyLimit => lang.t("每日上限", "daily limit"),
            Rule::WeeklyLimit => lang.t("每周上限", "weekly limit"),
            Rule::Instructor => lang.t("指定教师", "instructor"),
            Rule::Pin => lang.t("锁定", "pin"),
            Rule::Unknown => lang.t("未知", "unknown"),
            Rule::Edited => lang.t("与任务不符", "differs from the duty"),
        }
    }
}
