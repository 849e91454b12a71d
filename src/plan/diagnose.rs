//! Shortage diagnosis: for each slot with uncovered duties, the reason
//! and what would fix it.

use std::collections::BTreeMap;

use crate::demand::Duty;
use crate::lang::Lang;
use crate::model::policy::{Policy, Priority};
use crate::model::school::School;
use crate::plan::{ineligible, Plan};
use crate::rules::{self, Rule};

#[derive(Debug, Clone, PartialEq)]
pub struct SlotDiagnosis {
    pub priority: Priority,
    pub date: chrono::NaiveDate,
    pub session: String,
    /// Index into `policy.duty_kinds`.
    pub kind: usize,
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
        let kind = policy.duty_kinds.get(self.kind).map_or("", |k| match lang {
            Lang::Zh => k.label.as_str(),
            Lang::En => k.label_en.as_str(),
        });
        let sess = format!("{sess} {kind}");
        let loud = match (self.priority, lang) {
            (Priority::Required, Lang::Zh) => "【必保任务缺人】",
            (Priority::Required, Lang::En) => "[REQUIRED duty short] ",
            _ => "",
        };
        match lang {
            Lang::Zh => format!(
                "{loud}{wd} {date} {sess}: {q}{} 项任务缺 {} 人(共需 {} 人); 可安排 {} 人, 其中 {} 人同时段已有任务; 排除: {}。建议: {fix}",
                self.duties_uncovered, self.staff_missing, self.staff_needed, self.eligible, self.busy, if ex.is_empty() { "无".into() } else { ex.join(", ") }
            ),
            Lang::En => format!(
                "{loud}{wd} {date} {sess}: {q}{} duties short of {} staff ({} needed); {} eligible, {} of them busy at that time; excluded: {}. Fix: {fix}",
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

/// Priority, date, session, duty kind and qualification of a slot.
type SlotKey = (Priority, chrono::NaiveDate, String, usize, Option<String>);

fn slot_key(policy: &Policy, d: &Duty) -> SlotKey {
    let pr = policy
        .duty_kinds
        .get(d.kind)
        .map_or(Priority::Normal, |k| k.priority);
    (
        pr,
        d.date,
        d.session.clone(),
        d.kind,
        d.qualification.clone(),
    )
}

/// Diagnose every slot with uncovered duties, required duties first.
pub fn diagnose(policy: &Policy, school: &School, plan: &Plan) -> Vec<SlotDiagnosis> {
    let dm = &plan.demand;
    let mut slots: BTreeMap<SlotKey, Vec<(usize, u32)>> = BTreeMap::new();
    for &(d, n) in &plan.uncovered {
        slots
            .entry(slot_key(policy, &dm.duties[d]))
            .or_default()
            .push((d, n));
    }
    let mut out = Vec::new();
    for (key, list) in slots {
        let d0 = &dm.duties[list[0].0];
        let same_slot: Vec<usize> = (0..dm.duties.len())
            .filter(|&i| slot_key(policy, &dm.duties[i]) == key)
            .collect();
        let staff = count_staff(policy, school, plan, d0, &same_slot);
        let (priority, date, session, kind, qualification) = key;
        out.push(SlotDiagnosis {
            priority,
            date,
            session,
            kind,
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

/// Seats left open per priority and duty kind, and that tier 1 left them
/// open lowest priority first; None when every seat is covered.
pub fn open_summary(policy: &Policy, plan: &Plan, lang: Lang) -> Option<String> {
    let mut by: BTreeMap<(Priority, usize), u32> = BTreeMap::new();
    for &(d, n) in &plan.uncovered {
        let k = plan.demand.duties[d].kind;
        let pr = policy
            .duty_kinds
            .get(k)
            .map_or(Priority::Normal, |x| x.priority);
        *by.entry((pr, k)).or_insert(0) += n;
    }
    if by.is_empty() {
        return None;
    }
    let parts: Vec<String> = Priority::ALL
        .iter()
        .map(|&pr| {
            let kinds: Vec<String> = by
                .iter()
                .filter(|((p, _), _)| *p == pr)
                .map(|((_, k), n)| {
                    let dk = &policy.duty_kinds[*k];
                    format!("{} {n}", lang.t(&dk.label, &dk.label_en))
                })
                .collect();
            let total: u32 = by
                .iter()
                .filter(|((p, _), _)| *p == pr)
                .map(|(_, n)| n)
                .sum();
            match kinds.is_empty() {
                true => format!("{} 0", pr.label(lang)),
                false => format!("{} {total} ({})", pr.label(lang), kinds.join(", ")),
            }
        })
        .collect();
    let required = by.keys().any(|(p, _)| *p == Priority::Required);
    let head = match (required, lang) {
        (true, Lang::Zh) => "!! 必保任务未能全部安排 (见下方【必保任务缺人】)。留空人次",
        (true, Lang::En) => {
            "!! REQUIRED duties left open (see [REQUIRED duty short] below). Open seats"
        }
        (false, Lang::Zh) => "留空人次 (按优先级, 先留空低优先级任务)",
        (false, Lang::En) => "open seats (by priority, lowest priority left open first)",
    };
    Some(format!("{head}: {}", parts.join("; ")))
}
