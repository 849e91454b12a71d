//! The handover sheet means what a duty teacher reads from it: who hands
//! which group's pupils (how many) to whom and when, for the demo school's
//! planned week.

mod common;
use std::collections::BTreeMap;

use common::*;
use kehou::lang::Lang;
use kehou::model::units::Hm;
use kehou::outputs::html::{handover, Handover, Step};
use kehou::{demand, outputs, plan};

const MONDAY: &str = "2026-12-07";

struct Week {
    p: kehou::model::policy::Policy,
    s: kehou::model::school::School,
    plan: plan::Plan,
    rows: Vec<Handover>,
}

fn week() -> Week {
    let p = demo_policy();
    let s = demo_school(&p);
    let dm = demand::week(&p, &s, date(MONDAY));
    let plan = plan::plan(&p, &s, &dm, &plan::Options::from_policy(&p)).unwrap();
    let rows = handover(&p, &s, &plan, Lang::Zh);
    Week { p, s, plan, rows }
}

impl Week {
    fn staff_of(&self, duty: usize) -> Vec<usize> {
        self.plan
            .assignments
            .iter()
            .filter(|a| a.duty == duty)
            .map(|a| a.staff)
            .collect()
    }
    fn enrolled(&self, class: usize, weekday: u8, key: &str) -> u32 {
        self.s
            .enrollment
            .get(&(class, weekday, key.to_string()))
            .copied()
            .unwrap_or(0)
    }
    fn kind(&self, d: &demand::Duty) -> &str {
        &self.p.duty_kinds[d.kind].id
    }
}

fn hm(s: &str) -> Hm {
    let (h, m) = s.split_once(':').unwrap();
    Hm(h.parse::<u16>().unwrap() * 60 + m.parse::<u16>().unwrap())
}

#[test]
fn a_class_hands_its_care_pupils_to_the_named_person_at_1620() {
    let w = week();
    let monday = date(MONDAY);
    let c = w.s.classes.iter().position(|c| c.id == "1-1").unwrap();
    // The first class of its band's care group fills the group's first part.
    let care = w
        .plan
        .demand
        .duties
        .iter()
        .position(|d| {
            d.date == monday && w.kind(d) == "care" && d.classes.contains(&c) && d.split <= 1
        })
        .unwrap();
    let pupils = w.enrolled(c, 0, "stage2");
    assert_eq!(
        pupils, 17,
        "datasets/demo/enrollment.csv: 1-1, 周一, stage2"
    );
    let to = w.staff_of(care);
    assert!(!to.is_empty());
    let row = w
        .rows
        .iter()
        .find(|r| r.date == monday && r.from_group.starts_with("一(1)班") && r.to_staff == to)
        .unwrap_or_else(|| panic!("no row from 一(1)班 to {to:?}: {:#?}", w.rows));
    assert_eq!(row.pupils, 17);
    // Lower grades end homework at 16:10; care starts at 16:20.
    assert_eq!((row.leaves, row.at), (hm("16:10"), hm("16:20")));
    let names: Vec<&str> = to.iter().map(|&i| w.s.staff[i].name.as_str()).collect();
    if row.step == Step::Continues {
        assert_eq!(row.to, "继续");
        assert_eq!(row.from_staff, to);
    } else {
        assert_eq!(row.to, names.join("、"));
    }
}

#[test]
fn no_row_hands_to_the_same_people_and_same_people_continue() {
    let w = week();
    assert!(!w.rows.is_empty());
    for r in &w.rows {
        assert_ne!(r.from, r.to, "{r:?}");
        match r.step {
            Step::Hand => assert_ne!(r.from_staff, r.to_staff, "{r:?}"),
            Step::Continues => {
                assert_eq!(r.from_staff, r.to_staff, "{r:?}");
                assert_eq!(r.to, "继续");
            }
            _ => {}
        }
    }
    assert!(w.rows.iter().any(|r| r.step == Step::Continues));
}

