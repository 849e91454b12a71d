//! The workload ledger: published rosters (versioned, never overwritten),
//! what was actually served (absences, substitutions, cancellations), and
//! pay computed exactly in fen.
//!
//! Layout of a history folder:
//! ```text
//! history/
//!   weeks/2026-12-07/v1.csv, v2.csv ...   published versions (roster CSV)
//!   events.csv                            absences, substitutions, cancellations
//!   .lock                                 held while a command writes
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::input::table::{parse_table, Columns};

use crate::demand::{self, Duty};
use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::lang::Lang;
use crate::model::policy::{Ledger, Policy, Role};
use crate::model::school::School;
use crate::model::units::Fen;
use crate::outputs::files::{write_atomic, Cell, CsvOut};
use crate::roster::{self, Row};

pub struct History {
    pub dir: PathBuf,
}

/// Held while writing the history; a second run gets a clear error.
pub struct Lock {
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl History {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        History { dir: dir.into() }
    }

    pub fn lock(&self) -> Result<Lock> {
        let path = self.dir.join(".lock");
        std::fs::create_dir_all(&self.dir).map_err(|source| Error::Write {
            path: self.dir.clone(),
            source,
        })?;
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(_) => Ok(Lock { path }),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::Usage(format!(
                "{} exists: another kehou run is writing this history (delete the file if no run is active) / 另一个进程正在写入排班历史",
                path.display()
            ))),
            Err(source) => Err(Error::Write { path, source }),
        }
    }

    fn week_dir(&self, monday: NaiveDate) -> PathBuf {
        self.dir.join("weeks").join(monday.to_string())
    }

    /// Published versions of a week, ascending.
    pub fn versions(&self, monday: NaiveDate) -> Vec<u32> {
        let mut v: Vec<u32> = std::fs::read_dir(self.week_dir(monday))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter_map(|e| {
                        e.file_name()
                            .to_str()
                            .and_then(|n| n.strip_prefix('v'))
                            .and_then(|n| n.strip_suffix(".csv"))
                            .and_then(|n| n.parse().ok())
                    })
                    .collect()
            })
            .unwrap_or_default();
        v.sort_unstable();
        v
    }

    pub fn version_path(&self, monday: NaiveDate, v: u32) -> PathBuf {
        self.week_dir(monday).join(format!("v{v}.csv"))
    }

    /// Publish roster bytes as the week's next version. An already published
    /// week needs `replace`; the earlier versions are kept.
    pub fn publish(&self, monday: NaiveDate, bytes: &[u8], replace: bool) -> Result<u32> {
        let _lock = self.lock()?;
        let versions = self.versions(monday);
        if let Some(&last) = versions.last() {
            if !replace {
                return Err(Error::Usage(format!(
                    "week {monday} is already published (v{last}); publish again with --replace to make v{} (v{last} is kept) / 本周已发布,如需更新请加 --replace",
                    last + 1
                )));
            }
        }
        let v = versions.last().map_or(1, |l| l + 1);
        write_atomic(&self.version_path(monday, v), bytes)?;
        Ok(v)
    }

    /// The latest published rows of a week, if any.
    pub fn published(&self, monday: NaiveDate) -> Result<Option<(u32, Vec<Row>)>> {
        match self.versions(monday).last() {
            Some(&v) => Ok(Some((v, roster::read(&self.version_path(monday, v))?))),
            None => Ok(None),
        }
    }

    pub fn events_path(&self) -> PathBuf {
        self.dir.join("events.csv")
    }

    pub fn events(&self) -> Result<Vec<Event>> {
        let path = self.events_path();
        match std::fs::read(&path) {
            Ok(b) => parse_events(&path, &b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(source) => Err(Error::Read { path, source }),
        }
    }

    /// Append an event (the file is rewritten atomically).
    pub fn record(&self, e: &Event) -> Result<()> {
        let _lock = self.lock()?;
        let mut all = self.events()?;
        all.push(e.clone());
        write_atomic(&self.events_path(), &events_csv(&all))
    }
}

/// What happened to the published roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `staff` did not serve `duty`; `substitute` served it instead, if any.
    Absent {
        duty: String,
        staff: String,
        substitute: Option<String>,
        note: String,
    },
    /// `staff` handed `duty` to `with`, who served it (换班: usually the
    /// return of a substitution earlier that week).
    Swap {
        duty: String,
        staff: String,
        with: String,
        note: String,
    },
    /// Every duty on `date` (in `session`, or all sessions) was cancelled: not served, not paid.
    Cancel {
        date: NaiveDate,
        session: Option<String>,
        note: String,
    },
}

