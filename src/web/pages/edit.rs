//! Hand edits on the week page: a seat's page lists who could take it,
//! ranked, each other person with the rule that stops them; a move, swap
//! or vacated seat is checked at once (`studies::edit`) and becomes the
//! week's draft; an assignment can be pinned so planning and repair keep it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::{Datelike, NaiveDate};
use maud::{html, Markup};

use crate::error::Error;
use crate::lang::Lang;
use crate::model::school::School;
use crate::outputs::terminal::{kind_label, session_label};
use crate::plan::{Pin, Plan};
use crate::studies::edit::{self, Candidate, Edit, Verdict};

use super::week::{working, Working};
use super::{me, week_path};
use crate::web::guard::Cx;
use crate::web::jobs::Origin;
use crate::web::layout::{csrf_field, ok, page, Fail};
use crate::web::Shared;

/// The week's working roster, or a page saying there is none.
async fn load(st: &Shared, lang: Lang, monday: NaiveDate) -> Result<Working, Fail> {
    match working(st, monday).await {
        Ok(Some(w)) => Ok(w),
        Ok(None) => Err(Fail::new(
            StatusCode::NOT_FOUND,
            lang,
            lang.t(
                "本周既没有草稿也没有已发布的排班; 请先排班",
                "this week has neither a draft nor a published roster; plan it first",
            ),
        )),
        Err(e) => Err(Fail::from_error(lang, &e)),
    }
}

fn duty_index(plan: &Plan, lang: Lang, id: &str) -> Result<usize, Fail> {
    plan.demand
        .duties
        .iter()
        .position(|d| d.id == id)
        .ok_or_else(|| {
            Fail::field(
                lang,
                lang.t("任务", "duty"),
                lang.t("应为本周的任务编号", "expected a duty id of this week"),
            )
        })
}

fn staff_index(s: &School, lang: Lang, field: &str, id: &str) -> Result<usize, Fail> {
    s.staff_index(id).ok_or_else(|| {
        Fail::field(
            lang,
            field,
            lang.t(
                "应为教职工名单中的工号",
                "expected a staff id from the staff list",
            ),
        )
    })
}

/// The seat page of a duty (ids hold `/`, so they go in the query);
/// `from`: whose seat (`""`: an open one).
pub(crate) fn seat_link(monday: NaiveDate, duty: &str, from: Option<&str>) -> String {
    let mut q = vec![("duty", duty)];
    q.extend(from.map(|f| ("from", f)));
    let q = serde_urlencoded::to_string(q).unwrap_or_default();
    format!("/week/{monday}/seat?{q}")
}

/// `GET /week/{monday}/seat?duty=ID&from=ID`: who could take the seat.
pub(crate) async fn seat(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(monday): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let monday = week_path(lang, &monday)?;
    let w = load(&st, lang, monday).await?;
    let duty = cx.query.get("duty").map_or("", String::as_str);
    let d = duty_index(&w.plan, lang, duty)?;
    let holders: Vec<usize> = w
        .plan
        .assignments
        .iter()
        .filter(|a| a.duty == d)
        .map(|a| a.staff)
        .collect();
    let open = w
        .plan
        .uncovered
        .iter()
        .find(|u| u.0 == d)
        .map_or(0, |u| u.1);
    let from = match cx.query.get("from").filter(|s| !s.is_empty()) {
        Some(id) => Some(staff_index(&st.now().school, lang, "from", id)?),
        None if open > 0 => None,
        None => holders.first().copied(),
    };
    let (p, s) = (&st.now().policy, &w.school);
    let cands = edit::candidates(p, s, &w.plan, d, from);
    let pins = st.jobs.pins(monday);
    let body = html! {
        p { a href=(format!("/week/{monday}?view=draft")) { "← " (lang.t("返回本周", "back to the week")) } }
        (duty_box(&st, &w.plan, d, lang))
        (holders_box(&st, &cx, monday, &w, d, &holders, open, from, &pins))
        h2 { (lang.t("可以担任的人 (按接任后的相对负荷从低到高)", "Who could take it (lowest relative load after first)")) }
        (candidate_table(&st, &cx, monday, &w, d, from, &cands, lang))
    };
    let title = format!(
        "{} {}",
        lang.t("调整任务", "Change duty"),
        w.plan.demand.duties[d].id
    );
    Ok(ok(page(lang, &title, Some(me), body)))
}

