//! The applications pages over HTTP (issue 20, item 1), in-process like
//! tests/web.rs: the homeroom teacher enters and reviews, the principal
//! (leadership) approves from a date, the school's demand then counts
//! the child; a withdrawal takes the same two steps; bad input names its
//! form field and records nothing; a teacher of another class is refused
//! and sees no names; leadership sees no names.

use axum::http::StatusCode;
use kehou::record::Record;

#[path = "common/apply_school.rs"]
mod apply_school;
#[path = "common/http.rs"]
mod http;

use apply_school::{form, school, School, PUPIL};
use http::{get_with as get, login, post};

fn applications(s: &School) -> usize {
    Record::open(&s.ws.record)
        .expect("record")
        .read(|tx| tx.applications())
        .expect("applications")
        .len()
}

fn attends(s: &School) -> Vec<kehou::model::school::Attends> {
    s.ws.load().expect("load").1.attends
}

fn cell(body: &str, id: &str) -> String {
    let at = body.find(&format!("id=\"{id}\">")).expect(id);
    let rest = &body[at + id.len() + 6..];
    rest[..rest.find('<').expect("cell end")].to_string()
}

#[tokio::test]
async fn homeroom_enters_and_reviews_the_principal_approves_and_demand_counts_it() {
    let s = school();
    let t1 = login(&s.router, "t1").await;
    let r = post(&s.router, "/applications", &t1, &form("1-1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = get(&s.router, "/applications", &t1.cookie).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(PUPIL), "{}", list.body);
    assert!(list.body.contains("待班主任审核"), "{}", list.body);
    assert_eq!(cell(&list.body, "funnel-applied"), "1");
    assert_eq!(cell(&list.body, "funnel-reviewed"), "0");
    // The principal cannot approve before the review.
    let lead = login(&s.router, "lead").await;
    let early = [("step", "approve"), ("ok", "yes"), ("on", "2026-12-01")];
    let r = post(&s.router, "/applications/1/step", &lead, &early).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("步骤"), "{}", r.body);
    let r = post(
        &s.router,
        "/applications/1/step",
        &t1,
        &[("step", "review"), ("ok", "yes")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(attends(&s).is_empty());
    // Leadership sees the application, not the child's name.
    let seen = get(&s.router, "/applications", &lead.cookie).await;
    assert!(seen.body.contains("待校长审定"), "{}", seen.body);
    assert!(!seen.body.contains(PUPIL), "{}", seen.body);
    let r = post(&s.router, "/applications/1/step", &lead, &early).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = get(&s.router, "/applications?class=1-1", &t1.cookie).await;
    assert!(list.body.contains("已批准"), "{}", list.body);
    assert_eq!(cell(&list.body, "funnel-approved"), "1");
    let a = attends(&s);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].class, "1-1");
    assert_eq!(a[0].sessions, vec!["morning", "stage1"]);
    assert_eq!(a[0].from.to_string(), "2026-12-01");
    // The week's demand counts 1-1 from the application: the grade's
    // morning group on Monday has one child of 1-1 instead of
    // enrollment.csv's five.
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
    let morning = |school: &kehou::model::school::School| -> u32 {
        let p = s.ws.load().expect("load").0;
        kehou::demand::week(&p, school, monday)
            .duties
            .iter()
            .filter(|d| d.date == monday && d.session == "morning" && d.classes.contains(&0))
            .map(|d| d.pupils)
            .sum()
    };
    let (_, now) = s.ws.load().expect("load");
    let mut csv_only = now.clone();
    csv_only.attends.clear();
    assert_eq!(morning(&now) + 4, morning(&csv_only));
}

#[tokio::test]
async fn a_withdrawal_takes_the_same_two_steps() {
    let s = school();
    let t1 = login(&s.router, "t1").await;
    let office = login(&s.router, "office").await;
    post(&s.router, "/applications", &t1, &form("1-1")).await;
    post(
        &s.router,
        "/applications/1/step",
        &t1,
        &[("step", "review"), ("ok", "yes")],
    )
    .await;
    let approve = [("step", "approve"), ("ok", "yes"), ("on", "2026-12-01")];
    let r = post(&s.router, "/applications/1/step", &office, &approve).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = post(
        &s.router,
        "/applications/1/step",
        &t1,
        &[("step", "withdraw"), ("on", "2026-12-14")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(attends(&s)[0].until, None, "counts until approved");
    post(
        &s.router,
        "/applications/1/step",
        &t1,
        &[("step", "review"), ("ok", "yes")],
    )
    .await;
    let leave = [("step", "approve"), ("ok", "yes"), ("on", "2026-12-14")];
    let r = post(&s.router, "/applications/1/step", &office, &leave).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        attends(&s)[0].until.map(|d| d.to_string()).as_deref(),
        Some("2026-12-14")
    );
    let list = get(&s.router, "/applications", &office.cookie).await;
    assert!(list.body.contains("已退出"), "{}", list.body);
    assert_eq!(cell(&list.body, "funnel-withdrawn"), "1");
}

#[tokio::test]
async fn bad_input_names_the_field_and_records_nothing() {
    let s = school();
    let office = login(&s.router, "office").await;
    let mut cases: Vec<(Vec<(&str, &str)>, &str)> = Vec::new();
    cases.push((form("9-9"), "「班级」"));
    let mut sat = form("1-1");
    sat.push(("day_6", "1"));
    cases.push((sat, "「参加星期」"));
    let mut none = form("1-1");
    none.retain(|(k, _)| !k.starts_with("day_"));
    cases.push((none, "「参加星期」"));
    let mut session = form("1-1");
    session.push(("session_evening", "1"));
    cases.push((session, "「参加时段」"));
    let mut club = form("1-1");
    club.push(("club2", "C99"));
    cases.push((club, "「社团志愿」"));
    let mut nameless = form("1-1");
    nameless.retain(|(k, _)| *k != "pupil");
    cases.push((nameless, "「学生姓名」"));
    for (f, field) in cases {
        let r = post(&s.router, "/applications", &office, &f).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{field}: {}", r.body);
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    assert_eq!(applications(&s), 0);
    // A step out of order, or unknown: named, nothing written.
    post(&s.router, "/applications", &office, &form("1-1")).await;
    assert_eq!(applications(&s), 1);
    for f in [
        vec![("step", "approve"), ("ok", "yes"), ("on", "2026-12-01")],
        vec![("step", "sign")],
        vec![("step", "withdraw"), ("on", "2026-02-30")],
    ] {
        let r = post(&s.router, "/applications/1/step", &office, &f).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{f:?}: {}", r.body);
        assert!(
            r.body.contains("「步骤」") || r.body.contains("「日期」"),
            "{}",
            r.body
        );
    }
    let list = get(&s.router, "/applications", &office.cookie).await;
    assert!(list.body.contains("待班主任审核"), "{}", list.body);
    // The office cannot review for the homeroom teacher.
    let r = post(
        &s.router,
        "/applications/1/step",
        &office,
        &[("step", "review"), ("ok", "yes")],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("班主任"), "{}", r.body);
}

#[tokio::test]
async fn the_same_pupil_entered_twice_while_one_waits_is_refused() {
    let s = school();
    let t1 = login(&s.router, "t1").await;
    let office = login(&s.router, "office").await;
    let r = post(&s.router, "/applications", &t1, &form("1-1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The same class and name again: a 409 page naming the open one.
    let r = post(&s.router, "/applications", &office, &form("1-1")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    for want in [
        PUPIL,
        "已有一份未决的申请",
        "申请 1",
        "待班主任审核",
        "未做任何更改",
    ] {
        assert!(r.body.contains(want), "{want}: {}", r.body);
    }
    assert_eq!(applications(&s), 1);
    // Another name in the class is another child.
    let mut other = form("1-1");
    other.retain(|(k, _)| *k != "pupil");
    other.push(("pupil", "李小红"));
    let r = post(&s.router, "/applications", &office, &other).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Not approved: the child may be entered again.
    let no = [("step", "review"), ("ok", "no")];
    let r = post(&s.router, "/applications/1/step", &t1, &no).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = post(&s.router, "/applications", &t1, &form("1-1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(applications(&s), 3);
}

#[tokio::test]
async fn a_teacher_of_another_class_is_refused_and_sees_no_names() {
    let s = school();
    let t1 = login(&s.router, "t1").await;
    let t2 = login(&s.router, "t2").await;
    post(&s.router, "/applications", &t1, &form("1-1")).await;
    assert_eq!(applications(&s), 1);
    let r = get(&s.router, "/applications?class=1-1", &t2.cookie).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let own = get(&s.router, "/applications", &t2.cookie).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(!own.body.contains(PUPIL), "{}", own.body);
    let r = post(
        &s.router,
        "/applications/1/step",
        &t2,
        &[("step", "review"), ("ok", "yes")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = post(&s.router, "/applications", &t2, &form("1-1")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(applications(&s), 1);
    let fin = login(&s.router, "fin").await;
    assert_eq!(
        get(&s.router, "/applications", &fin.cookie).await.status,
        StatusCode::FORBIDDEN
    );
}

fn readers(s: &School) -> Vec<String> {
    let mut rec = Record::open(&s.ws.record).expect("record");
    let pupil = rec
        .read(|tx| tx.applications_of_class(Some("1-1")))
        .expect("applications")[0]
        .pupil
        .id;
    rec.read(|tx| tx.reads_of(pupil))
        .expect("reads")
        .into_iter()
        .map(|r| r.who)
        .collect()
}

#[tokio::test]
async fn a_list_showing_a_name_is_logged_and_one_without_names_is_not() {
    let s = school();
    let t1 = login(&s.router, "t1").await;
    post(&s.router, "/applications", &t1, &form("1-1")).await;
    assert!(readers(&s).is_empty());
    let lead = login(&s.router, "lead").await;
    let r = get(&s.router, "/applications", &lead.cookie).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains(PUPIL));
    assert!(readers(&s).is_empty(), "leadership saw no name");
    let r = get(&s.router, "/applications", &t1.cookie).await;
    assert!(r.body.contains(PUPIL));
    let office = login(&s.router, "office").await;
    get(&s.router, "/applications?class=1-1", &office.cookie).await;
    assert_eq!(readers(&s), ["t1", "office"]);
}
