//! `kehou demand`: the week's duties, as a table or CSV.

use std::path::Path;

use chrono::NaiveDate;

use crate::app::context::Ctx;
use crate::error::Result;
use crate::outputs::terminal;

pub(crate) fn run(cx: &Ctx, week: NaiveDate, csv: Option<&Path>) -> Result<i32> {
    let (policy, school) = cx.load()?;
    let dm = crate::app::context::week(&policy, &school, week)?;
    match csv {
        Some(path) => cx.write(path, &terminal::demand_csv(&policy, &school, &dm, cx.lang))?,
        None => print!("{}", terminal::demand_table(&policy, &school, &dm, cx.lang)),
    }
    Ok(0)
}
