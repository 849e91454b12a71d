//! School data from CSV files kept in Excel or WPS (see docs/data.md).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::{Diagnostic, Diagnostics, Error, Result, Said};
use crate::input::limits::MAX_NAME_CHARS;
use crate::input::table::{parse_table, Columns, Fields, Row, Table};
use crate::model::policy::Policy;
use crate::model::school::*;

mod classes;
mod clubs;
mod enrollment;
mod leave;
mod served;
mod staff;

pub use classes::CLASS_COLUMNS;
pub use clubs::CLUB_COLUMNS;
pub use enrollment::ENROLLMENT_COLUMNS;
pub use leave::LEAVE_COLUMNS;
pub use served::SERVED_COLUMNS;
pub use staff::STAFF_COLUMNS;

// ---------------------------------------------------------------- files

/// Limits far beyond any real school, so absurd input gets a clear error.
pub const MAX_STAFF: usize = 5_000;
pub const MAX_CLASSES: usize = 1_000;

/// The raw bytes of a school's CSV files (`None`: the optional file is absent).
#[derive(Debug, Clone, Default)]
pub struct Files {
    pub staff: Vec<u8>,
    pub classes: Vec<u8>,
    pub enrollment: Vec<u8>,
    pub clubs: Option<Vec<u8>>,
    pub leave: Option<Vec<u8>>,
    pub served: Option<Vec<u8>>,
}

pub const FILE_NAMES: [&str; 6] = [
    "staff.csv",
    "classes.csv",
    "enrollment.csv",
    "clubs.csv",
    "leave.csv",
    "served.csv",
];

