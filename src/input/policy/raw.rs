//! The serde mirror of the policy file and of national calendar files, read
//! as written; checks and defaults come later, in the compile steps.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct PolicyFile {
    pub school: School,
    pub calendar: Calendar,
    #[serde(default)]
    pub grade_bands: Vec<GradeBand>,
    pub sessions: Vec<Session>,
    pub seasons: Vec<Season>,
    #[serde(default)]
    pub service_blackouts: Vec<Blackout>,
    #[serde(default)]
    pub staff_blackouts: Vec<Blackout>,
    pub duty_kinds: Vec<DutyKind>,
    pub staff_rules: StaffRules,
    #[serde(default)]
    pub exemptions: Vec<Exemption>,
    pub pay: Pay,
    #[serde(default)]
    pub comp: Option<Comp>,
    #[serde(default)]
    pub preferences: Option<Preferences>,
    #[serde(default)]
    pub solver: Option<Solver>,
    #[serde(default)]
    pub duty: Option<Duty>,
}

#[derive(Debug, Deserialize)]
pub struct School {
    pub name: String,
    pub work_end: String,
}

#[derive(Debug, Deserialize)]
pub struct Calendar {
    #[serde(default)]
    pub national: Vec<String>,
    #[serde(default)]
    pub terms: Vec<Term>,
    #[serde(default)]
    pub holidays: Vec<Holiday>,
    #[serde(default)]
    pub makeup_days: Vec<Makeup>,
    #[serde(default)]
    pub no_service_days: Vec<Holiday>,
}

#[derive(Debug, Deserialize)]
pub struct NationalFile {
    /// The year the file covers (by default the years of its dates).
    #[serde(default)]
    pub year: Option<i64>,
    #[serde(default)]
    pub holidays: Vec<Holiday>,
    #[serde(default)]
    pub makeup_days: Vec<Makeup>,
}

#[derive(Debug, Deserialize)]
pub struct Term {
    pub name: String,
    pub start: toml::value::Datetime,
    pub end: toml::value::Datetime,
}

#[derive(Debug, Deserialize)]
pub struct Holiday {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub date: Option<toml::value::Datetime>,
    #[serde(default)]
    pub from: Option<toml::value::Datetime>,
    #[serde(default)]
    pub to: Option<toml::value::Datetime>,
}

#[derive(Debug, Deserialize)]
pub struct Makeup {
    pub date: toml::value::Datetime,
    pub follows: String,
}

#[derive(Debug, Deserialize)]
pub struct GradeBand {
    pub id: String,
    pub label: String,
    pub grades: Vec<i64>,
}

#[derive(Debug, Deserialize)]
pub struct Session {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub label_en: Option<String>,
    pub part: String,
}

#[derive(Debug, Deserialize)]
pub struct Span {
    pub start: String,
    #[serde(default)]
    pub end: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Override {
    #[serde(default)]
    pub weekdays: Vec<String>,
    #[serde(default)]
    pub bands: Vec<String>,
    pub session: String,
    pub start: String,
    #[serde(default)]
    pub end: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Season {
    pub id: String,
    pub label: String,
    pub from: String,
    pub to: String,
    pub cutoff: String,
    pub times: BTreeMap<String, Span>,
    #[serde(default)]
    pub dismissal: BTreeMap<String, String>,
    #[serde(default)]
    pub overrides: Vec<Override>,
}

#[derive(Debug, Deserialize)]
pub struct Blackout {
    #[serde(default)]
    pub subjects: Vec<String>,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub weekdays: Vec<String>,
    #[serde(default)]
    pub sessions: Vec<String>,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
pub struct Grouping {
    pub merge: String,
    pub min: i64,
    pub max: i64,
    #[serde(default = "one")]
    pub staff_per_group: i64,
    #[serde(default)]
    pub pupils_per_staff: Option<i64>,
}

fn one() -> i64 {
    1
}

#[derive(Debug, Deserialize)]
pub struct SizeRule {
    pub max_classes: i64,
    pub staff: i64,
}

#[derive(Debug, Deserialize)]
pub struct DutyKind {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub label_en: Option<String>,
    pub ledger: String,
    pub session: String,
    pub source: String,
    #[serde(default)]
    pub enrollment: Option<String>,
    #[serde(default)]
    pub grouping: Option<Grouping>,
    #[serde(default)]
    pub by_size: Vec<SizeRule>,
    pub roles: Vec<String>,
    #[serde(default)]
    pub qualification: Option<String>,
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    pub until_pickup: bool,
    #[serde(default)]
    pub flat_pay: Option<f64>,
    #[serde(default)]
    pub priority: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct StaffRules {
    pub max_duties_per_day: i64,
    pub max_minutes_per_day: i64,
    pub max_duties_per_week: i64,
    pub max_minutes_per_week: i64,
    #[serde(default)]
    pub default_quota: BTreeMap<String, f64>,
}

#[derive(Debug, Deserialize)]
pub struct Exemption {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub no_end_after: Option<String>,
    #[serde(default)]
    pub no_until_pickup: bool,
    #[serde(default)]
    pub no_sessions: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Pay {
    pub minutes_per_keshi: i64,
    pub rate_per_keshi: f64,
    #[serde(default)]
    pub daily_cap_keshi: Option<f64>,
    #[serde(default)]
    pub outside_rate_per_keshi: Option<f64>,
}

/// `[comp]`: comp time for late duties.
#[derive(Debug, Deserialize)]
pub struct Comp {
    #[serde(default)]
    pub work_end: Option<String>,
    #[serde(default)]
    pub rate: Option<f64>,
}

#[derive(Debug, Deserialize)]
pub struct Preferences {
    #[serde(default)]
    pub own_class: Option<i64>,
    #[serde(default)]
    pub continuity: Option<i64>,
    #[serde(default)]
    pub noon_and_afternoon: Option<i64>,
    #[serde(default)]
    pub personal_request: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct Solver {
    #[serde(default)]
    pub time_limit_s: Option<f64>,
    #[serde(default)]
    pub mip_rel_gap: Option<f64>,
    #[serde(default)]
    pub preferences_gap: Option<f64>,
    #[serde(default)]
    pub max_nodes: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct Duty {
    #[serde(default)]
    pub sign_in_grace_min: Option<i64>,
    #[serde(default)]
    pub late_pickup_after: Option<String>,
    #[serde(default)]
    pub late_stay_pay: Option<String>,
}
