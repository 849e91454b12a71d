//! What happened to the published roster: absences, swaps and
//! cancellations, kept in the school's record; events.csv is how they are
//! read in (an earlier kehou's history) and exported.

use std::path::Path;

use chrono::NaiveDate;

use crate::error::{Diagnostic, Diagnostics, Result};
use crate::input::table::{parse_table, Columns, Row};

/// What happened to the published roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `staff` did not serve `duty`; `substitute` served it instead, if any.
    Absent {
        duty: String,
        staff: String,
        substitute: Option<String>,
        note: String,
    },
    /// `staff` handed `duty` to `with`, who served it (换班: usually the
    /// return of a substitution earlier that week).
    Swap {
        duty: String,
        staff: String,
        with: String,
        note: String,
    },
    /// Every duty on `date` (in `session`, or all sessions) was cancelled: not served, not paid.
    Cancel {
        date: NaiveDate,
        session: Option<String>,
        note: String,
    },
}

const EVENT_COLUMNS: Columns = &[
    ("kind", &["类型"], true),
    ("date", &["日期"], false),
    ("session", &["时段"], false),
    ("duty_id", &["任务编号"], false),
    ("staff_id", &["工号"], false),
    ("substitute_id", &["代课人工号"], false),
    ("note", &["说明"], false),
];

/// The events file's headers.
pub(crate) fn event_headers() -> Vec<&'static str> {
    EVENT_COLUMNS.iter().map(|c| c.0).collect()
}

/// An event's row, in the order of EVENT_COLUMNS: kind, date, session,
/// duty_id, staff_id, substitute_id, note.
pub(crate) fn cells(e: &Event) -> [String; 7] {
    let none = String::new;
    match e {
        Event::Absent {
            duty,
            staff,
            substitute,
            note,
        } => [
            "absent".to_string(),
            none(),
            none(),
            duty.clone(),
            staff.clone(),
            substitute.clone().unwrap_or_default(),
            note.clone(),
        ],
        Event::Swap {
            duty,
            staff,
            with,
            note,
        } => [
            "swap".to_string(),
            none(),
            none(),
            duty.clone(),
            staff.clone(),
            with.clone(),
            note.clone(),
        ],
        Event::Cancel {
            date,
            session,
            note,
        } => [
            "cancel".to_string(),
            date.to_string(),
            session.clone().unwrap_or_default(),
            none(),
            none(),
            none(),
            note.clone(),
        ],
    }
}

/// A diagnostic for the first of `fields` that row `r` leaves empty.
fn missing(r: &Row, fields: &[&str], path: &Path, what: &str) -> Option<Diagnostic> {
    let f = fields.iter().find(|f| r.get(f).is_empty())?;
    Some(Diagnostic::new(
        path,
        r.line,
        *f,
        format!("{what} without {f}"),
        format!("non-empty {}", fields.join(", ")),
    ))
}

/// Read the events file; every bad row is reported.
pub(crate) fn parse_events(path: &Path, bytes: &[u8]) -> Result<Vec<Event>> {
    let mut diags = Diagnostics::default();
    let Some(t) = parse_table(path, bytes, EVENT_COLUMNS, &mut diags) else {
        return diags.into_result(Vec::new());
    };
    let mut out = Vec::new();
    for r in &t.rows {
        match parse_event(r, path) {
            Ok(e) => out.push(e),
            Err(d) => diags.push(d),
        }
    }
    diags.into_result(out)
}

/// The cell, or None when it is empty.
fn optional(r: &Row, field: &str) -> Option<String> {
    Some(r.get(field).to_string()).filter(|s| !s.is_empty())
}

/// One row of the events file as an event.
fn parse_event(r: &Row, path: &Path) -> std::result::Result<Event, Diagnostic> {
    let text = |field: &str| r.get(field).to_string();
    match r.get("kind") {
        "absent" | "缺勤" => {
            if let Some(d) = missing(r, &["duty_id", "staff_id"], path, "an absence") {
                return Err(d);
            }
            Ok(Event::Absent {
                duty: text("duty_id"),
                staff: text("staff_id"),
                substitute: optional(r, "substitute_id"),
                note: text("note"),
            })
        }
        "swap" | "换班" => {
            let need = ["duty_id", "staff_id", "substitute_id"];
            if let Some(d) = missing(r, &need, path, "a swap") {
                return Err(d);
            }
            Ok(Event::Swap {
                duty: text("duty_id"),
                staff: text("staff_id"),
                with: text("substitute_id"),
                note: text("note"),
            })
        }
        "cancel" | "取消" => match NaiveDate::parse_from_str(r.get("date"), "%Y-%m-%d") {
            Ok(date) if crate::input::limits::date_in_range(date) => Ok(Event::Cancel {
                date,
                session: optional(r, "session"),
                note: text("note"),
            }),
            _ => Err(Diagnostic::new(
                path,
                r.line,
                "date",
                format!("\"{}\"", r.get("date")),
                format!("{}, such as 2026-12-08", crate::input::limits::DATE_RANGE),
            )),
        },
        o => Err(Diagnostic::new(
            path,
            r.line,
            "kind",
            format!("\"{o}\""),
            "absent, swap or cancel",
        )),
    }
}
