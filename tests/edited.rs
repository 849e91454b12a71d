//! Checked publishing (issue 16): a roster file edited in Excel is checked
//! cell by cell against the week's duties and staff.csv (`edited`), and a
//! staff id kehou protected with an apostrophe reads back as itself.
//! Runs the built binary on the demo week 2026-12-07, planned once.

mod common;
use std::process::Command;
use std::sync::OnceLock;

use common::*;

const WEEK: &str = "2026-12-07";

/// The demo week planned once, its roster CSV in Chinese and in English.
struct Planned {
    _dir: tempfile::TempDir,
    zh: String,
    en: String,
}

fn planned() -> &'static Planned {
    static P: OnceLock<Planned> = OnceLock::new();
    P.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let plan = |lang: &str| {
            let out = dir.path().join(format!("out-{lang}"));
            let o = Command::new(env!("CARGO_BIN_EXE_kehou"))
                .current_dir(root())
                .args(["--lang", lang, "plan", "--week", WEEK, "--quiet"])
                .arg("--out")
                .arg(&out)
                .arg("--history")
                .arg(dir.path().join("history"))
                .output()
                .unwrap();
            assert_eq!(
                o.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
            std::fs::read_to_string(out.join(format!("roster-{WEEK}.csv"))).unwrap()
        };
        let (zh, en) = (plan("zh"), plan("en"));
        Planned { _dir: dir, zh, en }
    })
}

/// `kehou check` of the demo week on `text` saved as a file: (exit code,
/// stdout and stderr).
fn check_text(text: &str, lang: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roster.csv");
    std::fs::write(&file, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_kehou"))
        .current_dir(root())
        .args(["--lang", lang, "check", "--week", WEEK, "--roster"])
        .arg(&file)
        .output()
        .unwrap();
    let so = String::from_utf8_lossy(&o.stdout).into_owned();
    (o.status.code(), so + &String::from_utf8_lossy(&o.stderr))
}

/// A roster CSV as cells (kehou writes no quoted cells for the demo week).
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn parse(text: &str) -> Csv {
        assert!(!text.contains('"'), "the demo roster has no quoted cells");
        let mut lines = text.trim_start_matches('\u{feff}').lines();
        let split = |l: &str| l.split(',').map(str::to_string).collect::<Vec<_>>();
        let header = split(lines.next().unwrap());
        Csv {
            header,
            rows: lines.map(split).collect(),
        }
    }
    fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).expect(name)
    }
    /// Saved as Excel saves "CSV UTF-8": a BOM and CRLF line ends.
    fn text(&self) -> String {
        let mut s = String::from("\u{feff}");
        for r in std::iter::once(&self.header).chain(&self.rows) {
            s.push_str(&r.join(","));
            s.push_str("\r\n");
        }
        s
    }
    /// Every cell of column `name` rewritten by `f`.
    fn map(&mut self, name: &str, f: impl Fn(&str) -> String) {
        let c = self.col(name);
        for r in &mut self.rows {
            r[c] = f(&r[c]);
        }
    }
    /// The columns in a new order (by header name).
    fn select(&self, names: &[&str]) -> Csv {
        let cols: Vec<usize> = names.iter().map(|n| self.col(n)).collect();
        Csv {
            header: names.iter().map(|n| n.to_string()).collect(),
            rows: self
                .rows
                .iter()
                .map(|r| cols.iter().map(|&c| r[c].clone()).collect())
                .collect(),
        }
    }
}

/// The file line of data row `i` (the header is line 1).
fn line(i: usize) -> usize {
    i + 2
}

#[test]
fn each_edit_is_a_violation_naming_its_line_and_column() {
    let mut t = Csv::parse(&planned().zh);
    let (sid, name, end, date, hours, group) = (
        t.col("工号"),
        t.col("姓名"),
        t.col("结束"),
        t.col("日期"),
        t.col("小时"),
        t.col("小组"),
    );
    let staffed: Vec<usize> = (0..t.rows.len())
        .filter(|&i| !t.rows[i][sid].is_empty())
        .collect();
    let [a, b, c, d, e] = [
        staffed[3],
        staffed[40],
        staffed[80],
        staffed[120],
        staffed[160],
    ];
    // A name changed next to an unchanged staff id.
    let other = staffed
        .iter()
        .map(|&i| &t.rows[i])
        .find(|r| r[sid] != t.rows[a][sid])
        .map(|r| r[name].clone())
        .unwrap();
    t.rows[a][name] = other;
    // An end time moved, a date changed, hours changed, a group blanked.
    assert_ne!(t.rows[b][end], "17:45");
    t.rows[b][end] = "17:45".into();
    let day = chrono::NaiveDate::parse_from_str(&t.rows[c][date], "%Y-%m-%d").unwrap();
    t.rows[c][date] = (day + chrono::Days::new(1)).to_string();
    assert_ne!(t.rows[d][hours], "3.00");
    t.rows[d][hours] = "3.00".into();
    assert!(!t.rows[e][group].is_empty());
    t.rows[e][group] = String::new();

    let (code, out) = check_text(&t.text(), "zh");
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.starts_with("5 处违反规则"),
        "only the five edits: {out}"
    );
    for (i, col) in [
        (a, "姓名"),
        (b, "结束"),
        (c, "日期"),
        (d, "小时"),
        (e, "小组"),
    ] {
        let at = format!("第{} 行", line(i));
        assert!(
            out.lines().any(|l| l.contains("[edited|与任务不符]")
                && l.contains(&at)
                && l.contains(&format!("\"{col}\""))),
            "{at} {col}: {out}"
        );
    }
    let want_end = format!(
        "\"结束\" 为 17:45, 该任务为 {}",
        Csv::parse(&planned().zh).rows[b][end]
    );
    assert!(out.contains(&want_end), "{out}");
}

