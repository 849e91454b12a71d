//! The term's offer (服务内容公示) and the agreement (协议书), issue 20,
//! item 1: the administrator publishes what the service holds and its
//! safety measures; the times come from the policy and the clubs, with
//! their seats, from the school's data. Everyone logged in reads it, and
//! it prints on A4. From an approved application, the agreement prints
//! with the child's choice, the offer's safety text and signature lines;
//! the office or the class's homeroom teacher records it signed.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use maud::{html, Markup};

use crate::enrol::{self, State as AppState};
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::record::family::Offer;
use crate::record::Actor;

use super::apply::{clubs, days, sees_names, sessions, text_field};
use super::{date_field, me};
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, ok, page, Fail};
use crate::web::Shared;

/// Longest content or safety text.
const LONG_MAX: usize = 4000;

/// What the form offers before anything is published (the school plan's words).
const CONTENT_ZH: &str = "课后服务遵循家长自愿原则, 不收取任何费用. 早上到校后安排看护和晨读; 中午安排就餐和午休看护; 下午放学后安排作业辅导 (讲解重点难点)、观看影片和学习资源、阅读 (开放书架、班级图书角、图书馆)、科普、体育、游戏和社团活动.";
const SAFETY_ZH: &str = "学校落实安全责任制和应急预案; 实行门卫登记、考勤、监管和交接班制度; 服务期间家长不随意进校; 遇疫情高发、空气污染或突发情况, 学校调整活动并告知家长. 每次值班关注学生无故缺席、身体不适和家长是否按时接走; 服务结束后管理人员巡查, 确保没有学生滞留.";

/// A text area's text: required, at most `max` characters, no control
/// characters but line breaks and tabs.
fn long_field(cx: &Cx, name: &str, label: &str) -> Result<String, Fail> {
    let lang = cx.lang;
    let v = cx.field(name);
    if v.is_empty()
        || v.chars().count() > LONG_MAX
        || v.chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        let why = match lang {
            Lang::Zh => format!("应为非空、不超过 {LONG_MAX} 个字符的文字"),
            Lang::En => format!("expected a non-empty text of at most {LONG_MAX} characters"),
        };
        return Err(Fail::field(lang, label, &why));
    }
    Ok(v.replace("\r\n", "\n"))
}

/// Paragraphs of a text, one per line.
fn paragraphs(text: &str) -> Markup {
    html! { @for l in text.lines().filter(|l| !l.trim().is_empty()) { p { (l) } } }
}

/// The service's times by season, from the policy.
fn times_table(lang: Lang, p: &Policy) -> Markup {
    let choices = enrol::session_choices(p);
    html! {
        table.offer-times {
            tr { th { (lang.t("时段", "session")) } @for s in &p.seasons { th { (s.label) } } }
            @for c in &choices {
                tr {
                    td { (lang.t(&c.label, &c.label_en)) }
                    @for s in &p.seasons {
                        td { @match s.times.get(&c.session) { Some((a, b)) => { (a) "–" (b) } None => { "—" } } }
                    }
                }
            }
        }
        @for s in &p.seasons {
            @for o in &s.overrides {
                p.m { (s.label) ": "
                    @for b in &o.bands { (p.grade_bands.iter().find(|g| &g.id == b).map_or(b.as_str(), |g| g.label.as_str())) " " }
                    @if !o.weekdays.is_empty() { (days(&o.weekdays, lang)) " " }
                    (p.sessions.iter().find(|x| x.id == o.session).map_or(o.session.clone(), |x| lang.t(&x.label, &x.label_en).to_string()))
                    " " (o.start) "–" (o.end) }
            }
        }
        @for b in &p.service_blackouts {
            p { (days(&b.weekdays, lang)) ": " (b.reason) }
        }
    }
}

