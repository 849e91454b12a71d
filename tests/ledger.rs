//! Publishing, what was served, and exact reconciliation of the workload
//! report with the served rosters (a month with a holiday, a make-up day,
//! a substitution and a cancellation).

mod common;
use std::collections::BTreeMap;

use common::*;
use kehou::lang::Lang;
use kehou::ledger::{self, Event};
use kehou::model::policy::{Ledger, Policy};
use kehou::model::school::School;
use kehou::record::{admit, Actor, Base, Record};
use kehou::{demand, plan, roster};

fn school_with_noon(p: &Policy) -> School {
    let mut f = tiny_files();
    let e = String::from_utf8(f.enrollment.clone())
        .unwrap()
        .replace(",noon,0", ",noon,30");
    f.enrollment = e.into_bytes();
    school_from(p, &f).unwrap()
}

fn publish_week(p: &Policy, s: &School, h: &mut Record, monday: &str) -> Vec<roster::Row> {
    let dm = demand::week(p, s, date(monday));
    let plan = plan::plan(p, s, &dm, &plan::Options::from_policy(p)).unwrap();
    let bytes = kehou::outputs::roster_csv::to_csv(p, s, &plan, Lang::Zh);
    h.write(|tx| tx.publish(dm.monday, &bytes, Base::Unpublished, &by()))
        .unwrap();
    roster::parse(std::path::Path::new("x"), &bytes).unwrap()
}

fn by() -> Actor {
    Actor::cli("test")
}

fn record_in(dir: &tempfile::TempDir) -> Record {
    Record::open(&dir.path().join("kehou.db")).unwrap()
}

/// Record an event as `kehou record` does: checked, then written.
fn record(p: &Policy, s: &School, h: &mut Record, e: Event) -> kehou::Result<admit::Recorded> {
    h.write(|tx| admit::record(tx, p, s, &e, None, &by()))
}

#[test]
fn publishing_never_overwrites_silently() {
    let p = demo_policy();
    let s = school_with_noon(&p);
    let dir = tempfile::tempdir().unwrap();
    let mut h = record_in(&dir);
    let w = date("2026-12-07");
    publish_week(&p, &s, &mut h, "2026-12-07");
    let v1 = h.read(|tx| tx.roster_bytes(w, 1)).unwrap().unwrap();
    let err = h
        .write(|tx| tx.publish(w, b"x", Base::Unpublished, &by()))
        .unwrap_err();
    assert!(err.render(Lang::Zh).contains("--replace 1"), "{err}");
    let v2 = h.write(|tx| tx.publish(w, &v1, Base::Version(1), &by()));
    assert_eq!(v2.unwrap(), 2);
    // Based on v1 again: v2 would be undone, so it is refused.
    let stale = h
        .write(|tx| tx.publish(w, b"y", Base::Version(1), &by()))
        .unwrap_err();
    assert!(matches!(stale, kehou::Error::Stale { .. }), "{stale}");
    assert!(
        stale.render(Lang::En).contains("v2 was published after v1"),
        "{stale}"
    );
    assert_eq!(h.read(|tx| tx.versions(w)).unwrap(), vec![1, 2]);
    assert_eq!(
        h.read(|tx| tx.roster_bytes(w, 1)).unwrap().unwrap(),
        v1,
        "v1 kept"
    );
}

