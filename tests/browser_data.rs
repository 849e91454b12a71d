//! The school's data pages in a real browser (Debian's chromium through
//! its chromedriver, as tests/browser.rs): the vice-principal uploads a
//! staff workbook written by LibreOffice, sees the preview (one added, one
//! updated, one unchanged), confirms it, and finds the new person in the
//! staff table. Screenshots go to target/screenshots/ (or
//! $KEHOU_SCREENSHOTS). `KEHOU_SKIP_BROWSER=1` skips it.

use std::time::Duration;

use fantoccini::{Client, Locator};
use kehou::web::{App, Role, Workspace};

#[path = "common/browser.rs"]
mod browser;

use browser::{body, click, shot, wait_path};

const PASSWORD: &str = "a password for the data pages";

#[test]
fn a_staff_workbook_is_previewed_confirmed_and_shown() {
    if browser::skipped() {
        return;
    }
    browser::run(flow());
}

async fn flow() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _) = Workspace::demo(&dir.path().join("demo")).expect("demo workspace");
    let app = App::new(&ws).expect("app");
    app.add_account("office", Role::Admin, None, PASSWORD)
        .expect("an administrator");
    let base = browser::serve(&app).await;
    let (c, _driver) = browser::browser(dir.path()).await;
    steps(&c, &base, &ws).await;
    c.close().await.ok();
}

async fn wait_text(c: &Client, text: &str) -> String {
    for _ in 0..50 {
        let b = body(c).await;
        if b.contains(text) {
            return b;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("no {text:?} on the page: {}", body(c).await)
}

async fn steps(c: &Client, base: &str, ws: &Workspace) {
    browser::login(c, base, "office", PASSWORD).await;
    c.goto(&format!("{base}/data")).await.unwrap();
    wait_text(c, "教职工").await;
    shot(c, "data-01-tables").await;
    c.goto(&format!("{base}/data/staff/import")).await.unwrap();
    let file = browser::root().join("tests/fixtures/import/staff-import.xlsx");
    let input = c
        .find(Locator::Css("input[type=file]"))
        .await
        .expect("the file field");
    input
        .send_keys(&file.display().to_string())
        .await
        .expect("a file chosen");
    click(c, "main form button[type=submit]").await;
    let preview = wait_text(c, "导入预览").await;
    assert!(preview.contains("新增 1"), "{preview}");
    assert!(preview.contains("更新 1"), "{preview}");
    assert!(preview.contains("郑玉兰"), "the old name shown: {preview}");
    shot(c, "data-02-preview").await;
    // Nothing saved before the confirm.
    let staff = std::fs::read_to_string(ws.data.join("staff.csv")).unwrap();
    assert!(!staff.contains("T900"));
    click(c, "form[action='/data/staff/import/confirm'] button").await;
    wait_path(c, "/data/staff").await;
    let table = wait_text(c, "导入完成").await;
    assert!(table.contains("新增 1 行"), "{table}");
    let field = c
        .find(Locator::Css("input[name=f_name][value='新老师']"))
        .await;
    assert!(field.is_ok(), "the new person in the table");
    shot(c, "data-03-table").await;
    let staff = std::fs::read_to_string(ws.data.join("staff.csv")).unwrap();
    assert!(staff.contains("T900,新老师"), "{staff}");
    // A cell checked as it is typed: a role no one has, typed into the
    // first row, is named in that row without pressing 保存; nothing saved.
    let role = c
        .find(Locator::Css("input[form=r0][name=f_role]"))
        .await
        .expect("row 1's role");
    role.send_keys("长").await.expect("typing");
    let typed = wait_text(c, "发现").await;
    let verdict = c
        .find(Locator::Css("#check-r0"))
        .await
        .expect("row 1's verdict")
        .text()
        .await
        .unwrap();
    assert!(
        verdict.contains("角色") || verdict.contains("role"),
        "{verdict}\n{typed}"
    );
    shot(c, "data-04-live-check").await;
    assert_eq!(
        std::fs::read_to_string(ws.data.join("staff.csv")).unwrap(),
        staff
    );
}
