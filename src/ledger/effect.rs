//! What a policy change does to the pay of weeks already published: the
//! ledger recomputes pay from the recorded duties under the policy in
//! force, so a new rate, cutoff or weight changes what those weeks pay.
//! Per published week and person: duties' minutes and pay before and after.
//! The recorded duties themselves are not touched.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};

use crate::error::{Error, Said};
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::model::units::Fen;

use super::{served, workload, Published, WorkloadRow};

/// One person's minutes and pay in one week, before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonEffect {
    pub staff_id: String,
    pub name: String,
    pub minutes: (u32, u32),
    pub pay: (Fen, Fen),
}

/// One published week whose pay the change alters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekEffect {
    pub monday: NaiveDate,
    /// The week's totals before and after: minutes and pay.
    pub minutes: (u32, u32),
    pub pay: (Fen, Fen),
    /// Only the people whose minutes or pay change, by staff id.
    pub people: Vec<PersonEffect>,
}

/// The effect of a change on every published week.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PayEffect {
    pub weeks: Vec<WeekEffect>,
    /// Weeks whose recorded duties the new policy cannot price (a duty
    /// kind or session gone): their pay after the change is unknown.
    pub unpriced: Vec<(NaiveDate, Said)>,
}

impl PayEffect {
    /// Whether saving needs an explicit confirmation.
    pub fn changes_pay(&self) -> bool {
        !self.weeks.is_empty() || !self.unpriced.is_empty()
    }
}

/// Minutes and pay per staff id.
type Totals = BTreeMap<String, (String, u32, Fen)>;

fn totals(school: &School, rows: &[WorkloadRow]) -> Totals {
    rows.iter()
        .map(|r| {
            let s = &school.staff[r.staff];
            let minutes = r.service.minutes.saturating_add(r.care.minutes);
            (
                s.id.clone(),
                (
                    school.shown_name(r.staff).into_owned(),
                    minutes,
                    r.total_pay(),
                ),
            )
        })
        .collect()
}

/// The week's totals per person under one policy and school.
fn week(
    policy: &Policy,
    school: &School,
    record: &impl Published,
    monday: NaiveDate,
) -> Result<Totals, Error> {
    let sunday = monday + Days::new(6);
    let s = served(policy, school, record, monday, sunday)?;
    Ok(totals(school, &workload(policy, school, &s)))
}

/// The pay of each published week (`weeks`, Mondays) under `old` and under
/// `new`; only weeks where something differs are listed.
pub fn pay_effect(
    old: (&Policy, &School),
    new: (&Policy, &School),
    record: &impl Published,
    weeks: &[NaiveDate],
) -> Result<PayEffect, Error> {
    let mut out = PayEffect::default();
    for &monday in weeks {
        let priced = week(old.0, old.1, record, monday)
            .and_then(|b| Ok((b, week(new.0, new.1, record, monday)?)));
        let (before, after) = match priced {
            Ok(x) => x,
            Err(Error::Mistake(why)) => {
                out.unpriced.push((monday, why));
                continue;
            }
            Err(e) => return Err(e),
        };
        if before == after {
            continue;
        }
        out.weeks.push(compare(monday, &before, &after));
    }
    Ok(out)
}

fn compare(monday: NaiveDate, before: &Totals, after: &Totals) -> WeekEffect {
    let mut ids: Vec<&String> = before.keys().chain(after.keys()).collect();
    ids.sort();
    ids.dedup();
    let zero = (String::new(), 0, Fen(0));
    let mut w = WeekEffect {
        monday,
        minutes: (0, 0),
        pay: (Fen(0), Fen(0)),
        people: Vec::new(),
    };
    for id in ids {
        let b = before.get(id).unwrap_or(&zero);
        let a = after.get(id).unwrap_or(&zero);
        w.minutes = (
            w.minutes.0.saturating_add(b.1),
            w.minutes.1.saturating_add(a.1),
        );
        w.pay = (
            Fen(w.pay.0 .0.saturating_add(b.2 .0)),
            Fen(w.pay.1 .0.saturating_add(a.2 .0)),
        );
        if (b.1, b.2) != (a.1, a.2) {
            let name = if a.0.is_empty() { &b.0 } else { &a.0 };
            w.people.push(PersonEffect {
                staff_id: id.clone(),
                name: name.clone(),
                minutes: (b.1, a.1),
                pay: (b.2, a.2),
            });
        }
    }
    w
}
