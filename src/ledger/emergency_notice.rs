//! The notices of an emergency change (issue 20, item 3): one text per
//! class for its parents (the day or session cancelled or ended early, the
//! reason's category, when to pick up — the early end or the first
//! cancelled afternoon or noon duty's start; a cancelled morning says to
//! come at lesson time — and the pickup arrangement), one per person whose duty
//! is cancelled or shortened, and a markdown digest for the staff group's
//! robot. They say the reason's category only: the administrator's own
//! words stay in the record, and no notice carries a health detail (a
//! pickup note naming one is refused, `health_word`).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::emergency::{Affected, Preview, Reason};
use crate::lang::Lang;
use crate::model::policy::{Part, Policy};
use crate::model::school::School;
use crate::model::units::Hm;
use crate::outputs::notice::{duty_words, Notice};

/// Words a notice must not carry: a health matter of a person.
const HEALTH_ZH: &[&str] = &[
    "病", "发烧", "发热", "感染", "确诊", "阳性", "孕", "哺乳", "住院", "症状", "不适", "过敏",
    "医院", "就医", "咳", "流感", "新冠", "受伤", "呕吐", "腹泻", "吃药", "体温",
];
const HEALTH_EN: &[&str] = &[
    "sick",
    "fever",
    "infect",
    "positive",
    "pregnan",
    "nursing",
    "hospital",
    "symptom",
    "allerg",
    "influenza",
    "covid",
    "injur",
    "vomit",
    "cough",
    "diarrh",
    "medic",
    "illness",
];

/// The first health word `text` holds, if any.
pub fn health_word(text: &str) -> Option<&'static str> {
    let low = text.to_lowercase();
    HEALTH_ZH
        .iter()
        .chain(HEALTH_EN)
        .copied()
        .find(|w| low.contains(w))
}

/// One class's text for its parents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassNotice {
    pub class_id: String,
    pub class: String,
    pub text: String,
}

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

/// What was changed, in words: 「12月9日(周三) 全天课后服务」.
fn what(p: &Policy, v: &Preview, lang: Lang) -> String {
    let session = match &v.session {
        None => lang
            .t("全天课后服务", "the whole day's service")
            .to_string(),
        Some(s) => p.session(s).map_or(s.clone(), |x| match lang {
            Lang::Zh => format!("{}时段", x.label),
            Lang::En => format!("the {} session", x.label_en),
        }),
    };
    format!("{} {session}", day(v.date, lang))
}

/// The change itself: 「取消」 or 「提前至 16:30 结束」.
fn verb(end: Option<Hm>, lang: Lang) -> String {
    match (end, lang) {
        (None, Lang::Zh) => "取消".into(),
        (None, Lang::En) => "is cancelled".into(),
        (Some(e), Lang::Zh) => format!("提前至 {e} 结束"),
        (Some(e), Lang::En) => format!("ends early at {e}"),
    }
}

/// When a class's parents pick up after the change: the early end, or the
/// start of a cancelled duty, the earliest over the class's duties; a
/// cancelled morning duty gives none (there is nothing to pick up from).
fn pickup_times(p: &Policy, v: &Preview) -> BTreeMap<usize, Option<Hm>> {
    let mut first: BTreeMap<usize, Option<Hm>> = BTreeMap::new();
    for a in &v.duties {
        let morning = p
            .session(&a.duty.session)
            .is_some_and(|x| x.part == Part::Morning);
        let t = match a.new_end {
            Some(e) => Some(e),
            None if morning => None,
            None => Some(a.duty.start),
        };
        for &c in &a.duty.classes {
            let e = first.entry(c).or_insert(t);
            *e = match (*e, t) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
        }
    }
    first
}

/// The sentence on when to come: pick up by `t`, or (a cancelled morning
/// only) bring the child at lesson time.
fn when(t: Option<Hm>, lang: Lang) -> String {
    match (t, lang) {
        (Some(t), Lang::Zh) => format!("请于 {t} 前安排接孩子回家."),
        (Some(t), Lang::En) => format!("Please arrange to pick your child up by {t}."),
        (None, Lang::Zh) => "当天早间不提供看护, 请按上课时间送孩子到校.".into(),
        (None, Lang::En) => {
            "There is no early supervision that day: please bring your child at lesson time.".into()
        }
    }
}

