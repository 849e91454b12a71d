//! What-if studies: a baseline (policy, data, weeks) and named scenarios,
//! each a list of changes, planned in parallel and compared.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::input::limits::{date_in_range, date_range};
use rayon::prelude::*;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::input::toml_source::TomlSource;
use crate::lang::Lang;
use crate::model::policy::{Policy, Role};
use crate::model::school::{Attends, Club, Leave, LeaveKind, School, Staff, LOAD_PER_HOUR};
use crate::model::units::{parse_weekday, Centi};
use crate::{demand, input, ledger, plan};

pub use super::compare::{comparison_csv, comparison_table, Outcome};
use super::{compare, scenario_file};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    pub name: String,
    #[serde(default)]
    pub changes: Vec<Change>,
}

/// One change of a scenario.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// Staff on leave over a date range (maternity leave, training).
    Leave {
        staff: Vec<String>,
        from: toml::value::Datetime,
        to: toml::value::Datetime,
    },
    /// Staff leaving the school.
    Leaves {
        staff: Vec<String>,
    },
    /// New hires.
    Hire {
        count: u32,
        role: String,
        #[serde(default)]
        subject: String,
        #[serde(default)]
        qualifications: Vec<String>,
    },
    /// Enrollment change per grade or class, in per cent or pupils (every weekday and session).
    Enrollment {
        #[serde(default)]
        grade: Option<u8>,
        #[serde(default)]
        class: Option<String>,
        #[serde(default)]
        percent: Option<f64>,
        #[serde(default)]
        pupils: Option<i64>,
    },
    AddClub {
        id: String,
        name: String,
        weekdays: Vec<String>,
        session: String,
        pupils: u32,
        #[serde(default)]
        qualification: Option<String>,
    },
    RemoveClub {
        id: String,
    },
    /// Every season's afternoon ends at this time (the last stage stretches).
    Cutoff {
        time: String,
    },
    /// Any policy key by dotted path, e.g. "staff_rules.max_duties_per_week".
    Set {
        key: String,
        value: toml::Value,
    },
}

#[derive(Debug, Clone)]
pub struct Study {
    pub file: PathBuf,
    pub policy_path: PathBuf,
    pub policy_text: String,
    pub data_dir: PathBuf,
    pub weeks: Vec<NaiveDate>,
    pub scenarios: Vec<ScenarioSpec>,
    /// The approved applications of the school's record (`School::attends`),
    /// when the study is of the school the record belongs to.
    pub attends: Vec<Attends>,
    /// Whether each week's plan runs the balance tier (tier 4), which
    /// changes who serves when but not the coverage, the highest load nor
    /// the band; on unless `kehou whatif --no-balance` (the preference
    /// tier never runs in a study).
    pub balance: bool,
}

/// Read a scenario file; its policy and data paths are relative to it.
pub fn load(path: &Path) -> Result<Study> {
    let src = TomlSource::read(path)?;
    let f = scenario_file::from_source(&src)?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut study = Study::new(&base.join(&f.policy), &base.join(&f.data), f.weeks)?;
    study.file = path.to_path_buf();
    study.scenarios = f.scenarios;
    Ok(study)
}

impl Study {
    /// A study of the school at `policy` and `data` over `weeks`, with no
    /// scenarios yet (the web app's, of its workspace).
    pub fn new(policy: &Path, data: &Path, weeks: Vec<NaiveDate>) -> Result<Study> {
        Ok(Study {
            file: PathBuf::new(),
            policy_path: policy.to_path_buf(),
            policy_text: TomlSource::read(policy)?.text,
            data_dir: data.to_path_buf(),
            weeks,
            scenarios: Vec::new(),
            attends: Vec::new(),
            balance: true,
        })
    }
}

fn date(d: &toml::value::Datetime) -> Result<NaiveDate> {
    d.date
        .and_then(|x| NaiveDate::from_ymd_opt(x.year as i32, u32::from(x.month), u32::from(x.day)))
        .filter(|d| date_in_range(*d))
        .ok_or_else(|| {
            let want = date_range("2026-03-02");
            said(
                &format!("{d}: 应为{}", want.zh),
                format!("{d}: expected {}", want.en),
            )
        })
}

