#![no_main]
//! Any bytes as a roster file, then the checker: an error or a list of violations, never a crash.
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let Ok(p) = kehou::input::policy::load(&root.join("policies/demo.toml")) else { return };
    let f = kehou::studies::synth::generate(&kehou::studies::synth::Profile::sized(4, 10, 1));
    let Ok(s) = kehou::input::school::from_files(Path::new("fuzz"), &p, &f) else { return };
    let Some(monday) = chrono::NaiveDate::from_ymd_opt(2026, 12, 7) else { return };
    let dm = kehou::demand::week(&p, &s, monday);
    if let Ok(rows) = kehou::roster::parse(Path::new("roster.csv"), data) {
        let _ = kehou::check::check(&p, &s, &dm, &rows);
    }
});
