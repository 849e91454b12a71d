//! Diagnoses in the school's words (issue 17, item 5): a shortage names
//! the duty kind and the club, states the balance with numbers counted
//! here independently, names the rule to change by its meaning, and is
//! shown in the terminal, the HTML page and a file beside the roster;
//! no report says NaN.

mod common;
use common::*;
use kehou::demand::{self, Duty, WeekDemand};
use kehou::lang::Lang;
use kehou::model::policy::Policy;
use kehou::model::school::School;
use kehou::outputs::{html, shortage, terminal};
use kehou::plan::{self, diagnose, ineligible, Options, Plan, TierReport};

fn plan_week(p: &Policy, s: &School, week: &str) -> (WeekDemand, Plan) {
    let dm = demand::week(p, s, date(week));
    let mut o = Options::from_policy(p);
    o.time_limit_s = 600.0;
    let plan = plan::plan(p, s, &dm, &o).expect("plan");
    (dm, plan)
}

/// The tiny school with a second PE club on Tuesday: two PE seats at
/// once and one PE teacher.
fn two_pe_clubs() -> (Policy, School) {
    let p = demo_policy();
    let mut f = tiny_files();
    f.clubs = Some(
        "编号,名称,星期,时段,人数,资质,所需人数,指定教师\nC1,足球,周二,stage2,20,体育,1,\nC2,篮球,周二,stage2,15,体育,1,\n"
            .into(),
    );
    (p.clone(), school_from(&p, &f).unwrap())
}

/// The tiny school with noon care every day and two duties per person
/// and week: more seats than people may take.
fn short_tiny() -> (Policy, School) {
    let mut p = demo_policy();
    p.rules.max_duties_per_week = 2;
    let mut f = tiny_files();
    let text = String::from_utf8(f.enrollment.clone()).unwrap();
    f.enrollment = text.replace(",noon,0", ",noon,20").into_bytes();
    let s = school_from(&p, &f).unwrap();
    (p, s)
}

#[test]
fn a_club_shortage_names_the_club_and_its_numbers() {
    let (p, s) = two_pe_clubs();
    let (dm, plan) = plan_week(&p, &s, "2026-12-07");
    let diag = diagnose::diagnose(&p, &s, &plan);
    assert_eq!(diag.len(), 1, "{diag:?}");
    let d = &diag[0];
    // Counted here: the PE club seats of Tuesday and who may take them.
    let pe: Vec<&Duty> = dm
        .duties
        .iter()
        .filter(|d| d.qualification.as_deref() == Some("体育") && d.date == date("2026-12-08"))
        .collect();
    let needed: u32 = pe.iter().map(|d| d.staff_needed).sum();
    let may: u32 = (0..s.staff.len())
        .filter(|&i| ineligible(&p, &s, i, pe[0]).is_none())
        .count() as u32;
    assert_eq!((needed, may), (2, 1));
    assert_eq!((d.staff_needed, d.eligible, d.can_take), (needed, may, 1));
    let open = &dm.duties[plan.uncovered[0].0].group;
    let zh = d.render(&p, Lang::Zh);
    for want in [
        format!("社团「{open}」"),
        "缺 1 人".into(),
        format!("需要 {needed} 个岗位"),
        format!("能担任的 {may} 人"),
        "最多能担任 1 项".into(),
        "「体育」资质".into(),
    ] {
        assert!(zh.contains(&want), "{want}: {zh}");
    }
    assert!(!zh.contains("stage2") && !zh.contains("club"), "{zh}");
    let en = d.render(&p, Lang::En);
    assert!(
        en.contains(&format!("club 「{open}」")) && en.contains("qualified in 体育"),
        "{en}"
    );
}

