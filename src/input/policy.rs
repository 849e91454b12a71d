//! Reading and validating the policy file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

use crate::error::{Diagnostics, Error, Result};
use crate::input::toml_source::{Seg, TomlSource};
use crate::model::policy::*;
use crate::model::units::{parse_weekday, Centi, Fen, Hm};

// ---------------------------------------------------------------- raw file

mod raw {
    use super::*;

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
        pub preferences: Option<Preferences>,
        #[serde(default)]
        pub solver: Option<Solver>,
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
}

// ---------------------------------------------------------------- loading

/// Read and validate a policy file, reporting every problem found.
pub fn load(path: &Path) -> Result<Policy> {
    let src = TomlSource::read(path)?;
    load_source(path, src)
}

/// A policy from text, as if it were the file `path` (national calendar
/// files are found relative to it). Used by scenarios that edit a policy.
pub fn load_text(path: &Path, text: &str) -> Result<Policy> {
    load_source(path, TomlSource::new(path, text.to_string()))
}

fn load_source(path: &Path, src: TomlSource) -> Result<Policy> {
    let (file, mut diags) = match src.parse::<raw::PolicyFile>() {
        Ok((f, unknown)) => (f, Diagnostics(unknown)),
        Err(ds) => return Err(Error::Invalid(ds)),
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let mut national = Vec::new();
    for (i, rel) in file.calendar.national.iter().enumerate() {
        let p = base.join(rel);
        match TomlSource::read(&p) {
            Ok(nsrc) => match nsrc.parse::<raw::NationalFile>() {
                Ok((n, unknown)) => {
                    diags.0.extend(unknown);
                    national.push((nsrc, n));
                }
                Err(ds) => diags.0.extend(ds),
            },
            Err(Error::Read { .. }) => diags.push(src.diag(
                &[k("calendar"), k("national"), Seg::Index(i)],
                format!("\"{rel}\", which cannot be read"),
                "a calendar file path relative to the policy file",
            )),
            Err(Error::Invalid(ds)) => diags.0.extend(ds),
            Err(e) => return Err(e),
        }
    }
    let policy = compile(&src, file, &national, &mut diags);
    diags.into_result(policy)
}

fn k(s: &str) -> Seg {
    Seg::Key(s.to_string())
}

/// Convenience for building key paths.
macro_rules! path {
    ($($seg:expr),* $(,)?) => { vec![$(Seg::from($seg)),*] };
}

impl From<&str> for Seg {
    fn from(s: &str) -> Seg {
        Seg::Key(s.to_string())
    }
}
impl From<usize> for Seg {
    fn from(i: usize) -> Seg {
        Seg::Index(i)
    }
}
impl From<&String> for Seg {
    fn from(s: &String) -> Seg {
        Seg::Key(s.clone())
    }
}

fn date_of(dt: &toml::value::Datetime) -> Option<NaiveDate> {
    match (dt.date, dt.time) {
        (Some(d), None) => NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32),
        _ => None,
    }
}

fn month_day(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.trim().split_once('-')?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    // 2024 is a leap year, so 02-29 is accepted.
    NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
}

struct Ctx<'a> {
    src: &'a TomlSource,
    diags: &'a mut Diagnostics,
}

