//! The catalogue of bad inputs. Each case runs `kehou plan` on a copy of a
//! small school with one mistake; it must exit non-zero, name the file (with
//! line where there is one) and the field, and write nothing.

mod common;
use std::path::Path;
use std::process::Command;

use common::*;

struct Case {
    name: &'static str,
    file: &'static str,
    edit: fn(&str) -> String,
    expect: &'static [&'static str],
}

fn rep(from: &'static str, to: &'static str) -> impl Fn(&str) -> String {
    move |s: &str| {
        assert!(s.contains(from), "case precondition: {from:?} in file");
        s.replacen(from, to, 1)
    }
}

fn setup(dir: &Path) {
    write_tiny_school(dir);
    std::fs::write(
        dir.join("data/leave.csv"),
        "工号,开始日期,结束日期,时段,类型,原因\nT1,2026-12-08,2026-12-08,,请假,病假\n",
    )
    .unwrap();
    std::fs::write(dir.join("data/served.csv"), "工号,已服务负荷\nT1,3.5\n").unwrap();
}

fn run_plan(dir: &Path) -> std::process::Output {
    run_plan_in(dir, "en")
}

fn run_plan_in(dir: &Path, lang: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kehou"))
        .args(["plan", "--week", "2026-12-07", "--quiet", "--lang", lang])
        .arg("--policy")
        .arg(dir.join("policy.toml"))
        .arg("--data")
        .arg(dir.join("data"))
        .arg("--out")
        .arg(dir.join("out"))
        .arg("--history")
        .arg(dir.join("history"))
        .arg("--record")
        .arg(dir.join("kehou.db"))
        .output()
        .unwrap()
}

