//! The week page: status (published version, open seats and why), the
//! planning job and its draft with each tier's proof, the roster grid and
//! each person's load; planning (background) and publishing (through
//! `record::admit::publish`, based on the version the page showed).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::{Days, NaiveDate};
use maud::{html, Markup};

use crate::error::{Error, Said};
use crate::lang::Lang;
use crate::model::school::{School, LOAD_PER_HOUR};
use crate::plan::{self, Plan};
use crate::record::accounts::Role;
use crate::record::{admit, Actor, Base, VersionInfo};
use crate::{calendar, check, demand, ledger, outputs, roster};

use super::{date_field, me, week_path};
use crate::web::guard::Cx;
use crate::web::jobs::{Draft, Job, Jobs, Origin};
use crate::web::layout::{csrf_field, ok, page_with, Fail};
use crate::web::Shared;

/// What the record says of a week, read in one snapshot.
pub(super) struct Snapshot {
    latest: Option<(VersionInfo, Vec<u8>)>,
    /// The school with the term's load before this week added.
    pub(super) school: School,
}

/// The roster hand edits and repair start from: the week's draft, else
/// its published version.
pub(super) struct Working {
    pub plan: Plan,
    /// The draft's id; 0: the published version.
    pub draft: u64,
    pub origin: Option<Origin>,
    /// The school with the term's load before this week added.
    pub school: School,
}

pub(super) async fn working(st: &Shared, monday: NaiveDate) -> Result<Option<Working>, Error> {
    let snap = snapshot(st, monday).await?;
    if let Some(Job::Done(d)) = st.jobs.get(monday) {
        return Ok(Some(Working {
            plan: d.plan.clone(),
            draft: d.id,
            origin: Some(d.origin.clone()),
            school: snap.school,
        }));
    }
    let plan = published_plan(st, &snap, monday)?;
    Ok(plan.map(|plan| Working {
        plan,
        draft: 0,
        origin: None,
        school: snap.school,
    }))
}

/// The Monday of a path's `{monday}`, or a page naming the field.
fn monday_of(lang: Lang, s: &str) -> Result<NaiveDate, Fail> {
    date_field(lang, lang.t("周", "week"), s)
}

pub(super) async fn snapshot(st: &Shared, monday: NaiveDate) -> Result<Snapshot, Error> {
    let st2 = st.clone();
    st.db(move |rec| {
        rec.read(|tx| {
            let latest = match tx.latest(monday)? {
                Some(v) => tx.info(monday, v)?.zip(tx.roster_bytes(monday, v)?),
                None => None,
            };
            let mut school = st2.now().school.clone();
            ledger::add_term_load(&st2.now().policy, &mut school, tx, monday)?;
            Ok(Snapshot { latest, school })
        })
    })
    .await
}

/// The published roster as a plan, for showing.
pub(super) fn published_plan(
    st: &Shared,
    snap: &Snapshot,
    monday: NaiveDate,
) -> Result<Option<Plan>, Error> {
    let Some((info, bytes)) = &snap.latest else {
        return Ok(None);
    };
    let at = std::path::PathBuf::from(format!("{monday}/v{}", info.version));
    let rows = roster::parse(&at, bytes)?;
    let dm = demand::week(&st.now().policy, &snap.school, monday);
    Ok(Some(roster::plan_from_rows(&snap.school, &dm, &rows)))
}

pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(monday): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let date = monday_of(lang, &monday)?;
    let monday = calendar::monday_of(date);
    if monday != date {
        return Ok(Redirect::to(&format!("/week/{monday}")).into_response());
    }
    let fail = |e: Error| Fail::from_error(lang, &e);
    calendar::require_national(&st.now().policy, monday, monday + Days::new(6)).map_err(fail)?;
    let snap = snapshot(&st, monday).await.map_err(fail)?;
    let published = published_plan(&st, &snap, monday).map_err(fail)?;
    let admin = me.user.role == Role::Admin;
    let job = if admin { st.jobs.get(monday) } else { None };
    let draft = match &job {
        Some(Job::Done(d)) => Some(d.clone()),
        _ => None,
    };
    let pins = st.jobs.pins(monday);
    let asks = match admin {
        true => super::requests::of_week(&st, monday, None)
            .await
            .map_err(fail)?,
        false => Vec::new(),
    };
    let want_draft = cx.query.get("view").is_some_and(|v| v == "draft");
    let shown = match (&draft, want_draft) {
        (Some(d), true) => Some((&d.plan, true)),
        _ => published.as_ref().map(|p| (p, false)),
    };
    let body = html! {
        (week_nav(lang, monday, admin))
        @if let Some(v) = cx.query.get("published").filter(|v| v.bytes().all(|b| b.is_ascii_digit())) {
            p.banner { (lang.t("已发布 ", "Published ")) "v" (v) ". "
                a href=(format!("/week/{monday}/changes?version={v}")) { (lang.t("告诉相关的人: 每人一条变更通知", "Tell the people affected: one notice each")) } }
        }
        (status(&st, &snap, published.as_ref(), lang))
        @if admin { (school_warnings(&snap.school, lang)) }
        @if admin { (job_box(&st, &cx, monday, &snap, job.as_ref(), lang)) }
        @if admin { (edit_box(&st, &cx, monday, &snap, &pins, lang)) }
        @if admin { (super::requests::admin_box(&cx, &snap.school, monday, &asks)) }
        @match shown {
            Some((plan, is_draft)) => {
                h2 { (if is_draft { lang.t("草稿排班", "Draft roster") } else { lang.t("已发布排班", "Published roster") }) }
                @if !is_draft && draft.is_some() { p { a href="?view=draft" { (lang.t("查看草稿", "Show the draft")) } } }
                @if is_draft { p { a href="?" { (lang.t("查看已发布排班", "Show the published roster")) } } }
                div.scroll { (super::grid::grid(&st.now().policy, &snap.school, plan, &pins, admin.then_some(monday), lang)) }
                figure.chart { (maud::PreEscaped(super::whatif::day_chart(
                    &crate::studies::compare::coverage(&st.now().policy, plan),
                    lang.t("本周每日覆盖", "Coverage per day this week"),
                    lang,
                ))) }
                (people(&snap.school, plan, lang, monday))
            }
            None => { p { (lang.t("本周还没有排班.", "No roster for this week yet.")) } }
        }
    };
    let running = matches!(job, Some(Job::Running { .. }));
    let title = format!(
        "{} {monday}",
        lang.t("课后服务排班", "After-school roster, week of")
    );
    Ok(ok(page_with(
        lang,
        &title,
        Some(me),
        running.then_some(2),
        body,
    )))
}

fn week_nav(lang: Lang, monday: NaiveDate, admin: bool) -> Markup {
    let prev = monday - Days::new(7);
    let next = monday + Days::new(7);
    html! {
        div.weeknav.noprint {
            a href=(format!("/week/{prev}")) { "← " (lang.t("上一周", "previous week")) }
            a href=(format!("/week/{next}")) { (lang.t("下一周", "next week")) " →" }
            @if admin { a href=(format!("/week/{monday}/changes")) { (lang.t("变更通知", "change notices")) } }

        }
        (super::print::links(lang, monday))
    }
}

