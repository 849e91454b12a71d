//! Importing the school's tables (issue 19, item 1): workbooks written by
//! LibreOffice (committed under tests/fixtures/import, made with
//! `soffice --headless --convert-to xlsx` from the CSV beside each), CSV
//! in GBK and UTF-16, the preview's messages for bad rows, merging by id
//! (never a duplicate), export → edit → import, the templates' dropdowns,
//! and a data folder holding `staff.xlsx` instead of `staff.csv`.

mod common;

use std::io::Read;
use std::path::Path;

use common::{demo_policy, root};
use kehou::input::import::{self, Change, Current, TableKind};
use kehou::lang::Lang;

/// The demo school's data in a temporary folder.
fn demo_data() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for f in ["staff", "classes", "enrollment", "clubs", "leave"] {
        let name = format!("{f}.csv");
        std::fs::copy(
            root().join("datasets/demo").join(&name),
            dir.path().join(&name),
        )
        .expect("copy");
    }
    dir
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/fixtures/import").join(name)).expect("fixture")
}

fn preview(dir: &Path, kind: TableKind, name: &str, bytes: &[u8]) -> import::Preview {
    let cur = Current::read(dir).expect("current data");
    import::preview(&demo_policy(), &cur, kind, name, bytes)
}

fn rendered(p: &import::Preview) -> Vec<String> {
    p.all_problems()
        .iter()
        .map(|d| d.render(Lang::En))
        .collect()
}

fn change_of<'p>(p: &'p import::Preview, key: &str) -> &'p Change {
    &p.rows
        .iter()
        .find(|r| r.key == key)
        .unwrap_or_else(|| panic!("no row {key}: {:?}", p.rows))
        .change
}

#[test]
fn a_libreoffice_workbook_previews_adds_updates_and_saves() {
    let dir = demo_data();
    let p = preview(
        dir.path(),
        TableKind::Staff,
        "staff-import.xlsx",
        &fixture("staff-import.xlsx"),
    );
    assert!(p.ok(), "{:?}", rendered(&p));
    assert_eq!(p.counts(), (1, 1, 1), "{:?}", p.rows);
    assert_eq!(change_of(&p, "T001"), &Change::Unchanged);
    assert_eq!(change_of(&p, "T900"), &Change::Added);
    let Change::Updated(fields) = change_of(&p, "T002") else {
        panic!("T002 updated");
    };
    assert_eq!(fields.len(), 1, "{fields:?}");
    assert_eq!(
        (
            fields[0].0.zh.as_str(),
            fields[0].1.as_str(),
            fields[0].2.as_str()
        ),
        ("姓名", "郑玉兰", "郑玉华")
    );
    // Nothing is saved by a preview.
    let before = std::fs::read(dir.path().join("staff.csv")).unwrap();
    assert_eq!(
        before,
        std::fs::read(root().join("datasets/demo/staff.csv")).unwrap()
    );
    let backup = kehou::outputs::school_files::save(
        dir.path(),
        TableKind::Staff,
        &p.merged,
        "20261203-060000",
    )
    .expect("saved")
    .expect("a backup");
    assert_eq!(
        std::fs::read(&backup).unwrap(),
        before,
        "the old file is kept"
    );
    assert!(backup.starts_with(dir.path().join(".history")));
    let school = kehou::input::school::load(dir.path(), &demo_policy()).expect("loads");
    assert_eq!(school.staff.len(), 69, "68 and one new, none twice");
    let i = school.staff_index("T002").unwrap();
    assert_eq!(school.staff[i].name, "郑玉华");
    let t900 = &school.staff[school.staff_index("T900").unwrap()];
    assert!(
        t900.qualifications.contains("体育"),
        "{:?}",
        t900.qualifications
    );
}

#[test]
fn importing_the_same_list_twice_changes_nothing_the_second_time() {
    let dir = demo_data();
    let bytes = fixture("staff-import.xlsx");
    let p = preview(dir.path(), TableKind::Staff, "staff-import.xlsx", &bytes);
    kehou::outputs::school_files::save(dir.path(), TableKind::Staff, &p.merged, "a").unwrap();
    let saved = std::fs::read(dir.path().join("staff.csv")).unwrap();
    let again = preview(dir.path(), TableKind::Staff, "staff-import.xlsx", &bytes);
    assert!(again.ok(), "{:?}", rendered(&again));
    assert_eq!(again.counts(), (0, 0, 3));
    assert_eq!(again.merged, saved, "the same bytes: nothing changes");
}

