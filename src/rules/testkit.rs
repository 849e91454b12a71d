//! Test fixtures for the rules: the demo policy, school and one winter week,
//! loaded once; each test clones them and changes one person or duty.

use std::path::Path;
use std::sync::OnceLock;

use crate::demand::{self, Duty, WeekDemand};
use crate::model::policy::Policy;
use crate::model::school::School;

#[derive(Clone)]
pub(crate) struct Demo {
    pub policy: Policy,
    pub school: School,
    pub week: WeekDemand,
}

/// The demo school in the week of Monday 2026-12-07.
pub(crate) fn demo() -> Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let policy = crate::input::policy::load(&root.join("policies/demo.toml")).expect("policy");
        let school =
            crate::input::school::load(&root.join("datasets/demo"), &policy).expect("school");
        let monday = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
        let week = demand::week(&policy, &school, monday);
        Demo {
            policy,
            school,
            week,
        }
    })
    .clone()
}

impl Demo {
    /// Index of the staff member with this id.
    pub fn staff(&self, id: &str) -> usize {
        self.school.staff_index(id).expect("staff id")
    }

    /// The first duty of this kind id (cloned, to be changed).
    pub fn duty(&self, kind: &str) -> Duty {
        let k = self
            .policy
            .duty_kinds
            .iter()
            .position(|x| x.id == kind)
            .expect("kind");
        self.week
            .duties
            .iter()
            .find(|d| d.kind == k)
            .expect("duty")
            .clone()
    }
}

/// The planner's predicate and the checker's check of one rule agree on
/// every person and duty of the demo week (changed by the caller to make
/// the rule bind somewhere); returns how many pairs the rule blocks.
pub(crate) fn assert_agree(
    x: &Demo,
    blocks: impl Fn(&Policy, &School, usize, &Duty) -> bool,
    check: impl Fn(&Policy, &School, usize, &Duty) -> Vec<String>,
) -> usize {
    let mut blocked = 0;
    for s in 0..x.school.staff.len() {
        for d in &x.week.duties {
            let b = blocks(&x.policy, &x.school, s, d);
            let c = check(&x.policy, &x.school, s, d);
            assert_eq!(
                b,
                !c.is_empty(),
                "{} on {}: {c:?}",
                x.school.staff[s].id,
                d.id
            );
            blocked += usize::from(b);
        }
    }
    blocked
}
