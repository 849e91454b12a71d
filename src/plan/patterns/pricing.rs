//! Pricing: a cohort's most valuable week under the master's duals, by a
//! layered dynamic program over days.

use super::cohorts::DaySub;
use super::{Costed, Dw};
use crate::plan::tol::PRICE_ZERO;

/// A hash map with a fixed, fast hash: iteration order, and so
/// tie-breaking in pricing, is the same on every run (std's default map is
/// seeded randomly per instance, and SipHash was a seventh of a plan's time).
type HashMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// DP state: (duties, load, minutes) so far in the week.
type St = (u32, i64, u32);
/// One DP layer: state -> (value, previous state, day choice).
type Layer = HashMap<St, (f64, St, usize)>;

/// No day choice (the day stays free).
const IDLE: usize = usize::MAX;

/// Whether a way into a state beats the one kept: a higher value, or an
/// equal one from the smaller (previous state, day choice), so the week
/// priced does not depend on the maps' iteration order.
fn better(a: (f64, St, usize), b: (f64, St, usize)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && (a.1, a.2) < (b.1, b.2))
}

impl Dw<'_, '_> {
    /// Cohort `k`'s most valuable week under duals `pi` (and `mu`, the
    /// balance row's) with a load in `lo..=cap`: duals covered less the
    /// week's cost in the master.
    pub(super) fn price(
        &self,
        k: usize,
        (pi, mu): (&[f64], f64),
        (lo, cap): (i64, i64),
        mode: Option<Costed>,
    ) -> Option<(f64, Vec<usize>)> {
        let c = &self.cohorts[k];
        let keep = Costed::keeps_balance(mode);
        // Cost of the week's load at the end of the DP.
        let end_cost = |load: i64| {
            if keep {
                -mu * self.distance(k, load, mode)
            } else {
                self.distance(k, load, mode)
            }
        };
        // Without costs, a day choice no dual values cannot help; with
        // them, it may bring a person nearer the average.
        let skip_idle = lo == 0 && mode.is_none();
        let mut layers: Vec<Layer> = Vec::with_capacity(c.days.len());
        let mut start: Layer = HashMap::default();
        start.insert((0, 0, 0), (0.0, (0, 0, 0), IDLE));
        for subs in &c.days {
            let best = self.best_per_state(subs, pi, keep, skip_idle);
            let next = self.step(layers.last().unwrap_or(&start), &best, cap);
            layers.push(next);
        }
        // Deterministic argmax: highest value, then smallest state.
        let (end, value) = layers
            .last()
            .unwrap_or(&start)
            .iter()
            .filter(|(st, _)| st.1 >= lo)
            .map(|(&st, &(v, _, _))| (st, v - end_cost(st.1)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
        if value <= PRICE_ZERO && skip_idle {
            return None;
        }
        let mut pools = Vec::new();
        let mut st = end;
        for d in (0..layers.len()).rev() {
            let (_, prev, i) = layers[d][&st];
            if i != IDLE {
                pools.extend_from_slice(&c.days[d][i].pools);
            }
            st = prev;
        }
        pools.sort_unstable();
        Some((value, pools))
    }

    /// Best choice per (duties, load, minutes) on one day: its value and
    /// index.
    fn best_per_state(
        &self,
        subs: &[DaySub],
        pi: &[f64],
        keep: bool,
        skip_idle: bool,
    ) -> HashMap<St, (f64, usize)> {
        let mut best: HashMap<St, (f64, usize)> = HashMap::default();
        for (i, sub) in subs.iter().enumerate() {
            let v: f64 =
                sub.pools.iter().map(|&p| pi[p]).sum::<f64>() - if keep { sub.pref } else { 0.0 };
            if v <= PRICE_ZERO && skip_idle {
                continue;
            }
            let e = best.entry((sub.n, sub.load, sub.minutes)).or_insert((v, i));
            if v > e.0 {
                *e = (v, i);
            }
        }
        best
    }

    /// The next layer: every state kept idle or extended by one day
    /// choice within the weekly limits and the load cap.
    fn step(&self, cur: &Layer, best: &HashMap<St, (f64, usize)>, cap: i64) -> Layer {
        let r = &self.m.policy.rules;
        let mut next: Layer = HashMap::with_capacity_and_hasher(cur.len() * 2, Default::default());
        for (&st, &(val, _, _)) in cur {
            let keep = next.entry(st).or_insert((val, st, IDLE));
            if better((val, st, IDLE), *keep) {
                *keep = (val, st, IDLE);
            }
            for (&(n, l, mi), &(v, i)) in best {
                let ns = (st.0 + n, st.1 + l, st.2 + mi);
                if ns.0 > r.max_duties_per_week || ns.2 > r.max_minutes_per_week || ns.1 > cap {
                    continue;
                }
                let nv = val + v;
                let e = next.entry(ns).or_insert((f64::NEG_INFINITY, st, i));
                if better((nv, st, i), *e) {
                    *e = (nv, st, i);
                }
            }
        }
        next
    }
}
