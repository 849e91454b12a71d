//! Shortage diagnosis: for each slot with uncovered duties, the reason
//! and what would fix it.

use std::collections::BTreeMap;

use crate::demand::Duty;
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::plan::{ineligible, Plan};
use crate::rules::{self, Rule};

#[derive(Debug, Clone, PartialEq)]
pub struct SlotDiagnosis {
    pub date: chrono::NaiveDate,
    pub session: String,
    pub qualification: Option<String>,
    pub duties_uncovered: usize,
    pub staff_missing: u32,
    pub staff_needed: u32,
    /// Staff who may take these duties at all.
    pub eligible: u32,
    /// Eligible staff already on another duty at an overlapping time.
    pub busy: u32,
    /// Staff excluded, by rule.
    pub excluded: BTreeMap<Rule, u32>,
}

impl SlotDiagnosis {
    pub fn render(&self, policy: &Policy, lang: Lang) -> String {
        let sess = policy
            .session(&self.session)
            .map_or(self.session.clone(), |s| {
                if lang == Lang::Zh {
                    s.label.clone()
                } else {
                    s.label_en.clone()
                }
            });
        let wd = lang.weekday(chrono::Datelike::weekday(&self.date));
        let date = self.date.format("%m-%d");
        let ex: Vec<String> = self
            .excluded
            .iter()
            .map(|(r, n)| format!("{} {n}", r.label(lang)))
            .collect();
        let q = self
            .qualification
            .as_deref()
            .map(|q| match lang {
                Lang::Zh => format!("需{q}资质,"),
                Lang::En => format!("needing {q}, "),
            })
            .unwrap_or_default();
        let fix = self.fix(policy, lang);
        match lang {
            Lang::Zh => format!(
                "{wd} {date} {sess}: {q}{} 项任务缺 {} 人(共需 {} 人); 可安排 {} 人, 其中 {} 人同时段已有任务; 排除: {}。建议: {fix}",
                self.duties_uncovered, self.staff_missing, self.staff_needed, self.eligible, self.busy, if ex.is_empty() { "无".into() } else { ex.join(", ") }
            ),
            Lang::En => format!(
                "{wd} {date} {sess}: {q}{} duties short of {} staff ({} needed); {} eligible, {} of them busy at that time; excluded: {}. Fix: {fix}",
                self.duties_uncovered, self.staff_missing, self.staff_needed, self.eligible, self.busy, if ex.is_empty() { "none".into() } else { ex.join(", ") }
            ),
        }
    }

    /// What would fix the slot, in the wording of the rule that binds.
    fn fix(&self, policy: &Policy, lang: Lang) -> String {
        if let Some(q) = &self.qualification {
            if self.eligible < self.staff_needed {
                return rules::qualification::fix(lang, q, self.staff_needed - self.eligible);
            }
        }
        if self.eligible >= self.staff_needed {
            return rules::limits::fix(&policy.rules, lang);
        }
        rules::coverage::fix(lang, self.staff_missing)
    }
}

/// Date, session and qualification of a slot.
type SlotKey = (chrono::NaiveDate, String, Option<String>);

/// Diagnose every slot with uncovered duties.
pub fn diagnose(policy: &Policy, school: &School, plan: &Plan) -> Vec<SlotDiagnosis> {
    let dm = &plan.demand;
    let mut slots: BTreeMap<SlotKey, Vec<(usize, u32)>> = BTreeMap::new();
    for &(d, n) in &plan.uncovered {
        let duty = &dm.duties[d];
        slots
            .entry((duty.date, duty.session.clone(), duty.qualification.clone()))
            .or_default()
            .push((d, n));
    }
    let mut out = Vec::new();
    for ((date, session, qualification), list) in slots {
        let d0 = &dm.duties[list[0].0];
        let same_slot: Vec<usize> = dm
            .duties
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                d.date == date && d.session == session && d.qualification == qualification
            })
            .map(|(i, _)| i)
            .collect();
        let staff = count_staff(policy, school, plan, d0, &same_slot);
        out.push(SlotDiagnosis {
            date,
            session,
            qualification,
            duties_uncovered: list.len(),
            staff_missing: list.iter().map(|x| x.1).sum(),
            staff_needed: same_slot.iter().map(|&i| dm.duties[i].staff_needed).sum(),
            eligible: staff.eligible,
            busy: staff.busy,
            excluded: staff.excluded,
        });
    }
    out
}

/// Who could take a slot's duties: the eligible, those of them busy
/// elsewhere at that time, and the excluded by the first failing rule.
struct StaffCount {
    eligible: u32,
    busy: u32,
    excluded: BTreeMap<Rule, u32>,
}

/// Counts every staff member for the slot of `d0` (duties `same_slot`).
fn count_staff(
    policy: &Policy,
    school: &School,
    plan: &Plan,
    d0: &Duty,
    same_slot: &[usize],
) -> StaffCount {
    let dm = &plan.demand;
    let mut c = StaffCount {
        eligible: 0,
        busy: 0,
        excluded: BTreeMap::new(),
    };
    for s in 0..school.staff.len() {
        match ineligible(policy, school, s, d0) {
            Some(r) => *c.excluded.entry(r).or_insert(0) += 1,
            None => {
                c.eligible += 1;
                let on_other = plan.assignments.iter().any(|a| {
                    a.staff == s && !same_slot.contains(&a.duty) && dm.duties[a.duty].overlaps(d0)
                });
                if on_other {
                    c.busy += 1;
                }
            }
        }
    }
    c
}
