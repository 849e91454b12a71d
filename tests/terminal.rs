//! Terminal output fits: tables aligned by display width (a Chinese
//! character takes two columns), lines within 80 columns in Chinese, no
//! meaningless counters or NaN in the report.

mod common;
use common::*;
use kehou::lang::Lang;
use kehou::outputs::table::width;
use kehou::outputs::terminal;
use kehou::{demand, ledger, plan};

fn widest(text: &str) -> (usize, String) {
    text.lines()
        .map(|l| (width(l), l.to_string()))
        .max()
        .unwrap_or_default()
}

#[test]
fn the_demo_week_fits_80_columns_and_its_columns_line_up() {
    let p = demo_policy();
    let s = demo_school(&p);
    let dm = demand::week(&p, &s, date("2026-12-07"));
    let plan = plan::plan(&p, &s, &dm, &plan::Options::from_policy(&p)).unwrap();
    let roster = terminal::roster_table(&p, &s, &plan, Lang::Zh);
    let report = terminal::plan_report(&p, &s, &plan, Lang::Zh, 0.0);
    let need = terminal::demand_table(&p, &s, &dm, Lang::Zh);
    for (what, text) in [("roster", &roster), ("report", &report), ("demand", &need)] {
        let (w, line) = widest(text);
        assert!(w <= 80, "{what}: {w} columns: {line}");
    }
    // In each day's roster, the names start in one column: the text before
    // each name has the same display width.
    let day: Vec<&str> = roster
        .lines()
        .skip_while(|l| !l.starts_with("2026-12-08"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    let starts: Vec<usize> = day
        .iter()
        .map(|l| width(l) - width(l.rsplit("  ").next().unwrap()))
        .collect();
    assert!(
        day.len() > 20 && starts.iter().all(|&x| x == starts[0]),
        "{starts:?}"
    );
    assert!(
        !report.contains("NaN") && !report.contains("0 个0-1变量"),
        "{report}"
    );
}

#[test]
fn the_workload_table_is_a_table_not_csv() {
    let p = demo_policy();
    let s = demo_school(&p);
    let rows = demo_week_workload(&p, &s);
    let t = ledger::workload_table(&s, &rows, Lang::Zh);
    let lines: Vec<&str> = t.lines().collect();
    // Every row ends in the same column (right-aligned totals), within 80.
    let table = &lines[..lines.len() - 1];
    assert!(!table.iter().any(|l| l.contains(',')), "no CSV commas: {t}");
    let w = width(table[0]);
    assert!(w <= 80, "{w}: {}", table[0]);
    assert!(table.iter().all(|l| width(l) == w), "{t}");
    let total = ledger::totals(&rows).total_pay().to_string();
    assert!(table.last().unwrap().starts_with("合计") && table.last().unwrap().ends_with(&total));
}
