//! A known roster as the compact model's column values (a MIP start).

use crate::model::policy::Part;

use super::Built;
use crate::plan::bounds::Bounds;
use crate::plan::instance::Instance;

/// Column values of a roster for this tier's model.
pub(crate) fn warm_cols(
    m: &Instance,
    built: &Built,
    chosen: &[Vec<usize>],
    b: &Bounds,
) -> Vec<f64> {
    let mut cols = vec![0.0; built.n_cols];
    let nx = built.xcol.len();
    for (p, ss) in chosen.iter().enumerate() {
        for s in ss {
            if let Some(&c) = built.xcol.get(&(*s, p)) {
                cols[c] = 1.0;
            }
        }
        cols[nx + p] = f64::from(m.pools[p].need) - ss.len() as f64;
    }
    let l = m.loads(chosen);
    let zc = nx + m.pools.len();
    cols[zc] = m.max_rel(chosen);
    if let Some(zmax) = b.floor_base {
        for (i, &s) in m.fair.iter().enumerate() {
            let r = m.rel(s, l[s]);
            cols[zc + 1 + i] = (zmax - m.delta[i] - r).max(0.0);
            cols[zc + 1 + m.fair.len() + i] = (r - zmax - m.delta[i]).max(0.0);
        }
    }
    for (&(s, d), &(a, na)) in &built.pref_cols {
        let on = |part: Part| {
            chosen
                .iter()
                .enumerate()
                .any(|(p, ss)| m.pools[p].day == d && m.pools[p].part == part && ss.contains(&s))
        };
        let aft = f64::from(u8::from(on(Part::Afternoon)));
        cols[a] = aft;
        cols[na] = (f64::from(u8::from(on(Part::Noon))) + aft - 1.0).max(0.0);
    }
    cols
}
