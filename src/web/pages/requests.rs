//! Teachers' requests: on their own duties page a teacher reports an
//! absence or asks for a swap of one duty; the vice-principal sees the
//! week's requests on the week page, acts on them (absence repair, the
//! seat page) and answers each, once. Requests are kept in the record
//! (`record::requests`) and change no roster by themselves.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::{Datelike, Days, NaiveDate};
use maud::{html, Markup};

use crate::demand::Duty;
use crate::lang::Lang;
use crate::model::school::School;
use crate::record::requests::{Answer, Kind, NewRequest, Request};
use crate::record::Actor;

use super::{date_field, me};
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, Fail};
use crate::web::Shared;

const NOTE_MAX: usize = 200;

/// The requests of `staff` (or everyone) touching the week.
pub(crate) async fn of_week(
    st: &Shared,
    monday: NaiveDate,
    staff: Option<String>,
) -> crate::Result<Vec<Request>> {
    let sunday = monday + Days::new(6);
    st.db(move |rec| rec.read(|tx| tx.requests(monday, sunday, staff.as_deref())))
        .await
}

fn status(q: &Request, lang: Lang) -> String {
    match &q.answer {
        None => lang.t("待处理", "waiting").to_string(),
        Some((a, note, at, who)) => {
            let word = match a {
                Answer::Done => lang.t("已处理", "done"),
                Answer::Declined => lang.t("未同意", "declined"),
            };
            let at = at.get(..16).unwrap_or(at).replace('T', " ");
            let note = if note.is_empty() {
                String::new()
            } else {
                format!(": {note}")
            };
            format!("{word} ({who}, {at}){note}")
        }
    }
}

fn what(q: &Request, lang: Lang) -> String {
    match q.kind {
        Kind::Absence => format!("{} {} – {}", lang.t("缺勤", "absent"), q.from, q.to),
        Kind::Swap => format!("{} {} {}", lang.t("换班", "swap"), q.from, q.duty_id),
    }
}

/// On a teacher's own page: report an absence, ask for a swap of a duty,
/// and their requests of the week.
pub(crate) fn teacher_box(cx: &Cx, monday: NaiveDate, duties: &[Duty], mine: &[Request]) -> Markup {
    let lang = cx.lang;
    let csrf = cx.me.as_ref().map_or("", |m| m.csrf.as_str());
    let end = monday + Days::new(6);
    html! {
        h2 { (lang.t("请假或换班", "Absence or swap")) }
        form method="post" action="/requests" {
            (csrf_field(csrf))
            input type="hidden" name="kind" value="absence";
            label { (lang.t("从 ", "from ")) input type="date" name="from" value=(monday) min=(monday) max=(end); } " "
            label { (lang.t("到 ", "to ")) input type="date" name="to" value=(monday) min=(monday) max=(end); } " "
            label { (lang.t("说明 ", "note ")) input type="text" name="note" maxlength=(NOTE_MAX); } " "
            button type="submit" { (lang.t("报告缺勤", "Report an absence")) }
        }
        @if !duties.is_empty() {
            ul.duties { @for d in duties {
                li { form.inline method="post" action="/requests" {
                    (csrf_field(csrf))
                    input type="hidden" name="kind" value="swap";
                    input type="hidden" name="duty" value=(d.id);
                    input type="hidden" name="from" value=(d.date);
                    input type="hidden" name="to" value=(d.date);
                    (d.date.format("%m-%d")) " " (lang.weekday(d.date.weekday())) " " (d.start) "–" (d.end) " "
                    input type="text" name="note" maxlength=(NOTE_MAX) placeholder=(lang.t("说明 (可不填)", "note (optional)"));
                    button type="submit" { (lang.t("申请换班", "Ask for a swap")) }
                } }
            } }
        }
        @if !mine.is_empty() {
            h3 { (lang.t("我的申请", "My requests")) }
            ul { @for q in mine { li { (what(q, lang)) " · " (status(q, lang)) } } }
        }
    }
}

/// On the week page: the week's requests, each with what to do and the answer forms.
pub(crate) fn admin_box(cx: &Cx, s: &School, monday: NaiveDate, list: &[Request]) -> Markup {
    let lang = cx.lang;
    let csrf = cx.me.as_ref().map_or("", |m| m.csrf.as_str());
    let name = |id: &str| {
        s.staff_index(id)
            .map_or(id.to_string(), |i| s.shown_name(i).into_owned())
    };
    html! {
        @if !list.is_empty() {
            h3 { (lang.t("教师的申请", "Teachers' requests")) }
            ul { @for q in list {
                li {
                    strong { (name(&q.staff_id)) } " (" (q.staff_id) ") · " (what(q, lang))
                    @if !q.note.is_empty() { " · " (q.note) }
                    " · " (status(q, lang))
                    @if q.answer.is_none() {
                        @if q.kind == Kind::Swap {
                            " " a href=(super::edit::seat_link(monday, &q.duty_id, Some(&q.staff_id))) { (lang.t("找人替换", "find someone")) }
                        } @else {
                            form.inline method="post" action=(format!("/week/{monday}/repair")) {
                                (csrf_field(csrf))
                                input type="hidden" name="absent" value=(q.staff_id);
                                input type="hidden" name="from" value=(q.from.max(monday));
                                input type="hidden" name="to" value=(q.to.min(monday + Days::new(6)));
                                button type="submit" { (lang.t("生成修复方案", "Propose a repair")) }
                            }
                        }
                        @for (a, label) in [("done", lang.t("已处理", "Done")), ("declined", lang.t("不同意", "Decline"))] {
                            form.inline method="post" action=(format!("/requests/{}/answer", q.id)) {
                                (csrf_field(csrf))
                                input type="hidden" name="answer" value=(a);
                                button type="submit" { (label) }
                            }
                        }
                    }
                }
            } }
        }
    }
}