#[test]
fn a_limit_shortage_states_the_balance_and_the_limit_by_its_meaning() {
    let (p, s) = short_tiny();
    let (dm, plan) = plan_week(&p, &s, "2026-12-07");
    assert!(plan.tiers[0].optimal);
    let diag = diagnose::diagnose(&p, &s, &plan);
    assert!(!diag.is_empty());
    let week_max = p.rules.max_duties_per_week;
    for d in &diag {
        let d0 = dm
            .duties
            .iter()
            .find(|x| x.date == d.date && x.kind == d.kind && x.session == d.session)
            .unwrap();
        let slot: Vec<usize> = (0..dm.duties.len())
            .filter(|&i| {
                let x = &dm.duties[i];
                x.date == d.date
                    && x.kind == d.kind
                    && x.session == d.session
                    && x.qualification == d.qualification
            })
            .collect();
        let needed: u32 = slot.iter().map(|&i| dm.duties[i].staff_needed).sum();
        let mut at_week = 0;
        let mut held = 0;
        for st in 0..s.staff.len() {
            if ineligible(&p, &s, st, d0).is_some() {
                continue;
            }
            let mine: Vec<usize> = plan
                .assignments
                .iter()
                .filter(|a| a.staff == st)
                .map(|a| a.duty)
                .collect();
            let here = mine.iter().filter(|x| slot.contains(x)).count() as u32;
            let busy = mine.iter().any(|&x| dm.duties[x].overlaps(d0));
            held += here;
            if here == 0 && !busy && mine.len() as u32 >= week_max {
                at_week += 1;
            }
        }
        let missing: u32 = plan
            .uncovered
            .iter()
            .filter(|u| slot.contains(&u.0))
            .map(|u| u.1)
            .sum();
        assert_eq!(d.staff_needed, needed);
        assert_eq!(d.holding, held);
        assert_eq!(d.staff_missing, missing);
        // Tier 1 is optimal: nobody free is left, so what they can take
        // is what is covered.
        assert_eq!(d.can_take, needed - missing, "{d:?}");
        let zh = d.render(&p, Lang::Zh);
        assert!(zh.contains(&format!("需要 {needed} 个岗位")), "{zh}");
        if at_week > 0 {
            assert!(
                zh.contains(&format!(
                    "{at_week} 人已达每周任务上限 2 项 (staff_rules.max_duties_per_week)"
                )),
                "{zh}"
            );
        }
    }
    // The week's balance, counted here: everyone who may serve can take
    // at most the weekly limit (each may serve on two days or more).
    let people: Vec<usize> = (0..s.staff.len())
        .filter(|&i| dm.duties.iter().any(|d| ineligible(&p, &s, i, d).is_none()))
        .collect();
    for &i in &people {
        let mut days: Vec<_> = dm
            .duties
            .iter()
            .filter(|d| ineligible(&p, &s, i, d).is_none())
            .map(|d| d.date)
            .collect();
        days.dedup();
        assert!(days.len() >= 2);
    }
    let needed: u32 = dm.duties.iter().map(|d| d.staff_needed).sum();
    let b = diagnose::week_balance(&p, &s, &dm);
    assert_eq!(
        (b.needed, b.people, b.can_take),
        (needed, people.len() as u32, week_max * people.len() as u32)
    );
    let lines = diagnose::open_summary(&p, &s, &plan, Lang::Zh).unwrap();
    assert!(
        lines[1].contains(&format!("全周需要 {needed} 个岗位"))
            && lines[1].contains(&format!("最多能担任 {} 项", b.can_take)),
        "{lines:?}"
    );
}

#[test]
fn patrol_and_lower_priorities_are_named_in_words() {
    let (p, s) = short_tiny();
    let (_, plan) = plan_week(&p, &s, "2026-12-07");
    let text = shortage::terminal(&p, &s, &plan, Lang::Zh);
    // No session ids, no bare TOML sections.
    for bad in ["afternoon", "stage1", "stage2", "noon:", " staff_rules("] {
        assert!(!text.contains(bad), "{bad}: {text}");
    }
    let diag = diagnose::diagnose(&p, &s, &plan);
    let normal_open = diag
        .iter()
        .any(|d| d.priority == kehou::model::policy::Priority::Normal);
    let required_open = diag
        .iter()
        .any(|d| d.priority == kehou::model::policy::Priority::Required);
    if normal_open && !required_open {
        assert!(text.contains("按优先级留空"), "{text}");
    }
    for l in text.lines() {
        assert!(kehou::outputs::table::width(l) <= 80, "{l}");
    }
}

