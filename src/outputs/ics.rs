//! iCalendar files (RFC 5545), one per person, in Asia/Shanghai time.

use std::collections::BTreeMap;

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

/// One iCalendar file per person with a duty this week (RFC 5545, Asia/Shanghai).
pub fn ics_per_person(p: &Policy, s: &School, plan: &Plan, lang: Lang) -> BTreeMap<String, String> {
    let dm = &plan.demand;
    let mut by: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for a in &plan.assignments {
        by.entry(a.staff).or_default().push(a.duty);
    }
    let stamp = format!("{}T000000Z", dm.monday.format("%Y%m%d"));
    let mut files = BTreeMap::new();
    for (st, duties) in by {
        let person = &s.staff[st];
        let mut o = String::new();
        for l in [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//kehou//after-school roster//ZH",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
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
            fold(l, &mut o);
        }
        for i in duties {
            let d = &dm.duties[i];
            let day = d.date.format("%Y%m%d");
            let t = |h: crate::model::units::Hm| format!("{day}T{:02}{:02}00", h.0 / 60, h.0 % 60);
            fold("BEGIN:VEVENT", &mut o);
            fold(
                &format!(
                    "UID:{}-{}@kehou",
                    ics_text(&d.id).replace('/', "-"),
                    ics_text(&person.id)
                ),
                &mut o,
            );
            fold(&format!("DTSTAMP:{stamp}"), &mut o);
            fold(
                &format!("DTSTART;TZID=Asia/Shanghai:{}", t(d.start)),
                &mut o,
            );
            fold(&format!("DTEND;TZID=Asia/Shanghai:{}", t(d.end)), &mut o);
            fold(
                &format!(
                    "SUMMARY:{}",
                    ics_text(&format!("{} {}", kind_label(p, d.kind, lang), d.group))
                ),
                &mut o,
            );
            fold(
                &format!(
                    "DESCRIPTION:{}",
                    ics_text(&format!(
                        "{} {} {} {}",
                        p.school_name,
                        session_label(p, &d.session, lang),
                        d.pupils,
                        lang.t("名学生", "pupils")
                    ))
                ),
                &mut o,
            );
            fold("END:VEVENT", &mut o);
        }
        fold("END:VCALENDAR", &mut o);
        files.insert(person.id.clone(), o);
    }
    files
}
