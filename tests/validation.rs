//! Every validation error names the file, line, field, what was found and
//! what was expected; all problems are reported at once.

mod common;
use common::*;
use kehou::error::{Diagnostic, Error};
use kehou::{input, model};

fn demo_text() -> String {
    std::fs::read_to_string(root().join("policies/demo.toml")).unwrap()
}

/// Load a policy text from a temp dir holding the national calendar too.
fn load_policy(text: &str) -> Result<model::policy::Policy, Vec<Diagnostic>> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("calendar")).unwrap();
    std::fs::copy(
        root().join("policies/calendar/cn-2026.toml"),
        dir.path().join("calendar/cn-2026.toml"),
    )
    .unwrap();
    let path = dir.path().join("policy.toml");
    std::fs::write(&path, text).unwrap();
    match input::policy::load(&path) {
        Ok(p) => Ok(p),
        Err(Error::Invalid(ds)) => Err(ds),
        Err(e) => panic!("unexpected error {e}"),
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in text")
        + 1
}

#[test]
fn demo_policy_is_valid() {
    load_policy(&demo_text()).expect("demo policy valid");
}

#[test]
fn unknown_key_typo_is_located() {
    let t = demo_text().replace(
        "cutoff = \"17:00\"",
        "cuttoff = \"17:00\"\ncutoff = \"17:00\"",
    );
    let ds = load_policy(&t).unwrap_err();
    let d = ds
        .iter()
        .find(|d| d.field.en.contains("cuttoff"))
        .expect("typo reported");
    assert_eq!(d.line, line_of(&t, "cuttoff"));
    assert!(d.file.ends_with("policy.toml"));
    assert!(d.column >= 1);
}

#[test]
fn all_unknown_keys_reported_at_once() {
    let t = demo_text()
        .replace("work_end = \"17:00\"", "work_end = \"17:00\"\nwrok_end = 1")
        .replace("mip_rel_gap = 0.0", "mip_rel_gap = 0.0\ngapp = 1");
    let ds = load_policy(&t).unwrap_err();
    assert!(ds.iter().any(|d| d.field.en.contains("wrok_end")));
    assert!(ds.iter().any(|d| d.field.en.contains("gapp")));
}

#[test]
fn session_ending_before_it_starts() {
    let t = demo_text().replace(
        "noon = { start = \"11:50\", end = \"13:10\" }",
        "noon = { start = \"11:50\", end = \"11:00\" }",
    );
    let ds = load_policy(&t).unwrap_err();
    let d = ds
        .iter()
        .find(|d| d.field.en == "seasons[0].times.noon.end")
        .expect("reported");
    assert_eq!(d.line, line_of(&t, "end = \"11:00\""));
    assert!(d.expected.en.contains("after the start"));
}

#[test]
fn overlapping_seasons() {
    let t = demo_text().replace("from = \"05-01\"", "from = \"04-01\"");
    let ds = load_policy(&t).unwrap_err();
    assert!(ds.iter().any(|d| d.found.en.contains("overlaps")), "{ds:?}");
}

#[test]
fn makeup_day_on_a_weekday() {
    let t = demo_text().replace(
        "{ date = 2026-10-10, follows = \"thu\" }",
        "{ date = 2026-10-12, follows = \"thu\" }",
    );
    let ds = load_policy(&t).unwrap_err();
    let d = ds
        .iter()
        .find(|d| d.field.en.starts_with("calendar.makeup_days[0].date"))
        .expect("reported");
    assert!(d.expected.en.contains("Saturday or Sunday"));
    assert_eq!(d.line, line_of(&t, "2026-10-12"));
}

#[test]
fn afternoon_past_the_cutoff() {
    let t = demo_text().replace(
        "stage1 = { start = \"15:40\", end = \"16:20\" }",
        "stage1 = { start = \"15:40\", end = \"17:20\" }",
    );
    let ds = load_policy(&t).unwrap_err();
    assert!(ds.iter().any(|d| d.found.en.contains("after the cutoff")));
}

