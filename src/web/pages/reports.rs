//! `/reports` (issue 20, item 5): attendance per class and week, the three
//! checks (unexcused absences, pupils unwell, late pickups), the
//! applications funnel per class and club fill, for the administrator and
//! leadership. Counts only: no name, no health detail. The counting is the
//! library's (`crate::reports`); each table downloads as CSV and as an
//! Excel workbook (the same rows; headers in the page's language).

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use chrono::NaiveDate;
use maud::{html, Markup};

use crate::enrol::Funnel;
use crate::error::Result;
use crate::lang::Lang;
use crate::model::school::School;
use crate::record::duty::ClassEvent;
use crate::reports::{self, Attendance, ByWeekClass, ClubFill, Incidents};

use super::{date_field, me};
use crate::web::guard::Cx;
use crate::web::layout::{ok, page, Fail};
use crate::web::Shared;

/// The dates asked (`from`, `to`; default the eight weeks to today).
fn range(st: &Shared, cx: &Cx) -> Result<(NaiveDate, NaiveDate), Fail> {
    let lang = cx.lang;
    let field = |name: &str, label: &str| -> Result<Option<NaiveDate>, Fail> {
        match cx
            .query
            .get(name)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            Some(s) => date_field(lang, label, s).map(Some),
            None => Ok(None),
        }
    };
    let to = field("to", lang.t("结束日期", "to"))?.unwrap_or_else(|| st.clock().date());
    let from = match field("from", lang.t("开始日期", "from"))? {
        Some(d) => d,
        None => crate::calendar::monday_of(to) - chrono::Duration::weeks(7),
    };
    if from > to {
        return Err(Fail::field(
            lang,
            lang.t("结束日期", "to"),
            lang.t("不能早于开始日期", "cannot be before the start date"),
        ));
    }
    Ok((from, to))
}

/// Everything the page counts.
struct Counts {
    attendance: ByWeekClass<Attendance>,
    incidents: ByWeekClass<Incidents>,
    funnel: (BTreeMap<String, Funnel>, Funnel),
    clubs: Vec<ClubFill>,
}

async fn counts(st: &Shared, lang: Lang, from: NaiveDate, to: NaiveDate) -> Result<Counts, Fail> {
    let (events, apps, draws): (Vec<ClassEvent>, _, _) = st
        .db(move |rec| {
            rec.read(|tx| {
                Ok((
                    tx.class_events(from, to)?,
                    tx.applications()?,
                    tx.club_draws()?,
                ))
            })
        })
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    Ok(Counts {
        attendance: reports::attendance(&events),
        incidents: reports::incidents(&events),
        funnel: reports::funnel_by_class(&apps),
        clubs: reports::club_fill(&st.now().school.clubs, &apps, &draws),
    })
}

fn download_link(table: &str, from: NaiveDate, to: NaiveDate, lang: Lang) -> Markup {
    html! {
        p.t {
            a href=(format!("/reports/{table}/export.csv?from={from}&to={to}")) { (lang.t("下载 CSV", "Download CSV")) }
            " · "
            a href=(format!("/reports/{table}/export.xlsx?from={from}&to={to}")) { (lang.t("下载 Excel", "Download Excel")) }
        }
    }
}

fn attendance_table(s: &School, rows: &ByWeekClass<Attendance>, lang: Lang) -> Markup {
    html! {
        @if rows.is_empty() { p { (lang.t("这段时间没有点名记录.", "No roll call in these dates.")) } }
        @else {
            table #attendance {
                tr { th { (lang.t("周", "week")) } th { (lang.t("班级", "class")) } th { (lang.t("到", "present")) } th { (lang.t("请假", "leave")) } th { (lang.t("无故缺席", "unexcused")) } th { (lang.t("点名人次", "marks")) } }
                @for ((w, c), a) in rows {
                    tr id=(format!("att-{w}-{c}")) {
                        td { (w) } td { (reports::class_name(s, c)) }
                        td.present { (a.present) } td.leave { (a.leave) } td.unexcused { (a.unexcused) } td { (a.total()) }
                    }
                }
            }
        }
    }
}

fn incident_table(s: &School, rows: &ByWeekClass<Incidents>, lang: Lang) -> Markup {
    html! {
        @if rows.is_empty() { p { (lang.t("这段时间没有提醒.", "No incidents in these dates.")) } }
        @else {
            table #incidents {
                tr { th { (lang.t("周", "week")) } th { (lang.t("班级", "class")) } th { (lang.t("无故缺席", "unexcused")) } th { (lang.t("身体不适", "unwell")) } th { (lang.t("晚接", "late pickups")) } }
                @for ((w, c), i) in rows {
                    tr id=(format!("inc-{w}-{c}")) {
                        td { (w) } td { (reports::class_name(s, c)) }
                        td.unexcused { (i.unexcused) } td.unwell { (i.unwell) } td.late { (i.late_pickups) }
                    }
                }
            }
        }
    }
}

fn funnel_row(id: &str, name: &str, f: &Funnel) -> Markup {
    html! {
        tr id=(format!("funnel-{id}")) {
            td { (name) } td { (f.applied) } td { (f.reviewed) } td { (f.approved) } td { (f.refused) } td { (f.withdrawn) }
        }
    }
}