macro_rules! case {
    ($name:expr, $file:expr, $from:expr => $to:expr, [$($e:expr),*]) => {
        Case { name: $name, file: $file, edit: |s| rep($from, $to)(s), expect: &[$($e),*] }
    };
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "empty policy",
            file: "policy.toml",
            edit: |_| String::new(),
            expect: &["policy.toml", "empty"],
        },
        Case {
            name: "malformed TOML",
            file: "policy.toml",
            edit: |s| format!("[school\n{s}"),
            expect: &["policy.toml:1"],
        },
        case!("unknown key typo", "policy.toml", "cutoff = \"17:00\"" => "cuttoff = \"17:00\"\ncutoff = \"17:00\"", ["policy.toml:", "cuttoff"]),
        case!("wrong type", "policy.toml", "max_duties_per_day = 2" => "max_duties_per_day = \"two\"", ["policy.toml:", "max_duties_per_day"]),
        case!("missing table", "policy.toml", "[pay]" => "[payy]", ["policy.toml", "pay"]),
        case!("bad time", "policy.toml", "work_end = \"17:00\"" => "work_end = \"25:00\"", ["policy.toml:", "school.work_end"]),
        case!("session ends before start", "policy.toml", "noon = { start = \"11:50\", end = \"13:10\" }" => "noon = { start = \"11:50\", end = \"11:10\" }", ["seasons[0].times.noon.end"]),
        case!("afternoon past cutoff", "policy.toml", "stage1 = { start = \"15:40\", end = \"16:20\" }" => "stage1 = { start = \"15:40\", end = \"17:40\" }", ["after the cutoff"]),
        case!("overlapping seasons", "policy.toml", "from = \"05-01\"" => "from = \"04-15\"", ["overlaps"]),
        case!("season gap", "policy.toml", "to = \"04-30\"" => "to = \"04-20\"", ["no season covers"]),
        case!("make-up on a weekday", "policy.toml", "{ date = 2026-10-10, follows = \"thu\" }" => "{ date = 2026-10-13, follows = \"thu\" }", ["calendar.makeup_days[0].date", "Saturday or Sunday"]),
        case!("make-up follows a weekend", "policy.toml", "{ date = 2026-10-10, follows = \"thu\" }" => "{ date = 2026-10-10, follows = \"sat\" }", ["follows"]),
        case!("duplicate duty kind", "policy.toml", "id = \"care\"" => "id = \"homework\"", ["duty_kinds[3].id", "duplicate"]),
        case!("unknown session in duty kind", "policy.toml", "session = \"stage1\"\nsource" => "session = \"stage9\"\nsource", ["duty_kinds[2].session"]),
        case!("unknown ledger", "policy.toml", "ledger = \"care\"" => "ledger = \"other\"", ["ledger"]),
        case!("unknown role", "policy.toml", "roles = [\"admin\"]" => "roles = [\"janitor\"]", ["roles[0]"]),
        case!("group max below min", "policy.toml", "grouping = { merge = \"band\", min = 20, max = 40 }" => "grouping = { merge = \"band\", min = 20, max = 10 }", ["grouping.max"]),
        case!("negative quota", "policy.toml", "admin = 0.8" => "admin = -0.8", ["default_quota"]),
        case!("negative pay rate", "policy.toml", "rate_per_keshi = 50.0" => "rate_per_keshi = -50.0", ["pay.rate_per_keshi"]),
        case!("missing national calendar", "policy.toml", "calendar/cn-2026.toml" => "calendar/cn-2099.toml", ["calendar.national[0]", "cannot be read"]),
        case!("term ends before it starts", "policy.toml", "end = 2027-01-22" => "end = 2026-08-22", ["calendar.terms[1].end"]),
        case!("grade in two bands", "policy.toml", "grades = [3, 4, 5, 6]" => "grades = [2, 3, 4, 5, 6]", ["grade_bands[1].grades[0]"]),
        case!("unknown merge scope", "policy.toml", "merge = \"school\"" => "merge = \"city\"", ["grouping.merge"]),
        case!("bad weekday", "policy.toml", "weekdays = [\"thu\"]" => "weekdays = [\"周八\"]", ["service_blackouts[0].weekdays[0]"]),
        case!("bad exemption time", "policy.toml", "no_end_after = \"work_end\"" => "no_end_after = \"5pm\"", ["exemptions[0].no_end_after"]),
        case!("staff: missing column", "data/staff.csv", "工号,姓名,角色," => "工号,姓名,岗位x,", ["staff.csv", "role"]),
        case!("staff: duplicate id", "data/staff.csv", "T2,李强" => "T1,李强", ["staff.csv:3", "duplicate staff id"]),
        case!("staff: unknown role", "data/staff.csv", "T4,刘伟,任课教师" => "T4,刘伟,校长", ["staff.csv:5", "`角色`"]),
        case!("staff: dangling homeroom class", "data/staff.csv", ",1-2," => ",9-9,", ["staff.csv:3", "`班主任班级`"]),
        case!("staff: negative quota", "data/staff.csv", "T4,刘伟,任课教师,体育,体育,," => "T4,刘伟,任课教师,体育,体育,,-1", ["staff.csv:5", "`工作量系数`"]),
        case!("staff: unknown exemption", "data/staff.csv", ",pregnant," => ",maternity,", ["staff.csv:6", "exemption"]),
        case!("staff: bad yes/no", "data/staff.csv", "杨军,行政,数学,,,,,是" => "杨军,行政,数学,,,,,也许", ["staff.csv:7", "`参与`"]),
        case!("staff: cells beyond header", "data/staff.csv", "T6,杨军,行政,数学,,,,,是" => "T6,杨军,行政,数学,,,,,是,多余", ["staff.csv:7", "beyond the header"]),
        case!("classes: grade 0", "data/classes.csv", "3-1,三(1)班,3,45" => "3-1,三(1)班,0,45", ["classes.csv:4", "grade"]),
        case!("classes: pupils not a number", "data/classes.csv", "1-1,一(1)班,1,40" => "1-1,一(1)班,1,四十", ["classes.csv:2", "`人数`"]),
        case!("classes: duplicate id", "data/classes.csv", "1-2,一(2)班" => "1-1,一(2)班", ["classes.csv:3", "duplicate class id"]),
        case!("classes: grade in no band", "data/classes.csv", "3-1,三(1)班,3,45" => "3-1,三(1)班,9,45", ["classes.csv:4", "grade band"]),
        case!("enrollment: unknown class", "data/enrollment.csv", "1-1,周一,stage1,30" => "7-7,周一,stage1,30", ["enrollment.csv:2", "class"]),
        case!("enrollment: bad weekday", "data/enrollment.csv", "1-1,周一,stage1,30" => "1-1,周八,stage1,30", ["enrollment.csv:2", "weekday"]),
        case!("enrollment: more than the class", "data/enrollment.csv", "1-1,周一,stage1,30" => "1-1,周一,stage1,41", ["enrollment.csv:2", "pupils"]),
        case!("enrollment: duplicate row", "data/enrollment.csv", "1-1,周一,stage2,10" => "1-1,周一,stage1,10", ["enrollment.csv:3", "second row"]),
        case!("enrollment: unknown session", "data/enrollment.csv", "1-1,周一,stage1,30" => "1-1,周一,evening,30", ["enrollment.csv:2", "`时段`"]),
        case!("clubs: unknown instructor", "data/clubs.csv", "20,体育,1," => "20,体育,1,T99", ["clubs.csv:2", "`指定教师`"]),
        case!("clubs: session without clubs", "data/clubs.csv", ",stage2," => ",stage1,", ["clubs.csv:2", "session"]),
        case!("leave: unknown staff", "data/leave.csv", "T1,2026" => "T77,2026", ["leave.csv:2", "staff"]),
        case!("leave: ends before it starts", "data/leave.csv", "2026-12-08,2026-12-08" => "2026-12-08,2026-12-01", ["leave.csv:2", "`结束日期`"]),
        case!("leave: bad date", "data/leave.csv", "2026-12-08,2026-12-08" => "明天,2026-12-08", ["leave.csv:2", "from"]),
        case!("served: negative hours", "data/served.csv", "T1,3.5" => "T1,-3.5", ["served.csv:2", "hours"]),
        // Limits and hostile input (issue #21): each names the file, line and
        // field (a CSV column by the header the file writes).
        case!("time limit infinite", "policy.toml", "time_limit_s = 60 " => "time_limit_s = inf ", ["policy.toml:262", "solver.time_limit_s", "found inf", "at most 86400"]),
        case!("time limit 1e300", "policy.toml", "time_limit_s = 60 " => "time_limit_s = 1e300 ", ["policy.toml:262", "solver.time_limit_s", "found 1e300"]),
        case!("pay rate 1e300", "policy.toml", "rate_per_keshi = 50.0" => "rate_per_keshi = 1e300", ["policy.toml:", "pay.rate_per_keshi", "from 0 to 10000"]),
        case!("weight beyond bound", "policy.toml", "weight = 1.2" => "weight = 99999.5", ["policy.toml:", "duty_kinds[", "weight", "from 0 to 10000"]),
        case!("quota 1e300", "policy.toml", "admin = 0.8" => "admin = 1e300", ["policy.toml:", "default_quota", "from 0 to 10000"]),
        case!("term date out of range", "policy.toml", "start = 2026-09-01" => "start = 1900-09-01", ["policy.toml:", "calendar.terms[1].start", "2000-01-01 to 2100-12-31"]),
        case!("holiday date out of range", "calendar/cn-2026.toml", "from = 2026-10-01" => "from = 9999-10-01", ["cn-2026.toml:", "holidays[6]", "2000-01-01 to 2100-12-31"]),
        case!("national year out of range", "calendar/cn-2026.toml", "year = 2026" => "year = 262142", ["cn-2026.toml:", "year", "from 2000 to 2100"]),
        case!("school name with ESC", "policy.toml", "name = \"示范小学\"" => "name = \"示范\\u001b[2J小学\"", ["policy.toml:6", "school.name", "U+001B"]),
        case!("session label with RLO", "policy.toml", "label = \"早间看护\"" => "label = \"早间\\u202E看护\"", ["policy.toml:", "sessions[0].label", "U+202E"]),
        case!("season id with NUL", "policy.toml", "id = \"winter\"" => "id = \"win\\u0000ter\"", ["policy.toml:", "seasons[0].id", "U+0000"]),
        case!("holiday name with a newline", "calendar/cn-2026.toml", "name = \"国庆节\"" => "name = \"国庆\\n节\"", ["cn-2026.toml:", "holidays[6].name", "U+000A"]),
        case!("staff: name with ESC", "data/staff.csv", "T2,李强" => "T2,李\u{1b}[2J强", ["staff.csv:3", "`姓名`", "U+001B"]),
        case!("staff: id with a bidi isolate", "data/staff.csv", "T4,刘伟" => "T\u{2067}4,刘伟", ["staff.csv:5", "`工号`", "U+2067"]),
        case!("staff: newline inside a name", "data/staff.csv", "T2,李强" => "T2,\"李\n强\"", ["staff.csv:3", "`姓名`", "U+000A"]),
        case!("classes: name with RLO", "data/classes.csv", "1-2,一(2)班" => "1-2,一(2)\u{202E}班", ["classes.csv:3", "`班级`", "U+202E"]),
        case!("clubs: name with NUL", "data/clubs.csv", "C1,足球" => "C1,足\0球", ["clubs.csv:2", "`名称`", "U+0000"]),
        case!("leave: reason with ESC", "data/leave.csv", "请假,病假" => "请假,病\u{1b}]0;x\u{7}假", ["leave.csv:2", "`原因`", "U+001B"]),
        case!("served: hours near i64::MAX", "data/served.csv", "T1,3.5" => "T1,92233720368547758.07", ["served.csv:2", "hours", "from 0 to 5000"]),
        case!("leave: date out of range", "data/leave.csv", "2026-12-08,2026-12-08" => "2999-12-08,2999-12-08", ["leave.csv:2", "`开始日期`", "2000-01-01 to 2100-12-31"]),
        Case {
            name: "staff: id longer than 200 characters",
            file: "data/staff.csv",
            edit: |s| s.replacen("T6,杨军", &format!("{},杨军", "T".repeat(201)), 1),
            expect: &["staff.csv:7", "`工号`", "201 characters", "at most 200"],
        },
        Case {
            name: "leave: cell longer than 1000 characters",
            file: "data/leave.csv",
            edit: |s| s.replacen("请假,病假", &format!("请假,{}", "病".repeat(1001)), 1),
            expect: &["leave.csv:2", "`原因`", "1001 characters", "at most 1000"],
        },
        Case {
            name: "enrollment: 25 million columns",
            file: "data/enrollment.csv",
            edit: |s| {
                s.replacen(
                    "班级,星期,时段,人数",
                    &format!("班级,星期,时段,人数{}", ",".repeat(25_000_000)),
                    1,
                )
            },
            expect: &[
                "enrollment.csv:1",
                "25000004 columns",
                "at most 256 columns",
            ],
        },
        Case {
            name: "staff: a row wider than any table",
            file: "data/staff.csv",
            edit: |s| s.replacen("T2,李强", &format!("T2,李强{}", ",x".repeat(300)), 1),
            expect: &["staff.csv:3", "columns", "at most 256 columns"],
        },
        Case {
            name: "leave: more than 100000 rows",
            file: "data/leave.csv",
            edit: |s| s.to_string() + &"T1,2026-12-09,2026-12-09,,意愿,\n".repeat(100_000),
            expect: &["leave.csv:100002", "at most 100000 rows"],
        },
        Case {
            name: "classes: far more classes than any school",
            file: "data/classes.csv",
            edit: |s| {
                s.to_string()
                    + &(0..1200)
                        .map(|i| format!("c{i},班{i},1,40\n"))
                        .collect::<String>()
            },
            expect: &["classes.csv", "1203 classes, more than 1000"],
        },
        Case {
            name: "staff: empty file",
            file: "data/staff.csv",
            edit: |_| String::new(),
            expect: &["staff.csv", "empty"],
        },
        Case {
            name: "classes: not text",
            file: "data/classes.csv",
            edit: |_| String::from_utf8_lossy(&[0xff, 0xfe, 0xfd, 0x00, 0x81]).into_owned(),
            expect: &["classes.csv"],
        },
        // Messages that help (issue 17): one message per mistake, a hint
        // where a guess would be wrong.
        case!("classes: pupils with a fraction", "data/classes.csv", "3-1,三(1)班,3,45" => "3-1,三(1)班,3,45.5", ["classes.csv:4", "`人数`", "not a whole number"]),
        case!("leave: a date with a time of day", "data/leave.csv", "2026-12-08,2026-12-08" => "2026/12/8 8:30,2026-12-08", ["leave.csv:2", "`开始日期`"]),
        case!("enrollment: 下午 names several keys", "data/enrollment.csv", "1-1,周一,stage1,30" => "1-1,周一,下午,30", ["enrollment.csv:2", "`时段`", "下午"]),
        case!("policy: missing comma in an array", "policy.toml", "grades = [1, 2]" => "grades = [1 2]", ["policy.toml:35", "must be quoted"]),
        case!("policy: bad cutoff", "policy.toml", "cutoff = \"17:00\"" => "cutoff = \"17点\"", ["policy.toml:", "seasons[0].cutoff", "17点"]),
        Case {
            name: "classes: semicolon-separated",
            file: "data/classes.csv",
            edit: |s| s.replace(',', ";"),
            expect: &["classes.csv:1", "separated by semicolons", "Save As"],
        },
        Case {
            name: "classes: a broken workbook under a .csv name",
            file: "data/classes.csv",
            edit: |_| "PK\u{3}\u{4}not really a zip".to_string(),
            expect: &[
                "classes.csv",
                "an Excel workbook that cannot be read",
                "Save As",
            ],
        },
        Case {
            name: "staff: header only",
            file: "data/staff.csv",
            edit: |s| s.lines().next().unwrap_or("").to_string() + "\n",
            expect: &["staff.csv", "no staff", "at least one person"],
        },
    ]
}

