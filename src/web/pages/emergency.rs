//! Emergency changes (`/admin/emergency`, the administrator; issue 20,
//! item 3): cancel a day or a session, or end a session early, for a
//! reason. The form first shows a preview (which duties, which people, how
//! many pupils, and the notices as they will read); confirming records it
//! in the ledger (`record::emergency`: not paid) and shows the notices to
//! copy — one per class for the parents, one per person for the teachers —
//! and, when ticked, sends the digest to the staff group's robot (its URL
//! never shown). The reason's own words stay in the record.

use axum::extract::State;
use axum::response::Response;
use axum::Extension;
use maud::{html, Markup};

use crate::lang::Lang;
use crate::ledger::emergency::{Preview, Reason};
use crate::ledger::emergency_notice as notices;
use crate::model::units::Hm;
use crate::outputs::notice::duty_words;
use crate::outputs::robot::Robot;
use crate::record::emergency::{self, Change};
use crate::record::Actor;

use super::{date_field, me};
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, ok, page, Fail};
use crate::web::robot::{send, SECRET};
use crate::web::Shared;

const TEXT_MAX: usize = 200;

fn kind_words(cancel: bool, lang: Lang) -> &'static str {
    match cancel {
        true => lang.t("取消", "cancel"),
        false => lang.t("提前结束", "end early"),
    }
}

/// The form, filled with `cx`'s fields (empty at first).
fn form(st: &Shared, cx: &Cx, action: &str) -> Markup {
    let lang = cx.lang;
    let csrf = cx.me.as_ref().map_or("", |m| m.csrf.as_str());
    let p = &st.now().policy;
    let f = |k: &str| cx.field(k).to_string();
    html! {
        form.box method="post" action=(action) {
            (csrf_field(csrf))
            p {
                label { (lang.t("日期 ", "date ")) input type="date" name="date" value=(f("date")) required; } " "
                label { (lang.t("时段 ", "session ")) select name="session" {
                    option value="" { (lang.t("全天", "whole day")) }
                    @for s in &p.sessions {
                        option value=(s.id) selected[f("session") == s.id] { (lang.t(&s.label, &s.label_en)) }
                    }
                } }
            }
            p {
                label { input type="radio" name="kind" value="cancel" checked[f("kind") != "adjust"]; (kind_words(true, lang)) } " "
                label { input type="radio" name="kind" value="adjust" checked[f("kind") == "adjust"]; (kind_words(false, lang)) } " "
                label { (lang.t("提前结束时刻 ", "ends at ")) input type="time" name="end" value=(f("end")); }
            }
            p {
                label { (lang.t("原因 ", "reason ")) select name="reason" {
                    @for r in Reason::ALL {
                        option value=(r.code()) selected[f("reason") == r.code()] { (r.label(lang)) }
                    }
                } } " "
                label { (lang.t("说明 (只记入台账) ", "details (record only) ")) input type="text" name="note" maxlength=(TEXT_MAX) value=(f("note")); }
            }
            p {
                label { (lang.t("接送安排 (写入家长通知, 不得含健康信息) ", "pickup arrangement (in the parents' notice; no health details) ")) input type="text" name="pickup" maxlength=(TEXT_MAX) value=(f("pickup")); }
            }
            @if action == "/admin/emergency" {
                p { label { input type="checkbox" name="robot" value="1" checked[f("robot") == "1"]; (lang.t(" 同时发送到教师群机器人", " also send to the staff group robot")) } }
                button type="submit" { (lang.t("确认并记录", "Confirm and record")) }
            } @else {
                button type="submit" { (lang.t("预览", "Preview")) }
            }
        }
    }
}

/// One line of text as typed: at most `TEXT_MAX` characters, no control characters.
fn line(cx: &Cx, name: &str, label: &str) -> Result<String, Fail> {
    let v = cx.field(name);
    if v.chars().count() > TEXT_MAX || v.chars().any(char::is_control) {
        return Err(Fail::field(
            cx.lang,
            label,
            cx.lang.t(
                "应为不超过 200 个字符的一行文字",
                "expected one line of at most 200 characters",
            ),
        ));
    }
    Ok(v.to_string())
}

