#![no_main]
//! Any text as a policy file: an error, never a crash.
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = String::from_utf8_lossy(data);
    let _ = kehou::input::policy::load_text(&root.join("policies/demo.toml"), &text);
});
