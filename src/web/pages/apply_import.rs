//! A WeCom or WeChat form's export (`.xlsx`) of applications (issue 20,
//! item 1), entered by the office: the first sheet, a header row naming
//! 班级, 学生姓名, 家长姓名, 联系电话, 参加星期, 参加时段, 社团志愿 (other
//! columns, such as the form's submission time, are ignored). The preview
//! names every bad cell by its row and column and records nothing; a row
//! whose pupil (class and name) already has an application is skipped,
//! so a form exported again adds only its new rows. The confirm records
//! exactly what the preview showed, or nothing.

use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::Weekday;
use maud::{html, Markup};

use crate::enrol::{self, Actor as By, Choice};
use crate::error::Said;
use crate::lang::Lang;
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::record::Actor;

use super::apply::{clubs, days, sessions};
use super::me;
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, ok, page, Fail};
use crate::web::upload::Upload;
use crate::web::{blocking, Loaded, Shared};

/// The columns, by their header: (header, required).
const COLUMNS: [(&str, bool); 7] = [
    ("班级", true),
    ("学生姓名", true),
    ("家长姓名", false),
    ("联系电话", false),
    ("参加星期", true),
    ("参加时段", true),
    ("社团志愿", false),
];

/// The most rows (below the header) one import reads: a whole school's
/// form for a term (a 48-class school has about 2,000 pupils), with room.
/// A larger sheet is refused before any row is read.
pub(crate) const MAX_ROWS: usize = 5_000;

/// The most bytes an import's workbook may hold: 5,000 rows of a form
/// are well under 1 MiB, and the sheet is read into memory whole.
pub(crate) const MAX_BYTES: usize = 8 * 1024 * 1024;

/// The upload table name the pending uploads are kept under.
const TABLE: &str = "applications";

/// One row to record.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub line: usize,
    pub pupil: String,
    pub guardian: String,
    pub phone: String,
    pub choice: Choice,
    /// The pupil already has an application: skipped.
    pub known: bool,
}

/// A bad cell: its row (as Excel shows it), its column, why.
#[derive(Debug, Clone)]
pub(crate) struct Bad {
    pub line: usize,
    pub column: String,
    pub why: Said,
}

