//! CSV tables: rows of trimmed cells keyed by canonical column name, with line numbers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics, Said};
use chrono::{NaiveDate, Weekday};

pub(crate) use crate::input::cells::parse_date;
use crate::input::cells::{whole_number, NotWhole};
use crate::input::limits::{date_range, text_problem, MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS};
use crate::input::text::decode_text;
use crate::input::xlsx;
use crate::model::units::parse_weekday;

/// A CSV file read into rows of trimmed cells keyed by canonical column name.
pub struct Table {
    pub file: PathBuf,
    pub rows: Vec<Row>,
    /// The header as the file writes it, by the canonical column it names.
    headers: BTreeMap<&'static str, String>,
    /// The columns the table was read with.
    spec: Columns,
    /// Rows left out that are no error: totals rows.
    pub warnings: Vec<Diagnostic>,
}

pub struct Row {
    pub line: usize,
    cells: BTreeMap<&'static str, String>,
}

impl Row {
    pub fn get(&self, col: &str) -> &str {
        self.cells.get(col).map_or("", |s| s.as_str())
    }
    /// Every cell the row has, by canonical column.
    pub(crate) fn cells(&self) -> &BTreeMap<&'static str, String> {
        &self.cells
    }
}

/// Column spec: canonical name, accepted header spellings, required.
pub type Columns = &'static [(&'static str, &'static [&'static str], bool)];

pub fn parse_table(
    path: &Path,
    bytes: &[u8],
    columns: Columns,
    diags: &mut Diagnostics,
) -> Option<Table> {
    let (text, delimiter) = table_text(path, bytes, diags)?;
    if let Some(d) = too_wide(path, &text, delimiter) {
        diags.push(d);
        return None;
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            diags.push(Diagnostic::new(
                path,
                1,
                Said::same("-"),
                csv_problem(&e),
                Said::new("一行表头", "a header row"),
            ));
            return None;
        }
    };
    if headers.iter().all(|h| h.is_empty()) {
        diags.push(Diagnostic::new(
            path,
            1,
            Said::same("-"),
            Said::new("空文件或空的表头行", "an empty file or header row"),
            Said::new(
                "第一行是列名 (见 docs/data.md)",
                "a header row naming the columns (see docs/data.md)",
            ),
        ));
        return None;
    }
    if headers.len() > MAX_COLUMNS {
        diags.push(wide(path, 1, headers.len()));
        return None;
    }
    if let Some(d) = semicolons(path, &headers) {
        diags.push(d);
        return None;
    }
    let map = header_map(path, &headers, columns, diags)?;
    let (rows, warnings) = read_rows(path, &text, &mut rdr, (&headers, &map), diags);
    let written = map
        .iter()
        .zip(headers.iter())
        .filter_map(|(col, h)| Some(((*col)?, h.trim().to_string())))
        .collect();
    Some(Table {
        file: path.to_path_buf(),
        rows,
        headers: written,
        spec: columns,
        warnings,
    })
}

/// The table as text and its delimiter: a workbook's first sheet (an
/// `.xlsx` or `.xls` saved under a `.csv` name, or given as it is), or
/// text in any encoding Excel saves, comma- or tab-separated (Excel's
/// "Unicode text" is UTF-16 with tabs).
fn table_text(path: &Path, bytes: &[u8], diags: &mut Diagnostics) -> Option<(String, u8)> {
    if xlsx::is_workbook(bytes) {
        return match xlsx::first_sheet_csv(bytes) {
            Ok(text) => Some((text, b',')),
            Err(why) => {
                diags.push(Diagnostic::new(
                    path,
                    0,
                    Said::same("-"),
                    Said::new(
                        "一个无法读取的 Excel 工作簿".to_string(),
                        format!("an Excel workbook that cannot be read ({why})"),
                    ),
                    Said::new(
                        "在 Excel 或 WPS 中打开, 用 \"另存为\" 选 \"CSV UTF-8 (逗号分隔)\" 保存",
                        "open it in Excel or WPS and use Save As, \"CSV UTF-8 (Comma delimited)\"",
                    ),
                ));
                None
            }
        };
    }
    let Some(text) = decode_text(bytes) else {
        diags.push(Diagnostic::new(
            path,
            0,
            Said::same("-"),
            Said::new(
                "不是 UTF-8、UTF-16 或 GBK 文本的内容",
                "bytes that are not UTF-8, UTF-16 or GBK text",
            ),
            Said::new(
                "从 Excel 或 WPS 保存的 CSV 文件",
                "a CSV file saved from Excel or WPS",
            ),
        ));
        return None;
    };
    let first = text.split('\n').next().unwrap_or("");
    let delimiter = if first.contains('\t') && !first.contains(',') {
        b'\t'
    } else {
        b','
    };
    Some((text, delimiter))
}

