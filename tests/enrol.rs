//! Applications feed demand (issue 20, item 1): the approval steps, the
//! enrollment approved applications give a week, club seats by first
//! come or a seeded lottery.

mod common;
use common::*;

use std::collections::BTreeMap;

use chrono::Weekday::{Fri, Mon, Sat, Thu, Tue, Wed};
use kehou::demand;
use kehou::enrol::{
    allocate, attends, check_choice, enrollment_on, state_of, Actor, Choice, ClubAsk, Draw, State,
    Step,
};

fn choice(class: &str) -> Choice {
    Choice {
        class: class.into(),
        weekdays: vec![Mon, Tue, Wed, Fri],
        sessions: vec!["stage1".into(), "late".into()],
        clubs: vec![],
    }
}

fn homeroom(c: &str) -> Actor {
    Actor::Homeroom { class: c.into() }
}

fn approved(from: &str) -> Vec<(Step, Actor)> {
    vec![
        (Step::Apply, Actor::Family),
        (Step::Review { ok: true }, homeroom("1-1")),
        (
            Step::Approve {
                ok: true,
                on: date(from),
            },
            Actor::Principal,
        ),
    ]
}

#[test]
fn an_application_counts_only_once_reviewed_and_approved() {
    let mut steps = vec![(Step::Apply, Actor::Family)];
    assert_eq!(state_of("1-1", &steps), Ok(State::Applied));
    steps.push((Step::Review { ok: true }, homeroom("1-1")));
    assert_eq!(state_of("1-1", &steps), Ok(State::Reviewed));
    steps.push((
        Step::Approve {
            ok: true,
            on: date("2026-12-09"),
        },
        Actor::Principal,
    ));
    let st = state_of("1-1", &steps).unwrap();
    assert!(!st.counts_on(date("2026-12-08")) && st.counts_on(date("2026-12-09")));
}

#[test]
fn each_step_is_taken_only_by_its_person_and_in_order() {
    // Another class's teacher cannot review; a teacher cannot approve;
    // the principal cannot approve before the review.
    let apply = (Step::Apply, Actor::Family);
    let bad = [
        vec![apply.clone(), (Step::Review { ok: true }, homeroom("1-2"))],
        vec![apply.clone(), (Step::Review { ok: true }, Actor::Principal)],
        vec![
            apply.clone(),
            (
                Step::Approve {
                    ok: true,
                    on: date("2026-12-07"),
                },
                Actor::Principal,
            ),
        ],
        vec![
            apply.clone(),
            (Step::Review { ok: true }, homeroom("1-1")),
            (
                Step::Approve {
                    ok: true,
                    on: date("2026-12-07"),
                },
                homeroom("1-1"),
            ),
        ],
        vec![(Step::Review { ok: true }, homeroom("1-1"))],
        vec![apply.clone(), apply.clone()],
    ];
    for steps in bad {
        let e = state_of("1-1", &steps).unwrap_err();
        assert_eq!(e.step, steps.len(), "{e:?}");
        assert!(!e.why.zh.is_empty() && !e.why.en.is_empty());
    }
}

#[test]
fn a_withdrawal_goes_through_the_same_approvals() {
    let mut steps = approved("2026-12-01");
    steps.push((
        Step::Withdraw {
            on: date("2026-12-10"),
        },
        Actor::Family,
    ));
    let asked = state_of("1-1", &steps).unwrap();
    // Asked, not yet approved: the child still counts.
    assert!(asked.counts_on(date("2026-12-11")));
    steps.push((Step::Review { ok: true }, homeroom("1-1")));
    steps.push((
        Step::Approve {
            ok: true,
            on: date("2026-12-10"),
        },
        Actor::Principal,
    ));
    let gone = state_of("1-1", &steps).unwrap();
    assert_eq!(
        gone,
        State::Withdrawn {
            from: date("2026-12-01"),
            until: date("2026-12-10")
        }
    );
    assert!(gone.counts_on(date("2026-12-09")) && !gone.counts_on(date("2026-12-10")));
    // Refused withdrawal: approved as before.
    let mut kept = approved("2026-12-01");
    kept.push((
        Step::Withdraw {
            on: date("2026-12-10"),
        },
        Actor::Family,
    ));
    kept.push((Step::Review { ok: false }, homeroom("1-1")));
    assert_eq!(
        state_of("1-1", &kept),
        Ok(State::Approved {
            from: date("2026-12-01")
        })
    );
}

