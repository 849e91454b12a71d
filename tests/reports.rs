//! Reports (issue 20, item 5): the library's counts on constructed rows
//! (attendance and the three checks per class and ISO week, the funnel per
//! class, club fill), then `/reports` over HTTP after a roll call and a
//! late pickup recorded through the duty routes: the counts appear, no
//! name does, and only the administrator and leadership may look.

#[path = "common/duty_day.rs"]
mod duty_day;
#[path = "common/http.rs"]
mod http;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use chrono::Weekday::{Mon, Wed};
use chrono::{NaiveDate, Weekday};
use duty_day::{at, demo_day};
use http::{get, login, post, PASSWORD};
use kehou::enrol::{Choice, State};
use kehou::model::school::Club;
use kehou::model::units::Hm;
use kehou::record::applications::Application;
use kehou::record::duty::{ClassEvent, ClassEventKind, Mark};
use kehou::record::family::ClubDraw;
use kehou::reports::{self, Attendance, Incidents, Week};
use kehou::web::{App, Role};

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn ev(d: &str, class: &str, what: ClassEventKind) -> ClassEvent {
    ClassEvent {
        date: date(d),
        class_id: class.into(),
        what,
    }
}

fn week(d: &str) -> Week {
    Week::of(date(d))
}

#[test]
fn weeks_are_iso_weeks_across_the_new_year() {
    assert_eq!(week("2026-12-07").to_string(), "2026-W50");
    // 2026 has 53 ISO weeks: New Year's Day 2027 (a Friday) is in its last.
    assert_eq!(week("2027-01-01").to_string(), "2026-W53");
    assert_eq!(week("2027-01-04").to_string(), "2027-W01");
    assert_eq!(week("2027-01-01").monday(), Some(date("2026-12-28")));
}

#[test]
fn attendance_and_incidents_count_per_class_and_week() {
    use ClassEventKind::{LatePickup, Roll, Unwell};
    let events = vec![
        ev("2026-12-07", "1-1", Roll(Mark::Present)),
        ev("2026-12-07", "1-1", Roll(Mark::Present)),
        ev("2026-12-08", "1-1", Roll(Mark::Leave)),
        ev("2026-12-09", "1-1", Roll(Mark::Unexcused)),
        ev("2026-12-09", "1-1", Unwell),
        ev("2026-12-11", "1-2", Roll(Mark::Unexcused)),
        ev("2026-12-11", "1-2", LatePickup),
        ev("2026-12-11", "1-2", LatePickup),
        // The next week.
        ev("2026-12-14", "1-1", Roll(Mark::Present)),
        // Unwell with no roll call that week: an incident, no attendance.
        ev("2026-12-15", "2-1", Unwell),
    ];
    let a = reports::attendance(&events);
    let w50 = week("2026-12-07");
    let w51 = week("2026-12-14");
    let want: Vec<((Week, String), Attendance)> = vec![
        (
            (w50, "1-1".into()),
            Attendance {
                present: 2,
                leave: 1,
                unexcused: 1,
            },
        ),
        (
            (w50, "1-2".into()),
            Attendance {
                present: 0,
                leave: 0,
                unexcused: 1,
            },
        ),
        (
            (w51, "1-1".into()),
            Attendance {
                present: 1,
                leave: 0,
                unexcused: 0,
            },
        ),
    ];
    assert_eq!(a.into_iter().collect::<Vec<_>>(), want);
    assert_eq!(want[0].1.total(), 4);
    let i = reports::incidents(&events);
    let inc = |u, w, l| Incidents {
        unexcused: u,
        unwell: w,
        late_pickups: l,
    };
    let want = vec![
        ((w50, "1-1".to_string()), inc(1, 1, 0)),
        ((w50, "1-2".to_string()), inc(1, 0, 2)),
        ((w51, "2-1".to_string()), inc(0, 1, 0)),
    ];
    assert_eq!(i.into_iter().collect::<Vec<_>>(), want);
    assert!(reports::attendance(&[]).is_empty() && reports::incidents(&[]).is_empty());
}

