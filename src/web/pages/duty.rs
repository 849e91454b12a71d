//! During each duty (issue 20, item 2), on the duty teacher's phone:
//! `/duty` lists the duties the teacher holds today (big buttons) and, to
//! a homeroom teacher, the flags of their class (an unexcused absence with
//! the parent notice to copy, a late pickup, a pupil unwell); the
//! administrator sees every duty held that day and every class's flags.
//! `/duty/{date}/{kind}/{group}` is one duty: sign-in, roll call,
//! pickups, a pupil unwell, handovers. Only the duty teacher of that duty
//! that day (from the published roster and the events since) writes there;
//! the administrator sees it; anyone else is refused. The rules are the
//! library's (`crate::duty`); a refusal writes nothing.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::{NaiveDate, NaiveDateTime};
use maud::{html, Markup};

use crate::duty::{self, Day, Held, Roll};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::model::units::Hm;
use crate::outputs::terminal::kind_label;
use crate::record::accounts::{Role, Session};
use crate::record::duty::{Flag, FlagKind, Handover, Mark, Pickup, RollCall, SignIn, Unwell};
use crate::record::Actor;

use super::{date_field, me};
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, ok, page, Fail};
use crate::web::Shared;

fn actor(me: &Session) -> Actor {
    Actor {
        who: me.user.login.clone(),
        via: "web /duty".into(),
    }
}

fn short(t: NaiveDateTime) -> String {
    t.format("%H:%M").to_string()
}

fn link(duty_id: &str) -> String {
    format!("/duty/{duty_id}")
}

/// A class's flags and unwell records of a date, by class id.
type ClassFlags = BTreeMap<String, (Vec<Flag>, Vec<Unwell>)>;

/// `/duty`: today's duties (or `?date=`) and the flags the user may see.
pub(crate) async fn today(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let me = me(&cx)?.clone();
    let lang = cx.lang;
    let date = match cx.query.get("date").filter(|s| !s.is_empty()) {
        Some(s) => date_field(lang, lang.t("日期", "date"), s)?,
        None => st.clock().date(),
    };
    let loaded = st.now();
    let (p, s) = (&loaded.policy, &loaded.school);
    let mine = me.user.staff_id.as_deref().and_then(|id| s.staff_index(id));
    let admin = me.user.role == Role::Admin;
    // The classes whose flags this user sees: their own homeroom class, or all.
    let classes: Vec<String> = match (admin, mine.and_then(|i| s.staff[i].homeroom)) {
        (true, _) => s.classes.iter().map(|c| c.id.clone()).collect(),
        (false, Some(ci)) => vec![s.classes[ci].id.clone()],
        _ => Vec::new(),
    };
    let st2 = st.clone();
    let (day, flags) = st
        .db(move |rec| {
            rec.read(|tx| {
                let l = st2.now();
                let day = duty::day(&l.policy, &l.school, tx, date)?;
                let mut flags = ClassFlags::new();
                for c in classes {
                    let f = tx.flags_of_class(&c, date)?;
                    let u: Vec<Unwell> = tx
                        .unwell_of_class(&c)?
                        .into_iter()
                        .filter(|u| u.at.date() == date)
                        .collect();
                    if !f.is_empty() || !u.is_empty() {
                        flags.insert(c, (f, u));
                    }
                }
                Ok((day, flags))
            })
        })
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let body = html! {
        div.weeknav {
            a href=(format!("?date={}", date.pred_opt().unwrap_or(date))) { "← " (lang.t("前一天", "previous day")) }
            span { (date) " " (lang.weekday(chrono::Datelike::weekday(&date))) }
            a href=(format!("?date={}", date.succ_opt().unwrap_or(date))) { (lang.t("后一天", "next day")) " →" }
        }
        @match &day {
            None => p { (lang.t("这一周尚未发布排班.", "This week's roster is not published yet.")) },
            Some(d) => (duty_list(&loaded, d, mine, admin, lang)),
        }
        @if !flags.is_empty() || mine.and_then(|i| s.staff[i].homeroom).is_some() {
            h2 { (if admin { lang.t("各班的提醒", "Flags of every class") } else { lang.t("我班的提醒", "Flags of my class") }) }
            @if flags.is_empty() { p { (lang.t("今天没有提醒.", "No flags today.")) } }
            @for (class, (f, u)) in &flags { (flag_box(&loaded, class, f, u, day.as_ref(), lang)) }
        }
    };
    let _ = p;
    Ok(ok(page(lang, lang.t("值班", "On duty"), Some(&me), body)))
}

