//! `kehou explain`: why one person has their load in a week, for the
//! latest published version (or, with --plan or when none is published,
//! a plan made now, with its tiers' proofs).

use chrono::NaiveDate;

use crate::app::context::Ctx;
use crate::error::{Error, Result};
use crate::plan::explain::{explain, find_staff, render};
use crate::{calendar, ledger, plan, roster};

pub(crate) fn run(cx: &Ctx, week: NaiveDate, who: &str, fresh: bool, json: bool) -> Result<i32> {
    let lang = cx.lang;
    let (p, mut s) = cx.load()?;
    let monday = calendar::monday_of(week);
    let mut rec = cx.record(&p, &s, false)?;
    rec.read(|tx| ledger::add_term_load(&p, &mut s, tx, monday))?;
    let staff = find_staff(&s, who)?;
    let dm = crate::app::context::week(&p, &s, week)?;
    let published = match fresh {
        true => None,
        false => rec.read(|tx| {
            let Some(v) = tx.latest(monday)? else {
                return Ok(None);
            };
            Ok(tx.roster_bytes(monday, v)?.map(|b| (v, b)))
        })?,
    };
    let (plan, from) = match published {
        Some((v, bytes)) => {
            let rows = roster::parse(&rec.path().join(format!("{monday}/v{v}")), &bytes)?;
            let what = format!(
                "{} v{v} ({})",
                cx.t("依据已发布", "from published"),
                cx.t(
                    "已发布版本不保存各层证明; 加 --plan 重新排班可看证明",
                    "a published version keeps no proofs; --plan plans anew with them"
                )
            );
            (roster::plan_from_rows(&s, &dm, &rows), what)
        }
        None => {
            let plan = plan::plan(&p, &s, &dm, &plan::Options::from_policy(&p))?;
            (
                plan,
                cx.t("依据现在排出的排班", "from a plan made now")
                    .to_string(),
            )
        }
    };
    let e = explain(&p, &s, &plan, staff, lang);
    if json {
        let text = serde_json::to_string_pretty(&e)
            .map_err(|err| Error::Solver(format!("json: {err}")))?;
        println!("{text}");
        return Ok(0);
    }
    println!("({from})");
    print!("{}", render(&e, lang));
    Ok(0)
}
