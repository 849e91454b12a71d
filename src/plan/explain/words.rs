//! The explanation's sentences: why someone is apart, the tier that
//! bound them, their leave and exemption, and the whole as text.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use super::{Explanation, Standing};
use crate::demand::{Duty, WeekDemand};
use crate::lang::Lang;
use crate::model::policy::{Policy, Role};
use crate::model::school::{LeaveKind, School};
use crate::plan::diagnose::session_words;
use crate::plan::Plan;

/// Relative loads this close are equal (the busiest may be several).
const SAME_LOAD: f64 = 1e-6;

/// A value to three places; a dash when not known (never NaN).
fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.3}")
    } else {
        "—".into()
    }
}

/// A duty: session, kind and group.
pub(super) fn duty_what(policy: &Policy, d: &Duty, lang: Lang) -> String {
    let kind = policy
        .duty_kinds
        .get(d.kind)
        .map_or(String::new(), |k| lang.t(&k.label, &k.label_en).to_string());
    format!(
        "{} · {kind} · {}",
        session_words(policy, &d.session, lang),
        d.group
    )
}

/// Their leave covering `date`: its reason and dates.
pub(super) fn leave_words(school: &School, s: usize, date: NaiveDate, lang: Lang) -> String {
    let l = school
        .leave
        .iter()
        .find(|l| l.staff == s && l.kind == LeaveKind::Leave && l.from <= date && date <= l.to);
    let (reason, from, to) = l.map_or((String::new(), date, date), |l| {
        (l.reason.clone(), l.from, l.to)
    });
    let span = format!("{}–{}", from.format("%m-%d"), to.format("%m-%d"));
    match (reason.is_empty(), lang) {
        (true, Lang::Zh) => format!("请假 ({span})"),
        (false, Lang::Zh) => format!("请假 ({reason}, {span})"),
        (true, Lang::En) => format!("on leave ({span})"),
        (false, Lang::En) => format!("on leave ({reason}, {span})"),
    }
}

/// Their exemption and what it rules out.
pub(super) fn exemption_words(policy: &Policy, school: &School, s: usize, lang: Lang) -> String {
    let Some(ex) = school.staff[s]
        .exemption
        .as_deref()
        .and_then(|e| policy.exemption(e))
    else {
        return lang.t("豁免", "exempt").into();
    };
    let mut what: Vec<String> = Vec::new();
    if let Some(t) = ex.no_end_after {
        what.push(match lang {
            Lang::Zh => format!("不担任 {t} 以后结束的任务"),
            Lang::En => format!("no duty ending after {t}"),
        });
    }
    if ex.no_until_pickup {
        what.push(
            lang.t("不担任须等到学生接走的任务", "no duty until pickup")
                .into(),
        );
    }
    for sess in &ex.no_sessions {
        what.push(match lang {
            Lang::Zh => format!("不担任{}", session_words(policy, sess, lang)),
            Lang::En => format!("no {}", session_words(policy, sess, lang)),
        });
    }
    match lang {
        Lang::Zh => format!("豁免「{}」: {}", ex.label, what.join("、")),
        Lang::En => format!("exempt ({}): {}", ex.label, what.join(", ")),
    }
}

/// Why `s` is outside the fairness comparison; None when compared.
pub(super) fn apart(
    policy: &Policy,
    school: &School,
    dm: &WeekDemand,
    s: usize,
    away: bool,
    lang: Lang,
) -> Option<String> {
    let st = &school.staff[s];
    if !st.active {
        return Some(
            lang.t(
                "未参与课后服务 (staff.csv「参与」为否), 不参与负荷比较",
                "not taking part (staff.csv, active: no); not compared",
            )
            .into(),
        );
    }
    if st.role == Role::Outside {
        return Some(
            lang.t(
                "外聘教师: 领劳务费, 不参与负荷比较",
                "outside instructor: paid a labour fee, not compared",
            )
            .into(),
        );
    }
    if st.quota.0 <= 0 {
        return Some(
            lang.t("工作量系数为 0, 不参与负荷比较", "quota 0: not compared")
                .into(),
        );
    }
    if !away {
        return None;
    }
    let leave = dm.days.iter().find_map(|d| {
        school
            .leave
            .iter()
            .any(|l| {
                l.staff == s && l.kind == LeaveKind::Leave && l.from <= d.date && d.date <= l.to
            })
            .then(|| leave_words(school, s, d.date, lang))
    });
    let why = match (leave, &st.exemption) {
        (Some(l), _) => l,
        (None, Some(_)) => exemption_words(policy, school, s, lang),
        (None, None) => lang
            .t("本周没有能担任的任务", "no duty of the week they may take")
            .into(),
    };
    Some(match lang {
        Lang::Zh => format!("整周不在岗 ({why}): 不参与负荷比较, 也不计入平均、最低和差距"),
        Lang::En => format!("away all week ({why}): not compared, and left out of the average, the lowest and the spread"),
    })
}

