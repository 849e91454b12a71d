//! Logging in and out. The login form carries a CSRF token from its own
//! cookie (there is no session yet); failures are rate-limited per client
//! address and per account, and the message never says which of the two
//! was wrong.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use maud::html;

use crate::lang::Lang;

use crate::web::auth::{self, LOGIN_CSRF_COOKIE};
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, page, Fail};
use crate::web::{blocking, Shared};

/// The login form (a logged-in user goes to the start page).
pub(crate) async fn form(Extension(cx): Extension<Cx>) -> Response {
    if cx.me.is_some() {
        return Redirect::to("/").into_response();
    }
    login_page(&cx, StatusCode::OK, None)
}

/// The form, with a message after a failure; it sets the CSRF cookie.
fn login_page(cx: &Cx, status: StatusCode, message: Option<&str>) -> Response {
    let lang = cx.lang;
    let token = match cx.login_csrf.clone().filter(|t| t.len() == 64) {
        Some(t) => t,
        None => match auth::token() {
            Ok(t) => t,
            Err(e) => return Fail::from_error(lang, &e).into_response(),
        },
    };
    let body = html! {
        @if let Some(m) = message { p.error { (m) } }
        form.stack method="post" action="/login" {
            (csrf_field(&token))
            label { (lang.t("账号", "Login")) input name="login" autocomplete="username" required; }
            label { (lang.t("密码", "Password")) input name="password" type="password" autocomplete="current-password" required; }
            button type="submit" { (lang.t("登录", "Log in")) }
        }
    };
    let mut resp = (
        status,
        crate::web::layout::ok(page(lang, lang.t("登录", "Log in"), None, body)),
    )
        .into_response();
    let cookie = format!("{LOGIN_CSRF_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

/// Check the password (argon2, off the async threads); a session cookie.
pub(crate) async fn submit(State(st): State<Shared>, Extension(cx): Extension<Cx>) -> Response {
    let lang = cx.lang;
    let login = cx.field("login").to_string();
    let password = cx.form.get("password").cloned().unwrap_or_default();
    if login.is_empty() || password.is_empty() {
        let field = if login.is_empty() {
            lang.t("账号", "login")
        } else {
            lang.t("密码", "password")
        };
        let msg = match lang {
            Lang::Zh => format!("请填写「{field}」"),
            Lang::En => format!("please fill in the {field}"),
        };
        return login_page(&cx, StatusCode::BAD_REQUEST, Some(&msg));
    }
    let keys = [format!("ip {}", cx.client), format!("login {login}")];
    if let Some(wait) = st.limiter.wait(&keys) {
        let mins = wait.as_secs().div_ceil(60).max(1);
        let msg = match lang {
            Lang::Zh => format!("登录失败次数过多, 请 {mins} 分钟后再试"),
            Lang::En => format!("too many failed logins; try again in {mins} minute(s)"),
        };
        return Fail::new(StatusCode::TOO_MANY_REQUESTS, lang, msg).into_response();
    }
    let st2 = st.clone();
    let found = blocking(move || {
        st2.with_record(|rec| {
            let user = rec.read(|tx| tx.user_by_login(&login))?;
            // An unknown login costs as much time as a wrong password.
            let stored = user
                .as_ref()
                .map_or(auth::dummy_hash(), |u| u.password_hash.as_str());
            let good = auth::verify_password(&password, stored);
            match user.filter(|_| good) {
                Some(u) => Ok(Some(auth::open_session(rec, &u)?)),
                None => Ok(None),
            }
        })
    })
    .await;
    match found {
        Ok(Some(token)) => {
            st.limiter.succeed(&keys[1]);
            let mut resp = Redirect::to("/").into_response();
            if let Ok(v) = HeaderValue::from_str(&auth::session_cookie(&token)) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            resp
        }
        Ok(None) => {
            st.limiter.fail(&keys);
            let msg = lang.t("账号或密码不对", "wrong login or password");
            login_page(&cx, StatusCode::UNAUTHORIZED, Some(msg))
        }
        Err(e) => Fail::from_error(lang, &e).into_response(),
    }
}

/// End the session; the cookie is removed.
pub(crate) async fn logout(State(st): State<Shared>, Extension(cx): Extension<Cx>) -> Response {
    if let Some(t) = cx.token.clone() {
        let h = auth::token_hash(&t);
        let done = st
            .db(move |rec| rec.write(|tx| tx.end_session(&h, auth::unix_now())))
            .await;
        if let Err(e) = done {
            return Fail::from_error(cx.lang, &e).into_response();
        }
    }
    let mut resp = Redirect::to("/login").into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::session_cookie("")) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}