/// Published or not, open seats and the diagnosis of each.
fn status(st: &Shared, snap: &Snapshot, published: Option<&Plan>, lang: Lang) -> Markup {
    let open: u32 = published.map_or(0, |p| p.uncovered.iter().map(|u| u.1).sum());
    html! {
        div class=(if open > 0 { "box warn" } else { "box ok" }) {
            @match &snap.latest {
                Some((i, _)) => {
                    p {
                        (lang.t("已发布 ", "Published ")) strong { "v" (i.version) }
                        " (" (i.who) ", " (i.published_at.get(..16).unwrap_or(&i.published_at).replace('T', " ")) ", " (i.via) ")"
                    }
                }
                None => { p { (lang.t("尚未发布.", "Not published.")) } }
            }
            @if let Some(p) = published {
                @if open == 0 {
                    p { (lang.t("每个岗位都有人.", "Every seat is filled.")) }
                } @else {
                    p.error { (lang.t("空缺人次: ", "Seats left open: ")) (open) }
                    @let (head, slots) = outputs::shortage::shortage(&st.now().policy, &snap.school, p, lang);
                    @for l in &head { p { (l) } }
                    ul { @for l in &slots { li { (l) } } }
                }
            }
        }
    }
}

/// What the school's files were read with but the administrator should
/// know (totals rows left out, two people of one name, a named instructor
/// without the club's qualification), as `kehou validate` prints them.
fn school_warnings(school: &School, lang: Lang) -> Markup {
    if school.warnings.is_empty() {
        return html! {};
    }
    html! {
        div.box.warn.school-warnings {
            p { strong { (lang.t("学校数据中的提醒", "Notes on the school's files")) } " ("
                (school.warnings.len()) (lang.t(" 条; 数据已读入, 请核对", "; the files were read, please check them")) ")" }
            ul { @for w in &school.warnings { li { (w.render(lang)) } } }
        }
    }
}

/// The planning job: a button, the running state, or the draft with its
/// proof, changes and the publish button.
fn job_box(
    st: &Shared,
    cx: &Cx,
    monday: NaiveDate,
    snap: &Snapshot,
    job: Option<&Job>,
    lang: Lang,
) -> Markup {
    let csrf = cx.me.as_ref().map_or("", |m| m.csrf.as_str());
    let running = matches!(job, Some(Job::Running { .. }));
    html! {
        div.box.noprint {
            @match job {
                Some(Job::Running { since, by, done }) => {
                    p {
                        (lang.t("正在排班 (", "Planning (started by ")) (by) "), "
                        (lang.t("已用 ", "running for ")) (since.elapsed().as_secs()) (lang.t(" 秒; 本页每 2 秒刷新.", " s; this page refreshes every 2 s."))
                    }
                    @if let Ok(g) = done.lock() {
                        @if g.1 > 0 { p { (lang.t("已完成 ", "Tiers done: ")) (g.0.len()) " / " (g.1) } }
                        ul { @for t in &g.0 { li { (tier_line(t, None, lang)) } } }
                    }
                }
                Some(Job::Failed(why)) => { p.error { (lang.t("排班未完成: ", "Planning failed: ")) (why.render(lang)) } }
                Some(Job::Done(d)) => { (draft_box(st, csrf, monday, snap, d, lang)) }
                None => { p { (lang.t("本周尚无草稿.", "No draft for this week.")) } }
            }
            @if !running {
                form method="post" action=(format!("/week/{monday}/plan")) {
                    (csrf_field(csrf))
                    button type="submit" { (lang.t("排这一周", "Plan this week")) }
                    " " span.t { (lang.t("(在后台运行; 每层最优性都会证明)", "(runs in the background; each tier is proven optimal or its gap shown)")) }
                }
            }
        }
    }
}

