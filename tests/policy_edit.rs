//! Editing the policy's text (issue 19, item 2): a form's change keeps the
//! school's comments and layout, a bad value is refused naming the form
//! field or the line and key, every saved version is kept and restorable,
//! and a change's effect on the pay of a published week is computed (and
//! asks for confirmation) while the recorded duties stay as they were.

mod common;
use std::collections::HashMap;

use common::*;
use kehou::input::policy::edit::{self, Tag};
use kehou::input::policy::form::{self, Section};
use kehou::lang::Lang;
use kehou::ledger;
use kehou::model::policy::Policy;
use kehou::model::school::School;
use kehou::record::policy_versions::{save_and_write, SaveNote};
use kehou::record::{Actor, Base, Record};
use kehou::{demand, plan};

fn demo_text() -> String {
    std::fs::read_to_string(root().join("policies/demo.toml")).unwrap()
}

fn demo_path() -> std::path::PathBuf {
    root().join("policies/demo.toml")
}

/// `text` with the form of `section` submitted with `set` (other fields as they are).
fn submit(text: &str, section: Section, set: &[(&str, &str)]) -> Result<String, form::FieldError> {
    let fields = form::fields(text, section).unwrap();
    let mut f: HashMap<String, String> = fields
        .iter()
        .map(|x| (x.name.clone(), x.value.clone()))
        .collect();
    for (k, v) in set {
        assert!(f.contains_key(*k), "the form has {k}: {:?}", f.keys());
        f.insert(k.to_string(), v.to_string());
    }
    let changes = form::changes(&fields, &f)?;
    Ok(edit::apply(text, &changes).unwrap())
}

#[test]
fn a_form_edit_changes_one_line_and_keeps_every_comment() {
    let old = demo_text();
    // The form as shown changes nothing.
    assert_eq!(submit(&old, Section::Seasons, &[]).unwrap(), old);
    let new = submit(&old, Section::Seasons, &[("seasons[0].cutoff", "17:10")]).unwrap();
    let d = edit::diff(&old, &new, 0);
    let changed: Vec<_> = d.iter().filter(|l| l.tag != Tag::Same).collect();
    assert_eq!(changed.len(), 2, "{d:?}");
    assert_eq!(changed[0].tag, Tag::Removed);
    assert_eq!(changed[0].text, "cutoff = \"17:00\"");
    assert_eq!(changed[1].tag, Tag::Added);
    assert_eq!(changed[1].text, "cutoff = \"17:10\"");
    assert_eq!(changed[0].old, changed[1].new, "the same line");
    // Every comment is still there, and a trailing comment keeps its value's line.
    for line in old.lines().filter(|l| l.contains('#')) {
        assert!(new.lines().any(|n| n == line), "comment lost: {line}");
    }
    let paid = submit(&old, Section::Pay, &[("pay.rate_per_keshi", "55.5")]).unwrap();
    assert!(
        paid.contains("rate_per_keshi = 55.5      # yuan per 课时 (performance pay)"),
        "{paid}"
    );
    // The edited text loads, with the new cutoff.
    let p = edit::check(&demo_path(), &new).unwrap();
    assert_eq!(p.seasons[0].cutoff.to_string(), "17:10");
    // An optional key left empty is removed, its comment with it.
    let nocap = submit(&old, Section::Pay, &[("pay.daily_cap_keshi", "")]).unwrap();
    assert!(!nocap.contains("daily_cap_keshi"), "{nocap}");
    assert!(edit::check(&demo_path(), &nocap)
        .unwrap()
        .pay
        .daily_cap_keshi
        .is_none());
}

