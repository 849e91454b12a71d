//! Outputs on disk (issue 16, "Files"): permissions follow the umask, file
//! names built from ids stay inside their folder, temporaries of killed
//! runs are swept, and a week's files are replaced as a set or not at all.

mod common;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use common::*;
use kehou::outputs::files::{safe_name, TMP_PREFIX};

const WEEK: &str = "2026-12-07";

/// `kehou plan` for the week on the school in `dir`, writing into `out`;
/// `lang` None runs in the default language.
fn plan(dir: &Path, out: &Path, lang: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kehou"));
    if let Some(l) = lang {
        c.args(["--lang", l]);
    }
    school_args(&mut c, dir);
    c.args(["plan", "--week", WEEK, "--quiet", "--out"])
        .arg(out)
        .output()
        .unwrap()
}

fn school_args(c: &mut Command, dir: &Path) {
    c.arg("--policy")
        .arg(dir.join("policy.toml"))
        .arg("--data")
        .arg(dir.join("data"))
        .arg("--history")
        .arg(dir.join("history"));
}

fn ok(o: &Output) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_path_buf();
                all.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    all
}

fn temporaries(dir: &Path) -> Vec<PathBuf> {
    snapshot(dir)
        .into_keys()
        .filter(|p| {
            p.iter()
                .any(|c| c.to_string_lossy().starts_with(TMP_PREFIX))
        })
        .collect()
}

fn ics_dir(out: &Path) -> PathBuf {
    out.join(format!("ics-{WEEK}"))
}

/// The ids of the staff on a written roster.
fn rostered(out: &Path) -> BTreeSet<String> {
    kehou::roster::read(&out.join(format!("roster-{WEEK}.csv")))
        .unwrap()
        .into_iter()
        .filter_map(|r| r.staff_id)
        .collect()
}

fn names_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[cfg(unix)]
#[test]
fn the_umask_decides_the_permissions_of_outputs() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write_tiny_school(dir.path());
    for (umask, file_mode, dir_mode) in [("022", 0o644, 0o755), ("077", 0o600, 0o700)] {
        let out = dir.path().join(format!("out-{umask}"));
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_kehou"));
        school_args(&mut c, dir.path());
        ok(&c
            .args(["plan", "--week", WEEK, "--quiet", "--out"])
            .arg(&out)
            .output()
            .unwrap());
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let ics = ics_dir(&out);
        let a_calendar = std::fs::read_dir(&ics).unwrap().next().unwrap().unwrap();
        for f in [
            out.join(format!("roster-{WEEK}.csv")),
            out.join(format!("summary-{WEEK}.csv")),
            out.join(format!("roster-{WEEK}.html")),
            out.join(format!("handover-{WEEK}.csv")),
            a_calendar.path(),
        ] {
            assert_eq!(mode(&f), file_mode, "umask {umask}: {}", f.display());
        }
        assert_eq!(mode(&ics), dir_mode, "umask {umask}: {}", ics.display());
    }
}

/// The tiny school with three staff ids that are not plain names.
fn hostile_ids(dir: &Path) -> [&'static str; 3] {
    write_tiny_school(dir);
    let ids = ["../../x", "x/y", "x:y"];
    let staff = std::fs::read_to_string(dir.join("data/staff.csv")).unwrap();
    let staff = staff
        .replace("\nT1,", &format!("\n{},", ids[0]))
        .replace("\nT2,", &format!("\n{},", ids[1]))
        .replace("\nT3,", &format!("\n{},", ids[2]));
    std::fs::write(dir.join("data/staff.csv"), staff).unwrap();
    ids
}

#[test]
fn calendars_of_hostile_ids_stay_inside_out_and_apart() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ids = hostile_ids(d);
    let before = names_in(d);
    let out = d.join("out");
    ok(&plan(d, &out, Some("en")));
    let staff = rostered(&out);
    for id in ids {
        assert!(staff.contains(id), "{id} is on the roster: {staff:?}");
    }
    // Nothing beside out/ (../../x.ics would land in the school's folder).
    let mut after = names_in(d);
    after.remove("out");
    after.remove("history");
    assert_eq!(after, before);
    assert!(!d.join("x.ics").exists() && !d.join("x").exists());
    // One calendar per person on the roster, each named from its id.
    let want: BTreeSet<String> = staff
        .iter()
        .map(|id| format!("{}.ics", safe_name(id)))
        .collect();
    assert_eq!(want.len(), staff.len(), "two ids, two names");
    assert_eq!(names_in(&ics_dir(&out)), want);
    let (a, b) = (safe_name("x/y"), safe_name("x:y"));
    assert_ne!(a, b);
    let cal = |n: &str| std::fs::read_to_string(ics_dir(&out).join(format!("{n}.ics"))).unwrap();
    assert!(cal(&a).contains("-x/y@kehou"), "{}", cal(&a));
    assert!(cal(&b).contains("-x:y@kehou"), "{}", cal(&b));
}

