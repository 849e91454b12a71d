//! Emergency changes (issue 20, item 3): a session of a published day
//! cancelled leaves the ledger's served duties and the workload pay, with
//! its reason kept; an early end shortens the duty running across it; a
//! date outside every term or a day already cancelled is refused and
//! nothing recorded; the parents' notice names the class and the day and
//! carries no health word, and a pickup note with one is refused; the same
//! through `kehou cancel` and `/admin/emergency`.

#[path = "common/duty_day.rs"]
mod duty_day;
#[path = "common/web_day.rs"]
mod web_day;

use std::path::Path;
use std::process::{Command, Output};

use axum::http::StatusCode;
use duty_day::{day_date, demo_day, DutyDay};
use kehou::error::Error;
use kehou::lang::Lang;
use kehou::ledger::emergency::Reason;
use kehou::ledger::emergency_notice as notices;
use kehou::ledger::{self, Event, Served};
use kehou::model::units::Hm;
use kehou::record::emergency::{self, Change};
use kehou::record::{Actor, Record};
use kehou::web::{App, Role, Workspace};
use web_day::{login, row, PASSWORD};

fn by() -> Actor {
    Actor {
        who: "test".into(),
        via: "tests".into(),
    }
}

fn refusal(e: Error) -> String {
    match e {
        Error::Refused(s) => s[0].zh.clone() + " / " + &s[0].en,
        other => panic!("not a refusal: {other}"),
    }
}

fn served_week(ws: &Workspace, d: &DutyDay) -> Vec<Served> {
    let mut rec = Record::open(&ws.record).unwrap();
    let to = day_date() + chrono::Days::new(6);
    rec.read(|tx| ledger::served(&d.policy, &d.school, tx, day_date(), to))
        .unwrap()
}

fn pay_of(d: &DutyDay, served: &[Served], staff: &str) -> i64 {
    let ix = d.school.staff_index(staff).unwrap();
    ledger::workload(&d.policy, &d.school, served)
        .iter()
        .filter(|r| r.staff == ix)
        .map(|r| r.total_pay().0)
        .sum()
}

fn events(ws: &Workspace) -> Vec<Event> {
    Record::open(&ws.record)
        .unwrap()
        .read(|tx| tx.events())
        .unwrap()
}

fn change(date: chrono::NaiveDate, session: Option<&str>, end: Option<Hm>) -> Change {
    Change {
        date,
        session: session.map(str::to_string),
        end,
        reason: Reason::Weather,
        text: "暴雨红色预警".into(),
    }
}

#[test]
fn a_cancelled_session_is_not_served_nor_paid_and_keeps_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let session = d.homework.session.clone();
    let before = served_week(&ws, &d);
    assert!(before.iter().any(|s| s.duty.id == d.homework.id));
    let pay_before = pay_of(&d, &before, &d.homework_by);
    let mut rec = Record::open(&ws.record).unwrap();
    let done = rec
        .write(|tx| {
            emergency::record(
                tx,
                &d.policy,
                &d.school,
                &change(day_date(), Some(&session), None),
                &by(),
            )
        })
        .unwrap();
    assert!(done
        .preview
        .duties
        .iter()
        .any(|a| a.duty.id == d.homework.id));
    assert!(done.preview.people.contains(&d.homework_by));
    let after = served_week(&ws, &d);
    assert!(
        !after
            .iter()
            .any(|s| s.duty.date == day_date() && s.duty.session == session),
        "no duty of the cancelled session is served"
    );
    // Other days' duties stay.
    assert!(after.iter().any(|s| s.duty.date != day_date()));
    let minutes: u32 = before
        .iter()
        .filter(|s| s.duty.date == day_date() && s.duty.session == session)
        .map(|s| s.duty.minutes())
        .sum();
    assert!(minutes > 0);
    assert!(
        pay_of(&d, &after, &d.homework_by) < pay_before,
        "the cancelled duty is not paid"
    );
    // The reason's category heads the note, the words follow.
    let ev = events(&ws);
    let note = ev
        .iter()
        .find_map(|e| match e {
            Event::Cancel {
                date,
                session: Some(s),
                note,
            } if *date == day_date() && *s == session => Some(note.clone()),
            _ => None,
        })
        .expect("the cancel event");
    assert_eq!(note, "weather: 暴雨红色预警");
    assert_eq!(ledger::emergency::reason_of(&note), Some(Reason::Weather));

    // Cancelling it again: refused, nothing recorded twice.
    let n = events(&ws).len();
    let e = rec
        .write(|tx| {
            emergency::record(
                tx,
                &d.policy,
                &d.school,
                &change(day_date(), Some(&session), None),
                &by(),
            )
        })
        .unwrap_err();
    assert!(refusal(e).contains("already recorded"));
    assert_eq!(events(&ws).len(), n);
}

