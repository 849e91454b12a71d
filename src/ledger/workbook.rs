//! The workload as the workbook finance prints: a title with the school,
//! the period and the date made; the categories' columns under a group
//! header; flat-paid duties in their own columns; the totals row in bold;
//! the notes and the signature lines (制表 / 审核 / 校长) below. It prints on
//! A4 landscape, one page wide, with the two header rows on every page.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::model::units::Fen;

use super::period::Period;
use super::sheet::{sheet, Line, Sheet, Value, COLUMNS};
use super::WorkloadRow;

/// What the workbook's title and notes say.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub school: String,
    pub period: Period,
    /// The day the workbook was made (given, so the output is reproducible).
    pub made: NaiveDate,
    /// How the amounts were computed, one line each.
    pub notes: Vec<String>,
}

impl Heading {
    pub fn new(policy: &Policy, period: Period, made: NaiveDate, lang: Lang) -> Heading {
        let pay = &policy.pay;
        let mut notes = vec![match lang {
            Lang::Zh => format!(
                "依据每周最新发布的值班表及已记录的缺勤、代课、换班与取消. 课时 = 加权分钟 ÷ {}, 每人每天每类四舍五入到 0.01; 金额 = 课时 × {} 元; 外聘教师按每课时 {} 元计劳务费.",
                pay.minutes_per_keshi, pay.rate_per_keshi, pay.outside_rate_per_keshi
            ),
            Lang::En => format!(
                "From each week's latest published roster with the absences, substitutions, swaps and cancellations recorded. Keshi = weighted minutes / {}, per person, day and category, to 0.01; pay = keshi x {} yuan; outside instructors get a labour fee of {} yuan per keshi.",
                pay.minutes_per_keshi, pay.rate_per_keshi, pay.outside_rate_per_keshi
            ),
        }];
        let flat: Vec<String> = policy
            .duty_kinds
            .iter()
            .filter_map(|k| {
                let f = k.flat_pay?;
                Some(match lang {
                    Lang::Zh => format!("{} 每次 {f} 元", k.label),
                    Lang::En => format!("{} {f} yuan per duty", k.label_en),
                })
            })
            .collect();
        if !flat.is_empty() {
            notes.push(match lang {
                Lang::Zh => format!(
                    "按次计酬: {}; 其次数与小时也计入所属类别, 不计课时.",
                    flat.join(", ")
                ),
                Lang::En => format!(
                    "Paid per duty: {}; their duties and hours are also in their category, with no keshi.",
                    flat.join(", ")
                ),
            });
        }
        Heading {
            school: policy.school_name.clone(),
            period,
            made,
            notes,
        }
    }
}

fn xerr(e: XlsxError) -> Error {
    Error::Solver(format!("xlsx: {e}"))
}

/// Rows of the layout: title, subtitle, the two header rows, then the lines.
const TITLE: u32 = 0;
const SUBTITLE: u32 = 1;
const GROUPS: u32 = 2;
const HEADS: u32 = 3;
const FIRST_LINE: u32 = 4;

/// The workbook of the workload rows, as finance prints it.
pub fn workload_xlsx(
    head: &Heading,
    school: &School,
    rows: &[WorkloadRow],
    lang: Lang,
) -> Result<Vec<u8>> {
    let sh = sheet(school, rows, lang);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(lang.t("工作量与课后服务费", "workload and pay"))
        .map_err(xerr)?;
    let last_col = COLUMNS.len() as u16; // the signature column
    title(ws, head, last_col, lang).map_err(xerr)?;
    headers(ws, lang).map_err(xerr)?;
    let end = body(ws, &sh).map_err(xerr)?;
    footer(ws, head, end + 2, last_col, lang).map_err(xerr)?;
    widths(ws, &sh, lang).map_err(xerr)?;
    print_setup(ws, lang).map_err(xerr)?;
    wb.save_to_buffer().map_err(xerr)
}

/// The title (school, what) and the subtitle (period, date made, unit).
fn title(ws: &mut Worksheet, head: &Heading, last_col: u16, lang: Lang) -> Result<(), XlsxError> {
    let big = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    let text = match lang {
        Lang::Zh => format!("{} 课后服务工作量与课后服务费", head.school),
        Lang::En => format!("{}: after-school service workload and pay", head.school),
    };
    ws.merge_range(TITLE, 0, TITLE, last_col, &text, &big)?;
    ws.set_row_height(TITLE, 28)?;
    let sub = match lang {
        Lang::Zh => format!(
            "统计期间: {}    制表日期: {}    金额单位: 元",
            head.period.label(lang),
            head.made
        ),
        Lang::En => format!(
            "Period: {}    Made: {}    Amounts in yuan",
            head.period.label(lang),
            head.made
        ),
    };
    ws.merge_range(
        SUBTITLE,
        0,
        SUBTITLE,
        last_col,
        &sub,
        &Format::new().set_align(FormatAlign::Center),
    )?;
    Ok(())
}

fn head_format() -> Format {
    Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
}

