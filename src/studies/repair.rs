//! Absence repair: change the published roster as little as possible,
//! never touch a duty that is already past, stay fair.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};

use crate::input::table::{parse_table, Columns};

use crate::demand::WeekDemand;
use crate::error::{Diagnostic, Diagnostics, Error, Result, Said};
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::{Leave, LeaveKind, School};
use crate::plan::{self, Assignment, Pin, Plan};
use crate::roster::{self, Row};

#[derive(Debug, Clone)]
pub struct Request {
    pub absent: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Session ids; empty = whole days.
    pub sessions: Vec<String>,
    /// Duties starting before this moment never change.
    pub now: NaiveDateTime,
    pub pins: Vec<Pin>,
}

/// One change to send to the people affected.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub duty: usize,
    pub removed: Option<usize>,
    pub added: Option<usize>,
    pub why: String,
}

pub const PIN_COLUMNS: Columns = &[
    ("duty_id", &["任务编号"], true),
    ("staff_id", &["工号"], true),
];

/// Read a pins (locks) file: duty id and staff id per row.
pub fn read_pins(path: &Path, school: &School, demand: &WeekDemand) -> Result<Vec<Pin>> {
    let bytes = crate::input::limits::read_input(path)?;
    let mut diags = Diagnostics::default();
    let Some(t) = parse_table(path, &bytes, PIN_COLUMNS, &mut diags) else {
        return diags.into_result(Vec::new());
    };
    let mut pins = Vec::new();
    for r in &t.rows {
        let duty = demand.duties.iter().position(|d| d.id == r.get("duty_id"));
        let staff = school.staff_index(r.get("staff_id"));
        match (duty, staff) {
            (Some(duty), Some(staff)) => pins.push(Pin { duty, staff }),
            (None, _) => diags.push(Diagnostic::new(
                path,
                r.line,
                t.field("duty_id"),
                Said::same(format!("\"{}\"", r.get("duty_id"))),
                Said::new(
                    "本周的任务编号 (排班表中的 任务编号 列)",
                    "a duty id of this week (the roster's duty id column)",
                ),
            )),
            (_, None) => diags.push(Diagnostic::new(
                path,
                r.line,
                t.field("staff_id"),
                Said::same(format!("\"{}\"", r.get("staff_id"))),
                Said::new("staff.csv 中的工号", "a staff id from staff.csv"),
            )),
        }
    }
    diags.into_result(pins)
}

/// Pins that break a hard rule, reported by rule name (never dropped silently).
pub fn check_pins(
    policy: &Policy,
    school: &School,
    demand: &WeekDemand,
    pins: &[Pin],
    lang: Lang,
) -> Result<()> {
    let mut bad = Vec::new();
    for p in pins {
        if let Some(rule) = plan::ineligible(policy, school, p.staff, &demand.duties[p.duty]) {
            bad.push(format!(
                "[{}|{}] {} {}",
                rule.id(),
                rule.label(lang),
                demand.duties[p.duty].id,
                school.staff[p.staff].id
            ));
        }
    }
    if bad.is_empty() {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "{}\n  {}",
            lang.t(
                "锁定的安排违反硬性规则:",
                "pinned assignments break hard rules:"
            ),
            bad.join("\n  ")
        )))
    }
}

/// The school with the request's absence recorded as leave (the planner
/// and the checker both read this).
pub fn with_absence(policy: &Policy, school: &School, absent: usize, req: &Request) -> School {
    let mut s = school.clone();
    let mut sessions = req.sessions.clone();
    policy.add_afternoon_span(&mut sessions);
    s.leave.push(Leave {
        staff: absent,
        from: req.from,
        to: req.to,
        sessions,
        kind: LeaveKind::Leave,
        reason: "repair".into(),
    });
    s
}

/// The independent check of a repaired roster, against the school with the
/// request's absence recorded as leave (returned, for the diagnoses).
pub fn check_repaired(
    policy: &Policy,
    school: &School,
    demand: &WeekDemand,
    plan: &Plan,
    req: &Request,
) -> (School, Vec<crate::check::Violation>) {
    let s = match school.staff_named(&req.absent) {
        Some(a) => with_absence(policy, school, a, req),
        None => school.clone(),
    };
    let v = crate::check::check(policy, &s, demand, &roster::from_plan(&s, plan));
    (s, v)
}

/// Repair the published rows for an absence. Returns the new plan and the changes.
pub fn repair(
    policy: &Policy,
    school: &School,
    demand: &WeekDemand,
    published: &[Row],
    req: &Request,
    lang: Lang,
) -> Result<(Plan, Vec<Change>)> {
    let Some(absent) = school.staff_named(&req.absent) else {
        return Err(Error::Usage(format!(
            "{} {}",
            lang.t(
                "教职工名单中无此人 (工号, 或只有一人用的姓名):",
                "no such staff member (a staff id, or a name only one person has):"
            ),
            req.absent
        )));
    };
    let s = with_absence(policy, school, absent, req);
    let base = roster::plan_from_rows(school, demand, published).assignments;
    check_pins(policy, &s, demand, &req.pins, lang)?;
    let mut opts = plan::Options::from_policy(policy);
    opts.baseline = Some(base.clone());
    opts.frozen_before = Some(req.now);
    opts.pins = req.pins.clone();
    let plan = plan::plan(policy, &s, demand, &opts)?;
    let changes = diff(policy, &s, &base, &plan, lang);
    Ok((plan, changes))
}

