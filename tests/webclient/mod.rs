#![allow(dead_code)]
//! An in-process client of the web app (tower's `oneshot`, no network):
//! a workspace from a shipped dataset, logging in, pages and forms. Used by
//! the page-timing bench (`benches/web.rs`) and `tests/notify.rs`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use kehou::web::{App, Role, Workspace};
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

/// A workspace in a temporary folder holding one shipped dataset.
pub struct School {
    _dir: tempfile::TempDir,
    pub ws: Workspace,
    pub router: Router,
}

/// The demo workspace with `datasets/{dataset}` as its data, and an
/// administrator `boss` with [`PASSWORD`].
pub fn school(dataset: &str) -> School {
    let dir = tempfile::tempdir().expect("temp dir");
    let (ws, _) = Workspace::demo(&dir.path().join("ws")).expect("demo workspace");
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("datasets")
        .join(dataset);
    for f in std::fs::read_dir(&src).expect("dataset") {
        let f = f.expect("entry").path();
        let name = f.file_name().expect("file name");
        std::fs::copy(&f, ws.data.join(name)).expect("copy");
    }
    let app = App::new(&ws).expect("app");
    app.add_account("boss", Role::Admin, None, PASSWORD)
        .expect("boss");
    let router = app.router();
    School {
        _dir: dir,
        ws,
        router,
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }
    /// The first hidden field `name`'s value.
    pub fn hidden(&self, name: &str) -> Option<String> {
        let at = self.body.find(&format!("name=\"{name}\" value=\""))?;
        let rest = &self.body[at + name.len() + 15..];
        Some(rest[..rest.find('"')?].to_string())
    }
}

pub async fn send(r: &Router, req: Request<Body>) -> Reply {
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

pub async fn get(r: &Router, path: &str, cookie: &str) -> Reply {
    let req = Request::get(path).header(header::COOKIE, cookie);
    send(r, req.body(Body::empty()).expect("request")).await
}

pub async fn post(r: &Router, path: &str, cookie: &str, form: &[(&str, &str)]) -> Reply {
    let body = serde_urlencoded::to_string(form).expect("form");
    let req = Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    send(r, req.body(Body::from(body)).expect("request")).await
}

/// A logged-in user: the cookie header to send and the session's CSRF token.
pub struct User {
    pub cookie: String,
    pub csrf: String,
}

pub async fn login(r: &Router, login: &str, password: &str) -> User {
    let page = get(r, "/login", "").await;
    let csrf = page.hidden("csrf").expect("login form has a csrf field");
    let cookie = format!("kehou_login_csrf={csrf}");
    let form = [
        ("csrf", csrf.as_str()),
        ("login", login),
        ("password", password),
    ];
    let reply = post(r, "/login", &cookie, &form).await;
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

/// Every form posting to a path ending in `action`: its fields and text.
pub fn forms(html: &str, action: &str) -> Vec<(BTreeMap<String, String>, String)> {
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
                    let v = i.value();
                    Some((v.attr("name")?.to_string(), v.attr("value")?.to_string()))
                })
                .collect();
            (fields, f.text().collect::<String>())
        })
        .collect()
}

/// Post a form's fields with the user's CSRF token.
pub async fn submit(r: &Router, u: &User, path: &str, fields: &BTreeMap<String, String>) -> Reply {
    let mut f: Vec<(&str, &str)> = fields
        .iter()
        .filter(|(k, _)| k.as_str() != "csrf")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    f.push(("csrf", &u.csrf));
    post(r, path, &u.cookie, &f).await
}

/// The week page once the planning job has a draft.
pub async fn wait_for_draft(r: &Router, u: &User, week: &str) -> Reply {
    let t0 = Instant::now();
    loop {
        let page = get(r, &format!("/week/{week}"), &u.cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        if page.body.contains("name=\"draft\"") {
            return page;
        }
        assert!(!page.body.contains("排班未完成"), "planning failed");
        assert!(
            t0.elapsed() < Duration::from_secs(600),
            "planning over 10 min"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Plan `week` and publish the draft; the week page after.
pub async fn plan_and_publish(r: &Router, u: &User, week: &str) -> Reply {
    post(
        r,
        &format!("/week/{week}/plan"),
        &u.cookie,
        &[("csrf", &u.csrf)],
    )
    .await;
    let page = wait_for_draft(r, u, week).await;
    let draft = page.hidden("draft").expect("draft id");
    let base = page.hidden("base").expect("base");
    let f = [
        ("csrf", u.csrf.as_str()),
        ("draft", &draft),
        ("base", &base),
    ];
    let done = post(r, &format!("/week/{week}/publish"), &u.cookie, &f).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    get(r, &format!("/week/{week}"), &u.cookie).await
}
