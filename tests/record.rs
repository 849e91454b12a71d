//! The school's record: every event checked before it is written (each
//! refusal the issue lists), no lost updates, the migration from an earlier
//! history folder, and the record as the ledger reads it.

mod common;
use std::path::Path;

use common::*;
use kehou::demand::{self, Duty};
use kehou::lang::Lang;
use kehou::ledger::{self, Event};
use kehou::model::policy::Policy;
use kehou::model::policy::Role;
use kehou::model::school::{School, Staff};
use kehou::record::{admit, Actor, Base, Record};
use kehou::{plan, roster};

const WEEK: &str = "2026-12-07";

fn by() -> Actor {
    Actor::cli("test")
}

/// The demo school's week planned and published as v1 in a new record.
struct Published {
    p: Policy,
    s: School,
    rec: Record,
    rows: Vec<roster::Row>,
    duties: Vec<Duty>,
    bytes: Vec<u8>,
    _dir: tempfile::TempDir,
}

fn published() -> Published {
    let p = demo_policy();
    let s = demo_school(&p);
    let dm = demand::week(&p, &s, date(WEEK));
    let plan = plan::plan(&p, &s, &dm, &plan::Options::from_policy(&p)).unwrap();
    let bytes = kehou::outputs::roster_csv::to_csv(&p, &s, &plan, Lang::Zh);
    let dir = tempfile::tempdir().unwrap();
    let mut rec = Record::open(&dir.path().join("kehou.db")).unwrap();
    rec.write(|tx| tx.publish(dm.monday, &bytes, Base::Unpublished, &by()))
        .unwrap();
    let rows = roster::parse(Path::new("x"), &bytes).unwrap();
    Published {
        p,
        s,
        rec,
        rows,
        duties: dm.duties,
        bytes,
        _dir: dir,
    }
}

impl Published {
    fn record(&mut self, e: &Event) -> kehou::Result<admit::Recorded> {
        let (p, s) = (&self.p, &self.s);
        self.rec.write(|tx| admit::record(tx, p, s, e, None, &by()))
    }

    /// The refusal's text (English), or a panic if it was recorded.
    fn refused(&mut self, e: &Event) -> String {
        match self.record(e) {
            Ok(r) => panic!("recorded #{} but should be refused: {e:?}", r.id),
            Err(err) => {
                assert!(matches!(err, kehou::Error::Refused(_)), "{err}");
                err.render(Lang::En)
            }
        }
    }

    fn events(&mut self) -> Vec<Event> {
        self.rec.read(|tx| tx.events()).unwrap()
    }

    fn duty(&self, id: &str) -> &Duty {
        self.duties.iter().find(|d| d.id == id).unwrap()
    }

    /// Holders of duty rows matching `pick`, as (duty id, staff id).
    fn held(&self, pick: impl Fn(&Duty) -> bool) -> Vec<(String, String)> {
        self.rows
            .iter()
            .filter(|r| pick(self.duty(&r.duty_id)))
            .filter_map(|r| Some((r.duty_id.clone(), r.staff_id.clone()?)))
            .collect()
    }

    /// People matching `pick` who hold nothing overlapping duty `d`
    /// (none of them on the same day at all first), fewest duties first.
    fn free_at(&self, d: &str, pick: impl Fn(&Staff) -> bool) -> Vec<String> {
        let duty = self.duty(d).clone();
        let mut out: Vec<(bool, usize, String)> = Vec::new();
        for x in self.s.staff.iter().filter(|x| pick(x)) {
            let mine: Vec<&Duty> = self
                .rows
                .iter()
                .filter(|r| r.staff_id.as_deref() == Some(x.id.as_str()))
                .map(|r| self.duty(&r.duty_id))
                .collect();
            if mine.iter().any(|m| m.overlaps(&duty)) {
                continue;
            }
            let same_day = mine.iter().any(|m| m.date == duty.date);
            out.push((same_day, mine.len(), x.id.clone()));
        }
        out.sort();
        out.into_iter().map(|x| x.2).collect()
    }
}

fn teacher(x: &Staff) -> bool {
    x.active && matches!(x.role, Role::Homeroom | Role::Subject)
}

fn absent(duty: &str, staff: &str, sub: Option<&str>) -> Event {
    Event::Absent {
        duty: duty.into(),
        staff: staff.into(),
        substitute: sub.map(String::from),
        note: String::new(),
    }
}

