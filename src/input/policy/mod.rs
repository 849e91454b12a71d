//! Reading and validating the policy file: `raw` mirrors the TOML, and one
//! compile step per section checks it and builds the model, all reporting
//! into one list of diagnostics.

mod bands;
mod blackouts;
mod calendar;
mod ctx;
mod duty;
mod duty_kinds;
pub mod edit;
pub mod form;
mod pay;
mod preferences;
mod raw;
mod seasons;
mod sessions;
mod staff;

use std::path::Path;

use crate::error::{Diagnostics, Error, Result, Said};
use crate::input::toml_source::{Seg, TomlSource};
use crate::model::policy::Policy;
use ctx::{keys, Ctx};
use sessions::Known;

pub use sessions::{part_name, part_named};

/// Read and validate a policy file, reporting every problem found.
pub fn load(path: &Path) -> Result<Policy> {
    let src = TomlSource::read(path)?;
    load_source(path, src)
}

/// A policy from text, as if it were the file `path` (national calendar
/// files are found relative to it). Used by scenarios that edit a policy.
pub fn load_text(path: &Path, text: &str) -> Result<Policy> {
    load_source(path, TomlSource::new(path, text.to_string()))
}

fn load_source(path: &Path, src: TomlSource) -> Result<Policy> {
    let (file, mut diags) = match src.parse::<raw::PolicyFile>() {
        Ok((f, unknown)) => (f, Diagnostics([unknown, src.bad_text()].concat())),
        Err(ds) => return Err(Error::Invalid(ds)),
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let national = read_national(base, &src, &file.calendar.national, &mut diags)?;
    let policy = compile(&src, file, &national, &mut diags);
    diags.into_result(policy)
}

/// The national calendar files the policy names, relative to `base`; files
/// that cannot be read or parsed are reported and left out.
fn read_national(
    base: &Path,
    src: &TomlSource,
    names: &[String],
    diags: &mut Diagnostics,
) -> Result<Vec<(TomlSource, raw::NationalFile)>> {
    let mut national = Vec::new();
    for (i, rel) in names.iter().enumerate() {
        match TomlSource::read(&base.join(rel)) {
            Ok(nsrc) => match nsrc.parse::<raw::NationalFile>() {
                Ok((n, unknown)) => {
                    diags.0.extend(unknown);
                    diags.0.extend(nsrc.bad_text());
                    national.push((nsrc, n));
                }
                Err(ds) => diags.0.extend(ds),
            },
            Err(Error::Read { .. }) => diags.push(src.diag(
                &[Seg::from("calendar"), Seg::from("national"), Seg::Index(i)],
                Said::new(
                    format!("\"{rel}\", 无法读取"),
                    format!("\"{rel}\", which cannot be read"),
                ),
                Said::new(
                    "相对于政策文件的日历文件路径",
                    "a calendar file path relative to the policy file",
                ),
            )),
            Err(Error::Invalid(ds)) => diags.0.extend(ds),
            Err(e) => return Err(e),
        }
    }
    Ok(national)
}

/// The compile steps, in the order their diagnostics are reported.
fn compile(
    src: &TomlSource,
    f: raw::PolicyFile,
    national: &[(TomlSource, raw::NationalFile)],
    diags: &mut Diagnostics,
) -> Policy {
    let mut c = Ctx { src, diags };
    let work_end = c.time(keys!["school", "work_end"], &f.school.work_end);
    let bands = bands::compile(&mut c, &f.grade_bands);
    let sessions = sessions::compile(&mut c, &f.sessions);
    let known = Known {
        sessions: &sessions,
        bands: &bands,
    };
    let seasons = seasons::compile(&mut c, &f.seasons, &known);
    let service_blackouts = blackouts::service(&mut c, &f.service_blackouts, &known);
    let staff_blackouts = blackouts::staff(&mut c, &f.staff_blackouts, &known);
    let duty_kinds = duty_kinds::compile(&mut c, &f.duty_kinds, &known);
    let rules = staff::rules(&mut c, &f.staff_rules);
    let exemptions = staff::exemptions(&mut c, &f.exemptions, work_end, &known);
    let pay = pay::compile(&mut c, &f.pay);
    let comp = pay::comp(&mut c, f.comp.as_ref(), work_end);
    let prefs = preferences::preferences(&mut c, f.preferences.as_ref());
    let solver = preferences::solver(&mut c, f.solver.as_ref());
    let calendar = calendar::compile_calendar(&mut c, &f.calendar, national);
    let duty = duty::compile(&mut c, f.duty.as_ref());
    Policy {
        file: src.file.clone(),
        school_name: f.school.name,
        work_end,
        calendar,
        grade_bands: bands,
        sessions,
        seasons,
        service_blackouts,
        staff_blackouts,
        duty_kinds,
        rules,
        exemptions,
        pay,
        comp,
        prefs,
        solver,
        duty,
    }
}