fn parts(cell: &str) -> Vec<String> {
    cell.split(['、', ',', '，', ';', '；', '/', '|', ' ', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn weekday(s: &str) -> Option<Weekday> {
    let d = s
        .trim_start_matches("星期")
        .trim_start_matches("礼拜")
        .trim_start_matches('周');
    let n = match d {
        "一" | "1" | "Mon" | "Monday" => 0,
        "二" | "2" | "Tue" | "Tuesday" => 1,
        "三" | "3" | "Wed" | "Wednesday" => 2,
        "四" | "4" | "Thu" | "Thursday" => 3,
        "五" | "5" | "Fri" | "Friday" => 4,
        "六" | "6" | "Sat" | "Saturday" => 5,
        "日" | "天" | "7" | "Sun" | "Sunday" => 6,
        _ => return None,
    };
    Weekday::try_from(n).ok()
}

/// A row's choice from its cells; the bad cells named.
fn choice_of(p: &Policy, s: &School, cells: &[String], line: usize, bad: &mut Vec<Bad>) -> Choice {
    let mut fault = |col: &str, why: Said| {
        bad.push(Bad {
            line,
            column: col.to_string(),
            why,
        })
    };
    let mut weekdays = Vec::new();
    for d in parts(&cells[4]) {
        match weekday(&d) {
            Some(w) if !weekdays.contains(&w) => weekdays.push(w),
            Some(_) => {}
            None => fault(
                "参加星期",
                Said::new(
                    format!("「{d}」不是星期几 (如 周一、周三)"),
                    format!("「{d}」 is not a weekday (such as 周一、周三)"),
                ),
            ),
        }
    }
    weekdays.sort_by_key(|w| w.num_days_from_monday());
    let choices = enrol::session_choices(p);
    let mut keys = Vec::new();
    for t in parts(&cells[5]) {
        match choices
            .iter()
            .find(|c| c.key == t || c.label == t || c.label_en.eq_ignore_ascii_case(&t))
        {
            Some(c) if !keys.contains(&c.key) => keys.push(c.key.clone()),
            Some(_) => {}
            None => {
                let all: Vec<&str> = choices.iter().map(|c| c.label.as_str()).collect();
                fault(
                    "参加时段",
                    Said::new(
                        format!("「{t}」不是时段 (可选: {})", all.join("、")),
                        format!("「{t}」 is not a session (one of: {})", all.join(", ")),
                    ),
                )
            }
        }
    }
    keys.sort_by_key(|k| choices.iter().position(|c| &c.key == k));
    let mut club_ids: Vec<String> = Vec::new();
    for t in parts(&cells[6]) {
        let id = s
            .clubs
            .iter()
            .find(|c| c.id == t || c.name == t)
            .map_or(t.clone(), |c| c.id.clone());
        if !club_ids.contains(&id) {
            club_ids.push(id);
        }
    }
    Choice {
        class: cells[0].clone(),
        weekdays,
        sessions: keys,
        clubs: club_ids,
    }
}

/// A text cell's problem, if any.
fn text_problem(v: &str, required: bool, max: usize) -> Option<Said> {
    if required && v.is_empty() {
        Some(Said::new("不能为空", "must not be empty"))
    } else if v.chars().count() > max || v.chars().any(char::is_control) {
        Some(Said::new(
            format!("应为不超过 {max} 个字符的一行文字"),
            format!("expected one line of at most {max} characters"),
        ))
    } else {
        None
    }
}

/// The header's column of each of `COLUMNS` (the header on row `line`),
/// or the bad headers.
fn header(first: &[String], line: usize, bad: &mut Vec<Bad>) -> Vec<Option<usize>> {
    let at: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|(h, _)| {
            first
                .iter()
                .position(|c| c.trim().trim_start_matches('\u{feff}') == *h)
        })
        .collect();
    for ((h, required), i) in COLUMNS.iter().zip(&at) {
        if *required && i.is_none() {
            bad.push(Bad {
                line,
                column: (*h).to_string(),
                why: Said::new("表头缺少这一列", "the header row lacks this column"),
            });
        }
    }
    at
}

/// A row's choice and its bad cells: its texts, its phone, its choice
/// (the library's check).
fn check_row(p: &Policy, s: &School, cells: &[String], line: usize, bad: &mut Vec<Bad>) -> Choice {
    let before = bad.len();
    for (i, max) in [(1, 40), (2, 40), (3, 20)] {
        if let Some(why) = text_problem(&cells[i], i == 1, max) {
            bad.push(Bad {
                line,
                column: COLUMNS[i].0.into(),
                why,
            });
        }
    }
    if !cells[3]
        .chars()
        .all(|c| c.is_ascii_digit() || "-+ ".contains(c))
    {
        bad.push(Bad {
            line,
            column: "联系电话".into(),
            why: Said::new("应为电话号码 (数字)", "expected a phone number (digits)"),
        });
    }
    let choice = choice_of(p, s, cells, line, bad);
    if bad.len() == before {
        for pr in enrol::check_choice(p, s, &choice) {
            let column = match pr.field {
                "class" => "班级",
                "weekdays" => "参加星期",
                "sessions" => "参加时段",
                _ => "社团志愿",
            };
            bad.push(Bad {
                line,
                column: column.into(),
                why: pr.why.clone(),
            });
        }
    }
    choice
}

/// The whole workbook's problem: one message, no row.
fn whole(why: Said) -> (Vec<Row>, Vec<Bad>) {
    let bad = Bad {
        line: 0,
        column: "文件".into(),
        why,
    };
    (Vec::new(), vec![bad])
}

/// Why a workbook of `len` bytes is too large to import, if it is.
fn size_problem(len: usize) -> Option<Said> {
    (len > MAX_BYTES).then(|| {
        let mib = MAX_BYTES / (1024 * 1024);
        Said::new(
            format!("文件过大 ({} KiB): 导入申请的工作簿至多 {mib} MiB", len / 1024),
            format!(
                "the file is too large ({} KiB): a workbook of applications may hold at most {mib} MiB",
                len / 1024
            ),
        )
    })
}

/// The workbook's rows and its bad cells, each named by its row as Excel
/// and WPS show it (rows above the header counted). Which rows are
/// already known is `mark_known`'s. Refused whole, before any row is
/// read, when the file or the sheet is larger than an import may be.
pub(crate) fn read(p: &Policy, s: &School, bytes: &[u8]) -> (Vec<Row>, Vec<Bad>) {
    if let Some(why) = size_problem(bytes.len()) {
        return whole(why);
    }
    let sheet = match crate::input::xlsx::Sheet::first(bytes) {
        Ok(t) => t,
        Err(e) => {
            return whole(Said::new(
                format!("不是可以读取的 Excel 工作簿 (.xlsx): {e}"),
                format!("not an Excel workbook that can be read (.xlsx): {e}"),
            ))
        }
    };
    // The header and at most MAX_ROWS rows below it.
    if sheet.height() > MAX_ROWS + 1 {
        return whole(Said::new(
            format!(
                "表格有 {} 行, 超过上限: 一次至多导入 {MAX_ROWS} 行申请 (不含表头); 请分成几个文件上传",
                sheet.height()
            ),
            format!(
                "the sheet has {} rows, over the limit: one import reads at most {MAX_ROWS} rows of applications (besides the header); split it into several files",
                sheet.height()
            ),
        ));
    }
    let mut lines = sheet
        .rows()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let Some((head_line, head)) = lines.next() else {
        let why = Said::new("工作簿是空的", "the workbook is empty");
        return whole(why);
    };
    let mut bad = Vec::new();
    let at = header(&head, head_line, &mut bad);
    if !bad.is_empty() {
        return (Vec::new(), bad);
    }
    let mut rows = Vec::new();
    for (line, rec) in lines {
        let cells: Vec<String> = at
            .iter()
            .map(|i| {
                i.and_then(|i| rec.get(i))
                    .map_or("", |c| c.trim())
                    .to_string()
            })
            .collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let choice = check_row(p, s, &cells, line, &mut bad);
        rows.push(Row {
            line,
            pupil: cells[1].clone(),
            guardian: cells[2].clone(),
            phone: cells[3].clone(),
            choice,
            known: false,
        });
    }
    if rows.is_empty() && bad.is_empty() {
        bad.push(Bad {
            line: head_line + 1,
            column: "学生姓名".into(),
            why: Said::new("表中没有申请", "the sheet holds no application"),
        });
    }
    (rows, bad)
}

/// Mark the rows to skip: a pupil (class and name) who already has an
/// application, or who is on an earlier row of the sheet. One pass, a
/// set of keys (no row compared with every other).
pub(crate) fn mark_known(rows: &mut [Row], known: &HashSet<(String, String)>) {
    let mut seen: HashSet<(String, String)> = HashSet::with_capacity(rows.len());
    for r in rows {
        let key = (r.choice.class.clone(), r.pupil.clone());
        r.known = known.contains(&key) || !seen.insert(key);
    }
}

/// Class and name of every pupil who has an application.
fn known(rec: &mut crate::record::Record) -> crate::Result<HashSet<(String, String)>> {
    rec.read(|tx| {
        Ok(tx
            .applications_of_class(None)?
            .into_iter()
            .map(|a| (a.pupil.class_id, a.pupil.name))
            .collect())
    })
}

fn who(me: &crate::record::accounts::Session) -> Actor {
    Actor {
        who: me.user.login.clone(),
        via: "kehou serve /applications/import".into(),
    }
}

/// `GET /applications/import`: the upload form.
pub(crate) async fn form(Extension(cx): Extension<Cx>) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let body = html! {
        p { (lang.t(
            "选择企业微信或微信收集表导出的 Excel 工作簿 (.xlsx). 第一行为表头: 班级、学生姓名、家长姓名、联系电话、参加星期 (如 周一、周三)、参加时段 (如 作业辅导)、社团志愿 (按顺序, 用顿号分隔); 其他列不读. 上传后先显示预览, 确认后才登记; 已有申请的学生 (同班同名) 跳过.",
            "Choose the Excel workbook (.xlsx) a WeCom or WeChat form exported. Its first row names the columns 班级, 学生姓名, 家长姓名, 联系电话, 参加星期, 参加时段, 社团志愿 (clubs in order); other columns are not read. A preview comes first; nothing is recorded before you confirm; a pupil (same class and name) who already has an application is skipped.")) }
        form.stack method="post" enctype="multipart/form-data" action="/applications/import" {
            (csrf_field(&me.csrf))
            label { (lang.t("文件", "File")) input type="file" name="file" required accept=".xlsx,.xls"; }
            button type="submit" { (lang.t("上传并预览", "Upload and preview")) }
        }
    };
    Ok(ok(page(
        lang,
        lang.t("导入申请问卷", "Import a form's applications"),
        Some(me),
        body,
    )))
}

fn preview(
    lang: Lang,
    p: &Policy,
    s: &School,
    rows: &[Row],
    bad: &[Bad],
    token: Option<&str>,
    csrf: &str,
) -> Markup {
    html! {
        @if !bad.is_empty() {
            p.error { (lang.t("有错误, 不能导入; 请改正后重新上传. 未做任何更改.", "There are errors: nothing can be imported; correct them and upload again. Nothing was changed.")) }
            ul.errors { @for b in bad { li {
                @if b.line > 0 { (lang.t("第 ", "row ")) (b.line) (lang.t(" 行", " ")) }
                "「" (b.column) "」: " (b.why.render(lang)) } } }
        }
        table.apps {
            tr { th { (lang.t("行", "row")) } th { (lang.t("班级", "class")) } th { (lang.t("学生", "pupil")) } th { (lang.t("星期", "weekdays")) } th { (lang.t("时段", "sessions")) } th { (lang.t("社团志愿", "clubs")) } th {} }
            @for r in rows {
                tr { td { (r.line) } td { (r.choice.class) } td { (r.pupil) } td { (days(&r.choice.weekdays, lang)) }
                    td { (sessions(&r.choice.sessions, p, lang)) } td { (clubs(&r.choice.clubs, s, lang)) }
                    td { @if r.known { (lang.t("已有申请, 跳过", "already applied: skipped")) } @else { (lang.t("新申请", "new")) } } }
            }
        }
        @if let Some(t) = token {
            form method="post" action="/applications/import/confirm" {
                (csrf_field(csrf))
                input type="hidden" name="token" value=(t);
                button type="submit" { (lang.t("确认登记", "Confirm and record")) }
            }
        }
    }
}

/// The workbook read off the async threads (a sheet of thousands of rows
/// takes a while), against the school as loaded.
async fn parse(
    now: &Arc<Loaded>,
    up: Arc<Upload>,
    lang: Lang,
) -> Result<(Vec<Row>, Vec<Bad>), Fail> {
    let now = now.clone();
    blocking(move || Ok(read(&now.policy, &now.school, &up.bytes)))
        .await
        .map_err(|e| Fail::from_error(lang, &e))
}

/// `POST /applications/import`: the preview; nothing is recorded.
pub(crate) async fn upload(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?.clone();
    let Some(up) = cx.upload.clone().filter(|u| !u.bytes.is_empty()) else {
        return Err(Fail::field(
            lang,
            lang.t("文件", "file"),
            lang.t(
                "没有选择文件, 或文件是空的",
                "no file chosen, or the file is empty",
            ),
        ));
    };
    if let Some(why) = size_problem(up.bytes.len()) {
        return Err(Fail::field(lang, lang.t("文件", "file"), why.render(lang)));
    }
    let have = st.db(known).await.map_err(|e| Fail::from_error(lang, &e))?;
    let now = st.now();
    let (rows, bad) = parse(&now, up.clone(), lang).await?;
    let mut rows = rows;
    mark_known(&mut rows, &have);
    let status = if bad.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let token = if bad.is_empty() {
        let t = crate::web::auth::token().map_err(|e| Fail::from_error(lang, &e))?;
        st.uploads.put(
            t.clone(),
            TABLE,
            &me.user.login,
            (*up).clone(),
            String::new(),
        );
        Some(t)
    } else {
        None
    };
    let body = preview(
        lang,
        &now.policy,
        &now.school,
        &rows,
        &bad,
        token.as_deref(),
        &me.csrf,
    );
    let title = lang.t("导入预览", "Import preview");
    Ok((status, ok(page(lang, title, Some(&me), body))).into_response())
}

/// `POST /applications/import/confirm`: record the previewed rows, all or none.
pub(crate) async fn confirm(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?.clone();
    let gone = || {
        Fail::new(StatusCode::CONFLICT, lang, lang.t("这次上传已过期或已导入; 未做任何更改. 请重新上传", "this upload has expired or was imported already; nothing was changed. Upload it again"))
    };
    let pending = st.uploads.take(cx.field("token")).ok_or_else(gone)?;
    if pending.table != TABLE || pending.login != me.user.login {
        return Err(gone());
    }
    let now = st.now();
    let by = who(&me);
    let (mut rows, bad) = parse(&now, Arc::new(pending.upload), lang).await?;
    let added = st
        .db(move |rec| {
            if !bad.is_empty() {
                return Ok(None);
            }
            mark_known(&mut rows, &known(rec)?);
            rec.write(|tx| {
                let mut n = 0;
                for r in rows.iter().filter(|r| !r.known) {
                    let pupil = (r.pupil.as_str(), r.guardian.as_str(), r.phone.as_str());
                    tx.enter(pupil, &r.choice, &By::Office, &by)?;
                    n += 1;
                }
                Ok(Some(n))
            })
        })
        .await
        .map_err(|e| Fail::from_error(lang, &e))?;
    let Some(n) = added else {
        return Err(Fail::new(
            StatusCode::CONFLICT,
            lang,
            lang.t(
                "预览之后数据已有变化, 结果会与预览不同; 未做任何更改. 请重新上传",
                "the school's data changed after the preview; nothing was changed. Upload again",
            ),
        ));
    };
    let q = serde_urlencoded::to_string([("imported", n.to_string())]).unwrap_or_default();
    Ok(Redirect::to(&format!("/applications?{q}")).into_response())
}
