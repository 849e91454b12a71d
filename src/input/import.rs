//! Importing a table the school keeps in Excel: an uploaded workbook
//! (`.xlsx`, `.xls`) or CSV (any encoding the loader reads) is read,
//! merged by id into the school's current table and validated with the
//! rest of the school exactly as loading would, giving a preview (rows
//! added, updated with their changed fields, unchanged, and each row's
//! problems) before anything is saved. Importing the same list again
//! changes nothing; a row whose id is already there updates that row.
//!
//! The same merge serves an edit of one row in the browser ([`edit_row`]).
//! Saving (`outputs::school_files::save`) writes the merged table as the school's CSV (UTF-8
//! with BOM, atomically) and keeps the previous file in `data/.history/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics, Error, Result, Said};
use crate::input::school::{self, Files, FILE_NAMES, TABLES};
use crate::input::table::{parse_date, parse_table, protect, split_list, Columns, Table};
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::units::parse_weekday;

/// One of the school's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TableKind {
    Staff,
    Classes,
    Enrollment,
    Clubs,
    Leave,
    Served,
}

impl TableKind {
    pub const ALL: [TableKind; 6] = [
        TableKind::Staff,
        TableKind::Classes,
        TableKind::Enrollment,
        TableKind::Clubs,
        TableKind::Leave,
        TableKind::Served,
    ];

    /// The table named by its file's stem (`staff`, `classes`, …).
    pub fn parse(s: &str) -> Option<TableKind> {
        let s = s.trim().to_lowercase();
        let s = s
            .strip_suffix(".csv")
            .or_else(|| s.strip_suffix(".xlsx"))
            .unwrap_or(&s);
        TableKind::ALL.into_iter().find(|k| k.stem() == s)
    }

    /// Position in `FILE_NAMES` and `TABLES`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The file's stem: `staff`, `classes`, …
    pub fn stem(self) -> &'static str {
        TABLES[self.index()]
    }

    /// The school's CSV file name: `staff.csv`, …
    pub fn file_name(self) -> &'static str {
        FILE_NAMES[self.index()]
    }

    /// The columns the loader reads.
    pub fn columns(self) -> Columns {
        match self {
            TableKind::Staff => school::STAFF_COLUMNS,
            TableKind::Classes => school::CLASS_COLUMNS,
            TableKind::Enrollment => school::ENROLLMENT_COLUMNS,
            TableKind::Clubs => school::CLUB_COLUMNS,
            TableKind::Leave => school::LEAVE_COLUMNS,
            TableKind::Served => school::SERVED_COLUMNS,
        }
    }

    /// The columns that say which row is which (the "id" a row is merged by).
    pub fn key_columns(self) -> &'static [&'static str] {
        match self {
            TableKind::Staff | TableKind::Classes | TableKind::Clubs => &["id"],
            TableKind::Enrollment => &["class", "weekday", "session"],
            TableKind::Leave => &["staff", "from", "to", "sessions"],
            TableKind::Served => &["staff"],
        }
    }

    /// Whether the school may do without the table.
    pub fn required(self) -> bool {
        self.index() < 3
    }

    /// The table's name for people, in both languages.
    pub fn label(self) -> Said {
        let (zh, en) = match self {
            TableKind::Staff => ("教职工", "staff"),
            TableKind::Classes => ("班级", "classes"),
            TableKind::Enrollment => ("报名人数", "enrollment"),
            TableKind::Clubs => ("社团", "clubs"),
            TableKind::Leave => ("请假与意愿", "leave"),
            TableKind::Served => ("本学期已服务", "served this term"),
        };
        Said::new(zh, en)
    }
}

/// A column's header as kehou writes it: its first Chinese spelling, or
/// its English name.
pub fn header(columns: Columns, col: &str, english: bool) -> &'static str {
    match columns.iter().find(|(c, _, _)| *c == col) {
        Some((c, _, _)) if english => c,
        Some((c, aliases, _)) => aliases.first().copied().unwrap_or(c),
        None => "",
    }
}

/// One row's cells by canonical column.
pub type Cells = BTreeMap<&'static str, String>;

/// The school's files as they are in the data folder now.
#[derive(Debug, Clone)]
pub struct Current {
    pub dir: PathBuf,
    /// The file each table is read from (`staff.xlsx` when that is it).
    pub names: [String; 6],
    pub bytes: [Option<Vec<u8>>; 6],
}

