//! The hard rules, by name. The model, the checker and the messages users
//! see all use these names, so a rule is found in one place.

use crate::outputs::lang::Lang;

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
}

pub const ALL: [Rule; 12] = [
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
        }
    }
}