/// The change the form asks for, and the pickup arrangement.
fn asked(cx: &Cx) -> Result<(Change, String), Fail> {
    let lang = cx.lang;
    let date = date_field(lang, lang.t("日期", "date"), cx.field("date"))?;
    let session = Some(cx.field("session").to_string()).filter(|s| !s.is_empty());
    let end = match cx.field("kind") {
        "adjust" => {
            let e = Hm::parse(cx.field("end")).ok_or_else(|| {
                Fail::field(
                    lang,
                    lang.t("提前结束时刻", "ends at"),
                    lang.t("应为时刻, 如 16:30", "expected a time such as 16:30"),
                )
            })?;
            if session.is_none() {
                return Err(Fail::field(
                    lang,
                    lang.t("时段", "session"),
                    lang.t("提前结束须选一个时段", "an early end needs a session"),
                ));
            }
            Some(e)
        }
        "cancel" | "" => None,
        _ => {
            return Err(Fail::field(
                lang,
                "kind",
                lang.t("应为 cancel 或 adjust", "expected cancel or adjust"),
            ))
        }
    };
    let reason = Reason::parse(cx.field("reason")).ok_or_else(|| {
        Fail::field(
            lang,
            lang.t("原因", "reason"),
            &format!("{} {}", lang.t("应为", "expected one of"), Reason::codes()),
        )
    })?;
    let text = line(cx, "note", lang.t("说明", "details"))?;
    let pickup = line(cx, "pickup", lang.t("接送安排", "pickup arrangement"))?;
    if let Some(w) = notices::health_word(&pickup) {
        return Err(Fail::field(
            lang,
            lang.t("接送安排", "pickup arrangement"),
            &format!(
                "{} (\"{w}\")",
                lang.t("通知不得含健康信息", "a notice carries no health details")
            ),
        ));
    }
    Ok((
        Change {
            date,
            session,
            end,
            reason,
            text,
        },
        pickup,
    ))
}

/// `GET /admin/emergency`: the form.
pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let body = html! {
        p.t { (lang.t("因恶劣天气、疫情、空气重污染等取消一天或一个时段, 或让一个时段提前结束. 先预览, 确认后记入台账 (取消的任务不计酬), 并生成给家长与教师的通知.", "Cancel a day or a session, or end a session early, for severe weather, an epidemic, heavy air pollution or another reason. Preview first; confirming records it in the ledger (cancelled duties are not paid) and makes the notices for parents and teachers.")) }
        (form(&st, &cx, "/admin/emergency/preview"))
    };
    Ok(ok(page(
        lang,
        lang.t("突发情况调整", "Emergency changes"),
        Some(me),
        body,
    )))
}

/// The duties, people and pupils a change touches.
fn preview_box(st: &Shared, v: &Preview, lang: Lang) -> Markup {
    let (p, s) = (&st.now().policy, &st.now().school);
    let name = |id: &str| {
        s.staff_index(id)
            .map_or(id.to_string(), |i| s.shown_name(i).into_owned())
    };
    html! {
        p.banner {
            (v.duties.len()) (lang.t(" 项任务 · ", " duties · "))
            (v.people.len()) (lang.t(" 位老师 · ", " teachers · "))
            (v.classes.len()) (lang.t(" 个班 · 同时在校学生至多 ", " classes · at most "))
            (v.pupils) (lang.t(" 人", " pupils at once"))
        }
        table.grid {
            thead { tr { th { (lang.t("任务", "duty")) } th { (lang.t("老师", "teachers")) } th { (lang.t("学生数", "pupils")) } th { (lang.t("调整后", "after")) } } }
            tbody { @for a in &v.duties {
                tr {
                    td { (duty_words(p, &a.duty, lang)) }
                    td { (a.staff.iter().map(|x| name(x)).collect::<Vec<_>>().join(lang.t("、", ", "))) }
                    td { (a.duty.pupils) }
                    td { @match (a.new_start, a.new_end) {
                        (Some(s), Some(e)) if e > s => { (s) "–" (e) }
                        (None, Some(e)) if e > a.duty.start => { (lang.t("至 ", "until ")) (e) }
                        _ => { (lang.t("取消", "cancelled")) }
                    } }
                }
            } }
        }
    }
}

