//! Comp time, surveys and the appraisal sheet (issue 20, item 4): a duty
//! ending after the policy's work-end earns comp time at its rate; time
//! taken lowers the balance, more than the balance is refused; a survey's
//! link takes answers within its rate limit, an unknown token is 404 and a
//! score out of range is refused, the answers keep nothing of who gave
//! them and reach the appraisal's feedback; the appraisal counts a late
//! sign-in recorded through the duty routes, and its workbook has the
//! screen's numbers.

#[path = "common/duty_day.rs"]
mod duty_day;
#[path = "common/web_day.rs"]
mod web_day;

use std::io::Cursor;

use axum::http::StatusCode;
use calamine::{Data, Reader, Xlsx};
use duty_day::{at, day_date, duty_day, DutyDay};
use kehou::error::Error;
use kehou::ledger::{self, Served};
use kehou::model::units::Hm;
use kehou::record::comp::{balances_now, take};
use kehou::record::{Actor, Record};
use kehou::web::{App, Role, Workspace};
use web_day::{get, hidden, login, post, row, PASSWORD};

const TERM: &str = "2026年秋季学期";

fn by() -> Actor {
    Actor {
        who: "test".into(),
        via: "tests".into(),
    }
}

/// The demo workspace with `[comp]` at work-end 16:30 and rate 1.5 (the
/// demo's winter service ends at 17:00, its own work-end), its week published.
fn comp_day(dir: &std::path::Path) -> (Workspace, DutyDay) {
    let (ws, _) = Workspace::demo(&dir.join("demo")).unwrap();
    let text = std::fs::read_to_string(&ws.policy).unwrap();
    let at = text.find("[comp]").unwrap();
    let (head, tail) = text.split_at(at);
    let tail = tail
        .replacen("work_end = \"17:00\"", "work_end = \"16:30\"", 1)
        .replacen("rate = 1.0", "rate = 1.5", 1);
    assert!(tail.contains("16:30") && tail.contains("1.5"), "{tail}");
    std::fs::write(&ws.policy, format!("{head}{tail}")).unwrap();
    let d = duty_day(&ws);
    (ws, d)
}

fn refusal(e: Error) -> String {
    match e {
        Error::Refused(s) => s[0].zh.clone() + " / " + &s[0].en,
        other => panic!("not a refusal: {other}"),
    }
}

fn balance(rec: &mut Record, d: &DutyDay, staff: &str) -> (i64, i64) {
    let ix = d.school.staff_index(staff).unwrap();
    let all = rec
        .read(|tx| balances_now(tx, &d.policy, &d.school))
        .unwrap();
    all.iter()
        .find(|b| b.staff == ix)
        .map_or((0, 0), |b| (b.accrued, b.taken))
}

