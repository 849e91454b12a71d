//! The what-if study's library parts (issue 19, item 5): the scenario
//! file written and read back as the same study, a mistake named by line
//! and field, and the comparison with the baseline as data.

mod common;
use common::*;
use kehou::lang::Lang;
use kehou::studies::compare;
use kehou::studies::scenario_file::{self, ScenarioFile};
use kehou::studies::whatif::{self, ScenarioSpec};
use std::path::Path;

/// Every change type, with the optional fields both given and left out.
const ALL_CHANGES: &str = r#"
[baseline]
policy = "policy.toml"
data = "data"
weeks = [2026-12-07, 2026-12-14]

[[scenario]]
name = "全部变化 \"引号\""
changes = [
  { type = "leave", staff = ["T1", "T2"], from = 2026-12-01, to = 2027-01-22 },
  { type = "leaves", staff = ["T3"] },
  { type = "hire", count = 2, role = "subject", subject = "语文", qualifications = ["体育", "音乐"] },
  { type = "hire", count = 1, role = "admin" },
  { type = "enrollment", grade = 1, percent = 15 },
  { type = "enrollment", class = "1-1", pupils = -3 },
  { type = "add_club", id = "C99", name = "篮球二队", weekdays = ["周二", "周四"], session = "stage2", pupils = 20, qualification = "体育" },
  { type = "add_club", id = "C98", name = "合唱", weekdays = ["周一"], session = "stage2", pupils = 12 },
  { type = "remove_club", id = "C01" },
  { type = "cutoff", time = "17:30" },
  { type = "set", key = "staff_rules.max_duties_per_week", value = 6 },
  { type = "set", key = "pay.rate_per_keshi", value = 60.5 },
  { type = "set", key = "x.y", value = "文字" },
]

[[scenario]]
name = "空"
"#;

fn parse(text: &str) -> ScenarioFile {
    scenario_file::parse(Path::new("study.toml"), text).expect("a good file")
}

#[test]
fn a_written_scenario_file_reads_back_as_the_same_study() {
    let f = parse(ALL_CHANGES);
    assert_eq!(f.scenarios.len(), 2);
    assert_eq!(f.scenarios[0].changes.len(), 13);
    let text = scenario_file::write(&f);
    let back = parse(&text);
    assert_eq!(back, f, "{text}");
    // Writing is deterministic: the same study, the same bytes.
    assert_eq!(scenario_file::write(&back), text);
    // The shipped study too.
    let shipped =
        std::fs::read_to_string(root().join("policies/scenarios.toml")).expect("scenarios.toml");
    let f = parse(&shipped);
    assert_eq!(parse(&scenario_file::write(&f)), f);
}

#[test]
fn a_bad_scenario_file_names_the_line_and_the_field() {
    let bad = ALL_CHANGES.replace("pupils = 20,", "pupils = \"many\",");
    let e = scenario_file::parse(Path::new("study.toml"), &bad).unwrap_err();
    let zh = e.render(Lang::Zh);
    let line = bad.lines().position(|l| l.contains("many")).unwrap() + 1;
    assert!(zh.contains(&format!("study.toml:{line}")), "{zh}");
    assert!(zh.contains("changes[6].pupils"), "{zh}");
    let unknown = ALL_CHANGES.replace("type = \"cutoff\", time", "type = \"cutoff\", tiem");
    let en = scenario_file::parse(Path::new("study.toml"), &unknown)
        .unwrap_err()
        .render(Lang::En);
    let line = unknown.lines().position(|l| l.contains("tiem")).unwrap() + 1;
    assert!(en.contains(&format!("study.toml:{line}")), "{en}");
    assert!(en.contains("tiem"), "{en}");
    let week = ALL_CHANGES.replace("2026-12-14]", "08:00:00]");
    let en = scenario_file::parse(Path::new("study.toml"), &week)
        .unwrap_err()
        .render(Lang::En);
    assert!(en.contains("weeks"), "{en}");
}

