//! The policy's saved versions (administrator, finance, leadership): who
//! saved which version when and why, each version's difference to the
//! policy in force, and (administrator) restoring one, which goes through
//! the same diff page and is a new save.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use maud::html;

use crate::error::shown;
use crate::input::policy::edit;
use crate::lang::Lang;
use crate::record::accounts::Role;
use crate::record::policy_versions::PolicyVersion;

use super::me;
use super::policy::{current, diff_table, proposal};
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, ok, page, Fail};
use crate::web::Shared;

/// `GET /admin/policy/history`: every saved version, newest first.
pub(crate) async fn list(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let versions = st
        .db(|rec| rec.read(|tx| tx.policy_versions()))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let body = html! {
        @if me.user.role == Role::Admin { p { a href="/admin/policy" { (lang.t("修改政策", "Edit the policy")) } } }
        @if versions.is_empty() { p { (lang.t("还没有从网页保存过政策; 现行政策就是工作目录中的 policy.toml.", "No policy has been saved from the web yet; the policy in force is the workspace's policy.toml.")) } }
        @else {
            div.scroll { table.history {
                thead { tr {
                    th.num { (lang.t("版本", "version")) } th { (lang.t("保存时间", "saved")) } th { (lang.t("保存人", "by")) }
                    th { (lang.t("说明", "note")) } th { (lang.t("报酬变化已确认", "pay change confirmed")) }
                } }
                tbody { @for v in &versions { tr {
                    td.num { a href=(format!("/admin/policy/history/{}", v.id)) { "#" (v.id) } }
                    td { (at(&v.saved_at)) } td { (shown(&v.who)) }
                    td { (shown(&v.note)) @if let Some(r) = v.restored_from { " (" (lang.t("恢复自 #", "restores #")) (r) ")" } }
                    td { @if v.pay_confirmed { (lang.t("是", "yes")) } }
                } } }
            } }
        }
    };
    Ok(ok(page(
        lang,
        lang.t("政策历史版本", "Policy history"),
        Some(me),
        body,
    )))
}

fn at(s: &str) -> String {
    s.get(..16).unwrap_or(s).replace('T', " ")
}

async fn version(st: &Shared, lang: Lang, id: &str) -> Result<PolicyVersion, Fail> {
    let missing = || {
        Fail::new(
            StatusCode::NOT_FOUND,
            lang,
            lang.t("没有这个政策版本", "no such policy version"),
        )
    };
    let id: i64 = id.parse().map_err(|_| missing())?;
    st.db(move |rec| rec.read(|tx| tx.policy_version(id)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?
        .ok_or_else(missing)
}

/// `GET /admin/policy/history/{id}`: one version and what restoring it
/// would change in the policy in force.
pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(id): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let v = version(&st, lang, &id).await?;
    let now = current(&st, lang)?;
    let lines = edit::diff(&now, &v.text, 3);
    let body = html! {
        p { a href="/admin/policy/history" { "← " (lang.t("历史版本", "History")) } }
        @if cx.query.get("saved").is_some_and(|s| s == "1") { p.ok { (lang.t("已保存并启用; 下一次排班即按此政策.", "Saved and in force; the next plan uses it.")) } }
        div.box {
            p { strong { "#" (v.id) } " · " (at(&v.saved_at)) " · " (shown(&v.who)) " · " (shown(&v.via)) }
            @if !v.note.is_empty() { p { (lang.t("说明: ", "Note: ")) (shown(&v.note)) } }
            @if let Some(r) = v.restored_from { p { (lang.t("恢复自 #", "Restores #")) (r) } }
            @if v.pay_confirmed { p.warn { (lang.t("保存时已确认已发布周的报酬变化.", "Saved with the confirmation that published weeks' pay changes.")) } }
        }
        h2 { (lang.t("与现行政策的差别 (− 现行, + 此版本)", "Difference from the policy in force (− in force, + this version)")) }
        (diff_table(lang, &lines))
        @if me.user.role == Role::Admin && !lines.is_empty() {
            form method="post" action=(format!("/admin/policy/history/{}/restore", v.id)) {
                (csrf_field(&me.csrf))
                button type="submit" { (lang.t("恢复此版本… (先显示差别与报酬影响)", "Restore this version… (shows the difference and pay effect first)")) }
            }
        }
        details { summary { (lang.t("此版本全文", "This version's full text")) } pre.policy { (v.text) } }
    };
    let title = format!("{} #{}", lang.t("政策版本", "Policy version"), v.id);
    Ok(ok(page(lang, &title, Some(me), body)))
}

/// `POST /admin/policy/history/{id}/restore`: the version's text on the
/// diff page, to be saved as a new version.
pub(crate) async fn restore(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(id): Path<String>,
) -> Result<Response, Fail> {
    let v = version(&st, cx.lang, &id).await?;
    proposal(&st, &cx, v.text, Some(v.id)).await
}