const EVENT_COLUMNS: Columns = &[
    ("kind", &["类型"], true),
    ("date", &["日期"], false),
    ("session", &["时段"], false),
    ("duty_id", &["任务编号"], false),
    ("staff_id", &["工号"], false),
    ("substitute_id", &["代课人工号"], false),
    ("note", &["说明"], false),
];

fn events_csv(all: &[Event]) -> Vec<u8> {
    let mut out = CsvOut::new(&[
        "kind",
        "date",
        "session",
        "duty_id",
        "staff_id",
        "substitute_id",
        "note",
    ]);
    for e in all {
        let cells = match e {
            Event::Absent {
                duty,
                staff,
                substitute,
                note,
            } => [
                "absent".to_string(),
                String::new(),
                String::new(),
                duty.clone(),
                staff.clone(),
                substitute.clone().unwrap_or_default(),
                note.clone(),
            ],
            Event::Swap {
                duty,
                staff,
                with,
                note,
            } => [
                "swap".to_string(),
                String::new(),
                String::new(),
                duty.clone(),
                staff.clone(),
                with.clone(),
                note.clone(),
            ],
            Event::Cancel {
                date,
                session,
                note,
            } => [
                "cancel".to_string(),
                date.to_string(),
                session.clone().unwrap_or_default(),
                String::new(),
                String::new(),
                String::new(),
                note.clone(),
            ],
        };
        out.row(cells.into_iter().map(Cell::Text).collect());
    }
    out.into_bytes()
}

/// A diagnostic for the first of `fields` that row `r` leaves empty.
fn missing(
    r: &crate::input::table::Row,
    fields: &[&str],
    path: &Path,
    what: &str,
) -> Option<Diagnostic> {
    let f = fields.iter().find(|f| r.get(f).is_empty())?;
    Some(Diagnostic::new(
        path,
        r.line,
        *f,
        format!("{what} without {f}"),
        format!("non-empty {}", fields.join(", ")),
    ))
}

fn parse_events(path: &Path, bytes: &[u8]) -> Result<Vec<Event>> {
    let mut diags = Diagnostics::default();
    let Some(t) = parse_table(path, bytes, EVENT_COLUMNS, &mut diags) else {
        return diags.into_result(Vec::new());
    };
    let mut out = Vec::new();
    for r in &t.rows {
        match r.get("kind") {
            "absent" | "缺勤" => {
                let need = ["duty_id", "staff_id"];
                if let Some(d) = missing(r, &need, path, "an absence") {
                    diags.push(d);
                    continue;
                }
                out.push(Event::Absent {
                    duty: r.get("duty_id").to_string(),
                    staff: r.get("staff_id").to_string(),
                    substitute: Some(r.get("substitute_id").to_string()).filter(|s| !s.is_empty()),
                    note: r.get("note").to_string(),
                });
            }
            "swap" | "换班" => {
                let need = ["duty_id", "staff_id", "substitute_id"];
                if let Some(d) = missing(r, &need, path, "a swap") {
                    diags.push(d);
                    continue;
                }
                out.push(Event::Swap {
                    duty: r.get("duty_id").to_string(),
                    staff: r.get("staff_id").to_string(),
                    with: r.get("substitute_id").to_string(),
                    note: r.get("note").to_string(),
                });
            }
            "cancel" | "取消" => match NaiveDate::parse_from_str(r.get("date"), "%Y-%m-%d") {
                Ok(date) => out.push(Event::Cancel {
                    date,
                    session: Some(r.get("session").to_string()).filter(|s| !s.is_empty()),
                    note: r.get("note").to_string(),
                }),
                Err(_) => diags.push(Diagnostic::new(
                    path,
                    r.line,
                    "date",
                    format!("\"{}\"", r.get("date")),
                    "a date such as 2026-12-08",
                )),
            },
            o => diags.push(Diagnostic::new(
                path,
                r.line,
                "kind",
                format!("\"{o}\""),
                "absent, swap or cancel",
            )),
        }
    }
    diags.into_result(out)
}

/// One duty actually served by one person.
#[derive(Debug, Clone, PartialEq)]
pub struct Served {
    pub duty: Duty,
    pub staff: usize,
}