#[test]
fn a_choice_that_does_not_fit_the_school_names_each_field() {
    let p = demo_policy();
    let s = demo_school(&p);
    assert!(check_choice(&p, &s, &choice("1-1")).is_empty());
    let bad = Choice {
        class: "9-9".into(),
        weekdays: vec![Sat],
        sessions: vec!["dinner".into()],
        clubs: vec!["nope".into()],
    };
    let errs = check_choice(&p, &s, &bad);
    let fields: Vec<&str> = errs.iter().map(|e| e.field).collect();
    for f in ["class", "weekdays", "sessions", "clubs"] {
        assert!(fields.contains(&f), "{f}: {errs:?}");
    }
    let sessions = errs.iter().find(|e| e.field == "sessions").unwrap();
    assert!(sessions.why.en.contains("\"dinner\"") && sessions.why.en.contains("stage1"));
    assert!(errs.iter().any(|e| e.why.zh.contains("9-9")));
}

#[test]
fn approved_applications_give_the_week_its_enrollment_and_its_demand() {
    let p = demo_policy();
    let mut s = demo_school(&p);
    let monday = date("2026-12-07");
    let in_effect = state_of("1-1", &approved("2026-12-01")).unwrap();
    let from_wed = state_of("1-1", &approved("2026-12-09")).unwrap();
    let pending = state_of("1-1", &[(Step::Apply, Actor::Family)]).unwrap();
    let mut apps = vec![(choice("1-1"), in_effect); 25];
    apps.extend(vec![(choice("1-1"), from_wed); 5]);
    apps.push((choice("1-1"), pending));
    apps.push((choice("7-7"), in_effect));
    // One pupil each.
    let apps: Vec<_> = (0..).zip(apps).map(|(i, (c, st))| (i, c, st)).collect();
    s.attends = attends(&apps);
    assert_eq!(s.attends.len(), 31, "the pending one gives no attendance");
    let ci = s.classes.iter().position(|c| c.id == "1-1").unwrap();
    let on = |d: &str, w| enrollment_on(&s, date(d), w);
    let n = |c: &kehou::enrol::Counted, wd: u8, key: &str| {
        c.enrollment.get(&(ci, wd, key.to_string())).copied()
    };
    let mon = on("2026-12-07", Mon);
    assert_eq!(n(&mon, 0, "stage1"), Some(25), "Monday: the 25 in effect");
    assert_eq!(n(&mon, 0, "morning"), None, "nobody chose the morning");
    assert_eq!(mon.unknown_classes.get("7-7"), Some(&1));
    let wed = on("2026-12-09", Wed);
    assert_eq!(
        n(&wed, 2, "stage1"),
        Some(30),
        "Wednesday: and the 5 from then"
    );
    assert_eq!(n(&on("2026-12-11", Fri), 4, "late"), Some(30));
    assert_eq!(
        n(&on("2026-12-10", Thu), 3, "stage1"),
        None,
        "nobody chose Thursday"
    );
    // The week's demand uses these counts for 1-1 and enrollment.csv's
    // for the other classes.
    let dm = demand::week(&p, &s, monday);
    let of = |d: &str| -> Vec<u32> {
        dm.duties
            .iter()
            .filter(|x| x.date == date(d) && x.classes == vec![ci] && x.session == "stage1")
            .map(|x| x.pupils)
            .collect()
    };
    assert_eq!(of("2026-12-07"), vec![25]);
    assert_eq!(of("2026-12-09"), vec![30]);
    let thursday = date("2026-12-10");
    assert!(
        !dm.duties
            .iter()
            .any(|d| d.date == thursday && d.classes.contains(&ci)),
        "nobody chose Thursday: no group of 1-1 then"
    );
    let c2 = s.classes.iter().position(|c| c.id == "1-2").unwrap();
    let before = demand::week(&p, &demo_school(&p), monday);
    let groups_of = |w: &demand::WeekDemand| -> Vec<(String, u32)> {
        w.duties
            .iter()
            .filter(|x| x.classes == vec![c2])
            .map(|x| (x.id.clone(), x.pupils))
            .collect()
    };
    assert!(!groups_of(&dm).is_empty());
    assert_eq!(
        groups_of(&dm),
        groups_of(&before),
        "1-2 keeps enrollment.csv"
    );
}

