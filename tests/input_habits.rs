//! Issue 17 item 4: what schools type, read with its meaning checked, and
//! one message per mistake. Each accepted habit is read and compared with
//! the value it means (the time really is 16:30, the date 2026-12-08);
//! each cascade case counts the messages.

mod common;

use chrono::NaiveDate;
use common::*;
use kehou::error::{Diagnostic, Error};
use kehou::input::school::Files;
use kehou::lang::Lang;
use kehou::model::school::School;
use kehou::model::units::Hm;

fn leave_file(cells: &str) -> Files {
    let mut f = tiny_files();
    f.leave = Some(format!("工号,开始日期,结束日期,时段,类型,原因\n{cells}\n").into_bytes());
    f
}

/// The problems found, each checked to read in one language per mode.
fn problems(f: &Files) -> Vec<Diagnostic> {
    match school_from(&demo_policy(), f) {
        Err(Error::Invalid(ds)) => {
            for d in &ds {
                assert_one_language(&d.to_string(), &d.render(Lang::Zh), &d.render(Lang::En));
            }
            ds
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("loaded without a problem"),
    }
}

/// The school, its warnings checked to read in one language per mode.
fn loads(f: &Files) -> School {
    let s = school_from(&demo_policy(), f).unwrap_or_else(|e| panic!("{}", e.render(Lang::En)));
    for d in &s.warnings {
        assert_one_language(&d.to_string(), &d.render(Lang::Zh), &d.render(Lang::En));
    }
    s
}

fn day(s: &str) -> NaiveDate {
    date(s)
}

#[test]
fn full_width_digits_in_numbers_mean_the_number() {
    let mut f = tiny_files();
    f.classes = String::from_utf8(f.classes)
        .unwrap()
        .replacen("1-1,一(1)班,1,40", "1-1,一(1)班,１,４０", 1)
        .into_bytes();
    let s = loads(&f);
    let c = &s.classes[s.class_index("1-1").unwrap()];
    assert_eq!((c.grade, c.pupils), (1, 40));
}

#[test]
fn an_integral_decimal_is_the_whole_number_and_a_fraction_is_refused() {
    let edit = |to: &str| {
        let mut f = tiny_files();
        f.classes = String::from_utf8(f.classes)
            .unwrap()
            .replacen("3-1,三(1)班,3,45", to, 1)
            .into_bytes();
        f
    };
    let s = loads(&edit("3-1,三(1)班,3.0,45.00"));
    let c = &s.classes[s.class_index("3-1").unwrap()];
    assert_eq!((c.grade, c.pupils), (3, 45));
    let ds = problems(&edit("3-1,三(1)班,3,45.5"));
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!((ds[0].line, ds[0].field.en.as_str()), (4, "人数"));
    assert!(ds[0].found.en.contains("not a whole number"), "{}", ds[0]);
}

#[test]
fn dates_as_schools_write_them_mean_the_date() {
    for written in [
        "2026年12月8日",
        "２０２６年１２月８日",
        "2026/12/8 0:00",
        "2026-12-08 00:00:00",
        "46364",
        "2026．12．8",
    ] {
        let s = loads(&leave_file(&format!("T1,{written},{written},,请假,病假")));
        let l = &s.leave[0];
        assert_eq!(
            (l.from, l.to),
            (day("2026-12-08"), day("2026-12-08")),
            "{written}"
        );
    }
}

#[test]
fn an_excel_serial_date_is_read_only_in_a_plausible_range() {
    // 46363 is 2026-12-07 in Excel's day count.
    let s = loads(&leave_file("T1,46363,46363,,请假,"));
    assert_eq!(s.leave[0].from, day("2026-12-07"));
    // A date cell holding a time of day is no date; neither is a small number.
    for bad in ["2026/12/8 8:30", "45", "9999999"] {
        let ds = problems(&leave_file(&format!("T1,{bad},2026-12-08,,请假,")));
        assert_eq!(ds.len(), 1, "{bad}: {ds:?}");
        assert_eq!(ds[0].field.en, "开始日期", "{bad}");
    }
}

#[test]
fn full_width_times_mean_the_time() {
    let mut f = tiny_files();
    f.clubs = Some(
        "编号,名称,星期,时段,人数,资质,所需人数,指定教师,开始,结束\n\
         C1,足球,周二,stage2,20,体育,1,,１６：３０,17:00:00\n"
            .into(),
    );
    let s = loads(&f);
    assert_eq!(s.clubs[0].times, Some((Hm(16 * 60 + 30), Hm(17 * 60))));
    // In the policy too.
    let text = std::fs::read_to_string(root().join("policies/demo.toml")).unwrap();
    let text = text.replacen("cutoff = \"17:00\"", "cutoff = \"１７：００\"", 1);
    let p = kehou::input::policy::load_text(&root().join("policies/demo.toml"), &text)
        .unwrap_or_else(|e| panic!("{}", e.render(Lang::En)));
    assert_eq!(p.seasons[0].cutoff, Hm(17 * 60));
}

#[test]
fn parts_of_the_day_map_to_the_policy_where_unambiguous() {
    // Leave for 下午: every afternoon stage and the duties spanning them.
    let s = loads(&leave_file("T1,2026-12-08,2026-12-08,下午,请假,"));
    assert_eq!(s.leave[0].sessions, ["stage1", "stage2", "afternoon"]);
    let s = loads(&leave_file("T1,2026-12-08,2026-12-08,上午;中午,请假,"));
    assert_eq!(s.leave[0].sessions, ["morning", "noon"]);
    // Enrollment: 上午 is the one morning key.
    let mut f = tiny_files();
    let enr = String::from_utf8(f.enrollment.clone()).unwrap();
    f.enrollment = enr
        .replacen("1-1,周一,morning,0", "1-1,周一,上午,7", 1)
        .into_bytes();
    let s = loads(&f);
    assert_eq!(
        s.enrollment
            .get(&(s.class_index("1-1").unwrap(), 0, "morning".into())),
        Some(&7)
    );
    // 下午 has three keys (stage1, stage2, late): it is asked, not guessed.
    f.enrollment = enr
        .replacen("1-1,周一,stage1,30", "1-1,周一,下午,30", 1)
        .into_bytes();
    let ds = problems(&f);
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!((ds[0].line, ds[0].field.en.as_str()), (2, "时段"));
    // A club in 下午: the one session with clubs.
    let mut f = tiny_files();
    f.clubs = Some("编号,名称,星期,时段,人数\nC1,足球,周二,下午,20\n".into());
    assert_eq!(loads(&f).clubs[0].session, "stage2");
}

#[test]
fn utf16_tab_separated_text_reads_like_the_csv() {
    let f = tiny_files();
    let text = String::from_utf8(f.staff.clone())
        .unwrap()
        .replace(',', "\t");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let mut g = tiny_files();
    g.staff = bytes;
    assert_eq!(loads(&g).staff, loads(&f).staff);
}

#[test]
fn a_workbook_saved_as_csv_is_read_as_its_first_sheet() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let head = ["工号", "开始日期", "结束日期", "时段", "类型", "原因"];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let dated = Format::new().set_num_format("yyyy/m/d");
    let d = ExcelDateTime::from_ymd(2026, 12, 8).unwrap();
    sheet.write_string(1, 0, "T1").unwrap();
    sheet.write_datetime_with_format(1, 1, &d, &dated).unwrap();
    sheet.write_number(1, 2, 46364.0).unwrap();
    sheet.write_string(1, 4, "请假").unwrap();
    let mut f = tiny_files();
    f.leave = Some(book.save_to_buffer().unwrap());
    let s = loads(&f);
    assert_eq!(
        (s.leave[0].from, s.leave[0].to),
        (day("2026-12-08"), day("2026-12-08"))
    );
    // Mistakes in it are named by the row Excel shows.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in head.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "T1").unwrap();
    sheet.write_string(1, 1, "明天").unwrap();
    sheet.write_string(1, 2, "2026-12-08").unwrap();
    f.leave = Some(book.save_to_buffer().unwrap());
    let ds = problems(&f);
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!((ds[0].line, ds[0].field.en.as_str()), (2, "开始日期"));
}