#[test]
fn a_libreoffice_workbook_with_number_cells_imports_classes() {
    let dir = demo_data();
    let p = preview(
        dir.path(),
        TableKind::Classes,
        "classes.xlsx",
        &fixture("classes-import.xlsx"),
    );
    assert!(p.ok(), "{:?}", rendered(&p));
    assert_eq!(p.counts(), (1, 0, 1), "{:?}", p.rows);
    kehou::outputs::school_files::save(dir.path(), TableKind::Classes, &p.merged, "a").unwrap();
    let school = kehou::input::school::load(dir.path(), &demo_policy()).expect("loads");
    let c = &school.classes[school.class_index("6-5").expect("new class")];
    assert_eq!((c.grade, c.pupils), (6, 42));
}

#[test]
fn bad_rows_are_named_by_row_column_found_and_expected_and_cannot_be_saved() {
    let dir = demo_data();
    for (name, bytes) in [
        ("staff-bad.xlsx", fixture("staff-bad.xlsx")),
        ("staff-bad.csv", fixture("staff-bad.csv")),
    ] {
        let p = preview(dir.path(), TableKind::Staff, name, &bytes);
        assert!(!p.ok());
        let row = |line: usize| {
            let r = p.rows.iter().find(|r| r.line == line).expect("row");
            r.problems
                .iter()
                .map(|d| d.render(Lang::En))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            row(2),
            vec![format!("{name}:2: field `角色`: found \"校长\"; expected homeroom, subject, admin or outside")]
        );
        let r3 = row(3).join("\n");
        assert!(
            r3.starts_with(&format!(
                "{name}:3: field `班主任班级`: found class \"9-9\""
            )),
            "{r3}"
        );
        let r4 = row(4).join("\n");
        assert!(
            r4.starts_with(&format!("{name}:4: field `工作量系数`: found \"99\"")),
            "{r4}"
        );
        assert!(p.problems.is_empty(), "{:?}", p.problems);
    }
    // Read in Chinese too, naming the same row and field.
    let p = preview(
        dir.path(),
        TableKind::Staff,
        "staff-bad.csv",
        &fixture("staff-bad.csv"),
    );
    let zh = p.rows[0].problems[0].render(Lang::Zh);
    assert_eq!(zh, "staff-bad.csv:2: 字段 `角色`: 发现 \"校长\"; 应为 班主任、任课教师 (或 科任教师)、行政 或 外聘");
}

#[test]
fn gbk_and_utf16_csv_import_like_utf8() {
    let text = "工号,姓名,角色,学科\nT002,郑玉华,班主任,数学\nT901,林老师,行政,语文\n";
    let (gbk, _, bad) = encoding_rs::GBK.encode(text);
    assert!(!bad);
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.replace(',', "\t").encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    for (name, bytes) in [("gbk.csv", gbk.to_vec()), ("utf16.txt", utf16)] {
        let dir = demo_data();
        let p = preview(dir.path(), TableKind::Staff, name, &bytes);
        assert!(p.ok(), "{name}: {:?}", rendered(&p));
        assert_eq!(p.counts(), (1, 1, 0), "{name}");
        // Columns the file leaves out keep their values: T002 stays homeroom teacher of 1-2.
        kehou::outputs::school_files::save(dir.path(), TableKind::Staff, &p.merged, name).unwrap();
        let s = kehou::input::school::load(dir.path(), &demo_policy()).expect("loads");
        let t2 = &s.staff[s.staff_index("T002").unwrap()];
        assert_eq!(
            (t2.name.as_str(), t2.homeroom),
            ("郑玉华", s.class_index("1-2"))
        );
        assert_eq!(s.staff.len(), 69, "{name}: never twice");
    }
}

#[test]
fn a_row_given_twice_in_one_upload_is_an_error_naming_both_rows() {
    let dir = demo_data();
    let text = "工号,姓名,角色\nT950,甲,行政\nT950,乙,行政\n";
    let p = preview(dir.path(), TableKind::Staff, "x.csv", text.as_bytes());
    assert!(!p.ok());
    let all = rendered(&p).join("\n");
    assert!(
        all.contains("x.csv:3: field `工号`: found \"T950\", the same as row 2"),
        "{all}"
    );
}

