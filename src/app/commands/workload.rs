//! `kehou workload`: hours, 课时 and pay per person for a month, a term or
//! a date range.

use crate::app::args::Cmd;
use crate::app::context::Ctx;
use crate::error::{Error, Result};
use crate::ledger::{self, Period, PeriodError};
use crate::model::policy::Policy;

/// The period of the options (clap let exactly one of them through).
fn period(cx: &Ctx, p: &Policy, cmd: &Cmd) -> Result<Period> {
    let Cmd::Workload {
        month,
        term,
        from,
        to,
        ..
    } = cmd
    else {
        return Err(Error::Usage("workload".into()));
    };
    let asked = match (month, term, from, to) {
        (Some(m), _, _, _) => Ok(Period::month(*m)),
        (_, Some(t), _, _) => Period::term(p, t),
        (_, _, Some(f), Some(t)) => Period::range(*f, *t),
        _ => Err(PeriodError::Missing(ledger::period::Field::From)),
    };
    asked.map_err(|e| {
        let option = match e.field() {
            ledger::period::Field::Month => "--month",
            ledger::period::Field::Term => "--term",
            ledger::period::Field::From => "--from",
            ledger::period::Field::To => "--to",
        };
        Error::Usage(format!("{option}: {}", e.why(p, cx.lang)))
    })
}

pub(crate) fn run(cx: &Ctx, cmd: &Cmd) -> Result<i32> {
    let Cmd::Workload { csv, xlsx, .. } = cmd else {
        return Err(Error::Usage("workload".into()));
    };
    let (p, s) = cx.load()?;
    let period = period(cx, &p, cmd)?;
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
    let (from, to) = (period.from, period.to);
    let served = rec.read(|tx| ledger::served(&p, &s, tx, from, to))?;
    let rows = ledger::workload(&p, &s, &served);
    if served.is_empty() {
        // A sheet of zeros printed and signed by mistake is worse than a word.
        eprintln!(
            "{} {from}..{to}",
            cx.t(
                "警告: 这段时间记录中没有已服务的任务 (没有已发布的周, 或都在这段时间之外), 工作量全为 0:",
                "warning: the record holds no duty served in this period (no published week, or none in it), so every amount is 0:"
            )
        );
    }
    if let Some(path) = csv {
        cx.write(path, &ledger::workload_csv(&s, &rows, cx.lang))?;
    }
    if let Some(path) = xlsx {
        let made = chrono::Local::now().date_naive();
        let head = ledger::Heading::new(&p, period, made, cx.lang);
        cx.write(path, &ledger::workload_xlsx(&head, &s, &rows, cx.lang)?)?;
    }
    if csv.is_none() && xlsx.is_none() {
        print!("{}", ledger::workload_table(&s, &rows, cx.lang));
    }
    Ok(0)
}
