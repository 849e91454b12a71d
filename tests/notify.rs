//! Telling people (issue 18, items 5 and 6), through the web app in-process:
//! each person's calendar subscription follows the record (stable UIDs,
//! SEQUENCE growing, duties moved away cancelled), tokens revoked by a new
//! one, the per-person change texts, and the group robot's digest received
//! by a fake robot on 127.0.0.1, its URL never shown back.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use icalendar::{Calendar, Component, EventStatus};
use kehou::record::{Actor, Record};
use kehou::web::{App, Role, Settings, Workspace};

const PASSWORD: &str = "correct horse battery";
const T1: &str = "T001";
const WEEK: &str = "2026-12-07";
/// The fake robot's key: must never appear on a page.
const KEY: &str = "k3y-0f-th3-sch00l-r0b0t-9d1e";

struct School {
    _dir: tempfile::TempDir,
    ws: Workspace,
    router: Router,
    admin_password: String,
}

/// The school served at its public URL `https://school.example:8080`.
fn school() -> School {
    school_with(Some("https://school.example:8080"))
}

fn school_with(public_url: Option<&str>) -> School {
    let dir = tempfile::tempdir().expect("temp dir");
    let (ws, _) = Workspace::demo(&dir.path().join("demo")).expect("demo workspace");
    let settings = Settings {
        trusted_proxies: vec![],
        public_url: public_url.map(str::to_string),
    };
    let app = App::with_settings(&ws, settings).expect("app");
    let admin_password = app.first_password.clone().expect("first start makes admin");
    app.add_account("t1", Role::Teacher, Some(T1), PASSWORD)
        .expect("t1");
    app.add_account("lead", Role::Leadership, None, PASSWORD)
        .expect("lead");
    let router = app.router();
    School {
        _dir: dir,
        ws,
        router,
        admin_password,
    }
}

#[path = "webclient/mod.rs"]
mod webclient;
use webclient::{login, send, Reply, User};

/// The calendar token in a page's subscription URL.
fn token(page: &Reply) -> Option<String> {
    let at = page.body.find("/cal/")?;
    let t = &page.body[at + 5..];
    let end = t.find(".ics")?;
    Some(t[..end].to_string())
}

/// A page, asked for under the school's host name (the subscription URLs
/// are built from the public URL, never from it).
async fn get(r: &Router, path: &str, cookie: &str) -> Reply {
    let req = Request::get(path)
        .header(header::COOKIE, cookie)
        .header(header::HOST, "school.example:8080");
    send(r, req.body(Body::empty()).expect("request")).await
}

/// A form posted with the user's CSRF token.
async fn post(r: &Router, path: &str, u: &User, form: &[(&str, &str)]) -> Reply {
    let mut f = form.to_vec();
    f.push(("csrf", &u.csrf));
    webclient::post(r, path, &u.cookie, &f).await
}

async fn admin(s: &School) -> User {
    let u = login(&s.router, "admin", &s.admin_password).await;
    let pw = [
        ("current", s.admin_password.as_str()),
        ("new", PASSWORD),
        ("confirm", PASSWORD),
    ];
    assert_eq!(
        post(&s.router, "/password", &u, &pw).await.status,
        StatusCode::OK
    );
    u
}

/// Wait for the week's draft, then publish it; the version published.
async fn publish_draft(s: &School, u: &User) -> String {
    let page = webclient::wait_for_draft(&s.router, u, WEEK).await;
    let f = [
        ("draft", page.hidden("draft").expect("draft")),
        ("base", page.hidden("base").expect("base")),
    ];
    let f: Vec<(&str, &str)> = f.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let done = post(&s.router, &format!("/week/{WEEK}/publish"), u, &f).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let v = (f[1].1.parse::<u32>().expect("base") + 1).to_string();
    let week = get(&s.router, &format!("/week/{WEEK}?published={v}"), &u.cookie).await;
    assert!(
        week.body
            .contains(&format!("/week/{WEEK}/changes?version={v}")),
        "the week page links to the notices"
    );
    v
}

/// A fake group robot on 127.0.0.1: each request's first line and body
/// (the JSON), answered `{"errcode":0}`.
fn fake_robot() -> (String, mpsc::Receiver<(String, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut r = BufReader::new(stream);
            let mut first = String::new();
            if r.read_line(&mut first).is_err() {
                continue;
            }
            let mut len = 0usize;
            loop {
                let mut l = String::new();
                if r.read_line(&mut l).is_err() || l.trim().is_empty() {
                    break;
                }
                if let Some(v) = l.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; len];
            let _ = r.read_exact(&mut body);
            let answer = r#"{"errcode":0,"errmsg":"ok"}"#;
            let mut w = r.into_inner();
            let _ = write!(
                w,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
            let _ = tx.send((first, String::from_utf8_lossy(&body).into_owned()));
        }
    });
    (format!("http://{addr}"), rx)
}

