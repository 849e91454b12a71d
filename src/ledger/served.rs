//! What was actually served: the published rows with the events applied,
//! and the load it adds to the term.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Timelike};

use crate::model::units::Hm;

use crate::demand::{self, Duty};
use crate::error::{Error, Result};
use crate::model::policy::{LateStayPay, Policy};
use crate::model::school::School;
use crate::roster::Row;

use super::cut::as_served;
use super::emergency::Adjustment;
use super::{Event, Published};

/// One duty actually served by one person.
#[derive(Debug, Clone, PartialEq)]
pub struct Served {
    pub duty: Duty,
    pub staff: usize,
}

/// Days from one Monday to the next.
const WEEK_DAYS: u64 = 7;

/// What was served from `from` to `to`: the latest published version of
/// each week, with absences, substitutions, cancellations and early ends
/// applied (`cut`), then the late stays' actual ends (a pickup recorded
/// after an early end shows the duty ran until it).
pub fn served(
    policy: &Policy,
    school: &School,
    record: &impl Published,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Served>> {
    let events = record.events()?;
    let adjustments = record.adjustments()?;
    let mut out = Vec::new();
    let mut monday = crate::calendar::monday_of(from);
    while monday <= to {
        if let Some((_, rows)) = record.published(monday)? {
            let dm = demand::week(policy, school, monday);
            let changes = Changes {
                events: &events,
                adjustments: &adjustments,
            };
            let mut week = served_week(policy, school, &dm.duties, &rows, changes, from, to)?;
            if policy.duty.late_stay_pay == LateStayPay::Actual {
                let sunday = monday + chrono::Days::new(WEEK_DAYS - 1);
                actual_ends(school, &mut week, &record.pickups(monday, sunday)?);
            }
            out.extend(week);
        }
        monday = monday + chrono::Days::new(WEEK_DAYS);
    }
    Ok(out)
}

/// A late-stay duty (one that lasts until pickup) ends, for each person
/// serving it, at the last pickup that person recorded, earlier or later
/// than planned (policy `late_stay_pay = "actual"`). Only pickups recorded
/// by someone who served that duty count, and each holder of a duty held
/// by several (a split group) is paid to their own last pickup, so the
/// ledger never pays anyone past what they recorded themself; without
/// pickups the planned end stays.
pub fn actual_ends(school: &School, served: &mut [Served], pickups: &[super::PickedUp]) {
    let mut last: BTreeMap<(&str, &str), Hm> = BTreeMap::new();
    for p in pickups {
        let by_server = served.iter().any(|x| {
            x.duty.id == p.duty_id
                && x.duty.until_pickup
                && x.duty.date == p.at.date()
                && school.staff[x.staff].id == p.staff_id
        });
        if !by_server {
            continue;
        }
        let t = Hm((p.at.hour() * 60 + p.at.minute()) as u16);
        let e = last
            .entry((p.duty_id.as_str(), p.staff_id.as_str()))
            .or_insert(t);
        *e = (*e).max(t);
    }
    for x in served.iter_mut() {
        let key = (x.duty.id.as_str(), school.staff[x.staff].id.as_str());
        if let Some(&end) = last.get(&key) {
            if end > x.duty.start {
                x.duty.end = end;
            }
        }
    }
}

/// The record's changes to published weeks: events (absences, swaps,
/// cancellations) and early ends, each in the order recorded.
#[derive(Debug, Clone, Copy)]
pub struct Changes<'a> {
    pub events: &'a [Event],
    pub adjustments: &'a [Adjustment],
}

/// Apply the changes to one week's published rows: who served each seat,
/// and what of its duty could be served (`cut`), from `from` to `to`.
pub fn served_week(
    policy: &Policy,
    school: &School,
    duties: &[Duty],
    rows: &[Row],
    changes: Changes<'_>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Served>> {
    let now = as_served(policy, duties, changes.events, changes.adjustments);
    let by_id: BTreeMap<&str, (&Duty, Option<&Duty>)> = duties
        .iter()
        .zip(&now)
        .map(|(d, n)| (d.id.as_str(), (d, n.as_ref())))
        .collect();
    let mut out = Vec::new();
    for r in rows {
        let Some(sid) = &r.staff_id else { continue };
        let Some(&(duty, now)) = by_id.get(r.duty_id.as_str()) else {
            return Err(Error::Mistake(crate::error::Said::new(
                format!("已发布的任务 {} 与当前的规则和数据不符; 请重新排班并发布该周", r.duty_id),
                format!("published duty {} no longer matches the policy and data; re-plan and publish the week again", r.duty_id),
            )));
        };
        let Some(now) = now.filter(|_| from <= duty.date && duty.date <= to) else {
            continue;
        };
        let Some(who) = server(changes.events, duty, sid) else {
            continue;
        };
        let Some(staff) = school.staff_index(&who) else {
            return Err(Error::Mistake(crate::error::Said::new(
                format!("记录中的事件提到工号 {who}, staff.csv 中没有这个人"),
                format!("events.csv names staff {who}, who is not in staff.csv"),
            )));
        };
        out.push(Served {
            duty: now.clone(),
            staff,
        });
    }
    Ok(out)
}

/// Who serves each published row's seat after the events (None: nobody,
/// or the row was an open seat), in row order.
pub(crate) fn servers(duties: &[Duty], rows: &[Row], events: &[Event]) -> Vec<Option<String>> {
    let by_id: BTreeMap<&str, &Duty> = duties.iter().map(|d| (d.id.as_str(), d)).collect();
    rows.iter()
        .map(|r| {
            let sid = r.staff_id.as_ref()?;
            let duty = by_id.get(r.duty_id.as_str())?;
            server(events, duty, sid)
        })
        .collect()
}

/// Who served the seat `published` held, following absences and swaps in
/// order; None when nobody did.
fn server(events: &[Event], duty: &Duty, published: &str) -> Option<String> {
    let mut who = published.to_string();
    for e in events {
        let (d, staff, to) = match e {
            Event::Absent {
                duty,
                staff,
                substitute,
                ..
            } => (duty, staff, substitute.as_ref()),
            Event::Swap {
                duty, staff, with, ..
            } => (duty, staff, Some(with)),
            Event::Cancel { .. } => continue,
        };
        if *d == duty.id && *staff == who {
            match to {
                Some(s) => who = s.clone(),
                None => return None,
            }
        }
    }
    (!who.is_empty()).then_some(who)
}

/// Weighted load served per person in a date range (for term fairness).
pub fn served_load(served: &[Served]) -> BTreeMap<usize, i64> {
    let mut m = BTreeMap::new();
    for x in served {
        let e = m.entry(x.staff).or_insert(0i64);
        *e = e.saturating_add(x.duty.load());
    }
    m
}

/// Add the load served this term before `monday` (from the record) to
/// the school's prior load, so planning is fair over the term.
pub fn add_term_load(
    policy: &Policy,
    school: &mut School,
    record: &impl Published,
    monday: NaiveDate,
) -> Result<()> {
    let Some(term) = policy
        .calendar
        .terms
        .iter()
        .find(|t| t.start <= monday && monday <= t.end)
    else {
        return Ok(());
    };
    let Some(before) = monday.pred_opt() else {
        return Ok(());
    };
    if before < term.start {
        return Ok(());
    }
    let served = served(policy, school, record, term.start, before)?;
    for (staff, load) in served_load(&served) {
        let e = school.served.entry(staff).or_insert(0);
        *e = e.saturating_add(load);
    }
    Ok(())
}
