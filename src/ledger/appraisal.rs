//! The appraisal sheet (issue 20, item 4): per person and period, what the
//! school plan says enters performance appraisal — workload (duties and
//! hours served), duties missed (absences recorded), late sign-ins, comp
//! time earned and taken, and service feedback (the parent/pupil survey
//! scores of the groups and clubs the person served). On screen and as an
//! `.xlsx` workbook.
//!
//! Sign-ins are recorded during each duty by the duty pages (issue 20,
//! item 2; `record::duty`, `Tx::sign_ins`); the caller converts the
//! period's to [`SignIn`] and this module counts them and the late ones
//! (after the duty's start plus the policy's grace).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::School;

use super::comp::{accrued_minutes, Taken};
use super::{Event, Served};

/// One sign-in at the start of a duty (recorded by the duty pages;
/// `record::duty::SignIn` without the time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    pub date: NaiveDate,
    pub duty_id: String,
    pub staff_id: String,
    pub late: bool,
}

/// A group's or club's survey answers in the period (`record::surveys`).
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    /// The group or club, as the duties name it (`Duty::group`).
    pub target: String,
    pub answers: u32,
    /// Mean of every score given (1–5), in hundredths.
    pub mean_centi: i64,
}

/// One person's line of the appraisal sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub staff: usize,
    pub duties: u32,
    pub minutes: u32,
    /// Absences recorded on their duties in the period.
    pub missed: u32,
    pub sign_ins: u32,
    pub late: u32,
    pub comp_accrued: i64,
    pub comp_taken: i64,
    /// The groups and clubs they served that have survey answers.
    pub feedback: Vec<Feedback>,
}

impl Line {
    /// The mean of their groups' means, weighted by answers (hundredths).
    pub fn feedback_mean(&self) -> Option<i64> {
        let n: i64 = self.feedback.iter().map(|f| i64::from(f.answers)).sum();
        if n == 0 {
            return None;
        }
        let sum: i64 = self
            .feedback
            .iter()
            .map(|f| f.mean_centi * i64::from(f.answers))
            .sum();
        Some(super::pay::div_round(sum, n))
    }
}

/// What the sheet is made from.
pub struct Inputs<'a> {
    pub served: &'a [Served],
    pub events: &'a [Event],
    pub sign_ins: &'a [SignIn],
    pub taken: &'a [Taken],
    pub feedback: &'a [Feedback],
    pub from: NaiveDate,
    pub to: NaiveDate,
}

fn in_period(d: NaiveDate, x: &Inputs) -> bool {
    x.from <= d && d <= x.to
}

/// The date that starts a duty id (date/kind/group).
fn duty_date(id: &str) -> Option<NaiveDate> {
    id.split('/').next()?.parse().ok()
}

/// Every active staff member's line, in staff order.
pub fn sheet(policy: &Policy, school: &School, x: &Inputs) -> Vec<Line> {
    let mut lines: Vec<Line> = (0..school.staff.len())
        .map(|staff| Line {
            staff,
            duties: 0,
            minutes: 0,
            missed: 0,
            sign_ins: 0,
            late: 0,
            comp_accrued: 0,
            comp_taken: 0,
            feedback: Vec::new(),
        })
        .collect();
    let mut groups: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for s in x.served {
        let Some(l) = lines.get_mut(s.staff) else {
            continue;
        };
        l.duties += 1;
        l.minutes = l.minutes.saturating_add(s.duty.minutes());
        if let Some(c) = &policy.comp {
            l.comp_accrued = l.comp_accrued.saturating_add(accrued_minutes(c, &s.duty));
        }
        groups.entry(s.staff).or_default().insert(&s.duty.group);
    }
    for e in x.events {
        if let Event::Absent { duty, staff, .. } = e {
            let here = duty_date(duty).is_some_and(|d| in_period(d, x));
            if let (true, Some(i)) = (here, school.staff_index(staff)) {
                lines[i].missed += 1;
            }
        }
    }
    for s in x.sign_ins.iter().filter(|s| in_period(s.date, x)) {
        if let Some(i) = school.staff_index(&s.staff_id) {
            lines[i].sign_ins += 1;
            lines[i].late += u32::from(s.late);
        }
    }
    for t in x.taken.iter().filter(|t| in_period(t.on_date, x)) {
        if let Some(i) = school.staff_index(&t.staff_id) {
            lines[i].comp_taken = lines[i].comp_taken.saturating_add(t.minutes);
        }
    }
    for (staff, gs) in groups {
        lines[staff].feedback = x
            .feedback
            .iter()
            .filter(|f| gs.contains(f.target.as_str()))
            .cloned()
            .collect();
    }
    lines
        .into_iter()
        .filter(|l| school.staff[l.staff].active || l.duties > 0)
        .collect()
}

