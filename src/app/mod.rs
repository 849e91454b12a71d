//! Command-line interface: parses arguments, runs the library, renders.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::error::{Error, Result};
use crate::outputs::lang::Lang;
use crate::{check, demand, input, ledger, model, outputs, plan, roster, studies};

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
    /// The school's roster history (published weeks, events).
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
        /// Pins (locks): CSV with duty_id and staff_id, kept by the plan.
        #[arg(long)]
        pins: Option<PathBuf>,
    },
    /// Repair the published week for an absence: minimal change, past duties untouched.
    Repair {
        #[arg(long)]
        week: NaiveDate,
        /// Staff id of the absent person.
        #[arg(long)]
        absent: String,
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: NaiveDate,
        /// Only these sessions (comma separated); default whole days.
        #[arg(long, value_delimiter = ',')]
        sessions: Vec<String>,
        /// Duties starting before this moment never change (default: now), e.g. 2026-12-08T18:00:00.
        #[arg(long)]
        now: Option<chrono::NaiveDateTime>,
        /// Pins (locks): CSV with duty_id and staff_id.
        #[arg(long)]
        pins: Option<PathBuf>,
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// Re-verify a roster file against the policy and data.
    Check {
        #[arg(long)]
        week: NaiveDate,
        #[arg(long)]
        roster: PathBuf,
    },
    /// Publish a planned week as the school's official roster (versioned).
    Publish {
        #[arg(long)]
        week: NaiveDate,
        /// Roster CSV to publish (default: out/roster-<monday>.csv).
        #[arg(long)]
        roster: Option<PathBuf>,
        /// Publish a new version of an already published week (the earlier is kept).
        #[arg(long)]
        replace: bool,
    },
    /// Record what was served: an absence (with or without substitute) or a cancellation.
    Record {
        #[command(subcommand)]
        what: RecordCmd,
    },
    /// Workload and pay per person for a date range, from the served rosters.
    Workload {
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: NaiveDate,
        #[arg(long)]
        csv: Option<PathBuf>,
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
    /// Simulate a term: each week planned, published and served with random absences.
    Simulate {
        /// First Monday.
        #[arg(long)]
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
        /// Keep the simulated history (published weeks, events) in this new
        /// directory, to look at with `workload` and `export`.
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
        #[arg(long)]
        week: NaiveDate,
        #[arg(long)]
        roster: Option<PathBuf>,
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
        #[arg(long)]
        threads: Option<usize>,
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

#[derive(Subcommand, Debug)]
pub enum RecordCmd {
    /// A person did not serve a published duty.
    Absent {
        #[arg(long)]
        duty: String,
        #[arg(long)]
        staff: String,
        /// Who served instead.
        #[arg(long)]
        substitute: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// A person handed a published duty to a colleague, who served it
    /// (换班, e.g. returning a substitution earlier that week).
    Swap {
        #[arg(long)]
        duty: String,
        #[arg(long)]
        staff: String,
        /// Who served the duty instead.
        #[arg(long)]
        with: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Duties cancelled (holiday added late, bad weather): not served, not paid.
    Cancel {
        #[arg(long)]
        date: NaiveDate,
        /// Only this session (default: the whole day).
        #[arg(long)]
        session: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
}

/// An error naming the first id that is not in staff.csv.
fn known_staff<'i>(
    s: &crate::model::school::School,
    ids: impl IntoIterator<Item = &'i String>,
    lang: Lang,
) -> Result<()> {
    match ids.into_iter().find(|id| s.staff_index(id).is_none()) {
        Some(id) => Err(Error::Usage(format!(
            "{} {id}",
            lang.t("教职工名单中无此人:", "no such staff member:")
        ))),
        None => Ok(()),
    }
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
                "demo" => studies::synth::Profile::demo(),
                "large" => studies::synth::Profile::large(),
                "custom" => studies::synth::Profile::sized(*classes, *staff, *seed),
                o => {
                    return Err(Error::Usage(format!(
                        "unknown profile {o}: demo, large or custom"
                    )))
                }
            };
            studies::synth::write(&studies::synth::generate(&p), out)?;
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
                    outputs::files::write_atomic(
                        path,
                        &crate::outputs::terminal::demand_csv(&p, &s, &dm, lang),
                    )?;
                    println!("{} {}", lang.t("已写入", "wrote"), path.display());
                }
                None => print!(
                    "{}",
                    crate::outputs::terminal::demand_table(&p, &s, &dm, lang)
                ),
            }
            Ok(0)
        }
        Cmd::Plan {
            week,
            out,
            quiet,
            pins,
        } => {
            let t0 = std::time::Instant::now();
            let (p, mut s) = load(&cli.policy, &cli.data)?;
            let history = ledger::History::new(&cli.history);
            ledger::add_term_load(&p, &mut s, &history, crate::calendar::monday_of(*week))?;
            let t_load = t0.elapsed().as_secs_f64();
            let dm = demand::week(&p, &s, *week);
            let mut opts = plan::Options::from_policy(&p);
            if let Some(f) = pins {
                opts.pins = crate::studies::repair::read_pins(f, &s, &dm)?;
                crate::studies::repair::check_pins(&p, &s, &dm, &opts.pins, lang)?;
            }
            let plan = plan::plan(&p, &s, &dm, &opts)?;
            // Independent re-check before anything is written.
            let rows = roster_rows(&s, &plan);
            let violations = check::check(&p, &s, &dm, &rows);
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
            outputs::files::write_atomic(&roster_path, &roster::to_csv(&p, &s, &plan, lang))?;
            outputs::files::write_atomic(&summary_path, &roster::summary_csv(&s, &plan, lang))?;
            write_readable(&p, &s, &plan, out, lang)?;
            if !quiet {
                print!(
                    "{}",
                    crate::outputs::terminal::roster_table(&p, &s, &plan, lang)
                );
            }
            print!(
                "{}",
                crate::outputs::terminal::plan_report(&p, &s, &plan, lang, t_load)
            );
            for d in plan::diagnose::diagnose(&p, &s, &plan) {
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
        Cmd::Publish {
            week,
            roster: path,
            replace,
        } => {
            let (p, s) = load(&cli.policy, &cli.data)?;
            let dm = demand::week(&p, &s, *week);
            let path = path
                .clone()
                .unwrap_or_else(|| PathBuf::from("out").join(format!("roster-{}.csv", dm.monday)));
            let bytes = std::fs::read(&path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            let rows = roster::parse(&path, &bytes)?;
            let v = check::check(&p, &s, &dm, &rows);
            if !v.is_empty() {
                for x in &v {
                    eprintln!("  {}", x.render(lang));
                }
                return Err(Error::Usage(format!(
                    "{} {}",
                    v.len(),
                    lang.t("处违反规则, 未发布", "violation(s): not published")
                )));
            }
            let h = ledger::History::new(&cli.history);
            let ver = h.publish(dm.monday, &bytes, *replace)?;
            println!(
                "{} {} v{ver}: {}",
                lang.t("已发布", "published"),
                dm.monday,
                h.version_path(dm.monday, ver).display()
            );
            Ok(0)
        }
        Cmd::Record { what } => {
            let (_, s) = load(&cli.policy, &cli.data)?;
            let h = ledger::History::new(&cli.history);
            let e = match what {
                RecordCmd::Absent {
                    duty,
                    staff,
                    substitute,
                    note,
                } => {
                    known_staff(&s, std::iter::once(staff).chain(substitute.iter()), lang)?;
                    ledger::Event::Absent {
                        duty: duty.clone(),
                        staff: staff.clone(),
                        substitute: substitute.clone(),
                        note: note.clone(),
                    }
                }
                RecordCmd::Swap {
                    duty,
                    staff,
                    with,
                    note,
                } => {
                    known_staff(&s, [staff, with], lang)?;
                    ledger::Event::Swap {
                        duty: duty.clone(),
                        staff: staff.clone(),
                        with: with.clone(),
                        note: note.clone(),
                    }
                }
                RecordCmd::Cancel {
                    date,
                    session,
                    note,
                } => ledger::Event::Cancel {
                    date: *date,
                    session: session.clone(),
                    note: note.clone(),
                },
            };
            h.record(&e)?;
            println!(
                "{} {}",
                lang.t("已记录到", "recorded in"),
                h.events_path().display()
            );
            Ok(0)
        }
        Cmd::Workload {
            from,
            to,
            csv,
            xlsx,
        } => {
            let (p, s) = load(&cli.policy, &cli.data)?;
            let h = ledger::History::new(&cli.history);
            let served = ledger::served(&p, &s, &h, *from, *to)?;
            let rows = ledger::workload(&p, &s, &served);
            let bytes = ledger::workload_csv(&s, &rows, lang);
            if let Some(path) = csv {
                outputs::files::write_atomic(path, &bytes)?;
                println!("{} {}", lang.t("已写入", "wrote"), path.display());
            }
            if let Some(path) = xlsx {
                outputs::files::write_atomic(path, &ledger::workload_xlsx(&s, &rows, lang)?)?;
                println!("{} {}", lang.t("已写入", "wrote"), path.display());
            }
            if csv.is_none() && xlsx.is_none() {
                print!(
                    "{}",
                    String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
                );
            }
            Ok(0)
        }
        Cmd::Simulate {
            from,
            weeks,
            absence,
            seed,
            no_substitutes,
            no_swaps,
            no_preferences,
            keep,
            runs,
        } => {
            if *runs == 0 || (*runs > 1 && keep.is_some()) {
                return Err(Error::Usage(
                    lang.t(
                        "--runs 至少为 1, 且 --keep 只能保留单次模拟",
                        "--runs must be at least 1, and --keep keeps a single run",
                    )
                    .into(),
                ));
            }
            let (p, s) = load(&cli.policy, &cli.data)?;
            let sim = crate::studies::simulate::Sim {
                from: *from,
                weeks: *weeks,
                absence: *absence,
                seed: *seed,
                substitutes: !*no_substitutes,
                swaps: !*no_swaps,
                preferences: !*no_preferences,
            };
            if *runs > 1 {
                let t0 = std::time::Instant::now();
                let rs = crate::studies::simulate::terms(&p, &s, sim, *runs, lang, true)?;
                print!("{}", crate::studies::simulate::render_runs(&rs, lang));
                println!(
                    "{} {:.1}s",
                    lang.t("用时", "time"),
                    t0.elapsed().as_secs_f64()
                );
                return Ok(0);
            }
            let r = crate::studies::simulate::term(&p, &s, sim, keep.as_deref(), lang, true)?;
            print!("{}", r.render(lang));
            Ok(0)
        }
        Cmd::Export {
            week,
            roster: path,
            out,
        } => {
            let (p, s) = load(&cli.policy, &cli.data)?;
            let dm = demand::week(&p, &s, *week);
            let h = ledger::History::new(&cli.history);
            let rows = match path {
                Some(f) => roster::read(f)?,
                None => match h.published(dm.monday)? {
                    Some((_, rows)) => rows,
                    None => {
                        return Err(Error::Usage(format!(
                            "{} {} (--roster FILE)",
                            lang.t("该周尚未发布:", "week not published:"),
                            dm.monday
                        )))
                    }
                },
            };
            let v = check::check(&p, &s, &dm, &rows);
            if v.iter().any(|x| x.rule == crate::rules::Rule::Unknown) {
                for x in &v {
                    eprintln!("  {}", x.render(lang));
                }
                return Err(Error::Usage(
                    lang.t(
                        "排班表中有不存在的任务或人员",
                        "the roster names unknown duties or staff",
                    )
                    .into(),
                ));
            }
            let plan = roster::plan_from_rows(&s, &dm, &rows);
            write_readable(&p, &s, &plan, out, lang)?;
            println!("{} {}", lang.t("已写入", "wrote"), out.display());
            Ok(0)
        }
        Cmd::Repair {
            week,
            absent,
            from,
            to,
            sessions,
            now,
            pins,
            out,
        } => {
            let (p, mut s) = load(&cli.policy, &cli.data)?;
            let h = ledger::History::new(&cli.history);
            let dm = demand::week(&p, &s, *week);
            let Some((ver, rows)) = h.published(dm.monday)? else {
                return Err(Error::Usage(format!(
                    "{} {}",
                    lang.t("该周尚未发布:", "week not published:"),
                    dm.monday
                )));
            };
            ledger::add_term_load(&p, &mut s, &h, dm.monday)?;
            let pins = match pins {
                Some(f) => crate::studies::repair::read_pins(f, &s, &dm)?,
                None => Vec::new(),
            };
            let req = crate::studies::repair::Request {
                absent: absent.clone(),
                from: *from,
                to: *to,
                sessions: sessions.clone(),
                now: now.unwrap_or_else(|| chrono::Local::now().naive_local()),
                pins,
            };
            let (plan, changes) = crate::studies::repair::repair(&p, &s, &dm, &rows, &req, lang)?;
            let s2 = match s.staff_index(absent) {
                Some(a) => crate::studies::repair::with_absence(&p, &s, a, &req),
                None => s.clone(),
            };
            let v = check::check(&p, &s2, &dm, &roster_rows(&s2, &plan));
            if !v.is_empty() {
                for x in &v {
                    eprintln!("  {}", x.render(lang));
                }
                return Err(Error::Solver(
                    "the repaired roster failed the independent check; nothing written".into(),
                ));
            }
            print!(
                "{}",
                crate::studies::repair::render_changes(&s, &plan, &changes, lang)
            );
            for d in plan::diagnose::diagnose(&p, &s2, &plan) {
                println!("  ! {}", d.render(&p, lang));
            }
            if changes.is_empty() {
                println!(
                    "{} v{ver}",
                    lang.t("已发布版本保持不变:", "published version unchanged:")
                );
                return Ok(0);
            }
            let bytes = roster::to_csv(&p, &s, &plan, lang);
            let new_ver = h.publish(dm.monday, &bytes, true)?;
            let cpath = out.join(format!("changes-{}-v{new_ver}.csv", dm.monday));
            outputs::files::write_atomic(
                &cpath,
                &crate::studies::repair::changes_csv(&s, &plan, &changes, lang),
            )?;
            println!(
                "{} v{new_ver} ({} v{ver}); {} {}",
                lang.t("已发布修复版本", "published repaired version"),
                lang.t("保留", "kept"),
                lang.t("变更清单", "changes"),
                cpath.display()
            );
            Ok(0)
        }
        Cmd::Whatif {
            file,
            csv,
            rosters,
            threads,
        } => {
            let study = crate::studies::whatif::load(file)?;
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads.unwrap_or(0))
                .build()
                .map_err(|e| Error::Usage(e.to_string()))?;
            let t0 = std::time::Instant::now();
            let results = pool.install(|| crate::studies::whatif::run(&study, true, None));
            print!(
                "{}",
                crate::studies::whatif::comparison_table(&results, lang)
            );
            println!(
                "{} {:.2}s, {} {}",
                lang.t("用时", "time"),
                t0.elapsed().as_secs_f64(),
                pool.current_num_threads(),
                lang.t("线程", "threads")
            );
            if let Some(path) = csv {
                outputs::files::write_atomic(
                    path,
                    &crate::studies::whatif::comparison_csv(&results, lang),
                )?;
            }
            if let Some(dir) = rosters {
                for (name, r) in &results {
                    if let Ok(o) = r {
                        for (m, bytes) in &o.rosters {
                            let safe: String = name
                                .chars()
                                .map(|c| {
                                    if c.is_alphanumeric() || c == '-' {
                                        c
                                    } else {
                                        '_'
                                    }
                                })
                                .collect();
                            outputs::files::write_atomic(
                                &dir.join(format!("{safe}-{m}.csv")),
                                bytes,
                            )?;
                        }
                    }
                }
            }
            Ok(if results.iter().any(|r| r.1.is_err()) {
                1
            } else {
                0
            })
        }
        Cmd::Check { week, roster: path } => {
            let (p, s) = load(&cli.policy, &cli.data)?;
            let dm = demand::week(&p, &s, *week);
            let rows = roster::read(path)?;
            let v = check::check(&p, &s, &dm, &rows);
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

/// HTML page, handover sheet and calendars for a week's roster.
pub fn write_readable(
    p: &model::policy::Policy,
    s: &model::school::School,
    plan: &plan::Plan,
    out: &Path,
    lang: Lang,
) -> Result<()> {
    let m = plan.demand.monday;
    outputs::files::write_atomic(
        &out.join(format!("roster-{m}.html")),
        crate::outputs::html::week_html(p, s, plan, lang).as_bytes(),
    )?;
    outputs::files::write_atomic(
        &out.join(format!("handover-{m}.csv")),
        &crate::outputs::html::handover_csv(p, s, plan, lang),
    )?;
    for (id, ics) in crate::outputs::html::ics_per_person(p, s, plan, lang) {
        outputs::files::write_atomic(
            &out.join(format!("ics-{m}")).join(format!("{id}.ics")),
            ics.as_bytes(),
        )?;
    }
    Ok(())
}

pub fn load(
    policy_path: &Path,
    data_dir: &Path,
) -> Result<(model::policy::Policy, model::school::School)> {
    let p = input::policy::load(policy_path)?;
    let s = input::school::load(data_dir, &p)?;
    Ok((p, s))
}

/// The plan as roster rows (what the CSV holds), for the checker.
pub fn roster_rows(s: &model::school::School, plan: &plan::Plan) -> Vec<roster::Row> {
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