#[test]
fn a_substitute_already_on_duty_at_that_time_is_refused() {
    let mut w = published();
    let noon = w.held(|d| d.date == date("2026-12-08") && d.session == "noon");
    let (d1, a) = &noon[0];
    let (_, b) = noon.iter().find(|(_, x)| x != a).unwrap();
    let why = w.refused(&absent(d1, a, Some(b)));
    assert!(why.contains("no-overlap"), "{why}");
    assert!(w.events().is_empty(), "nothing written");
}

#[test]
fn an_inactive_person_or_an_outside_instructor_cannot_cover_lunch() {
    let mut w = published();
    let (d, a) = w.held(|d| d.session == "noon")[0].clone();
    let inactive = w.free_at(&d, |x| !x.active)[0].clone();
    let why = w.refused(&absent(&d, &a, Some(&inactive)));
    assert!(why.contains("role"), "{why}");
    let outside = w.free_at(&d, |x| x.active && x.role == Role::Outside)[0].clone();
    let why = w.refused(&absent(&d, &a, Some(&outside)));
    assert!(why.contains("role"), "{why}");
    assert!(w.events().is_empty());
}

#[test]
fn unknown_duties_people_and_non_holders_are_refused() {
    let mut w = published();
    let (d, a) = w.held(|d| d.session == "noon")[0].clone();
    let why = w.refused(&absent("2026-12-08/noon/nope", &a, None));
    assert!(why.contains("no duty \"2026-12-08/noon/nope\""), "{why}");
    let why = w.refused(&absent("garbage", &a, None));
    assert!(why.contains("no duty"), "{why}");
    let why = w.refused(&absent(&d, "T999", None));
    assert!(why.contains("no such staff member: T999"), "{why}");
    let other = w.free_at(&d, teacher)[0].clone();
    let why = w.refused(&absent(&d, &other, None));
    assert!(why.contains("does not hold duty"), "{why}");
    let why = w.refused(&absent(&d, &a, Some(&a)));
    assert!(why.contains("themselves"), "{why}");
    // A week that was never published.
    let later = format!("2026-12-14{}", &d[10..]);
    let why = w.refused(&absent(&later, &a, None));
    assert!(why.contains("not published"), "{why}");
    assert!(w.events().is_empty());
}

#[test]
fn the_same_absence_twice_is_refused_and_a_valid_one_is_served() {
    let mut w = published();
    let (d, a) = w.held(|d| d.session == "noon")[0].clone();
    let mut sub = String::new();
    let mut first = None;
    for x in w.free_at(&d, teacher) {
        if let Ok(r) = w.record(&absent(&d, &a, Some(&x))) {
            (sub, first) = (x, Some(r));
            break;
        }
    }
    let r = first.expect("some teacher can substitute");
    assert_eq!((r.week, r.version), (date(WEEK), 1));
    let why = w.refused(&absent(&d, &a, Some(&sub)));
    assert!(why.contains("already recorded"), "{why}");
    // The absent person no longer holds it, so no other form of the same
    // absence is taken either.
    let why = w.refused(&absent(&d, &a, None));
    assert!(why.contains("does not hold"), "{why}");
    assert_eq!(w.events().len(), 1);
    let (p, s) = (&w.p, &w.s);
    let served = w
        .rec
        .read(|tx| ledger::served(p, s, tx, date(WEEK), date("2026-12-13")))
        .unwrap();
    let on_d: Vec<&str> = served
        .iter()
        .filter(|x| x.duty.id == d)
        .map(|x| s.staff[x.staff].id.as_str())
        .collect();
    assert!(
        on_d.contains(&sub.as_str()) && !on_d.contains(&a.as_str()),
        "{on_d:?}"
    );
}