#[test]
fn an_edited_english_roster_is_named_in_english() {
    let mut t = Csv::parse(&planned().en);
    let (end, session) = (t.col("end"), t.col("session"));
    t.rows[7][end] = "17:45".into();
    let to = if t.rows[9][session] == "noon care" {
        "morning care"
    } else {
        "noon care"
    };
    t.rows[9][session] = to.into();
    let (code, out) = check_text(&t.text(), "en");
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!("line {} ", line(7))) && out.contains("\"end\" is 17:45"),
        "{out}"
    );
    assert!(
        out.contains(&format!("line {} ", line(9)))
            && out.contains(&format!("\"session\" is {to}")),
        "{out}"
    );
    assert!(out.contains("[edited|differs from the duty]"), "{out}");
}

#[test]
fn untouched_rosters_in_either_language_pass() {
    for (text, lang) in [
        (&planned().zh, "zh"),
        (&planned().en, "zh"),
        (&planned().zh, "en"),
    ] {
        let (code, out) = check_text(text, lang);
        assert_eq!(code, Some(0), "{out}");
    }
}

#[test]
fn a_roster_saved_by_excel_passes() {
    // Excel (zh-CN) writes dates as 2026/12/8, drops trailing zeros of
    // numbers, writes 7:20 for 07:20; a cell may keep a stray space.
    let mut t = Csv::parse(&planned().zh);
    t.map("日期", |d| {
        let d = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        d.format("%Y/%-m/%-d").to_string()
    });
    t.map("小时", |h| {
        h.trim_end_matches('0').trim_end_matches('.').to_string()
    });
    t.map("开始", |s| s.trim_start_matches('0').to_string());
    t.map("结束", |s| format!("{s}:00"));
    t.map("姓名", |n| format!(" {n} "));
    let text = t.text();
    assert!(
        text.contains("2026/12/8,") && text.contains(",7:20,"),
        "the edits took"
    );
    let (code, out) = check_text(&text, "zh");
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn a_seat_left_open_by_emptying_its_staff_id_passes() {
    let mut t = Csv::parse(&planned().zh);
    let (sid, duty) = (t.col("工号"), t.col("任务"));
    let i = (0..t.rows.len())
        .find(|&i| t.rows[i][duty] == "作业辅导" && !t.rows[i][sid].is_empty())
        .unwrap();
    // The name is left as it was: an open seat has no name to compare.
    t.rows[i][sid] = String::new();
    let (code, out) = check_text(&t.text(), "zh");
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn reordered_or_trimmed_columns_pass() {
    let t = Csv::parse(&planned().zh);
    let mut reversed: Vec<&str> = t.header.iter().map(String::as_str).collect();
    reversed.reverse();
    let (code, out) = check_text(&t.select(&reversed).text(), "zh");
    assert_eq!(code, Some(0), "reordered: {out}");
    // An older or trimmed file: the columns it lacks are not compared.
    let trimmed = t.select(&["任务编号", "工号", "开始", "结束"]);
    let (code, out) = check_text(&trimmed.text(), "zh");
    assert_eq!(code, Some(0), "trimmed: {out}");
    let mut moved = trimmed;
    moved.map("结束", |_| "23:00".into());
    let (code, out) = check_text(&moved.text(), "zh");
    assert_eq!(code, Some(1), "a kept column is still compared: {out}");
}

#[test]
fn staff_ids_that_look_like_formulas_read_back_as_themselves() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_school(dir.path());
    let ids = ["=A1", "-7", "@x", "+86"];
    let staff = std::fs::read_to_string(dir.path().join("data/staff.csv")).unwrap();
    let staff = ["T1", "T2", "T3", "T4"]
        .iter()
        .zip(ids)
        .fold(staff, |s, (t, id)| {
            s.replace(&format!("\n{t},"), &format!("\n{id},"))
        });
    std::fs::write(dir.path().join("data/staff.csv"), staff).unwrap();
    let school = |cmd: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_kehou"))
            .args(cmd)
            .arg("--policy")
            .arg(dir.path().join("policy.toml"))
            .arg("--data")
            .arg(dir.path().join("data"))
            .arg("--history")
            .arg(dir.path().join("history"))
            .arg("--record")
            .arg(dir.path().join("kehou.db"))
            .output()
            .unwrap();
        let all =
            String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
        (o.status.code(), all)
    };
    let out = dir.path().join("out");
    let (code, so) = school(&[
        "plan",
        "--week",
        WEEK,
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{so}");
    let file = out.join(format!("roster-{WEEK}.csv"));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains(",'=A1,") && text.contains(",'+86,"),
        "written protected: {text}"
    );
    let rows = kehou::roster::read(&file).unwrap();
    for id in ids {
        assert!(
            rows.iter().any(|r| r.staff_id.as_deref() == Some(id)),
            "{id} reads back: {rows:?}"
        );
    }
    assert!(rows
        .iter()
        .all(|r| !r.staff_id.as_deref().unwrap_or("").starts_with('\'')));
    let (code, so) = school(&["check", "--week", WEEK, "--roster", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{so}");
    let (code, so) = school(&[
        "publish",
        "--week",
        WEEK,
        "--roster",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{so}");
}
