//! The reports' tables as CSV (UTF-8 with a BOM, formula-safe cells):
//! the same counts as the page, one file per table.

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

fn num(n: impl ToString) -> Cell {
    Cell::Num(n.to_string())
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

pub fn attendance_csv(s: &School, rows: &ByWeekClass<Attendance>, lang: Lang) -> Vec<u8> {
    let mut out = CsvOut::new(&[
        lang.t("周", "week"),
        lang.t("班级编号", "class id"),
        lang.t("班级", "class"),
        lang.t("到", "present"),
        lang.t("请假", "leave"),
        lang.t("无故缺席", "unexcused"),
        lang.t("点名人次", "marks"),
    ]);
    for ((w, c), a) in rows {
        out.row(vec![
            text(w.to_string()),
            text(c.as_str()),
            text(class_name(s, c)),
            num(a.present),
            num(a.leave),
            num(a.unexcused),
            num(a.total()),
        ]);
    }
    out.into_bytes()
}

pub fn incidents_csv(s: &School, rows: &ByWeekClass<Incidents>, lang: Lang) -> Vec<u8> {
    let mut out = CsvOut::new(&[
        lang.t("周", "week"),
        lang.t("班级编号", "class id"),
        lang.t("班级", "class"),
        lang.t("无故缺席", "unexcused"),
        lang.t("身体不适", "unwell"),
        lang.t("晚接", "late pickups"),
    ]);
    for ((w, c), i) in rows {
        out.row(vec![
            text(w.to_string()),
            text(c.as_str()),
            text(class_name(s, c)),
            num(i.unexcused),
            num(i.unwell),
            num(i.late_pickups),
        ]);
    }
    out.into_bytes()
}

pub fn applications_csv(
    s: &School,
    per: &BTreeMap<String, Funnel>,
    all: &Funnel,
    lang: Lang,
) -> Vec<u8> {
    let mut out = CsvOut::new(&[
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
        out.row(vec![
            text(id),
            text(name),
            num(f.applied),
            num(f.reviewed),
            num(f.approved),
            num(f.refused),
            num(f.withdrawn),
        ]);
    }
    out.into_bytes()
}

pub fn clubs_csv(rows: &[ClubFill], lang: Lang) -> Vec<u8> {
    let mut out = CsvOut::new(&[
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
        out.row(vec![
            text(r.club_id.as_str()),
            text(r.name.as_str()),
            num(r.capacity),
            num(r.first_choice),
            opt(r.percent(r.first_choice)),
            r.admitted.map_or(text(""), num),
            opt(r.admitted.and_then(|a| r.percent(a))),
        ]);
    }
    out.into_bytes()
}
