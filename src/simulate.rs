//! Term simulation: each week planned (with the term-to-date load from the
//! ledger), published, and served with random absences, in turn.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::data::{School, LOAD_PER_HOUR};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::ledger::{self, Event, History};
use crate::policy::{Policy, Role};
use crate::{demand, roster, solver};

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub label: String,
    pub members: usize,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SimReport {
    pub weeks: u32,
    pub absences: usize,
    /// Absences a substitute served.
    pub substituted: usize,
    pub uncovered: u32,
    /// Groups of staff with equal quota and equal availability.
    pub groups: Vec<Group>,
    /// Weighted hours of the longest single duty served.
    pub longest_duty: f64,
}

impl SimReport {
    pub fn max_spread(&self) -> f64 {
        self.groups
            .iter()
            .map(|g| g.max - g.min)
            .fold(0.0, f64::max)
    }

    pub fn render(&self, lang: Lang) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{} {} {}, {} {} ({} {}), {} {}",
            lang.t("模拟", "simulated"),
            self.weeks,
            lang.t("周", "weeks"),
            self.absences,
            lang.t("次缺勤", "absences"),
            self.substituted,
            lang.t("次有人代岗", "taken by a substitute"),
            self.uncovered,
            lang.t("人次未覆盖", "uncovered seats")
        );
        for g in &self.groups {
            let _ = writeln!(
                o,
                "  {:<28} {:>3} {}  {} {:.3} .. {:.3}  {} {:.3}",
                g.label,
                g.members,
                lang.t("人", "staff"),
                lang.t("相对负荷", "relative load"),
                g.min,
                g.max,
                lang.t("差", "spread"),
                g.max - g.min
            );
        }
        let ok = self.max_spread() <= self.longest_duty + 1e-9;
        let _ = writeln!(
            o,
            "{}: {:.3} {} {:.3} ({}) — {}",
            lang.t(
                "同系数同可用性人员的最大负荷差",
                "largest spread among staff with equal quota and availability"
            ),
            self.max_spread(),
            if ok { "≤" } else { ">" },
            self.longest_duty,
            lang.t(
                "最长单项任务的加权小时",
                "longest single duty, weighted hours"
            ),
            if ok {
                lang.t("达标", "target met")
            } else {
                lang.t("未达标", "target NOT met")
            }
        );
        o
    }
}

/// Availability signature: staff with equal signatures are comparable.
fn signature(p: &Policy, s: &School, i: usize) -> Option<String> {
    let st = &s.staff[i];
    if !st.active
        || st.role == Role::Outside
        || st.quota.0 == 0
        || s.leave.iter().any(|l| l.staff == i)
    {
        return None;
    }
    let blackout = p
        .staff_blackouts
        .iter()
        .any(|b| b.subjects.contains(&st.subject) || b.roles.contains(&st.role));
    let kind = if st.role == Role::Admin {
        "admin"
    } else {
        "teacher"
    };
    let quals: Vec<&str> = st.qualifications.iter().map(|q| q.as_str()).collect();
    Some(format!(
        "{kind} q={} {}{}{}",
        st.quota,
        st.exemption.as_deref().unwrap_or("-"),
        if blackout { " blackout" } else { "" },
        if quals.is_empty() {
            String::new()
        } else {
            format!(" [{}]", quals.join(","))
        }
    ))
}

/// How a term is simulated.
#[derive(Debug, Clone, Copy)]
pub struct Sim {
    pub from: NaiveDate,
    pub weeks: u32,
    /// Probability that a person misses an assigned duty.
    pub absence: f64,
    pub seed: u64,
    /// Whether a substitute takes an absent person's duty, as the
    /// vice-principal would: the eligible person free at that time, within
    /// the limits, with the lowest term-to-date relative load.
    pub substitutes: bool,
}