#[test]
fn october_reconciles_to_the_fen_and_minute() {
    // The tiny school is planned up to the demo's weekly limits; with room
    // above them a colleague can substitute within the limits.
    let mut p = demo_policy();
    p.rules.max_duties_per_week += 3;
    p.rules.max_minutes_per_week += 180;
    p.rules.max_duties_per_day += 1;
    p.rules.max_minutes_per_day += 60;
    let s = school_with_noon(&p);
    let dir = tempfile::tempdir().unwrap();
    let mut h = record_in(&dir);
    let mut published = Vec::new();
    for w in [
        "2026-09-28",
        "2026-10-05",
        "2026-10-12",
        "2026-10-19",
        "2026-10-26",
    ] {
        published.extend(publish_week(&p, &s, &mut h, w));
    }
    // Oct 1-7 is a holiday; Sat Oct 10 is a make-up day (follows Thursday: noon only).
    assert!(published
        .iter()
        .all(|r| !(r.duty_id.as_str() >= "2026-10-01" && r.duty_id.as_str() < "2026-10-08")));
    assert!(published
        .iter()
        .any(|r| r.duty_id.starts_with("2026-10-10/noon/")));
    // A substitution and a cancellation.
    let sub = published
        .iter()
        .find(|r| r.duty_id.starts_with("2026-10-13/homework/"))
        .unwrap()
        .clone();
    let absent = sub.staff_id.clone().unwrap();
    // The first colleague the record accepts as substitute (free then,
    // within the limits).
    let substitute = s
        .staff
        .iter()
        .map(|x| x.id.clone())
        .filter(|x| *x != absent)
        .find(|x| {
            let e = Event::Absent {
                duty: sub.duty_id.clone(),
                staff: absent.clone(),
                substitute: Some(x.clone()),
                note: "病假".into(),
            };
            record(&p, &s, &mut h, e).is_ok()
        })
        .expect("someone can substitute");
    let substitute = substitute.as_str();
    // A swap (换班) later that week: the absent person takes a colleague's
    // duty (the first the record accepts).
    let (swapped, holder) = published
        .iter()
        .filter(|r| {
            ["2026-10-14/", "2026-10-15/", "2026-10-16/"]
                .iter()
                .any(|d| r.duty_id.starts_with(d))
        })
        .filter_map(|r| Some((r.clone(), r.staff_id.clone().filter(|x| *x != absent)?)))
        .find(|(r, holder)| {
            let swap = Event::Swap {
                duty: r.duty_id.clone(),
                staff: holder.clone(),
                with: absent.clone(),
                note: "换班".into(),
            };
            record(&p, &s, &mut h, swap).is_ok()
        })
        .expect("a swap the record accepts");
    let snow = Event::Cancel {
        date: date("2026-10-20"),
        session: None,
        note: "大雪".into(),
    };
    record(&p, &s, &mut h, snow).unwrap();

    let served = h
        .read(|tx| ledger::served(&p, &s, tx, date("2026-10-01"), date("2026-10-31")))
        .unwrap();
    assert!(
        served.iter().all(|x| x.duty.date != date("2026-10-20")),
        "cancelled day not served"
    );
    assert!(served
        .iter()
        .any(|x| x.duty.id == sub.duty_id && s.staff[x.staff].id == substitute));
    assert!(!served
        .iter()
        .any(|x| x.duty.id == sub.duty_id && s.staff[x.staff].id == absent));
    assert!(served
        .iter()
        .any(|x| x.duty.id == swapped.duty_id && s.staff[x.staff].id == absent));
    assert!(!served
        .iter()
        .any(|x| x.duty.id == swapped.duty_id && s.staff[x.staff].id == holder));
    assert!(served
        .iter()
        .any(|x| x.duty.date == date("2026-10-10") && x.duty.ledger == Ledger::Care));

    // Independent recomputation from the published rows.
    let in_oct: Vec<&roster::Row> = published
        .iter()
        .filter(|r| {
            r.staff_id.is_some()
                && r.duty_id.as_str() >= "2026-10-01"
                && r.duty_id.as_str() < "2026-11-01"
                && !r.duty_id.starts_with("2026-10-20")
        })
        .collect();
    assert_eq!(served.len(), in_oct.len());
    let rows = ledger::workload(&p, &s, &served);
    let total = ledger::totals(&rows);
    let minutes: u32 = served.iter().map(|x| x.duty.minutes()).sum();
    assert_eq!(total.service.minutes + total.care.minutes, minutes);
    assert_eq!(
        total.service.duties + total.care.duties,
        served.len() as u32
    );
    // Pay: per person, day and category, 课时 = round(weighted min / 40, 2 dp), capped at 4; 50 yuan each; patrol flat 40.
    let mut day: BTreeMap<(usize, chrono::NaiveDate, Ledger), (i64, i64)> = BTreeMap::new();
    for x in &served {
        let e = day
            .entry((x.staff, x.duty.date, x.duty.ledger))
            .or_default();
        if p.duty_kinds[x.duty.kind].id == "patrol" {
            e.1 += 4000;
        } else {
            e.0 += i64::from(x.duty.minutes()) * x.duty.weight.0;
        }
    }
    let expect: i64 = day
        .values()
        .map(|(w, flat)| {
            let keshi = ((2 * w + 40) / 80).min(400);
            (2 * keshi * 5000 + 100) / 200 + flat
        })
        .sum();
    assert_eq!(total.total_pay().0, expect);
    assert_eq!(
        rows.iter().map(|r| r.total_pay().0).sum::<i64>(),
        total.total_pay().0,
        "totals row is the exact sum"
    );
    // Exports: CSV with BOM and a totals row; xlsx written.
    let csv = ledger::workload_csv(&s, &rows, Lang::Zh);
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    assert!(String::from_utf8_lossy(&csv).contains(&format!("合计,,,{}", total.service.duties)));
    let oct = ledger::Period::month(date("2026-10-01"));
    let head = ledger::Heading::new(&p, oct, date("2026-11-02"), Lang::Zh);
    let x = ledger::workload_xlsx(&head, &s, &rows, Lang::Zh).unwrap();
    assert!(x.starts_with(b"PK"));
}

