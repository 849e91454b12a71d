//! `kehou publish`: a checked roster becomes the week's next version.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::app::context::{refuse, Ctx};
use crate::error::{Error, Result};
use crate::record::{admit, Actor, Base};
use crate::{check, roster};

pub(crate) fn run(
    cx: &Ctx,
    week: NaiveDate,
    path: Option<&Path>,
    replace: Option<u32>,
) -> Result<i32> {
    let (p, s) = cx.load()?;
    let dm = crate::app::context::week(&p, &s, week)?;
    let path = path
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("out").join(format!("roster-{}.csv", dm.monday)));
    let bytes = crate::input::limits::read_input(&path)?;
    let rows = roster::parse(&path, &bytes)?;
    let v = check::check(&p, &s, &dm, &rows);
    refuse(&v, "  ", cx.lang, || {
        Error::Usage(format!(
            "{} {}",
            v.len(),
            cx.t("处违反规则, 未发布", "violation(s): not published")
        ))
    })?;
    let base = replace.map_or(Base::Unpublished, Base::Version);
    let by = Actor::cli("publish");
    let mut rec = cx.record(&p, &s, true)?;
    let ver = rec.write(|tx| admit::publish(tx, &p, &s, &dm, &rows, &bytes, base, &by))?;
    println!(
        "{} {} v{ver} ({} {})",
        cx.t("已发布", "published"),
        dm.monday,
        cx.t("记录于", "recorded in"),
        rec.path().display()
    );
    Ok(0)
}
