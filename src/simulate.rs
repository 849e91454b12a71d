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
            "{} {} {}, {} {}, {} {}",
            lang.t("模拟", "simulated"),
            self.weeks,
            lang.t("周", "weeks"),
            self.absences,
            lang.t("次缺勤", "absences"),
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

#[allow(clippy::too_many_arguments)]
pub fn term(
    p: &Policy,
    school: &School,
    from: NaiveDate,
    weeks: u32,
    absence: f64,
    seed: u64,
    lang: Lang,
    progress: bool,
) -> Result<SimReport> {
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
        for a in &plan.assignments {
            if rng.random_bool(absence) {
                absences += 1;
                h.record(&Event::Absent {
                    duty: dm.duties[a.duty].id.clone(),
                    staff: s.staff[a.staff].id.clone(),
                    substitute: None,
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
        uncovered,
        groups,
        longest_duty: longest,
    })
}
