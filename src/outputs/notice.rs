//! Telling people: after a publication (a plan, a hand edit, a repair),
//! one text per person affected, to copy into WeCom or DingTalk — 「黄建华老师:
//! 12月9日(周三) 15:40-16:40 一(1)班 作业辅导 改由郑玉兰老师担任」 — and a
//! markdown digest for a group robot. Both come from the change list
//! between the week as served before and after (`ledger::history::changes`).
//! Neither says why a duty moved: a reason may be a health matter, which a
//! group chat must not carry.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use crate::demand::Duty;
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::outputs::terminal::kind_label;

/// One duty whose holders a publication changed (`ledger::history::changes`).
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    pub duty: &'a Duty,
    /// Staff ids holding it before, and after.
    pub before: &'a [String],
    pub after: &'a [String],
}

/// One person's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub staff_id: String,
    pub name: String,
    pub text: String,
}

/// A person's name as a message addresses them: 「黄建华老师」.
fn addressed(s: &School, id: &str, lang: Lang) -> String {
    let name = s
        .staff_index(id)
        .map_or(id.to_string(), |i| s.shown_name(i).into_owned());
    match lang {
        Lang::Zh => format!("{name}老师"),
        Lang::En => name,
    }
}

/// The day: 「12月9日(周三)」 / "Wed 9 Dec".
fn day(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "{}月{}日({})",
            d.month(),
            d.day(),
            lang.weekday(d.weekday())
        ),
        Lang::En => format!("{} {}", lang.weekday(d.weekday()), d.format("%-d %b")),
    }
}

/// A duty in words: day, times, group and kind.
pub fn duty_words(p: &Policy, d: &Duty, lang: Lang) -> String {
    format!(
        "{} {}-{} {} {}",
        day(d.date, lang),
        d.start,
        d.end,
        d.group,
        kind_label(p, d.kind, lang)
    )
}

fn names(s: &School, ids: &[&String], lang: Lang) -> String {
    let v: Vec<String> = ids.iter().map(|id| addressed(s, id, lang)).collect();
    v.join(lang.t("、", ", "))
}

/// What one change means for `who`, or None when it does not touch them.
fn item(s: &School, c: &Change, who: &str, what: &str, first: bool, lang: Lang) -> Option<String> {
    let gone: Vec<&String> = c.before.iter().filter(|x| !c.after.contains(x)).collect();
    let new: Vec<&String> = c.after.iter().filter(|x| !c.before.contains(x)).collect();
    let is = |v: &[&String]| v.iter().any(|x| x.as_str() == who);
    if is(&gone) {
        return Some(match (new.is_empty(), lang) {
            (false, Lang::Zh) => format!("{what} 改由{}担任", names(s, &new, lang)),
            (false, Lang::En) => format!("{what}: now {}", names(s, &new, lang)),
            (true, Lang::Zh) => format!("{what} 不再由你担任 (该岗位暂时空缺)"),
            (true, Lang::En) => format!("{what}: no longer yours (the seat is open)"),
        });
    }
    if !is(&new) {
        return None;
    }
    Some(match (gone.is_empty(), lang) {
        (false, Lang::Zh) => format!("{what} 改由你担任 (原为{})", names(s, &gone, lang)),
        (false, Lang::En) => format!("{what}: now yours (was {})", names(s, &gone, lang)),
        // A duty nobody held before: on a first version, the list says it.
        (true, _) if first => what.to_string(),
        (true, Lang::Zh) => format!("{what} 由你担任"),
        (true, Lang::En) => format!("{what}: yours"),
    })
}

/// One text per person the changes touch, by staff id. `first`: the
/// week's first version (every duty is news), said as such.
pub fn notices(
    p: &Policy,
    s: &School,
    changes: &[Change],
    monday: NaiveDate,
    first: bool,
    lang: Lang,
) -> Vec<Notice> {
    let mut items: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for c in changes {
        let what = duty_words(p, c.duty, lang);
        for who in c.before.iter().chain(c.after) {
            if let Some(t) = item(s, c, who, &what, first, lang) {
                let v = items.entry(who.as_str()).or_default();
                if !v.contains(&t) {
                    v.push(t);
                }
            }
        }
    }
    items
        .into_iter()
        .map(|(id, lines)| {
            let head = match (first, lang) {
                (true, Lang::Zh) => format!("{}这一周的课后服务安排: ", day(monday, lang)),
                (true, Lang::En) => format!(
                    "your after-school duties of the week of {}: ",
                    day(monday, lang)
                ),
                (false, Lang::Zh) => "课后服务安排有变: ".to_string(),
                (false, Lang::En) => "your after-school duties changed: ".to_string(),
            };
            let sep = lang.t("; ", "; ");
            let end = lang.t("。", ".");
            Notice {
                staff_id: id.to_string(),
                name: s
                    .staff_index(id)
                    .map_or(id.to_string(), |i| s.shown_name(i).into_owned()),
                text: format!("{}: {head}{}{end}", addressed(s, id, lang), lines.join(sep)),
            }
        })
        .collect()
}

/// Most changes a digest lists; the rest are counted.
const DIGEST_LINES: usize = 20;

/// A group robot's markdown digest of a publication: the week, the
/// version, each change (who before → who after), at most
/// `DIGEST_LINES`; for a first version only the counts. Names and duties
/// only: no reasons, notes or exemptions.
pub fn digest(
    p: &Policy,
    s: &School,
    changes: &[Change],
    monday: NaiveDate,
    version: u32,
    lang: Lang,
) -> (String, String) {
    let title = match lang {
        Lang::Zh => format!(
            "{} 课后服务 {monday} 这一周 v{version} 已发布",
            p.school_name
        ),
        Lang::En => format!(
            "{}: after-school roster of the week of {monday}, v{version} published",
            p.school_name
        ),
    };
    let mut o = format!("### {title}\n\n");
    let people: std::collections::BTreeSet<&String> = changes
        .iter()
        .flat_map(|c| c.before.iter().chain(c.after))
        .collect();
    let plain = |ids: &[String]| match ids.is_empty() {
        true => lang.t("(空缺)", "(open)").to_string(),
        false => ids
            .iter()
            .map(|id| {
                s.staff_index(id)
                    .map_or(id.clone(), |i| s.shown_name(i).into_owned())
            })
            .collect::<Vec<_>>()
            .join(lang.t("、", ", ")),
    };
    if version == 1 {
        let _ = match lang {
            Lang::Zh => writeln!(o, "共 {} 项任务, {} 人。", changes.len(), people.len()),
            Lang::En => writeln!(o, "{} duties, {} people.", changes.len(), people.len()),
        };
    } else {
        let _ = match lang {
            Lang::Zh => writeln!(o, "变更 {} 项, 涉及 {} 人:\n", changes.len(), people.len()),
            Lang::En => writeln!(o, "{} changes, {} people:\n", changes.len(), people.len()),
        };
        for c in changes.iter().take(DIGEST_LINES) {
            let _ = writeln!(
                o,
                "- {}: {} → {}",
                duty_words(p, c.duty, lang),
                plain(c.before),
                plain(c.after)
            );
        }
        if changes.len() > DIGEST_LINES {
            let more = changes.len() - DIGEST_LINES;
            let _ = match lang {
                Lang::Zh => writeln!(o, "- …另有 {more} 项"),
                Lang::En => writeln!(o, "- … {more} more"),
            };
        }
    }
    o.push_str(lang.t(
        "\n请在「我的任务」或日历订阅中查看自己的安排。",
        "\nSee your own duties on «My duties» or in your calendar subscription.",
    ));
    (title, o)
}