/// A person's feed as (UID → (status, sequence, DTSTAMP)), parsed by the
/// `icalendar` crate.
fn events(ics: &str) -> BTreeMap<String, (EventStatus, u32, String)> {
    let cal: Calendar = ics.parse().expect("the feed parses");
    cal.components
        .iter()
        .filter_map(|c| c.as_event())
        .map(|e| {
            (
                e.get_uid().expect("uid").to_string(),
                (
                    e.get_status().expect("status"),
                    e.get_sequence().expect("sequence"),
                    e.property_value("DTSTAMP").expect("dtstamp").to_string(),
                ),
            )
        })
        .collect()
}

/// Duty id → staff ids of version `v`.
fn holders(s: &School, v: u32) -> BTreeMap<String, Vec<String>> {
    let mut rec = Record::open(&s.ws.record).expect("record");
    let rows = rec
        .read(|tx| tx.rows(WEEK.parse().expect("date"), v))
        .expect("read")
        .expect("version");
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rows {
        m.entry(r.duty_id).or_default().extend(r.staff_id);
    }
    m
}

fn name_of(s: &School, id: &str) -> String {
    let staff = std::fs::read_to_string(s.ws.data.join("staff.csv")).expect("staff.csv");
    staff
        .lines()
        .find_map(|l| {
            let mut f = l.split(',');
            (f.next()? == id).then(|| f.next().map(str::to_string))?
        })
        .expect("a name")
}

/// The token on `staff`'s duties page, after the admin makes one.
async fn admin_token(s: &School, u: &User, staff: &str) -> String {
    let made = post(&s.router, &format!("/duties/{staff}/calendar"), u, &[]).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let page = get(&s.router, &format!("/duties/{staff}"), &u.cookie).await;
    assert!(page.body.contains("webcal://school.example:8080/cal/"));
    token(&page).expect("a token on the page")
}

async fn feed(s: &School, token: &str) -> Reply {
    get(&s.router, &format!("/cal/{token}.ics"), "").await
}