#[test]
fn an_early_end_shortens_the_duty_across_it_and_a_date_outside_the_terms_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let late = d.late.clone();
    let cut = Hm(late.start.0 + 20);
    assert!(late.end > cut, "{late:?}");
    let mut rec = Record::open(&ws.record).unwrap();
    let done = rec
        .write(|tx| {
            emergency::record(
                tx,
                &d.policy,
                &d.school,
                &change(day_date(), Some(&late.session), Some(cut)),
                &by(),
            )
        })
        .unwrap();
    let a = done
        .preview
        .duties
        .iter()
        .find(|a| a.duty.id == late.id)
        .expect("the late stay is touched");
    assert_eq!(a.new_end, Some(cut));
    let served = served_week(&ws, &d);
    let s = served
        .iter()
        .find(|s| s.duty.id == late.id)
        .expect("still served, until the early end");
    assert_eq!(s.duty.end, cut);
    assert_eq!(s.duty.minutes(), 20);
    let adj = rec.read(|tx| tx.adjustments()).unwrap();
    assert_eq!(adj.len(), 1);
    assert_eq!(adj[0].note, "weather: 暴雨红色预警");
    // The same end again changes nothing: refused.
    let e = rec
        .write(|tx| {
            emergency::record(
                tx,
                &d.policy,
                &d.school,
                &change(day_date(), Some(&late.session), Some(cut)),
                &by(),
            )
        })
        .unwrap_err();
    assert!(refusal(e).contains("nothing was recorded"));
    // Outside every term (the summer holiday): refused, nothing recorded.
    let n = events(&ws).len();
    let summer = "2026-08-10".parse().unwrap();
    let e = rec
        .write(|tx| emergency::record(tx, &d.policy, &d.school, &change(summer, None, None), &by()))
        .unwrap_err();
    assert!(refusal(e).contains("outside every term"));
    // An unpublished week in term: refused too.
    let later = "2026-12-21".parse().unwrap();
    let e = rec
        .write(|tx| emergency::record(tx, &d.policy, &d.school, &change(later, None, None), &by()))
        .unwrap_err();
    assert!(refusal(e).contains("not published"));
    assert_eq!(events(&ws).len(), n);
    assert_eq!(rec.read(|tx| tx.adjustments()).unwrap().len(), 1);
}

