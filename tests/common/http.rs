#![allow(dead_code)]
//! In-process HTTP for the page tests: a request through the router, a
//! login with its cookie and CSRF token (as tests/applications_web.rs).

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    pub body: String,
}

impl Reply {
    pub fn hidden(&self, name: &str) -> Option<String> {
        let key = format!("name=\"{name}\" value=\"");
        let at = self.body.find(&key)? + key.len();
        let rest = &self.body[at..];
        Some(rest[..rest.find('"')?].to_string())
    }
}

pub struct User {
    pub cookie: String,
    pub csrf: String,
}

pub async fn send(r: &Router, req: Request<Body>) -> Reply {
    let resp = r.clone().oneshot(req).await.expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    let body = String::from_utf8_lossy(&bytes).into_owned();
    Reply {
        status,
        headers,
        bytes,
        body,
    }
}

pub async fn get(r: &Router, path: &str, u: &User) -> Reply {
    get_with(r, path, &u.cookie).await
}

/// A GET with exactly this cookie header ("" for none).
pub async fn get_with(r: &Router, path: &str, cookie: &str) -> Reply {
    let req = Request::get(path).header(header::COOKIE, cookie);
    send(r, req.body(Body::empty()).expect("request")).await
}

/// A POST with the user's CSRF token and `form`.
pub async fn post(r: &Router, path: &str, u: &User, form: &[(&str, &str)]) -> Reply {
    let mut f = vec![("csrf", u.csrf.as_str())];
    f.extend_from_slice(form);
    post_raw(r, path, &u.cookie, &f).await
}

/// A POST of exactly `form` (no token added).
pub async fn post_raw(r: &Router, path: &str, cookie: &str, form: &[(&str, &str)]) -> Reply {
    let body = serde_urlencoded::to_string(form).expect("form");
    let req = Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    send(r, req.body(Body::from(body)).expect("request")).await
}

pub async fn login(r: &Router, login: &str) -> User {
    let anon = User {
        cookie: String::new(),
        csrf: String::new(),
    };
    let page = get(r, "/login", &anon).await;
    let csrf = page.hidden("csrf").expect("csrf");
    let form = [
        ("csrf", csrf.as_str()),
        ("login", login),
        ("password", PASSWORD),
    ];
    let reply = post_raw(r, "/login", &format!("kehou_login_csrf={csrf}"), &form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{login}");
    let set = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("kehou_session="))
        .expect("session cookie")
        .to_string();
    let cookie = set.split(';').next().expect("pair").to_string();
    let page = get(
        r,
        "/password",
        &User {
            cookie: cookie.clone(),
            csrf: String::new(),
        },
    )
    .await;
    let csrf = page.hidden("csrf").expect("csrf");
    User { cookie, csrf }
}
