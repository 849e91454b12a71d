//! One file per page. Every handler gets what the guard found (`Cx`):
//! the language, the session, a POST's checked form.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::NaiveDate;

use crate::input::limits::date_in_range;
use crate::lang::Lang;
use crate::record::accounts::{Role, Session};

use super::guard::Cx;
use super::layout::Fail;
use super::Shared;

pub(crate) mod apply;
pub(crate) mod apply_clubs;
pub(crate) mod apply_family;
pub(crate) mod apply_import;
pub(crate) mod apply_offer;
pub(crate) mod appraisal;
pub(crate) mod calendar;
pub(crate) mod changes;
pub(crate) mod comp;
pub(crate) mod data;
pub(crate) mod duties;
pub(crate) mod duty;
pub(crate) mod duty_parts;
pub(crate) mod edit;
pub(crate) mod emergency;
pub(crate) mod family;
pub(crate) mod grid;
pub(crate) mod login;
pub(crate) mod password;
pub(crate) mod policy;
pub(crate) mod policy_history;
pub(crate) mod print;
pub(crate) mod repair;
pub(crate) mod reports;
pub(crate) mod requests;
pub(crate) mod robot;
pub(crate) mod surveys;
pub(crate) mod trend;
pub(crate) mod users;
pub(crate) mod week;
pub(crate) mod whatif;
pub(crate) mod whatif_form;
pub(crate) mod workload;

const CSS: &str = include_str!("../assets/app.css");
const LIVE_JS: &str = include_str!("../assets/live.js");

/// The one script: live checks of forms marked `data-live` (the pages
/// work without it).
pub(crate) async fn live_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        LIVE_JS,
    )
        .into_response()
}

/// The stylesheet, embedded in the binary.
pub(crate) async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

/// A download: its type, its file name and its bytes.
pub(crate) fn download(kind: &str, name: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The start page of each role.
pub(crate) async fn home(State(_st): State<Shared>, Extension(cx): Extension<Cx>) -> Response {
    let Ok(me) = me(&cx) else {
        return Redirect::to("/login").into_response();
    };
    let to = match me.user.role {
        Role::Teacher => "/me".to_string(),
        Role::Finance => "/workload".to_string(),
        Role::Admin | Role::Leadership => format!("/week/{}", this_monday()),
    };
    Redirect::to(&to).into_response()
}

/// The session of a route that needs one (the guard made sure).
pub(crate) fn me(cx: &Cx) -> Result<&Session, Fail> {
    cx.me.as_ref().ok_or_else(|| {
        Fail::new(
            StatusCode::FORBIDDEN,
            cx.lang,
            cx.lang.t("请先登录", "please log in first"),
        )
    })
}

/// Today's Monday (local time).
pub(crate) fn this_monday() -> NaiveDate {
    crate::calendar::monday_of(chrono::Local::now().date_naive())
}

/// A date from a path or query field, named in the message when it is not one.
pub(crate) fn date_field(lang: Lang, field: &str, s: &str) -> Result<NaiveDate, Fail> {
    s.parse::<NaiveDate>()
        .ok()
        .filter(|d| date_in_range(*d))
        .ok_or_else(|| {
            Fail::field(
                lang,
                field,
                lang.t(
                    "应为 2000-01-01 至 2100-12-31 之间的日期, 如 2026-12-07",
                    "expected a date from 2000-01-01 to 2100-12-31, such as 2026-12-07",
                ),
            )
        })
}

/// The Monday of a path's `{monday}` (any day of its week), or a page
/// naming the field.
pub(crate) fn week_path(lang: Lang, s: &str) -> Result<NaiveDate, Fail> {
    date_field(lang, lang.t("周", "week"), s).map(crate::calendar::monday_of)
}

/// The `week` query field (any day of the week), else this week; its Monday.
pub(crate) fn week_query(cx: &Cx) -> Result<NaiveDate, Fail> {
    match cx.query.get("week").filter(|s| !s.is_empty()) {
        Some(s) => date_field(cx.lang, cx.lang.t("周", "week"), s).map(crate::calendar::monday_of),
        None => Ok(this_monday()),
    }
}
