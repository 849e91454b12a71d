//! The shortage of a week in the school's words, for the terminal, the
//! file beside the roster (`shortage-<monday>.txt`) and the HTML page:
//! the seats left open by priority and kind, the week's balance, then
//! each slot's diagnosis (`plan::diagnose`).

use std::fmt::Write as _;

use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::outputs::html::esc;
use crate::outputs::table::wrap;
use crate::plan::diagnose::{diagnose, open_summary};
use crate::plan::Plan;

/// Lines of the terminal and the file.
const COLUMNS: usize = 80;

/// The summary lines and each slot's diagnosis; both empty when every
/// seat is covered.
pub fn shortage(p: &Policy, s: &School, plan: &Plan, lang: Lang) -> (Vec<String>, Vec<String>) {
    let head = open_summary(p, s, plan, lang).unwrap_or_default();
    let slots = diagnose(p, s, plan)
        .iter()
        .map(|d| d.render(p, lang))
        .collect();
    (head, slots)
}

/// For the terminal: wrapped to 80 columns, each slot after `! `.
pub fn terminal(p: &Policy, s: &School, plan: &Plan, lang: Lang) -> String {
    let (head, slots) = shortage(p, s, plan, lang);
    let mut o = String::new();
    for l in &head {
        o.push_str(&wrap(l, COLUMNS, "  ", "    "));
    }
    for l in &slots {
        o.push_str(&wrap(l, COLUMNS, "  ! ", "    "));
    }
    o
}

/// The file beside the roster: a title, then the shortage, or that every
/// seat is filled (the file is always written, so it never holds an
/// earlier plan's shortage).
pub fn text(p: &Policy, s: &School, plan: &Plan, lang: Lang) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} {} {}\n",
        p.school_name,
        plan.demand.monday,
        lang.t("空缺岗位诊断", "open seats and why")
    );
    let (head, slots) = shortage(p, s, plan, lang);
    if head.is_empty() {
        let _ = writeln!(o, "{}", lang.t("每个岗位都有人。", "Every seat is filled."));
        return o;
    }
    for l in &head {
        o.push_str(&wrap(l, COLUMNS, "", "  "));
    }
    o.push('\n');
    for (k, l) in slots.iter().enumerate() {
        o.push_str(&wrap(l, COLUMNS, &format!("{}. ", k + 1), "   "));
    }
    o
}

/// For the HTML page: a section, empty when every seat is filled.
pub fn html(p: &Policy, s: &School, plan: &Plan, lang: Lang) -> String {
    let (head, slots) = shortage(p, s, plan, lang);
    if head.is_empty() {
        return String::new();
    }
    let mut o = format!(
        "<h2>{}</h2><div class=\"shortage\">",
        lang.t("空缺岗位与原因", "Open seats and why")
    );
    for l in &head {
        let _ = write!(o, "<p>{}</p>", esc(l));
    }
    o.push_str("<ul>");
    for l in &slots {
        let _ = write!(o, "<li>{}</li>", esc(l));
    }
    o.push_str("</ul></div>");
    o
}