/// The tier that bound `sd`'s load, in words; None without proofs.
pub(super) fn bound(plan: &Plan, sd: &Standing, lang: Lang) -> Option<String> {
    let top = plan.tiers.iter().find(|t| t.name == "max-load");
    if sd.relative >= sd.top - SAME_LOAD {
        let t = top?;
        return Some(match (t.optimal, lang) {
            (true, Lang::Zh) => format!("负荷最高 ({:.3})。第 2 层已证明: 在所有规则下, 任何排班里最忙的人的相对负荷都不会低于 {:.3} —— 总得有人到这个负荷, 不可能再低。", sd.relative, t.bound),
            (true, Lang::En) => format!("the busiest ({:.3}). Tier 2 proved that under every rule no roster gives its busiest person less than {:.3}: someone has to carry this load.", sd.relative, t.bound),
            (false, Lang::Zh) => format!("负荷最高 ({:.3})。第 2 层未能证明这是最低的可能 (已证明的界 {}).", sd.relative, num(t.bound)),
            (false, Lang::En) => format!("the busiest ({:.3}). Tier 2 did not prove it the lowest possible (proven bound {}).", sd.relative, num(t.bound)),
        });
    }
    plan.tiers.iter().find(|t| t.name == "spread")?;
    let (lo, hi) = sd.band;
    Some(match (sd.relative, lang) {
        (r, Lang::Zh) if r < lo - SAME_LOAD => format!("低于平均半项任务以上 (范围 {lo:.3}–{hi:.3}): 第 3 层让每个人尽量落在平均上下半项任务之内, 你没能排进更多任务, 原因见上面的限制。"),
        (r, Lang::En) if r < lo - SAME_LOAD => format!("more than half a duty below the average (band {lo:.3}–{hi:.3}): tier 3 keeps everyone within half a duty of the average where it can; the limits above kept you from more."),
        (r, Lang::Zh) if r > hi + SAME_LOAD => format!("高于平均半项任务以上 (范围 {lo:.3}–{hi:.3}): 第 3 层已把超出范围的总量减到最少, 能担任这些任务的人不多。"),
        (r, Lang::En) if r > hi + SAME_LOAD => format!("more than half a duty above the average (band {lo:.3}–{hi:.3}): tier 3 made the load outside the bands as small as it can be; few people may take these duties."),
        (_, Lang::Zh) => format!("在平均上下半项任务的范围内 ({lo:.3}–{hi:.3}): 第 3 层要求的公平范围, 你在其中。"),
        (_, Lang::En) => format!("within half a duty of the average ({lo:.3}–{hi:.3}), the fair band tier 3 keeps everyone in."),
    })
}

/// The explanation as text: duties, limits, standing, bound.
pub fn render(e: &Explanation, lang: Lang) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} {} — {} {}",
        e.staff_id,
        e.name,
        lang.t("本周任务说明, 周一", "why this load, week of"),
        e.monday
    );
    let _ = writeln!(
        o,
        "\n{} ({}):",
        lang.t("本周任务", "duties"),
        e.duties.len()
    );
    if e.duties.is_empty() {
        let _ = writeln!(o, "  {}", lang.t("无", "none"));
    }
    for d in &e.duties {
        let _ = writeln!(
            o,
            "  {} {} {}–{} {} ({:.2} {})",
            d.date.format("%m-%d"),
            lang.weekday(d.date.weekday()),
            d.start,
            d.end,
            d.what,
            d.load_hours,
            lang.t("加权小时", "weighted h")
        );
    }
    let _ = writeln!(o, "\n{}:", lang.t("限制", "what limited them"));
    if e.limits.is_empty() {
        let _ = writeln!(o, "  {}", lang.t("无", "nothing"));
    }
    for c in &e.limits {
        let _ = writeln!(o, "  - {}", constraint_words(c, lang));
    }
    if let Some(a) = &e.apart {
        let _ = writeln!(o, "\n{a}");
    }
    if let Some(sd) = &e.standing {
        let _ = writeln!(o, "\n{}:", lang.t("负荷", "load"));
        for l in standing_words(sd, lang) {
            let _ = writeln!(o, "  {l}");
        }
    }
    if let Some(b) = &e.bound {
        let _ = writeln!(o, "  {b}");
    }
    o
}

/// Where they stand, in sentences (the CLI and the web page).
pub fn standing_words(sd: &Standing, lang: Lang) -> Vec<String> {
    let diff = (sd.relative - sd.average) * sd.quota;
    let mut out = Vec::new();
    match lang {
        Lang::Zh => {
            out.push(format!(
                "本周 {:.2} 加权小时, 本学期累计 {:.2}, 工作量系数 {:.2}, 相对负荷 {:.3}",
                sd.week_hours, sd.term_hours, sd.quota, sd.relative
            ));
            out.push(format!(
                "{} 人比较: 平均 {:.3}, 最高 {:.3}, 最低 {:.3}; 比平均{} {:.2} 加权小时",
                sd.compared,
                sd.average,
                sd.top,
                sd.lowest,
                if diff >= 0.0 { "多" } else { "少" },
                diff.abs()
            ));
            if sd.left_out > 0 {
                out.push(format!(
                    "另有 {} 人整周不在岗或不参与比较, 不计入",
                    sd.left_out
                ));
            }
        }
        Lang::En => {
            out.push(format!(
                "this week {:.2} weighted h, term {:.2}, quota {:.2}, relative load {:.3}",
                sd.week_hours, sd.term_hours, sd.quota, sd.relative
            ));
            out.push(format!("{} compared: average {:.3}, top {:.3}, lowest {:.3}; {:.2} weighted h {} the average", sd.compared, sd.average, sd.top, sd.lowest, diff.abs(), if diff >= 0.0 { "above" } else { "below" }));
            if sd.left_out > 0 {
                out.push(format!(
                    "{} others away all week or not compared, left out",
                    sd.left_out
                ));
            }
        }
    }
    out
}

/// A constraint in a sentence, with the duties it ruled out.
pub fn constraint_words(c: &super::Constraint, lang: Lang) -> String {
    match (c.duties, lang) {
        (0, _) => c.what.clone(),
        (n, Lang::Zh) => format!("{} ({n} 项任务不能担任)", c.what),
        (n, Lang::En) => format!("{} ({n} duties ruled out)", c.what),
    }
}
