//! `kehou check`: a roster file re-verified against every hard rule.

use std::path::Path;

use chrono::NaiveDate;

use crate::app::context::Ctx;
use crate::error::Result;
use crate::{check, roster};

pub(crate) fn run(cx: &Ctx, week: NaiveDate, path: &Path) -> Result<i32> {
    let (p, s) = cx.load()?;
    let dm = crate::app::context::week(&p, &s, week)?;
    let rows = roster::read(path)?;
    let v = check::check(&p, &s, &dm, &rows);
    if v.is_empty() {
        println!(
            "{} ({} {})",
            cx.t(
                "检查通过: 所有硬性规则均满足",
                "check passed: every hard rule holds"
            ),
            rows.len(),
            cx.t("行", "rows")
        );
        return Ok(0);
    }
    println!("{} {}", v.len(), cx.t("处违反规则:", "violation(s):"));
    for x in &v {
        println!("  {}", x.render(cx.lang));
    }
    Ok(1)
}
