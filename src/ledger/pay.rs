//! Workload and pay per person: 课时 and amounts computed exactly in fen.
//! The workload as shown (CSV, terminal, page) is `sheet.rs`, the
//! workbook for finance `workbook.rs`.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::policy::{Ledger, Policy, Role};
use crate::model::school::School;
use crate::model::units::Fen;

use super::Served;

/// Totals for one person and ledger category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amounts {
    pub duties: u32,
    pub minutes: u32,
    /// 课时 in hundredths.
    pub keshi_centi: i64,
    /// Everything paid: 课时 pay and the flat amounts below.
    pub pay: Fen,
    /// Of `duties`: those paid a flat amount per duty (`flat_pay`, the
    /// patrol), which count no 课时.
    pub flat_duties: u32,
    /// Of `pay`: the flat amounts.
    pub flat_pay: Fen,
}

// Sums of input saturate: a history edited by hand must not wrap a total
// into a small or negative amount.
impl std::ops::AddAssign for Amounts {
    fn add_assign(&mut self, o: Amounts) {
        self.duties = self.duties.saturating_add(o.duties);
        self.minutes = self.minutes.saturating_add(o.minutes);
        self.keshi_centi = self.keshi_centi.saturating_add(o.keshi_centi);
        self.pay.0 = self.pay.0.saturating_add(o.pay.0);
        self.flat_duties = self.flat_duties.saturating_add(o.flat_duties);
        self.flat_pay.0 = self.flat_pay.0.saturating_add(o.flat_pay.0);
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadRow {
    pub staff: usize,
    pub service: Amounts,
    pub care: Amounts,
    /// Outside instructors: labour fee (劳务费), not performance pay.
    pub labour_fee: Fen,
}

impl WorkloadRow {
    pub fn total_pay(&self) -> Fen {
        Fen(self
            .service
            .pay
            .0
            .saturating_add(self.care.pay.0)
            .saturating_add(self.labour_fee.0))
    }
}

/// Per person, day and category: what was served.
#[derive(Default)]
struct Day {
    duties: u32,
    minutes: u32,
    /// Minutes x weight in hundredths, of the duties paid by 课时.
    weighted_centi: i64,
    flat_duties: u32,
    flat_fen: i64,
}

/// Integer division rounding half up (non-negative inputs).
pub(crate) fn div_round(n: i64, d: i64) -> i64 {
    let d = d.max(1);
    (n / d).saturating_add(i64::from(n % d * 2 >= d))
}

/// Per-person workload and pay. Per person, day and category: 课时 =
/// weighted minutes / minutes per 课时 (in hundredths, rounded half up),
/// capped by the daily cap; pay = 课时 x rate, in fen. Flat-paid kinds add
/// their flat amount per duty and no 课时.
pub fn workload(policy: &Policy, school: &School, served: &[Served]) -> Vec<WorkloadRow> {
    let pay = &policy.pay;
    let mpk = i64::from(pay.minutes_per_keshi);
    let mut days: BTreeMap<(usize, NaiveDate, Ledger), Day> = BTreeMap::new();
    for x in served {
        let kind = &policy.duty_kinds[x.duty.kind];
        let e = days
            .entry((x.staff, x.duty.date, x.duty.ledger))
            .or_default();
        e.duties = e.duties.saturating_add(1);
        e.minutes = e.minutes.saturating_add(x.duty.minutes());
        match kind.flat_pay {
            Some(f) => {
                e.flat_duties = e.flat_duties.saturating_add(1);
                e.flat_fen = e.flat_fen.saturating_add(f.0);
            }
            None => {
                let w = i64::from(x.duty.minutes()) * x.duty.weight.0;
                e.weighted_centi = e.weighted_centi.saturating_add(w);
            }
        }
    }
    let mut rows: BTreeMap<usize, WorkloadRow> = BTreeMap::new();
    for ((staff, _, ledger), day) in days {
        let mut keshi = div_round(day.weighted_centi, mpk);
        if let Some(cap) = pay.daily_cap_keshi {
            keshi = keshi.min(cap.0);
        }
        let outside = school.staff[staff].role == Role::Outside;
        let rate = if outside {
            pay.outside_rate_per_keshi.0
        } else {
            pay.rate_per_keshi.0
        };
        let amount = div_round(keshi.saturating_mul(rate), 100).saturating_add(day.flat_fen);
        let row = rows.entry(staff).or_insert(WorkloadRow {
            staff,
            service: Amounts::default(),
            care: Amounts::default(),
            labour_fee: Fen(0),
        });
        // Outside instructors are paid a labour fee, not performance pay.
        let paid = |fen: i64| Fen(if outside { 0 } else { fen });
        let a = Amounts {
            duties: day.duties,
            minutes: day.minutes,
            keshi_centi: keshi,
            pay: paid(amount),
            flat_duties: day.flat_duties,
            flat_pay: paid(day.flat_fen),
        };
        if outside {
            row.labour_fee.0 = row.labour_fee.0.saturating_add(amount);
        }
        match ledger {
            Ledger::Service => row.service += a,
            Ledger::Care => row.care += a,
        }
    }
    rows.into_values().collect()
}

/// Totals row (exact sums of the person rows).
pub fn totals(rows: &[WorkloadRow]) -> WorkloadRow {
    let mut t = WorkloadRow {
        staff: usize::MAX,
        service: Amounts::default(),
        care: Amounts::default(),
        labour_fee: Fen(0),
    };
    for r in rows {
        t.service += r.service;
        t.care += r.care;
        t.labour_fee.0 = t.labour_fee.0.saturating_add(r.labour_fee.0);
    }
    t
}
