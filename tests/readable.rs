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
    let rows = outputs::html::handover(&p, &s, &plan, Lang::Zh);
    assert!(!rows.is_empty());
    let held = |date: chrono::NaiveDate, session: &str| -> Vec<Vec<usize>> {
        (0..plan.demand.duties.len())
            .filter(|&i| {
                plan.demand.duties[i].date == date && plan.demand.duties[i].session == session
            })
            .map(|i| {
                plan.assignments
                    .iter()
                    .filter(|a| a.duty == i)
                    .map(|a| a.staff)
                    .collect()
            })
            .collect()
    };
    use outputs::html::Step;
    for h in rows
        .iter()
        .filter(|h| matches!(h.step, Step::Hand | Step::Continues))
    {
        assert!(held(h.date, "stage1").contains(&h.from_staff), "{h:?}");
        assert!(held(h.date, "stage2").contains(&h.to_staff), "{h:?}");
        for &x in &h.from_staff {
            assert!(h.from.contains(s.staff[x].name.as_str()), "{h:?}");
        }
    }
    // Every stage-1 group of every afternoon hands its pupils on.
    for d in plan.demand.duties.iter().filter(|d| d.session == "stage1") {
        assert!(
            rows.iter()
                .any(|h| h.date == d.date && h.from_group.starts_with(d.group.as_str())),
            "{}",
            d.id
        );
    }
}
