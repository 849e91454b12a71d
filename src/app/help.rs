//! The command line in one language: every command's and option's help,
//! clap's headings and its error messages in Chinese (the default) or in
//! English (`--lang en`). The texts of both languages are here, side by
//! side, one row per command or option; `args.rs` holds only the shapes.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

use super::args::Cli;
use crate::lang::Lang;

/// One text: the command's path (`""` the program, `"record absent"`), the
/// option's id (`""` for the command itself), Chinese, English, and the
/// Chinese name of the option's value.
type Text = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const D: &str = "日期";
const F: &str = "文件";
const DIR: &str = "目录";
const N: &str = "数";
const ID: &str = "工号";

#[rustfmt::skip]
pub(crate) const TEXTS: &[Text] = &[
    ("", "", "课后服务排班与工作量台账", "after-school duty roster and workload ledger", ""),
    ("", "policy", "规则文件 (TOML)", "Policy file (TOML)", F),
    ("", "data", "学校数据目录 (CSV 或 Excel 文件)", "School data directory (CSV files)", DIR),
    ("", "record", "学校台账 (SQLite): 已发布的周、事件、操作记录", "The school's record (SQLite): published weeks, events, audit trail", F),
    ("", "history", "旧版 kehou 的 history 目录, 一次性导入台账", "An earlier kehou's history folder, imported into the record once", DIR),
    ("", "lang", "输出语言: zh 中文, en 英文", "Output language", "语言"),
    ("validate", "", "检查规则与数据, 列出所有问题", "Check the policy and the data; report every problem", ""),
    ("demand", "", "本周需要安排的任务", "The week's duties to be covered", ""),
    ("demand", "week", "该周任意一天 (周一至周日)", "Any date in the week (Mon..Sun)", D),
    ("demand", "csv", "写入 CSV 文件, 不打印表格", "Write CSV here instead of printing a table", F),
    ("plan", "", "排出本周值班表 (最优, 附证明)", "Plan the week's roster (optimal, with proof)", ""),
    ("plan", "week", "该周任意一天", "Any date in the week", D),
    ("plan", "out", "值班表与汇总 CSV 的输出目录", "Output directory for roster and summary CSV", DIR),
    ("plan", "quiet", "不打印值班表", "Do not print the roster table", ""),
    ("plan", "pins", "锁定安排: 含 duty_id 与 staff_id 的 CSV, 排班时保持不变", "Pins (locks): CSV with duty_id and staff_id, kept by the plan", F),
    ("explain", "", "为什么是这样的负荷: 某人本周的任务、受哪些限制、哪一层决定了它、与平均和最高负荷相比如何", "Why one person has their load this week: their duties, what limited them, the tier that bound them, where they stand", ""),
    ("explain", "week", "该周任意一天", "Any date in the week", D),
    ("explain", "staff", "工号或姓名", "Staff id or name", ID),
    ("explain", "plan", "即使已发布, 也现在重新排班 (附各层的证明)", "Plan the week now (with the tiers' proofs) even when a version is published", ""),
    ("explain", "json", "以 JSON 输出", "Print the explanation as JSON", ""),
    ("repair", "", "为缺勤修复已发布的一周: 改动最少, 已过去的任务不动", "Repair the published week for an absence: minimal change, past duties untouched", ""),
    ("repair", "week", "该周任意一天", "Any date in the week", D),
    ("repair", "absent", "缺勤人员的工号或姓名", "Staff id (or name) of the absent person", ID),
    ("repair", "from", "缺勤第一天", "First day of the absence", D),
    ("repair", "to", "缺勤最后一天", "Last day of the absence", D),
    ("repair", "sessions", "只涉及这些时段 (逗号分隔, 编号或名称); 默认整天", "Only these sessions (comma separated, id or label); default whole days", "时段"),
    ("repair", "now", "此时刻之前开始的任务一律不改 (默认: 现在), 如 2026-12-08T18:00:00", "Duties starting before this moment never change (default: now), e.g. 2026-12-08T18:00:00", "时刻"),
    ("repair", "pins", "锁定安排: 含 duty_id 与 staff_id 的 CSV", "Pins (locks): CSV with duty_id and staff_id", F),
    ("repair", "out", "输出目录", "Output directory", DIR),
    ("check", "", "按规则与数据重新核验一份值班表文件", "Re-verify a roster file against the policy and data", ""),
    ("check", "week", "该周任意一天", "Any date in the week", D),
    ("check", "roster", "要核验的值班表 CSV", "Roster CSV to check", F),
    ("publish", "", "把排好的一周发布为学校正式值班表 (带版本)", "Publish a planned week as the school's official roster (versioned)", ""),
    ("publish", "week", "该周任意一天", "Any date in the week", D),
    ("publish", "roster", "要发布的值班表 CSV (默认 out/roster-<周一>.csv)", "Roster CSV to publish (default: out/roster-<monday>.csv)", F),
    ("publish", "replace", "发布新版本, 取代该周的这个版本 (原版本保留); 若其后已有人发布新版本则拒绝", "Publish a new version of an already published week, replacing this one (the week's latest; it is kept): refused if another version was published since", "版本"),
    ("log", "", "台账内容: 已发布版本 (何人何时) 与事件; 可把事件导出为 CSV", "What the record holds: published versions (who, when) and events; export the events as CSV", ""),
    ("log", "week", "只看这一周 (该周任意一天)", "Only this week (any date in it)", D),
    ("log", "events_csv", "把全部事件 (含记录人与时间) 写入 CSV", "Write every event, with who recorded it and when, as CSV", F),
    ("template", "", "写出一个数据表的 Excel 模板 (表头、示例行、下拉列表)", "Write a table's Excel template (headers, a sample row, dropdown lists)", ""),
    ("template", "table", "数据表: staff、classes、enrollment、clubs、leave 或 served", "The table: staff, classes, enrollment, clubs, leave or served", "数据表"),
    ("template", "out", "输出的 .xlsx 文件", "The .xlsx file to write", F),
    ("serve", "", "启动学校网页: 演示学校 (首次启动时建于 ./kehou-demo) 或指定的工作目录", "Start the school's web app: the demo school (created in ./kehou-demo on first start) or the workspace named", ""),
    ("serve", "workspace", "学校的工作目录: policy.toml, data/ (CSV 文件), kehou.db", "The school's folder: policy.toml, data/ (CSV files), kehou.db", DIR),
    ("serve", "addr", "监听地址", "Address to listen on", "地址"),
    ("serve", "trusted_proxy", "学校反向代理的地址 (本服务看到的): 只有来自它的请求才以 X-Forwarded-For 的最后一个地址为客户端地址 (可写多次)", "The school's reverse proxy, by the address this server sees: only a request from it has its client taken from X-Forwarded-For's last address (may be repeated)", "地址"),
    ("serve", "public_url", "家长和教职工打开的网址 (https://…), 用于本系统给出的链接 (问卷链接、邀请码通知单)", "The address people open (https://…), for the links the app gives (survey links, the invitation slip)", "网址"),
    ("record", "", "记录实际执行情况: 缺勤 (有无代班) 或取消", "Record what was served: an absence (with or without substitute) or a cancellation", ""),
    ("record absent", "", "某人未执行已发布的任务", "A person did not serve a published duty", ""),
    ("record absent", "duty", "任务编号", "Duty id", "任务"),
    ("record absent", "staff", "缺勤人员的工号", "Staff id of the absent person", ID),
    ("record absent", "substitute", "代班人员的工号", "Who served instead", ID),
    ("record absent", "note", "备注", "Note", "文字"),
    ("record absent", "based_on", "依据的已发布版本: 若该周已有更新版本则拒绝", "The published version this is based on: refused if the week has a newer one", "版本"),
    ("record swap", "", "某人把已发布的任务换给同事, 由同事执行 (换班, 如本周早些时候代班的归还)", "A person handed a published duty to a colleague, who served it (e.g. returning a substitution earlier that week)", ""),
    ("record swap", "duty", "任务编号", "Duty id", "任务"),
    ("record swap", "staff", "原安排人员的工号", "Staff id of the person on the roster", ID),
    ("record swap", "with", "实际执行人员的工号", "Who served the duty instead", ID),
    ("record swap", "note", "备注", "Note", "文字"),
    ("record swap", "based_on", "依据的已发布版本: 若该周已有更新版本则拒绝", "The published version this is based on: refused if the week has a newer one", "版本"),
    ("record cancel", "", "任务取消 (临时放假、恶劣天气): 不执行, 不计酬", "Duties cancelled (holiday added late, bad weather): not served, not paid", ""),
    ("record cancel", "date", "取消的日期", "The date cancelled", D),
    ("record cancel", "session", "只取消这个时段 (编号或名称; 默认整天)", "Only this session (id or label; default: the whole day)", "时段"),
    ("record cancel", "note", "备注 (原因)", "Note (the reason)", "文字"),
    ("cancel", "", "突发情况调整 (恶劣天气、疫情、空气重污染): 取消一天或一个时段, 或让一个时段提前结束; 记入台账 (不计酬), 并打印给家长 (每班) 与教师 (每人) 的通知", "An emergency change (weather, epidemic, air pollution): cancel a day or a session, or end a session early; recorded in the ledger (not paid), with the notices for parents (per class) and teachers (per person)", ""),
    ("cancel", "date", "日期", "The date", D),
    ("cancel", "session", "只涉及这个时段 (编号或名称; 默认整天)", "Only this session (id or label; default: the whole day)", "时段"),
    ("cancel", "end", "该时段提前到此时刻结束 (如 16:30), 不是取消", "End the session early at this time (e.g. 16:30) instead of cancelling it", "时刻"),
    ("cancel", "reason", "原因类别: weather 天气、epidemic 疫情、air_pollution 空气污染、other 其他", "The reason: weather, epidemic, air_pollution or other", "原因"),
    ("cancel", "note", "原因说明, 只记入台账, 不进通知", "The reason in words: kept in the record, never in a notice", "文字"),
    ("cancel", "pickup", "给家长的接送安排 (不得含健康信息)", "The pickup arrangement for parents (no health details)", "文字"),
    ("record cancel", "based_on", "依据的已发布版本: 若该周已有更新版本则拒绝", "The published version this is based on: refused if the week has a newer one", "版本"),
    ("workload", "", "按月、学期或日期范围统计每人的工作量与课后服务费, 依据实际执行的值班表", "Workload and pay per person for a month, a term or a date range, from the served rosters", ""),
    ("workload", "month", "一个月, 如 2026-12", "A month, such as 2026-12", "月份"),
    ("workload", "term", "规则中的一个学期: 学期名称, 或该学期中的任意一天", "One of the policy's terms: its name, or any date in it", "学期"),
    ("workload", "from", "第一天 (与 --to 一起)", "First day (with --to)", D),
    ("workload", "to", "最后一天 (与 --from 一起)", "Last day (with --from)", D),
    ("workload", "csv", "写入 CSV 文件", "Write CSV here", F),
    ("workload", "xlsx", "写入 Excel 工作簿 (A4 横向打印, 含标题、合计与签字栏)", "Write an Excel workbook here (prints on A4 landscape, with a title, totals and signature lines)", F),
    ("simulate", "", "模拟一个学期: 每周排班、发布, 并按随机缺勤执行", "Simulate a term: each week planned, published and served with random absences", ""),
    ("simulate", "from", "第一个周一", "First Monday", D),
    ("simulate", "weeks", "周数", "Weeks", N),
    ("simulate", "absence", "某人缺席一项已安排任务的概率", "Probability that a person misses an assigned duty", "概率"),
    ("simulate", "seed", "随机种子", "Random seed", N),
    ("simulate", "no_substitutes", "缺勤不安排代班 (默认由代班人员接替)", "Leave absences unfilled (default: a substitute takes the duty)", ""),
    ("simulate", "no_swaps", "同周内不归还代班 (默认缺勤者在合适时接替代班人员之后的一项任务)", "Do not return substitutions the same week (default: the absent person takes one of the substitute's later duties when one fits)", ""),
    ("simulate", "no_preferences", "每周排班不做第 5 层 (个人意愿): 负荷同样均衡, 稍快", "Plan each week without tier 5 (preferences): the same balance, somewhat faster", ""),
    ("simulate", "keep", "把模拟的台账 (发布的周、事件) 保存到这个新文件, 之后可用 --record 文件 workload 与 export 查看", "Keep the simulated record (published weeks, events) in this new file, to look at with `--record FILE workload` and `export`", F),
    ("simulate", "runs", "模拟这么多个学期 (种子 --seed, --seed + 1, …), 并行运行, 并报告达标的个数", "Simulate this many terms, seeds --seed, --seed + 1, …, in parallel, and report how many met the target", N),
    ("export", "", "为值班表文件生成可读输出 (默认最新发布版本): 网页、交接班表、每人的日历", "Readable outputs for a roster file (default: the latest published version): HTML page, handover sheet, iCalendar per person", ""),
    ("export", "week", "该周任意一天", "Any date in the week", D),
    ("export", "roster", "值班表 CSV 文件", "Roster CSV file", F),
    ("export", "version", "已发布的版本 (默认最新); 同时写出其值班表 CSV", "A published version (default: the latest); its roster CSV is written too", "版本"),
    ("export", "out", "输出目录", "Output directory", DIR),
    ("whatif", "", "假设分析: 并行运行方案文件中的每个方案并对比", "What-if study: run every scenario of a scenario file in parallel and compare", ""),
    ("whatif", "file", "方案文件 (TOML), 如 policies/scenarios.toml", "Scenario file (TOML), e.g. policies/scenarios.toml", F),
    ("whatif", "csv", "把对比写入 CSV", "Write the comparison as CSV", F),
    ("whatif", "rosters", "把每个方案的值班表写入这个目录", "Write each scenario's rosters into this folder", DIR),
    ("whatif", "threads", "工作线程数 (默认: 全部核心)", "Worker threads (default: all cores)", N),
    ("whatif", "no_balance", "每个方案排到第3层为止 (不做均衡层): 更快, 覆盖、最高负荷与区间相同", "Stop each plan after tier 3 (no balance tier): faster; the same coverage, highest load and band", ""),
    ("gen", "", "生成一所模拟学校的 CSV 文件 (realistic 方案还写出其规则文件)", "Generate a synthetic school's CSV files (and, for the realistic profile, its policy)", ""),
    ("gen", "profile", "demo, large, custom (用 --classes 与 --staff) 或 realistic (用 --classes; 同时写出 policy.toml)", "demo, large, custom (use --classes and --staff) or realistic (use --classes; writes policy.toml too)", "方案"),
    ("gen", "classes", "班级数 (custom 与 realistic), 1 至 300", "Classes (custom and realistic), 1 to 300", N),
    ("gen", "staff", "教职工人数 (仅 custom; 默认 68), 至多 3000", "Staff (custom only; default 68), at most 3000", N),
    ("gen", "seed", "随机种子", "Random seed", N),
    ("gen", "out", "输出目录", "Output directory", DIR),
];

