//! A what-if scenario compared with the baseline, as data: uncovered
//! seats by duty priority, the highest and lowest relative load and their
//! spread, staff-hours, pay cost from the policy's pay rules, and the
//! assignments changed; each day's seats covered and open. The command
//! line prints it as a table or CSV, the web app as a table and charts.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::error::Result;
use crate::lang::Lang;
use crate::model::policy::{Policy, Priority};
use crate::model::units::Fen;
use crate::outputs::files::{Cell, CsvOut};
use crate::plan::Plan;

/// The outcome of one scenario over the study's weeks.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub name: String,
    pub uncovered: u32,
    /// Uncovered seats per duty priority, in [`Priority::ALL`]'s order
    /// (required, high, normal).
    pub uncovered_by: [u32; 3],
    pub max_rel: f64,
    pub min_rel: f64,
    pub staff_hours: f64,
    pub cost: Fen,
    pub changed: usize,
    pub pairs: BTreeSet<(String, String)>,
    pub rosters: Vec<(NaiveDate, Vec<u8>)>,
    /// Seats covered and open per day of the study's weeks.
    pub days: Vec<DayCover>,
}

/// One day's seats: covered and open, each per duty priority (in
/// [`Priority::ALL`]'s order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayCover {
    pub date: NaiveDate,
    pub covered: [u32; 3],
    pub open: [u32; 3],
}

impl DayCover {
    pub fn covered_total(&self) -> u32 {
        self.covered.iter().sum()
    }
    pub fn open_total(&self) -> u32 {
        self.open.iter().sum()
    }
}

fn rank(p: Priority) -> usize {
    Priority::ALL.iter().position(|x| *x == p).unwrap_or(2)
}

/// Each day of a plan's week that has duties: its seats covered and open.
pub fn coverage(p: &Policy, plan: &Plan) -> Vec<DayCover> {
    let mut m: BTreeMap<NaiveDate, DayCover> = BTreeMap::new();
    let prio = |duty: usize| {
        let k = plan.demand.duties[duty].kind;
        p.duty_kinds.get(k).map_or(2, |d| rank(d.priority))
    };
    let day = |m: &mut BTreeMap<NaiveDate, DayCover>, duty: usize| {
        let date = plan.demand.duties[duty].date;
        *m.entry(date).or_insert(DayCover {
            date,
            covered: [0; 3],
            open: [0; 3],
        })
    };
    for a in &plan.assignments {
        let mut d = day(&mut m, a.duty);
        d.covered[prio(a.duty)] += 1;
        m.insert(d.date, d);
    }
    for &(duty, n) in &plan.uncovered {
        let mut d = day(&mut m, duty);
        d.open[prio(duty)] += n;
        m.insert(d.date, d);
    }
    m.into_values().collect()
}

/// Which way a number is better, for the page's colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Lower,
    /// Neither way (assignments changed, staff-hours: a fact, not a goal).
    Neither,
}

/// One row of the comparison: a number per result (None where the
/// scenario failed).
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub decimals: usize,
    pub better: Better,
    pub values: Vec<Option<f64>>,
}

impl Metric {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.t(self.zh, self.en)
    }
}

