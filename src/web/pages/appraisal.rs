//! The appraisal sheet (`/appraisal`, `/appraisal.xlsx`; issue 20, item
//! 4): per person and period (a month, a term or two dates, as on the
//! workload page), duties and hours served, duties missed, late sign-ins,
//! comp time earned and taken, and the survey scores of the groups and
//! clubs served (`ledger::appraisal`). The administrator, finance and
//! leadership see everyone; a teacher sees their own line.
//!
//! Sign-ins come from the duty pages' record (`Tx::sign_ins` of the
//! period, `record::duty`), converted to the ledger's [`SignIn`].

use axum::extract::State;
use axum::response::Response;
use axum::Extension;
use maud::html;

use crate::ledger::appraisal::{self, Inputs, Line, SignIn};
use crate::ledger::Period;
use crate::record::accounts::Role;
use crate::record::surveys::feedback;

use super::workload::{period, query};
use super::{download, me};
use crate::web::guard::Cx;
use crate::web::layout::{ok, page, Fail};
use crate::web::Shared;

/// The duty record's sign-ins as the ledger's.
fn ledger_sign_ins(v: Vec<crate::record::duty::SignIn>) -> Vec<SignIn> {
    v.into_iter()
        .map(|s| SignIn {
            date: s.date,
            duty_id: s.duty_id,
            staff_id: s.staff_id,
            late: s.late,
        })
        .collect()
}

/// The lines of the period (a teacher: their own only).
async fn lines(st: &Shared, cx: &Cx, p: &Period) -> Result<Vec<Line>, Fail> {
    let lang = cx.lang;
    let st2 = st.clone();
    let (from, to) = (p.from, p.to);
    let mut out = st
        .db(move |rec| {
            rec.read(|tx| {
                let now = st2.now();
                let (pol, s) = (&now.policy, &now.school);
                let served = crate::ledger::served(pol, s, tx, from, to)?;
                let events = tx.events()?;
                let taken = tx.comp_taken()?;
                let sign_ins = ledger_sign_ins(tx.sign_ins(from, to)?);
                // The surveys of the terms the period touches.
                let terms: Vec<&str> = pol
                    .calendar
                    .terms
                    .iter()
                    .filter(|t| t.start <= to && from <= t.end)
                    .map(|t| t.name.as_str())
                    .collect();
                // No term, no survey (`feedback` takes an empty list as all).
                let fb = if terms.is_empty() {
                    Vec::new()
                } else {
                    feedback(&tx.survey_results()?, &terms)
                };
                let x = Inputs {
                    served: &served,
                    events: &events,
                    sign_ins: &sign_ins,
                    taken: &taken,
                    feedback: &fb,
                    from,
                    to,
                };
                Ok(appraisal::sheet(pol, s, &x))
            })
        })
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let me = me(cx)?;
    if me.user.role == Role::Teacher {
        let mine = me.user.staff_id.clone().unwrap_or_default();
        let s = &st.now().school;
        out.retain(|l| s.staff[l.staff].id == mine);
    }
    Ok(out)
}

/// `GET /appraisal`.
pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let p = period(&st, &cx)?;
    let lines = lines(&st, &cx, &p).await?;
    let s = &st.now().school;
    let q = query(&p);
    let body = html! {
        div.periods.noprint {
            form method="get" action="/appraisal" {
                label { (lang.t("开始日期", "from")) " " input type="date" name="from" value=(p.from); } " "
                label { (lang.t("结束日期", "to")) " " input type="date" name="to" value=(p.to); } " "
                button { (lang.t("查看", "Show")) }
            }
            @for t in &st.now().policy.calendar.terms {
                a href=(format!("/appraisal?{}", serde_urlencoded::to_string([("term", &t.name)]).unwrap_or_default())) { (t.name) } " "
            }
        }
        p { (p.label(lang)) " · " a href=(format!("/appraisal.xlsx?{q}")) { (lang.t("下载 Excel", "Download Excel")) } }
        p.t { (appraisal::sign_in_note(lang)) }
        table.grid {
            thead { tr { @for h in appraisal::heads(lang) { th { (h) } } } }
            tbody { @for l in &lines { tr { @for c in appraisal::cells(s, l) { td { (c) } } } } }
        }
        @if lines.is_empty() { p { (lang.t("这段时间没有记录.", "Nothing recorded in this period.")) } }
    };
    Ok(ok(page(
        lang,
        lang.t("考核表", "Appraisal sheet"),
        Some(me),
        body,
    )))
}

/// `GET /appraisal.xlsx`: the same lines as a workbook.
pub(crate) async fn xlsx(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let p = period(&st, &cx)?;
    let lines = lines(&st, &cx, &p).await?;
    let now = st.now();
    let bytes = appraisal::xlsx(&now.policy, &now.school, &lines, (p.from, p.to), lang)
        .map_err(|e| Fail::from_error(lang, &e))?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("appraisal-{}-{}.xlsx", p.from, p.to),
        bytes,
    ))
}
