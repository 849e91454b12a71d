//! What-if studies in the browser: the list of this server's studies, a
//! form to build a scenario, a scenario file to load, the study running
//! (the page refreshes itself) and then compared side by side with the
//! baseline, with charts; the scenario file to download, in the format
//! `kehou whatif` reads.

use std::path::Path as FsPath;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::{Datelike, NaiveDate};
use maud::{html, Markup, PreEscaped};

use crate::error::Said;
use crate::lang::Lang;
use crate::outputs::chart::{self, DaySeats};
use crate::studies::compare::{self, Better, DayCover, Outcome};
use crate::studies::scenario_file::{self, ScenarioFile};
use crate::studies::whatif;
use crate::web::guard::{allowed, Cx};
use crate::web::layout::{csrf_field, ok, page, page_with, Fail};
use crate::web::studies::{Entry, State as Run, Studies, MAX_RUNNING};
use crate::web::Shared;

use super::whatif_form::{self as form, Field};
use super::{me, this_monday};

/// Most scenarios an uploaded file may hold.
const MAX_SCENARIOS: usize = 60;

fn base_name(lang: Lang) -> &'static str {
    lang.t("基线", "baseline")
}

/// A scenario's name as shown: the baseline in the page's language.
fn shown(name: &str, lang: Lang) -> String {
    if name == "baseline" {
        base_name(lang).to_string()
    } else {
        name.to_string()
    }
}

fn may_run(cx: &Cx) -> bool {
    cx.me
        .as_ref()
        .is_some_and(|m| allowed(m.user.role, "POST", "/whatif/new"))
}

/// `/whatif`: this server's studies, newest first.
pub(crate) async fn list(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let lang = cx.lang;
    let studies = st.studies.list();
    let body = html! {
        p { (lang.t("假设分析: 在本校当前的规则和数据上试一试变化 (休假、离校、新进教师、报名人数、社团、结束时间、任何规则), 与基线并排对比. 不会改动学校的规则、数据或已发布的排班.", "What-if: try changes on the school's current policy and data (leave, staff leaving, hires, enrollment, clubs, the cutoff, any rule) and compare them side by side with the baseline. The school's policy, data and published rosters are not changed.")) }
        @if may_run(&cx) {
            p.noprint {
                a href="/whatif/new" { (lang.t("新建方案", "New scenario")) } " · "
                a href="/whatif/upload" { (lang.t("载入方案文件", "Load a scenario file")) }
            }
        }
        @if studies.is_empty() {
            p { (lang.t("本服务器启动以来还没有运行过假设分析.", "No what-if study has run since this server started.")) }
        } @else {
            div.scroll { table {
                tr { th { "#" } th { (lang.t("分析", "Study")) } th { (lang.t("周", "Weeks")) } th { (lang.t("发起人", "By")) } th { (lang.t("开始时间", "Started")) } th { (lang.t("状态", "State")) } }
                @for e in &studies {
                    tr {
                        td { (e.id) }
                        td { a href=(format!("/whatif/{}", e.id)) { (e.title) } }
                        td { (weeks(&e.file.weeks)) }
                        td { (e.by) }
                        td { (e.at) }
                        td { (state_words(e, lang)) }
                    }
                }
            } }
        }
    };
    Ok(ok(page(
        lang,
        lang.t("假设分析", "What-if studies"),
        Some(me),
        body,
    )))
}

