//! `kehou simulate`: a term planned, published and served with absences.

use crate::app::args::Cmd;
use crate::app::context::Ctx;
use crate::error::{Error, Result};
use crate::studies::simulate::{self, Sim, MAX_RUNS};

pub(crate) fn run(cx: &Ctx, cmd: &Cmd) -> Result<i32> {
    let Cmd::Simulate {
        from,
        weeks,
        absence,
        seed,
        no_substitutes,
        no_swaps,
        no_preferences,
        keep,
        runs,
    } = cmd
    else {
        return Err(Error::Usage("simulate".into()));
    };
    if *runs == 0 || *runs > MAX_RUNS || (*runs > 1 && keep.is_some()) {
        return Err(Error::Usage(format!(
            "{} {MAX_RUNS}{}",
            cx.t("--runs 须在 1 到", "--runs must be at least 1 and at most"),
            cx.t(
                " 之间, 且 --keep 只能保留单次模拟",
                ", and --keep keeps a single run"
            ),
        )));
    }
    simulate::check_weeks(*weeks, cx.lang)?;
    let (p, s) = cx.load()?;
    let sim = Sim {
        from: *from,
        weeks: *weeks,
        absence: *absence,
        seed: *seed,
        substitutes: !*no_substitutes,
        swaps: !*no_swaps,
        preferences: !*no_preferences,
    };
    if *runs > 1 {
        let t0 = std::time::Instant::now();
        let rs = simulate::terms(&p, &s, sim, *runs, cx.lang, true)?;
        print!("{}", simulate::render_runs(&rs, cx.lang));
        println!(
            "{} {:.1}s",
            cx.t("用时", "time"),
            t0.elapsed().as_secs_f64()
        );
        return Ok(0);
    }
    let r = simulate::term(&p, &s, sim, keep.as_deref(), cx.lang, true)?;
    print!("{}", r.render(cx.lang));
    Ok(0)
}
