//! Cell values as schools type them: what Excel, WPS and a Chinese input
//! method make of a number or a date, read when the meaning is certain
//! (docs/data.md lists what is accepted).

use chrono::{Days, NaiveDate};

use crate::input::limits::date_in_range;
use crate::model::units::{ascii_forms, Hm};

/// Why a cell is not a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotWhole {
    /// A number with a fraction (`45.5`): no count of pupils has one.
    Fraction,
    /// Not a number at all.
    Text,
}

/// A whole number: `45`, full-width `４５`, or `45.0` as Excel writes a
/// number cell formatted with decimals.
pub(crate) fn whole_number(v: &str) -> Result<u64, NotWhole> {
    let v = ascii_forms(v.trim());
    let (int, frac) = v.split_once('.').unwrap_or((&v, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) {
        return Err(NotWhole::Text);
    }
    if frac.bytes().any(|b| b != b'0') {
        return Err(NotWhole::Fraction);
    }
    int.parse().map_err(|_| NotWhole::Text)
}

/// The day before Excel's day 1 (its serial 60 is the 1900-02-29 that never
/// was, so serials of 1900-03-01 on count from here).
const EXCEL_EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1899, 12, 30) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// A date as schools write it, within the dates kehou accepts:
/// `2026-12-08`, `2026/12/8`, `2026.12.8`, `2026年12月8日`, full-width
/// digits, a date with a midnight time (`2026/12/8 0:00`, how Excel
/// writes a date cell), or Excel's serial number of the day (`46364`).
pub(crate) fn parse_date(v: &str) -> Option<NaiveDate> {
    let v = ascii_forms(v.trim());
    if let Some(d) = serial_date(&v) {
        return Some(d);
    }
    let (day, time) = match v.split_once(' ') {
        Some((d, t)) => (d, Some(t.trim())),
        None => (v.as_ref(), None),
    };
    // A time of day other than midnight: not a date, and not guessed.
    if time.is_some_and(|t| Hm::parse(t) != Some(Hm(0))) {
        return None;
    }
    let day = day
        .replace(['年', '月'], "-")
        .replace(['日', '号'], "")
        .replace(['/', '.'], "-");
    NaiveDate::parse_from_str(&day, "%Y-%m-%d")
        .ok()
        .filter(|&d| date_in_range(d))
}

/// Excel's serial number of a day (a date cell read as a number), only
/// for a whole number of five digits naming a date kehou accepts: any
/// other number is no date.
fn serial_date(v: &str) -> Option<NaiveDate> {
    let n = whole_number(v).ok()?;
    if !(10_000..100_000).contains(&n) {
        return None;
    }
    EXCEL_EPOCH
        .checked_add_days(Days::new(n))
        .filter(|&d| date_in_range(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers() {
        assert_eq!(whole_number("45"), Ok(45));
        assert_eq!(whole_number("４５"), Ok(45));
        assert_eq!(whole_number(" 45.00 "), Ok(45));
        assert_eq!(whole_number("45.5"), Err(NotWhole::Fraction));
        assert_eq!(whole_number("abc"), Err(NotWhole::Text));
        assert_eq!(whole_number("-3"), Err(NotWhole::Text));
        assert_eq!(whole_number("."), Err(NotWhole::Text));
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 7);
        for s in [
            "2026-12-07",
            "2026/12/7",
            "2026.12.07",
            "2026年12月7日",
            "2026年12月7号",
            "２０２６－１２－０７",
            "2026/12/7 0:00",
            "2026-12-07 00:00:00",
            "46363",
        ] {
            assert_eq!(parse_date(s), d, "{s}");
        }
        for s in [
            "2026/12/7 8:30",
            "2026-13-08",
            "2999-12-08",
            "45",
            "1e5",
            "463630",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }
}
