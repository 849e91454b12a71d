//! A family's data on a page (issue 20, item 6), over HTTP in-process: the
//! administrator exports a child's data (the child, the applications and
//! every staff read, the export itself logged) and erases it once the
//! child no longer attends; while the child attends or an application
//! waits, the erasure is refused with the reason and nothing changes.
//! Other roles get 403.

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