#[test]
fn comp_time_accrues_at_the_rate_after_the_work_end_and_taking_it_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = comp_day(dir.path());
    let mut rec = Record::open(&ws.record).unwrap();
    let to = day_date() + chrono::Days::new(6);
    let served: Vec<Served> = rec
        .read(|tx| ledger::served(&d.policy, &d.school, tx, day_date(), to))
        .unwrap();
    let ix = d.school.staff_index(&d.late_by).unwrap();
    // Per duty: the minutes after 16:30 x 1.5, half up.
    let expected: i64 = served
        .iter()
        .filter(|s| s.staff == ix)
        .map(|s| {
            let after = i64::from(s.duty.end.0) - i64::from(s.duty.start.0.max(16 * 60 + 30));
            if after <= 0 {
                0
            } else {
                (after * 150 + 50) / 100
            }
        })
        .sum();
    // The late stay (16:20-17:00 in winter) alone earns 30 x 1.5 = 45.
    assert_eq!(d.late.end, Hm(17 * 60), "{:?}", d.late);
    assert!(expected >= 45, "{expected}");
    assert_eq!(balance(&mut rec, &d, &d.late_by), (expected, 0));
    // Someone who served nothing after 16:30 earns nothing.
    let none = d
        .school
        .staff
        .iter()
        .enumerate()
        .find(|(i, _)| !served.iter().any(|s| s.staff == *i))
        .map(|(_, s)| s.id.clone())
        .unwrap();
    assert_eq!(balance(&mut rec, &d, &none), (0, 0));
    let e = rec
        .write(|tx| take(tx, &d.policy, &d.school, &none, day_date(), 10, "", &by()))
        .unwrap_err();
    assert!(refusal(e).contains("only 0 minutes"));
    // Taking 20 minutes lowers the balance by 20.
    let on = "2026-12-11".parse().unwrap();
    rec.write(|tx| {
        take(
            tx,
            &d.policy,
            &d.school,
            &d.late_by,
            on,
            20,
            "周五早走",
            &by(),
        )
    })
    .unwrap();
    assert_eq!(balance(&mut rec, &d, &d.late_by), (expected, 20));
    // More than what is left, none, or a stranger: refused, nothing recorded.
    let left = expected - 20;
    for (who, m, why) in [
        (d.late_by.as_str(), left + 1, "nothing was recorded"),
        (d.late_by.as_str(), 0, "expected 1 to 1440"),
        ("NOBODY", 5, "no such staff member"),
    ] {
        let e = rec
            .write(|tx| take(tx, &d.policy, &d.school, who, on, m, "", &by()))
            .unwrap_err();
        assert!(refusal(e).contains(why), "{who} {m}");
    }
    assert_eq!(rec.read(|tx| tx.comp_taken()).unwrap().len(), 1);
    // The rest can be taken.
    rec.write(|tx| take(tx, &d.policy, &d.school, &d.late_by, on, left, "", &by()))
        .unwrap();
    assert_eq!(balance(&mut rec, &d, &d.late_by), (expected, expected));
}

