//! The school's data in the browser: each table shown (counts, export,
//! template), a row edited inline (each row a small form, checked on
//! submit as loading would check it, the message beside the field it
//! names), rows added and deleted, and a table imported from Excel or CSV
//! with a preview of every row's change and problems before anything is
//! saved. The work is the library's (`input::import`,
//! `outputs::template`); this page shows it.

use std::sync::Mutex;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use maud::{html, Markup};

use crate::error::{Diagnostic, Said};
use crate::input::import::{
    self, header as col_header, Cells, Change, Current, Preview, TableKind,
};
use crate::lang::Lang;
use crate::record::accounts::Role;

use super::me;
use crate::web::guard::Cx;
use crate::web::layout::{csrf_field, ok, page, Fail};
use crate::web::{blocking, Shared};

/// One write to the data folder at a time (an import, a row), with its reload.
static WRITE: Mutex<()> = Mutex::new(());

fn kind_of(lang: Lang, table: &str) -> Result<TableKind, Fail> {
    TableKind::parse(table).ok_or_else(|| {
        Fail::new(
            StatusCode::NOT_FOUND,
            lang,
            lang.t("没有这个数据表", "no such table"),
        )
    })
}

fn label(kind: TableKind, lang: Lang) -> String {
    kind.label().render(lang).to_string()
}

fn current(st: &Shared, lang: Lang) -> Result<Current, Fail> {
    Current::read(&st.ws.data).map_err(|e| Fail::from_error(lang, &e))
}

fn hash(bytes: &[u8]) -> String {
    Blake2b::<U32>::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `GET /data`: every table with its rows and links.
pub(crate) async fn index(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let me = me(&cx)?;
    let cur = current(&st, lang)?;
    let admin = me.user.role == Role::Admin;
    let body = html! {
        p { (lang.t(
            "学校的数据表 (data/ 文件夹). 可下载模板在 Excel 中填写后导入; 导入前先预览每一行的变化和问题.",
            "The school's tables (the data/ folder). Download a template, fill it in Excel and import it; every row's change and problems are previewed before anything is saved.")) }
        table {
            tr {
                th { (lang.t("数据表", "Table")) }
                th { (lang.t("文件", "File")) }
                th.num { (lang.t("行数", "Rows")) }
                th { "" }
            }
            @for kind in TableKind::ALL {
                @let n = cur.bytes[kind.index()].is_some();
                tr {
                    td { a href={"/data/" (kind.stem())} { (label(kind, lang)) } }
                    td { @if n { (cur.names[kind.index()]) } @else { (lang.t("(无)", "(none)")) } }
                    td.num { (cur.rows(kind).len()) }
                    td {
                        a href={"/data/" (kind.stem()) "/export.csv"} { (lang.t("导出 CSV", "Export CSV")) }
                        " · "
                        a href={"/data/" (kind.stem()) "/template.xlsx"} { (lang.t("模板", "Template")) }
                        @if admin {
                            " · "
                            a href={"/data/" (kind.stem()) "/import"} { (lang.t("导入", "Import")) }
                        }
                    }
                }
            }
        }
    };
    Ok(ok(page(
        lang,
        lang.t("学校数据", "School data"),
        Some(me),
        body,
    )))
}

/// A row being edited that was refused: what was typed and why.
struct Editing {
    /// The key of the row edited (None: the new row).
    key: Option<String>,
    cells: Cells,
    /// Problems of the row (by field) and of the rest of the school.
    row: Vec<Diagnostic>,
    general: Vec<Diagnostic>,
    /// Only checked as it is typed (`check=1`): nothing was submitted.
    live: bool,
}

/// `GET /data/{table}`: the table; the office edits it row by row.
pub(crate) async fn show(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(table): Path<String>,
) -> Result<Response, Fail> {
    let kind = kind_of(cx.lang, &table)?;
    let body = table_page(&st, &cx, kind, None)?;
    Ok(ok(body))
}

fn table_page(
    st: &Shared,
    cx: &Cx,
    kind: TableKind,
    editing: Option<&Editing>,
) -> Result<Markup, Fail> {
    let lang = cx.lang;
    let me = me(cx)?;
    let cur = current(st, lang)?;
    let rows = cur.keyed_rows(kind);
    let admin = me.user.role == Role::Admin;
    let cols = kind.columns();
    let title = format!(
        "{} · {}",
        lang.t("学校数据", "School data"),
        label(kind, lang)
    );
    let saved = cx.query.get("saved").map(String::as_str);
    let body = html! {
        p.noprint {
            a href="/data" { (lang.t("全部数据表", "All tables")) } " · "
            a href={"/data/" (kind.stem()) "/export.csv"} { (lang.t("导出 CSV", "Export CSV")) } " · "
            a href={"/data/" (kind.stem()) "/template.xlsx"} { (lang.t("下载模板", "Download template")) }
            @if admin { " · " a href={"/data/" (kind.stem()) "/import"} { (lang.t("从 Excel 导入", "Import from Excel")) } }
        }
        @if let Some(s) = saved {
            p.banner { (lang.t("已保存", "Saved")) @if !s.is_empty() { ": " (s) } }
        }
        @if let Some(e) = editing.filter(|e| !e.live) {
            div.box.warn {
                p.error { (lang.t("未保存: 请改正标出的字段", "Not saved: correct the fields marked")) }
                @for d in e.general.iter().chain(e.row.iter().filter(|d| field_col(kind, &d.field).is_none())) {
                    p.error { (d.render(lang)) }
                }
            }
        }
        p { (rows.len()) " " (lang.t("行", "rows")) }
        div.scroll {
            table.data {
                tr {
                    @for (c, _, req) in cols {
                        th { (col_header(cols, c, lang == Lang::En)) @if *req { " *" } }
                    }
                    @if admin { th.noprint { "" } }
                }
                @for (i, (key, cells)) in rows.iter().enumerate() {
                    @let e = editing.filter(|e| e.key.as_deref() == Some(key.as_str()));
                    (row_markup(cx, kind, &format!("r{i}"), Some(key.as_str()), e.map_or(cells, |e| &e.cells), e, admin))
                }
                @if admin {
                    @let e = editing.filter(|e| e.key.is_none());
                    @let blank = Cells::new();
                    (row_markup(cx, kind, "new", None, e.map_or(&blank, |e| &e.cells), e, admin))
                }
            }
        }
        (choices(kind, &st.now().policy, lang))
    };
    Ok(page(lang, &title, Some(me), body))
}

/// The column a message's field names (as kehou writes the header, or in English).
fn field_col(kind: TableKind, field: &Said) -> Option<&'static str> {
    let cols = kind.columns();
    cols.iter()
        .find(|(c, _, _)| col_header(cols, c, false) == field.zh || *c == field.en)
        .map(|(c, _, _)| *c)
}

