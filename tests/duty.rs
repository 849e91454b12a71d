//! During each duty (issue 20, item 2): who is in a duty's group, the
//! sign-in, the roll call and its flag to the homeroom teacher, a pupil
//! unwell, pickups (late ones flagged, none before the duty began), the
//! handover confirmed by both, and the late stay paid to its last pickup
//! or its planned end as the policy says. Each bad input is refused with a
//! clear message and nothing recorded. Then the same over HTTP, with who
//! may see and do what.

#[path = "common/duty_day.rs"]
mod duty_day;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use duty_day::{at, day_date, demo_day, DutyDay};
use http_body_util::BodyExt;
use kehou::duty::{self, Held};
use kehou::error::Error;
use kehou::ledger;
use kehou::model::policy::LateStayPay;
use kehou::model::units::Hm;
use kehou::record::duty::{FlagKind, Mark};
use kehou::record::{Actor, Record, Tx};
use kehou::web::{App, Role};
use tower::ServiceExt;

fn by() -> Actor {
    Actor {
        who: "test".into(),
        via: "tests".into(),
    }
}

fn hm(s: &str) -> Hm {
    Hm::parse(s).unwrap()
}

fn held(tx: &Tx, d: &DutyDay, duty_id: &str, staff: &str) -> Option<Held> {
    let day = duty::day(&d.policy, &d.school, tx, day_date()).unwrap()?;
    day.held_by(&d.school, duty_id, staff)
}

fn refusal(e: Error) -> String {
    match e {
        Error::Refused(s) => s[0].zh.clone() + " / " + &s[0].en,
        other => panic!("not a refusal: {other}"),
    }
}

#[test]
fn a_group_lists_its_approved_pupils_and_names_classes_without_a_list() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let mut rec = Record::open(&ws.record).unwrap();
    rec.read(|tx| {
        let day = duty::day(&d.policy, &d.school, tx, day_date())?.unwrap();
        let roll = duty::roll_of_duty(tx, &d.policy, &d.school, &day, &d.homework)?;
        // Grade 1's four classes with applications: two pupils each.
        let classes: Vec<&str> = roll.pupils.iter().map(|p| p.class_id.as_str()).collect();
        for c in duty_day::CLASSES {
            assert_eq!(
                classes.iter().filter(|x| **x == c).count(),
                2,
                "{c}: {classes:?}"
            );
        }
        // Classes served from enrollment.csv only have no list, and are named.
        for &ci in &roll.unlisted {
            assert!(!duty_day::CLASSES.contains(&d.school.classes[ci].id.as_str()));
        }
        // The late-stay parts share the listed pupils, none twice.
        let late_kind = d.late.kind;
        let mut all = Vec::new();
        for x in day.duties.iter().filter(|x| x.kind == late_kind) {
            all.extend(
                duty::roll_of_duty(tx, &d.policy, &d.school, &day, x)?
                    .pupils
                    .into_iter()
                    .map(|p| p.id),
            );
        }
        all.sort_unstable();
        let n = all.len();
        all.dedup();
        assert_eq!((n, all.len()), (8, 8));
        Ok(())
    })
    .unwrap();
}