/// The text of `id` in command `path`, if there is one.
fn text(path: &str, id: &str) -> Option<&'static Text> {
    TEXTS.iter().find(|t| t.0 == path && t.1 == id)
}

/// The language the command line asks for, read before clap parses it
/// (clap's own help and errors must already be in it).
pub(crate) fn lang_of(args: &[OsString]) -> Lang {
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        let v = match a.strip_prefix("--lang") {
            Some("") => it.next().map(|v| v.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        if let Some(v) = v {
            return if v == "en" { Lang::En } else { Lang::Zh };
        }
    }
    Lang::Zh
}

/// The command line's arguments, parsed in the language they ask for; on
/// a mistake (or `--help`, `--version`) prints in that language and exits.
pub fn parse() -> Cli {
    let args: Vec<OsString> = std::env::args_os().collect();
    match parse_from(args) {
        Ok(cli) => cli,
        Err((e, lang)) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            match shown_error(&e, lang) {
                Some(text) if e.use_stderr() => eprintln!("{}", text.trim_end()),
                Some(text) => println!("{}", text.trim_end()),
                None => {
                    let _ = e.print();
                }
            }
            std::process::exit(code);
        }
    }
}

/// What to print for clap's error in Chinese (`None`: clap's own, in
/// English). Help keeps clap's layout, with its one English word replaced.
pub fn shown_error(e: &clap::Error, lang: Lang) -> Option<String> {
    if lang == Lang::En {
        return None;
    }
    Some(match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            e.render().to_string().replace("[OPTIONS]", "[选项]")
        }
        _ => render_zh(e),
    })
}