fn app(id: i64, class: &str, clubs: &[&str], state: State) -> Application {
    Application {
        id,
        pupil_id: id,
        choice: Choice {
            class: class.into(),
            weekdays: vec![Mon, Wed],
            sessions: vec!["stage2".into()],
            clubs: clubs.iter().map(|c| c.to_string()).collect(),
        },
        applied_at: "2026-11-30T08:00:00".into(),
        state,
    }
}

fn club(id: &str, seats: u32) -> Club {
    Club {
        id: id.into(),
        name: format!("社团{id}"),
        weekdays: vec![Weekday::Tue],
        session: "stage2".into(),
        pupils: seats,
        qualification: None,
        staff_needed: 1,
        instructor: None,
        times: None,
        line: 2,
    }
}

#[test]
fn the_funnel_per_class_and_club_fill() {
    let on = date("2026-12-01");
    let apps = vec![
        app(1, "1-1", &["C01", "C02"], State::Approved { from: on }),
        app(2, "1-1", &["C01"], State::Applied),
        app(3, "1-1", &["C02", "C01"], State::Refused),
        app(4, "1-2", &["C01"], State::Reviewed),
        app(
            5,
            "1-2",
            &["C01"],
            State::Withdrawn {
                from: on,
                until: date("2026-12-08"),
            },
        ),
        app(6, "1-2", &[], State::Cancelled),
    ];
    let (per, all) = reports::funnel_by_class(&apps);
    let f = |c: &str| per[c];
    assert_eq!(
        (
            f("1-1").applied,
            f("1-1").reviewed,
            f("1-1").approved,
            f("1-1").refused
        ),
        (3, 1, 1, 1)
    );
    assert_eq!(
        (
            f("1-2").applied,
            f("1-2").reviewed,
            f("1-2").approved,
            f("1-2").withdrawn
        ),
        (3, 2, 1, 2)
    );
    assert_eq!((all.applied, all.approved, all.withdrawn), (6, 2, 2));
    assert_eq!(per.len(), 2);

    let clubs = vec![club("C01", 4), club("C02", 0), club("C03", 3)];
    let draw = |id: i64, club: &str, admitted: Vec<i64>| ClubDraw {
        id,
        club_id: club.into(),
        seed: None,
        admitted,
        waiting: vec![],
        drawn_at: "2026-11-30T09:00:00".into(),
        who: "test".into(),
    };
    // Two draws of C01: the latest (highest id) counts.
    let draws = vec![draw(2, "C01", vec![1, 2, 4]), draw(1, "C01", vec![1])];
    let fill = reports::club_fill(&clubs, &apps, &draws);
    let by: BTreeMap<&str, &reports::ClubFill> =
        fill.iter().map(|c| (c.club_id.as_str(), c)).collect();
    // C01 first: 1, 2, 4 (3 was refused, 5 withdrawn).
    assert_eq!(by["C01"].first_choice, 3);
    assert_eq!(by["C01"].admitted, Some(3));
    assert_eq!(by["C01"].percent(3), Some(75));
    // C02: the refused application's first choice does not count; no seats.
    assert_eq!((by["C02"].first_choice, by["C02"].admitted), (0, None));
    assert_eq!(by["C02"].percent(0), None);
    assert_eq!(by["C03"].first_choice, 0);
    assert_eq!(fill.len(), 3, "every club, in the school's order");
    assert_eq!(fill[0].club_id, "C01");
}

/// The first sheet's rows of a workbook.
fn xlsx_rows(bytes: &[u8]) -> Vec<Vec<calamine::Data>> {
    use calamine::Reader;
    let cursor = std::io::Cursor::new(bytes.to_vec());
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(cursor).expect("a workbook");
    let range = wb
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    range.rows().map(|r| r.to_vec()).collect()
}

