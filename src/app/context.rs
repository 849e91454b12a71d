//! What every command shares: the paths and language it runs with, loading
//! the policy and the school, refusing a roster that breaks a rule, and
//! writing the readable outputs.

use std::path::{Path, PathBuf};

use super::args::Cli;
use crate::check::Violation;
use crate::demand::WeekDemand;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::ledger::History;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::outputs::files::write_atomic;
use crate::{calendar, demand, input, outputs, plan, roster};
use chrono::{Days, NaiveDate};

/// The global options every command runs with.
pub(crate) struct Ctx {
    pub policy: PathBuf,
    pub data: PathBuf,
    pub history: PathBuf,
    pub lang: Lang,
}

impl Ctx {
    pub fn new(cli: &Cli) -> Ctx {
        Ctx {
            policy: cli.policy.clone(),
            data: cli.data.clone(),
            history: cli.history.clone(),
            lang: cli.lang,
        }
    }

    /// The policy and the school, validated.
    pub fn load(&self) -> Result<(Policy, School)> {
        load(&self.policy, &self.data)
    }

    pub fn history(&self) -> History {
        History::new(&self.history)
    }

    pub fn t(&self, zh: &'static str, en: &'static str) -> &'static str {
        self.lang.t(zh, en)
    }

    /// Writes a file atomically and says so.
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        write_atomic(path, bytes)?;
        println!("{} {}", self.t("已写入", "wrote"), path.display());
        Ok(())
    }
}

/// Prints every violation to stderr (each line after `indent`) and stops
/// with `err` when there is any; nothing is written after a refusal.
pub(crate) fn refuse(
    violations: &[Violation],
    indent: &str,
    lang: Lang,
    err: impl FnOnce() -> Error,
) -> Result<()> {
    if violations.is_empty() {
        return Ok(());
    }
    for v in violations {
        eprintln!("{indent}{}", v.render(lang));
    }
    Err(err())
}

/// An error naming the first id that is not in staff.csv.
pub(crate) fn known_staff<'i>(
    school: &School,
    ids: impl IntoIterator<Item = &'i String>,
    lang: Lang,
) -> Result<()> {
    match ids.into_iter().find(|id| school.staff_index(id).is_none()) {
        Some(id) => Err(Error::Usage(format!(
            "{} {id}",
            lang.t("教职工名单中无此人:", "no such staff member:")
        ))),
        None => Ok(()),
    }
}

/// HTML page, handover sheet and calendars for a week's roster.
pub fn write_readable(
    policy: &Policy,
    school: &School,
    plan: &plan::Plan,
    out: &Path,
    lang: Lang,
) -> Result<()> {
    let m = plan.demand.monday;
    write_atomic(
        &out.join(format!("roster-{m}.html")),
        outputs::html::week_html(policy, school, plan, lang).as_bytes(),
    )?;
    write_atomic(
        &out.join(format!("handover-{m}.csv")),
        &outputs::html::handover_csv(policy, school, plan, lang),
    )?;
    for (id, ics) in outputs::html::ics_per_person(policy, school, plan, lang) {
        write_atomic(
            &out.join(format!("ics-{m}")).join(format!("{id}.ics")),
            ics.as_bytes(),
        )?;
    }
    Ok(())
}

/// The demand of the week containing `date`, refused when a term date in
/// it has no national calendar (it would be a school day without a word).
pub(crate) fn week(policy: &Policy, school: &School, date: NaiveDate) -> Result<WeekDemand> {
    let monday = calendar::monday_of(date);
    calendar::require_national(policy, monday, monday + Days::new(6))?;
    Ok(demand::week(policy, school, date))
}

/// The policy and the school data, validated.
pub fn load(policy_path: &Path, data_dir: &Path) -> Result<(Policy, School)> {
    let policy = input::policy::load(policy_path)?;
    let school = input::school::load(data_dir, &policy)?;
    Ok((policy, school))
}

/// The plan as roster rows (what the CSV holds), for the checker.
pub fn roster_rows(school: &School, plan: &plan::Plan) -> Vec<roster::Row> {
    let mut rows: Vec<roster::Row> = plan
        .assignments
        .iter()
        .map(|a| {
            let duty_id = plan.demand.duties[a.duty].id.clone();
            roster::Row::new(0, duty_id, Some(school.staff[a.staff].id.clone()))
        })
        .collect();
    for &(d, n) in &plan.uncovered {
        for _ in 0..n {
            rows.push(roster::Row::new(0, plan.demand.duties[d].id.clone(), None));
        }
    }
    rows
}
