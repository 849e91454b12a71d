//! The parent page (`/family`) behind the school's proxy and a parent's
//! withdrawal, over HTTP in-process (issue 20 review): wrong invitation
//! codes are limited per family (the address the trusted proxy forwards,
//! never one the client wrote), a ceiling on wrong codes from every client
//! slows guessing while a right code still gets in, the slip's address is
//! the configured public URL and never the request's Host, and a parent
//! asks to withdraw their own child (the homeroom teacher reviews, the
//! principal approves), never another child.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use kehou::enrol::State;
use kehou::record::Record;
use kehou::web::Settings;

#[path = "common/apply_school.rs"]
mod apply_school;
#[path = "common/http.rs"]
mod http;
#[path = "common/parent.rs"]
mod parent;

use apply_school::{form, school, school_with, School, PUPIL};
use http::{get_with as get, login, post, send};
use parent::{enter, enter_via, issue, open_post, parent};

/// The school's proxy, as the app sees it.
const PROXY: &str = "127.0.0.1:40000";

fn behind_proxy() -> School {
    school_with(Settings {
        trusted_proxies: vec!["127.0.0.1".parse().expect("address")],
        public_url: None,
    })
}

/// Pupil 1 of 1-1 with an application, and its code.
async fn pupil_with_code(s: &School) -> String {
    let office = login(&s.router, "office").await;
    let r = post(&s.router, "/applications", &office, &form("1-1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    issue(s, &office, 1).await
}

#[tokio::test]
async fn behind_a_trusted_proxy_wrong_codes_lock_only_their_own_family() {
    let s = behind_proxy();
    let code = pupil_with_code(&s).await;
    // Family A types five wrong codes; each request's first hop is forged
    // anew, the proxy's last hop is A's.
    let mut a = parent(&s.router).await;
    for i in 0..5 {
        let xff = format!("198.51.100.{i}, 10.1.0.1");
        let r = enter_via(&s, &mut a, "AAAA-BBBB-CCCC", PROXY, &xff).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{i}: {}", r.body);
    }
    let r = enter_via(&s, &mut a, &code, PROXY, "198.51.100.99, 10.1.0.1").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    // Family B, behind the same proxy, is not locked out.
    let mut b = parent(&s.router).await;
    let r = enter_via(&s, &mut b, &code, PROXY, "10.1.0.2").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A peer that is not the proxy: its own address, whatever it forwards.
    let mut c = parent(&s.router).await;
    for i in 0..5 {
        let xff = format!("10.1.1.{i}");
        let r = enter_via(&s, &mut c, "AAAA-BBBB-CCCC", "10.9.9.9:5000", &xff).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{i}");
    }
    let r = enter_via(&s, &mut c, &code, "10.9.9.9:5001", "10.1.1.50").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
}

#[tokio::test]
async fn past_the_ceiling_one_wrong_code_locks_but_a_right_code_still_enters() {
    let s = behind_proxy();
    let code = pupil_with_code(&s).await;
    let mut p = parent(&s.router).await;
    // 30 wrong codes within the minute (the ceiling), from 30 addresses.
    for i in 0..30 {
        let xff = format!("10.2.0.{i}");
        let r = enter_via(&s, &mut p, "AAAA-BBBB-CCCC", PROXY, &xff).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{i}");
    }
    // An address with a wrong code of its own is refused before its code
    // is checked, even a right one.
    let r = enter_via(&s, &mut p, &code, PROXY, "10.2.0.3").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("分钟后再试"), "{}", r.body);
    // A new address: one wrong code locks it.
    let r = enter_via(&s, &mut p, "AAAA-BBBB-CCCD", PROXY, "10.3.0.1").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    let r = enter_via(&s, &mut p, &code, PROXY, "10.3.0.1").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    // A parent typing the right code still gets in.
    let r = enter_via(&s, &mut p, &code, PROXY, "10.3.0.2").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = get(&s.router, "/family", &p.cookie).await;
    assert!(page.body.contains(PUPIL), "{}", page.body);
}

/// The code slip of pupil 1, its request sent with a forged Host.
async fn slip(s: &School) -> String {
    let office = login(&s.router, "office").await;
    post(&s.router, "/applications", &office, &form("1-1")).await;
    let body = format!("csrf={}", office.csrf);
    let req = Request::post("/pupils/1/code")
        .header(header::COOKIE, &office.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "evil.example");
    let r = send(&s.router, req.body(Body::from(body)).expect("request")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

#[tokio::test]
async fn the_slip_gives_the_public_url_never_the_host() {
    let s = school_with(Settings {
        trusted_proxies: vec![],
        public_url: Some("https://kehou.school.cn".into()),
    });
    let body = slip(&s).await;
    assert!(!body.contains("evil.example"), "{body}");
    assert!(body.contains("https://kehou.school.cn/family"), "{body}");
    assert!(!body.contains("no-public-url"), "{body}");
    // Without a public URL: the path, and a note to set one.
    let s = school();
    let body = slip(&s).await;
    assert!(!body.contains("evil.example"), "{body}");
    assert!(
        body.contains("<code class=\"url\">/family</code>"),
        "{body}"
    );
    assert!(body.contains("--public-url"), "{body}");
}

/// A step of application 1 by `u`, taken.
async fn step(s: &School, u: &http::User, f: &[(&str, &str)]) {
    let r = post(&s.router, "/applications/1/step", u, f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

fn state(s: &School, id: i64) -> State {
    let mut rec = Record::open(&s.ws.record).expect("record");
    rec.read(|tx| tx.application(id))
        .expect("application")
        .expect("exists")
        .state
}

#[tokio::test]
async fn a_parent_asks_to_withdraw_their_child_and_the_school_decides() {
    let s = school();
    let (t1, lead) = (login(&s.router, "t1").await, login(&s.router, "lead").await);
    // Pupil 1 approved from 2026-12-01; pupil 2 (another family) applied.
    for f in [form("1-1"), {
        let mut f = form("1-1");
        f[1].1 = "李小红";
        f
    }] {
        let r = post(&s.router, "/applications", &t1, &f).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    step(&s, &t1, &[("step", "review"), ("ok", "yes")]).await;
    step(
        &s,
        &lead,
        &[("step", "approve"), ("ok", "yes"), ("on", "2026-12-01")],
    )
    .await;
    let code = issue(&s, &t1, 1).await;
    let mut p = parent(&s.router).await;
    assert_eq!(enter(&s, &mut p, &code).await.status, StatusCode::SEE_OTHER);
    let page = get(&s.router, "/family", &p.cookie).await;
    assert!(
        page.body.contains("action=\"/family/withdraw\""),
        "{}",
        page.body
    );

    // Another family's child: refused, nothing recorded.
    let theirs = [("application", "2"), ("on", "2026-12-20")];
    let r = open_post(&s.router, "/family/withdraw", &p, &theirs).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(state(&s, 2), State::Applied);
    // A bad date is named; without the page's token, or without the
    // family session, refused; nothing recorded.
    let bad = [("application", "1"), ("on", "someday")];
    let r = open_post(&s.router, "/family/withdraw", &p, &bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("「退出日期」"), "{}", r.body);
    let mine = [("application", "1"), ("on", "2026-12-20")];
    let r = http::post_raw(&s.router, "/family/withdraw", &p.cookie, &mine).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let stranger = parent(&s.router).await;
    let r = open_post(&s.router, "/family/withdraw", &stranger, &mine).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(matches!(state(&s, 1), State::Approved { .. }));

    // The parent's request enters the school's flow.
    let r = open_post(&s.router, "/family/withdraw", &p, &mine).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let from = "2026-12-01".parse().expect("date");
    let until = "2026-12-20".parse().expect("date");
    let asked = State::Withdrawing {
        from,
        until,
        reviewed: false,
    };
    assert_eq!(state(&s, 1), asked);
    let page = get(&s.router, "/family", &p.cookie).await;
    assert!(page.body.contains("退出待班主任审核"), "{}", page.body);
    let list = get(&s.router, "/applications", &t1.cookie).await;
    assert!(list.body.contains("退出待班主任审核"), "{}", list.body);
    assert!(list.body.contains("name=\"review-yes\""), "{}", list.body);
    step(&s, &t1, &[("step", "review"), ("ok", "yes")]).await;
    step(
        &s,
        &lead,
        &[("step", "approve"), ("ok", "yes"), ("on", "2026-12-20")],
    )
    .await;
    assert_eq!(state(&s, 1), State::Withdrawn { from, until });
    // Withdrawn: nothing more to withdraw.
    let r = open_post(&s.router, "/family/withdraw", &p, &mine).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
}