#[test]
fn sign_in_roll_call_unwell_pickup_and_their_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let mut rec = Record::open(&ws.record).unwrap();
    let (pid, pname) = d.pupil.clone();
    let other = d.late_roll.pupils.iter().find(|p| p.id != pid).unwrap().id;
    // A teacher who does not hold the duty has no hold to write with.
    rec.read(|tx| {
        assert!(held(tx, &d, &d.late.id, &d.homework_by).is_none());
        Ok(())
    })
    .unwrap();
    let start = d.late.start;
    rec.write(|tx| {
        let h = held(tx, &d, &d.late.id, &d.late_by).unwrap();
        let roll = &d.late_roll;
        // Sign-in: late after the start plus 5 minutes; once.
        let late_at = at(&(Hm(start.0 + 6)).to_string());
        let s = duty::sign_in(tx, &d.policy, &h, late_at, &by())?;
        assert!(s.late);
        let again = duty::sign_in(tx, &d.policy, &h, late_at, &by()).unwrap_err();
        assert!(refusal(again).contains("already signed in"));
        // Not on another day.
        let tomorrow = late_at + chrono::Days::new(1);
        let e =
            duty::roll_call(tx, &h, roll, &[(pid, Mark::Present)], tomorrow, &by()).unwrap_err();
        assert!(refusal(e).contains("on its day only"));
        // Roll call: a pupil not in the group refuses the whole.
        let e = duty::roll_call(
            tx,
            &h,
            roll,
            &[(pid, Mark::Unexcused), (999_999, Mark::Present)],
            late_at,
            &by(),
        )
        .unwrap_err();
        assert!(refusal(e).contains("not on this group's list"));
        assert!(tx.roll_marks(&d.late.id)?.is_empty(), "nothing recorded");
        duty::roll_call(
            tx,
            &h,
            roll,
            &[(pid, Mark::Unexcused), (other, Mark::Present)],
            late_at,
            &by(),
        )?;
        // A duplicate is refused, the first kept.
        let e = duty::roll_call(tx, &h, roll, &[(pid, Mark::Present)], late_at, &by()).unwrap_err();
        let msg = refusal(e);
        assert!(msg.contains("已于") && msg.contains(&pname), "{msg}");
        let marks = tx.roll_marks(&d.late.id)?;
        assert_eq!(marks.len(), 2);
        assert_eq!(
            marks.iter().find(|m| m.pupil_id == pid).unwrap().mark,
            Mark::Unexcused
        );
        // Pickups: not before the duty began, not ahead of now; late after 18:00.
        let before = Hm(start.0 - 10);
        let e =
            duty::pickup(tx, &d.policy, &h, roll, other, before, at("18:30"), &by()).unwrap_err();
        assert!(refusal(e).contains("before this duty began"));
        let e = duty::pickup(
            tx,
            &d.policy,
            &h,
            roll,
            other,
            hm("18:10"),
            at("18:00"),
            &by(),
        )
        .unwrap_err();
        assert!(refusal(e).contains("ahead of time"));
        let e = duty::pickup(
            tx,
            &d.policy,
            &h,
            roll,
            999_999,
            hm("18:10"),
            at("18:30"),
            &by(),
        )
        .unwrap_err();
        assert!(refusal(e).contains("not on this group's list"));
        assert!(
            tx.pickups_of_duty(&d.late.id)?.is_empty(),
            "nothing recorded"
        );
        let p = duty::pickup(
            tx,
            &d.policy,
            &h,
            roll,
            other,
            hm("18:10"),
            at("18:30"),
            &by(),
        )?;
        assert!(p.late);
        let e = duty::pickup(
            tx,
            &d.policy,
            &h,
            roll,
            other,
            hm("18:12"),
            at("18:30"),
            &by(),
        )
        .unwrap_err();
        assert!(refusal(e).contains("already picked up"));
        // Unwell: needs the action taken.
        let e =
            duty::unwell(tx, &h, roll, other, hm("16:40"), "  ", at("18:30"), &by()).unwrap_err();
        assert!(refusal(e).contains("say what was done"));
        duty::unwell(
            tx,
            &h,
            roll,
            other,
            hm("16:40"),
            "头疼, 已联系家长",
            at("18:30"),
            &by(),
        )?;
        Ok(())
    })
    .unwrap();
    // The homeroom teacher's class shows the unexcused absence; the
    // sign-ins are there for the appraisal.
    rec.read(|tx| {
        let class = &d.late_roll.pupil(pid).unwrap().class_id;
        let flags = tx.flags_of_class(class, day_date())?;
        assert!(
            flags
                .iter()
                .any(|f| f.pupil_id == pid && f.what == FlagKind::Unexcused),
            "{flags:?}"
        );
        let s = tx.sign_ins(day_date(), day_date())?;
        assert_eq!(s.len(), 1);
        assert_eq!(
            (s[0].staff_id.as_str(), s[0].late),
            (d.late_by.as_str(), true)
        );
        Ok(())
    })
    .unwrap();
    // The record keeps what was recorded: no update, no delete.
    let conn = rusqlite::Connection::open(&ws.record).unwrap();
    for sql in [
        "UPDATE roll_calls SET mark = 'present'",
        "DELETE FROM pickups",
        "UPDATE unwell SET action = ''",
    ] {
        assert!(conn.execute(sql, []).is_err(), "{sql}");
    }
}

