#![allow(dead_code)]
//! Shared test helpers: the demo policy and small hand-written schools.

use std::path::{Path, PathBuf};

use kehou::input;
use kehou::input::school::Files;
use kehou::model::policy::Policy;
use kehou::model::school::School;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn demo_policy() -> Policy {
    input::policy::load(&root().join("policies/demo.toml")).expect("demo policy loads")
}

pub fn demo_school(p: &Policy) -> School {
    input::school::load(&root().join("datasets/demo"), p).expect("demo data loads")
}

pub fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// A tiny school: two grade-1 classes and one grade-3 class, six staff.
pub fn tiny_files() -> Files {
    Files {
        classes: "班级编号,班级,年级,人数\n1-1,一(1)班,1,40\n1-2,一(2)班,1,42\n3-1,三(1)班,3,45\n"
            .into(),
        staff: "工号,姓名,角色,学科,资质,班主任班级,工作量系数,豁免,参与\n\
                T1,王静,班主任,语文,,1-1,,,是\n\
                T2,李强,班主任,数学,,1-2,,,是\n\
                T3,张敏,班主任,语文,,3-1,,,是\n\
                T4,刘伟,任课教师,体育,体育,,,,是\n\
                T5,陈芳,任课教师,音乐,音乐,,,pregnant,是\n\
                T6,杨军,行政,数学,,,,,是\n"
            .into(),
        enrollment: {
            let mut s = String::from("班级,星期,时段,人数\n");
            for c in ["1-1", "1-2", "3-1"] {
                for d in ["周一", "周二", "周三", "周四", "周五"] {
                    s.push_str(&format!("{c},{d},stage1,30\n{c},{d},stage2,10\n{c},{d},noon,0\n{c},{d},morning,0\n{c},{d},late,0\n"));
                }
            }
            s.into_bytes()
        },
        clubs: Some(
            "编号,名称,星期,时段,人数,资质,所需人数,指定教师\nC1,足球,周二,stage2,20,体育,1,\n"
                .into(),
        ),
        leave: None,
        served: None,
    }
}

pub fn school_from(p: &Policy, f: &Files) -> kehou::Result<School> {
    input::school::from_files(Path::new("tiny"), p, f)
}

/// Write the demo policy, its calendar and the tiny school into `dir`
/// (policy.toml, calendar/, data/), for tests that run from files.
pub fn write_tiny_school(dir: &Path) {
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::create_dir_all(dir.join("calendar")).unwrap();
    std::fs::copy(root().join("policies/demo.toml"), dir.join("policy.toml")).unwrap();
    std::fs::copy(
        root().join("policies/calendar/cn-2026.toml"),
        dir.join("calendar/cn-2026.toml"),
    )
    .unwrap();
    let f = tiny_files();
    std::fs::write(dir.join("data/staff.csv"), &f.staff).unwrap();
    std::fs::write(dir.join("data/classes.csv"), &f.classes).unwrap();
    std::fs::write(dir.join("data/enrollment.csv"), &f.enrollment).unwrap();
    std::fs::write(dir.join("data/clubs.csv"), f.clubs.unwrap()).unwrap();
}