fn diff(policy: &Policy, s: &School, base: &[Assignment], plan: &Plan, lang: Lang) -> Vec<Change> {
    let group = |v: &[Assignment]| -> BTreeMap<usize, BTreeSet<usize>> {
        let mut m: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for a in v {
            m.entry(a.duty).or_default().insert(a.staff);
        }
        m
    };
    let (b, n) = (group(base), group(&plan.assignments));
    // Relative load before the repair: the basis of "lowest load".
    let before_plan = Plan {
        assignments: base.to_vec(),
        uncovered: Vec::new(),
        ..plan.clone()
    };
    let before = roster::person_loads(s, &plan.demand, &before_plan);
    let duties: BTreeSet<usize> = b.keys().chain(n.keys()).copied().collect();
    let mut out = Vec::new();
    let empty = BTreeSet::new();
    for d in duties {
        let (old, new) = (b.get(&d).unwrap_or(&empty), n.get(&d).unwrap_or(&empty));
        let removed: Vec<usize> = old.difference(new).copied().collect();
        let added: Vec<usize> = new.difference(old).copied().collect();
        let duty = &plan.demand.duties[d];
        // Who could have taken it: eligible and free at that time in the new roster.
        let free = |st: usize| {
            plan::ineligible(policy, s, st, duty).is_none()
                && !plan.assignments.iter().any(|a| {
                    a.staff == st && a.duty != d && plan.demand.duties[a.duty].overlaps(duty)
                })
        };
        let mut cands: Vec<(f64, usize)> = (0..s.staff.len())
            .filter(|&st| free(st))
            .filter_map(|st| before[st].relative.map(|r| (r, st)))
            .collect();
        cands.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        for i in 0..removed.len().max(added.len()) {
            let add = added.get(i).copied();
            let why = match add {
                Some(a) => {
                    let r = before[a]
                        .relative
                        .map_or(String::new(), |r| format!("{r:.2}"));
                    let rank = cands.iter().position(|c| c.1 == a).map_or(0, |i| i + 1);
                    let q = duty
                        .qualification
                        .as_deref()
                        .map(|q| format!("{}{q}; ", lang.t("具备资质 ", "qualified in ")))
                        .unwrap_or_default();
                    match lang {
                        Lang::Zh => format!("该时段可上岗; {q}原相对负荷 {r}, 在 {} 名可上岗者中第 {rank} 低(其余受每日/每周上限或偏好约束)", cands.len()),
                        Lang::En => format!("available then; {q}relative load before {r}, rank {rank} from lowest of {} available (others limited by daily/weekly limits or preferences)", cands.len()),
                    }
                }
                None => lang
                    .t(
                        "无合格替班人员, 此岗位未覆盖",
                        "no valid replacement: seat uncovered",
                    )
                    .to_string(),
            };
            out.push(Change {
                duty: d,
                removed: removed.get(i).copied(),
                added: add,
                why,
            });
        }
    }
    out
}

pub fn render_changes(s: &School, plan: &Plan, changes: &[Change], lang: Lang) -> String {
    let mut o = String::new();
    if changes.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            lang.t(
                "无需调整: 请假人员在此期间没有任务",
                "nothing to change: the absent person has no duties then"
            )
        );
    }
    for c in changes {
        let d = &plan.demand.duties[c.duty];
        let name = |x: Option<usize>| {
            x.map_or_else(
                || lang.t("(空缺)", "(nobody)").to_string(),
                |i| format!("{}({})", s.staff[i].name, s.staff[i].id),
            )
        };
        let _ = writeln!(
            o,
            "  {} {}-{} {}: {} → {}  [{}]",
            d.date,
            d.start,
            d.end,
            d.group,
            name(c.removed),
            name(c.added),
            c.why
        );
    }
    o
}

pub fn changes_csv(s: &School, plan: &Plan, changes: &[Change], lang: Lang) -> Vec<u8> {
    use crate::outputs::files::{Cell, CsvOut};
    let h: &[&str] = if lang == Lang::Zh {
        &[
            "日期",
            "开始",
            "结束",
            "小组",
            "任务编号",
            "原安排",
            "改为",
            "原因",
        ]
    } else {
        &[
            "date", "start", "end", "group", "duty_id", "was", "now", "why",
        ]
    };
    let mut out = CsvOut::new(h);
    for c in changes {
        let d = &plan.demand.duties[c.duty];
        let who = |x: Option<usize>| {
            x.map_or(String::new(), |i| {
                format!("{} {}", s.staff[i].id, s.staff[i].name)
            })
        };
        out.row(vec![
            Cell::Num(d.date.to_string()),
            Cell::Num(d.start.to_string()),
            Cell::Num(d.end.to_string()),
            Cell::Text(d.group.clone()),
            Cell::Text(d.id.clone()),
            Cell::Text(who(c.removed)),
            Cell::Text(who(c.added)),
            Cell::Text(c.why.clone()),
        ]);
    }
    out.into_bytes()
}
