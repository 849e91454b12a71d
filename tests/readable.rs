//! HTML, iCalendar and handover outputs hold exactly the roster.

mod common;
use common::*;
use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
use kehou::lang::Lang;
use kehou::{demand, outputs, plan};

fn tiny_plan() -> (
    kehou::model::policy::Policy,
    kehou::model::school::School,
    plan::Plan,
) {
    let p = demo_policy();
    let mut f = tiny_files();
    // A name that must be escaped, and one that looks like a formula.
    let staff = String::from_utf8(f.staff.clone())
        .unwrap()
        .replace("王静", "<b>王&静</b>")
        .replace("李强", "=李强");
    f.staff = staff.into_bytes();
    let s = school_from(&p, &f).unwrap();
    let dm = demand::week(&p, &s, date("2026-12-07"));
    let plan = plan::plan(&p, &s, &dm, &plan::Options::from_policy(&p)).unwrap();
    (p, s, plan)
}

#[test]
fn html_parses_and_holds_every_assignment_escaped() {
    let (p, s, plan) = tiny_plan();
    let page = outputs::html::week_html(&p, &s, &plan, Lang::Zh);
    assert!(!page.contains("<b>王"), "names are escaped");
    assert!(page.contains("&lt;b&gt;王&amp;静&lt;/b&gt;"));
    assert!(!page.contains("http"), "self-contained: no external assets");
    assert!(page.contains("size:A4 landscape"));
    let doc = scraper::Html::parse_document(&page);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let sel = scraper::Selector::parse("div.duty").unwrap();
    let cells: Vec<String> = doc
        .select(&sel)
        .map(|e| e.text().collect::<String>())
        .collect();
    assert_eq!(
        cells.len(),
        plan.demand.duties.len(),
        "one grid entry per duty"
    );
    for a in &plan.assignments {
        let d = &plan.demand.duties[a.duty];
        let name = &s.staff[a.staff].name;
        assert!(
            cells.iter().any(|c| c.contains(&d.group)
                && c.contains(name.as_str())
                && c.contains(&d.start.to_string())),
            "{} {}",
            d.id,
            name
        );
    }
}

#[test]
fn html_marks_holidays_makeup_days_and_uncovered() {
    let p = demo_policy();
    let mut f = tiny_files();
    f.leave = Some("工号,开始日期,结束日期\nT4,2026-10-09,2026-10-09\n".into());
    let s = school_from(&p, &f).unwrap();
    let dm = demand::week(&p, &s, date("2026-10-05"));
    let plan = plan::plan(&p, &s, &dm, &plan::Options::from_policy(&p)).unwrap();
    let page = outputs::html::week_html(&p, &s, &plan, Lang::En);
    assert!(page.contains("class=\"holiday\""));
    assert!(page.contains("class=\"makeup\""));
    assert!(page.contains("make-up workday"));
    if !plan.uncovered.is_empty() {
        assert!(page.contains("duty uncovered"));
    }
}

#[test]
fn ics_files_parse_and_hold_every_duty_in_local_time() {
    let (p, s, plan) = tiny_plan();
    let files = outputs::html::ics_per_person(&p, &s, &plan, Lang::Zh);
    for (id, text) in &files {
        assert!(text.lines().all(|l| l.len() <= 75), "folded at 75 octets");
        assert!(text.contains("\r\n"));
        let cal: Calendar = text.parse().unwrap_or_else(|e| panic!("{id}: {e}"));
        let events: Vec<_> = cal
            .components
            .iter()
            .filter_map(|c| match c {
                CalendarComponent::Event(e) => Some(e),
                _ => None,
            })
            .collect();
        let st = s.staff_index(id).unwrap();
        let mine: Vec<_> = plan.assignments.iter().filter(|a| a.staff == st).collect();
        assert_eq!(events.len(), mine.len(), "{id}");
        for a in mine {
            let d = &plan.demand.duties[a.duty];
            let want = d
                .date
                .and_hms_opt(u32::from(d.start.0 / 60), u32::from(d.start.0 % 60), 0)
                .unwrap();
            let found = events.iter().any(|e| match e.get_start() {
                Some(DatePerhapsTime::DateTime(icalendar::CalendarDateTime::WithTimezone {
                    date_time,
                    tzid,
                })) => date_time == want && tzid == "Asia/Shanghai",
                _ => false,
            });
            assert!(found, "{id} {}", d.id);
        }
    }
}

#[test]
fn handover_sheet_matches_the_roster() {
    let (p, s, plan) = tiny_plan();
    let rows = outputs::html::handover(&p, &s, &plan);
    assert!(!rows.is_empty());
    let names_on = |date: chrono::NaiveDate, session: &str, class: &str| -> Vec<String> {
        let ci = s.classes.iter().position(|c| c.name == class).unwrap();
        plan.assignments
            .iter()
            .filter(|a| {
                let d = &plan.demand.duties[a.duty];
                d.date == date && d.session == session && d.classes.contains(&ci)
            })
            .map(|a| s.staff[a.staff].name.clone())
            .collect()
    };
    for h in rows.iter().filter(|h| !h.to.contains("parents")) {
        let from = names_on(h.date, "stage1", &h.class);
        let to = names_on(h.date, "stage2", &h.class);
        assert!(from.iter().any(|n| h.from.contains(n.as_str())), "{h:?}");
        assert!(to.iter().any(|n| h.to.contains(n.as_str())), "{h:?}");
    }
    // Every stage-1 group of every afternoon appears.
    let hw = plan
        .demand
        .duties
        .iter()
        .filter(|d| d.session == "stage1")
        .count();
    assert!(rows.iter().filter(|h| !h.to.contains("parents")).count() >= hw);
}
