//! Publishing, what was served, and exact reconciliation of the workload
//! report with the served rosters (a month with a holiday, a make-up day,
//! a substitution and a cancellation).

mod common;
use std::collections::BTreeMap;

use common::*;
use kehou::lang::Lang;
use kehou::ledger::{self, Event, History};
use kehou::model::policy::{Ledger, Policy};
use kehou::model::school::School;
use kehou::{demand, plan, roster};

fn school_with_noon(p: &Policy) -> School {
    let mut f = tiny_files();
    let e = String::from_utf8(f.enrollment.clone())
        .unwrap()
        .replace(",noon,0", ",noon,30");
    f.enrollment = e.into_bytes();
    school_from(p, &f).unwrap()
}

fn publish_week(p: &Policy, s: &School, h: &History, monday: &str) -> Vec<roster::Row> {
    let dm = demand::week(p, s, date(monday));
    let plan = plan::plan(p, s, &dm, &plan::Options::from_policy(p)).unwrap();
    let bytes = kehou::outputs::roster_csv::to_csv(p, s, &plan, Lang::Zh);
    h.publish(dm.monday, &bytes, false).unwrap();
    roster::parse(std::path::Path::new("x"), &bytes).unwrap()
}

#[test]
fn publishing_never_overwrites_silently() {
    let p = demo_policy();
    let s = school_with_noon(&p);
    let dir = tempfile::tempdir().unwrap();
    let h = History::new(dir.path());
    publish_week(&p, &s, &h, "2026-12-07");
    let v1 = std::fs::read(h.version_path(date("2026-12-07"), 1)).unwrap();
    let err = h.publish(date("2026-12-07"), b"x", false).unwrap_err();
    assert!(err.to_string().contains("--replace"), "{err}");
    assert_eq!(h.publish(date("2026-12-07"), &v1, true).unwrap(), 2);
    assert_eq!(h.versions(date("2026-12-07")), vec![1, 2]);
    assert_eq!(
        std::fs::read(h.version_path(date("2026-12-07"), 1)).unwrap(),
        v1,
        "v1 kept"
    );
    // A second writer is refused while the lock is held.
    let _l = h.lock().unwrap();
    assert!(h.publish(date("2026-12-14"), &v1, false).is_err());
}

#[test]
fn october_reconciles_to_the_fen_and_minute() {
    let p = demo_policy();
    let s = school_with_noon(&p);
    let dir = tempfile::tempdir().unwrap();
    let h = History::new(dir.path());
    let mut published = Vec::new();
    for w in [
        "2026-09-28",
        "2026-10-05",
        "2026-10-12",
        "2026-10-19",
        "2026-10-26",
    ] {
        published.extend(publish_week(&p, &s, &h, w));
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
    let substitute = if absent == "T1" { "T2" } else { "T1" };
    h.record(&Event::Absent {
        duty: sub.duty_id.clone(),
        staff: absent.clone(),
        substitute: Some(substitute.into()),
        note: "病假".into(),
    })
    .unwrap();
    // A swap (换班) later that week: the absent person takes a colleague's duty.
    let swapped = published
        .iter()
        .find(|r| {
            r.duty_id.starts_with("2026-10-15/")
                && r.staff_id.as_deref().is_some_and(|x| x != absent)
        })
        .unwrap()
        .clone();
    let holder = swapped.staff_id.clone().unwrap();
    h.record(&Event::Swap {
        duty: swapped.duty_id.clone(),
        staff: holder.clone(),
        with: absent.clone(),
        note: "换班".into(),
    })
    .unwrap();
    h.record(&Event::Cancel {
        date: date("2026-10-20"),
        session: None,
        note: "大雪".into(),
    })
    .unwrap();

    let served = ledger::served(&p, &s, &h, date("2026-10-01"), date("2026-10-31")).unwrap();
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
    let x = ledger::workload_xlsx(&s, &rows, Lang::Zh).unwrap();
    assert!(x.starts_with(b"PK"));
}

#[test]
fn planning_uses_term_to_date_load() {
    let p = demo_policy();
    let mut s = school_with_noon(&p);
    let dir = tempfile::tempdir().unwrap();
    let h = History::new(dir.path());
    publish_week(&p, &s, &h, "2026-11-30");
    let before = s.served.clone();
    ledger::add_term_load(&p, &mut s, &h, date("2026-12-07")).unwrap();
    assert!(before.is_empty());
    let total: i64 = s.served.values().sum();
    let served = ledger::served(&p, &s, &h, date("2026-11-30"), date("2026-12-06")).unwrap();
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
    // The simulated history kept for inspection: every returned
    // substitution is in it as a swap; the directory is never reused.
    let dir = tempfile::tempdir().unwrap();
    let keep = dir.path().join("sim");
    let r =
        kehou::studies::simulate::term(&p, &s, sim(0.05, true, true), Some(&keep), Lang::En, false)
            .unwrap();
    let events = History::new(&keep).events().unwrap();
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

#[test]
fn events_file_rows_missing_a_field_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let h = History::new(dir.path());
    let csv = "\u{feff}kind,date,session,duty_id,staff_id,substitute_id,note\n\
               swap,,,2026-12-07/morning/g1,T1,T2,换班\n\
               换班,,,2026-12-07/morning/g1,T1,,\n\
               absent,,,,T1,,\n";
    std::fs::write(h.events_path(), csv).unwrap();
    let e = h.events().unwrap_err().render(Lang::En);
    assert!(e.contains(":3:") && e.contains("substitute_id"), "{e}");
    assert!(e.contains(":4:") && e.contains("duty_id"), "{e}");
    assert!(!e.contains(":2:"), "{e}");
    // A valid swap reads back as one.
    std::fs::write(
        h.events_path(),
        "kind,date,session,duty_id,staff_id,substitute_id,note\nswap,,,D1,T1,T2,换班\n",
    )
    .unwrap();
    assert_eq!(
        h.events().unwrap(),
        vec![Event::Swap {
            duty: "D1".into(),
            staff: "T1".into(),
            with: "T2".into(),
            note: "换班".into()
        }]
    );
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