/// The text of the cell `td.{class}` in the row `tr#{row}`.
fn cell(body: &str, row: &str, class: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(body);
    let sel = scraper::Selector::parse(&format!("tr[id=\"{row}\"] td.{class}")).ok()?;
    let found = doc.select(&sel).next()?;
    Some(found.text().collect::<String>().trim().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reports_page_counts_a_roll_call_recorded_on_the_duty_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (ws, d) = demo_day(dir.path());
    let app = App::new(&ws).expect("app");
    for (login, role, staff) in [
        ("late", Role::Teacher, Some(d.late_by.as_str())),
        ("boss", Role::Admin, None),
        ("lead", Role::Leadership, None),
        ("fin", Role::Finance, None),
    ] {
        app.add_account(login, role, staff, PASSWORD)
            .expect("account");
    }
    app.set_clock(Some(at(&Hm(d.late.start.0 + 1).to_string())));
    let r = app.router();
    let page = format!("/duty/{}", d.late.id);
    let late = login(&r, "late").await;
    let s = post(&r, &format!("{page}/signin"), &late, &[]).await;
    assert_eq!(s.status, StatusCode::SEE_OTHER, "{}", s.body);
    // The roll: the test's pupil unexcused, the others present and on leave in turn.
    let (pid, _) = d.pupil.clone();
    let mut marks: Vec<(String, &str)> = Vec::new();
    let mut want: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    let mut present = None;
    for (i, p) in d.late_roll.pupils.iter().enumerate() {
        let (code, k) = match (p.id == pid, i % 2) {
            (true, _) => ("unexcused", 2),
            (false, 0) => ("present", 0),
            _ => ("leave", 1),
        };
        if code == "present" && present.is_none() {
            present = Some(p.clone());
        }
        want.entry(p.class_id.clone()).or_default()[k] += 1;
        marks.push((format!("mark_{}", p.id), code));
    }
    let form: Vec<(&str, &str)> = marks.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let s = post(&r, &format!("{page}/roll"), &late, &form).await;
    assert_eq!(s.status, StatusCode::SEE_OTHER, "{}", s.body);
    // A late pickup of a pupil present.
    let picked = present.expect("a pupil marked present");
    app.set_clock(Some(at("18:20")));
    let id = picked.id.to_string();
    let s = post(
        &r,
        &format!("{page}/pickup"),
        &late,
        &[("pupil", &id), ("at", "18:10")],
    )
    .await;
    assert_eq!(s.status, StatusCode::SEE_OTHER, "{}", s.body);

    // Leadership sees the counts, and no name.
    let lead = login(&r, "lead").await;
    let rep = get(&r, "/reports", &lead).await;
    assert_eq!(rep.status, StatusCode::OK, "{}", rep.body);
    for (class, [p, l, u]) in &want {
        let row = format!("att-2026-W50-{class}");
        assert_eq!(
            cell(&rep.body, &row, "present"),
            Some(p.to_string()),
            "{row}"
        );
        assert_eq!(cell(&rep.body, &row, "leave"), Some(l.to_string()), "{row}");
        assert_eq!(
            cell(&rep.body, &row, "unexcused"),
            Some(u.to_string()),
            "{row}"
        );
    }
    let (pupil_class, late_class) = (
        &d.late_roll
            .pupils
            .iter()
            .find(|p| p.id == pid)
            .expect("pupil")
            .class_id,
        &picked.class_id,
    );
    let inc = |class: &str, what: &str| cell(&rep.body, &format!("inc-2026-W50-{class}"), what);
    assert_eq!(inc(pupil_class, "unexcused"), Some("1".into()));
    assert_eq!(inc(late_class, "late"), Some("1".into()));
    assert_eq!(inc(late_class, "unwell"), Some("0".into()));
    for p in &d.late_roll.pupils {
        assert!(
            !rep.body.contains(&p.name),
            "no name on the reports: {}",
            p.name
        );
    }
    // The funnel: the duty day's two approved applications per class.
    for c in duty_day::CLASSES {
        let applied = {
            let doc = scraper::Html::parse_document(&rep.body);
            let sel = scraper::Selector::parse(&format!("tr[id=\"funnel-{c}\"] td")).expect("sel");
            doc.select(&sel)
                .map(|t| t.text().collect::<String>())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            applied.get(1).map(String::as_str),
            Some("2"),
            "{c}: {applied:?}"
        );
        assert_eq!(
            applied.get(3).map(String::as_str),
            Some("2"),
            "{c}: {applied:?}"
        );
    }
    // Club fill: the demo's clubs, no first choices, no draw.
    assert_eq!(cell(&rep.body, "club-C01", "first"), Some("0".into()));
    assert_eq!(
        cell(&rep.body, "club-C01", "admitted"),
        Some("未分配".into())
    );

    // The CSV of the attendance: the same counts.
    let boss = login(&r, "boss").await;
    let csv = get(&r, "/reports/attendance/export.csv", &boss).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'), "a BOM for Excel");
    let (class, [p, l, u]) = want.iter().next().expect("a class");
    let line = format!("2026-W50,{class},");
    let row = csv
        .body
        .lines()
        .find(|x| x.starts_with(&line))
        .expect("the class's row");
    assert!(
        row.ends_with(&format!(",{p},{l},{u},{}", p + l + u)),
        "{row}"
    );
    // The same table as a workbook: Chinese headers, the same counts;
    // English headers in English.
    let xlsx = get(&r, "/reports/attendance/export.xlsx", &boss).await;
    assert_eq!(xlsx.status, StatusCode::OK, "{}", xlsx.body);
    let rows = xlsx_rows(&xlsx.bytes);
    let head: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(head[..4], ["周", "班级编号", "班级", "到"], "{head:?}");
    let x = rows
        .iter()
        .find(|x| x[0] == "2026-W50" && x[1] == class.as_str())
        .expect("the class's row");
    let n = |c: &calamine::Data| match c {
        calamine::Data::Float(f) => *f,
        other => panic!("not a number: {other:?}"),
    };
    assert_eq!(
        (n(&x[3]), n(&x[4]), n(&x[5])),
        (*p as f64, *l as f64, *u as f64)
    );
    assert_eq!(n(&x[6]), (p + l + u) as f64);
    let en = get(&r, "/reports/attendance/export.xlsx?lang=en", &boss).await;
    let head = xlsx_rows(&en.bytes)[0][3].to_string();
    assert_eq!(head, "present");
    for table in ["incidents", "applications", "clubs"] {
        let x = get(&r, &format!("/reports/{table}/export.xlsx"), &boss).await;
        assert_eq!(x.status, StatusCode::OK, "{table}");
        assert!(xlsx_rows(&x.bytes).len() > 1, "{table}: a header and rows");
    }
    let funnel = xlsx_rows(
        &get(&r, "/reports/applications/export.xlsx", &boss)
            .await
            .bytes,
    );
    let total = funnel.last().expect("the total row");
    assert_eq!(total[1].to_string(), "合计");
    let clubs = get(&r, "/reports/clubs/export.csv", &boss).await;
    assert!(clubs.body.contains("C01"), "{}", clubs.body);
    assert_eq!(
        get(&r, "/reports/nosuch/export.csv", &boss).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&r, "/reports/nosuch/export.xlsx", &boss).await.status,
        StatusCode::NOT_FOUND
    );
    let lead_x = get(&r, "/reports/clubs/export.xlsx", &lead).await;
    assert_eq!(lead_x.status, StatusCode::OK);

    // Dates without a roll call: nothing counted; a reversed range: 400.
    let none = get(&r, "/reports?from=2026-12-08&to=2026-12-10", &lead).await;
    assert!(none.body.contains("这段时间没有点名记录"), "{}", none.body);
    let bad = get(&r, "/reports?from=2026-12-10&to=2026-12-08", &lead).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("结束日期"), "{}", bad.body);
    // Finance and teachers: 403.
    for who in ["fin", "late"] {
        let u = login(&r, who).await;
        assert_eq!(
            get(&r, "/reports", &u).await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert_eq!(
            get(&r, "/reports/attendance/export.xlsx", &u).await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
}
