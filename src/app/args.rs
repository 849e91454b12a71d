//! The command line's arguments (clap).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::input::limits::{date_in_range, text_problem, DATE_RANGE, MAX_CELL_CHARS};
use crate::lang::Lang;

#[derive(Parser, Debug)]
#[command(
    name = "kehou",
    version,
    about = "课后服务排班与工作量台账 / after-school duty roster and workload ledger"
)]
pub struct Cli {
    /// Policy file (TOML).
    #[arg(long, global = true, default_value = "policies/demo.toml")]
    pub policy: PathBuf,
    /// School data directory (CSV files).
    #[arg(long, global = true, default_value = "datasets/demo")]
    pub data: PathBuf,
    /// The school's record (SQLite): published weeks, events, audit trail.
    #[arg(long, global = true, default_value = "kehou.db")]
    pub record: PathBuf,
    /// An earlier kehou's history folder, imported into the record once.
    #[arg(long, global = true, default_value = "history")]
    pub history: PathBuf,
    /// Output language.
    #[arg(long, global = true, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Check the policy and the data; report every problem.
    Validate,
    /// The week's duties to be covered.
    Demand {
        /// Any date in the week (Mon..Sun).
        #[arg(long, value_parser = date)]
        week: NaiveDate,
        /// Write CSV here instead of printing a table.
        #[arg(long)]
        csv: Option<PathBuf>,
    },
    /// Plan the week's roster (optimal, with proof).
    Plan {
        #[arg(long, value_parser = date)]
        week: NaiveDate,
        /// Output directory for roster and summary CSV.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Do not print the roster table.
        #[arg(long)]
        quiet: bool,
        /// Pins (locks): CSV with duty_id and staff_id, kept by the plan.
        #[arg(long)]
        pins: Option<PathBuf>,
    },
    /// Repair the published week for an absence: minimal change, past duties untouched.
    Repair {
        #[arg(long, value_parser = date)]
        week: NaiveDate,
        /// Staff id of the absent person.
        #[arg(long, value_parser = text)]
        absent: String,
        #[arg(long, value_parser = date)]
        from: NaiveDate,
        #[arg(long, value_parser = date)]
        to: NaiveDate,
        /// Only these sessions (comma separated); default whole days.
        #[arg(long, value_delimiter = ',')]
        sessions: Vec<String>,
        /// Duties starting before this moment never change (default: now), e.g. 2026-12-08T18:00:00.
        #[arg(long, value_parser = moment)]
        now: Option<chrono::NaiveDateTime>,
        /// Pins (locks): CSV with duty_id and staff_id.
        #[arg(long)]
        pins: Option<PathBuf>,
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// Re-verify a roster file against the policy and data.
    Check {
        #[arg(long, value_parser = date)]
        week: NaiveDate,
        #[arg(long)]
        roster: PathBuf,
    },
    /// Publish a planned week as the school's official roster (versioned).
    Publish {
        #[arg(long, value_parser = date)]
        week: NaiveDate,
        /// Roster CSV to publish (default: out/roster-<monday>.csv).
        #[arg(long)]
        roster: Option<PathBuf>,
        /// Publish a new version of an already published week, replacing
        /// this one (the week's latest; it is kept): refused if another
        /// version was published since.
        #[arg(long, value_name = "VERSION")]
        replace: Option<u32>,
    },
    /// What the record holds: published versions (who, when) and events;
    /// export the events as CSV.
    Log {
        /// Only this week (any date in it).
        #[arg(long, value_parser = date)]
        week: Option<NaiveDate>,
        /// Write every event, with who recorded it and when, as CSV.
        #[arg(long)]
        events_csv: Option<PathBuf>,
    },
    /// Start the school's web app: the demo school (created in ./kehou-demo
    /// on first start) or the workspace named.
    Serve {
        /// The school's folder: policy.toml, data/ (CSV files), kehou.db.
        #[arg(long)]
        workspace: Option<PathBuf>,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
    },
    /// Record what was served: an absence (with or without substitute) or a cancellation.
    Record {
        #[command(subcommand)]
        what: RecordCmd,
    },
    /// Workload and pay per person for a date range, from the served rosters.
    Workload {
        #[arg(long, value_parser = date)]
        from: NaiveDate,
        #[arg(long, value_parser = date)]
        to: NaiveDate,
        #[arg(long)]
        csv: Option<PathBuf>,
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
    /// Simulate a term: each week planned, published and served with random absences.
    Simulate {
        /// First Monday.
        #[arg(long, value_parser = date)]
        from: NaiveDate,
        #[arg(long, default_value_t = 18)]
        weeks: u32,
        /// Probability that a person misses an assigned duty.
        #[arg(long, default_value_t = 0.03)]
        absence: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Leave absences unfilled (default: a substitute takes the duty).
        #[arg(long)]
        no_substitutes: bool,
        /// Do not return substitutions the same week (default: the absent
        /// person takes one of the substitute's later duties when one fits).
        #[arg(long)]
        no_swaps: bool,
        /// Plan each week without tier 5 (preferences): the same balance,
        /// somewhat faster.
        #[arg(long)]
        no_preferences: bool,
        /// Keep the simulated record (published weeks, events) in this new
        /// file, to look at with `--record FILE workload` and `export`.
        #[arg(long)]
        keep: Option<PathBuf>,
        /// Simulate this many terms, seeds --seed, --seed + 1, …, in
        /// parallel, and report how many met the target.
        #[arg(long, default_value_t = 1)]
        runs: u32,
    },
    /// Readable outputs for a roster file (default: the latest published version):
    /// HTML page, handover sheet, iCalendar per person.
    Export {
        #[arg(long, value_parser = date)]
        week: NaiveDate,
        #[arg(long)]
        roster: Option<PathBuf>,
        /// A published version (default: the latest); its roster CSV is
        /// written too.
        #[arg(long, conflicts_with = "roster")]
        version: Option<u32>,
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// What-if study: run every scenario of a scenario file in parallel and compare.
    Whatif {
        /// Scenario file (TOML), e.g. policies/scenarios.toml.
        file: PathBuf,
        /// Write the comparison as CSV.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Write each scenario's rosters into this folder.
        #[arg(long)]
        rosters: Option<PathBuf>,
        /// Worker threads (default: all cores).
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=256))]
        threads: Option<u64>,
    },
    /// Generate a synthetic school's CSV files (and, for the realistic
    /// profile, its policy).
    Gen {
        /// demo, large, custom (use --classes and --staff) or realistic
        /// (use --classes; writes policy.toml too).
        #[arg(long, default_value = "custom")]
        profile: String,
        /// Classes (custom and realistic), 1 to 300.
        #[arg(long, default_value_t = 24)]
        classes: u32,
        /// Staff (custom only; default 68), at most 3000.
        #[arg(long)]
        staff: Option<u32>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum RecordCmd {
    /// A person did not serve a published duty.
    Absent {
        #[arg(long, value_parser = text)]
        duty: String,
        #[arg(long, value_parser = text)]
        staff: String,
        /// Who served instead.
        #[arg(long, value_parser = text)]
        substitute: Option<String>,
        #[arg(long, default_value = "", value_parser = text)]
        note: String,
        /// The published version this is based on: refused if the week
        /// has a newer one.
        #[arg(long, value_name = "VERSION")]
        based_on: Option<u32>,
    },
    /// A person handed a published duty to a colleague, who served it
    /// (换班, e.g. returning a substitution earlier that week).
    Swap {
        #[arg(long, value_parser = text)]
        duty: String,
        #[arg(long, value_parser = text)]
        staff: String,
        /// Who served the duty instead.
        #[arg(long, value_parser = text)]
        with: String,
        #[arg(long, default_value = "", value_parser = text)]
        note: String,
        /// The published version this is based on: refused if the week
        /// has a newer one.
        #[arg(long, value_name = "VERSION")]
        based_on: Option<u32>,
    },
    /// Duties cancelled (holiday added late, bad weather): not served, not paid.
    Cancel {
        #[arg(long, value_parser = date)]
        date: NaiveDate,
        /// Only this session (default: the whole day).
        #[arg(long, value_parser = text)]
        session: Option<String>,
        #[arg(long, default_value = "", value_parser = text)]
        note: String,
        /// The published version this is based on: refused if the week
        /// has a newer one.
        #[arg(long, value_name = "VERSION")]
        based_on: Option<u32>,
    },
}

/// A date option, within the range every input date keeps to (beyond it
/// date arithmetic would overflow).
fn date(s: &str) -> Result<NaiveDate, String> {
    let d: NaiveDate = s
        .parse()
        .map_err(|e| format!("{e}; expected {DATE_RANGE}"))?;
    if date_in_range(d) {
        Ok(d)
    } else {
        Err(format!(
            "{d} is out of range / 日期超出范围: expected {DATE_RANGE}"
        ))
    }
}

/// A moment option (`--now`), its date within the same range.
fn moment(s: &str) -> Result<chrono::NaiveDateTime, String> {
    let t: chrono::NaiveDateTime = s
        .parse()
        .map_err(|e| format!("{e}; expected a moment such as 2026-12-08T18:00:00"))?;
    date(&t.date().to_string()).map(|_| t)
}

/// A text option (ids, notes): it goes into the record and its CSV export,
/// and so keeps to the rules of a CSV cell.
fn text(s: &str) -> Result<String, String> {
    match text_problem(s, MAX_CELL_CHARS) {
        Some((found, expected)) => Err(format!("{found}; expected {expected}")),
        None => Ok(s.to_string()),
    }
}
