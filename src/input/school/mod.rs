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

/// Load a school's data directory, reporting every problem at once.
pub fn load(dir: &Path, policy: &Policy) -> Result<School> {
    let req = |n: &str| read_bytes(&dir.join(n), true).map(|b| b.unwrap_or_default());
    let files = Files {
        staff: req("staff.csv")?,
        classes: req("classes.csv")?,
        enrollment: req("enrollment.csv")?,
        clubs: read_bytes(&dir.join("clubs.csv"), false)?,
        leave: read_bytes(&dir.join("leave.csv"), false)?,
        served: read_bytes(&dir.join("served.csv"), false)?,
    };
    from_files(dir, policy, &files)
}

/// Build a school from file contents; `dir` is used to name files in messages.
pub fn from_files(dir: &Path, policy: &Policy, f: &Files) -> Result<School> {
    let mut diags = Diagnostics::default();
    let mut t = |name: &str, bytes: Option<&Vec<u8>>, cols: Columns| {
        bytes.and_then(|b| parse_table(&dir.join(name), b, cols, &mut diags))
    };
    let staff_t = t("staff.csv", Some(&f.staff), STAFF_COLUMNS);
    let class_t = t("classes.csv", Some(&f.classes), CLASS_COLUMNS);
    // Before the larger files are read: a school far too large is refused at once.
    too_large(staff_t.as_ref(), MAX_STAFF, ("名教职工", "staff"))?;
    too_large(class_t.as_ref(), MAX_CLASSES, ("个班级", "classes"))?;
    let enr_t = t("enrollment.csv", Some(&f.enrollment), ENROLLMENT_COLUMNS);
    let club_t = t("clubs.csv", f.clubs.as_ref(), CLUB_COLUMNS);
    let leave_t = t("leave.csv", f.leave.as_ref(), LEAVE_COLUMNS);
    let served_t = t("served.csv", f.served.as_ref(), SERVED_COLUMNS);
    let tables = [&staff_t, &class_t, &enr_t, &club_t, &leave_t, &served_t];
    let skipped: Vec<Diagnostic> = tables
        .iter()
        .filter_map(|t| t.as_ref())
        .flat_map(|t| t.warnings.iter().cloned())
        .collect();
    let mut school = build(
        dir, policy, staff_t, class_t, enr_t, club_t, leave_t, served_t, &mut diags,
    )?;
    school.warnings.splice(0..0, skipped);
    diags.into_result(school)
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