/// The tiny school's study with the given scenarios, run.
fn run(
    scenarios: Vec<ScenarioSpec>,
) -> (
    tempfile::TempDir,
    Vec<(String, kehou::error::Result<compare::Outcome>)>,
) {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_school(dir.path());
    let mut study = whatif::Study::new(
        &dir.path().join("policy.toml"),
        &dir.path().join("data"),
        vec![chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()],
    )
    .unwrap();
    study.scenarios = scenarios;
    let res = whatif::run(&study, false, Some(600.0));
    (dir, res)
}

fn spec(name: &str, toml_changes: &str) -> ScenarioSpec {
    let text = format!(
        "[baseline]\npolicy = \"p\"\ndata = \"d\"\nweeks = [2026-12-07]\n[[scenario]]\nname = \"{name}\"\nchanges = [{toml_changes}]\n"
    );
    parse(&text).scenarios.remove(0)
}

#[test]
fn a_hire_keeps_or_lowers_the_top_load_and_leave_changes_assignments() {
    let (_dir, res) = run(vec![
        spec("hire", r#"{ type = "hire", count = 1, role = "subject" }"#),
        spec(
            "leave",
            r#"{ type = "leave", staff = ["T1"], from = 2026-12-07, to = 2026-12-13 }"#,
        ),
    ]);
    let get = |n: &str| res.iter().find(|r| r.0 == n).unwrap().1.as_ref().unwrap();
    let (base, hire, leave) = (get("baseline"), get("hire"), get("leave"));
    assert!(
        hire.max_rel <= base.max_rel + 1e-9,
        "one more person: top load {} over the baseline's {}",
        hire.max_rel,
        base.max_rel
    );
    assert!(
        base.pairs.iter().any(|(_, s)| s == "T1"),
        "T1 serves in the baseline"
    );
    assert!(leave.pairs.iter().all(|(_, s)| s != "T1"));
    assert!(leave.changed > 0, "T1's duties went to others");
    assert_eq!(base.changed, 0);
    // The comparison as data: a row per measure, a value per outcome.
    let m = compare::metrics(&[Some(base), Some(hire), None]);
    let row = |k: &str| m.iter().find(|r| r.key == k).unwrap();
    assert_eq!(
        row("max_rel").values,
        vec![Some(base.max_rel), Some(hire.max_rel), None]
    );
    assert_eq!(row("changed").values[2], None);
    assert_eq!(row("spread").values[0], Some(base.max_rel - base.min_rel));
    assert_eq!(row("cost").values[0], Some(base.cost.0 as f64 / 100.0));
    // Coverage per day adds up to the assignments and the open seats.
    for o in [base, hire, leave] {
        let covered: u32 = o.days.iter().map(|d| d.covered_total()).sum();
        let open: u32 = o.days.iter().map(|d| d.open_total()).sum();
        assert_eq!(covered as usize, o.pairs.len(), "{}", o.name);
        assert_eq!(open, o.uncovered);
        assert_eq!(o.uncovered_by.iter().sum::<u32>(), o.uncovered);
        assert!(o.days.windows(2).all(|w| w[0].date < w[1].date));
    }
}

#[test]
fn a_study_counts_the_records_approvals_unless_a_scenario_changes_that_class() {
    use chrono::Weekday::Mon;
    let dir = tempfile::tempdir().unwrap();
    write_tiny_school(dir.path());
    let mut study = whatif::Study::new(
        &dir.path().join("policy.toml"),
        &dir.path().join("data"),
        vec![date("2026-12-07")],
    )
    .unwrap();
    study.attends = vec![kehou::model::school::Attends {
        pupil: 1,
        class: "1-1".into(),
        weekdays: vec![Mon],
        sessions: vec!["stage1".into()],
        from: date("2026-12-01"),
        until: None,
    }];
    let (_, s) = whatif::prepare(&study, &spec("same", "")).unwrap();
    assert_eq!(s.attends, study.attends);
    let change = r#"{ type = "enrollment", class = "1-1", pupils = -3 }"#;
    let (_, s) = whatif::prepare(&study, &spec("fewer", change)).unwrap();
    assert!(s.attends.is_empty(), "{:?}", s.attends);
}
