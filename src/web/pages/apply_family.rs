//! The parent page (issue 20, item 1): the office or the class's homeroom
//! teacher issues a child's invitation code (random, shown once on a
//! printable slip; the record keeps only its hash, and a new code ends
//! the old). On `/family`, open without a login, a parent types the code;
//! wrong codes are rate-limited as logins are. The code opens a family
//! session (a random token in a cookie, kept in memory with the code's
//! hash, so a new code ends it too) in which the parent sees the offer,
//! their own child's applications and their state, applies for that
//! child only and asks to withdraw them (the same two approvals as any
//! withdrawal): the child is the session's, never a form field.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use maud::{html, Markup};

use crate::enrol::{Actor as By, Step};
use crate::lang::Lang;
use crate::record::applications::Pupil;
use crate::record::Actor;

use super::apply::{choice_fields, clubs, days, form_choice, sees_names, sessions, state_text};
use super::{date_field, me};
use crate::web::auth::{self, LOGIN_CSRF_COOKIE};
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, ok, page, Fail};
use crate::web::{settings, Shared};

/// The family session's cookie.
const FAMILY_COOKIE: &str = "kehou_family";
/// How long a family session lasts.
const KEEP: Duration = Duration::from_secs(2 * 3600);
/// Family sessions kept at most (the oldest goes first).
const MAX_SESSIONS: usize = 10_000;

/// Family sessions by the hash of their token: the code's hash and when.
#[derive(Default)]
pub(crate) struct Families(Mutex<HashMap<String, (String, Instant)>>);

impl Families {
    fn open(&self, token: &str, code_hash: String) {
        let mut m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        m.retain(|_, (_, at)| at.elapsed() < KEEP);
        while m.len() >= MAX_SESSIONS {
            let oldest = m
                .iter()
                .min_by_key(|(_, (_, at))| *at)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => m.remove(&k),
                None => break,
            };
        }
        m.insert(auth::token_hash(token), (code_hash, Instant::now()));
    }

    fn code_of(&self, token: &str) -> Option<String> {
        let m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        m.get(&auth::token_hash(token))
            .filter(|(_, at)| at.elapsed() < KEEP)
            .map(|(c, _)| c.clone())
    }

    fn end(&self, token: &str) {
        let mut m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        m.remove(&auth::token_hash(token));
    }
}

fn cookie_of(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v.to_string())
}

/// The child of the request's family session, if it has one that works.
async fn child(st: &Shared, headers: &HeaderMap, lang: Lang) -> Result<Option<Pupil>, Fail> {
    let Some(code) = cookie_of(headers, FAMILY_COOKIE).and_then(|t| st.families.code_of(&t)) else {
        return Ok(None);
    };
    st.db(move |rec| rec.read(|tx| tx.child_of_code(&code)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))
}

/// The open forms' CSRF token (the login form's cookie), and the cookie.
fn csrf_token(cx: &Cx) -> Result<String, Fail> {
    match cx.login_csrf.clone().filter(|t| t.len() == 64) {
        Some(t) => Ok(t),
        None => auth::token().map_err(|e| Fail::from_error(cx.lang, &e)),
    }
}

fn with_cookie(mut resp: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

fn open_page(cx: &Cx, status: StatusCode, title: &str, body: Markup, token: &str) -> Response {
    let resp = (status, ok(page(cx.lang, title, None, body))).into_response();
    with_cookie(
        resp,
        &format!("{LOGIN_CSRF_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"),
    )
}

fn code_form(cx: &Cx, status: StatusCode, message: Option<&str>) -> Response {
    let lang = cx.lang;
    let token = match csrf_token(cx) {
        Ok(t) => t,
        Err(f) => return f.into_response(),
    };
    let body = html! {
        @if let Some(m) = message { p.error { (m) } }
        p { (lang.t("请输入学校发给您的邀请码 (见邀请码通知单).", "Type the invitation code the school gave you (on its slip).")) }
        form.stack method="post" action="/family" {
            (csrf_field(&token))
            label { (lang.t("邀请码", "invitation code")) input name="code" autocomplete="off" maxlength="20" required; }
            button type="submit" { (lang.t("进入", "Enter")) }
        }
    };
    let title = lang.t("家长申请课后服务", "Apply for after-school care");
    open_page(cx, status, title, body, &token)
}

/// `GET /family`: the code form, or the child's page.
pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    match child(&st, &headers, cx.lang).await? {
        None => Ok(code_form(&cx, StatusCode::OK, None)),
        Some(p) => child_page(&st, &cx, &p).await,
    }
}

