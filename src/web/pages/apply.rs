//! Applications (issue 20, item 1): the homeroom teacher enters an
//! application for a pupil of their class and reviews their class's
//! applications; the principal (leadership, or the administrator acting
//! for them) approves or refuses from a date; the office enters for any
//! class. A withdrawal takes the same two steps. Every rule is the
//! library's (`enrol::check_choice`, `enrol::state_of`); after a step the
//! school is reloaded, so the week's demand counts what is approved now.
//!
//! Who sees names: the class's homeroom teacher and the administrator.
//! Leadership sees applications by number, class and choice, never a name.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::Weekday;
use maud::{html, Markup};

use crate::enrol::{self, Actor as By, Choice, State as AppState, Step};
use crate::lang::Lang;
use crate::model::school::School;
use crate::record::accounts::{Role, Session};
use crate::record::applications::PupilApplication;
use crate::record::Actor;

use super::{date_field, me};
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, ok, page, Fail};
use crate::web::Shared;

const TEXT_MAX: usize = 40;

/// The class a Teacher account is homeroom teacher of.
pub(crate) fn homeroom_class(s: &School, me: &Session) -> Option<String> {
    let staff = me.user.staff_id.as_deref()?;
    let i = s.staff_index(staff)?;
    let c = s.staff[i].homeroom?;
    s.classes.get(c).map(|c| c.id.clone())
}

/// May this account see the names of `class`'s pupils?
pub(crate) fn sees_names(s: &School, me: &Session, class: &str) -> bool {
    match me.user.role {
        Role::Admin => true,
        Role::Teacher => homeroom_class(s, me).as_deref() == Some(class),
        _ => false,
    }
}

fn who(me: &Session, what: &str) -> Actor {
    Actor {
        who: me.user.login.clone(),
        via: format!("kehou serve {what}"),
    }
}

fn not_yours(lang: Lang) -> Fail {
    Fail::new(
        StatusCode::FORBIDDEN,
        lang,
        lang.t(
            "只有本班班主任或管理员可以查看或办理这个班的申请; 未做任何更改",
            "only the class's homeroom teacher or an administrator may see or act on its applications; nothing was changed",
        ),
    )
}

/// The classes the page lists for this account: a teacher their own.
fn classes_for(s: &School, me: &Session, lang: Lang, asked: &str) -> Result<Vec<String>, Fail> {
    if me.user.role == Role::Teacher {
        let Some(c) = homeroom_class(s, me) else {
            return Err(not_yours(lang));
        };
        if !asked.is_empty() && asked != c {
            return Err(not_yours(lang));
        }
        return Ok(vec![c]);
    }
    if !asked.is_empty() {
        if !s.classes.iter().any(|c| c.id == asked) {
            return Err(Fail::field(
                lang,
                lang.t("班级", "class"),
                lang.t("没有这个班级", "there is no such class"),
            ));
        }
        return Ok(vec![asked.to_string()]);
    }
    Ok(s.classes.iter().map(|c| c.id.clone()).collect())
}

pub(crate) fn days(ws: &[Weekday], lang: Lang) -> String {
    ws.iter()
        .map(|w| lang.weekday(*w))
        .collect::<Vec<_>>()
        .join(lang.t("、", ", "))
}

pub(crate) fn sessions(
    keys: &[String],
    policy: &crate::model::policy::Policy,
    lang: Lang,
) -> String {
    let all = enrol::session_choices(policy);
    keys.iter()
        .map(|k| {
            all.iter()
                .find(|c| &c.key == k)
                .map_or(k.clone(), |c| lang.t(&c.label, &c.label_en).to_string())
        })
        .collect::<Vec<_>>()
        .join(lang.t("、", ", "))
}

pub(crate) fn clubs(ids: &[String], s: &School, lang: Lang) -> String {
    ids.iter()
        .map(|id| {
            s.clubs
                .iter()
                .find(|c| &c.id == id)
                .map_or(id.clone(), |c| c.name.clone())
        })
        .collect::<Vec<_>>()
        .join(lang.t(" > ", " > "))
}

pub(crate) fn state_text(st: &AppState, lang: Lang) -> String {
    match st {
        AppState::Approved { from } => {
            format!("{} ({} {from})", st.label(lang), lang.t("自", "from"))
        }
        AppState::Withdrawing { until, .. } => format!(
            "{} ({} {until})",
            st.label(lang),
            lang.t("退出自", "leaving")
        ),
        AppState::Withdrawn { from, until } => format!("{} ({from} – {until})", st.label(lang)),
        _ => st.label(lang).to_string(),
    }
}

