//! Readable reports: terminal tables and CSV of demand and plans.

use std::fmt::Write as _;

use chrono::Datelike;

use crate::demand::WeekDemand;
use crate::lang::Lang;
use crate::model::policy::{Policy, Priority};
use crate::model::school::{School, LOAD_PER_HOUR};
use crate::outputs::files::{Cell, CsvOut};
use crate::outputs::table::{Align, Table};
use crate::plan::{by_priority, Plan, Stop};
use crate::roster::person_loads;

/// A session's label in the chosen language.
pub fn session_label(p: &Policy, id: &str, lang: Lang) -> String {
    match p.session(id) {
        Some(s) if lang == Lang::Zh => s.label.clone(),
        Some(s) => s.label_en.clone(),
        None if id == crate::model::policy::AFTERNOON_SPAN => {
            lang.t("下午全程", "whole afternoon").to_string()
        }
        None => id.to_string(),
    }
}

/// A duty kind's label in the chosen language.
pub fn kind_label(p: &Policy, k: usize, lang: Lang) -> String {
    let k = &p.duty_kinds[k];
    if lang == Lang::Zh {
        k.label.clone()
    } else {
        k.label_en.clone()
    }
}

pub fn demand_table(p: &Policy, _s: &School, dm: &WeekDemand, lang: Lang) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} {} — {}",
        p.school_name,
        dm.monday,
        lang.t("本周需求", "demand of the week")
    );
    for day in &dm.days {
        let _ = writeln!(
            o,
            "\n{} {} {}",
            day.date,
            lang.weekday(day.date.weekday()),
            day.describe(lang)
        );
        let (l, r) = (Align::Left, Align::Right);
        let mut t = Table::new(&[
            ("", l),
            ("", l),
            ("", l),
            ("", l),
            ("", r),
            ("", r),
            ("", r),
            ("", l),
        ]);
        for d in dm.duties.iter().filter(|d| d.date == day.date) {
            // The ledger category in a word: the table's last column.
            let ledger = match d.ledger {
                crate::model::policy::Ledger::Service => lang.t("课后服务", "service"),
                crate::model::policy::Ledger::Care => lang.t("早午看护", "care"),
            };
            t.row(vec![
                format!("{}-{}", d.start, d.end),
                kind_label(p, d.kind, lang),
                d.group.clone(),
                d.qualification.clone().unwrap_or_default(),
                format!("{}{}", d.pupils, lang.t("人", " pupils")),
                format!("{}{}", d.staff_needed, lang.t("名教师", " staff")),
                format!("{:.2}h", f64::from(d.minutes()) / 60.0),
                ledger.to_string(),
            ]);
        }
        o.push_str(&t.render("  "));
    }
    let staff: u32 = dm.duties.iter().map(|d| d.staff_needed).sum();
    let hours: f64 = dm
        .duties
        .iter()
        .map(|d| f64::from(d.minutes() * d.staff_needed) / 60.0)
        .sum();
    let _ = writeln!(
        o,
        "\n{}: {} {}, {} {}, {:.2} {}",
        lang.t("合计", "total"),
        dm.duties.len(),
        lang.t("项任务", "duties"),
        staff,
        lang.t("人次", "staff-duties"),
        hours,
        lang.t("人·小时", "staff-hours")
    );
    o
}

pub fn demand_csv(p: &Policy, _s: &School, dm: &WeekDemand, lang: Lang) -> Vec<u8> {
    let h: &[&str] = if lang == Lang::Zh {
        &[
            "日期",
            "星期",
            "时段",
            "开始",
            "结束",
            "任务",
            "小组",
            "人数",
            "所需人数",
            "资质",
            "小时",
            "台账类别",
            "任务编号",
        ]
    } else {
        &[
            "date",
            "weekday",
            "session",
            "start",
            "end",
            "duty",
            "group",
            "pupils",
            "staff_needed",
            "qualification",
            "hours",
            "ledger",
            "duty_id",
        ]
    };
    let mut out = CsvOut::new(h);
    for d in &dm.duties {
        out.row(vec![
            Cell::Num(d.date.to_string()),
            Cell::Text(lang.weekday(d.date.weekday()).to_string()),
            Cell::Text(session_label(p, &d.session, lang)),
            Cell::Num(d.start.to_string()),
            Cell::Num(d.end.to_string()),
            Cell::Text(kind_label(p, d.kind, lang)),
            Cell::Text(d.group.clone()),
            Cell::Num(d.pupils.to_string()),
            Cell::Num(d.staff_needed.to_string()),
            Cell::Text(d.qualification.clone().unwrap_or_default()),
            Cell::Num(format!("{:.2}", f64::from(d.minutes()) / 60.0)),
            Cell::Text(d.ledger.label(lang).to_string()),
            Cell::Text(d.id.clone()),
        ]);
    }
    out.into_bytes()
}

