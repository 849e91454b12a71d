//! Term simulation: each week planned (with the term-to-date load from the
//! ledger), published, and served with random absences, in turn.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::ledger::{self, Event};
use crate::model::policy::{Policy, Role};
use crate::model::school::{School, LOAD_PER_HOUR};
use crate::outputs::table::{Align, Table};
use crate::record::{self, Actor, Base, Record};
use crate::{demand, plan};

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub label: String,
    pub members: usize,
    /// The quota the members share.
    pub quota: f64,
    /// Lowest and highest load relative to quota (weighted hours ÷ quota).
    pub min: f64,
    pub max: f64,
}

impl Group {
    /// Spread of load relative to quota.
    pub fn spread(&self) -> f64 {
        self.max - self.min
    }

    /// The same spread in weighted hours. The members share a quota, so
    /// this is what the target compares with the longest duty: one duty
    /// of `h` hours is `h / quota` of relative load, and for quota 0.8 a
    /// single 1.5 h patrol is 1.875 relative.
    pub fn hours(&self) -> f64 {
        self.spread() * self.quota
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SimReport {
    pub weeks: u32,
    pub absences: usize,
    /// Absences a substitute served.
    pub substituted: usize,
    /// Substitutions returned the same week: the absent person took one
    /// of the substitute's later duties (换班).
    pub returned: usize,
    pub uncovered: u32,
    /// Groups of staff with equal quota and equal availability.
    pub groups: Vec<Group>,
    /// Weighted hours of the longest single duty served.
    pub longest_duty: f64,
    /// Absences in the final week that no swap returned: no later plan
    /// evens them out.
    pub final_unreturned: usize,
    /// Each week: the largest spread among the groups in weighted hours
    /// as planned (served load of the weeks before plus the week's
    /// roster) and as served at the week's end (after absences and
    /// substitutions), and the seconds its plan took.
    pub weekly: Vec<(f64, f64, f64)>,
}

impl SimReport {
    /// Largest spread of load relative to quota over the groups.
    pub fn max_spread(&self) -> f64 {
        self.groups.iter().map(Group::spread).fold(0.0, f64::max)
    }

    /// Largest spread over the groups in weighted hours.
    pub fn max_hours(&self) -> f64 {
        max_hours(&self.groups)
    }

    /// The target: within every group, at most one longest duty apart.
    pub fn met(&self) -> bool {
        self.within_target(self.max_hours())
    }

    /// Whether the final week's plan met the target.
    pub fn planned_met(&self) -> bool {
        self.within_target(self.final_planned())
    }

    fn within_target(&self, hours: f64) -> bool {
        hours <= self.longest_duty + 1e-9
    }

    /// The final week's spread as planned: the term as served before
    /// it plus its roster, what planning controls.
    pub fn final_planned(&self) -> f64 {
        self.weekly.last().map_or(0.0, |w| w.0)
    }

    pub fn render(&self, lang: Lang) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{} {} {}, {} {} ({} {}, {} {}), {} {}",
            lang.t("模拟", "simulated"),
            self.weeks,
            lang.t("周", "weeks"),
            self.absences,
            lang.t("次缺勤", "absences"),
            self.substituted,
            lang.t("次有人代岗", "taken by a substitute"),
            self.returned,
            lang.t("次当周换班归还", "returned the same week by a swap"),
            self.uncovered,
            lang.t("人次未覆盖", "uncovered seats")
        );
        let _ = writeln!(
            o,
            "{}",
            lang.t(
                "各周同组最大负荷差(加权小时, 排班后 / 实际服务后), 排班用时:",
                "largest spread within a group by week (weighted hours, as planned / as served), planning time:"
            )
        );
        for (w, (pl, sv, secs)) in self.weekly.iter().enumerate() {
            let _ = writeln!(o, "  {:>2}  {:.3} / {:.3}  {:.2}s", w + 1, pl, sv, secs);
        }
        let (l, r) = (Align::Left, Align::Right);
        let mut t = Table::new(&[
            (lang.t("同组人员", "group"), l),
            (lang.t("人数", "staff"), r),
            (lang.t("相对负荷", "relative load"), r),
            (lang.t("差", "spread"), r),
            (lang.t("小时", "hours"), r),
        ]);
        for g in &self.groups {
            t.row(vec![
                g.label.clone(),
                g.members.to_string(),
                format!("{:.3} .. {:.3}", g.min, g.max),
                format!("{:.3}", g.spread()),
                format!("{:.3}", g.hours()),
            ]);
        }
        o.push_str(&t.render("  "));
        let ok = self.met();
        let _ = writeln!(
            o,
            "{}: {:.3} {} {:.3} ({}) — {}",
            lang.t(
                "同系数同可用性人员的最大负荷差(加权小时)",
                "largest spread among staff with equal quota and availability (weighted hours)"
            ),
            self.max_hours(),
            if ok { "≤" } else { ">" },
            self.longest_duty,
            lang.t(
                "最长单项任务的加权小时",
                "longest single duty, weighted hours"
            ),
            if ok {
                lang.t("达标", "target met")
            } else {
                lang.t("未达标", "target NOT met")
            }
        );
        let _ = writeln!(
            o,
            "{}: {:.3}; {}: {}",
            lang.t(
                "末周排班后(排班可控部分)",
                "final week as planned (the part planning controls)"
            ),
            self.final_planned(),
            lang.t(
                "末周未经换班归还的缺勤(之后已无排班可以找平)",
                "final-week absences not returned by a swap (no later plan to even them out)"
            ),
            self.final_unreturned
        );
        o
    }
}

