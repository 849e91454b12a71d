//! The duties of one duty kind on one day: times per grade band, the units
//! its pupils come in (classes, clubs, the whole school), and their groups.

use chrono::{NaiveDate, Weekday};

use super::groups::form_groups;
use super::{blacked_out, Duty};
use crate::model::policy::{DutyKind, Grouping, Policy, Season, AFTERNOON_SPAN};
use crate::model::school::School;
use crate::model::units::Hm;

pub(super) struct KindCtx<'a> {
    pub(super) policy: &'a Policy,
    pub(super) season: &'a Season,
    pub(super) date: NaiveDate,
    pub(super) follows: Weekday,
    pub(super) ki: usize,
    pub(super) kind: &'a DutyKind,
}

impl KindCtx<'_> {
    /// Times of this kind's session for a band; the afternoon span runs
    /// from the earliest afternoon start of any band to the cutoff.
    pub(super) fn times(&self, band: Option<&str>) -> Option<(Hm, Hm)> {
        if self.kind.session == AFTERNOON_SPAN {
            let mut start: Option<Hm> = None;
            let bands: Vec<Option<&str>> = std::iter::once(None)
                .chain(self.policy.grade_bands.iter().map(|b| Some(b.id.as_str())))
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
    pub(super) fn duty(
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

    pub(super) fn clubs(&self, school: &School, out: &mut Vec<Duty>) {
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

    pub(super) fn groups(&self, school: &School, key: &str, g: &Grouping, out: &mut Vec<Duty>) {
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
