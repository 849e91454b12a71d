//! `kehou gen`: a synthetic school's CSV files.

use std::path::Path;

use crate::app::context::Ctx;
use crate::error::{Error, Result};
use crate::studies::synth::{self, Profile};

pub(crate) fn run(
    cx: &Ctx,
    profile: &str,
    classes: u32,
    staff: u32,
    seed: u64,
    out: &Path,
) -> Result<i32> {
    let p = match profile {
        "demo" => Profile::demo(),
        "large" => Profile::large(),
        "custom" => Profile::sized(classes, staff, seed),
        o => {
            return Err(Error::Usage(format!(
                "unknown profile {o}: demo, large or custom"
            )))
        }
    };
    synth::write(&synth::generate(&p), out)?;
    println!("{} {}", cx.t("已生成", "generated"), out.display());
    Ok(0)
}
