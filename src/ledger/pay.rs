//! Workload and pay per person: 课时 and amounts computed exactly in fen,
//! and the workload as CSV and xlsx.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::model::policy::{Ledger, Policy, Role};
use crate::model::school::School;
use crate::model::units::Fen;
use crate::outputs::files::{Cell, CsvOut};

use super::Served;

/// Totals for one person and ledger category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amounts {
    pub duties: u32,
    pub minutes: u32,
    /// 课时 in hundredths.
    pub keshi_centi: i64,
    pub pay: Fen,
}

// Sums of input saturate: a history edited by hand must not wrap a total
// into a small or negative amount.
impl std::ops::AddAssign for Amounts {
    fn add_assign(&mut self, o: Amounts) {
        self.duties = self.duties.saturating_add(o.duties);
        self.minutes = self.minutes.saturating_add(o.minutes);
        self.keshi_centi = self.keshi_centi.saturating_add(o.keshi_centi);
        self.pay.0 = self.pay.0.saturating_add(o.pay.0);
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadRow {
    pub staff: usize,
    pub service: Amounts,
    pub care: Amounts,
    /// Outside instructors: labour fee (劳务费), not performance pay.
    pub labour_fee: Fen,
}

impl WorkloadRow {
    pub fn total_pay(&self) -> Fen {
        Fen(self
            .service
            .pay
            .0
            .saturating_add(self.care.pay.0)
            .saturating_add(self.labour_fee.0))
    }
}

/// Per person, day and category: duties, minutes, weighted centi-minutes, flat fen.
type DayTotals = (u32, u32, i64, i64);

/// Integer division rounding half up (non-negative inputs).
fn div_round(n: i64, d: i64) -> i64 {
    let d = d.max(1);
    (n / d).saturating_add(i64::from(n % d * 2 >= d))
}

/// Per-person workload and pay. Per person, day and category: 课时 =
/// weighted minutes / minutes per 课时 (in hundredths, rounded half up),
/// capped by the daily cap; pay = 课时 x rate, in fen. Flat-paid kinds add
/// their flat amount per duty and no 课时.
pub fn workload(policy: &Policy, school: &School, served: &[Served]) -> Vec<WorkloadRow> {
    let pay = &policy.pay;
    let mpk = i64::from(pay.minutes_per_keshi);
    // (staff, date, ledger) -> (duties, minutes, weighted centi-minutes, flat fen)
    let mut days: BTreeMap<(usize, NaiveDate, Ledger), DayTotals> = BTreeMap::new();
    for x in served {
        let kind = &policy.duty_kinds[x.duty.kind];
        let e = days
            .entry((x.staff, x.duty.date, x.duty.ledger))
            .or_default();
        e.0 = e.0.saturating_add(1);
        e.1 = e.1.saturating_add(x.duty.minutes());
        match kind.flat_pay {
            Some(f) => e.3 = e.3.saturating_add(f.0),
            None => {
                e.2 =
                    e.2.saturating_add(i64::from(x.duty.minutes()) * x.duty.weight.0)
            }
        }
    }
    let mut rows: BTreeMap<usize, WorkloadRow> = BTreeMap::new();
    for ((staff, _, ledger), (n, minutes, wcm, flat)) in days {
        let mut keshi = div_round(wcm, mpk);
        if let Some(cap) = pay.daily_cap_keshi {
            keshi = keshi.min(cap.0);
        }
        let outside = school.staff[staff].role == Role::Outside;
        let rate = if outside {
            pay.outside_rate_per_keshi.0
        } else {
            pay.rate_per_keshi.0
        };
        let amount = div_round(keshi.saturating_mul(rate), 100).saturating_add(flat);
        let row = rows.entry(staff).or_insert(WorkloadRow {
            staff,
            service: Amounts::default(),
            care: Amounts::default(),
            labour_fee: Fen(0),
        });
        let a = Amounts {
            duties: n,
            minutes,
            keshi_centi: keshi,
            pay: Fen(if outside { 0 } else { amount }),
        };
        if outside {
            row.labour_fee.0 = row.labour_fee.0.saturating_add(amount);
        }
        match ledger {
            Ledger::Service => row.service += a,
            Ledger::Care => row.care += a,
        }
    }
    rows.into_values().collect()
}

fn keshi(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

fn hours(min: u32) -> String {
    format!("{:.2}", f64::from(min) / 60.0)
}

/// The workload's column headers.
/// The workload table's column headers (CSV, xlsx and the web page).
pub(crate) fn headers(lang: Lang) -> Vec<&'static str> {
    if lang == Lang::Zh {
        vec![
            "工号",
            "姓名",
            "角色",
            "课后服务-次数",
            "课后服务-小时",
            "课后服务-课时",
            "课后服务-金额",
            "早午看护-次数",
            "早午看护-小时",
            "早午看护-课时",
            "早午看护-金额",
            "劳务费",
            "合计金额",
        ]
    } else {
        vec![
            "staff_id",
            "name",
            "role",
            "service_duties",
            "service_hours",
            "service_keshi",
            "service_pay",
            "care_duties",
            "care_hours",
            "care_keshi",
            "care_pay",
            "labour_fee",
            "total_pay",
        ]
    }
}

/// Totals row (exact sums of the person rows).
pub fn totals(rows: &[WorkloadRow]) -> WorkloadRow {
    let mut t = WorkloadRow {
        staff: usize::MAX,
        service: Amounts::default(),
        care: Amounts::default(),
        labour_fee: Fen(0),
    };
    for r in rows {
        t.service += r.service;
        t.care += r.care;
        t.labour_fee.0 = t.labour_fee.0.saturating_add(r.labour_fee.0);
    }
    t
}

/// Id, name and role of a row's person ("total" for the totals row).
fn person_cells(school: &School, r: &WorkloadRow, lang: Lang) -> (String, String, String) {
    match school.staff.get(r.staff) {
        Some(st) => (
            st.id.clone(),
            st.name.clone(),
            st.role.label(lang).to_string(),
        ),
        None => (
            lang.t("合计", "total").to_string(),
            String::new(),
            String::new(),
        ),
    }
}

/// The workload as CSV, a totals row last.
pub fn workload_csv(school: &School, rows: &[WorkloadRow], lang: Lang) -> Vec<u8> {
    let mut out = CsvOut::new(&headers(lang));
    let t = totals(rows);
    for r in rows.iter().chain(std::iter::once(&t)) {
        let (id, name, role) = person_cells(school, r, lang);
        let mut cells = vec![Cell::Text(id), Cell::Text(name), Cell::Text(role)];
        for a in [r.service, r.care] {
            cells.extend([
                Cell::Num(a.duties.to_string()),
                Cell::Num(hours(a.minutes)),
                Cell::Num(keshi(a.keshi_centi)),
                Cell::Num(a.pay.to_string()),
            ]);
        }
        cells.push(Cell::Num(r.labour_fee.to_string()));
        cells.push(Cell::Num(r.total_pay().to_string()));
        out.row(cells);
    }
    out.into_bytes()
}

/// The workload for a terminal (80 columns): per person the 课时 and pay of
/// each ledger category, the labour fee and the total, then the totals
/// row. Duty counts and hours are in the CSV and the workbook.
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
        (lang.t("劳务费", "fee"), r),
        (lang.t("合计金额", "total"), r),
    ]);
    let total = totals(rows);
    for w in rows.iter().chain(std::iter::once(&total)) {
        let (id, name, _) = person_cells(school, w, lang);
        t.row(vec![
            id,
            name,
            keshi(w.service.keshi_centi),
            w.service.pay.to_string(),
            keshi(w.care.keshi_centi),
            w.care.pay.to_string(),
            w.labour_fee.to_string(),
            w.total_pay().to_string(),
        ]);
    }
    let mut out = t.render("");
    out.push_str(lang.t(
        "服务 = 课后服务, 看护 = 早午看护; 次数与小时见 --csv 或 --xlsx\n",
        "svc = after-school service, care = morning and noon care; duties and hours are in --csv or --xlsx\n",
    ));
    out
}

