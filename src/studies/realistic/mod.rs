//! The realistic synthetic school (`kehou gen --profile realistic`): a
//! policy and CSV files that look like a real school of a given number of
//! classes, with staggered dismissal by grade band, partial-week attendance,
//! exempt staff, subject study blackouts, clubs with outside instructors
//! and patrols by size. Every number is derived from the class count by
//! [`Scale::of`] (documented in docs/guide.md); same classes and seed, same
//! bytes.

mod data;
mod policy;

use std::path::Path;

use crate::input::school::Files;

/// At most this many classes (a school of 300 classes is already far larger
/// than any real primary school; the bound keeps `gen` from exhausting
/// memory on a mistyped number).
pub const MAX_CLASSES: u32 = 300;

/// A grade band with its own dismissal time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub id: &'static str,
    pub label: &'static str,
    pub grades: Vec<u32>,
}

/// A subject group's weekly study afternoon (a staff blackout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blackout {
    pub subjects: Vec<&'static str>,
    /// `mon`..`fri`.
    pub weekday: &'static str,
    pub reason: &'static str,
}

/// What a realistic school of `classes` classes has.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub classes: u32,
    /// Classes in grades 1..6 (the lower grades get the remainder).
    pub per_grade: [u32; 6],
    /// Homeroom and subject teachers: 2.4 per class.
    pub teachers: u32,
    /// Administrators: 2 + one per 6 classes.
    pub admins: u32,
    /// Clubs: 5 per 6 classes.
    pub clubs: u32,
    /// Clubs run by outside instructors (one each): a quarter of the clubs.
    pub outside: u32,
    /// Teachers pregnant or nursing: one per 23 teachers.
    pub exempt: u32,
    /// Subject teachers who do not take part: 8 % of the teachers.
    pub inactive: u32,
    /// Teachers on a half load (quota 0.5): 4 % of the teachers.
    pub reduced: u32,
    /// Dismissal waves: two below 36 classes, three from 36.
    pub bands: Vec<Band>,
    /// PE on Wednesday afternoon; from 72 classes also the arts group
    /// (music, art) on Tuesday afternoon.
    pub blackouts: Vec<Blackout>,
    /// Administrators on patrol per service day (the county rule).
    pub patrols_per_day: u32,
}

fn round(x: f64) -> u32 {
    x.round().max(0.0) as u32
}

impl Scale {
    /// The scale of a school of `classes` classes (1..=[`MAX_CLASSES`]).
    pub fn of(classes: u32) -> Scale {
        let mut per_grade = [classes / 6; 6];
        for g in per_grade.iter_mut().take((classes % 6) as usize) {
            *g += 1;
        }
        let teachers = round(f64::from(classes) * 2.4).max(classes + 1);
        let clubs = round(f64::from(classes) * 5.0 / 6.0);
        let bands = if classes < 36 {
            vec![
                band("lower", "低年级", &[1, 2]),
                band("upper", "中高年级", &[3, 4, 5, 6]),
            ]
        } else {
            vec![
                band("lower", "低年级", &[1, 2]),
                band("middle", "中年级", &[3, 4]),
                band("upper", "高年级", &[5, 6]),
            ]
        };
        let mut blackouts = vec![Blackout {
            subjects: vec!["体育"],
            weekday: "wed",
            reason: "体育组周三下午教研",
        }];
        if classes >= 72 {
            blackouts.push(Blackout {
                subjects: vec!["音乐", "美术"],
                weekday: "tue",
                reason: "艺术组周二下午教研",
            });
        }
        Scale {
            classes,
            per_grade,
            teachers,
            admins: 2 + round(f64::from(classes) / 6.0),
            clubs,
            outside: round(f64::from(clubs) / 4.0),
            exempt: round(f64::from(teachers) / 23.0),
            inactive: round(f64::from(teachers) * 0.08),
            reduced: round(f64::from(teachers) * 0.04),
            bands,
            blackouts,
            patrols_per_day: policy::patrols_per_day(classes),
        }
    }
}

fn band(id: &'static str, label: &'static str, grades: &[u32]) -> Band {
    Band {
        id,
        label,
        grades: grades.to_vec(),
    }
}

/// A generated school: its policy file and its CSV files.
#[derive(Debug, Clone)]
pub struct School {
    pub scale: Scale,
    /// policy.toml; it names `calendar/cn-2026.toml` beside it.
    pub policy: String,
    pub files: Files,
}

/// The national calendar the policy names, written beside it.
const CN_2026: &str = include_str!("../../../policies/calendar/cn-2026.toml");

/// A realistic school of `classes` classes (1..=[`MAX_CLASSES`]).
pub fn generate(classes: u32, seed: u64) -> School {
    let scale = Scale::of(classes);
    let files = data::generate(&scale, seed);
    School {
        policy: policy::text(&scale),
        scale,
        files,
    }
}

/// Write the school to `dir`: policy.toml, calendar/cn-2026.toml and the
/// CSV files, so that `kehou --policy DIR/policy.toml --data DIR` reads it.
pub fn write(s: &School, dir: &Path) -> crate::Result<()> {
    super::synth::write(&s.files, dir)?;
    let cal = dir.join("calendar");
    std::fs::create_dir_all(&cal).map_err(|source| crate::Error::Write {
        path: cal.clone(),
        source,
    })?;
    crate::outputs::files::write_atomic(&cal.join("cn-2026.toml"), CN_2026.as_bytes())?;
    crate::outputs::files::write_atomic(&dir.join("policy.toml"), s.policy.as_bytes())
}
