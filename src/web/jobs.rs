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

use crate::error::{Error, Result, Said};
use crate::lang::Lang;
use crate::plan::Plan;
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
}

/// A week's planning job.
#[derive(Debug, Clone)]
pub(crate) enum Job {
    Running { since: Instant, by: String },
    Done(Arc<Draft>),
    Failed(Said),
}

#[derive(Default)]
pub(crate) struct Jobs {
    map: Mutex<HashMap<NaiveDate, Job>>,
    next: AtomicU64,
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

    /// Start planning the week unless a plan of it is running; whether it
    /// started.
    pub fn start(st: &Shared, monday: NaiveDate, by: &str) -> bool {
        {
            let Ok(mut m) = st.jobs.map.lock() else {
                return false;
            };
            if matches!(m.get(&monday), Some(Job::Running { .. })) {
                return false;
            }
            let since = Instant::now();
            m.insert(
                monday,
                Job::Running {
                    since,
                    by: by.to_string(),
                },
            );
        }
        let st = st.clone();
        let by = by.to_string();
        tokio::task::spawn_blocking(move || {
            let job = match run(&st, monday, &by) {
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
fn run(st: &Shared, monday: NaiveDate, by: &str) -> Result<Draft> {
    let t0 = Instant::now();
    let p = &st.policy;
    let mut s = st.school.clone();
    calendar::require_national(p, monday, monday + Days::new(6))?;
    st.with_record(|rec| rec.read(|tx| ledger::add_term_load(p, &mut s, tx, monday)))?;
    let dm = demand::week(p, &s, monday);
    let plan = plan::plan(p, &s, &dm, &plan::Options::from_policy(p))?;
    let violations = check::check(p, &s, &dm, &roster::from_plan(&s, &plan));
    if !violations.is_empty() {
        let list = |l: Lang| {
            violations
                .iter()
                .map(|v| v.render(l))
                .collect::<Vec<_>>()
                .join("\n")
        };
        return Err(Error::Refused(vec![Said::new(
            format!("排班未通过独立检查, 未保存:\n{}", list(Lang::Zh)),
            format!(
                "the roster failed the independent check, so it was not kept:\n{}",
                list(Lang::En)
            ),
        )]));
    }
    let bytes = outputs::roster_csv::to_csv(p, &s, &plan, Lang::Zh);
    Ok(Draft {
        id: st.jobs.next.fetch_add(1, Ordering::Relaxed) + 1,
        plan,
        bytes,
        by: by.to_string(),
        seconds: t0.elapsed().as_secs_f64(),
    })
}