/// Availability signature: staff with equal signatures are comparable.
fn signature(p: &Policy, s: &School, i: usize) -> Option<String> {
    let st = &s.staff[i];
    if !plan::is_fair(st) || s.leave.iter().any(|l| l.staff == i) {
        return None;
    }
    let blackout = p
        .staff_blackouts
        .iter()
        .any(|b| b.subjects.contains(&st.subject) || b.roles.contains(&st.role));
    let kind = if st.role == Role::Admin {
        "admin"
    } else {
        "teacher"
    };
    let quals: Vec<&str> = st.qualifications.iter().map(|q| q.as_str()).collect();
    Some(format!(
        "{kind} q={} {}{}{}",
        st.quota,
        st.exemption.as_deref().unwrap_or("-"),
        if blackout { " blackout" } else { "" },
        if quals.is_empty() {
            String::new()
        } else {
            format!(" [{}]", quals.join(","))
        }
    ))
}

/// Most weeks one simulation runs: two school years, holidays included.
pub const MAX_WEEKS: u32 = 104;
/// Most terms `terms` simulates at once.
pub const MAX_RUNS: u32 = 100;

/// How a term is simulated.
#[derive(Debug, Clone, Copy)]
pub struct Sim {
    pub from: NaiveDate,
    pub weeks: u32,
    /// Probability that a person misses an assigned duty.
    pub absence: f64,
    pub seed: u64,
    /// Whether a substitute takes an absent person's duty, as the
    /// vice-principal would: the eligible person free at that time, within
    /// the limits, with the lowest term-to-date relative load.
    pub substitutes: bool,
    /// Whether the absent person returns the favour the same week when
    /// they can: takes one of the substitute's later duties (换班), the
    /// one closest in length, so that neither ends the week out of
    /// balance. The substitute is then chosen among those with such a
    /// duty first.
    pub swaps: bool,
    /// Whether each week's plan runs tier 5 (preferences). Tier 5 keeps
    /// tier 4's balance value, so turning it off changes who serves when,
    /// not how fair the loads are (demo term, seed 2: 74 s instead of 82 s).
    pub preferences: bool,
}

/// Refuses a simulation longer than [`MAX_WEEKS`] before any work.
pub fn check_weeks(weeks: u32, lang: Lang) -> Result<()> {
    if (1..=MAX_WEEKS).contains(&weeks) {
        return Ok(());
    }
    Err(Error::Usage(match lang {
        Lang::Zh => format!("--weeks 须在 1 到 {MAX_WEEKS} 之间(两个学年), 而不是 {weeks}"),
        Lang::En => {
            format!("--weeks must be from 1 to {MAX_WEEKS} (two school years), not {weeks}")
        }
    }))
}