#[test]
fn every_bad_input_is_reported_and_nothing_is_written() {
    let all = cases();
    assert!(all.len() >= 40, "catalogue has {} cases", all.len());
    let mut wrong = Vec::new();
    for c in all {
        let dir = tempfile::tempdir().unwrap();
        setup(dir.path());
        let path = dir.path().join(c.file);
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        std::fs::write(&path, (c.edit)(&text)).unwrap();
        let out = run_plan(dir.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}: exit code; stderr: {err}",
            c.name
        );
        for e in c.expect {
            if !err.contains(e) {
                wrong.push(format!("{}: expected {e:?} in: {err}", c.name));
            }
        }
        assert!(!err.contains("panicked"), "{}: panic", c.name);
        assert!(!dir.path().join("out").exists(), "{}: wrote output", c.name);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Issue 17 item 3: every message of the catalogue reads in one language,
/// Chinese in Chinese mode and English in English mode.
#[test]
fn every_bad_input_is_reported_in_one_language() {
    let mut wrong = Vec::new();
    for c in cases() {
        let dir = tempfile::tempdir().unwrap();
        setup(dir.path());
        let path = dir.path().join(c.file);
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        std::fs::write(&path, (c.edit)(&text)).unwrap();
        let said = |lang| {
            let out = run_plan_in(dir.path(), lang);
            assert_eq!(out.status.code(), Some(2), "{}: {lang}", c.name);
            // The temporary folder's name is no part of the message.
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            err.replace(&dir.path().display().to_string(), "")
        };
        wrong.extend(two_languages(c.name, &said("zh"), &said("en")));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

/// A CSV message names the column as the file's header writes it.
#[test]
fn a_csv_message_names_the_header_as_written() {
    for (header, says) in [("角色", "`角色`"), ("role", "`role`"), ("Role", "`Role`")] {
        let dir = tempfile::tempdir().unwrap();
        setup(dir.path());
        let path = dir.path().join("data/staff.csv");
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text
            .replacen("角色", header, 1)
            .replacen("刘伟,任课教师", "刘伟,校长", 1);
        std::fs::write(&path, text).unwrap();
        for lang in ["zh", "en"] {
            let err = String::from_utf8_lossy(&run_plan_in(dir.path(), lang).stderr).into_owned();
            assert!(
                err.contains("staff.csv:5") && err.contains(says),
                "{header} {lang}: {err}"
            );
        }
    }
    // A missing column is named in the reader's language.
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let path = dir.path().join("data/staff.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("角色", "岗位x", 1)).unwrap();
    let zh = String::from_utf8_lossy(&run_plan_in(dir.path(), "zh").stderr).into_owned();
    let en = String::from_utf8_lossy(&run_plan_in(dir.path(), "en").stderr).into_owned();
    assert!(zh.contains("`角色`"), "{zh}");
    assert!(en.contains("`role`"), "{en}");
}

#[test]
fn the_untouched_copy_plans() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let out = run_plan(dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("out/roster-2026-12-07.csv").exists());
}

#[test]
fn check_reports_roster_rows_naming_unknown_people_and_duties() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    assert_eq!(run_plan(dir.path()).status.code(), Some(0));
    let roster = dir.path().join("out/roster-2026-12-07.csv");
    let text = std::fs::read_to_string(&roster).unwrap();
    let first = text.lines().nth(1).unwrap().to_string();
    let bad_person = first.replacen(",T", ",X", 1);
    let bad_duty = first.replace("2026-12-07/", "2026-12-07/nothing-");
    std::fs::write(&roster, format!("{text}{bad_person}\n{bad_duty}\n")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kehou"))
        .args(["check", "--week", "2026-12-07", "--lang", "en"])
        .arg("--policy")
        .arg(dir.path().join("policy.toml"))
        .arg("--data")
        .arg(dir.path().join("data"))
        .arg("--roster")
        .arg(&roster)
        .output()
        .unwrap();
    let so = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{so}");
    assert!(
        so.contains("[unknown|unknown]") && so.contains("line "),
        "{so}"
    );
    assert!(
        so.contains("person not in staff.csv") && so.contains("duty not in this week"),
        "{so}"
    );
}

#[test]
fn far_too_large_input_gets_a_clear_error() {
    let p = demo_policy();
    let mut f = tiny_files();
    let mut classes = String::from("班级编号,班级,年级,人数\n");
    for i in 0..1200 {
        classes.push_str(&format!("c{i},班{i},1,40\n"));
    }
    f.classes = classes.into_bytes();
    let err = school_from(&p, &f).unwrap_err();
    assert!(matches!(err, kehou::Error::TooLarge(_)), "{err}");
}

#[test]
fn simulate_refuses_bad_options_before_writing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let keep = dir.path().join("sim");
    let sim = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kehou"))
            .args(["--lang", "en", "simulate", "--from", "2026-09-07"])
            .args(extra)
            .output()
            .unwrap()
    };
    for (args, says) in [
        (vec!["--runs", "0"], "--runs must be at least 1"),
        (
            vec!["--runs", "2", "--keep", keep.to_str().unwrap()],
            "--keep keeps a single run",
        ),
        (
            vec!["--absence", "1.5"],
            "--absence must be between 0 and 1",
        ),
    ] {
        let out = sim(&args);
        let se = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {se}");
        assert!(se.contains(says), "{args:?}: {se}");
        assert!(!keep.exists(), "{args:?}");
    }
}

/// Runs kehou in English with the school in `dir`; (exit code, stderr).
fn kehou(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kehou"))
        .args(["--lang", "en"])
        .args(args)
        .arg("--policy")
        .arg(dir.join("policy.toml"))
        .arg("--data")
        .arg(dir.join("data"))
        .arg("--history")
        .arg(dir.join("history"))
        .arg("--record")
        .arg(dir.join("kehou.db"))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn dates_and_counts_out_of_range_are_refused_naming_the_option() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    let range = "2000-01-01 to 2100-12-31";
    for (args, says) in [
        (
            vec!["plan", "--week=+262142-12-31", "--out", o],
            vec!["--week", range],
        ),
        (
            vec!["demand", "--week", "1999-12-31"],
            vec!["--week", range],
        ),
        (
            vec!["check", "--week", "2101-01-04", "--roster", "r.csv"],
            vec!["--week", range],
        ),
        (
            vec!["export", "--week=-0001-01-01", "--out", o],
            vec!["--week", range],
        ),
        (
            vec!["workload", "--from", "2026-09-01", "--to", "+262142-12-31"],
            vec!["--to", range],
        ),
        (
            vec!["record", "cancel", "--date", "2101-01-01"],
            vec!["--date", range],
        ),
        (
            vec!["simulate", "--from", "+262142-12-27"],
            vec!["--from", range],
        ),
        (
            vec![
                "repair",
                "--week",
                "2026-12-07",
                "--absent",
                "T1",
                "--from",
                "2026-12-08",
                "--to",
                "2026-12-08",
                "--now",
                "3000-01-01T00:00:00",
            ],
            vec!["--now", range],
        ),
        (
            vec!["simulate", "--from", "2026-09-07", "--weeks", "4000000000"],
            vec!["--weeks must be from 1 to 104", "not 4000000000"],
        ),
        (
            vec!["simulate", "--from", "2026-09-07", "--weeks", "0"],
            vec!["--weeks must be from 1 to 104"],
        ),
        (
            vec!["simulate", "--from", "2026-09-07", "--runs", "4000000000"],
            vec!["--runs must be at least 1 and at most 100"],
        ),
        (
            vec!["whatif", "s.toml", "--threads", "100000"],
            vec!["--threads", "1..=256"],
        ),
        // A note goes into the record and its CSV export.
        (
            vec![
                "record", "absent", "--duty", "d", "--staff", "T1", "--note", "a\nb",
            ],
            vec!["--note", "U+000A"],
        ),
    ] {
        let (code, err) = kehou(dir.path(), &args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        for s in says {
            assert!(err.contains(s), "{args:?}: expected {s:?} in {err}");
        }
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?} wrote output");
    }
}

#[test]
fn a_file_over_64_mib_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    // Sparse: the size is checked before a byte is read.
    let f = std::fs::File::create(dir.path().join("data/served.csv")).unwrap();
    f.set_len(65 * 1024 * 1024).unwrap();
    let out = run_plan(dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("served.csv")
            && err.contains("a file of 65.0 MiB")
            && err.contains("at most 64 MiB"),
        "{err}"
    );
}

