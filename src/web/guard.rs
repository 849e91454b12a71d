//! Who may use which route, checked for every request in one place.
//!
//! `ACCESS` lists every route with the roles allowed (`None`: no login
//! needed). The `guard` middleware runs on every matched route: it finds
//! the session, refuses a role the table does not list (403) and, on every
//! POST, checks the form's CSRF token against the session's (the login
//! form's against its cookie) before the handler runs, so a refused form
//! writes nothing. A route missing from the table is refused to everyone.
//! Handlers get what the guard found as a [`Cx`].

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::lang::Lang;
use crate::record::accounts::{Role, Session};

use super::auth::{self, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use super::layout::Fail;
use super::upload::{self, Upload};
use super::Shared;

/// One route and who may use it.
pub(crate) struct Access {
    pub method: &'static str,
    pub path: &'static str,
    /// `None`: anyone, logged in or not.
    pub roles: Option<&'static [Role]>,
    /// Usable before a one-time password is changed.
    pub first: bool,
}

const ALL: &[Role] = &Role::ALL;
const READ: &[Role] = &[Role::Admin, Role::Finance, Role::Leadership];
const ADMIN: &[Role] = &[Role::Admin];
/// Who may start a what-if study.
const RUN_STUDY: &[Role] = &[Role::Admin, Role::Leadership];
/// Who reads the surveys' results.
const SURVEY_RESULTS: &[Role] = &[Role::Admin, Role::Leadership];
/// A teacher their own calendar token, the administrator anyone's.
const OWN_CALENDAR: &[Role] = &[Role::Admin, Role::Teacher];
/// The duty pages: a teacher the duties they hold that day (and their
/// class's flags), the administrator all (`pages::duty` checks the hold).
const ON_DUTY: &[Role] = &[Role::Admin, Role::Teacher];

/// Who may read the reports (counts, never a name).
const REPORTS: &[Role] = &[Role::Admin, Role::Leadership];

/// Who may see applications (a teacher only their class's).
const APPLY_READ: &[Role] = &[Role::Admin, Role::Leadership, Role::Teacher];
/// Who may enter one (a teacher only for their class).
const APPLY_ENTER: &[Role] = &[Role::Admin, Role::Teacher];

const fn route(method: &'static str, path: &'static str, roles: &'static [Role]) -> Access {
    Access {
        method,
        path,
        roles: Some(roles),
        first: false,
    }
}

const fn open(method: &'static str, path: &'static str) -> Access {
    Access {
        method,
        path,
        roles: None,
        first: true,
    }
}

const fn first(method: &'static str, path: &'static str) -> Access {
    Access {
        method,
        path,
        roles: Some(ALL),
        first: true,
    }
}

/// Every route of the app. `/duties/{staff}` is open to every role, and a
/// teacher sees only their own (`may_see_staff`).
pub(crate) const ACCESS: &[Access] = &[
    open("GET", "/assets/app.css"),
    open("GET", "/assets/live.js"),
    open("GET", "/login"),
    open("POST", "/login"),
    first("POST", "/logout"),
    first("GET", "/password"),
    first("POST", "/password"),
    route("GET", "/", ALL),
    route("GET", "/me", ALL),
    route("GET", "/duties/{staff}", ALL),
    route("POST", "/duties/{staff}/calendar", OWN_CALENDAR),
    // A phone's calendar subscribes without a login: the token is the key.
    open("GET", "/cal/{file}"),
    route("GET", "/week/{monday}", READ),
    route("GET", "/week/{monday}/print", READ),
    route("GET", "/day/{date}", READ),
    route("GET", "/handover/{date}", READ),
    route("POST", "/week/{monday}/plan", ADMIN),
    route("POST", "/week/{monday}/publish", ADMIN),
    route("GET", "/week/{monday}/seat", ADMIN),
    route("POST", "/week/{monday}/edit", ADMIN),
    route("POST", "/week/{monday}/pin", ADMIN),
    route("POST", "/week/{monday}/repair", ADMIN),
    route("GET", "/week/{monday}/changes", ADMIN),
    route("POST", "/requests", ALL),
    route("POST", "/requests/{id}/answer", ADMIN),
    route("GET", "/workload", READ),
    route("GET", "/workload.csv", READ),
    route("GET", "/workload.xlsx", READ),
    route("GET", "/admin/users", ADMIN),
    route("POST", "/admin/users", ADMIN),
    route("GET", "/admin/robot", ADMIN),
    route("POST", "/admin/robot", ADMIN),
    // The policy in the browser: the administrator edits, finance and
    // leadership read the history.
    route("GET", "/admin/policy", ADMIN),
    route("POST", "/admin/policy/check", ADMIN),
    route("POST", "/admin/policy/diff", ADMIN),
    route("GET", "/admin/policy/form/{section}", ADMIN),
    route("POST", "/admin/policy/form/{section}", ADMIN),
    route("POST", "/admin/policy/save", ADMIN),
    route("GET", "/admin/policy/history", READ),
    route("GET", "/admin/policy/history/{id}", READ),
    route("POST", "/admin/policy/history/{id}/restore", ADMIN),
    // The school's data (issue 19): the office imports and edits, finance
    // and leadership read.
    route("GET", "/data", READ),
    route("GET", "/data/{table}", READ),
    route("GET", "/data/{table}/export.csv", READ),
    route("GET", "/data/{table}/template.xlsx", READ),
    route("POST", "/data/{table}/row", ADMIN),
    route("GET", "/data/{table}/import", ADMIN),
    route("POST", "/data/{table}/import", ADMIN),
    route("POST", "/data/{table}/import/confirm", ADMIN),
    // What-if studies: leadership and the administrator run them, finance reads them.
    route("GET", "/whatif", READ),
    route("GET", "/whatif/new", RUN_STUDY),
    route("POST", "/whatif/new", RUN_STUDY),
    route("GET", "/whatif/upload", RUN_STUDY),
    route("POST", "/whatif/upload", RUN_STUDY),
    route("GET", "/whatif/{id}", READ),
    route("GET", "/whatif/{id}/file", READ),
    // Issue 20, items 3 and 4: emergency changes (the administrator); comp
    // time and the appraisal sheet (everyone; a teacher sees their own);
    // surveys (opened by the administrator, read by leadership; answered
    // by parents and pupils through the link, without a login).
    route("GET", "/admin/emergency", ADMIN),
    route("POST", "/admin/emergency", ADMIN),
    route("POST", "/admin/emergency/preview", ADMIN),
    route("GET", "/comp", ALL),
    route("POST", "/comp/take", ADMIN),
    route("GET", "/surveys", SURVEY_RESULTS),
    route("POST", "/surveys", ADMIN),
    open("GET", "/s/{token}"),
    open("POST", "/s/{token}"),
    route("GET", "/appraisal", ALL),
    route("GET", "/appraisal.xlsx", ALL),
    // Applications (issue 20, item 1): the homeroom teacher their class,
    // the office any class; the principal (leadership, or the
    // administrator for them) approves and sees no names.
    route("GET", "/applications", APPLY_READ),
    route("GET", "/applications/new", APPLY_ENTER),
    route("POST", "/applications", APPLY_ENTER),
    route("POST", "/applications/{id}/step", APPLY_READ),
    // The term's offer: the office publishes, everyone logged in reads.
    route("GET", "/applications/offer", ALL),
    route("POST", "/applications/offer", ADMIN),
    route("GET", "/applications/offer/print", ALL),
    // The agreement: the office or the class's homeroom teacher.
    route("GET", "/applications/{id}/agreement", APPLY_ENTER),
    route("POST", "/applications/{id}/agreement", APPLY_ENTER),
    // Club seats: the office draws over-capacity clubs.
    route("GET", "/applications/clubs", ADMIN),
    route("POST", "/applications/clubs", ADMIN),
    // A WeCom or WeChat form's applications, imported by the office.
    route("GET", "/applications/import", ADMIN),
    route("POST", "/applications/import", ADMIN),
    route("POST", "/applications/import/confirm", ADMIN),
    // A child's invitation code: the office or the class's homeroom teacher.
    route("POST", "/pupils/{id}/code", APPLY_ENTER),
    // The parent page needs no login: the code is the key (rate-limited),
    // and its forms carry the open forms' cookie token.
    open("GET", "/family"),
    open("POST", "/family"),
    open("POST", "/family/apply"),
    open("POST", "/family/leave"),
    // A parent's withdrawal of their own child (the session's).
    open("POST", "/family/withdraw"),
    // During each duty (issue 20, item 2).
    route("GET", "/duty", ON_DUTY),
    route("GET", "/duty/{date}/{kind}/{group}", ON_DUTY),
    route("POST", "/duty/{date}/{kind}/{group}/{action}", ON_DUTY),
    // Children's data (issue 20, item 6): the administrator exports or
    // erases a family's data.
    route("GET", "/admin/family/{pupil}", ADMIN),
    route("GET", "/admin/family/{pupil}/export.json", ADMIN),
    route("POST", "/admin/family/{pupil}/erase", ADMIN),
    // Reports (issue 20, item 5): counts only, for the administrator and
    // leadership (finance has the workload).
    route("GET", "/reports", REPORTS),
    route("GET", "/reports/{report}/export.csv", REPORTS),
    route("GET", "/reports/{report}/export.xlsx", REPORTS),
];

/// The routes whose form carries a file (`multipart/form-data`).
const UPLOAD_ROUTES: &[&str] = &[
    "/data/{table}/import",
    "/whatif/upload",
    "/applications/import",
];

/// Whether `role` may use `method path` (a path as routed, e.g. `/week/{monday}`).
pub(crate) fn allowed(role: Role, method: &str, path: &str) -> bool {
    ACCESS
        .iter()
        .find(|a| a.method == method && a.path == path)
        .is_some_and(|a| a.roles.is_none_or(|r| r.contains(&role)))
}

/// Whether the session may see `staff_id`'s duties: a teacher only their own.
pub(crate) fn may_see_staff(me: &Session, staff_id: &str) -> bool {
    me.user.role != Role::Teacher || me.user.staff_id.as_deref() == Some(staff_id)
}

/// What the guard found, for the handler.
#[derive(Clone)]
pub(crate) struct Cx {
    pub lang: Lang,
    /// The session (None only on open routes).
    pub me: Option<Session>,
    /// The session cookie's token (to keep this session on a password change).
    pub token: Option<String>,
    /// A POST's form fields (CSRF already checked).
    pub form: HashMap<String, String>,
    /// The client's address, for the rate limits (behind a trusted proxy,
    /// the one it forwards: `settings::client`).
    pub client: String,
    /// The request's query string fields.
    pub query: HashMap<String, String>,
    /// The cookie's login CSRF token (the login page reuses it).
    pub login_csrf: Option<String>,
    /// A multipart form's file (on the upload routes only).
    pub upload: Option<std::sync::Arc<super::upload::Upload>>,
}

impl Cx {
    /// A form field, trimmed ("" when absent).
    pub fn field(&self, name: &str) -> &str {
        self.form.get(name).map_or("", |s| s.trim())
    }
}

/// The cookies of a request, by name.
fn cookies(req: &Request) -> HashMap<String, String> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn query(req: &Request) -> HashMap<String, String> {
    req.uri()
        .query()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .map(|v| v.into_iter().collect())
        .unwrap_or_default()
}

/// The user's language: `?lang=` first (remembered in a cookie), then the
/// cookie, else Chinese. The bool: `?lang=` asked for a change.
fn language(q: &HashMap<String, String>, c: &HashMap<String, String>) -> (Lang, bool) {
    let pick = |s: &str| match s {
        "en" => Some(Lang::En),
        "zh" => Some(Lang::Zh),
        _ => None,
    };
    if let Some(l) = q.get("lang").and_then(|s| pick(s)) {
        return (l, true);
    }
    (
        c.get("kehou_lang")
            .and_then(|s| pick(s))
            .unwrap_or_default(),
        false,
    )
}

/// Largest form accepted.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// The middleware on every route: session, role, one-time password, CSRF.
pub(crate) async fn guard(State(st): State<Shared>, req: Request, next: Next) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let method = req.method().clone();
    let cookies = cookies(&req);
    let q = query(&req);
    let (lang, switched) = language(&q, &cookies);
    let Some(access) = ACCESS
        .iter()
        .find(|a| a.method == method.as_str() && a.path == path)
    else {
        return Fail::new(
            StatusCode::FORBIDDEN,
            lang,
            lang.t("此页面不对外开放", "this page is not open"),
        )
        .into_response();
    };
    let token = cookies
        .get(SESSION_COOKIE)
        .filter(|t| !t.is_empty())
        .cloned();
    let me = match &token {
        Some(t) => {
            let t = t.clone();
            match st.db(move |rec| auth::find_session(rec, &t)).await {
                Ok(s) => s,
                Err(e) => return Fail::from_error(lang, &e).into_response(),
            }
        }
        None => None,
    };
    if let Some(refused) = refusal(access, me.as_ref(), &method, lang) {
        return refused;
    }
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let client = super::settings::client(req.headers(), peer, &st.settings);
    let login_csrf = cookies.get(LOGIN_CSRF_COOKIE).cloned();
    // An open form (the login) carries the cookie's token; the others the session's.
    let expected = match (access.roles, &me) {
        (None, _) => login_csrf.clone(),
        (Some(_), Some(s)) => Some(s.csrf.clone()),
        (Some(_), None) => None,
    };
    let uploads = UPLOAD_ROUTES.contains(&path.as_str());
    let (mut req, form, upload) = match read_form(req, expected.as_deref(), lang, uploads).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    req.extensions_mut().insert(Cx {
        lang,
        me,
        token,
        form,
        client,
        query: q,
        login_csrf,
        upload: upload.map(std::sync::Arc::new),
    });
    let mut resp = next.run(req).await;
    if switched {
        let v = format!(
            "kehou_lang={}; SameSite=Strict; Path=/; Max-Age=31536000",
            lang.t("zh", "en")
        );
        if let Ok(v) = HeaderValue::from_str(&v) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// Unless the session has what the route needs: a redirect to the login
/// (a page) or a refusal (a form, a role not in the table).
fn refusal(access: &Access, me: Option<&Session>, method: &Method, lang: Lang) -> Option<Response> {
    let roles = access.roles?;
    let Some(me) = me else {
        return Some(if method == Method::GET {
            Redirect::to("/login").into_response()
        } else {
            Fail::new(
                StatusCode::FORBIDDEN,
                lang,
                lang.t(
                    "请先登录; 未做任何更改",
                    "please log in first; nothing was changed",
                ),
            )
            .into_response()
        });
    };
    if !roles.contains(&me.user.role) {
        return Some(Fail::forbidden(lang, me.user.role).into_response());
    }
    if me.user.must_change && !access.first {
        return Some(if method == Method::GET {
            Redirect::to("/password").into_response()
        } else {
            Fail::new(
                StatusCode::FORBIDDEN,
                lang,
                lang.t(
                    "请先修改一次性密码; 未做任何更改",
                    "change your one-time password first; nothing was changed",
                ),
            )
            .into_response()
        });
    }
    None
}

/// A POST's form, its CSRF token checked; the request goes on without its
/// body. Other methods pass with an empty form. On an upload route a
/// multipart form is read too (bounded by the input file limit), with its file.
async fn read_form(
    req: Request,
    expected: Option<&str>,
    lang: Lang,
    uploads: bool,
) -> Result<(Request, HashMap<String, String>, Option<Upload>), Response> {
    if req.method() != Method::POST {
        return Ok((req, HashMap::new(), None));
    }
    let ctype = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let multipart = if uploads {
        upload::boundary(&ctype)
    } else {
        None
    };
    let is_form = ctype.starts_with("application/x-www-form-urlencoded");
    if !is_form && multipart.is_none() {
        let msg = lang.t(
            "只接受网页表单提交; 未做任何更改",
            "only a web form is accepted; nothing was changed",
        );
        return Err(Fail::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, lang, msg).into_response());
    }
    let limit = if multipart.is_some() {
        upload::MAX_UPLOAD_BYTES
    } else {
        MAX_FORM_BYTES
    };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        let msg = if multipart.is_some() {
            lang.t(
                "文件过大 (每个文件至多 64 MiB); 未做任何更改",
                "the file is too large (at most 64 MiB per file); nothing was changed",
            )
        } else {
            lang.t(
                "表单过大; 未做任何更改",
                "the form is too large; nothing was changed",
            )
        };
        return Err(Fail::new(StatusCode::PAYLOAD_TOO_LARGE, lang, msg).into_response());
    };
    let (form, file) = match &multipart {
        Some(b) => upload::parse(b, &bytes).unwrap_or_default(),
        None => (
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                .map(|v| v.into_iter().collect())
                .unwrap_or_default(),
            None,
        ),
    };
    let given = form.get("csrf").map(String::as_str).unwrap_or("");
    if !expected.is_some_and(|e| !e.is_empty() && auth::same(e, given)) {
        let msg = lang.t(
            "表单已过期或不是从本系统页面提交的 (CSRF 校验未通过); 未做任何更改. 请重新打开页面再试",
            "the form has expired or did not come from this app's page (CSRF check failed); nothing was changed. Open the page again and retry",
        );
        return Err(Fail::new(StatusCode::FORBIDDEN, lang, msg).into_response());
    }
    Ok((Request::from_parts(parts, Body::empty()), form, file))
}

/// Any path the app does not have, said in the user's language.
pub(crate) async fn not_found(req: Request) -> Response {
    let (lang, _) = language(&query(&req), &cookies(&req));
    Fail::new(
        StatusCode::NOT_FOUND,
        lang,
        lang.t("没有这个页面", "no such page"),
    )
    .into_response()
}

/// Headers on every response: no framing, no sniffing, no scripts or
/// resources from elsewhere, nothing personal cached.
pub(crate) async fn headers(req: Request, next: Next) -> Response {
    let asset = req.uri().path().starts_with("/assets/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let set = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    for (k, v) in set {
        if !h.contains_key(&k) {
            h.insert(k, HeaderValue::from_static(v));
        }
    }
    if !asset {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}
