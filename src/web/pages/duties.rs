//! One person's duties of a week, as they stand (the published roster with
//! the swaps, substitutions and cancellations recorded since), on a page
//! that fits a phone. A teacher sees only their own.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::{Datelike, Days, NaiveDate};
use maud::{html, Markup};

use crate::demand::Duty;
use crate::error::Error;
use crate::lang::Lang;
use crate::outputs::terminal::{kind_label, session_label};
use crate::plan::explain::{constraint_words, explain, standing_words, Explanation};
use crate::record::accounts::Role;
use crate::{demand, ledger, roster};

use super::{me, week_query};
use crate::web::guard::{may_see_staff, Cx};
use crate::web::layout::{ok, page, Fail};
use crate::web::Shared;

/// My duties: the page of the account's staff id.
pub(crate) async fn mine(Extension(cx): Extension<Cx>) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let lang = cx.lang;
    let Some(id) = &me.user.staff_id else {
        let body = html! { p { (lang.t("你的账号没有关联工号, 请管理员在「账号」页面关联.", "Your account has no staff id; ask the administrator to link one on the Accounts page.")) } };
        return Ok(ok(page(
            lang,
            lang.t("我的任务", "My duties"),
            Some(me),
            body,
        )));
    };
    let week = week_query(&cx)?;
    Ok(Redirect::to(&format!("/duties/{id}?week={week}")).into_response())
}

/// The duties `staff` serves in a week, in time order.
pub(super) async fn served(
    st: &Shared,
    staff: usize,
    monday: NaiveDate,
) -> Result<(Option<u32>, Vec<Duty>), Error> {
    let st2 = st.clone();
    st.db(move |rec| {
        rec.read(|tx| {
            let (p, s) = (&st2.now().policy, &st2.now().school);
            let Some(v) = tx.latest(monday)? else {
                return Ok((None, Vec::new()));
            };
            let rows = tx.rows(monday, v)?.unwrap_or_default();
            let dm = demand::week(p, s, monday);
            let events = tx.events()?;
            let adjustments = tx.adjustments()?;
            let changes = ledger::Changes {
                events: &events,
                adjustments: &adjustments,
            };
            let sunday = monday + Days::new(6);
            let mut mine: Vec<Duty> =
                ledger::served_week(p, s, &dm.duties, &rows, changes, monday, sunday)?
                    .into_iter()
                    .filter(|x| x.staff == staff)
                    .map(|x| x.duty)
                    .collect();
            mine.sort_by_key(|d| (d.date, d.start));
            Ok((Some(v), mine))
        })
    })
    .await
}

/// Why `staff` has their load in the published week (their duties as
/// published, before swaps recorded since); None when not published.
async fn why(
    st: &Shared,
    staff: usize,
    monday: NaiveDate,
    lang: Lang,
) -> Result<Option<Explanation>, Error> {
    let st2 = st.clone();
    st.db(move |rec| {
        rec.read(|tx| {
            let p = &st2.now().policy;
            let Some(v) = tx.latest(monday)? else {
                return Ok(None);
            };
            let Some(bytes) = tx.roster_bytes(monday, v)? else {
                return Ok(None);
            };
            // The term's load before this week, as planning saw it.
            let mut school = st2.now().school.clone();
            ledger::add_term_load(p, &mut school, tx, monday)?;
            let at = std::path::PathBuf::from(format!("{monday}/v{v}"));
            let rows = roster::parse(&at, &bytes)?;
            let dm = demand::week(p, &school, monday);
            let plan = roster::plan_from_rows(&school, &dm, &rows);
            Ok(Some(explain(p, &school, &plan, staff, lang)))
        })
    })
    .await
}

/// "Why these duties": what limited them, where they stand.
fn why_box(e: &Explanation, lang: Lang) -> Markup {
    html! {
        details.why {
            summary { (lang.t("为什么是这些任务", "Why these duties")) }
            @if let Some(a) = &e.apart { p { (a) } }
            @if !e.limits.is_empty() {
                p { (lang.t("限制:", "What limited them:")) }
                ul { @for c in &e.limits { li { (constraint_words(c, lang)) } } }
            }
            @if let Some(sd) = &e.standing { @for l in standing_words(sd, lang) { p { (l) } } }
            @if let Some(b) = &e.bound { p { (b) } }
        }
    }
}

pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(staff_id): Path<String>,
) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let lang = cx.lang;
    if !may_see_staff(me, &staff_id) {
        return Err(Fail::forbidden(lang, me.user.role));
    }
    let Some(ix) = st.now().school.staff_index(&staff_id) else {
        return Err(Fail::new(
            StatusCode::NOT_FOUND,
            lang,
            format!(
                "{} {staff_id}",
                lang.t("没有这个工号:", "no such staff id:")
            ),
        ));
    };
    let monday = week_query(&cx)?;
    let (version, duties) = served(&st, ix, monday)
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let own = me.user.staff_id.as_deref() == Some(staff_id.as_str());
    let asks = match own {
        true => super::requests::of_week(&st, monday, Some(staff_id.clone()))
            .await
            .map_err(|e| Fail::from_error(lang, &e))?,
        false => Vec::new(),
    };
    // The administrator and the teacher themself see why.
    let reason = match own || me.user.role == Role::Admin {
        true => why(&st, ix, monday, lang)
            .await
            .map_err(|e| Fail::from_error(lang, &e))?,
        false => None,
    };
    // The calendar subscription: the person's own, or any for the administrator.
    let calendar = own || me.user.role == Role::Admin;
    let token = match calendar {
        true => super::calendar::token_of(&st, &staff_id)
            .await
            .map_err(|e| Fail::from_error(lang, &e))?,
        false => None,
    };
    let chart = super::trend::term_chart(&st, ix, monday, lang).await;
    let chart = chart.map_err(|e| Fail::from_error(lang, &e))?;
    let minutes: u32 = duties.iter().map(Duty::minutes).sum();
    let (prev, next) = (monday - Days::new(7), monday + Days::new(7));
    let p = &st.now().policy;
    let body = html! {
        div.weeknav {
            a href=(format!("?week={prev}")) { "← " (lang.t("上一周", "previous")) }
            span { (monday) }
            a href=(format!("?week={next}")) { (lang.t("下一周", "next")) " →" }
        }
        @match version {
            None => { p { (lang.t("本周尚未发布排班.", "This week's roster is not published yet.")) } }
            Some(v) => {
                p.t { (lang.t("依据已发布 v", "From published v")) (v) (lang.t(", 含已记录的换班、代课与取消", ", with the swaps, substitutions and cancellations recorded")) }
                @if duties.is_empty() { p { (lang.t("本周没有任务.", "No duties this week.")) } }
                ul.duties {
                    @for d in &duties {
                        li {
                            strong { (d.date.format("%m-%d")) " " (lang.weekday(d.date.weekday())) " " (d.start) "–" (d.end) }
                            br;
                            (session_label(p, &d.session, lang)) " · " (kind_label(p, d.kind, lang)) " · " (d.group)
                        }
                    }
                }
                p { (lang.t("本周合计: ", "This week: ")) (duties.len()) (lang.t(" 项, ", " duties, ")) (format!("{:.2}", f64::from(minutes) / 60.0)) (lang.t(" 小时", " hours")) }
            }
        }
        @if let Some(e) = &reason { (why_box(e, lang)) }
        @if let Some(c) = &chart { (c) }
        @if cx.query.contains_key("asked") { p.banner { (lang.t("申请已提交, 等待副校长处理.", "Request sent; the vice-principal will answer it.")) } }
        @if own && version.is_some() { (super::requests::teacher_box(&cx, monday, &duties, &asks)) }
        @if calendar { (super::calendar::subscription_box(&cx, &st.settings, &staff_id, token.as_ref())) }
        @if own { p.t { a href="/comp" { (lang.t("我的调休", "My comp time")) } " · " a href="/appraisal" { (lang.t("我的考核表", "My appraisal sheet")) } } }
    };
    let title = format!(
        "{} · {}",
        st.now().school.shown_name(ix),
        lang.t("我的任务", "duties")
    );
    Ok(ok(page(lang, &title, Some(me), body)))
}
