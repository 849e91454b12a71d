//! The policy edited in a real browser (issue 19, item 2): the
//! vice-principal changes the winter cutoff through the seasons form, sees
//! the difference and the check, saves with a note, finds the version in
//! the history, and the next plan of a winter week ends at the new cutoff.
//! First, the text area is checked as it is typed (assets/live.js).
//! Screenshots go to target/screenshots/ (or $KEHOU_SCREENSHOTS).
//! `KEHOU_SKIP_BROWSER=1` skips it.

use std::time::{Duration, Instant};

use kehou::web::{App, Role, Workspace};

#[path = "common/browser.rs"]
mod browser;

use browser::{body, click, fill, shot, wait_path};

const WEEK: &str = "2026-12-07";
const PASSWORD: &str = "the vice-principal's password";

#[test]
fn the_winter_cutoff_changed_in_a_real_browser() {
    if browser::skipped() {
        return;
    }
    browser::run(flow());
}

async fn flow() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _) = Workspace::demo(&dir.path().join("demo")).unwrap();
    let app = App::new(&ws).expect("app");
    app.add_account("vp", Role::Admin, None, PASSWORD).unwrap();
    let base = browser::serve(&app).await;
    let (c, _driver) = browser::browser(dir.path()).await;
    browser::login(&c, &base, "vp", PASSWORD).await;
    steps(&c, &base, &ws).await;
    c.close().await.ok();
}

/// The text checked as it is typed: a line that is no TOML, appended to
/// the text area, is reported without pressing 「检查」, and nothing is saved.
async fn live_check(c: &fantoccini::Client, base: &str, ws: &Workspace) {
    let before = std::fs::read_to_string(&ws.policy).unwrap();
    c.goto(&format!("{base}/admin/policy")).await.unwrap();
    let area = c
        .find(fantoccini::Locator::Css("textarea.policy"))
        .await
        .expect("the text area");
    assert!(!body(c).await.contains("检查未通过"));
    area.send_keys("\nthis is not toml").await.expect("typing");
    let mut text = body(c).await;
    for _ in 0..50 {
        if text.contains("检查未通过") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        text = body(c).await;
    }
    assert!(text.contains("检查未通过"), "checked as typed: {text}");
    shot(c, "policy-00-live-check").await;
    assert_eq!(std::fs::read_to_string(&ws.policy).unwrap(), before);
}

async fn steps(c: &fantoccini::Client, base: &str, ws: &Workspace) {
    live_check(c, base, ws).await;
    c.goto(&format!("{base}/admin/policy/form/seasons"))
        .await
        .unwrap();
    let cutoff = "input[name='seasons[0].cutoff']";
    fill(c, cutoff, "17:10").await;
    shot(c, "policy-01-form").await;
    click(c, "form.policyform button[type=submit]").await;
    let mut text = body(c).await;
    for _ in 0..50 {
        if text.contains("检查通过") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        text = body(c).await;
    }
    assert!(text.contains("检查通过"), "{text}");
    assert!(text.contains("cutoff = \"17:10\""), "{text}");
    assert!(
        text.contains("cutoff = \"17:00\""),
        "the old line too: {text}"
    );
    assert!(text.contains("已发布各周的课时与报酬不变"), "{text}");
    shot(c, "policy-02-diff").await;
    fill(c, "input[name=note]", "冬季作息延后十分钟 (浏览器测试)").await;
    click(c, "form[action='/admin/policy/save'] button[type=submit]").await;
    wait_path(c, "/admin/policy/history/").await;
    assert!(body(c).await.contains("已保存并启用"));
    let saved = std::fs::read_to_string(&ws.policy).unwrap();
    assert!(saved.contains("cutoff = \"17:10\""), "{saved}");
    c.goto(&format!("{base}/admin/policy/history"))
        .await
        .unwrap();
    let history = body(c).await;
    assert!(history.contains("冬季作息延后十分钟"), "{history}");
    shot(c, "policy-03-history").await;

    // The next plan of a winter week ends at the new cutoff.
    let week = format!("{base}/week/{WEEK}");
    c.goto(&week).await.unwrap();
    click(c, &format!("form[action='/week/{WEEK}/plan'] button")).await;
    let t = Instant::now();
    loop {
        let text = body(c).await;
        if text.contains("查看草稿排班") {
            break;
        }
        assert!(!text.contains("排班未完成"), "{text}");
        assert!(t.elapsed() < Duration::from_secs(100), "planning too slow");
        tokio::time::sleep(Duration::from_secs(2)).await;
        c.goto(&week).await.unwrap();
    }
    c.goto(&format!("{week}?view=draft")).await.unwrap();
    let draft = body(c).await;
    assert!(draft.contains("-17:10"), "{draft}");
    assert!(!draft.contains("-17:00"), "{draft}");
    shot(c, "policy-04-next-plan").await;
}