/// One row: its cells as inputs of the row's own form (an administrator)
/// or as text (the others).
fn row_markup(
    cx: &Cx,
    kind: TableKind,
    id: &str,
    key: Option<&str>,
    cells: &Cells,
    editing: Option<&Editing>,
    admin: bool,
) -> Markup {
    let lang = cx.lang;
    let cols = kind.columns();
    let csrf = cx.me.as_ref().map_or("", |m| m.csrf.as_str());
    html! {
        tr id={"row-" (id)} {
            @for (c, _, req) in cols {
                @let v = cells.get(c).map_or("", |s| s.as_str());
                @let problems: Vec<&Diagnostic> = editing.map(|e| e.row.iter().filter(|d| field_col(kind, &d.field) == Some(*c)).collect()).unwrap_or_default();
                td {
                    @if admin {
                        input form=(id) name={"f_" (c)} value=(v) size="10" required[*req && *c != "sessions"]
                            pattern=[pattern(c)] title=[pattern(c).map(|_| lang.t("数字", "a number"))]
                            list={"list-" (c)} aria-label=(col_header(cols, c, lang == Lang::En))
                            aria-invalid=[(!problems.is_empty()).then_some("true")];
                    } @else { (v) }
                    @for d in problems {
                        div.error.field-error {
                            (d.field.render(lang)) ": "
                            (lang.t("发现 ", "found ")) (d.found.render(lang)) "; "
                            (lang.t("应为 ", "expected ")) (d.expected.render(lang))
                        }
                    }
                }
            }
            @if admin {
                td.noprint {
                    // Checked as it is typed (assets/live.js): the answer's
                    // check-<row> replaces this one.
                    div.live-check id={"check-" (id)} {
                        @if let Some(e) = editing.filter(|e| e.live) {
                            @if e.row.is_empty() && e.general.is_empty() {
                                span.ok { (lang.t("✓ 可以保存", "✓ can be saved")) }
                            }
                            @for d in e.row.iter().chain(e.general.iter()) { div.error { (d.render(lang)) } }
                        }
                    }
                    form id=(id) method="post" action={"/data/" (kind.stem()) "/row"}
                        data-live={"#check-" (id)} data-live-url={"/data/" (kind.stem()) "/row"} {
                        (csrf_field(csrf))
                        @if let Some(k) = key { input type="hidden" name="key" value=(k); }
                        @if key.is_some() {
                            button type="submit" name="action" value="save" { (lang.t("保存", "Save")) }
                            " "
                            button type="submit" name="action" value="delete" formnovalidate { (lang.t("删除", "Delete")) }
                        } @else {
                            button type="submit" name="action" value="add" { (lang.t("添加", "Add")) }
                        }
                    }
                }
            }
        }
    }
}