#[test]
fn a_semicolon_separated_file_gets_a_hint_not_a_guess() {
    let mut f = tiny_files();
    f.classes = String::from_utf8(f.classes)
        .unwrap()
        .replace(',', ";")
        .into_bytes();
    let ds = problems(&f);
    assert_eq!(ds.len(), 1, "{ds:?}");
    let en = ds[0].render(Lang::En);
    assert!(en.contains("semicolons") && en.contains("Save As"), "{en}");
    let zh = ds[0].render(Lang::Zh);
    assert!(zh.contains("分号") && zh.contains("另存为"), "{zh}");
}

#[test]
fn a_totals_row_is_left_out_with_a_warning() {
    let mut f = tiny_files();
    let staff = String::from_utf8(f.staff.clone()).unwrap();
    f.staff = format!("{staff}合计,68,班主任,,,,,,是\n").into_bytes();
    let mut classes = String::from_utf8(f.classes.clone()).unwrap();
    classes.push_str(",总计,,127\n");
    f.classes = classes.into_bytes();
    let s = loads(&f);
    assert_eq!(s.staff.len(), 6);
    assert!(s.staff.iter().all(|p| p.name != "68"));
    assert_eq!(s.classes.len(), 3);
    assert_eq!(s.warnings.len(), 2, "{:?}", s.warnings);
    assert!(s.warnings[0].file.ends_with("staff.csv") && s.warnings[0].line == 8);
    assert!(s.warnings[0].render(Lang::Zh).contains("合计行"));
}

#[test]
fn duplicate_names_are_warned_and_shown_with_their_id() {
    let mut f = tiny_files();
    f.staff = String::from_utf8(f.staff)
        .unwrap()
        .replacen("T2,李强", "T2,王静", 1)
        .into_bytes();
    let s = loads(&f);
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert_eq!(
        (s.warnings[0].line, s.warnings[0].field.en.as_str()),
        (3, "姓名")
    );
    let (t1, t2, t3) = (0, 1, 2);
    assert_eq!(s.shown_name(t1), "王静(T1)");
    assert_eq!(s.shown_name(t2), "王静(T2)");
    assert_eq!(s.shown_name(t3), "张敏");
}

