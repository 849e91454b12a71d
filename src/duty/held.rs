//! Which duties are held on a date, and by whom: the latest published
//! version of the week with the absences, substitutions, swaps and
//! cancellations recorded since (the same reading as `/duties/{staff}` and
//! the ledger).

use chrono::NaiveDate;

use crate::demand::{self, Duty};
use crate::error::Result;
use crate::ledger::{self, Published};
use crate::model::policy::Policy;
use crate::model::school::School;

/// One date's duties as held.
#[derive(Debug, Clone)]
pub struct Day {
    pub date: NaiveDate,
    /// Every duty of the date the demand gives (for a split group's siblings).
    pub duties: Vec<Duty>,
    /// Who holds which duty that date (duty, staff index), in time order.
    pub held: Vec<ledger::Served>,
}

/// A duty as held by one person: the only way to write during a duty.
#[derive(Debug, Clone)]
pub struct Held {
    pub duty: Duty,
    pub staff: usize,
    pub staff_id: String,
}

/// The duties held on `date`; None when its week is not published.
pub fn day(
    policy: &Policy,
    school: &School,
    record: &impl Published,
    date: NaiveDate,
) -> Result<Option<Day>> {
    let monday = crate::calendar::monday_of(date);
    let Some((_, rows)) = record.published(monday)? else {
        return Ok(None);
    };
    let events = record.events()?;
    let adjustments = record.adjustments()?;
    let changes = ledger::Changes {
        events: &events,
        adjustments: &adjustments,
    };
    let dm = demand::week(policy, school, monday);
    let mut held = ledger::served_week(policy, school, &dm.duties, &rows, changes, date, date)?;
    held.sort_by(|a, b| {
        (a.duty.start, &a.duty.id, a.staff).cmp(&(b.duty.start, &b.duty.id, b.staff))
    });
    let duties = dm.duties.into_iter().filter(|d| d.date == date).collect();
    Ok(Some(Day { date, duties, held }))
}

impl Day {
    /// The duty of this date with id `duty_id`, held or not.
    pub fn duty(&self, duty_id: &str) -> Option<&Duty> {
        self.duties.iter().find(|d| d.id == duty_id)
    }

    /// Whether a published seat of `duty_id` is held by anyone that date.
    pub fn is_held(&self, duty_id: &str) -> bool {
        self.held.iter().any(|x| x.duty.id == duty_id)
    }

    /// The duty `duty_id` as `staff_id` holds it; None when they do not.
    pub fn held_by(&self, school: &School, duty_id: &str, staff_id: &str) -> Option<Held> {
        self.held
            .iter()
            .find(|x| x.duty.id == duty_id && school.staff[x.staff].id == staff_id)
            .map(|x| Held {
                duty: x.duty.clone(),
                staff: x.staff,
                staff_id: staff_id.to_string(),
            })
    }

    /// The staff indices holding `duty_id`.
    pub fn holders(&self, duty_id: &str) -> Vec<usize> {
        self.held
            .iter()
            .filter(|x| x.duty.id == duty_id)
            .map(|x| x.staff)
            .collect()
    }

    /// The duties `staff` holds that date, in time order.
    pub fn of_staff(&self, staff: usize) -> Vec<&Duty> {
        self.held
            .iter()
            .filter(|x| x.staff == staff)
            .map(|x| &x.duty)
            .collect()
    }
}
