#![allow(dead_code)]
//! In-process HTTP for the tests of issue 20's items 3 and 4: send a
//! request to the router, log in, post a form with the session's CSRF
//! token, and read a table row or a hidden field back.

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
    /// The value of the cookie `name` the reply sets, if any.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .and_then(|v| v.split(';').next())
            .map(|p| p[name.len() + 1..].to_string())
    }
}

pub async fn send(r: &Router, req: Request<Body>) -> Reply {
    let resp = r.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .unwrap()
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

pub async fn get(r: &Router, path: &str, cookie: &str) -> Reply {
    let req = Request::get(path).header(header::COOKIE, cookie);
    send(r, req.body(Body::empty()).unwrap()).await
}

/// Post `form` with `cookie`; the caller puts the `csrf` field in.
pub async fn post(r: &Router, path: &str, cookie: &str, form: &[(&str, &str)]) -> Reply {
    let body = serde_urlencoded::to_string(form).unwrap();
    let req = Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    send(r, req.body(Body::from(body)).unwrap()).await
}

pub fn hidden(body: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = body.find(&key).unwrap() + key.len();
    body[at..at + body[at..].find('"').unwrap()].to_string()
}

/// A logged-in user: the session cookie and its CSRF token.
pub struct User {
    pub cookie: String,
    pub csrf: String,
}

impl User {
    /// Post `form` with this user's cookie and CSRF token.
    pub async fn post(&self, r: &Router, path: &str, form: &[(&str, &str)]) -> Reply {
        let mut f = vec![("csrf", self.csrf.as_str())];
        f.extend_from_slice(form);
        post(r, path, &self.cookie, &f).await
    }

    pub async fn get(&self, r: &Router, path: &str) -> Reply {
        get(r, path, &self.cookie).await
    }
}

pub async fn login(r: &Router, login: &str) -> User {
    let page = get(r, "/login", "").await;
    let csrf = hidden(&page.body, "csrf");
    let reply = post(
        r,
        "/login",
        &format!("kehou_login_csrf={csrf}"),
        &[
            ("csrf", csrf.as_str()),
            ("login", login),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{login}");
    let cookie = format!("kehou_session={}", reply.cookie("kehou_session").unwrap());
    let page = get(r, "/password", &cookie).await;
    let csrf = hidden(&page.body, "csrf");
    User { cookie, csrf }
}

/// The cells of the table row whose first cell is `first`, if any.
pub fn row(body: &str, first: &str) -> Option<Vec<String>> {
    let key = format!("<tr><td>{first}</td>");
    let at = body.find(&key)? + "<tr>".len();
    let end = at + body[at..].find("</tr>")?;
    Some(
        body[at..end]
            .split("<td>")
            .filter(|c| !c.is_empty())
            .map(|c| c.trim_end_matches("</td>").to_string())
            .collect(),
    )
}
