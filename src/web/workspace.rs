//! A school's workspace: one folder holding `policy.toml` (and the
//! calendar files it lists, relative to it), `data/` (the school's CSV
//! files) and `kehou.db` (the record). The demo school's files are built
//! into the binary, so `kehou serve` can create a working school from any
//! directory, offline.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::outputs::files::write_atomic;

/// The shipped demo school: (path inside the workspace, contents).
const DEMO_FILES: &[(&str, &[u8])] = &[
    (
        "policy.toml",
        include_bytes!("../../policies/demo.toml").as_slice(),
    ),
    (
        "calendar/cn-2026.toml",
        include_bytes!("../../policies/calendar/cn-2026.toml").as_slice(),
    ),
    (
        "data/classes.csv",
        include_bytes!("../../datasets/demo/classes.csv").as_slice(),
    ),
    (
        "data/clubs.csv",
        include_bytes!("../../datasets/demo/clubs.csv").as_slice(),
    ),
    (
        "data/enrollment.csv",
        include_bytes!("../../datasets/demo/enrollment.csv").as_slice(),
    ),
    (
        "data/leave.csv",
        include_bytes!("../../datasets/demo/leave.csv").as_slice(),
    ),
    (
        "data/staff.csv",
        include_bytes!("../../datasets/demo/staff.csv").as_slice(),
    ),
];

/// The folder `kehou serve` uses without `--workspace`.
pub const DEMO_DIR: &str = "kehou-demo";

/// Where a school's files are.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub policy: PathBuf,
    pub data: PathBuf,
    pub record: PathBuf,
}

impl Workspace {
    fn paths(root: &Path) -> Workspace {
        Workspace {
            root: root.to_path_buf(),
            policy: root.join("policy.toml"),
            data: root.join("data"),
            record: root.join("kehou.db"),
        }
    }

    /// An existing school's workspace; an error naming what is missing.
    pub fn open(root: &Path) -> Result<Workspace> {
        let ws = Workspace::paths(root);
        for (path, what) in [(&ws.policy, "policy.toml"), (&ws.data, "data/")] {
            if !path.exists() {
                let root = root.display();
                return Err(Error::Mistake(crate::error::Said::new(
                    format!("{root}: 工作目录缺少 {what} (工作目录中应有 policy.toml、存放学校 CSV 文件的 data/ 和 kehou.db)"),
                    format!("{root}: no {what} (a workspace holds policy.toml, data/ with the school's CSV files, and kehou.db)"),
                )));
            }
        }
        Ok(ws)
    }

    /// The demo school at `root`, created from the shipped files when the
    /// folder has no policy yet; `true` when it was created now.
    pub fn demo(root: &Path) -> Result<(Workspace, bool)> {
        let ws = Workspace::paths(root);
        if ws.policy.exists() {
            return Ok((ws, false));
        }
        for (rel, bytes) in DEMO_FILES {
            write_atomic(&root.join(rel), bytes)?;
        }
        Ok((ws, true))
    }

    /// The policy and the school data, validated.
    pub fn load(&self) -> Result<(Policy, School)> {
        let policy = crate::input::policy::load(&self.policy)?;
        let mut school = crate::input::school::load(&self.data, &policy)?;
        school.attends = crate::record::applications::attends_in(&self.record)?;
        Ok((policy, school))
    }
}