/// The draft: each tier in plain words, open seats, the change list
/// against the published version, and the publish form.
fn draft_box(
    st: &Shared,
    csrf: &str,
    monday: NaiveDate,
    snap: &Snapshot,
    d: &Arc<Draft>,
    lang: Lang,
) -> Markup {
    let open: u32 = d.plan.uncovered.iter().map(|u| u.1).sum();
    let latest = snap.latest.as_ref();
    let same = latest.is_some_and(|(_, b)| *b == d.bytes);
    let base = latest.map_or(0, |(i, _)| i.version);
    html! {
        p {
            strong { (lang.t("草稿", "Draft")) } " (" (d.by) ", " (format!("{:.1}", d.seconds)) (lang.t(" 秒", " s")) "). "
            a href="?view=draft" { (lang.t("查看草稿排班", "Show the draft roster")) }
        }
        @match &d.origin {
            Origin::Planned => { ul { @for line in tier_words(&d.plan, lang) { li { (line) } } } }
            Origin::Edited(n) => { p { (lang.t("手工调整 ", "Edited by hand ")) (n) (lang.t(" 处, 每处都已通过独立检查; 各层最优性的证明属于排班程序的排班, 不再适用于这份草稿.", " time(s), each checked by the independent checker; the tiers' proofs were of the planner's roster and no longer apply to this draft.")) } }
            Origin::Repair { absent, changes } => { (super::repair::changes(&snap.school, &d.plan, *absent, changes, lang)) }
        }
        @if open > 0 { p.error { (lang.t("草稿空缺人次: ", "Seats the draft leaves open: ")) (open) } }
        @if same {
            p { (lang.t("这份草稿就是已发布的版本.", "This draft is the published version.")) }
        } @else {
            (changes(st, snap, d, lang))
            form method="post" action=(format!("/week/{monday}/publish")) {
                (csrf_field(csrf))
                input type="hidden" name="draft" value=(d.id);
                input type="hidden" name="base" value=(base);
                button type="submit" { (lang.t("发布为 v", "Publish as v")) (base + 1) }
            }
        }
    }
}

/// Hand edits, pins and the absence repair.
fn edit_box(
    st: &Shared,
    cx: &Cx,
    monday: NaiveDate,
    snap: &Snapshot,
    pins: &[crate::plan::Pin],
    lang: Lang,
) -> Markup {
    let csrf = cx.me.as_ref().map_or("", |m| m.csrf.as_str());
    let dm = demand::week(&st.now().policy, &snap.school, monday);
    html! {
        div.box.noprint {
            p { (lang.t("手工调整: 点击总表中的任务, 查看谁可以担任 (以及其他人为什么不行), 调换、互换或锁定.", "Hand edits: click a duty in the grid to see who could take it (and why the others cannot), then move, swap or pin.")) }
            @if !pins.is_empty() {
                p { (lang.t("锁定的安排 (重新排班和修复时保留): ", "Pinned (kept by planning and repair): "))
                    @for (k, pin) in pins.iter().enumerate() {
                        @if k > 0 { "; " }
                        @if let (Some(d), Some(_)) = (dm.duties.get(pin.duty), snap.school.staff.get(pin.staff)) {
                            a href=(super::edit::seat_link(monday, &d.id, None)) { (snap.school.shown_name(pin.staff)) " · " (d.date.format("%m-%d")) " " (d.group) }
                        }
                    }
                }
            }
            @if snap.latest.is_some() {
                h3 { (lang.t("有人缺勤", "Someone is absent")) }
                (super::repair::form(&snap.school, csrf, monday, lang))
            }
        }
    }
}

/// Each tier's value and proven bound, said in words.
fn tier_words(p: &Plan, lang: Lang) -> Vec<String> {
    p.tiers
        .iter()
        .map(|t| tier_line(t, Some(p.stats.priority_weights), lang))
        .collect()
}