/// One text per class with pupils in the duties touched, by class order.
/// `pickup`: the administrator's pickup arrangement, said after the time.
pub fn parents(
    p: &Policy,
    s: &School,
    v: &Preview,
    reason: Reason,
    pickup: &str,
    lang: Lang,
) -> Vec<ClassNotice> {
    let what = what(p, v, lang);
    let verb = verb(v.end, lang);
    let why = reason.label(lang);
    pickup_times(p, v)
        .into_iter()
        .filter_map(|(c, t)| {
            let class = s.classes.get(c)?;
            let extra = if pickup.trim().is_empty() {
                String::new()
            } else {
                format!(" {}", pickup.trim())
            };
            let when = when(t, lang);
            let text = match lang {
                Lang::Zh => format!(
                    "{}家长您好: 因{why}, {what}{verb}. {when}{extra} 如有困难请联系班主任.",
                    class.name
                ),
                Lang::En => format!(
                    "Dear parents of {}: because of {why}, {what} {verb}. {when}{extra} If that is difficult, please contact the homeroom teacher.",
                    class.name
                ),
            };
            Some(ClassNotice {
                class_id: class.id.clone(),
                class: class.name.clone(),
                text,
            })
        })
        .collect()
}

fn item(p: &Policy, a: &Affected, lang: Lang) -> String {
    let d = duty_words(p, &a.duty, lang);
    let start = a.new_start.unwrap_or(a.duty.start);
    match (a.new_start, a.new_end) {
        (_, Some(e)) if e > start => match (a.new_start, lang) {
            (Some(s), Lang::Zh) => format!("{d} 改为 {s}–{e}, 工作量按此计"),
            (Some(s), Lang::En) => format!("{d}: now {s}–{e}, paid for that"),
            (None, Lang::Zh) => format!("{d} 提前至 {e} 结束, 工作量计至 {e}"),
            (None, Lang::En) => format!("{d}: ends at {e}, paid to {e}"),
        },
        _ => lang
            .t(
                &format!("{d} 取消, 不计工作量"),
                &format!("{d}: cancelled, not paid"),
            )
            .to_string(),
    }
}

/// One text per person whose duty the change touches, by staff id.
pub fn teachers(p: &Policy, s: &School, v: &Preview, reason: Reason, lang: Lang) -> Vec<Notice> {
    let mut items: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for a in &v.duties {
        for who in &a.staff {
            items.entry(who).or_default().push(item(p, a, lang));
        }
    }
    let why = reason.label(lang);
    items
        .into_iter()
        .map(|(id, v)| {
            let name = s
                .staff_index(id)
                .map_or(id.to_string(), |i| s.shown_name(i).into_owned());
            let text = match lang {
                Lang::Zh => format!("{name}老师: 因{why}, {}.", v.join("; ")),
                Lang::En => format!("{name}: because of {why}, {}.", v.join("; ")),
            };
            Notice {
                staff_id: id.to_string(),
                name,
                text,
            }
        })
        .collect()
}

/// The staff group robot's message: title and markdown text.
pub fn digest(p: &Policy, s: &School, v: &Preview, reason: Reason, lang: Lang) -> (String, String) {
    let what = what(p, v, lang);
    let verb = verb(v.end, lang);
    let why = reason.label(lang);
    let title = match lang {
        Lang::Zh => format!("课后服务调整: {what}{verb}"),
        Lang::En => format!("Service change: {what} {verb}"),
    };
    let mut text = match lang {
        Lang::Zh => format!(
            "**{what}{verb}** (因{why})\n\n涉及 {} 项任务、{} 位老师、约 {} 名学生, 家长通知已交各班主任转发.\n",
            v.duties.len(),
            v.people.len(),
            v.pupils
        ),
        Lang::En => format!(
            "**{what} {verb}** (because of {why})\n\n{} duties, {} teachers, about {} pupils; the parents' notices go to the homeroom teachers to forward.\n",
            v.duties.len(),
            v.people.len(),
            v.pupils
        ),
    };
    for n in teachers(p, s, v, reason, lang) {
        text.push_str(&format!("\n> {}", n.text));
    }
    (title, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_words_are_found_in_either_language() {
        assert_eq!(health_word("孩子发烧了"), Some("发烧"));
        assert_eq!(health_word("Pupil is SICK"), Some("sick"));
        assert_eq!(health_word("请到东门接孩子"), None);
        assert_eq!(health_word("得了流感在家"), Some("流感"));
        assert_eq!(health_word("送医院检查"), Some("医院"));
        assert_eq!(health_word("tested for Covid"), Some("covid"));
        assert_eq!(
            health_word("Please collect your child immediately at the east gate"),
            None
        );
    }
}
