//! Planning a week in the background: `plan::plan` runs on the blocking
//! pool while the week page shows that it runs (and refreshes itself);
//! then the page shows the draft, with each tier's value and proven bound.
//! A draft lives in memory until it is published or replaced by a new
//! plan; publishing it goes through the record (`pages::week::publish`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{Days, NaiveDate};

use crate::error::{Result, Said};
use crate::lang::Lang;
use crate::plan::{Pin, Plan, Progress, TierReport};
use crate::{calendar, check, demand, ledger, outputs, plan, roster};

use super::Shared;

/// A planned week, not yet published.
#[derive(Debug)]
pub(crate) struct Draft {
    /// Changes with every new plan: a publish form names the draft it showed.
    pub id: u64,
    pub plan: Plan,
    /// The roster CSV, as `kehou plan` writes it: what is published.
    pub bytes: Vec<u8>,
    pub by: String,
    pub seconds: f64,
    pub origin: Origin,
}

/// How a draft was made: what the week page says of it and how its
/// publish is recorded.
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    /// By the planner, with each tier's proof.
    Planned,
    /// By hand edits (this many) of a planned draft or the published
    /// version: checked, with no proofs.
    Edited(u32),
    /// By repairing the published version for an absence.
    Repair {
        absent: usize,
        changes: Vec<crate::studies::repair::Change>,
    },
}

impl Origin {
    /// The `via` of the audit trail.
    pub fn via(&self) -> &'static str {
        match self {
            Origin::Planned => "kehou serve /publish",
            Origin::Edited(_) => "kehou serve /edit",
            Origin::Repair { .. } => "kehou serve /repair",
        }
    }
}

/// A week's planning job.
#[derive(Debug, Clone)]
pub(crate) enum Job {
    Running {
        since: Instant,
        by: String,
        /// The tiers ended so far, and how many the plan runs.
        done: Arc<Mutex<(Vec<TierReport>, usize)>>,
    },
    Done(Arc<Draft>),
    Failed(Said),
}

#[derive(Default)]
pub(crate) struct Jobs {
    map: Mutex<HashMap<NaiveDate, Job>>,
    next: AtomicU64,
    /// Assignments the vice-principal pinned, per week: kept by planning
    /// and repair.
    pins: Mutex<HashMap<NaiveDate, Vec<Pin>>>,
}

impl Jobs {
    /// The week's job, if any.
    pub fn get(&self, monday: NaiveDate) -> Option<Job> {
        self.map.lock().ok()?.get(&monday).cloned()
    }

    fn set(&self, monday: NaiveDate, job: Job) {
        if let Ok(mut m) = self.map.lock() {
            m.insert(monday, job);
        }
    }

    /// Keep `plan` as the week's draft (made by hand or by repair),
    /// replacing the one before unless a plan of the week is running.
    pub fn put(
        &self,
        st: &Shared,
        monday: NaiveDate,
        plan: Plan,
        by: &str,
        origin: Origin,
    ) -> Option<Arc<Draft>> {
        let bytes =
            outputs::roster_csv::to_csv(&st.now().policy, &st.now().school, &plan, Lang::Zh);
        let d = Arc::new(Draft {
            id: self.next.fetch_add(1, Ordering::Relaxed) + 1,
            plan,
            bytes,
            by: by.to_string(),
            seconds: 0.0,
            origin,
        });
        let mut m = self.map.lock().ok()?;
        if matches!(m.get(&monday), Some(Job::Running { .. })) {
            return None;
        }
        m.insert(monday, Job::Done(d.clone()));
        Some(d)
    }

    /// The week's pins.
    pub fn pins(&self, monday: NaiveDate) -> Vec<Pin> {
        self.pins
            .lock()
            .ok()
            .and_then(|m| m.get(&monday).cloned())
            .unwrap_or_default()
    }

    /// Pin or unpin one assignment of the week.
    pub fn set_pin(&self, monday: NaiveDate, pin: Pin, on: bool) {
        if let Ok(mut m) = self.pins.lock() {
            let v = m.entry(monday).or_default();
            v.retain(|p| *p != pin);
            if on {
                v.push(pin);
                v.sort_by_key(|p| (p.duty, p.staff));
            }
        }
    }

    /// Start planning the week unless a plan of it is running; whether it
    /// started.
    pub fn start(st: &Shared, monday: NaiveDate, by: &str) -> bool {
        let done = Arc::new(Mutex::new((Vec::new(), 0)));
        {
            let Ok(mut m) = st.jobs.map.lock() else {
                return false;
            };
            if matches!(m.get(&monday), Some(Job::Running { .. })) {
                return false;
            }
            m.insert(
                monday,
                Job::Running {
                    since: Instant::now(),
                    by: by.to_string(),
                    done: done.clone(),
                },
            );
        }
        let st = st.clone();
        let by = by.to_string();
        let tell = move |rep: &TierReport, of: usize| {
            if let Ok(mut g) = done.lock() {
                g.0.push(rep.clone());
                g.1 = of;
            }
        };
        let progress = Progress(Some(Arc::new(tell)));
        tokio::task::spawn_blocking(move || {
            let job = match run(&st, monday, &by, progress) {
                Ok(d) => Job::Done(Arc::new(d)),
                Err(e) => Job::Failed(Said::new(e.render(Lang::Zh), e.render(Lang::En))),
            };
            st.jobs.set(monday, job);
        });
        true
    }
}

/// Plan the week as `kehou plan` does: the term so far from the record,
/// the plan, the independent check; the roster CSV.
fn run(st: &Shared, monday: NaiveDate, by: &str, progress: Progress) -> Result<Draft> {
    let t0 = Instant::now();
    let p = &st.now().policy;
    let mut s = st.now().school.clone();
    calendar::require_national(p, monday, monday + Days::new(6))?;
    st.with_record(|rec| rec.read(|tx| ledger::add_term_load(p, &mut s, tx, monday)))?;
    let dm = demand::week(p, &s, monday);
    let mut opts = plan::Options::from_policy(p);
    opts.pins = st.jobs.pins(monday);
    opts.progress = progress;
    crate::studies::repair::check_pins(p, &s, &dm, &opts.pins, Lang::Zh)?;
    let plan = plan::plan(p, &s, &dm, &opts)?;
    let violations = check::check(p, &s, &dm, &roster::from_plan(&s, &plan));
    if !violations.is_empty() {
        return Err(check::refusal(
            &violations,
            "排班未通过独立检查, 未保存",
            "the roster failed the independent check, so it was not kept",
        ));
    }
    let bytes = outputs::roster_csv::to_csv(p, &s, &plan, Lang::Zh);
    Ok(Draft {
        id: st.jobs.next.fetch_add(1, Ordering::Relaxed) + 1,
        plan,
        bytes,
        by: by.to_string(),
        seconds: t0.elapsed().as_secs_f64(),
        origin: Origin::Planned,
    })
}
