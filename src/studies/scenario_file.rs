//! The scenario file of a what-if study (`kehou whatif FILE.toml`, the web
//! app's `/whatif` pages): read from text with every mistake naming the
//! line and field, and written back in the same format, so that a study
//! built in the browser runs on the command line and the other way round.

use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::{Error, Result, Said};
use crate::input::limits::{date_in_range, date_range};
use crate::input::toml_source::{Seg, TomlSource};

use super::whatif::{Change, ScenarioSpec};

/// A scenario file: the baseline (policy and data paths as written,
/// relative to the file; the weeks) and the scenarios.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioFile {
    pub policy: String,
    pub data: String,
    pub weeks: Vec<NaiveDate>,
    pub scenarios: Vec<ScenarioSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    baseline: Baseline,
    #[serde(default)]
    scenario: Vec<ScenarioSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Baseline {
    policy: String,
    data: String,
    weeks: Vec<toml::value::Datetime>,
}

/// Read a scenario file's text (`file` names it in messages).
pub fn parse(file: &Path, text: &str) -> Result<ScenarioFile> {
    from_source(&TomlSource::new(file, text.to_string()))
}

pub(crate) fn from_source(src: &TomlSource) -> Result<ScenarioFile> {
    // Only a file the reader refuses is searched for a change's bad field.
    let (f, unknown) = src
        .parse::<File>()
        .map_err(|ds| bad_change(src).map_or(Error::Invalid(ds), Error::invalid))?;
    if !unknown.is_empty() {
        return Err(Error::Invalid(unknown));
    }
    let mut weeks = Vec::new();
    for (i, w) in f.baseline.weeks.iter().enumerate() {
        let at = [
            Seg::Key("baseline".into()),
            Seg::Key("weeks".into()),
            Seg::Index(i),
        ];
        let d = w
            .date
            .and_then(|d| {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            })
            .filter(|d| date_in_range(*d));
        match d {
            Some(d) => weeks.push(d),
            None => {
                return Err(Error::invalid(src.diag(
                    &at,
                    Said::same(w.to_string()),
                    date_range("2026-12-07"),
                )))
            }
        }
    }
    if weeks.is_empty() {
        return Err(Error::invalid(src.diag(
            &[Seg::Key("baseline".into()), Seg::Key("weeks".into())],
            Said::new("空列表", "an empty list"),
            Said::new(
                "至少一周的日期, 如 [2026-12-07]",
                "at least one week's date, such as [2026-12-07]",
            ),
        )));
    }
    Ok(ScenarioFile {
        policy: f.baseline.policy,
        data: f.baseline.data,
        weeks,
        scenarios: f.scenario,
    })
}

/// The first change that cannot be read, named by its field: a change's
/// `type` picks its fields, so the reader of the whole file can only say
/// which change was wrong, not which of its fields. Each field left out in
/// turn: the one whose absence is only missed, or cures it, is wrong.
fn bad_change(src: &TomlSource) -> Option<crate::error::Diagnostic> {
    let doc: toml::Table = toml::from_str(&src.text).ok()?;
    let scenarios = doc.get("scenario")?.as_array()?;
    for (i, sc) in scenarios.iter().enumerate() {
        let Some(changes) = sc.get("changes").and_then(toml::Value::as_array) else {
            continue;
        };
        for (j, c) in changes.iter().enumerate() {
            let Err(e) = Change::deserialize(c.clone()) else {
                continue;
            };
            let table = c.as_table()?;
            let unknown = |k: &&String| e.message().contains(&format!("unknown field `{k}`"));
            let culprit = table.keys().filter(|k| *k != "type").find(|k| {
                if unknown(k) {
                    return true;
                }
                let mut t = table.clone();
                t.remove(*k);
                match Change::deserialize(toml::Value::Table(t)) {
                    Ok(_) => true,
                    Err(e2) => e2.message().contains(&format!("missing field `{k}`")),
                }
            });
            // A date (leave's from and to) is not read from a parsed value:
            // such a change is left to the reader's own message.
            let Some(culprit) = culprit else { continue };
            let at = [
                Seg::Key("scenario".into()),
                Seg::Index(i),
                Seg::Key("changes".into()),
                Seg::Index(j),
                Seg::Key(culprit.clone()),
            ];
            let msg = e.message().trim().to_string();
            let (found, expected) = crate::input::toml_zh::toml_zh(&msg);
            let (found_en, expected_en) = msg
                .split_once(", expected ")
                .unwrap_or((&msg, "another value"));
            return Some(src.diag(
                &at,
                Said::new(found, found_en.to_string()),
                Said::new(expected, expected_en.to_string()),
            ));
        }
    }
    None
}