pub fn roster_table(p: &Policy, s: &School, plan: &Plan, lang: Lang) -> String {
    let mut o = String::new();
    let dm = &plan.demand;
    for day in &dm.days {
        let duties: Vec<usize> = (0..dm.duties.len())
            .filter(|&i| dm.duties[i].date == day.date)
            .collect();
        let _ = writeln!(
            o,
            "\n{} {} {}",
            day.date,
            lang.weekday(day.date.weekday()),
            day.describe(lang)
        );
        let cols = [
            ("", Align::Left),
            ("", Align::Left),
            ("", Align::Left),
            ("", Align::Left),
        ];
        let mut t = Table::new(&cols);
        for i in duties {
            let d = &dm.duties[i];
            let names: Vec<String> = plan
                .assignments
                .iter()
                .filter(|a| a.duty == i)
                .map(|a| s.shown_name(a.staff).into_owned())
                .collect();
            let miss = plan.uncovered.iter().find(|u| u.0 == i).map_or(0, |u| u.1);
            let mut who = names.join("、");
            if miss > 0 {
                let _ = write!(who, " [{} {miss}]", lang.t("未覆盖", "UNCOVERED"));
            }
            t.row(vec![
                format!("{}-{}", d.start, d.end),
                kind_label(p, d.kind, lang),
                d.group.clone(),
                who,
            ]);
        }
        o.push_str(&t.render("  "));
    }
    o
}

/// Why a week has no duties: each weekday's kind (holiday, outside the
/// term, no service), in order, each kind once.
pub fn empty_week(dm: &WeekDemand, lang: Lang) -> String {
    let mut why: Vec<String> = Vec::new();
    for d in &dm.days {
        let w = d.describe(lang);
        if !matches!(d.kind, crate::calendar::DayKind::Weekend) && !why.contains(&w) {
            why.push(w);
        }
    }
    format!(
        "{} {}: {}\n",
        lang.t("本周没有课后服务任务", "no duties in the week of"),
        dm.monday,
        why.join(lang.t("; ", "; "))
    )
}

/// The proof and timing part of `kehou plan`'s report.
pub fn plan_report(_p: &Policy, s: &School, plan: &Plan, lang: Lang, load_s: f64) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "\n{}",
        lang.t(
            "== 求解证明(分层优化) ==",
            "== proof (lexicographic tiers) =="
        )
    );
    tier_lines(&mut o, plan, lang);
    load_lines(&mut o, s, plan, lang);
    timing_lines(&mut o, plan, lang, load_s);
    o
}

/// What each tier's name means to a reader: (name, Chinese, English).
const TIER_LABELS: &[(&str, &str, &str)] = &[
    ("uncovered", "空着的岗位", "seats left open"),
    ("changes", "改动的安排", "assignments changed"),
    ("max-load", "最忙者的相对负荷", "busiest person's load"),
    (
        "covered",
        "空着或外聘承担的加权小时",
        "weighted hours open or on outside staff",
    ),
    (
        "spread",
        "比平均多或少半项以上的量",
        "load over half a duty off",
    ),
    (
        "balance",
        "各人与平均差距的平方和",
        "squared gaps to average",
    ),
    (
        "replacement-load",
        "替班人原来的负荷",
        "substitutes' load before",
    ),
    (
        "preferences",
        "意愿罚分 (负数为奖励)",
        "preference penalty (bonus < 0)",
    ),
];

