//! Pay for finance (issue 19 item 3): any period, totals that add up as
//! shown, flat-paid duties in their own columns, and the workbook's print
//! setup read back from the file.

mod common;
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use common::*;
use kehou::lang::Lang;
use kehou::ledger::period::{Ask, Field, Span};
use kehou::ledger::{self, Amounts, Period, PeriodError, WorkloadRow};
use kehou::model::policy::Policy;
use kehou::model::school::School;
use kehou::model::units::Fen;
use kehou::{demand, plan};

/// The demo week of 2026-12-07 as planned, as if served, and its workload.
fn demo_rows() -> (Policy, School, Vec<WorkloadRow>) {
    let p = demo_policy();
    let s = demo_school(&p);
    let rows = demo_week_workload(&p, &s);
    (p, s, rows)
}

/// A shown number (`1,234.50`, `12`, `0.67`) in hundredths.
fn centi(s: &str) -> i64 {
    let s = s.replace(',', "");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, "00"));
    assert_eq!(frac.len(), 2, "two decimals: {s}");
    whole.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
}

#[test]
fn each_csv_column_adds_up_to_its_totals_row() {
    let (_, s, rows) = demo_rows();
    let csv = ledger::workload_csv(&s, &rows, Lang::Zh);
    let text = String::from_utf8(csv).unwrap();
    let lines: Vec<Vec<&str>> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.split(',').collect())
        .collect();
    let (head, body) = lines.split_first().unwrap();
    let (total, people) = body.split_last().unwrap();
    assert_eq!(total[0], "合计");
    assert_eq!(people.len(), rows.len());
    assert_eq!(head.len(), ledger::COLUMNS.len());
    for c in 3..head.len() {
        let sum: i64 = people
            .iter()
            .map(|l| {
                if l[c].contains('.') {
                    centi(l[c])
                } else {
                    l[c].parse::<i64>().unwrap() * 100
                }
            })
            .sum();
        let shown = if total[c].contains('.') {
            centi(total[c])
        } else {
            total[c].parse::<i64>().unwrap() * 100
        };
        assert_eq!(sum, shown, "column {} ({})", c, head[c]);
    }
    // Pay still reconciles to the fen with the exact rows.
    let exact = ledger::totals(&rows).total_pay();
    assert_eq!(centi(total[head.len() - 1]), exact.0);
}

/// A person with `minutes` of after-school service.
fn row(staff: usize, minutes: u32) -> WorkloadRow {
    WorkloadRow {
        staff,
        service: Amounts {
            duties: 1,
            minutes,
            ..Amounts::default()
        },
        care: Amounts::default(),
        labour_fee: Fen(0),
    }
}

#[test]
fn the_hours_total_is_the_sum_of_the_rounded_rows() {
    // Three people with 10 minutes each: 0.17 h shown each, 0.50 h exact.
    let p = demo_policy();
    let s = demo_school(&p);
    let rows = vec![row(0, 10), row(1, 10), row(2, 10)];
    let sh = ledger::sheet(&s, &rows, Lang::Zh);
    assert!(sh.lines.iter().all(|l| l.service.hours_centi == 17));
    assert_eq!(sh.total.service.hours_centi, 51, "as shown, not 0.50");
    let exact: u32 = ledger::totals(&rows).service.minutes;
    assert_eq!(exact, 30);
}

#[test]
fn flat_paid_duties_have_their_own_columns_and_the_pay_columns_add_up() {
    let (p, s, rows) = demo_rows();
    let patrol = p.duty_kinds.iter().position(|k| k.flat_pay.is_some());
    assert!(patrol.is_some(), "the demo pays the patrol per duty");
    let sh = ledger::sheet(&s, &rows, Lang::Zh);
    let t = &sh.total;
    assert!(t.flat_duties > 0 && t.flat_pay.0 == i64::from(t.flat_duties) * 4000);
    for l in sh.lines.iter().chain(std::iter::once(t)) {
        let parts = l.service.keshi_pay.0 + l.care.keshi_pay.0 + l.flat_pay.0 + l.labour_fee.0;
        assert_eq!(parts, l.total.0, "{}", l.id);
    }
    // Only administrators patrol; their flat pay is not in the 课时 pay.
    let admin = sh.lines.iter().find(|l| l.flat_duties > 0).unwrap();
    assert_eq!(admin.role, "行政");
}