/// The child's page: the offer, the applications, the form.
async fn child_page(st: &Shared, cx: &Cx, p: &Pupil) -> Result<Response, Fail> {
    let lang = cx.lang;
    let id = p.id;
    let (apps, offer) = st
        .db(move |rec| rec.read(|tx| Ok((tx.applications_of_pupil(id)?, tx.offer()?))))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let now = st.now();
    let (pol, s) = (&now.policy, &now.school);
    let token = csrf_token(cx)?;
    let today = st.clock().date();
    let body = html! {
        p id="child" { (p.name) " · " (p.class_id) }
        h2 { (lang.t("申请与状态", "Applications and their state")) }
        @if apps.is_empty() { p { (lang.t("还没有申请", "no application yet")) } }
        table.apps {
            @for a in &apps {
                tr id=(format!("app-{}", a.id)) {
                    td { (days(&a.choice.weekdays, lang)) } td { (sessions(&a.choice.sessions, pol, lang)) }
                    td { (clubs(&a.choice.clubs, s, lang)) } td.state { (state_text(&a.state, lang)) }
                    td { @if may_withdraw(&a.state) { (withdraw_form(lang, &token, a.id, today)) } }
                }
            }
        }
        h2 { (lang.t("申请", "Apply")) }
        form.stack method="post" action="/family/apply" {
            (csrf_field(&token))
            (choice_fields(lang, pol, s, std::slice::from_ref(&p.class_id)))
            button type="submit" { (lang.t("提交申请", "Submit the application")) }
        }
        @if let Some(o) = &offer { h2 { (lang.t("服务内容公示", "The offer")) } (super::apply_offer::offer_body(lang, pol, s, o)) }
        form method="post" action="/family/leave" { (csrf_field(&token)) button type="submit" { (lang.t("退出", "Leave")) } }
    };
    let title = lang.t("家长申请课后服务", "Apply for after-school care");
    Ok(open_page(cx, StatusCode::OK, title, body, &token))
}

fn too_many(lang: Lang, wait: Duration) -> Response {
    let mins = wait.as_secs().div_ceil(60).max(1);
    let msg = match lang {
        Lang::Zh => format!("邀请码错误次数过多, 请 {mins} 分钟后再试"),
        Lang::En => format!("too many wrong codes; try again in {mins} minute(s)"),
    };
    Fail::new(StatusCode::TOO_MANY_REQUESTS, lang, msg).into_response()
}

/// `POST /family`: a code typed. Wrong codes are limited per client
/// address (`MAX_FAILURES`, then `LOCK`) and, from every client, by the
/// `Ceiling`: once it is reached, a client with a wrong code of its own in
/// the last minutes is refused before its code is checked and one wrong
/// code locks a client, so guessing from many addresses slows down while
/// a parent typing the right code still gets in.
pub(crate) async fn enter(State(st): State<Shared>, Extension(cx): Extension<Cx>) -> Response {
    let lang = cx.lang;
    let keys = [format!("family ip {}", cx.client)];
    if let Some(wait) = st.limiter.wait(&keys) {
        return too_many(lang, wait);
    }
    let busy = st.wrong_codes.reached(Instant::now());
    if busy && st.limiter.failed_recently(&keys[0]) {
        st.limiter.fail_with(&keys, 1);
        return too_many(lang, auth::LOCK);
    }
    if cx.field("code").is_empty() {
        let msg = Fail::field(
            lang,
            lang.t("邀请码", "invitation code"),
            lang.t("请填写", "please fill it in"),
        );
        return code_form(&cx, StatusCode::BAD_REQUEST, Some(&msg.message));
    }
    let hash = auth::normal_code(cx.field("code")).map(|c| auth::code_hash(&c));
    let found = match hash.clone() {
        Some(h) => st.db(move |rec| rec.read(|tx| tx.child_of_code(&h))).await,
        None => Ok(None),
    };
    match (found, hash) {
        (Ok(Some(_)), Some(h)) => {
            let token = match auth::token() {
                Ok(t) => t,
                Err(e) => return Fail::from_error(lang, &e).into_response(),
            };
            st.families.open(&token, h);
            let age = KEEP.as_secs();
            let c = format!(
                "{FAMILY_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/family; Max-Age={age}"
            );
            with_cookie(Redirect::to("/family").into_response(), &c)
        }
        (Err(e), _) => Fail::from_error(lang, &e).into_response(),
        _ => {
            st.wrong_codes.add(Instant::now());
            let allowance = if busy { 1 } else { auth::MAX_FAILURES };
            st.limiter.fail_with(&keys, allowance);
            let msg = lang.t("邀请码不对或已失效", "the code is wrong or no longer valid");
            code_form(&cx, StatusCode::UNAUTHORIZED, Some(msg))
        }
    }
}

