//! What kept one person off the week's duties: each rule that rules a
//! duty out for them (by day and session, or by duty kind), and the
//! daily and weekly limits their duties reached.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::words::{exemption_words, leave_words};
use super::Constraint;
use crate::demand::Duty;
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::plan::diagnose::{excluded_label, session_words};
use crate::plan::{ineligible, Plan};
use crate::rules::{Limit, Rule};

/// How duties ruled out are grouped: by day and session for the
/// person's time (leave, blackouts), by duty kind otherwise.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    When(Rule, NaiveDate, String),
    Kind(Rule, usize, Option<String>),
}

pub(super) fn of(
    policy: &Policy,
    school: &School,
    plan: &Plan,
    s: usize,
    lang: Lang,
) -> Vec<Constraint> {
    let dm = &plan.demand;
    let mut groups: BTreeMap<Key, u32> = BTreeMap::new();
    for d in &dm.duties {
        let Some(r) = ineligible(policy, school, s, d) else {
            continue;
        };
        let key = match r {
            Rule::Leave | Rule::Blackout => Key::When(r, d.date, d.session.clone()),
            Rule::Qualification => Key::Kind(r, d.kind, d.qualification.clone()),
            Rule::Instructor => Key::Kind(r, d.kind, Some(d.group.clone())),
            _ => Key::Kind(r, d.kind, None),
        };
        *groups.entry(key).or_insert(0) += 1;
    }
    // A minutes limit is reached when not even their shortest duty fits.
    let shortest = dm
        .duties
        .iter()
        .filter(|d| ineligible(policy, school, s, d).is_none())
        .map(Duty::minutes)
        .min()
        .unwrap_or(0);
    let mut out: Vec<Constraint> = merge_days(policy, school, s, groups, lang);
    // An exemption is said even in a week where it rules nothing out.
    if school.staff[s].exemption.is_some() && !out.iter().any(|c| c.rule == Rule::Exemption.id()) {
        let what = exemption_words(policy, school, s, lang);
        out.push(Constraint {
            rule: Rule::Exemption.id(),
            what: format!(
                "{what}{}",
                lang.t(" (本周没有这样的任务)", " (no such duty this week)")
            ),
            duties: 0,
        });
    }
    out.extend(reached(policy, plan, s, shortest, lang));
    out
}

/// One constraint per group, in words.
fn merge_days(
    policy: &Policy,
    school: &School,
    s: usize,
    groups: BTreeMap<Key, u32>,
    lang: Lang,
) -> Vec<Constraint> {
    let mut out: Vec<Constraint> = Vec::new();
    for (key, n) in groups {
        let (rule, what) = match key {
            Key::When(r, date, sess) => {
                let when = format!(
                    "{} {} {}",
                    date.format("%m-%d"),
                    lang.weekday(date.weekday()),
                    session_words(policy, &sess, lang)
                );
                let why = match r {
                    Rule::Leave => leave_words(school, s, date, lang),
                    _ => blackout_words(policy, school, s, &sess, lang),
                };
                (r, format!("{when}: {why}"))
            }
            Key::Kind(r, k, extra) => (r, kind_words(policy, school, s, r, k, extra, lang)),
        };
        out.push(Constraint {
            rule: rule.id(),
            what,
            duties: n,
        });
    }
    out
}

fn blackout_words(policy: &Policy, school: &School, s: usize, sess: &str, lang: Lang) -> String {
    let st = &school.staff[s];
    let reason = policy
        .staff_blackouts
        .iter()
        .find(|b| {
            (b.subjects.contains(&st.subject) || b.roles.contains(&st.role))
                && b.sessions.iter().any(|x| x == sess)
        })
        .map(|b| b.reason.clone())
        .unwrap_or_default();
    match lang {
        Lang::Zh => format!("{} ({reason})", excluded_label(Rule::Blackout, lang)),
        Lang::En => format!("{} ({reason})", excluded_label(Rule::Blackout, lang)),
    }
}

/// A rule that rules out a duty kind for them, in words.
fn kind_words(
    policy: &Policy,
    school: &School,
    s: usize,
    r: Rule,
    k: usize,
    extra: Option<String>,
    lang: Lang,
) -> String {
    let kind = policy
        .duty_kinds
        .get(k)
        .map_or(String::new(), |x| lang.t(&x.label, &x.label_en).to_string());
    let st = &school.staff[s];
    match (r, lang) {
        (Rule::Role, _) if !st.active => lang
            .t(
                "未参与课后服务 (staff.csv「参与」为否)",
                "not taking part (staff.csv, active: no)",
            )
            .into(),
        (Rule::Role, Lang::Zh) => format!("{kind}: 不由{}担任", st.role.label(lang)),
        (Rule::Role, Lang::En) => format!("{kind}: not a duty for {}", st.role.label(lang)),
        (Rule::Qualification, Lang::Zh) => {
            format!(
                "{kind}: 需要「{}」资质, 本人没有",
                extra.unwrap_or_default()
            )
        }
        (Rule::Qualification, Lang::En) => {
            format!(
                "{kind}: needs {}, which they lack",
                extra.unwrap_or_default()
            )
        }
        (Rule::Instructor, Lang::Zh) => {
            format!("社团「{}」由指定教师担任", extra.unwrap_or_default())
        }
        (Rule::Instructor, Lang::En) => format!(
            "club {} is run by its named instructor",
            extra.unwrap_or_default()
        ),
        (Rule::Exemption, _) => format!("{kind}: {}", exemption_words(policy, school, s, lang)),
        (other, _) => format!("{kind}: {}", excluded_label(other, lang)),
    }
}

/// The daily and weekly limits their duties reached.
fn reached(policy: &Policy, plan: &Plan, s: usize, shortest: u32, lang: Lang) -> Vec<Constraint> {
    let r = &policy.rules;
    let dm = &plan.demand;
    let mine: Vec<&Duty> = plan
        .assignments
        .iter()
        .filter(|a| a.staff == s)
        .map(|a| &dm.duties[a.duty])
        .collect();
    let mut days: BTreeMap<NaiveDate, (u32, u32)> = BTreeMap::new();
    for d in &mine {
        let e = days.entry(d.date).or_default();
        e.0 += 1;
        e.1 += d.minutes();
    }
    let week = (
        mine.len() as u32,
        mine.iter().map(|d| d.minutes()).sum::<u32>(),
    );
    let mut out = Vec::new();
    let mut say = |l: Limit, rule: Rule, when: String, (n, m): (u32, u32)| {
        let hit = match l {
            Limit::DutiesPerDay | Limit::DutiesPerWeek => l.reached(r, n, m, 0),
            _ => l.reached(r, n, m, shortest),
        };
        if hit {
            let what = match lang {
                Lang::Zh => format!("{when}已有 {n} 项 {m} 分钟, 达到{}", l.named(r, lang)),
                Lang::En => format!("{when}{n} duties, {m} min: at {}", l.named(r, lang)),
            };
            out.push(Constraint {
                rule: rule.id(),
                what,
                duties: 0,
            });
        }
    };
    for (date, v) in days {
        let when = format!("{} {} ", date.format("%m-%d"), lang.weekday(date.weekday()));
        say(Limit::DutiesPerDay, Rule::DailyLimit, when.clone(), v);
        say(Limit::MinutesPerDay, Rule::DailyLimit, when, v);
    }
    let when = lang.t("本周", "this week: ").to_string();
    say(Limit::DutiesPerWeek, Rule::WeeklyLimit, when.clone(), week);
    say(Limit::MinutesPerWeek, Rule::WeeklyLimit, when, week);
    out
}
