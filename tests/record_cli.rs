//! The record under the command line: concurrent writers, writers killed
//! at random points, and the import of an earlier kehou's history folder.

mod common;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use common::*;
use kehou::lang::Lang;
use kehou::record::{Actor, Base, Record};
use kehou::{demand, plan};

const WEEK: &str = "2026-12-07";

fn cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kehou"));
    c.args(["--lang", "en"])
        .args(args)
        .arg("--policy")
        .arg(root().join("policies/demo.toml"))
        .arg("--data")
        .arg(root().join("datasets/demo"))
        .arg("--record")
        .arg(dir.join("kehou.db"))
        .arg("--history")
        .arg(dir.join("history"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    cmd(dir, args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The demo week's roster bytes (planned once per test).
fn roster_bytes() -> Vec<u8> {
    let p = demo_policy();
    let s = demo_school(&p);
    let dm = demand::week(&p, &s, date(WEEK));
    let plan = plan::plan(&p, &s, &dm, &plan::Options::from_policy(&p)).unwrap();
    kehou::outputs::roster_csv::to_csv(&p, &s, &plan, Lang::Zh)
}

/// A record in `dir` with the demo week published as v1; the roster file
/// is left beside it for republishing.
fn published(dir: &Path) -> PathBuf {
    let bytes = roster_bytes();
    let mut rec = Record::open(&dir.join("kehou.db")).unwrap();
    rec.write(|tx| tx.publish(date(WEEK), &bytes, Base::Unpublished, &Actor::cli("test")))
        .unwrap();
    let f = dir.join("roster.csv");
    std::fs::write(&f, &bytes).unwrap();
    f
}

/// Every (date, session) of the demo week with afternoon or noon duties.
fn cancellations() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for day in [
        "2026-12-07",
        "2026-12-08",
        "2026-12-09",
        "2026-12-10",
        "2026-12-11",
    ] {
        for s in ["morning", "noon", "stage1", "stage2"] {
            if day == "2026-12-10" && s.starts_with("stage") {
                continue; // no afternoon service on Thursday
            }
            out.push((day.to_string(), s));
        }
    }
    out
}

/// (versions of the week, cancellations recorded) read back.
fn contents(dir: &Path) -> (Vec<u32>, Vec<(String, String)>) {
    let mut rec = Record::open(&dir.join("kehou.db")).unwrap();
    assert_eq!(rec.integrity().unwrap(), "ok");
    let v = rec.read(|tx| tx.versions(date(WEEK))).unwrap();
    let events = rec.read(|tx| tx.events()).unwrap();
    let c = events
        .into_iter()
        .filter_map(|e| match e {
            kehou::ledger::Event::Cancel { date, session, .. } => {
                Some((date.to_string(), session.unwrap_or_default()))
            }
            _ => None,
        })
        .collect();
    (v, c)
}

#[test]
fn concurrent_writers_each_land_exactly_once_and_versions_stay_contiguous() {
    let dir = tempfile::tempdir().unwrap();
    let roster = published(dir.path());
    let roster = roster.to_str().unwrap().to_string();
    let mut todo = cancellations().into_iter();
    let mut expect_cancels = Vec::new();
    let mut latest = 1u32;
    for n in [2usize, 3, 5, 10] {
        // One publisher based on the latest, and n - 1 cancellations, at once;
        // in the last round two more publishers on the same base race it.
        let publishers = if n == 10 { 3 } else { 1 };
        let mut kids: Vec<(Option<(String, &str)>, Child)> = Vec::new();
        let base = latest.to_string();
        for _ in 0..publishers {
            let args = [
                "publish",
                "--week",
                WEEK,
                "--roster",
                &roster,
                "--replace",
                &base,
            ];
            kids.push((None, cmd(dir.path(), &args).spawn().unwrap()));
        }
        for _ in 0..n - publishers {
            let (d, s) = todo.next().expect("enough cancellations");
            let args = ["record", "cancel", "--date", &d, "--session", s];
            let child = cmd(dir.path(), &args).spawn().unwrap();
            kids.push((Some((d, s)), child));
        }
        let mut published_ok = 0;
        for (what, child) in kids {
            let out = child.wait_with_output().unwrap();
            match what {
                Some((d, s)) => {
                    assert!(out.status.success(), "cancel {d} {s}: {}", text(&out));
                    expect_cancels.push((d, s.to_string()));
                }
                None if out.status.success() => published_ok += 1,
                None => assert!(
                    text(&out).contains("was published after"),
                    "a losing publisher says why: {}",
                    text(&out)
                ),
            }
        }
        assert_eq!(
            published_ok, 1,
            "exactly one publisher on base v{base} wins"
        );
        latest += 1;
    }
    let (versions, mut cancels) = contents(dir.path());
    assert_eq!(versions, (1..=latest).collect::<Vec<_>>(), "contiguous");
    cancels.sort();
    expect_cancels.sort();
    assert_eq!(cancels, expect_cancels, "every success exactly once");
}

#[test]
fn a_writer_killed_at_any_point_leaves_the_record_whole() {
    let dir = tempfile::tempdir().unwrap();
    let roster = published(dir.path());
    let roster = roster.to_str().unwrap().to_string();
    let mut todo = cancellations().into_iter();
    // A fixed spread of kill times, from before the record is opened to
    // after the commit, for each writing command in turn.
    for (i, ms) in [5u64, 40, 80, 120, 160, 220, 300, 450, 700, 1000, 1500, 3000]
        .into_iter()
        .enumerate()
    {
        let before = contents(dir.path());
        let latest = before.0.last().copied().unwrap_or(0).to_string();
        let absent = format!("T{:03}", i + 1);
        let (mut child, cancel) = match i % 3 {
            0 => {
                let args = [
                    "publish",
                    "--week",
                    WEEK,
                    "--roster",
                    &roster,
                    "--replace",
                    &latest,
                ];
                (cmd(dir.path(), &args).spawn().unwrap(), None)
            }
            1 => {
                let (d, s) = todo.next().unwrap();
                let args = ["record", "cancel", "--date", &d, "--session", s];
                (
                    cmd(dir.path(), &args).spawn().unwrap(),
                    Some((d, s.to_string())),
                )
            }
            _ => {
                // A repair plans for a while, then publishes based on what
                // it read.
                let out = dir.path().join("out");
                let args = [
                    "repair",
                    "--week",
                    WEEK,
                    "--absent",
                    &absent,
                    "--from",
                    "2026-12-11",
                    "--to",
                    "2026-12-11",
                    "--now",
                    "2026-12-07T00:00:00",
                    "--out",
                    out.to_str().unwrap(),
                ];
                (cmd(dir.path(), &args).spawn().unwrap(), None)
            }
        };
        std::thread::sleep(Duration::from_millis(ms));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let (versions, cancels) = contents(dir.path());
        let n = versions.len() as u32;
        assert_eq!(
            versions,
            (1..=n).collect::<Vec<_>>(),
            "after kill at {ms} ms"
        );
        match cancel {
            None => assert!(n == before.0.len() as u32 || n == before.0.len() as u32 + 1),
            Some(c) => {
                let times = cancels.iter().filter(|x| **x == c).count();
                assert!(times <= 1, "{c:?} recorded {times} times");
                assert!(cancels.len() == before.1.len() + times);
            }
        }
    }
    // The record still takes writes.
    let out = run(
        dir.path(),
        &[
            "record",
            "cancel",
            "--date",
            "2026-12-11",
            "--session",
            "午间看护",
        ],
    );
    let t = text(&out);
    assert!(
        out.status.success() || t.contains("already recorded"),
        "{t}"
    );
    assert!(run(dir.path(), &["log"]).status.success());
}

#[test]
fn the_command_line_refuses_a_bad_event_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    published(dir.path());
    let out = run(
        dir.path(),
        &[
            "record",
            "absent",
            "--duty",
            "2026-12-08/noon/x",
            "--staff",
            "T001",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("refused") && text(&out).contains("no duty"),
        "{}",
        text(&out)
    );
    let out = cmd(
        dir.path(),
        &[
            "record",
            "cancel",
            "--date",
            "2026-12-08",
            "--session",
            "午间看护",
        ],
    )
    .args(["--lang", "zh"])
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("已记录"), "{}", text(&out));
    // Based on a version that is no longer the latest.
    let r = dir.path().join("roster.csv");
    let r = r.to_str().unwrap();
    assert!(run(
        dir.path(),
        &["publish", "--week", WEEK, "--roster", r, "--replace", "1"]
    )
    .status
    .success());
    let out = run(
        dir.path(),
        &[
            "record",
            "cancel",
            "--date",
            "2026-12-09",
            "--based-on",
            "1",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("v2 was published after v1"),
        "{}",
        text(&out)
    );
    // Publishing over a published week without naming it is refused.
    let out = run(dir.path(), &["publish", "--week", WEEK, "--roster", r]);
    assert!(text(&out).contains("--replace 2"), "{}", text(&out));
}

#[test]
fn workload_without_a_record_is_an_error_not_zero_pay() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &["workload", "--from", "2026-12-01", "--to", "2026-12-31"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no record"), "{}", text(&out));
    assert!(
        !dir.path().join("kehou.db").exists(),
        "a read creates nothing"
    );
}

/// An earlier kehou's history folder with the week in two versions.
fn legacy(dir: &Path, events: &str) {
    let w = dir.join("history/weeks").join(WEEK);
    std::fs::create_dir_all(&w).unwrap();
    let bytes = roster_bytes();
    std::fs::write(w.join("v1.csv"), &bytes).unwrap();
    std::fs::write(w.join("v2.csv"), &bytes).unwrap();
    std::fs::write(dir.join("history/events.csv"), events).unwrap();
}

/// A noon duty of the demo week and who holds it.
fn a_noon_seat() -> (String, String) {
    let rows = kehou::roster::parse(Path::new("x"), &roster_bytes()).unwrap();
    rows.into_iter()
        .find(|r| r.duty_id.starts_with("2026-12-08/noon/") && r.staff_id.is_some())
        .map(|r| (r.duty_id, r.staff_id.unwrap()))
        .unwrap()
}

#[test]
fn an_earlier_history_folder_is_imported_once() {
    let dir = tempfile::tempdir().unwrap();
    let (d, a) = a_noon_seat();
    let events = format!(
        "kind,date,session,duty_id,staff_id,substitute_id,note\n\
         cancel,2026-12-09,noon,,,,停电\n\
         absent,,,{d},{a},,病假\n"
    );
    legacy(dir.path(), &events);
    let out = run(dir.path(), &["log"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("imported") && text(&out).contains("2 version(s), 2 event(s)"),
        "{}",
        text(&out)
    );
    let again = run(dir.path(), &["log"]);
    assert!(!text(&again).contains("imported"), "once: {}", text(&again));
    let csv = dir.path().join("events-out.csv");
    let out = run(dir.path(), &["log", "--events-csv", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let got = String::from_utf8(std::fs::read(&csv).unwrap()).unwrap();
    assert!(
        got.contains("停电") && got.contains(&d) && got.contains("based_on"),
        "{got}"
    );
    let (versions, cancels) = contents(dir.path());
    assert_eq!(versions, vec![1, 2]);
    assert_eq!(
        cancels,
        vec![("2026-12-09".to_string(), "noon".to_string())]
    );
    let out = run(
        dir.path(),
        &["workload", "--from", WEEK, "--to", "2026-12-13"],
    );
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn a_history_with_a_bad_event_or_an_unreadable_week_is_not_imported() {
    let dir = tempfile::tempdir().unwrap();
    let (d, _) = a_noon_seat();
    let events = format!(
        "kind,date,session,duty_id,staff_id,substitute_id,note\n\
         absent,,,{d},T999,,\n\
         absent,,,,T001,,\n"
    );
    legacy(dir.path(), &events);
    for _ in 0..2 {
        let out = run(dir.path(), &["log"]);
        let t = text(&out);
        assert_eq!(out.status.code(), Some(2), "{t}");
        assert!(t.contains("events.csv:3") && t.contains("duty_id"), "{t}");
        let (versions, cancels) = contents(dir.path());
        assert!(
            versions.is_empty() && cancels.is_empty(),
            "nothing imported"
        );
    }
    std::fs::write(
        dir.path().join("history/events.csv"),
        "kind,date,session,duty_id,staff_id,substitute_id,note\n",
    )
    .unwrap();
    let wk = dir.path().join("history/weeks/2026-12-14");
    std::fs::write(&wk, "not a folder").unwrap();
    let out = run(dir.path(), &["log"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("2026-12-14"), "{}", text(&out));
    assert!(contents(dir.path()).0.is_empty());
}
