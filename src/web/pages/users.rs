//! Accounts (administrator only): the list, and a form to create one. A
//! new account gets a one-time password, shown once here, which its owner
//! must change at first login. A teacher's account names their staff id.

use axum::extract::State;
use axum::response::Response;
use axum::Extension;
use maud::html;

use crate::error::bad_char;
use crate::lang::Lang;
use crate::record::accounts::{NewUser, Role};
use crate::record::Actor;

use super::me;
use crate::web::auth;
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, ok, page, role_label, Fail};
use crate::web::{blocking, Shared};

pub(crate) async fn list(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let lang = cx.lang;
    let users = st
        .db(|rec| rec.read(|tx| tx.users()))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let body = html! {
        table {
            tr { th { (lang.t("账号", "Login")) } th { (lang.t("姓名", "Name")) } th { (lang.t("角色", "Role")) } th { (lang.t("工号", "Staff id")) } th { (lang.t("创建于", "Created")) } }
            @for u in &users {
                tr { td { (u.login) } td { (u.display_name) } td { (role_label(u.role, lang)) } td { (u.staff_id.clone().unwrap_or_default()) } td { (u.created_at.get(..16).unwrap_or(&u.created_at)) } }
            }
        }
        h2 { (lang.t("新建账号", "New account")) }
        form.stack method="post" action="/admin/users" {
            (csrf_field(&me.csrf))
            label { (lang.t("账号 (小写字母、数字、. _ -)", "Login (lower-case letters, digits, . _ -)")) input name="login" required maxlength="32"; }
            label { (lang.t("姓名", "Name")) input name="name" required maxlength="40"; }
            label { (lang.t("角色", "Role")) select name="role" {
                @for r in Role::ALL { option value=(r.as_str()) selected[r == Role::Teacher] { (role_label(r, lang)) } }
            } }
            label { (lang.t("工号 (教师必填)", "Staff id (teachers: required)")) input name="staff_id" maxlength="40"; }
            button type="submit" { (lang.t("创建并生成一次性密码", "Create with a one-time password")) }
        }
    };
    Ok(ok(page(lang, lang.t("账号", "Accounts"), Some(me), body)))
}

/// The form's fields, checked; a problem names its field.
fn fields<'a>(st: &Shared, cx: &'a Cx) -> Result<(&'a str, &'a str, Role, Option<&'a str>), Fail> {
    let lang = cx.lang;
    let login = cx.field("login");
    let login_ok = (1..=32).contains(&login.len())
        && login
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if !login_ok {
        return Err(Fail::field(
            lang,
            lang.t("账号", "login"),
            lang.t(
                "应为 1 到 32 个小写字母、数字或 . _ -",
                "expected 1 to 32 lower-case letters, digits or . _ -",
            ),
        ));
    }
    let name = cx.field("name");
    if name.is_empty() || name.chars().count() > 40 || bad_char(name).is_some() {
        return Err(Fail::field(
            lang,
            lang.t("姓名", "name"),
            lang.t(
                "应为 1 到 40 个字符, 不含控制字符",
                "expected 1 to 40 characters, no control characters",
            ),
        ));
    }
    let role = Role::parse(cx.field("role")).ok_or_else(|| {
        Fail::field(
            lang,
            lang.t("角色", "role"),
            lang.t(
                "应为 admin、finance、leadership 或 teacher",
                "expected admin, finance, leadership or teacher",
            ),
        )
    })?;
    let staff = Some(cx.field("staff_id")).filter(|s| !s.is_empty());
    match staff {
        None if role == Role::Teacher => Err(Fail::field(
            lang,
            lang.t("工号", "staff id"),
            lang.t(
                "教师账号须填写工号",
                "a teacher's account needs their staff id",
            ),
        )),
        Some(id) if st.now().school.staff_index(id).is_none() => {
            let why = match lang {
                Lang::Zh => format!("教职工名单中没有工号 {id}"),
                Lang::En => format!("no staff id {id} in the staff list"),
            };
            Err(Fail::field(lang, lang.t("工号", "staff id"), &why))
        }
        _ => Ok((login, name, role, staff)),
    }
}

pub(crate) async fn create(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let me = me(&cx)?.clone();
    let lang = cx.lang;
    let (login, name, role, staff) = fields(&st, &cx)?;
    let (login, name, staff) = (
        login.to_string(),
        name.to_string(),
        staff.map(str::to_string),
    );
    let st2 = st.clone();
    let by = Actor {
        who: me.user.login.clone(),
        via: "kehou serve /admin/users".into(),
    };
    let (l2, n2, s2) = (login.clone(), name.clone(), staff.clone());
    let made = blocking(move || {
        let password = auth::one_time_password()?;
        let hash = auth::hash_password(&password)?;
        st2.with_record(|rec| {
            rec.write(|tx| {
                if tx.user_by_login(&l2)?.is_some() {
                    return Ok(None);
                }
                let u = NewUser {
                    login: &l2,
                    display_name: &n2,
                    role,
                    password_hash: &hash,
                    must_change: true,
                    staff_id: s2.as_deref(),
                };
                tx.create_user(&u, &by)?;
                Ok(Some(password))
            })
        })
    })
    .await
    .map_err(|e| Fail::from_error(lang, &e))?;
    let Some(password) = made else {
        return Err(Fail::field(
            lang,
            lang.t("账号", "login"),
            lang.t("已被使用", "is already taken"),
        ));
    };
    let body = html! {
        p.banner { (lang.t("已创建账号 ", "Created the account ")) strong { (login) } " (" (name) ", " (role_label(role, lang)) ")" }
        p { (lang.t("一次性密码 (只显示这一次; 首次登录后须修改):", "One-time password (shown only now; to be changed at first login):")) }
        p.secret { (password) }
        p { a href="/admin/users" { (lang.t("返回账号列表", "Back to the accounts")) } }
    };
    Ok(ok(page(lang, lang.t("账号", "Accounts"), Some(&me), body)))
}