#[test]
fn the_late_stay_is_paid_to_its_last_pickup_or_as_planned() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut d) = demo_day(dir.path());
    let mut rec = Record::open(&ws.record).unwrap();
    let p1 = d.late_roll.pupils[0].id;
    rec.write(|tx| {
        let h = held(tx, &d, &d.late.id, &d.late_by).unwrap();
        duty::pickup(
            tx,
            &d.policy,
            &h,
            &d.late_roll,
            p1,
            hm("18:10"),
            at("18:30"),
            &by(),
        )?;
        Ok(())
    })
    .unwrap();
    let end_of = |d: &DutyDay, rec: &mut Record| {
        rec.read(|tx| {
            let served = ledger::served(&d.policy, &d.school, tx, day_date(), day_date())?;
            Ok(served
                .iter()
                .filter(|x| x.duty.id == d.late.id)
                .map(|x| (d.school.staff[x.staff].id.clone(), x.duty.end))
                .collect::<Vec<_>>())
        })
        .unwrap()
    };
    assert_eq!(
        d.policy.duty.late_stay_pay,
        LateStayPay::Actual,
        "the demo policy"
    );
    let ends = end_of(&d, &mut rec);
    assert!(
        ends.iter()
            .any(|(s, e)| *s == d.late_by && *e == hm("18:10")),
        "{ends:?}"
    );
    // The workload follows: more minutes than planned.
    let planned = u32::from(d.late.end.0 - d.late.start.0);
    let actual = u32::from(hm("18:10").0 - d.late.start.0);
    rec.read(|tx| {
        let served = ledger::served(&d.policy, &d.school, tx, day_date(), day_date())?;
        let ix = d.school.staff_index(&d.late_by).unwrap();
        let mins: u32 = served
            .iter()
            .filter(|x| x.staff == ix && x.duty.id == d.late.id)
            .map(|x| x.duty.minutes())
            .sum();
        assert_eq!(mins, actual);
        assert!(actual > planned);
        Ok(())
    })
    .unwrap();
    d.policy.duty.late_stay_pay = LateStayPay::Planned;
    let ends = end_of(&d, &mut rec);
    assert!(ends.iter().all(|(_, e)| *e == d.late.end), "{ends:?}");
    // A pickup recorded by someone who did not serve the duty moves nothing.
    let mut served = rec
        .read(|tx| ledger::served(&d.policy, &d.school, tx, day_date(), day_date()))
        .unwrap();
    let stranger = vec![ledger::PickedUp {
        duty_id: d.late.id.clone(),
        staff_id: d.homework_by.clone(),
        at: at("19:30"),
    }];
    ledger::actual_ends(&d.school, &mut served, &stranger);
    assert!(served
        .iter()
        .filter(|x| x.duty.id == d.late.id)
        .all(|x| x.duty.end == d.late.end));
    // Two holders of one late stay: each is paid to their own last pickup.
    let mine = served
        .iter()
        .find(|x| x.duty.id == d.late.id)
        .expect("the late stay is served")
        .clone();
    let other = d.school.staff_index(&d.homework_by).unwrap();
    let mut two = vec![
        mine.clone(),
        ledger::Served {
            duty: mine.duty.clone(),
            staff: other,
        },
    ];
    let picked = |staff: &str, hm: &str| ledger::PickedUp {
        duty_id: d.late.id.clone(),
        staff_id: staff.to_string(),
        at: at(hm),
    };
    let me = d.school.staff[mine.staff].id.clone();
    let early = Hm(d.late.start.0 + 20).to_string();
    ledger::actual_ends(
        &d.school,
        &mut two,
        &[picked(&me, "18:40"), picked(&d.homework_by, &early)],
    );
    assert_eq!(two[0].duty.end, hm("18:40"));
    assert_eq!(
        two[1].duty.end,
        hm(&early),
        "not paid to the other's pickup"
    );
}

