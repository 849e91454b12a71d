//! Column generation (Dantzig–Wolfe) over people's weeks, for tiers 1–5.
//!
//! A column is one person's whole week (a *pattern*): no overlap, daily
//! and weekly limits, and a load within the probed cap. People with the
//! same eligible pools, quota and term-to-date load are interchangeable, so
//! they form one cohort with one convexity row of their headcount
//! (symmetry removed). The master LP minimises uncovered demand; if even
//! its optimum exceeds tier 1's, no roster reaches the probed level. The
//! pattern polytope sees the lumpiness of each person's week that the
//! compact LP averages away.
//!
//! Parts: `cohorts` (who is interchangeable, their day choices and
//! reachable loads), `master` (the master LP and its column generation),
//! `pricing` (the best week for a cohort under duals), `diving`, `branch`
//! (price-and-branch over the known weeks) and `modes` (what each tier
//! asks of the patterns).

use std::cell::Cell;
use std::collections::BTreeMap;
use std::time::Instant;

use super::bounds::Carried;
use super::instance::Instance;
use super::pool::Roster;
use super::tol::LOAD_EQ;
use super::types::Stop;

mod branch;
mod cohorts;
mod diving;
mod master;
mod modes;
mod pricing;

use cohorts::Cohort;

/// One person's week: a column of the master.
struct Pattern {
    cohort: usize,
    pools: Vec<usize>,
    load: i64,
    /// Preference penalty (when cohorts are split by preferences; else 0).
    pref: f64,
}

/// Cohort index of staff without any eligible pool.
const NO_COHORT: usize = usize::MAX;

pub(crate) struct Dw<'m, 'a> {
    m: &'m Instance<'a>,
    cohorts: Vec<Cohort>,
    /// Cohort of each staff member (`NO_COHORT`: no eligible pool).
    cohort_of: Vec<usize>,
    patterns: Vec<Pattern>,
    /// Longest the current tier's run may take; past it, a probe counts
    /// the level as not ruled out.
    deadline: Instant,
    /// Cohorts split by preferences too (own classes, avoided duties), and
    /// day choices carry their preference penalty: for tier 5.
    prefs: bool,
    lp_solves: u32,
    /// From tier 3 on: the fair staff's total load (units) every roster
    /// must carry (tier 2b's optimum).
    pub(crate) floor: Option<Carried>,
    /// The budget a solve of the current tier ran into (time or nodes),
    /// for the report of a tier left unproven.
    pub(crate) hit: Cell<Option<Stop>>,
}

/// A costed mode (tiers 3–5): every fair person holds exactly one week
/// (the empty one included), open seats are capped instead of costed,
/// and weeks cost what `cost` says.
#[derive(Clone, Copy)]
pub(crate) struct Costed {
    /// The average relative load of the fair staff.
    pub(crate) center: f64,
    /// Most seats that may stay open (tier 1's optimum).
    pub(crate) uncovered: f64,
    pub(crate) cost: Cost,
}

/// What a week costs its owner in a costed mode.
#[derive(Clone, Copy)]
pub(crate) enum Cost {
    /// Tier 2b: minus its load in hours, for a fair person (the most
    /// load the fair staff can carry).
    Covered,
    /// Tier 3: the distance of its relative load outside the tier-3 band
    /// around the average.
    Spread,
    /// Tier 4: the squared distance from the average.
    Balance,
    /// Tier 5: its preference penalty, while the balance sum stays within
    /// `keep_balance` (tier 4's optimum).
    Preferences { keep_balance: f64 },
}

impl Costed {
    fn keeps_balance(mode: Option<Costed>) -> bool {
        mode.is_some_and(|m| matches!(m.cost, Cost::Preferences { .. }))
    }
}

/// Outcome of one probe.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Probe {
    /// No roster keeps everyone within the caps (proved by the LP).
    RuledOut,
    /// The LP cannot rule the level out (or ran out of time).
    Open,
}

impl<'m, 'a> Dw<'m, 'a> {
    /// `prefs`: split cohorts by preferences too and price day choices
    /// with their penalty (tier 5). `windows`: split cohorts by each fair
    /// person's own tier-3 distance (shortfall, excess), so that every
    /// member of a cohort has the same band (tiers 4 and 5).
    pub(crate) fn new(
        m: &'m Instance<'a>,
        prefs: bool,
        windows: Option<&[(f64, f64)]>,
    ) -> Dw<'m, 'a> {
        let (cohorts, cohort_of) = cohorts::cohorts(m, prefs, windows);
        Dw {
            m,
            cohorts,
            cohort_of,
            patterns: Vec::new(),
            deadline: Instant::now(),
            prefs,
            lp_solves: 0,
            floor: None,
            hit: Cell::new(None),
        }
    }

