//! The school's rules as the later stages use them: the validated policy
//! (read and checked by `input::policy`, see docs/policy.md).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::model::units::{Centi, Fen, Hm};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Morning,
    Noon,
    Afternoon,
}

/// Ledger category: since 2023 morning/noon care is accounted apart from
/// the after-school service proper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ledger {
    Service,
    Care,
}

impl Ledger {
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        match self {
            Ledger::Service => lang.t("课后服务", "after-school service"),
            Ledger::Care => lang.t("早午看护", "morning/noon care"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Homeroom,
    Subject,
    Admin,
    Outside,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s.trim().to_lowercase().as_str() {
            "homeroom" | "班主任" => Role::Homeroom,
            "subject" | "任课教师" | "科任教师" | "教师" => Role::Subject,
            "admin" | "administrator" | "行政" | "行政人员" => Role::Admin,
            "outside" | "instructor" | "外聘" | "外聘教师" => Role::Outside,
            _ => return None,
        })
    }
    pub fn code(self) -> &'static str {
        match self {
            Role::Homeroom => "homeroom",
            Role::Subject => "subject",
            Role::Admin => "admin",
            Role::Outside => "outside",
        }
    }
    /// The roles a cell or a policy list may name, in each language.
    pub fn names() -> crate::error::Said {
        crate::error::Said::new(
            "班主任、任课教师 (或 科任教师)、行政 或 外聘",
            "homeroom, subject, admin or outside",
        )
    }
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        match self {
            Role::Homeroom => lang.t("班主任", "homeroom teacher"),
            Role::Subject => lang.t("任课教师", "subject teacher"),
            Role::Admin => lang.t("行政", "administrator"),
            Role::Outside => lang.t("外聘", "outside instructor"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Merge {
    Class,
    Grade,
    Band,
    School,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Grouping {
    /// Merge small groups up to this scope: class, then grade, then band, then school.
    pub merge: Merge,
    pub min: u32,
    pub max: u32,
    pub staff_per_group: u32,
    /// One more staff member per this many pupils beyond the first staff.
    pub pupils_per_staff: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// Groups formed from enrollment (homework by class, merged care, late-stay).
    Groups {
        enrollment: String,
        grouping: Grouping,
    },
    /// Clubs from clubs.csv that meet in this kind's session.
    Clubs,
    /// Administrator patrol: staff per day by number of classes (max classes, staff).
    Patrol { by_size: Vec<(u32, u32)> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct DutyKind {
    pub id: String,
    pub label: String,
    pub label_en: String,
    pub ledger: Ledger,
    /// A session id, or "afternoon" for a duty spanning every afternoon stage.
    pub session: String,
    pub source: Source,
    pub roles: Vec<Role>,
    pub qualification: Option<String>,
    /// Weight of one hour of this duty in workload and pay.
    pub weight: Centi,
    /// The duty waits until every pupil is picked up.
    pub until_pickup: bool,
    /// Paid as a flat amount per duty instead of by 课时.
    pub flat_pay: Option<Fen>,
    /// Which seats tier 1 leaves open last.
    pub priority: Priority,
}

/// How much a duty kind must be staffed: tier 1 leaves seats open lowest
/// priority first (every required seat before any high one, every high
/// one before any normal one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Priority {
    /// Safety duties: pupils may not be left without an adult.
    Required,
    High,
    #[default]
    Normal,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::Required, Priority::High, Priority::Normal];

    /// The name in the policy file.
    pub fn code(self) -> &'static str {
        match self {
            Priority::Required => "required",
            Priority::High => "high",
            Priority::Normal => "normal",
        }
    }

    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        match self {
            Priority::Required => lang.t("必保", "required"),
            Priority::High => lang.t("优先", "high"),
            Priority::Normal => lang.t("一般", "normal"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: String,
    pub label: String,
    pub label_en: String,
    pub part: Part,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimeOverride {
    pub weekdays: Vec<Weekday>,
    pub bands: Vec<String>,
    pub session: String,
    pub start: Hm,
    pub end: Hm,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Season {
    pub id: String,
    pub label: String,
    /// Recurring (month, day) range, inclusive; may wrap the new year.
    pub from: (u32, u32),
    pub to: (u32, u32),
    pub cutoff: Hm,
    pub times: BTreeMap<String, (Hm, Hm)>,
    pub dismissal: BTreeMap<String, Hm>,
    pub overrides: Vec<TimeOverride>,
}

impl Season {
    pub fn contains(&self, d: NaiveDate) -> bool {
        let md = (d.month(), d.day());
        if self.from <= self.to {
            self.from <= md && md <= self.to
        } else {
            md >= self.from || md <= self.to
        }
    }

    /// Times of a session on a weekday for a band (None: the school default).
    pub fn session_times(
        &self,
        session: &str,
        wd: Weekday,
        band: Option<&str>,
    ) -> Option<(Hm, Hm)> {
        let mut t = *self.times.get(session)?;
        for o in &self.overrides {
            let day_ok = o.weekdays.is_empty() || o.weekdays.contains(&wd);
            let band_ok =
                o.bands.is_empty() || band.is_some_and(|b| o.bands.iter().any(|x| x == b));
            if o.session == session && day_ok && band_ok {
                t = (o.start, o.end);
            }
        }
        Some(t)
    }
}

/// Grades that share a timetable (e.g. grades 1–2 dismissed earlier), from
/// `[[grade_bands]]`; not to be confused with the planner's fairness band.
#[derive(Debug, Clone, PartialEq)]
pub struct GradeBand {
    pub id: String,
    pub label: String,
    pub grades: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceBlackout {
    pub weekdays: Vec<Weekday>,
    pub sessions: Vec<String>,
    pub reason: String,
}

/// Staff matching any listed subject or role are unavailable then.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffBlackout {
    pub subjects: Vec<String>,
    pub roles: Vec<Role>,
    pub weekdays: Vec<Weekday>,
    pub sessions: Vec<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Exemption {
    pub id: String,
    pub label: String,
    /// No duty ending after this time (labour law: no extended hours).
    pub no_end_after: Option<Hm>,
    pub no_until_pickup: bool,
    pub no_sessions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StaffRules {
    pub max_duties_per_day: u32,
    pub max_minutes_per_day: u32,
    pub max_duties_per_week: u32,
    pub max_minutes_per_week: u32,
    pub default_quota: BTreeMap<Role, Centi>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pay {
    pub minutes_per_keshi: u32,
    pub rate_per_keshi: Fen,
    pub daily_cap_keshi: Option<Centi>,
    /// Labour fee per 课时 for outside instructors (not performance pay).
    pub outside_rate_per_keshi: Fen,
}

/// `[comp]`: comp time (弹性上下班) for duties that end after the normal
/// work-end (issue 20, item 4); None when the policy has no `[comp]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comp {
    /// Minutes served after this time earn comp time.
    pub work_end: Hm,
    /// Minutes of comp per minute served after `work_end`, in hundredths.
    pub rate: Centi,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Preferences {
    pub own_class: u32,
    pub continuity: u32,
    pub noon_and_afternoon: u32,
    pub personal_request: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SolverOptions {
    pub time_limit_s: f64,
    /// Branch-and-bound nodes per tier: a deterministic budget (unlike time).
    pub max_nodes: u32,
    pub mip_rel_gap: f64,
    /// Tier 5 (preferences) may stop within this relative gap.
    pub preferences_gap: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Holiday {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CalendarRules {
    pub terms: Vec<Term>,
    pub holidays: Vec<Holiday>,
    /// Make-up workday -> the weekday whose timetable it follows.
    pub makeup: BTreeMap<NaiveDate, Weekday>,
    pub no_service: Vec<Holiday>,
    /// Years a national calendar file covers. Holidays and make-up days are
    /// published a year at a time, so a term date in any other year is
    /// unknown, not a school day (`calendar::require_national`).
    pub national_years: BTreeSet<i32>,
    /// Where a missing year's national file goes, `{year}` standing for the
    /// year: named like the policy's last one (`policies/calendar/cn-{year}.toml`).
    pub national_file: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub file: PathBuf,
    pub school_name: String,
    pub work_end: Hm,
    pub calendar: CalendarRules,
    pub grade_bands: Vec<GradeBand>,
    pub sessions: Vec<Session>,
    pub seasons: Vec<Season>,
    pub service_blackouts: Vec<ServiceBlackout>,
    pub staff_blackouts: Vec<StaffBlackout>,
    pub duty_kinds: Vec<DutyKind>,
    pub rules: StaffRules,
    pub exemptions: Vec<Exemption>,
    pub pay: Pay,
    pub comp: Option<Comp>,
    pub prefs: Preferences,
    pub solver: SolverOptions,
    /// `[duty]`: the rules of a duty as it is held (issue 20, item 2).
    pub duty: DutyRules,
}

/// How a late-stay duty is paid once its pickups are recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LateStayPay {
    /// To the last recorded pickup (never beyond what is recorded).
    Actual,
    /// To the planned end, whatever the pickups say.
    Planned,
}

/// `[duty]`: sign-in grace, the late-pickup limit, the late-stay pay.
#[derive(Debug, Clone, PartialEq)]
pub struct DutyRules {
    /// A sign-in later than the duty's start plus this many minutes is late.
    pub sign_in_grace_min: u32,
    /// A pickup after this time is flagged (18:00 in the school plan).
    pub late_pickup_after: Hm,
    pub late_stay_pay: LateStayPay,
}

impl Default for DutyRules {
    fn default() -> DutyRules {
        DutyRules {
            sign_in_grace_min: 5,
            late_pickup_after: Hm(18 * 60),
            late_stay_pay: LateStayPay::Planned,
        }
    }
}

/// The reserved session id of a duty that spans all afternoon stages.
pub const AFTERNOON_SPAN: &str = "afternoon";

impl Policy {
    pub fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id)
    }
    /// The session ids a user's word names: an id, a label in either
    /// language, or a part of the day (早上/上午/morning, 中午/noon,
    /// 下午/afternoon: every session of that part). Empty when it names none.
    pub fn sessions_named(&self, word: &str) -> Vec<String> {
        let w = word.trim();
        let part = match w.to_lowercase().as_str() {
            "morning" | "早上" | "早晨" | "上午" | "晨间" => Some(Part::Morning),
            "noon" | "中午" | "午间" => Some(Part::Noon),
            "afternoon" | "下午" | "课后" => Some(Part::Afternoon),
            _ => None,
        };
        self.sessions
            .iter()
            .filter(|s| {
                s.id == w
                    || s.label == w
                    || s.label_en.eq_ignore_ascii_case(w)
                    || (part == Some(s.part) && !self.sessions.iter().any(|x| x.label == w))
            })
            .map(|s| s.id.clone())
            .collect()
    }
    pub fn kind(&self, id: &str) -> Option<&DutyKind> {
        self.duty_kinds.iter().find(|k| k.id == id)
    }
    pub fn season_on(&self, d: NaiveDate) -> Option<&Season> {
        self.seasons.iter().find(|s| s.contains(d))
    }
    pub fn band_of_grade(&self, grade: u8) -> Option<&GradeBand> {
        self.grade_bands.iter().find(|b| b.grades.contains(&grade))
    }
    pub fn exemption(&self, id: &str) -> Option<&Exemption> {
        self.exemptions.iter().find(|e| e.id == id)
    }
    /// Adds the afternoon span to `sessions` when one of them is in the
    /// afternoon: leave from any afternoon stage also covers the duties
    /// that span the whole afternoon (late-stay, patrol).
    pub fn add_afternoon_span(&self, sessions: &mut Vec<String>) {
        if sessions
            .iter()
            .any(|s| self.part_of(s) == Some(Part::Afternoon))
        {
            sessions.push(AFTERNOON_SPAN.to_string());
        }
    }
    /// Part of the day of a session id (the afternoon span counts as afternoon).
    pub fn part_of(&self, session: &str) -> Option<Part> {
        if session == AFTERNOON_SPAN {
            return Some(Part::Afternoon);
        }
        self.session(session).map(|s| s.part)
    }
}
