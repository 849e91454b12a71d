//! An emergency cancellation in a real browser (issue 20, items 3 and 7):
//! the administrator cancels the afternoon's stage 2 of a published day
//! for severe weather, sees the preview (nothing recorded yet), confirms,
//! and gets the parents' notice per class; the ledger then serves no
//! stage-2 duty that day, and the teachers' notices say it is not paid.
//! `KEHOU_SKIP_BROWSER=1` skips it.

use fantoccini::{Client, Locator};
use kehou::ledger;
use kehou::record::Record;
use kehou::web::{App, Role, Workspace};

#[path = "common/browser.rs"]
mod browser;
#[path = "common/duty_day.rs"]
mod duty_day;

use browser::{click, shot, wait_text};
use duty_day::{day_date, demo_day, DutyDay, MONDAY};

const PASSWORD: &str = "a password for the emergency test";
const SESSION: &str = "stage2";

#[test]
fn an_emergency_cancellation_with_its_notice() {
    if browser::skipped() {
        return;
    }
    browser::run(flow());
}

fn stage2_served(ws: &Workspace, d: &DutyDay) -> usize {
    let mut rec = Record::open(&ws.record).unwrap();
    rec.read(|tx| ledger::served(&d.policy, &d.school, tx, day_date(), day_date()))
        .unwrap()
        .iter()
        .filter(|s| s.duty.session == SESSION)
        .count()
}

fn cancels(ws: &Workspace) -> usize {
    let mut rec = Record::open(&ws.record).unwrap();
    rec.read(|tx| tx.events())
        .unwrap()
        .iter()
        .filter(|e| matches!(e, ledger::Event::Cancel { .. }))
        .count()
}

/// Fill the change's form as a user would: the date through script (a
/// date input's typing depends on the browser's locale), the rest by hand.
async fn fill_form(c: &Client) {
    c.execute(
        "document.querySelector('input[name=date]').value = arguments[0];",
        vec![serde_json::json!(MONDAY)],
    )
    .await
    .unwrap();
    let session = c.find(Locator::Css("select[name=session]")).await.unwrap();
    session.select_by_value(SESSION).await.unwrap();
    let reason = c.find(Locator::Css("select[name=reason]")).await.unwrap();
    reason.select_by_value("weather").await.unwrap();
    browser::fill(c, "input[name=note]", "暴雨红色预警").await;
    browser::fill(c, "input[name=pickup]", "请到东门接孩子").await;
}

async fn flow() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let before = stage2_served(&ws, &d);
    assert!(before > 0, "the day has stage-2 duties to cancel");
    let app = App::new(&ws).expect("app");
    app.add_account("boss", Role::Admin, None, PASSWORD)
        .unwrap();
    let base = browser::serve(&app).await;
    let (c, _driver) = browser::browser(dir.path()).await;
    browser::login(&c, &base, "boss", PASSWORD).await;
    c.goto(&format!("{base}/admin/emergency")).await.unwrap();
    fill_form(&c).await;
    click(&c, "form[action='/admin/emergency/preview'] button").await;
    let preview = wait_text(&c, "给家长的通知").await;
    assert!(preview.contains("12月7日(周一)"), "{preview}");
    assert!(preview.contains("请到东门接孩子"), "{preview}");
    assert_eq!(cancels(&ws), 0, "a preview records nothing");
    shot(&c, "emergency-01-preview").await;
    click(&c, "form[action='/admin/emergency'] button").await;
    let done = wait_text(&c, "已记录").await;
    let class = d.school.classes.iter().find(|c| c.id == "1-1").unwrap();
    assert!(done.contains(&class.name), "a notice per class: {done}");
    assert!(done.contains("恶劣天气"), "the reason's category: {done}");
    assert!(
        !done.contains("红色预警"),
        "the details stay in the record: {done}"
    );
    assert!(done.contains("取消, 不计工作量"), "{done}");
    shot(&c, "emergency-02-recorded").await;
    c.close().await.ok();
    assert_eq!(cancels(&ws), 1);
    assert_eq!(stage2_served(&ws, &d), 0, "no stage-2 duty served or paid");
}