#[test]
fn planning_uses_term_to_date_load() {
    let p = demo_policy();
    let mut s = school_with_noon(&p);
    let dir = tempfile::tempdir().unwrap();
    let mut h = record_in(&dir);
    publish_week(&p, &s, &mut h, "2026-11-30");
    let before = s.served.clone();
    h.read(|tx| ledger::add_term_load(&p, &mut s, tx, date("2026-12-07")))
        .unwrap();
    assert!(before.is_empty());
    let total: i64 = s.served.values().sum();
    let served = h
        .read(|tx| ledger::served(&p, &s, tx, date("2026-11-30"), date("2026-12-06")))
        .unwrap();
    assert_eq!(total, served.iter().map(|x| x.duty.load()).sum::<i64>());
    assert!(total > 0);
}

/// A synthetic school without leave, for term simulations.
fn sim_school(
    p: &kehou::model::policy::Policy,
    classes: u32,
    staff: u32,
    seed: u64,
) -> kehou::model::school::School {
    let mut f = kehou::studies::synth::generate(&kehou::studies::synth::Profile::sized(
        classes, staff, seed,
    ));
    f.leave = None;
    kehou::input::school::from_files(std::path::Path::new("sim"), p, &f).unwrap()
}

#[test]
fn term_simulation_keeps_equal_staff_within_one_duty() {
    let p = demo_policy();
    let s = sim_school(&p, 6, 16, 3);
    let sim = |absence: f64, substitutes: bool, swaps: bool| kehou::studies::simulate::Sim {
        from: date("2026-09-07"),
        weeks: 6,
        absence,
        seed: 7,
        substitutes,
        swaps,
        preferences: true,
    };
    let run = |absence: f64, substitutes: bool, swaps: bool| {
        kehou::studies::simulate::term(
            &p,
            &s,
            sim(absence, substitutes, swaps),
            None,
            Lang::En,
            false,
        )
        .unwrap()
    };
    // The simulated record kept for inspection: every returned
    // substitution is in it as a swap; the file is never reused.
    let dir = tempfile::tempdir().unwrap();
    let keep = dir.path().join("sim.db");
    let r =
        kehou::studies::simulate::term(&p, &s, sim(0.05, true, true), Some(&keep), Lang::En, false)
            .unwrap();
    let events = Record::open(&keep).unwrap().read(|tx| tx.events()).unwrap();
    let swaps = events
        .iter()
        .filter(|e| matches!(e, kehou::ledger::Event::Swap { .. }))
        .count();
    assert!(r.returned > 0);
    assert_eq!(swaps, r.returned);
    let again =
        kehou::studies::simulate::term(&p, &s, sim(0.05, true, true), Some(&keep), Lang::En, false);
    assert!(again.is_err());
    // Nobody absent: what is served is what was planned, and the term
    // ends with equal staff within one duty of each other.
    let r = run(0.0, true, true);
    assert!(!r.groups.is_empty());
    assert_eq!(
        (r.absences, r.substituted, r.returned, r.final_unreturned),
        (0, 0, 0, 0)
    );
    assert!(r.met(), "{}", r.render(Lang::En));
    // The target compares hours: a group's spread relative to its quota,
    // times that quota.
    for g in &r.groups {
        assert!((g.hours() - (g.max - g.min) * g.quota).abs() < 1e-12);
        assert!(g.hours() <= r.max_hours() + 1e-12);
    }
    assert_eq!(r.final_planned(), r.weekly.last().unwrap().0);
    for (substitutes, swaps) in [(false, false), (true, false), (true, true)] {
        let r = run(0.05, substitutes, swaps);
        assert!(r.absences > 0);
        // Substitutes are found for some absences, and only when asked.
        assert_eq!(r.substituted > 0, substitutes, "{}", r.render(Lang::En));
        assert!(r.substituted <= r.absences);
        // Substitutions are returned the same week only when asked.
        assert_eq!(r.returned > 0, swaps, "{}", r.render(Lang::En));
        assert!(r.returned <= r.substituted);
        assert!(r.final_unreturned <= r.absences);
        // Absences unbalance a week as served; each next plan brings equal
        // staff back within one duty (the final week's absences come
        // after its plan, so the served figure is reported, not bounded).
        for (w, &(planned, _, _)) in r.weekly.iter().enumerate() {
            assert!(
                planned <= r.longest_duty + 1e-9,
                "week {}: {}",
                w + 1,
                r.render(Lang::En)
            );
        }
    }
}

