//! The diagnosis in the school's words: the duty by kind and club, the
//! balance, the rules by their meaning, and what to change.

use std::collections::BTreeMap;

use super::{SlotDiagnosis, WeekBalance};
use crate::lang::Lang;
use crate::model::policy::{Policy, Priority, Source, AFTERNOON_SPAN};
use crate::plan::Plan;
use crate::rules::{self, Limit, Rule};

/// Groups named in a line before "and N more".
const GROUPS_SHOWN: usize = 3;

/// Why a person may not take a duty at all, in plain words.
pub(crate) fn excluded_label(r: Rule, lang: Lang) -> &'static str {
    match r {
        Rule::Role => lang.t("角色不符或不参与", "role, or not taking part"),
        Rule::Qualification => lang.t("没有所需资质", "lacking the qualification"),
        Rule::Leave => lang.t("请假", "on leave"),
        Rule::Blackout => lang.t("教研等固定时段", "study time (blackout)"),
        Rule::Exemption => lang.t("豁免 (如孕期、哺乳期)", "exempt (e.g. pregnant, nursing)"),
        Rule::Instructor => lang.t("由指定教师担任", "run by its named instructor"),
        Rule::DailyLimit => lang.t("任务时长超过上限", "duty longer than a limit allows"),
        other => other.label(lang),
    }
}

/// A session's label; the span of every afternoon stage has none.
pub(crate) fn session_words(policy: &Policy, id: &str, lang: Lang) -> String {
    match policy.session(id) {
        Some(s) => lang.t(&s.label, &s.label_en).to_string(),
        None if id == AFTERNOON_SPAN => lang.t("下午全程", "whole afternoon").into(),
        None => id.to_string(),
    }
}

impl SlotDiagnosis {
    /// The duty: its kind, and the clubs (or groups) left open.
    pub fn what(&self, policy: &Policy, lang: Lang) -> String {
        let Some(k) = policy.duty_kinds.get(self.kind) else {
            return String::new();
        };
        let label = lang.t(&k.label, &k.label_en);
        let shown: Vec<String> = self.groups.iter().take(GROUPS_SHOWN).cloned().collect();
        let more = self.groups.len().saturating_sub(GROUPS_SHOWN);
        let tail = match (more, lang) {
            (0, _) => String::new(),
            (n, Lang::Zh) => format!(" 等 {} 组", n + GROUPS_SHOWN),
            (n, Lang::En) => format!(" and {n} more"),
        };
        if matches!(k.source, Source::Clubs) {
            let names: Vec<String> = shown.iter().map(|g| format!("「{g}」")).collect();
            return match lang {
                Lang::Zh => format!("社团{}{tail}", names.join("、")),
                Lang::En => format!("club {}{tail}", names.join(", ")),
            };
        }
        if matches!(k.source, Source::Patrol { .. }) || shown.is_empty() {
            return label.to_string();
        }
        format!("{label} ({}{tail})", shown.join(lang.t("、", ", ")))
    }

    pub fn render(&self, policy: &Policy, lang: Lang) -> String {
        let wd = lang.weekday(chrono::Datelike::weekday(&self.date));
        let date = self.date.format("%m-%d");
        let sess = session_words(policy, &self.session, lang);
        let what = self.what(policy, lang);
        let q = match (&self.qualification, lang) {
            (Some(q), Lang::Zh) => format!(" (需「{q}」资质)"),
            (Some(q), Lang::En) => format!(" (needs {q})"),
            (None, _) => String::new(),
        };
        let loud = match (self.priority, lang) {
            (Priority::Required, Lang::Zh) => "【必保任务缺人】",
            (Priority::Required, Lang::En) => "[REQUIRED duty short] ",
            _ => "",
        };
        let head = match lang {
            Lang::Zh => format!(
                "{loud}{wd} {date} {sess} {what}{q}: 缺 {} 人。",
                self.staff_missing
            ),
            Lang::En => format!(
                "{loud}{wd} {date} {sess}, {what}{q}: {} short. ",
                self.staff_missing
            ),
        };
        let why = self.priority_note(lang);
        let fix = self.fix(policy, lang);
        match lang {
            Lang::Zh => format!(
                "{head}{}{}{why}建议: {fix}",
                self.balance(policy, lang),
                self.excluded_words(lang)
            ),
            Lang::En => format!(
                "{head}{}{}{why}Fix: {fix}",
                self.balance(policy, lang),
                self.excluded_words(lang)
            ),
        }
    }

    /// Seats needed against what the people who may take them can take.
    fn balance(&self, policy: &Policy, lang: Lang) -> String {
        let r = &policy.rules;
        let mut parts: Vec<String> = Vec::new();
        let mut say = |n: u32, zh: String, en: String| {
            if n > 0 {
                parts.push(match lang {
                    Lang::Zh => format!("{n} 人{zh}"),
                    Lang::En => format!("{n} {en}"),
                });
            }
        };
        say(self.holding, "已在岗".into(), "already on it".into());
        say(
            self.busy,
            "同一时间另有任务".into(),
            "on another duty at that time".into(),
        );
        for (l, n) in &self.at_limit {
            say(
                *n,
                format!("已达{}", l.named(r, lang)),
                format!("at {}", l.named(r, lang)),
            );
        }
        let (need, el, can) = (self.staff_needed, self.eligible, self.can_take);
        match lang {
            Lang::Zh if parts.is_empty() => format!("需要 {need} 个岗位, 能担任的 {el} 人最多能担任 {can} 项。"),
            Lang::Zh => format!("需要 {need} 个岗位; 能担任的 {el} 人中: {}, 最多能担任 {can} 项。", parts.join("、")),
            Lang::En if parts.is_empty() => format!("{need} seats needed; the {el} people who may take them can take at most {can}. "),
            Lang::En => format!("{need} seats needed; of the {el} people who may take them, {}: they can take at most {can}. ", parts.join(", ")),
        }
    }

