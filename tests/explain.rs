//! "Why this load?" (issue 17, item 6): a person's duties, what limited
//! them, the tier that bound them and where they stand; staff away the
//! whole week are shown apart and kept out of the spread.

mod common;
use common::*;
use kehou::demand::{self, WeekDemand};
use kehou::lang::Lang;
use kehou::model::policy::Policy;
use kehou::model::school::{School, LOAD_PER_HOUR};
use kehou::plan::explain::{away_all_week, explain, find_staff, render};
use kehou::plan::{self, is_fair, Options, Plan};
use kehou::roster::person_loads;

const WEEK: &str = "2026-12-07";

fn plan_week(p: &Policy, s: &School) -> (WeekDemand, Plan) {
    let dm = demand::week(p, s, date(WEEK));
    let mut o = Options::from_policy(p);
    o.time_limit_s = 600.0;
    let plan = plan::plan(p, s, &dm, &o).expect("plan");
    (dm, plan)
}

/// The tiny school with leave: T1 on Wednesday, T2 the whole week.
fn with_leave() -> (Policy, School) {
    let p = demo_policy();
    let mut f = tiny_files();
    f.leave = Some(
        "工号,开始日期,结束日期,时段,类型,原因\nT1,2026-12-09,2026-12-09,,请假,病假\nT2,2026-12-01,2026-12-31,,请假,产假\n"
            .into(),
    );
    (p.clone(), school_from(&p, &f).unwrap())
}

#[test]
fn a_person_on_leave_on_wednesday_is_told_so() {
    let (p, s) = with_leave();
    let (dm, plan) = plan_week(&p, &s);
    let t1 = s.staff_index("T1").unwrap();
    let e = explain(&p, &s, &plan, t1, Lang::Zh);
    let leave: Vec<_> = e.limits.iter().filter(|c| c.rule == "leave").collect();
    assert!(!leave.is_empty(), "{e:?}");
    assert!(
        leave.iter().all(|c| c.what.starts_with("12-09 周三")),
        "{leave:?}"
    );
    assert!(leave.iter().any(|c| c.what.contains("病假")), "{leave:?}");
    // The count is the Wednesday duties T1 could otherwise take.
    let wed = date("2026-12-09");
    let mut others = s.clone();
    others.leave.retain(|l| l.staff != t1);
    let kept_off = dm
        .duties
        .iter()
        .filter(|d| d.date == wed && plan::ineligible(&p, &others, t1, d).is_none())
        .count() as u32;
    assert_eq!(leave.iter().map(|c| c.duties).sum::<u32>(), kept_off);
    assert!(e.duties.iter().all(|d| d.date != wed));
    let text = render(&e, Lang::Zh);
    assert!(text.contains("请假 (病假, 12-09–12-09)"), "{text}");
    let en = render(&explain(&p, &s, &plan, t1, Lang::En), Lang::En);
    assert!(en.contains("on leave (病假"), "{en}");
}

#[test]
fn an_exempt_person_is_told_what_the_exemption_rules_out() {
    let p = demo_policy();
    // Late-stay care (until pickup) every day: the exemption rules it out.
    let mut f = tiny_files();
    let text = String::from_utf8(f.enrollment.clone()).unwrap();
    f.enrollment = text.replace(",late,0", ",late,10").into_bytes();
    let s = school_from(&p, &f).unwrap();
    let (_, plan) = plan_week(&p, &s);
    let t5 = find_staff(&s, "陈芳").unwrap();
    assert_eq!(s.staff[t5].id, "T5");
    let e = explain(&p, &s, &plan, t5, Lang::Zh);
    let ex: Vec<_> = e.limits.iter().filter(|c| c.rule == "exemption").collect();
    assert!(!ex.is_empty(), "{e:?}");
    assert!(
        ex.iter().all(|c| c.what.contains("豁免「") && c.duties > 0),
        "{ex:?}"
    );
}