fn asks(n: i64) -> Vec<ClubAsk> {
    (1..=n)
        .map(|i| ClubAsk {
            application: i,
            applied_at: format!("2026-09-01T08:{:02}:00", 60 - i),
            clubs: vec!["football".into(), "choir".into()],
        })
        .collect()
}

#[test]
fn club_seats_go_first_come_or_by_a_reproducible_lottery() {
    let cap: BTreeMap<String, u32> = [("football".to_string(), 3), ("choir".to_string(), 2)].into();
    let never = |_: &str, _: &str| false;
    let a = asks(8);
    let first = allocate(&a, &cap, Draw::FirstCome, never);
    // The latest number applied first (applied_at counts down).
    assert_eq!(first.admitted["football"], vec![8, 7, 6]);
    // Clubs that do not clash: the first come take their second choice too.
    assert_eq!(first.admitted["choir"], vec![8, 7]);
    assert_eq!(first.waiting["football"], vec![5, 4, 3, 2, 1]);
    assert_eq!(first.waiting["choir"], vec![6, 5, 4, 3, 2, 1]);
    let draw = |seed| allocate(&a, &cap, Draw::Lottery { seed }, never);
    assert_eq!(draw(2026), draw(2026), "the same seed draws the same");
    let seeds: Vec<_> = (0..8)
        .map(|s| draw(s).admitted["football"].clone())
        .collect();
    assert!(
        seeds.iter().any(|f| f != &seeds[0]),
        "other seeds draw others"
    );
    for s in 0..8 {
        let d = draw(s);
        assert_eq!(d.admitted["football"].len(), 3);
        // Nobody both admitted to and waiting for the same club.
        for (club, seats) in &d.admitted {
            let waits = d.waiting.get(club).cloned().unwrap_or_default();
            assert!(seats.iter().all(|x| !waits.contains(x)));
        }
    }
    // Clubs at the same time: a child takes one of them, and a first
    // choice is never lost to another child's second.
    let clash = |_: &str, _: &str| true;
    let one = allocate(&a, &cap, Draw::FirstCome, clash);
    assert_eq!(one.admitted["football"], vec![8, 7, 6]);
    assert_eq!(one.admitted["choir"], vec![5, 4]);
    assert_eq!(one.waiting["choir"], vec![3, 2, 1]);
    let mut late_first = asks(4);
    late_first[0].clubs = vec!["choir".into()];
    let cap1: BTreeMap<String, u32> =
        [("football".to_string(), 1), ("choir".to_string(), 1)].into();
    let fair = allocate(&late_first, &cap1, Draw::FirstCome, clash);
    assert_eq!(
        fair.admitted["choir"],
        vec![1],
        "1 asked choir first: {fair:?}"
    );
}

#[test]
fn thursday_is_refused_only_when_no_service_runs() {
    // Thursday is a school weekday: a child may attend the morning then.
    let p = demo_policy();
    let s = demo_school(&p);
    let mut c = choice("1-1");
    c.weekdays = vec![Thu];
    c.sessions = vec!["morning".into()];
    assert!(check_choice(&p, &s, &c).is_empty());
}

mod kept {
    use super::*;
    use kehou::error::Error;
    use kehou::record::{Actor as By, Record};

    fn by() -> By {
        By {
            who: "test".into(),
            via: "test".into(),
        }
    }

