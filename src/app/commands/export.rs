//! `kehou export`: the readable outputs of a roster file or the latest
//! published version.

use std::path::Path;

use chrono::NaiveDate;

use crate::app::context::{refuse, write_readable, Ctx};
use crate::error::{Error, Result};
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::rules::Rule;
use crate::{check, roster};

pub(crate) fn run(
    cx: &Ctx,
    week: NaiveDate,
    path: Option<&Path>,
    version: Option<u32>,
    out: &Path,
) -> Result<i32> {
    let (p, s) = cx.load()?;
    let dm = crate::app::context::week(&p, &s, week)?;
    let rows = match path {
        Some(f) => roster::read(f)?,
        None => published(cx, &p, &s, dm.monday, version, out)?,
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

/// The rows of a published version (default the latest); a version named
/// with --version also has its roster CSV written, as published.
fn published(
    cx: &Ctx,
    p: &Policy,
    s: &School,
    monday: NaiveDate,
    version: Option<u32>,
    out: &Path,
) -> Result<Vec<roster::Row>> {
    let mut rec = cx.record(p, s, false)?;
    let got = rec.read(|tx| {
        let Some(v) = version.map_or_else(|| tx.latest(monday), |v| Ok(Some(v)))? else {
            return Ok(None);
        };
        Ok(tx.roster_bytes(monday, v)?.map(|b| (v, b)))
    })?;
    let Some((v, bytes)) = got else {
        let which = version.map(|v| format!(" v{v}")).unwrap_or_default();
        return Err(Error::Usage(format!(
            "{} {monday}{which} (--roster FILE)",
            cx.t("记录中没有该周的发布版本:", "no such published version:"),
        )));
    };
    if version.is_some() {
        cx.write(&out.join(format!("roster-{monday}-v{v}.csv")), &bytes)?;
    }
    roster::parse(&rec.path().join(format!("{monday}/v{v}")), &bytes)
}