impl Ctx<'_> {
    fn err(&mut self, path: Vec<Seg>, found: impl Into<String>, expected: impl Into<String>) {
        let d = self.src.diag(&path, found, expected);
        self.diags.push(d);
    }
    fn time(&mut self, path: Vec<Seg>, s: &str) -> Hm {
        Hm::parse(s).unwrap_or_else(|| {
            self.err(path, format!("\"{s}\""), "a time such as \"17:00\"");
            Hm(0)
        })
    }
    fn date(&mut self, path: Vec<Seg>, dt: &toml::value::Datetime) -> NaiveDate {
        date_of(dt).unwrap_or_else(|| {
            self.err(path, dt.to_string(), "a date such as 2026-09-01");
            NaiveDate::MIN
        })
    }
    fn weekdays(&mut self, path: Vec<Seg>, v: &[String]) -> Vec<Weekday> {
        let mut out = Vec::new();
        for (i, s) in v.iter().enumerate() {
            match parse_weekday(s) {
                Some(w) => out.push(w),
                None => {
                    let mut p = path.clone();
                    p.push(Seg::Index(i));
                    self.err(p, format!("\"{s}\""), "a weekday: mon..sun or 周一..周日");
                }
            }
        }
        out
    }
    fn count(&mut self, path: Vec<Seg>, v: i64, min: i64) -> u32 {
        if v < min || v > 100_000 {
            self.err(
                path,
                v.to_string(),
                format!("a whole number of at least {min}"),
            );
            return min.max(0) as u32;
        }
        v as u32
    }
    fn centi(&mut self, path: Vec<Seg>, v: f64, what: &str) -> Centi {
        match Centi::from_f64(v) {
            Some(c) if c.0 >= 0 => c,
            _ => {
                self.err(
                    path,
                    v.to_string(),
                    format!("{what}: a non-negative number with at most 2 decimals"),
                );
                Centi(0)
            }
        }
    }
    fn fen(&mut self, path: Vec<Seg>, v: f64) -> Fen {
        Fen(self.centi(path, v, "an amount in yuan").0)
    }
}

fn check_unique<'a>(ctx: &mut Ctx, section: &str, ids: impl Iterator<Item = &'a String>) {
    let mut seen = BTreeSet::new();
    for (i, id) in ids.enumerate() {
        if id.trim().is_empty() {
            ctx.err(path![section, i, "id"], "an empty id", "a non-empty id");
        } else if !seen.insert(id.clone()) {
            ctx.err(
                path![section, i, "id"],
                format!("duplicate id \"{id}\""),
                "an id used only once",
            );
        }
    }
}