    #[test]
    fn the_record_keeps_each_step_and_refuses_one_out_of_turn() {
        let dir = tempfile::tempdir().unwrap();
        let mut rec = Record::open(&dir.path().join("kehou.db")).unwrap();
        let (pupil, app) = rec
            .write(|tx| {
                let pupil = tx.add_pupil("1-1", "小明", "王女士", "13800000000", &by())?;
                let app = tx.apply(pupil, &choice("1-1"), &Actor::Family, &by())?;
                Ok((pupil, app))
            })
            .unwrap();
        // The principal before the review: refused, nothing written.
        let early = rec.write(|tx| {
            tx.step(
                app,
                &Step::Approve {
                    ok: true,
                    on: date("2026-12-07"),
                },
                &Actor::Principal,
                "",
                &by(),
            )
        });
        assert!(matches!(early, Err(Error::Refused(_))), "{early:?}");
        // Another class's pupil: refused.
        let other = rec.write(|tx| tx.apply(pupil, &choice("1-2"), &Actor::Family, &by()));
        assert!(matches!(other, Err(Error::Refused(_))), "{other:?}");
        rec.write(|tx| {
            tx.step(app, &Step::Review { ok: true }, &homeroom("1-1"), "", &by())?;
            tx.step(
                app,
                &Step::Approve {
                    ok: true,
                    on: date("2026-12-07"),
                },
                &Actor::Principal,
                "",
                &by(),
            )
        })
        .unwrap();
        let apps = rec.read(|tx| tx.applications()).unwrap();
        assert_eq!(apps.len(), 1);
        assert_eq!(apps[0].choice, choice("1-1"));
        assert_eq!(
            apps[0].state,
            State::Approved {
                from: date("2026-12-07")
            }
        );
        // Erasure blanks the child and keeps the application for the counts.
        rec.write(|tx| tx.erase_pupil(pupil, &by())).unwrap();
        let p = rec.read(|tx| tx.pupil(pupil)).unwrap().unwrap();
        assert!(p.erased && p.name.is_empty() && p.phone.is_empty() && p.guardian.is_empty());
        assert_eq!(
            rec.read(|tx| tx.applications()).unwrap()[0].state,
            apps[0].state
        );
        // Steps cannot be changed behind the rules' back.
        let path = dir.path().join("kehou.db");
        let conn = rusqlite::Connection::open(&path).unwrap();
        assert!(conn
            .execute("UPDATE application_steps SET ok = 0", [])
            .is_err());
        assert!(conn.execute("DELETE FROM applications", []).is_err());
        assert!(conn.execute("DELETE FROM pupils", []).is_err());
    }

    fn refusal(r: kehou::Result<i64>) -> String {
        match r {
            Err(Error::Refused(s)) => s[0].zh.clone() + " / " + &s[0].en,
            other => panic!("not a refusal: {other:?}"),
        }
    }

    #[test]
    fn a_pupil_has_one_open_application_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let mut rec = Record::open(&dir.path().join("kehou.db")).unwrap();
        let (pupil, first) = rec
            .write(|tx| {
                let pupil = tx.add_pupil("1-1", "小明", "王女士", "13800000000", &by())?;
                Ok((
                    pupil,
                    tx.apply(pupil, &choice("1-1"), &Actor::Family, &by())?,
                ))
            })
            .unwrap();
        let again = |rec: &mut Record| {
            rec.write(|tx| tx.apply(pupil, &choice("1-1"), &Actor::Office, &by()))
        };
        // Waiting for the homeroom teacher, then for the principal: refused,
        // the open one named, nothing recorded.
        let msg = refusal(again(&mut rec));
        assert!(msg.contains(&format!("申请 {first}")), "{msg}");
        assert!(msg.contains(&format!("application {first}")), "{msg}");
        assert!(msg.contains("待班主任审核"), "{msg}");
        rec.write(|tx| {
            tx.step(
                first,
                &Step::Review { ok: true },
                &homeroom("1-1"),
                "",
                &by(),
            )
        })
        .unwrap();
        let msg = refusal(again(&mut rec));
        assert!(msg.contains("待校长审定"), "{msg}");
        assert_eq!(rec.read(|tx| tx.applications()).unwrap().len(), 1);
        // Approved: a new application (a change from a date) may follow.
        let approve = Step::Approve {
            ok: true,
            on: date("2026-12-07"),
        };
        rec.write(|tx| tx.step(first, &approve, &Actor::Principal, "", &by()))
            .unwrap();
        let change = again(&mut rec).unwrap();
        // While the change is open, a third is refused, naming the change.
        let msg = refusal(again(&mut rec));
        assert!(msg.contains(&format!("申请 {change}")), "{msg}");
        // Refused: the family may apply again.
        rec.write(|tx| {
            tx.step(
                change,
                &Step::Review { ok: false },
                &homeroom("1-1"),
                "",
                &by(),
            )
        })
        .unwrap();
        let third = again(&mut rec).unwrap();
        // Withdrawn before a decision: again.
        let on = date("2026-12-01");
        rec.write(|tx| tx.step(third, &Step::Withdraw { on }, &Actor::Family, "", &by()))
            .unwrap();
        again(&mut rec).unwrap();
        assert_eq!(rec.read(|tx| tx.applications()).unwrap().len(), 4);
    }
}