    /// (cohorts, week patterns, LP solves) so far.
    pub(crate) fn sizes(&self) -> (usize, usize, u32) {
        (self.cohorts.len(), self.patterns.len(), self.lp_solves)
    }

    /// Start a tier's run: until `deadline`, with a known roster's weeks
    /// in the column pool.
    pub(crate) fn begin(&mut self, deadline: Instant, roster: &[Vec<usize>]) {
        self.deadline = deadline;
        self.hit.set(None);
        let mut weeks: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (p, ss) in roster.iter().enumerate() {
            for &s in ss {
                weeks.entry(s).or_default().push(p);
            }
        }
        for (s, pools) in weeks {
            let cohort = self.cohort_of[s];
            if cohort == NO_COHORT
                || self
                    .patterns
                    .iter()
                    .any(|q| q.cohort == cohort && q.pools == pools)
            {
                continue;
            }
            self.patterns.push(Pattern {
                cohort,
                load: pools.iter().map(|&p| self.m.pools[p].load).sum(),
                pref: self.pattern_pref(s, &pools),
                pools,
            });
        }
    }

    /// Tier 2's candidate levels below `ub`, then `ub`: the highest
    /// relative load is always one some fair person can actually reach.
    pub(crate) fn levels(&self, ub: f64) -> Vec<f64> {
        let floor0 = self
            .m
            .fair
            .iter()
            .map(|&s| self.m.rel(s, 0))
            .fold(0.0, f64::max);
        let mut levels: Vec<f64> = self
            .cohorts
            .iter()
            .filter_map(|c| c.reach.as_ref().map(|r| (c.rep, r)))
            .flat_map(|(rep, r)| r.iter().map(move |&a| self.m.rel(rep, a)))
            .filter(|&v| v >= floor0 - LOAD_EQ && v < ub - LOAD_EQ)
            .collect();
        levels.push(ub);
        levels.sort_by(f64::total_cmp);
        levels.dedup_by(|a, b| (*a - *b).abs() < LOAD_EQ);
        levels
    }

    /// Per fair person (in `Instance::fair` order), the highest relative
    /// load they can reach at level `v`: caps for the compact model.
    pub(crate) fn fair_caps(&self, v: f64) -> Vec<f64> {
        self.m
            .fair
            .iter()
            .map(|&s| {
                let k = self.cohort_of[s];
                let a = if k == NO_COHORT {
                    0
                } else {
                    self.cap(k, v).max(0)
                };
                self.m.rel(s, a) + LOAD_EQ
            })
            .collect()
    }

    /// The highest load cohort `k` may carry at level `v` (in load units).
    fn cap(&self, k: usize, v: f64) -> i64 {
        let c = &self.cohorts[k];
        match &c.reach {
            None => i64::MAX,
            Some(r) => r
                .iter()
                .rev()
                .find(|&&a| self.m.rel(c.rep, a) <= v + LOAD_EQ)
                .copied()
                .unwrap_or(-1),
        }
    }

    /// Every cohort's cap at level `v`.
    fn caps(&self, v: f64) -> Vec<i64> {
        (0..self.cohorts.len()).map(|k| self.cap(k, v)).collect()
    }

    fn pattern_pref(&self, s: usize, pools: &[usize]) -> f64 {
        if self.prefs {
            self.m.week_pref(s, pools)
        } else {
            0.0
        }
    }

    /// The roster of a list of weeks (pattern indices, one per person):
    /// each cohort's weeks go to its members in id order. None if a
    /// cohort has more weeks than members.
    fn roster(&self, weeks: &[usize]) -> Option<Roster> {
        let mut next = vec![0usize; self.cohorts.len()];
        let mut chosen: Roster = vec![Vec::new(); self.m.pools.len()];
        for &i in weeks {
            let k = self.patterns[i].cohort;
            let &s = self.cohorts[k].members.get(next[k])?;
            next[k] += 1;
            for &p in &self.patterns[i].pools {
                chosen[p].push(s);
            }
        }
        // Seats beyond the need: drop the extra people (loads only fall).
        for (p, ss) in chosen.iter_mut().enumerate() {
            ss.sort_unstable();
            ss.truncate(self.m.pools[p].need as usize);
        }
        Some(chosen)
    }
}