/// The duties of the day: the teacher's own as big buttons, or all of them.
fn duty_list(
    l: &crate::web::Loaded,
    d: &Day,
    mine: Option<usize>,
    admin: bool,
    lang: Lang,
) -> Markup {
    let (p, s) = (&l.policy, &l.school);
    let shown: Vec<&crate::ledger::Served> = d
        .held
        .iter()
        .filter(|x| admin || Some(x.staff) == mine)
        .collect();
    html! {
        @if shown.is_empty() { p { (lang.t("这一天你没有值班任务.", "You hold no duty this day.")) } }
        @for x in shown {
            a.big href=(link(&x.duty.id)) {
                (x.duty.start) "–" (x.duty.end) " · " (kind_label(p, x.duty.kind, lang)) " · " (x.duty.group)
                @if admin { " · " (s.shown_name(x.staff)) }
            }
        }
    }
}

/// One class's flags: each unexcused absence with its parent notice, each
/// late pickup, each pupil unwell (the action taken: here, never in a notice).
fn flag_box(
    l: &crate::web::Loaded,
    class: &str,
    flags: &[Flag],
    unwell: &[Unwell],
    day: Option<&Day>,
    lang: Lang,
) -> Markup {
    let (p, s) = (&l.policy, &l.school);
    let name = s
        .classes
        .iter()
        .find(|c| c.id == class)
        .map_or(class, |c| c.name.as_str());
    let duty_of = |id: &str| day.and_then(|d| d.duty(id));
    html! {
        div.box.warn {
            strong { (name) }
            ul { @for f in flags {
                li {
                    span.flag { (short(f.at)) " " (f.pupil) " · " (match f.what {
                        FlagKind::Unexcused => lang.t("无故缺席", "absent, no reason"),
                        FlagKind::LatePickup => lang.t("晚接", "picked up late"),
                    }) }
                    @if let Some(d) = duty_of(&f.duty_id) {
                        " · " (kind_label(p, d.kind, lang)) " " (d.group)
                        @if f.what == FlagKind::Unexcused {
                            br;
                            label { (lang.t("给家长的通知 (可复制):", "Notice for the parent (to copy):")) br;
                                textarea.notice readonly rows="3" { (duty::absence_notice(&p.school_name, &f.pupil, d.date, &kind_label(p, d.kind, lang), d.start, lang)) }
                            }
                        }
                    }
                }
            } }
            @if !unwell.is_empty() {
                p { (lang.t("身体不适 (仅班主任和管理员可见):", "Unwell (homeroom teacher and administrators only):")) }
                ul { @for u in unwell { li { (short(u.at)) " " (lang.t("学生 ", "pupil ")) (u.pupil_id) ": " (u.action) } } }
            }
        }
    }
}

/// What one duty page shows, read in one snapshot.
pub(super) struct DutyView {
    pub(super) day: Day,
    pub(super) duty: crate::demand::Duty,
    /// The user's hold of the duty (None: the administrator looking).
    pub(super) held: Option<Held>,
    pub(super) roll: Roll,
    pub(super) marks: Vec<RollCall>,
    pub(super) pickups: Vec<Pickup>,
    /// Only for the administrator (unwell details are not the duty page's).
    pub(super) unwell: Vec<Unwell>,
    pub(super) unwell_count: usize,
    pub(super) handovers: Vec<Handover>,
    pub(super) sign_ins: Vec<SignIn>,
}

/// The duty of the path as the user may see it: 404 when the day's
/// published roster has no such held duty, 403 when a teacher does not
/// hold it.
async fn view(
    st: &Shared,
    me: &Session,
    lang: Lang,
    date: NaiveDate,
    duty_id: String,
) -> Result<DutyView, Fail> {
    let st2 = st.clone();
    let staff_id = me.user.staff_id.clone();
    let admin = me.user.role == Role::Admin;
    let got: Result<Option<std::result::Result<DutyView, ()>>> = st
        .db(move |rec| {
            rec.read(|tx| {
                let l = st2.now();
                let (p, s) = (&l.policy, &l.school);
                let Some(day) = duty::day(p, s, tx, date)? else {
                    return Ok(None);
                };
                let Some(d) = day
                    .duty(&duty_id)
                    .filter(|_| day.is_held(&duty_id))
                    .cloned()
                else {
                    return Ok(None);
                };
                let held = staff_id
                    .as_deref()
                    .and_then(|id| day.held_by(s, &duty_id, id));
                if held.is_none() && !admin {
                    return Ok(Some(Err(())));
                }
                let roll = duty::roll_of_duty(tx, p, s, &day, &d)?;
                let unwell = tx.unwell_of_duty(&duty_id)?;
                let mut sign_ins = Vec::new();
                for ix in day.holders(&duty_id) {
                    sign_ins.extend(tx.sign_in_of(&duty_id, &s.staff[ix].id)?);
                }
                Ok(Some(Ok(DutyView {
                    marks: tx.roll_marks(&duty_id)?,
                    pickups: tx.pickups_of_duty(&duty_id)?,
                    unwell_count: unwell.len(),
                    unwell: if admin { unwell } else { Vec::new() },
                    handovers: tx.handovers_of(date, &duty_id)?,
                    sign_ins,
                    roll,
                    held,
                    duty: d,
                    day,
                })))
            })
        })
        .await;
    match got {
        Err(e) => Err(Fail::from_error(lang, &e)),
        Ok(None) => Err(Fail::new(
            StatusCode::NOT_FOUND,
            lang,
            lang.t(
                "这一天已发布的排班中没有这项值班任务",
                "the day's published roster holds no such duty",
            ),
        )),
        Ok(Some(Err(()))) => Err(Fail::forbidden(lang, me.user.role)),
        Ok(Some(Ok(v))) => Ok(v),
    }
}