#[test]
fn a_bad_value_is_refused_naming_the_form_field_or_the_line_and_key() {
    let old = demo_text();
    let e = submit(&old, Section::Seasons, &[("seasons[0].cutoff", "25:00")]).unwrap_err();
    assert!(
        e.field.zh.contains("冬季作息") && e.field.zh.contains("结束时间"),
        "{e:?}"
    );
    assert!(e.field.en.contains("cutoff"), "{e:?}");
    assert!(e.why.zh.contains("HH:MM"), "{e:?}");
    let e = submit(&old, Section::Pay, &[("pay.rate_per_keshi", "50.123")]).unwrap_err();
    assert!(e.field.zh.contains("每课时报酬"), "{e:?}");
    let e = submit(
        &old,
        Section::StaffRules,
        &[("staff_rules.max_duties_per_day", "")],
    )
    .unwrap_err();
    assert!(e.why.en.contains("empty"), "{e:?}");
    let e = submit(
        &old,
        Section::DutyKinds,
        &[("duty_kinds[1].priority", "urgent")],
    )
    .unwrap_err();
    assert!(e.why.en.contains("required, high, normal"), "{e:?}");
    // In the text: the same checks as loading, with line and key.
    let line = old.lines().position(|l| l == "cutoff = \"17:00\"").unwrap() + 1;
    let bad = old.replacen("cutoff = \"17:00\"", "cutoff = \"1700\"", 1);
    let err = edit::check(&demo_path(), &bad).unwrap_err();
    let zh = err.render(Lang::Zh);
    assert!(zh.contains(&format!("demo.toml:{line}:")), "{zh}");
    assert!(zh.contains("seasons[0].cutoff"), "{zh}");
    let en = err.render(Lang::En);
    assert!(en.contains("field `seasons[0].cutoff`"), "{en}");
    // A typo in a key is an error too (the key is then missing); broken
    // TOML names its line.
    let typo = old.replacen("cutoff = \"17:00\"", "cuttoff = \"17:00\"", 1);
    assert!(edit::check(&demo_path(), &typo)
        .unwrap_err()
        .render(Lang::En)
        .contains("cutoff"));
    let broken = old.replacen("cutoff = \"17:00\"", "cutoff = \"17:00", 1);
    assert!(edit::check(&demo_path(), &broken).is_err());
    assert!(edit::apply(&broken, &[])
        .unwrap_err()
        .render(Lang::En)
        .contains(&format!("line {line}")));
}

fn by() -> Actor {
    Actor {
        who: "vp".into(),
        via: "test".into(),
    }
}

#[test]
fn every_saved_version_is_kept_and_a_restore_is_a_new_save() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policy.toml");
    let v0 = demo_text();
    std::fs::write(&file, &v0).unwrap();
    let mut rec = Record::open(&dir.path().join("kehou.db")).unwrap();
    let v1 = submit(&v0, Section::Seasons, &[("seasons[0].cutoff", "17:10")]).unwrap();
    let note = |s: &str| SaveNote {
        note: s.into(),
        ..SaveNote::default()
    };
    let id1 = save_and_write(&mut rec, &file, &v0, &v1, &note("冬季延后十分钟"), &by()).unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), v1);
    let v2 = submit(&v1, Section::Pay, &[("pay.rate_per_keshi", "60")]).unwrap();
    let id2 = save_and_write(&mut rec, &file, &v1, &v2, &note("新标准"), &by()).unwrap();
    let list = rec.read(|tx| tx.policy_versions()).unwrap();
    // The file as it was before the first save is kept first.
    assert_eq!(
        list.iter().map(|v| v.id).collect::<Vec<_>>(),
        vec![id2, id1, id1 - 1]
    );
    assert_eq!(list[0].note, "新标准");
    assert_eq!(list[0].who, "vp");
    let first = rec.read(|tx| tx.policy_version(id1 - 1)).unwrap().unwrap();
    assert_eq!(first.text, v0);
    // Restoring the first is a new version naming it; nothing is overwritten.
    let n = SaveNote {
        note: "恢复".into(),
        restored_from: Some(first.id),
        pay_confirmed: false,
    };
    let id3 = save_and_write(&mut rec, &file, &v2, &first.text, &n, &by()).unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), v0);
    let v = rec.read(|tx| tx.policy_version(id3)).unwrap().unwrap();
    assert_eq!(
        (v.restored_from, v.text.as_str()),
        (Some(first.id), v0.as_str())
    );
    assert_eq!(rec.read(|tx| tx.policy_versions()).unwrap().len(), 4);
    assert_eq!(
        rec.read(|tx| tx.policy_version(id1)).unwrap().unwrap().text,
        v1
    );
    // A version cannot be changed or deleted behind the record's back.
    drop(rec);
    let conn = rusqlite_conn(&dir.path().join("kehou.db"));
    assert!(conn
        .execute("UPDATE policy_versions SET text = 'x'", [])
        .is_err());
    assert!(conn.execute("DELETE FROM policy_versions", []).is_err());
}

