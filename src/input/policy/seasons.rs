//! `[[seasons]]`: each season's dates, stage times, dismissal times and time
//! overrides, and that the seasons cover every day of the year once.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};

use super::ctx::{keys, month_day, Ctx};
use super::raw;
use super::sessions::Known;
use crate::error::Said;
use crate::input::toml_source::Seg;
use crate::model::policy::{Season, TimeOverride};
use crate::model::units::Hm;

/// Days in a leap year: every month-day a season may name.
const LEAP_YEAR_DAYS: usize = 366;

pub(super) fn compile(c: &mut Ctx, list: &[raw::Season], known: &Known) -> Vec<Season> {
    c.unique_ids("seasons", list.iter().map(|s| &s.id));
    if list.is_empty() {
        c.err(
            keys!["seasons"],
            Said::new("没有季节", "no season"),
            Said::new(
                "至少一个 `[[seasons]]` 表",
                "at least one `[[seasons]]` table",
            ),
        );
    }
    let seasons: Vec<Season> = list
        .iter()
        .enumerate()
        .map(|(i, s)| season(c, i, s, known))
        .collect();
    check_cover(c, &seasons);
    seasons
}

fn season(c: &mut Ctx, i: usize, s: &raw::Season, known: &Known) -> Season {
    let from = month_day(&s.from).unwrap_or_else(|| {
        c.err(
            keys!["seasons", i, "from"],
            Said::same(format!("\"{}\"", s.from)),
            Said::new("月-日, 如 \"05-01\"", "a month-day such as \"05-01\""),
        );
        (1, 1)
    });
    let to = month_day(&s.to).unwrap_or_else(|| {
        c.err(
            keys!["seasons", i, "to"],
            Said::same(format!("\"{}\"", s.to)),
            Said::new("月-日, 如 \"09-30\"", "a month-day such as \"09-30\""),
        );
        (12, 31)
    });
    let cutoff = c.time_opt(keys!["seasons", i, "cutoff"], &s.cutoff);
    let (times, all_read) = times(c, i, s, cutoff, known);
    check_times(c, i, &times, cutoff.filter(|_| all_read), known);
    let dismissal = dismissal(c, i, s, known);
    let at = At {
        i,
        cutoff,
        times: &times,
        dismissal: &dismissal,
    };
    let overrides = s
        .overrides
        .iter()
        .enumerate()
        .map(|(j, o)| time_override(c, &at, j, o, known))
        .collect();
    Season {
        id: s.id.clone(),
        label: s.label.clone(),
        from,
        to,
        cutoff: cutoff.unwrap_or(Hm(0)),
        times,
        dismissal,
        overrides,
    }
}

/// Each session's (start, end) in season `i`, and whether every time was
/// read (a bad one is reported once and checked no further).
fn times(
    c: &mut Ctx,
    i: usize,
    s: &raw::Season,
    cutoff: Option<Hm>,
    known: &Known,
) -> (BTreeMap<String, (Hm, Hm)>, bool) {
    let mut times = BTreeMap::new();
    let mut all_read = true;
    for (sid, span) in &s.times {
        if !known.has_session(sid) {
            c.err(
                keys!["seasons", i, "times", sid],
                Said::new(format!("时段 \"{sid}\""), format!("session \"{sid}\"")),
                Said::new(
                    "`[[sessions]]` 中的时段编号",
                    "a session id from `[[sessions]]`",
                ),
            );
            continue;
        }
        let afternoon = known.is_afternoon(sid);
        let start = c.time_opt(keys!["seasons", i, "times", sid, "start"], &span.start);
        let end = match &span.end {
            Some(e) => c.time_opt(keys!["seasons", i, "times", sid, "end"], e),
            None if afternoon => cutoff,
            None => {
                c.err(
                    keys!["seasons", i, "times", sid],
                    Said::new("没有结束时刻", "no end time"),
                    Said::new(
                        "结束时刻 (只有下午各阶段默认在截止时刻结束)",
                        "an end time (only afternoon stages default to the cutoff)",
                    ),
                );
                None
            }
        };
        let (Some(start), Some(end)) = (start, end) else {
            all_read = false;
            times.insert(sid.clone(), (Hm(0), Hm(0)));
            continue;
        };
        check_span(
            c,
            keys!["seasons", i, "times", sid, "end"],
            (start, end),
            cutoff.filter(|_| afternoon),
        );
        times.insert(sid.clone(), (start, end));
    }
    (times, all_read)
}