fn duty_path(lang: Lang, date: &str, kind: &str, group: &str) -> Result<(NaiveDate, String), Fail> {
    let d = date_field(lang, lang.t("日期", "date"), date)?;
    Ok((d, format!("{d}/{kind}/{group}")))
}

/// `/duty/{date}/{kind}/{group}`: one duty.
pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path((date, kind, group)): Path<(String, String, String)>,
) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let lang = cx.lang;
    let (date, duty_id) = duty_path(lang, &date, &kind, &group)?;
    let v = view(&st, me, lang, date, duty_id).await?;
    let l = st.now();
    let now = st.clock();
    let title = format!(
        "{} {}–{} {} · {}",
        v.duty.date,
        v.duty.start,
        v.duty.end,
        kind_label(&l.policy, v.duty.kind, lang),
        v.duty.group
    );
    let body = html! {
        @if let Some(done) = cx.query.get("done") { p.banner { (done_word(done, lang)) } }
        p { a href=(format!("/duty?date={date}")) { "← " (lang.t("当天的值班", "the day's duties")) } }
        (super::duty_parts::sign_in_box(&cx, &l, &v, now))
        (super::duty_parts::roll_box(&cx, &l, &v))
        (super::duty_parts::pickup_box(&cx, &l, &v, now))
        (super::duty_parts::unwell_box(&cx, &v, now))
        (super::duty_parts::handover_box(&cx, &l, &v))
    };
    Ok(ok(page(lang, &title, Some(me), body)))
}

fn done_word(done: &str, lang: Lang) -> &'static str {
    match done {
        "signin" => lang.t("已签到.", "Signed in."),
        "roll" => lang.t("点名已记录.", "Roll call recorded."),
        "pickup" => lang.t("接走时间已记录.", "Pickup recorded."),
        "unwell" => lang.t("身体不适已记录.", "Unwell recorded."),
        "handover" => lang.t(
            "交接已记录, 等待接班教师确认.",
            "Handover recorded; waiting for the receiver's confirmation.",
        ),
        "confirm" => lang.t("交接已确认.", "Handover confirmed."),
        _ => lang.t("已记录.", "Recorded."),
    }
}

/// A pupil id from a form field.
fn pupil_field(lang: Lang, s: &str) -> Result<i64, Fail> {
    s.parse().map_err(|_| {
        Fail::field(
            lang,
            lang.t("学生", "pupil"),
            lang.t("应为名单中的学生编号", "expected a pupil id from the list"),
        )
    })
}

/// A clock time from a form field.
fn time_field(lang: Lang, s: &str) -> Result<Hm, Fail> {
    Hm::parse(s).ok_or_else(|| {
        Fail::field(
            lang,
            lang.t("时间", "time"),
            lang.t("应为时刻, 如 17:45", "expected a time such as 17:45"),
        )
    })
}

/// What a POST asks, parsed from its form before anything is read.
enum Ask {
    SignIn,
    Roll(Vec<(i64, Mark)>),
    Pickup(i64, Hm),
    Unwell(i64, Hm, String),
    Handover {
        to: (String, String),
        pupils: Vec<i64>,
        count: Option<u32>,
    },
    Confirm(i64),
}

