//! Demand on a tiny school, checked by hand.

mod common;
use common::*;
use kehou::demand;
use kehou::model::units::Hm;

#[test]
fn tiny_school_monday_by_hand() {
    let p = demo_policy();
    let s = school_from(&p, &tiny_files()).unwrap();
    let w = demand::week(&p, &s, date("2026-12-07"));
    let mon: Vec<_> = w
        .duties
        .iter()
        .filter(|d| d.date == date("2026-12-07"))
        .collect();
    let kind = |id: &str| p.duty_kinds.iter().position(|k| k.id == id).unwrap();
    // Homework by class (merge up to grade, min 15): 3 groups of 30.
    let hw: Vec<_> = mon.iter().filter(|d| d.kind == kind("homework")).collect();
    assert_eq!(hw.len(), 3);
    assert!(hw.iter().all(|d| d.pupils == 30 && d.staff_needed == 1));
    // Lower band (grade 1) starts at 15:30, upper at 15:40, both end 16:10/16:20.
    let g1 = hw.iter().find(|d| d.group == "一(1)班").unwrap();
    assert_eq!((g1.start, g1.end), (Hm(15 * 60 + 30), Hm(16 * 60 + 10)));
    let g3 = hw.iter().find(|d| d.group == "三(1)班").unwrap();
    assert_eq!((g3.start, g3.end), (Hm(15 * 60 + 40), Hm(16 * 60 + 20)));
    // Care (merge band, min 20): grade 1 has 10+10 -> one lower-band group of 20;
    // grade 3 has 10 -> below min at every level, still one group.
    let care: Vec<_> = mon.iter().filter(|d| d.kind == kind("care")).collect();
    assert_eq!(care.len(), 2);
    assert_eq!(care.iter().map(|d| d.pupils).sum::<u32>(), 30);
    assert!(care.iter().all(|d| d.end == Hm(17 * 60)));
    // Patrol: 3 classes -> 1 administrator, spanning the afternoon.
    let pat: Vec<_> = mon.iter().filter(|d| d.kind == kind("patrol")).collect();
    assert_eq!(pat.len(), 1);
    assert_eq!(pat[0].staff_needed, 1);
    assert_eq!((pat[0].start, pat[0].end), (Hm(15 * 60 + 30), Hm(17 * 60)));
    // No club on Monday; the football club meets on Tuesday and needs PE.
    assert!(mon.iter().all(|d| d.kind != kind("club")));
    let tue_club: Vec<_> = w
        .duties
        .iter()
        .filter(|d| d.date == date("2026-12-08") && d.kind == kind("club"))
        .collect();
    assert_eq!(tue_club.len(), 1);
    assert_eq!(tue_club[0].qualification.as_deref(), Some("体育"));
    // Zero enrollment gives no group.
    assert!(mon
        .iter()
        .all(|d| d.kind != kind("noon") && d.kind != kind("late")));
}

#[test]
fn big_groups_split_evenly_and_extra_staff_per_pupils() {
    let p = demo_policy();
    let mut f = tiny_files();
    let mut e = String::from_utf8(f.enrollment.clone()).unwrap();
    e = e
        .replace("1-1,周一,late,0", "1-1,周一,late,30")
        .replace("1-2,周一,late,0", "1-2,周一,late,32")
        .replace("3-1,周一,late,0", "3-1,周一,late,20");
    f.enrollment = e.into_bytes();
    let s = school_from(&p, &f).unwrap();
    let w = demand::week(&p, &s, date("2026-12-07"));
    let late: Vec<_> = w
        .duties
        .iter()
        .filter(|d| d.date == date("2026-12-07") && p.duty_kinds[d.kind].id == "late")
        .collect();
    // Each class has >= min 15 pupils: own groups; 30 and 32 pupils need 2 staff (25 per staff).
    assert_eq!(late.len(), 3);
    let need: Vec<u32> = late.iter().map(|d| d.staff_needed).collect();
    assert_eq!(need.iter().sum::<u32>(), 5);
    assert!(late.iter().all(|d| d.until_pickup));
}

#[test]
fn demo_week_has_expected_shape() {
    let p = demo_policy();
    let s = demo_school(&p);
    let w = demand::week(&p, &s, date("2026-12-07"));
    // Four afternoons x 4 patrol (24 classes) = 16 patrol seats.
    let patrol: u32 = w
        .duties
        .iter()
        .filter(|d| p.duty_kinds[d.kind].id == "patrol")
        .map(|d| d.staff_needed)
        .sum();
    assert_eq!(patrol, 16);
    // Unique ids.
    let mut ids: Vec<_> = w.duties.iter().map(|d| d.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), w.duties.len());
}
