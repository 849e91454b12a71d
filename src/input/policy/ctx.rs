//! The context every compile step shares: the policy source (for positions)
//! and the diagnostics collected so far, with typed readers that report.

use std::collections::BTreeSet;

use chrono::{NaiveDate, Weekday};

use crate::error::{Diagnostics, Said};
use crate::input::limits::{date_in_range, date_range};
use crate::input::toml_source::{Seg, TomlSource};
use crate::model::policy::Role;
use crate::model::units::{parse_weekday, Centi, Fen, Hm};

/// Largest count any policy number may hold.
const MAX_COUNT: i64 = 100_000;
/// Largest decimal (weight, quota, 课时, yuan per 课时), in hundredths:
/// far above any real value, small enough that sums never overflow.
const MAX_CENTI: i64 = 10_000 * 100;

/// Key path from keys and indexes: `keys!["seasons", i, "from"]`.
macro_rules! keys {
    ($($seg:expr),* $(,)?) => { vec![$(Seg::from($seg)),*] };
}
pub(super) use keys;

impl From<&str> for Seg {
    fn from(s: &str) -> Seg {
        Seg::Key(s.to_string())
    }
}
impl From<usize> for Seg {
    fn from(i: usize) -> Seg {
        Seg::Index(i)
    }
}
impl From<&String> for Seg {
    fn from(s: &String) -> Seg {
        Seg::Key(s.clone())
    }
}

/// A number as found, short even when huge (1e300, not 301 digits); the
/// infinite and not-a-number in words.
pub(super) fn shown_number(v: f64) -> Said {
    if v.is_nan() {
        Said::new("非数字", "nan")
    } else if v.is_infinite() {
        let sign = if v < 0.0 { "-" } else { "" };
        Said::new(format!("{sign}无穷大"), format!("{sign}inf"))
    } else if v.abs() >= 1e15 {
        Said::same(format!("{v:e}"))
    } else {
        Said::same(v.to_string())
    }
}

/// `path` with one more segment.
pub(super) fn join(path: &[Seg], seg: impl Into<Seg>) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.push(seg.into());
    p
}

/// A plain TOML date within the range every input date keeps to.
pub(super) fn date_of(dt: &toml::value::Datetime) -> Option<NaiveDate> {
    match (dt.date, dt.time) {
        (Some(d), None) => NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32)
            .filter(|d| date_in_range(*d)),
        _ => None,
    }
}

pub(super) fn month_day(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.trim().split_once('-')?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    // 2024 is a leap year, so 02-29 is accepted.
    NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
}

pub(super) struct Ctx<'a> {
    pub(super) src: &'a TomlSource,
    pub(super) diags: &'a mut Diagnostics,
}

impl Ctx<'_> {
    /// A problem at `path`, in both languages.
    pub(super) fn err(&mut self, path: Vec<Seg>, found: Said, expected: Said) {
        let d = self.src.diag(&path, found, expected);
        self.diags.push(d);
    }
    /// Like `err`, for a position in `src` (a national calendar file) when given.
    pub(super) fn err_in(
        &mut self,
        src: Option<&TomlSource>,
        path: &[Seg],
        found: Said,
        expected: Said,
    ) {
        let d = src.unwrap_or(self.src).diag(path, found, expected);
        self.diags.push(d);
    }
    pub(super) fn time(&mut self, path: Vec<Seg>, s: &str) -> Hm {
        self.time_opt(path, s).unwrap_or(Hm(0))
    }
    /// A time, None (reported) when it is not one: what depends on it is
    /// then not checked, so one mistake gives one message.
    pub(super) fn time_opt(&mut self, path: Vec<Seg>, s: &str) -> Option<Hm> {
        let t = Hm::parse(s);
        if t.is_none() {
            self.err(
                path,
                Said::same(format!("\"{s}\"")),
                Said::new("时刻, 如 \"17:00\"", "a time such as \"17:00\""),
            );
        }
        t
    }
    pub(super) fn date(&mut self, path: Vec<Seg>, dt: &toml::value::Datetime) -> NaiveDate {
        date_of(dt).unwrap_or_else(|| {
            self.err(path, Said::same(dt.to_string()), date_range("2026-09-01"));
            NaiveDate::MIN
        })
    }
    pub(super) fn weekdays(&mut self, path: Vec<Seg>, v: &[String]) -> Vec<Weekday> {
        let mut out = Vec::new();
        for (i, s) in v.iter().enumerate() {
            match parse_weekday(s) {
                Some(w) => out.push(w),
                None => self.err(
                    join(&path, i),
                    Said::same(format!("\"{s}\"")),
                    crate::input::table::weekday_names(),
                ),
            }
        }
        out
    }
    pub(super) fn roles(&mut self, path: Vec<Seg>, v: &[String]) -> Vec<Role> {
        let mut out = Vec::new();
        for (i, r) in v.iter().enumerate() {
            match Role::parse(r) {
                Some(r) => out.push(r),
                None => self.err(
                    join(&path, i),
                    Said::same(format!("\"{r}\"")),
                    Role::names(),
                ),
            }
        }
        out
    }
    pub(super) fn count(&mut self, path: Vec<Seg>, v: i64, min: i64) -> u32 {
        if v < min || v > MAX_COUNT {
            self.err(
                path,
                Said::same(v.to_string()),
                Said::new(
                    format!("{min} 到 {MAX_COUNT} 的整数"),
                    format!("a whole number from {min} to {MAX_COUNT}"),
                ),
            );
            return min.max(0) as u32;
        }
        v as u32
    }
    /// A decimal; `what` names it in each language (`(zh, en)`).
    pub(super) fn centi(&mut self, path: Vec<Seg>, v: f64, (zh, en): (&str, &str)) -> Centi {
        match Centi::from_f64(v) {
            Some(c) if (0..=MAX_CENTI).contains(&c.0) => c,
            _ => {
                let max = MAX_CENTI / 100;
                self.err(
                    path,
                    shown_number(v),
                    Said::new(
                        format!("{zh}: 0 到 {max} 的数, 至多 2 位小数"),
                        format!("{en}: a number from 0 to {max} with at most 2 decimals"),
                    ),
                );
                Centi(0)
            }
        }
    }
    pub(super) fn fen(&mut self, path: Vec<Seg>, v: f64) -> Fen {
        Fen(self.centi(path, v, ("以元计的金额", "an amount in yuan")).0)
    }
    /// Report empty and repeated ids of `section`'s tables.
    pub(super) fn unique_ids<'s>(&mut self, section: &str, ids: impl Iterator<Item = &'s String>) {
        let mut seen = BTreeSet::new();
        for (i, id) in ids.enumerate() {
            if id.trim().is_empty() {
                self.err(
                    keys![section, i, "id"],
                    Said::new("空的编号", "an empty id"),
                    Said::new("非空的编号", "a non-empty id"),
                );
            } else if !seen.insert(id.clone()) {
                self.err(
                    keys![section, i, "id"],
                    Said::new(
                        format!("重复的编号 \"{id}\""),
                        format!("duplicate id \"{id}\""),
                    ),
                    Said::new("只用一次的编号", "an id used only once"),
                );
            }
        }
    }
}
