//! `[[duty_kinds]]`: what a duty is, where its demand comes from (pupil
//! groups, clubs or patrol by school size) and who may take it.

use super::ctx::{keys, Ctx};
use super::raw;
use super::sessions::Known;
use crate::error::Said;
use crate::input::toml_source::Seg;
use crate::model::policy::{DutyKind, Grouping, Ledger, Merge, Priority, Source, AFTERNOON_SPAN};

/// Ledger names in the policy file.
const LEDGERS: [(&str, Ledger); 2] = [("service", Ledger::Service), ("care", Ledger::Care)];

/// Merge scope names in the policy file.
const MERGES: [(&str, Merge); 4] = [
    ("class", Merge::Class),
    ("grade", Merge::Grade),
    ("band", Merge::Band),
    ("school", Merge::School),
];

fn named<T: Copy>(table: &[(&str, T)], s: &str) -> Option<T> {
    table.iter().find(|(n, _)| *n == s).map(|&(_, v)| v)
}

pub(super) fn compile(c: &mut Ctx, list: &[raw::DutyKind], known: &Known) -> Vec<DutyKind> {
    c.unique_ids("duty_kinds", list.iter().map(|d| &d.id));
    let kinds: Vec<DutyKind> = list
        .iter()
        .enumerate()
        .map(|(i, d)| duty_kind(c, i, d, known))
        .collect();
    if kinds.is_empty() {
        c.err(
            keys!["duty_kinds"],
            Said::new("没有任务类型", "no duty kind"),
            Said::new(
                "至少一个 `[[duty_kinds]]` 表",
                "at least one `[[duty_kinds]]` table",
            ),
        );
    }
    kinds
}

fn duty_kind(c: &mut Ctx, i: usize, d: &raw::DutyKind, known: &Known) -> DutyKind {
    let ledger = named(&LEDGERS, &d.ledger).unwrap_or_else(|| {
        c.err(
            keys!["duty_kinds", i, "ledger"],
            Said::same(format!("\"{}\"", d.ledger)),
            Said::new(
                "\"service\" (课后服务) 或 \"care\" (早间、午间看护)",
                "service (after-school service proper) or care (morning or noon care)",
            ),
        );
        Ledger::Service
    });
    if d.session != AFTERNOON_SPAN && !known.has_session(&d.session) {
        c.err(
            keys!["duty_kinds", i, "session"],
            Said::same(format!("\"{}\"", d.session)),
            Said::new(
                "`[[sessions]]` 中的时段编号, 或 \"afternoon\" (下午各阶段)",
                "a session id from `[[sessions]]` or \"afternoon\" (all afternoon stages)",
            ),
        );
    }
    let roles = c.roles(keys!["duty_kinds", i, "roles"], &d.roles);
    if roles.is_empty() && d.source != "clubs" {
        c.err(
            keys!["duty_kinds", i, "roles"],
            Said::new("没有角色", "no role"),
            Said::new(
                "可以承担这项任务的角色",
                "the roles that may take this duty",
            ),
        );
    }
    let source = source(c, i, d, known);
    let weight = c.centi(
        keys!["duty_kinds", i, "weight"],
        d.weight.unwrap_or(1.0),
        ("权重", "a weight"),
    );
    let flat_pay = d
        .flat_pay
        .map(|v| c.fen(keys!["duty_kinds", i, "flat_pay"], v));
    DutyKind {
        id: d.id.clone(),
        label: d.label.clone(),
        label_en: d.label_en.clone().unwrap_or_else(|| d.id.clone()),
        ledger,
        session: d.session.clone(),
        source,
        roles,
        qualification: d.qualification.clone().filter(|q| !q.trim().is_empty()),
        weight,
        until_pickup: d.until_pickup,
        flat_pay,
        priority: priority(c, i, d.priority.as_deref()),
    }
}

fn priority(c: &mut Ctx, i: usize, p: Option<&str>) -> Priority {
    let Some(p) = p else {
        return Priority::Normal;
    };
    Priority::ALL
        .into_iter()
        .find(|x| x.code() == p)
        .unwrap_or_else(|| {
            c.err(
                keys!["duty_kinds", i, "priority"],
                Said::same(format!("\"{p}\"")),
                Said::new(
                    "\"required\" (必须)、\"high\" (优先) 或 \"normal\" (一般)",
                    "required, high or normal",
                ),
            );
            Priority::Normal
        })
}

