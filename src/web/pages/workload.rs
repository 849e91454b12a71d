//! The workload of a period (a month, a term or any dates): duties, hours,
//! 课时 and pay per person and ledger category from the record, as `kehou
//! workload` computes it; the same sheet as CSV for Excel and as the
//! workbook finance prints.

use axum::extract::State;
use axum::response::Response;
use axum::Extension;
use chrono::Months;
use maud::{html, Markup};

use crate::error::Error;
use crate::lang::Lang;
use crate::ledger::period::{Ask, Span};
use crate::ledger::{self, Period, Sheet, Value, WorkloadRow, COLUMNS};

use super::me;
use crate::web::guard::Cx;
use crate::web::layout::{ok, page, Fail};
use crate::web::Shared;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// The period asked for (`?month=2026-12`, `?term=…`, `?from=…&to=…`;
/// default this month); a field that cannot be read is named.
pub(super) fn period(st: &Shared, cx: &Cx) -> Result<Period, Fail> {
    let q = |k: &str| cx.query.get(k).map(String::as_str);
    let ask = Ask {
        month: q("month"),
        term: q("term"),
        from: q("from"),
        to: q("to"),
    };
    Period::asked(&st.now().policy, &ask, today()).map_err(|e| {
        Fail::field(
            cx.lang,
            e.field().label(cx.lang),
            &e.why(&st.now().policy, cx.lang),
        )
    })
}