impl Current {
    /// Read the data folder's tables (each a CSV or a workbook).
    pub fn read(dir: &Path) -> Result<Current> {
        let mut names: [String; 6] = FILE_NAMES.map(String::from);
        let mut bytes: [Option<Vec<u8>>; 6] = Default::default();
        for (i, stem) in TABLES.iter().enumerate() {
            if let Some(p) = school::table_file(dir, stem)? {
                if let Some(n) = p.file_name() {
                    names[i] = n.to_string_lossy().into_owned();
                }
                bytes[i] = Some(crate::input::limits::read_input(&p)?);
            }
        }
        Ok(Current {
            dir: dir.to_path_buf(),
            names,
            bytes,
        })
    }

    /// The rows of one table as they are now (none when it has no file).
    pub fn rows(&self, kind: TableKind) -> Vec<(usize, Cells)> {
        let Some(b) = &self.bytes[kind.index()] else {
            return Vec::new();
        };
        let mut d = Diagnostics::default();
        let path = self.dir.join(&self.names[kind.index()]);
        parse_table(&path, b, kind.columns(), &mut d)
            .map(|t| rows_of(&t))
            .unwrap_or_default()
    }

    /// The rows of one table with each row's key (what an edit names it by).
    pub fn keyed_rows(&self, kind: TableKind) -> Vec<(String, Cells)> {
        let ids = class_ids(self);
        self.rows(kind)
            .into_iter()
            .map(|(_, c)| (key_of(kind, &c, &ids), c))
            .collect()
    }

    fn files(&self, kind: TableKind, merged: &[u8]) -> (Files, [String; 6]) {
        let mut bytes = self.bytes.clone();
        bytes[kind.index()] = Some(merged.to_vec());
        let mut names = self.names.clone();
        names[kind.index()] = kind.file_name().to_string();
        let [s, c, e, cl, l, sv] = bytes;
        let files = Files {
            staff: s.unwrap_or_default(),
            classes: c.unwrap_or_default(),
            enrollment: e.unwrap_or_default(),
            clubs: cl,
            leave: l,
            served: sv,
        };
        (files, names)
    }
}

fn rows_of(t: &Table) -> Vec<(usize, Cells)> {
    t.rows.iter().map(|r| (r.line, r.cells().clone())).collect()
}

/// How an uploaded row changes the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added,
    /// The fields that change: (field as the upload names it, old, new).
    Updated(Vec<(Said, String, String)>),
    Unchanged,
}

/// One row of the upload, as it would be imported.
#[derive(Debug, Clone)]
pub struct RowPreview {
    /// The row Excel shows (the line of the CSV).
    pub line: usize,
    /// The row's id (its key cells joined by ` / `).
    pub key: String,
    pub change: Change,
    pub problems: Vec<Diagnostic>,
}

/// What an import would do, before anything is saved.
#[derive(Debug, Clone)]
pub struct Preview {
    pub kind: TableKind,
    pub rows: Vec<RowPreview>,
    /// Problems of no one row of the upload: its header, the rows already
    /// in the table, other files that no longer fit.
    pub problems: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// The table as it would be saved (the school's CSV file).
    pub merged: Vec<u8>,
}

impl Preview {
    /// Whether it may be saved: no problem anywhere.
    pub fn ok(&self) -> bool {
        self.problems.is_empty() && self.rows.iter().all(|r| r.problems.is_empty())
    }

    /// Rows (added, updated, unchanged).
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |f: fn(&Change) -> bool| self.rows.iter().filter(|r| f(&r.change)).count();
        (
            n(|c| matches!(c, Change::Added)),
            n(|c| matches!(c, Change::Updated(_))),
            n(|c| matches!(c, Change::Unchanged)),
        )
    }

    /// Every problem, the upload's rows first.
    pub fn all_problems(&self) -> Vec<&Diagnostic> {
        let rows = self.rows.iter().flat_map(|r| r.problems.iter());
        rows.chain(self.problems.iter()).collect()
    }
}

/// Where a row of the merged table came from.
#[derive(Debug, Clone, Copy)]
enum Origin {
    /// The current file's row at this line.
    Kept(usize),
    /// The upload's (or the edit's) row at this line.
    Given(usize),
}