/// Apply a scenario's policy changes to the policy text.
fn edit_policy(text: &str, changes: &[Change]) -> Result<String> {
    let mut doc: toml::Table =
        toml::from_str(text).map_err(|e| policy_unreadable(&e.to_string()))?;
    for c in changes {
        match c {
            Change::Cutoff { time } => {
                let seasons = doc
                    .get_mut("seasons")
                    .and_then(|v| v.as_array_mut())
                    .ok_or_else(|| {
                        said(
                            "规则文件中没有 [[seasons]]",
                            "policy has no [[seasons]]".into(),
                        )
                    })?;
                for s in seasons.iter_mut().filter_map(|s| s.as_table_mut()) {
                    s.insert("cutoff".into(), toml::Value::String(time.clone()));
                }
            }
            Change::Set { key, value } => {
                let parts: Vec<&str> = key.split('.').collect();
                let mut t = &mut doc;
                for p in &parts[..parts.len() - 1] {
                    t = t
                        .get_mut(*p)
                        .and_then(|v| v.as_table_mut())
                        .ok_or_else(|| {
                            said(
                                &format!("set: {key} 中没有表 {p}"),
                                format!("set: no table {p} in {key}"),
                            )
                        })?;
                }
                let last = parts[parts.len() - 1];
                if !t.contains_key(last) {
                    return Err(said(
                        &format!("set: 规则文件中没有 {key}"),
                        format!("set: the policy has no key {key}"),
                    ));
                }
                t.insert(last.to_string(), value.clone());
            }
            _ => {}
        }
    }
    toml::to_string(&doc).map_err(|e| policy_unreadable(&e.to_string()))
}

/// The policy text that a scenario edits could not be read or written back.
fn policy_unreadable(e: &str) -> Error {
    let (found, expected) = crate::input::toml_zh::toml_zh(e.trim());
    said(
        &format!("规则文件: {found}; 应为{expected}"),
        format!("policy: {}", e.trim()),
    )
}

