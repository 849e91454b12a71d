//! Comp time (`/comp`, issue 20, item 4: 弹性上下班): each person's comp
//! time earned from the duties served after the policy's work-end, taken,
//! and the balance, over every term. The administrator sees everyone and
//! records time taken (`POST /comp/take`); finance and leadership see
//! everyone; a teacher sees their own.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use maud::html;

use crate::ledger::comp::{words, Balance, Taken};
use crate::record::accounts::Role;
use crate::record::comp::{balances_now, take, NOTE_MAX};
use crate::record::Actor;

use super::{date_field, me};
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, ok, page, Fail};
use crate::web::Shared;

/// `GET /comp`.
pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let st2 = st.clone();
    let (mut all, mut taken): (Vec<Balance>, Vec<Taken>) = st
        .db(move |rec| {
            rec.read(|tx| {
                let now = st2.now();
                Ok((
                    balances_now(tx, &now.policy, &now.school)?,
                    tx.comp_taken()?,
                ))
            })
        })
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let now = st.now();
    let (p, s) = (&now.policy, &now.school);
    // A teacher sees only their own.
    if me.user.role == Role::Teacher {
        let mine = me.user.staff_id.clone().unwrap_or_default();
        all.retain(|b| s.staff[b.staff].id == mine);
        taken.retain(|t| t.staff_id == mine);
    }
    let admin = me.user.role == Role::Admin;
    let body = html! {
        @match &p.comp {
            None => { p { (lang.t("规则中没有 [comp] (弹性上下班), 不计调休.", "The policy has no [comp] block (comp time): none is earned.")) } }
            Some(c) => { p.t { (lang.t("在 ", "Each minute served after ")) (c.work_end) (lang.t(" 之后服务的每一分钟折合 ", " earns ")) (format!("{:.2}", c.rate.as_f64())) (lang.t(" 分钟调休 (全部学期合计).", " minutes of comp time (over every term).")) } }
        }
        @if cx.query.contains_key("taken") { p.banner { (lang.t("已记录调休.", "Comp time taken was recorded.")) } }
        table.grid {
            thead { tr { th { (lang.t("工号", "staff id")) } th { (lang.t("姓名", "name")) } th { (lang.t("累计", "earned")) } th { (lang.t("已调休", "taken")) } th { (lang.t("余额", "balance")) } } }
            tbody { @for b in &all {
                tr { td { (s.staff[b.staff].id) } td { (s.shown_name(b.staff)) } td { (words(b.accrued, lang)) } td { (words(b.taken, lang)) } td { strong { (words(b.balance(), lang)) } } }
            } }
        }
        @if all.is_empty() { p { (lang.t("还没有调休记录.", "No comp time yet.")) } }
        @if admin && p.comp.is_some() {
            h2 { (lang.t("记录调休", "Record comp time taken")) }
            form.box method="post" action="/comp/take" {
                (csrf_field(&me.csrf))
                label { (lang.t("工号 ", "staff id ")) input type="text" name="staff" required list="staff-ids"; } " "
                datalist id="staff-ids" { @for x in &s.staff { option value=(x.id) { (x.name) } } }
                label { (lang.t("日期 ", "date ")) input type="date" name="date" required; } " "
                label { (lang.t("分钟 ", "minutes ")) input type="number" name="minutes" min="1" max="1440" required; } " "
                label { (lang.t("说明 ", "note ")) input type="text" name="note" maxlength=(NOTE_MAX); } " "
                button type="submit" { (lang.t("记录", "Record")) }
            }
        }
        @if !taken.is_empty() {
            h2 { (lang.t("调休记录", "Comp time taken")) }
            ul { @for t in &taken {
                li { (t.on_date) " · " (t.staff_id) " · " (t.minutes) (lang.t(" 分钟", " min")) @if !t.note.is_empty() { " · " (t.note) } " · " (t.who) " " (t.recorded_at.get(..16).unwrap_or(&t.recorded_at).replace('T', " ")) }
            } }
        }
    };
    Ok(ok(page(
        lang,
        lang.t("调休 (弹性上下班)", "Comp time"),
        Some(me),
        body,
    )))
}

/// `POST /comp/take`: the administrator records time taken.
pub(crate) async fn submit(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let staff = cx.field("staff").to_string();
    if staff.is_empty() {
        return Err(Fail::field(
            lang,
            lang.t("工号", "staff id"),
            lang.t("请填写工号", "expected a staff id"),
        ));
    }
    let date = date_field(lang, lang.t("日期", "date"), cx.field("date"))?;
    let minutes: i64 = cx.field("minutes").parse().map_err(|_| {
        Fail::field(
            lang,
            lang.t("分钟", "minutes"),
            lang.t(
                "应为 1 到 1440 的整数",
                "expected a whole number from 1 to 1440",
            ),
        )
    })?;
    let note = cx.field("note").to_string();
    if note.chars().count() > NOTE_MAX || note.chars().any(char::is_control) {
        return Err(Fail::field(
            lang,
            lang.t("说明", "note"),
            lang.t(
                "应为不超过 200 个字符的一行文字",
                "expected one line of at most 200 characters",
            ),
        ));
    }
    let by = Actor {
        who: me.user.login.clone(),
        via: "kehou serve /comp".into(),
    };
    let st2 = st.clone();
    st.db(move |rec| {
        rec.write(|tx| {
            let now = st2.now();
            take(
                tx,
                &now.policy,
                &now.school,
                &staff,
                date,
                minutes,
                &note,
                &by,
            )
        })
    })
    .await
    .map_err(|e| Fail::from_error(lang, &e))?;
    Ok(Redirect::to("/comp?taken=1").into_response())
}
