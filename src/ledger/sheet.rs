//! The workload as it is shown: one line per person with every number as
//! printed (hundredths of an hour, hundredths of a 课时, fen), and a
//! totals line that is the sum of the lines as shown. The CSV, the
//! terminal table, the web page and the workbook all show this sheet, so
//! a column added up by hand gives the totals line.

use crate::lang::Lang;
use crate::model::school::School;
use crate::model::units::Fen;
use crate::outputs::files::{Cell, CsvOut};

use super::pay::{div_round, Amounts, WorkloadRow};

/// One ledger category as shown: duties and hours served (flat-paid ones
/// included), 课时 and the 课时 pay (flat amounts excluded).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Category {
    pub duties: u32,
    /// Hours in hundredths, rounded half up from the line's minutes.
    pub hours_centi: i64,
    pub keshi_centi: i64,
    pub keshi_pay: Fen,
}

impl Category {
    fn of(a: &Amounts) -> Category {
        Category {
            duties: a.duties,
            hours_centi: div_round(i64::from(a.minutes) * 100, 60),
            keshi_centi: a.keshi_centi,
            keshi_pay: Fen(a.pay.0.saturating_sub(a.flat_pay.0)),
        }
    }

    fn add(&mut self, o: &Category) {
        self.duties = self.duties.saturating_add(o.duties);
        self.hours_centi = self.hours_centi.saturating_add(o.hours_centi);
        self.keshi_centi = self.keshi_centi.saturating_add(o.keshi_centi);
        self.keshi_pay.0 = self.keshi_pay.0.saturating_add(o.keshi_pay.0);
    }
}

/// One line of the sheet: a person, or the totals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    pub id: String,
    pub name: String,
    pub role: String,
    pub service: Category,
    pub care: Category,
    /// Duties paid a flat amount each (the patrol), of both categories.
    pub flat_duties: u32,
    pub flat_pay: Fen,
    /// Outside instructors: labour fee (劳务费), not performance pay.
    pub labour_fee: Fen,
    pub total: Fen,
}

/// A cell's value as shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Count(u32),
    /// Hundredths (hours, 课时).
    Centi(i64),
    Money(Fen),
}

impl Value {
    /// As printed: `12`, `3.50`, `175.00`.
    pub fn text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Count(n) => n.to_string(),
            Value::Centi(c) => Fen(*c).to_string(),
            Value::Money(f) => f.to_string(),
        }
    }
}

impl Line {
    fn add(&mut self, o: &Line) {
        self.service.add(&o.service);
        self.care.add(&o.care);
        self.flat_duties = self.flat_duties.saturating_add(o.flat_duties);
        self.flat_pay.0 = self.flat_pay.0.saturating_add(o.flat_pay.0);
        self.labour_fee.0 = self.labour_fee.0.saturating_add(o.labour_fee.0);
        self.total.0 = self.total.0.saturating_add(o.total.0);
    }

    /// The line's cells, in the order of [`columns`].
    pub fn cells(&self) -> Vec<Value> {
        let mut v = vec![
            Value::Text(self.id.clone()),
            Value::Text(self.name.clone()),
            Value::Text(self.role.clone()),
        ];
        for c in [self.service, self.care] {
            v.extend([
                Value::Count(c.duties),
                Value::Centi(c.hours_centi),
                Value::Centi(c.keshi_centi),
                Value::Money(c.keshi_pay),
            ]);
        }
        v.extend([
            Value::Count(self.flat_duties),
            Value::Money(self.flat_pay),
            Value::Money(self.labour_fee),
            Value::Money(self.total),
        ]);
        v
    }
}

/// The workload as shown: the people's lines and the totals line.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub lines: Vec<Line>,
    pub total: Line,
}

/// The sheet of the workload rows: each line rounded from its exact
/// units, the totals line the sum of the lines as shown.
pub fn sheet(school: &School, rows: &[WorkloadRow], lang: Lang) -> Sheet {
    let lines: Vec<Line> = rows
        .iter()
        .map(|r| {
            let (id, name, role) = match school.staff.get(r.staff) {
                Some(st) => (st.id.clone(), st.name.clone(), st.role.label(lang)),
                None => (String::new(), String::new(), ""),
            };
            Line {
                id,
                name,
                role: role.to_string(),
                service: Category::of(&r.service),
                care: Category::of(&r.care),
                flat_duties: r.service.flat_duties.saturating_add(r.care.flat_duties),
                flat_pay: Fen(r.service.flat_pay.0.saturating_add(r.care.flat_pay.0)),
                labour_fee: r.labour_fee,
                total: r.total_pay(),
            }
        })
        .collect();
    let mut total = Line {
        id: lang.t("合计", "total").to_string(),
        ..Line::default()
    };
    for l in &lines {
        total.add(l);
    }
    Sheet { lines, total }
}

