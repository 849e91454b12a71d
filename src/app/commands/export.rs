//! `kehou export`: the readable outputs of a roster file or the latest
//! published version.

use std::path::Path;

use chrono::NaiveDate;

use crate::app::context::{refuse, write_readable, Ctx};
use crate::error::{Error, Result};
use crate::rules::Rule;
use crate::{check, roster};

pub(crate) fn run(cx: &Ctx, week: NaiveDate, path: Option<&Path>, out: &Path) -> Result<i32> {
    let (p, s) = cx.load()?;
    let dm = crate::app::context::week(&p, &s, week)?;
    let rows = match path {
        Some(f) => roster::read(f)?,
        None => match cx.history().published(dm.monday)? {
            Some((_, rows)) => rows,
            None => {
                return Err(Error::Usage(format!(
                    "{} {} (--roster FILE)",
                    cx.t("该周尚未发布:", "week not published:"),
                    dm.monday
                )))
            }
        },
    };
    // Only unknown duties or people stop an export; other breaches are shown
    // as they are on the page.
    let v = check::check(&p, &s, &dm, &rows);
    let unknown = if v.iter().any(|x| x.rule == Rule::Unknown) {
        &v[..]
    } else {
        &[]
    };
    refuse(unknown, "  ", cx.lang, || {
        Error::Usage(
            cx.t(
                "排班表中有不存在的任务或人员",
                "the roster names unknown duties or staff",
            )
            .into(),
        )
    })?;
    let plan = roster::plan_from_rows(&s, &dm, &rows);
    write_readable(&p, &s, &plan, out, cx.lang)?;
    println!("{} {}", cx.t("已写入", "wrote"), out.display());
    Ok(0)
}
