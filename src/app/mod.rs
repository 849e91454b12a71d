//! The command line: a thin layer over the library. `args` holds the
//! arguments, `context` what every command shares, `commands` one driver
//! per command.

mod args;
mod commands;
mod context;
mod help;

pub use args::{Cli, Cmd, RecordCmd};
pub use context::{add_readable, load, roster_rows, write_readable};
pub use help::{command, parse, parse_from, shown_error};

use crate::error::Result;
use context::Ctx;

/// Runs one command; the exit code (0 success, 1 violations found or a
/// scenario failed) or an error rendered by `main`.
pub fn run(cli: Cli) -> Result<i32> {
    let cx = Ctx::new(&cli);
    match &cli.cmd {
        Cmd::Gen {
            profile,
            classes,
            staff,
            seed,
            out,
        } => commands::gen::run(&cx, profile, *classes, *staff, *seed, out),
        Cmd::Validate => commands::validate::run(&cx),
        Cmd::Demand { week, csv } => commands::demand::run(&cx, *week, csv.as_deref()),
        Cmd::Plan {
            week,
            out,
            quiet,
            pins,
        } => commands::plan::run(&cx, *week, out, *quiet, pins.as_deref()),
        Cmd::Publish {
            week,
            roster,
            replace,
        } => commands::publish::run(&cx, *week, roster.as_deref(), *replace),
        Cmd::Record { what } => commands::record::run(&cx, what),
        Cmd::Cancel { .. } => commands::cancel::run(&cx, &cli.cmd),
        Cmd::Workload { .. } => commands::workload::run(&cx, &cli.cmd),
        Cmd::Simulate { .. } => commands::simulate::run(&cx, &cli.cmd),
        Cmd::Export {
            week,
            roster,
            version,
            out,
        } => commands::export::run(&cx, *week, roster.as_deref(), *version, out),
        Cmd::Log { week, events_csv } => commands::log::run(&cx, *week, events_csv.as_deref()),
        Cmd::Repair { .. } => commands::repair::run(&cx, &cli.cmd),
        Cmd::Whatif {
            file,
            csv,
            rosters,
            threads,
            no_balance,
        } => commands::whatif::run(
            &cx,
            file,
            csv.as_deref(),
            rosters.as_deref(),
            (threads.map(|t| t as usize), !*no_balance),
        ),
        Cmd::Explain {
            week,
            staff,
            plan,
            json,
        } => commands::explain::run(&cx, *week, staff, *plan, *json),
        Cmd::Check { week, roster } => commands::check::run(&cx, *week, roster),
        Cmd::Template { table, out } => commands::template::run(&cx, table, out),
        Cmd::Serve {
            workspace,
            addr,
            trusted_proxy,
            public_url,
        } => {
            let settings = crate::web::Settings {
                trusted_proxies: trusted_proxy.clone(),
                public_url: public_url.clone(),
            };
            commands::serve::run(&cx, workspace.as_deref(), *addr, settings)
        }
    }
}