/// The end after the start, and an afternoon stage (`cutoff` given) ending
/// no later than the cutoff.
fn check_span(c: &mut Ctx, at: Vec<Seg>, (start, end): (Hm, Hm), cutoff: Option<Hm>) {
    if end <= start {
        c.err(
            at.clone(),
            Said::new(
                format!("{end}, 不晚于开始时刻 {start}"),
                format!("{end}, not after the start {start}"),
            ),
            Said::new("晚于开始的结束时刻", "an end time after the start"),
        );
    }
    if let Some(cutoff) = cutoff.filter(|&x| end > x) {
        c.err(
            at,
            Said::new(
                format!("{end}, 晚于截止时刻 {cutoff}"),
                format!("{end}, after the cutoff {cutoff}"),
            ),
            Said::new(
                "不晚于本季节截止时刻结束的下午阶段",
                "an afternoon stage ending no later than the season's cutoff",
            ),
        );
    }
}

/// Every session has times, and the last afternoon stage ends at the cutoff.
fn check_times(
    c: &mut Ctx,
    i: usize,
    times: &BTreeMap<String, (Hm, Hm)>,
    cutoff: Option<Hm>,
    known: &Known,
) {
    for sess in known.sessions {
        if !times.contains_key(&sess.id) {
            c.err(
                keys!["seasons", i, "times"],
                Said::new(
                    format!("时段 \"{}\" 没有时间", sess.id),
                    format!("no times for session \"{}\"", sess.id),
                ),
                Said::new("每个时段的时间", "times for every session"),
            );
        }
    }
    let last_afternoon = times
        .iter()
        .filter(|(id, _)| known.is_afternoon(id))
        .map(|(_, t)| t.1)
        .max();
    if let (Some(last), Some(cutoff)) = (last_afternoon, cutoff) {
        if last != cutoff {
            c.err(
                keys!["seasons", i, "cutoff"],
                Said::new(
                    format!("{cutoff}, 但下午最后一个阶段在 {last} 结束"),
                    format!("{cutoff}, but the last afternoon stage ends at {last}"),
                ),
                Said::new(
                    "下午最后一个阶段在截止时刻结束",
                    "the last afternoon stage to end at the cutoff",
                ),
            );
        }
    }
}

fn dismissal(c: &mut Ctx, i: usize, s: &raw::Season, known: &Known) -> BTreeMap<String, Hm> {
    let mut dismissal = BTreeMap::new();
    for (b, t) in &s.dismissal {
        if !known.has_band(b) {
            c.err(
                keys!["seasons", i, "dismissal", b],
                Said::new(format!("学段 \"{b}\""), format!("band \"{b}\"")),
                Said::new(
                    "`[[grade_bands]]` 中的学段编号",
                    "a grade band id from `[[grade_bands]]`",
                ),
            );
        }
        let t = c.time(keys!["seasons", i, "dismissal", b], t);
        dismissal.insert(b.clone(), t);
    }
    dismissal
}

/// Season `i` as compiled so far, for its overrides.
struct At<'a> {
    i: usize,
    cutoff: Option<Hm>,
    times: &'a BTreeMap<String, (Hm, Hm)>,
    dismissal: &'a BTreeMap<String, Hm>,
}

