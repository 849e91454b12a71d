//! Comp time (弹性上下班, issue 20, item 4): a duty served after the
//! normal work-end earns comp time at the rate `[comp]` sets; the time a
//! person takes off is recorded by the administrator (`record::comp`); the
//! balance is what was earned less what was taken.
//!
//! Accrual, per duty served: the minutes after `work_end` (the part of the
//! duty after it, or all of it when it starts after it) × `rate`, rounded
//! half up to whole minutes.

use std::collections::BTreeMap;

use crate::demand::Duty;
use crate::model::policy::Comp;
use crate::model::school::School;

use super::pay::div_round;
use super::Served;

/// Comp minutes one duty earns.
pub fn accrued_minutes(comp: &Comp, duty: &Duty) -> i64 {
    let after = i64::from(duty.end.0) - i64::from(duty.start.0.max(comp.work_end.0));
    if after <= 0 {
        return 0;
    }
    div_round(after.saturating_mul(comp.rate.0), 100)
}

/// Comp minutes earned per person (staff index) from what was served.
pub fn accrual(comp: &Comp, served: &[Served]) -> BTreeMap<usize, i64> {
    let mut out = BTreeMap::new();
    for s in served {
        let m = accrued_minutes(comp, &s.duty);
        if m > 0 {
            let e = out.entry(s.staff).or_insert(0i64);
            *e = e.saturating_add(m);
        }
    }
    out
}

/// Comp time taken: one row of the record (`record::comp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taken {
    pub id: i64,
    pub staff_id: String,
    pub on_date: chrono::NaiveDate,
    pub minutes: i64,
    pub note: String,
    pub recorded_at: String,
    pub who: String,
}

/// One person's comp time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Balance {
    pub staff: usize,
    pub accrued: i64,
    pub taken: i64,
}

impl Balance {
    pub fn balance(&self) -> i64 {
        self.accrued.saturating_sub(self.taken)
    }
}

/// Every person with comp time earned or taken, in staff order.
pub fn balances(school: &School, accrued: &BTreeMap<usize, i64>, taken: &[Taken]) -> Vec<Balance> {
    let mut out: BTreeMap<usize, Balance> = BTreeMap::new();
    for (&staff, &m) in accrued {
        out.entry(staff)
            .or_insert(Balance {
                staff,
                accrued: 0,
                taken: 0,
            })
            .accrued = m;
    }
    for t in taken {
        let Some(staff) = school.staff_index(&t.staff_id) else {
            continue;
        };
        let b = out.entry(staff).or_insert(Balance {
            staff,
            accrued: 0,
            taken: 0,
        });
        b.taken = b.taken.saturating_add(t.minutes);
    }
    out.into_values().collect()
}

/// Minutes as hours and minutes: 「1小时30分」 / "1 h 30 min".
pub fn words(minutes: i64, lang: crate::lang::Lang) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.unsigned_abs();
    match lang {
        crate::lang::Lang::Zh => format!("{sign}{}小时{}分", m / 60, m % 60),
        crate::lang::Lang::En => format!("{sign}{} h {} min", m / 60, m % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::units::{Centi, Hm};

    #[test]
    fn only_the_minutes_after_the_work_end_count_at_the_rate() {
        let demo = crate::rules::testkit::demo();
        let mut d = demo.week.duties[0].clone();
        let comp = Comp {
            work_end: Hm(17 * 60),
            rate: Centi(150),
        };
        d.start = Hm(16 * 60 + 50);
        d.end = Hm(17 * 60 + 30);
        assert_eq!(accrued_minutes(&comp, &d), 45);
        d.start = Hm(17 * 60 + 10);
        d.end = Hm(17 * 60 + 11);
        // 1.5 rounds half up to 2.
        assert_eq!(accrued_minutes(&comp, &d), 2);
        d.start = Hm(15 * 60);
        d.end = Hm(17 * 60);
        assert_eq!(accrued_minutes(&comp, &d), 0);
    }
}