fn source(c: &mut Ctx, i: usize, d: &raw::DutyKind, known: &Known) -> Source {
    match d.source.as_str() {
        "groups" => Source::Groups {
            enrollment: d.enrollment.clone().unwrap_or_else(|| d.session.clone()),
            grouping: grouping(c, i, d.grouping.as_ref(), known),
        },
        "clubs" => Source::Clubs,
        "patrol" => patrol(c, i, &d.by_size),
        o => {
            c.err(
                keys!["duty_kinds", i, "source"],
                Said::same(format!("\"{o}\"")),
                Said::new(
                    "\"groups\" (按学生分组)、\"clubs\" (社团) 或 \"patrol\" (巡查)",
                    "groups, clubs or patrol",
                ),
            );
            Source::Clubs
        }
    }
}

fn grouping(c: &mut Ctx, i: usize, g: Option<&raw::Grouping>, known: &Known) -> Grouping {
    let Some(g) = g else {
        c.err(
            keys!["duty_kinds", i],
            Said::new(
                "`source = \"groups\"` 但没有 `[grouping]`",
                "`source = \"groups\"` without `[grouping]`",
            ),
            Said::new(
                "分组表: `merge`、`min`、`max`",
                "a grouping table: `merge`, `min`, `max`",
            ),
        );
        return Grouping {
            merge: Merge::Class,
            min: 1,
            max: 1,
            staff_per_group: 1,
            pupils_per_staff: None,
        };
    };
    let merge = named(&MERGES, &g.merge).unwrap_or_else(|| {
        c.err(
            keys!["duty_kinds", i, "grouping", "merge"],
            Said::same(format!("\"{}\"", g.merge)),
            Said::new(
                "\"class\" (班级)、\"grade\" (年级)、\"band\" (学段) 或 \"school\" (全校)",
                "class, grade, band or school",
            ),
        );
        Merge::Class
    });
    let min = c.count(keys!["duty_kinds", i, "grouping", "min"], g.min, 1);
    let max = c.count(keys!["duty_kinds", i, "grouping", "max"], g.max, 1);
    if max < min {
        c.err(
            keys!["duty_kinds", i, "grouping", "max"],
            Said::new(
                format!("{max}, 小于 `min` 的 {min}"),
                format!("{max}, below `min` {min}"),
            ),
            Said::new("`max` 不小于 `min`", "`max` at least `min`"),
        );
    }
    let staff_per_group = c.count(
        keys!["duty_kinds", i, "grouping", "staff_per_group"],
        g.staff_per_group,
        1,
    );
    let pupils_per_staff = g
        .pupils_per_staff
        .map(|v| c.count(keys!["duty_kinds", i, "grouping", "pupils_per_staff"], v, 1));
    if merge == Merge::Band && known.bands.is_empty() {
        c.err(
            keys!["duty_kinds", i, "grouping", "merge"],
            Said::new(
                "\"band\", 但没有 `[[grade_bands]]`",
                "\"band\" with no `[[grade_bands]]`",
            ),
            Said::new(
                "先定义学段, 或换一种合并范围",
                "grade bands defined, or another merge scope",
            ),
        );
    }
    Grouping {
        merge,
        min,
        max,
        staff_per_group,
        pupils_per_staff,
    }
}

/// Patrol staff by school size: rows of (max classes, staff), sizes rising.
fn patrol(c: &mut Ctx, i: usize, rows: &[raw::SizeRule]) -> Source {
    let mut by_size = Vec::new();
    let mut last = 0;
    for (j, r) in rows.iter().enumerate() {
        let m = c.count(
            keys!["duty_kinds", i, "by_size", j, "max_classes"],
            r.max_classes,
            1,
        );
        let s = c.count(keys!["duty_kinds", i, "by_size", j, "staff"], r.staff, 0);
        if m <= last {
            c.err(
                keys!["duty_kinds", i, "by_size", j, "max_classes"],
                Said::same(m.to_string()),
                Said::new(
                    format!("大于上一行的 {last}"),
                    format!("more than the previous row's {last}"),
                ),
            );
        }
        last = m;
        by_size.push((m, s));
    }
    if by_size.is_empty() {
        c.err(
            keys!["duty_kinds", i, "by_size"],
            Said::new("没有行", "no rows"),
            Said::new(
                "若干行 `{ max_classes, staff }`",
                "rows of `{ max_classes, staff }`",
            ),
        );
    }
    Source::Patrol { by_size }
}
