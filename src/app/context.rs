//! What every command shares: the paths and language it runs with, loading
//! the policy and the school, refusing a roster that breaks a rule, and
//! writing the readable outputs.

use std::path::{Path, PathBuf};

use super::args::Cli;
use crate::check::Violation;
use crate::demand::WeekDemand;
use crate::error::{Diagnostic, Error, Result};
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::outputs::files::{safe_name, write_atomic, OutputSet};
use crate::record::{self, Actor, Record};
use crate::{calendar, demand, input, outputs, plan, roster};
use chrono::{Days, NaiveDate};

/// The global options every command runs with.
pub(crate) struct Ctx {
    pub policy: PathBuf,
    pub data: PathBuf,
    pub record: PathBuf,
    pub history: PathBuf,
    pub lang: Lang,
}

impl Ctx {
    pub fn new(cli: &Cli) -> Ctx {
        Ctx {
            policy: cli.policy.clone(),
            data: cli.data.clone(),
            record: cli.record.clone(),
            history: cli.history.clone(),
            lang: cli.lang,
        }
    }

    /// The policy and the school, validated.
    /// Approved applications in the record count for the classes that
    /// have them (`School::attends`).
    pub fn load(&self) -> Result<(Policy, School)> {
        let p = input::policy::load(&self.policy)?;
        let s = self.school(&p).0?;
        Ok((p, s))
    }

    /// The school with its record's approved applications, and the files'
    /// warnings, found also when the files have errors.
    pub fn school(&self, policy: &Policy) -> (Result<School>, Vec<Diagnostic>) {
        let (s, warnings) = input::school::load_with_warnings(&self.data, policy);
        let s = s.and_then(|mut s| {
            s.attends = record::applications::attends_in(&self.record)?;
            Ok(s)
        });
        (s, warnings)
    }

    /// The school's record. `write`: the file is created if missing (a
    /// command that only reads gets an empty record instead). An earlier
    /// kehou's history folder is imported into it the first time.
    pub fn record(&self, policy: &Policy, school: &School, write: bool) -> Result<Record> {
        let legacy = record::legacy::present(&self.history);
        let mut rec = if write || legacy {
            Record::open(&self.record)?
        } else {
            Record::open_or_empty(&self.record)?
        };
        if legacy {
            let by = Actor::cli("import");
            let done =
                rec.write(|tx| record::legacy::import(tx, &self.history, policy, school, &by))?;
            if let Some(n) = done {
                eprintln!(
                    "{} {} → {}: {} {}, {} {}",
                    self.t("已导入", "imported"),
                    self.history.display(),
                    self.record.display(),
                    n.versions,
                    self.t("个版本", "version(s)"),
                    n.events,
                    self.t("条记录", "event(s)")
                );
            }
        }
        Ok(rec)
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

/// HTML page, handover sheet and calendars for a week's roster, written
/// as one set (see [`add_readable`]).
pub fn write_readable(
    policy: &Policy,
    school: &School,
    plan: &plan::Plan,
    out: &Path,
    lang: Lang,
) -> Result<()> {
    let mut set = OutputSet::new();
    add_readable(&mut set, policy, school, plan, out, lang);
    set.commit()
}

/// Adds to `set` the HTML page, the wall roster (A4 landscape), the
/// handover sheet (HTML and CSV), the shortage (open seats and why, or
/// that every seat is filled) and the calendars of a week's roster. The
/// calendar folder `ics-<monday>/` is replaced as a
/// whole: it holds the calendars of the people on this roster and nothing
/// else, each named after the person's id made safe for a file name.
pub fn add_readable(
    set: &mut OutputSet,
    policy: &Policy,
    school: &School,
    plan: &plan::Plan,
    out: &Path,
    lang: Lang,
) {
    let m = plan.demand.monday;
    set.add(
        out.join(format!("roster-{m}.html")),
        outputs::html::week_html(policy, school, plan, lang),
    );
    set.add(
        out.join(format!("handover-{m}.csv")),
        outputs::html::handover_csv(policy, school, plan, lang),
    );
    set.add(
        out.join(format!("shortage-{m}.txt")),
        outputs::shortage::text(policy, school, plan, lang),
    );
    set.add(
        out.join(format!("wall-{m}.html")),
        outputs::print::week_print(policy, school, plan, lang),
    );
    set.add(
        out.join(format!("handover-{m}.html")),
        outputs::print::handover_html(policy, school, plan, None, lang),
    );
    let ics = out.join(format!("ics-{m}"));
    set.add_dir(&ics);
    for (id, cal) in outputs::html::ics_per_person(policy, school, plan, lang) {
        set.add(ics.join(format!("{}.ics", safe_name(&id))), cal);
    }
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

/// The school's warnings (a totals row left out, two people of one name),
/// each on its own line after `警告:`, apart from errors.
pub(crate) fn print_warnings(warnings: &[Diagnostic], lang: Lang) {
    for w in warnings {
        eprintln!("{}: {}", lang.t("警告", "warning"), w.render(lang));
    }
}

/// The plan as roster rows (what the CSV holds), for the checker.
pub fn roster_rows(school: &School, plan: &plan::Plan) -> Vec<roster::Row> {
    roster::from_plan(school, plan)
}
