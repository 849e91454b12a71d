//! Shortage diagnosis: for each slot with open seats, the duty (kind and
//! club), the balance of seats needed against what the people who may
//! take them can still take under the limits, and what would fix it.
//! `words` says it in the school's words.

use std::collections::BTreeMap;

use crate::demand::Duty;
use crate::model::policy::{Policy, Priority};
use crate::model::school::School;
use crate::plan::{ineligible, Plan};
use crate::rules::{Limit, Rule};

mod week;
mod words;

pub use week::{week_balance, WeekBalance};
pub use words::open_summary;
pub(crate) use words::{excluded_label, session_words};

#[derive(Debug, Clone, PartialEq)]
pub struct SlotDiagnosis {
    pub priority: Priority,
    pub date: chrono::NaiveDate,
    pub session: String,
    /// Index into `policy.duty_kinds`.
    pub kind: usize,
    pub qualification: Option<String>,
    /// The groups of the duties left open (a club's name, a class).
    pub groups: Vec<String>,
    pub duties_uncovered: usize,
    pub staff_missing: u32,
    /// Seats of the slot's duties (covered and open).
    pub staff_needed: u32,
    /// Staff who may take these duties at all.
    pub eligible: u32,
    /// Of the eligible: seats of the slot they hold.
    pub holding: u32,
    /// Of the eligible holding none: on another duty at an overlapping time.
    pub busy: u32,
    /// Of the eligible holding none and not busy: at a limit, by the
    /// first limit one more duty would pass (week before day).
    pub at_limit: BTreeMap<Limit, u32>,
    /// Seats the eligible can take with the rest of their week as
    /// planned: those they hold and one per person still free.
    pub can_take: u32,
    /// Staff excluded, by rule.
    pub excluded: BTreeMap<Rule, u32>,
    /// A lower priority than the week's highest, with no seat of a
    /// higher priority open: left open by priority.
    pub by_priority: bool,
}

/// Priority, date, session, duty kind and qualification of a slot.
type SlotKey = (Priority, chrono::NaiveDate, String, usize, Option<String>);

fn priority_of(policy: &Policy, d: &Duty) -> Priority {
    policy
        .duty_kinds
        .get(d.kind)
        .map_or(Priority::Normal, |k| k.priority)
}

fn slot_key(policy: &Policy, d: &Duty) -> SlotKey {
    (
        priority_of(policy, d),
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
    // The highest priority in the week, and that of the open seats.
    let top = dm.duties.iter().map(|d| priority_of(policy, d)).min();
    let top_open = slots.keys().map(|k| k.0).min();
    let mut out = Vec::new();
    for (key, list) in slots {
        let d0 = &dm.duties[list[0].0];
        let same_slot: Vec<usize> = (0..dm.duties.len())
            .filter(|&i| slot_key(policy, &dm.duties[i]) == key)
            .collect();
        let c = count_staff(policy, school, plan, d0, &same_slot);
        let mut groups: Vec<String> = list.iter().map(|x| dm.duties[x.0].group.clone()).collect();
        groups.dedup();
        let (priority, date, session, kind, qualification) = key;
        out.push(SlotDiagnosis {
            priority,
            date,
            session,
            kind,
            qualification,
            groups,
            duties_uncovered: list.len(),
            staff_missing: list.iter().map(|x| x.1).sum(),
            staff_needed: same_slot.iter().map(|&i| dm.duties[i].staff_needed).sum(),
            eligible: c.eligible,
            holding: c.holding,
            busy: c.busy,
            can_take: c.holding + c.free,
            at_limit: c.at_limit,
            excluded: c.excluded,
            by_priority: top.is_some_and(|t| t < priority) && top_open == Some(priority),
        });
    }
    out
}

/// Who could take a slot's duties, person by person.
#[derive(Default)]
struct StaffCount {
    eligible: u32,
    holding: u32,
    busy: u32,
    at_limit: BTreeMap<Limit, u32>,
    free: u32,
    excluded: BTreeMap<Rule, u32>,
}

/// Where one eligible person stands for a slot.
enum Stand {
    Holds(u32),
    Busy,
    AtLimit(Limit),
    Free,
}

/// Counts every staff member for the slot of `d0` (duties `same_slot`).
fn count_staff(
    policy: &Policy,
    school: &School,
    plan: &Plan,
    d0: &Duty,
    same_slot: &[usize],
) -> StaffCount {
    let mut c = StaffCount::default();
    for s in 0..school.staff.len() {
        if let Some(r) = ineligible(policy, school, s, d0) {
            *c.excluded.entry(r).or_insert(0) += 1;
            continue;
        }
        c.eligible += 1;
        match stand(policy, plan, s, d0, same_slot) {
            Stand::Holds(n) => c.holding += n,
            Stand::Busy => c.busy += 1,
            Stand::AtLimit(l) => *c.at_limit.entry(l).or_insert(0) += 1,
            Stand::Free => c.free += 1,
        }
    }
    c
}

/// Whether eligible person `s` holds a seat of the slot, is on another
/// duty at that time, would pass a limit with one more duty, or is free.
fn stand(policy: &Policy, plan: &Plan, s: usize, d0: &Duty, same_slot: &[usize]) -> Stand {
    let dm = &plan.demand;
    let mine: Vec<&Duty> = plan
        .assignments
        .iter()
        .filter(|a| a.staff == s)
        .map(|a| &dm.duties[a.duty])
        .collect();
    let holds = plan
        .assignments
        .iter()
        .filter(|a| a.staff == s && same_slot.contains(&a.duty))
        .count() as u32;
    if holds > 0 {
        return Stand::Holds(holds);
    }
    if mine.iter().any(|d| d.overlaps(d0)) {
        return Stand::Busy;
    }
    let r = &policy.rules;
    let week = (
        mine.len() as u32,
        mine.iter().map(|d| d.minutes()).sum::<u32>(),
    );
    let today: Vec<&&Duty> = mine.iter().filter(|d| d.date == d0.date).collect();
    let day = (
        today.len() as u32,
        today.iter().map(|d| d.minutes()).sum::<u32>(),
    );
    let checks = [
        (Limit::DutiesPerWeek, week),
        (Limit::MinutesPerWeek, week),
        (Limit::DutiesPerDay, day),
        (Limit::MinutesPerDay, day),
    ];
    for (l, (n, held)) in checks {
        if l.reached(r, n, held, d0.minutes()) {
            return Stand::AtLimit(l);
        }
    }
    Stand::Free
}
