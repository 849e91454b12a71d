//! The workload of a month (duties, hours, 课时 and pay per person and
//! ledger category) from the record, as `kehou workload` computes it; and
//! the same table as CSV for Excel.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::{Datelike, Months, NaiveDate};
use maud::html;

use crate::error::Error;
use crate::ledger::{self, Amounts, WorkloadRow};

use super::me;
use crate::web::guard::Cx;
use crate::web::layout::{ok, page, Fail};
use crate::web::Shared;

/// The month asked for (`?month=2026-12`, default this month): first and last day.
fn month(cx: &Cx) -> Result<(NaiveDate, NaiveDate), Fail> {
    let lang = cx.lang;
    let first = match cx.query.get("month").filter(|m| !m.is_empty()) {
        Some(m) => NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
            .ok()
            .filter(|d| crate::input::limits::date_in_range(*d))
            .ok_or_else(|| {
                Fail::field(
                    lang,
                    lang.t("月份", "month"),
                    lang.t(
                        "应为年-月, 如 2026-12",
                        "expected year-month, such as 2026-12",
                    ),
                )
            })?,
        None => {
            let t = chrono::Local::now().date_naive();
            t.with_day(1).unwrap_or(t)
        }
    };
    let last = first
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first);
    Ok((first, last))
}

async fn rows(st: &Shared, from: NaiveDate, to: NaiveDate) -> Result<Vec<WorkloadRow>, Error> {
    let st2 = st.clone();
    st.db(move |rec| {
        let served = rec.read(|tx| ledger::served(&st2.policy, &st2.school, tx, from, to))?;
        Ok(ledger::workload(&st2.policy, &st2.school, &served))
    })
    .await
}

fn amounts(a: &Amounts) -> [String; 4] {
    [
        a.duties.to_string(),
        format!("{:.2}", f64::from(a.minutes) / 60.0),
        format!("{:.2}", a.keshi_centi as f64 / 100.0),
        a.pay.to_string(),
    ]
}

pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let lang = cx.lang;
    let (from, to) = month(&cx)?;
    let rows = rows(&st, from, to)
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let total = ledger::totals(&rows);
    let heads = ledger::workload_headers(lang);
    let ym = from.format("%Y-%m").to_string();
    let (prev, next) = (
        from.checked_sub_months(Months::new(1))
            .unwrap_or(from)
            .format("%Y-%m")
            .to_string(),
        from.checked_add_months(Months::new(1))
            .unwrap_or(from)
            .format("%Y-%m")
            .to_string(),
    );
    let line = |r: &WorkloadRow, id: &str, name: &str, role: &str| {
        let mut cells = vec![id.to_string(), name.to_string(), role.to_string()];
        cells.extend(amounts(&r.service));
        cells.extend(amounts(&r.care));
        cells.push(r.labour_fee.to_string());
        cells.push(r.total_pay().to_string());
        cells
    };
    let body = html! {
        div.weeknav {
            a href=(format!("?month={prev}")) { "← " (prev) }
            strong { (ym) " (" (from) " – " (to) ")" }
            a href=(format!("?month={next}")) { (next) " →" }
            a href=(format!("/workload.csv?month={ym}")) { (lang.t("下载 CSV", "Download CSV")) }
        }
        p.t { (lang.t("依据每周最新发布版本及已记录的缺勤、代课、换班与取消; 金额单位: 元", "From each week's latest published version with the absences, substitutions, swaps and cancellations recorded; amounts in yuan")) }
        @if rows.is_empty() { p { (lang.t("本月没有已发布的任务.", "No published duties this month.")) } }
        div.scroll { table {
            tr { @for (i, h) in heads.iter().enumerate() { th class=(if i > 2 { "num" } else { "" }) { (h) } } }
            @for r in &rows {
                @let s = &st.school.staff[r.staff];
                tr { @for (i, c) in line(r, &s.id, &s.name, s.role.label(lang)).iter().enumerate() { td class=(if i > 2 { "num" } else { "" }) { (c) } } }
            }
            tr { @for (i, c) in line(&total, lang.t("合计", "total"), "", "").iter().enumerate() { th class=(if i > 2 { "num" } else { "" }) { (c) } } }
        } }
    };
    Ok(ok(page(
        lang,
        &format!("{} {ym}", lang.t("工作量与绩效", "Workload and pay")),
        Some(me),
        body,
    )))
}

pub(crate) async fn csv(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let (from, to) = month(&cx)?;
    let rows = rows(&st, from, to)
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let bytes = ledger::workload_csv(&st.school, &rows, lang);
    let name = format!(
        "attachment; filename=\"workload-{}.csv\"",
        from.format("%Y-%m")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}
