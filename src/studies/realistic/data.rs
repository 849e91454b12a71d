//! The realistic school's CSV files, drawn from one seeded random stream in
//! a fixed order (classes, teachers, clubs, names, enrollment) so that the same seed
//! gives the same bytes.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::Scale;
use crate::input::school::Files;
use crate::studies::synth::{unique_name, CLUBS, GRADE_NAMES, WEEKDAYS};

/// Share of a class's pupils enrolled in the afternoon service (MOE 2021:
/// about 85 %), drawn per class in this range.
const ENROLLED: std::ops::Range<f64> = 0.80..0.90;
/// Share of the enrolled attending every weekday (MOE 2021: about 71 %);
/// the others attend two to four weekdays.
const FULL_WEEK: f64 = 0.71;
/// Share of a day's stage-1 pupils who stay for stage 2.
const STAY: f64 = 0.5;
/// Share of those who stay until pickup (late-stay care).
const LATE: f64 = 0.08;
/// Share of pupils in morning care.
const MORNING: f64 = 0.15;
/// Share of pupils eating and napping at school, drawn per class.
const NOON: std::ops::Range<f64> = 0.75..0.90;

/// Subject teachers (besides the homeroom teachers) per class, by subject
/// and the qualification the subject gives.
const SUBJECTS: &[(&str, &str, f64)] = &[
    ("语文", "", 0.30),
    ("数学", "", 0.35),
    ("英语", "", 0.25),
    ("体育", "体育", 0.20),
    ("音乐", "音乐", 0.08),
    ("美术", "美术", 0.08),
    ("科学", "科学", 0.08),
    ("信息科技", "信息", 0.04),
    ("道德与法治", "", 0.02),
];

/// Club weekdays (index into WEEKDAYS): never Thursday, which has no service.
const CLUB_DAYS: [usize; 4] = [0, 1, 2, 4];
const DAY_IDS: [&str; 5] = ["mon", "tue", "wed", "thu", "fri"];

/// Teacher-run clubs per qualification and weekday, against the active,
/// unexempted teachers holding the qualification.
struct Load {
    qualified: std::collections::BTreeMap<String, u32>,
    clubs: std::collections::BTreeMap<(String, usize), u32>,
}

impl Load {
    fn new(teachers: &[Teacher]) -> Load {
        let mut qualified = std::collections::BTreeMap::new();
        for t in teachers
            .iter()
            .filter(|t| t.active && t.exemption.is_empty())
        {
            *qualified.entry(t.qual.clone()).or_insert(0) += 1;
        }
        Load {
            qualified,
            clubs: std::collections::BTreeMap::new(),
        }
    }
    fn free(&self, qual: &str, d: usize) -> bool {
        let n = self.clubs.get(&(qual.to_string(), d)).copied().unwrap_or(0);
        n < self.qualified.get(qual).copied().unwrap_or(0)
    }
    fn add(&mut self, qual: &str, d: usize) {
        *self.clubs.entry((qual.to_string(), d)).or_insert(0) += 1;
    }
}

struct Class {
    id: String,
    grade: u32,
    pupils: u32,
}

struct Club {
    name: String,
    qual: &'static str,
    days: Vec<usize>,
    band: usize,
    pupils: u32,
    /// Index of the outside instructor, if any.
    outside: Option<u32>,
}

/// A teacher before writing: role and subject decided, then exemptions,
/// participation and quota drawn over all teachers.
struct Teacher {
    homeroom: Option<String>,
    subject: &'static str,
    qual: String,
    exemption: &'static str,
    active: bool,
    quota: &'static str,
}

struct Gen<'a> {
    sc: &'a Scale,
    rng: ChaCha8Rng,
    names: BTreeSet<String>,
}