#[test]
fn the_notices_name_the_class_and_day_and_carry_no_health_word() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let mut rec = Record::open(&ws.record).unwrap();
    let v = rec
        .read(|tx| ledger::emergency::preview(&d.policy, &d.school, tx, day_date(), None, None))
        .unwrap();
    let pickup = "请到东门接孩子";
    let parents = notices::parents(&d.policy, &d.school, &v, Reason::Epidemic, pickup, Lang::Zh);
    let first = d.school.classes.iter().find(|c| c.id == "1-1").unwrap();
    let n = parents
        .iter()
        .find(|n| n.class_id == "1-1")
        .expect("a notice for 1-1");
    assert!(n.text.starts_with(&first.name), "{}", n.text);
    assert!(n.text.contains("12月7日(周一)"), "{}", n.text);
    assert!(
        n.text.contains("疫情防控") && n.text.contains(pickup),
        "{}",
        n.text
    );
    // Pick up by the first cancelled duty's start after the morning (the
    // morning care's start would make no sense as a pickup time): 2-1 has
    // morning care in a merged group, then noon care, on the Monday.
    let ci = d.school.classes.iter().position(|c| c.id == "2-1").unwrap();
    let of = |session: &str| {
        v.duties
            .iter()
            .filter(|a| a.duty.classes.contains(&ci) && a.duty.session == session)
            .map(|a| a.duty.start)
            .min()
    };
    let (morning, noon) = (of("morning").unwrap(), of("noon").unwrap());
    let n2 = parents.iter().find(|n| n.class_id == "2-1").unwrap();
    assert!(n2.text.contains(&format!("请于 {noon} 前")), "{}", n2.text);
    assert!(!n2.text.contains(&morning.to_string()), "{}", n2.text);
    // A cancelled morning only: come at lesson time.
    let m = rec
        .read(|tx| {
            ledger::emergency::preview(&d.policy, &d.school, tx, day_date(), Some("morning"), None)
        })
        .unwrap();
    let mn = notices::parents(&d.policy, &d.school, &m, Reason::Weather, "", Lang::Zh);
    let mn = mn.iter().find(|n| n.class_id == "2-1").unwrap();
    assert!(
        mn.text.contains("按上课时间送孩子到校") && !mn.text.contains("接孩子回家"),
        "{}",
        mn.text
    );
    // One per class, each class once.
    let mut ids: Vec<&str> = parents.iter().map(|n| n.class_id.as_str()).collect();
    let k = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), k);
    for n in &parents {
        assert_eq!(notices::health_word(&n.text), None, "{}", n.text);
    }
    let teachers = notices::teachers(&d.policy, &d.school, &v, Reason::Epidemic, Lang::Zh);
    let t = teachers
        .iter()
        .find(|n| n.staff_id == d.homework_by)
        .expect("the homework teacher's notice");
    assert!(t.text.contains("取消, 不计工作量"), "{}", t.text);
    let (_, digest) = notices::digest(&d.policy, &d.school, &v, Reason::Epidemic, Lang::Zh);
    for text in teachers
        .iter()
        .map(|n| n.text.as_str())
        .chain([digest.as_str()])
    {
        assert_eq!(notices::health_word(text), None, "{text}");
    }
    assert_eq!(notices::health_word("孩子发烧了, 请接回"), Some("发烧"));
    // Nothing was recorded by the preview.
    assert!(events(&ws)
        .iter()
        .all(|e| !matches!(e, Event::Cancel { .. })));
}