/// The key that says which row is which, as the validator compares it:
/// cells trimmed, weekdays and dates by their meaning, a class by its id
/// whether named by id or name, lists of sessions in order.
pub(crate) fn key_of(
    kind: TableKind,
    cells: &Cells,
    class_ids: &BTreeMap<String, String>,
) -> String {
    let cell = |c: &str| cells.get(c).map_or("", |s| s.trim());
    let parts: Vec<String> = kind
        .key_columns()
        .iter()
        .map(|c| {
            let v = cell(c);
            match *c {
                "class" => class_ids.get(v).cloned().unwrap_or_else(|| v.to_string()),
                "weekday" => parse_weekday(v).map_or(v.to_string(), |w| w.to_string()),
                "from" | "to" => parse_date(v).map_or(v.to_string(), |d| d.to_string()),
                "sessions" => {
                    let mut s = split_list(v);
                    s.sort();
                    s.join(";")
                }
                _ => v.to_string(),
            }
        })
        .collect();
    parts.join(" / ")
}

/// Class names and ids to ids, from the current classes table.
fn class_ids(current: &Current) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for (_, c) in current.rows(TableKind::Classes) {
        let id = c.get("id").cloned().unwrap_or_default();
        if let Some(n) = c.get("name") {
            m.insert(n.clone(), id.clone());
        }
        m.insert(id.clone(), id);
    }
    m
}

/// Preview importing `bytes` (a workbook or CSV, `name` as uploaded) into
/// table `kind` of the school `current`, validated with `policy`.
pub fn preview(
    policy: &Policy,
    current: &Current,
    kind: TableKind,
    name: &str,
    bytes: &[u8],
) -> Preview {
    let upload_path = PathBuf::from(name);
    let mut diags = Diagnostics::default();
    let table = parse_table(&upload_path, bytes, kind.columns(), &mut diags);
    let mut up_problems: BTreeMap<usize, Vec<Diagnostic>> = BTreeMap::new();
    let mut general = Vec::new();
    for d in diags.0 {
        if d.line >= 2 {
            up_problems.entry(d.line).or_default().push(d);
        } else {
            general.push(d);
        }
    }
    let Some(table) = table else {
        return Preview {
            kind,
            rows: Vec::new(),
            problems: general,
            warnings: Vec::new(),
            merged: Vec::new(),
        };
    };
    let ids = class_ids(current);
    let mut merged: Vec<(Cells, Origin)> = current
        .rows(kind)
        .into_iter()
        .map(|(l, c)| (c, Origin::Kept(l)))
        .collect();
    let mut at: BTreeMap<String, usize> = merged
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (key_of(kind, c, &ids), i))
        .collect();
    let mut first_line: BTreeMap<String, usize> = BTreeMap::new();
    let mut rows = Vec::new();
    for r in &table.rows {
        let given = r.cells();
        let key = key_of(kind, given, &ids);
        let mut problems = up_problems.remove(&r.line).unwrap_or_default();
        if let Some(prev) = first_line.get(&key).filter(|_| !key.is_empty()) {
            problems.push(duplicate(&table, kind, r.line, *prev, &key));
            rows.push(RowPreview {
                line: r.line,
                key,
                change: Change::Unchanged,
                problems,
            });
            continue;
        }
        first_line.insert(key.clone(), r.line);
        let change = match at.get(&key) {
            Some(&i) => update(kind, &table, &mut merged[i], r.cells(), r.line),
            None => {
                at.insert(key.clone(), merged.len());
                merged.push((given.clone(), Origin::Given(r.line)));
                Change::Added
            }
        };
        rows.push(RowPreview {
            line: r.line,
            key,
            change,
            problems,
        });
    }
    for (_, ds) in up_problems {
        general.extend(ds);
    }
    let checked = check(policy, current, kind, &merged, &upload_path, Some(&table));
    for (line, d) in checked.problems {
        match line.and_then(|l| rows.iter_mut().find(|r| r.line == l)) {
            Some(r) => r.problems.push(d),
            None => general.push(d),
        }
    }
    Preview {
        kind,
        rows,
        problems: general,
        warnings: checked.warnings,
        merged: checked.bytes,
    }
}

