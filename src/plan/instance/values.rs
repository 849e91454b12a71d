//! Measures of a roster that both solvers and the tiers read: loads,
//! relative loads, open seats, changes, distances and preferences.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::policy::Part;
use crate::model::school::LOAD_PER_HOUR;

use super::Instance;
use crate::plan::pool::Pool;

impl Instance<'_> {
    pub(crate) fn prior(&self, s: usize) -> f64 {
        self.school.served.get(&s).copied().unwrap_or(0) as f64 / LOAD_PER_HOUR as f64
    }

    pub(crate) fn rel(&self, s: usize, load: i64) -> f64 {
        (load as f64 / LOAD_PER_HOUR as f64 + self.prior(s)) / self.school.staff[s].quota.as_f64()
    }

    pub(crate) fn loads(&self, chosen: &[Vec<usize>]) -> Vec<i64> {
        let mut l = vec![0i64; self.school.staff.len()];
        for (p, ss) in chosen.iter().enumerate() {
            for &s in ss {
                l[s] += self.pools[p].load;
            }
        }
        l
    }

    /// Tier 1: open seats, each weighted by its priority (`open_cost`).
    pub(crate) fn uncovered(&self, chosen: &[Vec<usize>]) -> f64 {
        chosen
            .iter()
            .enumerate()
            .map(|(p, ss)| (f64::from(self.pools[p].need) - ss.len() as f64) * self.open_cost[p])
            .sum()
    }

    /// Assignments added or removed against the baseline (repair).
    pub(crate) fn changes(&self, chosen: &[Vec<usize>]) -> usize {
        let now: BTreeSet<(usize, usize)> = chosen
            .iter()
            .enumerate()
            .flat_map(|(p, ss)| ss.iter().map(move |&s| (s, p)))
            .collect();
        self.baseline.symmetric_difference(&now).count()
    }

    /// Tier "replacement-load" (repair): the sum of relative loads before
    /// the repair over added assignments.
    pub(crate) fn replacement(&self, chosen: &[Vec<usize>]) -> f64 {
        let mut v = 0.0;
        for (p, ss) in chosen.iter().enumerate() {
            for &s in ss {
                if !self.baseline.contains(&(s, p)) {
                    v += self.base_rel[s];
                }
            }
        }
        v
    }

    /// The fair staff's total load this week (load units): tier 2b keeps
    /// its optimum, which fixes the average tiers 3-5 measure from.
    pub(crate) fn fair_load(&self, chosen: &[Vec<usize>]) -> i64 {
        let l = self.loads(chosen);
        self.fair.iter().map(|&s| l[s]).sum()
    }

    /// Every seat's load (units): what tier 2b's value counts down from.
    pub(crate) fn demand_load(&self) -> i64 {
        self.pools.iter().map(|p| i64::from(p.need) * p.load).sum()
    }

    /// The most the fair staff could carry if nothing else limited them:
    /// each pool's load times its seats that some fair person may take.
    pub(crate) fn fair_load_cap(&self) -> i64 {
        self.pools
            .iter()
            .map(|p| {
                let fair = p
                    .eligible
                    .iter()
                    .filter(|s| self.fair.binary_search(s).is_ok())
                    .count();
                i64::from(p.need).min(fair as i64) * p.load
            })
            .sum()
    }

    /// Tier 2b's value: hours of the week's seats the fair staff do not
    /// carry (left open, or taken by people outside fairness).
    pub(crate) fn not_carried(&self, chosen: &[Vec<usize>]) -> f64 {
        (self.demand_load() - self.fair_load(chosen)) as f64 / LOAD_PER_HOUR as f64
    }

    /// Total relative load over total quota of the fair staff (fixed once
    /// tier 2b fixes the fair staff's total load).
    pub(crate) fn avg_rel(&self, chosen: &[Vec<usize>]) -> f64 {
        let l = self.loads(chosen);
        let load: f64 = self
            .fair
            .iter()
            .map(|&s| l[s] as f64 / LOAD_PER_HOUR as f64 + self.prior(s))
            .sum();
        let quota: f64 = self
            .fair
            .iter()
            .map(|&s| self.school.staff[s].quota.as_f64())
            .sum();
        if quota > 0.0 {
            load / quota
        } else {
            0.0
        }
    }

    pub(crate) fn max_rel(&self, chosen: &[Vec<usize>]) -> f64 {
        self.rel_loads(chosen).into_iter().fold(0.0, f64::max)
    }

    /// The preference penalty of person `s` holding `pools` (any days):
    /// per day, own-class bonus, avoided-duty penalty, continuity bonus
    /// per pair of consecutive afternoon stages, and the noon-and-afternoon
    /// penalty; the compact model's tier-5 objective, one person at a time.
    pub(crate) fn week_pref(&self, s: usize, pools: &[usize]) -> f64 {
        let w = &self.policy.prefs;
        let mut v = 0.0;
        for &p in pools {
            if self.own.contains(&(s, p)) {
                v -= f64::from(w.own_class);
            }
            if self.avoid.contains(&(s, p)) {
                v += f64::from(w.personal_request);
            }
        }
        let mut days: Vec<usize> = pools.iter().map(|&p| self.pools[p].day).collect();
        days.sort_unstable();
        days.dedup();
        for d in days {
            let on = |f: &dyn Fn(&Pool) -> bool| {
                pools
                    .iter()
                    .any(|&p| self.pools[p].day == d && f(&self.pools[p]))
            };
            for a in self.afternoon.windows(2) {
                if on(&|pl| pl.session == a[0]) && on(&|pl| pl.session == a[1]) {
                    v -= f64::from(w.continuity);
                }
            }
            if on(&|pl| pl.part == Part::Noon) && on(&|pl| pl.part == Part::Afternoon) {
                v += f64::from(w.noon_and_afternoon);
            }
        }
        v
    }

    /// The preference penalty of a roster (tier 5's objective).
    pub(crate) fn pref_value(&self, chosen: &[Vec<usize>]) -> f64 {
        let mut weeks: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (p, ss) in chosen.iter().enumerate() {
            for &s in ss {
                weeks.entry(s).or_default().push(p);
            }
        }
        weeks.iter().map(|(&s, ps)| self.week_pref(s, ps)).sum()
    }

    /// Tier 4's objective: the sum over fair staff of the squared distance
    /// of their relative load from `center`.
    pub(crate) fn balance_value(&self, chosen: &[Vec<usize>], center: f64) -> f64 {
        self.rel_loads(chosen)
            .iter()
            .map(|r| (r - center).powi(2))
            .sum()
    }

    /// Tier 3's objective around `center`: the sum over fair staff of
    /// their distance outside the band.
    pub(crate) fn spread_value(&self, chosen: &[Vec<usize>], center: f64) -> f64 {
        let l = self.loads(chosen);
        self.fair
            .iter()
            .map(|&s| self.spread_distance(s, l[s], center))
            .sum()
    }

    /// Each fair person's relative load (in `fair` order).
    pub(crate) fn rel_loads(&self, chosen: &[Vec<usize>]) -> Vec<f64> {
        let l = self.loads(chosen);
        self.fair.iter().map(|&s| self.rel(s, l[s])).collect()
    }

    /// Fair person `i`'s (shortfall below, excess above) their tier-3 band
    /// around `center` at relative load `r`.
    pub(crate) fn deviation(&self, i: usize, r: f64, center: f64) -> (f64, f64) {
        (
            (center - self.delta[i] - r).max(0.0),
            (r - center - self.delta[i]).max(0.0),
        )
    }

    /// Staff member `s`'s tier-3 distance at week load `load` (0 outside
    /// fairness): what a week costs in tier 3 by patterns.
    pub(crate) fn spread_distance(&self, s: usize, load: i64, center: f64) -> f64 {
        match self.fair.binary_search(&s) {
            Ok(i) => {
                let (a, e) = self.deviation(i, self.rel(s, load), center);
                a + e
            }
            Err(_) => 0.0,
        }
    }
}