/// What the browser checks while a number cell is typed (digits, full-width
/// ones too, as the loader reads them); the loader checks the rest on submit.
fn pattern(col: &str) -> Option<&'static str> {
    match col {
        "grade" | "pupils" | "staff_needed" => Some("[0-9０-９]+([.．]0+)?"),
        "quota" | "hours" => Some("[0-9０-９]+([.．][0-9０-９]+)?"),
        _ => None,
    }
}

/// Suggestions the browser offers while a cell is typed (datalists).
fn choices(kind: TableKind, policy: &crate::model::policy::Policy, lang: Lang) -> Markup {
    let _ = kind;
    let zh = lang == Lang::Zh;
    let pick = |z: &'static [&'static str], e: &'static [&'static str]| if zh { z } else { e };
    let lists: [(&str, Vec<String>); 5] = [
        (
            "role",
            pick(
                &["班主任", "任课教师", "行政", "外聘"],
                &["homeroom", "subject", "admin", "outside"],
            )
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ),
        (
            "weekday",
            pick(
                &["周一", "周二", "周三", "周四", "周五"],
                &["Mon", "Tue", "Wed", "Thu", "Fri"],
            )
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ),
        (
            "active",
            pick(&["是", "否"], &["yes", "no"])
                .iter()
                .map(|s| s.to_string())
                .collect(),
        ),
        (
            "kind",
            pick(&["请假", "意愿"], &["leave", "request"])
                .iter()
                .map(|s| s.to_string())
                .collect(),
        ),
        (
            "exemption",
            policy.exemptions.iter().map(|e| e.id.clone()).collect(),
        ),
    ];
    html! {
        @for (col, values) in &lists {
            datalist id={"list-" (col)} { @for v in values { option value=(v) {} } }
        }
    }
}

/// The cells of a row form (`f_<column>`), trimmed.
fn form_cells(cx: &Cx, kind: TableKind) -> Cells {
    kind.columns()
        .iter()
        .map(|(c, _, _)| (*c, cx.field(&format!("f_{c}")).to_string()))
        .collect()
}

/// `POST /data/{table}/row`: save, add or delete one row, checked first.
pub(crate) async fn row(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(table): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let kind = kind_of(lang, &table)?;
    // A live check (`check=1`) posts no button: its action follows from the key.
    let live = cx.field("check") == "1";
    let action = match (live, cx.field("action"), cx.field("key").is_empty()) {
        (true, "", true) => "add".to_string(),
        (true, "", false) => "save".to_string(),
        (_, a, _) => a.to_string(),
    };
    let key = Some(cx.field("key").to_string()).filter(|k| !k.is_empty() || action != "add");
    let cells = (action != "delete").then(|| form_cells(&cx, kind));
    let st2 = st.clone();
    let (key2, cells2) = (key.clone(), cells.clone());
    let result = blocking(move || {
        let _w = WRITE.lock().unwrap_or_else(|p| p.into_inner());
        let cur = Current::read(&st2.ws.data)?;
        let now = st2.now();
        let p = import::edit_row(&now.policy, &cur, kind, key2.as_deref(), cells2);
        if p.ok() && !live {
            save(&st2, kind, &p)?;
        }
        Ok(p)
    })
    .await
    .map_err(|e| Fail::from_error(lang, &e))?;
    if result.ok() && !live {
        let what = match action.as_str() {
            "delete" => lang.t("已删除一行", "a row deleted"),
            "add" => lang.t("已添加一行", "a row added"),
            _ => lang.t("已修改一行", "a row changed"),
        };
        let q = serde_urlencoded::to_string([("saved", what)]).unwrap_or_default();
        return Ok(Redirect::to(&format!("/data/{}?{q}", kind.stem())).into_response());
    }
    let editing = Editing {
        key: if action == "add" { None } else { key },
        cells: cells.unwrap_or_default(),
        row: result
            .rows
            .iter()
            .flat_map(|r| r.problems.clone())
            .collect(),
        general: result.problems.clone(),
        live,
    };
    let body = table_page(&st, &cx, kind, Some(&editing))?;
    let status = if live && result.ok() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok((status, Html(body.into_string())).into_response())
}

