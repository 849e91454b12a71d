//! served.csv: load already served this term, per person.

use crate::error::{Diagnostics, Result, Said};
use crate::input::limits::MAX_SERVED_HOURS;
use crate::input::table::{Columns, Table};
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
    defined: &super::Defined,
    diags: &mut Diagnostics,
) -> Result<()> {
    let mut f = t.fields(diags);
    for row in &t.rows {
        // The hours are checked even when the staff id is not known.
        let si = super::known_staff(&mut f, row, school, defined, "staff");
        let h = row.get("hours");
        match Centi::parse(h) {
            Some(c) if (0..=MAX_SERVED_HOURS * 100).contains(&c.0) => {
                // Load is weighted centi-minutes: hundredths of an hour x 60.
                if let Some(si) = si {
                    let e = school.served.entry(si).or_insert(0);
                    *e = e.saturating_add(c.0 * 60);
                }
            }
            _ => f.err(
                row.line,
                "hours",
                Said::same(format!("\"{h}\"")),
                Said::new(
                    format!("本学期已服务的加权小时数, 0 到 {MAX_SERVED_HOURS}, 如 12.5"),
                    format!(
                        "weighted hours served this term, from 0 to {MAX_SERVED_HOURS}, e.g. 12.5"
                    ),
                ),
            ),
        }
    }
    Ok(())
}
