//! Rosters people read: a self-contained printable HTML page, iCalendar
//! files per person, and the handover sheet (交接班表).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::Datelike;

use crate::calendar::DayKind;
use crate::model::policy::{Part, Policy};
use crate::model::school::School;
use crate::outputs::lang::Lang;
use crate::outputs::terminal::{kind_label, session_label};
use crate::plan::Plan;

/// Escape text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const CSS: &str = "body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif;margin:1em;color:#111}\
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;margin:1em 0 .3em}\
table{border-collapse:collapse;width:100%;font-size:.85em}th,td{border:1px solid #888;padding:3px 5px;vertical-align:top}\
th{background:#eee}.holiday{background:#f3f3f3;color:#666}.makeup{background:#fff7d6}\
.uncovered{background:#ffd6d6;color:#a00;font-weight:bold}.duty{margin:1px 0}.t{color:#555;font-size:.9em}\
.note{font-size:.85em;color:#444}\
@media print{@page{size:A4 landscape;margin:10mm}body{margin:0}h2{break-before:auto}table{page-break-inside:auto}tr{break-inside:avoid}}";

/// A self-contained HTML page for the week: a days x sessions grid, a
/// per-person section and the handover sheet.
pub fn week_html(p: &Policy, s: &School, plan: &Plan, lang: Lang) -> String {
    let dm = &plan.demand;
    let mut staff_of: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for a in &plan.assignments {
        staff_of.entry(a.duty).or_default().push(a.staff);
    }
    let missing: BTreeMap<usize, u32> = plan.uncovered.iter().copied().collect();
    let mut o = String::new();
    let title = format!(
        "{} {} {}",
        p.school_name,
        lang.t("课后服务排班表", "after-school duty roster"),
        dm.monday
    );
    let _ = write!(o, "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{CSS}</style></head><body>", lang.t("zh-CN", "en"), esc(&title));
    let _ = write!(o, "<h1>{}</h1>", esc(&title));
    let unc: u32 = missing.values().sum();
    if unc > 0 {
        let _ = write!(
            o,
            "<p class=\"uncovered\">{} {unc} {}</p>",
            lang.t("注意: 有", "Attention:"),
            lang.t(
                "人次未覆盖, 见红色标记",
                "staff seats uncovered, marked in red"
            )
        );
    }
    // Grid: sessions (rows) x days (columns).
    let mut sessions: Vec<String> = p.sessions.iter().map(|x| x.id.clone()).collect();
    sessions.push(crate::model::policy::AFTERNOON_SPAN.to_string());
    let _ = write!(
        o,
        "<h2>{}</h2><table><tr><th>{}</th>",
        lang.t("一周总表", "Week grid"),
        lang.t("时段", "Session")
    );
    for d in &dm.days {
        let class = match d.kind {
            DayKind::School { makeup: true, .. } => "makeup",
            DayKind::School { .. } => "",
            _ => "holiday",
        };
        let _ = write!(
            o,
            "<th class=\"{class}\">{} {}<br><span class=\"t\">{}</span></th>",
            d.date.format("%m-%d"),
            lang.weekday(d.date.weekday()),
            esc(&d.describe(lang))
        );
    }
    o.push_str("</tr>");
    for sess in &sessions {
        if !dm.duties.iter().any(|d| &d.session == sess) {
            continue;
        }
        let _ = write!(o, "<tr><th>{}</th>", esc(&session_label(p, sess, lang)));
        for day in &dm.days {
            let class = if day.follows().is_none() {
                " class=\"holiday\""
            } else {
                ""
            };
            let _ = write!(o, "<td{class}>");
            for (i, d) in dm
                .duties
                .iter()
                .enumerate()
                .filter(|(_, d)| d.date == day.date && &d.session == sess)
            {
                let names: Vec<String> = staff_of
                    .get(&i)
                    .map(|v| v.iter().map(|&x| esc(&s.staff[x].name)).collect())
                    .unwrap_or_default();
                let miss = missing.get(&i).copied().unwrap_or(0);
                let cls = if miss > 0 { "duty uncovered" } else { "duty" };
                let _ = write!(
                    o,
                    "<div class=\"{cls}\"><span class=\"t\">{}-{}</span> {}·{}: {}",
                    d.start,
                    d.end,
                    esc(&kind_label(p, d.kind, lang)),
                    esc(&d.group),
                    names.join("、")
                );
                if miss > 0 {
                    let _ = write!(o, " [{} {miss}]", lang.t("缺", "missing"));
                }
                o.push_str("</div>");
            }
            o.push_str("</td>");
        }
        o.push_str("</tr>");
    }
    o.push_str("</table>");
    // Per person.
    let _ = write!(
        o,
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        lang.t("个人任务", "By person"),
        lang.t("工号", "ID"),
        lang.t("姓名", "Name"),
        lang.t("本周任务", "Duties this week")
    );
    let mut by_staff: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for a in &plan.assignments {
        by_staff.entry(a.staff).or_default().push(a.duty);
    }
    for (st, duties) in &by_staff {
        let items: Vec<String> = duties
            .iter()
            .map(|&i| {
                let d = &dm.duties[i];
                format!(
                    "{} {} {}-{} {}·{}",
                    d.date.format("%m-%d"),
                    lang.weekday(d.date.weekday()),
                    d.start,
                    d.end,
                    esc(&kind_label(p, d.kind, lang)),
                    esc(&d.group)
                )
            })
            .collect();
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.staff[*st].id),
            esc(&s.staff[*st].name),
            items.join("<br>")
        );
    }
    o.push_str("</table>");
    // Handover.
    let _ = write!(
        o,
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        lang.t("交接班表", "Handover sheet"),
        lang.t("日期", "Date"),
        lang.t("班级", "Class"),
        lang.t("交出", "Hands over"),
        lang.t("接收", "Takes over"),
        lang.t("时间", "Time")
    );
    for h in handover(p, s, plan) {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            h.date,
            esc(&h.class),
            esc(&h.from),
            esc(&h.to),
            h.at
        );
    }
    o.push_str("</table>");
    let _ = write!(
        o,
        "<p class=\"note\">{}</p></body></html>",
        lang.t(
            "由 kehou 生成。延时托管教师须待全部学生被接走后方可离开。",
            "Generated by kehou. Late-stay staff stay until every pupil is picked up."
        )
    );
    o
}

/// One change of hands for a class's pupils.
#[derive(Debug, Clone, PartialEq)]
pub struct Handover {
    pub date: chrono::NaiveDate,
    pub class: String,
    pub from: String,
    pub to: String,
    pub at: crate::model::units::Hm,
}

fn names(s: &School, plan: &Plan, duty: usize) -> String {
    let v: Vec<&str> = plan
        .assignments
        .iter()
        .filter(|a| a.duty == duty)
        .map(|a| s.staff[a.staff].name.as_str())
        .collect();
    if v.is_empty() {
        "(未覆盖 / uncovered)".to_string()
    } else {
        v.join("、")
    }
}

/// For each class and each change of afternoon stage: who hands the class's
/// pupils to whom; and at the cutoff, who holds the late-stay duty.
pub fn handover(p: &Policy, s: &School, plan: &Plan) -> Vec<Handover> {
    let dm = &plan.demand;
    let stages: Vec<&str> = p
        .sessions
        .iter()
        .filter(|x| x.part == Part::Afternoon)
        .map(|x| x.id.as_str())
        .collect();
    let mut out = Vec::new();
    for day in &dm.days {
        for (ci, c) in s.classes.iter().enumerate() {
            // Duties holding this class's pupils, per stage, in stage order.
            let holding = |stage: &str| -> Vec<usize> {
                dm.duties
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| {
                        d.date == day.date && d.session == stage && d.classes.contains(&ci)
                    })
                    .map(|(i, _)| i)
                    .collect()
            };
            for w in stages.windows(2) {
                let (a, b) = (holding(w[0]), holding(w[1]));
                for &x in &a {
                    for &y in &b {
                        out.push(Handover {
                            date: day.date,
                            class: c.name.clone(),
                            from: names(s, plan, x),
                            to: names(s, plan, y),
                            at: dm.duties[y].start,
                        });
                    }
                }
            }
            for (i, d) in dm.duties.iter().enumerate() {
                if d.date == day.date && d.until_pickup && d.classes.contains(&ci) {
                    out.push(Handover {
                        date: day.date,
                        class: c.name.clone(),
                        from: names(s, plan, i),
                        to: "家长 / parents".to_string(),
                        at: d.end,
                    });
                }
            }
        }
    }
    out
}