fn weeks(w: &[NaiveDate]) -> String {
    w.iter()
        .map(NaiveDate::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn state_words(e: &Entry, lang: Lang) -> String {
    match &e.state {
        Run::Running { done, .. } => {
            let k = done.lock().map(|d| d.len()).unwrap_or(0);
            format!("{} {k}/{}", lang.t("运行中", "running"), e.total())
        }
        Run::Done { results, .. } => {
            let failed = results.iter().filter(|r| r.1.is_err()).count();
            match failed {
                0 => lang.t("已完成", "done").to_string(),
                n => format!(
                    "{} ({n} {})",
                    lang.t("已完成", "done"),
                    lang.t("个失败", "failed")
                ),
            }
        }
        Run::Failed(_) => lang.t("失败", "failed").to_string(),
    }
}

/// One labelled input of the form.
fn input(f: &Field, lang: Lang, kind: &str, hint: &str, value: &str) -> Markup {
    html! {
        label { (f.label(lang)) " " input type=(kind) name=(f.name) value=(value) placeholder=(hint); }
        " "
    }
}

/// `/whatif/new`: the form that builds one scenario.
pub(crate) async fn new_form(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let lang = cx.lang;
    let now = st.now();
    let week = cx
        .query
        .get("week")
        .cloned()
        .unwrap_or_else(|| this_monday().to_string());
    let t = |zh, en| lang.t(zh, en);
    let body = html! {
        p { (t("基线是本校当前的规则和数据; 方案在它的副本上做下面填写的变化 (不填的不变), 两者各排一次所选的周 (不计学期累计负荷, 不做偏好与均衡两层优化, 与 kehou whatif 相同), 然后对比.", "The baseline is the school's current policy and data; the scenario makes the changes filled in below on a copy (what is left empty stays); both plan the chosen week (without the term's loads so far, stopping before the preference and balance tiers, as kehou whatif does) and are compared.")) }
        form.whatif method="post" action="/whatif/new" {
            (csrf_field(&me.csrf))
            fieldset { legend { (t("方案", "Scenario")) }
                (input(&form::NAME, lang, "text", t("如: 三位教师休产假", "e.g. three teachers on maternity leave"), ""))
                (input(&form::WEEK, lang, "date", "", &week))
            }
            fieldset { legend { (t("休假", "Leave")) }
                (input(&form::LEAVE_STAFF, lang, "text", "T005, T012", ""))
                (input(&form::LEAVE_FROM, lang, "date", "", ""))
                (input(&form::LEAVE_TO, lang, "date", "", ""))
            }
            fieldset { legend { (t("离校", "Staff leaving")) }
                (input(&form::LEAVING, lang, "text", "T030", ""))
            }
            fieldset { legend { (t("新进教师", "Hires")) }
                (input(&form::HIRE_COUNT, lang, "number", "0", ""))
                label { (form::HIRE_ROLE.label(lang)) " " select name=(form::HIRE_ROLE.name) {
                    option value="subject" { (t("任课教师", "subject teacher")) }
                    option value="homeroom" { (t("班主任", "homeroom teacher")) }
                    option value="admin" { (t("行政", "administrator")) }
                    option value="outside" { (t("外聘", "outside instructor")) }
                } } " "
                (input(&form::HIRE_SUBJECT, lang, "text", t("如: 语文", "e.g. 语文"), ""))
                (input(&form::HIRE_QUALS, lang, "text", t("如: 体育, 音乐", "e.g. 体育, 音乐"), ""))
                p.t { (t("工作量系数取规则中该角色的默认值.", "The quota is the policy's default for the role.")) }
            }
            fieldset { legend { (t("报名人数", "Enrollment")) }
                (input(&form::ENROLL_AT, lang, "text", t("年级 (如 1) 或班级编号", "grade (e.g. 1) or class id"), ""))
                (input(&form::ENROLL_BY, lang, "text", "+15%, -10%, +5", ""))
            }
            fieldset { legend { (t("社团", "Clubs")) }
                (input(&form::CLUB_ID, lang, "text", "C99", ""))
                (input(&form::CLUB_NAME, lang, "text", t("如: 篮球二队", "e.g. 篮球二队"), ""))
                (input(&form::CLUB_DAYS, lang, "text", t("如: 周二, 周四", "e.g. Tue, Thu"), ""))
                label { (form::CLUB_SESSION.label(lang)) " " select name=(form::CLUB_SESSION.name) {
                    @for s in &now.policy.sessions { option value=(s.id) { (s.id) " " (lang.t(&s.label, &s.label_en)) } }
                } } " "
                (input(&form::CLUB_PUPILS, lang, "number", "20", ""))
                (input(&form::CLUB_QUAL, lang, "text", t("如: 体育", "e.g. 体育"), ""))
                br;
                label { (form::REMOVE_CLUB.label(lang)) " " select name=(form::REMOVE_CLUB.name) {
                    option value="" { "—" }
                    @for c in &now.school.clubs { option value=(c.id) { (c.id) " " (c.name) } }
                } }
            }
            fieldset { legend { (t("时间与规则", "Times and rules")) }
                (input(&form::CUTOFF, lang, "text", "17:30", ""))
                (input(&form::SET_KEY, lang, "text", "staff_rules.max_duties_per_week", ""))
                (input(&form::SET_VALUE, lang, "text", "6", ""))
                p.t { (t("规则键为规则文件中的键 (见 docs/policy.md), 新值为 TOML 值: 数字、true/false 或带引号的文字.", "The policy key is a key of the policy file (see docs/policy.md); the new value a TOML value: a number, true/false or quoted text.")) }
            }
            button type="submit" { (t("运行对比", "Run the comparison")) }
        }
    };
    Ok(ok(page(
        lang,
        t("新建假设方案", "New what-if scenario"),
        Some(me),
        body,
    )))
}

/// The scenario file of a study of this server's school: its policy and
/// data by their full paths, so the file runs wherever it is saved.
fn file_of(
    st: &Shared,
    weeks: Vec<NaiveDate>,
    scenarios: Vec<whatif::ScenarioSpec>,
) -> ScenarioFile {
    let full = |p: &FsPath| {
        std::fs::canonicalize(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .display()
            .to_string()
    };
    ScenarioFile {
        policy: full(&st.ws.policy),
        data: full(&st.ws.data),
        weeks,
        scenarios,
    }
}

fn busy(lang: Lang) -> Fail {
    let msg = match lang {
        Lang::Zh => format!("已有 {MAX_RUNNING} 个假设分析在运行; 请等其中一个完成后再试. 未做任何更改"),
        Lang::En => format!("{MAX_RUNNING} what-if studies are running; try again when one has finished. Nothing was changed"),
    };
    Fail::new(StatusCode::TOO_MANY_REQUESTS, lang, msg)
}

fn start(st: &Shared, cx: &Cx, title: &str, file: ScenarioFile) -> Result<Response, Fail> {
    let by = me(cx)?.user.display_name.clone();
    match Studies::start(st, title, file, &by) {
        Some(id) => Ok(Redirect::to(&format!("/whatif/{id}")).into_response()),
        None => Err(busy(cx.lang)),
    }
}

/// POST `/whatif/new`: the form read and checked, then the study started.
pub(crate) async fn create(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let now = st.now();
    let built = form::build(&cx, &now.policy, &now.school)?;
    crate::calendar::require_national(&now.policy, built.week, built.week + chrono::Days::new(6))
        .map_err(|e| Fail::field(lang, form::WEEK.label(lang), &e.render(lang)))?;
    // Each change applied alone to the school's files: one the policy or
    // the data refuses names its field.
    let file = file_of(&st, vec![built.week], vec![built.spec.clone()]);
    let st2 = st.clone();
    let f2 = file.clone();
    let refused = crate::web::blocking(move || {
        let study = crate::web::studies::study_of(&st2, &f2)?;
        for (i, c) in built.spec.changes.iter().enumerate() {
            let one = whatif::ScenarioSpec {
                name: built.spec.name.clone(),
                changes: vec![c.clone()],
            };
            if let Err(e) = whatif::prepare(&study, &one) {
                return Ok(Some((i, Said::new(e.render(Lang::Zh), e.render(Lang::En)))));
            }
        }
        Ok(None)
    })
    .await
    .map_err(|e| Fail::from_error(lang, &e))?;
    if let Some((i, why)) = refused {
        return Err(Fail::field(
            lang,
            built.fields[i].label(lang),
            why.render(lang),
        ));
    }
    let title = file.scenarios[0].name.clone();
    start(&st, &cx, &title, file)
}

/// `/whatif/upload`: a scenario file pasted into the page.
pub(crate) async fn upload_form(
    State(_st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let lang = cx.lang;
    let body = html! {
        p { (lang.t("选择方案文件, 或把它的内容 (kehou whatif 读取的 TOML 格式, 见 docs/guide.md) 粘贴到下面. 文件中 [baseline] 的 policy 和 data 在这里不用: 基线总是本校当前的规则和数据; weeks 和每个 [[scenario]] 照用.", "Choose a scenario file, or paste its text (the TOML that kehou whatif reads, see docs/guide.md) below. The policy and data of its [baseline] are not used here: the baseline is always the school's current policy and data; its weeks and every [[scenario]] are.")) }
        form method="post" action="/whatif/upload" enctype="multipart/form-data" {
            (csrf_field(&me.csrf))
            label { (lang.t("方案文件", "scenario file")) " "
                input type="file" name="file" accept=".toml,text/plain"; }
            br;
            label { (lang.t("或粘贴内容", "or paste its text")) br;
                textarea name="text" rows="18" cols="80" spellcheck="false" {} }
            br;
            button type="submit" { (lang.t("运行对比", "Run the comparison")) }
        }
    };
    Ok(ok(page(
        lang,
        lang.t("载入方案文件", "Load a scenario file"),
        Some(me),
        body,
    )))
}

/// POST `/whatif/upload`: the file read (a mistake names its line and
/// field), then the study started.
pub(crate) async fn upload(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let field = lang.t("方案文件", "scenario file");
    // A chosen file first (in any encoding the school's files may be in),
    // else the pasted text.
    let chosen = cx.upload.as_ref().filter(|u| !u.bytes.is_empty());
    let decoded = match chosen {
        Some(u) => Some(crate::input::text::decode_text(&u.bytes).ok_or_else(|| {
            Fail::field(
                lang,
                field,
                lang.t(
                    "应为文本文件 (UTF-8 或 GBK)",
                    "expected a text file (UTF-8 or GBK)",
                ),
            )
        })?),
        None => None,
    };
    let pasted = [cx.field("file"), cx.field("text")]
        .into_iter()
        .find(|t| !t.is_empty());
    let text = decoded.as_deref().or(pasted).unwrap_or("");
    if text.trim().is_empty() {
        return Err(Fail::field(
            lang,
            field,
            lang.t("应粘贴方案文件的内容", "expected the scenario file's text"),
        ));
    }
    let shown_name = chosen.map(|u| u.name.clone());
    let name = FsPath::new(
        shown_name
            .as_deref()
            .unwrap_or(lang.t("上传的方案文件", "uploaded scenario file")),
    );
    let f =
        scenario_file::parse(name, text).map_err(|e| Fail::field(lang, field, &e.render(lang)))?;
    if f.scenarios.len() > MAX_SCENARIOS {
        let why = match lang {
            Lang::Zh => format!(
                "有 {} 个方案; 应不超过 {MAX_SCENARIOS} 个",
                f.scenarios.len()
            ),
            Lang::En => format!(
                "{} scenarios; expected at most {MAX_SCENARIOS}",
                f.scenarios.len()
            ),
        };
        return Err(Fail::field(lang, field, &why));
    }
    let now = st.now();
    for w in &f.weeks {
        let m = crate::calendar::monday_of(*w);
        crate::calendar::require_national(&now.policy, m, m + chrono::Days::new(6))
            .map_err(|e| Fail::field(lang, field, &e.render(lang)))?;
    }
    let title = match f.scenarios.as_slice() {
        [one] => one.name.clone(),
        many => match lang {
            Lang::Zh => format!("方案文件 ({} 个方案)", many.len()),
            Lang::En => format!("scenario file ({} scenarios)", many.len()),
        },
    };
    let file = file_of(&st, f.weeks, f.scenarios);
    start(&st, &cx, &title, file)
}

fn entry(st: &Shared, cx: &Cx, id: &str) -> Result<Entry, Fail> {
    id.parse::<u64>()
        .ok()
        .and_then(|id| st.studies.get(id))
        .ok_or_else(|| {
            Fail::new(
                StatusCode::NOT_FOUND,
                cx.lang,
                cx.lang.t(
                    "没有这个假设分析 (服务器重启后, 之前的分析不再保留)",
                    "no such study (studies are not kept when the server restarts)",
                ),
            )
        })
}

/// `/whatif/{id}/file`: the study's scenario file.
pub(crate) async fn file(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(id): Path<String>,
) -> Result<Response, Fail> {
    let e = entry(&st, &cx, &id)?;
    Ok(super::download(
        "application/toml; charset=utf-8",
        format!("whatif-{}.toml", e.id),
        scenario_file::write(&e.file).into_bytes(),
    ))
}

/// `/whatif/{id}`: the study running, failed, or its comparison.
pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(id): Path<String>,
) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let lang = cx.lang;
    let e = entry(&st, &cx, &id)?;
    let running = matches!(e.state, Run::Running { .. });
    let body = html! {
        p {
            (lang.t("周: ", "Weeks: ")) (weeks(&e.file.weeks)) " · "
            (lang.t("发起人: ", "By: ")) (e.by) " · " (e.at) " · "
            a.noprint href=(format!("/whatif/{}/file", e.id)) { (lang.t("下载方案文件 (kehou whatif 可读)", "Download the scenario file (for kehou whatif)")) }
        }
        @match &e.state {
            Run::Running { since, done } => {
                @let done = done.lock().map(|d| d.clone()).unwrap_or_default();
                p.running {
                    (lang.t("正在运行: ", "Running: ")) (done.len()) " / " (e.total()) (lang.t(" 个方案已完成 (含基线); 已用 ", " scenarios done (with the baseline); running for "))
                    (since.elapsed().as_secs()) (lang.t(" 秒; 本页每 2 秒刷新.", " s; this page refreshes every 2 s."))
                }
                @if !done.is_empty() { ul { @for n in &done { li { (shown(n, lang)) " ✓" } } } }
            }
            Run::Failed(why) => { p.error { (lang.t("假设分析未能运行: ", "The study could not run: ")) (why.render(lang)) } }
            Run::Done { results, seconds } => {
                p.t { (lang.t("用时 ", "Took ")) (format!("{seconds:.1}")) (lang.t(" 秒.", " s.")) }
                (comparison(results, lang))
            }
        }
        p.noprint { a href="/whatif" { (lang.t("所有假设分析", "All studies")) } }
    };
    let title = format!("{}: {}", lang.t("假设分析", "What-if"), e.title);
    Ok(ok(page_with(
        lang,
        &title,
        Some(me),
        running.then_some(2),
        body,
    )))
}

/// A number as the comparison shows it.
fn num(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        format!("{v:.decimals$}")
    } else {
        "—".into()
    }
}

/// The side-by-side table, failures, then the charts.
fn comparison(results: &[crate::web::studies::Result1], lang: Lang) -> Markup {
    let outs: Vec<Option<&Outcome>> = results.iter().map(|r| r.1.as_ref().ok()).collect();
    let rows = compare::metrics(&outs);
    html! {
        h2 { (lang.t("与基线对比", "Compared with the baseline")) }
        div.scroll { table.compare {
            tr { th { (lang.t("指标", "Measure")) } @for r in results { th.num { (shown(&r.0, lang)) } } }
            @for m in &rows {
                tr {
                    td { (m.label(lang)) }
                    @for (i, v) in m.values.iter().enumerate() {
                        @let base = m.values.first().copied().flatten();
                        @match v {
                            None => td.num { (lang.t("失败", "failed")) },
                            Some(v) => td class=(delta_class(m.better, base, *v, i)) {
                                (num(*v, m.decimals))
                                @if let (Some(b), true) = (base, i > 0) {
                                    @if (v - b).abs() > 1e-9 && b.is_finite() && v.is_finite() { " (" (format!("{:+.*}", m.decimals, v - b)) ")" }
                                }
                            },
                        }
                    }
                }
            }
        } }
        p.t { (lang.t("相对负荷 = 加权小时 ÷ 工作量系数 (不计学期累计); 费用按规则的课时费与按次计酬计算; 变更的安排: 方案中有而基线中没有的 (任务, 人) 组合. 括号内为与基线之差; 红色为变差, 绿色为变好.", "Relative load = weighted hours / quota (without the term so far); the cost from the policy's rates per 课时 and per duty; assignments changed: the scenario's (duty, person) pairs the baseline does not have. In brackets: the difference from the baseline; red is worse, green better.")) }
        @for r in results { @if let Err(why) = &r.1 { p.error { (shown(&r.0, lang)) " " (lang.t("失败: ", "failed: ")) (why.render(lang)) } } }
        (charts(results, lang))
    }
}

fn delta_class(better: Better, base: Option<f64>, v: f64, i: usize) -> &'static str {
    match (better, base, i) {
        (Better::Lower, Some(b), 1..) if v > b + 1e-9 => "num worse",
        (Better::Lower, Some(b), 1..) if v < b - 1e-9 => "num better",
        _ => "num",
    }
}

