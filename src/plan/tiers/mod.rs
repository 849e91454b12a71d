//! The lexicographic tiers: each solved with the earlier tiers' optima
//! kept, by patterns where they can, else by the compact model.

use std::time::{Duration, Instant};

use crate::error::{Error, Result};

use super::bounds::{Bounds, Tier};
use super::highs::MIN_TIER_S;
use super::instance::Instance;
use super::patterns::Dw;
use super::pool::Roster;
use super::tol::COUNT_EQ;
use super::types::{Options, Stats, Stop, TierReport};
use super::warm::greedy;

mod balance;
mod covered;
mod fallback;
mod max_load;
mod spread;
mod uncovered;

/// One tier of the plan: its id and name in reports, and its share of
/// the time limit (time a tier leaves unused rolls over).
#[derive(Clone, Copy)]
struct Spec {
    tier: Tier,
    id: &'static str,
    name: &'static str,
    share: f64,
}

const fn spec(tier: Tier, id: &'static str, name: &'static str, share: f64) -> Spec {
    Spec {
        tier,
        id,
        name,
        share,
    }
}

/// A week's plan.
/// Tier 2b is numbered so because it came later than the rest: the
/// reports, the docs and the issues speak of tiers 3 to 5.
const PLAN: [Spec; 6] = [
    spec(Tier::Uncovered, "1", "uncovered", 0.3),
    spec(Tier::MaxLoad, "2", "max-load", 0.35),
    spec(Tier::Covered, "2b", "covered", 0.05),
    spec(Tier::Spread, "3", "spread", 0.15),
    spec(Tier::Balance, "4", "balance", 0.1),
    spec(Tier::Preferences, "5", "preferences", 0.15),
];

/// A repair of a published week.
const REPAIR: [Spec; 5] = [
    spec(Tier::Uncovered, "1", "uncovered", 0.25),
    spec(Tier::Changes, "2", "changes", 0.25),
    spec(Tier::MaxLoad, "3", "max-load", 0.2),
    spec(Tier::Replacement, "4", "replacement-load", 0.15),
    spec(Tier::Preferences, "5", "preferences", 0.1),
];

/// A tier that took this share of its time or more ran out of it.
const TIME_SPENT: f64 = 0.99;

/// The state the tiers share.
pub(crate) struct Run<'i, 'a> {
    m: &'i Instance<'a>,
    opts: &'i Options,
    bounds: Bounds,
    /// Column generation over people's weeks (tiers 1-4), built on first use.
    dw: Option<Dw<'i, 'a>>,
    stats: &'i mut Stats,
    /// The budget a tier's own pattern solver (tier 5's) ran into.
    hit: Option<Stop>,
}

/// One tier's run: which tier, its time, and the best known roster that
/// meets the earlier tiers.
struct Step<'r> {
    tier: Tier,
    id: &'static str,
    name: &'static str,
    /// Its time (seconds) and its share of what is left before `deadline`.
    budget: f64,
    share: f64,
    deadline: Instant,
    start: &'r Roster,
    /// No earlier tier solved.
    first: bool,
}

impl Step<'_> {
    /// The time of this tier from now.
    fn until(&self) -> Instant {
        Instant::now() + Duration::from_secs_f64(self.budget)
    }

    fn proven(&self, value: f64, bound: f64) -> TierReport {
        TierReport::proven(self.id, self.name, value, bound)
    }

    fn against(&self, value: f64, bound: f64) -> TierReport {
        TierReport::against(self.id, self.name, value, bound)
    }
}

/// The tiers the options ask for.
fn specs(opts: &Options) -> Vec<Spec> {
    let mut specs: Vec<Spec> = if opts.baseline.is_some() {
        REPAIR.to_vec()
    } else {
        PLAN.to_vec()
    };
    if opts.skip_preferences {
        specs.retain(|t| t.tier != Tier::Preferences);
    }
    if opts.skip_balance {
        specs.retain(|t| t.tier != Tier::Balance);
    }
    specs
}

