//! A what-if study in a real browser (issue 19, item 5): Debian's
//! chromium through the harness in tests/common/browser.rs, against the
//! demo school. The vice-principal logs in, builds a scenario from the
//! form (the afternoon ends at 17:30 all year), waits while the page
//! refreshes itself, and sees the comparison with the baseline and its
//! charts; the page prints to PDF. Screenshots go to target/screenshots/
//! (or $KEHOU_SCREENSHOTS). `KEHOU_SKIP_BROWSER=1` skips it.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use kehou::web::{App, Workspace};

#[path = "common/browser.rs"]
mod browser;

use browser::{body, click, fill, print_pdf, shot, wait_path};

const WEEK: &str = "2026-12-07";
const NEW_PASSWORD: &str = "a new password for the browser";

#[test]
fn a_whatif_study_in_a_real_browser() {
    if browser::skipped() {
        return;
    }
    browser::run(flow());
}

async fn flow() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _) = Workspace::demo(&dir.path().join("demo")).expect("demo workspace");
    let app = App::new(&ws).expect("app");
    let first = app.first_password.clone().expect("a one-time password");
    let base = browser::serve(&app).await;
    let (c, _driver) = browser::browser(dir.path()).await;
    steps(&c, &base, &first).await;
    c.close().await.ok();
}

async fn steps(c: &Client, base: &str, first: &str) {
    browser::login(c, base, "admin", first).await;
    wait_path(c, "/password").await;
    fill(c, "input[name=current]", first).await;
    fill(c, "input[name=new]", NEW_PASSWORD).await;
    fill(c, "input[name=confirm]", NEW_PASSWORD).await;
    click(c, "main form button[type=submit]").await;
    for _ in 0..50 {
        if body(c).await.contains("密码已修改") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // The navigation leads to the studies; the form builds one.
    c.goto(&format!("{base}/whatif")).await.unwrap();
    assert!(body(c).await.contains("还没有运行过"));
    c.goto(&format!("{base}/whatif/new?week={WEEK}"))
        .await
        .unwrap();
    fill(c, "input[name=name]", "全年17:30结束").await;
    fill(c, "input[name=cutoff]", "17:30").await;
    shot(c, "whatif-01-form").await;
    click(c, "form.whatif button[type=submit]").await;
    wait_path(c, "/whatif/1").await;

    // The page refreshes itself until the study is done.
    let t = Instant::now();
    loop {
        let text = body(c).await;
        if text.contains("与基线对比") {
            break;
        }
        assert!(text.contains("正在运行"), "{text}");
        assert!(
            t.elapsed() < Duration::from_secs(100),
            "the study took over 100 s"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let text = body(c).await;
    for want in ["基线", "全年17:30结束", "总人·小时", "最高相对负荷"] {
        assert!(text.contains(want), "{want}: {text}");
    }
    assert!(!text.contains("失败"), "{text}");
    let charts = c.find_all(Locator::Css("figure.chart svg")).await.unwrap();
    assert!(charts.len() >= 6, "{} charts", charts.len());
    let bars = c
        .find_all(Locator::Css("svg rect.bar[data-series='全年17:30结束']"))
        .await
        .unwrap();
    assert!(!bars.is_empty(), "the scenario's bars");
    shot(c, "whatif-02-comparison").await;
    let pages = print_pdf(c, "whatif-comparison", false).await;
    assert!((1..=6).contains(&pages), "{pages} pages");
}
