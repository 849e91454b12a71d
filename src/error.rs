//! Typed errors. Input problems are collected as [`Diagnostic`]s so that a
//! user sees every mistake at once, each with file, line, field, what was
//! found and what was expected.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::lang::Lang;

/// One problem found in an input file, written in both languages where it
/// is found and shown in one at the edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column (TOML only); 0 when unknown.
    pub column: usize,
    /// The field as the file names it: a CSV column's header as written
    /// (its name in each language when the file lacks the column), a TOML
    /// key path; `-` for the whole file or row.
    pub field: Said,
    pub found: Said,
    pub expected: Said,
}

impl Diagnostic {
    /// A problem said in both languages: there is no English-only one.
    pub fn new(
        file: impl Into<PathBuf>,
        line: usize,
        field: Said,
        found: Said,
        expected: Said,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line,
            column: 0,
            field,
            found,
            expected,
        }
    }

    pub fn at_column(mut self, column: usize) -> Self {
        self.column = column;
        self
    }

    pub fn render(&self, lang: Lang) -> String {
        let mut loc = shown(&self.file.display().to_string()).into_owned();
        if self.line > 0 {
            loc.push_str(&format!(":{}", self.line));
            if self.column > 0 {
                loc.push_str(&format!(":{}", self.column));
            }
        }
        let (field, found, expected) = (
            shown(self.field.render(lang)),
            shown(self.found.render(lang)),
            shown(self.expected.render(lang)),
        );
        match lang {
            Lang::Zh => format!("{loc}: 字段 `{field}`: 发现 {found}; 应为 {expected}"),
            Lang::En => format!("{loc}: field `{field}`: found {found}; expected {expected}"),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// Every error the library returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} problem(s) in the input", .0.len())]
    Invalid(Vec<Diagnostic>),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("solver failed: {0}")]
    Solver(String),
    #[error("{0}")]
    Usage(String),
    /// A mistake in what the user asked, said in both languages.
    #[error("{}", .0.en)]
    Mistake(Said),
    #[error("input too large: {}", .0.en)]
    TooLarge(Said),
    /// Term dates no national calendar file covers: their holidays are
    /// unknown, so they are refused rather than taken as school days.
    #[error("{policy}: term dates {dates} have no national calendar; add {files}")]
    NoNationalCalendar {
        policy: PathBuf,
        /// Compact ranges, e.g. `2027-01-01..2027-01-22`.
        dates: String,
        /// The files to add, e.g. `policies/calendar/cn-2027.toml`.
        files: String,
        /// How the policy lists them, e.g. `"calendar/cn-2027.toml"`.
        listed: String,
    },
    /// The school's record (SQLite) could not be opened, read or written.
    #[error("the record {path}: {detail}")]
    Record { path: PathBuf, detail: String },
    /// A write based on a version that is no longer the week's latest:
    /// someone published in between, and writing would undo it.
    #[error("week {week}: based on {}, but the latest is {}", based(*.base), based(.latest.as_ref().map(|l| l.version)))]
    Stale {
        week: chrono::NaiveDate,
        /// The version the write was based on (None: unpublished).
        base: Option<u32>,
        /// The week's latest version now.
        latest: Option<Published>,
    },
    /// An event or a roster refused, with every reason (in both languages;
    /// the edge shows one).
    #[error("refused: {}", .0.iter().map(|s| s.en.as_str()).collect::<Vec<_>>().join("; "))]
    Refused(Vec<Said>),
}

/// A published version, as a stale-base message names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub version: u32,
    pub at: String,
    pub who: String,
    pub via: String,
}

/// A message in both languages, built where the facts are and shown in the
/// user's language at the edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Said {
    // English first: diagnostics sort as they did when they were English.
    pub en: String,
    pub zh: String,
}

