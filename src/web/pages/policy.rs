//! Editing the policy in the browser (administrator): the TOML in a text
//! area with a check, or one form per section; either way the same diff
//! page (the check's result, the line difference, the effect on the pay of
//! published weeks) and a save with a note. A save keeps the version in
//! the record, writes policy.toml atomically and reloads the school, so
//! the next plan uses it. The history pages are in `policy_history`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use maud::{html, Markup};

use crate::error::{bad_char, Error};
use crate::input::policy::edit::{self, DiffLine, Tag};
use crate::input::policy::form::{self, Field, Kind, Section};
use crate::lang::Lang;
use crate::ledger::{self, PayEffect};
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::record::policy_versions::{save_and_write, SaveNote};
use crate::record::Actor;

use super::me;
use crate::web::auth::token_hash;
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, error_text, ok, page, Fail};
use crate::web::Shared;

/// The policy file's text now.
pub(crate) fn current(st: &Shared, lang: Lang) -> Result<String, Fail> {
    std::fs::read_to_string(&st.ws.policy)
        .map_err(|source| Error::Read {
            path: st.ws.policy.clone(),
            source,
        })
        .map_err(|e| Fail::from_error(lang, &e))
}

/// A posted text as the file would hold it (a browser sends CR LF).
fn posted_text(cx: &Cx) -> String {
    cx.form
        .get("text")
        .map(|t| t.replace("\r\n", "\n"))
        .unwrap_or_default()
}

/// The links between the policy pages.
fn links(lang: Lang) -> Markup {
    html! {
        p.noprint {
            a href="/admin/policy" { (lang.t("TOML 文本", "TOML text")) }
            @for s in Section::ALL {
                " · " a href=(format!("/admin/policy/form/{}", s.slug())) { (s.title().render(lang)) }
            }
            " · " a href="/admin/policy/history" { (lang.t("历史版本", "History")) }
        }
    }
}

/// The text area with its two buttons (check; show the difference).
fn editor(cx: &Cx, text: &str, result: Option<Markup>) -> Markup {
    let lang = cx.lang;
    let csrf = cx.me.as_ref().map_or("", |m| m.csrf.as_str());
    html! {
        (links(lang))
        // Replaced by the live check (assets/live.js) as one types.
        div #check-result { @if let Some(r) = result { (r) } }
        form.stack method="post" action="/admin/policy/diff" data-live="#check-result" data-live-url="/admin/policy/check" {
            (csrf_field(csrf))
            label { (lang.t("政策文件 policy.toml (说明见 docs/policy.md)", "The policy file policy.toml (see docs/policy.md)"))
                textarea.policy name="text" rows="30" spellcheck="false" { (text) } }
            div {
                button type="submit" formaction="/admin/policy/check" { (lang.t("检查", "Check")) }
                " "
                button type="submit" { (lang.t("查看差异并保存…", "Show the difference and save…")) }
            }
        }
    }
}

/// `GET /admin/policy`: the policy's text to edit.
pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let text = current(&st, cx.lang)?;
    let title = cx.lang.t("学校政策", "The school's policy");
    Ok(ok(page(cx.lang, title, Some(me), editor(&cx, &text, None))))
}

/// A candidate text checked as loading checks it, with the school's data
/// read against it (a data file may no longer fit the new policy).
pub(crate) fn check(st: &Shared, text: &str) -> Result<(Policy, School), Error> {
    let policy = edit::check(&st.ws.policy, text)?;
    let school = crate::input::school::load(&st.ws.data, &policy)?;
    Ok((policy, school))
}

/// The check's result in words.
fn verdict(lang: Lang, checked: &Result<(Policy, School), Error>) -> Markup {
    match checked {
        Ok(_) => {
            html! { p.ok { (lang.t("检查通过: 与加载时的校验相同, 没有发现问题.", "Checked: no problems (the same checks as loading).")) } }
        }
        Err(e) => html! {
            div.error {
                p { strong { (lang.t("检查未通过, 不能保存:", "The check found problems; it cannot be saved:")) } }
                ul.problems { @for line in error_text(e, lang).lines() { li { (line) } } }
            }
        },
    }
}