/// A header read as one column holding `;`: the file was saved with
/// semicolons (Excel in a locale with decimal commas). Not read as such:
/// a cell like `0,8` would then be a decimal comma, which kehou does not
/// guess; the school saves it again as CSV.
fn semicolons(path: &Path, headers: &csv::StringRecord) -> Option<Diagnostic> {
    let named: Vec<&str> = headers.iter().filter(|h| !h.is_empty()).collect();
    let [one] = named[..] else { return None };
    one.contains(';').then(|| {
        Diagnostic::new(
            path,
            1,
            Said::same("-"),
            Said::new(
                format!("一个用分号分隔的表头 \"{one}\""),
                format!("a header separated by semicolons, \"{one}\""),
            ),
            Said::new(
                "逗号分隔的 CSV: 在 Excel 或 WPS 中打开, 用 \"另存为\" 选 \"CSV UTF-8 (逗号分隔)\" 保存",
                "comma-separated CSV: open it in Excel or WPS and use Save As, \"CSV UTF-8 (Comma delimited)\"",
            ),
        )
    })
}

/// Each header cell's canonical column (None: an empty trailing column or
/// an unknown one); None when a column is unknown, doubled or missing.
fn header_map(
    path: &Path,
    headers: &csv::StringRecord,
    columns: Columns,
    diags: &mut Diagnostics,
) -> Option<Vec<Option<&'static str>>> {
    let mut map: Vec<Option<&'static str>> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut ok = true;
    for h in headers.iter() {
        let norm = h.trim().to_lowercase();
        if norm.is_empty() {
            map.push(None); // trailing empty column from Excel
            continue;
        }
        let col = columns.iter().find(|(canon, aliases, _)| {
            *canon == norm || aliases.iter().any(|a| a.to_lowercase() == norm)
        });
        match col {
            Some((canon, _, _)) => {
                if !seen.insert(*canon) {
                    diags.push(Diagnostic::new(
                        path,
                        1,
                        Said::same(h),
                        Said::new("重复的一列", "a column given twice"),
                        Said::new("每列只写一次", "each column once"),
                    ));
                    ok = false;
                }
                map.push(Some(canon));
            }
            None => {
                diags.push(unknown_column(path, h, columns));
                ok = false;
                map.push(None);
            }
        }
    }
    for (canon, aliases, required) in columns {
        if *required && !seen.contains(canon) {
            let zh = aliases.first().copied().unwrap_or(canon);
            let also: Vec<String> = aliases.iter().map(|a| format!("\"{a}\"")).collect();
            diags.push(Diagnostic::new(
                path,
                1,
                Said::new(zh, *canon),
                Said::new("缺少这一列", "the column is missing"),
                Said::new(
                    format!("名为 {} 的一列", also.join(" 或 ")),
                    format!("a column named \"{canon}\" (or {})", also.join(", ")),
                ),
            ));
            ok = false;
        }
    }
    ok.then_some(map)
}

/// A header no column of the table has: the columns it may name, in the
/// reader's language.
fn unknown_column(path: &Path, h: &str, columns: Columns) -> Diagnostic {
    let zh: Vec<&str> = columns
        .iter()
        .map(|(c, a, _)| a.first().copied().unwrap_or(c))
        .collect();
    let en: Vec<&str> = columns.iter().map(|(c, _, _)| *c).collect();
    Diagnostic::new(
        path,
        1,
        Said::same(h),
        Said::new(
            format!("未知的列 \"{h}\""),
            format!("an unknown column \"{h}\""),
        ),
        Said::new(
            format!("以下列名之一: {}", zh.join("、")),
            format!("one of: {}", en.join(", ")),
        ),
    )
}