#[test]
fn the_shortage_is_in_the_html_page_and_the_file_beside_the_roster() {
    let (p, s) = two_pe_clubs();
    let (_, plan) = plan_week(&p, &s, "2026-12-07");
    let page = html::week_html(&p, &s, &plan, Lang::Zh);
    assert!(
        page.contains("空缺岗位与原因") && page.contains("社团「"),
        "no shortage"
    );
    // From the command line: the file is written with the roster.
    let dir = tempfile::tempdir().unwrap();
    write_tiny_school(dir.path());
    let clubs = "编号,名称,星期,时段,人数,资质,所需人数,指定教师\nC1,足球,周二,stage2,20,体育,1,\nC2,篮球,周二,stage2,15,体育,1,\n";
    std::fs::write(dir.path().join("data/clubs.csv"), clubs).unwrap();
    let out = dir.path().join("out");
    let run = |out: &std::path::Path| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_kehou"))
            .arg("--policy")
            .arg(dir.path().join("policy.toml"))
            .arg("--data")
            .arg(dir.path().join("data"))
            .arg("--record")
            .arg(dir.path().join("kehou.db"))
            .args(["plan", "--week", "2026-12-07", "--quiet", "--out"])
            .arg(out)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    let said = run(&out);
    assert!(
        said.contains("社团「") && said.contains("缺 1 人"),
        "{said}"
    );
    let file = std::fs::read_to_string(out.join("shortage-2026-12-07.txt")).unwrap();
    assert!(
        file.contains("社团「") && file.contains("缺 1 人"),
        "{file}"
    );
    // Planned again with every seat fillable, the file says so.
    write_tiny_school(dir.path());
    run(&out);
    let file = std::fs::read_to_string(out.join("shortage-2026-12-07.txt")).unwrap();
    assert!(
        file.contains("每个岗位都有人") && !file.contains("社团「"),
        "{file}"
    );
}

#[test]
fn no_report_says_nan_on_several_schools() {
    let p = demo_policy();
    let demo = demo_school(&p);
    let (sp, ss) = short_tiny();
    let (cp, cs) = two_pe_clubs();
    let cases: Vec<(&Policy, &School, &str)> = vec![
        (&p, &demo, "2026-12-07"),
        (&p, &demo, "2026-09-14"),
        (&sp, &ss, "2026-12-07"),
        (&cp, &cs, "2026-12-07"),
    ];
    for (p, s, week) in cases {
        let (_, mut plan) = plan_week(p, s, week);
        // A tier left unsolved has no value, bound or gap.
        plan.tiers.push(TierReport {
            tier: "6",
            name: "preferences",
            objective: f64::NAN,
            bound: f64::NAN,
            gap: f64::INFINITY,
            optimal: false,
            seconds: 1.0,
            stopped: Some(kehou::plan::Stop::Time),
        });
        for lang in [Lang::Zh, Lang::En] {
            let texts = [
                terminal::plan_report(p, s, &plan, lang, 0.0),
                shortage::terminal(p, s, &plan, lang),
                shortage::text(p, s, &plan, lang),
                html::week_html(p, s, &plan, lang),
            ];
            for t in &texts {
                assert!(!t.contains("NaN"), "{week}: {t}");
            }
            for t in &texts[..3] {
                assert!(!t.contains("inf"), "{week}: {t}");
            }
            assert!(
                texts[0].contains(lang.t("未求解", "not solved")),
                "{}",
                texts[0]
            );
        }
    }
}