/// `parse` without printing or exiting: the arguments, or clap's error and
/// the language it is to be shown in.
pub fn parse_from(args: Vec<OsString>) -> Result<Cli, (clap::Error, Lang)> {
    let lang = lang_of(&args);
    super::args::set_cli_lang(lang);
    let mut cmd = command(lang);
    let parsed = cmd
        .try_get_matches_from_mut(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    parsed.map_err(|e| (e.with_cmd(&cmd), lang))
}

/// The whole command tree with its texts in `lang`.
pub fn command(lang: Lang) -> Command {
    let mut cmd = Cli::command();
    cmd = localize(cmd, "", lang);
    if lang == Lang::Zh {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项")
                .display_order(1001),
        );
    }
    cmd
}

/// One command and, recursively, its subcommands.
fn localize(mut cmd: Command, path: &str, lang: Lang) -> Command {
    if let Some(t) = text(path, "") {
        cmd = cmd.about(lang.t(t.2, t.3)).long_about(None);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        if let Some(t) = text(path, &id) {
            cmd = cmd.mut_arg(&id, |a| arg_texts(a, t, lang));
        }
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(&name, |s| localize(s, &sub_path, lang));
    }
    if lang == Lang::Zh {
        cmd = chinese_frame(cmd);
    }
    cmd
}