    /// Who may not take these duties at all, by why.
    fn excluded_words(&self, lang: Lang) -> String {
        if self.excluded.is_empty() {
            return String::new();
        }
        let n: u32 = self.excluded.values().sum();
        let list: Vec<String> = self
            .excluded
            .iter()
            .map(|(r, k)| match lang {
                Lang::Zh => format!("{} {k} 人", excluded_label(*r, lang)),
                Lang::En => format!("{} {k}", excluded_label(*r, lang)),
            })
            .collect();
        match lang {
            Lang::Zh => format!("另有 {n} 人不能担任: {}。", list.join(", ")),
            Lang::En => format!("{n} others may not take them: {}. ", list.join(", ")),
        }
    }

    fn priority_note(&self, lang: Lang) -> &'static str {
        match (self.by_priority, lang) {
            (false, _) => "",
            (true, Lang::Zh) => "按优先级留空: 人手不够时先保证必保、优先任务, 这项任务排在后面。",
            (true, Lang::En) => "Left open by priority: when short, required and high-priority duties are staffed first. ",
        }
    }

    /// What would fix the slot, by the rule that binds.
    fn fix(&self, policy: &Policy, lang: Lang) -> String {
        if let Some(q) = &self.qualification {
            if self.eligible < self.staff_needed && self.excluded.contains_key(&Rule::Qualification)
            {
                return rules::qualification::fix(lang, q, self.staff_needed - self.eligible);
            }
        }
        if self.eligible < self.staff_needed {
            return rules::coverage::fix(lang, self.staff_needed - self.eligible);
        }
        // The limit most of the free-but-limited people reached.
        if let Some((l, _)) = self
            .at_limit
            .iter()
            .max_by_key(|(l, n)| (**n, std::cmp::Reverse(**l)))
        {
            return rules::limits::fix(&policy.rules, lang, *l);
        }
        match lang {
            Lang::Zh => "能担任的人同一时间都在担任其他任务: 增加人手, 或错开任务时间".into(),
            Lang::En => {
                "everyone who may take it is on another duty then: add staff, or stagger the times"
                    .into()
            }
        }
    }
}

/// The week's balance in a sentence.
pub(crate) fn balance_words(b: &WeekBalance, policy: &Policy, lang: Lang) -> String {
    let r = &policy.rules;
    let (wk, dy) = (
        Limit::DutiesPerWeek.named(r, lang),
        Limit::DutiesPerDay.named(r, lang),
    );
    let enough = b.can_take >= b.needed;
    match lang {
        Lang::Zh => format!(
            "全周需要 {} 个岗位; 在{wk}、{dy}之下, 能上岗的 {} 人最多能担任 {} 项{}",
            b.needed,
            b.people,
            b.can_take,
            if enough { " (总数够, 缺口在个别时段)" } else { " (人手总数不够)" }
        ),
        Lang::En => format!(
            "the week needs {} seats; under {wk} and {dy}, the {} people who may serve can take at most {}{}",
            b.needed,
            b.people,
            b.can_take,
            if enough { " (enough in all: the gap is in some slots)" } else { " (too few people in all)" }
        ),
    }
}

/// Seats left open per priority and duty kind, that tier 1 left them
/// open lowest priority first, and the week's balance; None when every
/// seat is covered.
pub fn open_summary(
    policy: &Policy,
    school: &crate::model::school::School,
    plan: &Plan,
    lang: Lang,
) -> Option<Vec<String>> {
    let mut by: BTreeMap<(Priority, usize), u32> = BTreeMap::new();
    for &(d, n) in &plan.uncovered {
        let k = plan.demand.duties[d].kind;
        let pr = policy
            .duty_kinds
            .get(k)
            .map_or(Priority::Normal, |x| x.priority);
        *by.entry((pr, k)).or_insert(0) += n;
    }
    if by.is_empty() {
        return None;
    }
    let parts: Vec<String> = Priority::ALL
        .iter()
        .map(|&pr| {
            let of: Vec<(&usize, &u32)> = by
                .iter()
                .filter(|((p, _), _)| *p == pr)
                .map(|((_, k), n)| (k, n))
                .collect();
            let total: u32 = of.iter().map(|x| *x.1).sum();
            let kinds: Vec<String> = of
                .iter()
                .map(|(k, n)| {
                    let dk = &policy.duty_kinds[**k];
                    format!("{} {n}", lang.t(&dk.label, &dk.label_en))
                })
                .collect();
            match kinds.is_empty() {
                true => format!("{} 0", pr.label(lang)),
                false => format!("{} {total} ({})", pr.label(lang), kinds.join(", ")),
            }
        })
        .collect();
    let required = by.keys().any(|(p, _)| *p == Priority::Required);
    let head = match (required, lang) {
        (true, Lang::Zh) => "!! 必保任务未能全部安排 (见下方【必保任务缺人】)。空缺人次",
        (true, Lang::En) => {
            "!! REQUIRED duties left open (see [REQUIRED duty short] below). Open seats"
        }
        (false, Lang::Zh) => "空缺人次 (人手不够时先空着优先级低的任务)",
        (false, Lang::En) => "open seats (when short, the lowest priority is left open first)",
    };
    let balance = super::week_balance(policy, school, &plan.demand);
    Some(vec![
        format!("{head}: {}", parts.join("; ")),
        balance_words(&balance, policy, lang),
    ])
}
