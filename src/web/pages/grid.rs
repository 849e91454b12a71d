//! The week page's roster grid: days × sessions, one entry per group
//! with its people; for the vice-principal each entry opens the seat's
//! page (who could take it), and pinned people are marked. (The printable
//! page and `kehou plan`'s HTML file have their own grid, `outputs::html`.)

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use maud::{html, Markup};

use crate::lang::Lang;
use crate::model::policy::{Policy, AFTERNOON_SPAN};
use crate::model::school::School;
use crate::outputs::terminal::{kind_label, session_label};
use crate::plan::{Pin, Plan};

/// The grid; `link` (the week's Monday) makes each entry a link to its seat.
pub(crate) fn grid(
    p: &Policy,
    s: &School,
    plan: &Plan,
    pins: &[Pin],
    link: Option<NaiveDate>,
    lang: Lang,
) -> Markup {
    let dm = &plan.demand;
    let mut holders: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for a in &plan.assignments {
        holders.entry(a.duty).or_default().push(a.staff);
    }
    let open: BTreeMap<usize, u32> = plan.uncovered.iter().copied().collect();
    let mut sessions: Vec<String> = p.sessions.iter().map(|x| x.id.clone()).collect();
    sessions.push(AFTERNOON_SPAN.to_string());
    sessions.retain(|x| dm.duties.iter().any(|d| &d.session == x));
    html! {
        table.grid {
            thead { tr {
                th { (lang.t("时段", "Session")) }
                @for d in &dm.days { th { (d.date.format("%m-%d")) " " (lang.weekday(d.date.weekday())) br; span.t { (d.describe(lang)) } } }
            } }
            tbody {
                @for sess in &sessions {
                    tr {
                        th { (session_label(p, sess, lang)) }
                        @for day in &dm.days {
                            td class=(if day.follows().is_none() { "holiday" } else { "" }) {
                                @for (i, d) in dm.duties.iter().enumerate().filter(|(_, d)| d.date == day.date && &d.session == sess) {
                                    @let miss = open.get(&i).copied().unwrap_or(0);
                                    div class=(if miss > 0 { "duty uncovered" } else { "duty" }) {
                                        span.t { (d.start) "-" (d.end) } " "
                                        @match link {
                                            Some(m) => { a href=(super::edit::seat_link(m, &d.id, None)) { (kind_label(p, d.kind, lang)) "·" (d.group) } }
                                            None => { (kind_label(p, d.kind, lang)) "·" (d.group) }
                                        }
                                        ": "
                                        @for (k, &h) in holders.get(&i).map_or(&[][..], |v| v.as_slice()).iter().enumerate() {
                                            @if k > 0 { "、" }
                                            (s.shown_name(h))
                                            @if pins.contains(&Pin { duty: i, staff: h }) { "📌" }
                                        }
                                        @if miss > 0 { " [" (lang.t("缺 ", "missing ")) (miss) "]" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
