//! What-if studies run from the browser: each runs `studies::whatif` on
//! the blocking pool (its scenarios in parallel on rayon's threads), at
//! most [`MAX_RUNNING`] at a time; the study page shows which scenarios
//! have ended and refreshes itself until all have. Studies live in memory
//! until the server stops; their scenario file can be downloaded.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::error::Said;
use crate::lang::Lang;
use crate::studies::scenario_file::ScenarioFile;
use crate::studies::whatif::{self, Outcome, Study};

use super::Shared;

/// Studies running at once; another waits for one of them to end.
pub(crate) const MAX_RUNNING: usize = 2;

/// One scenario's result: its outcome, or why it failed in both languages.
pub(crate) type Result1 = (String, Result<Outcome, Said>);

#[derive(Debug, Clone)]
pub(crate) enum State {
    Running {
        since: Instant,
        /// The scenarios ended so far, by name.
        done: Arc<Mutex<Vec<String>>>,
    },
    Done {
        results: Arc<Vec<Result1>>,
        seconds: f64,
    },
    /// The study as a whole could not start (the school's files).
    Failed(Said),
}

/// A study of this server.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub id: u64,
    pub title: String,
    pub by: String,
    /// Local time it started, `YYYY-MM-DD HH:MM`.
    pub at: String,
    /// The scenario file as the CLI reads it.
    pub file: ScenarioFile,
    pub state: State,
}

impl Entry {
    /// Scenarios including the baseline.
    pub fn total(&self) -> usize {
        self.file.scenarios.len() + 1
    }
}

#[derive(Default)]
pub(crate) struct Studies {
    map: Mutex<BTreeMap<u64, Entry>>,
    next: AtomicU64,
}

impl Studies {
    pub fn get(&self, id: u64) -> Option<Entry> {
        self.map.lock().ok()?.get(&id).cloned()
    }

    /// Every study, newest first.
    pub fn list(&self) -> Vec<Entry> {
        self.map
            .lock()
            .map(|m| m.values().rev().cloned().collect())
            .unwrap_or_default()
    }

    fn running(m: &BTreeMap<u64, Entry>) -> usize {
        m.values()
            .filter(|e| matches!(e.state, State::Running { .. }))
            .count()
    }

    fn set(&self, id: u64, state: State) {
        if let Ok(mut m) = self.map.lock() {
            if let Some(e) = m.get_mut(&id) {
                e.state = state;
            }
        }
    }

    /// Start a study of the workspace's school; its id, or None when
    /// [`MAX_RUNNING`] studies already run.
    pub fn start(st: &Shared, title: &str, file: ScenarioFile, by: &str) -> Option<u64> {
        let done = Arc::new(Mutex::new(Vec::new()));
        let id = {
            let mut m = st.studies.map.lock().ok()?;
            if Self::running(&m) >= MAX_RUNNING {
                return None;
            }
            let id = st.studies.next.fetch_add(1, Ordering::Relaxed) + 1;
            m.insert(
                id,
                Entry {
                    id,
                    title: title.to_string(),
                    by: by.to_string(),
                    at: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
                    file: file.clone(),
                    state: State::Running {
                        since: Instant::now(),
                        done: done.clone(),
                    },
                },
            );
            id
        };
        let st = st.clone();
        tokio::task::spawn_blocking(move || {
            let t0 = Instant::now();
            let state = match study_of(&st, &file) {
                Ok(study) => {
                    let tell = |name: &str| {
                        if let Ok(mut d) = done.lock() {
                            d.push(name.to_string());
                        }
                    };
                    let results = whatif::run_with(&study, None, &tell)
                        .into_iter()
                        .map(|(n, r)| (n, r.map_err(|e| said(&e))))
                        .collect();
                    State::Done {
                        results: Arc::new(results),
                        seconds: t0.elapsed().as_secs_f64(),
                    }
                }
                Err(e) => State::Failed(said(&e)),
            };
            st.studies.set(id, state);
        });
        Some(id)
    }
}

fn said(e: &crate::error::Error) -> Said {
    Said::new(e.render(Lang::Zh), e.render(Lang::En))
}

/// The study of the workspace's policy and data (whatever paths an
/// uploaded file names), over the file's weeks and scenarios.
pub(crate) fn study_of(st: &Shared, file: &ScenarioFile) -> crate::error::Result<Study> {
    let mut study = Study::new(&st.ws.policy, &st.ws.data, file.weeks.clone())?;
    study.scenarios = file.scenarios.clone();
    study.attends = st.now().school.attends.clone();
    Ok(study)
}