#[test]
fn the_busiest_person_is_told_the_proven_bound() {
    let p = demo_policy();
    let s = school_from(&p, &tiny_files()).unwrap();
    let (_, plan) = plan_week(&p, &s);
    let t2 = plan.tiers.iter().find(|t| t.name == "max-load").unwrap();
    assert!(t2.optimal);
    let loads = person_loads(&s, &plan.demand, &plan);
    let top = loads
        .iter()
        .filter_map(|l| l.relative.map(|r| (r, l.staff)))
        .fold((f64::MIN, 0), |a, b| if b.0 > a.0 { b } else { a });
    let e = explain(&p, &s, &plan, top.1, Lang::Zh);
    let sd = e.standing.as_ref().unwrap();
    assert!((sd.relative - top.0).abs() < 1e-9 && (sd.top - top.0).abs() < 1e-9);
    let b = e.bound.as_deref().unwrap();
    assert!(
        b.contains("第 2 层已证明") && b.contains(&format!("{:.3}", t2.bound)),
        "{b}"
    );
    // Someone below the top is not told they are the busiest.
    if let Some(l) = loads
        .iter()
        .find(|l| l.relative.is_some_and(|r| r < top.0 - 1e-6))
    {
        let other = explain(&p, &s, &plan, l.staff, Lang::Zh);
        assert!(!other.bound.unwrap_or_default().contains("负荷最高"));
    }
    let json = serde_json::to_string(&e).unwrap();
    assert!(json.contains("\"standing\"") && json.contains(&s.staff[top.1].id));
}

#[test]
fn staff_away_all_week_are_apart_and_out_of_the_spread() {
    let (p, s) = with_leave();
    let (dm, plan) = plan_week(&p, &s);
    let t2 = s.staff_index("T2").unwrap();
    assert_eq!(away_all_week(&p, &s, &dm), vec![t2]);
    let e = explain(&p, &s, &plan, t2, Lang::Zh);
    assert!(e.standing.is_none() && e.bound.is_none());
    assert!(
        e.apart
            .as_deref()
            .unwrap()
            .contains("整周不在岗 (请假 (产假"),
        "{e:?}"
    );
    // The others are compared without T2: the lowest is theirs, counted here.
    let rel = |i: usize| {
        let st = &s.staff[i];
        let week: i64 = plan
            .assignments
            .iter()
            .filter(|a| a.staff == i)
            .map(|a| dm.duties[a.duty].load())
            .sum();
        (s.served.get(&i).copied().unwrap_or(0) + week) as f64
            / LOAD_PER_HOUR as f64
            / st.quota.as_f64()
    };
    let compared: Vec<usize> = (0..s.staff.len())
        .filter(|&i| is_fair(&s.staff[i]) && i != t2)
        .collect();
    let lowest = compared
        .iter()
        .map(|&i| rel(i))
        .fold(f64::INFINITY, f64::min);
    let t1 = s.staff_index("T1").unwrap();
    let sd = explain(&p, &s, &plan, t1, Lang::Zh).standing.unwrap();
    assert_eq!(sd.compared as usize, compared.len());
    assert!(
        (sd.lowest - lowest).abs() < 1e-9,
        "{} vs {lowest}",
        sd.lowest
    );
    assert!(sd.lowest > 0.0);
    // The plan report's lowest and spread leave T2 out too.
    let report = kehou::outputs::terminal::plan_report(&p, &s, &plan, Lang::Zh, 0.0);
    assert!(report.contains(&format!("/ {lowest:.3} /")), "{report}");
    assert!(
        report.contains("整周不在岗") && report.contains(&s.staff[t2].name),
        "{report}"
    );
}

#[test]
fn the_command_explains_by_id_or_name_in_either_language() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_school(dir.path());
    let run = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_kehou"))
            .arg("--policy")
            .arg(dir.path().join("policy.toml"))
            .arg("--data")
            .arg(dir.path().join("data"))
            .arg("--record")
            .arg(dir.path().join("kehou.db"))
            .args(args)
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr),
        )
    };
    let (code, zh) = run(&["explain", "--week", WEEK, "--staff", "T5"]);
    assert_eq!(code, Some(0), "{zh}");
    assert!(
        zh.contains("T5 陈芳") && zh.contains("豁免「") && zh.contains("相对负荷"),
        "{zh}"
    );
    let (code, en) = run(&["--lang", "en", "explain", "--week", WEEK, "--staff", "陈芳"]);
    assert_eq!(code, Some(0), "{en}");
    assert!(
        en.contains("T5 陈芳") && en.contains("exempt (") && en.contains("relative load"),
        "{en}"
    );
    let (code, json) = run(&["explain", "--week", WEEK, "--staff", "T1", "--json"]);
    assert_eq!(code, Some(0), "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["staff_id"], "T1");
    let (code, none) = run(&["explain", "--week", WEEK, "--staff", "T99"]);
    assert_ne!(code, Some(0));
    assert!(none.contains("T99"), "{none}");
}
