//! The independent checker: re-verifies a roster (from the solver, or edited
//! by hand in Excel) against the policy and the data. It shares no code with
//! the solver's model or eligibility; it reads only the demand and the rows.

use std::collections::BTreeMap;

use crate::demand::{Duty, WeekDemand};
use crate::model::policy::{Policy, Role};
use crate::model::school::{LeaveKind, School};
use crate::outputs::lang::Lang;
use crate::roster::Row;
use crate::rules::Rule;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    pub rule: Rule,
    /// Roster file line (0 when the problem is a missing row).
    pub line: usize,
    pub duty: String,
    pub staff: String,
    pub detail: String,
}

impl Violation {
    pub fn render(&self, lang: Lang) -> String {
        let at = if self.line > 0 {
            format!("{}{} ", lang.t("第", "line "), self.line) + lang.t("行 ", "")
        } else {
            String::new()
        };
        format!(
            "[{}|{}] {at}{} {} {}",
            self.rule.id(),
            self.rule.label(lang),
            self.duty,
            self.staff,
            self.detail
        )
    }
}

/// Check rows against the week's demand. Returns every violation, sorted.
pub fn check(
    policy: &Policy,
    school: &School,
    demand: &WeekDemand,
    rows: &[Row],
) -> Vec<Violation> {
    let mut v = Vec::new();
    let duty_ix: BTreeMap<&str, usize> = demand
        .duties
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let staff_ix: BTreeMap<&str, usize> = school
        .staff
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut on_duty: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new(); // duty -> (staff, line)
    let mut reported_uncovered: BTreeMap<usize, u32> = BTreeMap::new();
    let mut by_staff: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new(); // staff -> (duty, line)
    for r in rows {
        let Some(&d) = duty_ix.get(r.duty_id.as_str()) else {
            v.push(viol(
                Rule::Unknown,
                r.line,
                &r.duty_id,
                r.staff_id.as_deref().unwrap_or(""),
                "duty not in this week's demand / 本周无此任务",
            ));
            continue;
        };
        let Some(sid) = &r.staff_id else {
            *reported_uncovered.entry(d).or_insert(0) += 1;
            continue;
        };
        let Some(&s) = staff_ix.get(sid.as_str()) else {
            v.push(viol(
                Rule::Unknown,
                r.line,
                &r.duty_id,
                sid,
                "person not in staff.csv / 教职工名单中无此人",
            ));
            continue;
        };
        if on_duty
            .get(&d)
            .is_some_and(|l| l.iter().any(|(x, _)| *x == s))
        {
            v.push(viol(
                Rule::Coverage,
                r.line,
                &r.duty_id,
                sid,
                "same person twice on one duty / 同一人重复安排",
            ));
            continue;
        }
        on_duty.entry(d).or_default().push((s, r.line));
        by_staff.entry(s).or_default().push((d, r.line));
        for (rule, why) in person_rules(policy, school, s, &demand.duties[d]) {
            v.push(viol(rule, r.line, &r.duty_id, sid, &why));
        }
    }
    // Coverage: each duty has its staff, or the missing seats are reported.
    for (d, duty) in demand.duties.iter().enumerate() {
        let n = on_duty.get(&d).map_or(0, |l| l.len()) as u32;
        let unc = reported_uncovered.get(&d).copied().unwrap_or(0);
        if n + unc < duty.staff_needed {
            v.push(viol(
                Rule::Coverage,
                0,
                &duty.id,
                "",
                &format!(
                    "needs {} staff, has {n}, {unc} reported uncovered / 缺人且未标注",
                    duty.staff_needed
                ),
            ));
        }
        if n > duty.staff_needed {
            v.push(viol(
                Rule::Coverage,
                0,
                &duty.id,
                "",
                &format!("needs {} staff, has {n} / 超员", duty.staff_needed),
            ));
        }
        if let Some(i) = duty.instructor {
            let has = on_duty
                .get(&d)
                .is_some_and(|l| l.iter().any(|(x, _)| *x == i));
            if !has && person_rules(policy, school, i, duty).is_empty() {
                v.push(viol(Rule::Instructor, 0, &duty.id, &school.staff[i].id, "the club's named instructor is available but not assigned / 指定教师可上岗却未安排"));
            }
        }
    }
    // Overlap and limits, per person.
    let r = &policy.rules;
    for (&s, list) in &by_staff {
        let sid = &school.staff[s].id;
        let mut l = list.clone();
        l.sort_by_key(|&(d, _)| (demand.duties[d].date, demand.duties[d].start, d));
        for i in 0..l.len() {
            for j in i + 1..l.len() {
                let (a, b) = (&demand.duties[l[i].0], &demand.duties[l[j].0]);
                if a.date == b.date && a.start < b.end && b.start < a.end {
                    v.push(viol(
                        Rule::NoOverlap,
                        l[j].1,
                        &b.id,
                        sid,
                        &format!(
                            "{}-{} overlaps {} {}-{} / 时间重叠",
                            b.start, b.end, a.id, a.start, a.end
                        ),
                    ));
                }
            }
        }
        let mut per_day: BTreeMap<chrono::NaiveDate, (u32, u32)> = BTreeMap::new();
        let (mut wn, mut wm) = (0u32, 0u32);
        for &(d, _) in &l {
            let duty = &demand.duties[d];
            let e = per_day.entry(duty.date).or_default();
            e.0 += 1;
            e.1 += u32::from(duty.end.0 - duty.start.0);
            wn += 1;
            wm += u32::from(duty.end.0 - duty.start.0);
        }
        for (date, (n, m)) in per_day {
            if n > r.max_duties_per_day || m > r.max_minutes_per_day {
                v.push(viol(
                    Rule::DailyLimit,
                    0,
                    &date.to_string(),
                    sid,
                    &format!(
                        "{n} duties, {m} min on one day; limits {} and {} / 超过每日上限",
                        r.max_duties_per_day, r.max_minutes_per_day
                    ),
                ));
            }
        }
        if wn > r.max_duties_per_week || wm > r.max_minutes_per_week {
            v.push(viol(
                Rule::WeeklyLimit,
                0,
                "",
                sid,
                &format!(
                    "{wn} duties, {wm} min this week; limits {} and {} / 超过每周上限",
                    r.max_duties_per_week, r.max_minutes_per_week
                ),
            ));
        }
    }
    v.sort();
    v
}

