//! What happened to the published roster: absences, swaps and
//! cancellations, kept in the school's record; events.csv is how they are
//! read in (an earlier kehou's history) and exported.

use std::path::Path;

use chrono::NaiveDate;

use crate::error::{Diagnostic, Diagnostics, Result, Said};
use crate::input::table::{parse_table, Columns, Row, Table};
use crate::lang::Lang;

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
/// `what` names the event in each language (`(zh, en)`).
fn missing(t: &Table, r: &Row, fields: &[&str], (zh, en): (&str, &str)) -> Option<Diagnostic> {
    let f = fields.iter().find(|f| r.get(f).is_empty())?;
    let (col, all): (Said, Vec<Said>) = (t.field(f), fields.iter().map(|c| t.field(c)).collect());
    let list = |lang| {
        all.iter()
            .map(|s| format!("`{}`", s.render(lang)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Some(Diagnostic::new(
        &t.file,
        r.line,
        col.clone(),
        Said::new(
            format!("{zh}, 但没有 `{}`", col.zh),
            format!("{en} without `{}`", col.en),
        ),
        Said::new(
            format!("{} 都不为空", list(Lang::Zh)),
            format!("non-empty {}", list(Lang::En)),
        ),
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
        match parse_event(&t, r) {
            Ok(e) => out.push(e),
            Err(d) => diags.push(*d),
        }
    }
    diags.into_result(out)
}

/// The cell, or None when it is empty.
fn optional(r: &Row, field: &str) -> Option<String> {
    Some(r.get(field).to_string()).filter(|s| !s.is_empty())
}

/// One row of the events file as an event.
fn parse_event(t: &Table, r: &Row) -> std::result::Result<Event, Box<Diagnostic>> {
    let text = |field: &str| r.get(field).to_string();
    match r.get("kind") {
        "absent" | "缺勤" => {
            if let Some(d) = missing(t, r, &["duty_id", "staff_id"], ("缺勤", "an absence")) {
                return Err(Box::new(d));
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
            if let Some(d) = missing(t, r, &need, ("换班", "a swap")) {
                return Err(Box::new(d));
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
            _ => Err(Box::new(Diagnostic::new(
                &t.file,
                r.line,
                t.field("date"),
                Said::same(format!("\"{}\"", r.get("date"))),
                crate::input::limits::date_range("2026-12-08"),
            ))),
        },
        o => Err(Box::new(Diagnostic::new(
            &t.file,
            r.line,
            t.field("kind"),
            Said::same(format!("\"{o}\"")),
            Said::new("缺勤、换班 或 取消", "absent, swap or cancel"),
        ))),
    }
}