/// `text` with what may stay in either language taken out: quoted input
/// ("…", 「…」, “…”), backticked fields and key paths, file names and
/// paths, and `--options`.
pub fn unquoted(text: &str) -> String {
    let mut out = String::new();
    let mut close: Option<char> = None;
    for c in text.chars() {
        match close {
            Some(end) if c == end => close = None,
            Some(_) => {}
            None => match c {
                '"' => close = Some('"'),
                '`' => close = Some('`'),
                '「' => close = Some('」'),
                '“' => close = Some('”'),
                _ => out.push(c),
            },
        }
    }
    out.split_whitespace()
        .filter(|w| !(w.starts_with("--") || w.starts_with('/') || inner_dot(w)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A file name or a key path: a dot between two letters or digits
/// (`staff.csv`, `docs/data.md`, `seasons[0].cutoff`), not a full stop.
fn inner_dot(w: &str) -> bool {
    let c: Vec<char> = w.chars().collect();
    c.windows(3)
        .any(|t| t[1] == '.' && t[2].is_ascii_alphanumeric() && t[0] != '.')
}

/// Names of formats and programs a Chinese message may use as they are.
const PROPER: &[&str] = &[
    "CSV", "TOML", "UTF", "GBK", "Excel", "WPS", "MiB", "KiB", "HTML", "SQLite",
];

/// The first English word (three or more ASCII letters in a row, outside
/// quotes, fields, file names and the names of formats) in a Chinese text.
pub fn english_in(zh: &str) -> Option<String> {
    let text = unquoted(zh);
    let mut word = String::new();
    // A word with digits or `_` is an id or a key (T99, stage1, max_duties).
    let mut id = false;
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            id |= c.is_ascii_digit() || c == '_';
            word.push(c);
            continue;
        }
        let letters = word.chars().filter(|c| c.is_ascii_alphabetic()).count();
        if !id && letters >= 3 && !PROPER.contains(&word.as_str()) {
            return Some(word);
        }
        word.clear();
        id = false;
    }
    None
}

/// The first Chinese character outside quotes and fields in an English text.
pub fn chinese_in(en: &str) -> Option<char> {
    unquoted(en)
        .chars()
        .find(|c| ('\u{3000}'..='\u{9fff}').contains(c) || ('\u{ff00}'..='\u{ffef}').contains(c))
}

/// What is wrong when `zh` is not all Chinese or `en` not all English.
pub fn two_languages(what: &str, zh: &str, en: &str) -> Option<String> {
    if let Some(w) = english_in(zh) {
        return Some(format!(
            "{what}: English word {w:?} in the Chinese text:\n{zh}"
        ));
    }
    chinese_in(en).map(|c| format!("{what}: Chinese {c:?} in the English text:\n{en}"))
}

/// Asserts that `zh` is Chinese and `en` English, one language each.
pub fn assert_one_language(what: &str, zh: &str, en: &str) {
    if let Some(why) = two_languages(what, zh, en) {
        panic!("{why}");
    }
}

/// The fair staff's average relative load in a plan's roster: their
/// term-to-date and week loads over their quotas, recomputed from the
/// assignments.
pub fn own_average(
    s: &kehou::model::school::School,
    dm: &kehou::demand::WeekDemand,
    plan: &kehou::plan::Plan,
) -> f64 {
    use kehou::model::school::LOAD_PER_HOUR;
    let fair: Vec<usize> = (0..s.staff.len())
        .filter(|&i| kehou::plan::is_fair(&s.staff[i]) && !plan.stats.away.contains(&i))
        .collect();
    let mut load = vec![0i64; s.staff.len()];
    for a in &plan.assignments {
        load[a.staff] += dm.duties[a.duty].load();
    }
    let total: i64 = fair
        .iter()
        .map(|&i| load[i] + s.served.get(&i).copied().unwrap_or(0))
        .sum();
    let quota: f64 = fair.iter().map(|&i| s.staff[i].quota.as_f64()).sum();
    total as f64 / LOAD_PER_HOUR as f64 / quota
}

/// The demo week of 2026-12-07 as planned, and its workload as if served.
pub fn demo_week_workload(p: &Policy, s: &School) -> Vec<kehou::ledger::WorkloadRow> {
    let dm = kehou::demand::week(p, s, date("2026-12-07"));
    let plan = kehou::plan::plan(p, s, &dm, &kehou::plan::Options::from_policy(p)).unwrap();
    let served: Vec<kehou::ledger::Served> = plan
        .assignments
        .iter()
        .map(|a| kehou::ledger::Served {
            duty: dm.duties[a.duty].clone(),
            staff: a.staff,
        })
        .collect();
    kehou::ledger::workload(p, s, &served)
}
