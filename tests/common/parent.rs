#![allow(dead_code)]
//! A parent's browser on `/family` for the page tests (tests/family_apply_web.rs,
//! tests/family_parent_web.rs): the open forms' token and cookies, the
//! code typed, a code issued on its slip.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;

use super::apply_school::School;
use super::http::{get_with as get, post, send, Reply, User};

pub fn cell(body: &str, id: &str) -> String {
    let at = body.find(&format!("id=\"{id}\">")).expect(id);
    let rest = &body[at + id.len() + 6..];
    rest[..rest.find("</").expect("cell end")].to_string()
}

/// A cookie a reply sets, as `name=value`.
pub fn set_cookie(r: &Reply, name: &str) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

/// A parent's browser: the open forms' token and cookies.
pub struct Parent {
    pub csrf: String,
    pub cookie: String,
}

pub async fn parent(r: &Router) -> Parent {
    let page = get(r, "/family", "").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.hidden("csrf").expect("csrf");
    let cookie = set_cookie(&page, "kehou_login_csrf").expect("csrf cookie");
    Parent { csrf, cookie }
}

pub async fn open_post(r: &Router, path: &str, p: &Parent, form: &[(&str, &str)]) -> Reply {
    let mut f = vec![("csrf", p.csrf.as_str())];
    f.extend_from_slice(form);
    let body = serde_urlencoded::to_string(&f).expect("form");
    let req = Request::post(path)
        .header(header::COOKIE, &p.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    send(r, req.body(Body::from(body)).expect("request")).await
}

/// A new code for pupil `id`, from the slip.
pub async fn issue(s: &School, u: &User, id: i64) -> String {
    let r = post(&s.router, &format!("/pupils/{id}/code"), u, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    cell(&r.body, "code")
}

/// The parent enters the code: the family session's cookie joins theirs.
pub async fn enter(s: &School, p: &mut Parent, code: &str) -> Reply {
    let r = open_post(&s.router, "/family", p, &[("code", code)]).await;
    if let Some(c) = set_cookie(&r, "kehou_family") {
        p.cookie = format!("{}; {c}", p.cookie);
    }
    r
}

/// The parent types `code` through the school's proxy: the request comes
/// from `peer`, with `forwarded` as its `X-Forwarded-For`.
pub async fn enter_via(
    s: &School,
    p: &mut Parent,
    code: &str,
    peer: &str,
    forwarded: &str,
) -> Reply {
    let f = [("csrf", p.csrf.as_str()), ("code", code)];
    let body = serde_urlencoded::to_string(f).expect("form");
    let mut req = Request::post("/family")
        .header(header::COOKIE, &p.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-for", forwarded)
        .body(Body::from(body))
        .expect("request");
    let peer: SocketAddr = peer.parse().expect("peer address");
    req.extensions_mut().insert(ConnectInfo(peer));
    let r = send(&s.router, req).await;
    if let Some(c) = set_cookie(&r, "kehou_family") {
        p.cookie = format!("{}; {c}", p.cookie);
    }
    r
}