fn read_bytes(path: &Path, required: bool) -> Result<Option<Vec<u8>>> {
    match crate::input::limits::read_input(path) {
        Ok(b) => Ok(Some(b)),
        Err(Error::Read { source, .. })
            if !required && source.kind() == std::io::ErrorKind::NotFound =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The tables of a school, in the order of `FILE_NAMES`, by their stem.
pub const TABLES: [&str; 6] = ["staff", "classes", "enrollment", "clubs", "leave", "served"];

/// The endings a table's file may have in the data folder: a CSV, or a
/// workbook saved in Excel's own format (read as its first sheet).
pub const TABLE_ENDINGS: [&str; 3] = ["csv", "xlsx", "xls"];

/// The file holding table `stem` in `dir` (`staff.csv`, `staff.xlsx` or
/// `staff.xls`); None when there is none; an error naming both when the
/// folder has two of them (which one counts would be a guess).
pub fn table_file(dir: &Path, stem: &str) -> Result<Option<std::path::PathBuf>> {
    let found: Vec<std::path::PathBuf> = TABLE_ENDINGS
        .iter()
        .map(|e| dir.join(format!("{stem}.{e}")))
        .filter(|p| p.exists())
        .collect();
    match &found[..] {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        [a, b, ..] => Err(Error::Mistake(Said::new(
            format!(
                "数据文件夹中 {} 和 {} 都有: 只能保留一个 (删去或改名另一个)",
                a.display(),
                b.display()
            ),
            format!(
                "the data folder has both {} and {}: keep one of them (delete or rename the other)",
                a.display(),
                b.display()
            ),
        ))),
    }
}

/// Load a school's data directory, reporting every problem at once. Each
/// table may be a CSV file or a workbook (`staff.csv`, `staff.xlsx` or
/// `staff.xls`), never two of them.
pub fn load(dir: &Path, policy: &Policy) -> Result<School> {
    load_with_warnings(dir, policy).0
}

/// As `load`, with the warnings found also when the files have errors
/// (`validate` shows both at once).
pub fn load_with_warnings(dir: &Path, policy: &Policy) -> (Result<School>, Vec<Diagnostic>) {
    match read_files(dir) {
        Ok((files, names)) => checked(dir, policy, &files, &names),
        Err(e) => (Err(e), Vec::new()),
    }
}

fn read_files(dir: &Path) -> Result<(Files, [String; 6])> {
    let mut names: [String; 6] = FILE_NAMES.map(String::from);
    let mut bytes: Vec<Option<Vec<u8>>> = Vec::with_capacity(6);
    for (i, stem) in TABLES.iter().enumerate() {
        let path = table_file(dir, stem)?;
        if let Some(p) = &path {
            if let Some(n) = p.file_name() {
                names[i] = n.to_string_lossy().into_owned();
            }
        }
        let required = i < 3;
        let path = path.unwrap_or_else(|| dir.join(FILE_NAMES[i]));
        bytes.push(read_bytes(&path, required)?);
    }
    let mut it = bytes.into_iter();
    let mut next = || it.next().flatten();
    let files = Files {
        staff: next().unwrap_or_default(),
        classes: next().unwrap_or_default(),
        enrollment: next().unwrap_or_default(),
        clubs: next(),
        leave: next(),
        served: next(),
    };
    Ok((files, names))
}

/// Build a school from file contents; `dir` is used to name files in messages.
pub fn from_files(dir: &Path, policy: &Policy, f: &Files) -> Result<School> {
    from_files_named(dir, policy, f, &FILE_NAMES.map(String::from))
}

/// As `from_files`, each table named in messages by `names` (in the
/// order of `FILE_NAMES`: `staff.xlsx` when that is the file read).
pub fn from_files_named(
    dir: &Path,
    policy: &Policy,
    f: &Files,
    names: &[String; 6],
) -> Result<School> {
    checked(dir, policy, f, names).0
}

/// The school or its errors, and its warnings either way.
fn checked(
    dir: &Path,
    policy: &Policy,
    f: &Files,
    names: &[String; 6],
) -> (Result<School>, Vec<Diagnostic>) {
    let mut diags = Diagnostics::default();
    let mut t = |i: usize, bytes: Option<&Vec<u8>>, cols: Columns| {
        bytes.and_then(|b| parse_table(&dir.join(&names[i]), b, cols, &mut diags))
    };
    let staff_t = t(0, Some(&f.staff), STAFF_COLUMNS);
    let class_t = t(1, Some(&f.classes), CLASS_COLUMNS);
    // Before the larger files are read: a school far too large is refused at once.
    let size = too_large(staff_t.as_ref(), MAX_STAFF, ("名教职工", "staff"))
        .and_then(|()| too_large(class_t.as_ref(), MAX_CLASSES, ("个班级", "classes")));
    if let Err(e) = size {
        return (Err(e), Vec::new());
    }
    let enr_t = t(2, Some(&f.enrollment), ENROLLMENT_COLUMNS);
    let club_t = t(3, f.clubs.as_ref(), CLUB_COLUMNS);
    let leave_t = t(4, f.leave.as_ref(), LEAVE_COLUMNS);
    let served_t = t(5, f.served.as_ref(), SERVED_COLUMNS);
    let tables = [&staff_t, &class_t, &enr_t, &club_t, &leave_t, &served_t];
    let skipped: Vec<Diagnostic> = tables
        .iter()
        .filter_map(|t| t.as_ref())
        .flat_map(|t| t.warnings.iter().cloned())
        .collect();
    let mut school = match build(
        dir, policy, staff_t, class_t, enr_t, club_t, leave_t, served_t, &mut diags,
    ) {
        Ok(s) => s,
        Err(e) => return (Err(e), skipped),
    };
    school.warnings.splice(0..0, skipped);
    let warnings = school.warnings.clone();
    (diags.into_result(school), warnings)
}

fn too_large(t: Option<&Table>, max: usize, (zh, en): (&str, &str)) -> Result<()> {
    match t {
        Some(t) if t.rows.len() > max => {
            let (file, n) = (t.file.display(), t.rows.len());
            Err(Error::TooLarge(Said::new(
                format!("{file}: {n} {zh}, 多于 {max}"),
                format!("{file}: {n} {en}, more than {max}"),
            )))
        }
        _ => Ok(()),
    }
}

#[allow(clippy::too_many_arguments)]
fn build(
    dir: &Path,
    policy: &Policy,
    staff_t: Option<Table>,
    class_t: Option<Table>,
    enr_t: Option<Table>,
    club_t: Option<Table>,
    leave_t: Option<Table>,
    served_t: Option<Table>,
    diags: &mut Diagnostics,
) -> Result<School> {
    let mut school = School {
        dir: dir.to_path_buf(),
        staff: Vec::new(),
        classes: Vec::new(),
        enrollment: BTreeMap::new(),
        clubs: Vec::new(),
        leave: Vec::new(),
        served: BTreeMap::new(),
        warnings: Vec::new(),
        attends: Vec::new(),
    };
    // Keys of rows that were read with other mistakes: a reference to one
    // is no second error (one mistake, one message).
    // A file that could not be read at all was reported once: nothing
    // that refers to it is reported again.
    let defined = Defined {
        classes: keys(class_t.as_ref(), &["id", "name"]),
        staff: keys(staff_t.as_ref(), &["id"]),
        classes_unread: class_t.is_none(),
        staff_unread: staff_t.is_none(),
    };

    // Classes first: staff refer to them; clubs and leave refer to staff.
    if let Some(t) = &class_t {
        classes::load(t, policy, &mut school, &defined, diags)?;
    }
    if let Some(t) = &staff_t {
        staff::load(t, policy, &mut school, &defined, diags)?;
    }
    if let Some(t) = &enr_t {
        enrollment::load(t, policy, &mut school, &defined, diags)?;
    }
    if let Some(t) = &club_t {
        clubs::load(t, policy, &mut school, &defined, diags)?;
    }
    if let Some(t) = &leave_t {
        leave::load(t, policy, &mut school, &defined, diags)?;
    }
    if let Some(t) = &served_t {
        served::load(t, policy, &mut school, &defined, diags)?;
    }
    Ok(school)
}

/// The keys every row of a file names (read or not).
pub(super) struct Defined {
    classes: BTreeSet<String>,
    staff: BTreeSet<String>,
    classes_unread: bool,
    staff_unread: bool,
}

fn keys(t: Option<&Table>, cols: &[&str]) -> BTreeSet<String> {
    t.map_or_else(BTreeSet::new, |t| {
        t.rows
            .iter()
            .flat_map(|r| cols.iter().map(|c| r.get(c).to_string()))
            .filter(|k| !k.is_empty())
            .collect()
    })
}

/// The one key of `keys` (enrollment keys or club sessions, each with its
/// session id) a part of the day (`下午`, `afternoon`) stands for; None
/// when it names no part, or when the part has none or several of them
/// (then the user must say which).
pub(super) fn key_of_part<'k>(
    policy: &Policy,
    word: &str,
    keys: impl Iterator<Item = (&'k str, &'k str)>,
) -> Option<&'k str> {
    let part = crate::input::policy::part_named(word)?;
    let of_part: BTreeSet<&str> = keys
        .filter(|(_, sid)| policy.part_of(sid) == Some(part))
        .map(|(k, _)| k)
        .collect();
    match of_part.len() {
        1 => of_part.into_iter().next(),
        _ => None,
    }
}