fn time_override(c: &mut Ctx, at: &At, j: usize, o: &raw::Override, known: &Known) -> TimeOverride {
    let i = at.i;
    let weekdays = c.weekdays(keys!["seasons", i, "overrides", j, "weekdays"], &o.weekdays);
    for (bi, b) in o.bands.iter().enumerate() {
        if !known.has_band(b) {
            c.err(
                keys!["seasons", i, "overrides", j, "bands", bi],
                Said::new(format!("学段 \"{b}\""), format!("band \"{b}\"")),
                Said::new("学段编号", "a grade band id"),
            );
        }
    }
    if !known.has_session(&o.session) {
        c.err(
            keys!["seasons", i, "overrides", j, "session"],
            Said::new(
                format!("时段 \"{}\"", o.session),
                format!("session \"{}\"", o.session),
            ),
            Said::new(
                "`[[sessions]]` 中的时段编号",
                "a session id from `[[sessions]]`",
            ),
        );
    }
    let start = c.time_opt(keys!["seasons", i, "overrides", j, "start"], &o.start);
    let end = match &o.end {
        Some(e) => c.time_opt(keys!["seasons", i, "overrides", j, "end"], e),
        None => start.map(|st| at.times.get(&o.session).map_or(st, |t| t.1)),
    };
    // The session's own end is a placeholder when it was not read.
    let end_read = o.end.is_some() || at.times.get(&o.session) != Some(&(Hm(0), Hm(0)));
    if let (Some(start), Some(end), true) = (start, end, end_read) {
        check_override_times(c, at, j, o, (start, end), known);
    }
    TimeOverride {
        weekdays,
        bands: o.bands.clone(),
        session: o.session.clone(),
        start: start.unwrap_or(Hm(0)),
        end: end.unwrap_or(Hm(0)),
    }
}

fn check_override_times(
    c: &mut Ctx,
    at: &At,
    j: usize,
    o: &raw::Override,
    (start, end): (Hm, Hm),
    known: &Known,
) {
    let (i, cutoff) = (at.i, at.cutoff);
    if end <= start {
        c.err(
            keys!["seasons", i, "overrides", j, "end"],
            Said::new(
                format!("{end}, 不晚于开始时刻 {start}"),
                format!("{end}, not after the start {start}"),
            ),
            Said::new("晚于开始的结束时刻", "an end time after the start"),
        );
    }
    let afternoon = known.is_afternoon(&o.session);
    if let Some(cutoff) = cutoff.filter(|&x| afternoon && end > x) {
        c.err(
            keys!["seasons", i, "overrides", j, "end"],
            Said::new(
                format!("{end}, 晚于截止时刻 {cutoff}"),
                format!("{end}, after the cutoff {cutoff}"),
            ),
            Said::new(
                "不晚于本季节的截止时刻",
                "no later than the season's cutoff",
            ),
        );
    }
    for (b, dt) in at.dismissal {
        if afternoon && o.bands.contains(b) && start < *dt {
            c.err(
                keys!["seasons", i, "overrides", j, "start"],
                Said::new(
                    format!("{start}, 早于学段 {b} 的放学时刻 {dt}"),
                    format!("{start}, before band {b}'s dismissal at {dt}"),
                ),
                Said::new(
                    "放学之后才开始的下午阶段",
                    "an afternoon stage starting after dismissal",
                ),
            );
        }
    }
}

/// Every day of a (leap) year in exactly one season; each overlapping pair
/// and the first uncovered day reported once.
fn check_cover(c: &mut Ctx, seasons: &[Season]) {
    let mut day = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or(NaiveDate::MIN);
    let mut reported = BTreeSet::new();
    for _ in 0..LEAP_YEAR_DAYS {
        let hits: Vec<usize> = (0..seasons.len())
            .filter(|&i| seasons[i].contains(day))
            .collect();
        if hits.len() > 1 && reported.insert((hits[0], hits[1])) {
            let (a, b) = (&seasons[hits[0]], &seasons[hits[1]]);
            c.err(
                keys!["seasons", hits[1], "from"],
                Said::new(
                    format!(
                        "季节 \"{}\" 与 \"{}\" 在 {:02}-{:02} 重叠",
                        b.id,
                        a.id,
                        day.month(),
                        day.day()
                    ),
                    format!(
                        "season \"{}\" overlaps \"{}\" on {:02}-{:02}",
                        b.id,
                        a.id,
                        day.month(),
                        day.day()
                    ),
                ),
                Said::new("互不重叠的季节", "seasons that do not overlap"),
            );
        }
        if hits.is_empty() && !seasons.is_empty() && reported.insert((usize::MAX, 0)) {
            c.err(
                keys!["seasons"],
                Said::new(
                    format!("{:02}-{:02} 不在任何季节中", day.month(), day.day()),
                    format!("no season covers {:02}-{:02}", day.month(), day.day()),
                ),
                Said::new("覆盖全年的季节", "seasons covering the whole year"),
            );
        }
        day = day.succ_opt().unwrap_or(day);
    }
}
