//! Telling people (`/week/{monday}/changes`, the administrator): after a
//! publication, one text per person affected, each in a box to copy into
//! WeCom or DingTalk (`outputs::notice`), from the changes between the
//! week as served before and after the version; and what became of the
//! group robot's digest. `?version=N` shows an earlier version's.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use maud::html;

use crate::ledger::history;
use crate::outputs::notice;
use crate::{demand, Error};

use super::{me, week_path};
use crate::web::guard::Cx;
use crate::web::layout::{ok, page, Fail};
use crate::web::robot::{for_notice, Outcome};
use crate::web::Shared;

pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(monday): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let monday = week_path(lang, &monday)?;
    let asked = match cx.query.get("version").filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(v.parse::<u32>().map_err(|_| {
            Fail::field(
                lang,
                lang.t("版本", "version"),
                lang.t(
                    "应为已发布的版本号, 如 2",
                    "expected a published version, such as 2",
                ),
            )
        })?),
    };
    let h = st
        .db(move |rec| rec.read(|tx| tx.week_history(monday)))
        .await
        .map_err(|e: Error| Fail::from_error(lang, &e))?;
    let Some(version) = asked.or(h.last().map(|v| v.version)) else {
        return Err(Fail::new(
            StatusCode::NOT_FOUND,
            lang,
            lang.t("本周尚未发布", "this week is not published"),
        ));
    };
    if !h.iter().any(|v| v.version == version) {
        return Err(Fail::new(
            StatusCode::NOT_FOUND,
            lang,
            format!(
                "{} v{version}",
                lang.t("本周没有这个版本:", "the week has no version")
            ),
        ));
    }
    let dm = demand::week(&st.now().policy, &st.now().school, monday);
    let changes = history::changes(&dm.duties, &h, version);
    let (p, s) = (&st.now().policy, &st.now().school);
    let texts = notice::notices(
        p,
        s,
        &for_notice(&dm.duties, &changes),
        monday,
        version == 1,
        lang,
    );
    let robot = st.robots.outcome(monday).filter(|(v, _)| *v == version);
    let body = html! {
        div.weeknav.noprint {
            a href=(format!("/week/{monday}")) { "← " (lang.t("返回本周", "back to the week")) }
            @for v in &h {
                @if v.version != version { a href=(format!("?version={}", v.version)) { "v" (v.version) } }
            }
        }
        p {
            (lang.t("v", "v")) (version) ": "
            (lang.t("变更的任务 ", "duties changed: ")) (changes.len()) " · "
            (lang.t("涉及 ", "people affected: ")) (texts.len()) (lang.t(" 人. 逐条复制到企业微信或钉钉发给本人.", " — copy each into WeCom or DingTalk to its person."))
        }
        div.box.noprint {
            @match robot {
                Some((_, Outcome::Sending)) => { p { (lang.t("群机器人: 正在发送摘要…", "Group robot: sending the digest…")) } }
                Some((_, Outcome::Sent)) => { p { (lang.t("群机器人: 摘要已发送.", "Group robot: the digest was sent.")) } }
                Some((_, Outcome::Failed(why))) => { p.error { (lang.t("群机器人: 摘要未发出: ", "Group robot: the digest was not sent: ")) (why.render(lang)) } }
                None => { p.t { (lang.t("群机器人: 这个版本没有发送摘要 (未设置群机器人, 或本次启动之前发布).", "Group robot: no digest for this version (no robot set, or published before this start).")) } }
            }
            p.t { a href="/admin/robot" { (lang.t("设置群机器人", "Set the group robot")) } }
        }
        @for n in &texts {
            h3 { (n.name) " (" (n.staff_id) ")" }
            textarea.notice readonly rows="3" { (n.text) }
        }
    };
    let title = format!("{} {monday}", lang.t("变更通知", "Change notices, week of"));
    Ok(ok(page(lang, &title, Some(me), body)))
}