fn no_family(lang: Lang) -> Fail {
    Fail::new(
        StatusCode::FORBIDDEN,
        lang,
        lang.t(
            "请先输入邀请码; 未做任何更改",
            "type the invitation code first; nothing was changed",
        ),
    )
}

/// `POST /family/apply`: an application for the session's child.
pub(crate) async fn apply(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let Some(p) = child(&st, &headers, lang).await? else {
        return Err(no_family(lang));
    };
    // The child's class, whatever the form says.
    let mut cx2 = cx.clone();
    cx2.form.insert("class".into(), p.class_id.clone());
    let now = st.now();
    let choice = form_choice(&cx2, &now.policy, &now.school)?;
    let by = Actor {
        who: format!("family of pupil {}", p.id),
        via: "kehou serve /family".into(),
    };
    st.db(move |rec| rec.write(|tx| tx.apply(p.id, &choice, &By::Family, &by)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    Ok(Redirect::to("/family").into_response())
}

/// Whether the family may ask to withdraw an application in this state
/// (before approval it is cancelled; after, it waits for the school).
fn may_withdraw(state: &crate::enrol::State) -> bool {
    use crate::enrol::State as S;
    matches!(state, S::Applied | S::Reviewed | S::Approved { .. })
}

fn withdraw_form(lang: Lang, csrf: &str, id: i64, today: chrono::NaiveDate) -> Markup {
    html! {
        form.inline method="post" action="/family/withdraw" {
            (csrf_field(csrf))
            input type="hidden" name="application" value=(id);
            label { (lang.t("退出日期 ", "leave from ")) input type="date" name="on" value=(today) required; }
            button type="submit" { (lang.t("申请退出", "Ask to withdraw")) }
        }
    }
}

/// `POST /family/withdraw`: the family asks to withdraw one of the
/// session's child's applications from a date (`application`, `on`). It
/// is the same step a staff-entered withdrawal is: the homeroom teacher
/// reviews it and the principal approves (before approval the application
/// is simply cancelled). Another child's application is refused (403).
pub(crate) async fn withdraw(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let Some(p) = child(&st, &headers, lang).await? else {
        return Err(no_family(lang));
    };
    let id: i64 = cx.field("application").parse().map_err(|_| {
        Fail::field(
            lang,
            lang.t("申请", "application"),
            lang.t("应为申请编号", "expected an application number"),
        )
    })?;
    let on = date_field(lang, lang.t("退出日期", "leave from"), cx.field("on"))?;
    let by = Actor {
        who: format!("family of pupil {}", p.id),
        via: "kehou serve /family/withdraw".into(),
    };
    let pupil = p.id;
    let done = st
        .db(move |rec| {
            rec.write(|tx| match tx.application(id)? {
                Some(a) if a.pupil_id == pupil => tx
                    .step(id, &Step::Withdraw { on }, &By::Family, "", &by)
                    .map(Some),
                _ => Ok(None),
            })
        })
        .await;
    match done {
        Ok(Some(_)) => {}
        Ok(None) => {
            return Err(Fail::new(
                StatusCode::FORBIDDEN,
                lang,
                lang.t(
                    "只能为自己的孩子申请退出; 未做任何更改",
                    "you may withdraw only your own child; nothing was changed",
                ),
            ))
        }
        Err(crate::Error::Refused(why)) => {
            let text = why
                .iter()
                .map(|w| w.render(lang).to_string())
                .collect::<Vec<_>>()
                .join("; ");
            return Err(Fail::field(lang, lang.t("退出", "withdrawal"), &text));
        }
        Err(e) => return Err(Fail::from_error(lang, &e)),
    }
    st.reload().map_err(|e| Fail::from_error(lang, &e))?;
    Ok(Redirect::to("/family").into_response())
}

/// `POST /family/leave`: the family session ends.
pub(crate) async fn leave(State(st): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(t) = cookie_of(&headers, FAMILY_COOKIE) {
        st.families.end(&t);
    }
    let gone = format!("{FAMILY_COOKIE}=; HttpOnly; SameSite=Strict; Path=/family; Max-Age=0");
    with_cookie(Redirect::to("/family").into_response(), &gone)
}

/// The list's form to issue a child's code.
pub(crate) fn issue_form(lang: Lang, csrf: &str, pupil: i64) -> Markup {
    html! {
        form.inline method="post" action=(format!("/pupils/{pupil}/code")) {
            (csrf_field(csrf))
            button type="submit" { (lang.t("发邀请码", "Issue a code")) }
        }
    }
}

/// `POST /pupils/{id}/code`: a new code for the child (the old stops
/// working), shown once on a slip to print.
pub(crate) async fn issue(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(id): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?.clone();
    let id = super::family::pupil_id(lang, &id)?;
    let found = st
        .db(move |rec| rec.read(|tx| tx.pupil(id)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let Some(p) = found.filter(|p| !p.erased) else {
        return Err(Fail::new(
            StatusCode::NOT_FOUND,
            lang,
            lang.t("没有这个学生", "no such pupil"),
        ));
    };
    if !sees_names(&st.now().school, &me, &p.class_id) {
        return Err(Fail::new(
            StatusCode::FORBIDDEN,
            lang,
            lang.t(
                "只有本班班主任或管理员可以发邀请码; 未做任何更改",
                "only the class's homeroom teacher or an administrator may issue a code; nothing was changed",
            ),
        ));
    }
    let code = auth::family_code().map_err(|e| Fail::from_error(lang, &e))?;
    let hash = auth::normal_code(&code)
        .map(|c| auth::code_hash(&c))
        .unwrap_or_default();
    let by = Actor {
        who: me.user.login.clone(),
        via: "kehou serve /pupils/{id}/code".into(),
    };
    // The slip shows the child's name: logged as a read with the code.
    st.db(move |rec| {
        rec.write(|tx| {
            tx.issue_code(id, &hash, &by)?;
            tx.log_reads(&by, &[id], "/pupils/{id}/code")
        })
    })
    .await
    .map_err(|e| Fail::from_error(lang, &e))?;
    // The address from the settings, never from the request's Host.
    let (link, public) = settings::public_link(&st.settings, "/family");
    let body = html! {
        p.noprint { (lang.t("邀请码只显示这一次, 请打印或抄下交给家长; 重新发码后旧码失效.", "The code is shown this once: print it or copy it for the family; a new code ends this one.")) }
        div.slip {
            h2 { (st.now().policy.school_name) " · " (lang.t("课后服务邀请码", "after-school invitation code")) }
            p { (lang.t("学生: ", "Pupil: ")) (p.name) " · " (p.class_id) }
            p { (lang.t("邀请码: ", "Code: ")) strong id="code" { (code) } }
            p { (lang.t("请打开 ", "Open ")) code.url { (link) } (lang.t(" 输入邀请码, 为孩子申请并查看审核进度. 请妥善保管, 不要转给他人.", " and type the code to apply for your child and follow the application. Keep it to yourself.")) }
        }
        @if !public { div.noprint { (settings::no_public_url(lang)) } }
    };
    Ok(ok(page(
        lang,
        lang.t("邀请码", "Invitation code"),
        Some(&me),
        body,
    )))
}
