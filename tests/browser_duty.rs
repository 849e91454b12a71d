//! A duty's afternoon in a real browser at phone size (issue 20, item 2):
//! the homework teacher signs in and hands the group over; the late-stay
//! teacher confirms it, signs in and calls the roll with an unexcused
//! absence, which the pupil's homeroom teacher sees at once with the
//! parent notice; a pickup after 18:00 is flagged, and the late stay is
//! paid to that pickup. The app's clock is set for each step.
//! `KEHOU_SKIP_BROWSER=1` skips it.

use std::time::Duration;

use fantoccini::{Client, Locator};
use kehou::model::units::Hm;
use kehou::record::Record;
use kehou::web::{App, Role};

#[path = "common/browser.rs"]
mod browser;
#[path = "common/duty_day.rs"]
mod duty_day;

use browser::{body, click, shot};
use duty_day::{at, day_date, demo_day, DutyDay};

const PASSWORD: &str = "a password for the duty test";

#[test]
fn a_duty_afternoon_on_the_phone() {
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

async fn flow() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let app = App::new(&ws).expect("app");
    for (login, staff) in [
        ("giver", &d.homework_by),
        ("late", &d.late_by),
        ("home", &d.homeroom),
    ] {
        app.add_account(login, Role::Teacher, Some(staff), PASSWORD)
            .unwrap();
    }
    let base = browser::serve(&app).await;
    let (c, _driver) = browser::browser(dir.path()).await;
    c.set_window_size(390, 844).await.unwrap();
    handover(&c, &base, &app, &d).await;
    roll_call(&c, &base, &app, &d).await;
    late_pickup(&c, &base, &app, &d).await;
    // The giver sees the handover confirmed.
    as_user(&c, &base, "giver").await;
    c.goto(&format!("{base}/duty/{}", d.homework.id))
        .await
        .unwrap();
    wait_text(&c, "已确认").await;
    c.close().await.ok();
    // The late stay is paid to the last pickup (the demo policy: actual).
    let mut rec = Record::open(&ws.record).unwrap();
    let served = rec
        .read(|tx| kehou::ledger::served(&d.policy, &d.school, tx, day_date(), day_date()))
        .unwrap();
    let ix = d.school.staff_index(&d.late_by).unwrap();
    let x = served
        .iter()
        .find(|x| x.staff == ix && x.duty.id == d.late.id)
        .unwrap();
    assert_eq!(x.duty.end, Hm::parse("18:10").unwrap());
    assert!(x.duty.end > d.late.end, "later than planned");
}

/// The homework teacher signs in and hands the group to the late stay.
async fn handover(c: &Client, base: &str, app: &App, d: &DutyDay) {
    app.set_clock(Some(at(&Hm(d.homework.start.0 + 2).to_string())));
    as_user(c, base, "giver").await;
    c.goto(&format!("{base}/duty")).await.unwrap();
    click(c, &format!("a.big[href='/duty/{}']", d.homework.id)).await;
    browser::wait_path(c, &format!("/duty/{}", d.homework.id)).await;
    click(c, "form[action$='/signin'] button").await;
    wait_text(c, "已签到").await;
    let to = format!("{}|{}", d.late.id, d.late_by);
    let select = c.find(Locator::Css("select[name=to]")).await.unwrap();
    select.select_by_value(&to).await.unwrap();
    click(c, "form[action$='/handover'] button").await;
    let t = wait_text(c, "待确认").await;
    assert!(t.contains("交接已记录"), "{t}");
    shot(c, "duty-01-handover").await;
}

/// The late-stay teacher confirms, signs in and calls the roll with one
/// unexcused absence; the homeroom teacher sees it with the notice.
async fn roll_call(c: &Client, base: &str, app: &App, d: &DutyDay) {
    app.set_clock(Some(at(&Hm(d.late.start.0 + 1).to_string())));
    as_user(c, base, "late").await;
    c.goto(&format!("{base}/duty/{}", d.late.id)).await.unwrap();
    click(c, "form[action$='/confirm'] button").await;
    wait_text(c, "交接已确认").await;
    click(c, "form[action$='/signin'] button").await;
    wait_text(c, "已签到").await;
    for p in &d.late_roll.pupils {
        let mark = if p.id == d.pupil.0 {
            "unexcused"
        } else {
            "present"
        };
        click(c, &format!("input[name='mark_{}'][value='{mark}']", p.id)).await;
    }
    shot(c, "duty-02-roll").await;
    click(c, "form[action$='/roll'] button.big").await;
    wait_text(c, "已提醒班主任").await;
    as_user(c, base, "home").await;
    c.goto(&format!("{base}/duty")).await.unwrap();
    let t = wait_text(c, "无故缺席").await;
    assert!(t.contains(&d.pupil.1), "{t}");
    let notice = c
        .find(Locator::Css("textarea.notice"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        notice.contains(&d.pupil.1) && notice.contains("未到"),
        "{notice}"
    );
    shot(c, "duty-03-flag").await;
}

/// A pickup at 18:10 (recorded at 18:20): flagged as late.
async fn late_pickup(c: &Client, base: &str, app: &App, d: &DutyDay) {
    app.set_clock(Some(at("18:20")));
    as_user(c, base, "late").await;
    c.goto(&format!("{base}/duty/{}", d.late.id)).await.unwrap();
    let other = d
        .late_roll
        .pupils
        .iter()
        .find(|p| p.id != d.pupil.0)
        .expect("a second pupil")
        .id;
    let form = format!("form[action$='/pickup']:has(input[name=pupil][value='{other}'])");
    c.execute(
        &format!("document.querySelector(\"{form} input[name=at]\").value = '18:10';"),
        vec![],
    )
    .await
    .unwrap();
    click(c, &format!("{form} button")).await;
    let t = wait_text(c, "晚接").await;
    assert!(t.contains("18:10"), "{t}");
    shot(c, "duty-04-pickup").await;
}
