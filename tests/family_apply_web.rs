//! (The family pages of the applications: offer, agreement, codes, /family, clubs, import.)
//! The family's side of applications over HTTP (issue 20, item 1),
//! in-process like tests/applications_web.rs: the term's offer published
//! and printed; an approved application's agreement printed and recorded
//! signed; a child's invitation code and the parent page (only that
//! child, a wrong code refused and rate-limited); a club's draw
//! reproducible from its seed; the office's import of a WeCom form.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use kehou::record::Record;

#[path = "common/apply_school.rs"]
mod apply_school;
#[path = "common/http.rs"]
mod http;
#[path = "common/parent.rs"]
mod parent;

use apply_school::{form, school, School, PUPIL};
use http::{get_with as get, login, post, send, Reply, User};
use parent::{cell, enter, issue, open_post, parent, Parent};

/// An application of 1-1 entered by t1, reviewed and approved from 2026-12-01.
async fn approved(s: &School, t1: &User, lead: &User, id: &str) {
    let r = post(&s.router, "/applications", t1, &form("1-1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let step = format!("/applications/{id}/step");
    let r = post(&s.router, &step, t1, &[("step", "review"), ("ok", "yes")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let ok = [("step", "approve"), ("ok", "yes"), ("on", "2026-12-01")];
    let r = post(&s.router, &step, lead, &ok).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

fn record(s: &School) -> Record {
    Record::open(&s.ws.record).expect("record")
}

#[tokio::test]
async fn the_office_publishes_the_offer_and_everyone_reads_and_prints_it() {
    let s = school();
    let office = login(&s.router, "office").await;
    let t2 = login(&s.router, "t2").await;
    let r = get(&s.router, "/applications/offer", &t2.cookie).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("no-offer"), "{}", r.body);
    assert!(
        !r.body.contains("name=\"content\""),
        "a teacher has no form"
    );
    assert_eq!(
        get(&s.router, "/applications/offer/print", &t2.cookie)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A bad field is named and nothing is published.
    let bad = [("term", "2026年秋季学期"), ("content", ""), ("safety", "x")];
    let r = post(&s.router, "/applications/offer", &office, &bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("「服务内容」"), "{}", r.body);
    assert!(record(&s).read(|tx| tx.offer()).expect("offer").is_none());
    let r = post(&s.router, "/applications/offer", &t2, &bad).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let good = [
        ("term", "2026年秋季学期"),
        ("content", "作业辅导\n社团活动"),
        ("safety", "交接班制度, 家长按时接走"),
    ];
    let r = post(&s.router, "/applications/offer", &office, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let fin = login(&s.router, "fin").await;
    let r = get(&s.router, "/applications/offer", &fin.cookie).await;
    assert_eq!(r.status, StatusCode::OK);
    for want in [
        "2026年秋季学期",
        "<p>社团活动</p>",
        "交接班制度",
        "周四下午教师业务学习",
        "id=\"club-C01\"",
    ] {
        assert!(r.body.contains(want), "{want}: {}", r.body);
    }
    // The times are the policy's: the winter stage 1 starts at its time.
    let p = s.ws.load().expect("load").0;
    let winter = &p.seasons[0];
    let (a, _) = winter.times.values().next().expect("a time");
    assert!(r.body.contains(&a.to_string()), "{}", r.body);
    // The lower grades' earlier stage 1 (a season's override) is said too.
    let o = winter.overrides.first().expect("an override");
    assert!(
        r.body.contains(&format!("{}–{}", o.start, o.end)),
        "{}",
        r.body
    );
    let print = get(&s.router, "/applications/offer/print", &t2.cookie).await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(print.body.contains("size:A4 portrait"), "{}", print.body);
    assert!(print.body.contains("交接班制度"));
    assert!(!print.body.contains("<nav"), "no navigation on paper");
}

#[tokio::test]
async fn an_approved_applications_agreement_prints_and_is_recorded_signed() {
    let s = school();
    let t1 = login(&s.router, "t1").await;
    let lead = login(&s.router, "lead").await;
    let office = login(&s.router, "office").await;
    let safety = [
        ("term", "2026秋"),
        ("content", "作业辅导"),
        ("safety", "门卫登记制度"),
    ];
    post(&s.router, "/applications/offer", &office, &safety).await;
    // Not yet approved (another child): no agreement to print or sign.
    post(&s.router, "/applications", &t1, &other("1-1")).await;
    let r = get(&s.router, "/applications/1/agreement", &t1.cookie).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let sign = [("signed_on", "2026-11-30"), ("signed_by", "王大明")];
    let r = post(&s.router, "/applications/1/agreement", &t1, &sign).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    approved(&s, &t1, &lead, "2").await;
    let r = get(&s.router, "/applications/2/agreement", &t1.cookie).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for want in [
        PUPIL,
        "1-1",
        "周一",
        "门卫登记制度",
        "家长 (监护人) 签字",
        "size:A4 portrait",
    ] {
        assert!(r.body.contains(want), "{want}: {}", r.body);
    }
    // Another class's teacher and leadership may not.
    let t2 = login(&s.router, "t2").await;
    let r = get(&s.router, "/applications/2/agreement", &t2.cookie).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.body.contains(PUPIL));
    let r = post(&s.router, "/applications/2/agreement", &t2, &sign).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        get(&s.router, "/applications/2/agreement", &lead.cookie)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Bad fields are named; nothing recorded.
    let r = post(
        &s.router,
        "/applications/2/agreement",
        &t1,
        &[("signed_on", "2026-02-30"), ("signed_by", "王大明")],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("「签订日期」"), "{}", r.body);
    let r = post(
        &s.router,
        "/applications/2/agreement",
        &t1,
        &[("signed_on", "2026-11-30")],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("「签字人」"), "{}", r.body);
    assert!(record(&s)
        .read(|tx| tx.agreement(2))
        .expect("agreement")
        .is_none());
    let list = get(&s.router, "/applications", &t1.cookie).await;
    assert!(
        list.body.contains("action=\"/applications/2/agreement\""),
        "{}",
        list.body
    );
    let r = post(&s.router, "/applications/2/agreement", &t1, &sign).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let g = record(&s)
        .read(|tx| tx.agreement(2))
        .expect("agreement")
        .expect("recorded");
    assert_eq!(
        (g.signed_on.as_str(), g.signed_by.as_str(), g.who.as_str()),
        ("2026-11-30", "王大明", "t1")
    );
    let list = get(&s.router, "/applications", &office.cookie).await;
    let shown = cell(&list.body, "agreement-2");
    assert!(
        shown.contains("2026-11-30") && shown.contains("王大明"),
        "{shown}"
    );
    assert!(!list.body.contains("action=\"/applications/2/agreement\""));
    // Once only.
    let r = post(&s.router, "/applications/2/agreement", &office, &sign).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
}

/// The form of a second pupil of 1-1.
fn other(class: &str) -> Vec<(&str, &str)> {
    let mut f = form(class);
    for (k, v) in f.iter_mut() {
        if *k == "pupil" {
            *v = "李小红";
        }
    }
    f
}

#[tokio::test]
async fn a_parent_with_the_code_applies_for_their_child_and_sees_only_them() {
    let s = school();
    let t1 = login(&s.router, "t1").await;
    post(&s.router, "/applications", &t1, &form("1-1")).await;
    post(&s.router, "/applications", &t1, &other("1-1")).await;
    let list = get(&s.router, "/applications", &t1.cookie).await;
    assert!(
        list.body.contains("action=\"/pupils/1/code\""),
        "{}",
        list.body
    );
    let code = issue(&s, &t1, 1).await;
    assert_eq!(code.len(), 14, "{code}");
    // The slip names the child: a read, logged.
    let reads = record(&s).read(|tx| tx.reads_of(1)).expect("reads");
    assert!(
        reads
            .iter()
            .any(|r| r.who == "t1" && r.what == "/pupils/{id}/code"),
        "{reads:?}"
    );
    // Another class's teacher may not issue one; leadership neither.
    let t2 = login(&s.router, "t2").await;
    let r = post(&s.router, "/pupils/1/code", &t2, &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The code is shown once, on the slip, never again.
    let list = get(&s.router, "/applications", &t1.cookie).await;
    assert!(!list.body.contains(&code));
    let mut p = parent(&s.router).await;
    // Typed in lower case with spaces: the same code.
    let typed = code.to_lowercase().replace('-', " ");
    let r = enter(&s, &mut p, &typed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = get(&s.router, "/family", &p.cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(PUPIL), "{}", page.body);
    assert!(
        !page.body.contains("李小红"),
        "another child: {}",
        page.body
    );
    assert!(page.body.contains("待班主任审核"), "{}", page.body);
    assert!(page.body.contains("name=\"class\" value=\"1-1\""));
    // While the child's application waits for a decision, another is
    // refused, naming it; nothing recorded.
    let apply = [("class", "1-2"), ("day_2", "1"), ("session_stage1", "1")];
    let r = open_post(&s.router, "/family/apply", &p, &apply).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.body.contains("已有一份未决的申请 (申请 1, 待班主任审核"),
        "{}",
        r.body
    );
    let mut rec = record(&s);
    let mine = rec.read(|tx| tx.applications_of_pupil(1)).expect("apps");
    assert_eq!(mine.len(), 1);
    // Not approved: the family may apply again. The form's class is
    // ignored: the child's class is the session's.
    let no = [("step", "review"), ("ok", "no")];
    let r = post(&s.router, "/applications/1/step", &t1, &no).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = open_post(&s.router, "/family/apply", &p, &apply).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mine = rec.read(|tx| tx.applications_of_pupil(1)).expect("apps");
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[1].choice.class, "1-1");
    assert_eq!(mine[1].choice.weekdays, vec![chrono::Weekday::Tue]);
    assert_eq!(
        rec.read(|tx| tx.applications_of_pupil(2))
            .expect("apps")
            .len(),
        1
    );
    // A bad choice is named, nothing recorded.
    let r = open_post(&s.router, "/family/apply", &p, &[("session_stage1", "1")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("「参加星期」"), "{}", r.body);
    assert_eq!(
        rec.read(|tx| tx.applications_of_pupil(1))
            .expect("apps")
            .len(),
        2
    );
    let page = get(&s.router, "/family", &p.cookie).await;
    assert_eq!(
        page.body.matches("待班主任审核").count(),
        1,
        "{}",
        page.body
    );
    assert!(page.body.contains("未通过"), "{}", page.body);
    // The homeroom teacher sees the family's application to review.
    let list = get(&s.router, "/applications", &t1.cookie).await;
    assert!(list.body.contains("id=\"app-3\""), "{}", list.body);
    // A new code ends the family's session and the old code.
    let fresh = issue(&s, &t1, 1).await;
    assert_ne!(fresh, code);
    let page = get(&s.router, "/family", &p.cookie).await;
    assert!(!page.body.contains(PUPIL), "{}", page.body);
    let mut q = parent(&s.router).await;
    let r = enter(&s, &mut q, &code).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    let r = enter(&s, &mut q, &fresh).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Leaving ends the session.
    let r = open_post(&s.router, "/family/leave", &q, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = open_post(&s.router, "/family/apply", &q, &apply).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

#[tokio::test]
async fn a_wrong_code_is_refused_and_rate_limited() {
    let s = school();
    let office = login(&s.router, "office").await;
    post(&s.router, "/applications", &office, &form("1-1")).await;
    let code = issue(&s, &office, 1).await;
    let mut p = parent(&s.router).await;
    // Without the page's token: refused as CSRF.
    let bare = Parent {
        csrf: String::new(),
        cookie: String::new(),
    };
    let r = open_post(&s.router, "/family", &bare, &[("code", &code)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = enter(&s, &mut p, "").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("「邀请码」"), "{}", r.body);
    for wrong in [
        "AAAA-BBBB-CCCC",
        "nonsense",
        "AAAA-BBBB-CCCD",
        "x",
        "ZZZZ-ZZZZ-ZZZZ",
    ] {
        let r = enter(&s, &mut p, wrong).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{wrong}");
        assert!(r.body.contains("邀请码不对"), "{}", r.body);
        assert!(!r.body.contains(PUPIL));
    }
    // Five wrong codes: even the right one waits.
    let r = enter(&s, &mut p, &code).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("分钟后再试"), "{}", r.body);
    assert!(!p.cookie.contains("kehou_family"));
    // Without a family session nothing is applied.
    let apply = [("day_2", "1"), ("session_stage1", "1")];
    let r = open_post(&s.router, "/family/apply", &p, &apply).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let n = record(&s).read(|tx| tx.applications()).expect("apps").len();
    assert_eq!(n, 1);
}

/// The recorded draws of a club, oldest first: (seed, admitted, waiting).
type Drawn = (Option<u64>, Vec<i64>, Vec<i64>);

fn draws(s: &School) -> Vec<Drawn> {
    let mut d = record(s).read(|tx| tx.club_draws()).expect("draws");
    d.reverse();
    d.into_iter()
        .map(|d| (d.seed, d.admitted, d.waiting))
        .collect()
}

#[tokio::test]
async fn a_club_over_capacity_is_drawn_reproducibly_with_its_waiting_list() {
    let s = school();
    let office = login(&s.router, "office").await;
    let seats =
        s.ws.load()
            .expect("load")
            .1
            .clubs
            .iter()
            .find(|c| c.id == "C01")
            .expect("C01")
            .pupils as usize;
    let n = seats + 3;
    for i in 0..n {
        let name = format!("学生{i}");
        let f = [
            ("class", "1-1"),
            ("pupil", name.as_str()),
            ("day_2", "1"),
            ("session_stage2", "1"),
            ("club1", "C01"),
        ];
        let r = post(&s.router, "/applications", &office, &f).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = get(&s.router, "/applications/clubs", &office.cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(cell(&page.body, "fill-C01"), n.to_string());
    assert!(page.body.contains("超出名额"), "{}", page.body);
    // Bad fields are named; nothing recorded.
    for (f, field) in [
        (
            vec![("club", "C01"), ("method", "lottery"), ("seed", "")],
            "「种子」",
        ),
        (
            vec![("club", "C01"), ("method", "lottery"), ("seed", "-3")],
            "「种子」",
        ),
        (vec![("club", "C99"), ("method", "first")], "「社团」"),
        (vec![("club", "C01"), ("method", "dice")], "「方式」"),
    ] {
        let r = post(&s.router, "/applications/clubs", &office, &f).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{f:?}");
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    assert!(draws(&s).is_empty());
    let lottery = |seed: &'static str| vec![("club", "C01"), ("method", "lottery"), ("seed", seed)];
    for seed in ["42", "42", "7"] {
        let r = post(&s.router, "/applications/clubs", &office, &lottery(seed)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let d = draws(&s);
    assert_eq!(d[0], d[1], "the same seed draws the same result");
    assert_eq!(d[0].0, Some(42));
    assert_ne!(d[0].1, d[2].1, "another seed, another draw");
    let all: Vec<i64> = (1..=n as i64).collect();
    for (_, admitted, waiting) in &d {
        assert_eq!(admitted.len(), seats);
        assert_eq!(waiting.len(), 3);
        let mut both: Vec<i64> = admitted.iter().chain(waiting).copied().collect();
        both.sort_unstable();
        assert_eq!(both, all, "everyone has a seat or waits, once");
    }
    // The library's draw from the same seed, by anyone.
    let apps = record(&s).read(|tx| tx.applications()).expect("apps");
    let asks: Vec<kehou::enrol::ClubAsk> = apps
        .iter()
        .map(|a| kehou::enrol::ClubAsk {
            application: a.id,
            applied_at: a.applied_at.clone(),
            clubs: a.choice.clubs.clone(),
        })
        .collect();
    let cap = std::collections::BTreeMap::from([("C01".to_string(), seats as u32)]);
    let again = kehou::enrol::allocate(
        &asks,
        &cap,
        kehou::enrol::Draw::Lottery { seed: 42 },
        |_, _| false,
    );
    assert_eq!(again.admitted["C01"], d[0].1);
    assert_eq!(again.waiting["C01"], d[0].2);
    // First come: the first applications have the seats, the last wait in order.
    let r = post(
        &s.router,
        "/applications/clubs",
        &office,
        &[("club", "C01"), ("method", "first")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let d = draws(&s);
    let last = &d[3];
    assert_eq!(last.0, None);
    assert_eq!(last.1, (1..=seats as i64).collect::<Vec<_>>());
    assert_eq!(last.2, ((seats as i64 + 1)..=n as i64).collect::<Vec<_>>());
    let page = get(&s.router, "/applications/clubs", &office.cookie).await;
    assert!(page.body.contains("id=\"draw-C01\""), "{}", page.body);
    assert!(page.body.contains("先到先得"));
    assert!(page.body.contains(&format!("学生{}", n - 1)));
    let t1 = login(&s.router, "t1").await;
    let r = post(
        &s.router,
        "/applications/clubs",
        &t1,
        &[("club", "C01"), ("method", "first")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(draws(&s).len(), 4);
}

/// A WeCom form's export: a submission-time column first, then the rows.
fn workbook(rows: &[[&str; 7]]) -> Vec<u8> {
    workbook_at(0, rows)
}

/// The same with `blank` empty rows above the header (a title removed,
/// or rows left empty by whoever exported it).
fn workbook_at(blank: u32, rows: &[[&str; 7]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let head = [
        "提交时间",
        "班级",
        "学生姓名",
        "家长姓名",
        "联系电话",
        "参加星期",
        "参加时段",
        "社团志愿",
    ];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string(blank, c as u16, *h).expect("cell");
    }
    for (r, row) in rows.iter().enumerate() {
        let r = blank + r as u32 + 1;
        sheet.write_string(r, 0, "2026/11/20 08:00").expect("cell");
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r, c as u16 + 1, *v).expect("cell");
            }
        }
    }
    book.save_to_buffer().expect("xlsx")
}

/// A multipart form with the CSRF token and one file, as a browser posts it.
async fn upload(r: &Router, path: &str, u: &User, name: &str, bytes: &[u8]) -> Reply {
    let b = "----kehouTestBoundary7MA4YWxk";
    let mut body = Vec::new();
    body.extend(
        format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n",
            u.csrf
        )
        .bytes(),
    );
    body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").bytes());
    body.extend(bytes);
    body.extend(format!("\r\n--{b}--\r\n").bytes());
    let req = Request::post(path)
        .header(header::COOKIE, &u.cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={b}"),
        );
    send(r, req.body(Body::from(body)).expect("request")).await
}

#[tokio::test]
async fn a_wecom_form_is_previewed_with_bad_cells_named_and_recorded_on_confirm() {
    let s = school();
    let office = login(&s.router, "office").await;
    let p = s.ws.load().expect("load").0;
    let choices = kehou::enrol::session_choices(&p);
    let stage1 = choices
        .iter()
        .find(|c| c.key == "stage1")
        .expect("stage1")
        .label
        .clone();
    let morning = choices
        .iter()
        .find(|c| c.key == "morning")
        .expect("morning")
        .label
        .clone();
    let both = format!("{morning}、{stage1}");
    let good = [
        [
            "1-1",
            "张三",
            "张大山",
            "13900000001",
            "周一、周三",
            both.as_str(),
            "合唱",
        ],
        [
            "1-2",
            "李四",
            "",
            "",
            "星期二,星期五",
            "stage1",
            "足球、篮球",
        ],
    ];
    // Row 3 has a Saturday, row 4 an unknown session: named by row and column.
    let bad = [
        good[0],
        ["1-1", "王五", "", "", "周一、周六", stage1.as_str(), ""],
        ["1-1", "赵六", "", "", "周一", "晚托", ""],
        ["9-9", "钱七", "", "", "周一", stage1.as_str(), ""],
    ];
    let r = upload(
        &s.router,
        "/applications/import",
        &office,
        "form.xlsx",
        &workbook(&bad),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    for want in [
        "第 3 行「参加星期」",
        "第 4 行「参加时段」",
        "「晚托」",
        "第 5 行「班级」",
    ] {
        assert!(r.body.contains(want), "{want}: {}", r.body);
    }
    assert!(!r.body.contains("name=\"token\""), "no confirm with errors");
    assert_eq!(applications(&s), 0);
    // A sheet without a required column: the header named.
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet()
        .write_string(0, 0, "班级")
        .expect("cell");
    let r = upload(
        &s.router,
        "/applications/import",
        &office,
        "x.xlsx",
        &book.save_to_buffer().expect("xlsx"),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("第 1 行「学生姓名」"), "{}", r.body);
    let r = upload(
        &s.router,
        "/applications/import",
        &office,
        "x.xlsx",
        b"not a workbook",
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // The good form: previewed, nothing recorded until the confirm.
    let r = upload(
        &s.router,
        "/applications/import",
        &office,
        "form.xlsx",
        &workbook(&good),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let token = r.hidden("token").expect("confirm token");
    assert_eq!(applications(&s), 0);
    let t1 = login(&s.router, "t1").await;
    let r = post(
        &s.router,
        "/applications/import/confirm",
        &t1,
        &[("token", &token)],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        &s.router,
        "/applications/import/confirm",
        &office,
        &[("token", &token)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let apps = record(&s)
        .read(|tx| tx.applications_of_class(None))
        .expect("apps");
    assert_eq!(apps.len(), 2);
    let a = apps.iter().find(|a| a.pupil.name == "张三").expect("张三");
    assert_eq!(a.application.choice.class, "1-1");
    assert_eq!(
        a.application.choice.weekdays,
        vec![chrono::Weekday::Mon, chrono::Weekday::Wed]
    );
    assert_eq!(a.application.choice.sessions, vec!["morning", "stage1"]);
    assert_eq!(a.application.choice.clubs, vec!["C03"]);
    assert_eq!(a.pupil.guardian, "张大山");
    let b = apps.iter().find(|a| a.pupil.name == "李四").expect("李四");
    assert_eq!(b.application.choice.clubs, vec!["C01", "C02"]);
    assert!(matches!(b.application.state, kehou::enrol::State::Applied));
    // Used once; the same form again adds nothing (both already applied).
    let r = post(
        &s.router,
        "/applications/import/confirm",
        &office,
        &[("token", &token)],
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = upload(
        &s.router,
        "/applications/import",
        &office,
        "form.xlsx",
        &workbook(&good),
    )
    .await;
    assert_eq!(r.body.matches("已有申请, 跳过").count(), 2, "{}", r.body);
    let token = r.hidden("token").expect("token");
    post(
        &s.router,
        "/applications/import/confirm",
        &office,
        &[("token", &token)],
    )
    .await;
    assert_eq!(applications(&s), 2);
}

fn applications(s: &School) -> usize {
    record(s).read(|tx| tx.applications()).expect("apps").len()
}

#[tokio::test]
async fn an_import_names_rows_as_excel_shows_them_below_blank_rows() {
    let s = school();
    let office = login(&s.router, "office").await;
    // Two blank rows, the header on row 3, a good row on row 4, a Saturday
    // on row 5, an empty row 6, an unknown session on row 7.
    let rows = [
        ["1-1", "张三", "", "", "周一", "stage1", ""],
        ["1-1", "王五", "", "", "周六", "stage1", ""],
        ["", "", "", "", "", "", ""],
        ["1-2", "赵六", "", "", "周一", "晚托", ""],
    ];
    let r = upload(
        &s.router,
        "/applications/import",
        &office,
        "form.xlsx",
        &workbook_at(2, &rows),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    for want in ["第 5 行「参加星期」", "第 7 行「参加时段」"] {
        assert!(r.body.contains(want), "{want}: {}", r.body);
    }
    assert!(!r.body.contains("第 3 行「参加"), "{}", r.body);
    // A missing column: the header's own row.
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet()
        .write_string(3, 1, "班级")
        .expect("cell");
    let bytes = book.save_to_buffer().expect("xlsx");
    let r = upload(&s.router, "/applications/import", &office, "x.xlsx", &bytes).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("第 4 行「学生姓名」"), "{}", r.body);
    // The good rows below blank ones: the preview's rows are Excel's.
    let r = upload(
        &s.router,
        "/applications/import",
        &office,
        "form.xlsx",
        &workbook_at(2, &rows[..1]),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("<td>4</td>"), "{}", r.body);
    assert_eq!(applications(&s), 0);
}

#[tokio::test]
async fn an_import_larger_than_its_limits_is_refused_before_any_work() {
    let s = school();
    let office = login(&s.router, "office").await;
    let name = |i: usize| format!("学生{i}");
    let names: Vec<String> = (0..=5_000).map(name).collect();
    let rows: Vec<[&str; 7]> = names
        .iter()
        .map(|n| ["1-1", n.as_str(), "", "", "周一", "stage1", ""])
        .collect();
    // 5,001 rows below the header: refused whole, no row checked.
    let r = upload(
        &s.router,
        "/applications/import",
        &office,
        "form.xlsx",
        &workbook(&rows),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("至多导入 5000 行"), "{}", r.body);
    assert!(!r.body.contains("name=\"token\""), "no confirm");
    assert!(!r.body.contains("<td>2</td>"), "no row shown");
    assert_eq!(applications(&s), 0);
    // 5,000 rows are read (and all previewed).
    let r = upload(
        &s.router,
        "/applications/import",
        &office,
        "form.xlsx",
        &workbook(&rows[..5_000]),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        &r.body[..r.body.len().min(2000)]
    );
    assert_eq!(r.body.matches("新申请").count(), 5_000);
    // A file over 8 MiB: refused, named, before it is opened.
    let big = vec![b'x'; 8 * 1024 * 1024 + 1];
    let r = upload(&s.router, "/applications/import", &office, "big.xlsx", &big).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("至多 8 MiB"), "{}", r.body);
    assert_eq!(applications(&s), 0);
}

/// The week's count of 1-1's children in `session` on `date` (a `day`),
/// from the applications in the record.
fn counted(s: &School, date: &str, day: chrono::Weekday, session: &str) -> Option<u32> {
    let school = s.ws.load().expect("load").1;
    let ci = school
        .classes
        .iter()
        .position(|c| c.id == "1-1")
        .expect("1-1");
    let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("date");
    let wd = day.num_days_from_monday() as u8;
    kehou::enrol::enrollment_on(&school, date, day)
        .enrollment
        .get(&(ci, wd, session.to_string()))
        .copied()
}

#[tokio::test]
async fn an_approved_child_entered_again_applies_as_the_same_pupil_and_counts_once() {
    let s = school();
    let (t1, lead) = (login(&s.router, "t1").await, login(&s.router, "lead").await);
    let office = login(&s.router, "office").await;
    approved(&s, &t1, &lead, "1").await;
    // The office enters the same child again (Tuesdays only, no club): a
    // change from the 9th, for the same pupil, not a second child.
    let mut again = form("1-1");
    again.retain(|(k, _)| !k.starts_with("day_") && *k != "club1");
    again.push(("day_2", "1"));
    let r = post(&s.router, "/applications", &office, &again).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let step = "/applications/2/step";
    let r = post(&s.router, step, &t1, &[("step", "review"), ("ok", "yes")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let ok = [("step", "approve"), ("ok", "yes"), ("on", "2026-12-09")];
    let r = post(&s.router, step, &lead, &ok).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let apps = record(&s)
        .read(|tx| tx.applications_of_class(Some("1-1")))
        .expect("apps");
    assert_eq!(apps.len(), 2);
    assert_eq!(apps[0].pupil.id, apps[1].pupil.id, "one pupil: {apps:?}");
    let pupils = record(&s)
        .read(|tx| tx.pupils_of_class("1-1"))
        .expect("pupils");
    assert_eq!(pupils.len(), 1, "{pupils:?}");
    // Before the 9th the first approval (Mon, Wed); from it the newer
    // (Tuesdays only): the child is counted once either way.
    use chrono::Weekday::{Mon, Tue};
    assert_eq!(counted(&s, "2026-12-07", Mon, "stage1"), Some(1));
    assert_eq!(counted(&s, "2026-12-15", Tue, "stage1"), Some(1));
    assert_eq!(counted(&s, "2026-12-14", Mon, "stage1"), None);
    // The WeCom import skips a child who already applied (approved here).
    let row = ["1-1", PUPIL, "王大明", "13800000000", "周四", "stage1", ""];
    let r = upload(
        &s.router,
        "/applications/import",
        &office,
        "form.xlsx",
        &workbook(&[row]),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body.matches("已有申请, 跳过").count(), 1, "{}", r.body);
    let token = r.hidden("token").expect("token");
    let r = post(
        &s.router,
        "/applications/import/confirm",
        &office,
        &[("token", &token)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(applications(&s), 2);
    assert_eq!(counted(&s, "2026-12-15", Tue, "stage1"), Some(1));
}
