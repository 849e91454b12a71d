//! A family's data on a page (issue 20, item 6), over HTTP in-process: the
//! administrator exports a child's data (the child, the applications and
//! every staff read, the export itself logged) and erases it once the
//! child no longer attends; while the child attends or an application
//! waits, the erasure is refused with the reason and nothing changes.
//! Other roles get 403. On a duty's day: the export holds the child's
//! roll-call marks, unwell records, pickups and handovers, and the
//! erasure blanks every text about the child (the unwell action too)
//! while the reports still count the rows.

#[path = "common/duty_day.rs"]
mod duty_day;
#[path = "common/http.rs"]
mod http;

use axum::http::StatusCode;
use axum::Router;
use http::{get, login, post, post_raw, User, PASSWORD};
use kehou::record::Record;
use kehou::web::{App, Role, Workspace};

const PUPIL: &str = "王小明";
const OTHER: &str = "李小红";

struct School {
    _dir: tempfile::TempDir,
    ws: Workspace,
    app: App,
    router: Router,
}

fn school() -> School {
    let dir = tempfile::tempdir().expect("temp dir");
    let (ws, _) = Workspace::demo(&dir.path().join("demo")).expect("demo workspace");
    let app = App::new(&ws).expect("app");
    for (login, role, staff) in [
        ("office", Role::Admin, None),
        ("lead", Role::Leadership, None),
        ("fin", Role::Finance, None),
        ("t1", Role::Teacher, Some("T001")),
    ] {
        app.add_account(login, role, staff, PASSWORD)
            .expect("account");
    }
    app.set_clock(Some(at("2026-12-07T10:00")));
    let router = app.router();
    School {
        _dir: dir,
        ws,
        app,
        router,
    }
}

fn at(s: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").expect("time")
}

fn form(pupil: &str) -> Vec<(&str, &str)> {
    vec![
        ("class", "1-1"),
        ("pupil", pupil),
        ("guardian", "王大明"),
        ("phone", "13800000000"),
        ("day_1", "1"),
        ("session_stage1", "1"),
    ]
}