/// The comparison's rows, one value per outcome (baseline first).
pub fn metrics(outcomes: &[Option<&Outcome>]) -> Vec<Metric> {
    type Get = fn(&Outcome) -> f64;
    let rows: [(&str, &str, &str, usize, Better, Get); 10] = [
        (
            "uncovered",
            "未覆盖人次 (合计)",
            "uncovered seats (total)",
            0,
            Better::Lower,
            |o| f64::from(o.uncovered),
        ),
        (
            "uncovered_required",
            "未覆盖: 必保任务",
            "uncovered: required duties",
            0,
            Better::Lower,
            |o| f64::from(o.uncovered_by[0]),
        ),
        (
            "uncovered_high",
            "未覆盖: 重要任务",
            "uncovered: high-priority duties",
            0,
            Better::Lower,
            |o| f64::from(o.uncovered_by[1]),
        ),
        (
            "uncovered_normal",
            "未覆盖: 一般任务",
            "uncovered: normal duties",
            0,
            Better::Lower,
            |o| f64::from(o.uncovered_by[2]),
        ),
        (
            "max_rel",
            "最高相对负荷",
            "highest relative load",
            3,
            Better::Lower,
            |o| o.max_rel,
        ),
        (
            "min_rel",
            "最低相对负荷",
            "lowest relative load",
            3,
            Better::Neither,
            |o| o.min_rel,
        ),
        (
            "spread",
            "负荷差 (最高 − 最低)",
            "spread (highest − lowest)",
            3,
            Better::Lower,
            |o| o.max_rel - o.min_rel,
        ),
        (
            "staff_hours",
            "总人·小时",
            "staff-hours",
            2,
            Better::Neither,
            |o| o.staff_hours,
        ),
        (
            "cost",
            "课后服务费用 (元)",
            "pay cost (yuan)",
            2,
            Better::Neither,
            |o| o.cost.0 as f64 / 100.0,
        ),
        (
            "changed",
            "与基线相比变更的安排",
            "assignments changed from the baseline",
            0,
            Better::Neither,
            |o| o.changed as f64,
        ),
    ];
    rows.iter()
        .map(|(key, zh, en, decimals, better, get)| Metric {
            key,
            zh,
            en,
            decimals: *decimals,
            better: *better,
            values: outcomes.iter().map(|o| o.map(get)).collect(),
        })
        .collect()
}

pub fn comparison_csv(results: &[(String, Result<Outcome>)], lang: Lang) -> Vec<u8> {
    let h: &[&str] = if lang == Lang::Zh {
        &[
            "方案",
            "未覆盖人次",
            "最高相对负荷",
            "最低相对负荷",
            "负荷差",
            "总人·小时",
            "总费用(元)",
            "与基线相比变更的安排",
            "错误",
        ]
    } else {
        &[
            "scenario",
            "uncovered",
            "max_relative_load",
            "min_relative_load",
            "spread",
            "staff_hours",
            "total_cost_yuan",
            "assignments_changed",
            "error",
        ]
    };
    let mut out = CsvOut::new(h);
    for (name, r) in results {
        match r {
            Ok(o) => out.row(vec![
                Cell::Text(name.clone()),
                Cell::Num(o.uncovered.to_string()),
                Cell::Num(format!("{:.3}", o.max_rel)),
                Cell::Num(format!("{:.3}", o.min_rel)),
                Cell::Num(format!("{:.3}", o.max_rel - o.min_rel)),
                Cell::Num(format!("{:.2}", o.staff_hours)),
                Cell::Num(o.cost.to_string()),
                Cell::Num(o.changed.to_string()),
                Cell::Text(String::new()),
            ]),
            Err(e) => out.row(vec![
                Cell::Text(name.clone()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(e.render(lang)),
            ]),
        }
    }
    out.into_bytes()
}

pub fn comparison_table(results: &[(String, Result<Outcome>)], lang: Lang) -> String {
    use crate::outputs::table::{Align, Table};
    let r = Align::Right;
    let mut t = Table::new(&[
        (lang.t("方案", "scenario"), Align::Left),
        (lang.t("未覆盖", "uncov"), r),
        (lang.t("最高", "max"), r),
        (lang.t("最低", "min"), r),
        (lang.t("差", "spread"), r),
        (lang.t("人·小时", "staff-h"), r),
        (lang.t("费用(元)", "cost"), r),
        (lang.t("变更", "changed"), r),
    ]);
    let mut failed = String::new();
    for (name, res) in results {
        match res {
            Ok(x) => t.row(vec![
                name.clone(),
                x.uncovered.to_string(),
                format!("{:.3}", x.max_rel),
                format!("{:.3}", x.min_rel),
                format!("{:.3}", x.max_rel - x.min_rel),
                format!("{:.2}", x.staff_hours),
                x.cost.to_string(),
                x.changed.to_string(),
            ]),
            Err(e) => {
                let _ = writeln!(
                    failed,
                    "{name} {}: {}",
                    lang.t("失败", "FAILED"),
                    e.render(lang).replace('\n', " ")
                );
            }
        }
    }
    t.render("") + &failed
}