#[test]
fn a_staff_instructor_without_the_clubs_qualification_is_warned() {
    let club = |ins: &str| {
        let mut f = tiny_files();
        f.clubs = Some(
            format!("编号,名称,星期,时段,人数,资质,所需人数,指定教师\nC1,足球,周二,stage2,20,体育,1,{ins}\n")
                .into(),
        );
        f
    };
    // T6 is an administrator without 体育; T4 holds it.
    let s = loads(&club("T6"));
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert_eq!(s.warnings[0].field.en, "指定教师");
    assert!(s.warnings[0].render(Lang::Zh).contains("体育"));
    assert!(loads(&club("T4")).warnings.is_empty());
    // An outside instructor is hired for the club: no warning.
    let mut f = club("W1");
    let staff = String::from_utf8(f.staff).unwrap();
    f.staff = format!("{staff}W1,周老师,外聘,,,,,,是\n").into_bytes();
    assert!(loads(&f).warnings.is_empty());
}

#[test]
fn an_empty_staff_list_is_an_error() {
    let mut f = tiny_files();
    f.staff = "工号,姓名,角色,学科,资质,班主任班级,工作量系数,豁免,参与\n".into();
    let ds = problems(&f);
    assert!(
        ds.iter()
            .any(|d| d.file.ends_with("staff.csv") && d.found.en == "no staff"),
        "{ds:?}"
    );
}

// ------------------------------------------------------------ cascades

#[test]
fn a_bad_class_size_is_one_error_not_one_per_reference() {
    for bad in ["abc", "45.5", "四十"] {
        let mut f = tiny_files();
        f.classes = String::from_utf8(f.classes)
            .unwrap()
            .replacen("1-1,一(1)班,1,40", &format!("1-1,一(1)班,1,{bad}"), 1)
            .into_bytes();
        let ds = problems(&f);
        assert_eq!(ds.len(), 1, "{bad}: {ds:?}");
        assert_eq!((ds[0].line, ds[0].field.en.as_str()), (2, "人数"), "{bad}");
    }
}

#[test]
fn a_bad_staff_row_is_one_error_not_one_per_reference() {
    let mut f = leave_file("T4,2026-12-08,2026-12-08,,请假,");
    f.staff = String::from_utf8(f.staff)
        .unwrap()
        .replacen("T4,刘伟,任课教师", "T4,刘伟,校长", 1)
        .into_bytes();
    f.served = Some("工号,已服务负荷\nT4,3\n".into());
    f.clubs = Some(
        "编号,名称,星期,时段,人数,资质,所需人数,指定教师\nC1,足球,周二,stage2,20,体育,1,T4\n"
            .into(),
    );
    let ds = problems(&f);
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!((ds[0].line, ds[0].field.en.as_str()), (5, "角色"));
}

#[test]
fn a_bad_cutoff_is_one_error() {
    let text = std::fs::read_to_string(root().join("policies/demo.toml")).unwrap();
    let text = text.replacen("cutoff = \"17:00\"", "cutoff = \"17点\"", 1);
    let Err(Error::Invalid(ds)) =
        kehou::input::policy::load_text(&root().join("policies/demo.toml"), &text)
    else {
        panic!("a bad cutoff loaded");
    };
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(ds[0].field.en, "seasons[0].cutoff");
}

// ------------------------------------------------------- Chinese messages

#[test]
fn toml_syntax_errors_are_chinese_in_chinese_mode() {
    // `[1 2]` reads as a value that is no TOML value.
    let text = std::fs::read_to_string(root().join("policies/demo.toml")).unwrap();
    let text = text.replacen("grades = [1, 2]", "grades = [1 2]", 1);
    let Err(e) = kehou::input::policy::load_text(&root().join("policies/demo.toml"), &text) else {
        panic!("loaded");
    };
    let zh = e.render(Lang::Zh);
    assert!(
        zh.contains("引号") && !zh.contains("must be quoted"),
        "{zh}"
    );
    assert!(e.render(Lang::En).contains("string values must be quoted"));
    // A value of the wrong type, in Chinese too.
    let text = std::fs::read_to_string(root().join("policies/demo.toml")).unwrap();
    let text = text.replacen("max_duties_per_day = 2", "max_duties_per_day = \"two\"", 1);
    let e = kehou::input::policy::load_text(&root().join("policies/demo.toml"), &text).unwrap_err();
    let zh = e.render(Lang::Zh);
    assert!(
        zh.contains("字符串 \"two\"") && !zh.contains("invalid type"),
        "{zh}"
    );
}

#[test]
fn a_missing_file_is_named_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let e = kehou::input::school::load(dir.path(), &demo_policy()).unwrap_err();
    let zh = e.render(Lang::Zh);
    assert!(zh.contains("staff.csv") && zh.contains("不存在"), "{zh}");
    assert!(!zh.contains("No such file"), "{zh}");
    let e = kehou::input::policy::load(&dir.path().join("policy.toml")).unwrap_err();
    assert!(e.render(Lang::Zh).contains("policy.toml"));
}