fn compile(
    src: &TomlSource,
    f: raw::PolicyFile,
    national: &[(TomlSource, raw::NationalFile)],
    diags: &mut Diagnostics,
) -> Policy {
    let mut c = Ctx { src, diags };

    let work_end = c.time(path!["school", "work_end"], &f.school.work_end);

    // Bands
    check_unique(&mut c, "grade_bands", f.grade_bands.iter().map(|b| &b.id));
    let mut bands = Vec::new();
    let mut seen_grades = BTreeSet::new();
    for (i, b) in f.grade_bands.iter().enumerate() {
        let mut grades = Vec::new();
        for (j, &g) in b.grades.iter().enumerate() {
            if !(1..=12).contains(&g) {
                c.err(
                    path!["grade_bands", i, "grades", j],
                    g.to_string(),
                    "a grade from 1 to 12",
                );
            } else if !seen_grades.insert(g) {
                c.err(
                    path!["grade_bands", i, "grades", j],
                    format!("grade {g} in two bands"),
                    "each grade in one band",
                );
            } else {
                grades.push(g as u8);
            }
        }
        bands.push(Band {
            id: b.id.clone(),
            label: b.label.clone(),
            grades,
        });
    }

    // Sessions
    check_unique(&mut c, "sessions", f.sessions.iter().map(|s| &s.id));
    let mut sessions = Vec::new();
    for (i, s) in f.sessions.iter().enumerate() {
        if s.id == AFTERNOON_SPAN {
            c.err(
                path!["sessions", i, "id"],
                "\"afternoon\"",
                "another id: \"afternoon\" is reserved for duties spanning all afternoon stages",
            );
        }
        let part = match s.part.as_str() {
            "morning" => Part::Morning,
            "noon" => Part::Noon,
            "afternoon" => Part::Afternoon,
            other => {
                c.err(
                    path!["sessions", i, "part"],
                    format!("\"{other}\""),
                    "morning, noon or afternoon",
                );
                Part::Afternoon
            }
        };
        sessions.push(Session {
            id: s.id.clone(),
            label: s.label.clone(),
            label_en: s.label_en.clone().unwrap_or_else(|| s.id.clone()),
            part,
        });
    }
    let session_ids: BTreeSet<&str> = sessions.iter().map(|s| s.id.as_str()).collect();
    let band_ids: BTreeSet<&str> = bands.iter().map(|b| b.id.as_str()).collect();
    let part_of = |id: &str| sessions.iter().find(|s| s.id == id).map(|s| s.part);

    // Seasons
    check_unique(&mut c, "seasons", f.seasons.iter().map(|s| &s.id));
    if f.seasons.is_empty() {
        c.err(
            path!["seasons"],
            "no season",
            "at least one [[seasons]] table",
        );
    }
    let mut seasons = Vec::new();
    for (i, s) in f.seasons.iter().enumerate() {
        let from = month_day(&s.from).unwrap_or_else(|| {
            c.err(
                path!["seasons", i, "from"],
                format!("\"{}\"", s.from),
                "a month-day such as \"05-01\"",
            );
            (1, 1)
        });
        let to = month_day(&s.to).unwrap_or_else(|| {
            c.err(
                path!["seasons", i, "to"],
                format!("\"{}\"", s.to),
                "a month-day such as \"09-30\"",
            );
            (12, 31)
        });
        let cutoff = c.time(path!["seasons", i, "cutoff"], &s.cutoff);
        let mut times = BTreeMap::new();
        for (sid, span) in &s.times {
            if !session_ids.contains(sid.as_str()) {
                c.err(
                    path!["seasons", i, "times", sid],
                    format!("session \"{sid}\""),
                    "a session id from [[sessions]]",
                );
                continue;
            }
            let start = c.time(path!["seasons", i, "times", sid, "start"], &span.start);
            let end = match &span.end {
                Some(e) => c.time(path!["seasons", i, "times", sid, "end"], e),
                None if part_of(sid) == Some(Part::Afternoon) => cutoff,
                None => {
                    c.err(
                        path!["seasons", i, "times", sid],
                        "no end time",
                        "an end time (only afternoon stages default to the cutoff)",
                    );
                    start
                }
            };
            if end <= start {
                c.err(
                    path!["seasons", i, "times", sid, "end"],
                    format!("{end}, not after the start {start}"),
                    "an end time after the start",
                );
            }
            if part_of(sid) == Some(Part::Afternoon) && end > cutoff {
                c.err(
                    path!["seasons", i, "times", sid, "end"],
                    format!("{end}, after the cutoff {cutoff}"),
                    "an afternoon stage ending no later than the season's cutoff",
                );
            }
            times.insert(sid.clone(), (start, end));
        }
        for sess in &sessions {
            if !times.contains_key(&sess.id) {
                c.err(
                    path!["seasons", i, "times"],
                    format!("no times for session \"{}\"", sess.id),
                    "times for every session",
                );
            }
        }
        let last_afternoon = times
            .iter()
            .filter(|(id, _)| part_of(id) == Some(Part::Afternoon))
            .map(|(_, t)| t.1)
            .max();
        if let Some(last) = last_afternoon {
            if last != cutoff {
                c.err(
                    path!["seasons", i, "cutoff"],
                    format!("{cutoff}, but the last afternoon stage ends at {last}"),
                    "the last afternoon stage to end at the cutoff",
                );
            }
        }
        let mut dismissal = BTreeMap::new();
        for (b, t) in &s.dismissal {
            if !band_ids.contains(b.as_str()) {
                c.err(
                    path!["seasons", i, "dismissal", b],
                    format!("band \"{b}\""),
                    "a grade band id from [[grade_bands]]",
                );
            }
            let t = c.time(path!["seasons", i, "dismissal", b], t);
            dismissal.insert(b.clone(), t);
        }
        let mut overrides = Vec::new();
        for (j, o) in s.overrides.iter().enumerate() {
            let weekdays = c.weekdays(path!["seasons", i, "overrides", j, "weekdays"], &o.weekdays);
            for (bi, b) in o.bands.iter().enumerate() {
                if !band_ids.contains(b.as_str()) {
                    c.err(
                        path!["seasons", i, "overrides", j, "bands", bi],
                        format!("band \"{b}\""),
                        "a grade band id",
                    );
                }
            }
            if !session_ids.contains(o.session.as_str()) {
                c.err(
                    path!["seasons", i, "overrides", j, "session"],
                    format!("session \"{}\"", o.session),
                    "a session id from [[sessions]]",
                );
            }
            let start = c.time(path!["seasons", i, "overrides", j, "start"], &o.start);
            let end = match &o.end {
                Some(e) => c.time(path!["seasons", i, "overrides", j, "end"], e),
                None => times.get(&o.session).map_or(start, |t| t.1),
            };
            if end <= start {
                c.err(
                    path!["seasons", i, "overrides", j, "end"],
                    format!("{end}, not after the start {start}"),
                    "an end time after the start",
                );
            }
            if part_of(&o.session) == Some(Part::Afternoon) && end > cutoff {
                c.err(
                    path!["seasons", i, "overrides", j, "end"],
                    format!("{end}, after the cutoff {cutoff}"),
                    "no later than the season's cutoff",
                );
            }
            for (b, dt) in &dismissal {
                if part_of(&o.session) == Some(Part::Afternoon)
                    && o.bands.contains(b)
                    && start < *dt
                {
                    c.err(
                        path!["seasons", i, "overrides", j, "start"],
                        format!("{start}, before band {b}'s dismissal at {dt}"),
                        "an afternoon stage starting after dismissal",
                    );
                }
            }
            overrides.push(TimeOverride {
                weekdays,
                bands: o.bands.clone(),
                session: o.session.clone(),
                start,
                end,
            });
        }
        seasons.push(Season {
            id: s.id.clone(),
            label: s.label.clone(),
            from,
            to,
            cutoff,
            times,
            dismissal,
            overrides,
        });
    }
    // Every day of a (leap) year in exactly one season.
    let mut day = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or(NaiveDate::MIN);
    let mut reported = BTreeSet::new();
    for _ in 0..366 {
        let hits: Vec<usize> = (0..seasons.len())
            .filter(|&i| seasons[i].contains(day))
            .collect();
        if hits.len() > 1 && reported.insert((hits[0], hits[1])) {
            let (a, b) = (&seasons[hits[0]], &seasons[hits[1]]);
            c.err(
                path!["seasons", hits[1], "from"],
                format!(
                    "season \"{}\" overlaps \"{}\" on {:02}-{:02}",
                    b.id,
                    a.id,
                    day.month(),
                    day.day()
                ),
                "seasons that do not overlap",
            );
        }
        if hits.is_empty() && !seasons.is_empty() && reported.insert((usize::MAX, 0)) {
            c.err(
                path!["seasons"],
                format!("no season covers {:02}-{:02}", day.month(), day.day()),
                "seasons covering the whole year",
            );
        }
        day = day.succ_opt().unwrap_or(day);
    }

    // Blackouts
    let expand_sessions = |c: &mut Ctx, base: Vec<Seg>, sel: &[String]| -> Vec<String> {
        let mut out = Vec::new();
        for (j, s) in sel.iter().enumerate() {
            let matched = match_sessions(&sessions, s);
            if matched.is_empty() {
                let mut p = base.clone();
                p.push(Seg::Index(j));
                c.err(
                    p,
                    format!("\"{s}\""),
                    "a session id, or morning / noon / afternoon",
                );
            }
            out.extend(matched);
        }
        if sel.is_empty() {
            out = sessions.iter().map(|s| s.id.clone()).collect();
            out.push(AFTERNOON_SPAN.to_string());
        }
        out
    };
    let mut service_blackouts = Vec::new();
    for (i, b) in f.service_blackouts.iter().enumerate() {
        if !b.subjects.is_empty() || !b.roles.is_empty() {
            c.err(path!["service_blackouts", i], "subjects or roles", "a service blackout applies to everyone; use [[staff_blackouts]] for a group of staff");
        }
        let weekdays = c.weekdays(path!["service_blackouts", i, "weekdays"], &b.weekdays);
        let sess = expand_sessions(
            &mut c,
            path!["service_blackouts", i, "sessions"],
            &b.sessions,
        );
        service_blackouts.push(ServiceBlackout {
            weekdays,
            sessions: sess,
            reason: b.reason.clone(),
        });
    }
    let mut staff_blackouts = Vec::new();
    for (i, b) in f.staff_blackouts.iter().enumerate() {
        let weekdays = c.weekdays(path!["staff_blackouts", i, "weekdays"], &b.weekdays);
        let sess = expand_sessions(&mut c, path!["staff_blackouts", i, "sessions"], &b.sessions);
        let mut roles = Vec::new();
        for (j, r) in b.roles.iter().enumerate() {
            match Role::parse(r) {
                Some(r) => roles.push(r),
                None => c.err(
                    path!["staff_blackouts", i, "roles", j],
                    format!("\"{r}\""),
                    "homeroom, subject, admin or outside",
                ),
            }
        }
        if b.subjects.is_empty() && roles.is_empty() {
            c.err(
                path!["staff_blackouts", i],
                "no subjects and no roles",
                "the subjects or roles it applies to",
            );
        }
        staff_blackouts.push(StaffBlackout {
            subjects: b.subjects.clone(),
            roles,
            weekdays,
            sessions: sess,
            reason: b.reason.clone(),
        });
    }

    // Duty kinds
    check_unique(&mut c, "duty_kinds", f.duty_kinds.iter().map(|d| &d.id));
    let mut duty_kinds = Vec::new();
    for (i, d) in f.duty_kinds.iter().enumerate() {
        let ledger = match d.ledger.as_str() {
            "service" => Ledger::Service,
            "care" => Ledger::Care,
            o => {
                c.err(
                    path!["duty_kinds", i, "ledger"],
                    format!("\"{o}\""),
                    "service (after-school service proper) or care (morning/noon care)",
                );
                Ledger::Service
            }
        };
        if d.session != AFTERNOON_SPAN && !session_ids.contains(d.session.as_str()) {
            c.err(
                path!["duty_kinds", i, "session"],
                format!("\"{}\"", d.session),
                "a session id from [[sessions]] or \"afternoon\" (all afternoon stages)",
            );
        }
        let mut roles = Vec::new();
        for (j, r) in d.roles.iter().enumerate() {
            match Role::parse(r) {
                Some(r) => roles.push(r),
                None => c.err(
                    path!["duty_kinds", i, "roles", j],
                    format!("\"{r}\""),
                    "homeroom, subject, admin or outside",
                ),
            }
        }
        if roles.is_empty() && d.source != "clubs" {
            c.err(
                path!["duty_kinds", i, "roles"],
                "no role",
                "the roles that may take this duty",
            );
        }
        let source = match d.source.as_str() {
            "groups" => {
                let enrollment = d.enrollment.clone().unwrap_or_else(|| d.session.clone());
                let grouping = match &d.grouping {
                    Some(g) => {
                        let merge = match g.merge.as_str() {
                            "class" => Merge::Class,
                            "grade" => Merge::Grade,
                            "band" => Merge::Band,
                            "school" => Merge::School,
                            o => {
                                c.err(
                                    path!["duty_kinds", i, "grouping", "merge"],
                                    format!("\"{o}\""),
                                    "class, grade, band or school",
                                );
                                Merge::Class
                            }
                        };
                        let min = c.count(path!["duty_kinds", i, "grouping", "min"], g.min, 1);
                        let max = c.count(path!["duty_kinds", i, "grouping", "max"], g.max, 1);
                        if max < min {
                            c.err(
                                path!["duty_kinds", i, "grouping", "max"],
                                format!("{max}, below min {min}"),
                                "max at least min",
                            );
                        }
                        let spg = c.count(
                            path!["duty_kinds", i, "grouping", "staff_per_group"],
                            g.staff_per_group,
                            1,
                        );
                        let pps = g.pupils_per_staff.map(|v| {
                            c.count(path!["duty_kinds", i, "grouping", "pupils_per_staff"], v, 1)
                        });
                        if merge == Merge::Band && bands.is_empty() {
                            c.err(
                                path!["duty_kinds", i, "grouping", "merge"],
                                "\"band\" with no [[grade_bands]]",
                                "grade bands defined, or another merge scope",
                            );
                        }
                        Grouping {
                            merge,
                            min,
                            max,
                            staff_per_group: spg,
                            pupils_per_staff: pps,
                        }
                    }
                    None => {
                        c.err(
                            path!["duty_kinds", i],
                            "source = \"groups\" without [grouping]",
                            "a grouping table: merge, min, max",
                        );
                        Grouping {
                            merge: Merge::Class,
                            min: 1,
                            max: 1,
                            staff_per_group: 1,
                            pupils_per_staff: None,
                        }
                    }
                };
                Source::Groups {
                    enrollment,
                    grouping,
                }
            }
            "clubs" => Source::Clubs,
            "patrol" => {
                let mut by_size = Vec::new();
                let mut last = 0;
                for (j, r) in d.by_size.iter().enumerate() {
                    let m = c.count(
                        path!["duty_kinds", i, "by_size", j, "max_classes"],
                        r.max_classes,
                        1,
                    );
                    let s = c.count(path!["duty_kinds", i, "by_size", j, "staff"], r.staff, 0);
                    if m <= last {
                        c.err(
                            path!["duty_kinds", i, "by_size", j, "max_classes"],
                            m.to_string(),
                            format!("more than the previous row's {last}"),
                        );
                    }
                    last = m;
                    by_size.push((m, s));
                }
                if by_size.is_empty() {
                    c.err(
                        path!["duty_kinds", i, "by_size"],
                        "no rows",
                        "rows of { max_classes, staff }",
                    );
                }
                Source::Patrol { by_size }
            }
            o => {
                c.err(
                    path!["duty_kinds", i, "source"],
                    format!("\"{o}\""),
                    "groups, clubs or patrol",
                );
                Source::Clubs
            }
        };
        let weight = c.centi(
            path!["duty_kinds", i, "weight"],
            d.weight.unwrap_or(1.0),
            "a weight",
        );
        let flat_pay = d
            .flat_pay
            .map(|v| c.fen(path!["duty_kinds", i, "flat_pay"], v));
        duty_kinds.push(DutyKind {
            id: d.id.clone(),
            label: d.label.clone(),
            label_en: d.label_en.clone().unwrap_or_else(|| d.id.clone()),
            ledger,
            session: d.session.clone(),
            source,
            roles,
            qualification: d.qualification.clone().filter(|q| !q.trim().is_empty()),
            weight,
            until_pickup: d.until_pickup,
            flat_pay,
        });
    }
    if duty_kinds.is_empty() {
        c.err(
            path!["duty_kinds"],
            "no duty kind",
            "at least one [[duty_kinds]] table",
        );
    }

    // Staff rules
    let r = &f.staff_rules;
    let mut default_quota = BTreeMap::new();
    for (role, q) in &r.default_quota {
        match Role::parse(role) {
            Some(ro) => {
                let v = c.centi(path!["staff_rules", "default_quota", role], *q, "a quota");
                default_quota.insert(ro, v);
            }
            None => c.err(
                path!["staff_rules", "default_quota", role],
                format!("\"{role}\""),
                "homeroom, subject, admin or outside",
            ),
        }
    }
    let rules = StaffRules {
        max_duties_per_day: c.count(
            path!["staff_rules", "max_duties_per_day"],
            r.max_duties_per_day,
            1,
        ),
        max_minutes_per_day: c.count(
            path!["staff_rules", "max_minutes_per_day"],
            r.max_minutes_per_day,
            1,
        ),
        max_duties_per_week: c.count(
            path!["staff_rules", "max_duties_per_week"],
            r.max_duties_per_week,
            1,
        ),
        max_minutes_per_week: c.count(
            path!["staff_rules", "max_minutes_per_week"],
            r.max_minutes_per_week,
            1,
        ),
        default_quota,
    };

    // Exemptions
    check_unique(&mut c, "exemptions", f.exemptions.iter().map(|e| &e.id));
    let mut exemptions = Vec::new();
    for (i, e) in f.exemptions.iter().enumerate() {
        let no_end_after = e.no_end_after.as_ref().map(|t| {
            if t == "work_end" {
                work_end
            } else {
                c.time(path!["exemptions", i, "no_end_after"], t)
            }
        });
        let no_sessions = expand_sessions(
            &mut c,
            path!["exemptions", i, "no_sessions"],
            &e.no_sessions,
        );
        exemptions.push(Exemption {
            id: e.id.clone(),
            label: e.label.clone(),
            no_end_after,
            no_until_pickup: e.no_until_pickup,
            no_sessions: if e.no_sessions.is_empty() {
                Vec::new()
            } else {
                no_sessions
            },
        });
    }

    // Pay
    let p = &f.pay;
    let pay = Pay {
        minutes_per_keshi: c.count(path!["pay", "minutes_per_keshi"], p.minutes_per_keshi, 1),
        rate_per_keshi: c.fen(path!["pay", "rate_per_keshi"], p.rate_per_keshi),
        daily_cap_keshi: p
            .daily_cap_keshi
            .map(|v| c.centi(path!["pay", "daily_cap_keshi"], v, "a number of 课时")),
        outside_rate_per_keshi: c.fen(
            path!["pay", "outside_rate_per_keshi"],
            p.outside_rate_per_keshi.unwrap_or(p.rate_per_keshi),
        ),
    };

    let pr = f.preferences.as_ref();
    let mut pref = |key: &str, v: Option<i64>, d: i64| -> u32 {
        c.count(path!["preferences", key], v.unwrap_or(d), 0)
    };
    let prefs = Preferences {
        own_class: pref("own_class", pr.and_then(|p| p.own_class), 3),
        continuity: pref("continuity", pr.and_then(|p| p.continuity), 2),
        noon_and_afternoon: pref(
            "noon_and_afternoon",
            pr.and_then(|p| p.noon_and_afternoon),
            1,
        ),
        personal_request: pref("personal_request", pr.and_then(|p| p.personal_request), 2),
    };
    let so = f.solver.as_ref();
    let solver = SolverOptions {
        time_limit_s: so.and_then(|s| s.time_limit_s).unwrap_or(60.0),
        max_nodes: so
            .and_then(|s| s.max_nodes)
            .map_or(500, |n| n.clamp(1, 10_000_000) as u32),
        mip_rel_gap: so.and_then(|s| s.mip_rel_gap).unwrap_or(0.0),
        preferences_gap: so.and_then(|s| s.preferences_gap).unwrap_or(0.01),
    };
    if solver.time_limit_s.is_nan() || solver.time_limit_s <= 0.0 {
        c.err(
            path!["solver", "time_limit_s"],
            solver.time_limit_s.to_string(),
            "a positive number of seconds",
        );
    }
    for (key, v) in [
        ("mip_rel_gap", solver.mip_rel_gap),
        ("preferences_gap", solver.preferences_gap),
    ] {
        if !(0.0..1.0).contains(&v) {
            c.err(
                path!["solver", key],
                v.to_string(),
                "a gap from 0 to below 1",
            );
        }
    }

    let calendar = compile_calendar(&mut c, &f.calendar, national);

    Policy {
        file: src.file.clone(),
        school_name: f.school.name.clone(),
        work_end,
        calendar,
        bands,
        sessions,
        seasons,
        service_blackouts,
        staff_blackouts,
        duty_kinds,
        rules,
        exemptions,
        pay,
        prefs,
        solver,
    }
}

