#![allow(dead_code)]
//! A duty's day for the duty tests (issue 20, item 2): the demo school with
//! approved applications for the first grade's classes, its week of
//! 2026-12-07 planned and published in the record, and the Monday's
//! homework group of grade 1 and a late-stay part that holds some of the
//! listed pupils, each with who holds it.

use std::path::Path;

use chrono::NaiveDate;
use chrono::Weekday::{Fri, Mon, Thu, Tue, Wed};
use kehou::demand::Duty;
use kehou::duty::{self, Roll};
use kehou::enrol::{Actor as By, Choice, Step};
use kehou::lang::Lang;
use kehou::model::policy::Policy;
use kehou::model::school::School;
use kehou::record::{Actor, Base, Record};
use kehou::web::Workspace;

pub const MONDAY: &str = "2026-12-07";
/// The classes given applications: two pupils each.
pub const CLASSES: [&str; 4] = ["1-1", "1-2", "1-3", "1-4"];

pub fn day_date() -> NaiveDate {
    MONDAY.parse().unwrap()
}

pub struct DutyDay {
    pub policy: Policy,
    pub school: School,
    /// The grade's homework group (the giver of the handover).
    pub homework: Duty,
    pub homework_by: String,
    /// A late-stay part with listed pupils, held by someone else.
    pub late: Duty,
    pub late_by: String,
    pub late_roll: Roll,
    /// A pupil of the late roll whose homeroom teacher holds neither duty,
    /// with that teacher.
    pub pupil: (i64, String),
    pub homeroom: String,
    /// A homeroom teacher of another class (sees none of this pupil's flags).
    pub other_homeroom: String,
}

fn by() -> Actor {
    Actor {
        who: "test".into(),
        via: "tests".into(),
    }
}

/// Add the pupils and their approved applications to the record.
fn apply(rec: &mut Record) {
    rec.write(|tx| {
        for c in CLASSES {
            for n in 1..=2 {
                let id = tx.add_pupil(c, &format!("学生{c}-{n}"), "家长", "13800000000", &by())?;
                let choice = Choice {
                    class: c.into(),
                    weekdays: vec![Mon, Tue, Wed, Thu, Fri],
                    sessions: vec!["stage1".into(), "late".into()],
                    clubs: vec![],
                };
                let a = tx.apply(id, &choice, &By::Family, &by())?;
                tx.step(
                    a,
                    &Step::Review { ok: true },
                    &By::Homeroom { class: c.into() },
                    "",
                    &by(),
                )?;
                let on = "2026-11-30".parse().unwrap();
                tx.step(
                    a,
                    &Step::Approve { ok: true, on },
                    &By::Principal,
                    "",
                    &by(),
                )?;
            }
        }
        Ok(())
    })
    .unwrap();
}

/// The workspace at `ws` with the applications added and the week published.
pub fn duty_day(ws: &Workspace) -> DutyDay {
    let mut rec = Record::open(&ws.record).unwrap();
    apply(&mut rec);
    let (policy, school) = ws.load().unwrap();
    let monday = day_date();
    let dm = kehou::demand::week(&policy, &school, monday);
    let plan = kehou::plan::plan(
        &policy,
        &school,
        &dm,
        &kehou::plan::Options::from_policy(&policy),
    )
    .unwrap();
    let bytes = kehou::outputs::roster_csv::to_csv(&policy, &school, &plan, Lang::Zh);
    rec.write(|tx| tx.publish(monday, &bytes, Base::Unpublished, &by()))
        .unwrap();
    pick(&policy, &school, &mut rec)
}

fn pick(policy: &Policy, school: &School, rec: &mut Record) -> DutyDay {
    rec.read(|tx| {
        let day = duty::day(policy, school, tx, day_date())?.expect("published");
        let kind = |id: &str| policy.duty_kinds.iter().position(|k| k.id == id).unwrap();
        let first = school.classes.iter().position(|c| c.id == "1-1").unwrap();
        let holder = |d: &Duty| school.staff[day.holders(&d.id)[0]].id.clone();
        let homework = day
            .duties
            .iter()
            .find(|d| {
                d.kind == kind("homework") && d.classes.contains(&first) && day.is_held(&d.id)
            })
            .expect("a homework group of grade 1")
            .clone();
        let homework_by = holder(&homework);
        let homeroom_of = |class: &str| {
            let ci = school.classes.iter().position(|c| c.id == class).unwrap();
            school
                .staff
                .iter()
                .find(|s| s.homeroom == Some(ci))
                .unwrap()
                .id
                .clone()
        };
        for late in day
            .duties
            .iter()
            .filter(|d| d.kind == kind("late") && day.is_held(&d.id))
        {
            let late_by = holder(late);
            if late_by == homework_by {
                continue;
            }
            let roll = duty::roll_of_duty(tx, policy, school, &day, late)?;
            let pupil = roll.pupils.iter().find(|p| {
                let h = homeroom_of(&p.class_id);
                h != homework_by && h != late_by
            });
            let Some(p) = pupil else { continue };
            let homeroom = homeroom_of(&p.class_id);
            let other = CLASSES
                .iter()
                .map(|c| homeroom_of(c))
                .find(|h| *h != homeroom && *h != late_by && *h != homework_by)
                .unwrap();
            return Ok(DutyDay {
                policy: policy.clone(),
                school: school.clone(),
                homework: homework.clone(),
                homework_by: homework_by.clone(),
                late: late.clone(),
                late_by,
                pupil: (p.id, p.name.clone()),
                late_roll: roll.clone(),
                homeroom,
                other_homeroom: other,
            });
        }
        panic!("no late-stay part fits the test")
    })
    .unwrap()
}

/// The demo workspace in `dir`, its duty day set up.
pub fn demo_day(dir: &Path) -> (Workspace, DutyDay) {
    let (ws, created) = Workspace::demo(&dir.join("demo")).unwrap();
    assert!(created);
    let d = duty_day(&ws);
    (ws, d)
}

/// `hh:mm` on the test's Monday.
pub fn at(hm: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(&format!("{MONDAY}T{hm}"), "%Y-%m-%dT%H:%M").unwrap()
}

pub fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
