//! iCalendar files (RFC 5545), one per person, in Asia/Shanghai time.

use std::collections::BTreeMap;

use crate::demand::Duty;
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::outputs::terminal::{kind_label, session_label};
use crate::plan::Plan;

/// Escape iCalendar TEXT.
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Fold a content line at 75 octets (RFC 5545 3.1), on character boundaries.
fn fold(line: &str, out: &mut String) {
    let mut n = 0;
    for c in line.chars() {
        let l = c.len_utf8();
        if n + l > 75 {
            out.push_str("\r\n ");
            n = 1;
        }
        out.push(c);
        n += l;
    }
    out.push_str("\r\n");
}

/// The calendar's opening lines (Asia/Shanghai), and `extra` lines after
/// them (a feed's name and refresh interval).
fn begin(extra: &[String], o: &mut String) {
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//kehou//after-school roster//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(l, o);
    }
    for l in extra {
        fold(l, o);
    }
    for l in [
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Shanghai",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0800",
        "TZOFFSETTO:+0800",
        "TZNAME:CST",
        "END:STANDARD",
        "END:VTIMEZONE",
    ] {
        fold(l, o);
    }
}

/// A duty's event UID for one person: the same in every version of the
/// week, in the exported files and in the subscription feed.
pub fn uid(duty_id: &str, staff_id: &str) -> String {
    format!(
        "{}-{}@kehou",
        ics_text(duty_id).replace('/', "-"),
        ics_text(staff_id)
    )
}

/// What changes between versions of one event: its sequence and status
/// (the exported files have neither).
struct Revision<'a> {
    stamp: &'a str,
    sequence: Option<u32>,
    cancelled: Option<bool>,
}

/// One duty as a VEVENT.
fn event(p: &Policy, d: &Duty, staff_id: &str, rev: &Revision, lang: Lang, o: &mut String) {
    let day = d.date.format("%Y%m%d");
    let t = |h: crate::model::units::Hm| format!("{day}T{:02}{:02}00", h.0 / 60, h.0 % 60);
    fold("BEGIN:VEVENT", o);
    fold(&format!("UID:{}", uid(&d.id, staff_id)), o);
    fold(&format!("DTSTAMP:{}", rev.stamp), o);
    if let Some(n) = rev.sequence {
        fold(&format!("SEQUENCE:{n}"), o);
    }
    if let Some(c) = rev.cancelled {
        fold(
            if c {
                "STATUS:CANCELLED"
            } else {
                "STATUS:CONFIRMED"
            },
            o,
        );
    }
    fold(&format!("DTSTART;TZID=Asia/Shanghai:{}", t(d.start)), o);
    fold(&format!("DTEND;TZID=Asia/Shanghai:{}", t(d.end)), o);
    let summary = format!("{} {}", kind_label(p, d.kind, lang), d.group);
    fold(&format!("SUMMARY:{}", ics_text(&summary)), o);
    let description = format!(
        "{} {} {} {}",
        p.school_name,
        session_label(p, &d.session, lang),
        d.pupils,
        lang.t("名学生", "pupils")
    );
    fold(&format!("DESCRIPTION:{}", ics_text(&description)), o);
    fold("END:VEVENT", o);
}

/// One iCalendar file per person with a duty this week (RFC 5545, Asia/Shanghai).
pub fn ics_per_person(p: &Policy, s: &School, plan: &Plan, lang: Lang) -> BTreeMap<String, String> {
    let dm = &plan.demand;
    let mut by: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for a in &plan.assignments {
        by.entry(a.staff).or_default().push(a.duty);
    }
    let stamp = format!("{}T000000Z", dm.monday.format("%Y%m%d"));
    let rev = Revision {
        stamp: &stamp,
        sequence: None,
        cancelled: None,
    };
    let mut files = BTreeMap::new();
    for (st, duties) in by {
        let person = &s.staff[st];
        let mut o = String::new();
        begin(&[], &mut o);
        for i in duties {
            event(p, &dm.duties[i], &person.id, &rev, lang, &mut o);
        }
        fold("END:VCALENDAR", &mut o);
        files.insert(person.id.clone(), o);
    }
    files
}

/// A record time stamp (RFC 3339, as the record writes it) in UTC, as
/// iCalendar writes it; `fallback` when it does not read.
fn utc(stamp: &str, fallback: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stamp)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .format("%Y%m%dT%H%M%SZ")
                .to_string()
        })
        .unwrap_or_else(|_| fallback.to_string())
}

/// One event of a subscription feed: a duty and what its history left
/// (`ledger::history`: the sequence, the stamp of the last change, and
/// whether the person no longer holds it).
#[derive(Debug, Clone, Copy)]
pub struct FeedEvent<'a> {
    pub duty: &'a Duty,
    pub sequence: u32,
    /// The record's time stamp (RFC 3339) of the change.
    pub stamp: &'a str,
    pub cancelled: bool,
}

/// One person's subscription feed: their duty occurrences, those they no
/// longer hold as cancelled. Each event keeps its UID across versions; its
/// SEQUENCE and DTSTAMP come from the record's history of it.
pub fn feed(p: &Policy, staff_id: &str, name: &str, events: &[FeedEvent], lang: Lang) -> String {
    let mut o = String::new();
    let calname = format!(
        "{} {} · {name}",
        p.school_name,
        lang.t("课后服务", "after-school duties")
    );
    begin(
        &[
            format!("X-WR-CALNAME:{}", ics_text(&calname)),
            "X-WR-TIMEZONE:Asia/Shanghai".to_string(),
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H".to_string(),
            "X-PUBLISHED-TTL:PT1H".to_string(),
        ],
        &mut o,
    );
    for x in events {
        let fallback = format!("{}T000000Z", x.duty.date.format("%Y%m%d"));
        let stamp = utc(x.stamp, &fallback);
        let rev = Revision {
            stamp: &stamp,
            sequence: Some(x.sequence),
            cancelled: Some(x.cancelled),
        };
        event(p, x.duty, staff_id, &rev, lang, &mut o);
    }
    fold("END:VCALENDAR", &mut o);
    o
}
