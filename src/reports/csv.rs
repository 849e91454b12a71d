//! The reports' tables as the downloads write them: headers and rows of
//! cells, the same counts as the page, one file per table, as CSV (UTF-8
//! with a BOM, formula-safe cells) or as a workbook (`xlsx.rs`).

use std::collections::BTreeMap;

use crate::enrol::Funnel;
use crate::lang::Lang;
use crate::model::school::School;
use crate::outputs::files::{Cell, CsvOut};

use super::{Attendance, ByWeekClass, ClubFill, Incidents};

/// A class's name by its id (the id when the school no longer has it).
pub fn class_name(s: &School, id: &str) -> String {
    s.classes
        .iter()
        .find(|c| c.id == id)
        .map_or(id.to_string(), |c| c.name.clone())
}

/// One report's table: its headers (in the language asked) and its rows.
pub struct Table {
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(headers: &[&'static str]) -> Table {
        Table {
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    /// The table as CSV.
    pub fn into_csv(self) -> Vec<u8> {
        let mut out = CsvOut::new(&self.headers);
        for r in self.rows {
            out.row(r);
        }
        out.into_bytes()
    }
}

fn num(n: impl ToString) -> Cell {
    Cell::Num(n.to_string())
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

pub fn attendance_table(s: &School, rows: &ByWeekClass<Attendance>, lang: Lang) -> Table {
    let mut out = Table::new(&[
        lang.t("周", "week"),
        lang.t("班级编号", "class id"),
        lang.t("班级", "class"),
        lang.t("到", "present"),
        lang.t("请假", "leave"),
        lang.t("无故缺席", "unexcused"),
        lang.t("点名人次", "marks"),
    ]);
    for ((w, c), a) in rows {
        out.rows.push(vec![
            text(w.to_string()),
            text(c.as_str()),
            text(class_name(s, c)),
            num(a.present),
            num(a.leave),
            num(a.unexcused),
            num(a.total()),
        ]);
    }
    out
}

pub fn incidents_table(s: &School, rows: &ByWeekClass<Incidents>, lang: Lang) -> Table {
    let mut out = Table::new(&[
        lang.t("周", "week"),
        lang.t("班级编号", "class id"),
        lang.t("班级", "class"),
        lang.t("无故缺席", "unexcused"),
        lang.t("身体不适", "unwell"),
        lang.t("晚接", "late pickups"),
    ]);
    for ((w, c), i) in rows {
        out.rows.push(vec![
            text(w.to_string()),
            text(c.as_str()),
            text(class_name(s, c)),
            num(i.unexcused),
            num(i.unwell),
            num(i.late_pickups),
        ]);
    }
    out
}

pub fn applications_table(
    s: &School,
    per: &BTreeMap<String, Funnel>,
    all: &Funnel,
    lang: Lang,
) -> Table {
    let mut out = Table::new(&[
        lang.t("班级编号", "class id"),
        lang.t("班级", "class"),
        lang.t("已申请", "applied"),
        lang.t("已审核", "reviewed"),
        lang.t("已批准", "approved"),
        lang.t("未通过", "refused"),
        lang.t("已撤回/退出", "withdrawn"),
    ]);
    let total = (String::new(), lang.t("合计", "total").to_string());
    let rows = per
        .iter()
        .map(|(c, f)| ((c.clone(), class_name(s, c)), f))
        .chain(std::iter::once((total, all)));
    for ((id, name), f) in rows {
        out.rows.push(vec![
            text(id),
            text(name),
            num(f.applied),
            num(f.reviewed),
            num(f.approved),
            num(f.refused),
            num(f.withdrawn),
        ]);
    }
    out
}

pub fn clubs_table(rows: &[ClubFill], lang: Lang) -> Table {
    let mut out = Table::new(&[
        lang.t("社团编号", "club id"),
        lang.t("社团", "club"),
        lang.t("名额", "capacity"),
        lang.t("第一志愿", "first choice"),
        lang.t("第一志愿/名额 %", "first choice / capacity %"),
        lang.t("已录取", "admitted"),
        lang.t("录取/名额 %", "admitted / capacity %"),
    ]);
    let opt = |n: Option<u64>| n.map_or(text(""), num);
    for r in rows {
        out.rows.push(vec![
            text(r.club_id.as_str()),
            text(r.name.as_str()),
            num(r.capacity),
            num(r.first_choice),
            opt(r.percent(r.first_choice)),
            r.admitted.map_or(text(""), num),
            opt(r.admitted.and_then(|a| r.percent(a))),
        ]);
    }
    out
}