#[test]
fn plan_and_demand_read_the_applications_from_the_record() {
    use kehou::record::{Actor as By, Record};
    let dir = tempfile::tempdir().unwrap();
    write_tiny_school(dir.path());
    let db = dir.path().join("kehou.db");
    let demand_csv = |name: &str| -> String {
        let out = dir.path().join(name);
        let st = std::process::Command::new(env!("CARGO_BIN_EXE_kehou"))
            .arg("--policy")
            .arg(dir.path().join("policy.toml"))
            .arg("--data")
            .arg(dir.path().join("data"))
            .arg("--record")
            .arg(&db)
            .args(["demand", "--week", "2026-12-07", "--csv"])
            .arg(&out)
            .status()
            .unwrap();
        assert!(st.success());
        std::fs::read_to_string(out).unwrap()
    };
    let rows_with = |csv: &str, n: &str| -> usize {
        csv.lines()
            .filter(|l| l.starts_with("2026-12-07") && l.split(',').nth(7) == Some(n))
            .count()
    };
    let before = demand_csv("before.csv");
    assert_eq!(rows_with(&before, "37"), 0);
    let by = By {
        who: "test".into(),
        via: "test".into(),
    };
    let mut rec = Record::open(&db).unwrap();
    rec.write(|tx| {
        for i in 0..37 {
            let p = tx.add_pupil("1-1", &format!("学生{i}"), "", "", &by)?;
            let a = tx.apply(p, &choice("1-1"), &Actor::Office, &by)?;
            tx.step(a, &Step::Review { ok: true }, &homeroom("1-1"), "", &by)?;
            tx.step(
                a,
                &Step::Approve {
                    ok: true,
                    on: date("2026-12-01"),
                },
                &Actor::Principal,
                "",
                &by,
            )?;
        }
        Ok(())
    })
    .unwrap();
    drop(rec);
    let after = demand_csv("after.csv");
    assert!(
        rows_with(&after, "37") >= 1,
        "1-1's 37 approved children on Monday:\n{after}"
    );
}

#[test]
fn a_child_with_two_approvals_in_effect_counts_once_by_the_newer() {
    let p = demo_policy();
    let mut s = demo_school(&p);
    let old = state_of("1-1", &approved("2026-12-01")).unwrap();
    let new = state_of("1-1", &approved("2026-12-09")).unwrap();
    let mut tuesday = choice("1-1");
    tuesday.weekdays = vec![Tue];
    // Pupil 7 applied again (Tuesdays only) and both were approved; pupil
    // 8 has one approval.
    s.attends = attends(&[
        (7, choice("1-1"), old),
        (7, tuesday, new),
        (8, choice("1-1"), old),
    ]);
    let ci = s.classes.iter().position(|c| c.id == "1-1").unwrap();
    let n = |d: &str, w: chrono::Weekday, key: &str| {
        let wd = w.num_days_from_monday() as u8;
        enrollment_on(&s, date(d), w)
            .enrollment
            .get(&(ci, wd, key.to_string()))
            .copied()
    };
    assert_eq!(
        n("2026-12-08", Tue, "stage1"),
        Some(2),
        "before the new one: the old"
    );
    assert_eq!(
        n("2026-12-11", Fri, "stage1"),
        Some(1),
        "the newer approval: Tuesdays only"
    );
    assert_eq!(
        n("2026-12-15", Tue, "stage1"),
        Some(2),
        "not 3: pupil 7 once"
    );
}