#[test]
fn whatif_rosters_of_hostile_scenario_names_stay_inside_their_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_tiny_school(d);
    std::fs::write(
        d.join("study.toml"),
        "[baseline]\npolicy = \"policy.toml\"\ndata = \"data\"\nweeks = [2026-12-07]\n\n\
         [[scenario]]\nname = \"../../escape\"\nchanges = [{ type = \"cutoff\", time = \"17:30\" }]\n",
    )
    .unwrap();
    let rosters = d.join("out/rosters");
    let mut c = Command::new(env!("CARGO_BIN_EXE_kehou"));
    school_args(&mut c, d);
    ok(&c
        .arg("whatif")
        .arg(d.join("study.toml"))
        .arg("--rosters")
        .arg(&rosters)
        .output()
        .unwrap());
    let want: BTreeSet<String> = ["baseline", "../../escape"]
        .iter()
        .map(|n| format!("{}-{WEEK}.csv", safe_name(n)))
        .collect();
    assert_eq!(names_in(&rosters), want);
    assert!(!d.join(format!("escape-{WEEK}.csv")).exists());
}

/// Sets a file's mtime `ago` in the past.
fn age(p: &Path, ago: Duration) {
    let f = std::fs::File::options().write(true).open(p).unwrap();
    f.set_modified(SystemTime::now() - ago).unwrap();
}

#[test]
fn stale_temporaries_are_swept_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_tiny_school(d);
    let out = d.join("out");
    std::fs::create_dir(&out).unwrap();
    let hour = Duration::from_secs(3600);
    for (name, ago) in [
        (".kehou-tmp-killed", Some(hour)),
        (".kehou-tmp-in-progress", None),
        (".tmpAbC123", Some(hour)),
        ("notes.txt", Some(hour)),
    ] {
        std::fs::write(out.join(name), "x").unwrap();
        if let Some(t) = ago {
            age(&out.join(name), t);
        }
    }
    ok(&plan(d, &out, Some("en")));
    let left = names_in(&out);
    assert!(!left.contains(".kehou-tmp-killed"), "{left:?}");
    for kept in [".kehou-tmp-in-progress", ".tmpAbC123", "notes.txt"] {
        assert!(left.contains(kept), "{kept}: {left:?}");
    }
}

#[test]
fn a_failed_plan_leaves_every_old_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_tiny_school(d);
    let out = d.join("out");
    ok(&plan(d, &out, Some("en")));
    // Mark every old file, so that any replacement shows; the calendar of
    // someone no longer on the roster is among them.
    std::fs::write(ics_dir(&out).join("gone.ics"), "").unwrap();
    for p in snapshot(&out).into_keys() {
        std::fs::write(out.join(&p), format!("old {}", p.display())).unwrap();
    }
    // The summary cannot be written: a folder is in its place.
    let summary = out.join(format!("summary-{WEEK}.csv"));
    std::fs::remove_file(&summary).unwrap();
    std::fs::create_dir(&summary).unwrap();
    std::fs::write(summary.join("keep.txt"), "mine").unwrap();
    let before = snapshot(&out);
    let o = plan(d, &out, Some("en"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(&summary.display().to_string()), "{err}");
    assert_eq!(snapshot(&out), before);
    assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
    // Once the way is clear, the set is written; the calendar folder is
    // replaced as a whole and holds only this roster's people.
    std::fs::remove_dir_all(&summary).unwrap();
    ok(&plan(d, &out, Some("en")));
    let cals: BTreeSet<String> = rostered(&out)
        .iter()
        .map(|id| format!("{}.ics", safe_name(id)))
        .collect();
    assert_eq!(names_in(&ics_dir(&out)), cals);
    assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
}

#[test]
fn an_unwritable_out_is_named_in_chinese_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_tiny_school(d);
    // A file where the folder should be: unwritable even for root.
    let out = d.join("out");
    std::fs::write(&out, "not a folder").unwrap();
    let o = plan(d, &out, None);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("错误: 无法写入 {}", out.display())),
        "{err}"
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"not a folder");
}