/// An option's help and value name; in Chinese its default and its
/// possible values are written in the help (clap would say them in English).
fn arg_texts(mut a: Arg, t: &Text, lang: Lang) -> Arg {
    if lang == Lang::En {
        return a.help(t.3);
    }
    let mut help = t.2.to_string();
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && a.get_action().takes_values() {
        help.push_str(&format!(" (默认: {})", defaults.join(",")));
    }
    a = a
        .help(help)
        .hide_default_value(true)
        .hide_possible_values(true);
    if !t.4.is_empty() && a.get_action().takes_values() {
        a = a.value_name(t.4);
    }
    let heading = if a.is_positional() {
        "参数"
    } else {
        "选项"
    };
    a.help_heading(heading)
}

/// Clap's frame in Chinese: headings, usage, the help flag and subcommand.
fn chinese_frame(cmd: Command) -> Command {
    cmd.help_template("{about-with-newline}\n用法: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项")
                .display_order(1000),
        )
}

/// A context value as text.
fn shown(v: Option<&ContextValue>) -> String {
    match v {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        Some(ContextValue::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// Clap's error in Chinese: what is wrong, a suggestion when clap has one,
/// the usage, and where to read more.
pub(crate) fn render_zh(e: &clap::Error) -> String {
    let arg = shown(e.get(ContextKind::InvalidArg));
    let value = shown(e.get(ContextKind::InvalidValue));
    let what = match e.kind() {
        ErrorKind::UnknownArgument => format!("没有选项「{arg}」"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "没有命令「{}」",
                shown(e.get(ContextKind::InvalidSubcommand))
            )
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必填的选项: {arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::InvalidValue => format!(
            "选项「{arg}」的值「{value}」无效; 可选的值: {}",
            shown(e.get(ContextKind::ValidValue))
        ),
        ErrorKind::ValueValidation => format!("选项「{arg}」的值「{value}」无效: {}", source(e)),
        ErrorKind::ArgumentConflict => format!(
            "选项「{arg}」不能与「{}」同时使用",
            shown(e.get(ContextKind::PriorArg))
        ),
        ErrorKind::NoEquals => format!("选项「{arg}」的值须用 = 连接"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("选项「{arg}」的值的个数不对")
        }
        ErrorKind::InvalidUtf8 => format!("选项「{arg}」含有无法识别的字符"),
        _ => "命令行有误".to_string(),
    };
    let mut out = format!("错误: {what}");
    let tip =
        shown(e.get(ContextKind::SuggestedArg)) + &shown(e.get(ContextKind::SuggestedSubcommand));
    if !tip.is_empty() {
        out.push_str(&format!("\n  提示: 是否要用「{tip}」?"));
    }
    if let Some(u) = e.get(ContextKind::Usage) {
        let u = shown(Some(u));
        let u = u.trim().strip_prefix("Usage:").unwrap_or(u.trim()).trim();
        out.push_str(&format!("\n\n用法: {}", u.replace("[OPTIONS]", "[选项]")));
    }
    out.push_str("\n\n更多说明: 加 --help");
    out
}

/// The reason a value parser gave (our parsers' messages are in the
/// language asked for, see `args::set_cli_lang`).
fn source(e: &clap::Error) -> String {
    use std::error::Error as _;
    e.source().map(|s| s.to_string()).unwrap_or_default()
}
