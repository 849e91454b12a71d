//! The school as the later stages use it: staff, classes, enrollment,
//! clubs, leave and the term-to-date load (read by `input::school`,
//! see docs/data.md).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use chrono::{NaiveDate, Weekday};

use crate::error::Diagnostic;
use crate::model::policy::Role;
use crate::model::units::{Centi, Hm};

/// Workload unit: minutes x weight in hundredths (40 min at weight 1.00 = 4000).
pub type Load = i64;
pub const LOAD_PER_HOUR: Load = 6000;

#[derive(Debug, Clone, PartialEq)]
pub struct Staff {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub subject: String,
    pub qualifications: BTreeSet<String>,
    pub homeroom: Option<usize>,
    pub quota: Centi,
    pub exemption: Option<String>,
    pub active: bool,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    pub id: String,
    pub name: String,
    pub grade: u8,
    pub pupils: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Club {
    pub id: String,
    pub name: String,
    pub weekdays: Vec<Weekday>,
    pub session: String,
    pub pupils: u32,
    pub qualification: Option<String>,
    pub staff_needed: u32,
    pub instructor: Option<usize>,
    pub times: Option<(Hm, Hm)>,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveKind {
    /// Hard: the person cannot serve.
    Leave,
    /// Soft: the person asked not to serve (a preference).
    Request,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Leave {
    pub staff: usize,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Session ids; empty means the whole day.
    pub sessions: Vec<String>,
    pub kind: LeaveKind,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct School {
    pub dir: PathBuf,
    pub staff: Vec<Staff>,
    pub classes: Vec<Class>,
    /// (class index, weekday number from Monday = 0, enrollment key) -> pupils.
    pub enrollment: BTreeMap<(usize, u8, String), u32>,
    pub clubs: Vec<Club>,
    pub leave: Vec<Leave>,
    /// Load already served this term, per staff index.
    pub served: BTreeMap<usize, Load>,
    /// What was read but looks wrong, and what was left out (a totals row,
    /// two people of one name): shown by `validate` and `plan`, apart from
    /// errors, which stop the load.
    pub warnings: Vec<Diagnostic>,
    /// Children's approved attendance, from the applications in the
    /// record. A class with any has its enrollment counted from them, day
    /// by day; the others keep `enrollment.csv`'s counts.
    pub attends: Vec<Attends>,
}

/// One child's approved attendance: these sessions (enrollment keys) on
/// these weekdays, from `from`, until the day before `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attends {
    /// The child (the record's pupil id): counted once a day, whatever
    /// number of approvals they have in effect.
    pub pupil: i64,
    pub class: String,
    pub weekdays: Vec<Weekday>,
    pub sessions: Vec<String>,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl School {
    pub fn staff_index(&self, id: &str) -> Option<usize> {
        self.staff.iter().position(|s| s.id == id)
    }
    /// A person named by staff id, or by a name only one person has.
    pub fn staff_named(&self, word: &str) -> Option<usize> {
        let w = word.trim();
        if let Some(i) = self.staff_index(w) {
            return Some(i);
        }
        let mut it = self.staff.iter().enumerate().filter(|(_, s)| s.name == w);
        match (it.next(), it.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }
    pub fn class_index(&self, id: &str) -> Option<usize> {
        self.classes.iter().position(|c| c.id == id || c.name == id)
    }

    /// A person's name as every output shows it: the name, with the id
    /// when another person has the same name (`王芳(T012)`), so that two
    /// namesakes are never shown alike.
    pub fn shown_name(&self, i: usize) -> Cow<'_, str> {
        let st = &self.staff[i];
        if self
            .staff
            .iter()
            .enumerate()
            .any(|(j, o)| j != i && o.name == st.name)
        {
            Cow::Owned(format!("{}({})", st.name, st.id))
        } else {
            Cow::Borrowed(&st.name)
        }
    }
}