fn funnel_table(s: &School, per: &BTreeMap<String, Funnel>, all: &Funnel, lang: Lang) -> Markup {
    html! {
        table #funnel {
            tr { th { (lang.t("班级", "class")) } th { (lang.t("已申请", "applied")) } th { (lang.t("已审核", "reviewed")) } th { (lang.t("已批准", "approved")) } th { (lang.t("未通过", "refused")) } th { (lang.t("已撤回/退出", "withdrawn")) } }
            @for (c, f) in per { (funnel_row(c, &reports::class_name(s, c), f)) }
            (funnel_row("all", lang.t("合计", "total"), all))
        }
    }
}

fn club_table(rows: &[ClubFill], lang: Lang) -> Markup {
    let pct = |n: Option<u64>| n.map_or("—".to_string(), |p| format!("{p}%"));
    html! {
        table #clubs {
            tr { th { (lang.t("社团", "club")) } th { (lang.t("名额", "capacity")) } th { (lang.t("第一志愿", "first choice")) } th { "%" } th { (lang.t("已录取", "admitted")) } th { "%" } }
            @for r in rows {
                tr id=(format!("club-{}", r.club_id)) {
                    td { (r.name) } td { (r.capacity) } td.first { (r.first_choice) } td { (pct(r.percent(r.first_choice))) }
                    td.admitted { @match r.admitted { Some(a) => (a), None => (lang.t("未分配", "no draw yet")) } }
                    td { (pct(r.admitted.and_then(|a| r.percent(a)))) }
                }
            }
        }
    }
}

/// `GET /reports?from=&to=`.
pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let (from, to) = range(&st, &cx)?;
    let c = counts(&st, lang, from, to).await?;
    let l = st.now();
    let s = &l.school;
    let body = html! {
        form.inline method="get" action="/reports" {
            label { (lang.t("开始日期 ", "from ")) input type="date" name="from" value=(from); }
            " " label { (lang.t("结束日期 ", "to ")) input type="date" name="to" value=(to); }
            " " button type="submit" { (lang.t("查看", "Show")) }
        }
        p.t { (lang.t("只有人数, 不含学生姓名和健康细节. 周为 ISO 周.", "Counts only: no pupil's name, no health detail. Weeks are ISO weeks.")) }
        h2 { (lang.t("出勤 (按班级和周)", "Attendance by class and week")) }
        (attendance_table(s, &c.attendance, lang))
        (download_link("attendance", from, to, lang))
        h2 { (lang.t("三项检查 (无故缺席、身体不适、晚接)", "The three checks (unexcused, unwell, late pickups)")) }
        (incident_table(s, &c.incidents, lang))
        (download_link("incidents", from, to, lang))
        h2 { (lang.t("申请进度 (全部申请, 按班级)", "Applications (all, by class)")) }
        (funnel_table(s, &c.funnel.0, &c.funnel.1, lang))
        (download_link("applications", from, to, lang))
        h2 { (lang.t("社团报名和名额", "Club fill")) }
        p.t { (lang.t("第一志愿: 仍在进行或有效的申请中把该社团列为第一志愿的人数; 已录取: 该社团最近一次分配的录取人数.", "First choice: open or approved applications naming the club first; admitted: the club's latest draw.")) }
        (club_table(&c.clubs, lang))
        (download_link("clubs", from, to, lang))
    };
    Ok(ok(page(lang, lang.t("报表", "Reports"), Some(me), body)))
}

/// The reports a download may name.
const TABLES: [&str; 4] = ["attendance", "incidents", "applications", "clubs"];

/// One report's table for the dates asked, and its sheet's name; 404 for
/// a name that is no report.
async fn table_of(
    st: &Shared,
    cx: &Cx,
    table: &str,
) -> Result<(reports::Table, &'static str, NaiveDate, NaiveDate), Fail> {
    let lang = cx.lang;
    if !TABLES.contains(&table) {
        return Err(Fail::new(
            StatusCode::NOT_FOUND,
            lang,
            lang.t("没有这个报表", "no such report"),
        ));
    }
    let (from, to) = range(st, cx)?;
    let c = counts(st, lang, from, to).await?;
    let l = st.now();
    let s = &l.school;
    Ok(match table {
        "attendance" => (
            reports::attendance_table(s, &c.attendance, lang),
            lang.t("出勤", "attendance"),
            from,
            to,
        ),
        "incidents" => (
            reports::incidents_table(s, &c.incidents, lang),
            lang.t("三项检查", "checks"),
            from,
            to,
        ),
        "applications" => (
            reports::applications_table(s, &c.funnel.0, &c.funnel.1, lang),
            lang.t("申请进度", "applications"),
            from,
            to,
        ),
        _ => (
            reports::clubs_table(&c.clubs, lang),
            lang.t("社团", "clubs"),
            from,
            to,
        ),
    })
}

/// `GET /reports/{table}/export.csv?from=&to=`: one table as CSV.
pub(crate) async fn csv(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(table): Path<String>,
) -> Result<Response, Fail> {
    let (t, _, from, to) = table_of(&st, &cx, &table).await?;
    let name = format!("{table}-{from}-{to}.csv");
    Ok(super::download(
        "text/csv; charset=utf-8",
        name,
        t.into_csv(),
    ))
}

/// `GET /reports/{table}/export.xlsx?from=&to=`: the same table as a workbook.
pub(crate) async fn xlsx(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(table): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let (t, sheet, from, to) = table_of(&st, &cx, &table).await?;
    let bytes = t.to_xlsx(sheet).map_err(|e| Fail::from_error(lang, &e))?;
    let name = format!("{table}-{from}-{to}.xlsx");
    let kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    Ok(super::download(kind, name, bytes))
}
