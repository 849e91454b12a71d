//! Reading TOML with positions: every problem found later, by key path,
//! can be reported with its line and column in the user's file.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use crate::error::{Diagnostic, Said};
use crate::input::limits::{text_problem, MAX_CELL_CHARS};

/// One step of a key path: `seasons[1].cutoff` is [Key(seasons), Index(1), Key(cutoff)].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

pub fn path_string(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// A TOML source kept with its text so diagnostics can be located.
pub struct TomlSource {
    pub file: PathBuf,
    pub text: String,
    /// Built on the first diagnostic, once: a policy with thousands of
    /// mistakes was re-parsed and re-scanned for each (hours, not seconds).
    index: OnceLock<Index>,
}

/// Where every key path's value starts, and where every line starts.
struct Index {
    spans: HashMap<String, Range<usize>>,
    lines: Vec<usize>,
}

impl TomlSource {
    pub fn new(file: impl Into<PathBuf>, text: String) -> Self {
        TomlSource {
            file: file.into(),
            text,
            index: OnceLock::new(),
        }
    }

    pub fn read(file: &Path) -> crate::error::Result<Self> {
        let bytes = crate::input::limits::read_input(file)?;
        let text = match crate::input::text::decode_text(&bytes) {
            Some(t) => t,
            None => {
                return Err(crate::error::Error::invalid(Diagnostic::new(
                    file,
                    0,
                    Said::same("-"),
                    Said::new(
                        "既不是 UTF-8 也不是 GBK 文本的内容",
                        "bytes that are neither UTF-8 nor GBK",
                    ),
                    Said::new("UTF-8 编码的文本文件", "a text file in UTF-8"),
                )))
            }
        };
        Ok(TomlSource::new(file, text))
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let mut spans = HashMap::new();
            if let Ok(root) = DeTable::parse(&self.text) {
                index_table(root.get_ref(), &mut Vec::new(), &mut spans);
            }
            let lines = std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            Index { spans, lines }
        })
    }

    /// 1-based (line, column) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let lines = &self.index().lines;
        let line = lines.partition_point(|&s| s <= offset).max(1);
        let start = lines.get(line - 1).copied().unwrap_or(0).min(offset);
        (line, self.text[start..offset].chars().count() + 1)
    }

    /// Byte span of the value at `path`, or of its nearest existing ancestor.
    /// Tables are pointed at by their key (their value span is the whole block).
    pub fn span_of(&self, path: &[Seg]) -> Option<Range<usize>> {
        let spans = &self.index().spans;
        (1..=path.len())
            .rev()
            .find_map(|n| spans.get(&path_string(&path[..n])).cloned())
    }

    /// A diagnostic located at `path` in this file.
    pub fn diag(&self, path: &[Seg], found: Said, expected: Said) -> Diagnostic {
        let (line, col) = self
            .span_of(path)
            .map(|s| self.line_col(s.start))
            .unwrap_or((0, 0));
        Diagnostic::new(
            &self.file,
            line,
            Said::same(path_string(path)),
            found,
            expected,
        )
        .at_column(col)
    }

    /// Deserialize, collecting every unknown key as a diagnostic.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
        if self.text.trim().is_empty() {
            return Err(vec![Diagnostic::new(
                &self.file,
                0,
                Said::same("-"),
                Said::new("空文件", "an empty file"),
                Said::new(
                    "TOML 格式的政策文件 (见 docs/policy.md)",
                    "a TOML document (see docs/policy.md)",
                ),
            )]);
        }
        let de = match toml::Deserializer::parse(&self.text) {
            Ok(de) => de,
            Err(e) => return Err(vec![self.toml_error(&e)]),
        };
        let mut unknown: Vec<Vec<Seg>> = Vec::new();
        let result: Result<T, _> = serde_ignored::deserialize(de, |p| unknown.push(segs(&p)));
        match result {
            Ok(v) => {
                let diags = unknown
                    .iter()
                    .map(|p| {
                        self.diag(
                            p,
                            Said::new("未知的键", "an unknown key"),
                            Said::new(
                                "docs/policy.md 中说明的键之一 (请检查拼写)",
                                "one of the keys documented in docs/policy.md (check the spelling)",
                            ),
                        )
                    })
                    .collect();
                Ok((v, diags))
            }
            Err(e) => Err(vec![self.toml_error(&e)]),
        }
    }

    /// Every string (and key) no output may show as is: control characters,
    /// line breaks, direction controls, or longer than any label needs.
    /// Checked once over the whole file, so no section is forgotten.
    pub fn bad_text(&self) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        if let Ok(root) = DeTable::parse(&self.text) {
            bad_in_table(root.get_ref(), &mut Vec::new(), &mut found);
        }
        found.sort_by_key(|f| f.1);
        found
            .into_iter()
            .map(|(path, at, (found, expected))| {
                let (line, col) = self.line_col(at);
                let field = Said::same(path_string(&path));
                Diagnostic::new(&self.file, line, field, found, expected).at_column(col)
            })
            .collect()
    }

    fn toml_error(&self, e: &toml::de::Error) -> Diagnostic {
        let (line, col) = e.span().map(|s| self.line_col(s.start)).unwrap_or((0, 0));
        let field = e
            .span()
            .and_then(|s| self.key_at(s.start))
            .unwrap_or_else(|| "-".to_string());
        let msg = e.message().trim().replace('\n', " ");
        let (found, expected) = split_serde_message(&msg);
        let (found_zh, expected_zh) = crate::input::toml_zh::toml_zh(&msg);
        Diagnostic::new(
            &self.file,
            line,
            Said::same(field),
            Said::new(found_zh, found),
            Said::new(expected_zh, expected),
        )
        .at_column(col)
    }

    /// The key path whose value contains `offset` (best effort, for syntax-valid files).
    fn key_at(&self, offset: usize) -> Option<String> {
        let root = DeTable::parse(&self.text).ok()?;
        let mut path = Vec::new();
        let _ = walk_key_at(root.get_ref(), offset, &mut path);
        (!path.is_empty()).then(|| path_string(&path))
    }
}