/// One tier in words; open seats are counted with the priority weights
/// (without them, while planning runs, the tier 1 line gives no count).
fn tier_line(t: &plan::TierReport, weights: Option<[f64; 3]>, lang: Lang) -> String {
    let label = outputs::terminal::tier_label(t.name, lang);
    let seats = |w: [f64; 3], v: f64| plan::by_priority(w, v).iter().sum::<f64>();
    let values = match (t.name, weights) {
        ("uncovered", Some(w)) => Some((seats(w, t.objective), seats(w, t.bound))),
        ("uncovered", None) => None,
        _ => Some((t.objective, t.bound)),
    };
    let proof = match (t.optimal, values.is_some()) {
        (true, true) => lang
            .t(
                "已证明最优 (不可能更好)",
                "proven optimal (no roster does better)",
            )
            .to_string(),
        _ => outputs::terminal::tier_status(t, lang),
    };
    // Never NaN: a value or bound not known is a dash.
    let num = outputs::terminal::number;
    match (values, lang) {
        (None, Lang::Zh) => format!("第 {} 层 {label}: {proof}", t.tier),
        (None, Lang::En) => format!("tier {} {label}: {proof}", t.tier),
        (Some((v, b)), Lang::Zh) => format!(
            "第 {} 层 {label}: 取得 {}, 已证明的界 {}, {proof}",
            t.tier,
            num(v),
            num(b)
        ),
        (Some((v, b)), Lang::En) => format!(
            "tier {} {label}: {}, proven bound {}, {proof}",
            t.tier,
            num(v),
            num(b)
        ),
    }
}

/// Who serves each duty, as a map duty id → staff ids (sorted).
fn holders(rows: &[roster::Row]) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rows {
        m.entry(r.duty_id.clone())
            .or_default()
            .extend(r.staff_id.clone());
    }
    for v in m.values_mut() {
        v.sort();
    }
    m
}

/// The duties whose people the draft changes against the published version.
fn changes(st: &Shared, snap: &Snapshot, d: &Draft, lang: Lang) -> Markup {
    let Some((_, bytes)) = &snap.latest else {
        return html! {};
    };
    let Ok(before) = roster::parse(std::path::Path::new("published"), bytes) else {
        return html! {};
    };
    let (old, new) = (
        holders(&before),
        holders(&roster::from_plan(&snap.school, &d.plan)),
    );
    let name = |id: &String| {
        st.now()
            .school
            .staff_index(id)
            .map_or(id.clone(), |i| st.now().school.shown_name(i).into_owned())
    };
    let names = |v: Option<&Vec<String>>| {
        v.map_or(String::new(), |v| {
            v.iter().map(name).collect::<Vec<_>>().join("、")
        })
    };
    let mut ids: Vec<&String> = old.keys().chain(new.keys()).collect();
    ids.sort();
    ids.dedup();
    let changed: Vec<(&String, String, String)> = ids
        .into_iter()
        .filter(|id| old.get(*id) != new.get(*id))
        .map(|id| (id, names(old.get(id)), names(new.get(id))))
        .collect();
    html! {
        p { (lang.t("与已发布版本相比变更的任务: ", "Duties changed from the published version: ")) (changed.len()) }
        @if !changed.is_empty() {
            table { tr { th { (lang.t("任务编号", "Duty")) } th { (lang.t("原来", "Before")) } th { (lang.t("草稿", "Draft")) } }
                @for (id, a, b) in &changed { tr { td { (id) } td { (a) } td { (b) } } }
            }
        }
    }
}

/// Each person with duties: duties, hours, the term's load to date.
fn people(s: &School, plan: &Plan, lang: Lang, monday: NaiveDate) -> Markup {
    let loads = roster::person_loads(s, &plan.demand, plan);
    html! {
        h2 { (lang.t("每人负荷", "Load per person")) }
        @let relative: Vec<f64> = loads.iter().filter_map(|l| l.relative).collect();
        @if !relative.is_empty() {
            figure.chart { (maud::PreEscaped(crate::outputs::chart::histogram(
                lang.t("本周相对负荷的分布", "Relative loads this week"),
                lang.t("相对负荷 (学期累计 ÷ 工作量系数)", "relative load (term to date / quota)"),
                lang.t("人数", "people"),
                &crate::outputs::chart::bins(&relative, 8),
            ))) }
        }
        div.scroll { table {
            tr {
                th { (lang.t("工号", "ID")) } th { (lang.t("姓名", "Name")) }
                th.num { (lang.t("本周任务", "Duties")) } th.num { (lang.t("本周小时", "Hours")) }
                th.num { (lang.t("学期累计 (加权小时, 含本周)", "Term to date (weighted hours, with this week)")) }
                th.num { (lang.t("相对负荷", "Relative load")) }
            }
            @for l in loads.iter().filter(|l| l.duties > 0) {
                @let st = &s.staff[l.staff];
                tr {
                    td { (st.id) }
                    td { a href=(format!("/duties/{}?week={monday}", st.id)) { (s.shown_name(l.staff)) } }
                    td.num { (l.duties) }
                    td.num { (format!("{:.2}", f64::from(l.minutes) / 60.0)) }
                    td.num { (format!("{:.2}", (l.prior + l.week_load) as f64 / LOAD_PER_HOUR as f64)) }
                    td.num { (l.relative.map_or(String::from("—"), |r| format!("{r:.3}"))) }
                }
            }
        } }
    }
}