#[test]
fn every_receiving_group_gets_exactly_its_pupils() {
    let w = week();
    let dm = &w.plan.demand;
    // Pupils each care and late-stay group receives from stage 1.
    let mut got: BTreeMap<(chrono::NaiveDate, String, Vec<usize>), u32> = BTreeMap::new();
    for r in w
        .rows
        .iter()
        .filter(|r| matches!(r.step, Step::Hand | Step::Continues))
    {
        *got.entry((r.date, r.to_group.clone(), r.to_staff.clone()))
            .or_insert(0) += r.pupils;
    }
    let mut checked = 0;
    for (i, d) in dm.duties.iter().enumerate() {
        if !matches!(w.kind(d), "care" | "late") {
            continue;
        }
        let label = format!(
            "{} {}",
            d.group,
            outputs::terminal::kind_label(&w.p, d.kind, Lang::Zh)
        );
        let n = got
            .get(&(d.date, label.clone(), w.staff_of(i)))
            .copied()
            .unwrap_or(0);
        assert_eq!(n, d.pupils, "{} {label}", d.date);
        checked += 1;
    }
    assert!(checked > 20);
    // Each homework group's pupils: to care, late-stay, a club or home.
    for (i, d) in dm
        .duties
        .iter()
        .enumerate()
        .filter(|(_, d)| w.kind(d) == "homework")
    {
        let from = format!("{} 作业辅导", d.group);
        let out: u32 = w
            .rows
            .iter()
            .filter(|r| r.date == d.date && r.from_group == from && r.from_staff == w.staff_of(i))
            .map(|r| r.pupils)
            .sum();
        assert_eq!(out, d.pupils, "{} {from}", d.date);
    }
}

#[test]
fn clubs_care_release_and_late_stay_are_on_the_sheet() {
    let w = week();
    let dm = &w.plan.demand;
    for (i, d) in dm.duties.iter().enumerate() {
        let label = format!(
            "{} {}",
            d.group,
            outputs::terminal::kind_label(&w.p, d.kind, Lang::Zh)
        );
        match w.kind(d) {
            "club" => {
                let r = w
                    .rows
                    .iter()
                    .find(|r| r.date == d.date && r.to_group == label && r.step == Step::ToClub);
                let r = r.unwrap_or_else(|| panic!("no club row for {label}"));
                assert_eq!(
                    (r.pupils, r.at, &r.to_staff),
                    (d.pupils, d.start, &w.staff_of(i))
                );
            }
            "care" => {
                let r = w
                    .rows
                    .iter()
                    .find(|r| r.date == d.date && r.from_group == label && r.step == Step::Release);
                let r = r.unwrap_or_else(|| panic!("no release of {label}"));
                assert_eq!(r.leaves, hm("17:00"), "the winter cutoff");
                assert!(r.to_group.contains("延时托管"), "{r:?}");
                assert_eq!(r.from_staff, w.staff_of(i));
            }
            "late" => {
                let r = w
                    .rows
                    .iter()
                    .find(|r| r.date == d.date && r.from_group == label && r.step == Step::Release);
                assert!(r
                    .unwrap_or_else(|| panic!("no release of {label}"))
                    .to_group
                    .contains("全部接走"));
            }
            _ => {}
        }
    }
    // Thursday has no afternoon service: no handovers.
    assert!(!w.rows.iter().any(|r| r.date == date("2026-12-10")));
}

#[test]
fn the_sheet_prints_per_day_with_signatures() {
    let w = week();
    let page =
        outputs::print::handover_html(&w.p, &w.s, &w.plan, Some(date("2026-12-08")), Lang::Zh);
    assert!(page.contains("size:A4 portrait"));
    assert!(page.contains("display:table-header-group"));
    assert!(page.contains("交出人签字") && page.contains("接收人签字"));
    assert!(page.contains("周二"));
    let doc = scraper::Html::parse_document(&page);
    let sel = scraper::Selector::parse("tbody tr").unwrap();
    let day = date("2026-12-08");
    assert_eq!(
        doc.select(&sel).count(),
        w.rows.iter().filter(|r| r.date == day).count()
    );
    let csv =
        String::from_utf8(outputs::html::handover_csv(&w.p, &w.s, &w.plan, Lang::Zh)).unwrap();
    assert!(csv.lines().next().unwrap().contains("交出人签字"));
    assert_eq!(csv.lines().count(), w.rows.len() + 1);
}
