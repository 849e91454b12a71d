//! A family's data for the administrator (issue 20, item 6): one pupil's
//! page with 「导出家庭数据」 (everything kept about the child with every
//! staff read, as JSON: `Tx::family_data`, itself logged as a read) and
//! 「删除家庭数据」 (`Tx::erase_family`, behind a confirmation). A refusal
//! (the child still attends, an application waits for a decision) is a
//! 409 page saying why, and nothing is changed.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use maud::html;

use crate::lang::Lang;
use crate::record::accounts::Session;
use crate::record::applications::Pupil;
use crate::record::privacy::{family_json, FamilyData};
use crate::record::Actor;

use super::me;
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, ok, page, Fail};
use crate::web::Shared;

fn actor(me: &Session, what: &str) -> Actor {
    Actor {
        who: me.user.login.clone(),
        via: format!("kehou serve {what}"),
    }
}

/// A pupil number from the path, else a 400 naming the field.
pub(crate) fn pupil_id(lang: Lang, s: &str) -> Result<i64, Fail> {
    s.parse().map_err(|_| {
        Fail::field(
            lang,
            lang.t("学生", "pupil"),
            lang.t("应为学生编号", "expected a pupil id"),
        )
    })
}

fn no_pupil(lang: Lang, id: i64) -> Fail {
    Fail::new(
        StatusCode::NOT_FOUND,
        lang,
        match lang {
            Lang::Zh => format!("没有学生 {id}"),
            Lang::En => format!("there is no pupil {id}"),
        },
    )
}

/// `GET /admin/family/{pupil}`: the child, their applications, the two
/// actions. The page names the child, so it is logged as a read.
pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(pupil): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let id = pupil_id(lang, &pupil)?;
    let by = actor(me, "/admin/family");
    let got: Option<(Pupil, FamilyData)> = st
        .db(move |rec| {
            rec.write(|tx| {
                let Some(p) = tx.pupil(id)? else {
                    return Ok(None);
                };
                tx.log_reads(&by, &[id], "/admin/family")?;
                // What the export would give, without logging it as one.
                let apps = tx.applications_of_pupil(id)?;
                let data = FamilyData {
                    pupil: crate::record::privacy::PupilData::from(p.clone()),
                    applications: apps.iter().map(Into::into).collect(),
                    records: tx.child_records(id)?,
                    reads: tx.reads_of(id)?,
                };
                Ok(Some((p, data)))
            })
        })
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let Some((p, data)) = got else {
        return Err(no_pupil(lang, id));
    };
    let l = st.now();
    let class = l
        .school
        .classes
        .iter()
        .find(|c| c.id == p.class_id)
        .map_or(p.class_id.clone(), |c| c.name.clone());
    let body = html! {
        @if cx.query.get("done").is_some_and(|d| d == "erased") {
            p.banner { (lang.t("家庭数据已删除 (姓名、联系方式、备注、协议签字人、身体不适的处理措施); 申请的选择、审批和值班记录保留, 不再指向任何人.", "The family's data is erased (name, contacts, notes, the agreement's signer, what was done when the child was unwell); the choices, decisions and duty rows stay, naming no one.")) }
        }
        p { a href=(format!("/applications?class={}", p.class_id)) { "← " (lang.t("本班申请", "the class's applications")) } }
        table {
            tr { th { (lang.t("编号", "id")) } td { (p.id) } }
            tr { th { (lang.t("班级", "class")) } td { (class) } }
            @if p.erased {
                tr { th { (lang.t("姓名", "name")) } td { (lang.t("(已删除)", "(erased)")) } }
            } @else {
                tr { th { (lang.t("姓名", "name")) } td #pupil-name { (p.name) } }
                tr { th { (lang.t("家长", "guardian")) } td { (p.guardian) } }
                tr { th { (lang.t("电话", "phone")) } td { (p.phone) } }
            }
        }
        h2 { (lang.t("申请", "Applications")) }
        ul { @for a in &data.applications {
            li { "#" (a.id) " · " (a.applied_at.get(..10).unwrap_or(&a.applied_at)) " · " (a.state) }
        } }
        @let r = &data.records;
        h2 { (lang.t("值班记录", "During the duties")) }
        p #duty-records { (lang.t("点名 ", "roll calls ")) (r.roll_calls.len()) " · " (lang.t("身体不适 ", "unwell ")) (r.unwell.len()) " · " (lang.t("接走 ", "pickups ")) (r.pickups.len()) " · " (lang.t("交接 ", "handovers ")) (r.handovers.len()) (lang.t(" (详见导出)", " (in full in the export)")) }
        h2 { (lang.t("查阅记录", "Reads of the record")) }
        p.t { (lang.t("共 ", "")) (data.reads.len()) (lang.t(" 次 (含本次打开).", " reads (this one included).")) }
        h2 { (lang.t("导出家庭数据", "Export the family's data")) }
        p { a.big href=(format!("/admin/family/{id}/export.json")) { (lang.t("导出家庭数据", "Export the family's data")) " (JSON)" } }
        p.t { (lang.t("导出本身也记为一次查阅.", "The export is itself logged as a read.")) }
        @if !p.erased {
            h2 { (lang.t("删除家庭数据", "Erase the family's data")) }
            form.stack method="post" action=(format!("/admin/family/{id}/erase")) {
                (csrf_field(&me.csrf))
                p { (lang.t("删除学生姓名、家长和电话, 以及申请步骤中的备注. 仍在参加或有申请待审定时不能删除.", "Erases the pupil's name, guardian and phone, and the notes on the application's steps. Refused while the child still attends or an application waits for a decision.")) }
                label { input type="checkbox" name="confirm" value="yes" required; " " (lang.t("我确认删除这个家庭的数据, 此操作不能撤销", "I confirm erasing this family's data; this cannot be undone")) }
                button.big type="submit" { (lang.t("删除家庭数据", "Erase the family's data")) }
            }
        }
    };
    Ok(ok(page(
        lang,
        lang.t("家庭数据", "A family's data"),
        Some(me),
        body,
    )))
}

/// `GET /admin/family/{pupil}/export.json`: the family's data (logged).
pub(crate) async fn export(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(pupil): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let id = pupil_id(lang, &pupil)?;
    let by = actor(me, "/admin/family export");
    let got = st
        .db(move |rec| {
            rec.write(|tx| {
                if tx.pupil(id)?.is_none() {
                    return Ok(None);
                }
                tx.family_data(id, &by).map(Some)
            })
        })
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let Some(data) = got else {
        return Err(no_pupil(lang, id));
    };
    Ok(super::download(
        "application/json; charset=utf-8",
        format!("family-{id}.json"),
        family_json(&data),
    ))
}

/// `POST /admin/family/{pupil}/erase`: erase once confirmed; a refusal
/// is a 409 page with the reason, and nothing is changed.
pub(crate) async fn erase(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(pupil): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let id = pupil_id(lang, &pupil)?;
    if cx.field("confirm") != "yes" {
        return Err(Fail::field(
            lang,
            lang.t("确认删除", "confirm"),
            lang.t("请勾选确认后再删除", "tick the confirmation to erase"),
        ));
    }
    let (by, today) = (actor(me, "/admin/family erase"), st.clock().date());
    let found = st
        .db(move |rec| {
            if rec.read(|tx| tx.pupil(id))?.is_none() {
                return Ok(false);
            }
            // Checkpointed once committed: the old text leaves the -wal file.
            rec.erase_family(id, today, &by).map(|()| true)
        })
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    if !found {
        return Err(no_pupil(lang, id));
    }
    Ok(Redirect::to(&format!("/admin/family/{id}?done=erased")).into_response())
}