#[test]
fn wrong_type_names_key_and_line() {
    let t = demo_text().replace("max_duties_per_day = 2", "max_duties_per_day = \"two\"");
    let ds = load_policy(&t).unwrap_err();
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].line, line_of(&t, "\"two\""));
    assert!(ds[0].field.en.contains("max_duties_per_day"), "{:?}", ds[0]);
}

#[test]
fn malformed_and_empty_files() {
    let ds = load_policy("[school\nname = 1").unwrap_err();
    assert_eq!(ds[0].line, 1);
    let ds = load_policy("   \n").unwrap_err();
    assert!(ds[0].found.en.contains("empty"));
}

#[test]
fn duplicate_ids_and_unknown_references() {
    let p = demo_policy();
    let mut f = tiny_files();
    let staff = String::from_utf8(f.staff.clone()).unwrap()
        + "T1,重复,任课教师,语文,,,,,是\nT9,赵六,班主任,语文,,9-9,,,是\nT10,孙七,任课教师,语文,,,,maternity,是\n";
    f.staff = staff.into_bytes();
    let err = school_from(&p, &f).unwrap_err();
    let Error::Invalid(ds) = err else { panic!() };
    let find = |field: &str, what: &str| {
        ds.iter()
            .find(|d| d.field.en == field && d.found.en.contains(what))
            .unwrap_or_else(|| panic!("{field} {what}: {ds:?}"))
    };
    // Fields are named by the file's own headers (工号, not id).
    let dup = find("工号", "duplicate");
    assert_eq!(dup.line, 8);
    assert!(dup.file.ends_with("staff.csv"));
    assert_eq!(find("班主任班级", "9-9").line, 9);
    assert_eq!(find("豁免", "maternity").line, 10);
}

#[test]
fn enrollment_problems_reported_together() {
    let p = demo_policy();
    let mut f = tiny_files();
    let e = String::from_utf8(f.enrollment.clone()).unwrap()
        + "9-9,周一,stage1,3\n1-1,周八,stage1,3\n1-1,周一,dinner,3\n";
    f.enrollment = e.into_bytes();
    let Error::Invalid(ds) = school_from(&p, &f).unwrap_err() else {
        panic!()
    };
    assert_eq!(ds.len(), 3, "{ds:?}");
    assert!(ds.iter().all(|d| d.file.ends_with("enrollment.csv")));
    assert!(ds.iter().any(|d| d.field.en == "班级"));
    assert!(ds.iter().any(|d| d.field.en == "星期"));
    assert!(ds.iter().any(|d| d.field.en == "时段"));
}

#[test]
fn unknown_and_missing_columns() {
    let p = demo_policy();
    let mut f = tiny_files();
    f.classes = "班级编号,班级,年级,学生人数x\n1-1,一(1)班,1,40\n".into();
    let Error::Invalid(ds) = school_from(&p, &f).unwrap_err() else {
        panic!()
    };
    assert!(ds.iter().any(|d| d.found.en.contains("unknown column")));
    // A column the file lacks is named in the reader's language.
    assert!(ds
        .iter()
        .any(|d| d.field.en == "pupils" && d.field.zh == "人数" && d.found.en.contains("missing")));
}

#[test]
fn excel_encodings_and_quirks_load() {
    let p = demo_policy();
    let base = school_from(&p, &tiny_files()).unwrap();
    // GBK (Excel on Chinese Windows), CRLF, trailing empty columns and blank rows.
    let text = String::from_utf8(tiny_files().staff).unwrap();
    let excel: String = text
        .lines()
        .map(|l| format!("{l},,\r\n"))
        .collect::<String>()
        + ",,,,,,,,,,\r\n\r\n";
    let (gbk, _, bad) = encoding_rs::GBK.encode(&excel);
    assert!(!bad);
    let mut f = tiny_files();
    f.staff = gbk.into_owned();
    let s = school_from(&p, &f).expect("GBK CSV loads");
    assert_eq!(s.staff, base.staff);
    // UTF-8 with BOM.
    let mut f = tiny_files();
    let mut b = b"\xEF\xBB\xBF".to_vec();
    b.extend_from_slice(&tiny_files().classes);
    f.classes = b;
    assert_eq!(school_from(&p, &f).unwrap().classes, base.classes);
    // English headers.
    let mut f = tiny_files();
    f.classes =
        "id,name,grade,pupils\n1-1,一(1)班,1,40\n1-2,一(2)班,1,42\n3-1,三(1)班,3,45\n".into();
    assert_eq!(school_from(&p, &f).unwrap().classes, base.classes);
}

