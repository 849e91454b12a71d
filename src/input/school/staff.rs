//! staff.csv: who takes part, their role, subject, qualifications, homeroom class, quota and exemption.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Diagnostic, Diagnostics, Result, Said};
use crate::input::table::{split_list, yes_no, Columns, Fields, Row, Table};
use crate::model::policy::{Policy, Role};
use crate::model::school::*;
use crate::model::units::Centi;

pub const STAFF_COLUMNS: Columns = &[
    ("id", &["工号", "编号"], true),
    ("name", &["姓名"], true),
    ("role", &["角色", "岗位"], true),
    ("subject", &["学科", "任教学科"], false),
    ("qualifications", &["资质", "特长"], false),
    ("homeroom_class", &["班主任班级", "所带班级"], false),
    ("quota", &["工作量系数", "定额"], false),
    ("exemption", &["豁免", "特殊情况"], false),
    ("active", &["参与", "参加课后服务"], false),
];

pub(super) fn load(
    t: &Table,
    policy: &Policy,
    school: &mut School,
    defined: &super::Defined,
    diags: &mut Diagnostics,
) -> Result<()> {
    let mut f = t.fields(diags);
    let mut ids = BTreeSet::new();
    let mut homerooms: BTreeMap<usize, usize> = BTreeMap::new();
    for row in &t.rows {
        let Some((id, name)) = super::id_and_name(&mut f, row, &mut ids, ("教职工", "staff"))
        else {
            continue;
        };
        let Some(role_s) = f.required(row, "role") else {
            continue;
        };
        let Some(role) = Role::parse(role_s) else {
            f.err(
                row.line,
                "role",
                Said::same(format!("\"{role_s}\"")),
                Role::names(),
            );
            continue;
        };
        let homeroom = homeroom(&mut f, row, (&*school, defined), &mut homerooms, role);
        let quota = quota(&mut f, row, policy, role);
        let exemption = exemption(&mut f, row, policy);
        let active = match yes_no(row.get("active")) {
            Some(a) => a,
            None => {
                f.err(
                    row.line,
                    "active",
                    Said::same(format!("\"{}\"", row.get("active"))),
                    Said::new("是 或 否", "yes or no"),
                );
                true
            }
        };
        school.staff.push(Staff {
            id: id.to_string(),
            name: name.to_string(),
            role,
            subject: row.get("subject").to_string(),
            qualifications: split_list(row.get("qualifications")).into_iter().collect(),
            homeroom,
            quota,
            exemption,
            active: active && quota.0 > 0,
            line: row.line,
        });
    }
    if t.rows.is_empty() {
        f.err(
            0,
            "-",
            Said::new("没有教职工", "no staff"),
            Said::new(
                "至少一名教职工 (每行一人: 工号, 姓名, 角色)",
                "at least one person (one per row: id, name, role)",
            ),
        );
    }
    let name_header = f.field("name");
    school
        .warnings
        .extend(namesakes(&t.file, &name_header, &school.staff));
    Ok(())
}

/// A warning for each person whose name another has too: both are kept
/// (two teachers may share a name), and shown with their id.
fn namesakes(file: &std::path::Path, name_header: &Said, staff: &[Staff]) -> Vec<Diagnostic> {
    let mut first: BTreeMap<&str, &Staff> = BTreeMap::new();
    let mut out = Vec::new();
    for st in staff {
        let Some(prev) = first.get(st.name.as_str()).copied() else {
            first.insert(&st.name, st);
            continue;
        };
        out.push(Diagnostic::new(
            file,
            st.line,
            name_header.clone(),
            Said::new(
                format!("\"{}\", 与第 {} 行 ({}) 同名", st.name, prev.line, prev.id),
                format!(
                    "\"{}\", the name of line {} ({}) too",
                    st.name, prev.line, prev.id
                ),
            ),
            Said::new(
                format!(
                    "同名的两人分别显示为 \"{}({})\" 和 \"{}({})\"; 如果是同一个人, 请删去一行",
                    prev.name, prev.id, st.name, st.id
                ),
                format!(
                    "two people of one name, shown as \"{}({})\" and \"{}({})\"; if they are one person, delete a row",
                    prev.name, prev.id, st.name, st.id
                ),
            ),
        ));
    }
    out
}

/// The homeroom class: one that exists, one teacher per class, and one
/// for every homeroom teacher.
fn homeroom(
    f: &mut Fields,
    row: &Row,
    (school, defined): (&School, &super::Defined),
    homerooms: &mut BTreeMap<usize, usize>,
    role: Role,
) -> Option<usize> {
    let hr = row.get("homeroom_class");
    let homeroom = if hr.is_empty() {
        None
    } else {
        match super::class_ref(f, row, school, defined, "homeroom_class", hr) {
            Some(ci) => {
                if let Some(prev) = homerooms.insert(ci, row.line) {
                    f.err(
                        row.line,
                        "homeroom_class",
                        Said::new(
                            format!("班级 \"{hr}\", 已是第 {prev} 行那位老师的班主任班级"),
                            format!("class \"{hr}\", already the homeroom class of the person on line {prev}"),
                        ),
                        Said::new("每个班级一位班主任", "one homeroom teacher per class"),
                    );
                }
                Some(ci)
            }
            None => None,
        }
    };
    if role == Role::Homeroom && homeroom.is_none() && hr.is_empty() {
        f.err(
            row.line,
            "homeroom_class",
            Said::new(
                "班主任的这一格是空的",
                "an empty cell for a homeroom teacher",
            ),
            Said::new(
                "这位老师担任班主任的班级",
                "the class this person is homeroom teacher of",
            ),
        );
    }
    homeroom
}

/// The quota: the cell, or the role's default from the policy.
fn quota(f: &mut Fields, row: &Row, policy: &Policy, role: Role) -> Centi {
    let q = row.get("quota");
    if q.is_empty() {
        policy
            .rules
            .default_quota
            .get(&role)
            .copied()
            .unwrap_or(Centi::ONE)
    } else {
        match Centi::parse(q) {
            Some(c) if c.0 >= 0 && c.0 <= 1000 => c,
            _ => {
                f.err(
                    row.line,
                    "quota",
                    Said::same(format!("\"{q}\"")),
                    Said::new(
                        "0 到 10 的数, 至多 2 位小数 (1 = 满工作量)",
                        "a number from 0 to 10 with at most 2 decimals (1 = full load)",
                    ),
                );
                Centi::ONE
            }
        }
    }
}

/// The exemption: empty, or an id from the policy.
fn exemption(f: &mut Fields, row: &Row, policy: &Policy) -> Option<String> {
    let ex = row.get("exemption");
    if ex.is_empty() {
        None
    } else if policy.exemption(ex).is_some() {
        Some(ex.to_string())
    } else {
        let known: Vec<String> = policy
            .exemptions
            .iter()
            .map(|e| format!("\"{}\"", e.id))
            .collect();
        f.err(
            row.line,
            "exemption",
            Said::same(format!("\"{ex}\"")),
            Said::new(
                format!("政策中的豁免编号: {}", known.join("、")),
                format!("an exemption id from the policy: {}", known.join(", ")),
            ),
        );
        None
    }
}