/// `GET /applications`: the funnel and each class's applications.
pub(crate) async fn list(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?.clone();
    let now = st.now();
    let s = &now.school;
    let asked = cx.query.get("class").map_or("", |c| c.trim()).to_string();
    let classes = classes_for(s, &me, lang, &asked)?;
    let one = (classes.len() == 1).then(|| classes[0].clone());
    let shown = classes.clone();
    let named: Vec<String> = classes
        .iter()
        .filter(|c| sees_names(s, &me, c))
        .cloned()
        .collect();
    let by = who(&me, "/applications");
    // Written, not read: the pupils whose names the page shows are logged.
    let (all, signed) = st
        .db(move |rec| {
            rec.write(|tx| {
                let all: Vec<PupilApplication> = tx
                    .applications_of_class(one.as_deref())?
                    .into_iter()
                    .filter(|a| shown.contains(&a.application.choice.class))
                    .collect();
                let read = named_pupils(&all, &named);
                tx.log_reads(&by, &read, "/applications")?;
                Ok((all, tx.agreements()?))
            })
        })
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let f = enrol::funnel(all.iter().map(|a| &a.application.state));
    let csrf = me.csrf.clone();
    let body = html! {
        table.funnel {
            tr { th { (lang.t("已申请", "applied")) } th { (lang.t("已审核", "reviewed")) } th { (lang.t("已批准", "approved")) } th { (lang.t("未通过", "refused")) } th { (lang.t("已撤回/退出", "withdrawn")) } }
            tr { td #funnel-applied { (f.applied) } td #funnel-reviewed { (f.reviewed) } td #funnel-approved { (f.approved) } td #funnel-refused { (f.refused) } td #funnel-withdrawn { (f.withdrawn) } }
        }
        p {
            a href="/applications/offer" { (lang.t("服务内容公示", "The offer")) }
            @if me.user.role != Role::Leadership { " · " a href="/applications/new" { (lang.t("录入申请", "Enter an application")) } }
            @if me.user.role == Role::Admin {
                " · " a href="/applications/clubs" { (lang.t("社团名额", "Club seats")) }
                " · " a href="/applications/import" { (lang.t("导入问卷", "Import a form")) }
            }
        }
        @for class in &classes {
            @let rows: Vec<&PupilApplication> = all.iter().filter(|a| &a.application.choice.class == class).collect();
            @if !rows.is_empty() || classes.len() == 1 {
                h2 { (class) }
                (class_table(&cx, &now.policy, s, &me, &csrf, &rows, &signed))
            }
        }
    };
    Ok(ok(page(
        lang,
        lang.t("课后服务申请", "Applications"),
        Some(&me),
        body,
    )))
}

/// The pupils of `all` in a class whose names are shown, each once.
fn named_pupils(all: &[PupilApplication], named: &[String]) -> Vec<i64> {
    let mut ids: Vec<i64> = all
        .iter()
        .filter(|a| named.contains(&a.application.choice.class))
        .map(|a| a.pupil.id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn class_table(
    cx: &Cx,
    policy: &crate::model::policy::Policy,
    s: &School,
    me: &Session,
    csrf: &str,
    rows: &[&PupilApplication],
    signed: &[crate::record::family::Agreement],
) -> Markup {
    let lang = cx.lang;
    html! {
        table.apps {
            tr {
                th { "#" } th { (lang.t("学生", "pupil")) } th { (lang.t("星期", "weekdays")) }
                th { (lang.t("时段", "sessions")) } th { (lang.t("社团志愿", "clubs")) } th { (lang.t("状态", "state")) } th {} th { (lang.t("协议与邀请码", "agreement, code")) }
            }
            @for a in rows {
                @let app = &a.application;
                tr id=(format!("app-{}", app.id)) {
                    td { (app.id) }
                    td {
                        @if me.user.role == Role::Admin {
                            a href=(format!("/admin/family/{}", a.pupil.id)) title=(lang.t("家庭数据: 导出或删除", "the family's data: export or erase")) { (a.pupil.name) }
                        } @else if sees_names(s, me, &app.choice.class) { (a.pupil.name) } @else { "—" }
                    }
                    td { (days(&app.choice.weekdays, lang)) }
                    td { (sessions(&app.choice.sessions, policy, lang)) }
                    td { (clubs(&app.choice.clubs, s, lang)) }
                    td.state { (state_text(&app.state, lang)) }
                    td { (step_forms(lang, me, csrf, app.id, &app.state)) }
                    td { @if sees_names(s, me, &app.choice.class) { (super::apply_offer::agreement_cell(lang, csrf, a, signed)) (super::apply_family::issue_form(lang, csrf, a.pupil.id)) } }
                }
            }
        }
    }
}

/// The step forms this account may use on an application in this state.
fn step_forms(lang: Lang, me: &Session, csrf: &str, id: i64, state: &AppState) -> Markup {
    let review = me.user.role == Role::Teacher
        && matches!(
            state,
            AppState::Applied
                | AppState::Withdrawing {
                    reviewed: false,
                    ..
                }
        );
    let approve = matches!(me.user.role, Role::Admin | Role::Leadership)
        && matches!(
            state,
            AppState::Reviewed | AppState::Withdrawing { reviewed: true, .. }
        );
    let withdraw = matches!(me.user.role, Role::Admin | Role::Teacher)
        && matches!(
            state,
            AppState::Applied | AppState::Reviewed | AppState::Approved { .. }
        );
    let action = format!("/applications/{id}/step");
    let today = chrono::Local::now().date_naive();
    html! {
        @if review {
            @for (ok, label) in [("yes", lang.t("审核通过", "Pass")), ("no", lang.t("不通过", "Refuse"))] {
                form.inline method="post" action=(action) {
                    (csrf_field(csrf))
                    input type="hidden" name="step" value="review";
                    input type="hidden" name="ok" value=(ok);
                    button type="submit" name=(format!("review-{ok}")) { (label) }
                }
            }
        }
        @if approve {
            form.inline method="post" action=(action) {
                (csrf_field(csrf))
                input type="hidden" name="step" value="approve";
                label { (lang.t("生效日期 ", "from ")) input type="date" name="on" value=(today); }
                select name="ok" { option value="yes" { (lang.t("批准", "approve")) } option value="no" { (lang.t("不批准", "refuse")) } }
                button type="submit" { (lang.t("审定", "Decide")) }
            }
        }
        @if withdraw {
            form.inline method="post" action=(action) {
                (csrf_field(csrf))
                input type="hidden" name="step" value="withdraw";
                label { (lang.t("退出日期 ", "leave from ")) input type="date" name="on" value=(today); }
                button type="submit" { (lang.t("申请退出", "Withdraw")) }
            }
        }
    }
}

/// `GET /applications/new`: the entry form (a teacher: their class).
pub(crate) async fn new_form(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let now = st.now();
    let s = &now.school;
    let classes = classes_for(s, me, lang, "")?;
    let body = html! {
        form.stack method="post" action="/applications" {
            (csrf_field(&me.csrf))
            (choice_fields(lang, &now.policy, s, &classes))
            label { (lang.t("学生姓名", "pupil's name")) input name="pupil" maxlength=(TEXT_MAX) required; }
            label { (lang.t("家长姓名", "guardian")) input name="guardian" maxlength=(TEXT_MAX); }
            label { (lang.t("联系电话", "phone")) input name="phone" maxlength="20"; }
            button type="submit" { (lang.t("提交申请", "Submit the application")) }
        }
    };
    Ok(ok(page(
        lang,
        lang.t("录入申请", "Enter an application"),
        Some(me),
        body,
    )))
}

/// The class, weekdays, sessions and clubs of an application form.
pub(crate) fn choice_fields(
    lang: Lang,
    policy: &crate::model::policy::Policy,
    s: &School,
    classes: &[String],
) -> Markup {
    html! {
        @if classes.len() == 1 {
            input type="hidden" name="class" value=(classes[0]);
            p { (lang.t("班级: ", "class: ")) (classes[0]) }
        } @else {
            label { (lang.t("班级", "class")) select name="class" { @for c in classes { option value=(c) { (c) } } } }
        }
        fieldset { legend { (lang.t("参加星期", "weekdays")) }
            @for n in 1..=5u8 {
                @let w = Weekday::try_from(n - 1).unwrap_or(Weekday::Mon);
                label.inline { input type="checkbox" name=(format!("day_{n}")) value="1"; (lang.weekday(w)) } " "
            }
        }
        fieldset { legend { (lang.t("参加时段", "sessions")) }
            @for c in enrol::session_choices(policy) {
                label.inline { input type="checkbox" name=(format!("session_{}", c.key)) value="1"; (lang.t(&c.label, &c.label_en)) } " "
            }
        }
        fieldset { legend { (lang.t("社团志愿 (按顺序)", "clubs, in order of preference")) }
            @for i in 1..=3 {
                label.inline { (i) ". " select name=(format!("club{i}")) {
                    option value="" { "—" }
                    @for k in &s.clubs { option value=(k.id) { (k.name) " (" (days(&k.weekdays, lang)) ")" } }
                } } " "
            }
        }
    }
}

/// A field's label for a library field name.
fn field_label(lang: Lang, field: &str) -> &'static str {
    match field {
        "class" => lang.t("班级", "class"),
        "weekdays" => lang.t("参加星期", "weekdays"),
        "sessions" => lang.t("参加时段", "sessions"),
        "clubs" => lang.t("社团志愿", "clubs"),
        _ => lang.t("表单", "form"),
    }
}

/// The choice a form holds, checked by the library: every problem named
/// by its form field.
pub(crate) fn form_choice(
    cx: &Cx,
    policy: &crate::model::policy::Policy,
    s: &School,
) -> Result<Choice, Fail> {
    let lang = cx.lang;
    let mut weekdays = Vec::new();
    let mut sessions = Vec::new();
    let mut keys: Vec<&String> = cx.form.keys().collect();
    keys.sort();
    for k in keys {
        if let Some(n) = k.strip_prefix("day_") {
            match n
                .parse::<u8>()
                .ok()
                .and_then(|n| Weekday::try_from(n.checked_sub(1)?).ok())
            {
                Some(w) => weekdays.push(w),
                None => {
                    return Err(Fail::field(
                        lang,
                        field_label(lang, "weekdays"),
                        lang.t("应为周一至周五", "expected Monday to Friday"),
                    ))
                }
            }
        } else if let Some(key) = k.strip_prefix("session_") {
            sessions.push(key.to_string());
        }
    }
    weekdays.sort_by_key(|w| w.num_days_from_monday());
    // Sessions in policy order, then any unknown one (the check names it).
    let order = enrol::session_choices(policy);
    sessions.sort_by_key(|k| order.iter().position(|c| &c.key == k).unwrap_or(usize::MAX));
    let mut clubs = Vec::new();
    for i in 1..=3 {
        let c = cx.field(&format!("club{i}"));
        if !c.is_empty() && !clubs.iter().any(|x: &String| x == c) {
            clubs.push(c.to_string());
        }
    }
    let choice = Choice {
        class: cx.field("class").to_string(),
        weekdays,
        sessions,
        clubs,
    };
    let problems = enrol::check_choice(policy, s, &choice);
    if let Some(first) = problems.first() {
        let why = problems
            .iter()
            .filter(|p| p.field == first.field)
            .map(|p| p.why.render(lang).to_string())
            .collect::<Vec<_>>()
            .join("; ");
        let others: Vec<String> = problems
            .iter()
            .filter(|p| p.field != first.field)
            .map(|p| format!("「{}」: {}", field_label(lang, p.field), p.why.render(lang)))
            .collect();
        let why = if others.is_empty() {
            why
        } else {
            format!("{why}\n{}", others.join("\n"))
        };
        return Err(Fail::field(lang, field_label(lang, first.field), &why));
    }
    Ok(choice)
}

/// A short line of text from a form field.
pub(crate) fn text_field(
    cx: &Cx,
    name: &str,
    label: &str,
    required: bool,
    max: usize,
) -> Result<String, Fail> {
    let lang = cx.lang;
    let v = cx.field(name);
    if (required && v.is_empty()) || v.chars().count() > max || v.chars().any(char::is_control) {
        let why = match lang {
            Lang::Zh => format!(
                "应为{}不超过 {max} 个字符的一行文字",
                if required { "非空、" } else { "" }
            ),
            Lang::En => format!(
                "expected {}one line of at most {max} characters",
                if required { "a non-empty " } else { "" }
            ),
        };
        return Err(Fail::field(lang, label, &why));
    }
    Ok(v.to_string())
}

/// `POST /applications`: a new pupil and their application.
pub(crate) async fn create(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?.clone();
    let now = st.now();
    let choice = form_choice(&cx, &now.policy, &now.school)?;
    let actor = match me.user.role {
        Role::Admin => By::Office,
        Role::Teacher => match homeroom_class(&now.school, &me) {
            Some(c) if c == choice.class => By::Homeroom { class: c },
            _ => return Err(not_yours(lang)),
        },
        _ => return Err(Fail::forbidden(lang, me.user.role)),
    };
    let name = text_field(
        &cx,
        "pupil",
        lang.t("学生姓名", "pupil's name"),
        true,
        TEXT_MAX,
    )?;
    let guardian = text_field(
        &cx,
        "guardian",
        lang.t("家长姓名", "guardian"),
        false,
        TEXT_MAX,
    )?;
    let phone = text_field(&cx, "phone", lang.t("联系电话", "phone"), false, 20)?;
    if !phone
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == '+' || c == ' ')
    {
        return Err(Fail::field(
            lang,
            lang.t("联系电话", "phone"),
            lang.t("应为电话号码 (数字)", "expected a phone number (digits)"),
        ));
    }
    let by = who(&me, "/applications");
    let class = choice.class.clone();
    st.db(move |rec| rec.write(|tx| tx.enter((&name, &guardian, &phone), &choice, &actor, &by)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    Ok(Redirect::to(&format!("/applications?class={class}")).into_response())
}

/// The step a form asks for.
fn form_step(cx: &Cx) -> Result<Step, Fail> {
    let lang = cx.lang;
    let ok = match cx.field("ok") {
        "yes" | "" => true,
        "no" => false,
        _ => {
            return Err(Fail::field(
                lang,
                "ok",
                lang.t("应为 yes 或 no", "expected yes or no"),
            ))
        }
    };
    let on = || date_field(lang, lang.t("日期", "date"), cx.field("on"));
    Ok(match cx.field("step") {
        "review" => Step::Review { ok },
        "approve" => Step::Approve { ok, on: on()? },
        "withdraw" => Step::Withdraw { on: on()? },
        _ => {
            return Err(Fail::field(
                lang,
                lang.t("步骤", "step"),
                lang.t(
                    "应为 review、approve 或 withdraw",
                    "expected review, approve or withdraw",
                ),
            ))
        }
    })
}

/// `POST /applications/{id}/step`: review, approve or withdraw.
pub(crate) async fn step(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(id): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?.clone();
    let id: i64 = id.parse().map_err(|_| {
        Fail::field(
            lang,
            lang.t("申请", "application"),
            lang.t("应为申请编号", "expected an application number"),
        )
    })?;
    let step = form_step(&cx)?;
    let now = st.now();
    let found = st
        .db(move |rec| rec.read(|tx| tx.application(id)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let Some(app) = found else {
        return Err(Fail::new(
            StatusCode::NOT_FOUND,
            lang,
            lang.t("没有这个申请", "no such application"),
        ));
    };
    let class = app.choice.class.clone();
    let actor = match (me.user.role, &step) {
        (Role::Teacher, _) => match homeroom_class(&now.school, &me) {
            Some(c) if c == class => By::Homeroom { class: c },
            _ => return Err(not_yours(lang)),
        },
        (Role::Admin | Role::Leadership, Step::Approve { .. }) => By::Principal,
        (Role::Admin, _) => By::Office,
        _ => return Err(Fail::forbidden(lang, me.user.role)),
    };
    let by = who(&me, "/applications/{id}/step");
    let done = st
        .db(move |rec| rec.write(|tx| tx.step(id, &step, &actor, "", &by)))
        .await;
    match done {
        Ok(_) => {}
        Err(crate::Error::Refused(why)) => {
            let text = why
                .iter()
                .map(|w| w.render(lang).to_string())
                .collect::<Vec<_>>()
                .join("; ");
            return Err(Fail::field(lang, lang.t("步骤", "step"), &text));
        }
        Err(e) => return Err(Fail::from_error(lang, &e)),
    }
    // The week's demand counts what is approved now.
    st.reload().map_err(|e| Fail::from_error(lang, &e))?;
    Ok(Redirect::to(&format!("/applications?class={class}")).into_response())
}
