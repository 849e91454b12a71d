//! `kehou publish`: a checked roster becomes the week's next version.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::app::context::{refuse, Ctx};
use crate::error::{Error, Result};
use crate::{check, roster};

pub(crate) fn run(cx: &Ctx, week: NaiveDate, path: Option<&Path>, replace: bool) -> Result<i32> {
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
    let h = cx.history();
    let ver = h.publish(dm.monday, &bytes, replace)?;
    println!(
        "{} {} v{ver}: {}",
        cx.t("已发布", "published"),
        dm.monday,
        h.version_path(dm.monday, ver).display()
    );
    Ok(0)
}
