//! `kehou workload`: hours, 课时 and pay per person for a date range.

use std::path::Path;

use chrono::NaiveDate;

use crate::app::context::Ctx;
use crate::error::{Error, Result};
use crate::ledger;

pub(crate) fn run(
    cx: &Ctx,
    from: NaiveDate,
    to: NaiveDate,
    csv: Option<&Path>,
    xlsx: Option<&Path>,
) -> Result<i32> {
    if from > to {
        return Err(Error::Usage(format!(
            "--from {from} {} --to {to}",
            cx.t("晚于", "is after")
        )));
    }
    let (p, s) = cx.load()?;
    if !cx.record.exists() && !crate::record::legacy::present(&cx.history) {
        return Err(Error::Usage(format!(
            "{} {}",
            cx.t(
                "没有排班记录, 尚无可计算的工作量 (先发布一周, 或用 --record 指定记录文件):",
                "no record, so no workload to compute (publish a week first, or name the record with --record):"
            ),
            cx.record.display()
        )));
    }
    let mut rec = cx.record(&p, &s, false)?;
    let served = rec.read(|tx| ledger::served(&p, &s, tx, from, to))?;
    let rows = ledger::workload(&p, &s, &served);
    if let Some(path) = csv {
        cx.write(path, &ledger::workload_csv(&s, &rows, cx.lang))?;
    }
    if let Some(path) = xlsx {
        cx.write(path, &ledger::workload_xlsx(&s, &rows, cx.lang)?)?;
    }
    if csv.is_none() && xlsx.is_none() {
        print!("{}", ledger::workload_table(&s, &rows, cx.lang));
    }
    Ok(0)
}
