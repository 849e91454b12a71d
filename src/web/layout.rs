//! The page frame (title, navigation by role, language switch), error
//! pages, and the words for roles and library errors.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use crate::error::{shown, Error};
use crate::lang::Lang;
use crate::record::accounts::{Role, Session};

use super::guard::allowed;

/// A role's name for people.
pub(crate) fn role_label(role: Role, lang: Lang) -> &'static str {
    match role {
        Role::Admin => lang.t("管理员 (副校长)", "administrator (vice-principal)"),
        Role::Finance => lang.t("财务", "finance"),
        Role::Leadership => lang.t("校领导", "leadership"),
        Role::Teacher => lang.t("教师", "teacher"),
    }
}

/// A hidden CSRF field for a form.
pub(crate) fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// A whole page: head (viewport for phones, the embedded stylesheet), the
/// navigation the role may use, the body.
pub(crate) fn page(lang: Lang, title: &str, me: Option<&Session>, body: Markup) -> Markup {
    page_with(lang, title, me, None, body)
}

/// A page that reloads itself every `refresh` seconds (a running job).
pub(crate) fn page_with(
    lang: Lang,
    title: &str,
    me: Option<&Session>,
    refresh: Option<u32>,
    body: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.t("zh-CN", "en")) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(r) = refresh { meta http-equiv="refresh" content=(r); }
                title { (title) " · kehou" }
                link rel="stylesheet" href="/assets/app.css";
                script src="/assets/live.js" defer {}
            }
            body {
                (nav(lang, me))
                main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// The links a role may follow, the language switch and the logout button.
fn nav(lang: Lang, me: Option<&Session>) -> Markup {
    let links: [(&str, &str, &str); 15] = [
        ("/", "/", lang.t("本周", "This week")),
        ("/me", "/me", lang.t("我的任务", "My duties")),
        ("/duty", "/duty", lang.t("值班", "On duty")),
        ("/workload", "/workload", lang.t("工作量", "Workload")),
        ("/data", "/data", lang.t("学校数据", "School data")),
        ("/whatif", "/whatif", lang.t("假设分析", "What-if")),
        (
            "/applications",
            "/applications",
            lang.t("申请", "Applications"),
        ),
        ("/reports", "/reports", lang.t("报表", "Reports")),
        ("/admin/users", "/admin/users", lang.t("账号", "Accounts")),
        // The administrator edits the policy; finance and leadership read its history.
        ("/admin/policy", "/admin/policy", lang.t("政策", "Policy")),
        (
            "/admin/policy/history",
            "/admin/policy/history",
            lang.t("政策版本", "Policy versions"),
        ),
        // Issue 20, items 3 and 4.
        (
            "/admin/emergency",
            "/admin/emergency",
            lang.t("突发调整", "Emergency"),
        ),
        ("/comp", "/comp", lang.t("调休", "Comp time")),
        ("/surveys", "/surveys", lang.t("问卷", "Surveys")),
        ("/appraisal", "/appraisal", lang.t("考核表", "Appraisal")),
    ];
    html! {
        nav {
            span.brand { "kehou 课后" }
            @if let Some(me) = me {
                @for (href, route, label) in links {
                    @if allowed(me.user.role, "GET", route) && (route != "/me" || me.user.staff_id.is_some())
                        && (route != "/admin/policy/history" || !allowed(me.user.role, "GET", "/admin/policy")) {
                        a href=(href) { (label) }
                    }
                }
                a href="/password" { (lang.t("改密码", "Password")) }
            }
            a href=(lang.t("?lang=en", "?lang=zh")) { (lang.t("English", "中文")) }
            @if let Some(me) = me {
                form.inline method="post" action="/logout" {
                    (csrf_field(&me.csrf))
                    span.who { (me.user.display_name) " · " (role_label(me.user.role, lang)) }
                    button type="submit" { (lang.t("退出", "Log out")) }
                }
            }
        }
    }
}

/// A refusal or failure shown as a page, in the user's language; never a
/// stack trace.
#[derive(Debug)]
pub(crate) struct Fail {
    pub status: StatusCode,
    pub lang: Lang,
    pub message: String,
}

impl Fail {
    pub fn new(status: StatusCode, lang: Lang, message: impl Into<String>) -> Fail {
        Fail {
            status,
            lang,
            message: message.into(),
        }
    }

    /// A form field that cannot be used: names the field and says why.
    pub fn field(lang: Lang, field: &str, why: &str) -> Fail {
        let msg = match lang {
            Lang::Zh => format!("「{field}」: {why}; 未做任何更改"),
            Lang::En => format!("{field}: {why}; nothing was changed"),
        };
        Fail::new(StatusCode::BAD_REQUEST, lang, msg)
    }

    /// A role the page is not for.
    pub fn forbidden(lang: Lang, role: Role) -> Fail {
        let msg = match lang {
            Lang::Zh => format!("你的账号 ({}) 不能使用此页面", role_label(role, Lang::Zh)),
            Lang::En => format!(
                "your account ({}) cannot use this page",
                role_label(role, Lang::En)
            ),
        };
        Fail::new(StatusCode::FORBIDDEN, lang, msg)
    }

    /// A library error: refusals and stale pages are the user's to act
    /// on (409); a broken record or input is the school's (500), in words.
    pub fn from_error(lang: Lang, e: &Error) -> Fail {
        let status = match e {
            Error::Stale { .. } | Error::Refused(_) => StatusCode::CONFLICT,
            Error::Usage(_) => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Fail::new(status, lang, error_text(e, lang))
    }
}

/// A library error in words for a page (the stale-page case said the web's way).
pub(crate) fn error_text(e: &Error, lang: Lang) -> String {
    let Error::Stale {
        week,
        latest: Some(l),
        ..
    } = e
    else {
        return e.render(lang);
    };
    let at = l.at.get(..16).unwrap_or(&l.at).replace('T', " ");
    let who = shown(&l.who);
    match lang {
        Lang::Zh => format!(
            "在你打开此页之后, {who} 于 {at} 发布了 {week} 这一周的 v{}; 你的发布会覆盖它, 已停止, 未做任何更改. 请重新打开本周页面查看后再操作",
            l.version
        ),
        Lang::En => format!(
            "someone published in between: {who} published v{} of the week {week} at {at}, after this page was shown; publishing would undo it, so nothing was changed. Open the week again and look before you publish",
            l.version
        ),
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        let lang = self.lang;
        let title = match self.status {
            StatusCode::FORBIDDEN => lang.t("无权访问", "Not allowed"),
            StatusCode::NOT_FOUND => lang.t("没有这个页面", "Not found"),
            StatusCode::CONFLICT => lang.t("未能完成", "Not done"),
            StatusCode::BAD_REQUEST => lang.t("输入有误", "Please check the input"),
            StatusCode::TOO_MANY_REQUESTS => lang.t("请稍后再试", "Please wait"),
            s if s.is_server_error() => lang.t("出错了", "Something went wrong"),
            _ => lang.t("未能完成", "Not done"),
        };
        let body = html! {
            p.error { @for line in self.message.lines() { (line) br; } }
            p { a href="/" { (lang.t("返回首页", "Back to the start page")) } }
        };
        (
            self.status,
            Html(page(lang, title, None, body).into_string()),
        )
            .into_response()
    }
}

/// A rendered page as a response.
pub(crate) fn ok(m: Markup) -> Response {
    Html(m.into_string()).into_response()
}