#[test]
fn cli_validate_exits_nonzero_and_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = tiny_files();
    std::fs::write(dir.path().join("staff.csv"), b"id,name,role\nT1,A,nobody\n").unwrap();
    std::fs::write(dir.path().join("classes.csv"), &f.classes).unwrap();
    std::fs::write(dir.path().join("enrollment.csv"), &f.enrollment).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kehou"))
        .current_dir(root())
        .args(["validate", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("staff.csv:2"), "{err}");
    assert!(err.contains("role"), "{err}");
}

/// A staff list whose header cannot be read does not hide the other
/// files' own mistakes: a bad leave date is reported in the same run
/// (it was reported only once the header was fixed).
#[test]
fn a_bad_header_does_not_hide_a_bad_date_elsewhere() {
    let p = demo_policy();
    let mut f = tiny_files();
    f.staff = "工号,姓明,角色\nT1,王静,班主任\n".into();
    f.leave = Some("工号,开始日期,结束日期\nT1,2026-12-08,2026年12月32日\n".into());
    let Error::Invalid(ds) = school_from(&p, &f).unwrap_err() else {
        panic!()
    };
    assert!(
        ds.iter()
            .any(|d| d.file.ends_with("staff.csv") && d.line == 1),
        "{ds:?}"
    );
    assert!(
        ds.iter()
            .any(|d| d.file.ends_with("leave.csv") && d.line == 2 && d.field.zh == "结束日期"),
        "{ds:?}"
    );
    // And one mistake, one message: the unreadable staff list is not
    // reported again for the leave row that names T1.
    assert_eq!(
        ds.iter().filter(|d| d.file.ends_with("leave.csv")).count(),
        1,
        "{ds:?}"
    );
}

#[test]
fn a_problem_on_every_row_is_shown_three_times_then_counted() {
    // The header lost a column, so every row has one cell too many: the
    // message says so three times and then counts the other lines, so
    // that the problem of another file is not buried under copies.
    let p = demo_policy();
    let mut f = tiny_files();
    let staff = String::from_utf8(f.staff.clone()).unwrap();
    let staff = staff.replacen(",资质", "", 1);
    f.staff = staff.into_bytes();
    f.classes = String::from_utf8(f.classes.clone())
        .unwrap()
        .replace(",40\n", ",forty\n")
        .into_bytes();
    let err = school_from(&p, &f).unwrap_err();
    let Error::Invalid(ds) = &err else {
        panic!("{err}")
    };
    let beyond = ds
        .iter()
        .filter(|d| d.found.en.contains("beyond the header"))
        .count();
    assert_eq!(beyond, 6, "every staff row is still a diagnostic: {ds:?}");
    for (lang, more) in [
        (kehou::lang::Lang::En, "… and 3 more like it, on lines 5–7"),
        (kehou::lang::Lang::Zh, "… 同样的问题还有 3 处, 在第 5–7 行"),
    ] {
        let text = err.render(lang);
        let shown = text.lines().filter(|l| l.contains("\"是\"")).count();
        assert_eq!(shown, 3, "{text}");
        assert!(text.contains(more), "{text}");
        assert!(
            text.contains("classes.csv:2"),
            "the other file's problem is shown: {text}"
        );
        // The count is of every problem, the folded ones too.
        assert!(
            text.lines().next().unwrap().contains(&ds.len().to_string()),
            "{text}"
        );
    }
}
