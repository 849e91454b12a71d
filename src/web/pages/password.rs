//! Changing one's password (first thing after a one-time password).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use maud::html;

use crate::lang::Lang;
use crate::record::Actor;

use super::me;
use crate::web::auth::{self, MIN_PASSWORD_CHARS};
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, ok, page, Fail};
use crate::web::{blocking, Shared};

pub(crate) async fn form(Extension(cx): Extension<Cx>) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let lang = cx.lang;
    let body = html! {
        @if me.user.must_change {
            p.box.warn { (lang.t("这是一次性密码: 请先设置你自己的密码, 然后才能使用其他页面.", "This is a one-time password: set your own before using the other pages.")) }
        }
        form.stack method="post" action="/password" {
            (csrf_field(&me.csrf))
            label { (lang.t("当前密码", "Current password")) input name="current" type="password" autocomplete="current-password" required; }
            label { (lang.t("新密码 (至少 10 个字符)", "New password (at least 10 characters)")) input name="new" type="password" autocomplete="new-password" required; }
            label { (lang.t("再输一次新密码", "New password again")) input name="confirm" type="password" autocomplete="new-password" required; }
            button type="submit" { (lang.t("修改密码", "Change password")) }
        }
    };
    Ok(ok(page(
        lang,
        lang.t("修改密码", "Change password"),
        Some(me),
        body,
    )))
}

/// The new password's problem, naming the field.
fn check_new(lang: Lang, current: &str, new: &str, confirm: &str) -> Result<(), Fail> {
    if new.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Fail::field(
            lang,
            lang.t("新密码", "new password"),
            lang.t("至少 10 个字符", "at least 10 characters"),
        ));
    }
    if new != confirm {
        return Err(Fail::field(
            lang,
            lang.t("再输一次新密码", "new password again"),
            lang.t("与新密码不一致", "does not match the new password"),
        ));
    }
    if new == current {
        return Err(Fail::field(
            lang,
            lang.t("新密码", "new password"),
            lang.t("不能与当前密码相同", "must differ from the current one"),
        ));
    }
    Ok(())
}

pub(crate) async fn submit(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?.clone();
    let current = cx.form.get("current").cloned().unwrap_or_default();
    let new = cx.form.get("new").cloned().unwrap_or_default();
    let confirm = cx.form.get("confirm").cloned().unwrap_or_default();
    check_new(lang, &current, &new, &confirm)?;
    let keep = auth::token_hash(cx.token.as_deref().unwrap_or(""));
    let st2 = st.clone();
    let changed = blocking(move || {
        if !auth::verify_password(&current, &me.user.password_hash) {
            return Ok(false);
        }
        let hash = auth::hash_password(&new)?;
        let by = Actor {
            who: me.user.login.clone(),
            via: "kehou serve /password".into(),
        };
        st2.with_record(|rec| {
            rec.write(|tx| tx.set_password(me.user.id, &hash, false, &keep, &by))
        })?;
        Ok(true)
    })
    .await
    .map_err(|e| Fail::from_error(lang, &e))?;
    if !changed {
        return Err(Fail::field(
            lang,
            lang.t("当前密码", "current password"),
            lang.t("不对", "is wrong"),
        ));
    }
    let body = html! {
        p.banner { (lang.t("密码已修改. 其他设备上的登录已退出.", "Password changed. Your other sessions were logged out.")) }
        p { a href="/" { (lang.t("继续", "Continue")) } }
    };
    let fresh = cx.me.as_ref().map(|m| {
        let mut m = m.clone();
        m.user.must_change = false;
        m
    });
    Ok((
        StatusCode::OK,
        ok(page(
            lang,
            lang.t("修改密码", "Change password"),
            fresh.as_ref(),
            body,
        )),
    )
        .into_response())
}
