//! The handover sheet (交接班表): who hands each class's pupils to whom at
//! each change of stage, and who holds the late-stay duty until pickup.

use crate::lang::Lang;
use crate::model::policy::{Part, Policy};
use crate::model::school::School;
use crate::plan::Plan;

/// One change of hands for a class's pupils.
#[derive(Debug, Clone, PartialEq)]
pub struct Handover {
    pub date: chrono::NaiveDate,
    pub class: String,
    pub from: String,
    pub to: String,
    pub at: crate::model::units::Hm,
}

fn names(s: &School, plan: &Plan, duty: usize) -> String {
    let v: Vec<String> = plan
        .assignments
        .iter()
        .filter(|a| a.duty == duty)
        .map(|a| s.shown_name(a.staff).into_owned())
        .collect();
    if v.is_empty() {
        "(未覆盖 / uncovered)".to_string()
    } else {
        v.join("、")
    }
}

/// For each class and each change of afternoon stage: who hands the class's
/// pupils to whom; and at the cutoff, who holds the late-stay duty.
pub fn handover(p: &Policy, s: &School, plan: &Plan) -> Vec<Handover> {
    let dm = &plan.demand;
    let stages: Vec<&str> = p
        .sessions
        .iter()
        .filter(|x| x.part == Part::Afternoon)
        .map(|x| x.id.as_str())
        .collect();
    let mut out = Vec::new();
    for day in &dm.days {
        for (ci, c) in s.classes.iter().enumerate() {
            // Duties holding this class's pupils, per stage, in stage order.
            let holding = |stage: &str| -> Vec<usize> {
                dm.duties
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| {
                        d.date == day.date && d.session == stage && d.classes.contains(&ci)
                    })
                    .map(|(i, _)| i)
                    .collect()
            };
            for w in stages.windows(2) {
                let (a, b) = (holding(w[0]), holding(w[1]));
                for &x in &a {
                    for &y in &b {
                        out.push(Handover {
                            date: day.date,
                            class: c.name.clone(),
                            from: names(s, plan, x),
                            to: names(s, plan, y),
                            at: dm.duties[y].start,
                        });
                    }
                }
            }
            for (i, d) in dm.duties.iter().enumerate() {
                if d.date == day.date && d.until_pickup && d.classes.contains(&ci) {
                    out.push(Handover {
                        date: day.date,
                        class: c.name.clone(),
                        from: names(s, plan, i),
                        to: "家长 / parents".to_string(),
                        at: d.end,
                    });
                }
            }
        }
    }
    out
}

pub fn handover_csv(p: &Policy, s: &School, plan: &Plan, lang: Lang) -> Vec<u8> {
    use crate::outputs::files::{Cell, CsvOut};
    let h: &[&str] = if lang == Lang::Zh {
        &["日期", "班级", "交出", "接收", "时间"]
    } else {
        &["date", "class", "from", "to", "at"]
    };
    let mut out = CsvOut::new(h);
    for x in handover(p, s, plan) {
        out.row(vec![
            Cell::Num(x.date.to_string()),
            Cell::Text(x.class),
            Cell::Text(x.from),
            Cell::Text(x.to),
            Cell::Num(x.at.to_string()),
        ]);
    }
    out.into_bytes()
}