/// Hundredths as a decimal: 4.25.
pub fn centi_words(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

fn xerr(e: XlsxError) -> Error {
    Error::Solver(format!("xlsx: {e}"))
}

/// The sheet's column heads.
pub fn heads(lang: Lang) -> [&'static str; 11] {
    [
        lang.t("工号", "staff id"),
        lang.t("姓名", "name"),
        lang.t("任务数", "duties"),
        lang.t("小时", "hours"),
        lang.t("缺勤次数", "duties missed"),
        lang.t("签到次数", "sign-ins"),
        lang.t("迟到签到", "late sign-ins"),
        lang.t("调休累计(分钟)", "comp earned (min)"),
        lang.t("调休已用(分钟)", "comp taken (min)"),
        lang.t("服务评价均分", "feedback mean"),
        lang.t("评价 (班组: 均分/份数)", "feedback (group: mean/answers)"),
    ]
}

/// One line's cells, in the order of `heads`.
pub fn cells(school: &School, l: &Line) -> [String; 11] {
    let s = &school.staff[l.staff];
    let fb: Vec<String> = l
        .feedback
        .iter()
        .map(|f| format!("{}: {}/{}", f.target, centi_words(f.mean_centi), f.answers))
        .collect();
    [
        s.id.clone(),
        s.name.clone(),
        l.duties.to_string(),
        format!("{:.2}", f64::from(l.minutes) / 60.0),
        l.missed.to_string(),
        l.sign_ins.to_string(),
        l.late.to_string(),
        l.comp_accrued.to_string(),
        l.comp_taken.to_string(),
        l.feedback_mean().map(centi_words).unwrap_or_default(),
        fb.join("; "),
    ]
}

/// The workbook: a title row (school, period), the heads, one row per
/// line (numbers as numbers), and the note on sign-ins.
pub fn xlsx(
    policy: &Policy,
    school: &School,
    lines: &[Line],
    (from, to): (NaiveDate, NaiveDate),
    lang: Lang,
) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(lang.t("考核表", "appraisal")).map_err(xerr)?;
    let bold = Format::new().set_bold();
    let title = match lang {
        Lang::Zh => format!("{} 课后服务考核表 {from} 至 {to}", policy.school_name),
        Lang::En => format!(
            "{}: after-school service appraisal, {from} to {to}",
            policy.school_name
        ),
    };
    ws.write_string_with_format(0, 0, &title, &bold)
        .map_err(xerr)?;
    for (c, h) in heads(lang).iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &bold)
            .map_err(xerr)?;
    }
    for (r, l) in lines.iter().enumerate() {
        let row = r as u32 + 2;
        for (c, v) in cells(school, l).iter().enumerate() {
            let c = c as u16;
            match v.parse::<f64>() {
                Ok(n) if (2..=9).contains(&c) => ws.write_number(row, c, n).map_err(xerr)?,
                _ => ws.write_string(row, c, v).map_err(xerr)?,
            };
        }
    }
    let note_row = lines.len() as u32 + 3;
    ws.write_string(note_row, 0, sign_in_note(lang))
        .map_err(xerr)?;
    ws.set_column_width(1, 12).map_err(xerr)?;
    ws.set_column_width(10, 40).map_err(xerr)?;
    wb.save_to_buffer().map_err(xerr)
}

/// What the sheet says of sign-ins.
pub fn sign_in_note(lang: Lang) -> &'static str {
    lang.t(
        "签到来自值班时的签到记录; 迟到签到为晚于任务开始加宽限时间的签到.",
        "Sign-ins come from the duty sign-ins; a late one is after the duty's start plus the grace.",
    )
}