/// What was served from `from` to `to`: the latest published version of
/// each week, with absences, substitutions and cancellations applied.
pub fn served(
    policy: &Policy,
    school: &School,
    history: &History,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Served>> {
    let events = history.events()?;
    let mut out = Vec::new();
    let mut monday = crate::calendar::monday_of(from);
    while monday <= to {
        if let Some((_, rows)) = history.published(monday)? {
            let dm = demand::week(policy, school, monday);
            out.extend(served_week(school, &dm.duties, &rows, &events, from, to)?);
        }
        monday = monday + chrono::Days::new(7);
    }
    Ok(out)
}

/// Apply events to one week's published rows.
pub fn served_week(
    school: &School,
    duties: &[Duty],
    rows: &[Row],
    events: &[Event],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Served>> {
    let by_id: BTreeMap<&str, &Duty> = duties.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut out = Vec::new();
    for r in rows {
        let Some(sid) = &r.staff_id else { continue };
        let Some(duty) = by_id.get(r.duty_id.as_str()) else {
            return Err(Error::Usage(format!("published duty {} no longer matches the policy and data; re-plan and publish the week again / 已发布任务与当前数据不符", r.duty_id)));
        };
        if duty.date < from || duty.date > to {
            continue;
        }
        let cancelled = events.iter().any(|e| matches!(e, Event::Cancel { date, session, .. } if *date == duty.date && session.as_ref().is_none_or(|s| *s == duty.session)));
        if cancelled {
            continue;
        }
        let mut who = sid.clone();
        for e in events {
            let (d, staff, to) = match e {
                Event::Absent {
                    duty,
                    staff,
                    substitute,
                    ..
                } => (duty, staff, substitute.as_ref()),
                Event::Swap {
                    duty, staff, with, ..
                } => (duty, staff, Some(with)),
                Event::Cancel { .. } => continue,
            };
            if *d == duty.id && *staff == who {
                match to {
                    Some(s) => who = s.clone(),
                    None => {
                        who.clear();
                        break;
                    }
                }
            }
        }
        if who.is_empty() {
            continue;
        }
        let Some(s) = school.staff_index(&who) else {
            return Err(Error::Usage(format!(
                "events.csv names staff {who}, who is not in staff.csv / 记录中的人员不存在"
            )));
        };
        out.push(Served {
            duty: (*duty).clone(),
            staff: s,
        });
    }
    Ok(out)
}

/// Totals for one person and ledger category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amounts {
    pub duties: u32,
    pub minutes: u32,
    /// 课时 in hundredths.
    pub keshi_centi: i64,
    pub pay: Fen,
}

impl std::ops::AddAssign for Amounts {
    fn add_assign(&mut self, o: Amounts) {
        self.duties += o.duties;
        self.minutes += o.minutes;
        self.keshi_centi += o.keshi_centi;
        self.pay.0 += o.pay.0;
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
        Fen(self.service.pay.0 + self.care.pay.0 + self.labour_fee.0)
    }
}

/// Per person, day and category: duties, minutes, weighted centi-minutes, flat fen.
type DayTotals = (u32, u32, i64, i64);

/// Integer division rounding half up (non-negative inputs).
fn div_round(n: i64, d: i64) -> i64 {
    (2 * n + d) / (2 * d)
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
    for s in served {
        let kind = &policy.duty_kinds[s.duty.kind];
        let e = days
            .entry((s.staff, s.duty.date, s.duty.ledger))
            .or_default();
        e.0 += 1;
        e.1 += s.duty.minutes();
        match kind.flat_pay {
            Some(f) => e.3 += f.0,
            None => e.2 += i64::from(s.duty.minutes()) * s.duty.weight.0,
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
        let amount = div_round(keshi * rate, 100) + flat;
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
            row.labour_fee.0 += amount;
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

fn headers(lang: Lang) -> Vec<&'static str> {
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
        t.labour_fee.0 += r.labour_fee.0;
    }
    t
}

/// Id, name and role of a row's person ("total" for the totals row).
fn person_cells(school: &School, r: &WorkloadRow, lang: Lang) -> (String, String, String) {
    match school.staff.get(r.staff) {
        Some(s) => (s.id.clone(), s.name.clone(), s.role.label(lang).to_string()),
        None => (
            lang.t("合计", "total").to_string(),
            String::new(),
            String::new(),
        ),
    }
}

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

/// Weighted load served per person in a date range (for term fairness).
pub fn served_load(served: &[Served]) -> BTreeMap<usize, i64> {
    let mut m = BTreeMap::new();
    for s in served {
        *m.entry(s.staff).or_insert(0) += s.duty.load();
    }
    m
}

/// Add the load served this term before `monday` (from the history) to
/// the school's prior load, so planning is fair over the term.
pub fn add_term_load(p: &Policy, s: &mut School, h: &History, monday: NaiveDate) -> Result<()> {
    let Some(term) = p
        .calendar
        .terms
        .iter()
        .find(|t| t.start <= monday && monday <= t.end)
    else {
        return Ok(());
    };
    let Some(before) = monday.pred_opt() else {
        return Ok(());
    };
    if before < term.start {
        return Ok(());
    }
    let served = served(p, s, h, term.start, before)?;
    for (staff, load) in served_load(&served) {
        *s.served.entry(staff).or_insert(0) += load;
    }
    Ok(())
}