fn match_sessions(sessions: &[Session], sel: &str) -> Vec<String> {
    let part = match sel {
        "morning" => Some(Part::Morning),
        "noon" => Some(Part::Noon),
        "afternoon" => Some(Part::Afternoon),
        _ => None,
    };
    let mut out: Vec<String> = sessions
        .iter()
        .filter(|s| s.id == sel || Some(s.part) == part)
        .map(|s| s.id.clone())
        .collect();
    if part == Some(Part::Afternoon) {
        out.push(AFTERNOON_SPAN.to_string());
    }
    out
}

fn compile_calendar(
    c: &mut Ctx,
    cal: &raw::Calendar,
    national: &[(TomlSource, raw::NationalFile)],
) -> CalendarRules {
    let mut terms = Vec::new();
    for (i, t) in cal.terms.iter().enumerate() {
        let start = c.date(path!["calendar", "terms", i, "start"], &t.start);
        let end = c.date(path!["calendar", "terms", i, "end"], &t.end);
        if end < start {
            c.err(
                path!["calendar", "terms", i, "end"],
                format!("{end}, before the start {start}"),
                "an end date on or after the start",
            );
        }
        terms.push(Term {
            name: t.name.clone(),
            start,
            end,
        });
    }
    for i in 1..terms.len() {
        for j in 0..i {
            if terms[i].start <= terms[j].end && terms[j].start <= terms[i].end {
                c.err(
                    path!["calendar", "terms", i, "start"],
                    format!("term \"{}\" overlaps \"{}\"", terms[i].name, terms[j].name),
                    "terms that do not overlap",
                );
            }
        }
    }

    let mut holidays = Vec::new();
    let mut makeup = BTreeMap::new();
    let ranges = |c: &mut Ctx,
                  src: Option<&TomlSource>,
                  base: Vec<Seg>,
                  list: &[raw::Holiday]|
     -> Vec<Holiday> {
        let mut out = Vec::new();
        for (i, h) in list.iter().enumerate() {
            let mut p = base.clone();
            p.push(Seg::Index(i));
            let report = |c: &mut Ctx, key: &str, found: String, expected: &str| {
                let mut pp = p.clone();
                pp.push(Seg::Key(key.to_string()));
                match src {
                    Some(s) => c.diags.push(s.diag(&pp, found, expected)),
                    None => c.err(pp, found, expected),
                }
            };
            let (from, to) = match (&h.date, &h.from, &h.to) {
                (Some(d), None, None) => (date_of(d), date_of(d)),
                (None, Some(a), Some(b)) => (date_of(a), date_of(b)),
                _ => {
                    report(
                        c,
                        "date",
                        "neither a date nor a from/to pair".into(),
                        "date = 2026-06-01, or from = ... and to = ...",
                    );
                    continue;
                }
            };
            match (from, to) {
                (Some(a), Some(b)) if a <= b => out.push(Holiday {
                    from: a,
                    to: b,
                    name: h.name.clone().or(h.reason.clone()).unwrap_or_default(),
                }),
                (Some(a), Some(b)) => report(
                    c,
                    "to",
                    format!("{b}, before {a}"),
                    "an end date on or after the start",
                ),
                _ => report(
                    c,
                    "date",
                    "a value that is not a plain date".into(),
                    "a date such as 2026-10-01",
                ),
            }
        }
        out
    };
    for (nsrc, n) in national {
        holidays.extend(ranges(c, Some(nsrc), path!["holidays"], &n.holidays));
        let _ = n.year;
        for (i, m) in n.makeup_days.iter().enumerate() {
            add_makeup(c, Some(nsrc), path!["makeup_days", i], m, &mut makeup);
        }
    }
    holidays.extend(ranges(
        c,
        None,
        path!["calendar", "holidays"],
        &cal.holidays,
    ));
    let no_service = ranges(
        c,
        None,
        path!["calendar", "no_service_days"],
        &cal.no_service_days,
    );
    // School entries override the national file's choice of timetable.
    for (i, m) in cal.makeup_days.iter().enumerate() {
        add_makeup(c, None, path!["calendar", "makeup_days", i], m, &mut makeup);
    }
    for d in makeup.keys() {
        if let Some(h) = holidays.iter().find(|h| h.from <= *d && *d <= h.to) {
            c.err(
                path!["calendar", "makeup_days"],
                format!("make-up day {d} inside holiday \"{}\"", h.name),
                "a make-up day outside every holiday",
            );
        }
    }
    CalendarRules {
        terms,
        holidays,
        makeup,
        no_service,
    }
}

