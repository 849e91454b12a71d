#![no_main]
//! Any bytes as staff.csv / classes.csv / enrollment.csv: an error, never a crash.
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let Ok(p) = kehou::input::policy::load(&root.join("policies/demo.toml")) else { return };
    let base = kehou::studies::synth::generate(&kehou::studies::synth::Profile::sized(4, 10, 1));
    for which in 0..3 {
        let mut f = base.clone();
        match which {
            0 => f.staff = data.to_vec(),
            1 => f.classes = data.to_vec(),
            _ => f.enrollment = data.to_vec(),
        }
        let _ = kehou::input::school::from_files(Path::new("fuzz"), &p, &f);
    }
});
