//! No overlap: nobody holds two duties whose times overlap on one day.
//! Data: the duties' times (the season's `times` and `overrides` in the
//! policy, clubs.csv's `start`/`end`).
//!
//! Planner: a roster-wide rule with no per-person predicate; the model
//! allows each person at most one pool of every clique of overlapping
//! pools (`Rule::NoOverlap` in `src/plan/mod.rs`).

use crate::demand::Duty;
use crate::model::units::Hm;
use crate::rules::Breach;

/// The reason users see: `later` overlaps `earlier`.
pub(crate) fn overlaps(later: &Duty, earlier_id: &str, earlier: (Hm, Hm)) -> String {
    format!(
        "{}-{} overlaps {earlier_id} {}-{} / 时间重叠",
        later.start, later.end, earlier.0, earlier.1
    )
}

/// Checker: every pair of one person's duties that overlap, reported on
/// the later one. `mine` holds (duty index, roster line).
pub(crate) fn check(duties: &[Duty], mine: &[(usize, usize)]) -> Vec<Breach> {
    let mut l = mine.to_vec();
    l.sort_by_key(|&(d, _)| (duties[d].date, duties[d].start, d));
    let mut out = Vec::new();
    for i in 0..l.len() {
        for j in i + 1..l.len() {
            let (a, b) = (&duties[l[i].0], &duties[l[j].0]);
            if a.date == b.date && a.start < b.end && b.start < a.end {
                out.push(Breach {
                    line: l[j].1,
                    at: b.id.clone(),
                    detail: overlaps(b, &a.id, (a.start, a.end)),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::demo;

    #[test]
    fn overlapping_duties_are_reported_on_the_later_one() {
        let x = demo();
        let d = &x.week.duties;
        let (a, b) = (0..d.len())
            .flat_map(|i| (0..d.len()).map(move |j| (i, j)))
            .find(|&(i, j)| i != j && d[i].overlaps(&d[j]) && d[i].start < d[j].start)
            .expect("two overlapping duties");
        let v = check(d, &[(b, 7), (a, 3)]);
        assert_eq!(v.len(), 1);
        assert_eq!((v[0].line, v[0].at.as_str()), (7, d[b].id.as_str()));
    }

    #[test]
    fn duties_apart_are_not() {
        let x = demo();
        let d = &x.week.duties;
        let b = (1..d.len())
            .find(|&j| !d[0].overlaps(&d[j]))
            .expect("apart");
        assert!(check(d, &[(0, 1), (b, 2)]).is_empty());
    }
}
