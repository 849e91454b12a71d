//! Pages made for paper: the week's roster for the staff-room wall (A4
//! landscape, at most two pages for a 48-class school), a day's duty sheet
//! with a signature per person, and the handover sheet (A4 portrait).
//!
//! The wall roster is dense by design: duty kinds held class by class
//! (noon care, homework) form one table with a row per class and a column
//! per day and kind; the other kinds (morning care, care groups, clubs,
//! late-stay, patrol) form a second table with one row per kind and, per
//! day, every group with its people in one cell. Headers repeat on every
//! printed page (`thead` is a table header group).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::demand::Duty;
use crate::lang::Lang;
use crate::model::policy::{Policy, Source};
use crate::model::school::School;
use crate::outputs::handover::{handover, Step};
use crate::outputs::terminal::{kind_label, session_label};
use crate::plan::Plan;

/// Print styles shared by the pages; `{size}` is the page's orientation.
const CSS: &str = "body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif;color:#000;margin:1em;font-size:9pt}\
h1{font-size:12pt;margin:0 0 1mm}h2{font-size:10pt;margin:2mm 0 1mm}\
table{border-collapse:collapse;width:100%;margin-bottom:2mm}thead{display:table-header-group}\
th,td{border:.5pt solid #666;padding:.3mm .8mm;vertical-align:top;text-align:left;line-height:1.2}\
th{background:#eee;font-weight:bold}tr{break-inside:avoid}\
.t{color:#444;font-weight:normal}.open{color:#b00;font-weight:bold}.m{color:#555}\
.e{display:inline-block;margin-right:1.6mm;white-space:nowrap}.e.long{display:inline;white-space:normal}\
.wall th.k{width:14mm}.wall th.c{white-space:nowrap}\
.sig{width:20mm}.ho td{padding:1mm .8mm}.ho td.w{white-space:nowrap}.num{text-align:right}.cont{color:#555}\
.day{break-before:page}.day:first-of-type{break-before:auto}.note{font-size:8pt;color:#333}\
.wall{font-size:7.5pt}.wall th,.wall td{padding:.15mm .6mm;line-height:1.15}\
.wall td.c{white-space:nowrap}.wall .hw{font-size:6.5pt}\
@media print{body{margin:0}.noprint{display:none}}";

pub(crate) fn page(lang: Lang, title: &str, landscape: bool, body: Markup) -> String {
    let size = if landscape { "landscape" } else { "portrait" };
    let page_css = format!("@page{{size:A4 {size};margin:7mm}}");
    html! {
        (DOCTYPE)
        html lang=(lang.t("zh-CN", "en")) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) (PreEscaped(page_css)) }
            }
            body { (body) }
        }
    }
    .into_string()
}

/// Who holds each duty.
fn holders(plan: &Plan) -> BTreeMap<usize, Vec<usize>> {
    let mut m: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for a in &plan.assignments {
        m.entry(a.duty).or_default().push(a.staff);
    }
    m
}

/// Duty kinds held class by class: groups from enrollment, most of whose
/// duties are one class.
fn class_kinds(p: &Policy, plan: &Plan) -> Vec<usize> {
    (0..p.duty_kinds.len())
        .filter(|&k| matches!(p.duty_kinds[k].source, Source::Groups { .. }))
        .filter(|&k| {
            let v: Vec<&Duty> = plan.demand.duties.iter().filter(|d| d.kind == k).collect();
            !v.is_empty() && 2 * v.iter().filter(|d| d.classes.len() == 1).count() >= v.len()
        })
        .collect()
}

/// The distinct times of a kind on a day, e.g. `15:30-16:10/15:40-16:20`.
fn times(dm: &[Duty], duties: &[usize]) -> String {
    let mut v: Vec<String> = duties
        .iter()
        .map(|&i| format!("{}-{}", dm[i].start, dm[i].end))
        .collect();
    v.sort();
    v.dedup();
    v.join("/")
}

struct Wall<'a> {
    p: &'a Policy,
    s: &'a School,
    plan: &'a Plan,
    holders: BTreeMap<usize, Vec<usize>>,
    open: BTreeMap<usize, u32>,
    lang: Lang,
}