/// `POST /admin/policy/check`: the text area again, with the check's result.
pub(crate) async fn check_text(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let text = posted_text(&cx);
    let st2 = st.clone();
    let t2 = text.clone();
    let checked = crate::web::blocking(move || Ok(check(&st2, &t2)))
        .await
        .map_err(|e| Fail::from_error(cx.lang, &e))?;
    let result = verdict(cx.lang, &checked);
    let title = cx.lang.t("学校政策", "The school's policy");
    Ok(ok(page(
        cx.lang,
        title,
        Some(me),
        editor(&cx, &text, Some(result)),
    )))
}

/// The Mondays of every published week.
fn published_weeks(tx: &crate::record::Tx) -> crate::error::Result<Vec<chrono::NaiveDate>> {
    let mut weeks: Vec<_> = tx.all_versions()?.into_iter().map(|v| v.week).collect();
    weeks.dedup();
    Ok(weeks)
}

/// The effect of `new` on the pay of the published weeks.
async fn effect(st: &Shared, new: (Policy, School)) -> Result<PayEffect, Error> {
    let st2 = st.clone();
    st.db(move |rec| {
        let now = st2.now();
        rec.read(|tx| {
            let weeks = published_weeks(tx)?;
            ledger::pay_effect((&now.policy, &now.school), (&new.0, &new.1), tx, &weeks)
        })
    })
    .await
}

/// A line difference as a table: old line, new line, the text.
pub(crate) fn diff_table(lang: Lang, lines: &[DiffLine]) -> Markup {
    html! {
        @if lines.is_empty() { p { (lang.t("与当前政策没有差别.", "No difference from the policy in force.")) } }
        @else {
            div.scroll { table.diff {
                thead { tr { th.num { (lang.t("原行", "old")) } th.num { (lang.t("新行", "new")) } th { "" } } }
                tbody { @for l in lines {
                    @let (class, mark) = match l.tag { Tag::Same => ("same", " "), Tag::Removed => ("del", "−"), Tag::Added => ("add", "+"), Tag::Gap => ("gap", "…") };
                    tr class=(class) {
                        td.num { @if let Some(n) = l.old { (n) } }
                        td.num { @if let Some(n) = l.new { (n) } }
                        td { code { (mark) " " (l.text) } }
                    }
                } }
            } }
        }
    }
}

fn hours(minutes: u32) -> String {
    format!("{}.{:02}", minutes / 60, (minutes % 60) * 100 / 60)
}

fn signed(before: i64, after: i64) -> String {
    let d = after - before;
    let sign = if d > 0 {
        "+"
    } else if d < 0 {
        "−"
    } else {
        ""
    };
    format!("{sign}{}", crate::model::units::Fen(d.abs()))
}

/// The pay effect: per published week its totals, and per person the change.
fn effect_box(lang: Lang, e: &PayEffect) -> Markup {
    html! {
        h2 { (lang.t("对已发布周报酬的影响", "Effect on the pay of published weeks")) }
        @if !e.changes_pay() { p.ok { (lang.t("已发布各周的课时与报酬不变.", "The hours and pay of every published week stay as they are.")) } }
        @for (monday, why) in &e.unpriced {
            p.error { (monday) ": " (lang.t("新政策无法计算这一周已记录任务的报酬: ", "the new policy cannot price this week's recorded duties: ")) (why.render(lang)) }
        }
        @for w in &e.weeks {
            div.box.effect {
                p { strong { (lang.t("周 ", "Week ")) (w.monday) } " · "
                    (lang.t("小时 ", "hours ")) (hours(w.minutes.0)) " → " (hours(w.minutes.1)) " · "
                    (lang.t("金额 ", "amount ")) (w.pay.0) " → " (w.pay.1) (lang.t(" 元", " yuan"))
                    " (" (signed(w.pay.0 .0, w.pay.1 .0)) ")" }
                div.scroll { table {
                    thead { tr { th { (lang.t("工号", "staff id")) } th { (lang.t("姓名", "name")) }
                        th.num { (lang.t("小时 (前)", "hours before")) } th.num { (lang.t("小时 (后)", "hours after")) }
                        th.num { (lang.t("金额 (前)", "amount before")) } th.num { (lang.t("金额 (后)", "amount after")) } th.num { (lang.t("差额", "difference")) } } }
                    tbody { @for p in &w.people { tr {
                        td { (p.staff_id) } td { (p.name) }
                        td.num { (hours(p.minutes.0)) } td.num { (hours(p.minutes.1)) }
                        td.num { (p.pay.0) } td.num { (p.pay.1) } td.num { (signed(p.pay.0 .0, p.pay.1 .0)) }
                    } } }
                } }
            }
        }
        @if e.changes_pay() {
            p.warn { (lang.t("已记录的任务本身不会改变; 但工作量与绩效表按当前政策计算, 保存后以上各周的报酬将按新政策显示. 保存前须勾选确认.", "The recorded duties themselves do not change; but the workload and pay sheets are computed under the policy in force, so after saving these weeks are paid as shown. Tick the confirmation to save.")) }
        }
    }
}

