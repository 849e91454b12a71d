//! Random input never panics: the CSV and TOML loaders and the roster
//! checker return errors, not crashes (a quick stand-in for the cargo-fuzz
//! targets in fuzz/, which run longer).

mod common;
use common::*;
use kehou::{check, demand, input, roster};
use proptest::prelude::*;

fn mutate(base: &[u8], edits: &[(usize, u8)]) -> Vec<u8> {
    let mut b = base.to_vec();
    for &(i, v) in edits {
        if b.is_empty() {
            b.push(v);
        } else {
            let i = i % b.len();
            match v % 3 {
                0 => b[i] = v,
                1 => b.insert(i, v),
                _ => {
                    b.remove(i);
                }
            }
        }
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn csv_loaders_never_panic(edits in prop::collection::vec((0usize..4000, any::<u8>()), 0..12), which in 0usize..5) {
        let p = demo_policy();
        let mut f = tiny_files();
        match which {
            0 => f.staff = mutate(&f.staff, &edits),
            1 => f.classes = mutate(&f.classes, &edits),
            2 => f.enrollment = mutate(&f.enrollment, &edits),
            3 => f.clubs = f.clubs.map(|c| mutate(&c, &edits)),
            _ => f.leave = Some(mutate(b"staff,from,to\nT1,2026-12-08,2026-12-09\n", &edits)),
        }
        let _ = input::school::from_files(std::path::Path::new("fuzz"), &p, &f);
    }

    #[test]
    fn policy_loader_never_panics(edits in prop::collection::vec((0usize..12000, any::<u8>()), 0..8)) {
        let text = std::fs::read(root().join("policies/demo.toml")).unwrap();
        let bad = String::from_utf8_lossy(&mutate(&text, &edits)).into_owned();
        let _ = input::policy::load_text(&root().join("policies/demo.toml"), &bad);
    }

    #[test]
    fn checker_never_panics(edits in prop::collection::vec((0usize..3000, any::<u8>()), 0..12)) {
        let p = demo_policy();
        let s = school_from(&p, &tiny_files()).unwrap();
        let dm = demand::week(&p, &s, date("2026-12-07"));
        let mut csv = String::from("任务编号,工号\n");
        for (i, d) in dm.duties.iter().enumerate() {
            csv.push_str(&format!("{},T{}\n", d.id, 1 + i % 6));
        }
        if let Ok(rows) = roster::parse(std::path::Path::new("r.csv"), &mutate(csv.as_bytes(), &edits)) {
            let _ = check::check(&p, &s, &dm, &rows);
        }
    }
}