/// `keep`: a new (absent or empty) directory to keep the simulated
/// history in, for `kehou workload` and `kehou export`; by default it is
/// thrown away.
pub fn term(
    p: &Policy,
    school: &School,
    sim: Sim,
    keep: Option<&Path>,
    lang: Lang,
    progress: bool,
) -> Result<SimReport> {
    check_weeks(sim.weeks, lang)?;
    if !(0.0..=1.0).contains(&sim.absence) {
        return Err(Error::Usage(
            lang.t(
                "--absence 须在 0 到 1 之间",
                "--absence must be between 0 and 1",
            )
            .into(),
        ));
    }
    let first = crate::calendar::monday_of(sim.from);
    let last = first + chrono::Days::new(7 * u64::from(sim.weeks.max(1)) - 1);
    // Every week is checked before the first is planned.
    crate::calendar::require_national(p, first, last)?;
    let (mut h, _temp) = sim_record(keep, lang)?;
    let by = Actor::cli("simulate");
    let mut rng = ChaCha8Rng::seed_from_u64(sim.seed);
    let bar = progress.then(|| indicatif::ProgressBar::new(u64::from(sim.weeks)));
    let mut tally = Tally::default();
    let sigs: Vec<Option<String>> = (0..school.staff.len())
        .map(|i| signature(p, school, i))
        .collect();
    let mut weekly = Vec::with_capacity(sim.weeks as usize);
    for w in 0..sim.weeks {
        let monday = first + chrono::Days::new(7 * u64::from(w));
        let mut s = school.clone();
        h.read(|tx| ledger::add_term_load(p, &mut s, tx, monday))?;
        let dm = demand::week(p, &s, monday);
        let mut opts = plan::Options::from_policy(p);
        opts.skip_preferences = !sim.preferences;
        let clock = std::time::Instant::now();
        let plan = plan::plan(p, &s, &dm, &opts)?;
        let seconds = clock.elapsed().as_secs_f64();
        tally.uncovered += plan.uncovered.iter().map(|u| u.1).sum::<u32>();
        let bytes = crate::outputs::roster_csv::to_csv(p, &s, &plan, lang);
        h.write(|tx| tx.publish(monday, &bytes, Base::Unpublished, &by))?;
        let week = Week {
            p,
            school,
            s: &s,
            dm: &dm,
            sigs: &sigs,
            // In the term's last week no later plan can even out what a
            // substitution leaves, so it is chosen for the term's end.
            last: w + 1 == sim.weeks,
        };
        let (planned, served) = week.serve(&plan, &sim, &mut rng, &mut h, &mut tally)?;
        weekly.push((planned, served, seconds));
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let served = h.read(|tx| ledger::served(p, school, tx, first, last))?;
    let load = ledger::served_load(&served);
    let longest =
        served.iter().map(|x| x.duty.load()).max().unwrap_or(0) as f64 / LOAD_PER_HOUR as f64;
    let load: Vec<i64> = (0..school.staff.len())
        .map(|i| load.get(&i).copied().unwrap_or(0))
        .collect();
    Ok(SimReport {
        weeks: sim.weeks,
        absences: tally.absences,
        substituted: tally.substituted,
        returned: tally.returned,
        uncovered: tally.uncovered,
        groups: groups(school, &sigs, &load),
        longest_duty: longest,
        final_unreturned: tally.final_unreturned,
        weekly,
    })
}

/// The record a simulation writes: `keep` (a new file, never a real
/// record) or a file in a temporary directory, returned so that it lives
/// as long.
fn sim_record(keep: Option<&Path>, lang: Lang) -> Result<(Record, Option<tempfile::TempDir>)> {
    let Some(file) = keep else {
        let temp = tempfile::tempdir().map_err(|source| Error::Write {
            path: std::env::temp_dir(),
            source,
        })?;
        return Ok((Record::open(&temp.path().join("sim.db"))?, Some(temp)));
    };
    if file.exists() {
        return Err(Error::Usage(format!(
            "{} {}",
            file.display(),
            lang.t(
                "已存在: 请为模拟记录指定一个新文件",
                "already exists: name a new file for the simulated record"
            )
        )));
    }
    Ok((Record::open(file)?, None))
}

/// What a simulated term counts as it goes.
#[derive(Default)]
struct Tally {
    absences: usize,
    substituted: usize,
    returned: usize,
    uncovered: u32,
    final_unreturned: usize,
}

/// One simulated week: the school with its term-to-date load, the week's
/// duties, and the signatures that group staff for fairness.
struct Week<'a> {
    p: &'a Policy,
    /// The school as given (no term load), for the groups.
    school: &'a School,
    /// The school with this week's term-to-date load.
    s: &'a School,
    dm: &'a demand::WeekDemand,
    sigs: &'a [Option<String>],
    last: bool,
}