#[test]
fn a_handover_is_open_until_the_receiver_confirms() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let mut rec = Record::open(&ws.record).unwrap();
    let id = rec
        .write(|tx| {
            let day = duty::day(&d.policy, &d.school, tx, day_date())?.unwrap();
            let h = held(tx, &d, &d.homework.id, &d.homework_by).unwrap();
            let roll = duty::roll_of_duty(tx, &d.policy, &d.school, &day, &d.homework)?;
            let ids: Vec<i64> = roll.pupils.iter().map(|p| p.id).take(3).collect();
            // To someone who holds no such duty: refused.
            let e = duty::hand_over(
                tx,
                &d.school,
                &day,
                &h,
                &roll,
                (&d.late.id, &d.homework_by),
                &ids,
                None,
                at("16:10"),
                &by(),
            )
            .unwrap_err();
            assert!(refusal(e).contains("must hold another duty"));
            duty::hand_over(
                tx,
                &d.school,
                &day,
                &h,
                &roll,
                (&d.late.id, &d.late_by),
                &ids,
                None,
                at("16:10"),
                &by(),
            )
        })
        .unwrap();
    rec.write(|tx| {
        let hs = tx.handovers_of(day_date(), &d.late.id)?;
        assert_eq!(hs.len(), 1);
        assert_eq!((hs[0].count, hs[0].confirmed.is_none()), (3, true), "open");
        // The giver cannot confirm on the receiver's behalf.
        let giver = held(tx, &d, &d.homework.id, &d.homework_by).unwrap();
        assert!(duty::confirm(tx, &giver, id, at("16:20"), &by()).is_err());
        let r = held(tx, &d, &d.late.id, &d.late_by).unwrap();
        duty::confirm(tx, &r, id, at("16:21"), &by())?;
        let e = duty::confirm(tx, &r, id, at("16:22"), &by()).unwrap_err();
        assert!(refusal(e).contains("already confirmed"));
        let h = tx.handover(day_date(), id)?.unwrap();
        assert_eq!(h.at, at("16:10"));
        assert_eq!(h.confirmed, Some((d.late_by.clone(), at("16:21"))));
        Ok(())
    })
    .unwrap();
}

#[test]
fn no_pickup_of_a_pupil_absent_or_handed_over_from_this_duty() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let mut rec = Record::open(&ws.record).unwrap();
    let after = Hm(d.homework.start.0 + 30);
    rec.write(|tx| {
        let day = duty::day(&d.policy, &d.school, tx, day_date())?.unwrap();
        let h = held(tx, &d, &d.homework.id, &d.homework_by).unwrap();
        let roll = duty::roll_of_duty(tx, &d.policy, &d.school, &day, &d.homework)?;
        assert!(roll.pupils.len() >= 4, "{:?}", roll.pupils);
        let [leave, absent, handed, present] = [0, 1, 2, 3].map(|i| roll.pupils[i].id);
        let pick = |tx: &Tx, pupil: i64| {
            duty::pickup(tx, &d.policy, &h, &roll, pupil, after, at("18:30"), &by())
        };
        let marks = [
            (leave, Mark::Leave),
            (absent, Mark::Unexcused),
            (present, Mark::Present),
        ];
        duty::roll_call(tx, &h, &roll, &marks, at("16:00"), &by())?;
        // Marked absent at this duty's roll call: refused, in both languages.
        for pupil in [leave, absent] {
            let msg = refusal(pick(tx, pupil).unwrap_err());
            assert!(msg.contains("点名为") && msg.contains("marked"), "{msg}");
        }
        // Handed over to the late stay: picked up there, not here.
        duty::hand_over(
            tx,
            &d.school,
            &day,
            &h,
            &roll,
            (&d.late.id, &d.late_by),
            &[handed],
            None,
            at("16:10"),
            &by(),
        )?;
        let msg = refusal(pick(tx, handed).unwrap_err());
        assert!(
            msg.contains("交给") && msg.contains("handed over") && msg.contains(&d.late_by),
            "{msg}"
        );
        assert!(tx.pickups_of_duty(&d.homework.id)?.is_empty(), "nothing");
        // A pupil present is picked up once; a second pickup is refused.
        pick(tx, present)?;
        let msg = refusal(pick(tx, present).unwrap_err());
        assert!(msg.contains("already picked up"), "{msg}");
        assert_eq!(tx.pickups_of_duty(&d.homework.id)?.len(), 1);
        Ok(())
    })
    .unwrap();
}

