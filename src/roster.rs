//! The roster as rows: one per assignment (and per uncovered seat), read
//! back from a file edited in Excel for checking, and each person's load.
//! Writing the file is `outputs::roster_csv`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::input::table::{parse_table, Columns};
use crate::rules::edited::Column;

use crate::demand::WeekDemand;
use crate::error::{Diagnostic, Diagnostics, Result, Said};
use crate::model::school::{School, LOAD_PER_HOUR};
use crate::plan::Plan;

/// A roster row as read back: a duty id and a staff id (None: uncovered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub duty_id: String,
    pub staff_id: Option<String>,
    /// The cells kehou derives from the ids (date, times, name, ...), as
    /// read back from a file, for the `edited` check: one per column the
    /// file has. Empty for rows built from a plan.
    pub cells: Vec<(Column, String)>,
}

impl Row {
    /// A row of ids only, as built from a plan (no cells to compare).
    pub fn new(line: usize, duty_id: String, staff_id: Option<String>) -> Row {
        Row {
            line,
            duty_id,
            staff_id,
            cells: Vec::new(),
        }
    }
}

pub const ROSTER_COLUMNS: Columns = &[
    ("date", &["日期"], false),
    ("weekday", &["星期"], false),
    ("session", &["时段"], false),
    ("start", &["开始"], false),
    ("end", &["结束"], false),
    ("duty", &["任务"], false),
    ("group", &["小组"], false),
    ("staff_id", &["工号"], true),
    ("name", &["姓名"], false),
    ("hours", &["小时"], false),
    ("ledger", &["台账类别"], false),
    ("duty_id", &["任务编号"], true),
    ("status", &["状态"], false),
];

#[derive(Debug, Clone)]
pub struct PersonLoad {
    pub staff: usize,
    pub duties: u32,
    pub minutes: u32,
    pub week_load: i64,
    pub prior: i64,
    /// (prior + week) / quota in weighted hours; None for staff outside
    /// fairness, and for those away the whole week.
    pub relative: Option<f64>,
}

pub fn person_loads(school: &School, demand: &WeekDemand, plan: &Plan) -> Vec<PersonLoad> {
    let mut m: BTreeMap<usize, (u32, u32, i64)> = BTreeMap::new();
    for a in &plan.assignments {
        let d = &demand.duties[a.duty];
        let e = m.entry(a.staff).or_default();
        e.0 += 1;
        e.1 += d.minutes();
        e.2 += d.load();
    }
    school
        .staff
        .iter()
        .enumerate()
        .map(|(s, st)| {
            let (n, min, load) = m.get(&s).copied().unwrap_or_default();
            let prior = school.served.get(&s).copied().unwrap_or(0);
            // Staff away all week are shown apart (no relative load).
            let fair = crate::plan::is_fair(st) && !plan.stats.away.contains(&s);
            PersonLoad {
                staff: s,
                duties: n,
                minutes: min,
                week_load: load,
                prior,
                relative: fair
                    .then(|| (prior + load) as f64 / LOAD_PER_HOUR as f64 / st.quota.as_f64()),
            }
        })
        .collect()
}

/// The plan as roster rows (what the CSV holds), for the checker: one per
/// assignment, then one per open seat.
pub fn from_plan(school: &School, plan: &Plan) -> Vec<Row> {
    let mut rows: Vec<Row> = plan
        .assignments
        .iter()
        .map(|a| {
            let duty_id = plan.demand.duties[a.duty].id.clone();
            Row::new(0, duty_id, Some(school.staff[a.staff].id.clone()))
        })
        .collect();
    for &(d, n) in &plan.uncovered {
        for _ in 0..n {
            rows.push(Row::new(0, plan.demand.duties[d].id.clone(), None));
        }
    }
    rows
}

/// Read a roster CSV (as written, or edited in Excel).
pub fn read(path: &Path) -> Result<Vec<Row>> {
    let bytes = crate::input::limits::read_input(path)?;
    parse(path, &bytes)
}

pub fn parse(path: &Path, bytes: &[u8]) -> Result<Vec<Row>> {
    let mut diags = Diagnostics::default();
    let Some(t) = parse_table(path, bytes, ROSTER_COLUMNS, &mut diags) else {
        return diags.into_result(Vec::new());
    };
    // The derived columns this file has (older or trimmed files may lack some).
    let derived: Vec<Column> = Column::ALL
        .into_iter()
        .filter(|c| t.has_column(c.key()))
        .collect();
    let mut rows = Vec::new();
    for r in &t.rows {
        let duty_id = r.get("duty_id").to_string();
        if duty_id.is_empty() {
            diags.push(Diagnostic::new(
                path,
                r.line,
                t.field("duty_id"),
                Said::new("空单元格", "an empty cell"),
                Said::new(
                    "kehou plan 写出的任务编号",
                    "the duty id as written by kehou plan",
                ),
            ));
            continue;
        }
        let sid = r.get("staff_id").to_string();
        rows.push(Row {
            line: r.line,
            duty_id,
            staff_id: (!sid.is_empty()).then_some(sid),
            cells: derived
                .iter()
                .map(|&c| (c, r.get(c.key()).to_string()))
                .collect(),
        });
    }
    diags.into_result(rows)
}

/// A roster read from rows, as a plan (for rendering and the ledger).
/// Rows naming unknown duties or staff are skipped: run the checker first.
pub fn plan_from_rows(school: &School, demand: &WeekDemand, rows: &[Row]) -> Plan {
    let ix: BTreeMap<&str, usize> = demand
        .duties
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let mut assignments = Vec::new();
    let mut uncovered: BTreeMap<usize, u32> = BTreeMap::new();
    for r in rows {
        let Some(&d) = ix.get(r.duty_id.as_str()) else {
            continue;
        };
        match r.staff_id.as_deref().and_then(|id| school.staff_index(id)) {
            Some(s) => assignments.push(crate::plan::Assignment { duty: d, staff: s }),
            None => *uncovered.entry(d).or_insert(0) += 1,
        }
    }
    assignments.sort();
    Plan {
        demand: demand.clone(),
        assignments,
        uncovered: uncovered.into_iter().collect(),
        tiers: Vec::new(),
        stats: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_columns_are_roster_columns_with_their_headers() {
        for c in Column::ALL {
            let spec = ROSTER_COLUMNS.iter().find(|(en, _, _)| *en == c.key());
            assert_eq!(spec.map(|s| s.1[0]), Some(c.header()), "{c:?}");
        }
    }

    #[test]
    fn read_back_rows_keep_the_cells_of_the_columns_the_file_has() {
        let text = "任务编号,工号,结束,姓名\nd1,'=A1,17:45,\nd2,,,\n";
        let rows = parse(Path::new("r.csv"), text.as_bytes()).expect("parses");
        assert_eq!(rows[0].staff_id.as_deref(), Some("=A1"));
        let want =
            |end: &str, name: &str| vec![(Column::End, end.into()), (Column::Name, name.into())];
        assert_eq!(rows[0].cells, want("17:45", ""));
        assert_eq!(
            (rows[1].staff_id.as_ref(), &rows[1].cells),
            (None, &want("", ""))
        );
    }
}