/// Write the table, keep the old file, load the school again.
fn save(st: &Shared, kind: TableKind, p: &Preview) -> crate::error::Result<()> {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    crate::outputs::school_files::save(&st.ws.data, kind, &p.merged, &stamp)?;
    st.reload()
}

/// `GET /data/{table}/import`: the upload form.
pub(crate) async fn import_form(
    State(_st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(table): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let kind = kind_of(lang, &table)?;
    let me = me(&cx)?;
    let title = format!("{} · {}", lang.t("导入", "Import"), label(kind, lang));
    let body = html! {
        p { (lang.t(
            "选择一个 Excel 工作簿 (.xlsx、.xls) 或 CSV 文件 (UTF-8、GBK 或 UTF-16). 编号相同的行会更新原来的行, 新编号的行会被添加, 不会重复; 表中其他的行保留. 上传后先显示预览, 确认后才保存.",
            "Choose an Excel workbook (.xlsx, .xls) or a CSV file (UTF-8, GBK or UTF-16). A row whose id is already in the table updates that row, a new id adds a row, never twice; the table's other rows stay. A preview is shown first; nothing is saved before you confirm.")) }
        p { a href={"/data/" (kind.stem()) "/template.xlsx"} { (lang.t("下载模板", "Download the template")) } }
        form.stack method="post" enctype="multipart/form-data" action={"/data/" (kind.stem()) "/import"} {
            (csrf_field(&me.csrf))
            label { (lang.t("文件", "File"))
                input type="file" name="file" required accept=".xlsx,.xls,.csv,.txt"; }
            button type="submit" { (lang.t("上传并预览", "Upload and preview")) }
        }
    };
    Ok(ok(page(lang, &title, Some(me), body)))
}

/// `POST /data/{table}/import`: the preview; nothing is saved.
pub(crate) async fn import_preview(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(table): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let kind = kind_of(lang, &table)?;
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
    let st2 = st.clone();
    let up2 = up.clone();
    let preview = blocking(move || {
        let cur = Current::read(&st2.ws.data)?;
        Ok(import::preview(
            &st2.now().policy,
            &cur,
            kind,
            &up2.name,
            &up2.bytes,
        ))
    })
    .await
    .map_err(|e| Fail::from_error(lang, &e))?;
    let token = if preview.ok() {
        let t = crate::web::auth::token().map_err(|e| Fail::from_error(lang, &e))?;
        let merged = hash(&preview.merged);
        st.uploads.put(
            t.clone(),
            kind.stem(),
            &me.user.login,
            (*up).clone(),
            merged,
        );
        Some(t)
    } else {
        None
    };
    let title = format!(
        "{} · {}",
        lang.t("导入预览", "Import preview"),
        label(kind, lang)
    );
    let body = preview_markup(lang, kind, &up.name, &preview, token.as_deref(), &me.csrf);
    Ok(ok(page(lang, &title, Some(&me), body)))
}

fn change_words(c: &Change, lang: Lang) -> (&'static str, Vec<String>) {
    match c {
        Change::Added => (lang.t("新增", "added"), Vec::new()),
        Change::Unchanged => (lang.t("不变", "unchanged"), Vec::new()),
        Change::Updated(fs) => (
            lang.t("更新", "updated"),
            fs.iter()
                .map(|(f, old, new)| format!("{}: \"{old}\" → \"{new}\"", f.render(lang)))
                .collect(),
        ),
    }
}

fn preview_markup(
    lang: Lang,
    kind: TableKind,
    name: &str,
    p: &Preview,
    token: Option<&str>,
    csrf: &str,
) -> Markup {
    let (added, updated, same) = p.counts();
    let problems = p.all_problems();
    html! {
        p { (lang.t("文件", "File")) ": " strong { (name) } " · "
            (lang.t("尚未保存任何内容", "nothing has been saved yet")) }
        p.counts {
            (lang.t("新增 ", "added ")) strong.added { (added) } " · "
            (lang.t("更新 ", "updated ")) strong.updated { (updated) } " · "
            (lang.t("不变 ", "unchanged ")) strong.unchanged { (same) } " · "
            (lang.t("问题 ", "problems ")) strong.problems { (problems.len()) }
        }
        @if !problems.is_empty() {
            div.box.warn {
                p.error { (lang.t("有问题, 不能导入: 请在 Excel 中改正后重新上传.", "There are problems, so it cannot be imported: correct them in Excel and upload again.")) }
                ul.problems { @for d in &problems { li { (d.render(lang)) } } }
            }
        }
        @if !p.warnings.is_empty() {
            div.box {
                p { (lang.t("警告 (不影响导入)", "Warnings (they do not stop the import)")) }
                ul { @for d in &p.warnings { li { (d.render(lang)) } } }
            }
        }
        @if let Some(t) = token {
            form method="post" action={"/data/" (kind.stem()) "/import/confirm"} {
                (csrf_field(csrf))
                input type="hidden" name="token" value=(t);
                button type="submit" { (lang.t("确认导入", "Confirm the import")) }
                " "
                a href={"/data/" (kind.stem())} { (lang.t("取消", "Cancel")) }
            }
        } @else {
            p { a href={"/data/" (kind.stem()) "/import"} { (lang.t("重新上传", "Upload again")) } }
        }
        div.scroll {
            table.preview {
                tr {
                    th.num { (lang.t("行", "Row")) }
                    th { (lang.t("编号", "Id")) }
                    th { (lang.t("变化", "Change")) }
                    th { (lang.t("问题", "Problems")) }
                }
                @for r in &p.rows {
                    @let (word, fields) = change_words(&r.change, lang);
                    tr {
                        td.num { (r.line) }
                        td { (r.key) }
                        td { (word) @for f in &fields { br; span.t { (f) } } }
                        td { @for d in &r.problems { div.error {
                            (d.field.render(lang)) ": " (lang.t("发现 ", "found ")) (d.found.render(lang)) "; "
                            (lang.t("应为 ", "expected ")) (d.expected.render(lang)) } } }
                    }
                }
            }
        }
    }
}

/// `POST /data/{table}/import/confirm`: save exactly the previewed import.
pub(crate) async fn import_confirm(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(table): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let kind = kind_of(lang, &table)?;
    let me = me(&cx)?.clone();
    let gone = || {
        Fail::new(
            StatusCode::CONFLICT,
            lang,
            lang.t(
                "这次上传已过期或已导入; 未做任何更改. 请重新上传",
                "this upload has expired or was imported already; nothing was changed. Upload it again",
            ),
        )
    };
    let pending = st.uploads.take(cx.field("token")).ok_or_else(gone)?;
    if pending.table != kind.stem() || pending.login != me.user.login {
        return Err(gone());
    }
    let st2 = st.clone();
    let p = blocking(move || {
        let _w = WRITE.lock().unwrap_or_else(|p| p.into_inner());
        let cur = Current::read(&st2.ws.data)?;
        let up = &pending.upload;
        let p = import::preview(&st2.now().policy, &cur, kind, &up.name, &up.bytes);
        if p.ok() && hash(&p.merged) == pending.merged {
            save(&st2, kind, &p)?;
            Ok(Some(p))
        } else {
            Ok(None)
        }
    })
    .await
    .map_err(|e| Fail::from_error(lang, &e))?;
    let Some(p) = p else {
        return Err(Fail::new(
            StatusCode::CONFLICT,
            lang,
            lang.t(
                "预览之后数据已有变化, 导入结果会与预览不同; 未做任何更改. 请重新上传并查看预览",
                "the data changed after the preview, so the import would differ from it; nothing was changed. Upload again and look at the preview",
            ),
        ));
    };
    let (a, u, _) = p.counts();
    let what = match lang {
        Lang::Zh => format!("导入完成: 新增 {a} 行, 更新 {u} 行"),
        Lang::En => format!("imported: {a} rows added, {u} updated"),
    };
    let q = serde_urlencoded::to_string([("saved", what)]).unwrap_or_default();
    Ok(Redirect::to(&format!("/data/{}?{q}", kind.stem())).into_response())
}

/// `GET /data/{table}/export.csv`: the table as the school's CSV.
pub(crate) async fn export(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(table): Path<String>,
) -> Result<Response, Fail> {
    let kind = kind_of(cx.lang, &table)?;
    let cur = current(&st, cx.lang)?;
    let rows = cur.rows(kind);
    let bytes = import::to_csv(kind, rows.iter().map(|(_, c)| c));
    Ok(super::download(
        "text/csv; charset=utf-8",
        kind.file_name().to_string(),
        bytes,
    ))
}

/// `GET /data/{table}/template.xlsx`: the workbook to fill in.
pub(crate) async fn template(
    State(st): State<Shared>,
    Extension(cx): Extension<Cx>,
    Path(table): Path<String>,
) -> Result<Response, Fail> {
    let lang = cx.lang;
    let kind = kind_of(lang, &table)?;
    let now = st.now();
    let bytes = crate::outputs::template::template(kind, &now.policy, &now.school, lang)
        .map_err(|e| Fail::from_error(lang, &e))?;
    let mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    Ok(super::download(
        mime,
        format!("{}-template.xlsx", kind.stem()),
        bytes,
    ))
}