impl Week<'_> {
    /// Term-to-date load plus `serving`, per person.
    fn loads(&self, serving: &[(usize, usize)]) -> Vec<i64> {
        let mut l: Vec<i64> = (0..self.s.staff.len())
            .map(|i| self.s.served.get(&i).copied().unwrap_or(0))
            .collect();
        for &(d, t) in serving {
            l[t] += self.dm.duties[d].load();
        }
        l
    }

    /// The largest spread among the groups, then the sum of squared
    /// distances from the group means (which the spread alone leaves flat
    /// for most choices): how fair the term would end.
    fn term_end(&self, serving: &[(usize, usize)]) -> (f64, f64) {
        let l = self.loads(serving);
        (
            max_hours(&groups(self.school, self.sigs, &l)),
            squares(self.sigs, &l),
        )
    }

    /// Records a simulated event, checked as any event is: a simulation
    /// that chose an impossible substitute stops with the reason.
    fn record(&self, h: &mut Record, e: &Event) -> Result<()> {
        let by = Actor::cli("simulate");
        h.write(|tx| record::admit::record(tx, self.p, self.school, e, None, &by))
            .map(|_| ())
    }

    /// Serves the published plan with random absences: each absent seat
    /// substituted (and returned) as the options say, every event recorded.
    /// Returns the largest spread as planned and as served.
    fn serve(
        &self,
        plan: &plan::Plan,
        sim: &Sim,
        rng: &mut ChaCha8Rng,
        h: &mut Record,
        tally: &mut Tally,
    ) -> Result<(f64, f64)> {
        let (s, dm) = (self.s, self.dm);
        let term_end = |serving: &[(usize, usize)]| self.term_end(serving);
        // The week's seats in time order, with who holds each now.
        let mut slots: Vec<(usize, Option<usize>)> = plan
            .assignments
            .iter()
            .map(|a| (a.duty, Some(a.staff)))
            .collect();
        slots.sort_by_key(|&(d, t)| (dm.duties[d].date, dm.duties[d].start, d, t));
        let planned = self.term_end(&held(&slots)).0;
        for i in 0..slots.len() {
            let (duty, Some(t)) = slots[i] else { continue };
            if !rng.random_bool(sim.absence) {
                continue;
            }
            tally.absences += 1;
            slots[i].1 = None;
            let cover = if sim.substitutes {
                let end = self.last.then_some(&term_end as &SpreadOf<'_>);
                substitute(self.p, s, dm, &slots, i, t, sim.swaps, end)
            } else {
                None
            };
            slots[i].1 = cover.map(|c| c.0);
            if self.last && !matches!(cover, Some((_, Some(_)))) {
                tally.final_unreturned += 1;
            }
            self.record(
                h,
                &Event::Absent {
                    duty: dm.duties[duty].id.clone(),
                    staff: s.staff[t].id.clone(),
                    substitute: cover.map(|c| s.staff[c.0].id.clone()),
                    note: "simulated".into(),
                },
            )?;
            let Some((sub, back)) = cover else { continue };
            tally.substituted += 1;
            if let Some(j) = back {
                slots[j].1 = Some(t);
                tally.returned += 1;
                self.record(
                    h,
                    &Event::Swap {
                        duty: dm.duties[slots[j].0].id.clone(),
                        staff: s.staff[sub].id.clone(),
                        with: s.staff[t].id.clone(),
                        note: "simulated: returns the substitution".into(),
                    },
                )?;
            }
        }
        Ok((planned, self.term_end(&held(&slots)).0))
    }
}

/// Groups of two or more staff with equal signatures: the lowest and
/// highest relative load (`load` in load units per staff member).
fn groups(school: &School, sigs: &[Option<String>], load: &[i64]) -> Vec<Group> {
    let mut by_sig: BTreeMap<&str, Group> = BTreeMap::new();
    for (i, sig) in sigs.iter().enumerate() {
        if let Some(sig) = sig {
            let r = load[i] as f64 / LOAD_PER_HOUR as f64 / school.staff[i].quota.as_f64();
            let g = by_sig.entry(sig).or_insert_with(|| Group {
                label: sig.clone(),
                members: 0,
                quota: school.staff[i].quota.as_f64(),
                min: f64::MAX,
                max: f64::MIN,
            });
            g.members += 1;
            g.min = g.min.min(r);
            g.max = g.max.max(r);
        }
    }
    by_sig.into_values().filter(|g| g.members >= 2).collect()
}

