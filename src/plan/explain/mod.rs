//! "Why this load?": for one person and a planned (or published) week,
//! their duties, what kept them off others (leave, blackouts, exemption,
//! role, qualification, the daily and weekly limits), the tier that bound
//! them, and where they stand against the average and the busiest.
//! Staff away the whole week, and staff outside fairness, are shown apart
//! and kept out of the average, the lowest and the spread. The data is
//! serializable (the web app shows it); `words` writes the sentences.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::demand::WeekDemand;
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::{School, LOAD_PER_HOUR};
use crate::plan::{ineligible, is_fair, Plan};

mod limits;
mod words;

pub use words::{constraint_words, render, standing_words};

/// One of their duties.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DutyLine {
    pub duty_id: String,
    pub date: NaiveDate,
    pub start: String,
    pub end: String,
    /// Session, kind and group, in the chosen language.
    pub what: String,
    /// Weighted hours (the load it adds).
    pub load_hours: f64,
}

/// Something that kept them off duties or limited them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Constraint {
    /// The rule's id (`leave`, `blackout`, `weekly-limit`, ...).
    pub rule: &'static str,
    /// What it is and when, in the chosen language.
    pub what: String,
    /// Duties of the week it kept them off (0 for a limit reached).
    pub duties: u32,
}

/// Where they stand among the staff compared for fairness.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    /// Weighted hours this week, and this term with this week.
    pub week_hours: f64,
    pub term_hours: f64,
    pub quota: f64,
    /// Term hours over quota.
    pub relative: f64,
    /// Total term hours over total quota of the staff compared.
    pub average: f64,
    pub top: f64,
    pub lowest: f64,
    /// Their band of tier 3: about half a duty either side of the average.
    pub band: (f64, f64),
    /// Staff compared, and staff left out (away all week, outside fairness).
    pub compared: u32,
    pub left_out: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub staff_id: String,
    pub name: String,
    pub monday: NaiveDate,
    pub duties: Vec<DutyLine>,
    pub limits: Vec<Constraint>,
    /// None when they are not compared (see `apart`).
    pub standing: Option<Standing>,
    /// Why they are outside the comparison: away all week, not taking
    /// part, an outside instructor, no quota.
    pub apart: Option<String>,
    /// The tier that bound their load, in words; None when not known (a
    /// published week keeps no proofs) or not compared.
    pub bound: Option<String>,
}

/// Fair staff who may take no duty of the week: away all week (leave,
/// exemption from every duty). Outside the fairness comparison.
pub fn away_all_week(policy: &Policy, school: &School, dm: &WeekDemand) -> Vec<usize> {
    (0..school.staff.len())
        .filter(|&s| is_fair(&school.staff[s]))
        .filter(|&s| {
            !dm.duties
                .iter()
                .any(|d| ineligible(policy, school, s, d).is_none())
        })
        .collect()
}

/// Each person's term load with the plan's week (weighted hours).
fn term_hours(school: &School, plan: &Plan) -> Vec<f64> {
    let mut l: Vec<i64> = (0..school.staff.len())
        .map(|s| school.served.get(&s).copied().unwrap_or(0))
        .collect();
    for a in &plan.assignments {
        l[a.staff] += plan.demand.duties[a.duty].load();
    }
    l.into_iter()
        .map(|x| x as f64 / LOAD_PER_HOUR as f64)
        .collect()
}

/// The explanation of `staff`'s week in `plan`.
pub fn explain(
    policy: &Policy,
    school: &School,
    plan: &Plan,
    staff: usize,
    lang: Lang,
) -> Explanation {
    let st = &school.staff[staff];
    let dm = &plan.demand;
    let away = away_all_week(policy, school, dm);
    let standing = (is_fair(st) && !away.contains(&staff))
        .then(|| standing(policy, school, plan, staff, &away));
    let apart = words::apart(policy, school, dm, staff, away.contains(&staff), lang);
    let bound = standing
        .as_ref()
        .and_then(|sd| words::bound(plan, sd, lang));
    Explanation {
        staff_id: st.id.clone(),
        name: st.name.clone(),
        monday: dm.monday,
        duties: duty_lines(policy, plan, staff, lang),
        limits: limits::of(policy, school, plan, staff, lang),
        standing,
        apart,
        bound,
    }
}