pub fn term(
    p: &Policy,
    school: &School,
    sim: Sim,
    lang: Lang,
    progress: bool,
) -> Result<SimReport> {
    let Sim {
        from,
        weeks,
        absence,
        seed,
        substitutes,
    } = sim;
    if !(0.0..=1.0).contains(&absence) {
        return Err(Error::Usage("--absence must be between 0 and 1".into()));
    }
    let dir = tempfile::tempdir().map_err(|source| Error::Write {
        path: std::env::temp_dir(),
        source,
    })?;
    let h = History::new(dir.path());
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let bar = progress.then(|| indicatif::ProgressBar::new(u64::from(weeks)));
    let mut absences = 0;
    let mut substituted = 0;
    let mut uncovered = 0;
    let first = crate::calendar::monday_of(from);
    let last = first + chrono::Days::new(7 * u64::from(weeks.max(1)) - 1);
    for w in 0..weeks {
        let monday = first + chrono::Days::new(7 * u64::from(w));
        let mut s = school.clone();
        ledger::add_term_load(p, &mut s, &h, monday)?;
        let dm = demand::week(p, &s, monday);
        let plan = solver::plan(p, &s, &dm, &solver::Options::from_policy(p))?;
        uncovered += plan.uncovered.iter().map(|u| u.1).sum::<u32>();
        h.publish(monday, &roster::to_csv(p, &s, &plan, lang), false)?;
        // Who serves what this week, as substitutions happen.
        let mut serving: Vec<(usize, usize)> =
            plan.assignments.iter().map(|a| (a.duty, a.staff)).collect();
        for a in &plan.assignments {
            if rng.random_bool(absence) {
                absences += 1;
                let sub = if substitutes {
                    substitute(p, &s, &dm, &serving, a.duty)
                } else {
                    None
                };
                if let Some(i) = serving.iter().position(|&x| x == (a.duty, a.staff)) {
                    serving.remove(i);
                }
                if let Some(t) = sub {
                    serving.push((a.duty, t));
                    substituted += 1;
                }
                h.record(&Event::Absent {
                    duty: dm.duties[a.duty].id.clone(),
                    staff: s.staff[a.staff].id.clone(),
                    substitute: sub.map(|t| s.staff[t].id.clone()),
                    note: "simulated".into(),
                })?;
            }
        }
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let served = ledger::served(p, school, &h, first, last)?;
    let load = ledger::served_load(&served);
    let longest =
        served.iter().map(|x| x.duty.load()).max().unwrap_or(0) as f64 / LOAD_PER_HOUR as f64;
    let mut groups: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for i in 0..school.staff.len() {
        if let Some(sig) = signature(p, school, i) {
            let r = load.get(&i).copied().unwrap_or(0) as f64
                / LOAD_PER_HOUR as f64
                / school.staff[i].quota.as_f64();
            groups.entry(sig).or_default().push(r);
        }
    }
    let groups = groups
        .into_iter()
        .filter(|(_, v)| v.len() >= 2)
        .map(|(label, v)| Group {
            label,
            members: v.len(),
            min: v.iter().copied().fold(f64::MAX, f64::min),
            max: v.iter().copied().fold(f64::MIN, f64::max),
        })
        .collect();
    Ok(SimReport {
        weeks,
        absences,
        substituted,
        uncovered,
        groups,
        longest_duty: longest,
    })
}

/// The substitute for `duty`: eligible, free at that time and within the
/// daily and weekly limits given who serves what (`serving`), lowest
/// term-to-date relative load first, then lowest index.
fn substitute(
    p: &Policy,
    s: &School,
    dm: &demand::WeekDemand,
    serving: &[(usize, usize)],
    duty: usize,
) -> Option<usize> {
    let d = &dm.duties[duty];
    let r = &p.rules;
    let week_load = |t: usize| -> i64 {
        serving
            .iter()
            .filter(|x| x.1 == t)
            .map(|x| dm.duties[x.0].load())
            .sum()
    };
    (0..s.staff.len())
        .filter(|&t| {
            let st = &s.staff[t];
            if st.role == Role::Outside || st.quota.0 == 0 {
                return false;
            }
            if solver::ineligible(p, s, t, d).is_some() {
                return false;
            }
            let mine: Vec<&crate::demand::Duty> = serving
                .iter()
                .filter(|x| x.1 == t)
                .map(|x| &dm.duties[x.0])
                .collect();
            let today: Vec<&&crate::demand::Duty> =
                mine.iter().filter(|o| o.date == d.date).collect();
            let overlap = today.iter().any(|o| o.start < d.end && d.start < o.end);
            let day_min: u32 = today.iter().map(|o| o.minutes()).sum();
            let week_min: u32 = mine.iter().map(|o| o.minutes()).sum();
            !overlap
                && (today.len() as u32) < r.max_duties_per_day
                && day_min + d.minutes() <= r.max_minutes_per_day
                && (mine.len() as u32) < r.max_duties_per_week
                && week_min + d.minutes() <= r.max_minutes_per_week
        })
        .min_by(|&a, &b| {
            let rel = |t: usize| {
                (s.served.get(&t).copied().unwrap_or(0) + week_load(t)) as f64
                    / s.staff[t].quota.as_f64()
            };
            rel(a).total_cmp(&rel(b)).then(a.cmp(&b))
        })
}
