//! Club seats when more children ask than a club holds: first come, or a
//! lottery drawn from a seed the school writes down, so that anyone can
//! draw it again and get the same result. The children not admitted wait
//! in order; a seat that frees goes to the first of them.

use std::collections::BTreeMap;

use rand::RngCore;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// One child's ask for clubs: the application, when it was made (text
/// that sorts in time order, as the record writes it) and the clubs in
/// the family's order of preference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClubAsk {
    pub application: i64,
    pub applied_at: String,
    pub clubs: Vec<String>,
}

/// How seats are given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draw {
    /// In the order the applications were made.
    FirstCome,
    /// In an order drawn from this seed.
    Lottery { seed: u64 },
}

/// Per club: who has a seat and who waits, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allocation {
    pub admitted: BTreeMap<String, Vec<i64>>,
    pub waiting: BTreeMap<String, Vec<i64>>,
}

/// Give seats. Each child is considered in the draw's order, first for
/// their first choice across all children, then for their second, and
/// so on: a child's first choice is never lost to someone's second. A
/// club not in `capacity` has no limit. `clash(a, b)` says whether two
/// clubs meet at the same time (a child takes at most one of them).
pub fn allocate(
    asks: &[ClubAsk],
    capacity: &BTreeMap<String, u32>,
    draw: Draw,
    clash: impl Fn(&str, &str) -> bool,
) -> Allocation {
    let order = order(asks, draw);
    let mut out = Allocation::default();
    let rounds = asks.iter().map(|a| a.clubs.len()).max().unwrap_or(0);
    let mut held: BTreeMap<i64, Vec<&str>> = BTreeMap::new();
    for r in 0..rounds {
        for &i in &order {
            let a = &asks[i];
            let Some(club) = a.clubs.get(r) else { continue };
            let mine = held.entry(a.application).or_default();
            if mine.iter().any(|h| *h == club || clash(h, club)) {
                continue;
            }
            let seats = out.admitted.entry(club.clone()).or_default();
            if capacity
                .get(club)
                .is_none_or(|&c| (seats.len() as u64) < u64::from(c))
            {
                seats.push(a.application);
                mine.push(club);
            } else {
                out.waiting
                    .entry(club.clone())
                    .or_default()
                    .push(a.application);
            }
        }
    }
    out.admitted.retain(|_, v| !v.is_empty());
    out
}

/// The order children are considered in: by time (ties by application
/// number), or that order shuffled by the seed (Fisher–Yates on ChaCha8,
/// which gives the same numbers for a seed on every machine).
fn order(asks: &[ClubAsk], draw: Draw) -> Vec<usize> {
    let mut ix: Vec<usize> = (0..asks.len()).collect();
    ix.sort_by(|&a, &b| {
        (&asks[a].applied_at, asks[a].application).cmp(&(&asks[b].applied_at, asks[b].application))
    });
    if let Draw::Lottery { seed } = draw {
        // Drawn over the applications sorted by number, so that the result
        // does not depend on when each was typed in.
        ix.sort_by_key(|&i| asks[i].application);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        for i in (1..ix.len()).rev() {
            let j = (rng.next_u64() % (i as u64 + 1)) as usize;
            ix.swap(i, j);
        }
    }
    ix
}