/// A tier's status in words: proven, or how far from proven; never NaN.
pub(crate) fn tier_status(t: &crate::plan::TierReport, lang: Lang) -> String {
    if t.optimal {
        return lang.t("已证明最优", "proven optimal").into();
    }
    if !t.objective.is_finite() {
        let head = lang.t("未求解", "not solved");
        return format!("{head} ({})", stop_words(t.stopped, lang));
    }
    let why = stop_words(t.stopped, lang);
    if !t.gap.is_finite() {
        let head = lang.t("未证明 (下界未知", "not proven (no bound");
        return format!("{head}; {why})");
    }
    format!(
        "{} {} ({why})",
        lang.t("未证明, 差距", "not proven, gap"),
        gap_text(t.gap)
    )
}

/// What stopped a tier, in words.
fn stop_words(stop: Option<Stop>, lang: Lang) -> &'static str {
    match stop {
        Some(Stop::Time) => lang.t("用完时间", "time spent"),
        Some(Stop::Nodes) => lang.t("用完节点数", "node budget spent"),
        Some(Stop::Gap) => lang.t("已在允许的差距内", "within the allowed gap"),
        Some(Stop::Search) | None => lang.t("搜索结束", "search ended"),
        Some(Stop::NotModelled) => lang.t(
            "有锁定安排时此层不优化, 保留上一层的值班表",
            "not optimised with pinned duties; the roster before it is kept",
        ),
    }
}

/// A relative gap as a percentage with enough digits to be seen: a gap
/// of 0.03 % is not shown as 0.0 %.
pub(crate) fn gap_text(gap: f64) -> String {
    let pct = gap * 100.0;
    if pct >= 0.1 {
        format!("{pct:.1}%")
    } else if pct >= 0.001 {
        format!("{pct:.3}%")
    } else {
        "<0.001%".to_string()
    }
}

/// What a tier's name means to a reader (the web page says it too).
pub(crate) fn tier_label(name: &'static str, lang: Lang) -> &'static str {
    TIER_LABELS
        .iter()
        .find(|l| l.0 == name)
        .map_or(name, |l| lang.t(l.1, l.2))
}

/// Each tier's value, proven bound, gap and time, as a table.
fn tier_lines(o: &mut String, plan: &Plan, lang: Lang) {
    let mut t = Table::new(&[
        (lang.t("层", "tier"), Align::Right),
        (lang.t("目标", "objective"), Align::Left),
        (lang.t("值", "value"), Align::Right),
        (lang.t("证明的界", "proven bound"), Align::Right),
        (lang.t("状态", "status"), Align::Left),
        (lang.t("用时", "time"), Align::Right),
    ]);
    let mut after = Vec::new();
    for tr in &plan.tiers {
        let status = tier_status(tr, lang);
        // Tier 1 is a weighted count: shown as seats.
        let seats = |v: f64| {
            by_priority(plan.stats.priority_weights, v)
                .iter()
                .sum::<f64>()
        };
        let (value, bound) = if tr.name == "uncovered" {
            (seats(tr.objective), seats(tr.bound))
        } else {
            (tr.objective, tr.bound)
        };
        t.row(vec![
            tr.tier.to_string(),
            tier_label(tr.name, lang).to_string(),
            number(value),
            number(bound),
            status,
            format!("{:.2}s", tr.seconds),
        ]);
        if tr.name == "uncovered" && tr.objective > 0.5 {
            let mut line = String::new();
            open_by_priority(&mut line, plan, lang, tr);
            after.push(line);
        }
    }
    o.push_str(&t.render("  "));
    for l in after {
        o.push_str(&l);
    }
}

/// A tier's value: whole numbers as such, others to four places; never NaN.
pub(crate) fn number(v: f64) -> String {
    if !v.is_finite() {
        "—".into()
    } else if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.4}")
    }
}

/// Tier 1's value and bound per priority: which seats stayed open first.
fn open_by_priority(o: &mut String, plan: &Plan, lang: Lang, t: &crate::plan::TierReport) {
    let w = plan.stats.priority_weights;
    let (v, b) = (by_priority(w, t.objective), by_priority(w, t.bound));
    let part: Vec<String> = Priority::ALL
        .iter()
        .enumerate()
        .map(|(k, p)| format!("{} {}/{}", p.label(lang), v[k], b[k]))
        .collect();
    let _ = writeln!(
        o,
        "    {}: {}",
        lang.t(
            "按优先级 (值/界; 先留空低优先级)",
            "by priority (value/bound; lowest priority left open first)"
        ),
        part.join(", ")
    );
}