fn duty_lines(policy: &Policy, plan: &Plan, staff: usize, lang: Lang) -> Vec<DutyLine> {
    let dm = &plan.demand;
    let mut mine: Vec<usize> = plan
        .assignments
        .iter()
        .filter(|a| a.staff == staff)
        .map(|a| a.duty)
        .collect();
    mine.sort_by_key(|&d| (dm.duties[d].date, dm.duties[d].start, d));
    mine.into_iter()
        .map(|i| {
            let d = &dm.duties[i];
            DutyLine {
                duty_id: d.id.clone(),
                date: d.date,
                start: d.start.to_string(),
                end: d.end.to_string(),
                what: words::duty_what(policy, d, lang),
                load_hours: d.load() as f64 / LOAD_PER_HOUR as f64,
            }
        })
        .collect()
}

/// Where `staff` stands among the fair staff not away all week.
fn standing(
    policy: &Policy,
    school: &School,
    plan: &Plan,
    staff: usize,
    away: &[usize],
) -> Standing {
    let hours = term_hours(school, plan);
    let compared: Vec<usize> = (0..school.staff.len())
        .filter(|&s| is_fair(&school.staff[s]) && !away.contains(&s))
        .collect();
    let q = |s: usize| school.staff[s].quota.as_f64();
    let rel: BTreeMap<usize, f64> = compared.iter().map(|&s| (s, hours[s] / q(s))).collect();
    let total_q: f64 = compared.iter().map(|&s| q(s)).sum();
    let average = match total_q > 0.0 {
        true => compared.iter().map(|&s| hours[s]).sum::<f64>() / total_q,
        false => 0.0,
    };
    let week_hours: f64 = plan
        .assignments
        .iter()
        .filter(|a| a.staff == staff)
        .map(|a| plan.demand.duties[a.duty].load() as f64 / LOAD_PER_HOUR as f64)
        .sum();
    // Tier 3 measures from tier 2's average when the plan has one.
    let center = plan.stats.center.unwrap_or(average);
    let half = half_duty(policy, school, &plan.demand, staff);
    Standing {
        week_hours,
        term_hours: hours[staff],
        quota: q(staff),
        relative: rel.get(&staff).copied().unwrap_or(0.0),
        average,
        top: rel.values().copied().fold(0.0, f64::max),
        lowest: rel.values().copied().fold(f64::INFINITY, f64::min),
        band: (center - half, center + half),
        compared: compared.len() as u32,
        left_out: (school.staff.len() - compared.len()) as u32,
    }
}

/// Half the relative load of the largest duty `s` may take: half the
/// width of their tier-3 band (as the planner sets it).
fn half_duty(policy: &Policy, school: &School, dm: &WeekDemand, s: usize) -> f64 {
    let l = dm
        .duties
        .iter()
        .filter(|d| ineligible(policy, school, s, d).is_none())
        .map(|d| d.load())
        .max()
        .unwrap_or(0);
    l as f64 / LOAD_PER_HOUR as f64 / school.staff[s].quota.as_f64() / 2.0
}

/// The staff member named by id, else by name; an error naming the ids
/// when two share the name, or when none matches.
pub fn find_staff(school: &School, who: &str) -> crate::error::Result<usize> {
    if let Some(i) = school.staff_index(who) {
        return Ok(i);
    }
    let by_name: Vec<usize> = (0..school.staff.len())
        .filter(|&i| school.staff[i].name == who)
        .collect();
    match by_name.as_slice() {
        [i] => Ok(*i),
        [] => Err(crate::error::Error::Mistake(crate::error::Said::new(
            format!("没有这个工号或姓名: {who}"),
            format!("no staff id or name: {who}"),
        ))),
        many => {
            let ids: Vec<&str> = many.iter().map(|&i| school.staff[i].id.as_str()).collect();
            Err(crate::error::Error::Mistake(crate::error::Said::new(
                format!("有 {} 人同名, 请用工号: {}", ids.len(), ids.join(", ")),
                format!(
                    "{} people share the name, give the id: {}",
                    ids.len(),
                    ids.join(", ")
                ),
            )))
        }
    }
}
