//! The command line's arguments (clap): their shapes. Their texts, in
//! both languages, are in `help.rs`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::input::limits::{date_in_range, text_problem, MAX_CELL_CHARS};
use crate::lang::Lang;

#[derive(Parser, Debug)]
#[command(name = "kehou", version)]
pub struct Cli {
    #[arg(long, global = true, default_value = "policies/demo.toml")]
    pub policy: PathBuf,
    #[arg(long, global = true, default_value = "datasets/demo")]
    pub data: PathBuf,
    #[arg(long, global = true, default_value = "kehou.db")]
    pub record: PathBuf,
    #[arg(long, global = true, default_value = "history")]
    pub history: PathBuf,
    #[arg(long, global = true, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    Validate,
    Demand {
        #[arg(long, value_parser = date)]
        week: NaiveDate,
        #[arg(long)]
        csv: Option<PathBuf>,
    },
    Plan {
        #[arg(long, value_parser = date)]
        week: NaiveDate,
        #[arg(long, default_value = "out")]
        out: PathBuf,
        #[arg(long)]
        quiet: bool,
        #[arg(long)]
        pins: Option<PathBuf>,
    },
    Explain {
        #[arg(long, value_parser = date)]
        week: NaiveDate,
        #[arg(long, value_parser = text)]
        staff: String,
        #[arg(long)]
        plan: bool,
        #[arg(long)]
        json: bool,
    },
    Repair {
        #[arg(long, value_parser = date)]
        week: NaiveDate,
        #[arg(long, value_parser = text)]
        absent: String,
        #[arg(long, value_parser = date)]
        from: NaiveDate,
        #[arg(long, value_parser = date)]
        to: NaiveDate,
        #[arg(long, value_delimiter = ',')]
        sessions: Vec<String>,
        #[arg(long, value_parser = moment)]
        now: Option<chrono::NaiveDateTime>,
        #[arg(long)]
        pins: Option<PathBuf>,
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    Check {
        #[arg(long, value_parser = date)]
        week: NaiveDate,
        #[arg(long)]
        roster: PathBuf,
    },
    Publish {
        #[arg(long, value_parser = date)]
        week: NaiveDate,
        #[arg(long)]
        roster: Option<PathBuf>,
        #[arg(long, value_name = "VERSION")]
        replace: Option<u32>,
    },
    Log {
        #[arg(long, value_parser = date)]
        week: Option<NaiveDate>,
        #[arg(long)]
        events_csv: Option<PathBuf>,
    },
    Template {
        table: String,
        #[arg(long)]
        out: PathBuf,
    },
    Serve {
        #[arg(long)]
        workspace: Option<PathBuf>,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        // The school's reverse proxy (its address as the app sees it):
        // only from it is `X-Forwarded-For`'s last address the client's.
        #[arg(long = "trusted-proxy", value_name = "IP")]
        trusted_proxy: Vec<std::net::IpAddr>,
        // The address people open (https://…), for the links the app gives.
        #[arg(long = "public-url", value_name = "URL", value_parser = public_url)]
        public_url: Option<String>,
    },
    Record {
        #[command(subcommand)]
        what: RecordCmd,
    },
    /// An emergency change (issue 20): a day or session cancelled, or a
    /// session ended early (`--end`), for a reason.
    Cancel {
        #[arg(long, value_parser = date)]
        date: NaiveDate,
        #[arg(long, value_parser = text)]
        session: Option<String>,
        #[arg(long, requires = "session", value_parser = text)]
        end: Option<String>,
        #[arg(long, value_parser = text)]
        reason: String,
        #[arg(long, default_value = "", value_parser = text)]
        note: String,
        #[arg(long, default_value = "", value_parser = text)]
        pickup: String,
    },
    /// One period: a month, a term, or from and to.
    #[command(group(clap::ArgGroup::new("period").required(true).args(["month", "term", "from"])))]
    Workload {
        #[arg(long, value_parser = month)]
        month: Option<NaiveDate>,
        #[arg(long, value_parser = text)]
        term: Option<String>,
        #[arg(long, value_parser = date, requires = "to")]
        from: Option<NaiveDate>,
        #[arg(long, value_parser = date, requires = "from")]
        to: Option<NaiveDate>,
        #[arg(long)]
        csv: Option<PathBuf>,
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
    Simulate {
        #[arg(long, value_parser = date)]
        from: NaiveDate,
        #[arg(long, default_value_t = 18)]
        weeks: u32,
        #[arg(long, default_value_t = 0.03)]
        absence: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        no_substitutes: bool,
        #[arg(long)]
        no_swaps: bool,
        #[arg(long)]
        no_preferences: bool,
        #[arg(long)]
        keep: Option<PathBuf>,
        #[arg(long, default_value_t = 1)]
        runs: u32,
    },
    Export {
        #[arg(long, value_parser = date)]
        week: NaiveDate,
        #[arg(long)]
        roster: Option<PathBuf>,
        #[arg(long, conflicts_with = "roster")]
        version: Option<u32>,
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    Whatif {
        file: PathBuf,
        #[arg(long)]
        csv: Option<PathBuf>,
        #[arg(long)]
        rosters: Option<PathBuf>,
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=256))]
        threads: Option<u64>,
        /// Stop each plan after tier 3 (no balance tier): faster, the same
        /// coverage, highest load and band.
        #[arg(long)]
        no_balance: bool,
    },
    Gen {
        #[arg(long, default_value = "custom")]
        profile: String,
        #[arg(long, default_value_t = 24)]
        classes: u32,
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
    Absent {
        #[arg(long, value_parser = text)]
        duty: String,
        #[arg(long, value_parser = text)]
        staff: String,
        #[arg(long, value_parser = text)]
        substitute: Option<String>,
        #[arg(long, default_value = "", value_parser = text)]
        note: String,
        #[arg(long, value_name = "VERSION")]
        based_on: Option<u32>,
    },
    Swap {
        #[arg(long, value_parser = text)]
        duty: String,
        #[arg(long, value_parser = text)]
        staff: String,
        #[arg(long, value_parser = text)]
        with: String,
        #[arg(long, default_value = "", value_parser = text)]
        note: String,
        #[arg(long, value_name = "VERSION")]
        based_on: Option<u32>,
    },
    Cancel {
        #[arg(long, value_parser = date)]
        date: NaiveDate,
        #[arg(long, value_parser = text)]
        session: Option<String>,
        #[arg(long, default_value = "", value_parser = text)]
        note: String,
        #[arg(long, value_name = "VERSION")]
        based_on: Option<u32>,
    },
}

/// A date option, within the range every input date keeps to (beyond it
/// date arithmetic would overflow).
fn date(s: &str) -> Result<NaiveDate, String> {
    // As in the school's files: 2026-12-07, 2026/12/7, 2026年12月7日, full-width digits.
    let d = crate::input::cells::parse_date(s);
    match d {
        Some(d) if date_in_range(d) => Ok(d),
        _ => Err(cli_lang()
            .t(
                "应为 2000-01-01 至 2100-12-31 之间的日期, 如 2026-12-07",
                "expected a date from 2000-01-01 to 2100-12-31, such as 2026-12-07",
            )
            .to_string()),
    }
}

/// A month option (`--month 2026-12`, `2026/12`, `2026年12月`): its first day.
fn month(s: &str) -> Result<NaiveDate, String> {
    match crate::ledger::period::parse_month(s) {
        Some(d) => Ok(d),
        None => Err(cli_lang()
            .t(
                "应为年-月, 如 2026-12",
                "expected year-month, such as 2026-12",
            )
            .to_string()),
    }
}

/// A moment option (`--now`), its date within the same range.
fn moment(s: &str) -> Result<chrono::NaiveDateTime, String> {
    let t: Option<chrono::NaiveDateTime> = s.parse().ok();
    match t {
        Some(t) if date_in_range(t.date()) => Ok(t),
        _ => Err(cli_lang()
            .t(
                "应为时刻, 如 2026-12-08T18:00:00 (日期在 2000-01-01 至 2100-12-31 之间)",
                "expected a moment such as 2026-12-08T18:00:00 (a date from 2000-01-01 to 2100-12-31)",
            )
            .to_string()),
    }
}

/// A text option (ids, notes): it goes into the record and its CSV export,
/// and so keeps to the rules of a CSV cell.
fn public_url(s: &str) -> Result<String, String> {
    crate::web::Settings::public_url(s).map_err(|e| e.render(cli_lang()).to_string())
}

fn text(s: &str) -> Result<String, String> {
    let Some((found, expected)) = text_problem(s, MAX_CELL_CHARS) else {
        return Ok(s.to_string());
    };
    let lang = cli_lang();
    Err(match lang {
        Lang::En => format!("{}; expected {}", found.en, expected.en),
        Lang::Zh => format!("{}; 应为{}", found.zh, expected.zh),
    })
}

thread_local! {
    static CLI_LANG: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::Zh) };
}

pub(crate) fn set_cli_lang(lang: Lang) {
    CLI_LANG.with(|l| l.set(lang));
}

fn cli_lang() -> Lang {
    CLI_LANG.with(|l| l.get())
}