#[test]
fn ids_are_compared_as_the_loader_reads_them() {
    let dir = demo_data();
    // Spaces around an id, a class named by its name, a weekday spelt otherwise.
    let staff = "工号,姓名,角色\n  T001 ,黄建华,班主任\n";
    let p = preview(dir.path(), TableKind::Staff, "s.csv", staff.as_bytes());
    assert_eq!(p.counts(), (0, 0, 1), "{:?}", p.rows);
    let enr = std::fs::read_to_string(dir.path().join("enrollment.csv")).unwrap();
    let line = enr.lines().nth(1).unwrap().to_string();
    let cells: Vec<&str> = line.split(',').collect();
    let again = format!(
        "班级,星期,时段,人数\n一(1)班,星期{},{},{}\n",
        &cells[1][3..],
        cells[2],
        cells[3]
    );
    let p = preview(dir.path(), TableKind::Enrollment, "e.csv", again.as_bytes());
    assert!(p.ok(), "{:?} {again}", rendered(&p));
    assert_eq!(p.counts(), (0, 0, 1), "{again}: {:?}", p.rows);
}

#[test]
fn export_edit_import_round_trip() {
    let dir = demo_data();
    let cur = Current::read(dir.path()).unwrap();
    let rows = cur.rows(TableKind::Classes);
    let exported = import::to_csv(TableKind::Classes, rows.iter().map(|(_, c)| c));
    let text = String::from_utf8(exported.clone()).unwrap();
    // The export is the school's file itself, byte for byte.
    assert_eq!(
        exported,
        std::fs::read(dir.path().join("classes.csv")).unwrap()
    );
    let edited = text.replacen("1-1,一(1)班,1,38", "1-1,一(1)班,1,39", 1);
    assert_ne!(edited, text);
    let p = preview(
        dir.path(),
        TableKind::Classes,
        "classes.csv",
        edited.as_bytes(),
    );
    assert!(p.ok(), "{:?}", rendered(&p));
    assert_eq!(p.counts(), (0, 1, 23));
    kehou::outputs::school_files::save(dir.path(), TableKind::Classes, &p.merged, "a").unwrap();
    let s = kehou::input::school::load(dir.path(), &demo_policy()).unwrap();
    assert_eq!(s.classes[s.class_index("1-1").unwrap()].pupils, 39);
    assert_eq!(s.classes.len(), 24);
}

#[test]
fn a_row_edit_is_checked_with_the_rest_of_the_school() {
    let dir = demo_data();
    let cur = Current::read(dir.path()).unwrap();
    let (key, mut cells) = cur.keyed_rows(TableKind::Staff).remove(0);
    assert_eq!(key, "T001");
    cells.insert("role", "校长".into());
    let p = import::edit_row(
        &demo_policy(),
        &cur,
        TableKind::Staff,
        Some(&key),
        Some(cells.clone()),
    );
    assert!(!p.ok());
    let d = &p.rows[0].problems[0];
    assert_eq!(
        (d.field.zh.as_str(), d.found.zh.as_str()),
        ("角色", "\"校长\"")
    );
    // Deleting a homeroom teacher whose class then has none is fine; deleting
    // a person named by a club is refused, naming the club's file.
    let clubs = std::fs::read_to_string(dir.path().join("clubs.csv")).unwrap();
    let named = clubs
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(7))
        .find(|id| !id.is_empty())
        .expect("a club with an instructor")
        .to_string();
    let p = import::edit_row(&demo_policy(), &cur, TableKind::Staff, Some(&named), None);
    assert!(!p.ok(), "deleting {named}");
    assert!(
        rendered(&p).join("\n").contains("clubs.csv"),
        "{:?}",
        rendered(&p)
    );
    // A good change saves.
    cells.insert("role", "班主任".into());
    cells.insert("name", "黄建国".into());
    let p = import::edit_row(
        &demo_policy(),
        &cur,
        TableKind::Staff,
        Some(&key),
        Some(cells),
    );
    assert!(p.ok(), "{:?}", rendered(&p));
    kehou::outputs::school_files::save(dir.path(), TableKind::Staff, &p.merged, "a").unwrap();
    let s = kehou::input::school::load(dir.path(), &demo_policy()).unwrap();
    assert_eq!(s.staff[0].name, "黄建国");
}