/// The query naming `p` again (for the downloads and the other months).
pub(super) fn query(p: &Period) -> String {
    let pairs: Vec<(&str, String)> = match &p.span {
        Span::Month => vec![("month", p.from.format("%Y-%m").to_string())],
        Span::Term(name) => vec![("term", name.clone())],
        Span::Range => vec![("from", p.from.to_string()), ("to", p.to.to_string())],
    };
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

async fn rows(st: &Shared, p: &Period) -> Result<Vec<WorkloadRow>, Error> {
    let st2 = st.clone();
    let (from, to) = (p.from, p.to);
    st.db(move |rec| {
        let served =
            rec.read(|tx| ledger::served(&st2.now().policy, &st2.now().school, tx, from, to))?;
        Ok(ledger::workload(
            &st2.now().policy,
            &st2.now().school,
            &served,
        ))
    })
    .await
}

/// Each active staff member's relative load over the period (weighted
/// hours served / quota), for those the planner keeps fair.
async fn relative_loads(st: &Shared, p: &Period) -> Result<Vec<f64>, Error> {
    let st2 = st.clone();
    let (from, to) = (p.from, p.to);
    st.db(move |rec| {
        let now = st2.now();
        let served = rec.read(|tx| ledger::served(&now.policy, &now.school, tx, from, to))?;
        let load = ledger::served_load(&served);
        Ok(now
            .school
            .staff
            .iter()
            .enumerate()
            .filter(|(_, s)| s.active && crate::plan::is_fair(s))
            .map(|(i, s)| {
                load.get(&i).copied().unwrap_or(0) as f64
                    / crate::model::school::LOAD_PER_HOUR as f64
                    / s.quota.as_f64()
            })
            .collect())
    })
    .await
}

/// The three ways to ask for a period: a month, a term, two dates.
fn forms(st: &Shared, p: &Period, lang: Lang) -> Markup {
    let month = p.from.format("%Y-%m").to_string();
    let term = match &p.span {
        Span::Term(n) => n.as_str(),
        _ => "",
    };
    let see = lang.t("查看", "Show");
    html! {
        div.periods.noprint {
            form method="get" action="/workload" {
                label { (lang.t("月份", "month")) " " input type="month" name="month" value=(month); }
                " " button { (see) }
            }
            @if !st.now().policy.calendar.terms.is_empty() {
                form method="get" action="/workload" {
                    label { (lang.t("学期", "term")) " " select name="term" {
                        @for t in &st.now().policy.calendar.terms {
                            option value=(t.name) selected[t.name == term || (term.is_empty() && t.start <= p.from && p.from <= t.end)] { (t.name) }
                        }
                    } }
                    " " button { (see) }
                }
            }
            form method="get" action="/workload" {
                label { (lang.t("开始日期", "from")) " " input type="date" name="from" value=(p.from); }
                " "
                label { (lang.t("结束日期", "to")) " " input type="date" name="to" value=(p.to); }
                " " button { (see) }
            }
        }
    }
}

/// A column's group: a ledger category's words in Chinese and English.
type Group = Option<(&'static str, &'static str)>;

/// The sheet as a table: the categories over their columns, the totals in bold.
fn table(sh: &Sheet, lang: Lang) -> Markup {
    let num = |i: usize| if i > 2 { "num" } else { "" };
    // (group, first column, columns): a column without a group is its own.
    let mut groups: Vec<(Group, usize, usize)> = Vec::new();
    for (i, c) in COLUMNS.iter().enumerate() {
        match groups.last_mut() {
            Some((g, _, n)) if c.group.is_some() && *g == c.group => *n += 1,
            _ => groups.push((c.group, i, 1)),
        }
    }
    let texts = |l: &ledger::Line| l.cells().iter().map(Value::text).collect::<Vec<_>>();
    html! {
        div.scroll { table.workload {
            thead {
                tr { @for (g, first, n) in &groups { @match g {
                    Some(g) => th.group colspan=(n) { (lang.t(g.0, g.1)) },
                    None => th class=(num(*first)) rowspan="2" { (lang.t(COLUMNS[*first].head.0, COLUMNS[*first].head.1)) },
                } } }
                tr { @for (i, c) in COLUMNS.iter().enumerate().filter(|(_, c)| c.group.is_some()) { th class=(num(i)) { (lang.t(c.head.0, c.head.1)) } } }
            }
            tbody {
                @for l in &sh.lines {
                    tr { @for (i, c) in texts(l).iter().enumerate() { td class=(num(i)) { (c) } } }
                }
            }
            tfoot {
                tr.total { @for (i, c) in texts(&sh.total).iter().enumerate() { th class=(num(i)) { (c) } } }
            }
        } }
    }
}

/// Links to the month before and after, for a month.
fn months(p: &Period) -> Option<(String, String)> {
    if p.span != Span::Month {
        return None;
    }
    let ym = |d: Option<chrono::NaiveDate>| d.unwrap_or(p.from).format("%Y-%m").to_string();
    Some((
        ym(p.from.checked_sub_months(Months::new(1))),
        ym(p.from.checked_add_months(Months::new(1))),
    ))
}

pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let lang = cx.lang;
    let p = period(&st, &cx)?;
    let rows = rows(&st, &p)
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let sh = ledger::sheet(&st.now().school, &rows, lang);
    let rel = match rows.is_empty() {
        true => Vec::new(),
        false => relative_loads(&st, &p)
            .await
            .map_err(|e| Fail::from_error(lang, &e))?,
    };
    let q = query(&p);
    let body = html! {
        (forms(&st, &p, lang))
        div.weeknav {
            @if let Some((prev, _)) = months(&p) { a.noprint href=(format!("?month={prev}")) { "← " (prev) } }
            strong { (p.label(lang)) }
            @if let Some((_, next)) = months(&p) { a.noprint href=(format!("?month={next}")) { (next) " →" } }
            a.noprint href=(format!("/workload.xlsx?{q}")) { (lang.t("下载 Excel (打印用)", "Download Excel (for printing)")) }
            a.noprint href=(format!("/workload.csv?{q}")) { (lang.t("下载 CSV", "Download CSV")) }
        }
        p.t { (lang.t("依据每周最新发布版本及已记录的缺勤、代课、换班与取消; 金额单位: 元. 次数与小时含按次计酬的任务 (巡查), 金额只计课时部分; 合计行是各行显示值之和.", "From each week's latest published version with the absences, substitutions, swaps and cancellations recorded; amounts in yuan. Duties and hours include those paid per duty (patrol), whose amounts are in their own columns; the totals row is the sum of the rows as shown.")) }
        @if rows.is_empty() { p { (lang.t("这段时间没有已发布的任务.", "No published duties in this period.")) } }
        (table(&sh, lang))
        @if !rows.is_empty() {
            figure.chart { (maud::PreEscaped(crate::outputs::chart::histogram(
                &format!("{} {}", lang.t("相对负荷的分布:", "Relative loads:"), p.label(lang)),
                lang.t("相对负荷 (加权小时 ÷ 工作量系数)", "relative load (weighted hours / quota)"),
                lang.t("人数", "people"),
                &crate::outputs::chart::bins(&rel, 8),
            ))) }
            p.t { (lang.t("选择学期即为本学期至今 (已发布并已记录的部分) 的分布; 只计参与均衡的在职教职工.", "Choose a term for the term to date (what was published and recorded); only active staff counted for fairness.")) }
        }
    };
    Ok(ok(page(
        lang,
        &format!(
            "{} {}",
            lang.t("工作量与绩效", "Workload and pay"),
            p.label(lang)
        ),
        Some(me),
        body,
    )))
}

pub(crate) async fn csv(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let p = period(&st, &cx)?;
    let rows = rows(&st, &p)
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let bytes = ledger::workload_csv(&st.now().school, &rows, lang);
    let name = format!("workload-{}.csv", p.file_part());
    Ok(super::download("text/csv; charset=utf-8", name, bytes))
}

pub(crate) async fn xlsx(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let p = period(&st, &cx)?;
    let rows = rows(&st, &p)
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let name = format!("workload-{}.xlsx", p.file_part());
    let head = ledger::Heading::new(&st.now().policy, p, today(), lang);
    let bytes = ledger::workload_xlsx(&head, &st.now().school, &rows, lang)
        .map_err(|e| Fail::from_error(lang, &e))?;
    let kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    Ok(super::download(kind, name, bytes))
}
