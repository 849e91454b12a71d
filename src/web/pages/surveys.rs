//! The parent/pupil survey (issue 20, item 4). The administrator opens a
//! survey for a group or club and term (`POST /surveys`) and gets its link
//! once (`/s/{token}`: the record keeps the token's hash only). The link's
//! page needs no login: four questions scored 1–5 and a comment, nothing
//! about who answers; answers are rate-limited per client address. The
//! results (mean per question, count, comments) are for the administrator
//! and leadership (`GET /surveys`).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use maud::html;

use crate::ledger::appraisal::centi_words;
use crate::record::accounts::Role;
use crate::record::surveys::{scores, Results, COMMENT_MAX, QUESTIONS, TARGET_MAX};
use crate::record::Actor;

use super::me;
use crate::web::auth::{self, LOGIN_CSRF_COOKIE};
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, ok, page, Fail};
use crate::web::{settings, Shared};

/// Answers one client address may send per `WINDOW`.
pub(crate) const PER_WINDOW: usize = 10;
const WINDOW: Duration = Duration::from_secs(3600);

/// Clients kept before the ones whose window has passed are dropped.
const PRUNE_AT: usize = 1_000;
/// Clients kept at most: beyond, the one that answered longest ago goes.
const MAX_CLIENTS: usize = 10_000;

/// The answers' rate limit: per client address, a sliding window. A new
/// client past `PRUNE_AT` first drops every client whose window has
/// passed, so the map stays bounded (`MAX_CLIENTS` at worst).
#[derive(Default)]
pub(crate) struct Limit {
    seen: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// Make room for one more client at `now`.
fn prune(m: &mut HashMap<String, VecDeque<Instant>>, now: Instant) {
    if m.len() < PRUNE_AT {
        return;
    }
    m.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
    while m.len() >= MAX_CLIENTS {
        let oldest = m
            .iter()
            .min_by_key(|(_, q)| q.back().copied())
            .map(|(k, _)| k.clone());
        match oldest {
            Some(k) => m.remove(&k),
            None => break,
        };
    }
}

impl Limit {
    /// Take a slot for `client` at `now`; false when its window is full.
    pub fn take(&self, client: &str, now: Instant) -> bool {
        let Ok(mut m) = self.seen.lock() else {
            return false;
        };
        if !m.contains_key(client) {
            prune(&mut m, now);
        }
        let q = m.entry(client.to_string()).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            q.pop_front();
        }
        if q.len() >= PER_WINDOW {
            return false;
        }
        q.push_back(now);
        true
    }
}

fn results_box(r: &Results, lang: crate::lang::Lang) -> maud::Markup {
    html! {
        div.box {
            h3 { (r.survey.target) " · " (r.survey.term) }
            p.t { (lang.t("开启: ", "opened: ")) (r.survey.opened_at.get(..10).unwrap_or(&r.survey.opened_at)) " · " (r.survey.who) " · " (lang.t("答卷 ", "answers: ")) (r.answers)
                @if let Some(o) = r.overall() { " · " (lang.t("总均分 ", "overall mean ")) strong { (centi_words(o)) } } }
            @if r.answers > 0 {
                table.grid { tbody { @for (q, m) in QUESTIONS.iter().zip(&r.means) {
                    tr { td { (lang.t(q.0, q.1)) } td { (m.map(centi_words).unwrap_or_default()) } }
                } } }
            }
            @if !r.comments.is_empty() { ul { @for c in &r.comments { li { (c) } } } }
        }
    }
}

