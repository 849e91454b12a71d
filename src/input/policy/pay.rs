//! `[pay]`: how duty minutes become 课时 and money.

use super::ctx::{keys, Ctx};
use super::raw;
use crate::input::toml_source::Seg;
use crate::model::policy::Pay;

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