impl Wall<'_> {
    /// The people of a duty, and its open seats in red.
    fn people(&self, i: usize) -> Markup {
        let names: Vec<&str> = self
            .holders
            .get(&i)
            .map_or(&[][..], |v| v.as_slice())
            .iter()
            .map(|&x| self.s.staff[x].name.as_str())
            .collect();
        let miss = self.open.get(&i).copied().unwrap_or(0);
        html! {
            (names.join("、"))
            @if miss > 0 { span.open { (self.lang.t("缺", "open ")) (miss) } }
        }
    }

    /// One row per class, a column per day and class-held kind.
    fn by_class(&self, kinds: &[usize]) -> Markup {
        let dm = &self.plan.demand;
        let cols: Vec<(NaiveDate, usize, Vec<usize>)> = dm
            .days
            .iter()
            .flat_map(|day| {
                kinds.iter().filter_map(move |&k| {
                    let v: Vec<usize> = (0..dm.duties.len())
                        .filter(|&i| dm.duties[i].date == day.date && dm.duties[i].kind == k)
                        .collect();
                    (!v.is_empty()).then_some((day.date, k, v))
                })
            })
            .collect();
        let lang = self.lang;
        html! {
            table.wall {
                thead {
                    tr {
                        th rowspan="2" { (lang.t("班级", "Class")) }
                        @for day in &dm.days {
                            @let n = cols.iter().filter(|c| c.0 == day.date).count();
                            @if n > 0 { th colspan=(n) { (day.date.format("%m-%d")) " " (lang.weekday(day.date.weekday())) } }
                        }
                    }
                    tr { @for (_, k, v) in &cols { th.hw { (kind_label(self.p, *k, lang)) br; span.t { (times(&dm.duties, v)) } } } }
                }
                tbody {
                    @for (ci, c) in self.s.classes.iter().enumerate() {
                        tr {
                            th.c { (c.name) }
                            @for (_, _, v) in &cols { td.c { (self.class_cell(v, ci)) } }
                        }
                    }
                }
            }
        }
    }

    /// The people holding class `ci` among a column's duties; a merged
    /// group's people are marked (they hold other classes too).
    fn class_cell(&self, col: &[usize], ci: usize) -> Markup {
        let dm = &self.plan.demand;
        let held: Vec<usize> = col
            .iter()
            .copied()
            .filter(|&i| dm.duties[i].classes.contains(&ci))
            .collect();
        html! {
            @for (k, &i) in held.iter().enumerate() {
                @if k > 0 { "/" }
                (self.people(i))
                @if dm.duties[i].classes.len() > 1 { span.m { "*" } }
            }
        }
    }
}