pub fn handover_csv(p: &Policy, s: &School, plan: &Plan, lang: Lang) -> Vec<u8> {
    use crate::outputs::files::{Cell, CsvOut};
    let h: &[&str] = if lang == Lang::Zh {
        &["日期", "班级", "交出", "接收", "时间"]
    } else {
        &["date", "class", "from", "to", "at"]
    };
    let mut out = CsvOut::new(h);
    for x in handover(p, s, plan) {
        out.row(vec![
            Cell::Num(x.date.to_string()),
            Cell::Text(x.class),
            Cell::Text(x.from),
            Cell::Text(x.to),
            Cell::Num(x.at.to_string()),
        ]);
    }
    out.into_bytes()
}

/// Escape iCalendar TEXT.
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Fold a content line at 75 octets (RFC 5545 3.1), on character boundaries.
fn fold(line: &str, out: &mut String) {
    let mut n = 0;
    for c in line.chars() {
        let l = c.len_utf8();
        if n + l > 75 {
            out.push_str("\r\n ");
            n = 1;
        }
        out.push(c);
        n += l;
    }
    out.push_str("\r\n");
}

/// One iCalendar file per person with a duty this week (RFC 5545, Asia/Shanghai).
pub fn ics_per_person(p: &Policy, s: &School, plan: &Plan, lang: Lang) -> BTreeMap<String, String> {
    let dm = &plan.demand;
    let mut by: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for a in &plan.assignments {
        by.entry(a.staff).or_default().push(a.duty);
    }
    let stamp = format!("{}T000000Z", dm.monday.format("%Y%m%d"));
    let mut files = BTreeMap::new();
    for (st, duties) in by {
        let person = &s.staff[st];
        let mut o = String::new();
        for l in [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//kehou//after-school roster//ZH",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VTIMEZONE",
            "TZID:Asia/Shanghai",
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            "TZOFFSETFROM:+0800",
            "TZOFFSETTO:+0800",
            "TZNAME:CST",
            "END:STANDARD",
            "END:VTIMEZONE",
        ] {
            fold(l, &mut o);
        }
        for i in duties {
            let d = &dm.duties[i];
            let day = d.date.format("%Y%m%d");
            let t = |h: crate::model::units::Hm| format!("{day}T{:02}{:02}00", h.0 / 60, h.0 % 60);
            fold("BEGIN:VEVENT", &mut o);
            fold(
                &format!(
                    "UID:{}-{}@kehou",
                    ics_text(&d.id).replace('/', "-"),
                    ics_text(&person.id)
                ),
                &mut o,
            );
            fold(&format!("DTSTAMP:{stamp}"), &mut o);
            fold(
                &format!("DTSTART;TZID=Asia/Shanghai:{}", t(d.start)),
                &mut o,
            );
            fold(&format!("DTEND;TZID=Asia/Shanghai:{}", t(d.end)), &mut o);
            fold(
                &format!(
                    "SUMMARY:{}",
                    ics_text(&format!("{} {}", kind_label(p, d.kind, lang), d.group))
                ),
                &mut o,
            );
            fold(
                &format!(
                    "DESCRIPTION:{}",
                    ics_text(&format!(
                        "{} {} {} {}",
                        p.school_name,
                        session_label(p, &d.session, lang),
                        d.pupils,
                        lang.t("名学生", "pupils")
                    ))
                ),
                &mut o,
            );
            fold("END:VEVENT", &mut o);
        }
        fold("END:VCALENDAR", &mut o);
        files.insert(person.id.clone(), o);
    }
    files
}