impl Said {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Said {
        Said {
            zh: zh.into(),
            en: en.into(),
        }
    }
    /// The same text in both languages: an id, a key path, a value quoted
    /// from the input, a header as the file writes it.
    pub fn same(s: impl Into<String>) -> Said {
        let s = s.into();
        Said {
            zh: s.clone(),
            en: s,
        }
    }
    pub fn render(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

fn based(v: Option<u32>) -> String {
    v.map_or_else(|| "nothing published".into(), |v| format!("v{v}"))
}

impl Error {
    pub fn invalid(d: Diagnostic) -> Self {
        Error::Invalid(vec![d])
    }

    /// Render for a user, one problem per line.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Error::Invalid(ds) => {
                let head = match lang {
                    Lang::Zh => format!("输入有 {} 处问题:", ds.len()),
                    Lang::En => format!("{} problem(s) in the input:", ds.len()),
                };
                let mut s = head;
                for line in grouped(ds, lang) {
                    s.push_str("\n  ");
                    s.push_str(&line);
                }
                s
            }
            Error::Read { path, source } => match lang {
                Lang::Zh => format!("无法读取 {}: {}", path.display(), io_zh(source)),
                Lang::En => self.to_string(),
            },
            Error::Write { path, source } => match lang {
                Lang::Zh => format!("无法写入 {}: {}", path.display(), io_zh(source)),
                Lang::En => self.to_string(),
            },
            Error::NoNationalCalendar {
                policy,
                dates,
                files,
                listed,
            } => match lang {
                Lang::Zh => format!(
                    "{}: 学期日期 {dates} 没有国家节假日安排(放假和调休未知, 不能当作上课日); 请添加 {files}, 并在 [calendar] national 中列出 {listed}",
                    policy.display()
                ),
                Lang::En => format!(
                    "{}: term dates {dates} have no national calendar (their holidays and make-up days are unknown, so they are not taken as school days); add {files} and list {listed} in [calendar] national",
                    policy.display()
                ),
            },
            Error::Record { path, detail } => match lang {
                Lang::Zh => format!("排班记录 {}: {}", path.display(), shown(detail)),
                Lang::En => format!("the record {}: {}", path.display(), shown(detail)),
            },
            Error::Stale { week, base, latest } => stale(*week, *base, latest.as_ref(), lang),
            Error::Refused(why) => {
                let mut s = lang.t("已拒绝, 未写入:", "refused; nothing was written:").to_string();
                for w in why {
                    s.push_str("\n  ");
                    s.push_str(&shown(w.render(lang)));
                }
                s
            }
            Error::Mistake(said) => shown(said.render(lang)).into_owned(),
            Error::TooLarge(what) => match lang {
                Lang::Zh => format!("输入过大: {}", shown(&what.zh)),
                Lang::En => format!("input too large: {}", shown(&what.en)),
            },
            _ => shown(&self.to_string()).into_owned(),
        }
    }
}

/// An operating-system error in Chinese: what happened and the code, not
/// the system's English text.
fn io_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "文件或文件夹不存在 (请检查路径和文件名)",
        K::PermissionDenied => "没有访问权限",
        K::AlreadyExists => "已存在同名文件",
        K::IsADirectory => "这是一个文件夹, 不是文件",
        K::NotADirectory => "路径中有一段不是文件夹",
        K::StorageFull => "磁盘已满",
        K::ReadOnlyFilesystem => "磁盘只读",
        K::InvalidData => "内容无法读取",
        K::Interrupted | K::TimedOut => "操作被中断",
        _ => "系统错误",
    };
    match e.raw_os_error() {
        Some(code) => format!("{what} (系统错误码 {code})"),
        None => what.to_string(),
    }
}