/// The clubs and their seats (clubs.csv's 人数).
fn clubs_table(lang: Lang, s: &School) -> Markup {
    html! {
        table.offer-clubs {
            tr { th { (lang.t("社团", "club")) } th { (lang.t("星期", "weekdays")) } th { (lang.t("名额", "seats")) } }
            @for c in &s.clubs {
                tr id=(format!("club-{}", c.id)) { td { (c.name) } td { (days(&c.weekdays, lang)) } td.num { (c.pupils) } }
            }
        }
    }
}

/// The offer as read and printed.
pub(crate) fn offer_body(lang: Lang, p: &Policy, s: &School, o: &Offer) -> Markup {
    html! {
        p.offer-term { (p.school_name) " · " (o.term) }
        h2 { (lang.t("服务内容", "What the service holds")) }
        (paragraphs(&o.content))
        h2 { (lang.t("服务时间", "Times")) }
        (times_table(lang, p))
        h2 { (lang.t("社团与名额", "Clubs and seats")) }
        (clubs_table(lang, s))
        h2 { (lang.t("安全措施", "Safety measures")) }
        (paragraphs(&o.safety))
        p.m { (lang.t("公示时间: ", "Published: ")) (o.published_at) }
    }
}

async fn current_offer(st: &Shared, lang: Lang) -> Result<Option<Offer>, Fail> {
    st.db(|rec| rec.read(|tx| tx.offer()))
        .await
        .map_err(|e| Fail::from_error(lang, &e))
}

fn publish_form(lang: Lang, csrf: &str, o: Option<&Offer>) -> Markup {
    let (term, content, safety) = match o {
        Some(o) => (o.term.as_str(), o.content.as_str(), o.safety.as_str()),
        None => ("", CONTENT_ZH, SAFETY_ZH),
    };
    html! {
        h2 { (lang.t("发布公示", "Publish the offer")) }
        form.stack method="post" action="/applications/offer" {
            (csrf_field(csrf))
            label { (lang.t("学期", "term")) input name="term" value=(term) maxlength="40" required; }
            label { (lang.t("服务内容", "content")) textarea.notice name="content" rows="6" required { (content) } }
            label { (lang.t("安全措施", "safety measures")) textarea.notice name="safety" rows="6" required { (safety) } }
            button type="submit" { (lang.t("发布", "Publish")) }
        }
    }
}

/// `GET /applications/offer`: the term's offer; the publish form for the office.
pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let o = current_offer(&st, lang).await?;
    let now = st.now();
    let admin = me.user.role == crate::record::accounts::Role::Admin;
    let body = html! {
        @match &o {
            Some(o) => {
                p.noprint { a href="/applications/offer/print" { (lang.t("打印 (A4)", "Print (A4)")) } }
                (offer_body(lang, &now.policy, &now.school, o))
            }
            None => { p id="no-offer" { (lang.t("本学期的服务内容尚未公示", "The term's offer is not published yet")) } }
        }
        @if admin { (publish_form(lang, &me.csrf, o.as_ref())) }
    };
    Ok(ok(page(
        lang,
        lang.t("课后服务内容公示", "The after-school offer"),
        Some(me),
        body,
    )))
}

/// `GET /applications/offer/print`: the offer on A4 portrait.
pub(crate) async fn print(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let Some(o) = current_offer(&st, lang).await? else {
        return Err(Fail::new(
            StatusCode::NOT_FOUND,
            lang,
            lang.t("服务内容尚未公示", "the offer is not published yet"),
        ));
    };
    let now = st.now();
    let title = lang.t("课后服务内容公示", "The after-school offer");
    let body = html! { h1 { (title) } (offer_body(lang, &now.policy, &now.school, &o)) };
    Ok(super::print::paper(crate::outputs::print::page(
        lang, title, false, body,
    )))
}