/// Solve the tiers in order; the last tier's roster and every tier's report.
pub(crate) fn run(
    m: &Instance,
    opts: &Options,
    stats: &mut Stats,
) -> Result<(Roster, Vec<TierReport>)> {
    let specs = specs(opts);
    stats.priority_weights = m.priority_weight;
    stats.away.clone_from(&m.away);
    // Warm start: the published roster where it is still valid (repair),
    // else the greedy roster.
    let known = match &opts.baseline {
        Some(_) => m.published(),
        None => greedy(m),
    };
    let deadline = Instant::now() + Duration::from_secs_f64(opts.time_limit_s);
    let mut run = Run {
        m,
        opts,
        bounds: Bounds::default(),
        dw: None,
        stats,
        hit: None,
    };
    let mut tiers = Vec::new();
    let mut warm: Option<Roster> = None;
    for (k, sp) in specs.iter().enumerate() {
        let share: f64 = sp.share / specs[k..].iter().map(|t| t.share).sum::<f64>();
        let budget = (deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
            * share)
            .max(MIN_TIER_S);
        let start = run.start(sp.tier, warm.as_ref(), &known).clone();
        let step = Step {
            tier: sp.tier,
            id: sp.id,
            name: sp.name,
            budget,
            share,
            deadline,
            start: &start,
            first: warm.is_none(),
        };
        let ts = Instant::now();
        run.hit = None;
        if let Some(d) = &run.dw {
            d.hit.set(None);
        }
        let result = run.solve(&step)?;
        let secs = ts.elapsed().as_secs_f64();
        run.stats.solve_s += secs;
        let Some((chosen, mut rep)) = result else {
            // Keep the previous tier's roster; report this tier unsolved.
            let mut rep = TierReport::unsolved(sp.id, sp.name, secs);
            rep.stopped = Some(run.stop(&step, &rep));
            tiers.push(rep);
            opts.progress.tell(&tiers[tiers.len() - 1], specs.len());
            break;
        };
        rep.seconds = secs;
        if !rep.optimal && rep.stopped.is_none() {
            rep.stopped = Some(run.stop(&step, &rep));
        }
        run.bounds.record(m, sp.tier, &chosen);
        if sp.tier == Tier::Covered {
            run.bounds.fair_load_proven = rep.optimal;
        }
        if matches!(sp.tier, Tier::MaxLoad | Tier::Covered) {
            run.stats.center = run.bounds.floor_base;
        }
        if let Some(d) = run.dw.as_mut() {
            d.floor = run.bounds.carried_floor(m);
        }
        opts.progress.tell(&rep, specs.len());
        tiers.push(rep);
        warm = Some(chosen);
        if sp.tier == Tier::Uncovered && m.fair.is_empty() {
            break;
        }
    }
    let Some(chosen) = warm else {
        return Err(Error::Solver("no tier solved".into()));
    };
    if let Some(d) = &run.dw {
        (run.stats.classes, run.stats.cg_columns, run.stats.cg_lps) = d.sizes();
    }
    Ok((chosen, tiers))
}

impl Run<'_, '_> {
    /// The best known roster that meets the earlier tiers: the last
    /// tier's, or for tier 2 the warm start when it is as covered and
    /// lower.
    fn start<'r>(&self, tier: Tier, warm: Option<&'r Roster>, known: &'r Roster) -> &'r Roster {
        let m = self.m;
        match warm {
            Some(w)
                if tier == Tier::MaxLoad
                    && m.uncovered(known) <= self.bounds.uncovered.unwrap_or(0.0) + COUNT_EQ
                    && m.max_rel(known) < m.max_rel(w) =>
            {
                known
            }
            Some(w) => w,
            None => known,
        }
    }

    /// What stopped `step`'s tier short of a proof: the gap the policy
    /// allows, its time, the node budget, or else the end of the search.
    fn stop(&self, step: &Step, rep: &TierReport) -> Stop {
        let hits = [self.dw.as_ref().and_then(|d| d.hit.get()), self.hit];
        let allowed = if step.tier == Tier::Preferences {
            self.opts.mip_rel_gap.max(self.opts.preferences_gap)
        } else {
            self.opts.mip_rel_gap
        };
        if rep.gap <= allowed {
            Stop::Gap
        } else if hits.contains(&Some(Stop::Time)) || rep.seconds >= step.budget * TIME_SPENT {
            Stop::Time
        } else if hits.contains(&Some(Stop::Nodes)) {
            Stop::Nodes
        } else {
            Stop::Search
        }
    }

    /// One tier: by patterns where they apply, else a certificate from
    /// the compact LP, else the compact MIP.
    fn solve(&mut self, step: &Step) -> Result<Option<(Roster, TierReport)>> {
        let compact_only = self.opts.compact_only;
        let by_patterns = match step.tier {
            Tier::Uncovered if !compact_only => uncovered::by_patterns(self, step)?,
            Tier::MaxLoad if !compact_only && self.opts.baseline.is_none() => {
                Some(max_load::by_patterns(self, step)?)
            }
            Tier::Covered => covered::by_patterns(self, step)?,
            Tier::Spread if !compact_only => spread::by_patterns(self, step)?,
            Tier::Balance | Tier::Preferences => balance::by_patterns(self, step)?,
            _ => None,
        };
        if by_patterns.is_some() {
            return Ok(by_patterns);
        }
        if step.tier != Tier::Preferences {
            if let Some(r) = fallback::lp_certificate(self, step)? {
                return Ok(Some(r));
            }
        }
        fallback::compact_mip(self, step)
    }
}

/// The pattern solver shared by tiers 1-4, built on first use.
fn shared<'d, 'i, 'a>(dw: &'d mut Option<Dw<'i, 'a>>, m: &'i Instance<'a>) -> &'d mut Dw<'i, 'a> {
    dw.get_or_insert_with(|| Dw::new(m, false, None))
}
