//! The pages made for paper, for the published week: the wall roster
//! (`/week/{monday}/print`, A4 landscape), a day's duty sheet with a
//! signature per person (`/day/{date}`) and a day's handover sheet
//! (`/handover/{date}`). Each is a self-contained page from
//! `outputs::print`, the same the command line writes.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Extension;
use chrono::{Datelike, Days, NaiveDate};
use maud::{html, Markup};

use crate::error::Error;
use crate::lang::Lang;
use crate::outputs::print;
use crate::plan::Plan;

use super::week::{published_plan, snapshot};
use super::{date_field, week_path};
use crate::web::guard::Cx;
use crate::web::layout::{ok, Fail};
use crate::web::Shared;

/// The week page's links to its printable pages.
pub(crate) fn links(lang: Lang, monday: NaiveDate) -> Markup {
    let days: Vec<NaiveDate> = (0..5).map(|k| monday + Days::new(k)).collect();
    html! {
        div.weeknav.noprint {
            a href=(format!("/week/{monday}/print")) { (lang.t("打印本周排班 (A4 横向)", "Print the week (A4 landscape)")) }
            span { (lang.t("值班签到表: ", "Duty sheet: "))
                @for d in &days { a href=(format!("/day/{d}")) { (lang.weekday(d.weekday())) } " " } }
            span { (lang.t("交接班表: ", "Handover: "))
                @for d in &days { a href=(format!("/handover/{d}")) { (lang.weekday(d.weekday())) } " " } }
        }
    }
}

/// The published plan of the week of `monday`, or a 404 page.
async fn published(
    st: &Shared,
    monday: NaiveDate,
    lang: Lang,
) -> Result<(Plan, crate::model::school::School), Fail> {
    let fail = |e: Error| Fail::from_error(lang, &e);
    crate::calendar::require_national(&st.now().policy, monday, monday + Days::new(6))
        .map_err(fail)?;
    let snap = snapshot(st, monday).await.map_err(fail)?;
    match published_plan(st, &snap, monday).map_err(fail)? {
        Some(plan) => Ok((plan, snap.school)),
        None => Err(Fail::new(
            StatusCode::NOT_FOUND,
            lang,
            lang.t("本周尚未发布", "this week is not published"),
        )),
    }
}

/// A printable page: it carries its own style (it is also a file).
pub(crate) fn paper(html: String) -> Response {
    let mut resp = ok(maud::PreEscaped(html));
    resp.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"),
    );
    resp
}

/// The published week for the staff-room wall.
pub(crate) async fn week(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(monday): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let monday = week_path(lang, &monday)?;
    let (plan, school) = published(&st, monday, lang).await?;
    Ok(paper(print::week_print(
        &st.now().policy,
        &school,
        &plan,
        lang,
    )))
}

/// One day's duty sheet.
pub(crate) async fn day(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(date): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let date = date_field(lang, lang.t("日期", "date"), &date)?;
    let (plan, school) = published(&st, crate::calendar::monday_of(date), lang).await?;
    Ok(paper(print::day_sheet(
        &st.now().policy,
        &school,
        &plan,
        date,
        lang,
    )))
}

/// One day's handover sheet.
pub(crate) async fn handover(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(date): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let date = date_field(lang, lang.t("日期", "date"), &date)?;
    let (plan, school) = published(&st, crate::calendar::monday_of(date), lang).await?;
    Ok(paper(print::handover_html(
        &st.now().policy,
        &school,
        &plan,
        Some(date),
        lang,
    )))
}
