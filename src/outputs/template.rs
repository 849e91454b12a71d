//! A blank workbook for each of the school's tables, for the office to
//! fill in offline and import: the headers the loader reads (Chinese, or
//! English), one sample row, and dropdown lists (Excel's data validation)
//! where a cell has a fixed set of values: roles, qualifications,
//! weekdays, enrollment keys, yes/no, leave kinds.

use std::collections::BTreeSet;

use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Workbook, XlsxError};

use crate::error::{Error, Result};
use crate::input::import::{header, TableKind};
use crate::lang::Lang;
use crate::model::policy::{Policy, Source};
use crate::model::school::School;

/// Rows a dropdown covers below the header (far more than any school).
const LAST_ROW: u32 = 2000;

fn xerr(e: XlsxError) -> Error {
    Error::Usage(format!("xlsx: {e}"))
}

/// The template of table `kind` as `.xlsx` bytes.
pub fn template(kind: TableKind, policy: &Policy, school: &School, lang: Lang) -> Result<Vec<u8>> {
    build(kind, policy, school, lang).map_err(xerr)
}

fn build(
    kind: TableKind,
    policy: &Policy,
    school: &School,
    lang: Lang,
) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(kind.stem())?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let cols = kind.columns();
    let sample = sample(kind, lang);
    for (i, (c, _, _)) in cols.iter().enumerate() {
        let col = i as u16;
        ws.write_string_with_format(0, col, header(cols, c, lang == Lang::En), &bold)?;
        // Text cells: Excel keeps `1-1` and `T001` as typed, not as dates or numbers.
        ws.set_column_format(col, &text)?;
        ws.set_column_width(col, 14)?;
        if let Some(v) = sample.iter().find(|(k, _)| k == c).map(|(_, v)| *v) {
            ws.write_string(1, col, v)?;
        }
        if let Some((list, strict)) = choices(kind, c, policy, school, lang) {
            let joined: usize = list.iter().map(|s| s.chars().count() + 1).sum();
            if list.is_empty() || joined > 255 {
                continue; // Excel's limit for a list written in the rule
            }
            let style = if strict {
                DataValidationErrorStyle::Stop
            } else {
                DataValidationErrorStyle::Warning
            };
            let dv = DataValidation::new()
                .allow_list_strings(&list)?
                .set_error_style(style);
            ws.add_data_validation(1, col, LAST_ROW, col, &dv)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}

/// The values a column may hold, when they are a fixed set; `true`: no
/// other value is allowed (a list of several, such as `体育;音乐`, is
/// allowed with a warning).
fn choices(
    kind: TableKind,
    col: &str,
    policy: &Policy,
    school: &School,
    lang: Lang,
) -> Option<(Vec<String>, bool)> {
    let zh = lang == Lang::Zh;
    let words = |z: &[&str], e: &[&str]| -> Vec<String> {
        (if zh { z } else { e })
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    let weekdays = || {
        words(
            &["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
            &["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        )
    };
    match (kind, col) {
        (TableKind::Staff, "role") => Some((
            words(
                &["班主任", "任课教师", "行政", "外聘"],
                &["homeroom", "subject", "admin", "outside"],
            ),
            true,
        )),
        (TableKind::Staff, "qualifications") => Some((qualifications(policy, school), false)),
        (TableKind::Clubs, "qualification") => Some((qualifications(policy, school), false)),
        (TableKind::Staff, "active") => Some((words(&["是", "否"], &["yes", "no"]), true)),
        (TableKind::Staff, "exemption") => Some((
            policy.exemptions.iter().map(|e| e.id.clone()).collect(),
            true,
        )),
        (TableKind::Enrollment, "weekday") => Some((weekdays(), true)),
        (TableKind::Clubs, "weekdays") => Some((weekdays(), false)),
        (TableKind::Enrollment, "session") => Some((enrollment_keys(policy), true)),
        (TableKind::Leave, "kind") => Some((words(&["请假", "意愿"], &["leave", "request"]), true)),
        _ => None,
    }
}

/// Every qualification the school names: the policy's duty kinds', the
/// clubs' and the staff's.
pub fn qualifications(policy: &Policy, school: &School) -> Vec<String> {
    let mut q: BTreeSet<String> = policy
        .duty_kinds
        .iter()
        .filter_map(|k| k.qualification.clone())
        .collect();
    q.extend(school.clubs.iter().filter_map(|c| c.qualification.clone()));
    q.extend(
        school
            .staff
            .iter()
            .flat_map(|s| s.qualifications.iter().cloned()),
    );
    q.into_iter().collect()
}

/// The enrollment keys the policy's duty kinds count.
fn enrollment_keys(policy: &Policy) -> Vec<String> {
    let keys: BTreeSet<String> = policy
        .duty_kinds
        .iter()
        .filter_map(|k| match &k.source {
            Source::Groups { enrollment, .. } => Some(enrollment.clone()),
            _ => None,
        })
        .collect();
    keys.into_iter().collect()
}

/// A sample row, as the demo school would fill it in.
fn sample(kind: TableKind, lang: Lang) -> Vec<(&'static str, &'static str)> {
    let zh = lang == Lang::Zh;
    let t = |z: &'static str, e: &'static str| if zh { z } else { e };
    match kind {
        TableKind::Staff => vec![
            ("id", "T001"),
            ("name", t("王静", "Wang Jing")),
            ("role", t("班主任", "homeroom")),
            ("subject", t("语文", "Chinese")),
            ("qualifications", ""),
            ("homeroom_class", "1-1"),
            ("quota", "1"),
            ("active", t("是", "yes")),
        ],
        TableKind::Classes => vec![
            ("id", "1-1"),
            ("name", t("一(1)班", "Class 1-1")),
            ("grade", "1"),
            ("pupils", "45"),
        ],
        TableKind::Enrollment => vec![
            ("class", "1-1"),
            ("weekday", t("周一", "Mon")),
            ("session", "stage1"),
            ("pupils", "30"),
        ],
        TableKind::Clubs => vec![
            ("id", "C01"),
            ("name", t("篮球", "Basketball")),
            ("weekdays", t("周一;周三", "Mon;Wed")),
            ("session", "stage2"),
            ("pupils", "20"),
            ("qualification", t("体育", "PE")),
            ("staff_needed", "1"),
        ],
        TableKind::Leave => vec![
            ("staff", "T001"),
            ("from", "2026-12-08"),
            ("to", "2026-12-08"),
            ("sessions", ""),
            ("kind", t("请假", "leave")),
            ("reason", t("病假", "sick")),
        ],
        TableKind::Served => vec![("staff", "T001"), ("hours", "12.5")],
    }
}