#[test]
fn substitutions_already_recorded_count_against_the_limits() {
    let mut w = published();
    // One idle teacher takes noon duties on the same day until the record
    // refuses: never two at once, never past the daily limit.
    let day = w.held(|d| d.date == date("2026-12-09"));
    let sub = w.free_at(&day[0].0, teacher)[0].clone();
    let mut took: Vec<String> = Vec::new();
    let mut refusals = Vec::new();
    for (d, a) in day {
        match w.record(&absent(&d, &a, Some(&sub))) {
            Ok(_) => took.push(d),
            Err(e) => refusals.push(e.render(Lang::En)),
        }
    }
    assert!(
        !took.is_empty() && !refusals.is_empty(),
        "{took:?} {refusals:?}"
    );
    for (i, a) in took.iter().enumerate() {
        for b in &took[i + 1..] {
            assert!(!w.duty(a).overlaps(w.duty(b)), "{a} and {b} overlap");
        }
    }
    let max = w.p.rules.max_duties_per_day as usize;
    assert!(
        took.len() <= max,
        "{} duties > daily limit {max}",
        took.len()
    );
    // The served week passes the independent checker.
    let (p, s) = (&w.p, &w.s);
    let served = w
        .rec
        .read(|tx| ledger::served(p, s, tx, date(WEEK), date("2026-12-13")))
        .unwrap();
    let mine = served.iter().filter(|x| s.staff[x.staff].id == sub).count();
    let own = w
        .rows
        .iter()
        .filter(|r| r.staff_id.as_deref() == Some(sub.as_str()))
        .count();
    assert_eq!(mine, own + took.len());
}

#[test]
fn a_cancellation_takes_a_session_by_label_and_only_once() {
    let mut w = published();
    let e = Event::Cancel {
        date: date("2026-12-08"),
        session: Some("午间看护".into()),
        note: "停电".into(),
    };
    let r = w.record(&e).unwrap();
    assert_eq!(
        r.event,
        Event::Cancel {
            date: date("2026-12-08"),
            session: Some("noon".into()),
            note: "停电".into()
        },
        "stored by id"
    );
    let why = w.refused(&e);
    assert!(why.contains("already recorded"), "{why}");
    let typo = Event::Cancel {
        date: date("2026-12-08"),
        session: Some("午饭".into()),
        note: String::new(),
    };
    let why = w.refused(&typo);
    assert!(
        why.contains("no session \"午饭\"") && why.contains("noon care (noon)"),
        "{why}"
    );
    // A Saturday has nothing published to cancel.
    let sat = Event::Cancel {
        date: date("2026-12-12"),
        session: None,
        note: String::new(),
    };
    assert!(w.refused(&sat).contains("no published duty"));
    // The rest of the day can still be cancelled, once.
    let day = Event::Cancel {
        date: date("2026-12-08"),
        session: None,
        note: String::new(),
    };
    w.record(&day).unwrap();
    assert!(w.refused(&day).contains("already recorded"));
    // An absence from a cancelled duty is refused.
    let (d, a) = w.held(|d| d.date == date("2026-12-08"))[0].clone();
    assert!(w.refused(&absent(&d, &a, None)).contains("cancelled"));
}

#[test]
fn a_write_based_on_an_older_version_is_refused() {
    let mut w = published();
    let monday = date(WEEK);
    // Someone publishes v2 while a repair based on v1 is being computed.
    let bytes = w.bytes.clone();
    w.rec
        .write(|tx| tx.publish(monday, &bytes, Base::Version(1), &by()))
        .unwrap();
    let late = w
        .rec
        .write(|tx| tx.publish(monday, b"repaired", Base::Version(1), &by()))
        .unwrap_err();
    assert!(matches!(late, kehou::Error::Stale { .. }), "{late}");
    assert!(
        late.render(Lang::Zh).contains("v2"),
        "{}",
        late.render(Lang::Zh)
    );
    let (d, a) = w.held(|d| d.session == "noon")[0].clone();
    let (p, s) = (&w.p, &w.s);
    let e = absent(&d, &a, None);
    let err = w
        .rec
        .write(|tx| admit::record(tx, p, s, &e, Some(1), &by()))
        .unwrap_err();
    assert!(matches!(err, kehou::Error::Stale { .. }), "{err}");
    assert!(w.rec.read(|tx| tx.events()).unwrap().is_empty());
    assert_eq!(w.rec.read(|tx| tx.versions(monday)).unwrap(), vec![1, 2]);
    // Based on the latest, it is taken.
    let ok = w
        .rec
        .write(|tx| admit::record(tx, p, s, &e, Some(2), &by()));
    assert_eq!(ok.unwrap().version, 2);
}