/// The school's CSV files.
pub(crate) fn generate(sc: &Scale, seed: u64) -> Files {
    let mut g = Gen {
        sc,
        rng: ChaCha8Rng::seed_from_u64(seed),
        names: BTreeSet::new(),
    };
    let classes = g.classes();
    let teachers = g.teachers(&classes);
    let clubs = g.clubs(&teachers);
    let staff = g.staff(teachers, &clubs);
    let enrollment = g.enrollment(&classes, &clubs);
    Files {
        staff: staff.into_bytes(),
        classes: classes_csv(&classes).into_bytes(),
        enrollment: enrollment.into_bytes(),
        clubs: Some(clubs_csv(sc, &clubs).into_bytes()),
        leave: Some(
            "工号,开始日期,结束日期,时段,类型,原因\n"
                .as_bytes()
                .to_vec(),
        ),
        served: None,
    }
}

/// Largest-remainder apportionment of `total` by `weights`.
fn apportion(total: u32, weights: &[f64]) -> Vec<u32> {
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| f64::from(total) * w / sum).collect();
    let mut n: Vec<u32> = exact.iter().map(|x| x.floor() as u32).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    let short = total.saturating_sub(n.iter().sum());
    for &i in order.iter().cycle().take(short as usize) {
        n[i] += 1;
    }
    n
}

fn classes_csv(classes: &[Class]) -> String {
    let mut s = String::from("班级编号,班级,年级,人数\n");
    for c in classes {
        let gname = GRADE_NAMES[c.grade as usize - 1];
        let n = c.id.split('-').nth(1).unwrap_or("1");
        let _ = writeln!(s, "{},{gname}({n})班,{},{}", c.id, c.grade, c.pupils);
    }
    s
}

fn outside_id(sc: &Scale, k: u32) -> String {
    format!("T{:03}", sc.teachers + sc.admins + k + 1)
}

fn clubs_csv(sc: &Scale, clubs: &[Club]) -> String {
    let mut s = String::from("编号,名称,星期,时段,人数,资质,所需人数,指定教师\n");
    for (i, c) in clubs.iter().enumerate() {
        let days: Vec<&str> = c.days.iter().map(|&d| WEEKDAYS[d]).collect();
        let instructor = c.outside.map(|k| outside_id(sc, k)).unwrap_or_default();
        let _ = writeln!(
            s,
            "C{:02},{},{},stage2,{},{},1,{instructor}",
            i + 1,
            c.name,
            days.join(";"),
            c.pupils,
            c.qual
        );
    }
    s
}

/// Draw `k` distinct indices below `n`, in increasing order.
fn pick(rng: &mut ChaCha8Rng, n: usize, k: usize) -> BTreeSet<usize> {
    rand::seq::index::sample(rng, n, k.min(n))
        .into_iter()
        .collect()
}

/// Draw how many of `n` trials succeed with probability `p`.
fn binomial(rng: &mut ChaCha8Rng, n: u32, p: f64) -> u32 {
    (0..n).filter(|_| rng.random_bool(p)).count() as u32
}

