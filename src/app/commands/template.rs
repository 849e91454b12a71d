//! `kehou template TABLE --out FILE.xlsx`: a table's workbook to fill in
//! (headers, a sample row, dropdown lists from the policy and the data).

use std::path::Path;

use crate::app::context::Ctx;
use crate::error::{Error, Result, Said};
use crate::input::import::TableKind;

pub(crate) fn run(cx: &Ctx, table: &str, out: &Path) -> Result<i32> {
    let Some(kind) = TableKind::parse(table) else {
        return Err(Error::Mistake(Said::new(
            format!(
                "没有数据表 \"{table}\"; 应为 staff、classes、enrollment、clubs、leave 或 served"
            ),
            format!(
                "no table \"{table}\"; expected staff, classes, enrollment, clubs, leave or served"
            ),
        )));
    };
    let (policy, school) = cx.load()?;
    let bytes = crate::outputs::template::template(kind, &policy, &school, cx.lang)?;
    crate::outputs::files::write_atomic(out, &bytes)?;
    println!(
        "{}: {}",
        cx.t("已写出模板", "template written"),
        out.display()
    );
    Ok(0)
}