fn duty_box(st: &Shared, plan: &Plan, d: usize, lang: Lang) -> Markup {
    let duty = &plan.demand.duties[d];
    html! {
        div.box {
            p { strong { (duty.date.format("%Y-%m-%d")) " " (lang.weekday(duty.date.weekday())) " "
                (session_label(&st.now().policy, &duty.session, lang)) " " (duty.start) "–" (duty.end) } }
            p { (kind_label(&st.now().policy, duty.kind, lang)) " · " (duty.group) " · "
                (lang.t("学生 ", "pupils ")) (duty.pupils) " · " (lang.t("需要 ", "staff needed ")) (duty.staff_needed)
                @if let Some(q) = &duty.qualification { " · " (lang.t("资质 ", "qualification ")) (q) } }
            p.t { (lang.t("任务编号 ", "duty id ")) (duty.id) }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn holders_box(
    st: &Shared,
    cx: &Cx,
    monday: NaiveDate,
    w: &Working,
    d: usize,
    holders: &[usize],
    open: u32,
    from: Option<usize>,
    pins: &[Pin],
) -> Markup {
    let lang = cx.lang;
    let csrf = cx.me.as_ref().map_or("", |m| m.csrf.as_str());
    let duty = &w.plan.demand.duties[d];
    html! {
        h2 { (lang.t("现在担任", "Held now by")) }
        ul {
            @for &h in holders {
                @let person = &st.now().school.staff[h];
                @let pinned = pins.contains(&Pin { duty: d, staff: h });
                li {
                    @if Some(h) == from { strong { (st.now().school.shown_name(h)) } } @else {
                        a href=(seat_link(monday, &duty.id, Some(&person.id))) { (st.now().school.shown_name(h)) }
                    }
                    " (" (person.id) ")"
                    @if pinned { " 📌 " (lang.t("已锁定", "pinned")) }
                    form.inline method="post" action=(format!("/week/{monday}/pin")) {
                        (csrf_field(csrf))
                        input type="hidden" name="duty" value=(duty.id);
                        input type="hidden" name="staff" value=(person.id);
                        input type="hidden" name="on" value=(if pinned { "0" } else { "1" });
                        button type="submit" { (if pinned { lang.t("解除锁定", "Unpin") } else { lang.t("锁定 (重新排班时保留)", "Pin (kept by planning)") }) }
                    }
                    form.inline method="post" action=(format!("/week/{monday}/edit")) {
                        (csrf_field(csrf))
                        (edit_fields(w, "vacate", &duty.id, &person.id, "", ""))
                        button type="submit" { (lang.t("撤下 (留空)", "Remove (leave open)")) }
                    }
                }
            }
            @if open > 0 {
                li.error {
                    @if from.is_none() { strong { (lang.t("空缺 ", "Open seats: ")) (open) } } @else {
                        a href=(seat_link(monday, &duty.id, Some(""))) { (lang.t("空缺 ", "Open seats: ")) (open) }
                    }
                }
            }
        }
    }
}

fn edit_fields(w: &Working, kind: &str, duty: &str, from: &str, to: &str, other: &str) -> Markup {
    html! {
        input type="hidden" name="draft" value=(w.draft);
        input type="hidden" name="kind" value=(kind);
        input type="hidden" name="duty" value=(duty);
        input type="hidden" name="from" value=(from);
        input type="hidden" name="to" value=(to);
        input type="hidden" name="other" value=(other);
    }
}

fn verdict_text(st: &Shared, plan: &Plan, v: &Verdict, lang: Lang) -> String {
    match v {
        Verdict::Free => lang.t("可以", "can take it").to_string(),
        Verdict::Swap(d2) => {
            let o = &plan.demand.duties[*d2];
            format!(
                "{} {}–{} {}·{}",
                lang.t("同时段已有任务, 可互换:", "holds a duty then; can swap:"),
                o.start,
                o.end,
                kind_label(&st.now().policy, o.kind, lang),
                o.group
            )
        }
        Verdict::Blocked(rule, detail) if detail.is_empty() => {
            format!("{} {}", lang.t("不可:", "no:"), rule.label(lang))
        }
        Verdict::Blocked(rule, detail) => {
            format!("{} {}: {detail}", lang.t("不可:", "no:"), rule.label(lang))
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn candidate_table(
    st: &Shared,
    cx: &Cx,
    monday: NaiveDate,
    w: &Working,
    d: usize,
    from: Option<usize>,
    cands: &[Candidate],
    lang: Lang,
) -> Markup {
    let csrf = cx.me.as_ref().map_or("", |m| m.csrf.as_str());
    let duty_id = &w.plan.demand.duties[d].id;
    let now = st.now();
    let from_id = from.map_or("", |f| now.school.staff[f].id.as_str());
    html! {
        div.scroll { table {
            tr {
                th { (lang.t("姓名", "Name")) } th { (lang.t("工号", "ID")) }
                th.num { (lang.t("接任后本周小时", "Hours this week after")) }
                th.num { (lang.t("接任后相对负荷", "Relative load after")) }
                th { (lang.t("能否担任", "Can they")) } th {}
            }
            @for c in cands {
                @let person = &st.now().school.staff[c.staff];
                tr class=(if matches!(c.verdict, Verdict::Blocked(..)) { "blocked" } else { "" }) {
                    td { (person.name) } td { (person.id) }
                    td.num { (format!("{:.2}", f64::from(c.minutes_after) / 60.0)) }
                    td.num { (c.relative_after.map_or(String::from("—"), |r| format!("{r:.3}"))) }
                    td { (verdict_text(st, &w.plan, &c.verdict, lang)) }
                    td {
                        @match c.verdict {
                            Verdict::Free => {
                                form.inline method="post" action=(format!("/week/{monday}/edit")) {
                                    (csrf_field(csrf)) (edit_fields(w, "move", duty_id, from_id, &person.id, ""))
                                    button type="submit" { (lang.t("由此人担任", "Give it to them")) }
                                }
                            }
                            Verdict::Swap(d2) => {
                                form.inline method="post" action=(format!("/week/{monday}/edit")) {
                                    (csrf_field(csrf)) (edit_fields(w, "swap", duty_id, from_id, &person.id, &w.plan.demand.duties[d2].id))
                                    button type="submit" { (lang.t("互换", "Swap")) }
                                }
                            }
                            Verdict::Blocked(..) => {}
                        }
                    }
                }
            }
        } }
    }
}

/// The edit a form asks for, as indexes into the working roster.
fn form_edit(st: &Shared, cx: &Cx, plan: &Plan) -> Result<Edit, Fail> {
    let lang = cx.lang;
    let duty = duty_index(plan, lang, cx.field("duty"))?;
    let person = |f: &str| staff_index(&st.now().school, lang, f, cx.field(f));
    let from = match cx.field("from") {
        "" => None,
        _ => Some(person("from")?),
    };
    let need_from = || {
        from.ok_or_else(|| {
            Fail::field(
                lang,
                "from",
                lang.t("应为现在担任的人", "expected the person who holds it now"),
            )
        })
    };
    Ok(match cx.field("kind") {
        "move" => Edit::Move {
            duty,
            from,
            to: person("to")?,
        },
        "swap" => Edit::Swap {
            a: need_from()?,
            da: duty,
            b: person("to")?,
            db: duty_index(plan, lang, cx.field("other"))?,
        },
        "vacate" => Edit::Vacate {
            duty,
            staff: need_from()?,
        },
        _ => {
            return Err(Fail::field(
                lang,
                "kind",
                lang.t("应为 move、swap 或 vacate", "expected move, swap or vacate"),
            ))
        }
    })
}

/// `POST /week/{monday}/edit`: check the edit at once; kept as the draft
/// only when it breaks no rule.
pub(crate) async fn submit(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(monday): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let monday = week_path(lang, &monday)?;
    let w = load(&st, lang, monday).await?;
    if cx.field("draft") != w.draft.to_string() {
        return Err(stale(lang));
    }
    let e = form_edit(&st, &cx, &w.plan)?;
    let st2 = st.clone();
    let plan = w.plan.clone();
    let edited = super::super::blocking(move || {
        edit::apply(&st2.now().policy, &st2.now().school, &plan, &e)
    })
    .await
    .map_err(|e: Error| Fail::from_error(lang, &e))?;
    let n = match w.origin {
        Some(Origin::Edited(n)) => n + 1,
        _ => 1,
    };
    if st
        .jobs
        .put(&st, monday, edited, &me.user.login, Origin::Edited(n))
        .is_none()
    {
        return Err(stale(lang));
    }
    Ok(Redirect::to(&format!("/week/{monday}?view=draft&edited={n}")).into_response())
}

fn stale(lang: Lang) -> Fail {
    Fail::new(
        StatusCode::CONFLICT,
        lang,
        lang.t(
            "本周的草稿在你打开此页后已改变 (有人排班或调整); 未做任何更改. 请重新打开本周页面",
            "the week's draft changed after this page was shown (someone planned or edited); nothing was changed. Open the week again",
        ),
    )
}

/// `POST /week/{monday}/pin`: pin or unpin an assignment for planning.
pub(crate) async fn pin(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(monday): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let monday = week_path(lang, &monday)?;
    let w = load(&st, lang, monday).await?;
    let duty = duty_index(&w.plan, lang, cx.field("duty"))?;
    let staff = staff_index(&st.now().school, lang, "staff", cx.field("staff"))?;
    let on = cx.field("on") == "1";
    if on {
        let pin = [Pin { duty, staff }];
        crate::studies::repair::check_pins(
            &st.now().policy,
            &st.now().school,
            &w.plan.demand,
            &pin,
            lang,
        )
        .map_err(|e| Fail::from_error(lang, &e))?;
    }
    st.jobs.set_pin(monday, Pin { duty, staff }, on);
    let id = &w.plan.demand.duties[duty].id;
    Ok(Redirect::to(&seat_link(monday, id, None)).into_response())
}