impl Wall<'_> {
    /// One row per other kind; per day, every group with its people.
    fn by_group(&self, kinds: &[usize]) -> Markup {
        let dm = &self.plan.demand;
        let lang = self.lang;
        let days: Vec<NaiveDate> = dm
            .days
            .iter()
            .map(|d| d.date)
            .filter(|d| dm.duties.iter().any(|x| x.date == *d))
            .collect();
        let of = |k: usize, day: NaiveDate| -> Vec<usize> {
            (0..dm.duties.len())
                .filter(|&i| dm.duties[i].kind == k && dm.duties[i].date == day)
                .collect()
        };
        html! {
            table.wall {
                thead { tr {
                    th { (lang.t("任务", "Duty")) }
                    @for d in &days { th { (d.format("%m-%d")) " " (lang.weekday(d.weekday())) } }
                } }
                tbody {
                    @for &k in kinds {
                        tr {
                            th.k { (kind_label(self.p, k, lang)) br; span.t { (session_label(self.p, &self.p.duty_kinds[k].session, lang)) } }
                            @for &day in &days {
                                @let v = of(k, day);
                                td {
                                    @if !v.is_empty() { span.t { (times(&dm.duties, &v)) } br; }
                                    @for &i in &v {
                                        @let d = &dm.duties[i];
                                        // Short entries stay on one line; a long list of names wraps.
                                        span class=(if d.staff_needed > 2 { "e long" } else { "e" }) {
                                            @if d.group != self.p.duty_kinds[k].label { span.m { (d.group) ":" } }
                                            (self.people(i))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The week's roster for the wall: A4 landscape, dense.
pub fn week_print(p: &Policy, s: &School, plan: &Plan, lang: Lang) -> String {
    let w = Wall {
        p,
        s,
        plan,
        holders: holders(plan),
        open: plan.uncovered.iter().copied().collect(),
        lang,
    };
    let ck = class_kinds(p, plan);
    let other: Vec<usize> = (0..p.duty_kinds.len())
        .filter(|k| !ck.contains(k) && plan.demand.duties.iter().any(|d| d.kind == *k))
        .collect();
    let dm = &plan.demand;
    let sunday = dm.monday + chrono::Days::new(6);
    let title = format!(
        "{} {} {} – {}",
        p.school_name,
        lang.t("课后服务排班表", "after-school duty roster"),
        dm.monday,
        sunday.format("%m-%d")
    );
    let open: u32 = plan.uncovered.iter().map(|u| u.1).sum();
    let body = html! {
        h1 { (title) }
        @if open > 0 { p.open { (lang.t("空缺人次: ", "Seats left open: ")) (open) } }
        @if !ck.is_empty() { (w.by_class(&ck)) }
        @if !other.is_empty() { (w.by_group(&other)) }
        p.note { (lang.t("* 合班: 该教师同时负责同组的其他班级。延时托管教师须待全部学生被接走后方可离开。", "* merged group: the same people hold the group's other classes too. Late-stay staff stay until every pupil is picked up.")) }
    };
    page(lang, &title, true, body)
}

/// A day's duties, one row per person, with a signature column.
pub fn day_sheet(p: &Policy, s: &School, plan: &Plan, date: NaiveDate, lang: Lang) -> String {
    let dm = &plan.demand;
    let h = holders(plan);
    let open: BTreeMap<usize, u32> = plan.uncovered.iter().copied().collect();
    let title = format!(
        "{} {} {} {}",
        p.school_name,
        lang.t("值班签到表", "duty sheet"),
        date,
        lang.weekday(date.weekday())
    );
    let rows: Vec<(usize, Option<usize>)> = (0..dm.duties.len())
        .filter(|&i| dm.duties[i].date == date)
        .flat_map(|i| {
            let mut v: Vec<(usize, Option<usize>)> = h
                .get(&i)
                .map_or(Vec::new(), |x| x.iter().map(|&st| (i, Some(st))).collect());
            v.extend((0..open.get(&i).copied().unwrap_or(0)).map(|_| (i, None)));
            v
        })
        .collect();
    let body = html! {
        h1 { (title) }
        @if rows.is_empty() { p { (lang.t("这一天没有任务.", "No duties this day.")) } }
        @else {
            table {
                thead { tr {
                    th { (lang.t("时间", "Time")) } th { (lang.t("时段", "Session")) } th { (lang.t("任务", "Duty")) }
                    th { (lang.t("班级/组", "Class / group")) } th.num { (lang.t("人数", "Pupils")) }
                    th { (lang.t("教师", "Staff")) } th.sig { (lang.t("签到", "Signed in")) } th.sig { (lang.t("签退", "Signed out")) }
                } }
                tbody {
                    @for (i, st) in &rows {
                        @let d = &dm.duties[*i];
                        tr {
                            td { (d.start) "-" (d.end) @if d.until_pickup { (lang.t(" (至全部接走)", " (until pickup)")) } }
                            td { (session_label(p, &d.session, lang)) }
                            td { (kind_label(p, d.kind, lang)) }
                            td { (d.group) }
                            td.num { @if d.pupils > 0 { (d.pupils) } }
                            @match st {
                                Some(x) => { td { (s.staff[*x].name) " " span.t { (s.staff[*x].id) } } }
                                None => { td.open { (lang.t("空缺", "open seat")) } }
                            }
                            td.sig {} td.sig {}
                        }
                    }
                }
            }
        }
    };
    page(lang, &title, false, body)
}

/// The handover sheet of the week, or of one day: a section per day.
pub fn handover_html(
    p: &Policy,
    s: &School,
    plan: &Plan,
    only: Option<NaiveDate>,
    lang: Lang,
) -> String {
    let rows = handover(p, s, plan, lang);
    let mut days: Vec<NaiveDate> = rows.iter().map(|r| r.date).collect();
    days.dedup();
    days.retain(|d| only.is_none_or(|o| o == *d));
    let title = match only {
        Some(d) => format!(
            "{} {} {d} {}",
            p.school_name,
            lang.t("交接班表", "handover sheet"),
            lang.weekday(d.weekday())
        ),
        None => format!(
            "{} {} {}",
            p.school_name,
            lang.t("交接班表", "handover sheet"),
            plan.demand.monday
        ),
    };
    let body = html! {
        @if days.is_empty() { h1 { (title) } p { (lang.t("这一天没有交接.", "No handovers this day.")) } }
        @for d in &days {
            section.day {
                h1 { (p.school_name) " " (lang.t("交接班表", "handover sheet")) " " (d) " " (lang.weekday(d.weekday())) }
                (handover_day(&rows, *d, lang))
            }
        }
        p.note { (lang.t("交出时间与接收时间之间, 由交出人护送学生到接收地点。延时托管教师须待全部学生被接走后方可离开。", "Between the giver's end and the receiver's start the giver walks the pupils over. Late-stay staff stay until every pupil is picked up.")) }
    };
    page(lang, &title, false, body)
}

fn handover_day(rows: &[crate::outputs::handover::Handover], d: NaiveDate, lang: Lang) -> Markup {
    html! {
        table.ho {
            thead { tr {
                th { (lang.t("交出→接收", "Leaves → takes over")) } th { (lang.t("交出组", "From group")) }
                th { (lang.t("交出人", "From")) } th.num { (lang.t("人数", "Pupils")) }
                th { (lang.t("接收组", "To group")) } th { (lang.t("接收人", "To")) }
                th.sig { (lang.t("交出人签字", "Giver's signature")) } th.sig { (lang.t("接收人签字", "Receiver's signature")) }
            } }
            tbody {
                @for r in rows.iter().filter(|r| r.date == d) {
                    tr class=(if r.step == Step::Continues { "cont" } else { "" }) {
                        td.w { (r.leaves) @if r.at != r.leaves { "→" (r.at) } }
                        td.w { (r.from_group) } td { (r.from) } td.num { (r.pupils) }
                        td { (r.to_group) } td { (r.to) }
                        td.sig {} td.sig {}
                    }
                }
            }
        }
    }
}