#[test]
fn a_term_past_the_last_national_calendar_is_refused_not_planned() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let out = dir.path().join("out");
    // The demo term ends 2027-01-22 and only the 2026 calendar is listed.
    let (code, err) = kehou(dir.path(), &["validate"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("warning") && err.contains("2027-01-01..2027-01-22"),
        "{err}"
    );
    assert!(err.contains("calendar/cn-2027.toml"), "{err}");
    let week = [
        "plan",
        "--week",
        "2026-12-28",
        "--out",
        out.to_str().unwrap(),
    ];
    let (code, err) = kehou(dir.path(), &week);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("policy.toml") && err.contains("term dates 2027-01-01..2027-01-03"),
        "{err}"
    );
    assert!(
        err.contains("add ") && err.contains("calendar/cn-2027.toml"),
        "{err}"
    );
    assert!(!out.exists(), "planned a week with unknown holidays");
    let (code, err) = kehou(dir.path(), &["demand", "--week", "2027-01-18"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("2027-01-18..2027-01-22"), "{err}");
    let (code, err) = kehou(
        dir.path(),
        &["simulate", "--from", "2026-12-07", "--weeks", "4"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("2027-01-01..2027-01-03"), "{err}");
    // With the year's file listed the week plans (a test file: no holidays).
    std::fs::write(dir.path().join("calendar/cn-2027.toml"), "year = 2027\n").unwrap();
    let policy = dir.path().join("policy.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    let listed = "national = [\"calendar/cn-2026.toml\", \"calendar/cn-2027.toml\"]";
    std::fs::write(
        &policy,
        rep("national = [\"calendar/cn-2026.toml\"]", listed)(&text),
    )
    .unwrap();
    let (code, err) = kehou(dir.path(), &week);
    assert_eq!(code, Some(0), "{err}");
    let (code, err) = kehou(dir.path(), &["validate"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn thousands_of_policy_mistakes_are_each_located() {
    // Each mistake was located by re-parsing the whole file (20,000 took
    // hours); now the positions come from one index.
    let text = std::fs::read_to_string(root().join("policies/demo.toml")).unwrap();
    let bad: String = (0..5000)
        .map(|i| format!("  {{ date = 1900-06-01, reason = \"r{i}\" }},\n"))
        .collect();
    let text = text.replacen(
        "no_service_days = [\n",
        &format!("no_service_days = [\n{bad}"),
        1,
    );
    let first = text
        .lines()
        .position(|l| l.contains("reason = \"r0\""))
        .unwrap()
        + 1;
    let p = kehou::input::policy::load_text(&root().join("policies/demo.toml"), &text);
    let Err(kehou::Error::Invalid(ds)) = p else {
        panic!("expected diagnostics");
    };
    assert_eq!(ds.len(), 5000);
    let last = ds
        .iter()
        .find(|d| d.field.en == "calendar.no_service_days[4999].date")
        .unwrap();
    // Line and column of the date's value.
    assert_eq!((last.line, last.column), (first + 4999, 12), "{last}");
}

#[test]
fn validate_shows_the_warnings_with_the_errors() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    // A totals row (a warning) and a class size that is not a number (an
    // error), in the same files.
    let staff = dir.path().join("data/staff.csv");
    let mut text = std::fs::read_to_string(&staff).unwrap();
    text.push_str("合计,68,班主任,,,,,,是\n");
    std::fs::write(&staff, text).unwrap();
    let classes = dir.path().join("data/classes.csv");
    let text = std::fs::read_to_string(&classes).unwrap();
    std::fs::write(&classes, text.replacen(",40", ",forty", 1)).unwrap();
    let (code, err) = kehou(dir.path(), &["validate"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("warning") && err.contains("staff.csv"),
        "{err}"
    );
    assert!(
        err.contains("forty") && err.contains("classes.csv"),
        "{err}"
    );
}
