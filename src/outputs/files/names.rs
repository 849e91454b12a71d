//! File names built from ids and labels (a staff id, a scenario's name):
//! whatever the id holds, the name stays inside its folder and is a valid
//! name on Linux, macOS and Windows.

/// Longest name kept from an id, in bytes (before the hash suffix and the
/// caller's `-<monday>.csv` or `.ics`): far below the 255 bytes file
/// systems allow.
const MAX_BYTES: usize = 120;

/// Device names Windows reserves, with any extension (`CON.ics`).
const RESERVED: [&str; 30] = [
    "CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
    "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6",
    "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
];

/// A file name (without extension) for `id`: `id` itself when it is an
/// ordinary name (letters and digits of any script, `-`, `_`, `.`, spaces,
/// parentheses), else a made-safe form with `~` and a stable hash of `id`.
///
/// The made-safe form has no path separator, no `..`, no leading dot, no
/// control or invisible character, no character Windows refuses
/// (`<>:"/\|?*`), no trailing dot or space, is not a reserved device name
/// (`CON`, `NUL`, `COM1` …) and holds at most 120 bytes before the suffix.
/// Two different ids never share a name: an unchanged id cannot contain `~`,
/// and changed ones differ by their hash.
pub fn safe_name(id: &str) -> String {
    let mut out = String::with_capacity(id.len().min(MAX_BYTES) + 9);
    for c in id.chars() {
        let kept = c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | '(' | ')');
        let c = match c {
            _ if !kept => '_',
            '.' if out.is_empty() || out.ends_with('.') => '_',
            ' ' if out.is_empty() => '_',
            c => c,
        };
        if out.len() + c.len_utf8() > MAX_BYTES {
            break;
        }
        out.push(c);
    }
    if out.ends_with(['.', ' ']) {
        out.pop();
        out.push('_');
    }
    if out.is_empty() || reserved(&out) {
        out.insert(0, '_');
    }
    if out != id {
        out.push_str(&format!("~{:08x}", fnv1a(id) as u32));
    }
    out
}

/// Whether Windows reserves `name` as a device (the part before the first
/// dot, trailing spaces ignored, in any case).
fn reserved(name: &str) -> bool {
    let base = name.split('.').next().unwrap_or("").trim_end_matches(' ');
    let upper = base.to_uppercase();
    RESERVED.iter().any(|r| *r == upper)
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms (the
/// standard library's hasher is not), so a name does not change between
/// runs.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What every made-safe name must be, whatever the id.
    fn assert_safe(id: &str) {
        let n = safe_name(id);
        assert!(!n.is_empty(), "{id:?}");
        assert!(!n.starts_with('.'), "{id:?} → {n:?}");
        assert!(!n.contains(".."), "{id:?} → {n:?}");
        assert!(!n.ends_with(['.', ' ']), "{id:?} → {n:?}");
        assert!(
            !n.chars()
                .any(|c| c.is_control() || "<>:\"/\\|?*".contains(c)),
            "{id:?} → {n:?}"
        );
        assert!(crate::error::bad_char(&n).is_none(), "{id:?} → {n:?}");
        assert!(!reserved(&n), "{id:?} → {n:?}");
        assert!(n.len() <= MAX_BYTES + 9, "{id:?}: {} bytes", n.len());
        let p = std::path::Path::new("out").join(format!("{n}.ics"));
        assert_eq!(p.parent(), Some(std::path::Path::new("out")), "{id:?}");
    }

    #[test]
    fn ordinary_ids_are_kept() {
        for id in [
            "T001",
            "王静",
            "3-2",
            "a_b",
            "Mrs. Li",
            "足球(高年级)",
            "v1.2",
        ] {
            assert_eq!(safe_name(id), id);
        }
    }

    #[test]
    fn hostile_ids_stay_inside_their_folder() {
        let long = "长".repeat(200);
        for id in [
            "../../x",
            "..",
            ".",
            "",
            ".hidden",
            "a/b",
            "a\\b",
            "C:x",
            "x\u{0}y",
            "x\u{1b}[31m",
            "x\u{202e}y",
            "CON",
            "con.ics",
            "Nul ",
            "COM¹",
            "lpt9.x",
            "end.",
            "end ",
            " lead",
            "a..b",
            "q?*<>|\"",
            "~tilde",
            long.as_str(),
        ] {
            assert_safe(id);
            assert_ne!(safe_name(id), id, "{id:?} must change");
        }
        assert!(safe_name(&long).len() <= MAX_BYTES + 9);
    }

    #[test]
    fn ids_that_clean_alike_get_different_names() {
        let ids = ["a/b", "a\\b", "a:b", "a?b", "a_b", "a_b~00000000"];
        let names: std::collections::BTreeSet<String> = ids.iter().map(|i| safe_name(i)).collect();
        assert_eq!(names.len(), ids.len(), "{names:?}");
        let long_a = format!("{}a", "x".repeat(200));
        let long_b = format!("{}b", "x".repeat(200));
        assert_ne!(safe_name(&long_a), safe_name(&long_b));
    }

    #[test]
    fn names_are_stable() {
        // Pinned: a calendar's name must not change between runs or builds.
        assert_eq!(safe_name("../../x"), "_._.__x~190c67fd");
    }
}
