//! `kehou gen`: a synthetic school's CSV files (and, for the realistic
//! profile, its policy).

use std::path::Path;

use crate::app::context::Ctx;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::studies::realistic::{self, MAX_CLASSES};
use crate::studies::synth::{self, Profile};

/// At most this many staff in a custom school.
const MAX_STAFF: u32 = 3000;

pub(crate) fn run(
    cx: &Ctx,
    profile: &str,
    classes: u32,
    staff: Option<u32>,
    seed: u64,
    out: &Path,
) -> Result<i32> {
    if !(1..=MAX_CLASSES).contains(&classes) {
        return Err(out_of_range(cx, "--classes", classes, MAX_CLASSES));
    }
    if let Some(n) = staff.filter(|&n| !(1..=MAX_STAFF).contains(&n)) {
        return Err(out_of_range(cx, "--staff", n, MAX_STAFF));
    }
    let p = match profile {
        "demo" => Profile::demo(),
        "large" => Profile::large(),
        "custom" => Profile::sized(classes, staff.unwrap_or(68), seed),
        "realistic" if staff.is_some() => return Err(Error::Usage(
            cx.t(
                "realistic 配置的教职工人数由 --classes 决定, 不接受 --staff",
                "the realistic profile derives its staff from --classes; --staff is not accepted",
            )
            .to_string(),
        )),
        "realistic" => {
            realistic::write(&realistic::generate(classes, seed), out)?;
            let policy = out.join("policy.toml");
            println!("{} {}", cx.t("已生成", "generated"), out.display());
            println!(
                "{} kehou --policy {} --data {} plan --week 2026-12-07",
                cx.t("使用:", "use:"),
                policy.display(),
                out.display()
            );
            return Ok(0);
        }
        o => {
            return Err(Error::Usage(format!(
                "{}: {o}; {}",
                cx.t("未知的配置", "unknown profile"),
                cx.t(
                    "应为 demo、large、custom 或 realistic",
                    "expected demo, large, custom or realistic"
                )
            )))
        }
    };
    synth::write(&synth::generate(&p), out)?;
    println!("{} {}", cx.t("已生成", "generated"), out.display());
    Ok(0)
}

fn out_of_range(cx: &Ctx, flag: &str, n: u32, max: u32) -> Error {
    Error::Usage(match cx.lang {
        Lang::Zh => format!("{flag} {n} 超出范围: 应为 1 到 {max}"),
        Lang::En => format!("{flag} {n} is out of range: expected 1 to {max}"),
    })
}
