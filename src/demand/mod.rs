//! The week's demand: every duty to be covered, with times, staff needed,
//! qualification and ledger category. Reads the policy, the school data and
//! the calendar; knows nothing of staff assignment.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Weekday};

use crate::calendar::{self, Day};
use crate::model::policy::{
    DutyKind, Grouping, Ledger, Merge, Policy, Role, Season, Source, AFTERNOON_SPAN,
};
use crate::model::school::{Load, School};
use crate::model::units::{Centi, Hm};

#[derive(Debug, Clone, PartialEq)]
pub struct Duty {
    /// Stable id: date/kind/group, used in roster files.
    pub id: String,
    pub date: NaiveDate,
    /// The weekday whose timetable the date follows.
    pub follows: Weekday,
    pub session: String,
    pub start: Hm,
    pub end: Hm,
    /// Index into `policy.duty_kinds`.
    pub kind: usize,
    pub group: String,
    pub classes: Vec<usize>,
    pub pupils: u32,
    pub staff_needed: u32,
    pub qualification: Option<String>,
    pub roles: Vec<Role>,
    pub ledger: Ledger,
    pub weight: Centi,
    pub until_pickup: bool,
    /// A club's named instructor: the duty is theirs.
    pub instructor: Option<usize>,
    /// Part number when a unit was split into several groups (0: not split).
    pub split: u32,
}

