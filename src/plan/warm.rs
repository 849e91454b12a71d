//! The greedy warm start: a quick balanced roster (HiGHS and the
//! patterns prove; this only gives them a good incumbent).

use std::collections::BTreeSet;

use super::instance::Instance;
use super::pool::Roster;
use super::tol::IMPROVES;

/// Moves and swaps tried at most while the highest load drops.
const MAX_STEPS: usize = 20_000;

/// A quick balanced roster: high-priority, then scarce pools first, each seat to the
/// eligible person with the lowest relative load after taking it; then
/// moves and swaps away from the busiest person while the maximum drops.
pub(crate) fn greedy(m: &Instance) -> Roster {
    let mut st = Greedy::new(m);
    for &(s, p) in &m.pins {
        if st.fits(s, p) {
            st.take(s, p);
        }
    }
    let mut order: Vec<usize> = (0..m.pools.len()).collect();
    order.sort_by(|&a, &b| {
        let ka = m.pools[a].eligible.len() as f64 / f64::from(m.pools[a].need.max(1));
        let kb = m.pools[b].eligible.len() as f64 / f64::from(m.pools[b].need.max(1));
        // Required duties first, then high (tier 1 leaves them open last).
        (m.pools[a].priority.cmp(&m.pools[b].priority))
            .then(ka.total_cmp(&kb))
            .then(m.pools[b].load.cmp(&m.pools[a].load))
            .then(a.cmp(&b))
    });
    for p in order {
        while (st.chosen[p].len() as u32) < m.pools[p].need {
            let pl = m.pools[p].load;
            let best = m.pools[p]
                .eligible
                .iter()
                .copied()
                .filter(|&s| st.fits(s, p))
                .min_by(|&a, &b| {
                    m.rel(a, st.load[a] + pl)
                        .total_cmp(&m.rel(b, st.load[b] + pl))
                        .then(a.cmp(&b))
                });
            match best {
                Some(s) => st.take(s, p),
                None => break,
            }
        }
    }
    st.improve();
    st.chosen
}

/// State of the greedy heuristic (warm start only; HiGHS proves).
struct Greedy<'m, 'a> {
    m: &'m Instance<'a>,
    chosen: Vec<Vec<usize>>,
    load: Vec<i64>,
    day_n: Vec<[u32; 7]>,
    day_m: Vec<[u32; 7]>,
    week_n: Vec<u32>,
    week_m: Vec<u32>,
    busy: Vec<Vec<usize>>,
    pinned: BTreeSet<(usize, usize)>,
}

impl<'m, 'a> Greedy<'m, 'a> {
    fn new(m: &'m Instance<'a>) -> Self {
        let n = m.school.staff.len();
        Greedy {
            m,
            chosen: vec![Vec::new(); m.pools.len()],
            load: vec![0; n],
            day_n: vec![[0; 7]; n],
            day_m: vec![[0; 7]; n],
            week_n: vec![0; n],
            week_m: vec![0; n],
            busy: vec![Vec::new(); n],
            pinned: m.pins.iter().copied().collect(),
        }
    }

    fn fits(&self, s: usize, p: usize) -> bool {
        let r = &self.m.policy.rules;
        let pl = &self.m.pools[p];
        let d = pl.day.min(6);
        self.day_n[s][d] < r.max_duties_per_day
            && self.day_m[s][d] + pl.minutes <= r.max_minutes_per_day
            && self.week_n[s] < r.max_duties_per_week
            && self.week_m[s] + pl.minutes <= r.max_minutes_per_week
            && !self.busy[s].iter().any(|&q| {
                let o = &self.m.pools[q];
                q == p || (o.day == pl.day && o.start < pl.end && pl.start < o.end)
            })
    }

