#![allow(dead_code)]
//! The demo school of the applications page tests (tests/applications_web.rs,
//! tests/family_apply_web.rs): an office, leadership, finance and two
//! homeroom teachers (T001 of 1-1, T002), and one whole application form.

use axum::Router;
use kehou::web::{App, Role, Settings, Workspace};

use super::http::PASSWORD;

pub const PUPIL: &str = "王小明";

pub struct School {
    pub _dir: tempfile::TempDir,
    pub ws: Workspace,
    pub router: Router,
}

pub fn school() -> School {
    school_with(Settings::default())
}

/// The school, its server started with `settings`.
pub fn school_with(settings: Settings) -> School {
    let dir = tempfile::tempdir().expect("temp dir");
    let (ws, _) = Workspace::demo(&dir.path().join("demo")).expect("demo workspace");
    let app = App::with_settings(&ws, settings).expect("app");
    for (login, role, staff) in [
        ("office", Role::Admin, None),
        ("lead", Role::Leadership, None),
        ("fin", Role::Finance, None),
        ("t1", Role::Teacher, Some("T001")),
        ("t2", Role::Teacher, Some("T002")),
    ] {
        app.add_account(login, role, staff, PASSWORD)
            .expect("account");
    }
    let router = app.router();
    School {
        _dir: dir,
        ws,
        router,
    }
}

/// A whole application for 1-1: Monday and Wednesday, morning and stage 1.
pub fn form(class: &str) -> Vec<(&str, &str)> {
    vec![
        ("class", class),
        ("pupil", PUPIL),
        ("guardian", "王大明"),
        ("phone", "13800000000"),
        ("day_1", "1"),
        ("day_3", "1"),
        ("session_morning", "1"),
        ("session_stage1", "1"),
        ("club1", "C03"),
    ]
}
