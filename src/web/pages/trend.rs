//! A person's load week by week this term against the average, as a
//! chart on their duties page (`outputs::chart::trend`), from what was
//! served.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use maud::{html, Markup, PreEscaped};

use crate::error::Error;
use crate::lang::Lang;
use crate::ledger;
use crate::model::school::LOAD_PER_HOUR;
use crate::outputs::chart::{trend, Series};
use crate::web::Shared;

/// Per week served this term up to `monday`: the person's weighted hours
/// and the average of everyone who served in the term.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Weeks {
    pub mondays: Vec<NaiveDate>,
    pub mine: Vec<f64>,
    pub average: Vec<f64>,
}

/// The weeks of `served` (any range), for `staff`.
pub(crate) fn weeks(served: &[ledger::Served], staff: usize) -> Weeks {
    let mut by_week: BTreeMap<NaiveDate, BTreeMap<usize, i64>> = BTreeMap::new();
    for x in served {
        let w = crate::calendar::monday_of(x.duty.date);
        *by_week.entry(w).or_default().entry(x.staff).or_default() += x.duty.load();
    }
    let people: std::collections::BTreeSet<usize> = served.iter().map(|x| x.staff).collect();
    let n = people.len().max(1) as f64;
    let hours = |l: i64| l as f64 / LOAD_PER_HOUR as f64;
    let mut out = Weeks::default();
    for (w, loads) in by_week {
        out.mondays.push(w);
        out.mine
            .push(hours(loads.get(&staff).copied().unwrap_or(0)));
        out.average.push(hours(loads.values().sum::<i64>()) / n);
    }
    out
}

/// The chart of `staff`'s term up to the week of `monday`; None outside a
/// term or before anything was served.
pub(crate) async fn term_chart(
    st: &Shared,
    staff: usize,
    monday: NaiveDate,
    lang: Lang,
) -> Result<Option<Markup>, Error> {
    let Some(term) = st
        .now()
        .policy
        .calendar
        .terms
        .iter()
        .find(|t| t.start <= monday && monday <= t.end)
        .cloned()
    else {
        return Ok(None);
    };
    let st2 = st.clone();
    let served = st
        .db(move |rec| {
            let (p, s) = (&st2.now().policy, &st2.now().school);
            rec.read(|tx| ledger::served(p, s, tx, term.start, monday + Days::new(6)))
        })
        .await?;
    let w = weeks(&served, staff);
    if w.mondays.is_empty() {
        return Ok(None);
    }
    let xs: Vec<String> = w
        .mondays
        .iter()
        .map(|d| d.format("%m-%d").to_string())
        .collect();
    let now = st.now();
    let name = now.school.shown_name(staff);
    let svg = trend(
        lang.t("本学期每周负荷", "Load per week this term"),
        lang.t("周 (周一)", "week (Monday)"),
        lang.t("加权小时", "weighted hours"),
        &xs,
        &[
            Series {
                label: &name,
                values: &w.mine,
                class: "person",
            },
            Series {
                label: lang.t("平均", "average"),
                values: &w.average,
                class: "average",
            },
        ],
    );
    Ok(Some(html! { figure.chart { (PreEscaped(svg)) } }))
}
