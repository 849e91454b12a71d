//! The web app's handlers, in-process (tower's `oneshot`, no network),
//! against a demo workspace in a temporary folder: login and its rate
//! limit, cookie flags, CSRF on every form, the role matrix of every
//! route, bad input, and planning then publishing a week with lost-update
//! protection.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use kehou::record::Record;
use kehou::web::{App, Role, Workspace};
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";
/// Two homeroom teachers of the demo school.
const T1: &str = "T001";
const T2: &str = "T002";
/// A week of the summer holiday: no duties, so planning it is instant.
const EMPTY_WEEK: &str = "2026-08-03";
const WEEK: &str = "2026-12-07";

struct School {
    _dir: tempfile::TempDir,
    ws: Workspace,
    router: Router,
    admin_password: String,
}

fn school() -> School {
    school_with(|_| {})
}

/// The demo school with `edit` applied to its workspace before it opens.
fn school_with(edit: impl FnOnce(&Workspace)) -> School {
    let dir = tempfile::tempdir().expect("temp dir");
    let (ws, created) = Workspace::demo(&dir.path().join("demo")).expect("demo workspace");
    assert!(created);
    edit(&ws);
    let app = App::new(&ws).expect("app");
    let admin_password = app.first_password.clone().expect("first start makes admin");
    app.add_account("fin", Role::Finance, None, PASSWORD)
        .expect("fin");
    app.add_account("lead", Role::Leadership, None, PASSWORD)
        .expect("lead");
    app.add_account("t1", Role::Teacher, Some(T1), PASSWORD)
        .expect("t1");
    app.add_account("boss", Role::Admin, None, PASSWORD)
        .expect("boss");
    let router = app.router();
    School {
        _dir: dir,
        ws,
        router,
        admin_password,
    }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }
    fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
    /// The first hidden field `name`'s value.
    fn hidden(&self, name: &str) -> Option<String> {
        let at = self.body.find(&format!("name=\"{name}\" value=\""))?;
        let rest = &self.body[at + name.len() + 15..];
        Some(rest[..rest.find('"')?].to_string())
    }
}

async fn send(r: &Router, req: Request<Body>) -> Reply {
    let resp = r.clone().oneshot(req).await.expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(r: &Router, path: &str, cookie: &str) -> Reply {
    let req = Request::get(path).header(header::COOKIE, cookie);
    send(r, req.body(Body::empty()).expect("request")).await
}

async fn post(r: &Router, path: &str, cookie: &str, form: &[(&str, &str)]) -> Reply {
    let body = serde_urlencoded::to_string(form).expect("form");
    let req = Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    send(r, req.body(Body::from(body)).expect("request")).await
}

/// A logged-in user: the cookie header to send and the session's CSRF token.
/// A form to post: path, fields, and the field its refusal must name.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);

struct User {
    cookie: String,
    csrf: String,
}

async fn try_login(r: &Router, login: &str, password: &str) -> Reply {
    let page = get(r, "/login", "").await;
    let csrf = page.hidden("csrf").expect("login form has a csrf field");
    let cookie = format!("kehou_login_csrf={csrf}");
    post(
        r,
        "/login",
        &cookie,
        &[("csrf", &csrf), ("login", login), ("password", password)],
    )
    .await
}

async fn login(r: &Router, login: &str, password: &str) -> User {
    let reply = try_login(r, login, password).await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "{login}: {}",
        reply.body
    );
    let set = reply.cookie("kehou_session").expect("session cookie");
    let cookie = set.split(';').next().expect("pair").to_string();
    let page = get(r, "/password", &cookie).await;
    let csrf = page.hidden("csrf").expect("a form with csrf");
    User { cookie, csrf }
}

/// The admin after changing the one-time password.
async fn admin(s: &School) -> User {
    let u = login(&s.router, "admin", &s.admin_password).await;
    let pw = [
        ("csrf", u.csrf.as_str()),
        ("current", s.admin_password.as_str()),
        ("new", PASSWORD),
        ("confirm", PASSWORD),
    ];
    let reply = post(&s.router, "/password", &u.cookie, &pw).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    u
}

/// The school's warnings (here two teachers of one name) are shown to the
/// administrator on the week page, in the page's language, and to no one
/// else.
#[tokio::test]
async fn the_week_page_shows_the_school_warnings_to_the_admin() {
    let s = school_with(|ws| {
        let staff = ws.data.join("staff.csv");
        let text = std::fs::read_to_string(&staff).expect("staff.csv");
        let text = text.replacen("T002,郑玉兰", "T002,黄建华", 1);
        std::fs::write(&staff, text).expect("write staff.csv");
    });
    let u = admin(&s).await;
    let zh = get(&s.router, &format!("/week/{WEEK}"), &u.cookie).await;
    assert_eq!(zh.status, StatusCode::OK, "{}", zh.body);
    assert!(zh.body.contains("学校数据中的提醒"), "{}", zh.body);
    assert!(zh.body.contains("同名的两人"), "{}", zh.body);
    assert!(!zh.body.contains("two people of one name"));
    let en = get(&s.router, &format!("/week/{WEEK}?lang=en"), &u.cookie).await;
    assert!(en.body.contains("Notes on the school"), "{}", en.body);
    assert!(en.body.contains("two people of one name"), "{}", en.body);
    assert!(!en.body.contains("同名的两人"));
    let t = login(&s.router, "t1", PASSWORD).await;
    let page = get(&s.router, &format!("/week/{WEEK}"), &t.cookie).await;
    assert!(!page.body.contains("同名的两人"), "{}", page.body);
    // The demo school as shipped has none.
    let s = school();
    let u = admin(&s).await;
    let page = get(&s.router, &format!("/week/{WEEK}"), &u.cookie).await;
    assert!(!page.body.contains("学校数据中的提醒"), "{}", page.body);
}

/// What the record holds: accounts, audit lines, published versions.
fn counts(s: &School) -> (usize, usize, bool, bool) {
    let mut rec = Record::open(&s.ws.record).expect("record");
    rec.read(|tx| {
        Ok((
            tx.users()?.len(),
            tx.all_versions()?.len(),
            tx.calendar_token(T1)?.is_some(),
            tx.secret("robot")?.is_some(),
        ))
    })
    .expect("read")
}

#[tokio::test]
async fn first_start_admin_must_change_the_one_time_password() {
    let s = school();
    let u = login(&s.router, "admin", &s.admin_password).await;
    let week = get(&s.router, &format!("/week/{WEEK}"), &u.cookie).await;
    assert_eq!(week.status, StatusCode::SEE_OTHER);
    assert_eq!(week.location(), "/password");
    let plan = post(
        &s.router,
        &format!("/week/{WEEK}/plan"),
        &u.cookie,
        &[("csrf", &u.csrf)],
    )
    .await;
    assert_eq!(plan.status, StatusCode::FORBIDDEN, "{}", plan.body);
    let short = [
        ("csrf", u.csrf.as_str()),
        ("current", s.admin_password.as_str()),
        ("new", "short"),
        ("confirm", "short"),
    ];
    let bad = post(&s.router, "/password", &u.cookie, &short).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("新密码"), "names the field: {}", bad.body);
    let u = admin(&s).await;
    let week = get(&s.router, &format!("/week/{WEEK}"), &u.cookie).await;
    assert_eq!(week.status, StatusCode::OK, "{}", week.body);
    // The one-time password no longer works.
    let old = try_login(&s.router, "admin", &s.admin_password).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn login_failures_are_rate_limited_with_a_clear_message() {
    let s = school();
    let wrong = try_login(&s.router, "fin", "not the password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("账号或密码不对"), "{}", wrong.body);
    assert!(wrong.cookie("kehou_session").is_none());
    for _ in 0..4 {
        try_login(&s.router, "fin", "not the password").await;
    }
    // The sixth attempt is refused even with the right password.
    let locked = try_login(&s.router, "fin", PASSWORD).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        locked.body
    );
    assert!(locked.body.contains("登录失败次数过多"), "{}", locked.body);
    assert!(locked.cookie("kehou_session").is_none());
}

#[tokio::test]
async fn session_cookie_is_httponly_samesite_strict() {
    let s = school();
    let reply = try_login(&s.router, "lead", PASSWORD).await;
    let c = reply.cookie("kehou_session").expect("cookie");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(c.contains(flag), "{flag} missing: {c}");
    }
    let token = c
        .split(';')
        .next()
        .expect("pair")
        .trim_start_matches("kehou_session=");
    assert_eq!(token.len(), 64, "32 random bytes in hex");
    let page = get(&s.router, "/login", "").await;
    let csp = page
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .expect("csp");
    assert!(csp.to_str().expect("ascii").contains("default-src 'none'"));
    assert_eq!(
        page.headers.get(header::X_FRAME_OPTIONS).expect("xfo"),
        "DENY"
    );
}