/// Sum over the comparable staff of the squared distance of their load
/// (weighted hours) from their group's mean.
fn squares(sigs: &[Option<String>], load: &[i64]) -> f64 {
    let mut by_sig: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for (i, sig) in sigs.iter().enumerate() {
        if let Some(sig) = sig {
            by_sig
                .entry(sig)
                .or_default()
                .push(load[i] as f64 / LOAD_PER_HOUR as f64);
        }
    }
    by_sig
        .values()
        .map(|h| {
            let mean = h.iter().sum::<f64>() / h.len() as f64;
            h.iter().map(|x| (x - mean).powi(2)).sum::<f64>()
        })
        .sum()
}

fn max_hours(groups: &[Group]) -> f64 {
    groups.iter().map(Group::hours).fold(0.0, f64::max)
}

/// The seats someone holds, as (duty, staff).
fn held(slots: &[(usize, Option<usize>)]) -> Vec<(usize, usize)> {
    slots
        .iter()
        .filter_map(|&(d, t)| t.map(|t| (d, t)))
        .collect()
}

/// Whether `t` may take `duty` given who holds what (`serving`):
/// eligible, free at that time, within the daily and weekly limits.
fn fits(
    p: &Policy,
    s: &School,
    dm: &demand::WeekDemand,
    serving: &[(usize, usize)],
    t: usize,
    duty: usize,
) -> bool {
    if !plan::is_fair(&s.staff[t]) || plan::ineligible(p, s, t, &dm.duties[duty]).is_some() {
        return false;
    }
    let d = &dm.duties[duty];
    let r = &p.rules;
    let mine: Vec<&demand::Duty> = serving
        .iter()
        .filter(|x| x.1 == t)
        .map(|x| &dm.duties[x.0])
        .collect();
    let today: Vec<&&demand::Duty> = mine.iter().filter(|o| o.date == d.date).collect();
    let overlap = today.iter().any(|o| o.start < d.end && d.start < o.end);
    let day_min: u32 = today.iter().map(|o| o.minutes()).sum();
    let week_min: u32 = mine.iter().map(|o| o.minutes()).sum();
    !overlap
        && (today.len() as u32) < r.max_duties_per_day
        && day_min + d.minutes() <= r.max_minutes_per_day
        && (mine.len() as u32) < r.max_duties_per_week
        && week_min + d.minutes() <= r.max_minutes_per_week
}

/// How fair the term ends given who serves what this week, smaller first.
type SpreadOf<'a> = dyn Fn(&[(usize, usize)]) -> (f64, f64) + 'a;

/// The substitute for seat `i` (its holder `absent` has dropped out, the
/// seat is empty), as the vice-principal would pick: someone who fits;
/// with `swaps`, first those holding a later duty this week that the
/// absent person can take instead (returned: the seat index, the duty
/// closest in length); then lowest term-to-date relative load, then
/// lowest index. With `term_end` (the term's last week: how fair the
/// term ends given who serves what this week), the substitute and the
/// duty returned are those that leave it fairest, ties broken as above.
#[allow(clippy::too_many_arguments)]
fn substitute(
    p: &Policy,
    s: &School,
    dm: &demand::WeekDemand,
    slots: &[(usize, Option<usize>)],
    i: usize,
    absent: usize,
    swaps: bool,
    term_end: Option<&SpreadOf<'_>>,
) -> Option<(usize, Option<usize>)> {
    let duty = slots[i].0;
    let d = &dm.duties[duty];
    let serving = held(slots);
    let week_load = |t: usize| -> i64 {
        serving
            .iter()
            .filter(|x| x.1 == t)
            .map(|x| dm.duties[x.0].load())
            .sum()
    };
    let rel = |t: usize| {
        (s.served.get(&t).copied().unwrap_or(0) + week_load(t)) as f64 / s.staff[t].quota.as_f64()
    };
    // The seats `absent` could take back from `sub` after `sub` covers.
    let backs = |sub: usize| -> Vec<usize> {
        let mut after = serving.clone();
        after.push((duty, sub));
        (i + 1..slots.len())
            .filter(|&j| {
                let y = &dm.duties[slots[j].0];
                slots[j].1 == Some(sub)
                    && (y.date > d.date || (y.date == d.date && y.start >= d.end))
            })
            .filter(|&j| {
                let mut without = after.clone();
                if let Some(k) = without.iter().position(|&x| x == (slots[j].0, sub)) {
                    without.remove(k);
                }
                fits(p, s, dm, &without, absent, slots[j].0)
            })
            .collect()
    };
    let closest = |js: &[usize]| {
        js.iter()
            .copied()
            .min_by_key(|&j| ((dm.duties[slots[j].0].load() - d.load()).abs(), j))
    };
    let cands = (0..s.staff.len()).filter(|&t| t != absent && fits(p, s, dm, &serving, t, duty));
    let usual = |a: &(usize, Option<usize>), b: &(usize, Option<usize>)| {
        b.1.is_some()
            .cmp(&a.1.is_some())
            .then(rel(a.0).total_cmp(&rel(b.0)))
            .then(a.0.cmp(&b.0))
    };
    let Some(term_end) = term_end else {
        return cands
            .map(|t| (t, if swaps { closest(&backs(t)) } else { None }))
            .min_by(usual);
    };
    // Who serves what this week after `sub` covers and, with `back`,
    // `absent` takes that seat from `sub`.
    let after = |sub: usize, back: Option<usize>| {
        let mut x = serving.clone();
        x.push((duty, sub));
        if let Some(j) = back {
            if let Some(k) = x.iter().position(|&y| y == (slots[j].0, sub)) {
                x[k].1 = absent;
            }
        }
        term_end(&x)
    };
    cands
        .flat_map(|t| {
            let mut opts = vec![(t, None)];
            if swaps {
                opts.extend(backs(t).into_iter().map(|j| (t, Some(j))));
            }
            opts
        })
        .map(|c| (after(c.0, c.1), c))
        .min_by(|a, b| {
            (a.0 .0.total_cmp(&b.0 .0))
                .then(a.0 .1.total_cmp(&b.0 .1))
                .then(usual(&a.1, &b.1))
        })
        .map(|x| x.1)
}