/// Start planning the week in the background; back to the week page.
pub(crate) async fn plan(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(monday): Path<String>,
) -> Result<Response, Fail> {
    let me = me(&cx)?;
    let monday = week_path(cx.lang, &monday)?;
    Jobs::start(&st, monday, &me.user.login);
    Ok(Redirect::to(&format!("/week/{monday}")).into_response())
}

/// The form's base (the version the page showed; 0: none) and draft id.
fn publish_fields(cx: &Cx) -> Result<(Base, u64), Fail> {
    let lang = cx.lang;
    let base = cx.field("base").parse::<u32>().map_err(|_| {
        Fail::field(
            lang,
            "base",
            lang.t(
                "应为页面显示的版本号 (0 表示尚未发布)",
                "expected the version the page showed (0: none)",
            ),
        )
    })?;
    let draft = cx.field("draft").parse::<u64>().map_err(|_| {
        Fail::field(
            lang,
            "draft",
            lang.t(
                "应为页面显示的草稿编号",
                "expected the draft number the page showed",
            ),
        )
    })?;
    Ok((
        if base == 0 {
            Base::Unpublished
        } else {
            Base::Version(base)
        },
        draft,
    ))
}

/// Publish the draft the page showed, based on the version it showed: a
/// version published in between refuses it (nothing is overwritten).
pub(crate) async fn publish(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(monday): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let monday = week_path(lang, &monday)?;
    let (base, draft_id) = publish_fields(&cx)?;
    let draft = match st.jobs.get(monday) {
        Some(Job::Done(d)) if d.id == draft_id => d,
        _ => {
            return Err(Fail::new(
                axum::http::StatusCode::CONFLICT,
                lang,
                lang.t("这份草稿已不是本周当前的草稿 (有人重新排了班); 未做任何更改. 请重新打开本周页面", "this draft is no longer the week's current draft (someone planned again); nothing was changed. Open the week again"),
            ))
        }
    };
    let by = Actor {
        who: me.user.login.clone(),
        via: draft.origin.via().into(),
    };
    let st2 = st.clone();
    let v = st
        .db(move |rec| {
            let (p, s) = (&st2.now().policy, &st2.now().school);
            let rows = roster::parse(std::path::Path::new("draft"), &draft.bytes)?;
            let dm = demand::week(p, s, monday);
            let violations = check::check(p, s, &dm, &rows);
            if !violations.is_empty() {
                let why = violations
                    .iter()
                    .map(|v| Said::new(v.render(Lang::Zh), v.render(Lang::En)))
                    .collect();
                return Err(Error::Refused(why));
            }
            rec.write(|tx| admit::publish(tx, p, s, &dm, &rows, &draft.bytes, base, &by))
        })
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    // Committed: the robot's digest goes out in the background.
    crate::web::robot::after_publish(&st, monday, v, &me.user.login);
    Ok(Redirect::to(&format!("/week/{monday}?published={v}")).into_response())
}
