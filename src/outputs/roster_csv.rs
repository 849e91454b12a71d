//! The roster and the per-person summary as CSV files for Excel.

use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::{School, LOAD_PER_HOUR};
use crate::outputs::files::{Cell, CsvOut};
use crate::plan::Plan;
use crate::roster::{person_loads, ROSTER_COLUMNS};

fn hours(minutes: u32) -> String {
    format!("{:.2}", f64::from(minutes) / 60.0)
}

/// Roster CSV (UTF-8 with BOM), deterministic order: date, start, duty, staff.
pub fn to_csv(policy: &Policy, school: &School, plan: &Plan, lang: Lang) -> Vec<u8> {
    let zh = lang == Lang::Zh;
    let headers: Vec<&str> = ROSTER_COLUMNS
        .iter()
        .map(|(en, zhs, _)| if zh { zhs[0] } else { en })
        .collect();
    let mut out = CsvOut::new(&headers);
    let mut rows: Vec<(usize, Option<usize>)> = plan
        .assignments
        .iter()
        .map(|a| (a.duty, Some(a.staff)))
        .collect();
    for &(d, n) in &plan.uncovered {
        rows.extend(std::iter::repeat_n((d, None), n as usize));
    }
    let dm = &plan.demand;
    rows.sort_by(|a, b| {
        let (da, db) = (&dm.duties[a.0], &dm.duties[b.0]);
        (da.date, da.start, &da.id, a.1.map(|s| &school.staff[s].id)).cmp(&(
            db.date,
            db.start,
            &db.id,
            b.1.map(|s| &school.staff[s].id),
        ))
    });
    for (d, s) in rows {
        let duty = &dm.duties[d];
        let kind = &policy.duty_kinds[duty.kind];
        let sess = policy
            .session(&duty.session)
            .map_or(duty.session.clone(), |x| {
                if zh {
                    x.label.clone()
                } else {
                    x.label_en.clone()
                }
            });
        let (sid, name, status) = match s {
            Some(s) => (
                school.staff[s].id.clone(),
                school.staff[s].name.clone(),
                lang.t("已安排", "assigned"),
            ),
            None => (String::new(), String::new(), lang.t("未覆盖", "UNCOVERED")),
        };
        out.row(vec![
            Cell::Num(duty.date.to_string()),
            Cell::Text(
                lang.weekday(chrono::Datelike::weekday(&duty.date))
                    .to_string(),
            ),
            Cell::Text(sess),
            Cell::Num(duty.start.to_string()),
            Cell::Num(duty.end.to_string()),
            Cell::Text(if zh {
                kind.label.clone()
            } else {
                kind.label_en.clone()
            }),
            Cell::Text(duty.group.clone()),
            Cell::Text(sid),
            Cell::Text(name),
            Cell::Num(hours(duty.minutes())),
            Cell::Text(duty.ledger.label(lang).to_string()),
            Cell::Text(duty.id.clone()),
            Cell::Text(status.to_string()),
        ]);
    }
    out.into_bytes()
}

/// Per-person weekly summary CSV: duties, hours, weighted load, quota, relative load.
pub fn summary_csv(school: &School, plan: &Plan, lang: Lang) -> Vec<u8> {
    let h: &[&str] = if lang == Lang::Zh {
        &[
            "工号",
            "姓名",
            "角色",
            "任务数",
            "小时",
            "加权小时",
            "学期已服务",
            "工作量系数",
            "相对负荷",
        ]
    } else {
        &[
            "staff_id",
            "name",
            "role",
            "duties",
            "hours",
            "weighted_hours",
            "served_before",
            "quota",
            "relative_load",
        ]
    };
    let mut out = CsvOut::new(h);
    for p in person_loads(school, &plan.demand, plan) {
        let st = &school.staff[p.staff];
        out.row(vec![
            Cell::Text(st.id.clone()),
            Cell::Text(st.name.clone()),
            Cell::Text(st.role.label(lang).to_string()),
            Cell::Num(p.duties.to_string()),
            Cell::Num(hours(p.minutes)),
            Cell::Num(format!("{:.2}", p.week_load as f64 / LOAD_PER_HOUR as f64)),
            Cell::Num(format!("{:.2}", p.prior as f64 / LOAD_PER_HOUR as f64)),
            Cell::Num(st.quota.to_string()),
            Cell::Num(p.relative.map_or(String::new(), |r| format!("{r:.3}"))),
        ]);
    }
    out.into_bytes()
}