impl Gen<'_> {
    fn name(&mut self) -> String {
        unique_name(&mut self.rng, &mut self.names)
    }

    fn classes(&mut self) -> Vec<Class> {
        let mut out = Vec::new();
        for (gi, &n) in self.sc.per_grade.iter().enumerate() {
            for c in 1..=n {
                let grade = gi as u32 + 1;
                out.push(Class {
                    id: format!("{grade}-{c}"),
                    grade,
                    pupils: self.rng.random_range(40..=48),
                });
            }
        }
        out
    }

    /// The weekdays a club may meet: not Thursday, and not on the study
    /// afternoon of the subject its qualification comes from unless an
    /// outside instructor runs it; as a school would, a teacher-run club
    /// goes to a day with fewer such clubs than teachers qualified for it
    /// where there is one. One day, or two with probability one half.
    fn club_days(&mut self, qual: &str, outside: bool, load: &mut Load) -> Vec<usize> {
        let blocked: Vec<usize> = self
            .sc
            .blackouts
            .iter()
            .filter(|b| !outside && b.subjects.contains(&qual))
            .filter_map(|b| DAY_IDS.iter().position(|d| *d == b.weekday))
            .collect();
        let allowed: Vec<usize> = CLUB_DAYS
            .into_iter()
            .filter(|d| !blocked.contains(d))
            .collect();
        let free = |load: &Load, d: usize| outside || qual.is_empty() || load.free(qual, d);
        let open: Vec<usize> = allowed.iter().copied().filter(|&d| free(load, d)).collect();
        let from = if open.is_empty() { &allowed } else { &open };
        let d1 = from[self.rng.random_range(0..from.len())];
        let d2 = allowed[self.rng.random_range(0..allowed.len())];
        let mut days = vec![d1];
        if self.rng.random_bool(0.5) && d2 != d1 && free(load, d2) {
            days = vec![d1.min(d2), d1.max(d2)];
        }
        if !outside && !qual.is_empty() {
            days.iter().for_each(|&d| load.add(qual, d));
        }
        days
    }

    fn clubs(&mut self, teachers: &[Teacher]) -> Vec<Club> {
        let n = self.sc.clubs as usize;
        let mut load = Load::new(teachers);
        let outside = pick(&mut self.rng, n, self.sc.outside as usize);
        let mut clubs = Vec::new();
        let mut k = 0;
        for i in 0..n {
            let (name, qual) = CLUBS[i % CLUBS.len()];
            let name = match i / CLUBS.len() {
                0 => name.to_string(),
                r => format!("{name}{}", r + 1),
            };
            let run_outside = outside.contains(&i).then(|| {
                k += 1;
                k - 1
            });
            let days = self.club_days(qual, run_outside.is_some(), &mut load);
            clubs.push(Club {
                name,
                qual,
                days,
                band: self.rng.random_range(0..self.sc.bands.len()),
                pupils: self.rng.random_range(12..=30),
                outside: run_outside,
            });
        }
        clubs
    }

    /// Homeroom teachers (语文 or 数学, some with a club qualification) and
    /// subject teachers apportioned by subject; then exemptions, the
    /// teachers not taking part and the half loads, drawn over all of them.
    fn teachers(&mut self, classes: &[Class]) -> Vec<Teacher> {
        let mut ts = Vec::new();
        for c in classes {
            let subject = if self.rng.random_bool(0.6) {
                "语文"
            } else {
                "数学"
            };
            let qual = if self.rng.random_bool(0.1) {
                ["美术", "音乐", "体育", "科学"][self.rng.random_range(0..4)].to_string()
            } else {
                String::new()
            };
            ts.push(teacher(Some(c.id.clone()), subject, qual));
        }
        let weights: Vec<f64> = SUBJECTS.iter().map(|s| s.2).collect();
        let counts = apportion(self.sc.teachers - classes.len() as u32, &weights);
        for (&(subject, qual, _), &n) in SUBJECTS.iter().zip(&counts) {
            for _ in 0..n {
                ts.push(teacher(None, subject, qual.to_string()));
            }
        }
        let sc = self.sc;
        for i in pick(&mut self.rng, ts.len(), sc.exempt as usize) {
            ts[i].exemption = if self.rng.random_bool(0.5) {
                "pregnant"
            } else {
                "nursing"
            };
        }
        let subject_free: Vec<usize> = (classes.len()..ts.len())
            .filter(|&i| ts[i].exemption.is_empty())
            .collect();
        for j in pick(&mut self.rng, subject_free.len(), sc.inactive as usize) {
            ts[subject_free[j]].active = false;
        }
        for i in pick(&mut self.rng, ts.len(), sc.reduced as usize) {
            ts[i].quota = "0.5";
        }
        ts
    }

    /// staff.csv: teachers, administrators, then outside instructors (with
    /// their club's qualification).
    fn staff(&mut self, teachers: Vec<Teacher>, clubs: &[Club]) -> String {
        let mut s = String::from("工号,姓名,角色,学科,资质,班主任班级,工作量系数,豁免,参与\n");
        let mut id = 0;
        for t in teachers {
            id += 1;
            let role = if t.homeroom.is_some() {
                "班主任"
            } else {
                "任课教师"
            };
            let active = if t.active { "是" } else { "否" };
            let _ = writeln!(
                s,
                "T{id:03},{},{role},{},{},{},{},{},{active}",
                self.name(),
                t.subject,
                t.qual,
                t.homeroom.unwrap_or_default(),
                t.quota,
                t.exemption
            );
        }
        for _ in 0..self.sc.admins {
            id += 1;
            let subject = ["语文", "数学", "英语"][self.rng.random_range(0..3)];
            let _ = writeln!(s, "T{id:03},{},行政,{subject},,,,,是", self.name());
        }
        for c in clubs.iter().filter(|c| c.outside.is_some()) {
            id += 1;
            let _ = writeln!(s, "T{id:03},{},外聘,,{},,,,是", self.name(), c.qual);
        }
        s
    }

    /// One class's week: pupils per session (morning, noon, stage1, stage2,
    /// late) and weekday. Each enrolled pupil attends every weekday or, with
    /// probability 1 − FULL_WEEK, two to four of them.
    fn week_of(&mut self, size: u32) -> [[u32; 5]; 5] {
        let rng = &mut self.rng;
        let enrolled = (f64::from(size) * rng.random_range(ENROLLED)).round() as u32;
        let mut stage1 = [0u32; 5];
        for _ in 0..enrolled {
            if rng.random_bool(FULL_WEEK) {
                stage1.iter_mut().for_each(|d| *d += 1);
            } else {
                let k = rng.random_range(2..=4);
                for d in rand::seq::index::sample(rng, 5, k) {
                    stage1[d] += 1;
                }
            }
        }
        let noon_base = (f64::from(size) * rng.random_range(NOON)).round() as u32;
        let mut week = [[0u32; 5]; 5];
        for d in 0..5 {
            let stay = binomial(rng, stage1[d], STAY);
            let late = binomial(rng, stay, LATE);
            week[d] = [
                binomial(rng, size, MORNING),
                binomial(rng, noon_base, 0.97),
                stage1[d],
                stay - late,
                late,
            ];
        }
        week
    }

    /// enrollment.csv; club members are taken out of their band's stage-2
    /// care pupils on the club's days, one pupil per class in turn.
    fn enrollment(&mut self, classes: &[Class], clubs: &[Club]) -> String {
        let mut weeks: Vec<[[u32; 5]; 5]> =
            classes.iter().map(|c| self.week_of(c.pupils)).collect();
        for (ci, club) in clubs.iter().enumerate() {
            let members: Vec<usize> = (0..classes.len())
                .filter(|&i| self.sc.bands[club.band].grades.contains(&classes[i].grade))
                .collect();
            for &d in &club.days {
                let mut need = club.pupils;
                let mut turn = ci;
                while need > 0 && members.iter().any(|&i| weeks[i][d][3] > 0) {
                    let i = members[turn % members.len()];
                    if weeks[i][d][3] > 0 {
                        weeks[i][d][3] -= 1;
                        need -= 1;
                    }
                    turn += 1;
                }
            }
        }
        let mut s = String::from("班级,星期,时段,人数\n");
        for (c, week) in classes.iter().zip(&weeks) {
            for (d, wd) in WEEKDAYS.iter().enumerate() {
                for (sess, n) in ["morning", "noon", "stage1", "stage2", "late"]
                    .iter()
                    .zip(week[d])
                {
                    let _ = writeln!(s, "{},{wd},{sess},{n}", c.id);
                }
            }
        }
        s
    }
}

fn teacher(homeroom: Option<String>, subject: &'static str, qual: String) -> Teacher {
    Teacher {
        homeroom,
        subject,
        qual,
        exemption: "",
        active: true,
        quota: "",
    }
}