#[test]
fn a_workbook_in_the_data_folder_is_read_and_two_files_of_one_table_are_refused() {
    let dir = demo_data();
    std::fs::remove_file(dir.path().join("classes.csv")).unwrap();
    // A full classes workbook loads.
    let classes = std::fs::read(root().join("datasets/demo/classes.csv")).unwrap();
    std::fs::write(dir.path().join("classes.xlsx"), csv_to_xlsx(&classes)).unwrap();
    let s = kehou::input::school::load(dir.path(), &demo_policy()).expect("classes.xlsx is read");
    assert_eq!(s.classes.len(), 24);
    // Both: refused, naming both.
    std::fs::write(dir.path().join("classes.csv"), &classes).unwrap();
    let e = kehou::input::school::load(dir.path(), &demo_policy()).unwrap_err();
    let en = e.render(Lang::En);
    assert!(
        en.contains("classes.csv") && en.contains("classes.xlsx"),
        "{en}"
    );
    // An import into a workbook's table replaces it with the CSV, the workbook kept.
    std::fs::remove_file(dir.path().join("classes.csv")).unwrap();
    let cur = Current::read(dir.path()).unwrap();
    assert_eq!(cur.names[1], "classes.xlsx");
    let p = import::preview(
        &demo_policy(),
        &cur,
        TableKind::Classes,
        "c.csv",
        "班级编号,班级,年级,人数\n6-5,六(5)班,6,40\n".as_bytes(),
    );
    assert!(p.ok(), "{:?}", rendered(&p));
    let backup = kehou::outputs::school_files::save(dir.path(), TableKind::Classes, &p.merged, "a")
        .unwrap()
        .unwrap();
    assert!(backup.to_string_lossy().ends_with(".xlsx"));
    assert!(!dir.path().join("classes.xlsx").exists());
    let s = kehou::input::school::load(dir.path(), &demo_policy()).expect("loads");
    assert_eq!(s.classes.len(), 25);
}

/// A workbook of a CSV's cells, all text (rust_xlsxwriter).
fn csv_to_xlsx(csv: &[u8]) -> Vec<u8> {
    let text = kehou::input::text::decode_text(csv).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, line) in text.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            ws.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The XML of the first sheet of a workbook.
fn sheet_xml(xlsx: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("a zip");
    let mut f = z.by_name("xl/worksheets/sheet1.xml").expect("sheet1");
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

#[test]
fn templates_have_headers_a_sample_row_and_dropdowns() {
    let p = demo_policy();
    let s = common::demo_school(&p);
    let staff = kehou::outputs::template::template(TableKind::Staff, &p, &s, Lang::Zh).unwrap();
    let xml = sheet_xml(&staff);
    assert!(xml.contains("<dataValidation"), "{xml}");
    assert!(xml.contains("\"班主任,任课教师,行政,外聘\""), "{xml}");
    let quals = kehou::outputs::template::qualifications(&p, &s);
    assert!(!quals.is_empty());
    assert!(
        xml.contains(&format!("\"{}\"", quals.join(","))),
        "{quals:?} {xml}"
    );
    // The template imports as it is: its sample row is the one row.
    let dir = demo_data();
    let pv = preview(dir.path(), TableKind::Staff, "t.xlsx", &staff);
    assert_eq!(pv.rows.len(), 1);
    assert_eq!(pv.rows[0].key, "T001");
    let enr = kehou::outputs::template::template(TableKind::Enrollment, &p, &s, Lang::En).unwrap();
    let xml = sheet_xml(&enr);
    assert!(xml.contains("\"Mon,Tue,Wed,Thu,Fri,Sat,Sun\""), "{xml}");
    // English headers read back as the same columns.
    let pv = preview(dir.path(), TableKind::Enrollment, "t.xlsx", &enr);
    assert_eq!(pv.rows.len(), 1, "{:?}", rendered(&pv));
    for kind in TableKind::ALL {
        for lang in [Lang::Zh, Lang::En] {
            let a = kehou::outputs::template::template(kind, &p, &s, lang).unwrap();
            assert!(sheet_xml(&a).contains("<row"), "{kind:?}");
        }
    }
}

#[test]
fn the_command_line_writes_a_template_and_validates_a_workbook_folder() {
    let dir = demo_data();
    let out = dir.path().join("staff-template.xlsx");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kehou"))
            .current_dir(root())
            .args(args)
            .output()
            .expect("kehou runs")
    };
    let data = dir.path().display().to_string();
    let o = run(&[
        "--data",
        &data,
        "template",
        "staff",
        "--out",
        &out.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(sheet_xml(&std::fs::read(&out).unwrap()).contains("<dataValidation"));
    let o = run(&["--data", &data, "template", "pupils", "--out", "x.xlsx"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("pupils"));
    // staff.xlsx instead of staff.csv: `kehou validate` reads it.
    std::fs::remove_file(&out).unwrap();
    let staff = std::fs::read(dir.path().join("staff.csv")).unwrap();
    std::fs::write(dir.path().join("staff.xlsx"), csv_to_xlsx(&staff)).unwrap();
    std::fs::remove_file(dir.path().join("staff.csv")).unwrap();
    let o = run(&["--data", &data, "validate"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("68"));
}