impl Duty {
    pub fn minutes(&self) -> u32 {
        u32::from(self.end.0.saturating_sub(self.start.0))
    }
    /// Weighted workload of one staff member on this duty.
    pub fn load(&self) -> Load {
        i64::from(self.minutes()) * self.weight.0
    }
    pub fn overlaps(&self, other: &Duty) -> bool {
        self.date == other.date && self.start < other.end && other.start < self.end
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct WeekDemand {
    pub monday: NaiveDate,
    pub days: Vec<Day>,
    pub duties: Vec<Duty>,
}

/// Demand for the week (Mon..Sun) containing `date`.
pub fn week(policy: &Policy, school: &School, date: NaiveDate) -> WeekDemand {
    let days = calendar::week(policy, date);
    let mut duties = Vec::new();
    for d in &days {
        duties.extend(day(policy, school, d));
    }
    WeekDemand {
        monday: calendar::monday_of(date),
        days,
        duties,
    }
}

/// Demand of one day (empty unless it is a school day).
pub fn day(policy: &Policy, school: &School, d: &Day) -> Vec<Duty> {
    let (Some(follows), Some(season)) = (
        d.follows(),
        d.season
            .as_deref()
            .and_then(|s| policy.seasons.iter().find(|x| x.id == s)),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (ki, kind) in policy.duty_kinds.iter().enumerate() {
        if blacked_out(policy, follows, &kind.session) {
            continue;
        }
        let ctx = KindCtx {
            policy,
            season,
            date: d.date,
            follows,
            ki,
            kind,
        };
        match &kind.source {
            Source::Groups {
                enrollment,
                grouping,
            } => ctx.groups(school, enrollment, grouping, &mut out),
            Source::Clubs => ctx.clubs(school, &mut out),
            Source::Patrol { by_size } => {
                let n = school.classes.len() as u32;
                let staff = by_size
                    .iter()
                    .find(|(max, _)| n <= *max)
                    .or(by_size.last())
                    .map_or(0, |r| r.1);
                if staff > 0 {
                    if let Some((s, e)) = ctx.times(None) {
                        out.push(ctx.duty(
                            "patrol".into(),
                            kind.label.clone(),
                            Vec::new(),
                            0,
                            staff,
                            None,
                            (s, e),
                        ));
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| {
        (a.start, a.end, a.kind, &a.classes, &a.id)
            .cmp(&(b.start, b.end, b.kind, &b.classes, &b.id))
    });
    out
}

/// True when a service blackout removes this session on this timetable day.
pub fn blacked_out(policy: &Policy, follows: Weekday, session: &str) -> bool {
    policy.service_blackouts.iter().any(|b| {
        (b.weekdays.is_empty() || b.weekdays.contains(&follows))
            && b.sessions.iter().any(|s| s == session)
    })
}

struct KindCtx<'a> {
    policy: &'a Policy,
    season: &'a Season,
    date: NaiveDate,
    follows: Weekday,
    ki: usize,
    kind: &'a DutyKind,
}

impl KindCtx<'_> {
    /// Times of this kind's session for a band; the afternoon span runs
    /// from the earliest afternoon start of any band to the cutoff.
    fn times(&self, band: Option<&str>) -> Option<(Hm, Hm)> {
        if self.kind.session == AFTERNOON_SPAN {
            let mut start: Option<Hm> = None;
            let bands: Vec<Option<&str>> = std::iter::once(None)
                .chain(self.policy.bands.iter().map(|b| Some(b.id.as_str())))
                .collect();
            for s in self
                .policy
                .sessions
                .iter()
                .filter(|s| s.part == crate::model::policy::Part::Afternoon)
            {
                if blacked_out(self.policy, self.follows, &s.id) {
                    continue;
                }
                for b in &bands {
                    if let Some((st, _)) = self.season.session_times(&s.id, self.follows, *b) {
                        start = Some(start.map_or(st, |x| x.min(st)));
                    }
                }
            }
            return start.map(|s| (s, self.season.cutoff));
        }
        self.season
            .session_times(&self.kind.session, self.follows, band)
    }

    #[allow(clippy::too_many_arguments)]
    fn duty(
        &self,
        key: String,
        group: String,
        classes: Vec<usize>,
        pupils: u32,
        staff: u32,
        qual: Option<String>,
        t: (Hm, Hm),
    ) -> Duty {
        Duty {
            id: format!("{}/{}/{}", self.date, self.kind.id, key),
            date: self.date,
            follows: self.follows,
            session: self.kind.session.clone(),
            start: t.0,
            end: t.1,
            kind: self.ki,
            group,
            classes,
            pupils,
            staff_needed: staff,
            qualification: qual.or_else(|| self.kind.qualification.clone()),
            roles: self.kind.roles.clone(),
            ledger: self.kind.ledger,
            weight: self.kind.weight,
            until_pickup: self.kind.until_pickup,
            instructor: None,
            split: 0,
        }
    }

    fn clubs(&self, school: &School, out: &mut Vec<Duty>) {
        for c in &school.clubs {
            if c.session != self.kind.session || !c.weekdays.contains(&self.follows) {
                continue;
            }
            let Some(t) = c.times.or_else(|| self.times(None)) else {
                continue;
            };
            let mut d = self.duty(
                c.id.clone(),
                c.name.clone(),
                Vec::new(),
                c.pupils,
                c.staff_needed,
                c.qualification.clone(),
                t,
            );
            d.instructor = c.instructor;
            out.push(d);
        }
    }

    fn groups(&self, school: &School, key: &str, g: &Grouping, out: &mut Vec<Duty>) {
        let counts: Vec<(usize, u32)> = school
            .classes
            .iter()
            .enumerate()
            .filter_map(|(ci, _)| {
                school
                    .enrollment
                    .get(&(
                        ci,
                        self.follows.num_days_from_monday() as u8,
                        key.to_string(),
                    ))
                    .map(|&p| (ci, p))
            })
            .filter(|&(_, p)| p > 0)
            .collect();
        for grp in form_groups(self.policy, school, &counts, g) {
            let band = grp.band.as_deref();
            let Some(t) = self.times(band) else { continue };
            let staff = match g.pupils_per_staff {
                Some(pps) => g.staff_per_group.max(grp.pupils.div_ceil(pps)),
                None => g.staff_per_group,
            };
            let mut d = self.duty(grp.key, grp.label, grp.classes, grp.pupils, staff, None, t);
            d.split = grp.split;
            out.push(d);
        }
    }
}

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