/// The token of the link `/s/{token}` in a page.
fn token_of(body: &str) -> String {
    let at = body.find("/s/").unwrap() + 3;
    body[at..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

/// Answer the survey at `token` with `scores` as an anonymous parent.
async fn answer(r: &axum::Router, token: &str, scores: [&str; 4]) -> web_day::Reply {
    let form = get(r, &format!("/s/{token}"), "").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let csrf = hidden(&form.body, "csrf");
    let cookie = format!(
        "kehou_login_csrf={}",
        form.cookie("kehou_login_csrf").unwrap()
    );
    let mut f = vec![("csrf", csrf.as_str()), ("comment", "老师很负责")];
    f.extend([
        ("q1", scores[0]),
        ("q2", scores[1]),
        ("q3", scores[2]),
        ("q4", scores[3]),
    ]);
    post(r, &format!("/s/{token}"), &cookie, &f).await
}

fn xlsx_rows(bytes: &[u8]) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

/// The workbook's row for `staff` equals the screen's cells.
fn same_as_screen(rows: &[Vec<Data>], screen: &[String]) {
    let x = rows
        .iter()
        .find(|r| matches!(&r[0], Data::String(s) if *s == screen[0]))
        .unwrap_or_else(|| panic!("no row for {}", screen[0]));
    for (c, want) in screen.iter().enumerate() {
        match &x[c] {
            Data::Float(f) => {
                let w: f64 = want.parse().unwrap_or_else(|_| panic!("{c}: {want}"));
                assert!((f - w).abs() < 1e-9, "column {c}: {f} vs {want}");
            }
            Data::Int(i) => assert_eq!(i.to_string(), *want, "column {c}"),
            Data::String(s) => assert_eq!(s, want, "column {c}"),
            Data::Empty => assert_eq!(want, "", "column {c}"),
            other => panic!("column {c}: {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn surveys_and_sign_ins_reach_the_appraisal_and_its_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = comp_day(dir.path());
    let app = App::new(&ws).unwrap();
    app.add_account("boss", Role::Admin, None, PASSWORD)
        .unwrap();
    app.add_account("lead", Role::Leadership, None, PASSWORD)
        .unwrap();
    app.add_account("late", Role::Teacher, Some(&d.late_by), PASSWORD)
        .unwrap();
    let r = app.router();
    let boss = login(&r, "boss").await;
    let lead = login(&r, "lead").await;
    let late = login(&r, "late").await;

    // A survey of the homework group, its link shown once.
    let target = d.homework.group.clone();
    let opened = boss
        .post(&r, "/surveys", &[("target", &target), ("term", TERM)])
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    let token = token_of(&opened.body);
    assert!(token.len() >= 32, "{token}");
    let no_term = boss
        .post(&r, "/surveys", &[("target", &target), ("term", "2030年")])
        .await;
    assert_eq!(no_term.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        late.post(&r, "/surveys", &[("target", "x"), ("term", TERM)])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // An unknown token: 404 both ways.
    assert_eq!(
        get(&r, "/s/0000deadbeef", "").await.status,
        StatusCode::NOT_FOUND
    );
    let wrong = format!("{}x", &token[..token.len() - 1]);
    let csrfless = post(&r, &format!("/s/{wrong}"), "", &[("q1", "5")]).await;
    assert!(csrfless.status.is_client_error());
    // Out of range or missing: refused, nothing kept.
    for bad in [
        ["6", "4", "5", "4"],
        ["0", "4", "5", "4"],
        ["5", "", "5", "4"],
        ["5", "x", "5", "4"],
    ] {
        let a = answer(&r, &token, bad).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad:?}: {}", a.body);
    }
    // Ten answers an hour from one address; the eleventh waits.
    for _ in 0..10 {
        let a = answer(&r, &token, ["5", "4", "5", "4"]).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.contains("谢谢"));
    }
    let more = answer(&r, &token, ["1", "1", "1", "1"]).await;
    assert_eq!(more.status, StatusCode::TOO_MANY_REQUESTS, "{}", more.body);
    // Results: ten answers, mean 4.50, for leadership; no teacher.
    let res = lead.get(&r, "/surveys").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.body.contains("4.50") && res.body.contains("老师很负责"),
        "{}",
        res.body
    );
    assert_eq!(late.get(&r, "/surveys").await.status, StatusCode::FORBIDDEN);
    // Anonymous: the answers' table keeps scores, a comment and a time only.
    let db = rusqlite::Connection::open(&ws.record).unwrap();
    let mut st = db
        .prepare("SELECT name FROM pragma_table_info('survey_answers')")
        .unwrap();
    let cols: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(cols, ["id", "survey_id", "scores", "comment", "at"]);
    let n: i64 = db
        .query_row("SELECT count(*) FROM survey_answers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 10);

    // A late sign-in through the duty page, ten minutes after the start.
    app.set_clock(Some(at(&Hm(d.late.start.0 + 10).to_string())));
    let s = late
        .post(&r, &format!("/duty/{}/signin", d.late.id), &[])
        .await;
    assert_eq!(s.status, StatusCode::SEE_OTHER, "{}", s.body);

    // Comp time taken through the page: bounded by the balance, the administrator's.
    let take = |m: &'static str| {
        vec![
            ("staff", d.late_by.as_str()),
            ("date", "2026-12-11"),
            ("minutes", m),
            ("note", ""),
        ]
    };
    assert_eq!(
        boss.post(&r, "/comp/take", &take("10")).await.status,
        StatusCode::SEE_OTHER
    );
    let over = boss.post(&r, "/comp/take", &take("1440")).await;
    assert_eq!(over.status, StatusCode::CONFLICT, "{}", over.body);
    assert_eq!(
        boss.post(&r, "/comp/take", &take("ten")).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        late.post(&r, "/comp/take", &take("1")).await.status,
        StatusCode::FORBIDDEN
    );
    let q = "from=2026-12-07&to=2026-12-11";
    let sheet = boss.get(&r, &format!("/appraisal?{q}")).await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert!(!sheet.body.contains("not wired") && !sheet.body.contains("尚未接入"));
    let l = row(&sheet.body, &d.late_by).expect("the late stay's line");
    assert_eq!((l[5].as_str(), l[6].as_str()), ("1", "1"), "{l:?}");
    assert!(l[7].parse::<i64>().unwrap() >= 45, "{l:?}");
    assert_eq!(l[8], "10", "{l:?}");
    let h = row(&sheet.body, &d.homework_by).expect("the homework line");
    assert_eq!(h[9], "4.50", "{h:?}");
    assert!(h[10].contains(&format!("{target}: 4.50/10")), "{h:?}");
    // A period outside every term has no survey's feedback.
    let summer = boss
        .get(&r, "/appraisal?from=2026-07-10&to=2026-08-20")
        .await;
    assert_eq!(summer.status, StatusCode::OK, "{}", summer.body);
    let hs = row(&summer.body, &d.homework_by).expect("the homework teacher's line");
    assert_eq!((hs[9].as_str(), hs[10].as_str()), ("", ""), "{hs:?}");
    // A teacher sees their own line only.
    let own = late.get(&r, &format!("/appraisal?{q}")).await;
    assert!(row(&own.body, &d.late_by).is_some());
    assert!(row(&own.body, &d.homework_by).is_none());

    // The workbook opens and has the screen's numbers.
    let x = boss.get(&r, &format!("/appraisal.xlsx?{q}")).await;
    assert_eq!(x.status, StatusCode::OK);
    let rows = xlsx_rows(&x.bytes);
    assert!(matches!(&rows[0][0], Data::String(s) if s.contains("2026-12-07")));
    same_as_screen(&rows, &l);
    same_as_screen(&rows, &h);
    let lines = sheet.body.matches("<tr><td>").count();
    let data_rows = rows
        .iter()
        .skip(2)
        .filter(|r| matches!(&r[0], Data::String(s) if s.starts_with('T') || s.starts_with('W')))
        .count();
    assert!(data_rows >= 2 && lines >= data_rows, "{lines} {data_rows}");
}

/// The survey opened by the administrator, its request sent with a forged
/// Host: the page with the link.
async fn opened_under_a_forged_host(app: &App) -> String {
    app.add_account("boss", Role::Admin, None, PASSWORD)
        .unwrap();
    let r = app.router();
    let boss = login(&r, "boss").await;
    let form = [
        ("csrf", boss.csrf.as_str()),
        ("target", "一(1)班"),
        ("term", TERM),
    ];
    let req = axum::http::Request::post("/surveys")
        .header(axum::http::header::COOKIE, &boss.cookie)
        .header(
            axum::http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(axum::http::header::HOST, "evil.example")
        .body(axum::body::Body::from(
            serde_urlencoded::to_string(form).unwrap(),
        ))
        .unwrap();
    let page = web_day::send(&r, req).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body
}

#[tokio::test]
async fn a_surveys_link_is_built_from_the_public_url_never_the_host() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _) = Workspace::demo(&dir.path().join("demo")).unwrap();
    let settings = kehou::web::Settings {
        trusted_proxies: vec![],
        public_url: Some("https://kehou.school.cn".into()),
    };
    let body = opened_under_a_forged_host(&App::with_settings(&ws, settings).unwrap()).await;
    let token = token_of(&body);
    assert!(!body.contains("evil.example"), "{body}");
    assert!(
        body.contains(&format!(">https://kehou.school.cn/s/{token}<")),
        "{body}"
    );
    assert!(!body.contains("no-public-url"), "{body}");
    // Without a public URL: the path alone, and the note to set one.
    let dir = tempfile::tempdir().unwrap();
    let (ws, _) = Workspace::demo(&dir.path().join("demo")).unwrap();
    let body = opened_under_a_forged_host(&App::new(&ws).unwrap()).await;
    let token = token_of(&body);
    assert!(!body.contains("evil.example"), "{body}");
    assert!(body.contains(&format!(">/s/{token}<")), "{body}");
    assert!(body.contains("--public-url"), "{body}");
}
