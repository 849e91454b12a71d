use super::*;

use std::collections::BTreeMap;
use std::time::Duration;

/// Every file under `dir` with its bytes, by path relative to `dir`.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_path_buf();
                all.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    all
}

/// Paths under `dir` whose name starts with the temporary prefix.
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_name().to_string_lossy().starts_with(TMP_PREFIX) {
                found.push(e.path());
            } else if e.path().is_dir() {
                todo.push(e.path());
            }
        }
    }
    found
}

/// An output folder from an older run: two files and a calendar folder
/// with a calendar of someone no longer on the roster.
fn old_outputs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("a.csv"), "old a").unwrap();
    fs::write(d.join("b.csv"), "old b").unwrap();
    fs::create_dir(d.join("cal")).unwrap();
    fs::write(d.join("cal/T1.ics"), "old T1").unwrap();
    fs::write(d.join("cal/gone.ics"), "old gone").unwrap();
    dir
}

/// The new set: both files, one that did not exist, the calendar folder.
fn new_set(d: &Path) -> OutputSet {
    let mut set = OutputSet::new();
    set.add(d.join("a.csv"), "new a")
        .add(d.join("b.csv"), "new b")
        .add(d.join("c.csv"), "new c")
        .add_dir(d.join("cal"))
        .add(d.join("cal/T1.ics"), "new T1")
        .add(d.join("cal/T2.ics"), "new T2");
    set
}

fn files(pairs: &[(&str, &str)]) -> BTreeMap<PathBuf, Vec<u8>> {
    pairs
        .iter()
        .map(|(p, b)| (PathBuf::from(p), b.as_bytes().to_vec()))
        .collect()
}

#[test]
fn a_set_replaces_every_file_and_its_folder_as_a_whole() {
    let dir = old_outputs();
    let d = dir.path();
    new_set(d).commit().unwrap();
    let want = files(&[
        ("a.csv", "new a"),
        ("b.csv", "new b"),
        ("c.csv", "new c"),
        ("cal/T1.ics", "new T1"),
        ("cal/T2.ics", "new T2"),
    ]);
    assert_eq!(snapshot(d), want, "gone.ics went with the old folder");
    assert!(temporaries(d).is_empty(), "{:?}", temporaries(d));
}

#[test]
fn an_empty_replaced_folder_is_left_empty() {
    let dir = old_outputs();
    let d = dir.path();
    let mut set = OutputSet::new();
    set.add_dir(d.join("cal"));
    set.commit().unwrap();
    assert!(d.join("cal").is_dir());
    assert_eq!(fs::read_dir(d.join("cal")).unwrap().count(), 0);
}

#[test]
fn a_failure_while_staging_leaves_the_old_files_and_no_temporaries() {
    let dir = old_outputs();
    let d = dir.path();
    fs::create_dir(d.join("d.csv")).unwrap();
    let before = snapshot(d);
    let mut set = new_set(d);
    set.add(d.join("d.csv"), "a folder is in the way");
    let err = set.commit().unwrap_err();
    assert!(
        matches!(&err, Error::Write { path, .. } if path.ends_with("d.csv")),
        "{err}"
    );
    assert_eq!(snapshot(d), before);
    assert!(temporaries(d).is_empty(), "{:?}", temporaries(d));
}

#[test]
fn a_failed_move_puts_every_old_file_back() {
    // Five moves (a, b, c, d.csv, cal); each in turn fails.
    for failing in 1..=5 {
        let dir = old_outputs();
        let d = dir.path();
        let before = snapshot(d);
        let mut set = new_set(d);
        set.add(d.join("d.csv"), "new d");
        let mut calls = 0;
        let r = set.commit_with(&mut |from, to| {
            calls += 1;
            if calls == failing {
                Err(io::Error::other("injected"))
            } else {
                fs::rename(from, to)
            }
        });
        assert!(r.is_err(), "move {failing}");
        assert_eq!(calls, failing, "no move after the failure");
        assert_eq!(snapshot(d), before, "move {failing}");
        assert!(
            temporaries(d).is_empty(),
            "move {failing}: {:?}",
            temporaries(d)
        );
    }
}

#[test]
fn a_set_is_refused_before_writing_when_it_makes_no_sense() {
    let dir = old_outputs();
    let d = dir.path();
    let before = snapshot(d);
    let mut twice = OutputSet::new();
    twice.add(d.join("a.csv"), "1").add(d.join("a.csv"), "2");
    let mut nested = OutputSet::new();
    nested.add_dir(d.join("cal")).add_dir(d.join("cal/sub"));
    let mut escaping = OutputSet::new();
    escaping
        .add_dir(d.join("cal"))
        .add(d.join("cal/../a.csv"), "x");
    for set in [twice, nested, escaping] {
        assert!(set.commit().is_err());
        assert_eq!(snapshot(d), before);
    }
}

/// Sets a path's mtime `ago` in the past.
fn age(p: &Path, ago: Duration) {
    let f = if p.is_dir() {
        fs::File::open(p).unwrap()
    } else {
        fs::File::options().write(true).open(p).unwrap()
    };
    f.set_modified(SystemTime::now() - ago).unwrap();
}

#[test]
fn sweep_removes_stale_temporaries_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let hour = Duration::from_secs(3600);
    let secs = |t: SystemTime| t.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let now = secs(SystemTime::now());
    let an_hour_ago = now - 3600;
    let stale = [
        ".kehou-tmp-x".to_string(),
        format!(".kehou-tmp-{an_hour_ago}-abc"),
        ".kehou-tmp-18446744073709551615-huge".to_string(),
        ".kehou-tmp-dir".to_string(),
    ];
    let kept = [
        ".kehou-tmp-fresh".to_string(),
        // An old file's hard link made just now: its mtime is old, its name new.
        format!(".kehou-tmp-{now}-old-abc"),
        ".tmpAbC123".to_string(),
        "notes.txt".to_string(),
        "kehou-tmp-no-dot".to_string(),
    ];
    for n in stale.iter().chain(&kept) {
        if n.ends_with("dir") {
            fs::create_dir(d.join(n)).unwrap();
            fs::write(d.join(n).join("inside.ics"), "x").unwrap();
        } else {
            fs::write(d.join(n), "x").unwrap();
        }
        if n != ".kehou-tmp-fresh" {
            age(&d.join(n), hour);
        }
    }
    assert_eq!(sweep(d), stale.len());
    let left: BTreeSet<String> = fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, kept.iter().cloned().collect());
    assert_eq!(sweep(&d.join("no such folder")), 0);
}

#[test]
fn a_commit_sweeps_the_folders_it_writes_into() {
    let dir = old_outputs();
    let d = dir.path();
    let leftover = d.join(".kehou-tmp-killed");
    fs::write(&leftover, "half a roster").unwrap();
    age(&leftover, STALE_AFTER + Duration::from_secs(60));
    new_set(d).commit().unwrap();
    assert!(!leftover.exists());
}