/// Merge an uploaded row into the row of its id: the columns the upload
/// has replace the row's cells; the others stay, and so do the key's
/// cells (the same key, perhaps spelt otherwise: `一(1)班` for `1-1`).
fn update(
    kind: TableKind,
    table: &Table,
    row: &mut (Cells, Origin),
    given: &Cells,
    line: usize,
) -> Change {
    let old = &row.0;
    let mut new = old.clone();
    let mut changed = Vec::new();
    for (col, v) in given {
        if !table.has_column(col) || kind.key_columns().contains(col) {
            continue;
        }
        let was = old.get(col).map_or("", |s| s.as_str());
        if was.trim() != v.trim() {
            changed.push((table.field(col), was.to_string(), v.clone()));
        }
        new.insert(*col, v.clone());
    }
    *row = (new, Origin::Given(line));
    if changed.is_empty() {
        Change::Unchanged
    } else {
        Change::Updated(changed)
    }
}

fn duplicate(t: &Table, kind: TableKind, line: usize, prev: usize, key: &str) -> Diagnostic {
    let col = kind.key_columns()[0];
    Diagnostic::new(
        &t.file,
        line,
        t.field(col),
        Said::new(
            format!("\"{key}\", 与第 {prev} 行相同"),
            format!("\"{key}\", the same as row {prev}"),
        ),
        Said::new("每一行的编号只出现一次", "each row's id once in the file"),
    )
}

/// The merged table checked with the rest of the school.
struct Checked {
    /// Each problem, with the given row's line when it is about one.
    problems: Vec<(Option<usize>, Diagnostic)>,
    warnings: Vec<Diagnostic>,
    bytes: Vec<u8>,
}

/// Write the merged rows as the school's CSV and load the school with it:
/// the loader's messages about a given row are said of that row (its line
/// in the upload, and the field as the upload names it).
fn check(
    policy: &Policy,
    current: &Current,
    kind: TableKind,
    merged: &[(Cells, Origin)],
    given_path: &Path,
    given: Option<&Table>,
) -> Checked {
    let bytes = to_csv(kind, merged.iter().map(|(c, _)| c));
    let (files, names) = current.files(kind, &bytes);
    let target = current.dir.join(kind.file_name());
    let current_path = current.dir.join(&current.names[kind.index()]);
    let (diags, warnings) = match school::from_files_named(&current.dir, policy, &files, &names) {
        Ok(s) => (Vec::new(), s.warnings),
        Err(Error::Invalid(ds)) => (ds, Vec::new()),
        Err(e) => {
            let d = Diagnostic::new(
                &target,
                0,
                Said::same("-"),
                Said::new(e.render(Lang::Zh), e.render(Lang::En)),
                Said::new("一份能读入的表", "a table that can be read"),
            );
            (vec![d], Vec::new())
        }
    };
    let mut problems = Vec::new();
    let mut warns = Vec::new();
    for (is_problem, d) in diags
        .into_iter()
        .map(|d| (true, d))
        .chain(warnings.into_iter().map(|d| (false, d)))
    {
        let origin = (d.file == target && d.line >= 2)
            .then(|| merged.get(d.line - 2).map(|(_, o)| *o))
            .flatten();
        let (line, d) = match origin {
            Some(Origin::Given(l)) => {
                let field = match given {
                    Some(t) => given_field(t, kind.columns(), &d.field),
                    None => d.field.clone(),
                };
                let d = Diagnostic {
                    file: given_path.to_path_buf(),
                    line: l,
                    field,
                    ..d
                };
                (Some(l), d)
            }
            Some(Origin::Kept(l)) => (
                None,
                Diagnostic {
                    file: current_path.clone(),
                    line: l,
                    ..d
                },
            ),
            None => (None, d),
        };
        if is_problem {
            problems.push((line, d));
        } else {
            warns.push(d);
        }
    }
    Checked {
        problems,
        warnings: warns,
        bytes,
    }
}

/// A field of the merged file (named as kehou writes it) as the given
/// table names it.
fn given_field(t: &Table, columns: Columns, field: &Said) -> Said {
    columns
        .iter()
        .find(|(c, _, _)| header(columns, c, false) == field.zh)
        .map_or_else(|| field.clone(), |(c, _, _)| t.field(c))
}

