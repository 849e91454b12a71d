//! Daily and weekly limits: nobody holds more duties, or more minutes of
//! duty, in a day or a week than the policy allows. Data: the policy's
//! `[staff_rules]` (`max_duties_per_day`, `max_minutes_per_day`,
//! `max_duties_per_week`, `max_minutes_per_week`).
//!
//! Planner: the counts are roster-wide, enforced by the model's limit rows
//! (`Rule::DailyLimit and Rule::WeeklyLimit` in `src/plan/mod.rs`) where they
//! can bind. The per-duty predicate `blocks` rules out a single duty longer
//! than a limit allows.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::demand::Duty;
use crate::lang::Lang;
use crate::model::policy::StaffRules;
use crate::rules::{Breach, Rule};

/// Planner: `d` alone is longer than a day's or a week's minutes allow
/// (reported as the daily limit).
#[inline]
pub(crate) fn blocks(r: &StaffRules, d: &Duty) -> bool {
    d.minutes() > r.max_minutes_per_day || d.minutes() > r.max_minutes_per_week
}

/// The reason users see for a day over the limits.
pub(crate) fn over_day(r: &StaffRules, duties: u32, minutes: u32) -> String {
    format!(
        "{duties} duties, {minutes} min on one day; limits {} and {} / 超过每日上限",
        r.max_duties_per_day, r.max_minutes_per_day
    )
}

/// The reason users see for a week over the limits.
pub(crate) fn over_week(r: &StaffRules, duties: u32, minutes: u32) -> String {
    format!(
        "{duties} duties, {minutes} min this week; limits {} and {} / 超过每周上限",
        r.max_duties_per_week, r.max_minutes_per_week
    )
}

/// Checker: one person's days and week over the limits. `mine` holds
/// (duty index, roster line).
pub(crate) fn check(
    r: &StaffRules,
    duties: &[Duty],
    mine: &[(usize, usize)],
) -> Vec<(Rule, Breach)> {
    let mut per_day: BTreeMap<NaiveDate, (u32, u32)> = BTreeMap::new();
    let (mut wn, mut wm) = (0u32, 0u32);
    for &(d, _) in mine {
        let duty = &duties[d];
        let e = per_day.entry(duty.date).or_default();
        e.0 += 1;
        e.1 += u32::from(duty.end.0 - duty.start.0);
        wn += 1;
        wm += u32::from(duty.end.0 - duty.start.0);
    }
    let mut out = Vec::new();
    for (date, (n, m)) in per_day {
        if n > r.max_duties_per_day || m > r.max_minutes_per_day {
            let at = date.to_string();
            out.push((
                Rule::DailyLimit,
                Breach {
                    line: 0,
                    at,
                    detail: over_day(r, n, m),
                },
            ));
        }
    }
    if wn > r.max_duties_per_week || wm > r.max_minutes_per_week {
        let detail = over_week(r, wn, wm);
        out.push((
            Rule::WeeklyLimit,
            Breach {
                line: 0,
                at: String::new(),
                detail,
            },
        ));
    }
    out
}

/// One of the four limits of `[staff_rules]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Limit {
    DutiesPerDay,
    MinutesPerDay,
    DutiesPerWeek,
    MinutesPerWeek,
}

impl Limit {
    /// The limit by its meaning, its key in the policy and its value, e.g.
    /// `每周任务上限 7 项 (staff_rules.max_duties_per_week)`.
    pub fn named(self, r: &StaffRules, lang: Lang) -> String {
        let (zh, en, key, v, zu, eu) = match self {
            Limit::DutiesPerDay => (
                "每日任务上限",
                "duties per day",
                "max_duties_per_day",
                r.max_duties_per_day,
                "项",
                "",
            ),
            Limit::MinutesPerDay => (
                "每日时长上限",
                "minutes per day",
                "max_minutes_per_day",
                r.max_minutes_per_day,
                "分钟",
                " min",
            ),
            Limit::DutiesPerWeek => (
                "每周任务上限",
                "duties per week",
                "max_duties_per_week",
                r.max_duties_per_week,
                "项",
                "",
            ),
            Limit::MinutesPerWeek => (
                "每周时长上限",
                "minutes per week",
                "max_minutes_per_week",
                r.max_minutes_per_week,
                "分钟",
                " min",
            ),
        };
        match lang {
            Lang::Zh => format!("{zh} {v} {zu} (staff_rules.{key})"),
            Lang::En => format!("the limit of {v}{eu} {en} (staff_rules.{key})"),
        }
    }

    /// Whether one more duty of `minutes` would pass this limit for
    /// someone holding `duties` duties of `held` minutes (in its period).
    pub fn reached(self, r: &StaffRules, duties: u32, held: u32, minutes: u32) -> bool {
        match self {
            Limit::DutiesPerDay => duties >= r.max_duties_per_day,
            Limit::MinutesPerDay => held + minutes > r.max_minutes_per_day,
            Limit::DutiesPerWeek => duties >= r.max_duties_per_week,
            Limit::MinutesPerWeek => held + minutes > r.max_minutes_per_week,
        }
    }
}

/// Diagnosis: the fix when people who may take a slot are at a limit.
pub(crate) fn fix(r: &StaffRules, lang: Lang, limit: Limit) -> String {
    match lang {
        Lang::Zh => format!("放宽{}, 或增加人手", limit.named(r, lang)),
        Lang::En => format!("raise {}, or add staff", limit.named(r, lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::demo;

    fn rules_of(v: &[(Rule, Breach)]) -> Vec<Rule> {
        v.iter().map(|x| x.0).collect()
    }

    #[test]
    fn a_duty_longer_than_a_day_allows_is_caught_by_both() {
        let x = demo();
        let mut week = x.week.duties.clone();
        let r = &x.policy.rules;
        assert!(!blocks(r, &week[0]));
        assert!(check(r, &week, &[(0, 1)]).is_empty());
        week[0].end.0 = week[0].start.0 + r.max_minutes_per_day as u16 + 1;
        assert!(blocks(r, &week[0]));
        assert_eq!(
            rules_of(&check(r, &week, &[(0, 1)])),
            vec![Rule::DailyLimit]
        );
    }

    #[test]
    fn too_many_duties_in_a_day_or_a_week_are_reported() {
        let x = demo();
        let mut r = x.policy.rules.clone();
        let d = &x.week.duties;
        let day: Vec<(usize, usize)> = (0..d.len())
            .filter(|&i| d[i].date == d[0].date)
            .take(2)
            .map(|i| (i, 1))
            .collect();
        assert_eq!(day.len(), 2);
        assert!(check(&r, d, &day).is_empty());
        r.max_duties_per_day = 1;
        assert_eq!(rules_of(&check(&r, d, &day)), vec![Rule::DailyLimit]);
        r.max_duties_per_day = 2;
        r.max_duties_per_week = 1;
        assert_eq!(rules_of(&check(&r, d, &day)), vec![Rule::WeeklyLimit]);
    }
}