/// The workload as .xlsx: Chinese headers, number formats, frozen header row.
pub fn workload_xlsx(school: &School, rows: &[WorkloadRow], lang: Lang) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let xerr = |e: rust_xlsxwriter::XlsxError| Error::Solver(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(lang.t("工作量", "workload")).map_err(xerr)?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let num2 = Format::new().set_num_format("0.00");
    for (c, h) in headers(lang).iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(xerr)?;
        ws.set_column_width(c as u16, if c < 3 { 10 } else { 14 })
            .map_err(xerr)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    let t = totals(rows);
    for (i, r) in rows.iter().chain(std::iter::once(&t)).enumerate() {
        let row = (i + 1) as u32;
        let (id, name, role) = person_cells(school, r, lang);
        // Strings are written as strings: a name starting with = stays text.
        ws.write_string(row, 0, &id).map_err(xerr)?;
        ws.write_string(row, 1, &name).map_err(xerr)?;
        ws.write_string(row, 2, &role).map_err(xerr)?;
        let mut c = 3u16;
        for a in [r.service, r.care] {
            ws.write_number(row, c, f64::from(a.duties)).map_err(xerr)?;
            ws.write_number_with_format(row, c + 1, f64::from(a.minutes) / 60.0, &num2)
                .map_err(xerr)?;
            ws.write_number_with_format(row, c + 2, a.keshi_centi as f64 / 100.0, &num2)
                .map_err(xerr)?;
            ws.write_number_with_format(row, c + 3, a.pay.0 as f64 / 100.0, &money)
                .map_err(xerr)?;
            c += 4;
        }
        ws.write_number_with_format(row, c, r.labour_fee.0 as f64 / 100.0, &money)
            .map_err(xerr)?;
        ws.write_number_with_format(row, c + 1, r.total_pay().0 as f64 / 100.0, &money)
            .map_err(xerr)?;
    }
    wb.save_to_buffer().map_err(xerr)
}