/// A note as typed: at most `NOTE_MAX` characters, no control characters.
fn note(cx: &Cx) -> Result<String, Fail> {
    let n = cx.field("note").trim();
    if n.chars().count() > NOTE_MAX || n.chars().any(char::is_control) {
        return Err(Fail::field(
            cx.lang,
            cx.lang.t("说明", "note"),
            cx.lang.t(
                "应为不超过 200 个字符的一行文字",
                "expected one line of at most 200 characters",
            ),
        ));
    }
    Ok(n.to_string())
}

/// The request a form asks for (dates checked; a swap names a duty of the
/// person's published week).
async fn form_request(
    st: &Shared,
    cx: &Cx,
    staff: &str,
) -> Result<(Kind, NaiveDate, NaiveDate, String), Fail> {
    let lang = cx.lang;
    let from = date_field(lang, lang.t("从", "from"), cx.field("from"))?;
    let to = date_field(lang, lang.t("到", "to"), cx.field("to"))?;
    if to < from || (to - from).num_days() > 31 {
        return Err(Fail::field(
            lang,
            lang.t("到", "to"),
            lang.t(
                "应不早于开始日期, 且不超过 31 天",
                "expected a date not before the start and at most 31 days after it",
            ),
        ));
    }
    match cx.field("kind") {
        "absence" => Ok((Kind::Absence, from, to, String::new())),
        "swap" => {
            let duty = cx.field("duty").to_string();
            // The served week holds the duty's date and id: nothing else to look up.
            let held = match st.now().school.staff_index(staff) {
                Some(ix) => super::duties::served(st, ix, crate::calendar::monday_of(from))
                    .await
                    .map_err(|e| Fail::from_error(lang, &e))?
                    .1
                    .iter()
                    .any(|d| d.id == duty && d.date == from),
                None => false,
            };
            if !held {
                return Err(Fail::field(
                    lang,
                    lang.t("任务", "duty"),
                    lang.t(
                        "应为你在已发布排班中担任的任务",
                        "expected a duty you hold in the published roster",
                    ),
                ));
            }
            Ok((Kind::Swap, from, from, duty))
        }
        _ => Err(Fail::field(
            lang,
            "kind",
            lang.t("应为 absence 或 swap", "expected absence or swap"),
        )),
    }
}

/// `POST /requests`: a teacher's own request.
pub(crate) async fn ask(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let Some(staff) = me.user.staff_id.clone() else {
        return Err(Fail::new(
            StatusCode::BAD_REQUEST,
            lang,
            lang.t(
                "你的账号没有关联工号; 未做任何更改",
                "your account has no staff id; nothing was changed",
            ),
        ));
    };
    let (kind, from, to, duty) = form_request(&st, &cx, &staff).await?;
    let note = note(&cx)?;
    let by = Actor {
        who: me.user.login.clone(),
        via: "kehou serve /requests".into(),
    };
    let who = staff.clone();
    st.db(move |rec| {
        rec.write(|tx| {
            let same = tx.requests(from, to, Some(&who))?.into_iter().any(|q| {
                q.answer.is_none()
                    && q.kind == kind
                    && q.from == from
                    && q.to == to
                    && q.duty_id == duty
            });
            if same {
                return Err(crate::Error::Refused(vec![crate::error::Said::new(
                    "同样的申请已在等待处理; 未重复记录",
                    "the same request is already waiting; it was not recorded twice",
                )]));
            }
            let q = NewRequest {
                kind,
                staff_id: &who,
                from,
                to,
                duty_id: &duty,
                note: &note,
            };
            tx.ask(&q, &by)
        })
    })
    .await
    .map_err(|e| Fail::from_error(lang, &e))?;
    let monday = crate::calendar::monday_of(from);
    Ok(Redirect::to(&format!("/duties/{staff}?week={monday}&asked=1")).into_response())
}

/// `POST /requests/{id}/answer`: the vice-principal answers once.
pub(crate) async fn answer(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(id): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let id: i64 = id.parse().map_err(|_| {
        Fail::field(
            lang,
            lang.t("申请", "request"),
            lang.t("应为申请编号", "expected a request number"),
        )
    })?;
    let Some(a) = Answer::parse(cx.field("answer")) else {
        return Err(Fail::field(
            lang,
            "answer",
            lang.t("应为 done 或 declined", "expected done or declined"),
        ));
    };
    let note = note(&cx)?;
    let by = Actor {
        who: me.user.login.clone(),
        via: "kehou serve /requests".into(),
    };
    let from = st
        .db(move |rec| {
            rec.write(|tx| {
                tx.answer(id, a, &note, &by)?;
                Ok(tx.request(id)?.map(|q| q.from))
            })
        })
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let monday = crate::calendar::monday_of(from.unwrap_or_else(super::this_monday));
    Ok(Redirect::to(&format!("/week/{monday}")).into_response())
}
