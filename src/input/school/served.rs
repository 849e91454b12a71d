//! served.csv: load already served this term, per person.

use crate::error::{Diagnostics, Result};
use crate::input::table::{Columns, Fields, Table};
use crate::model::policy::Policy;
use crate::model::school::*;
use crate::model::units::Centi;

pub const SERVED_COLUMNS: Columns = &[
    ("staff", &["工号"], true),
    ("hours", &["已服务负荷", "加权小时"], true),
];

pub(super) fn load(
    t: &Table,
    _policy: &Policy,
    school: &mut School,
    diags: &mut Diagnostics,
) -> Result<()> {
    let mut f = Fields {
        file: &t.file,
        diags,
    };
    for row in &t.rows {
        let Some(sid) = f.required(row, "staff") else {
            continue;
        };
        let Some(si) = school.staff_index(sid) else {
            f.err(
                row.line,
                "staff",
                format!("staff \"{sid}\", who is not in staff.csv"),
                "a staff id from staff.csv",
            );
            continue;
        };
        let h = row.get("hours");
        match Centi::parse(h) {
            Some(c) if c.0 >= 0 => {
                *school.served.entry(si).or_insert(0) += c.0 * 60;
            }
            _ => f.err(
                row.line,
                "hours",
                format!("\"{h}\""),
                "weighted hours served this term, e.g. 12.5",
            ),
        }
    }
    Ok(())
}
