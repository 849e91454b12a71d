//! Forming groups of pupils: small units merge, large ones split.

use std::collections::BTreeMap;

use crate::model::policy::{Grouping, Merge, Policy};
use crate::model::school::School;

/// A group of pupils formed for one duty.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub key: String,
    pub label: String,
    pub classes: Vec<usize>,
    pub pupils: u32,
    pub band: Option<String>,
    /// Part number when split (0: not split).
    pub split: u32,
}

/// Form groups: a unit with at least `min` pupils becomes its own group(s)
/// (split evenly when above `max`); smaller units merge at the next scope
/// (class, then grade, then band, then school) up to `merge`. What is left
/// at the widest scope still forms a group: every pupil is supervised.
pub fn form_groups(
    policy: &Policy,
    school: &School,
    counts: &[(usize, u32)],
    g: &Grouping,
) -> Vec<Group> {
    // Units at the current scope: (scope key, label, classes, pupils).
    let mut units: Vec<(String, String, Vec<usize>, u32)> = counts
        .iter()
        .map(|&(ci, p)| {
            let c = &school.classes[ci];
            (c.id.clone(), c.name.clone(), vec![ci], p)
        })
        .collect();
    let band_of = |ci: usize| {
        policy
            .band_of_grade(school.classes[ci].grade)
            .map(|b| b.id.clone())
    };
    let mut out = Vec::new();
    let scopes = [Merge::Class, Merge::Grade, Merge::Band, Merge::School];
    for (si, scope) in scopes.iter().enumerate() {
        let last = *scope == g.merge || si == scopes.len() - 1;
        let mut carry = Vec::new();
        for u in units {
            if u.3 >= g.min || (last && u.3 > 0) {
                split(&u, g.max, &band_of, &mut out);
            } else {
                carry.push(u);
            }
        }
        if last {
            break;
        }
        // Merge the carried units at the next scope.
        let next = scopes[si + 1];
        let mut merged: BTreeMap<String, (String, Vec<usize>, u32)> = BTreeMap::new();
        for (_, _, classes, p) in carry {
            let c0 = &school.classes[classes[0]];
            let (key, label) = match next {
                Merge::Grade => (format!("g{}", c0.grade), format!("{}年级合班", c0.grade)),
                Merge::Band => match policy.band_of_grade(c0.grade) {
                    Some(b) => (b.id.clone(), format!("{}合班", b.label)),
                    None => ("all".to_string(), "全校合班".to_string()),
                },
                _ => ("all".to_string(), "全校合班".to_string()),
            };
            let e = merged.entry(key).or_insert_with(|| (label, Vec::new(), 0));
            e.1.extend(classes);
            e.2 += p;
        }
        units = merged
            .into_iter()
            .map(|(k, (l, mut c, p))| {
                c.sort_unstable();
                (k, l, c, p)
            })
            .collect();
    }
    out
}

fn split(
    u: &(String, String, Vec<usize>, u32),
    max: u32,
    band_of: &dyn Fn(usize) -> Option<String>,
    out: &mut Vec<Group>,
) {
    let (key, label, classes, pupils) = u;
    let bands: Vec<Option<String>> = classes.iter().map(|&c| band_of(c)).collect();
    let band = if bands.windows(2).all(|w| w[0] == w[1]) {
        bands.first().cloned().flatten()
    } else {
        None
    };
    let n = pupils.div_ceil(max.max(1)).max(1);
    for i in 0..n {
        // Even split: the first (pupils % n) groups get one more.
        let size = pupils / n + u32::from(i < pupils % n);
        let (k, l) = if n == 1 {
            (key.clone(), label.clone())
        } else {
            (format!("{key}-{}", i + 1), format!("{label}({})", i + 1))
        };
        out.push(Group {
            key: k,
            label: l,
            classes: classes.clone(),
            pupils: size,
            band: band.clone(),
            split: if n == 1 { 0 } else { i + 1 },
        });
    }
}