fn add_makeup(
    c: &mut Ctx,
    src: Option<&TomlSource>,
    p: Vec<Seg>,
    m: &raw::Makeup,
    out: &mut BTreeMap<NaiveDate, Weekday>,
) {
    let report = |c: &mut Ctx, key: &str, found: String, expected: &str| {
        let mut pp = p.clone();
        pp.push(Seg::Key(key.to_string()));
        match src {
            Some(s) => c.diags.push(s.diag(&pp, found, expected)),
            None => c.err(pp, found, expected),
        }
    };
    let Some(date) = date_of(&m.date) else {
        report(c, "date", m.date.to_string(), "a date such as 2026-10-10");
        return;
    };
    if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        report(
            c,
            "date",
            format!("{date}, a {:?}", date.weekday()),
            "a Saturday or Sunday (a make-up workday falls on a weekend)",
        );
        return;
    }
    match parse_weekday(&m.follows) {
        Some(w) if !matches!(w, Weekday::Sat | Weekday::Sun) => {
            out.insert(date, w);
        }
        _ => report(
            c,
            "follows",
            format!("\"{}\"", m.follows),
            "the weekday whose timetable it follows: mon..fri",
        ),
    }
}

/// The selector name of a part of the day.
pub fn part_name(p: Part) -> &'static str {
    match p {
        Part::Morning => "morning",
        Part::Noon => "noon",
        Part::Afternoon => "afternoon",
    }
}