/// The csv reader's error in both languages (its own text is English).
fn csv_problem(e: &csv::Error) -> Said {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => Said::new("无法读取的文字", "text that cannot be read"),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Said::new(
            format!("{len} 个单元格, 表头有 {expected_len} 列"),
            format!("{len} cells where the header has {expected_len}"),
        ),
        _ => Said::new("格式错误的一行", format!("a malformed row ({e})")),
    }
}

/// The data rows, blank ones left out, each with its line in the file.
fn read_rows(
    path: &Path,
    text: &str,
    rdr: &mut csv::Reader<&[u8]>,
    (headers, map): (&csv::StringRecord, &[Option<&'static str>]),
    diags: &mut Diagnostics,
) -> (Vec<Row>, Vec<Diagnostic>) {
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    let mut lines = Lines::new(text);
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.at(p.byte() as usize));
                diags.push(Diagnostic::new(
                    path,
                    line,
                    Said::same("-"),
                    csv_problem(&e),
                    Said::new("格式正确的一行 CSV", "a well-formed CSV row"),
                ));
                continue;
            }
        };
        if rec.iter().all(|c| c.is_empty()) {
            continue; // blank row from Excel
        }
        // The csv crate's own line count skips blank lines; count newlines.
        let line = rec.position().map_or(0, |p| lines.at(p.byte() as usize));
        if rows.len() == MAX_ROWS {
            diags.push(Diagnostic::new(
                path,
                line,
                Said::same("-"),
                Said::new(
                    format!("超过 {MAX_ROWS} 行"),
                    format!("more than {MAX_ROWS} rows"),
                ),
                Said::new(
                    format!("每个文件至多 {MAX_ROWS} 行"),
                    format!("at most {MAX_ROWS} rows per file"),
                ),
            ));
            break;
        }
        if rec.len() > MAX_COLUMNS {
            diags.push(wide(path, line, rec.len()));
            continue;
        }
        if let Some(word) = totals_word(&rec, map) {
            warnings.push(Diagnostic::new(
                path,
                line,
                Said::same("-"),
                Said::new(
                    format!("一个合计行 (\"{word}\"), 已跳过"),
                    format!("a totals row (\"{word}\"), left out"),
                ),
                Said::new(
                    "每行一条记录; 合计行可以删去",
                    "one record per row; the totals row can be deleted",
                ),
            ));
            continue;
        }
        rows.push(row(path, line, &rec, (headers, map), diags));
    }
    (rows, warnings)
}

/// The word that makes a row a totals row (合计, 总计, 小计, Total), in its
/// first cell or a key column: such a row sums the others and is no record.
fn totals_word<'r>(rec: &'r csv::StringRecord, map: &[Option<&'static str>]) -> Option<&'r str> {
    const KEYS: [&str; 4] = ["id", "name", "staff", "class"];
    rec.iter().enumerate().find_map(|(i, cell)| {
        let key = i == 0
            || map
                .get(i)
                .copied()
                .flatten()
                .is_some_and(|c| KEYS.contains(&c));
        (key && is_totals(cell)).then_some(cell)
    })
}

fn is_totals(cell: &str) -> bool {
    let t: String = cell
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ':' | '：'))
        .collect::<String>()
        .to_lowercase();
    matches!(
        t.as_str(),
        "合计" | "总计" | "小计" | "共计" | "合計" | "總計" | "total" | "totals" | "sum"
    )
}