/// The diff page of a candidate text: the check, the difference, the pay
/// effect and (when it may be saved) the save form.
pub(crate) async fn proposal(
    st: &Shared,
    cx: &Cx,
    text: String,
    restored_from: Option<i64>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(cx)?;
    let now = current(st, lang)?;
    let lines = edit::diff(&now, &text, 3);
    let st2 = st.clone();
    let t2 = text.clone();
    let checked = crate::web::blocking(move || Ok(check(&st2, &t2)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let verdict = verdict(lang, &checked);
    let pay = match checked {
        Ok(new) if !lines.is_empty() => Some(
            effect(st, new)
                .await
                .map_err(|e| Fail::from_error(lang, &e))?,
        ),
        _ => None,
    };
    let body = html! {
        (links(lang))
        (verdict)
        h2 { (lang.t("与当前政策的差别", "Difference from the policy in force")) }
        (diff_table(lang, &lines))
        @if let Some(e) = &pay {
            (effect_box(lang, e))
            (save_form(cx, &now, &text, restored_from, e.changes_pay()))
        }
    };
    Ok(ok(page(
        lang,
        lang.t("政策修改: 差别与保存", "Policy change: difference and save"),
        Some(me),
        body,
    )))
}

fn save_form(cx: &Cx, now: &str, text: &str, restored_from: Option<i64>, pay: bool) -> Markup {
    let lang = cx.lang;
    let csrf = cx.me.as_ref().map_or("", |m| m.csrf.as_str());
    html! {
        form.stack method="post" action="/admin/policy/save" {
            (csrf_field(csrf))
            input type="hidden" name="base" value=(token_hash(now));
            input type="hidden" name="text" value=(text);
            @if let Some(r) = restored_from { input type="hidden" name="restored_from" value=(r); }
            label { (lang.t("说明 (为什么修改, 依据哪份文件)", "Note (why, on what authority)")) input type="text" name="note" maxlength="1000"; }
            @if pay {
                label.confirm { input type="checkbox" name="confirm" value="1";
                    " " (lang.t("我确认: 以上已发布周的报酬将按新政策计算", "I confirm: the published weeks above are paid under the new policy")) }
            }
            button type="submit" { (lang.t("保存并启用", "Save and put in force")) }
        }
    }
}

/// `POST /admin/policy/diff`: the difference of the posted text.
pub(crate) async fn diff(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let text = posted_text(&cx);
    proposal(&st, &cx, text, None).await
}

/// `GET /admin/policy/form/{section}`: one section as a form.
pub(crate) async fn section_form(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(slug): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let section = section(lang, &slug)?;
    let text = current(&st, lang)?;
    let fields = form::fields(&text, section).map_err(|e| Fail::from_error(lang, &e))?;
    let csrf = me.csrf.as_str();
    let body = html! {
        (links(lang))
        p.t { (lang.t("只显示常改的项; 其他 (如按年级的时间调整、分组) 请在 TOML 文本中修改. 提交后先显示差别, 确认后才保存.", "Only the keys changed often are here; edit the others (per-band overrides, grouping) as TOML. Submitting shows the difference first; nothing is saved until you confirm.")) }
        form.stack.policyform method="post" action=(format!("/admin/policy/form/{slug}")) {
            (csrf_field(csrf))
            @for f in &fields { (input(lang, f)) }
            button type="submit" { (lang.t("查看差异…", "Show the difference…")) }
        }
    };
    let title = format!(
        "{}: {}",
        lang.t("政策", "Policy"),
        section.title().render(lang)
    );
    Ok(ok(page(lang, &title, Some(me), body)))
}

fn section(lang: Lang, slug: &str) -> Result<Section, Fail> {
    Section::from_slug(slug).ok_or_else(|| {
        Fail::new(
            StatusCode::NOT_FOUND,
            lang,
            lang.t("没有这个政策分项", "no such policy section"),
        )
    })
}

/// One form field: its label, its input, its key in the file.
fn input(lang: Lang, f: &Field) -> Markup {
    let yes_no = [("true", lang.t("是", "yes")), ("false", lang.t("否", "no"))];
    html! {
        label {
            (f.label.render(lang)) " " small.t { code { (f.name) } }
            @match f.kind {
                Kind::Bool => select name=(f.name) { @for (v, w) in yes_no { option value=(v) selected[f.value == v] { (w) } } },
                Kind::Choice(words) => select name=(f.name) { @for w in words { option value=(w) selected[f.value == *w] { (w) } } },
                _ => { input type="text" name=(f.name) value=(f.value) required[!f.optional]; }
            }
        }
    }
}

/// `POST /admin/policy/form/{section}`: the form's changes to the text,
/// then the diff page; a field that cannot be used is named.
pub(crate) async fn section_submit(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(slug): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let section = section(lang, &slug)?;
    let text = current(&st, lang)?;
    let fields = form::fields(&text, section).map_err(|e| Fail::from_error(lang, &e))?;
    let changes = form::changes(&fields, &cx.form)
        .map_err(|e| Fail::field(lang, e.field.render(lang), e.why.render(lang)))?;
    let edited = edit::apply(&text, &changes).map_err(|e| Fail::from_error(lang, &e))?;
    proposal(&st, &cx, edited, None).await
}

/// `POST /admin/policy/save`: keep the version, write the file, reload.
pub(crate) async fn save(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let text = posted_text(&cx);
    let now = current(&st, lang)?;
    if !crate::web::auth::same(&token_hash(&now), cx.field("base")) {
        return Err(Fail::new(StatusCode::CONFLICT, lang, lang.t(
            "在你打开差别页之后, 政策文件已被修改; 未做任何更改. 请重新打开政策页面再改",
            "the policy file changed after the difference was shown; nothing was changed. Open the policy again and redo the change",
        )));
    }
    let note = cx.field("note").to_string();
    if bad_char(&note).is_some() || note.chars().count() > 1000 {
        return Err(Fail::field(
            lang,
            lang.t("说明", "note"),
            lang.t(
                "应为不超过 1000 字的一行文字",
                "expected one line of at most 1000 characters",
            ),
        ));
    }
    let restored_from = match cx.field("restored_from") {
        "" => None,
        s => Some(s.parse::<i64>().map_err(|_| {
            Fail::field(
                lang,
                "restored_from",
                lang.t("应为版本编号", "expected a version number"),
            )
        })?),
    };
    let st2 = st.clone();
    let t2 = text.clone();
    let new = crate::web::blocking(move || check(&st2, &t2))
        .await
        .map_err(|e| {
            Fail::new(
                StatusCode::BAD_REQUEST,
                lang,
                format!(
                    "{}\n{}",
                    error_text(&e, lang),
                    lang.t("未做任何更改", "nothing was changed")
                ),
            )
        })?;
    let e = effect(&st, new)
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let confirmed = cx.field("confirm") == "1";
    if e.changes_pay() && !confirmed {
        return Err(Fail::field(
            lang,
            lang.t(
                "确认已发布周的报酬变化",
                "confirm the change to published pay",
            ),
            lang.t(
                "这次修改会改变已发布周的报酬, 必须勾选确认",
                "this change alters the pay of published weeks: tick the confirmation",
            ),
        ));
    }
    let by = Actor {
        who: me.user.login.clone(),
        via: "kehou serve /admin/policy/save".into(),
    };
    let n = SaveNote {
        note,
        restored_from,
        pay_confirmed: e.changes_pay() && confirmed,
    };
    let file = st.ws.policy.clone();
    let id = st
        .db(move |rec| save_and_write(rec, &file, &now, &text, &n, &by))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let st2 = st.clone();
    crate::web::blocking(move || st2.reload())
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    Ok(Redirect::to(&format!("/admin/policy/history/{id}?saved=1")).into_response())
}