/// The grouped bars of the key numbers, then each scenario's coverage per day.
fn charts(results: &[crate::web::studies::Result1], lang: Lang) -> Markup {
    let ok: Vec<(String, &Outcome)> = results
        .iter()
        .filter_map(|r| r.1.as_ref().ok().map(|o| (shown(&r.0, lang), o)))
        .collect();
    let series = |f: &dyn Fn(&Outcome) -> Vec<f64>| -> Vec<(String, Vec<f64>)> {
        ok.iter().map(|(n, o)| (n.clone(), f(o))).collect()
    };
    let g = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let t = |zh, en| lang.t(zh, en);
    let desc = t(
        "基线与各方案并排的柱状图; 每根柱上写有数值.",
        "Bars of the baseline and each scenario side by side; each bar is labelled with its value.",
    );
    let loads = chart::grouped_bars(
        t(
            "相对负荷: 基线与方案",
            "Relative loads: baseline and scenarios",
        ),
        desc,
        t("相对负荷", "relative load"),
        &g(&[t("最高", "highest"), t("最低", "lowest"), t("差", "spread")]),
        &series(&|o| vec![o.max_rel, o.min_rel, o.max_rel - o.min_rel]),
        2,
    );
    let open = chart::grouped_bars(
        t(
            "未覆盖人次 (按任务优先级)",
            "Uncovered seats by duty priority",
        ),
        desc,
        t("人次", "seats"),
        &g(&[
            t("必保", "required"),
            t("重要", "high"),
            t("一般", "normal"),
        ]),
        &series(&|o| o.uncovered_by.iter().map(|n| f64::from(*n)).collect()),
        0,
    );
    let hours = chart::grouped_bars(
        t("总人·小时", "Staff-hours"),
        desc,
        t("小时", "hours"),
        &g(&[t("人·小时", "staff-hours")]),
        &series(&|o| vec![o.staff_hours]),
        1,
    );
    let cost = chart::grouped_bars(
        t("课后服务费用 (元)", "Pay cost (yuan)"),
        desc,
        t("元", "yuan"),
        &g(&[t("费用", "cost")]),
        &series(&|o| vec![o.cost.0 as f64 / 100.0]),
        0,
    );
    html! {
        h2 { (t("图表", "Charts")) }
        div.charts {
            @for svg in [loads, open, hours, cost] { figure.chart { (PreEscaped(svg)) } }
            @for (n, o) in &ok {
                figure.chart { (PreEscaped(day_chart(&o.days, &format!("{}: {n}", t("每日覆盖", "Coverage per day")), lang))) }
            }
        }
    }
}

/// Seats covered and open per day, as a chart (the week and what-if pages).
pub(crate) fn day_chart(days: &[DayCover], title: &str, lang: Lang) -> String {
    const ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let seats: Vec<DaySeats> = days
        .iter()
        .map(|d| {
            let wd = d.date.weekday().num_days_from_monday() as usize;
            DaySeats {
                label: format!("{} {}", d.date.format("%m-%d"), lang.t(ZH[wd], EN[wd])),
                covered: d.covered_total(),
                open: d.open,
            }
        })
        .collect();
    let t = |zh, en| lang.t(zh, en);
    chart::coverage(
        title,
        t("每天的任务人次: 蓝色为已安排, 红、橙、黄为未覆盖的必保、重要、一般任务; 柱上写有已安排人次和未覆盖人次.", "Seats per day: blue covered; red, orange and yellow open seats of required, high and normal duties; each bar is labelled with seats covered and open."),
        t("人次", "seats"),
        [t("已安排", "covered"), t("未覆盖: 必保", "open: required"), t("未覆盖: 重要", "open: high"), t("未覆盖: 一般", "open: normal")],
        &seats,
    )
}
