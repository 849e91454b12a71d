//! `[pay]`: how duty minutes become 课时 and money.

use super::ctx::{keys, Ctx};
use super::raw;
use crate::input::toml_source::Seg;
use crate::model::policy::{Comp, Pay};
use crate::model::units::{Centi, Hm};

pub(super) fn compile(c: &mut Ctx, p: &raw::Pay) -> Pay {
    Pay {
        minutes_per_keshi: c.count(keys!["pay", "minutes_per_keshi"], p.minutes_per_keshi, 1),
        rate_per_keshi: c.fen(keys!["pay", "rate_per_keshi"], p.rate_per_keshi),
        daily_cap_keshi: p.daily_cap_keshi.map(|v| {
            c.centi(
                keys!["pay", "daily_cap_keshi"],
                v,
                ("课时数", "a number of keshi"),
            )
        }),
        outside_rate_per_keshi: c.fen(
            keys!["pay", "outside_rate_per_keshi"],
            p.outside_rate_per_keshi.unwrap_or(p.rate_per_keshi),
        ),
    }
}

/// `[comp]`: the work-end (default `[school] work_end`) and the rate
/// (default 1.0 minute of comp per minute served after it).
pub(super) fn comp(c: &mut Ctx, p: Option<&raw::Comp>, school_end: Hm) -> Option<Comp> {
    let p = p?;
    let work_end = match &p.work_end {
        Some(s) => c.time(keys!["comp", "work_end"], s),
        None => school_end,
    };
    let rate = match p.rate {
        Some(v) => c.centi(
            keys!["comp", "rate"],
            v,
            (
                "每服务 1 分钟折合的调休分钟数",
                "minutes of comp per minute served",
            ),
        ),
        None => Centi(100),
    };
    Some(Comp { work_end, rate })
}
