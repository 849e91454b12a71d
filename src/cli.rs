//! Command-line interface: parses arguments, runs the library, renders.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::{checker, data, demand, diagnose, export, policy, roster, solver, synth};

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
        #[arg(long)]
        week: NaiveDate,
        /// Write CSV here instead of printing a table.
        #[arg(long)]
        csv: Option<PathBuf>,
    },
    /// Plan the week's roster (optimal, with proof).
    Plan {
        #[arg(long)]
        week: NaiveDate,
        /// Output directory for roster and summary CSV.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Do not print the roster table.
        #[arg(long)]
        quiet: bool,
    },
    /// Re-verify a roster file against the policy and data.
    Check {
        #[arg(long)]
        week: NaiveDate,
        #[arg(long)]
        roster: PathBuf,
    },
    /// Generate a synthetic school's CSV files.
    Gen {
        /// demo, large, or custom (use --classes and --staff).
        #[arg(long, default_value = "custom")]
        profile: String,
        #[arg(long, default_value_t = 24)]
        classes: u32,
        #[arg(long, default_value_t = 68)]
        staff: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(cli: Cli) -> Result<i32> {
    let lang = cli.lang;
    match &cli.cmd {
        Cmd::Gen {
            profile,
            classes,
            staff,
            seed,
            out,
        } => {
            let p = match profile.as_str() {
                "demo" => synth::Profile::demo(),
                "large" => synth::Profile::large(),
                "custom" => synth::Profile::sized(*classes, *staff, *seed),
                o => {
                    return Err(Error::Usage(format!(
                        "unknown profile {o}: demo, large or custom"
                    )))
                }
            };
            synth::write(&synth::generate(&p), out)?;
            println!("{} {}", lang.t("已生成", "generated"), out.display());
            Ok(0)
        }
        Cmd::Validate => {
            let (p, s) = load(&cli.policy, &cli.data)?;
            println!(
                "{}: {} {}, {} {}, {} {}, {} {}",
                lang.t("校验通过", "valid"),
                s.staff.len(),
                lang.t("名教职工", "staff"),
                s.classes.len(),
                lang.t("个班级", "classes"),
                s.clubs.len(),
                lang.t("个社团", "clubs"),
                p.duty_kinds.len(),
                lang.t("类任务", "duty kinds")
            );
            Ok(0)
        }
        Cmd::Demand { week, csv } => {
            let (p, s) = load(&cli.policy, &cli.data)?;
            let dm = demand::week(&p, &s, *week);
            match csv {
                Some(path) => {
                    export::write_atomic(path, &crate::report::demand_csv(&p, &s, &dm, lang))?;
                    println!("{} {}", lang.t("已写入", "wrote"), path.display());
                }
                None => print!("{}", crate::report::demand_table(&p, &s, &dm, lang)),
            }
            Ok(0)
        }
        Cmd::Plan { week, out, quiet } => {
            let t0 = std::time::Instant::now();
            let (p, s) = load(&cli.policy, &cli.data)?;
            let t_load = t0.elapsed().as_secs_f64();
            let dm = demand::week(&p, &s, *week);
            let plan = solver::plan(&p, &s, &dm, &solver::Options::from_policy(&p))?;
            // Independent re-check before anything is written.
            let rows = roster_rows(&s, &plan);
            let violations = checker::check(&p, &s, &dm, &rows);
            let roster_path = out.join(format!("roster-{}.csv", dm.monday));
            let summary_path = out.join(format!("summary-{}.csv", dm.monday));
            if !violations.is_empty() {
                for v in &violations {
                    eprintln!("{}", v.render(lang));
                }
                return Err(Error::Solver(
                    "the roster failed the independent check; nothing written".into(),
                ));
            }
            export::write_atomic(&roster_path, &roster::to_csv(&p, &s, &plan, lang))?;
            export::write_atomic(&summary_path, &roster::summary_csv(&s, &plan, lang))?;
            if !quiet {
                print!("{}", crate::report::roster_table(&p, &s, &plan, lang));
            }
            print!(
                "{}",
                crate::report::plan_report(&p, &s, &plan, lang, t_load)
            );
            for d in diagnose::diagnose(&p, &s, &plan) {
                println!("  ! {}", d.render(&p, lang));
            }
            println!(
                "{} {} , {}",
                lang.t("已写入", "wrote"),
                roster_path.display(),
                summary_path.display()
            );
            Ok(0)
        }
        Cmd::Check { week, roster: path } => {
            let (p, s) = load(&cli.policy, &cli.data)?;
            let dm = demand::week(&p, &s, *week);
            let rows = roster::read(path)?;
            let v = checker::check(&p, &s, &dm, &rows);
            if v.is_empty() {
                println!(
                    "{} ({} {})",
                    lang.t(
                        "检查通过: 所有硬性规则均满足",
                        "check passed: every hard rule holds"
                    ),
                    rows.len(),
                    lang.t("行", "rows")
                );
                Ok(0)
            } else {
                println!("{} {}", v.len(), lang.t("处违反规则:", "violation(s):"));
                for x in &v {
                    println!("  {}", x.render(lang));
                }
                Ok(1)
            }
        }
    }
}

pub fn load(policy_path: &Path, data_dir: &Path) -> Result<(policy::Policy, data::School)> {
    let p = policy::load(policy_path)?;
    let s = data::load(data_dir, &p)?;
    Ok((p, s))
}

/// The plan as roster rows (what the CSV holds), for the checker.
pub fn roster_rows(s: &data::School, plan: &solver::Plan) -> Vec<roster::Row> {
    let mut rows: Vec<roster::Row> = plan
        .assignments
        .iter()
        .map(|a| roster::Row {
            line: 0,
            duty_id: plan.demand.duties[a.duty].id.clone(),
            staff_id: Some(s.staff[a.staff].id.clone()),
        })
        .collect();
    for &(d, n) in &plan.uncovered {
        for _ in 0..n {
            rows.push(roster::Row {
                line: 0,
                duty_id: plan.demand.duties[d].id.clone(),
                staff_id: None,
            });
        }
    }
    rows
}