fn ask_of(cx: &Cx, action: &str) -> Result<Ask, Fail> {
    let lang = cx.lang;
    Ok(match action {
        "signin" => Ask::SignIn,
        "roll" => {
            let mut marks = Vec::new();
            for (k, v) in &cx.form {
                let Some(id) = k.strip_prefix("mark_") else {
                    continue;
                };
                let mark = v.parse::<Mark>().map_err(|_| {
                    Fail::field(
                        lang,
                        lang.t("点名", "roll call"),
                        lang.t(
                            "应为 到 / 请假 / 无故缺席",
                            "expected present, leave or unexcused",
                        ),
                    )
                })?;
                marks.push((pupil_field(lang, id)?, mark));
            }
            marks.sort_unstable();
            Ask::Roll(marks)
        }
        "pickup" => Ask::Pickup(
            pupil_field(lang, cx.field("pupil"))?,
            time_field(lang, cx.field("at"))?,
        ),
        "unwell" => Ask::Unwell(
            pupil_field(lang, cx.field("pupil"))?,
            time_field(lang, cx.field("at"))?,
            cx.field("action").to_string(),
        ),
        "handover" => {
            let (d, s) = cx.field("to").split_once('|').ok_or_else(|| {
                Fail::field(
                    lang,
                    lang.t("接班", "receiver"),
                    lang.t(
                        "请选择接班的任务和教师",
                        "choose the receiving duty and teacher",
                    ),
                )
            })?;
            let mut pupils = Vec::new();
            for k in cx.form.keys() {
                if let Some(id) = k.strip_prefix("p_") {
                    pupils.push(pupil_field(lang, id)?);
                }
            }
            pupils.sort_unstable();
            let count = match cx.field("count") {
                "" => None,
                c => Some(c.parse::<u32>().map_err(|_| {
                    Fail::field(
                        lang,
                        lang.t("人数", "count"),
                        lang.t("应为人数", "expected a number of pupils"),
                    )
                })?),
            };
            Ask::Handover {
                to: (d.to_string(), s.to_string()),
                pupils,
                count,
            }
        }
        "confirm" => Ask::Confirm(cx.field("handover").parse().map_err(|_| {
            Fail::field(
                lang,
                lang.t("交接", "handover"),
                lang.t("应为交接编号", "expected a handover id"),
            )
        })?),
        _ => {
            return Err(Fail::new(
                StatusCode::NOT_FOUND,
                lang,
                lang.t("没有这个操作", "no such action"),
            ))
        }
    })
}

/// `POST /duty/{date}/{kind}/{group}/{action}`: the duty teacher records.
pub(crate) async fn act(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path((date, kind, group, action)): Path<(String, String, String, String)>,
) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let lang = cx.lang;
    let (date, duty_id) = duty_path(lang, &date, &kind, &group)?;
    let ask = ask_of(&cx, &action)?;
    let v = view(&st, me, lang, date, duty_id.clone()).await?;
    let Some(held) = v.held else {
        return Err(Fail::new(
            StatusCode::FORBIDDEN,
            lang,
            lang.t(
                "只有这项任务的值班教师可以记录",
                "only this duty's teacher records here",
            ),
        ));
    };
    let (now, by, st2) = (st.clock(), actor(me), st.clone());
    let (roll, day) = (v.roll, v.day);
    st.db(move |rec| {
        rec.write(|tx| {
            let l = st2.now();
            record(tx, &l, &day, &held, &roll, ask, now, &by)
        })
    })
    .await
    .map_err(|e| Fail::from_error(lang, &e))?;
    Ok(Redirect::to(&format!("{}?done={action}", link(&duty_id))).into_response())
}

#[allow(clippy::too_many_arguments)]
fn record(
    tx: &crate::record::Tx,
    l: &crate::web::Loaded,
    day: &Day,
    held: &Held,
    roll: &Roll,
    ask: Ask,
    now: NaiveDateTime,
    by: &Actor,
) -> std::result::Result<(), Error> {
    let p = &l.policy;
    match ask {
        Ask::SignIn => duty::sign_in(tx, p, held, now, by).map(|_| ()),
        Ask::Roll(marks) => duty::roll_call(tx, held, roll, &marks, now, by).map(|_| ()),
        Ask::Pickup(id, at) => duty::pickup(tx, p, held, roll, id, at, now, by).map(|_| ()),
        Ask::Unwell(id, at, action) => duty::unwell(tx, held, roll, id, at, &action, now, by),
        Ask::Handover { to, pupils, count } => duty::hand_over(
            tx,
            &l.school,
            day,
            held,
            roll,
            (&to.0, &to.1),
            &pupils,
            count,
            now,
            by,
        )
        .map(|_| ()),
        Ask::Confirm(id) => duty::confirm(tx, held, id, now, by),
    }
}

/// The CSRF token of the page's session.
pub(super) fn csrf(cx: &Cx) -> Markup {
    csrf_field(cx.me.as_ref().map_or("", |m| m.csrf.as_str()))
}