/// The relative loads' range and what was assigned.
fn load_lines(o: &mut String, s: &School, plan: &Plan, lang: Lang) {
    let loads: Vec<f64> = person_loads(s, &plan.demand, plan)
        .iter()
        .filter_map(|p| p.relative)
        .collect();
    if !loads.is_empty() {
        let hi = loads.iter().copied().fold(f64::MIN, f64::max);
        let lo = loads.iter().copied().fold(f64::MAX, f64::min);
        let _ = writeln!(
            o,
            "  {}: {:.3} / {:.3} / {:.3} ({})",
            lang.t("相对负荷 最高/最低/差", "relative load max/min/spread"),
            hi,
            lo,
            hi - lo,
            lang.t("加权小时/系数", "weighted hours per quota")
        );
    }
    if !plan.stats.away.is_empty() {
        let names: Vec<String> = plan
            .stats
            .away
            .iter()
            .map(|&i| s.shown_name(i).into_owned())
            .collect();
        let _ = writeln!(
            o,
            "  {} ({}): {}",
            lang.t(
                "整周不在岗, 不计入公平比较",
                "away all week, outside the fairness tiers"
            ),
            names.len(),
            names.join(", ")
        );
    }
    let total: i64 = plan
        .assignments
        .iter()
        .map(|a| plan.demand.duties[a.duty].load())
        .sum();
    let missing: u32 = plan.uncovered.iter().map(|u| u.1).sum();
    let _ = writeln!(
        o,
        "  {}: {} {}, {} {}, {:.2} {}",
        lang.t("安排", "assigned"),
        plan.assignments.len(),
        lang.t("人次", "seats"),
        missing,
        lang.t("人次未覆盖", "uncovered"),
        total as f64 / LOAD_PER_HOUR as f64,
        lang.t("加权小时", "weighted hours")
    );
}

/// Model size, time per stage and peak memory.
fn timing_lines(o: &mut String, plan: &Plan, lang: Lang, load_s: f64) {
    let st = &plan.stats;
    let mut size = format!(
        "{} {}, {} {}",
        st.duties,
        lang.t("项任务", "duties"),
        st.pools,
        lang.t("个任务池", "pools")
    );
    // The compact model's size; column generation has none to report.
    if st.binaries > 0 || st.rows > 0 {
        let _ = write!(
            size,
            ", {} {}, {} {}",
            st.binaries,
            lang.t("个0-1变量", "binaries"),
            st.rows,
            lang.t("条约束", "rows")
        );
    }
    let _ = writeln!(o, "{}: {size}", lang.t("== 规模", "== size"));
    let _ = writeln!(
        o,
        "{}: {} {:.3}s, {} {:.3}s, {} {:.3}s, {} {:.3}s, {} {:.3}s",
        lang.t("== 计时", "== timing"),
        lang.t("读入", "load"),
        load_s,
        lang.t("建模", "build"),
        st.build_s,
        lang.t("求解", "solve"),
        st.solve_s,
        lang.t("匹配", "match"),
        st.match_s,
        lang.t("合计", "total"),
        st.total_s,
    );
    if st.cg_lps > 0 {
        let _ = writeln!(
            o,
            "{}: {} {}, {} {}, {} {}",
            lang.t("== 列生成(第1-4层)", "== column generation, tiers 1-4"),
            st.classes,
            lang.t("类可互换人员", "staff classes"),
            st.cg_columns,
            lang.t("个周排班列", "week patterns"),
            st.cg_lps,
            lang.t("次LP求解", "LPs"),
        );
    }
    if st.pref_classes > 0 {
        let _ = writeln!(
            o,
            "{}: {} {}",
            lang.t("== 列生成(偏好层)", "== column generation, preferences"),
            st.pref_classes,
            lang.t(
                "类人员(按本班与回避请求再细分)",
                "staff classes (by own class, requests)"
            ),
        );
    }
    if let Some(kib) = peak_memory_kib() {
        let _ = writeln!(
            o,
            "{}: {:.1} MiB",
            lang.t("== 内存峰值", "== peak memory"),
            kib as f64 / 1024.0
        );
    }
}

/// Peak resident memory of this process (Linux: VmHWM), in KiB.
pub fn peak_memory_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