/// A TOML string, quoted and escaped.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    let v: Vec<String> = items.iter().map(|s| q(s)).collect();
    format!("[{}]", v.join(", "))
}

fn date(d: &toml::value::Datetime) -> String {
    d.to_string()
}

/// A number as TOML writes it (a float keeps its point: `15.0`).
fn float(x: f64) -> String {
    toml::Value::Float(x).to_string()
}

/// One change as an inline table, its `type` first.
fn change(c: &Change) -> String {
    let mut kv: Vec<(&str, String)> = Vec::new();
    let ty = match c {
        Change::Leave { staff, from, to } => {
            kv.extend([
                ("staff", list(staff)),
                ("from", date(from)),
                ("to", date(to)),
            ]);
            "leave"
        }
        Change::Leaves { staff } => {
            kv.push(("staff", list(staff)));
            "leaves"
        }
        Change::Hire {
            count,
            role,
            subject,
            qualifications,
        } => {
            kv.extend([("count", count.to_string()), ("role", q(role))]);
            if !subject.is_empty() {
                kv.push(("subject", q(subject)));
            }
            if !qualifications.is_empty() {
                kv.push(("qualifications", list(qualifications)));
            }
            "hire"
        }
        Change::Enrollment {
            grade,
            class,
            percent,
            pupils,
        } => {
            if let Some(g) = grade {
                kv.push(("grade", g.to_string()));
            }
            if let Some(c) = class {
                kv.push(("class", q(c)));
            }
            if let Some(p) = percent {
                kv.push(("percent", float(*p)));
            }
            if let Some(p) = pupils {
                kv.push(("pupils", p.to_string()));
            }
            "enrollment"
        }
        Change::AddClub {
            id,
            name,
            weekdays,
            session,
            pupils,
            qualification,
        } => {
            kv.extend([
                ("id", q(id)),
                ("name", q(name)),
                ("weekdays", list(weekdays)),
                ("session", q(session)),
                ("pupils", pupils.to_string()),
            ]);
            if let Some(x) = qualification {
                kv.push(("qualification", q(x)));
            }
            "add_club"
        }
        Change::RemoveClub { id } => {
            kv.push(("id", q(id)));
            "remove_club"
        }
        Change::Cutoff { time } => {
            kv.push(("time", q(time)));
            "cutoff"
        }
        Change::Set { key, value } => {
            kv.extend([("key", q(key)), ("value", value.to_string())]);
            "set"
        }
    };
    let mut out = format!("{{ type = {}", q(ty));
    for (k, v) in kv {
        let _ = write!(out, ", {k} = {v}");
    }
    out + " }"
}

/// The file's text: what [`parse`] reads back as the same study.
pub fn write(f: &ScenarioFile) -> String {
    let mut out = String::from(
        "# What-if study (kehou): `kehou whatif THIS_FILE`. Change types are\n# described in docs/guide.md (What-if studies).\n\n[baseline]\n",
    );
    let weeks: Vec<String> = f.weeks.iter().map(NaiveDate::to_string).collect();
    let _ = write!(
        out,
        "policy = {}\ndata = {}\nweeks = [{}]\n",
        q(&f.policy),
        q(&f.data),
        weeks.join(", ")
    );
    for s in &f.scenarios {
        let _ = write!(out, "\n[[scenario]]\nname = {}\nchanges = [\n", q(&s.name));
        for c in &s.changes {
            let _ = writeln!(out, "  {},", change(c));
        }
        out.push_str("]\n");
    }
    out
}
