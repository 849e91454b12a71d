//! Calendar edge cases on the demo policy and its 2026 national calendar.

mod common;
use chrono::Weekday;
use common::*;
use kehou::calendar::{self, DayKind};
use kehou::demand;
use kehou::model::units::Hm;

#[test]
fn holiday_gives_no_duties() {
    let p = demo_policy();
    let s = school_from(&p, &tiny_files()).unwrap();
    // National Day week: Oct 1-7 holiday.
    let w = demand::week(&p, &s, date("2026-10-05"));
    assert!(matches!(w.days[0].kind, DayKind::Holiday(_)));
    assert!(
        w.duties.iter().all(|d| d.date > date("2026-10-07")),
        "no duty on a holiday"
    );
    assert!(
        w.duties.iter().any(|d| d.date == date("2026-10-09")),
        "school resumes after the holiday"
    );
}

#[test]
fn week_that_starts_on_a_holiday() {
    let p = demo_policy();
    let s = school_from(&p, &tiny_files()).unwrap();
    // Dragon Boat: Fri 06-19..Sun 06-21; Mon 06-01 is the school's no-service day.
    let w = demand::week(&p, &s, date("2026-06-01"));
    assert!(matches!(w.days[0].kind, DayKind::NoService(_)));
    assert!(w.duties.iter().all(|d| d.date != date("2026-06-01")));
    assert!(
        w.duties.iter().any(|d| d.date == date("2026-06-02")),
        "Tuesday still has duties"
    );
}

#[test]
fn makeup_day_follows_the_named_weekday() {
    let p = demo_policy();
    let s = school_from(&p, &tiny_files()).unwrap();
    // Sat 2026-05-09 is a make-up day following Tuesday (national file).
    let d = calendar::day(&p, date("2026-05-09"));
    assert_eq!(
        d.kind,
        DayKind::School {
            follows: Weekday::Tue,
            makeup: true
        }
    );
    let sat: Vec<_> = demand::day(&p, &s, &d);
    let tue = demand::day(&p, &s, &calendar::day(&p, date("2026-05-12")));
    let shape = |v: &Vec<kehou::demand::Duty>| {
        v.iter()
            .map(|d| (d.kind, d.group.clone(), d.start, d.end, d.staff_needed))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        shape(&sat),
        shape(&tue),
        "a make-up day gets the duties of the weekday it follows"
    );
    assert!(!sat.is_empty());
}

#[test]
fn makeup_day_following_thursday_has_no_afternoon() {
    let p = demo_policy();
    let s = school_from(&p, &tiny_files()).unwrap();
    // The policy overrides Sat 2026-10-10 to follow Thursday's timetable.
    let d = calendar::day(&p, date("2026-10-10"));
    assert_eq!(d.follows(), Some(Weekday::Thu));
    let duties = demand::day(&p, &s, &d);
    assert!(duties
        .iter()
        .all(|x| p.part_of(&x.session) != Some(kehou::model::policy::Part::Afternoon)));
}

#[test]
fn thursday_has_no_afternoon_service() {
    let p = demo_policy();
    let s = school_from(&p, &tiny_files()).unwrap();
    let w = demand::week(&p, &s, date("2026-12-07"));
    let thu = date("2026-12-10");
    assert!(w
        .duties
        .iter()
        .filter(|d| d.date == thu)
        .all(|d| d.end <= Hm(13 * 60 + 30)));
    assert!(w
        .duties
        .iter()
        .any(|d| d.date == date("2026-12-09") && d.end == Hm(17 * 60)));
}

#[test]
fn afternoon_ends_at_the_season_cutoff_across_the_switch() {
    let p = demo_policy();
    let s = school_from(&p, &tiny_files()).unwrap();
    // Week of 2026-04-27: Mon-Thu winter; May 1 starts summer (and is a holiday).
    let w = demand::week(&p, &s, date("2026-04-27"));
    let last_end = |day: &str| {
        w.duties
            .iter()
            .filter(|d| d.date == date(day))
            .map(|d| d.end)
            .max()
    };
    assert_eq!(last_end("2026-04-27"), Some(Hm(17 * 60)));
    assert_eq!(
        last_end("2026-04-30"),
        None,
        "Thursday: no afternoon (and the tiny school has no noon pupils)"
    );
    assert_eq!(last_end("2026-04-29"), Some(Hm(17 * 60)));
    assert_eq!(last_end("2026-05-01"), None, "holiday");
    assert_eq!(w.days[3].season.as_deref(), Some("winter"));
    // Next school week in summer: cutoff 17:30 (make-up Saturday included).
    let w2 = demand::week(&p, &s, date("2026-05-06"));
    assert_eq!(
        w2.duties
            .iter()
            .filter(|d| d.date == date("2026-05-06"))
            .map(|d| d.end)
            .max(),
        Some(Hm(17 * 60 + 30))
    );
    assert_eq!(
        w2.duties
            .iter()
            .filter(|d| d.date == date("2026-05-09"))
            .map(|d| d.end)
            .max(),
        Some(Hm(17 * 60 + 30))
    );
}

#[test]
fn outside_term_no_school() {
    let p = demo_policy();
    assert_eq!(
        calendar::day(&p, date("2026-08-03")).kind,
        DayKind::OutOfTerm
    );
    assert_eq!(calendar::day(&p, date("2026-12-12")).kind, DayKind::Weekend);
}

#[test]
fn term_dates_without_a_national_calendar_are_named_with_the_file_to_add() {
    let p = demo_policy();
    // The demo's autumn term runs into 2027; only the 2026 file ships.
    assert_eq!(
        calendar::uncovered_terms(&p),
        vec![(date("2027-01-01"), date("2027-01-22"))]
    );
    assert!(calendar::require_national(&p, date("2026-12-07"), date("2026-12-13")).is_ok());
    let err = calendar::require_national(&p, date("2026-12-28"), date("2027-01-03")).unwrap_err();
    let en = err.render(kehou::lang::Lang::En);
    assert!(en.contains("term dates 2027-01-01..2027-01-03"), "{en}");
    assert!(en.contains("policies/calendar/cn-2027.toml"), "{en}");
    let zh = err.render(kehou::lang::Lang::Zh);
    assert!(
        zh.contains("没有国家节假日安排") && zh.contains("cn-2027.toml"),
        "{zh}"
    );
    // Without any national file every term date is named, years merged.
    let text = std::fs::read_to_string(root().join("policies/demo.toml")).unwrap();
    let none = text.replace("national = [\"calendar/cn-2026.toml\"]", "national = []");
    let p = kehou::input::policy::load_text(&root().join("policies/demo.toml"), &none).unwrap();
    assert_eq!(
        calendar::uncovered_terms(&p),
        vec![
            (date("2026-02-24"), date("2026-07-03")),
            (date("2026-09-01"), date("2027-01-22"))
        ]
    );
    let en = calendar::national_gap(&p, &calendar::uncovered_terms(&p))
        .unwrap()
        .render(kehou::lang::Lang::En);
    assert!(en.contains("policies/calendar/cn-2026.toml, "), "{en}");
    assert!(
        en.contains("list \"calendar/cn-2026.toml\", \"calendar/cn-2027.toml\""),
        "{en}"
    );
}
