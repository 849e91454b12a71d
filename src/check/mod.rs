//! The independent checker: re-verifies a roster (from the solver, or edited
//! by hand in Excel) against the policy and the data. It shares no code with
//! the solver's model or eligibility; it reads only the demand and the rows.
//! Each rule's check lives in its file under `crate::rules`, beside (but
//! apart from) the planner's predicate; this module reads the rows and runs
//! every check.

use std::collections::BTreeMap;

use crate::demand::{Duty, WeekDemand};
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::roster::Row;
use crate::rules::edited::Holder;
use crate::rules::{self, Breach, Rule};

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

/// The violations as one refusal: `zh` / `en` say what was not done, then
/// one violation per line.
pub fn refusal(violations: &[Violation], zh: &str, en: &str) -> crate::error::Error {
    let list = |l: Lang| {
        violations
            .iter()
            .map(|v| v.render(l))
            .collect::<Vec<_>>()
            .join("\n")
    };
    crate::error::Error::Refused(vec![crate::error::Said::new(
        format!("{zh}:\n{}", list(Lang::Zh)),
        format!("{en}:\n{}", list(Lang::En)),
    )])
}

/// Check rows against the week's demand. Returns every violation, sorted.
pub fn check(
    policy: &Policy,
    school: &School,
    demand: &WeekDemand,
    rows: &[Row],
) -> Vec<Violation> {
    let mut v = Vec::new();
    let roster = read_rows(policy, school, demand, rows, &mut v);
    check_duties(policy, school, demand, &roster, &mut v);
    check_people(policy, school, demand, &roster, &mut v);
    v.sort();
    v
}

/// The roster rows resolved to duty and staff indexes.
#[derive(Default)]
struct Roster {
    /// duty -> (staff, line)
    on_duty: BTreeMap<usize, Vec<(usize, usize)>>,
    /// duty -> rows without staff
    reported_uncovered: BTreeMap<usize, u32>,
    /// staff -> (duty, line)
    by_staff: BTreeMap<usize, Vec<(usize, usize)>>,
}

/// Ids to indexes, for reading the rows.
struct Index<'a> {
    duty: BTreeMap<&'a str, usize>,
    staff: BTreeMap<&'a str, usize>,
}

impl<'a> Index<'a> {
    fn new(school: &'a School, demand: &'a WeekDemand) -> Index<'a> {
        let duty = demand
            .duties
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect();
        let staff = school
            .staff
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        Index { duty, staff }
    }
}

/// Reads every row: unknown ids, repeated rows and edited cells are
/// violations; each assignment is checked against the rules about one
/// person and one duty.
fn read_rows(
    policy: &Policy,
    school: &School,
    demand: &WeekDemand,
    rows: &[Row],
    v: &mut Vec<Violation>,
) -> Roster {
    let ix = Index::new(school, demand);
    let mut roster = Roster::default();
    for r in rows {
        check_cells(policy, school, demand, &ix, r, v);
        let Some((d, s)) = resolve(&ix, &mut roster, r, v) else {
            continue;
        };
        roster.on_duty.entry(d).or_default().push((s, r.line));
        roster.by_staff.entry(s).or_default().push((d, r.line));
        let sid = &school.staff[s].id;
        for (rule, why) in person_rules(policy, school, s, &demand.duties[d]) {
            v.push(viol(rule, r.line, &r.duty_id, sid, &why));
        }
    }
    roster
}

/// A row's cells read back from a file against its duty and person
/// (`edited`); a row naming no known duty is `unknown`'s alone.
fn check_cells(
    policy: &Policy,
    school: &School,
    demand: &WeekDemand,
    ix: &Index,
    r: &Row,
    v: &mut Vec<Violation>,
) {
    if r.cells.is_empty() {
        return;
    }
    let Some(&d) = ix.duty.get(r.duty_id.as_str()) else {
        return;
    };
    let holder = match r.staff_id.as_deref() {
        None => Holder::Open,
        Some(sid) => ix
            .staff
            .get(sid)
            .map_or(Holder::Unknown, |&s| Holder::Staff(s)),
    };
    let sid = r.staff_id.as_deref().unwrap_or("");
    for why in rules::edited::check(policy, school, &demand.duties[d], holder, &r.cells) {
        v.push(viol(Rule::Edited, r.line, &r.duty_id, sid, &why));
    }
}

