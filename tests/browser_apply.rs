//! An application's way in a real browser (issue 20, item 1): the
//! homeroom teacher enters one for a pupil of 1-1 and reviews it, the
//! principal (leadership) approves it from 2026-12-01, and the week's
//! demand then counts 1-1 from the application; the teacher issues the
//! child's invitation code and the parent, with no login, types it on
//! `/family`, sees the approved application and applies again for the
//! same child. `KEHOU_SKIP_BROWSER=1` skips it.

use std::time::Duration;

use fantoccini::{Client, Locator};
use kehou::record::Record;
use kehou::web::{App, Role, Workspace};

#[path = "common/browser.rs"]
mod browser;

use browser::{body, click, fill, shot};

const PASSWORD: &str = "a password for the apply test";
const PUPIL: &str = "陈小雨";

#[test]
fn an_application_from_entry_to_approval_and_the_parent_page() {
    if browser::skipped() {
        return;
    }
    browser::run(flow());
}

/// Wait (at most 10 s) until the page's text contains `what`.
async fn wait_text(c: &Client, what: &str) -> String {
    for _ in 0..50 {
        let t = body(c).await;
        if t.contains(what) {
            return t;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the page never said {what:?}: {}", body(c).await)
}

async fn as_user(c: &Client, base: &str, login: &str) {
    c.delete_all_cookies().await.ok();
    browser::login(c, base, login, PASSWORD).await;
}

/// Pupils of 1-1 in the Monday morning groups of the demo week.
fn monday_morning(ws: &Workspace) -> u32 {
    let (p, s) = ws.load().unwrap();
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    kehou::demand::week(&p, &s, monday)
        .duties
        .iter()
        .filter(|d| d.date == monday && d.session == "morning" && d.classes.contains(&0))
        .map(|d| d.pupils)
        .sum()
}

async fn flow() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _) = Workspace::demo(&dir.path().join("demo")).unwrap();
    let app = App::new(&ws).unwrap();
    app.add_account("t1", Role::Teacher, Some("T001"), PASSWORD)
        .unwrap();
    app.add_account("lead", Role::Leadership, None, PASSWORD)
        .unwrap();
    let before = monday_morning(&ws);
    let base = browser::serve(&app).await;
    let (c, _driver) = browser::browser(dir.path()).await;
    // The homeroom teacher enters the application and reviews it.
    as_user(&c, &base, "t1").await;
    c.goto(&format!("{base}/applications/new")).await.unwrap();
    click(&c, "input[name=day_1]").await;
    click(&c, "input[name=session_morning]").await;
    fill(&c, "input[name=pupil]", PUPIL).await;
    fill(&c, "input[name=guardian]", "陈大海").await;
    click(&c, "form[action='/applications'] button[type=submit]").await;
    wait_text(&c, "待班主任审核").await;
    shot(&c, "apply-01-entered").await;
    click(&c, "button[name=review-yes]").await;
    wait_text(&c, "待校长审定").await;
    // The principal approves from 2026-12-01; the name is not shown.
    as_user(&c, &base, "lead").await;
    c.goto(&format!("{base}/applications")).await.unwrap();
    let t = wait_text(&c, "待校长审定").await;
    assert!(!t.contains(PUPIL), "{t}");
    c.execute(
        "document.querySelector(\"form[action='/applications/1/step'] input[name=on]\").value = '2026-12-01';",
        vec![],
    )
    .await
    .unwrap();
    click(
        &c,
        "form[action='/applications/1/step'] button[type=submit]",
    )
    .await;
    wait_text(&c, "已批准").await;
    shot(&c, "apply-02-approved").await;
    // The week's demand counts 1-1 from its one application now.
    let after = monday_morning(&ws);
    assert!(after < before, "before {before}, after {after}");
    // The teacher issues the child's code; the parent uses it.
    as_user(&c, &base, "t1").await;
    c.goto(&format!("{base}/applications")).await.unwrap();
    click(&c, "form[action='/pupils/1/code'] button").await;
    wait_text(&c, "邀请码").await;
    let code = c
        .find(Locator::Css("#code"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    shot(&c, "apply-03-code-slip").await;
    c.delete_all_cookies().await.ok();
    c.goto(&format!("{base}/family")).await.unwrap();
    fill(&c, "input[name=code]", &code).await;
    click(&c, "form[action='/family'] button").await;
    let t = wait_text(&c, PUPIL).await;
    assert!(t.contains("已批准"), "{t}");
    click(&c, "input[name=day_2]").await;
    click(&c, "input[name=session_stage1]").await;
    click(&c, "form[action='/family/apply'] button").await;
    wait_text(&c, "待班主任审核").await;
    shot(&c, "apply-04-parent").await;
    c.close().await.ok();
    let mut rec = Record::open(&ws.record).unwrap();
    let apps = rec.read(|tx| tx.applications_of_pupil(1)).unwrap();
    assert_eq!(apps.len(), 2);
    assert_eq!(apps[1].choice.class, "1-1");
}