fn kehou(ws: &Workspace, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kehou"))
        .args(["--lang", "en"])
        .args(args)
        .arg("--policy")
        .arg(&ws.policy)
        .arg("--data")
        .arg(&ws.data)
        .arg("--record")
        .arg(&ws.record)
        .arg("--history")
        .arg(dir.join("history"))
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn cancels(ws: &Workspace) -> usize {
    events(ws)
        .iter()
        .filter(|e| matches!(e, Event::Cancel { .. }))
        .count()
}

#[test]
fn kehou_cancel_records_and_prints_the_notices_and_refuses_bad_asks() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let tue = "2026-12-08";
    // A health word in the pickup note: refused before anything is written.
    let o = kehou(
        &ws,
        dir.path(),
        &[
            "cancel",
            "--date",
            tue,
            "--reason",
            "weather",
            "--pickup",
            "发烧的孩子请先接走",
        ],
    );
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("no health details"), "{}", text(&o));
    let o = kehou(
        &ws,
        dir.path(),
        &["cancel", "--date", tue, "--reason", "typhoon"],
    );
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("--reason"), "{}", text(&o));
    assert_eq!(cancels(&ws), 0);
    let o = kehou(
        &ws,
        dir.path(),
        &[
            "cancel",
            "--date",
            tue,
            "--reason",
            "air_pollution",
            "--note",
            "AQI 320",
            "--pickup",
            "请到东门接孩子",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("recorded #"), "{out}");
    assert!(out.contains("== For parents (per class) =="), "{out}");
    assert!(out.contains("heavy air pollution"), "{out}");
    assert!(
        !out.contains("AQI 320"),
        "the note stays in the record: {out}"
    );
    let first = d.school.classes.iter().find(|c| c.id == "1-1").unwrap();
    assert!(out.contains(&format!("[{}]", first.name)), "{out}");
    assert_eq!(cancels(&ws), 1);
    let served = served_week(&ws, &d);
    assert!(!served.iter().any(|s| s.duty.date.to_string() == tue));
    // Again: refused, still one.
    let o = kehou(
        &ws,
        dir.path(),
        &["cancel", "--date", tue, "--reason", "weather"],
    );
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("already recorded"), "{}", text(&o));
    assert_eq!(cancels(&ws), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emergency_page_previews_then_records_and_refuses_a_health_word() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let app = App::new(&ws).unwrap();
    app.add_account("boss", Role::Admin, None, PASSWORD)
        .unwrap();
    app.add_account("t", Role::Teacher, Some(&d.homework_by), PASSWORD)
        .unwrap();
    let r = app.router();
    let boss = login(&r, "boss").await;
    let t = login(&r, "t").await;
    let form = |pickup: &'static str| {
        vec![
            ("date", "2026-12-07"),
            ("session", ""),
            ("kind", "cancel"),
            ("reason", "weather"),
            ("note", "暴雨"),
            ("pickup", pickup),
        ]
    };
    // A teacher may not.
    let no = t.post(&r, "/admin/emergency/preview", &form("")).await;
    assert_eq!(no.status, StatusCode::FORBIDDEN);
    let first = d.school.classes.iter().find(|c| c.id == "1-1").unwrap();
    let p = boss
        .post(&r, "/admin/emergency/preview", &form("东门接"))
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(
        p.body.contains(&first.name) && p.body.contains("12月7日(周一)"),
        "{}",
        p.body
    );
    assert!(!p.body.contains("暴雨</textarea>"));
    assert_eq!(cancels(&ws), 0, "a preview records nothing");
    let bad = boss
        .post(&r, "/admin/emergency", &form("孩子感染请接回"))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert!(bad.body.contains("健康信息"), "{}", bad.body);
    assert_eq!(cancels(&ws), 0);
    let ok = boss.post(&r, "/admin/emergency", &form("东门接")).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.body.contains("已记录"), "{}", ok.body);
    assert_eq!(cancels(&ws), 1);
    let again = boss.post(&r, "/admin/emergency", &form("")).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(cancels(&ws), 1);
    // The appraisal no longer counts the Monday's duties for the homework teacher.
    let a = boss
        .get(&r, "/appraisal?from=2026-12-07&to=2026-12-07")
        .await;
    let line = row(&a.body, &d.homework_by).unwrap_or_default();
    assert!(line.len() < 3 || line[2] == "0", "{line:?}");
}

fn record_change(ws: &Workspace, d: &DutyDay, session: &str, end: Option<Hm>) -> emergency::Done {
    let mut rec = Record::open(&ws.record).unwrap();
    rec.write(|tx| {
        emergency::record(
            tx,
            &d.policy,
            &d.school,
            &change(day_date(), Some(session), end),
            &by(),
        )
    })
    .unwrap()
}

/// The day's served duties of one session.
fn of_session<'a>(served: &'a [Served], session: &str) -> Vec<&'a Served> {
    served
        .iter()
        .filter(|s| s.duty.date == day_date() && s.duty.session == session)
        .collect()
}