/// The workbook of the demo week, for a month, made on 2026-12-31.
fn demo_workbook(lang: Lang) -> (School, Vec<WorkloadRow>, Vec<u8>) {
    let (p, s, rows) = demo_rows();
    let head = ledger::Heading::new(
        &p,
        Period::month(date("2026-12-07")),
        date("2026-12-31"),
        lang,
    );
    let x = ledger::workload_xlsx(&head, &s, &rows, lang).unwrap();
    (s, rows, x)
}

fn cells(bytes: &[u8]) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.start(), Some((0, 0)));
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f:.2}"),
        Data::Int(i) => i.to_string(),
        _ => String::new(),
    }
}

fn num(d: &Data) -> i64 {
    match d {
        Data::Float(f) => (f * 100.0).round() as i64,
        Data::Int(i) => i * 100,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn the_workbook_reads_back_with_title_totals_and_signatures() {
    let (s, rows, x) = demo_workbook(Lang::Zh);
    let grid = cells(&x);
    let title = text(&grid[0][0]);
    assert!(title.contains(&demo_policy().school_name), "{title}");
    let sub = text(&grid[1][0]);
    assert!(
        sub.contains("2026年12月") && sub.contains("2026-12-01 至 2026-12-31"),
        "{sub}"
    );
    assert!(sub.contains("制表日期: 2026-12-31"), "{sub}");
    // Two header rows: the categories, then each column's head.
    assert_eq!(text(&grid[2][0]), "工号");
    assert_eq!(text(&grid[2][1]), "姓名");
    assert_eq!(text(&grid[2][3]), "课后服务");
    assert_eq!(text(&grid[2][11]), "按次计酬");
    assert_eq!(text(&grid[3][12]), "金额");
    assert_eq!(text(&grid[2][15]), "签名");
    let people = &grid[4..4 + rows.len()];
    let total = &grid[4 + rows.len()];
    assert_eq!(text(&total[0]), "合计");
    for (r, line) in people.iter().zip(&rows) {
        assert_eq!(text(&r[1]), s.staff[line.staff].name);
    }
    for c in 3..ledger::COLUMNS.len() {
        let sum: i64 = people.iter().map(|r| num(&r[c])).sum();
        assert_eq!(sum, num(&total[c]), "column {c}");
    }
    assert_eq!(num(&total[14]), ledger::totals(&rows).total_pay().0);
    let below: Vec<String> = grid[5 + rows.len()..]
        .iter()
        .flat_map(|r| r.iter().map(text))
        .collect();
    let below = below.join(" ");
    for w in ["制表", "审核", "校长", "按次计酬: 行政巡查 每次 40.00 元"] {
        assert!(below.contains(w), "{w}: {below}");
    }
    let (_, _, en) = demo_workbook(Lang::En);
    let below: Vec<String> = cells(&en).concat().iter().map(text).collect();
    let below = below.join(" ");
    for w in ["Prepared by", "Checked by", "Principal", "December 2026"] {
        assert!(below.contains(w), "{w}: {below}");
    }
    assert!(!below.contains("制表"), "one language: {below}");
}

/// A file of the workbook's zip.
fn part(x: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(x.to_vec())).unwrap();
    let mut f = z.by_name(name).unwrap();
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

/// The value of `attr` in the first `<tag …>` of `xml`.
fn attr(xml: &str, tag: &str, attr: &str) -> Option<String> {
    let at = xml.find(&format!("<{tag} "))?;
    let el = &xml[at..at + xml[at..].find('>')?];
    let a = el.find(&format!(" {attr}=\""))? + attr.len() + 3;
    Some(el[a..a + el[a..].find('"')?].to_string())
}

#[test]
fn the_workbook_prints_on_a4_landscape_one_page_wide_with_repeated_headers() {
    let (s, rows, x) = demo_workbook(Lang::Zh);
    let sheet = part(&x, "xl/worksheets/sheet1.xml");
    assert_eq!(attr(&sheet, "pageSetup", "paperSize").as_deref(), Some("9"));
    assert_eq!(
        attr(&sheet, "pageSetup", "orientation").as_deref(),
        Some("landscape")
    );
    // Fit to pages, one wide (fitToWidth's default is 1: written only
    // when it is not), as many tall as needed.
    assert_eq!(
        attr(&sheet, "pageSetUpPr", "fitToPage").as_deref(),
        Some("1")
    );
    assert!(matches!(
        attr(&sheet, "pageSetup", "fitToWidth").as_deref(),
        None | Some("1")
    ));
    assert_eq!(
        attr(&sheet, "pageSetup", "fitToHeight").as_deref(),
        Some("0")
    );
    let book = part(&x, "xl/workbook.xml");
    let titles = book
        .split("<definedName ")
        .find(|d| d.contains("_xlnm.Print_Titles"))
        .expect("print titles");
    assert!(titles.contains("!$3:$4<"), "{titles}");
    // The name column is wider than the widest name (display width: a
    // Chinese character counts two).
    let widest = rows
        .iter()
        .map(|r| unicode_width::UnicodeWidthStr::width(s.staff[r.staff].name.as_str()))
        .max()
        .unwrap();
    let col2 = sheet
        .split("<col ")
        .find(|c| c.starts_with("min=\"2\""))
        .expect("column B");
    let w: f64 = attr(&format!("<col {col2}"), "col", "width")
        .unwrap()
        .parse()
        .unwrap();
    assert!(w >= widest as f64 + 1.0, "{w} for {widest}");
    // The totals row is bold: its cells' style has a bold font.
    let r = 4 + rows.len() + 1;
    let row = sheet
        .split("<row ")
        .find(|x| x.starts_with(&format!("r=\"{r}\"")))
        .expect("totals row");
    let style: usize = attr(
        &format!("<c {}", row.split("<c ").nth(4).unwrap()),
        "c",
        "s",
    )
    .unwrap()
    .parse()
    .unwrap();
    let styles = part(&x, "xl/styles.xml");
    let xfs = styles.split("<cellXfs").nth(1).unwrap();
    let xf = xfs.split("<xf ").nth(style + 1).unwrap();
    let font: usize = attr(&format!("<xf {xf}"), "xf", "fontId")
        .unwrap()
        .parse()
        .unwrap();
    let fonts = styles.split("<fonts").nth(1).unwrap();
    let f = fonts.split("<font>").nth(font + 1).unwrap();
    assert!(f.starts_with("<b/>"), "font {font}: {f}");
    // A person's row is not bold.
    let first = sheet
        .split("<row ")
        .find(|x| x.starts_with("r=\"5\""))
        .unwrap();
    let s5: usize = attr(
        &format!("<c {}", first.split("<c ").nth(4).unwrap()),
        "c",
        "s",
    )
    .unwrap()
    .parse()
    .unwrap();
    assert_ne!(s5, style);
}

#[test]
fn a_period_is_a_month_a_term_or_any_dates() {
    let p = demo_policy();
    let today = date("2026-12-09");
    let ask = |month, term, from, to| {
        Period::asked(
            &p,
            &Ask {
                month,
                term,
                from,
                to,
            },
            today,
        )
    };
    let dec = ask(None, None, None, None).unwrap();
    assert_eq!((dec.from, dec.to), (date("2026-12-01"), date("2026-12-31")));
    for m in ["2026-02", "2026/2", "2026年2月", "2026.02"] {
        let feb = ask(Some(m), None, None, None).unwrap();
        assert_eq!(
            (feb.from, feb.to),
            (date("2026-02-01"), date("2026-02-28")),
            "{m}"
        );
    }
    let autumn = ask(None, Some("2026年秋季学期"), None, None).unwrap();
    assert_eq!(
        (autumn.from, autumn.to),
        (date("2026-09-01"), date("2027-01-22"))
    );
    assert_eq!(autumn.span, Span::Term("2026年秋季学期".into()));
    let by_day = Period::term(&p, "2026-10-15").unwrap();
    assert_eq!(by_day, autumn, "the term holding a date");
    let r = ask(None, Some("x"), Some("2026/12/1"), Some("2026年12月15日")).unwrap();
    assert_eq!(
        (r.from, r.to, &r.span),
        (date("2026-12-01"), date("2026-12-15"), &Span::Range)
    );
    assert_eq!(r.file_part(), "2026-12-01_2026-12-15");
    assert_eq!(dec.file_part(), "2026-12");
    // What is wrong names the field.
    let bad = [
        (ask(Some("2026-13"), None, None, None), Field::Month),
        (ask(None, Some("2027年春季"), None, None), Field::Term),
        (
            ask(None, None, Some("2026-02-30"), Some("2026-03-01")),
            Field::From,
        ),
        (
            ask(None, None, Some("2026-12-01"), Some("tomorrow")),
            Field::To,
        ),
        (ask(None, None, Some("2026-12-01"), None), Field::To),
        (ask(None, None, None, Some("2026-12-01")), Field::From),
        (
            ask(None, None, Some("2026-12-09"), Some("2026-12-01")),
            Field::To,
        ),
    ];
    for (got, field) in bad {
        let e = got.unwrap_err();
        assert_eq!(e.field(), field, "{e}");
        let zh = e.why(&p, Lang::Zh);
        let en = e.why(&p, Lang::En);
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{zh}"
        );
        assert!(en.is_ascii() || matches!(e, PeriodError::NoTerm(_)), "{en}");
    }
    let e = ask(None, Some("2027年春季"), None, None).unwrap_err();
    assert!(
        e.why(&p, Lang::Zh).contains("2026年秋季学期"),
        "lists the terms"
    );
}

/// `kehou workload` over a record holding the demo week: a month, a term,
/// two dates; every written workbook and CSV adds up; bad periods say which
/// option is wrong.
#[test]
fn kehou_workload_takes_a_month_a_term_or_two_dates() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let (p, s, _) = demo_rows();
    let dm = demand::week(&p, &s, date("2026-12-07"));
    let plan = plan::plan(&p, &s, &dm, &plan::Options::from_policy(&p)).unwrap();
    let bytes = kehou::outputs::roster_csv::to_csv(&p, &s, &plan, Lang::Zh);
    let db = dir.path().join("kehou.db");
    let mut rec = kehou::record::Record::open(&db).unwrap();
    let by = kehou::record::Actor::cli("test");
    rec.write(|tx| tx.publish(dm.monday, &bytes, kehou::record::Base::Unpublished, &by))
        .unwrap();
    drop(rec);
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_kehou"))
            .arg("--policy")
            .arg(root().join("policies/demo.toml"))
            .arg("--data")
            .arg(root().join("datasets/demo"))
            .arg("--record")
            .arg(&db)
            .arg("workload")
            .args(args)
            .output()
            .unwrap();
        let t = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        (o.status.code(), t)
    };
    let total_of = |path: &std::path::Path| {
        let t = std::fs::read_to_string(path).unwrap();
        t.lines()
            .last()
            .unwrap()
            .rsplit(',')
            .next()
            .unwrap()
            .to_string()
    };
    let mut totals = Vec::new();
    for (i, period) in [
        vec!["--month", "2026-12"],
        vec!["--term", "2026年秋季学期"],
        vec!["--term", "2026/12/9"],
        vec!["--from", "2026/12/7", "--to", "2026年12月11日"],
    ]
    .into_iter()
    .enumerate()
    {
        let csv = dir.path().join(format!("w{i}.csv"));
        let xlsx = dir.path().join(format!("w{i}.xlsx"));
        let mut args = period.clone();
        args.extend([
            "--csv",
            csv.to_str().unwrap(),
            "--xlsx",
            xlsx.to_str().unwrap(),
        ]);
        let (code, t) = run(&args);
        assert_eq!(code, Some(0), "{period:?}: {t}");
        totals.push(total_of(&csv));
        let grid = cells(&std::fs::read(&xlsx).unwrap());
        let last = grid.iter().rposition(|r| text(&r[0]) == "合计").unwrap();
        assert_eq!(
            format!("{:.2}", num(&grid[last][14]) as f64 / 100.0),
            totals[i]
        );
    }
    assert!(
        totals.iter().all(|t| *t == totals[0] && t != "0.00"),
        "{totals:?}"
    );
    // Outside the published week: nothing served, zero, and said so
    // (a sheet of zeros must not be printed and signed unnoticed).
    let (_, t) = run(&["--from", "2026-12-14", "--to", "2026-12-18"]);
    assert!(
        t.lines()
            .any(|l| l.starts_with("合计") && l.ends_with(" 0.00")),
        "{t}"
    );
    assert!(t.contains("警告: 这段时间记录中没有已服务的任务"), "{t}");
    let (_, t) = run(&["--month", "2026-12"]);
    assert!(!t.contains("警告"), "{t}");
    for (args, says) in [
        (vec!["--month", "2026-13"], "--month"),
        (vec!["--term", "2030年春季学期"], "--term"),
        (vec!["--from", "2026-12-09", "--to", "2026-12-01"], "--to"),
        (vec!["--from", "2026-12-09"], "--to"),
        (
            vec!["--month", "2026-12", "--term", "2026年秋季学期"],
            "--term",
        ),
        (vec![], "--month"),
    ] {
        let (code, t) = run(&args);
        assert_eq!(code, Some(2), "{args:?}: {t}");
        assert!(t.contains(says) && t.contains("错误"), "{args:?}: {t}");
    }
}