/// `runs` terms with seeds `sim.seed`, `sim.seed + 1`, …, in parallel
/// (each plan's solver is single-threaded), in seed order.
pub fn terms(
    p: &Policy,
    school: &School,
    sim: Sim,
    runs: u32,
    lang: Lang,
    progress: bool,
) -> Result<Vec<(u64, SimReport)>> {
    use rayon::prelude::*;
    let bar = progress.then(|| indicatif::ProgressBar::new(u64::from(runs)));
    let out = (0..u64::from(runs))
        .into_par_iter()
        .map(|k| {
            let seed = sim.seed.wrapping_add(k);
            let r = term(p, school, Sim { seed, ..sim }, None, lang, false);
            if let Some(b) = &bar {
                b.inc(1);
            }
            r.map(|r| (seed, r))
        })
        .collect::<Result<Vec<_>>>();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    out
}

/// One row per run and how many met the target.
pub fn render_runs(runs: &[(u64, SimReport)], lang: Lang) -> String {
    let mut o = String::new();
    let r = Align::Right;
    let mut t = Table::new(&[
        (lang.t("种子", "seed"), r),
        (lang.t("缺勤", "absent"), r),
        (lang.t("末周未归还", "unreturned"), r),
        (lang.t("末周排班后", "final plan"), r),
        (lang.t("学期末", "term end"), r),
        (lang.t("最长任务", "longest"), r),
        (lang.t("达标", "met"), r),
    ]);
    for (seed, run) in runs {
        t.row(vec![
            seed.to_string(),
            run.absences.to_string(),
            run.final_unreturned.to_string(),
            format!("{:.3}", run.final_planned()),
            format!("{:.3}", run.max_hours()),
            format!("{:.3}", run.longest_duty),
            if run.met() {
                lang.t("是", "yes")
            } else {
                lang.t("否", "no")
            }
            .to_string(),
        ]);
    }
    o.push_str(&t.render(""));
    let _ = writeln!(
        o,
        "{}",
        lang.t(
            "(末周未归还: 末周未经换班归还的缺勤; 末周排班后 / 学期末: 同组最大负荷差, 加权小时)",
            "(unreturned: final-week absences not returned by a swap; final plan / term end: largest spread within a group, weighted hours)"
        )
    );
    let met = runs.iter().filter(|r| r.1.met()).count();
    let planned = runs.iter().filter(|r| r.1.planned_met()).count();
    let _ = writeln!(
        o,
        "{} {met}/{} {}; {} {planned}/{}",
        lang.t("学期末达标", "target met at term end in"),
        runs.len(),
        lang.t("次", "runs"),
        lang.t("末周排班后达标", "met by the final week's plan in"),
        runs.len()
    );
    o
}