/// The notices to copy: parents' per class, teachers' per person.
fn notices_box(st: &Shared, v: &Preview, reason: Reason, pickup: &str, lang: Lang) -> Markup {
    let (p, s) = (&st.now().policy, &st.now().school);
    html! {
        h2 { (lang.t("给家长的通知 (每班, 由班主任转发)", "For parents (per class, forwarded by the homeroom teacher)")) }
        @for n in notices::parents(p, s, v, reason, pickup, lang) {
            h3 { (n.class) }
            textarea.notice readonly rows="3" { (n.text) }
        }
        h2 { (lang.t("给教师的通知 (每人)", "For teachers (per person)")) }
        @for n in notices::teachers(p, s, v, reason, lang) {
            h3 { (n.name) " (" (n.staff_id) ")" }
            textarea.notice readonly rows="3" { (n.text) }
        }
    }
}

/// `POST /admin/emergency/preview`: what the change would touch, and the
/// form again to confirm it. Nothing is written.
pub(crate) async fn preview(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let (c, pickup) = asked(&cx)?;
    let st2 = st.clone();
    let c2 = c.clone();
    let v = st
        .db(move |rec| {
            rec.read(|tx| {
                let now = st2.now();
                crate::ledger::emergency::preview(
                    &now.policy,
                    &now.school,
                    tx,
                    c2.date,
                    c2.session.as_deref(),
                    c2.end,
                )
            })
        })
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let body = html! {
        p { strong { (kind_words(c.end.is_none(), lang)) } " · " (c.date) " · " (c.reason.label(lang)) }
        (preview_box(&st, &v, lang))
        (notices_box(&st, &v, c.reason, &pickup, lang))
        h2 { (lang.t("确认", "Confirm")) }
        (form(&st, &cx, "/admin/emergency"))
    };
    Ok(ok(page(
        lang,
        lang.t("突发情况调整: 预览", "Emergency change: preview"),
        Some(me),
        body,
    )))
}

/// Send the digest to the robot, if one is set; the outcome in words.
fn robot(st: &Shared, v: &Preview, reason: Reason, by: &Actor, lang: Lang) -> String {
    let r = st.with_record(|rec| rec.read(|tx| tx.secret(SECRET)));
    let Some(r) = r
        .ok()
        .flatten()
        .and_then(|r| serde_json::from_str::<Robot>(&r).ok())
    else {
        return lang
            .t(
                "未设置群机器人, 未发送.",
                "No group robot is set: nothing was sent.",
            )
            .to_string();
    };
    let now = st.now();
    let (title, text) = notices::digest(&now.policy, &now.school, v, reason, Lang::Zh);
    let (said, line) = match send(st, &r, &title, &text) {
        Ok(()) => (
            lang.t("已发送到群机器人.", "Sent to the group robot.")
                .to_string(),
            "emergency sent".to_string(),
        ),
        Err(why) => (
            format!(
                "{}{}",
                lang.t("群机器人未发出: ", "The group robot did not take it: "),
                why.render(lang)
            ),
            format!("emergency failed: {}", why.en),
        ),
    };
    let week = crate::calendar::monday_of(v.date);
    let _ = st.with_record(|rec| rec.write(|tx| tx.audit(by, "robot", Some(week), &line)));
    said
}

/// `POST /admin/emergency`: record the change, then the notices (and the
/// robot, when ticked).
pub(crate) async fn submit(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let (c, pickup) = asked(&cx)?;
    let by = Actor {
        who: me.user.login.clone(),
        via: "kehou serve /admin/emergency".into(),
    };
    let ticked = cx.field("robot") == "1";
    let reason = c.reason;
    let st2 = st.clone();
    let (done, sent) = crate::web::blocking(move || {
        let now = st2.now();
        let done = st2.with_record(|rec| {
            rec.write(|tx| emergency::record(tx, &now.policy, &now.school, &c, &by))
        })?;
        let sent = ticked.then(|| robot(&st2, &done.preview, c.reason, &by, lang));
        Ok((done, sent))
    })
    .await
    .map_err(|e| Fail::from_error(lang, &e))?;
    let body = html! {
        p.banner { (lang.t("已记录 (台账 #", "Recorded (ledger #")) (done.id) (lang.t("): 取消的任务不计酬.", "): cancelled duties are not paid.")) }
        @if let Some(s) = &sent { p.box { (lang.t("群机器人: ", "Group robot: ")) (s) } }
        (preview_box(&st, &done.preview, lang))
        (notices_box(&st, &done.preview, reason, &pickup, lang))
        p { a href="/admin/emergency" { (lang.t("再做一项调整", "Another change")) } }
    };
    Ok(ok(page(
        lang,
        lang.t("突发情况调整: 已记录", "Emergency change: recorded"),
        Some(me),
        body,
    )))
}