/// The (duty, staff) of a row that assigns someone new to a known duty;
/// counts rows without staff as reported uncovered.
fn resolve(
    ix: &Index,
    roster: &mut Roster,
    r: &Row,
    v: &mut Vec<Violation>,
) -> Option<(usize, usize)> {
    let Some(&d) = ix.duty.get(r.duty_id.as_str()) else {
        let sid = r.staff_id.as_deref().unwrap_or("");
        v.push(viol(
            Rule::Unknown,
            r.line,
            &r.duty_id,
            sid,
            rules::unknown::NO_DUTY,
        ));
        return None;
    };
    let Some(sid) = &r.staff_id else {
        *roster.reported_uncovered.entry(d).or_insert(0) += 1;
        return None;
    };
    let Some(&s) = ix.staff.get(sid.as_str()) else {
        v.push(viol(
            Rule::Unknown,
            r.line,
            &r.duty_id,
            sid,
            rules::unknown::NO_PERSON,
        ));
        return None;
    };
    let twice = roster
        .on_duty
        .get(&d)
        .is_some_and(|l| l.iter().any(|(x, _)| *x == s));
    if twice {
        v.push(viol(
            Rule::Coverage,
            r.line,
            &r.duty_id,
            sid,
            rules::coverage::TWICE,
        ));
        return None;
    }
    Some((d, s))
}

/// Per duty: coverage, and the named instructor.
fn check_duties(
    policy: &Policy,
    school: &School,
    demand: &WeekDemand,
    roster: &Roster,
    v: &mut Vec<Violation>,
) {
    for (d, duty) in demand.duties.iter().enumerate() {
        let on = roster.on_duty.get(&d).map_or(&[][..], |l| l.as_slice());
        let unc = roster.reported_uncovered.get(&d).copied().unwrap_or(0);
        for why in rules::coverage::check(duty, on.len() as u32, unc) {
            v.push(viol(Rule::Coverage, 0, &duty.id, "", &why));
        }
        let free = |i| person_rules(policy, school, i, duty).is_empty();
        if let Some(i) = rules::instructor::check(duty, on, free) {
            let sid = &school.staff[i].id;
            v.push(viol(
                Rule::Instructor,
                0,
                &duty.id,
                sid,
                rules::instructor::NOT_ASSIGNED,
            ));
        }
    }
}

/// Per person: overlaps and limits.
fn check_people(
    policy: &Policy,
    school: &School,
    demand: &WeekDemand,
    roster: &Roster,
    v: &mut Vec<Violation>,
) {
    for (&s, mine) in &roster.by_staff {
        let sid = &school.staff[s].id;
        let push = |v: &mut Vec<Violation>, rule, b: Breach| {
            v.push(viol(rule, b.line, &b.at, sid, &b.detail));
        };
        for b in rules::no_overlap::check(&demand.duties, mine) {
            push(v, Rule::NoOverlap, b);
        }
        for (rule, b) in rules::limits::check(&policy.rules, &demand.duties, mine) {
            push(v, rule, b);
        }
    }
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

/// A rule about one person on one duty: its reasons, from the data directly.
type PersonCheck = fn(&Policy, &School, usize, &Duty) -> Vec<String>;

/// The checks of the rules about one person on one duty.
const PERSON_CHECKS: [(Rule, PersonCheck); 5] = [
    (Rule::Role, rules::role::check),
    (Rule::Qualification, rules::qualification::check),
    (Rule::Leave, rules::leave::check),
    (Rule::Blackout, rules::blackout::check),
    (Rule::Exemption, rules::exemption::check),
];

/// Rules about one person on one duty, each checked from the data directly.
fn person_rules(policy: &Policy, school: &School, s: usize, d: &Duty) -> Vec<(Rule, String)> {
    PERSON_CHECKS
        .iter()
        .flat_map(|&(rule, check)| {
            check(policy, school, s, d)
                .into_iter()
                .map(move |why| (rule, why))
        })
        .collect()
}
