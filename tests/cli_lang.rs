//! One language at a time on the command line (issue 17 item 3): every
//! command's and option's help, clap's headings and its errors are Chinese
//! by default and English with `--lang en`.

use std::process::Command;

use kehou::lang::Lang;

fn kehou(args: &[&str]) -> (Option<i32>, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_kehou"))
        .args(args)
        .output()
        .expect("run kehou");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Every command's path: `[]`, `["plan"]`, `["record", "absent"]`, ….
fn paths() -> Vec<Vec<String>> {
    fn walk(c: &clap::Command, at: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(at.clone());
        for s in c.get_subcommands() {
            let mut p = at.clone();
            p.push(s.get_name().to_string());
            walk(s, p, out);
        }
    }
    let mut out = Vec::new();
    walk(&kehou::app::command(Lang::Zh), Vec::new(), &mut out);
    out
}

/// Chinese characters in `s`, the default value's note `(默认: …)` left out.
fn cjk(s: &str) -> bool {
    let s = s.split(" (默认: ").next().unwrap_or(s);
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The help of `path` in `lang`, printed by the program.
fn help(path: &[String], lang: &str) -> String {
    let mut args: Vec<&str> = vec!["--lang", lang];
    args.extend(path.iter().map(String::as_str));
    args.push("--help");
    let (code, out, err) = kehou(&args);
    assert_eq!(code, Some(0), "{path:?}: {err}");
    out
}

#[test]
fn chinese_help_of_every_command_is_chinese() {
    let all = paths();
    assert!(all.len() >= 18, "{all:?}");
    for path in &all {
        let text = help(path, "zh");
        for english in [
            "Usage",
            "Options",
            "Commands",
            "Print help",
            "default:",
            "possible values",
            "[OPTIONS]",
        ] {
            assert!(!text.contains(english), "{path:?} says {english}:\n{text}");
        }
        // The about line, and every option's and command's line, in Chinese.
        assert!(cjk(text.lines().next().unwrap_or("")), "{path:?}:\n{text}");
        for line in text.lines().filter(|l| l.starts_with("  ")) {
            assert!(
                cjk(line),
                "{path:?}: a line without Chinese: {line}\n{text}"
            );
        }
    }
}

#[test]
fn english_help_of_every_command_is_english() {
    for path in &paths() {
        let text = help(path, "en");
        assert!(!cjk(&text), "{path:?} has Chinese in English mode:\n{text}");
        assert!(text.contains("Usage:"), "{path:?}:\n{text}");
        for line in text.lines().filter(|l| l.trim_start().starts_with("--")) {
            let said = line.trim().split_once("  ").map_or("", |x| x.1).trim();
            assert!(!said.is_empty(), "{path:?}: an option without help: {line}");
        }
    }
}

#[test]
fn every_command_and_option_has_a_text_in_each_language() {
    let mut seen = Vec::new();
    fn walk(c: &clap::Command, at: &str, seen: &mut Vec<(String, String)>) {
        seen.push((at.to_string(), String::new()));
        for a in c.get_arguments() {
            let id = a.get_id().as_str();
            if !["help", "version"].contains(&id) {
                seen.push((at.to_string(), id.to_string()));
            }
        }
        for s in c.get_subcommands() {
            let p = if at.is_empty() {
                s.get_name().to_string()
            } else {
                format!("{at} {}", s.get_name())
            };
            walk(s, &p, seen);
        }
    }
    walk(&kehou::app::command(Lang::En), "", &mut seen);
    for lang in [Lang::Zh, Lang::En] {
        let c = kehou::app::command(lang);
        for (path, id) in &seen {
            let mut cmd = &c;
            for name in path.split(' ').filter(|n| !n.is_empty()) {
                cmd = cmd.find_subcommand(name).expect("subcommand");
            }
            let said = if id.is_empty() {
                cmd.get_about().map(|s| s.to_string())
            } else {
                cmd.get_arguments()
                    .find(|a| a.get_id() == id)
                    .and_then(|a| a.get_help())
                    .map(|s| s.to_string())
            };
            let said = said.unwrap_or_default();
            assert!(!said.is_empty(), "{lang:?} `{path}` {id}: no text");
            assert_eq!(
                cjk(&said),
                lang == Lang::Zh,
                "{lang:?} `{path}` {id}: {said}"
            );
        }
    }
}

#[test]
fn mistakes_are_told_in_the_language_asked_for() {
    let (code, out, err) = kehou(&["plan", "--weak", "2026-12-07"]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(err.contains("没有选项「--weak」"), "{err}");
    assert!(err.contains("是否要用「--week」"), "{err}");
    assert!(err.contains("用法: kehou plan"), "{err}");
    let (code, _, err) = kehou(&["plan", "--week", "2026-13-01"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("2026-13-01") && err.contains("应为 2000-01-01 至 2100-12-31"),
        "{err}"
    );
    let (code, out, err) = kehou(&["demand", "--week", "２０２６年１２月７日"]);
    assert_eq!(
        code,
        Some(0),
        "a date as typed with a Chinese input method: {err}"
    );
    assert!(out.contains("2026-12-07"), "{out}");
    let (code, _, err) = kehou(&["plan"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("缺少必填的选项") && err.contains("--week"),
        "{err}"
    );
    let (code, _, err) = kehou(&["planx"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("没有命令「planx」"), "{err}");
    assert!(!err.contains("error:"), "{err}");
    let (code, _, err) = kehou(&["--lang", "en", "plan", "--week", "2026-13-01"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("expected a date from 2000-01-01"), "{err}");
    assert!(!cjk(&err), "{err}");
    let (code, _, err) = kehou(&["--lang=en", "plan", "--weak", "x"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unexpected argument '--weak'"), "{err}");
}

#[test]
fn a_scenario_naming_nobody_is_told_in_one_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = env!("CARGO_MANIFEST_DIR");
    let file = dir.path().join("s.toml");
    let text = format!(
        "[baseline]\npolicy = \"{root}/policies/demo.toml\"\ndata = \"{root}/datasets/demo\"\nweeks = [2026-12-07]\n\n[[scenario]]\nname = \"x\"\nchanges = [{{ type = \"leaves\", staff = [\"T999\"] }}]\n"
    );
    std::fs::write(&file, text).expect("write");
    let path = file.to_str().expect("utf-8 path");
    // The scenario fails (exit 1), the others are still compared.
    let (code, out, err) = kehou(&["whatif", path]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("x 失败: 方案的 leaves: 教职工名单中没有 T999"),
        "{out}"
    );
    assert!(!out.contains("no staff"), "{out}");
    let (code, out, _) = kehou(&["--lang", "en", "whatif", path]);
    assert_eq!(code, Some(1));
    assert!(out.contains("leaves: no staff T999") && !cjk(&out), "{out}");
}