/// The row's id and name, both required, the id not seen before in the file
/// (`what`: class, staff, club, as `(zh, en)`).
pub(super) fn id_and_name<'r>(
    f: &mut Fields,
    row: &'r Row,
    ids: &mut BTreeSet<String>,
    (what_zh, what): (&str, &str),
) -> Option<(&'r str, &'r str)> {
    let (Some(id), Some(name)) = (f.required(row, "id"), f.required(row, "name")) else {
        return None;
    };
    for (col, v) in [("id", id), ("name", name)] {
        let n = v.chars().count();
        if n > MAX_NAME_CHARS {
            f.err(
                row.line,
                col,
                Said::new(format!("{n} 个字符"), format!("{n} characters")),
                Said::new(
                    format!("至多 {MAX_NAME_CHARS} 个字符"),
                    format!("at most {MAX_NAME_CHARS} characters"),
                ),
            );
            return None;
        }
    }
    if !ids.insert(id.to_string()) {
        f.err(
            row.line,
            "id",
            Said::new(
                format!("重复的{what_zh}编号 \"{id}\""),
                format!("duplicate {what} id \"{id}\""),
            ),
            Said::new(
                format!("每个{what_zh}编号只用一次"),
                format!("a {what} id used once"),
            ),
        );
        return None;
    }
    Some((id, name))
}

/// A required staff id in column `col` that is in staff.csv (None without
/// a word when its own row there had a mistake, already reported).
pub(super) fn known_staff(
    f: &mut Fields,
    row: &Row,
    school: &School,
    defined: &Defined,
    col: &str,
) -> Option<usize> {
    let sid = f.required(row, col)?;
    staff_ref(f, row, school, defined, col, sid)
}

/// The person `sid` names in column `col`, reported when staff.csv has no
/// row of that id.
pub(super) fn staff_ref(
    f: &mut Fields,
    row: &Row,
    school: &School,
    defined: &Defined,
    col: &str,
    sid: &str,
) -> Option<usize> {
    let si = school.staff_index(sid);
    if si.is_none() && !defined.staff_unread && !defined.staff.contains(sid) {
        f.err(
            row.line,
            col,
            Said::new(
                format!("工号 \"{sid}\", staff.csv 中没有这个人"),
                format!("staff \"{sid}\", who is not in staff.csv"),
            ),
            Said::new("staff.csv 中的工号", "a staff id from staff.csv"),
        );
    }
    si
}

/// A required class id in column `col` that is in classes.csv (None
/// without a word when its own row there had a mistake).
pub(super) fn known_class(
    f: &mut Fields,
    row: &Row,
    school: &School,
    defined: &Defined,
    col: &str,
) -> Option<usize> {
    let cls = f.required(row, col)?;
    class_ref(f, row, school, defined, col, cls)
}

/// The class `cls` names in column `col`, reported when classes.csv has
/// no row of that id or name.
pub(super) fn class_ref(
    f: &mut Fields,
    row: &Row,
    school: &School,
    defined: &Defined,
    col: &str,
    cls: &str,
) -> Option<usize> {
    let ci = school.class_index(cls);
    if ci.is_none() && !defined.classes_unread && !defined.classes.contains(cls) {
        f.err(
            row.line,
            col,
            Said::new(
                format!("班级 \"{cls}\", classes.csv 中没有这个班级"),
                format!("class \"{cls}\", which is not in classes.csv"),
            ),
            Said::new(
                "classes.csv 中的班级编号或班级名称",
                "a class id from classes.csv",
            ),
        );
    }
    ci
}
