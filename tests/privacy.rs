//! Children's data (issue 20, item 6): every staff read of a pupil's
//! record is logged, a family's data can be exported, and erased once the
//! child has left, keeping the counts the ledger and pay rest on.

mod common;
use common::*;

use chrono::Weekday::{Mon, Wed};
use kehou::enrol::{Actor, Choice, Step};
use kehou::record::privacy::family_json;
use kehou::record::{Actor as By, Record};

fn by(who: &str) -> By {
    By {
        who: who.into(),
        via: "test".into(),
    }
}

fn choice() -> Choice {
    Choice {
        class: "1-1".into(),
        weekdays: vec![Mon, Wed],
        sessions: vec!["stage1".into()],
        clubs: vec![],
    }
}

/// A pupil of 1-1 approved from 2026-12-01; (pupil, application).
fn approved_pupil(rec: &mut Record) -> (i64, i64) {
    let office = by("office");
    rec.write(|tx| {
        let p = tx.add_pupil("1-1", "李小明", "李华", "13800000000", &office)?;
        let a = tx.apply(p, &choice(), &Actor::Office, &office)?;
        let hr = Actor::Homeroom {
            class: "1-1".into(),
        };
        tx.step(
            a,
            &Step::Review { ok: true },
            &hr,
            "家长说孩子有哮喘",
            &office,
        )?;
        let on = date("2026-12-01");
        tx.step(
            a,
            &Step::Approve { ok: true, on },
            &Actor::Principal,
            "",
            &office,
        )?;
        Ok((p, a))
    })
    .unwrap()
}

#[test]
fn every_read_is_logged_and_the_family_export_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec = Record::open(&dir.path().join("kehou.db")).unwrap();
    let (p, _) = approved_pupil(&mut rec);
    rec.write(|tx| tx.log_reads(&by("t001"), &[p], "roll call"))
        .unwrap();
    let data = rec.write(|tx| tx.family_data(p, &by("office"))).unwrap();
    assert_eq!(data.pupil.name, "李小明");
    assert_eq!(data.applications.len(), 1);
    assert_eq!(data.applications[0].state, "approved");
    assert_eq!(data.applications[0].weekdays, vec![1, 3]);
    let who: Vec<(&str, &str)> = data
        .reads
        .iter()
        .map(|r| (r.who.as_str(), r.what.as_str()))
        .collect();
    // The export is a read too.
    assert_eq!(
        who,
        vec![("t001", "roll call"), ("office", "family export")]
    );
    let json = String::from_utf8(family_json(&data)).unwrap();
    assert!(
        json.contains("李小明") && json.contains("roll call"),
        "{json}"
    );
    // The log is kept as it is.
    drop(rec);
    let conn = rusqlite::Connection::open(dir.path().join("kehou.db")).unwrap();
    assert!(conn.execute("DELETE FROM pupil_reads", []).is_err());
    assert!(conn
        .execute("UPDATE pupil_reads SET who = 'x'", [])
        .is_err());
}

#[test]
fn a_family_is_erased_only_once_the_child_has_left_and_the_counts_stay() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehou.db");
    let mut rec = Record::open(&db).unwrap();
    let (p, a) = approved_pupil(&mut rec);
    let office = by("office");
    let today = date("2026-12-20");
    // Still attending: refused, and nothing erased.
    let err = rec
        .write(|tx| tx.erase_family(p, today, &office))
        .unwrap_err();
    assert!(err
        .render(kehou::lang::Lang::En)
        .contains("withdraw it first"));
    assert_eq!(rec.read(|tx| tx.pupil(p)).unwrap().unwrap().name, "李小明");
    let hr = Actor::Homeroom {
        class: "1-1".into(),
    };
    let until = date("2026-12-14");
    rec.write(|tx| {
        tx.step(
            a,
            &Step::Withdraw { on: until },
            &Actor::Family,
            "",
            &office,
        )?;
        tx.step(a, &Step::Review { ok: true }, &hr, "", &office)?;
        tx.step(
            a,
            &Step::Approve {
                ok: true,
                on: until,
            },
            &Actor::Principal,
            "",
            &office,
        )?;
        Ok(())
    })
    .unwrap();
    // Left on the 14th, asked to erase on the 10th: still attending.
    assert!(rec
        .write(|tx| tx.erase_family(p, date("2026-12-10"), &office))
        .is_err());
    rec.write(|tx| tx.erase_family(p, today, &office)).unwrap();
    let gone = rec.read(|tx| tx.pupil(p)).unwrap().unwrap();
    assert!(
        gone.erased && gone.name.is_empty() && gone.guardian.is_empty() && gone.phone.is_empty()
    );
    drop(rec);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let notes: Vec<String> = conn
        .prepare("SELECT note FROM application_steps")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(notes.iter().all(|n| n.is_empty()), "{notes:?}");
    // Only a note may be blanked: a step's decision is kept as it is.
    assert!(conn
        .execute("UPDATE application_steps SET ok = 0", [])
        .is_err());
    assert!(conn
        .execute("UPDATE application_steps SET note = 'x'", [])
        .is_err());
    drop(conn);
    // The anonymous count stays: the child counted 1–13 December.
    let mut rec = Record::open(&db).unwrap();
    let att = rec.read(|tx| tx.attends()).unwrap();
    assert_eq!(att.len(), 1);
    assert_eq!(
        (att[0].from, att[0].until),
        (date("2026-12-01"), Some(until))
    );
    assert!(rec.write(|tx| tx.erase_family(p, today, &office)).is_err());
}