/// Every key path below `t` with its span, as `span_of` reports them.
fn index_table(t: &DeTable, path: &mut Vec<Seg>, out: &mut HashMap<String, Range<usize>>) {
    for (k, v) in t.iter() {
        path.push(Seg::Key(k.get_ref().to_string()));
        let span = if v.get_ref().is_table() {
            k.span()
        } else {
            v.span()
        };
        out.insert(path_string(path), span);
        index_value(v.get_ref(), path, out);
        path.pop();
    }
}

fn index_value(v: &DeValue, path: &mut Vec<Seg>, out: &mut HashMap<String, Range<usize>>) {
    match v {
        DeValue::Table(t) => index_table(t, path, out),
        DeValue::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                out.insert(path_string(path), item.span());
                index_value(item.get_ref(), path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Find the key path whose key or value span contains `offset`, searching
/// every table (a table's own span may cover only its header).
fn walk_key_at(t: &DeTable, offset: usize, path: &mut Vec<Seg>) -> bool {
    for (k, v) in t.iter() {
        path.push(Seg::Key(k.get_ref().to_string()));
        let (ks, vs) = (k.span(), v.span());
        if walk_value_at(v.get_ref(), offset, path) {
            return true;
        }
        if (ks.start <= offset && offset < ks.end) || (vs.start <= offset && offset < vs.end) {
            return true;
        }
        path.pop();
    }
    false
}

fn walk_value_at(v: &DeValue, offset: usize, path: &mut Vec<Seg>) -> bool {
    match v {
        DeValue::Table(t) => walk_key_at(t, offset, path),
        DeValue::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                let sp = item.span();
                if walk_value_at(item.get_ref(), offset, path)
                    || (sp.start <= offset && offset < sp.end)
                {
                    return true;
                }
                path.pop();
            }
            false
        }
        _ => false,
    }
}

/// A bad string's key path, byte offset and problem.
type BadText = (Vec<Seg>, usize, (Said, Said));

fn bad_in_table(t: &DeTable, path: &mut Vec<Seg>, out: &mut Vec<BadText>) {
    for (k, v) in t.iter() {
        path.push(Seg::Key(k.get_ref().to_string()));
        if let Some(p) = text_problem(k.get_ref(), MAX_CELL_CHARS) {
            out.push((path.clone(), k.span().start, p));
        }
        bad_in_value(v.get_ref(), v.span().start, path, out);
        path.pop();
    }
}

fn bad_in_value(v: &DeValue, at: usize, path: &mut Vec<Seg>, out: &mut Vec<BadText>) {
    match v {
        DeValue::String(s) => {
            if let Some(p) = text_problem(s, MAX_CELL_CHARS) {
                out.push((path.clone(), at, p));
            }
        }
        DeValue::Table(t) => bad_in_table(t, path, out),
        DeValue::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                bad_in_value(item.get_ref(), item.span().start, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn segs(p: &serde_ignored::Path) -> Vec<Seg> {
    use serde_ignored::Path as P;
    match p {
        P::Root => Vec::new(),
        P::Seq { parent, index } => {
            let mut v = segs(parent);
            v.push(Seg::Index(*index));
            v
        }
        P::Map { parent, key } => {
            let mut v = segs(parent);
            v.push(Seg::Key(key.clone()));
            v
        }
        P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
            segs(parent)
        }
    }
}

/// Split serde's "invalid type: X, expected Y" into found / expected.
fn split_serde_message(msg: &str) -> (String, String) {
    if let Some((a, b)) = msg.split_once(", expected ") {
        let a = a
            .trim_start_matches("invalid type: ")
            .trim_start_matches("invalid value: ");
        return (a.to_string(), b.to_string());
    }
    if let Some(rest) = msg.strip_prefix("missing field ") {
        return (
            "the key is missing".to_string(),
            format!("a value for {rest}"),
        );
    }
    (
        msg.to_string(),
        "valid TOML for this key (see docs/policy.md)".to_string(),
    )
}
