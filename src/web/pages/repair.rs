//! Absence on the week page: who is absent and when; the repair of the
//! published version (`studies::repair`: as few changes as possible, past
//! duties untouched, pins kept) becomes the week's draft with each change
//! and its reason, to publish like any draft.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::NaiveDate;
use maud::{html, Markup};

use crate::error::{Error, Said};
use crate::lang::Lang;
use crate::model::school::School;
use crate::plan::Plan;
use crate::studies::repair::{self, Change, Request};
use crate::{check, demand, ledger};

use super::{date_field, me};
use crate::web::guard::Cx;
use crate::web::jobs::Origin;
use crate::web::layout::{csrf_field, Fail};
use crate::web::Shared;

/// The absence form (the published version is repaired).
pub(crate) fn form(s: &School, csrf: &str, monday: NaiveDate, lang: Lang) -> Markup {
    let end = monday + chrono::Days::new(6);
    html! {
        form method="post" action=(format!("/week/{monday}/repair")) {
            (csrf_field(csrf))
            label { (lang.t("缺勤人员 ", "Absent ")) select name="absent" {
                @for st in &s.staff { option value=(st.id) { (st.name) " (" (st.id) ")" } }
            } } " "
            label { (lang.t("从 ", "from ")) input type="date" name="from" value=(monday) min=(monday) max=(end); } " "
            label { (lang.t("到 ", "to ")) input type="date" name="to" value=(end) min=(monday) max=(end); } " "
            button type="submit" { (lang.t("生成修复方案", "Propose a repair")) }
            p.t { (lang.t("只改动缺勤人员的任务及必要的调整, 已过去的任务不变, 锁定的安排保留; 方案作为草稿显示, 发布前可查看.",
                "Changes only the absent person's duties and what they require; duties already past stay, pins are kept; the proposal is shown as a draft to look at before publishing.")) }
        }
    }
}

/// The repair's changes, each with its reason.
pub(crate) fn changes(
    s: &School,
    plan: &Plan,
    absent: usize,
    list: &[Change],
    lang: Lang,
) -> Markup {
    let name = |x: Option<usize>| x.map_or(String::from("—"), |i| s.shown_name(i).into_owned());
    html! {
        p { strong { (lang.t("缺勤修复: ", "Absence repair: ")) (s.shown_name(absent)) } " · "
            (lang.t("变更 ", "changes: ")) (list.len()) }
        @if !list.is_empty() {
            div.scroll { table {
                tr { th { (lang.t("任务", "Duty")) } th { (lang.t("原担任", "Was")) } th { (lang.t("改由", "Now")) } th { (lang.t("原因", "Why")) } }
                @for c in list {
                    @let d = &plan.demand.duties[c.duty];
                    tr { td { (d.date.format("%m-%d")) " " (d.start) "–" (d.end) " " (d.group) } td { (name(c.removed)) } td { (name(c.added)) } td { (c.why) } }
                }
            } }
        }
    }
}

fn fields(cx: &Cx, monday: NaiveDate) -> Result<(String, NaiveDate, NaiveDate), Fail> {
    let lang = cx.lang;
    let from = date_field(lang, lang.t("从", "from"), cx.field("from"))?;
    let to = date_field(lang, lang.t("到", "to"), cx.field("to"))?;
    let end = monday + chrono::Days::new(6);
    if from > to || from < monday || to > end {
        return Err(Fail::field(
            lang,
            lang.t("到", "to"),
            lang.t(
                "应为本周内、不早于开始日期的日期",
                "expected a date of this week, not before the start",
            ),
        ));
    }
    Ok((cx.field("absent").to_string(), from, to))
}

/// `POST /week/{monday}/repair`: propose the repair as the week's draft.
pub(crate) async fn submit(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(monday): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let monday = super::week_path(lang, &monday)?;
    let (absent, from, to) = fields(&cx, monday)?;
    let Some(a) = st.now().school.staff_index(&absent) else {
        return Err(Fail::field(
            lang,
            lang.t("缺勤人员", "absent"),
            lang.t(
                "应为教职工名单中的工号",
                "expected a staff id from the staff list",
            ),
        ));
    };
    let req = Request {
        absent,
        from,
        to,
        sessions: Vec::new(),
        now: chrono::Local::now().naive_local(),
        pins: st.jobs.pins(monday),
    };
    let st2 = st.clone();
    let (plan, list) = st
        .db(move |rec| propose(&st2, rec, monday, &req, lang))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let origin = Origin::Repair {
        absent: a,
        changes: list,
    };
    if st
        .jobs
        .put(&st, monday, plan, &me.user.login, origin)
        .is_none()
    {
        return Err(Fail::new(
            axum::http::StatusCode::CONFLICT,
            lang,
            lang.t(
                "本周正在排班; 未做任何更改",
                "the week is being planned; nothing was changed",
            ),
        ));
    }
    Ok(Redirect::to(&format!("/week/{monday}?view=draft")).into_response())
}

/// Repair the published version as `kehou repair` does, checked by the
/// independent checker with the absence recorded.
fn propose(
    st: &Shared,
    rec: &mut crate::record::Record,
    monday: NaiveDate,
    req: &Request,
    lang: Lang,
) -> crate::Result<(Plan, Vec<Change>)> {
    use crate::ledger::Published;
    let (p, mut s) = (&st.now().policy, st.now().school.clone());
    let published = rec.read(|tx| {
        ledger::add_term_load(p, &mut s, tx, monday)?;
        tx.published(monday)
    })?;
    let Some((_, rows)) = published else {
        return Err(Error::Refused(vec![Said::new(
            "本周尚未发布, 没有可修复的排班",
            "this week is not published: there is no roster to repair",
        )]));
    };
    let dm = demand::week(p, &s, monday);
    let (plan, list) = repair::repair(p, &s, &dm, &rows, req, lang)?;
    let (_, bad) = repair::check_repaired(p, &s, &dm, &plan, req);
    if !bad.is_empty() {
        return Err(check::refusal(
            &bad,
            "修复方案未通过独立检查, 未保存",
            "the repair failed the independent check, so it was not kept",
        ));
    }
    Ok((plan, list))
}