/// A column: its group (a ledger category, spanning columns) and its head,
/// in Chinese and English, and its name in an English CSV.
pub struct Column {
    pub group: Option<(&'static str, &'static str)>,
    pub head: (&'static str, &'static str),
    pub csv_en: &'static str,
}

const fn col(
    group: Option<(&'static str, &'static str)>,
    head: (&'static str, &'static str),
    csv_en: &'static str,
) -> Column {
    Column {
        group,
        head,
        csv_en,
    }
}

const SERVICE: Option<(&str, &str)> = Some(("课后服务", "after-school service"));
const CARE: Option<(&str, &str)> = Some(("早午看护", "morning and noon care"));
const FLAT: Option<(&str, &str)> = Some(("按次计酬", "paid per duty"));

/// The sheet's columns, in the order of [`Line::cells`].
pub const COLUMNS: &[Column] = &[
    col(None, ("工号", "id"), "staff_id"),
    col(None, ("姓名", "name"), "name"),
    col(None, ("角色", "role"), "role"),
    col(SERVICE, ("次数", "duties"), "service_duties"),
    col(SERVICE, ("小时", "hours"), "service_hours"),
    col(SERVICE, ("课时", "keshi"), "service_keshi"),
    col(SERVICE, ("金额", "pay"), "service_pay"),
    col(CARE, ("次数", "duties"), "care_duties"),
    col(CARE, ("小时", "hours"), "care_hours"),
    col(CARE, ("课时", "keshi"), "care_keshi"),
    col(CARE, ("金额", "pay"), "care_pay"),
    col(FLAT, ("次数", "duties"), "flat_duties"),
    col(FLAT, ("金额", "pay"), "flat_pay"),
    col(None, ("劳务费", "labour fee"), "labour_fee"),
    col(None, ("合计金额", "total"), "total_pay"),
];

/// The columns' names in one row (CSV and the web page's data):
/// `课后服务-次数`, or `service_duties` in English.
pub(crate) fn headers(lang: Lang) -> Vec<String> {
    COLUMNS
        .iter()
        .map(|c| match (lang, c.group) {
            (Lang::En, _) => c.csv_en.to_string(),
            (Lang::Zh, Some(g)) => format!("{}-{}", g.0, c.head.0),
            (Lang::Zh, None) => c.head.0.to_string(),
        })
        .collect()
}

/// The workload as CSV, a totals row last.
pub fn workload_csv(school: &School, rows: &[WorkloadRow], lang: Lang) -> Vec<u8> {
    let heads = headers(lang);
    let heads: Vec<&str> = heads.iter().map(String::as_str).collect();
    let mut out = CsvOut::new(&heads);
    let sh = sheet(school, rows, lang);
    for l in sh.lines.iter().chain(std::iter::once(&sh.total)) {
        let cells = l
            .cells()
            .into_iter()
            .map(|v| match v {
                Value::Text(s) => Cell::Text(s),
                v => Cell::Num(v.text()),
            })
            .collect();
        out.row(cells);
    }
    out.into_bytes()
}

/// The workload for a terminal (80 columns): per person the 课时 and pay of
/// each ledger category, the flat-paid amounts, the labour fee and the
/// total, then the totals row. Duty counts and hours are in the CSV and
/// the workbook.
pub fn workload_table(school: &School, rows: &[WorkloadRow], lang: Lang) -> String {
    use crate::outputs::table::{Align, Table};
    let (l, r) = (Align::Left, Align::Right);
    let mut t = Table::new(&[
        (lang.t("工号", "id"), l),
        (lang.t("姓名", "name"), l),
        (lang.t("服务课时", "svc keshi"), r),
        (lang.t("服务金额", "svc pay"), r),
        (lang.t("看护课时", "care keshi"), r),
        (lang.t("看护金额", "care pay"), r),
        (lang.t("按次", "per duty"), r),
        (lang.t("劳务费", "fee"), r),
        (lang.t("合计", "total"), r),
    ]);
    let sh = sheet(school, rows, lang);
    for w in sh.lines.iter().chain(std::iter::once(&sh.total)) {
        t.row(vec![
            w.id.clone(),
            w.name.clone(),
            Fen(w.service.keshi_centi).to_string(),
            w.service.keshi_pay.to_string(),
            Fen(w.care.keshi_centi).to_string(),
            w.care.keshi_pay.to_string(),
            w.flat_pay.to_string(),
            w.labour_fee.to_string(),
            w.total.to_string(),
        ]);
    }
    let mut out = t.render("");
    out.push_str(lang.t(
        "服务 = 课后服务, 看护 = 早午看护, 按次 = 按次计酬 (巡查); 次数与小时见 --csv 或 --xlsx\n",
        "svc = after-school service, care = morning and noon care, per duty = flat-paid (patrol); duties and hours are in --csv or --xlsx\n",
    ));
    out
}