/// `POST /applications/offer`: publish (a new version; the newest is shown).
pub(crate) async fn publish(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?.clone();
    let term = text_field(&cx, "term", lang.t("学期", "term"), true, 40)?;
    let content = long_field(&cx, "content", lang.t("服务内容", "content"))?;
    let safety = long_field(&cx, "safety", lang.t("安全措施", "safety measures"))?;
    let by = Actor {
        who: me.user.login.clone(),
        via: "kehou serve /applications/offer".into(),
    };
    st.db(move |rec| rec.write(|tx| tx.publish_offer(&term, &content, &safety, &by)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    Ok(Redirect::to("/applications/offer").into_response())
}

/// An application number from a path.
pub(crate) fn app_id(lang: Lang, id: &str) -> Result<i64, Fail> {
    id.parse().map_err(|_| {
        Fail::field(
            lang,
            lang.t("申请", "application"),
            lang.t("应为申请编号", "expected an application number"),
        )
    })
}

fn no_such(lang: Lang) -> Fail {
    Fail::new(
        StatusCode::NOT_FOUND,
        lang,
        lang.t("没有这个申请", "no such application"),
    )
}

fn not_yours(lang: Lang) -> Fail {
    Fail::new(
        StatusCode::FORBIDDEN,
        lang,
        lang.t(
            "只有本班班主任或管理员可以办理这个班的协议; 未做任何更改",
            "only the class's homeroom teacher or an administrator may handle its agreements; nothing was changed",
        ),
    )
}

/// The signature lines at the foot of an agreement.
fn signatures(lang: Lang) -> Markup {
    html! {
        table.sign {
            tr { td { (lang.t("家长 (监护人) 签字: ", "Guardian's signature: ")) } td.sig {} td { (lang.t("日期: ", "Date: ")) } td.sig {} }
            tr { td { (lang.t("学校 (盖章): ", "School (seal): ")) } td.sig {} td { (lang.t("日期: ", "Date: ")) } td.sig {} }
        }
    }
}

/// `GET /applications/{id}/agreement`: the agreement of an approved
/// application, for paper (the office or the class's homeroom teacher).
pub(crate) async fn agreement(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(id): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?.clone();
    let id = app_id(lang, &id)?;
    let found = st
        .db(move |rec| {
            rec.read(|tx| {
                let Some(a) = tx.application(id)? else {
                    return Ok(None);
                };
                let p = tx.pupil(a.pupil_id)?;
                Ok(Some((a, p, tx.offer()?, tx.agreement(id)?)))
            })
        })
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let Some((a, Some(pupil), offer, signed)) = found else {
        return Err(no_such(lang));
    };
    let now = st.now();
    let (p, s) = (&now.policy, &now.school);
    if !sees_names(s, &me, &a.choice.class) {
        return Err(not_yours(lang));
    }
    let from = match a.state {
        AppState::Approved { from } | AppState::Withdrawing { from, .. } => from,
        _ => {
            return Err(Fail::new(
                StatusCode::CONFLICT,
                lang,
                lang.t(
                    "这个申请尚未批准, 还没有协议书",
                    "this application is not approved: there is no agreement yet",
                ),
            ))
        }
    };
    // The page shows the child's name: logged as a read (a refusal above
    // shows none and logs nothing).
    let by = Actor {
        who: me.user.login.clone(),
        via: format!("kehou serve /applications/{}/agreement", a.id),
    };
    let read = [a.pupil_id];
    st.db(move |rec| rec.write(|tx| tx.log_reads(&by, &read, "/applications/{id}/agreement")))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let title = lang.t("课后服务协议书", "After-school service agreement");
    let c = &a.choice;
    let body = html! {
        h1 { (p.school_name) " · " (title) }
        table {
            tr { th { (lang.t("学生", "pupil")) } td { (pupil.name) } th { (lang.t("班级", "class")) } td { (c.class) } }
            tr { th { (lang.t("参加星期", "weekdays")) } td { (days(&c.weekdays, lang)) } th { (lang.t("自", "from")) } td { (from) } }
            tr { th { (lang.t("参加时段", "sessions")) } td colspan="3" { (sessions(&c.sessions, p, lang)) } }
            tr { th { (lang.t("社团", "clubs")) } td colspan="3" { (clubs(&c.clubs, s, lang)) } }
            tr { th { (lang.t("家长", "guardian")) } td { (pupil.guardian) } th { (lang.t("电话", "phone")) } td { (pupil.phone) } }
        }
        h2 { (lang.t("双方权利与义务", "Rights and duties of both sides")) }
        p { (lang.t("家长自愿申请课后服务, 学校免费提供服务并负责服务期间的安全管理; 家长按时接送, 及时告知学校孩子的请假、身体情况和联系方式的变化; 家长可以申请退出, 经班主任审核和校长审定后生效.",
            "The family applies of its own will; the school serves free of charge and is responsible for safety during the service; the family picks up on time and tells the school of leave, health and changes of contact; the family may withdraw, effective once the homeroom teacher reviews and the principal approves.")) }
        h2 { (lang.t("安全措施", "Safety measures")) }
        @match &offer {
            Some(o) => { (paragraphs(&o.safety)) }
            None => { p { (lang.t("(本学期服务内容尚未公示)", "(the term's offer is not published yet)")) } }
        }
        (signatures(lang))
        @if let Some(g) = &signed {
            p.note { (lang.t("已签订: ", "Signed: ")) (g.signed_on) " · " (g.signed_by) }
        }
    };
    Ok(super::print::paper(crate::outputs::print::page(
        lang, title, false, body,
    )))
}

/// `POST /applications/{id}/agreement`: the agreement recorded as signed.
pub(crate) async fn record(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(id): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?.clone();
    let id = app_id(lang, &id)?;
    let on = date_field(lang, lang.t("签订日期", "signed on"), cx.field("signed_on"))?;
    let by_whom = text_field(&cx, "signed_by", lang.t("签字人", "signed by"), true, 40)?;
    let found = st
        .db(move |rec| rec.read(|tx| tx.application(id)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let Some(a) = found else {
        return Err(no_such(lang));
    };
    if !sees_names(&st.now().school, &me, &a.choice.class) {
        return Err(not_yours(lang));
    }
    let class = a.choice.class.clone();
    let by = Actor {
        who: me.user.login.clone(),
        via: "kehou serve /applications/{id}/agreement".into(),
    };
    st.db(move |rec| rec.write(|tx| tx.record_agreement(id, on, &by_whom, &by)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    Ok(Redirect::to(&format!("/applications?class={class}")).into_response())
}

/// The list's cell of an application: its agreement (printable, and
/// recorded as signed or the form to record it).
pub(crate) fn agreement_cell(
    lang: Lang,
    csrf: &str,
    a: &crate::record::applications::PupilApplication,
    signed: &[crate::record::family::Agreement],
) -> Markup {
    let app = &a.application;
    let approved = matches!(
        app.state,
        AppState::Approved { .. } | AppState::Withdrawing { .. }
    );
    let today = chrono::Local::now().date_naive();
    html! {
        @if approved {
            a href=(format!("/applications/{}/agreement", app.id)) { (lang.t("协议书", "agreement")) } " "
            @match signed.iter().find(|g| g.application_id == app.id) {
                Some(g) => { span.signed id=(format!("agreement-{}", app.id)) { (lang.t("已签 ", "signed ")) (g.signed_on) " · " (g.signed_by) } }
                None => {
                    form.inline method="post" action=(format!("/applications/{}/agreement", app.id)) {
                        (csrf_field(csrf))
                        input type="date" name="signed_on" value=(today);
                        input name="signed_by" maxlength="40" placeholder=(lang.t("签字人", "signed by")) value=(a.pupil.guardian) required;
                        button type="submit" { (lang.t("登记已签", "Record signed")) }
                    }
                }
            }
        }
    }
}
