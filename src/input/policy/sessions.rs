//! `[[sessions]]`, and session selectors (an id or a part of the day) used by
//! blackouts and exemptions.

use super::ctx::{join, keys, Ctx};
use super::raw;
use crate::error::Said;
use crate::input::toml_source::Seg;
use crate::model::policy::{GradeBand, Part, Session, AFTERNOON_SPAN};

/// The selector name of a part of the day.
pub fn part_name(p: Part) -> &'static str {
    match p {
        Part::Morning => "morning",
        Part::Noon => "noon",
        Part::Afternoon => "afternoon",
    }
}

/// The part of the day named `s`: by `part_name`, or as a school says it
/// (上午, 中午 or 午间, 下午).
pub fn part_named(s: &str) -> Option<Part> {
    match s.trim() {
        "上午" => Some(Part::Morning),
        "中午" | "午间" => Some(Part::Noon),
        "下午" => Some(Part::Afternoon),
        s => [Part::Morning, Part::Noon, Part::Afternoon]
            .into_iter()
            .find(|&p| part_name(p) == s),
    }
}

/// The parts of the day a selector may name, in each language.
fn parts() -> Said {
    Said::new(
        "\"morning\"、\"noon\" 或 \"afternoon\" (也可写 上午、中午、下午)",
        "morning, noon or afternoon",
    )
}

pub(super) fn compile(c: &mut Ctx, list: &[raw::Session]) -> Vec<Session> {
    c.unique_ids("sessions", list.iter().map(|s| &s.id));
    let mut sessions = Vec::new();
    for (i, s) in list.iter().enumerate() {
        if s.id == AFTERNOON_SPAN {
            c.err(
                keys!["sessions", i, "id"],
                Said::same("\"afternoon\""),
                Said::new(
                    "另一个编号: \"afternoon\" 留给跨整个下午各阶段的任务",
                    "another id: \"afternoon\" is reserved for duties spanning all afternoon stages",
                ),
            );
        }
        let part = part_named(&s.part).unwrap_or_else(|| {
            c.err(
                keys!["sessions", i, "part"],
                Said::same(format!("\"{}\"", s.part)),
                parts(),
            );
            Part::Afternoon
        });
        sessions.push(Session {
            id: s.id.clone(),
            label: s.label.clone(),
            label_en: s.label_en.clone().unwrap_or_else(|| s.id.clone()),
            part,
        });
    }
    sessions
}

/// The sessions and bands compiled so far, for the steps that refer to them.
pub(super) struct Known<'a> {
    pub(super) sessions: &'a [Session],
    pub(super) bands: &'a [GradeBand],
}

impl Known<'_> {
    pub(super) fn has_session(&self, id: &str) -> bool {
        self.sessions.iter().any(|s| s.id == id)
    }
    pub(super) fn has_band(&self, id: &str) -> bool {
        self.bands.iter().any(|b| b.id == id)
    }
    pub(super) fn part_of(&self, id: &str) -> Option<Part> {
        self.sessions.iter().find(|s| s.id == id).map(|s| s.part)
    }
    pub(super) fn is_afternoon(&self, id: &str) -> bool {
        self.part_of(id) == Some(Part::Afternoon)
    }

    /// The session ids `sel` selects (every session, and the afternoon span,
    /// when `sel` is empty), reporting selectors that match nothing.
    pub(super) fn expand(&self, c: &mut Ctx, base: Vec<Seg>, sel: &[String]) -> Vec<String> {
        if sel.is_empty() {
            let mut all: Vec<String> = self.sessions.iter().map(|s| s.id.clone()).collect();
            all.push(AFTERNOON_SPAN.to_string());
            return all;
        }
        let mut out = Vec::new();
        for (j, s) in sel.iter().enumerate() {
            let matched = self.select(s);
            if matched.is_empty() {
                c.err(
                    join(&base, j),
                    Said::same(format!("\"{s}\"")),
                    Said::new(
                        format!("时段编号, 或 {}", parts().zh),
                        format!("a session id, or {}", parts().en),
                    ),
                );
            }
            out.extend(matched);
        }
        out
    }

    /// Sessions with id `sel`, or of the part named `sel` (the afternoon
    /// span too for "afternoon").
    fn select(&self, sel: &str) -> Vec<String> {
        let part = part_named(sel);
        let mut out: Vec<String> = self
            .sessions
            .iter()
            .filter(|s| s.id == sel || Some(s.part) == part)
            .map(|s| s.id.clone())
            .collect();
        if part == Some(Part::Afternoon) {
            out.push(AFTERNOON_SPAN.to_string());
        }
        out
    }
}