/// One record's cells by canonical column; cells beyond the header and
/// text no output may show are reported.
fn row(
    path: &Path,
    line: usize,
    rec: &csv::StringRecord,
    (headers, map): (&csv::StringRecord, &[Option<&'static str>]),
    diags: &mut Diagnostics,
) -> Row {
    let mut cells = BTreeMap::new();
    for (i, cell) in rec.iter().enumerate() {
        let col = map.get(i).copied().flatten();
        let field = || match rec_header(headers, i) {
            Some(h) => Said::same(h),
            None => Said::new(format!("第 {} 列", i + 1), format!("column {}", i + 1)),
        };
        // Kept all the same: the load fails, and a second "empty cell" would mislead.
        if let Some((found, expected)) = text_problem(cell, MAX_CELL_CHARS) {
            diags.push(Diagnostic::new(path, line, field(), found, expected));
        }
        match col {
            Some(canon) => {
                cells.insert(canon, unprotect(cell).to_string());
            }
            None if !cell.is_empty() && i >= map.len() => {
                diags.push(Diagnostic::new(
                    path,
                    line,
                    field(),
                    Said::new(
                        format!("表头之外的单元格 \"{cell}\""),
                        format!("\"{cell}\" beyond the header"),
                    ),
                    Said::new(
                        "单元格不多于表头的列数",
                        "no more cells than header columns",
                    ),
                ));
            }
            None => {}
        }
    }
    Row { line, cells }
}

/// A cell as kehou writes it, so that Excel does not run it as a formula
/// (`outputs::files::safe_cell`'s rule; `unprotect` reads it back).
pub(crate) fn protect(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// The header of the `i`th column as the file writes it, if any.
fn rec_header(headers: &csv::StringRecord, i: usize) -> Option<&str> {
    headers.get(i).map(str::trim).filter(|h| !h.is_empty())
}

/// A cell as it was before kehou's CSV writer protected it from Excel
/// (`outputs::files::safe_cell`): an apostrophe before `=`, `+`, `-`, `@`,
/// a tab or a CR is dropped; any other apostrophe is the cell's own.
pub(crate) fn unprotect(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// A table wider than any school's, found on the first line before the
/// csv reader holds it in memory (commas inside quotes count too: no real
/// header has hundreds).
fn too_wide(path: &Path, text: &str, delimiter: u8) -> Option<Diagnostic> {
    let first = text.split('\n').next().unwrap_or("");
    let n = first.bytes().filter(|&b| b == delimiter).count() + 1;
    (n > MAX_COLUMNS).then(|| wide(path, 1, n))
}

fn wide(path: &Path, line: usize, n: usize) -> Diagnostic {
    Diagnostic::new(
        path,
        line,
        Said::same("-"),
        Said::new(format!("{n} 列"), format!("{n} columns")),
        Said::new(
            format!("至多 {MAX_COLUMNS} 列"),
            format!("at most {MAX_COLUMNS} columns"),
        ),
    )
}

/// 1-based lines of byte offsets, counted on from the last one asked for:
/// the csv reader's positions only grow, so a file is scanned once (a
/// rescan from the start for every row made reading quadratic).
struct Lines<'t> {
    text: &'t [u8],
    /// Offset counted up to, and the newlines before it.
    at: usize,
    newlines: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Lines {
            text: text.as_bytes(),
            at: 0,
            newlines: 0,
        }
    }

    /// The line of the record the csv reader started at `byte`: its
    /// position may point at line ends (and blank lines) before the record.
    fn at(&mut self, byte: usize) -> usize {
        let b = self.text;
        let mut i = byte.min(b.len());
        while i < b.len() && (b[i] == b'\r' || b[i] == b'\n') {
            i += 1;
        }
        let count = |s: &[u8]| s.iter().filter(|&&c| c == b'\n').count();
        if i >= self.at {
            self.newlines += count(&b[self.at..i]);
        } else {
            self.newlines -= count(&b[i..self.at]);
        }
        self.at = i;
        self.newlines + 1
    }
}

impl Table {
    /// A canonical column as the reader knows it: its header as the file
    /// writes it, or (absent from the file) its name in each language.
    pub(crate) fn field(&self, col: &str) -> Said {
        field_of(&self.headers, self.spec, col)
    }

    /// Whether the header names this canonical column.
    pub fn has_column(&self, col: &str) -> bool {
        self.headers.contains_key(col)
    }

    /// Field readers for this table's rows, recording into `diags`.
    pub(crate) fn fields<'a>(&'a self, diags: &'a mut Diagnostics) -> Fields<'a> {
        Fields {
            file: &self.file,
            headers: &self.headers,
            spec: self.spec,
            diags,
        }
    }
}

/// Per-row field helpers that record diagnostics.
pub(crate) struct Fields<'a> {
    pub(crate) file: &'a Path,
    headers: &'a BTreeMap<&'static str, String>,
    spec: Columns,
    pub(crate) diags: &'a mut Diagnostics,
}

impl Fields<'_> {
    /// A canonical column as the reader knows it: its header as the file
    /// writes it, or (absent from the file) its name in each language.
    pub(crate) fn field(&self, col: &str) -> Said {
        field_of(self.headers, self.spec, col)
    }
    /// A problem in column `col` (canonical) of `line`, in both languages.
    pub(crate) fn err(&mut self, line: usize, col: &str, found: Said, expected: Said) {
        let field = self.field(col);
        self.diags
            .push(Diagnostic::new(self.file, line, field, found, expected));
    }
    pub(crate) fn required<'r>(&mut self, row: &'r Row, col: &str) -> Option<&'r str> {
        let v = row.get(col);
        if v.is_empty() {
            self.err(
                row.line,
                col,
                Said::new("空单元格", "an empty cell"),
                Said::new("一个值", "a value"),
            );
            None
        } else {
            Some(v)
        }
    }
    pub(crate) fn number(&mut self, row: &Row, col: &str, max: u32) -> Option<u32> {
        let v = self.required(row, col)?;
        let (zh, en) = match whole_number(v) {
            Ok(n) if n <= u64::from(max) => return Some(n as u32),
            Ok(_) => ("", ""),
            Err(NotWhole::Fraction) => (", 不是整数", ", not a whole number"),
            Err(NotWhole::Text) => ("", ""),
        };
        self.err(
            row.line,
            col,
            Said::new(format!("\"{v}\"{zh}"), format!("\"{v}\"{en}")),
            Said::new(
                format!("0 到 {max} 的整数"),
                format!("a whole number from 0 to {max}"),
            ),
        );
        None
    }
    pub(crate) fn date(&mut self, row: &Row, col: &str) -> Option<NaiveDate> {
        let v = self.required(row, col)?;
        match parse_date(v) {
            Some(d) => Some(d),
            None => {
                self.err(
                    row.line,
                    col,
                    Said::same(format!("\"{v}\"")),
                    Said::new(
                        date_range("2026-12-08、2026/12/8 或 2026年12月8日").zh,
                        date_range("2026-12-08 or 2026/12/8").en,
                    ),
                );
                None
            }
        }
    }
    pub(crate) fn weekday(&mut self, row: &Row, col: &str) -> Option<Weekday> {
        let v = self.required(row, col)?;
        let w = parse_weekday(v);
        if w.is_none() {
            self.err(
                row.line,
                col,
                Said::same(format!("\"{v}\"")),
                weekday_names(),
            );
        }
        w
    }
}