async fn step(s: &School, u: &User, id: i64, form: &[(&str, &str)]) {
    let r = post(&s.router, &format!("/applications/{id}/step"), u, form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

fn name_of(s: &School, id: i64) -> (String, bool) {
    let p = Record::open(&s.ws.record)
        .expect("record")
        .read(|tx| tx.pupil(id))
        .expect("pupil")
        .expect("exists");
    (p.name, p.erased)
}

#[tokio::test]
async fn the_administrator_exports_and_erases_a_familys_data_once_it_may() {
    let s = school();
    let (office, t1, lead) = (
        login(&s.router, "office").await,
        login(&s.router, "t1").await,
        login(&s.router, "lead").await,
    );
    // Pupil 1 applies, is reviewed and approved; pupil 2 only applies.
    for p in [PUPIL, OTHER] {
        let r = post(&s.router, "/applications", &t1, &form(p)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    step(&s, &t1, 1, &[("step", "review"), ("ok", "yes")]).await;
    let approve = [("step", "approve"), ("ok", "yes"), ("on", "2026-12-01")];
    step(&s, &lead, 1, &approve).await;
    // The homeroom teacher's list shows the names: a read of each.
    assert_eq!(
        get(&s.router, "/applications", &t1).await.status,
        StatusCode::OK
    );
    // The administrator's list links the child to the family page.
    let list = get(&s.router, "/applications", &office).await;
    assert!(
        list.body.contains("href=\"/admin/family/1\""),
        "{}",
        list.body
    );
    let page = get(&s.router, "/admin/family/1", &office).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(PUPIL) && page.body.contains("导出家庭数据"));
    assert!(page.body.contains("删除家庭数据"));

    // The export: the child, the application, every read, the export too.
    let e = get(&s.router, "/admin/family/1/export.json", &office).await;
    assert_eq!(e.status, StatusCode::OK);
    let disp = e.headers.get("content-disposition").expect("a download");
    assert!(disp.to_str().expect("ascii").contains("family-1.json"));
    let json: serde_json::Value = serde_json::from_slice(&e.bytes).expect("json");
    assert_eq!(json["pupil"]["name"], PUPIL);
    assert_eq!(json["pupil"]["class"], "1-1");
    assert_eq!(json["applications"][0]["state"], "approved");
    let reads: Vec<(String, String)> = json["reads"]
        .as_array()
        .expect("reads")
        .iter()
        .map(|r| {
            (
                r["who"].as_str().unwrap_or("").into(),
                r["what"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    for want in [
        ("t1", "/applications"),
        ("office", "/applications"),
        ("office", "/admin/family"),
        ("office", "family export"),
    ] {
        assert!(
            reads.iter().any(|(w, x)| w == want.0 && x == want.1),
            "{want:?} in {reads:?}"
        );
    }
    assert!(!e.body.contains(OTHER), "only this child's data");

    // Still attending: refused with the reason, nothing changed.
    let confirm = [("confirm", "yes")];
    let r = post(&s.router, "/admin/family/1/erase", &office, &confirm).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("先办理退出"), "{}", r.body);
    assert_eq!(name_of(&s, 1), (PUPIL.to_string(), false));
    // A pending application: refused too.
    let r = post(&s.router, "/admin/family/2/erase", &office, &confirm).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(name_of(&s, 2), (OTHER.to_string(), false));
    // Without the confirmation, or without the CSRF token: refused.
    let r = post(&s.router, "/admin/family/1/erase", &office, &[]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("确认删除"), "{}", r.body);
    let r = post_raw(&s.router, "/admin/family/1/erase", &office.cookie, &confirm).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Withdrawn from 2026-12-08: refused the day before, erased that day.
    let leave = [("step", "withdraw"), ("on", "2026-12-08")];
    step(&s, &t1, 1, &leave).await;
    step(&s, &t1, 1, &[("step", "review"), ("ok", "yes")]).await;
    let ok = [("step", "approve"), ("ok", "yes"), ("on", "2026-12-08")];
    step(&s, &lead, 1, &ok).await;
    let r = post(&s.router, "/admin/family/1/erase", &office, &confirm).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "still attends on the 7th");
    s.app.set_clock(Some(at("2026-12-08T08:00")));
    let r = post(&s.router, "/admin/family/1/erase", &office, &confirm).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (name, erased) = name_of(&s, 1);
    assert!(erased && name != PUPIL, "{name}");
    let page = get(&s.router, "/admin/family/1", &office).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("已删除") && !page.body.contains(PUPIL));
    let e = get(&s.router, "/admin/family/1/export.json", &office).await;
    assert!(!e.body.contains(PUPIL) && e.body.contains("\"erased\": true"));
    // Erased once: a second time is refused.
    let r = post(&s.router, "/admin/family/1/erase", &office, &confirm).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn only_the_administrator_reaches_a_familys_data() {
    let s = school();
    let t1 = login(&s.router, "t1").await;
    let r = post(&s.router, "/applications", &t1, &form(PUPIL)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for who in ["t1", "lead", "fin"] {
        let u = login(&s.router, who).await;
        for path in ["/admin/family/1", "/admin/family/1/export.json"] {
            let r = get(&s.router, path, &u).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{who} {path}");
            assert!(!r.body.contains(PUPIL), "{who} {path}");
        }
        let r = post(
            &s.router,
            "/admin/family/1/erase",
            &u,
            &[("confirm", "yes")],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(name_of(&s, 1), (PUPIL.to_string(), false));
    // No such pupil: not found.
    let office = login(&s.router, "office").await;
    let r = get(&s.router, "/admin/family/99", &office).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = get(&s.router, "/admin/family/x", &office).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

/// The action text of the unwell record in the duty-day test.
const ACTION: &str = "头疼发烧, 已联系家长接回";

/// On the duty day: the pupil's roll-call mark, a late pickup, an unwell
/// record with its action and a handover naming them.
fn duty_records(ws: &Workspace, d: &duty_day::DutyDay) {
    use kehou::duty;
    use kehou::record::duty::Mark;
    let by = kehou::record::Actor {
        who: "test".into(),
        via: "tests".into(),
    };
    let pid = d.pupil.0;
    let hm = |s: &str| kehou::model::units::Hm::parse(s).expect("time");
    let mut rec = Record::open(&ws.record).expect("record");
    rec.write(|tx| {
        let day = duty::day(&d.policy, &d.school, tx, duty_day::day_date())?.expect("published");
        let late = day
            .held_by(&d.school, &d.late.id, &d.late_by)
            .expect("held");
        let home = day
            .held_by(&d.school, &d.homework.id, &d.homework_by)
            .expect("held");
        let now = duty_day::at("18:30");
        duty::roll_call(tx, &late, &d.late_roll, &[(pid, Mark::Present)], now, &by)?;
        duty::unwell(tx, &late, &d.late_roll, pid, hm("17:20"), ACTION, now, &by)?;
        duty::pickup(
            tx,
            &d.policy,
            &late,
            &d.late_roll,
            pid,
            hm("18:20"),
            now,
            &by,
        )?;
        let roll = duty::roll_of_duty(tx, &d.policy, &d.school, &day, &d.homework)?;
        let to = (d.late.id.as_str(), d.late_by.as_str());
        duty::hand_over(
            tx,
            &d.school,
            &day,
            &home,
            &roll,
            to,
            &[pid],
            None,
            now,
            &by,
        )?;
        Ok(())
    })
    .expect("duty records");
}

/// Every text cell of every table of the record, with its table.
fn every_text(ws: &Workspace) -> Vec<(String, String)> {
    let db = rusqlite::Connection::open(&ws.record).expect("record");
    let mut st = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .expect("tables");
    let tables: Vec<String> = st
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<Result<_, _>>()
        .expect("tables");
    let mut out = Vec::new();
    for t in tables {
        let mut st = db.prepare(&format!("SELECT * FROM \"{t}\"")).expect("rows");
        let n = st.column_count();
        let mut rows = st.query([]).expect("rows");
        while let Some(row) = rows.next().expect("row") {
            for i in 0..n {
                if let Ok(s) = row.get::<_, String>(i) {
                    out.push((t.clone(), s));
                }
            }
        }
    }
    out
}

/// The record's write-ahead log beside it (`kehou.db-wal`).
fn wal(db: &std::path::Path) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    name.into()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn the_export_holds_the_duty_records_and_the_erasure_blanks_their_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (ws, d) = duty_day::demo_day(dir.path());
    duty_records(&ws, &d);
    let (pid, name) = d.pupil.clone();
    let app = App::new(&ws).expect("app");
    app.add_account("office", Role::Admin, None, PASSWORD)
        .expect("account");
    app.set_clock(Some(duty_day::at("19:00")));
    let router = app.router();
    let office = login(&router, "office").await;
    let export = format!("/admin/family/{pid}/export.json");
    let e = get(&router, &export, &office).await;
    assert_eq!(e.status, StatusCode::OK, "{}", e.body);
    let json: serde_json::Value = serde_json::from_slice(&e.bytes).expect("json");
    assert_eq!(json["pupil"]["name"], name.as_str());
    assert_eq!(json["roll_calls"][0]["mark"], "present", "{json}");
    assert_eq!(json["roll_calls"][0]["duty"], d.late.id.as_str());
    let unwell = &json["unwell"][0];
    assert_eq!(unwell["action"], ACTION, "{json}");
    assert_eq!(unwell["at"], "2026-12-07T17:20");
    assert_eq!(json["pickups"][0]["at"], "2026-12-07T18:20", "{json}");
    assert_eq!(json["pickups"][0]["late"], true);
    assert_eq!(
        json["handovers"][0]["from_duty"],
        d.homework.id.as_str(),
        "{json}"
    );
    assert_eq!(json["handovers"][0]["to_duty"], d.late.id.as_str());

    // Withdrawn from the 8th, erased that day: no text about the child
    // is left anywhere in the record.
    let mut rec = Record::open(&ws.record).expect("record");
    let app_id = rec
        .read(|tx| tx.applications_of_pupil(pid))
        .expect("applications")[0]
        .id;
    let class = d
        .late_roll
        .pupil(pid)
        .expect("on the roll")
        .class_id
        .clone();
    rec.write(|tx| {
        use kehou::enrol::{Actor as By, Step};
        let by = kehou::record::Actor {
            who: "t".into(),
            via: "t".into(),
        };
        let on = "2026-12-08".parse().expect("date");
        tx.step(app_id, &Step::Withdraw { on }, &By::Family, "", &by)?;
        tx.step(
            app_id,
            &Step::Review { ok: true },
            &By::Homeroom {
                class: class.clone(),
            },
            "",
            &by,
        )?;
        tx.step(
            app_id,
            &Step::Approve { ok: true, on },
            &By::Principal,
            "",
            &by,
        )?;
        Ok(())
    })
    .expect("withdrawn");
    app.set_clock(Some(at("2026-12-08T08:00")));
    let r = post(
        &router,
        &format!("/admin/family/{pid}/erase"),
        &office,
        &[("confirm", "yes")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Nor in the files' bytes, while the record is still open: the
    // erasure's checkpoint took the old pages out of the -wal file.
    for f in [ws.record.clone(), wal(&ws.record)] {
        let bytes = std::fs::read(&f).unwrap_or_default();
        for text in [ACTION, name.as_str()] {
            assert!(
                !contains(&bytes, text.as_bytes()),
                "{text} still in {}",
                f.display()
            );
        }
    }
    let left: Vec<_> = every_text(&ws)
        .into_iter()
        .filter(|(_, s)| s.contains(ACTION) || s.contains(&name))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let e = get(&router, &export, &office).await;
    assert!(
        !e.body.contains(ACTION) && !e.body.contains(&name),
        "{}",
        e.body
    );
    // The rows stay, naming no one: the reports still count them.
    let events = rec
        .read(|tx| tx.class_events(duty_day::day_date(), duty_day::day_date()))
        .expect("events");
    use kehou::record::duty::ClassEventKind as K;
    let count = |k: K| {
        events
            .iter()
            .filter(|e| e.class_id == class && e.what == k)
            .count()
    };
    assert_eq!(count(K::Unwell), 1, "{events:?}");
    assert_eq!(count(K::LatePickup), 1, "{events:?}");
    assert!(count(K::Roll(kehou::record::duty::Mark::Present)) >= 1);
}