/// `GET /surveys`: every survey's results; the administrator opens new ones.
pub(crate) async fn list(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let all = st
        .db(|rec| rec.read(|tx| tx.survey_results()))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let now = st.now();
    let (p, s) = (&now.policy, &now.school);
    let body = html! {
        p.t { (lang.t("每个班组或社团每学期一份简短问卷: 4 道 1–5 分的题和一条留言, 匿名, 不收集学生信息. 班组名称与排班中的一致 (如 一(1)班 或社团名), 考核表按老师服务过的班组取其均分.", "One short survey per group or club and term: four questions scored 1–5 and a comment, anonymous, no pupil data. Name the group as the roster does (a class, or a club's name): the appraisal sheet takes the scores of the groups a person served.")) }
        @if me.user.role == Role::Admin {
            form.box method="post" action="/surveys" {
                (csrf_field(&me.csrf))
                label { (lang.t("班组或社团 ", "group or club ")) input type="text" name="target" required maxlength=(TARGET_MAX) list="targets"; } " "
                datalist id="targets" {
                    @for c in &s.classes { option value=(c.name) {} }
                    @for c in &s.clubs { option value=(c.name) {} }
                }
                label { (lang.t("学期 ", "term ")) select name="term" { @for t in &p.calendar.terms { option value=(t.name) { (t.name) } } } } " "
                button type="submit" { (lang.t("开启问卷", "Open a survey")) }
            }
        }
        @if all.is_empty() { p { (lang.t("还没有问卷.", "No survey yet.")) } }
        @for r in all.iter().rev() { (results_box(r, lang)) }
    };
    Ok(ok(page(
        lang,
        lang.t("家长与学生问卷", "Parent and pupil surveys"),
        Some(me),
        body,
    )))
}