fn field_of(headers: &BTreeMap<&'static str, String>, spec: Columns, col: &str) -> Said {
    if let Some(h) = headers.get(col) {
        return Said::same(h.as_str());
    }
    match spec.iter().find(|(c, _, _)| *c == col) {
        Some((c, aliases, _)) => Said::new(aliases.first().copied().unwrap_or(c), *c),
        None => Said::same(col),
    }
}

/// What a weekday may be, in the reader's language.
pub(crate) fn weekday_names() -> Said {
    Said::new(
        "星期: 周一 至 周日 (也可写 星期一 或 1 至 7)",
        "a weekday: mon..sun, monday..sunday or 1..7",
    )
}

pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split([';', '；', '、', ',', '，', '|'])
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

pub(crate) fn yes_no(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "" | "是" | "y" | "yes" | "true" | "1" => Some(true),
        "否" | "n" | "no" | "false" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_with_crlf_and_lf() {
        let cols: Columns = &[("a", &[], true)];
        for text in [
            "a\n1\n\n2\n",
            "a\r\n1\r\n\r\n2\r\n",
            "a,,\r\n1,,\r\n,,\r\n2,,\r\n",
        ] {
            let mut d = Diagnostics::default();
            let t = parse_table(Path::new("x.csv"), text.as_bytes(), cols, &mut d).expect("parses");
            let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, vec![2, 4], "{text:?}");
        }
    }

    #[test]
    fn protected_cells_read_back_as_written_before_protection() {
        let cols: Columns = &[("id", &[], true), ("name", &[], false)];
        let text = "id,name\n'=A1,'-7\n'@x,'+86\n'T5,''=x\n";
        let mut d = Diagnostics::default();
        let t = parse_table(Path::new("x.csv"), text.as_bytes(), cols, &mut d).expect("parses");
        let cells: Vec<(&str, &str)> = t
            .rows
            .iter()
            .map(|r| (r.get("id"), r.get("name")))
            .collect();
        // Only the apostrophe kehou's writer adds is dropped.
        assert_eq!(cells, vec![("=A1", "-7"), ("@x", "+86"), ("'T5", "''=x")]);
        assert!(t.has_column("name") && !t.has_column("other"));
    }
}