#[test]
fn the_patrol_ends_with_its_last_stage_and_goes_when_every_stage_is_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let before = served_week(&ws, &d);
    let patrols = of_session(&before, "afternoon");
    assert!(!patrols.is_empty(), "the demo Monday has a served patrol");
    let patrol = patrols[0].duty.clone();
    let holder = d.school.staff[patrols[0].staff].id.clone();
    let stage1_end = of_session(&before, "stage1")
        .iter()
        .map(|s| s.duty.end)
        .max()
        .unwrap();
    assert!(stage1_end < patrol.end);
    let pay_before = pay_of(&d, &before, &holder);

    // Stage 2 cancelled: the patrol runs to the end of stage 1, and says so.
    let done = record_change(&ws, &d, "stage2", None);
    let a = done
        .preview
        .duties
        .iter()
        .find(|a| a.duty.id == patrol.id)
        .expect("the preview lists the patrol");
    assert_eq!(a.new_end, Some(stage1_end));
    assert!(done.preview.people.contains(&holder));
    let text = notices::teachers(
        &d.policy,
        &d.school,
        &done.preview,
        Reason::Weather,
        Lang::Zh,
    )
    .into_iter()
    .find(|n| n.staff_id == holder)
    .expect("the patrol's holder is told")
    .text;
    assert!(text.contains(&stage1_end.to_string()), "{text}");
    let mid = served_week(&ws, &d);
    let cut = of_session(&mid, "afternoon");
    assert_eq!(cut.len(), patrols.len());
    assert!(cut.iter().all(|s| s.duty.end == stage1_end));
    // The patrol is paid per duty (`flat_pay`): shorter, not cheaper.
    assert_eq!(pay_of(&d, &mid, &holder), pay_before);

    // Stage 1 cancelled as well: no stage runs, so no patrol is served.
    let done = record_change(&ws, &d, "stage1", None);
    let a = done
        .preview
        .duties
        .iter()
        .find(|a| a.duty.id == patrol.id)
        .expect("the preview lists the patrol again");
    assert_eq!(a.new_end, None);
    let after = served_week(&ws, &d);
    assert!(of_session(&after, "afternoon").is_empty());
    assert!(pay_of(&d, &after, &holder) < pay_before, "nor paid");
}

#[test]
fn an_early_end_of_stage_one_ends_the_afternoon_and_cuts_the_patrol() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let before = served_week(&ws, &d);
    let first = of_session(&before, "stage1")
        .iter()
        .map(|s| s.duty.start)
        .min()
        .unwrap();
    let end = Hm(first.0 + 20);
    let stage2: Vec<String> = of_session(&before, "stage2")
        .iter()
        .map(|s| s.duty.id.clone())
        .collect();
    assert!(stage2.contains(&d.late.id));
    let done = record_change(&ws, &d, "stage1", Some(end));
    for id in &stage2 {
        let a = done.preview.duties.iter().find(|a| a.duty.id == *id);
        assert_eq!(a.map(|a| a.new_end), Some(None), "{id} is not served");
    }
    let after = served_week(&ws, &d);
    assert!(
        of_session(&after, "stage2").is_empty(),
        "stage 2 never starts"
    );
    assert!(of_session(&after, "stage1")
        .iter()
        .all(|s| s.duty.end <= end));
    let patrols = of_session(&after, "afternoon");
    assert!(!patrols.is_empty());
    assert!(patrols.iter().all(|s| s.duty.end == end));
    // The afternoon is over: ending stage 2 early now changes nothing.
    let mut rec = Record::open(&ws.record).unwrap();
    let e = rec
        .write(|tx| {
            emergency::record(
                tx,
                &d.policy,
                &d.school,
                &change(day_date(), Some("stage2"), Some(Hm(end.0 + 30))),
                &by(),
            )
        })
        .unwrap_err();
    assert!(refusal(e).contains("nothing was recorded"));
}