#[test]
fn term_simulations_in_parallel_match_single_runs() {
    let p = demo_policy();
    let s = sim_school(&p, 4, 12, 5);
    let sim = kehou::studies::simulate::Sim {
        from: date("2026-09-07"),
        weeks: 3,
        absence: 0.05,
        seed: 20,
        substitutes: true,
        swaps: true,
        preferences: false,
    };
    let runs = kehou::studies::simulate::terms(&p, &s, sim, 3, Lang::En, false).unwrap();
    assert_eq!(
        runs.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![20, 21, 22]
    );
    for (seed, r) in &runs {
        let one = kehou::studies::simulate::term(
            &p,
            &s,
            kehou::studies::simulate::Sim { seed: *seed, ..sim },
            None,
            Lang::En,
            false,
        )
        .unwrap();
        assert_eq!(
            (one.absences, one.final_unreturned, &one.groups),
            (r.absences, r.final_unreturned, &r.groups)
        );
    }
    let table = kehou::studies::simulate::render_runs(&runs, Lang::En);
    let met = runs.iter().filter(|r| r.1.met()).count();
    assert!(table.contains(&format!("in {met}/3 runs")), "{table}");
}

/// A simulation across the end of the summer holiday: the weeks without
/// duties are planned empty and the term's first week is served.
#[test]
fn term_simulation_runs_across_the_summer_holiday() {
    let p = demo_policy();
    let s = sim_school(&p, 6, 16, 3);
    let sim = kehou::studies::simulate::Sim {
        from: date("2026-08-17"),
        weeks: 3,
        absence: 0.05,
        seed: 1,
        substitutes: true,
        swaps: true,
        preferences: false,
    };
    let r = kehou::studies::simulate::term(&p, &s, sim, None, kehou::lang::Lang::Zh, false)
        .expect("simulates");
    assert_eq!(r.weekly.len(), 3);
    assert!(
        r.weekly[0].0 == 0.0 && r.weekly[1].0 == 0.0,
        "summer weeks hold load"
    );
    assert!(
        r.groups.iter().any(|g| g.max > 0.0),
        "the term's first week was served"
    );
}
