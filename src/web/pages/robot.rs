//! `/admin/robot` (the administrator): set, test or clear the school's
//! group robot (a WeCom or DingTalk webhook, DingTalk's optional signing
//! secret). The webhook URL is a secret: anyone holding it can post to the
//! school's group. It is kept in the record's `secrets` table and never
//! shown back: the page says only which service and the URL's last four
//! characters.

use axum::extract::State;
use axum::response::Response;
use axum::Extension;
use maud::html;

use crate::lang::Lang;
use crate::outputs::robot::{Kind, Robot};
use crate::record::Actor;

use super::me;
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, ok, page, Fail};
use crate::web::robot::{send, SECRET};
use crate::web::Shared;

const URL_MAX: usize = 512;
const SECRET_MAX: usize = 128;

fn kind_label(k: Kind, lang: Lang) -> &'static str {
    match k {
        Kind::Wecom => lang.t("企业微信", "WeCom"),
        Kind::Dingtalk => lang.t("钉钉", "DingTalk"),
    }
}

async fn current(st: &Shared) -> crate::Result<Option<Robot>> {
    let v = st.db(|rec| rec.read(|tx| tx.secret(SECRET))).await?;
    Ok(v.and_then(|v| serde_json::from_str(&v).ok()))
}

/// The page, with `said` (the outcome of a form) on top.
async fn render(st: &Shared, cx: &Cx, said: Option<(bool, String)>) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(cx)?;
    let robot = current(st).await.map_err(|e| Fail::from_error(lang, &e))?;
    let csrf = me.csrf.as_str();
    let body = html! {
        @if let Some((good, text)) = &said {
            p class=(if *good { "banner" } else { "error" }) { (text) }
        }
        div.box {
            @match &robot {
                Some(r) => {
                    @let tail: String = r.url.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
                    p { (lang.t("已设置: ", "Set: ")) (kind_label(r.kind, lang)) (lang.t(", 地址尾号 …", ", address ending …")) (tail)
                        @if !r.secret.is_empty() { (lang.t(", 有加签密钥", ", with a signing secret")) } }
                    form method="post" action="/admin/robot" {
                        (csrf_field(csrf)) input type="hidden" name="action" value="test";
                        button type="submit" { (lang.t("发送测试消息", "Send a test message")) }
                    }
                    form method="post" action="/admin/robot" {
                        (csrf_field(csrf)) input type="hidden" name="action" value="clear";
                        button type="submit" { (lang.t("清除", "Clear")) }
                    }
                }
                None => { p { (lang.t("未设置群机器人: 发布后不会自动发送摘要.", "No group robot: publishing sends no digest.")) } }
            }
        }
        h2 { (lang.t("设置 (替换原有设置)", "Set (replaces the one set)")) }
        form method="post" action="/admin/robot" {
            (csrf_field(csrf)) input type="hidden" name="action" value="set";
            p { label { (lang.t("Webhook 地址 ", "Webhook address ")) input type="password" name="url" size="60" autocomplete="off"; } }
            p { label { (lang.t("类型 ", "Kind ")) select name="kind" {
                option value="" { (lang.t("按地址判断", "from the address")) }
                option value="wecom" { (kind_label(Kind::Wecom, lang)) }
                option value="dingtalk" { (kind_label(Kind::Dingtalk, lang)) }
            } } }
            p { label { (lang.t("钉钉加签密钥 (可选) ", "DingTalk signing secret (optional) ")) input type="password" name="secret" size="40" autocomplete="off"; } }
            button type="submit" { (lang.t("保存", "Save")) }
        }
        p.t { (lang.t("发布或修复后, 变更摘要自动发到群里 (不含缺勤原因等个人信息); 每个机器人每分钟最多 20 条. 地址保存在记录中, 不会再显示.", "After a publish or repair the digest of changes goes to the group (no reasons for absence or other personal matters); at most 20 messages a minute per robot. The address is kept in the record and never shown again.")) }
    };
    let title = lang.t("群机器人", "Group robot");
    Ok(ok(page(lang, title, Some(me), body)))
}

pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    render(&st, &cx, None).await
}

/// The robot the form describes, or the field at fault.
fn parse(cx: &Cx) -> Result<Robot, Fail> {
    let lang = cx.lang;
    let url = cx.field("url");
    let bad_url = || {
        Fail::field(
            lang,
            lang.t("Webhook 地址", "webhook address"),
            lang.t(
                "应为 https:// 开头的群机器人地址 (如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…)",
                "expected the robot's https:// address (such as https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…)",
            ),
        )
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://").filter(|r| local(r)))
        .ok_or_else(bad_url)?;
    if url.len() > URL_MAX || rest.is_empty() || !url.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad_url());
    }
    let kind = match cx.field("kind") {
        "" => Kind::of_url(url),
        k => Kind::parse(k),
    }
    .ok_or_else(|| {
        Fail::field(
            lang,
            lang.t("类型", "kind"),
            lang.t("应为企业微信或钉钉", "expected WeCom or DingTalk"),
        )
    })?;
    let secret = cx.field("secret");
    if secret.len() > SECRET_MAX || !secret.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Fail::field(
            lang,
            lang.t("加签密钥", "signing secret"),
            lang.t(
                "应为钉钉给出的 SEC 开头的密钥",
                "expected the SEC… secret DingTalk gave",
            ),
        ));
    }
    Ok(Robot {
        kind,
        url: url.to_string(),
        secret: secret.to_string(),
    })
}

/// Plain http only to this machine (a local relay, a test).
fn local(rest: &str) -> bool {
    let host = rest.split(['/', '?']).next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// `POST /admin/robot`: set, test or clear.
pub(crate) async fn submit(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let by = Actor {
        who: me.user.login.clone(),
        via: "kehou serve /admin/robot".into(),
    };
    let fail = |e: crate::Error| Fail::from_error(lang, &e);
    let said = match cx.field("action") {
        "set" => {
            let r = parse(&cx)?;
            let v =
                serde_json::to_string(&r).map_err(|e| fail(crate::Error::Usage(e.to_string())))?;
            st.db(move |rec| rec.write(|tx| tx.set_secret(SECRET, Some(&v), &by)))
                .await
                .map_err(fail)?;
            (true, lang.t("已保存.", "Saved.").to_string())
        }
        "clear" => {
            st.db(move |rec| rec.write(|tx| tx.set_secret(SECRET, None, &by)))
                .await
                .map_err(fail)?;
            (true, lang.t("已清除.", "Cleared.").to_string())
        }
        "test" => {
            let Some(r) = current(&st).await.map_err(fail)? else {
                return Err(Fail::field(
                    lang,
                    "action",
                    lang.t("尚未设置群机器人", "no robot is set"),
                ));
            };
            let st2 = st.clone();
            let text = lang.t(
                "kehou 测试消息: 群机器人设置成功.",
                "kehou test message: the group robot works.",
            );
            let out = crate::web::blocking(move || Ok(send(&st2, &r, "kehou", text)))
                .await
                .map_err(fail)?;
            match out {
                Ok(()) => (
                    true,
                    lang.t("测试消息已发送.", "The test message was sent.")
                        .to_string(),
                ),
                Err(why) => (
                    false,
                    format!(
                        "{}{}",
                        lang.t("测试消息未发出: ", "The test message was not sent: "),
                        why.render(lang)
                    ),
                ),
            }
        }
        _ => {
            return Err(Fail::field(
                lang,
                "action",
                lang.t("应为 set、test 或 clear", "expected set, test or clear"),
            ))
        }
    };
    render(&st, &cx, Some(said)).await
}