#[tokio::test]
async fn every_post_without_or_with_a_wrong_csrf_token_is_refused_and_writes_nothing() {
    let s = school();
    let u = admin(&s).await;
    let before = counts(&s);
    let plan = format!("/week/{EMPTY_WEEK}/plan");
    let publish = format!("/week/{WEEK}/publish");
    let calendar = format!("/duties/{T1}/calendar");
    let duty = format!("/duty/{WEEK}/late/all/signin");
    let forms: [(&str, Vec<(&str, &str)>); 9] = [
        (&duty, vec![]),
        ("/logout", vec![]),
        (
            "/password",
            vec![
                ("current", PASSWORD),
                ("new", "another password"),
                ("confirm", "another password"),
            ],
        ),
        (
            "/admin/users",
            vec![("login", "newbie"), ("name", "新人"), ("role", "finance")],
        ),
        (&plan, vec![]),
        (&publish, vec![("base", "0"), ("draft", "1")]),
        ("/login", vec![("login", "fin"), ("password", PASSWORD)]),
        (&calendar, vec![]),
        (
            "/admin/robot",
            vec![
                ("action", "set"),
                ("url", "https://oapi.dingtalk.com/robot/send?access_token=t"),
            ],
        ),
    ];
    for (path, fields) in &forms {
        for token in [None, Some("0".repeat(64))] {
            let mut f = fields.clone();
            if let Some(t) = &token {
                f.push(("csrf", t));
            }
            let reply = post(&s.router, path, &u.cookie, &f).await;
            assert_eq!(
                reply.status,
                StatusCode::FORBIDDEN,
                "{path} {token:?}: {}",
                reply.body
            );
            assert!(reply.body.contains("CSRF"), "{path}: {}", reply.body);
            assert!(reply.cookie("kehou_session").is_none(), "{path}");
        }
    }
    assert_eq!(counts(&s), before, "nothing written");
    // Still logged in (logout was refused), the password unchanged, no job.
    let week = get(&s.router, &format!("/week/{EMPTY_WEEK}"), &u.cookie).await;
    assert_eq!(week.status, StatusCode::OK);
    assert!(week.body.contains("本周尚无草稿"), "{}", week.body);
    assert_eq!(
        try_login(&s.router, "boss", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

/// The expected status of every route for every role (None: not logged in).
fn matrix() -> Vec<(&'static str, String, [u16; 5])> {
    let w = EMPTY_WEEK;
    //         path                                 admin fin  lead teach anon
    vec![
        ("GET", "/".into(), [303, 303, 303, 303, 303]),
        ("GET", "/me".into(), [200, 200, 200, 303, 303]),
        ("GET", format!("/duties/{T1}"), [200, 200, 200, 200, 303]),
        ("GET", format!("/duties/{T2}"), [200, 200, 200, 403, 303]),
        // A calendar token: a teacher their own, the administrator anyone's.
        (
            "POST",
            format!("/duties/{T1}/calendar"),
            [303, 403, 403, 303, 403],
        ),
        // The feed needs no login; an unknown token is not found.
        ("GET", "/cal/x.ics".into(), [404, 404, 404, 404, 404]),
        // Nothing published that week: no notices.
        (
            "GET",
            format!("/week/{w}/changes"),
            [404, 403, 403, 403, 303],
        ),
        ("GET", format!("/week/{w}"), [200, 200, 200, 403, 303]),
        ("GET", format!("/week/{w}/print"), [404, 404, 404, 403, 303]),
        ("GET", format!("/day/{w}"), [404, 404, 404, 403, 303]),
        ("GET", format!("/handover/{w}"), [404, 404, 404, 403, 303]),
        // Before planning the week: no draft and nothing published.
        (
            "GET",
            format!("/week/{w}/seat?duty=x"),
            [404, 403, 403, 403, 303],
        ),
        ("POST", format!("/week/{w}/edit"), [404, 403, 403, 403, 403]),
        ("POST", format!("/week/{w}/pin"), [404, 403, 403, 403, 403]),
        (
            "POST",
            format!("/week/{w}/repair"),
            [400, 403, 403, 403, 403],
        ),
        // The admin account has no staff id; the others' forms are empty.
        ("POST", "/requests".into(), [400, 400, 400, 400, 403]),
        (
            "POST",
            "/requests/1/answer".into(),
            [400, 403, 403, 403, 403],
        ),
        ("POST", format!("/week/{w}/plan"), [303, 403, 403, 403, 403]),
        (
            "POST",
            format!("/week/{w}/publish"),
            [400, 403, 403, 403, 403],
        ),
        ("GET", "/workload".into(), [200, 200, 200, 403, 303]),
        ("GET", "/workload.csv".into(), [200, 200, 200, 403, 303]),
        ("GET", "/workload.xlsx".into(), [200, 200, 200, 403, 303]),
        (
            "GET",
            "/workload.xlsx?term=2026%E5%B9%B4%E7%A7%8B%E5%AD%A3%E5%AD%A6%E6%9C%9F".into(),
            [200, 200, 200, 403, 303],
        ),
        ("GET", "/admin/users".into(), [200, 403, 403, 403, 303]),
        ("POST", "/admin/users".into(), [400, 403, 403, 403, 403]),
        ("GET", "/admin/robot".into(), [200, 403, 403, 403, 303]),
        ("POST", "/admin/robot".into(), [400, 403, 403, 403, 403]),
        // The policy in the browser (issue 19, item 2): the administrator
        // edits (an empty form changes nothing; a save without the page's
        // base is stale), finance and leadership read the history.
        ("GET", "/admin/policy".into(), [200, 403, 403, 403, 303]),
        (
            "POST",
            "/admin/policy/check".into(),
            [200, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/admin/policy/diff".into(),
            [200, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/admin/policy/form/seasons".into(),
            [200, 403, 403, 403, 303],
        ),
        (
            "POST",
            "/admin/policy/form/seasons".into(),
            [200, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/admin/policy/save".into(),
            [409, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/admin/policy/history".into(),
            [200, 200, 200, 403, 303],
        ),
        (
            "GET",
            "/admin/policy/history/1".into(),
            [404, 404, 404, 403, 303],
        ),
        (
            "POST",
            "/admin/policy/history/1/restore".into(),
            [404, 403, 403, 403, 403],
        ),
        // What-if studies (issue 19, item 5): leadership and the admin run
        // them, finance reads them; none has run yet; empty forms are refused.
        ("GET", "/whatif".into(), [200, 200, 200, 403, 303]),
        ("GET", "/whatif/new".into(), [200, 403, 200, 403, 303]),
        ("POST", "/whatif/new".into(), [400, 403, 400, 403, 403]),
        ("GET", "/whatif/upload".into(), [200, 403, 200, 403, 303]),
        ("POST", "/whatif/upload".into(), [400, 403, 400, 403, 403]),
        ("GET", "/whatif/1".into(), [404, 404, 404, 403, 303]),
        ("GET", "/whatif/1/file".into(), [404, 404, 404, 403, 303]),
        ("GET", "/password".into(), [200, 200, 200, 200, 303]),
        ("GET", "/login".into(), [303, 303, 303, 303, 200]),
        ("GET", "/assets/app.css".into(), [200, 200, 200, 200, 200]),
        ("GET", "/assets/live.js".into(), [200, 200, 200, 200, 200]),
        ("POST", "/logout".into(), [303, 303, 303, 303, 403]),
        ("POST", "/password".into(), [400, 400, 400, 400, 403]),
        // Without the login form's own cookie token: refused as CSRF.
        ("POST", "/login".into(), [403, 403, 403, 403, 403]),
        // The school's data (issue 19): the office edits, finance and leadership read.
        ("GET", "/data".into(), [200, 200, 200, 403, 303]),
        ("GET", "/data/staff".into(), [200, 200, 200, 403, 303]),
        ("GET", "/data/nosuch".into(), [404, 404, 404, 403, 303]),
        (
            "GET",
            "/data/staff/export.csv".into(),
            [200, 200, 200, 403, 303],
        ),
        (
            "GET",
            "/data/staff/template.xlsx".into(),
            [200, 200, 200, 403, 303],
        ),
        (
            "GET",
            "/data/staff/import".into(),
            [200, 403, 403, 403, 303],
        ),
        // Empty forms: no row named, no file, no upload token.
        ("POST", "/data/staff/row".into(), [400, 403, 403, 403, 403]),
        (
            "POST",
            "/data/staff/import".into(),
            [400, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/data/staff/import/confirm".into(),
            [409, 403, 403, 403, 403],
        ),
        // Applications (issue 20, item 1): t1 is 1-1's homeroom teacher;
        // empty forms name their first field.
        ("GET", "/applications".into(), [200, 403, 200, 200, 303]),
        ("GET", "/applications/new".into(), [200, 403, 403, 200, 303]),
        ("POST", "/applications".into(), [400, 403, 403, 400, 403]),
        (
            "POST",
            "/applications/1/step".into(),
            [400, 403, 400, 400, 403],
        ),
        // The term's offer: everyone logged in reads; none published yet.
        (
            "GET",
            "/applications/offer".into(),
            [200, 200, 200, 200, 303],
        ),
        (
            "POST",
            "/applications/offer".into(),
            [400, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/applications/offer/print".into(),
            [404, 404, 404, 404, 303],
        ),
        // The agreement: no application 1; an empty form names its date.
        (
            "GET",
            "/applications/1/agreement".into(),
            [404, 403, 403, 404, 303],
        ),
        (
            "POST",
            "/applications/1/agreement".into(),
            [400, 403, 403, 400, 403],
        ),
        // Club seats: the office; an empty form names the club.
        (
            "GET",
            "/applications/clubs".into(),
            [200, 403, 403, 403, 303],
        ),
        (
            "POST",
            "/applications/clubs".into(),
            [400, 403, 403, 403, 403],
        ),
        // A form's import: the office; no file, no upload token.
        (
            "GET",
            "/applications/import".into(),
            [200, 403, 403, 403, 303],
        ),
        (
            "POST",
            "/applications/import".into(),
            [400, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/applications/import/confirm".into(),
            [409, 403, 403, 403, 403],
        ),
        // A child's code: there is no pupil 1.
        ("POST", "/pupils/1/code".into(), [404, 403, 403, 404, 403]),
        // The parent page is open; its forms need the page's own token.
        ("GET", "/family".into(), [200, 200, 200, 200, 200]),
        ("POST", "/family".into(), [403, 403, 403, 403, 403]),
        ("POST", "/family/apply".into(), [403, 403, 403, 403, 403]),
        ("POST", "/family/leave".into(), [403, 403, 403, 403, 403]),
        ("POST", "/family/withdraw".into(), [403, 403, 403, 403, 403]),
        // During each duty (issue 20, item 2): the duty teacher and the
        // administrator; nothing published that day, so no such duty.
        ("GET", "/duty".into(), [200, 403, 403, 200, 303]),
        (
            "GET",
            format!("/duty/{w}/late/all"),
            [404, 403, 403, 404, 303],
        ),
        (
            "POST",
            format!("/duty/{w}/late/all/signin"),
            [404, 403, 403, 404, 403],
        ),
        // A family's data (issue 20, item 6): the administrator only; no
        // pupil 1 in the record; the empty form lacks the confirmation.
        ("GET", "/admin/family/1".into(), [404, 403, 403, 403, 303]),
        (
            "GET",
            "/admin/family/1/export.json".into(),
            [404, 403, 403, 403, 303],
        ),
        (
            "POST",
            "/admin/family/1/erase".into(),
            [400, 403, 403, 403, 403],
        ),
        // Reports (issue 20, item 5): the administrator and leadership.
        ("GET", "/reports".into(), [200, 403, 200, 403, 303]),
        (
            "GET",
            "/reports/attendance/export.csv".into(),
            [200, 403, 200, 403, 303],
        ),
        (
            "GET",
            "/reports/clubs/export.csv".into(),
            [200, 403, 200, 403, 303],
        ),
        (
            "GET",
            "/reports/attendance/export.xlsx".into(),
            [200, 403, 200, 403, 303],
        ),
        // Issue 20, items 3 and 4: empty forms are refused naming a field;
        // an unknown survey link is not found; an open form without its
        // cookie's token is refused as CSRF.
        ("GET", "/admin/emergency".into(), [200, 403, 403, 403, 303]),
        ("POST", "/admin/emergency".into(), [400, 403, 403, 403, 403]),
        (
            "POST",
            "/admin/emergency/preview".into(),
            [400, 403, 403, 403, 403],
        ),
        ("GET", "/comp".into(), [200, 200, 200, 200, 303]),
        ("POST", "/comp/take".into(), [400, 403, 403, 403, 403]),
        ("GET", "/surveys".into(), [200, 403, 200, 403, 303]),
        ("POST", "/surveys".into(), [400, 403, 403, 403, 403]),
        ("GET", "/s/x".into(), [404, 404, 404, 404, 404]),
        ("POST", "/s/x".into(), [403, 403, 403, 403, 403]),
        ("GET", "/appraisal".into(), [200, 200, 200, 200, 303]),
        ("GET", "/appraisal.xlsx".into(), [200, 200, 200, 200, 303]),
    ]
}

#[tokio::test]
async fn every_route_checks_the_role() {
    let s = school();
    let mut users = vec![admin(&s).await];
    for l in ["fin", "lead", "t1"] {
        users.push(login(&s.router, l, PASSWORD).await);
    }
    // Every route of the access table is in the matrix.
    let routed: Vec<String> = matrix()
        .iter()
        .map(|(m, p, _)| format!("{m} {p}"))
        .collect();
    for (m, p, _) in kehou::web::access_table() {
        let concrete = p
            .replace("{monday}", EMPTY_WEEK)
            .replace("{date}", EMPTY_WEEK)
            .replace("{staff}", T1)
            .replace("{id}", "1")
            .replace("{section}", "seasons")
            .replace("{file}", "x.ics")
            .replace("{table}", "staff")
            .replace("{kind}", "late")
            .replace("{group}", "all")
            .replace("{action}", "signin")
            .replace("{pupil}", "1")
            .replace("{report}", "attendance")
            .replace("{token}", "x");
        assert!(
            routed
                .iter()
                .any(|r| r == &format!("{m} {concrete}")
                    || r.starts_with(&format!("{m} {concrete}?"))),
            "{m} {p} missing from the matrix"
        );
    }
    let mut wrong = Vec::new();
    for (method, path, want) in matrix() {
        for (i, expected) in want.iter().enumerate() {
            // Log out last: a fresh login per logout keeps the others' sessions.
            // Logging out uses a fresh session, so the others stay logged in.
            let (cookie, csrf) = match users.get(i) {
                Some(_) if path == "/logout" => {
                    let fresh = login(&s.router, ["boss", "fin", "lead", "t1"][i], PASSWORD).await;
                    (fresh.cookie, fresh.csrf)
                }
                Some(u) => (u.cookie.clone(), u.csrf.clone()),
                None => (String::new(), String::new()),
            };
            let got = if method == "GET" {
                get(&s.router, &path, &cookie).await
            } else {
                post(&s.router, &path, &cookie, &[("csrf", &csrf)]).await
            };
            if got.status.as_u16() != *expected {
                wrong.push(format!(
                    "{method} {path} as {i}: {} (expected {expected})",
                    got.status
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let s = school();
    let u = admin(&s).await;
    let before = counts(&s);
    let cases: [(&str, &str); 8] = [
        ("/week/2026-02-30", "周"),
        ("/workload?month=2026-13", "月份"),
        ("/workload?term=2027", "学期"),
        ("/workload?from=2026-02-30&to=2026-03-01", "开始日期"),
        ("/workload?from=2026-12-01", "结束日期"),
        ("/workload.xlsx?from=2026-12-09&to=2026-12-01", "结束日期"),
        ("/workload.csv?from=x&to=2026-12-01", "开始日期"),
        ("/duties/T001?week=tomorrow", "周"),
    ];
    for (path, field) in cases {
        let r = get(&s.router, path, &u.cookie).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(r.body.contains(field), "{path}: {}", r.body);
    }
    let publish = format!("/week/{WEEK}/publish");
    let forms: [Case; 5] = [
        (
            "/admin/users",
            vec![
                ("login", "Bad Name"),
                ("name", "x"),
                ("role", "teacher"),
                ("staff_id", T2),
            ],
            "账号",
        ),
        (
            "/admin/users",
            vec![("login", "t2"), ("name", "x"), ("role", "teacher")],
            "工号",
        ),
        (
            "/admin/users",
            vec![
                ("login", "t2"),
                ("name", "x"),
                ("role", "teacher"),
                ("staff_id", "T999"),
            ],
            "T999",
        ),
        (
            "/admin/users",
            vec![("login", "t2"), ("name", "x"), ("role", "janitor")],
            "角色",
        ),
        (&publish, vec![("base", "latest"), ("draft", "1")], "base"),
    ];
    for (path, mut f, field) in forms {
        f.push(("csrf", &u.csrf));
        let r = post(&s.router, path, &u.cookie, &f).await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "{path} {f:?}: {}",
            r.body
        );
        assert!(r.body.contains(field), "{path}: {}", r.body);
        assert!(r.body.contains("未做任何更改"), "{path}: {}", r.body);
    }
    assert_eq!(counts(&s), before, "nothing written");
    let en = get(&s.router, "/workload?month=2026-13&lang=en", &u.cookie).await;
    assert!(
        en.body.contains("month: expected year-month"),
        "{}",
        en.body
    );
    assert!(en
        .cookie("kehou_lang")
        .is_some_and(|c| c.starts_with("kehou_lang=en")));
}

#[tokio::test]
async fn the_admin_creates_a_teacher_who_sees_only_their_own_duties() {
    let s = school();
    let u = admin(&s).await;
    let f = [
        ("csrf", u.csrf.as_str()),
        ("login", "t2"),
        ("name", "郑玉兰"),
        ("role", "teacher"),
        ("staff_id", T2),
    ];
    let made = post(&s.router, "/admin/users", &u.cookie, &f).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let at = made
        .body
        .find("class=\"secret\">")
        .expect("one-time password shown")
        + 15;
    let pw = made.body[at..at + 16].to_string();
    let t2 = login(&s.router, "t2", &pw).await;
    let me = get(&s.router, "/me", &t2.cookie).await;
    assert_eq!(me.status, StatusCode::SEE_OTHER, "must change first");
    assert_eq!(me.location(), "/password");
    let change = [
        ("csrf", t2.csrf.as_str()),
        ("current", pw.as_str()),
        ("new", PASSWORD),
        ("confirm", PASSWORD),
    ];
    assert_eq!(
        post(&s.router, "/password", &t2.cookie, &change)
            .await
            .status,
        StatusCode::OK
    );
    let me = get(&s.router, "/me", &t2.cookie).await;
    assert!(
        me.location().starts_with(&format!("/duties/{T2}")),
        "{}",
        me.location()
    );
    assert_eq!(
        get(&s.router, &format!("/duties/{T1}"), &t2.cookie)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

/// The week page until the planning job is done; the page.
async fn wait_for_draft(s: &School, u: &User, week: &str) -> Reply {
    let t0 = Instant::now();
    loop {
        let page = get(&s.router, &format!("/week/{week}"), &u.cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        if page.body.contains("name=\"draft\"") {
            return page;
        }
        assert!(
            !page.body.contains("排班未完成"),
            "planning failed: {}",
            page.body
        );
        assert!(
            t0.elapsed() < Duration::from_secs(300),
            "planning took over 5 minutes"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_publish_and_a_stale_page_is_refused() {
    let s = school();
    let u = admin(&s).await;
    let started = post(
        &s.router,
        &format!("/week/{WEEK}/plan"),
        &u.cookie,
        &[("csrf", &u.csrf)],
    )
    .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    let running = get(&s.router, &format!("/week/{WEEK}"), &u.cookie).await;
    assert!(running.body.contains("正在排班") || running.body.contains("name=\"draft\""));
    let page = wait_for_draft(&s, &u, WEEK).await;
    assert!(
        page.body.contains("已证明最优"),
        "the proof in words: {}",
        page.body
    );
    let draft = page.hidden("draft").expect("draft id");
    let base = page.hidden("base").expect("base");
    assert_eq!(base, "0");
    // A teacher cannot publish it.
    let t1 = login(&s.router, "t1", PASSWORD).await;
    let f = [
        ("csrf", t1.csrf.as_str()),
        ("draft", draft.as_str()),
        ("base", "0"),
    ];
    assert_eq!(
        post(&s.router, &format!("/week/{WEEK}/publish"), &t1.cookie, &f)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(counts(&s).1, 0);
    // The admin publishes; the week page shows the published roster's names.
    let f = [
        ("csrf", u.csrf.as_str()),
        ("draft", draft.as_str()),
        ("base", base.as_str()),
    ];
    let done = post(&s.router, &format!("/week/{WEEK}/publish"), &u.cookie, &f).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(counts(&s).1, 1);
    let week = get(&s.router, &format!("/week/{WEEK}"), &u.cookie).await;
    let names = published_names(&s);
    assert!(names.len() > 20);
    // Coverage per day, as a chart (issue 19, item 4).
    assert!(week.body.contains("本周每日覆盖"), "{}", week.body);
    assert!(week.body.matches("class=\"covered\"").count() >= 4);
    for n in names.values() {
        assert!(week.body.contains(n.as_str()), "{n} not on the week page");
    }
    assert!(
        week.body.contains("已发布 <strong>v1</strong>"),
        "{}",
        week.body
    );
    // A second admin's page still showed "not published": refused, nothing overwritten.
    let boss = login(&s.router, "boss", PASSWORD).await;
    let f = [
        ("csrf", boss.csrf.as_str()),
        ("draft", draft.as_str()),
        ("base", "0"),
    ];
    let stale = post(
        &s.router,
        &format!("/week/{WEEK}/publish"),
        &boss.cookie,
        &f,
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("在你打开此页之后"), "{}", stale.body);
    assert_eq!(counts(&s).1, 1, "nothing overwritten");
    // The teacher sees their own duties of the published week.
    let mine = get(&s.router, &format!("/duties/{T1}?week={WEEK}"), &t1.cookie).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.body.contains("依据已发布 v1"), "{}", mine.body);
    assert!(mine.body.contains("width=device-width"));
    // The term so far as a chart: one week served, the person and the average.
    let doc = scraper::Html::parse_document(&mine.body);
    let sel = |q: &str| scraper::Selector::parse(q).expect("selector");
    assert_eq!(
        doc.select(&sel("figure.chart circle.point.person")).count(),
        1
    );
    assert_eq!(
        doc.select(&sel("figure.chart circle.point.average"))
            .count(),
        1
    );
    // "Why these duties" for the teacher themself and the administrator.
    assert!(mine.body.contains("为什么是这些任务") && mine.body.contains("相对负荷"));
    let by_admin = get(&s.router, &format!("/duties/{T1}?week={WEEK}"), &u.cookie).await;
    assert!(by_admin.body.contains("为什么是这些任务"));
    // Finance reads the month's workload of the published week.
    let fin = login(&s.router, "fin", PASSWORD).await;
    let seen = get(&s.router, &format!("/duties/{T1}?week={WEEK}"), &fin.cookie).await;
    assert!(!seen.body.contains("为什么是这些任务"), "{}", seen.body);
    // The week's relative loads as a histogram: everyone in the load table counted.
    let week = get(&s.router, &format!("/week/{WEEK}"), &fin.cookie).await;
    let doc = scraper::Html::parse_document(&week.body);
    let bars = scraper::Selector::parse("figure.chart rect.bar").expect("selector");
    let counted: usize = doc
        .select(&bars)
        .filter_map(|b| b.value().attr("data-count")?.parse::<usize>().ok())
        .sum();
    // Everyone in the load table with a relative load (the table leaves
    // out those without duties this week, the chart does not).
    let cells = scraper::Selector::parse("tr").expect("selector");
    let td = scraper::Selector::parse("td").expect("selector");
    let shown = doc
        .select(&cells)
        .filter(|r| {
            let tds: Vec<String> = r.select(&td).map(|c| c.text().collect()).collect();
            tds.len() == 6 && tds[5].parse::<f64>().is_ok()
        })
        .count();
    assert!(shown > 0 && counted >= shown, "{counted} < {shown}");
    assert!(counted <= kehou_staff(&s), "{counted}");
    let w = get(&s.router, "/workload?month=2026-12", &fin.cookie).await;
    assert_eq!(w.status, StatusCode::OK);
    assert!(
        w.body.contains(names.values().next().expect("a name")),
        "{}",
        w.body
    );
    // The same for the term and for any dates; the workbook to print.
    let term = get(
        &s.router,
        "/workload?term=2026%E5%B9%B4%E7%A7%8B%E5%AD%A3%E5%AD%A6%E6%9C%9F",
        &fin.cookie,
    )
    .await;
    assert!(term
        .body
        .contains("2026年秋季学期 (2026-09-01 至 2027-01-22)"));
    assert!(term.body.contains(names.values().next().expect("a name")));
    // The term to date's relative loads, as a chart (issue 19, item 4).
    assert!(
        term.body.contains("相对负荷的分布: 2026年秋季学期"),
        "{}",
        term.body
    );
    assert!(term.body.contains("class=\"bar\""));
    assert!(
        term.body
            .contains("/workload.xlsx?term=2026%E5%B9%B4%E7%A7%8B%E5%AD%A3%E5%AD%A6%E6%9C%9F"),
        "{}",
        term.body
    );
    let days = get(
        &s.router,
        "/workload?from=2026-12-07&to=2026-12-08",
        &fin.cookie,
    )
    .await;
    assert!(
        days.body.contains("2026-12-07 至 2026-12-08"),
        "{}",
        days.body
    );
    let x = get(&s.router, "/workload.xlsx?month=2026-12", &fin.cookie).await;
    assert_eq!(x.status, StatusCode::OK);
    let disposition = x.headers.get(header::CONTENT_DISPOSITION).expect("a file");
    assert!(disposition
        .to_str()
        .is_ok_and(|d| d.contains("workload-2026-12.xlsx")));
    assert!(x.body.starts_with("PK"), "a zip");
}

/// How many staff the school has.
fn kehou_staff(s: &School) -> usize {
    let staff = std::fs::read_to_string(s.ws.data.join("staff.csv")).expect("staff.csv");
    staff
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count()
}

/// Staff id → name of everyone in the published roster of WEEK.
fn published_names(s: &School) -> BTreeMap<String, String> {
    let mut rec = Record::open(&s.ws.record).expect("record");
    let monday = WEEK.parse().expect("date");
    let rows = rec
        .read(|tx| tx.rows(monday, 1))
        .expect("read")
        .expect("v1");
    let staff = std::fs::read_to_string(s.ws.data.join("staff.csv")).expect("staff.csv");
    let names: BTreeMap<&str, &str> = staff
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split(',');
            Some((f.next()?, f.next()?))
        })
        .collect();
    rows.iter()
        .filter_map(|r| r.staff_id.as_deref())
        .filter_map(|id| Some((id.to_string(), names.get(id)?.to_string())))
        .collect()
}

/// Plan WEEK as the admin and publish the draft; the week page after.
async fn plan_and_publish(s: &School, u: &User) -> Reply {
    let path = format!("/week/{WEEK}/plan");
    post(&s.router, &path, &u.cookie, &[("csrf", &u.csrf)]).await;
    let page = wait_for_draft(s, u, WEEK).await;
    publish_shown(s, u, &page).await
}

/// Publish the draft a week page shows; the week page after.
async fn publish_shown(s: &School, u: &User, page: &Reply) -> Reply {
    let f = [
        ("csrf", u.csrf.clone()),
        ("draft", page.hidden("draft").expect("draft id")),
        ("base", page.hidden("base").expect("base")),
    ];
    let done = post(
        &s.router,
        &format!("/week/{WEEK}/publish"),
        &u.cookie,
        &f.iter().map(|(a, b)| (*a, b.as_str())).collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    get(&s.router, &format!("/week/{WEEK}"), &u.cookie).await
}

/// Every form posting to a path ending in `action`: its fields and button text.
fn forms(html: &str, action: &str) -> Vec<(BTreeMap<String, String>, String)> {
    let doc = scraper::Html::parse_document(html);
    let form = scraper::Selector::parse("form").expect("selector");
    let input = scraper::Selector::parse("input").expect("selector");
    doc.select(&form)
        .filter(|f| {
            f.value()
                .attr("action")
                .is_some_and(|a| a.ends_with(action))
        })
        .map(|f| {
            let fields = f
                .select(&input)
                .filter_map(|i| {
                    Some((
                        i.value().attr("name")?.to_string(),
                        i.value().attr("value")?.to_string(),
                    ))
                })
                .collect();
            (fields, f.text().collect::<String>())
        })
        .collect()
}

/// The staff ids of the seat page's rows that a rule stops.
fn blocked_ids(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let row = scraper::Selector::parse("tr.blocked").expect("selector");
    let td = scraper::Selector::parse("td").expect("selector");
    doc.select(&row)
        .filter_map(|r| r.select(&td).nth(1).map(|c| c.text().collect::<String>()))
        .collect()
}

/// Post a form found on a page, with the user's CSRF token.
async fn submit(s: &School, u: &User, path: &str, fields: &BTreeMap<String, String>) -> Reply {
    let mut f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    f.retain(|(k, _)| *k != "csrf");
    f.push(("csrf", &u.csrf));
    post(&s.router, path, &u.cookie, &f).await
}

/// Duty id → staff ids of version `v` of WEEK.
fn holders(s: &School, v: u32) -> BTreeMap<String, Vec<String>> {
    let mut rec = Record::open(&s.ws.record).expect("record");
    let rows = rec
        .read(|tx| tx.rows(WEEK.parse().expect("date"), v))
        .expect("read")
        .expect("version");
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rows {
        m.entry(r.duty_id).or_default().extend(r.staff_id);
    }
    m
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hand_edits_are_checked_at_once_and_published_as_a_new_version() {
    let s = school();
    let u = admin(&s).await;
    let week = plan_and_publish(&s, &u).await;
    let v1 = holders(&s, 1);
    // The grid links each duty to its seat page.
    let (duty, held) = v1
        .iter()
        .find(|(_, h)| h.len() == 1)
        .expect("a one-person duty");
    let seat_path = format!(
        "/week/{WEEK}/seat?{}",
        serde_urlencoded::to_string([("duty", duty)]).expect("query")
    );
    assert!(week.body.contains(&seat_path), "grid links the seat");
    let seat = get(&s.router, &seat_path, &u.cookie).await;
    assert_eq!(seat.status, StatusCode::OK, "{}", seat.body);
    // Candidates: someone who can take it, and others with the rule that stops them.
    let moves = forms(&seat.body, "/edit");
    let free = moves
        .iter()
        .find(|(f, _)| f["kind"] == "move")
        .expect("someone can take the seat");
    assert_eq!(&free.0["from"], &held[0]);
    let to = free.0["to"].clone();
    assert!(
        seat.body.contains("时间冲突") || seat.body.contains("资质") || seat.body.contains("角色"),
        "reasons shown"
    );
    // A move to someone a rule stops is refused with the rule; nothing changed.
    let blocked = blocked_ids(&seat.body);
    assert!(!blocked.is_empty(), "someone is stopped by a rule");
    for other in blocked.iter().take(3) {
        let mut bad = free.0.clone();
        bad.insert("to".into(), other.clone());
        let refused = submit(&s, &u, &format!("/week/{WEEK}/edit"), &bad).await;
        assert_eq!(
            refused.status,
            StatusCode::CONFLICT,
            "{other}: {}",
            refused.body
        );
        assert!(refused.body.contains("违反规则"), "{}", refused.body);
        assert!(
            refused.body.contains("[") && refused.body.contains("|"),
            "names the rule: {}",
            refused.body
        );
    }
    // An unknown person: the field is named.
    let mut wrong = free.0.clone();
    wrong.insert("to".into(), "NOBODY".into());
    let refused = submit(&s, &u, &format!("/week/{WEEK}/edit"), &wrong).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("「to」"), "{}", refused.body);
    // The allowed move becomes the draft; a second post of the same page is stale.
    let moved = submit(&s, &u, &format!("/week/{WEEK}/edit"), &free.0).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let again = submit(&s, &u, &format!("/week/{WEEK}/edit"), &free.0).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let draft = get(&s.router, &format!("/week/{WEEK}?view=draft"), &u.cookie).await;
    assert!(draft.body.contains("手工调整 1"), "{}", draft.body);
    assert!(
        draft.body.contains(duty.as_str()),
        "change list names the duty"
    );
    publish_shown(&s, &u, &draft).await;
    let v2 = holders(&s, 2);
    assert_eq!(v2[duty], vec![to.clone()]);
    let changed: Vec<&String> = v1.keys().filter(|d| v1.get(*d) != v2.get(*d)).collect();
    assert_eq!(changed, vec![duty], "exactly the edited duty changed");
    let mut rec = Record::open(&s.ws.record).expect("record");
    let info = rec
        .read(|tx| tx.info(WEEK.parse().expect("date"), 2))
        .expect("read")
        .expect("v2");
    assert_eq!(info.via, "kehou serve /edit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_absence_is_repaired_on_the_page_and_pins_are_kept() {
    let s = school();
    let u = admin(&s).await;
    plan_and_publish(&s, &u).await;
    let v1 = holders(&s, 1);
    let mut duties_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (d, h) in &v1 {
        for x in h {
            duties_of.entry(x.as_str()).or_default().push(d.as_str());
        }
    }
    // The one with most duties is absent all week; pin someone else's duty.
    let (absent, gone) = duties_of
        .iter()
        .max_by_key(|(_, d)| d.len())
        .expect("someone");
    let (kept_staff, kept_duty) = duties_of
        .iter()
        .find(|(x, _)| *x != absent)
        .map(|(x, d)| (x.to_string(), d[0].to_string()))
        .expect("another");
    let seat = get(
        &s.router,
        &format!(
            "/week/{WEEK}/seat?{}",
            serde_urlencoded::to_string([("duty", &kept_duty)]).expect("query")
        ),
        &u.cookie,
    )
    .await;
    let pin = forms(&seat.body, "/pin")
        .into_iter()
        .find(|(f, _)| f["staff"] == kept_staff)
        .expect("pin form");
    let pinned = submit(&s, &u, &format!("/week/{WEEK}/pin"), &pin.0).await;
    assert_eq!(pinned.status, StatusCode::SEE_OTHER, "{}", pinned.body);
    let week = get(&s.router, &format!("/week/{WEEK}"), &u.cookie).await;
    assert!(week.body.contains("📌"), "the pin shows on the grid");
    // Pinning the absent person's duty, then asking for a repair, is refused.
    let mut f: BTreeMap<String, String> = BTreeMap::new();
    f.insert("absent".into(), absent.to_string());
    f.insert("from".into(), WEEK.into());
    f.insert("to".into(), "2026-12-13".into());
    let proposal = submit(&s, &u, &format!("/week/{WEEK}/repair"), &f).await;
    assert_eq!(proposal.status, StatusCode::SEE_OTHER, "{}", proposal.body);
    let draft = get(&s.router, &format!("/week/{WEEK}?view=draft"), &u.cookie).await;
    assert!(draft.body.contains("缺勤修复"), "{}", draft.body);
    assert!(draft.body.contains("原因") || draft.body.contains("Why"));
    publish_shown(&s, &u, &draft).await;
    let v2 = holders(&s, 2);
    for d in gone {
        assert!(
            !v2[*d].iter().any(|x| x == absent),
            "{absent} still holds {d}"
        );
    }
    assert!(v2[&kept_duty].contains(&kept_staff), "the pin was kept");
    let changed = v1.keys().filter(|d| v1.get(*d) != v2.get(*d)).count();
    assert!(
        changed >= gone.len() && changed <= 3 * gone.len(),
        "a small repair: {changed} changed for {} duties",
        gone.len()
    );
    let mut rec = Record::open(&s.ws.record).expect("record");
    let info = rec
        .read(|tx| tx.info(WEEK.parse().expect("date"), 2))
        .expect("read")
        .expect("v2");
    assert_eq!(info.via, "kehou serve /repair");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_reports_an_absence_and_the_vice_principal_answers_it() {
    let s = school();
    let u = admin(&s).await;
    plan_and_publish(&s, &u).await;
    let t1 = login(&s.router, "t1", PASSWORD).await;
    let mine = get(&s.router, &format!("/duties/{T1}?week={WEEK}"), &t1.cookie).await;
    let absence = forms(&mine.body, "/requests")
        .into_iter()
        .find(|(f, _)| f["kind"] == "absence")
        .expect("the absence form on the teacher's own page");
    let mut f = absence.0.clone();
    f.insert("from".into(), "2026-12-09".into());
    f.insert("to".into(), "2026-12-10".into());
    f.insert("note".into(), "外出培训".into());
    let sent = submit(&s, &t1, "/requests", &f).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    // The same request again is refused; a control character in the note is named.
    let twice = submit(&s, &t1, "/requests", &f).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);
    let mut bad = f.clone();
    bad.insert("note".into(), "a\u{1b}[31m".into());
    let refused = submit(&s, &t1, "/requests", &bad).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("「说明」"), "{}", refused.body);
    // A swap of a duty that is not theirs is refused.
    let mut swap = BTreeMap::new();
    swap.insert("kind".to_string(), "swap".to_string());
    swap.insert("duty".to_string(), "2026-12-08/nobody".to_string());
    swap.insert("from".to_string(), "2026-12-08".to_string());
    swap.insert("to".to_string(), "2026-12-08".to_string());
    let refused = submit(&s, &t1, "/requests", &swap).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    // Another teacher's page shows no request forms (and is refused anyway).
    let other = get(&s.router, &format!("/duties/{T2}?week={WEEK}"), &t1.cookie).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    // The vice-principal sees it with a repair form for those days.
    let week = get(&s.router, &format!("/week/{WEEK}"), &u.cookie).await;
    assert!(week.body.contains("外出培训"), "{}", week.body);
    let repair = forms(&week.body, "/repair")
        .into_iter()
        .find(|(f, _)| f.get("absent").map(String::as_str) == Some(T1) && f["from"] == "2026-12-09")
        .expect("a repair form for the request");
    assert_eq!(repair.0["to"], "2026-12-10");
    // The teacher cannot answer it; the admin answers once.
    let answer = forms(&week.body, "/answer")
        .into_iter()
        .find(|(f, _)| f["answer"] == "done")
        .expect("answer form");
    let path = "/requests/1/answer";
    assert_eq!(
        submit(&s, &t1, path, &answer.0).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        submit(&s, &u, path, &answer.0).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        submit(&s, &u, path, &answer.0).await.status,
        StatusCode::CONFLICT
    );
    let mine = get(&s.router, &format!("/duties/{T1}?week={WEEK}"), &t1.cookie).await;
    assert!(mine.body.contains("已处理 (admin"), "{}", mine.body);
}

/// The policy's versions saved from the web.
fn policy_versions(s: &School) -> Vec<kehou::record::policy_versions::PolicyVersion> {
    let mut rec = Record::open(&s.ws.record).expect("record");
    rec.read(|tx| tx.policy_versions()).expect("read")
}

/// The save form a diff page shows: its fields.
fn save_fields(page: &Reply) -> BTreeMap<String, String> {
    let f = forms(&page.body, "/admin/policy/save");
    assert_eq!(f.len(), 1, "one save form: {}", page.body);
    f[0].0.clone()
}

/// Issue 19, item 2: the winter cutoff changed through the form. With a
/// week published, the diff page shows that week's pay before and after
/// per person and the save needs the confirmation tick; saved, the file
/// and the history have it, the published roster is as it was, the next
/// plan uses it, a stale page cannot save over it, and restoring the
/// first version is a new save.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_form_change_shows_the_pay_effect_and_takes_effect_after_saving() {
    let s = school();
    let u = admin(&s).await;
    plan_and_publish(&s, &u).await;
    let week: chrono::NaiveDate = WEEK.parse().expect("date");
    let roster = |s: &School| {
        let mut rec = Record::open(&s.ws.record).expect("record");
        rec.read(|tx| tx.roster_bytes(week, 1)).expect("read")
    };
    let published = roster(&s);
    let original = std::fs::read_to_string(&s.ws.policy).expect("policy");
    let form = get(&s.router, "/admin/policy/form/seasons", &u.cookie).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.body
            .contains("name=\"seasons[0].cutoff\" value=\"17:00\""),
        "{}",
        form.body
    );
    // A bad value names the form field and changes nothing.
    let path = "/admin/policy/form/seasons";
    let bad = post(
        &s.router,
        path,
        &u.cookie,
        &[("csrf", &u.csrf), ("seasons[0].cutoff", "25:00")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert!(
        bad.body.contains("冬季作息 · 课后服务结束时间"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("未做任何更改"), "{}", bad.body);
    let diff = post(
        &s.router,
        path,
        &u.cookie,
        &[("csrf", &u.csrf), ("seasons[0].cutoff", "17:10")],
    )
    .await;
    assert_eq!(diff.status, StatusCode::OK, "{}", diff.body);
    for want in [
        "检查通过",
        "cutoff = &quot;17:10&quot;",
        "对已发布周报酬的影响",
        "周 2026-12-07",
        "name=\"confirm\"",
    ] {
        assert!(diff.body.contains(want), "{want}: {}", diff.body);
    }
    let mut fields = save_fields(&diff);
    assert!(fields["text"].contains("cutoff = \"17:10\""));
    assert_eq!(
        fields.remove("confirm").as_deref(),
        Some("1"),
        "the tick box"
    );
    fields.insert("note".into(), "冬季延后十分钟".into());
    // Without the tick: refused, nothing written.
    let refused = submit(&s, &u, "/admin/policy/save", &fields).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(
        refused.body.contains("确认已发布周的报酬变化"),
        "{}",
        refused.body
    );
    assert_eq!(
        std::fs::read_to_string(&s.ws.policy).expect("policy"),
        original
    );
    assert!(policy_versions(&s).is_empty());
    fields.insert("confirm".into(), "1".into());
    let saved = submit(&s, &u, "/admin/policy/save", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let versions = policy_versions(&s);
    assert_eq!(versions.len(), 2, "the file before, then the save");
    assert!(versions[0].pay_confirmed);
    assert_eq!(
        saved.location(),
        format!("/admin/policy/history/{}?saved=1", versions[0].id)
    );
    let now = std::fs::read_to_string(&s.ws.policy).expect("policy");
    assert_eq!(
        now,
        original.replacen("cutoff = \"17:00\"", "cutoff = \"17:10\"", 1)
    );
    assert_eq!(roster(&s), published, "the recorded duties are not touched");
    // Finance and leadership read the history; the version shows its note.
    for l in ["fin", "lead"] {
        let r = login(&s.router, l, PASSWORD).await;
        let list = get(&s.router, "/admin/policy/history", &r.cookie).await;
        assert!(list.body.contains("冬季延后十分钟"), "{l}: {}", list.body);
        let one = get(
            &s.router,
            &format!("/admin/policy/history/{}", versions[1].id),
            &r.cookie,
        )
        .await;
        assert_eq!(one.status, StatusCode::OK);
        assert!(
            one.body.contains("cutoff = &quot;17:00&quot;"),
            "{}",
            one.body
        );
        assert!(
            !one.body.contains("/restore"),
            "only the administrator restores"
        );
    }
    // A page shown before the save cannot save over it.
    let stale = submit(&s, &u, "/admin/policy/save", &fields).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    // The next plan of the week uses the new cutoff.
    let plan = format!("/week/{WEEK}/plan");
    post(&s.router, &plan, &u.cookie, &[("csrf", &u.csrf)]).await;
    wait_for_draft(&s, &u, WEEK).await;
    let draft = get(&s.router, &format!("/week/{WEEK}?view=draft"), &u.cookie).await;
    assert!(draft.body.contains("-17:10"), "{}", draft.body);
    // Restoring the file as it was: through the diff page, a new save.
    let restore = format!("/admin/policy/history/{}/restore", versions[1].id);
    let back = post(&s.router, &restore, &u.cookie, &[("csrf", &u.csrf)]).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    let mut fields = save_fields(&back);
    assert_eq!(fields["restored_from"], versions[1].id.to_string());
    fields.insert("confirm".into(), "1".into());
    let done = submit(&s, &u, "/admin/policy/save", &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(
        std::fs::read_to_string(&s.ws.policy).expect("policy"),
        original
    );
    let versions = policy_versions(&s);
    assert_eq!(versions.len(), 3);
    assert_eq!(versions[0].restored_from, Some(versions[2].id));
}

/// The text area's check names the line and key; a text that fails the
/// check has no save form, and a save of it is refused; a change that
/// pays no published week differently needs no tick; the save form has
/// its CSRF token.
#[tokio::test]
async fn the_policy_text_is_checked_and_a_bad_one_cannot_be_saved() {
    let s = school();
    let u = admin(&s).await;
    let original = std::fs::read_to_string(&s.ws.policy).expect("policy");
    let line = original
        .lines()
        .position(|l| l == "rate_per_keshi = 50.0      # yuan per 课时 (performance pay)")
        .expect("line")
        + 1;
    let bad = original.replacen("rate_per_keshi = 50.0", "rate_per_keshi = \"50\"", 1);
    let checked = post(
        &s.router,
        "/admin/policy/check",
        &u.cookie,
        &[("csrf", &u.csrf), ("text", &bad)],
    )
    .await;
    assert_eq!(checked.status, StatusCode::OK);
    assert!(checked.body.contains("检查未通过"), "{}", checked.body);
    assert!(
        checked.body.contains(&format!("policy.toml:{line}:")),
        "{}",
        checked.body
    );
    assert!(
        checked.body.contains("pay.rate_per_keshi"),
        "{}",
        checked.body
    );
    let diff = post(
        &s.router,
        "/admin/policy/diff",
        &u.cookie,
        &[("csrf", &u.csrf), ("text", &bad)],
    )
    .await;
    assert!(
        forms(&diff.body, "/admin/policy/save").is_empty(),
        "no save form"
    );
    let good = original.replacen("own_class = 3 ", "own_class = 4 ", 1);
    let diff = post(
        &s.router,
        "/admin/policy/diff",
        &u.cookie,
        &[("csrf", &u.csrf), ("text", &good.replace('\n', "\r\n"))],
    )
    .await;
    assert!(
        diff.body.contains("已发布各周的课时与报酬不变"),
        "{}",
        diff.body
    );
    let mut fields = save_fields(&diff);
    assert!(!diff.body.contains("name=\"confirm\""));
    assert_eq!(fields.get("csrf"), Some(&u.csrf));
    fields.insert("text".into(), bad.clone());
    let refused = submit(&s, &u, "/admin/policy/save", &fields).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(
        refused.body.contains("pay.rate_per_keshi"),
        "{}",
        refused.body
    );
    assert!(policy_versions(&s).is_empty());
    fields.insert("text".into(), good.replace('\n', "\r\n"));
    fields.remove("csrf");
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let no_csrf = post(&s.router, "/admin/policy/save", &u.cookie, &f).await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    let saved = submit(&s, &u, "/admin/policy/save", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        std::fs::read_to_string(&s.ws.policy).expect("policy"),
        good,
        "CR LF as LF"
    );
    assert!(!policy_versions(&s)[0].pay_confirmed);
}

// ---------------------------------------------------------------- the school's data (issue 19)

/// A multipart form with `fields` and one file, as a browser posts it.
async fn upload(
    r: &Router,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
    file: (&str, &[u8]),
) -> Reply {
    let b = "----kehouTestBoundary7MA4YWxk";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").bytes(),
        );
    }
    body.extend(
        format!("--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n", file.0)
            .bytes(),
    );
    body.extend(file.1);
    body.extend(format!("\r\n--{b}--\r\n").bytes());
    let req = Request::post(path).header(header::COOKIE, cookie).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={b}"),
    );
    send(r, req.body(Body::from(body)).expect("request")).await
}

fn staff_csv(s: &School) -> String {
    std::fs::read_to_string(s.ws.data.join("staff.csv")).expect("staff.csv")
}

fn fixture(name: &str) -> Vec<u8> {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::fs::read(root.join("tests/fixtures/import").join(name)).expect("fixture")
}

#[tokio::test]
async fn an_import_is_previewed_without_saving_and_saved_on_confirm() {
    let s = school();
    let u = admin(&s).await;
    let before = staff_csv(&s);
    let xlsx = fixture("staff-import.xlsx");
    let path = "/data/staff/import";
    let page = upload(
        &s.router,
        path,
        &u.cookie,
        &[("csrf", &u.csrf)],
        ("staff.xlsx", &xlsx),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("尚未保存任何内容"), "{}", page.body);
    assert!(
        page.body.contains("郑玉兰"),
        "the changed field with its old value"
    );
    assert_eq!(staff_csv(&s), before, "a preview saves nothing");
    let token = page.hidden("token").expect("a confirm form");
    // Another user's CSRF token, or none: refused, nothing saved.
    let no = post(
        &s.router,
        "/data/staff/import/confirm",
        &u.cookie,
        &[("token", &token)],
    )
    .await;
    assert_eq!(no.status, StatusCode::FORBIDDEN);
    assert_eq!(staff_csv(&s), before);
    let done = post(
        &s.router,
        "/data/staff/import/confirm",
        &u.cookie,
        &[("csrf", &u.csrf), ("token", &token)],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let after = staff_csv(&s);
    assert!(after.contains("T900,新老师,任课教师"), "{after}");
    assert!(after.contains("T002,郑玉华"), "{after}");
    assert_eq!(after.matches("T002,").count(), 1, "never twice");
    let history: Vec<_> = std::fs::read_dir(s.ws.data.join(".history"))
        .expect("a backup")
        .collect();
    assert_eq!(history.len(), 1);
    // The app reloaded: the new person is on the table page and in the school.
    let table = get(&s.router, "/data/staff", &u.cookie).await;
    assert!(table.body.contains("value=\"新老师\""), "{}", table.body);
    let duties = get(&s.router, "/duties/T900", &u.cookie).await;
    assert_eq!(duties.status, StatusCode::OK, "{}", duties.body);
    // A token is used once.
    let again = post(
        &s.router,
        "/data/staff/import/confirm",
        &u.cookie,
        &[("csrf", &u.csrf), ("token", &token)],
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_upload_with_bad_rows_shows_every_problem_and_cannot_be_confirmed() {
    let s = school();
    let u = admin(&s).await;
    let before = staff_csv(&s);
    let bad = fixture("staff-bad.xlsx");
    let page = upload(
        &s.router,
        "/data/staff/import",
        &u.cookie,
        &[("csrf", &u.csrf)],
        ("bad.xlsx", &bad),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    for want in [
        "bad.xlsx:2: 字段 `角色`: 发现 \"校长\"",
        "bad.xlsx:3: 字段 `班主任班级`",
        "bad.xlsx:4: 字段 `工作量系数`: 发现 \"99\"",
    ] {
        assert!(
            page.body.contains(&want.replace('"', "&quot;")),
            "{want}: {}",
            page.body
        );
    }
    assert!(page.hidden("token").is_none(), "no confirm form");
    assert_eq!(staff_csv(&s), before);
    // Without a CSRF token the upload itself is refused.
    let no = upload(
        &s.router,
        "/data/staff/import",
        &u.cookie,
        &[],
        ("bad.xlsx", &bad),
    )
    .await;
    assert_eq!(no.status, StatusCode::FORBIDDEN);
    // A teacher may not upload at all.
    let t = login(&s.router, "t1", PASSWORD).await;
    let no = upload(
        &s.router,
        "/data/staff/import",
        &t.cookie,
        &[("csrf", &t.csrf)],
        ("x.csv", b"a"),
    )
    .await;
    assert_eq!(no.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_row_edit_with_a_bad_value_is_refused_naming_the_field() {
    let s = school();
    let u = admin(&s).await;
    let before = staff_csv(&s);
    let row = |role: &'static str, name: &'static str| {
        vec![
            ("key", "T001"),
            ("action", "save"),
            ("f_id", "T001"),
            ("f_name", name),
            ("f_role", role),
            ("f_subject", "数学"),
            ("f_homeroom_class", "1-1"),
            ("f_active", "是"),
        ]
    };
    let mut bad = row("校长", "黄建华");
    bad.push(("csrf", &u.csrf));
    let reply = post(&s.router, "/data/staff/row", &u.cookie, &bad).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(reply.body.contains("field-error"), "{}", reply.body);
    assert!(
        reply.body.contains("角色: 发现 &quot;校长&quot;"),
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("value=\"校长\""),
        "what was typed stays"
    );
    assert_eq!(staff_csv(&s), before, "nothing saved");
    // Checked as typed (check=1, no button): the row's verdict, nothing
    // saved, good or bad.
    let live = |r: Vec<(&'static str, &'static str)>| {
        let mut f: Vec<(&str, &str)> = r.into_iter().filter(|(k, _)| *k != "action").collect();
        f.push(("check", "1"));
        f
    };
    let mut typed = live(row("校长", "黄建华"));
    typed.push(("csrf", &u.csrf));
    let reply = post(&s.router, "/data/staff/row", &u.cookie, &typed).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let check = reply
        .body
        .split("id=\"check-r0\"")
        .nth(1)
        .expect("row 1's verdict");
    let check = &check[..check.find("</div>").unwrap_or(check.len())];
    assert!(
        check.contains("校长"),
        "the problem in the row's verdict: {check}"
    );
    assert!(
        !reply.body.contains("未保存"),
        "a live check is no refused save"
    );
    let mut typed = live(row("班主任", "黄建国"));
    typed.push(("csrf", &u.csrf));
    let reply = post(&s.router, "/data/staff/row", &u.cookie, &typed).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("✓ 可以保存"), "{}", reply.body);
    assert_eq!(staff_csv(&s), before, "a live check saves nothing");
    let mut good = row("班主任", "黄建国");
    good.push(("csrf", &u.csrf));
    let reply = post(&s.router, "/data/staff/row", &u.cookie, &good).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert!(staff_csv(&s).contains("T001,黄建国,班主任"));
    // Add a row, then delete it.
    let add = [
        ("csrf", u.csrf.as_str()),
        ("action", "add"),
        ("f_id", "T950"),
        ("f_name", "新来的"),
        ("f_role", "行政"),
    ];
    let reply = post(&s.router, "/data/staff/row", &u.cookie, &add).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert!(staff_csv(&s).contains("T950,新来的,行政"));
    let dup = post(&s.router, "/data/staff/row", &u.cookie, &add).await;
    assert_eq!(dup.status, StatusCode::BAD_REQUEST, "a second T950");
    let del = [
        ("csrf", u.csrf.as_str()),
        ("action", "delete"),
        ("key", "T950"),
    ];
    let reply = post(&s.router, "/data/staff/row", &u.cookie, &del).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert!(!staff_csv(&s).contains("T950"));
    // Finance reads the table but has no forms.
    let f = login(&s.router, "fin", PASSWORD).await;
    let page = get(&s.router, "/data/staff", &f.cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("黄建国") && !page.body.contains("/data/staff/row"));
}

#[tokio::test]
async fn the_export_and_the_template_download() {
    let s = school();
    let u = admin(&s).await;
    let csv = get(&s.router, "/data/staff/export.csv", &u.cookie).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(
        csv.body.trim_start_matches('\u{feff}'),
        staff_csv(&s).trim_start_matches('\u{feff}')
    );
    let xlsx = get(&s.router, "/data/leave/template.xlsx", &u.cookie).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with("PK"), "a workbook");
}

/// Each what-if form field that cannot be used is named (400), and no
/// study starts.
#[tokio::test]
async fn whatif_forms_name_the_bad_field_and_start_nothing() {
    let s = school();
    let u = admin(&s).await;
    let ok = [("name", "方案"), ("week", WEEK)];
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("week", WEEK), ("cutoff", "17:30")], "方案名称"),
        (vec![("name", "x"), ("week", "2026-02-30")], "周"),
        (
            vec![
                ("leave_staff", "T999"),
                ("leave_from", WEEK),
                ("leave_to", WEEK),
            ],
            "T999",
        ),
        (
            vec![
                ("leave_staff", T1),
                ("leave_from", "2026-12-09"),
                ("leave_to", WEEK),
            ],
            "休假结束",
        ),
        (
            vec![
                ("leave_staff", T1),
                ("leave_from", "soon"),
                ("leave_to", WEEK),
            ],
            "休假开始",
        ),
        (vec![("leaving_staff", "T001, X1")], "离校人员"),
        (vec![("hire_count", "many")], "新进人数"),
        (
            vec![("hire_count", "2"), ("hire_role", "janitor")],
            "新进人员角色",
        ),
        (
            vec![("enroll_at", "9"), ("enroll_by", "+5")],
            "报名变化的年级或班级",
        ),
        (vec![("enroll_at", "1"), ("enroll_by", "lots")], "报名变化"),
        (vec![("club_id", "C99"), ("club_name", "")], "新社团名称"),
        (
            vec![
                ("club_id", "C99"),
                ("club_name", "篮球"),
                ("club_days", "周八"),
            ],
            "新社团星期",
        ),
        (
            vec![
                ("club_id", "C99"),
                ("club_name", "篮球"),
                ("club_days", "周二"),
                ("club_session", "nope"),
            ],
            "新社团时段",
        ),
        (vec![("remove_club", "NOPE")], "撤销社团"),
        (vec![("cutoff", "five")], "下午结束时间"),
        (
            vec![("set_key", "no_such.key"), ("set_value", "6")],
            "规则键",
        ),
        (
            vec![
                ("set_key", "staff_rules.max_duties_per_week"),
                ("set_value", "six of them"),
            ],
            "新值",
        ),
        (vec![], "至少填写"),
    ];
    for (fields, want) in cases {
        let mut f = vec![("csrf", u.csrf.as_str())];
        for (k, v) in ok {
            let given = fields.iter().any(|(x, _)| *x == k);
            let left_out = want == "方案名称" && k == "name";
            if !given && !left_out {
                f.push((k, v));
            }
        }
        f.extend(fields.iter().copied());
        let r = post(&s.router, "/whatif/new", &u.cookie, &f).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{f:?}: {}", r.body);
        assert!(r.body.contains(want), "{f:?}: {}", r.body);
        assert!(r.body.contains("未做任何更改"), "{f:?}: {}", r.body);
    }
    // In English, the field's English name.
    let r = post(
        &s.router,
        "/whatif/new?lang=en",
        &u.cookie,
        &[
            ("csrf", &u.csrf),
            ("name", "x"),
            ("week", WEEK),
            ("cutoff", "five"),
        ],
    )
    .await;
    assert!(
        r.body.contains("afternoon ends at: expected a time"),
        "{}",
        r.body
    );
    // A scenario file with a mistake: its line and field.
    let file = "[baseline]\npolicy = \"p\"\ndata = \"d\"\nweeks = [2026-12-07]\n\n[[scenario]]\nname = \"a\"\nchanges = [{ type = \"hire\", count = \"two\", role = \"subject\" }]\n";
    let r = post(
        &s.router,
        "/whatif/upload",
        &u.cookie,
        &[("csrf", &u.csrf), ("file", file)],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(
        r.body.contains("方案文件") && r.body.contains(":8"),
        "{}",
        r.body
    );
    assert!(r.body.contains("changes[0].count"), "{}", r.body);
    // The same file chosen as a file: named by its file name and line;
    // without the CSRF field, refused.
    let r = upload(
        &s.router,
        "/whatif/upload",
        &u.cookie,
        &[("csrf", &u.csrf)],
        ("study.toml", file.as_bytes()),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("study.toml:8"), "{}", r.body);
    let r = upload(
        &s.router,
        "/whatif/upload",
        &u.cookie,
        &[],
        ("study.toml", file.as_bytes()),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let list = get(&s.router, "/whatif", &u.cookie).await;
    assert!(list.body.contains("还没有运行过"), "{}", list.body);
}

/// A scenario built from the form runs in the background; its page shows
/// the comparison with the baseline and charts; finance reads it; the
/// scenario file downloaded is read by `kehou whatif`'s loader as the
/// same scenario.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whatif_study_runs_and_compares_with_the_baseline() {
    let s = school();
    let u = admin(&s).await;
    let f = [
        ("csrf", u.csrf.as_str()),
        ("name", "新进两名教师"),
        ("week", WEEK),
        ("hire_count", "2"),
        ("hire_role", "subject"),
        ("hire_subject", "语文"),
    ];
    let started = post(&s.router, "/whatif/new", &u.cookie, &f).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let at = started.location();
    assert!(at.starts_with("/whatif/"), "{at}");
    let t0 = Instant::now();
    let page = loop {
        let page = get(&s.router, &at, &u.cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        if page.body.contains("与基线对比") {
            break page;
        }
        assert!(page.body.contains("正在运行"), "{}", page.body);
        assert!(page.body.contains("http-equiv=\"refresh\""));
        assert!(
            t0.elapsed() < Duration::from_secs(400),
            "the study took over 400 s"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert!(
        !page.body.contains("http-equiv=\"refresh\""),
        "done: no more refresh"
    );
    assert!(!page.body.contains("失败"), "{}", page.body);
    for want in [
        "基线",
        "新进两名教师",
        "最高相对负荷",
        "未覆盖: 必保任务",
        "课后服务费用 (元)",
        "与基线相比变更的安排",
    ] {
        assert!(page.body.contains(want), "{want}: {}", page.body);
    }
    // Grouped bars for both, and each one's coverage per day.
    assert!(page.body.contains("data-series=\"基线\""), "{}", page.body);
    assert!(page.body.contains("data-series=\"新进两名教师\""));
    assert!(page.body.contains("每日覆盖: 基线"), "{}", page.body);
    assert!(page.body.contains("每日覆盖: 新进两名教师"));
    assert!(page.body.contains("<desc>"));
    // Finance reads it (and may not start one); a teacher may not.
    let fin = login(&s.router, "fin", PASSWORD).await;
    assert_eq!(
        get(&s.router, &at, &fin.cookie).await.status,
        StatusCode::OK
    );
    let list = get(&s.router, "/whatif", &fin.cookie).await;
    assert!(
        list.body.contains("新进两名教师") && !list.body.contains("/whatif/new"),
        "{}",
        list.body
    );
    let t = login(&s.router, "t1", PASSWORD).await;
    assert_eq!(
        get(&s.router, &at, &t.cookie).await.status,
        StatusCode::FORBIDDEN
    );
    // The scenario file, as the command line reads it.
    let file = get(&s.router, &format!("{at}/file"), &fin.cookie).await;
    assert_eq!(file.status, StatusCode::OK);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("study.toml");
    std::fs::write(&path, &file.body).expect("write");
    let study = kehou::studies::whatif::load(&path).expect("kehou whatif reads it");
    assert_eq!(
        study.weeks,
        vec![chrono::NaiveDate::from_ymd_opt(2026, 12, 7).expect("date")]
    );
    assert_eq!(study.scenarios.len(), 1);
    assert_eq!(study.scenarios[0].name, "新进两名教师");
    assert!(matches!(
        &study.scenarios[0].changes[..],
        [kehou::studies::whatif::Change::Hire { count: 2, role, subject, .. }] if role == "subject" && subject == "语文"
    ));
    assert_eq!(
        std::fs::canonicalize(&study.policy_path).expect("policy"),
        std::fs::canonicalize(&s.ws.policy).expect("policy")
    );
}