/// Apply a scenario's data changes to the school.
fn edit_school(p: &Policy, s: &mut School, changes: &[Change]) -> Result<()> {
    for c in changes {
        match c {
            Change::Leave { staff, from, to } => add_leave(s, staff, date(from)?, date(to)?)?,
            Change::Leaves { staff } => {
                for id in staff {
                    let i = s.staff_index(id).ok_or_else(|| no_staff("leaves", id))?;
                    s.staff[i].active = false;
                }
            }
            Change::Hire {
                count,
                role,
                subject,
                qualifications,
            } => hire(p, s, *count, role, subject, qualifications)?,
            Change::Enrollment {
                grade,
                class,
                percent,
                pupils,
            } => change_enrollment(s, *grade, class.as_deref(), *percent, *pupils)?,
            Change::AddClub {
                id,
                name,
                weekdays,
                session,
                pupils,
                qualification,
            } => {
                let wds = weekdays
                    .iter()
                    .map(|w| {
                        parse_weekday(w).ok_or_else(|| {
                            said(
                                &format!("add_club: 无法识别的星期 {w}"),
                                format!("add_club: weekday {w}"),
                            )
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                s.clubs.push(Club {
                    id: id.clone(),
                    name: name.clone(),
                    weekdays: wds,
                    session: session.clone(),
                    pupils: *pupils,
                    qualification: qualification.clone(),
                    staff_needed: 1,
                    instructor: None,
                    times: None,
                    line: 0,
                });
            }
            Change::RemoveClub { id } => {
                let n = s.clubs.len();
                s.clubs.retain(|c| c.id != *id);
                if s.clubs.len() == n {
                    return Err(said(
                        &format!("remove_club: 没有社团 {id}"),
                        format!("remove_club: no club {id}"),
                    ));
                }
            }
            Change::Cutoff { .. } | Change::Set { .. } => {}
        }
    }
    Ok(())
}

/// Staff on leave for whole days over a date range.
/// A scenario's change naming someone not in the staff list.
fn no_staff(change: &str, id: &str) -> Error {
    said(
        &format!("方案的 {change}: 教职工名单中没有 {id}"),
        format!("{change}: no staff {id}"),
    )
}

/// A mistake in a scenario, in both languages.
fn said(zh: &str, en: String) -> Error {
    Error::Mistake(crate::error::Said::new(zh, en))
}

fn add_leave(s: &mut School, staff: &[String], from: NaiveDate, to: NaiveDate) -> Result<()> {
    for id in staff {
        let i = s.staff_index(id).ok_or_else(|| no_staff("leave", id))?;
        s.leave.push(Leave {
            staff: i,
            from,
            to,
            sessions: Vec::new(),
            kind: LeaveKind::Leave,
            reason: "scenario".into(),
        });
    }
    Ok(())
}

/// New hires with the role's default quota.
fn hire(
    p: &Policy,
    s: &mut School,
    count: u32,
    role: &str,
    subject: &str,
    qualifications: &[String],
) -> Result<()> {
    let role = Role::parse(role).ok_or_else(|| {
        said(
            &format!("hire: 无法识别的角色 {role}"),
            format!("hire: unknown role {role}"),
        )
    })?;
    for k in 0..count {
        let id = format!("NEW{:02}", s.staff.len() + k as usize + 1);
        s.staff.push(Staff {
            name: format!("新教师{}", k + 1),
            id,
            role,
            subject: subject.to_string(),
            qualifications: qualifications.iter().cloned().collect(),
            homeroom: None,
            quota: p
                .rules
                .default_quota
                .get(&role)
                .copied()
                .unwrap_or(Centi::ONE),
            exemption: None,
            active: true,
            line: 0,
        });
    }
    Ok(())
}

/// Enrollment of a grade or a class changed by a per cent or a number of pupils.
fn change_enrollment(
    s: &mut School,
    grade: Option<u8>,
    class: Option<&str>,
    percent: Option<f64>,
    pupils: Option<i64>,
) -> Result<()> {
    let hit: BTreeSet<usize> = s
        .classes
        .iter()
        .enumerate()
        .filter(|(_, c)| grade.is_some_and(|g| c.grade == g) || class.is_some_and(|x| x == c.id))
        .map(|(i, _)| i)
        .collect();
    if hit.is_empty() {
        return Err(said(
            "enrollment: 没有符合该年级或班级的班级",
            "enrollment: no class matches the grade or class".into(),
        ));
    }
    // The change is to enrollment.csv's counts: a class it names is counted
    // from them, not from its applications.
    let ids: BTreeSet<String> = hit.iter().map(|&i| s.classes[i].id.clone()).collect();
    s.attends.retain(|a| !ids.contains(&a.class));
    for ((ci, _, _), n) in s.enrollment.iter_mut() {
        if hit.contains(ci) {
            let v = match (percent, pupils) {
                (Some(pc), _) => (f64::from(*n) * (1.0 + pc / 100.0)).round() as i64,
                (None, Some(d)) => i64::from(*n) + d,
                _ => i64::from(*n),
            };
            *n = v.clamp(0, 200) as u32;
        }
    }
    Ok(())
}

/// The policy and school of a scenario: the study's with its changes
/// applied (an error names the change that cannot be applied).
pub fn prepare(study: &Study, spec: &ScenarioSpec) -> Result<(Policy, School)> {
    let text = edit_policy(&study.policy_text, &spec.changes)?;
    let p = input::policy::load_text(&study.policy_path, &text)?;
    let mut s = input::school::load(&study.data_dir, &p)?;
    s.attends = study.attends.clone();
    edit_school(&p, &mut s, &spec.changes)?;
    Ok((p, s))
}

fn run_one(study: &Study, spec: &ScenarioSpec, opts_override: Option<f64>) -> Result<Outcome> {
    let (p, s) = prepare(study, spec)?;
    let mut out = Outcome {
        name: spec.name.clone(),
        uncovered: 0,
        uncovered_by: [0; 3],
        max_rel: 0.0,
        min_rel: f64::INFINITY,
        staff_hours: 0.0,
        cost: crate::model::units::Fen(0),
        changed: 0,
        pairs: BTreeSet::new(),
        rosters: Vec::new(),
        days: Vec::new(),
    };
    for &w in &study.weeks {
        let monday = crate::calendar::monday_of(w);
        crate::calendar::require_national(&p, monday, monday + chrono::Days::new(6))?;
    }
    let mut load: BTreeMap<usize, i64> = BTreeMap::new();
    let mut served = Vec::new();
    for &w in &study.weeks {
        let dm = demand::week(&p, &s, w);
        let mut opts = plan::Options::from_policy(&p);
        opts.skip_preferences = true;
        opts.skip_balance = !study.balance;
        if let Some(t) = opts_override {
            opts.time_limit_s = t;
        }
        let plan = plan::plan(&p, &s, &dm, &opts)?;
        out.uncovered += plan.uncovered.iter().map(|u| u.1).sum::<u32>();
        for day in compare::coverage(&p, &plan) {
            for k in 0..3 {
                out.uncovered_by[k] += day.open[k];
            }
            out.days.push(day);
        }
        for a in &plan.assignments {
            let d = &dm.duties[a.duty];
            *load.entry(a.staff).or_insert(0) += d.load();
            out.staff_hours += f64::from(d.minutes()) / 60.0;
            out.pairs
                .insert((d.id.clone(), s.staff[a.staff].id.clone()));
            served.push(ledger::Served {
                duty: d.clone(),
                staff: a.staff,
            });
        }
        out.rosters.push((
            dm.monday,
            crate::outputs::roster_csv::to_csv(&p, &s, &plan, Lang::Zh),
        ));
    }
    // Staff away for the whole study are not part of the load comparison.
    let (first, last) = match (study.weeks.iter().min(), study.weeks.iter().max()) {
        (Some(a), Some(b)) => (
            crate::calendar::monday_of(*a),
            crate::calendar::monday_of(*b) + chrono::Days::new(6),
        ),
        _ => (NaiveDate::MIN, NaiveDate::MIN),
    };
    let away = |i: usize| {
        s.leave.iter().any(|l| {
            l.staff == i
                && l.kind == LeaveKind::Leave
                && l.sessions.is_empty()
                && l.from <= first
                && last <= l.to
        })
    };
    for (i, st) in s.staff.iter().enumerate() {
        if crate::plan::is_fair(st) && !away(i) {
            let r = load.get(&i).copied().unwrap_or(0) as f64
                / LOAD_PER_HOUR as f64
                / st.quota.as_f64();
            out.max_rel = out.max_rel.max(r);
            out.min_rel = out.min_rel.min(r);
        }
    }
    let rows = ledger::workload(&p, &s, &served);
    out.cost = ledger::totals(&rows).total_pay();
    Ok(out)
}

/// Run the baseline and every scenario in parallel (rayon). A failing
/// scenario reports its error; the others complete.
pub fn run(
    study: &Study,
    progress: bool,
    time_limit: Option<f64>,
) -> Vec<(String, Result<Outcome>)> {
    let bar = progress.then(|| indicatif::ProgressBar::new(study.scenarios.len() as u64 + 1));
    let results = run_with(study, time_limit, &|_| {
        if let Some(b) = &bar {
            b.inc(1);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    results
}

/// [`run`], telling `done` the name of each scenario as it ends (from
/// any of rayon's threads). The baseline is named `baseline` and first.
pub fn run_with(
    study: &Study,
    time_limit: Option<f64>,
    done: &(dyn Fn(&str) + Sync),
) -> Vec<(String, Result<Outcome>)> {
    let mut specs = vec![ScenarioSpec {
        name: "baseline".into(),
        changes: Vec::new(),
    }];
    specs.extend(study.scenarios.iter().cloned());
    let mut results: Vec<(String, Result<Outcome>)> = specs
        .par_iter()
        .map(|sp| {
            let r = run_one(study, sp, time_limit);
            done(&sp.name);
            (sp.name.clone(), r)
        })
        .collect();
    let base = results
        .first()
        .and_then(|r| r.1.as_ref().ok())
        .map(|o| o.pairs.clone());
    if let Some(base) = base {
        for (_, r) in results.iter_mut() {
            if let Ok(o) = r {
                // Assignments the scenario has that the baseline does not.
                o.changed = o.pairs.difference(&base).count();
            }
        }
    }
    results
}