    fn apply(&mut self, s: usize, p: usize, sign: i64) {
        let pl = &self.m.pools[p];
        let d = pl.day.min(6);
        let k = sign as i32;
        self.load[s] += sign * pl.load;
        self.day_n[s][d] = (self.day_n[s][d] as i32 + k) as u32;
        self.day_m[s][d] = (self.day_m[s][d] as i64 + sign * i64::from(pl.minutes)) as u32;
        self.week_n[s] = (self.week_n[s] as i32 + k) as u32;
        self.week_m[s] = (self.week_m[s] as i64 + sign * i64::from(pl.minutes)) as u32;
        if sign > 0 {
            self.chosen[p].push(s);
            self.busy[s].push(p);
        } else {
            self.chosen[p].retain(|&x| x != s);
            self.busy[s].retain(|&x| x != p);
        }
    }

    fn take(&mut self, s: usize, p: usize) {
        self.apply(s, p, 1);
    }

    fn eligible(&self, s: usize, p: usize) -> bool {
        self.m.pools[p].eligible.binary_search(&s).is_ok()
    }

    /// Lower the maximum relative load by moves, then swaps.
    fn improve(&mut self) {
        let fair = self.m.fair.clone();
        for _ in 0..MAX_STEPS {
            let Some(&top) = fair.iter().max_by(|&&a, &&b| {
                self.m
                    .rel(a, self.load[a])
                    .total_cmp(&self.m.rel(b, self.load[b]))
                    .then(b.cmp(&a))
            }) else {
                return;
            };
            let hi = self.m.rel(top, self.load[top]);
            if !self.step(top, hi) {
                return;
            }
        }
    }

    /// One improving move or swap for the busiest person; false if none.
    fn step(&mut self, top: usize, hi: f64) -> bool {
        let mine: Vec<usize> = self.busy[top]
            .iter()
            .copied()
            .filter(|&p| !self.pinned.contains(&(top, p)))
            .collect();
        self.try_move(top, hi, &mine) || self.try_swap(top, hi, &mine)
    }

    /// Move: give one of `mine` (top's unpinned pools) to someone who
    /// stays below `hi`.
    fn try_move(&mut self, top: usize, hi: f64, mine: &[usize]) -> bool {
        let eps = IMPROVES;
        for &p in mine {
            let pl = self.m.pools[p].load;
            self.apply(top, p, -1);
            let best = self.m.pools[p]
                .eligible
                .iter()
                .copied()
                .filter(|&t| t != top && self.fits(t, p))
                .map(|t| (self.m.rel(t, self.load[t] + pl), t))
                .filter(|(r, _)| *r < hi - eps)
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            if let Some((_, t)) = best {
                self.take(t, p);
                return true;
            }
            self.take(top, p);
        }
        false
    }

    /// Swap: top gives p to t and takes t's lighter q, both ending
    /// below `hi`.
    fn try_swap(&mut self, top: usize, hi: f64, mine: &[usize]) -> bool {
        let eps = IMPROVES;
        for &p in mine {
            let lp = self.m.pools[p].load;
            for &t in &self.m.pools[p].eligible.clone() {
                if t == top || self.chosen[p].contains(&t) {
                    continue;
                }
                let theirs: Vec<usize> = self.busy[t]
                    .iter()
                    .copied()
                    .filter(|&q| {
                        self.m.pools[q].load < lp
                            && self.eligible(top, q)
                            && !self.pinned.contains(&(t, q))
                            && !self.chosen[q].contains(&top)
                    })
                    .collect();
                for q in theirs {
                    let lq = self.m.pools[q].load;
                    let new_t = self.m.rel(t, self.load[t] - lq + lp);
                    let new_top = self.m.rel(top, self.load[top] - lp + lq);
                    if new_t >= hi - eps || new_top >= hi - eps {
                        continue;
                    }
                    self.apply(top, p, -1);
                    self.apply(t, q, -1);
                    if self.fits(t, p) && self.fits(top, q) {
                        self.take(t, p);
                        self.take(top, q);
                        return true;
                    }
                    self.take(t, q);
                    self.take(top, p);
                }
            }
        }
        false
    }
}