/// A table as the school's CSV: UTF-8 with BOM, Chinese headers, every
/// column of the table, cells protected from Excel's formulas.
pub fn to_csv<'c>(kind: TableKind, rows: impl Iterator<Item = &'c Cells>) -> Vec<u8> {
    let cols = kind.columns();
    let mut w = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
    let headers = cols.iter().map(|(c, _, _)| header(cols, c, false));
    // Writing to a Vec cannot fail.
    let _ = w.write_record(headers);
    for r in rows {
        let cells = cols
            .iter()
            .map(|(c, _, _)| protect(r.get(c).map_or("", |s| s.as_str())));
        let _ = w.write_record(cells);
    }
    w.into_inner().unwrap_or_default()
}

/// An edit of one row in the browser: the row whose key is `original`
/// (None: a new row) gets `cells` (or is deleted), checked as an import
/// would be. The problems name the edited row as line 0 of the table.
pub fn edit_row(
    policy: &Policy,
    current: &Current,
    kind: TableKind,
    original: Option<&str>,
    cells: Option<Cells>,
) -> Preview {
    let ids = class_ids(current);
    let mut merged: Vec<(Cells, Origin)> = current
        .rows(kind)
        .into_iter()
        .map(|(l, c)| (c, Origin::Kept(l)))
        .collect();
    let pos = original.and_then(|k| merged.iter().position(|(c, _)| key_of(kind, c, &ids) == k));
    let mut general = Vec::new();
    let target = current.dir.join(kind.file_name());
    if original.is_some() && pos.is_none() {
        general.push(Diagnostic::new(
            &target,
            0,
            Said::same("-"),
            Said::new(
                format!("\"{}\", 表中已没有这一行", original.unwrap_or("")),
                format!(
                    "\"{}\", a row no longer in the table",
                    original.unwrap_or("")
                ),
            ),
            Said::new(
                "表中的一行 (请刷新页面)",
                "a row of the table (reload the page)",
            ),
        ));
    }
    let key = cells.as_ref().map(|c| key_of(kind, c, &ids));
    let change = match (&cells, pos) {
        (None, Some(i)) => {
            merged.remove(i);
            Change::Updated(Vec::new())
        }
        (None, None) => Change::Unchanged,
        (Some(c), Some(i)) => {
            merged[i] = (c.clone(), Origin::Given(0));
            Change::Updated(Vec::new())
        }
        (Some(c), None) => {
            merged.push((c.clone(), Origin::Given(0)));
            Change::Added
        }
    };
    // A new key the table already has elsewhere would be a second row of one id.
    if let Some(d) = key
        .as_ref()
        .and_then(|k| twice(kind, &merged, &ids, k, &target))
    {
        return Preview {
            kind,
            rows: vec![RowPreview {
                line: 0,
                key: key.unwrap_or_default(),
                change,
                problems: vec![d],
            }],
            problems: general,
            warnings: Vec::new(),
            merged: Vec::new(),
        };
    }
    let checked = check(policy, current, kind, &merged, &target, None);
    let mut row = Vec::new();
    for (line, d) in checked.problems {
        match line {
            Some(_) => row.push(d),
            None => general.push(d),
        }
    }
    Preview {
        kind,
        rows: vec![RowPreview {
            line: 0,
            key: key.unwrap_or_else(|| original.unwrap_or("").to_string()),
            change,
            problems: row,
        }],
        problems: general,
        warnings: checked.warnings,
        merged: checked.bytes,
    }
}

/// A row's key that more than one row of the merged table has.
fn twice(
    kind: TableKind,
    merged: &[(Cells, Origin)],
    ids: &BTreeMap<String, String>,
    k: &str,
    target: &Path,
) -> Option<Diagnostic> {
    let n = merged
        .iter()
        .filter(|(c, _)| key_of(kind, c, ids) == k)
        .count();
    if k.is_empty() || n < 2 {
        return None;
    }
    let col = kind.key_columns()[0];
    let f = header(kind.columns(), col, false);
    Some(Diagnostic::new(
        target,
        0,
        Said::new(f, col),
        Said::new(
            format!("\"{k}\", 表中已有"),
            format!("\"{k}\", already in the table"),
        ),
        Said::new("一个表中还没有的编号", "an id not yet in the table"),
    ))
}