fn viol(rule: Rule, line: usize, duty: &str, staff: &str, detail: &str) -> Violation {
    Violation {
        rule,
        line,
        duty: duty.to_string(),
        staff: staff.to_string(),
        detail: detail.to_string(),
    }
}

/// Rules about one person on one duty, each checked from the data directly.
fn person_rules(policy: &Policy, school: &School, s: usize, d: &Duty) -> Vec<(Rule, String)> {
    let st = &school.staff[s];
    let mut out = Vec::new();
    let is_instructor = d.instructor == Some(s);
    if !st.active {
        out.push((
            Rule::Role,
            "not taking part in the service / 未参加课后服务".to_string(),
        ));
    } else if !is_instructor {
        if !d.roles.contains(&st.role) || st.role == Role::Outside {
            out.push((
                Rule::Role,
                format!("role {} may not take this duty / 岗位不符", st.role.code()),
            ));
        }
        if let Some(q) = &d.qualification {
            if !st.qualifications.iter().any(|x| x == q) {
                out.push((
                    Rule::Qualification,
                    format!("needs qualification {q} / 需要资质 {q}"),
                ));
            }
        }
    }
    for l in &school.leave {
        if l.staff == s
            && l.kind == LeaveKind::Leave
            && l.from <= d.date
            && d.date <= l.to
            && (l.sessions.is_empty() || l.sessions.contains(&d.session))
        {
            out.push((
                Rule::Leave,
                format!("on leave {}..{} {} / 请假", l.from, l.to, l.reason),
            ));
        }
    }
    for b in &policy.staff_blackouts {
        let who = b.subjects.contains(&st.subject) || b.roles.contains(&st.role);
        let when = (b.weekdays.is_empty() || b.weekdays.contains(&d.follows))
            && b.sessions.contains(&d.session);
        if who && when {
            out.push((Rule::Blackout, b.reason.clone()));
        }
    }
    if let Some(ex) = st
        .exemption
        .as_ref()
        .and_then(|e| policy.exemptions.iter().find(|x| x.id == *e))
    {
        if let Some(t) = ex.no_end_after {
            if d.end > t {
                out.push((
                    Rule::Exemption,
                    format!("{}: ends {} after {t}", ex.label, d.end),
                ));
            }
        }
        if ex.no_until_pickup && d.until_pickup {
            out.push((Rule::Exemption, format!("{}: waits until pickup", ex.label)));
        }
        if ex.no_sessions.contains(&d.session) {
            out.push((
                Rule::Exemption,
                format!("{}: no {} duty", ex.label, d.session),
            ));
        }
    }
    out
}
