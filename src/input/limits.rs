//! Limits far beyond any real school, checked before any work is done, so
//! that broken or hostile input gets a clear error instead of a panic, a
//! hang or an abort on memory. docs/data.md lists them for users.

use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;

pub use crate::error::bad_char;
use crate::error::{Diagnostic, Error, Result, Said};

/// Bytes one input file (CSV, policy, calendar, roster) may hold.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Columns of a CSV table (the widest real one has 13).
pub const MAX_COLUMNS: usize = 256;
/// Data rows of a CSV table (a 1,000-class enrollment has 25,000).
pub const MAX_ROWS: usize = 100_000;
/// Characters of any CSV cell or policy string.
pub const MAX_CELL_CHARS: usize = 1_000;
/// Characters of an id or a name (staff, class, club).
pub const MAX_NAME_CHARS: usize = 200;
/// Weighted hours one person may have served in a term (served.csv).
pub const MAX_SERVED_HOURS: i64 = 5_000;

/// The dates any input or option may name: far wider than any school
/// year, narrow enough that date arithmetic never overflows.
pub const FIRST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
pub const LAST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2100, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// What a date must be, in messages.
pub const DATE_RANGE: &str = "a date from 2000-01-01 to 2100-12-31";

/// What a date must be, in both languages, with an example (`2026-09-01`).
pub fn date_range(example: &str) -> Said {
    Said::new(
        format!("2000-01-01 到 2100-12-31 之间的日期, 如 {example}"),
        format!("{DATE_RANGE}, such as {example}"),
    )
}

pub fn date_in_range(d: NaiveDate) -> bool {
    (FIRST_DATE..=LAST_DATE).contains(&d)
}

/// A bad character named for a message, e.g. `U+001B (a control character)`.
pub fn describe_char(c: char) -> Said {
    let (zh, en) = if c.is_control() {
        ("控制字符", "a control character")
    } else {
        (
            "不可见的文字方向控制符",
            "an invisible text-direction control",
        )
    };
    let code = format!("U+{:04X}", c as u32);
    Said::new(format!("{code} ({zh})"), format!("{code} ({en})"))
}

/// What a text field may not hold, as a problem to report (found,
/// expected); None when the text is fine. `max` bounds its length.
pub fn text_problem(s: &str, max: usize) -> Option<(Said, Said)> {
    if let Some(c) = bad_char(s) {
        let what = describe_char(c);
        return Some((
            Said::new(
                format!("含有 {} 的文字", what.zh),
                format!("text containing {}", what.en),
            ),
            Said::new(
                "不含控制字符、换行或文字方向控制符的普通文字",
                "plain text without control characters, line breaks or direction controls",
            ),
        ));
    }
    let n = s.chars().count();
    (n > max).then(|| {
        (
            Said::new(format!("{n} 个字符"), format!("{n} characters")),
            Said::new(
                format!("至多 {max} 个字符"),
                format!("at most {max} characters"),
            ),
        )
    })
}

/// A file's bytes, refused before reading when it is larger than
/// [`MAX_FILE_BYTES`] (and read with a cap, in case it grows meanwhile).
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    let io = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let f = std::fs::File::open(path).map_err(io)?;
    let len = f.metadata().map_err(io)?.len();
    if len > MAX_FILE_BYTES {
        return Err(Error::invalid(too_big(path, len)));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::invalid(too_big(path, bytes.len() as u64)));
    }
    Ok(bytes)
}

fn too_big(path: &Path, len: u64) -> Diagnostic {
    let mib = format!("{:.1}", len as f64 / 1024.0 / 1024.0);
    let max = MAX_FILE_BYTES / 1024 / 1024;
    Diagnostic::new(
        path,
        0,
        Said::same("-"),
        Said::new(format!("{mib} MiB 的文件"), format!("a file of {mib} MiB")),
        Said::new(
            format!("每个输入文件至多 {max} MiB"),
            format!("at most {max} MiB per input file"),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_characters_are_found() {
        assert_eq!(bad_char("王静"), None);
        assert_eq!(bad_char("三(2)班 A"), None);
        for s in ["a\u{1b}[31m", "a\0", "a\u{202E}b", "a\nb", "x\u{2067}"] {
            assert!(bad_char(s).is_some(), "{s:?}");
        }
    }

    #[test]
    fn dates_are_bounded() {
        assert!(date_in_range(
            NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or_default()
        ));
        assert!(!date_in_range(NaiveDate::MAX));
        assert!(!date_in_range(NaiveDate::MIN));
    }
}