fn wait_digest(rx: &mpsc::Receiver<(String, String)>) -> (String, serde_json::Value) {
    let (line, body) = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the robot got a message within 20 s");
    (line, serde_json::from_str(&body).expect("JSON body"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repair_moves_duties_and_calendars_notices_and_the_robot_follow() {
    let s = school();
    let u = admin(&s).await;
    let (base, rx) = fake_robot();
    let url = format!("{base}/cgi-bin/webhook/send?key={KEY}");
    let set = post(
        &s.router,
        "/admin/robot",
        &u,
        &[("action", "set"), ("url", &url), ("kind", "wecom")],
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert!(set.body.contains("已设置"), "{}", set.body);
    // v1, and its digest.
    post(&s.router, &format!("/week/{WEEK}/plan"), &u, &[]).await;
    assert_eq!(publish_draft(&s, &u).await, "1");
    let (line, v1) = wait_digest(&rx);
    assert!(
        line.starts_with(&format!("POST /cgi-bin/webhook/send?key={KEY} ")),
        "{line}"
    );
    assert_eq!(v1["msgtype"], "markdown");
    let text = v1["markdown"]["content"].as_str().expect("content");
    assert!(text.contains("v1 已发布") && text.contains("共 "), "{text}");
    // The one with most duties will be absent all week.
    let before = holders(&s, 1);
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for h in before.values() {
        for x in h {
            *count.entry(x.as_str()).or_default() += 1;
        }
    }
    let absent = count
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(x, _)| x.to_string())
        .expect("someone");
    let token = admin_token(&s, &u, &absent).await;
    let f1 = feed(&s, &token).await;
    assert_eq!(f1.status, StatusCode::OK, "{}", f1.body);
    let e1 = events(&f1.body);
    assert_eq!(e1.len(), count[absent.as_str()], "one event per duty");
    assert!(e1
        .values()
        .all(|(st, n, _)| *st == EventStatus::Confirmed && *n == 0));
    // Repair for the absence; publish v2; its digest.
    let rf = [
        ("absent", absent.as_str()),
        ("from", WEEK),
        ("to", "2026-12-13"),
    ];
    let proposal = post(&s.router, &format!("/week/{WEEK}/repair"), &u, &rf).await;
    assert_eq!(proposal.status, StatusCode::SEE_OTHER, "{}", proposal.body);
    assert_eq!(publish_draft(&s, &u).await, "2");
    let (_, v2) = wait_digest(&rx);
    let text = v2["markdown"]["content"].as_str().expect("content");
    // No health details (the demo's exemptions are 孕7个月以上 and 哺乳期).
    for t in [text, v1["markdown"]["content"].as_str().unwrap_or("")] {
        assert!(!t.contains("孕") && !t.contains("哺乳"), "{t}");
    }
    let absent_name = name_of(&s, &absent);
    assert!(
        text.contains("v2 已发布") && text.contains(&absent_name) && text.contains(" → "),
        "{text}"
    );
    // The absent person's feed: the same UIDs, each cancelled, SEQUENCE up.
    let e2 = events(&feed(&s, &token).await.body);
    assert_eq!(
        e2.keys().collect::<Vec<_>>(),
        e1.keys().collect::<Vec<_>>(),
        "UIDs are stable"
    );
    for (uid, (st, n, stamp)) in &e2 {
        assert_eq!(*st, EventStatus::Cancelled, "{uid}");
        assert!(
            *n > e1[uid].1,
            "{uid}: SEQUENCE {n} not above {}",
            e1[uid].1
        );
        assert!(*stamp >= e1[uid].2, "{uid}: DTSTAMP went back");
    }
    // The new holder of a moved duty has it confirmed, under their own UID.
    let after = holders(&s, 2);
    let (duty, new) = before
        .iter()
        .filter(|(_, h)| h.contains(&absent))
        .find_map(|(d, h)| Some((d.clone(), after[d].iter().find(|x| !h.contains(x))?.clone())))
        .expect("a duty moved to someone");
    let theirs = events(&feed(&s, &admin_token(&s, &u, &new).await).await.body);
    let uid = format!("{}-{new}@kehou", duty.replace('/', "-"));
    assert_eq!(
        theirs.get(&uid).map(|e| e.0),
        Some(EventStatus::Confirmed),
        "{uid} in {theirs:?}"
    );
    // The notices: one text each, the absent person's and the new holder's.
    let page = get(&s.router, &format!("/week/{WEEK}/changes"), &u.cookie).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let new_name = name_of(&s, &new);
    assert!(
        page.body
            .contains(&format!("{absent_name}老师: 课后服务安排有变: ")),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(&format!("改由{new_name}老师")),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains(&format!("{new_name}老师: 课后服务安排有变: ")));
    assert!(page
        .body
        .contains(&format!("改由你担任 (原为{absent_name}老师)")));
    assert!(page.body.matches("<textarea").count() >= 2);
    let first = get(
        &s.router,
        &format!("/week/{WEEK}/changes?version=1"),
        &u.cookie,
    )
    .await;
    assert!(
        first.body.contains("这一周的课后服务安排: "),
        "{}",
        first.body
    );
    assert!(
        !first.body.contains("由你担任"),
        "a first version lists the duties"
    );
    // The robot's outcome is on the page; its key is on no page.
    let t0 = Instant::now();
    while !get(&s.router, &format!("/week/{WEEK}/changes"), &u.cookie)
        .await
        .body
        .contains("摘要已发送")
    {
        assert!(t0.elapsed() < Duration::from_secs(10), "outcome not shown");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for path in [
        "/admin/robot".to_string(),
        format!("/week/{WEEK}"),
        format!("/week/{WEEK}/changes"),
    ] {
        let p = get(&s.router, &path, &u.cookie).await;
        assert_eq!(p.status, StatusCode::OK, "{path}");
        assert!(
            !p.body.contains(KEY) && !p.body.contains(&url),
            "{path} shows the robot's URL"
        );
    }
    // A cancellation recorded on that day: the new holder's event is
    // cancelled too, with a higher SEQUENCE; the absent one's stays as it was.
    let (policy, staff) = s.ws.load().expect("workspace loads");
    let day: chrono::NaiveDate = duty
        .split('/')
        .next()
        .and_then(|d| d.parse().ok())
        .expect("date");
    let cancel = kehou::ledger::Event::Cancel {
        date: day,
        session: None,
        note: "雪天停课".into(),
    };
    let by = Actor {
        who: "test".into(),
        via: "test".into(),
    };
    let mut rec = Record::open(&s.ws.record).expect("record");
    rec.write(|tx| kehou::record::admit::record(tx, &policy, &staff, &cancel, Some(2), &by))
        .expect("the cancellation is admitted");
    let theirs2 = events(&feed(&s, &admin_token(&s, &u, &new).await).await.body);
    let (st, n, stamp) = &theirs2[&uid];
    assert_eq!(*st, EventStatus::Cancelled);
    assert_eq!(*n, theirs[&uid].1 + 1);
    assert!(*stamp >= theirs[&uid].2);
    let e3 = events(&feed(&s, &token).await.body);
    assert_eq!(e3, e2, "the absent person's feed is unchanged");
    // A teacher may not read the notices.
    let t1 = login(&s.router, "t1", PASSWORD).await;
    assert_eq!(
        get(&s.router, &format!("/week/{WEEK}/changes"), &t1.cookie)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_token_revokes_the_old_and_wrong_tokens_are_not_found() {
    let s = school();
    let _ = admin(&s).await;
    let t1 = login(&s.router, "t1", PASSWORD).await;
    let made = post(&s.router, &format!("/duties/{T1}/calendar"), &t1, &[]).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let page = get(&s.router, "/me", &t1.cookie).await;
    let mine = get(&s.router, &format!("/duties/{T1}"), &t1.cookie).await;
    assert!(page.status.is_redirection());
    let old = token(&mine).expect("my token");
    assert_eq!(old.len(), 64, "256 bits in hex");
    assert!(mine
        .body
        .contains(&format!("webcal://school.example:8080/cal/{old}.ics")));
    assert!(mine
        .body
        .contains(&format!("https://school.example:8080/cal/{old}.ics")));
    let ok = feed(&s, &old).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(ok.body.starts_with("BEGIN:VCALENDAR\r\n"));
    // Another teacher's token cannot be made by a teacher, nor by leadership.
    assert_eq!(
        post(&s.router, "/duties/T002/calendar", &t1, &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let lead = login(&s.router, "lead", PASSWORD).await;
    assert_eq!(
        post(&s.router, &format!("/duties/{T1}/calendar"), &lead, &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // A new one: the old stops working.
    post(&s.router, &format!("/duties/{T1}/calendar"), &t1, &[]).await;
    let page = get(&s.router, &format!("/duties/{T1}"), &t1.cookie).await;
    let new = token(&page).expect("token");
    assert_ne!(new, old);
    let revoked = feed(&s, &old).await;
    assert_eq!(revoked.status, StatusCode::NOT_FOUND);
    assert_eq!(feed(&s, &new).await.status, StatusCode::OK);
    let mut wrong = new.clone();
    wrong.replace_range(63.., if new.ends_with('0') { "1" } else { "0" });
    let outside = get(&s.router, "/cal/../../etc/passwd", "").await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);
    for t in [wrong.as_str(), "abc", &"g".repeat(64)] {
        let r = feed(&s, t).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{t}");
        assert_eq!(
            r.body, revoked.body,
            "{t}: the same answer as a revoked token"
        );
    }
    assert_eq!(
        get(&s.router, &format!("/cal/{new}"), "").await.status,
        StatusCode::NOT_FOUND
    );
    // Kept in the record: revocation is a row; the tables refuse updates and deletes.
    let conn = rusqlite::Connection::open(&s.ws.record).expect("db");
    let revocations: i64 = conn
        .query_row("SELECT count(*) FROM calendar_revocations", [], |r| {
            r.get(0)
        })
        .expect("count");
    assert_eq!(revocations, 1);
    assert!(conn
        .execute("UPDATE calendar_tokens SET staff_id = 'T002'", [])
        .is_err());
    assert!(conn
        .execute("DELETE FROM calendar_revocations", [])
        .is_err());
    let mut rec = Record::open(&s.ws.record).expect("record");
    let owner = rec.read(|tx| tx.calendar_owner(&new)).expect("read");
    assert_eq!(owner.as_deref(), Some(T1));
    let by = Actor {
        who: "test".into(),
        via: "test".into(),
    };
    rec.write(|tx| tx.new_calendar_token(T1, &"a".repeat(64), &by))
        .expect("write");
    assert_eq!(rec.read(|tx| tx.calendar_owner(&new)).expect("read"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_robot_page_checks_input_signs_for_dingtalk_and_shows_a_failure() {
    let s = school();
    let u = admin(&s).await;
    for (url, kind) in [
        ("ftp://qyapi.weixin.qq.com/x", ""),
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", ""),
        ("https://example.com/hook", ""),
        ("https://oapi.dingtalk.com/robot/send?access_token=a b", ""),
    ] {
        let r = post(
            &s.router,
            "/admin/robot",
            &u,
            &[("action", "set"), ("url", url), ("kind", kind)],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{url}: {}", r.body);
        assert!(r.body.contains("未做任何更改"), "{}", r.body);
    }
    let page = get(&s.router, "/admin/robot", &u.cookie).await;
    assert!(page.body.contains("未设置群机器人"), "nothing was set");
    // DingTalk with a signing secret: the test message is signed.
    let (base, rx) = fake_robot();
    let url = format!("{base}/robot/send?access_token={KEY}");
    let set = [
        ("action", "set"),
        ("url", url.as_str()),
        ("kind", "dingtalk"),
        ("secret", "SECabc123"),
    ];
    assert_eq!(
        post(&s.router, "/admin/robot", &u, &set).await.status,
        StatusCode::OK
    );
    let tested = post(&s.router, "/admin/robot", &u, &[("action", "test")]).await;
    assert!(tested.body.contains("测试消息已发送"), "{}", tested.body);
    assert!(!tested.body.contains(KEY) && !tested.body.contains("SECabc123"));
    let (line, body) = wait_digest(&rx);
    assert!(
        line.contains("&timestamp=") && line.contains("&sign="),
        "{line}"
    );
    assert_eq!(body["msgtype"], "markdown");
    assert!(body["markdown"]["title"].is_string() && body["markdown"]["text"].is_string());
    // A robot that is down: the failure is said, quickly, without the URL.
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let dead = format!(
        "http://{}/cgi-bin/webhook/send?key={KEY}",
        closed.local_addr().expect("addr")
    );
    drop(closed);
    post(
        &s.router,
        "/admin/robot",
        &u,
        &[("action", "set"), ("url", &dead), ("kind", "wecom")],
    )
    .await;
    let t0 = Instant::now();
    let failed = post(&s.router, "/admin/robot", &u, &[("action", "test")]).await;
    assert!(t0.elapsed() < Duration::from_secs(10));
    assert!(failed.body.contains("测试消息未发出"), "{}", failed.body);
    assert!(!failed.body.contains(KEY));
    let cleared = post(&s.router, "/admin/robot", &u, &[("action", "clear")]).await;
    assert!(cleared.body.contains("未设置群机器人"));
    // The audit trail says the secret changed, never what it is.
    let conn = rusqlite::Connection::open(&s.ws.record).expect("db");
    let mut st = conn
        .prepare("SELECT action || ' ' || detail FROM audit")
        .expect("sql");
    let lines: Vec<String> = st
        .query_map([], |r| r.get(0))
        .expect("q")
        .flatten()
        .collect();
    assert!(lines.iter().any(|l| l == "set secret robot"), "{lines:?}");
    assert!(lines.iter().any(|l| l == "clear secret robot"));
    assert!(lines.iter().all(|l| !l.contains(KEY)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscription_addresses_come_from_the_public_url_never_the_host() {
    for public in [Some("https://kehou.school.cn"), None] {
        let s = school_with(public);
        let _ = admin(&s).await;
        let t1 = login(&s.router, "t1", PASSWORD).await;
        let made = post(&s.router, &format!("/duties/{T1}/calendar"), &t1, &[]).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        // Asked for under a forged Host: it never appears.
        let req = Request::get(format!("/duties/{T1}"))
            .header(header::COOKIE, &t1.cookie)
            .header(header::HOST, "evil.example");
        let page = send(&s.router, req.body(Body::empty()).expect("request")).await;
        assert_eq!(page.status, StatusCode::OK);
        let t = token(&page).expect("a token on the page");
        assert!(!page.body.contains("evil.example"), "{}", page.body);
        match public {
            Some(base) => {
                let host = base.trim_start_matches("https://");
                for want in [
                    format!("webcal://{host}/cal/{t}.ics"),
                    format!("{base}/cal/{t}.ics"),
                ] {
                    assert!(page.body.contains(&want), "{want}: {}", page.body);
                }
                assert!(!page.body.contains("no-public-url"), "{}", page.body);
            }
            None => {
                assert!(
                    page.body.contains(&format!(">/cal/{t}.ics<")),
                    "{}",
                    page.body
                );
                assert!(!page.body.contains("webcal://"), "{}", page.body);
                assert!(page.body.contains("no-public-url"), "{}", page.body);
                assert!(page.body.contains("未设置公开地址"), "{}", page.body);
            }
        }
    }
}