/// `POST /surveys`: open one; its link is shown this once.
pub(crate) async fn open(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let target = cx.field("target").to_string();
    let term = cx.field("term").to_string();
    if !st
        .now()
        .policy
        .calendar
        .terms
        .iter()
        .any(|t| t.name == term)
    {
        return Err(Fail::field(
            lang,
            lang.t("学期", "term"),
            lang.t("应为规则中的一个学期", "expected one of the policy's terms"),
        ));
    }
    let token = auth::token().map_err(|e| Fail::from_error(lang, &e))?;
    let by = Actor {
        who: me.user.login.clone(),
        via: "kehou serve /surveys".into(),
    };
    let t2 = token.clone();
    let (tg, tm) = (target.clone(), term.clone());
    st.db(move |rec| rec.write(|tx| tx.open_survey(&tg, &tm, &t2, &by)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    // The address from the settings, never from the request's Host.
    let (link, public) = settings::public_link(&st.settings, &format!("/s/{token}"));
    let body = html! {
        p.banner { (lang.t("问卷已开启: ", "Survey opened: ")) (target) " · " (term) }
        p { (lang.t("把这个链接发到班级群 (只显示这一次, 请现在复制):", "Send this link to the class group (shown only this once: copy it now):")) }
        textarea.notice readonly rows="2" { (link) }
        @if !public { (settings::no_public_url(lang)) }
        p { a href="/surveys" { (lang.t("返回问卷列表", "Back to the surveys")) } }
    };
    Ok(ok(page(
        lang,
        lang.t("问卷链接", "Survey link"),
        Some(me),
        body,
    )))
}

fn not_found(lang: crate::lang::Lang) -> Fail {
    Fail::new(
        StatusCode::NOT_FOUND,
        lang,
        lang.t(
            "没有这份问卷 (链接可能不完整)",
            "no such survey (the link may be incomplete)",
        ),
    )
}

/// `GET /s/{token}`: the questions (no login; the form's CSRF token from its cookie).
pub(crate) async fn form(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(token): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let t = token.clone();
    let survey = st
        .db(move |rec| rec.read(|tx| tx.survey_by_token(&t)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?
        .ok_or_else(|| not_found(lang))?;
    let csrf = match cx.login_csrf.clone().filter(|t| t.len() == 64) {
        Some(t) => t,
        None => auth::token().map_err(|e| Fail::from_error(lang, &e))?,
    };
    let body = html! {
        p { (survey.target) " · " (survey.term) }
        p.t { (lang.t("匿名问卷, 不需要填写姓名. 1 分最差, 5 分最好.", "Anonymous: no name needed. 1 is poor, 5 is very good.")) }
        form.stack method="post" action=(format!("/s/{token}")) {
            (csrf_field(&csrf))
            @for (i, q) in QUESTIONS.iter().enumerate() {
                fieldset {
                    legend { (i + 1) ". " (lang.t(q.0, q.1)) }
                    @for n in 1..=5 {
                        label { input type="radio" name=(format!("q{}", i + 1)) value=(n) required; " " (n) } " "
                    }
                }
            }
            label { (lang.t("意见或建议 (可不填)", "Comments (optional)")) textarea name="comment" maxlength=(COMMENT_MAX) rows="3" {} }
            button type="submit" { (lang.t("提交", "Send")) }
        }
    };
    let mut resp = ok(page(
        lang,
        lang.t("课后服务问卷", "After-school service survey"),
        None,
        body,
    ));
    let cookie = format!("{LOGIN_CSRF_COOKIE}={csrf}; HttpOnly; SameSite=Strict; Path=/");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

/// `POST /s/{token}`: one answer, checked, within the client's rate limit.
pub(crate) async fn answer(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(token): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let given: Vec<&str> = (1..=QUESTIONS.len())
        .map(|i| cx.field(&format!("q{i}")))
        .collect();
    let s =
        scores(&given, lang).map_err(|why| Fail::field(lang, lang.t("评分", "scores"), &why))?;
    let comment = cx.field("comment").to_string();
    if comment.chars().count() > COMMENT_MAX
        || comment
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        return Err(Fail::field(
            lang,
            lang.t("意见或建议", "comments"),
            lang.t("应不超过 300 个字符", "expected at most 300 characters"),
        ));
    }
    let t = token.clone();
    let survey = st
        .db(move |rec| rec.read(|tx| tx.survey_by_token(&t)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?
        .ok_or_else(|| not_found(lang))?;
    if !st.answers.take(&cx.client, Instant::now()) {
        return Err(Fail::new(
            StatusCode::TOO_MANY_REQUESTS,
            lang,
            lang.t(
                "提交次数过多, 请一小时后再试; 本次未记录",
                "too many answers from this address: try again in an hour; this one was not kept",
            ),
        ));
    }
    st.db(move |rec| rec.write(|tx| tx.answer_survey(survey.id, &s, &comment)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let body = html! { p.banner { (lang.t("谢谢! 已收到你的意见.", "Thank you: your answer was received.")) } };
    Ok((
        StatusCode::OK,
        ok(page(
            lang,
            lang.t("课后服务问卷", "After-school service survey"),
            None,
            body,
        )),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clients(l: &Limit) -> usize {
        l.seen.lock().map(|m| m.len()).unwrap_or(usize::MAX)
    }

    #[test]
    fn the_limit_forgets_clients_whose_window_has_passed() {
        let l = Limit::default();
        let t = Instant::now();
        for i in 0..PRUNE_AT + 5 {
            assert!(l.take(&format!("10.0.{}.{}", i / 256, i % 256), t));
        }
        assert_eq!(clients(&l), PRUNE_AT + 5);
        // Still within the window: kept, and still limited.
        let soon = t + Duration::from_secs(60);
        assert!(l.take("192.0.2.1", soon));
        assert_eq!(clients(&l), PRUNE_AT + 6);
        // An hour later a new client drops every passed window.
        let later = t + WINDOW + Duration::from_secs(1);
        assert!(l.take("192.0.2.2", later));
        assert_eq!(clients(&l), 2, "the client of `soon` and the new one");
        // A full window still refuses.
        for _ in 1..PER_WINDOW {
            assert!(l.take("192.0.2.2", later));
        }
        assert!(!l.take("192.0.2.2", later));
    }

    #[test]
    fn the_limit_stays_bounded_when_every_window_is_live() {
        let l = Limit::default();
        let t = Instant::now();
        for i in 0..MAX_CLIENTS + 10 {
            let at = t + Duration::from_millis(i as u64);
            assert!(l.take(&format!("c{i}"), at));
        }
        assert!(clients(&l) <= MAX_CLIENTS);
    }
}
