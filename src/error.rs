//! Typed errors. Input problems are collected as [`Diagnostic`]s so that a
//! user sees every mistake at once, each with file, line, field, what was
//! found and what was expected.

use std::fmt;
use std::path::PathBuf;

use crate::lang::Lang;

/// One problem found in an input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column (TOML only); 0 when unknown.
    pub column: usize,
    /// Field (CSV column or TOML key path).
    pub field: String,
    pub found: String,
    pub expected: String,
}

impl Diagnostic {
    pub fn new(
        file: impl Into<PathBuf>,
        line: usize,
        field: impl Into<String>,
        found: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line,
            column: 0,
            field: field.into(),
            found: found.into(),
            expected: expected.into(),
        }
    }

    pub fn at_column(mut self, column: usize) -> Self {
        self.column = column;
        self
    }

    pub fn render(&self, lang: Lang) -> String {
        let mut loc = self.file.display().to_string();
        if self.line > 0 {
            loc.push_str(&format!(":{}", self.line));
            if self.column > 0 {
                loc.push_str(&format!(":{}", self.column));
            }
        }
        match lang {
            Lang::Zh => format!(
                "{loc}: 字段 `{}`: 发现 {}; 应为 {}",
                self.field, self.found, self.expected
            ),
            Lang::En => format!(
                "{loc}: field `{}`: found {}; expected {}",
                self.field, self.found, self.expected
            ),
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
    #[error("input too large: {0}")]
    TooLarge(String),
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
                for d in ds {
                    s.push_str("\n  ");
                    s.push_str(&d.render(lang));
                }
                s
            }
            Error::Read { path, source } => match lang {
                Lang::Zh => format!("无法读取 {}: {source}", path.display()),
                Lang::En => self.to_string(),
            },
            Error::Write { path, source } => match lang {
                Lang::Zh => format!("无法写入 {}: {source}", path.display()),
                Lang::En => self.to_string(),
            },
            _ => self.to_string(),
        }
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