fn rusqlite_conn(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

fn tiny(p: &Policy) -> School {
    school_from(p, &tiny_files()).unwrap()
}

#[test]
fn a_change_to_published_pay_is_shown_per_person_and_needs_confirmation() {
    let p = demo_policy();
    let s = tiny(&p);
    let dir = tempfile::tempdir().unwrap();
    let mut rec = Record::open(&dir.path().join("kehou.db")).unwrap();
    let monday = date("2026-12-07");
    let dm = demand::week(&p, &s, monday);
    let planned = plan::plan(&p, &s, &dm, &plan::Options::from_policy(&p)).unwrap();
    let bytes = kehou::outputs::roster_csv::to_csv(&p, &s, &planned, Lang::Zh);
    rec.write(|tx| tx.publish(monday, &bytes, Base::Unpublished, &by()))
        .unwrap();
    let text = demo_text();
    let effect = |new: &str, rec: &mut Record| {
        let np = edit::check(&demo_path(), new).unwrap();
        let ns = tiny(&np);
        rec.read(|tx| ledger::pay_effect((&p, &s), (&np, &ns), tx, &[monday]))
            .unwrap()
    };
    // A preference weight pays nobody differently: no confirmation.
    let prefs = submit(
        &text,
        Section::Preferences,
        &[("preferences.own_class", "4")],
    )
    .unwrap();
    let none = effect(&prefs, &mut rec);
    assert!(!none.changes_pay(), "{none:?}");
    // A new rate: the same hours, more money, per person.
    let rate = submit(&text, Section::Pay, &[("pay.rate_per_keshi", "60")]).unwrap();
    let e = effect(&rate, &mut rec);
    assert!(e.changes_pay());
    assert_eq!(e.weeks.len(), 1);
    let w = &e.weeks[0];
    assert_eq!(w.monday, monday);
    assert_eq!(w.minutes.0, w.minutes.1, "hours unchanged");
    assert!(w.pay.1 .0 > w.pay.0 .0, "{w:?}");
    assert!(!w.people.is_empty());
    let sum: i64 = w.people.iter().map(|x| x.pay.1 .0 - x.pay.0 .0).sum();
    assert_eq!(
        sum,
        w.pay.1 .0 - w.pay.0 .0,
        "the people add up to the week"
    );
    for x in &w.people {
        assert!(x.pay.1 .0 > x.pay.0 .0, "{x:?}");
        assert_eq!(x.minutes.0, x.minutes.1, "{x:?}");
    }
    // A later winter cutoff: stage 2 runs longer, so hours change too.
    let later = submit(&text, Section::Seasons, &[("seasons[0].cutoff", "17:30")]).unwrap();
    let e = effect(&later, &mut rec);
    assert!(e.weeks[0].minutes.1 > e.weeks[0].minutes.0, "{e:?}");
    // The recorded duties are what was published, whatever the policy.
    let kept = rec.read(|tx| tx.roster_bytes(monday, 1)).unwrap().unwrap();
    assert_eq!(kept, bytes);
}
