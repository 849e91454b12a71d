//! Editing the policy's text as the school wrote it: a change to one value
//! keeps every comment, blank line and the order of keys (`toml_edit`);
//! a candidate text is checked exactly as loading checks it; two texts'
//! difference is a list of lines (`similar`).

use std::path::Path;

use similar::{ChangeTag, TextDiff};
use toml_edit::{DocumentMut, Item, TableLike, Value};

use crate::error::{Error, Result, Said};
use crate::model::policy::Policy;

pub use crate::input::toml_source::Seg;

/// A new value for one key (`None`: remove the key, for optional keys).
#[derive(Debug, Clone)]
pub struct Change {
    /// The key path, e.g. `seasons[0].cutoff`.
    pub path: Vec<Seg>,
    pub value: Option<Value>,
}

/// Parse the text for editing; a syntax error is said with its line.
pub(crate) fn document(text: &str) -> Result<DocumentMut> {
    text.parse::<DocumentMut>().map_err(|e| {
        let line = e.span().map_or(0, |s| {
            text[..s.start.min(text.len())].lines().count().max(1)
        });
        Error::Mistake(Said::new(
            format!("政策文本第 {line} 行不是有效的 TOML: {}", e.message()),
            format!(
                "line {line} of the policy text is not valid TOML: {}",
                e.message()
            ),
        ))
    })
}

/// `text` with `changes` applied, everything else (comments, layout, the
/// order of keys) as it was. A path that does not lead to a table is
/// refused naming it.
pub fn apply(text: &str, changes: &[Change]) -> Result<String> {
    let mut doc = document(text)?;
    for c in changes {
        let Some((key, parents)) = c.path.split_last() else {
            continue;
        };
        let Seg::Key(key) = key else {
            return Err(no_path(&c.path));
        };
        let root: &mut dyn TableLike = doc.as_table_mut();
        let table = table_at(root, parents).ok_or_else(|| no_path(&c.path))?;
        put(table, key, c.value.clone());
    }
    Ok(doc.to_string())
}

fn no_path(path: &[Seg]) -> Error {
    let p = crate::input::toml_source::path_string(path);
    Error::Mistake(Said::new(
        format!("政策中没有可修改的 `{p}` (所在的表不存在)"),
        format!("the policy has no `{p}` to change (its table is missing)"),
    ))
}

/// The table (standard or inline) at `steps` below `t`; a missing
/// top-level table (`[preferences]`) is created.
fn table_at<'a>(t: &'a mut dyn TableLike, steps: &[Seg]) -> Option<&'a mut dyn TableLike> {
    match steps {
        [] => Some(t),
        [Seg::Key(k), Seg::Index(i), rest @ ..] => {
            let aot = t.get_mut(k)?.as_array_of_tables_mut()?;
            table_at(aot.get_mut(*i)?, rest)
        }
        [Seg::Key(k), rest @ ..] => {
            if t.get(k).is_none() && rest.is_empty() {
                t.insert(k, toml_edit::table());
            }
            table_at(t.get_mut(k)?.as_table_like_mut()?, rest)
        }
        [Seg::Index(_), ..] => None,
    }
}

/// Set (keeping the old value's comment and spacing) or remove `key`.
fn put(t: &mut dyn TableLike, key: &str, value: Option<Value>) {
    let Some(mut v) = value else {
        t.remove(key);
        return;
    };
    match t.get_mut(key) {
        Some(Item::Value(old)) => {
            *v.decor_mut() = old.decor().clone();
            *old = v;
        }
        _ => {
            t.insert(key, Item::Value(v));
        }
    }
}

/// The value at `path` below `t`, if the text has one there.
pub(crate) fn value_at<'a>(t: &'a dyn TableLike, path: &[Seg]) -> Option<&'a Value> {
    match path {
        [Seg::Key(k)] => t.get(k)?.as_value(),
        [Seg::Key(k), Seg::Index(i), rest @ ..] => {
            value_at(t.get(k)?.as_array_of_tables()?.get(*i)?, rest)
        }
        [Seg::Key(k), rest @ ..] => value_at(t.get(k)?.as_table_like()?, rest),
        _ => None,
    }
}

/// The (inline) table at `path` below `t`.
pub(crate) fn table_ref<'a>(t: &'a dyn TableLike, path: &[Seg]) -> Option<&'a dyn TableLike> {
    match path {
        [] => Some(t),
        [Seg::Key(k), Seg::Index(i), rest @ ..] => {
            table_ref(t.get(k)?.as_array_of_tables()?.get(*i)?, rest)
        }
        [Seg::Key(k), rest @ ..] => table_ref(t.get(k)?.as_table_like()?, rest),
        _ => None,
    }
}

/// How many tables the array of tables `key` holds (`[[seasons]]`).
pub(crate) fn count(doc: &DocumentMut, key: &str) -> usize {
    doc.get(key)
        .and_then(Item::as_array_of_tables)
        .map_or(0, |a| a.len())
}

/// Check a candidate text exactly as `kehou validate` and loading do, as if
/// it were the file `path` (its calendar files are found beside it): the
/// policy, or every problem with line and field.
pub fn check(path: &Path, text: &str) -> Result<Policy> {
    super::load_text(path, text)
}

/// One line of a difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub tag: Tag,
    /// 1-based line in the old text (removed or same lines).
    pub old: Option<usize>,
    /// 1-based line in the new text (added or same lines).
    pub new: Option<usize>,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Same,
    Removed,
    Added,
    /// Lines left out between two changed places.
    Gap,
}

/// The changed lines of `old` → `new` with `context` unchanged lines
/// around each change; empty when the texts are the same.
pub fn diff(old: &str, new: &str, context: usize) -> Vec<DiffLine> {
    let d = TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for (i, group) in d.grouped_ops(context).iter().enumerate() {
        if i > 0 {
            out.push(DiffLine {
                tag: Tag::Gap,
                old: None,
                new: None,
                text: String::new(),
            });
        }
        for op in group {
            for c in d.iter_changes(op) {
                out.push(DiffLine {
                    tag: match c.tag() {
                        ChangeTag::Equal => Tag::Same,
                        ChangeTag::Delete => Tag::Removed,
                        ChangeTag::Insert => Tag::Added,
                    },
                    old: c.old_index().map(|i| i + 1),
                    new: c.new_index().map(|i| i + 1),
                    text: c.value().trim_end_matches(['\n', '\r']).to_string(),
                });
            }
        }
    }
    out
}
