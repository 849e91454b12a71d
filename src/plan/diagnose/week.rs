//! The week's balance: seats needed against the most the staff could
//! take under the daily and weekly duty limits, whoever takes what.

use crate::demand::WeekDemand;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::plan::ineligible;

/// Seats the week needs, the people who may take at least one of its
/// duties, and the most they could take in all: per person the weekly
/// duty limit, or per day the daily limit or the most duties at
/// different times they may take that day, whichever is less, summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekBalance {
    pub needed: u32,
    pub people: u32,
    pub can_take: u32,
}

pub fn week_balance(policy: &Policy, school: &School, dm: &WeekDemand) -> WeekBalance {
    let r = &policy.rules;
    let mut b = WeekBalance {
        needed: dm.duties.iter().map(|d| d.staff_needed).sum(),
        people: 0,
        can_take: 0,
    };
    for s in 0..school.staff.len() {
        let mut mine: Vec<usize> = (0..dm.duties.len())
            .filter(|&i| ineligible(policy, school, s, &dm.duties[i]).is_none())
            .collect();
        if mine.is_empty() {
            continue;
        }
        b.people += 1;
        // Per day, the most duties at different times: earliest end first.
        mine.sort_by_key(|&i| (dm.duties[i].date, dm.duties[i].end, dm.duties[i].start));
        let mut week = 0u32;
        let mut day: Option<(chrono::NaiveDate, u32, crate::model::units::Hm)> = None;
        for &i in &mine {
            let d = &dm.duties[i];
            match day {
                Some((date, n, end)) if date == d.date => {
                    if d.start >= end && n < r.max_duties_per_day {
                        day = Some((date, n + 1, d.end));
                        week += 1;
                    }
                }
                _ => {
                    if r.max_duties_per_day > 0 {
                        day = Some((d.date, 1, d.end));
                        week += 1;
                    }
                }
            }
        }
        b.can_take += week.min(r.max_duties_per_week);
    }
    b
}