/// Two header rows: a category over its columns, each column's head below;
/// a column without a category spans both rows.
fn headers(ws: &mut Worksheet, lang: Lang) -> Result<(), XlsxError> {
    let f = head_format();
    let mut c = 0usize;
    while c < COLUMNS.len() {
        let col = &COLUMNS[c];
        let at = c as u16;
        match col.group {
            None => {
                ws.merge_range(GROUPS, at, HEADS, at, lang.t(col.head.0, col.head.1), &f)?;
                c += 1;
            }
            Some(g) => {
                let n = COLUMNS[c..]
                    .iter()
                    .take_while(|x| x.group == Some(g))
                    .count();
                let end = at + n as u16 - 1;
                if n > 1 {
                    ws.merge_range(GROUPS, at, GROUPS, end, lang.t(g.0, g.1), &f)?;
                } else {
                    ws.write_string_with_format(GROUPS, at, lang.t(g.0, g.1), &f)?;
                }
                for (i, x) in COLUMNS[c..c + n].iter().enumerate() {
                    let h = lang.t(x.head.0, x.head.1);
                    ws.write_string_with_format(HEADS, at + i as u16, h, &f)?;
                }
                c += n;
            }
        }
    }
    let sign = COLUMNS.len() as u16;
    ws.merge_range(GROUPS, sign, HEADS, sign, lang.t("签名", "signature"), &f)?;
    Ok(())
}

/// A value's cell format: text, count, hundredths or money; bold for the totals.
fn cell_format(v: &Value, bold: bool) -> Format {
    let f = Format::new().set_border(FormatBorder::Thin);
    let f = match v {
        Value::Text(_) => f,
        Value::Count(_) => f.set_num_format("0"),
        Value::Centi(_) => f.set_num_format("0.00"),
        Value::Money(_) => f.set_num_format("#,##0.00"),
    };
    if bold {
        f.set_bold()
    } else {
        f
    }
}

fn write_line(ws: &mut Worksheet, row: u32, line: &Line, bold: bool) -> Result<(), XlsxError> {
    for (c, v) in line.cells().iter().enumerate() {
        let f = cell_format(v, bold);
        let c = c as u16;
        match v {
            // Strings are written as strings: a name starting with = stays text.
            Value::Text(s) => ws.write_string_with_format(row, c, s, &f)?,
            Value::Count(n) => ws.write_number_with_format(row, c, f64::from(*n), &f)?,
            Value::Centi(x) => ws.write_number_with_format(row, c, *x as f64 / 100.0, &f)?,
            Value::Money(Fen(x)) => ws.write_number_with_format(row, c, *x as f64 / 100.0, &f)?,
        };
    }
    let sign = Format::new().set_border(FormatBorder::Thin);
    ws.write_blank(row, COLUMNS.len() as u16, &sign)?;
    Ok(())
}

/// The people's lines and the totals line (bold); the totals line's row.
fn body(ws: &mut Worksheet, sh: &Sheet) -> Result<u32, XlsxError> {
    let mut row = FIRST_LINE;
    for l in &sh.lines {
        write_line(ws, row, l, false)?;
        row += 1;
    }
    write_line(ws, row, &sh.total, true)?;
    Ok(row)
}

/// The notes, then the signature lines.
fn footer(
    ws: &mut Worksheet,
    head: &Heading,
    mut row: u32,
    last_col: u16,
    lang: Lang,
) -> Result<(), XlsxError> {
    let note = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_font_size(9);
    for n in &head.notes {
        ws.merge_range(row, 0, row, last_col, n, &note)?;
        ws.set_row_height(row, 26)?;
        row += 1;
    }
    row += 1;
    let words = [
        lang.t("制表", "Prepared by"),
        lang.t("审核", "Checked by"),
        lang.t("校长", "Principal"),
    ];
    let span = (last_col + 1) / 3;
    let plain = Format::new().set_align(FormatAlign::Left);
    for (i, w) in words.iter().enumerate() {
        let first = i as u16 * span;
        let end = if i == 2 { last_col } else { first + span - 1 };
        let text = format!("{w}: ________________");
        ws.merge_range(row, first, row, end, &text, &plain)?;
    }
    ws.set_row_height(row, 30)?;
    Ok(())
}

/// Each column as wide as its widest cell (display width: a Chinese
/// character counts two), plus a margin.
fn widths(ws: &mut Worksheet, sh: &Sheet, lang: Lang) -> Result<(), XlsxError> {
    for (c, col) in COLUMNS.iter().enumerate() {
        let mut w = lang.t(col.head.0, col.head.1).width();
        for l in sh.lines.iter().chain(std::iter::once(&sh.total)) {
            let text = match &l.cells()[c] {
                Value::Money(f) if f.0.abs() >= 100_000 => format!("{f},"),
                v => v.text(),
            };
            w = w.max(text.width());
        }
        ws.set_column_width(c as u16, (w + 2).max(6) as f64)?;
    }
    ws.set_column_width(COLUMNS.len() as u16, 12)?;
    Ok(())
}

/// A4 landscape, one page wide, the header rows on every page, page numbers.
fn print_setup(ws: &mut Worksheet, lang: Lang) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(GROUPS, HEADS)?;
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.4, 0.4, 0.5, 0.6, 0.3, 0.3);
    ws.set_footer(lang.t("&C第 &P 页, 共 &N 页", "&CPage &P of &N"));
    ws.set_freeze_panes(FIRST_LINE, 2)?;
    Ok(())
}