#[test]
fn recorded_versions_and_events_cannot_be_changed() {
    let w = published();
    let db = w.rec.path().to_path_buf();
    drop(w.rec);
    let mut rec = kehou::record::Record::open(&db).unwrap();
    let q = kehou::record::requests::NewRequest {
        kind: kehou::record::requests::Kind::Absence,
        staff_id: "T001",
        from: date("2026-12-08"),
        to: date("2026-12-08"),
        duty_id: "",
        note: "",
    };
    rec.write(|tx| {
        let id = tx.ask(&q, &by())?;
        tx.answer(id, kehou::record::requests::Answer::Done, "", &by())
    })
    .unwrap();
    drop(rec);
    let conn = rusqlite::Connection::open(&db).unwrap();
    for sql in [
        "UPDATE versions SET roster = x'00'",
        "DELETE FROM versions",
        "DELETE FROM audit",
        "UPDATE requests SET staff_id = 'T002'",
        "DELETE FROM requests",
        "UPDATE request_answers SET answer = 'declined'",
        "DELETE FROM request_answers",
    ] {
        let e = conn.execute(sql, []).unwrap_err().to_string();
        assert!(e.contains("kept as"), "{sql}: {e}");
    }
}

#[test]
fn a_new_version_that_clashes_with_a_recorded_substitution_is_refused() {
    let mut w = published();
    let noon = w.held(|d| d.date == date("2026-12-08") && d.session == "noon");
    let (d, a) = noon[0].clone();
    let x = w
        .free_at(&d, teacher)
        .into_iter()
        .find(|x| w.record(&absent(&d, &a, Some(x))).is_ok())
        .expect("a substitute");
    // v2 gives x another lunch at the same time, in place of its holder:
    // fine on its own, impossible with the substitution recorded.
    let (d2, _) = noon
        .iter()
        .find(|(dd, h)| *dd != d && *h != a)
        .unwrap()
        .clone();
    let rows2: Vec<roster::Row> = w
        .rows
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if r.duty_id == d2 {
                // As a planner would write it: the row's cells for x.
                r = roster::Row::new(r.line, r.duty_id, Some(x.clone()));
            }
            r
        })
        .collect();
    let dm = demand::week(&w.p, &w.s, date(WEEK));
    assert!(
        kehou::check::check(&w.p, &w.s, &dm, &rows2).is_empty(),
        "v2 alone passes"
    );
    let (p, s) = (&w.p, &w.s);
    let err = w
        .rec
        .write(|tx| admit::publish(tx, p, s, &dm, &rows2, b"v2", Base::Version(1), &by()))
        .unwrap_err();
    let why = err.render(Lang::En);
    assert!(
        why.contains("conflicts with the events") && why.contains("no-overlap"),
        "{why}"
    );
    assert_eq!(w.rec.read(|tx| tx.versions(date(WEEK))).unwrap(), vec![1]);
    // The unchanged roster can be published again.
    let rows = w.rows.clone();
    let v = w
        .rec
        .write(|tx| admit::publish(tx, p, s, &dm, &rows, b"v2", Base::Version(1), &by()));
    assert_eq!(v.unwrap(), 2);
}

#[test]
fn a_new_version_that_would_undo_a_recorded_absence_is_refused() {
    let mut w = published();
    let noon = w.held(|d| d.date == date("2026-12-08") && d.session == "noon");
    let (d, a) = noon[0].clone();
    let (d2, b) = noon
        .iter()
        .find(|(dd, h)| *dd != d && *h != a)
        .unwrap()
        .clone();
    let x = w
        .free_at(&d, teacher)
        .into_iter()
        .find(|x| w.record(&absent(&d, &a, Some(x))).is_ok())
        .expect("a substitute");
    // v2 exchanges a and b between two lunches at the same time: valid on
    // its own, but a no longer holds the duty the substitution was for, so
    // x would lose it and a, who was absent, would be paid.
    let rows2: Vec<roster::Row> = w
        .rows
        .iter()
        .map(|r| {
            let mut r = r.clone();
            let to = match (r.duty_id == d, r.duty_id == d2) {
                (true, _) => Some(b.clone()),
                (_, true) => Some(a.clone()),
                _ => return r,
            };
            r = roster::Row::new(r.line, r.duty_id, to);
            r
        })
        .collect();
    let dm = demand::week(&w.p, &w.s, date(WEEK));
    let (p, s) = (&w.p, &w.s);
    let err = w
        .rec
        .write(|tx| admit::publish(tx, p, s, &dm, &rows2, b"v2", Base::Version(1), &by()))
        .unwrap_err();
    let why = err.render(Lang::En);
    assert!(
        why.contains("would undo events") && why.contains(&d),
        "{why}"
    );
    assert_eq!(w.rec.read(|tx| tx.versions(date(WEEK))).unwrap(), vec![1]);
    let _ = x;
}