/// Who published in between, and what to do.
fn stale(
    week: chrono::NaiveDate,
    base: Option<u32>,
    latest: Option<&Published>,
    lang: Lang,
) -> String {
    let Some(l) = latest else {
        return match lang {
            Lang::Zh => format!("{week} 这一周尚未发布, 不能基于 {}", based(base)),
            Lang::En => format!(
                "week {week} is not published, so nothing can be based on {}",
                based(base)
            ),
        };
    };
    let at = l.at.get(..16).unwrap_or(&l.at).replace('T', " ");
    let by = match lang {
        Lang::Zh => format!("{} 于 {at} 用 {} 发布", shown(&l.who), shown(&l.via)),
        Lang::En => format!("by {} at {at} with {}", shown(&l.who), shown(&l.via)),
    };
    match (lang, base) {
        (Lang::Zh, None) => format!(
            "{week} 这一周已发布 v{} ({by}); 请先查看, 如需发布新版本请加 --replace {} (原版本保留)",
            l.version, l.version
        ),
        (Lang::En, None) => format!(
            "week {week} is already published as v{} ({by}); look at it first, then publish with --replace {} to make a new version (v{} is kept)",
            l.version, l.version, l.version
        ),
        (Lang::Zh, Some(b)) if b >= l.version => format!(
            "{week} 这一周没有 v{b}; 最新版本是 v{} ({by})",
            l.version
        ),
        (Lang::En, Some(b)) if b >= l.version => format!(
            "week {week} has no v{b}; its latest version is v{} ({by})",
            l.version
        ),
        (Lang::Zh, Some(b)) => format!(
            "{week} 这一周在 v{b} 之后又发布了 v{} ({by}); 已停止, 未写入. 请查看 v{} 后重新操作",
            l.version, l.version
        ),
        (Lang::En, Some(b)) => format!(
            "week {week}: v{} was published after v{b} ({by}); nothing was written. Look at v{} and do it again from there",
            l.version, l.version
        ),
    }
}

/// The first character that must not reach a terminal, an HTML page or a
/// calendar file: control characters (NUL, ESC, tab, line ends) and the
/// invisible bidirectional controls that reorder what is shown.
pub fn bad_char(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        c.is_control()
            || matches!(
                c,
                '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}'
            )
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    })
}

/// `s` with such characters written as escapes (`\u{1b}`): a message
/// quoting bad input must not itself move the cursor or reorder the line.
pub fn shown(s: &str) -> Cow<'_, str> {
    if bad_char(s).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad_char(c.encode_utf8(&mut [0; 4])).is_some() {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The same problem (file, field, what was expected) shown this many times
/// before the rest of its lines are summed up in one line.
const SAME_SHOWN: usize = 3;

/// One line per problem, except that a problem repeated on many lines (a
/// column shifted in every row) is shown three times and then counted,
/// with the lines it is on: 139 copies of one message hide the others.
fn grouped(ds: &[Diagnostic], lang: Lang) -> Vec<String> {
    // Per problem: how often it was shown, the lines beyond that, and
    // where its summary line goes (right after its shown lines).
    struct Group {
        shown: usize,
        rest: Vec<usize>,
        slot: usize,
    }
    let mut groups: std::collections::HashMap<(&Path, &str, &str), Group> = Default::default();
    let mut out: Vec<Option<String>> = Vec::new();
    for d in ds {
        let k = (
            d.file.as_path(),
            d.field.render(lang),
            d.expected.render(lang),
        );
        let g = groups.entry(k).or_insert(Group {
            shown: 0,
            rest: Vec::new(),
            slot: 0,
        });
        if g.shown < SAME_SHOWN {
            g.shown += 1;
            out.push(Some(d.render(lang)));
        } else {
            if g.rest.is_empty() {
                g.slot = out.len();
                out.push(None);
            }
            g.rest.push(d.line);
        }
    }
    for g in groups.values().filter(|g| !g.rest.is_empty()) {
        out[g.slot] = Some(more_like_it(&g.rest, lang));
    }
    out.into_iter().flatten().collect()
}

/// "… and N more lines like it: lines 5–9, 12".
fn more_like_it(lines: &[usize], lang: Lang) -> String {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for &l in lines {
        match spans.last_mut() {
            Some((_, b)) if l == *b + 1 => *b = l,
            _ => spans.push((l, l)),
        }
    }
    let list: Vec<String> = spans
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect();
    let n = lines.len();
    match lang {
        Lang::Zh => format!("  … 同样的问题还有 {n} 处, 在第 {} 行", list.join(", ")),
        Lang::En => format!("  … and {n} more like it, on lines {}", list.join(", ")),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Collects diagnostics; turns into an error when any were found.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
    pub fn into_result<T>(self, value: T) -> Result<T> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(Error::Invalid(self.0))
        }
    }
}
