//! Small value types shared by every stage: clock times, weekdays, money.

use std::borrow::Cow;
use std::fmt;

use chrono::Weekday;

/// A clock time as minutes since midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hm(pub u16);

impl Hm {
    /// Parse "HH:MM" (also accepts "H:MM", seconds of ":00", and the
    /// full-width digits and colon of a Chinese input method).
    ///
    /// ```
    /// use kehou::model::units::Hm;
    /// assert_eq!(Hm::parse("17:30"), Some(Hm(17 * 60 + 30)));
    /// assert_eq!(Hm::parse("7：05").map(|t| t.to_string()), Some("07:05".to_string()));
    /// assert_eq!(Hm::parse("25:00"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Hm> {
        let s = ascii_forms(s.trim());
        let (h, m) = s.split_once(':')?;
        let m = m.strip_suffix(":00").unwrap_or(m);
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        let (h, m) = (h.trim(), m.trim());
        if !digits(h) || !digits(m) {
            return None;
        }
        let h: u16 = h.parse().ok()?;
        let m: u16 = m.parse().ok()?;
        (h < 24 && m < 60).then_some(Hm(h * 60 + m))
    }
    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl fmt::Display for Hm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// `s` with the full-width forms a Chinese input method types (`４５`,
/// `１６：３０`, `．`, the ideographic space) as their ASCII letters, digits
/// and punctuation; unchanged (borrowed) when it has none.
pub fn ascii_forms(s: &str) -> Cow<'_, str> {
    let wide = |c: char| ('\u{FF01}'..='\u{FF5E}').contains(&c) || c == '\u{3000}';
    if !s.chars().any(wide) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\u{3000}' => ' ',
                c if wide(c) => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                c => c,
            })
            .collect(),
    )
}

/// Parse a weekday written as mon/monday/周一/星期一/一/1.
pub fn parse_weekday(s: &str) -> Option<Weekday> {
    let t = ascii_forms(s.trim()).to_lowercase();
    let t = t
        .trim_start_matches("星期")
        .trim_start_matches("周")
        .trim_start_matches("礼拜");
    Some(match t {
        "mon" | "monday" | "一" | "1" => Weekday::Mon,
        "tue" | "tuesday" | "二" | "2" => Weekday::Tue,
        "wed" | "wednesday" | "三" | "3" => Weekday::Wed,
        "thu" | "thursday" | "四" | "4" => Weekday::Thu,
        "fri" | "friday" | "五" | "5" => Weekday::Fri,
        "sat" | "saturday" | "六" | "6" => Weekday::Sat,
        "sun" | "sunday" | "日" | "天" | "7" => Weekday::Sun,
        _ => return None,
    })
}

pub fn weekday_code(wd: Weekday) -> &'static str {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][wd.num_days_from_monday() as usize]
}

/// Money in fen (0.01 yuan), exact integer arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Fen(pub i64);

impl Fen {
    /// Parse a yuan amount such as "50", "50.5" or "85.00".
    ///
    /// ```
    /// use kehou::model::units::Fen;
    /// assert_eq!(Fen::parse_yuan("85.5"), Some(Fen(8550)));
    /// assert_eq!(Fen(8550).to_string(), "85.50");
    /// assert_eq!(Fen::parse_yuan("1.234"), None);
    /// ```
    pub fn parse_yuan(s: &str) -> Option<Fen> {
        let s = ascii_forms(s.trim());
        let s: &str = &s;
        let (neg, s) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s),
        };
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 {
            return None;
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole: i64 = int.parse().ok()?;
        let mut f: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().ok()?
        };
        if frac.len() == 1 {
            f *= 10;
        }
        let v = whole.checked_mul(100)?.checked_add(f)?;
        Some(Fen(if neg { -v } else { v }))
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

/// A decimal with two places (weights, quotas) kept as hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Centi(pub i64);

impl Centi {
    pub const ONE: Centi = Centi(100);
    pub fn parse(s: &str) -> Option<Centi> {
        Fen::parse_yuan(s).map(|f| Centi(f.0))
    }
    pub fn from_f64(x: f64) -> Option<Centi> {
        let v = (x * 100.0).round();
        (x.is_finite() && (v - x * 100.0).abs() < 1e-6 && v.abs() < 1e12).then_some(Centi(v as i64))
    }
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl fmt::Display for Centi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Fen(self.0).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_and_print() {
        assert_eq!(Hm::parse("07:20"), Some(Hm(440)));
        assert_eq!(Hm::parse("7：05"), Some(Hm(425)));
        assert_eq!(Hm::parse("24:00"), None);
        assert_eq!(Hm::parse("12:60"), None);
        assert_eq!(Hm(1020).to_string(), "17:00");
    }

    #[test]
    fn weekdays_in_both_languages() {
        assert_eq!(parse_weekday("周四"), Some(Weekday::Thu));
        assert_eq!(parse_weekday("星期日"), Some(Weekday::Sun));
        assert_eq!(parse_weekday("Fri"), Some(Weekday::Fri));
        assert_eq!(parse_weekday("x"), None);
    }

    #[test]
    fn money_is_exact() {
        assert_eq!(Fen::parse_yuan("50"), Some(Fen(5000)));
        assert_eq!(Fen::parse_yuan("85.5"), Some(Fen(8550)));
        assert_eq!(Fen::parse_yuan("0.05"), Some(Fen(5)));
        assert_eq!(Fen::parse_yuan("1.234"), None);
        assert_eq!(Fen(-1234).to_string(), "-12.34");
        assert_eq!(Centi::from_f64(1.25), Some(Centi(125)));
        assert_eq!(Centi::from_f64(1.255), None);
    }
}