#[test]
fn no_handover_of_a_pupil_absent_or_already_picked_up_from_this_duty() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let mut rec = Record::open(&ws.record).unwrap();
    let after = Hm(d.homework.start.0 + 30);
    rec.write(|tx| {
        let day = duty::day(&d.policy, &d.school, tx, day_date())?.unwrap();
        let h = held(tx, &d, &d.homework.id, &d.homework_by).unwrap();
        let roll = duty::roll_of_duty(tx, &d.policy, &d.school, &day, &d.homework)?;
        assert!(roll.pupils.len() >= 4, "{:?}", roll.pupils);
        let [leave, absent, picked, present] = [0, 1, 2, 3].map(|i| roll.pupils[i].id);
        let give = |tx: &Tx, pupils: &[i64]| {
            duty::hand_over(
                tx,
                &d.school,
                &day,
                &h,
                &roll,
                (&d.late.id, &d.late_by),
                pupils,
                None,
                at("18:30"),
                &by(),
            )
        };
        let marks = [
            (leave, Mark::Leave),
            (absent, Mark::Unexcused),
            (picked, Mark::Present),
            (present, Mark::Present),
        ];
        duty::roll_call(tx, &h, &roll, &marks, at("16:00"), &by())?;
        duty::pickup(tx, &d.policy, &h, &roll, picked, after, at("18:30"), &by())?;
        // Marked absent at this duty's roll call: no handover, in both
        // languages, even with a pupil who may be handed over beside them.
        for pupil in [leave, absent] {
            let msg = refusal(give(tx, &[present, pupil]).unwrap_err());
            assert!(
                msg.contains("点名为") && msg.contains("marked") && msg.contains("交接"),
                "{msg}"
            );
            assert!(
                msg.contains("handover") && msg.contains("未做任何更改"),
                "{msg}"
            );
        }
        // Picked up already: not with the group to hand over.
        let msg = refusal(give(tx, &[picked]).unwrap_err());
        assert!(
            msg.contains("已于") && msg.contains("被接走") && msg.contains("already picked up"),
            "{msg}"
        );
        assert!(
            tx.handovers_of(day_date(), &d.late.id)?.is_empty(),
            "nothing"
        );
        // A pupil still here is handed over once; a second time is refused.
        give(tx, &[present])?;
        let msg = refusal(give(tx, &[present]).unwrap_err());
        assert!(msg.contains("交给") && msg.contains("handed over"), "{msg}");
        assert_eq!(tx.handovers_of(day_date(), &d.late.id)?.len(), 1);
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_bad_duty_policy_is_named() {
    let text = std::fs::read_to_string(duty_day::root().join("policies/demo.toml")).unwrap();
    let bad = text
        .replace(
            "late_stay_pay = \"actual\"",
            "late_stay_pay = \"sometimes\"",
        )
        .replace(
            "late_pickup_after = \"18:00\"",
            "late_pickup_after = \"6pm\"",
        );
    let e = kehou::input::policy::load_text(&duty_day::root().join("policies/x.toml"), &bad)
        .unwrap_err();
    let msg = e.render(kehou::lang::Lang::En);
    assert!(
        msg.contains("late_stay_pay") && msg.contains("\"actual\""),
        "{msg}"
    );
    assert!(msg.contains("late_pickup_after"), "{msg}");
}

// ---- over HTTP ------------------------------------------------------------

const PASSWORD: &str = "correct horse battery";

struct Reply {
    status: StatusCode,
    body: String,
}

async fn send(r: &Router, req: Request<Body>) -> Reply {
    let resp = r.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(r: &Router, path: &str, cookie: &str) -> Reply {
    let req = Request::get(path).header(header::COOKIE, cookie);
    send(r, req.body(Body::empty()).unwrap()).await
}

async fn post(r: &Router, path: &str, cookie: &str, form: &[(&str, &str)]) -> Reply {
    let req = Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    let body = serde_urlencoded::to_string(form).unwrap();
    send(r, req.body(Body::from(body)).unwrap()).await
}

fn hidden(body: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = body.find(&key).unwrap() + key.len();
    body[at..at + body[at..].find('"').unwrap()].to_string()
}

/// Log in; the cookie and the session's CSRF token.
async fn login(r: &Router, login: &str) -> (String, String) {
    let page = get(r, "/login", "").await;
    let csrf = hidden(&page.body, "csrf");
    let req = Request::post("/login")
        .header(header::COOKIE, format!("kehou_login_csrf={csrf}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("login", login),
        ("password", PASSWORD),
    ])
    .unwrap();
    let resp = r
        .clone()
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{login}");
    let cookie = resp
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("kehou_session="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let page = get(r, "/password", &cookie).await;
    (cookie.clone(), hidden(&page.body, "csrf"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_duty_pages_record_and_refuse_and_show_only_to_whom_they_should() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let app = App::new(&ws).unwrap();
    for (login, role, staff) in [
        ("late", Role::Teacher, Some(d.late_by.as_str())),
        ("giver", Role::Teacher, Some(d.homework_by.as_str())),
        ("home", Role::Teacher, Some(d.homeroom.as_str())),
        ("otherhome", Role::Teacher, Some(d.other_homeroom.as_str())),
        ("boss", Role::Admin, None),
        ("fin", Role::Finance, None),
    ] {
        app.add_account(login, role, staff, PASSWORD).unwrap();
    }
    app.set_clock(Some(at(&Hm(d.late.start.0 + 1).to_string())));
    let r = app.router();
    let page = format!("/duty/{}", d.late.id);
    let (late, late_csrf) = login(&r, "late").await;
    let (giver, giver_csrf) = login(&r, "giver").await;
    let (home, _) = login(&r, "home").await;
    let (otherhome, _) = login(&r, "otherhome").await;
    let (boss, _) = login(&r, "boss").await;
    let (fin, _) = login(&r, "fin").await;
    let (pid, pname) = d.pupil.clone();

    // Today's duties: the holder's link; the duty page to the holder and the admin.
    let today = get(&r, "/duty", &late).await;
    assert_eq!(today.status, StatusCode::OK);
    assert!(today.body.contains(&page), "{}", today.body);
    let shown = get(&r, &page, &late).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert!(shown.body.contains(&pname));
    assert_eq!(get(&r, &page, &boss).await.status, StatusCode::OK);
    // Anyone else: refused, and no pupil's name.
    for c in [&giver, &home] {
        let g = get(&r, &page, c).await;
        assert_eq!(g.status, StatusCode::FORBIDDEN);
        assert!(!g.body.contains(&pname));
    }
    assert_eq!(get(&r, &page, &fin).await.status, StatusCode::FORBIDDEN);
    // Another teacher cannot record on it.
    let mark = format!("mark_{pid}");
    let r403 = post(
        &r,
        &format!("{page}/roll"),
        &giver,
        &[("csrf", &giver_csrf), (&mark, "unexcused")],
    )
    .await;
    assert_eq!(r403.status, StatusCode::FORBIDDEN);
    // Sign in, then the roll call with an unexcused absence.
    let s = post(
        &r,
        &format!("{page}/signin"),
        &late,
        &[("csrf", &late_csrf)],
    )
    .await;
    assert_eq!(s.status, StatusCode::SEE_OTHER, "{}", s.body);
    let s = post(
        &r,
        &format!("{page}/roll"),
        &late,
        &[("csrf", &late_csrf), (&mark, "unexcused")],
    )
    .await;
    assert_eq!(s.status, StatusCode::SEE_OTHER, "{}", s.body);
    // A duplicate: refused with the first call's time, nothing recorded.
    let dup = post(
        &r,
        &format!("{page}/roll"),
        &late,
        &[("csrf", &late_csrf), (&mark, "present")],
    )
    .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert!(dup.body.contains("点名只记一次"), "{}", dup.body);
    // A pupil not in the group; a pickup before the duty began.
    let not_in = post(
        &r,
        &format!("{page}/roll"),
        &late,
        &[("csrf", &late_csrf), ("mark_999999", "present")],
    )
    .await;
    assert_eq!(not_in.status, StatusCode::CONFLICT);
    assert!(not_in.body.contains("不在本组名单中"), "{}", not_in.body);
    let other = d
        .late_roll
        .pupils
        .iter()
        .find(|p| p.id != pid)
        .unwrap()
        .id
        .to_string();
    let early = Hm(d.late.start.0 - 5).to_string();
    let e = post(
        &r,
        &format!("{page}/pickup"),
        &late,
        &[("csrf", &late_csrf), ("pupil", &other), ("at", &early)],
    )
    .await;
    assert_eq!(e.status, StatusCode::CONFLICT);
    assert!(e.body.contains("早于本任务开始"), "{}", e.body);
    // Without the CSRF token: refused by the guard.
    let no = post(
        &r,
        &format!("{page}/pickup"),
        &late,
        &[("pupil", &other), ("at", "18:10")],
    )
    .await;
    assert_eq!(no.status, StatusCode::FORBIDDEN);
    // A late pickup at 18:10, recorded at 18:20.
    app.set_clock(Some(at("18:20")));
    let ok = post(
        &r,
        &format!("{page}/pickup"),
        &late,
        &[("csrf", &late_csrf), ("pupil", &other), ("at", "18:10")],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let shown = get(&r, &page, &late).await;
    assert!(
        shown.body.contains("晚接") && shown.body.contains("18:10"),
        "{}",
        shown.body
    );
    // The homeroom teacher sees the flag and the notice; another class's does not.
    let flags = get(&r, "/duty", &home).await;
    assert!(
        flags.body.contains(&pname) && flags.body.contains("无故缺席"),
        "{}",
        flags.body
    );
    assert!(flags.body.contains("请尽快回复"), "the parent notice");
    let none = get(&r, "/duty", &otherhome).await;
    assert!(!none.body.contains(&pname), "{}", none.body);
    let mut rec = Record::open(&ws.record).unwrap();
    let n = rec.read(|tx| tx.roll_marks(&d.late.id)).unwrap();
    assert_eq!(n.len(), 1, "only the first roll call");
    assert_eq!(n[0].mark, Mark::Unexcused);
}

/// Every read of the duty day's pupils: (pupil, who, what).
fn reads(ws: &kehou::web::Workspace) -> Vec<(i64, String, String)> {
    let mut rec = Record::open(&ws.record).unwrap();
    rec.read(|tx| {
        let mut out = Vec::new();
        for c in duty_day::CLASSES {
            for p in tx.pupils_of_class(c)? {
                for r in tx.reads_of(p.id)? {
                    out.push((p.id, r.who, r.what));
                }
            }
        }
        Ok(out)
    })
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_duty_pages_log_each_pupil_they_name_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, d) = demo_day(dir.path());
    let app = App::new(&ws).unwrap();
    for (login, role, staff) in [
        ("late", Role::Teacher, Some(d.late_by.as_str())),
        ("giver", Role::Teacher, Some(d.homework_by.as_str())),
        ("home", Role::Teacher, Some(d.homeroom.as_str())),
        ("boss", Role::Admin, None),
    ] {
        app.add_account(login, role, staff, PASSWORD).unwrap();
    }
    app.set_clock(Some(at(&Hm(d.late.start.0 + 1).to_string())));
    let r = app.router();
    let page = format!("/duty/{}", d.late.id);
    let what = format!("/duty/{}", d.late.id);
    let (late, late_csrf) = login(&r, "late").await;
    let (giver, _) = login(&r, "giver").await;
    let (home, _) = login(&r, "home").await;
    let (boss, _) = login(&r, "boss").await;
    let (pid, pname) = d.pupil.clone();

    // Pages that name no pupil log nothing: the homeroom teacher's /duty
    // without flags, a duty page refused to another teacher.
    assert_eq!(get(&r, "/duty", &home).await.status, StatusCode::OK);
    assert_eq!(get(&r, &page, &giver).await.status, StatusCode::FORBIDDEN);
    assert_eq!(reads(&ws), vec![], "nothing named, nothing logged");

    // The duty teacher's page: one read per pupil of the roll, by them.
    let shown = get(&r, &page, &late).await;
    assert!(shown.body.contains(&pname));
    let mut want: Vec<(i64, String, String)> = d
        .late_roll
        .pupils
        .iter()
        .map(|p| (p.id, "late".to_string(), what.clone()))
        .collect();
    let mut got = reads(&ws);
    got.sort();
    want.sort();
    assert!(!want.is_empty());
    assert_eq!(got, want);

    // A roll call (a POST) logs nothing itself; the page it returns to does.
    let mark = format!("mark_{pid}");
    let s = post(
        &r,
        &format!("{page}/roll"),
        &late,
        &[("csrf", &late_csrf), (&mark, "unexcused")],
    )
    .await;
    assert_eq!(s.status, StatusCode::SEE_OTHER, "{}", s.body);
    assert_eq!(reads(&ws).len(), want.len());

    // The homeroom teacher's flags name the pupil: one read, "/duty flags".
    let flags = get(&r, "/duty", &home).await;
    assert!(flags.body.contains(&pname), "{}", flags.body);
    let of_home: Vec<_> = reads(&ws)
        .into_iter()
        .filter(|(_, who, _)| who == "home")
        .collect();
    assert_eq!(
        of_home,
        vec![(pid, "home".to_string(), "/duty flags".to_string())]
    );

    // The administrator's view of the duty page is logged as theirs.
    assert_eq!(get(&r, &page, &boss).await.status, StatusCode::OK);
    let of_boss = reads(&ws)
        .into_iter()
        .filter(|(_, who, w)| who == "boss" && *w == what)
        .count();
    assert_eq!(of_boss, d.late_roll.pupils.len());
}
