//! Page timings of the web app on the shipped large school (48 classes):
//! every page the vice-principal, finance and a teacher open on a published
//! week, a hand edit (refused and allowed), and an absence repair proposal.
//! In-process (tower's `oneshot`): the time is the handler's, not a network's.
//!
//! `cargo bench --bench web`

use std::collections::BTreeMap;

use axum::http::StatusCode;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

#[path = "../tests/webclient/mod.rs"]
mod webclient;
use webclient::{forms, get, login, plan_and_publish, submit, School, User, PASSWORD};

const WEEK: &str = "2026-12-07";

/// The first seat link of the week page's grid.
fn first_seat(html: &str) -> String {
    let key = format!("href=\"/week/{WEEK}/seat?");
    let at = html.find(&key).expect("the grid links its seats") + 6;
    let end = at + html[at..].find('"').expect("closing quote");
    html[at..end].replace("&amp;", "&")
}

/// A move to someone a rule stops, and an allowed move, from a seat page.
fn moves(seat: &str) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let all = forms(seat, "/edit");
    let free = all
        .iter()
        .find(|(f, _)| f.get("kind").is_some_and(|k| k == "move"))
        .expect("someone can take the seat")
        .0
        .clone();
    let doc = scraper::Html::parse_document(seat);
    let row = scraper::Selector::parse("tr.blocked td:nth-child(2)").expect("selector");
    let other = doc
        .select(&row)
        .map(|c| c.text().collect::<String>())
        .next()
        .expect("someone is stopped by a rule");
    let mut bad = free.clone();
    bad.insert("to".into(), other);
    (bad, free)
}

type Rt = tokio::runtime::Runtime;

/// T001's calendar subscription path: made, then read from their duties page.
fn calendar(rt: &Rt, s: &School, u: &User) -> String {
    let csrf = [("csrf", u.csrf.as_str())];
    rt.block_on(webclient::post(
        &s.router,
        "/duties/T001/calendar",
        &u.cookie,
        &csrf,
    ));
    let page = rt.block_on(get(&s.router, "/duties/T001", &u.cookie));
    let at = page.body.find("/cal/").expect("a subscription link");
    let end = at + page.body[at..].find(".ics").expect("ends in .ics") + 4;
    page.body[at..end].to_string()
}

fn time_get(c: &mut Criterion, rt: &Rt, s: &School, u: &User, (name, path): (&str, &str)) {
    // The login page is for those not logged in.
    let cookie = if name == "login" {
        ""
    } else {
        u.cookie.as_str()
    };
    let reply = rt.block_on(get(&s.router, path, cookie));
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    c.bench_function(&format!("page {name}"), |b| {
        b.iter(|| rt.block_on(get(&s.router, path, cookie)))
    });
}

fn pages(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let s = webclient::school("large");
    let u = rt.block_on(login(&s.router, "boss", PASSWORD));
    let week = rt.block_on(plan_and_publish(&s.router, &u, WEEK));
    let seat = first_seat(&week.body);
    let week_path = format!("/week/{WEEK}");
    let print = format!("/week/{WEEK}/print");
    let changes = format!("/week/{WEEK}/changes");
    let cal = calendar(&rt, &s, &u);
    for page in [
        ("login", "/login"),
        ("week", week_path.as_str()),
        ("print", print.as_str()),
        ("day", "/day/2026-12-09"),
        ("handover", "/handover/2026-12-09"),
        ("changes", changes.as_str()),
        ("seat", seat.as_str()),
        ("duties", "/duties/T001"),
        ("calendar", cal.as_str()),
        ("workload", "/workload"),
        ("workload.csv", "/workload.csv"),
        ("users", "/admin/users"),
    ] {
        time_get(c, &rt, &s, &u, page);
    }
    edits(c, &rt, &s, &u, &seat);
    repair(c, &rt, &s, &u);
}

/// A hand edit: refused (a rule stops the person), and allowed (each
/// iteration moves the seat on from a fresh seat page, untimed).
fn edits(c: &mut Criterion, rt: &Rt, s: &School, u: &User, seat: &str) {
    let edit = format!("/week/{WEEK}/edit");
    let page = rt.block_on(get(&s.router, seat, &u.cookie));
    let (bad, _) = moves(&page.body);
    c.bench_function("edit refused", |b| {
        b.iter(|| {
            let r = rt.block_on(submit(&s.router, u, &edit, &bad));
            assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
            assert!(r.body.contains("违反规则"), "refused by a rule: {}", r.body);
        })
    });
    let duty = seat.split("duty=").nth(1).expect("duty").to_string();
    c.bench_function("edit allowed", |b| {
        b.iter_batched(
            || {
                let path = format!("/week/{WEEK}/seat?duty={duty}");
                let page = rt.block_on(get(&s.router, &path, &u.cookie));
                moves(&page.body).1
            },
            |free| {
                let r = rt.block_on(submit(&s.router, u, &edit, &free));
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            },
            BatchSize::PerIteration,
        )
    });
}

/// The repair proposal for a homeroom teacher absent Wednesday and Thursday.
fn repair(c: &mut Criterion, rt: &Rt, s: &School, u: &User) {
    let path = format!("/week/{WEEK}/repair");
    let mut f = BTreeMap::new();
    f.insert("absent".to_string(), "T001".to_string());
    f.insert("from".to_string(), "2026-12-09".to_string());
    f.insert("to".to_string(), "2026-12-10".to_string());
    let mut g = c.benchmark_group("repair");
    g.sample_size(10);
    g.bench_function("proposal", |b| {
        b.iter(|| {
            let r = rt.block_on(submit(&s.router, u, &path, &f));
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        })
    });
    g.finish();
}

criterion_group! {
    name = web;
    config = Criterion::default().sample_size(20);
    targets = pages
}
criterion_main!(web);
