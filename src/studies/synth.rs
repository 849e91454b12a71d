//! Seeded generator of synthetic schools (CSV files), for the shipped
//! datasets, tests and benchmarks. Same seed, same bytes.

use std::fmt::Write as _;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::input::school::Files;

#[derive(Debug, Clone)]
pub struct Profile {
    pub classes_per_grade: u32,
    pub grades: u32,
    /// All staff, including homeroom teachers, administrators and outside instructors.
    pub staff: u32,
    pub admins: u32,
    pub clubs: u32,
    /// Share of clubs run by outside instructors.
    pub outside_share: f64,
    /// Staff with an exemption (pregnant or nursing).
    pub exempt: u32,
    /// Enrollment rate (share of pupils in the afternoon service).
    pub enrolled: f64,
    pub seed: u64,
}

impl Profile {
    /// The demo school: 24 classes, ~68 staff including 6 administrators.
    pub fn demo() -> Profile {
        Profile {
            classes_per_grade: 4,
            grades: 6,
            staff: 68,
            admins: 6,
            clubs: 8,
            outside_share: 0.25,
            exempt: 4,
            enrolled: 0.85,
            seed: 2026,
        }
    }
    /// A large school: 48 classes, ~125 staff, ~40 clubs.
    pub fn large() -> Profile {
        Profile {
            classes_per_grade: 8,
            grades: 6,
            staff: 125,
            admins: 10,
            clubs: 40,
            outside_share: 0.25,
            exempt: 6,
            enrolled: 0.85,
            seed: 4848,
        }
    }
    /// A synthetic school of `classes` classes and `staff` staff.
    pub fn sized(classes: u32, staff: u32, seed: u64) -> Profile {
        let per_grade = classes.div_ceil(6).max(1);
        Profile {
            classes_per_grade: per_grade,
            grades: 6,
            staff: staff.max(per_grade * 6 + 4),
            admins: (staff / 12).max(2),
            clubs: (classes * 5 / 6).max(2),
            outside_share: 0.25,
            exempt: staff / 20,
            enrolled: 0.85,
            seed,
        }
    }
}

/// A Chinese name not drawn before (repeats allowed once the names are
/// nearly used up).
pub(crate) fn unique_name<R: Rng>(
    rng: &mut R,
    used: &mut std::collections::BTreeSet<String>,
) -> String {
    loop {
        let n = format!(
            "{}{}",
            SURNAMES[rng.random_range(0..SURNAMES.len())],
            GIVEN[rng.random_range(0..GIVEN.len())]
        );
        if used.insert(n.clone()) || used.len() > 1500 {
            return n;
        }
    }
}

pub(crate) const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余",
];
pub(crate) const GIVEN: &[&str] = &[
    "静", "敏", "丽", "芳", "娜", "秀英", "婷", "雪", "慧", "颖", "洁", "琳", "晓燕", "海燕",
    "春梅", "丹", "玉兰", "佳", "倩", "欣怡", "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明",
    "超", "建华", "志强", "文博", "子涵", "思远", "雨桐", "晨", "宁", "昊", "一鸣",
];
pub(crate) const GRADE_NAMES: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九"];
const SUBJECTS: &[(&str, &str)] = &[
    ("语文", ""),
    ("数学", ""),
    ("英语", ""),
    ("语文", ""),
    ("数学", ""),
    ("体育", "体育"),
    ("音乐", "音乐"),
    ("美术", "美术"),
    ("科学", "科学"),
    ("信息科技", "信息"),
    ("道德与法治", ""),
];
pub(crate) const CLUBS: &[(&str, &str)] = &[
    ("足球", "体育"),
    ("篮球", "体育"),
    ("合唱", "音乐"),
    ("书法", "美术"),
    ("绘画", "美术"),
    ("机器人", "信息"),
    ("科学探究", "科学"),
    ("围棋", ""),
    ("阅读", ""),
    ("田径", "体育"),
    ("舞蹈", "音乐"),
    ("编程", "信息"),
    ("剪纸", "美术"),
    ("乒乓球", "体育"),
    ("口琴", "音乐"),
    ("象棋", ""),
];
pub(crate) const WEEKDAYS: &[&str] = &["周一", "周二", "周三", "周四", "周五"];

/// Generate a school's CSV files (UTF-8, Chinese headers).
pub fn generate(p: &Profile) -> Files {
    let mut g = Gen {
        p,
        rng: ChaCha8Rng::seed_from_u64(p.seed),
        used_names: std::collections::BTreeSet::new(),
        id: 0,
    };
    let (classes, class_list) = g.classes();
    let (staff, outside_ids) = g.staff(&class_list);
    let (clubs, club_pupils) = g.clubs(&outside_ids);
    let enrollment = g.enrollment(&class_list, &club_pupils);
    Files {
        staff: staff.into_bytes(),
        classes: classes.into_bytes(),
        enrollment: enrollment.into_bytes(),
        clubs: Some(clubs.into_bytes()),
        leave: Some(
            "工号,开始日期,结束日期,时段,类型,原因\n"
                .as_bytes()
                .to_vec(),
        ),
        served: None,
    }
}

/// The generator's state; one random stream, drawn from in a fixed order
/// (classes, staff, clubs, enrollment), so the same seed gives the same bytes.
struct Gen<'a> {
    p: &'a Profile,
    rng: ChaCha8Rng,
    used_names: std::collections::BTreeSet<String>,
    id: u32,
}

/// Pupils in clubs per grade and weekday.
type ClubPupils = Vec<[u32; 5]>;

/// A class: id, grade, pupils.
type ClassRow = (String, u32, u32);

/// One staff member's exemption: every `every`-th candidate, `left` more.
struct Exempt {
    left: u32,
    every: u32,
    k: u32,
}

impl Exempt {
    fn next(&mut self, rng: &mut ChaCha8Rng) -> &'static str {
        self.k += 1;
        if self.left > 0 && self.k % self.every == self.every / 2 {
            self.left -= 1;
            if rng.random_bool(0.5) {
                "pregnant"
            } else {
                "nursing"
            }
        } else {
            ""
        }
    }
}

impl Gen<'_> {
    fn name(&mut self) -> String {
        unique_name(&mut self.rng, &mut self.used_names)
    }

    fn next_id(&mut self) -> String {
        self.id += 1;
        format!("T{:03}", self.id)
    }

    fn classes(&mut self) -> (String, Vec<ClassRow>) {
        let mut classes = String::from("班级编号,班级,年级,人数\n");
        let mut class_list = Vec::new();
        for g in 1..=self.p.grades {
            for c in 1..=self.p.classes_per_grade {
                let pupils = self.rng.random_range(38..=48u32);
                let gname = GRADE_NAMES.get(g as usize - 1).copied().unwrap_or("高");
                let _ = writeln!(classes, "{g}-{c},{gname}({c})班,{g},{pupils}");
                class_list.push((format!("{g}-{c}"), g, pupils));
            }
        }
        (classes, class_list)
    }

    fn outside_count(&self) -> u32 {
        ((f64::from(self.p.clubs) * self.p.outside_share).round() as u32).min(self.p.clubs)
    }

    /// staff.csv: homeroom teachers, subject teachers, administrators and
    /// outside instructors (whose ids are returned for their clubs).
    fn staff(&mut self, class_list: &[ClassRow]) -> (String, Vec<String>) {
        let p = self.p;
        let n_outside = self.outside_count();
        let n_homeroom = class_list.len() as u32;
        let n_subject = p.staff.saturating_sub(n_homeroom + p.admins + n_outside);
        let mut staff = String::from("工号,姓名,角色,学科,资质,班主任班级,工作量系数,豁免,参与\n");
        let every = if p.exempt > 0 {
            (n_homeroom + n_subject) / p.exempt.max(1)
        } else {
            u32::MAX
        };
        let mut ex = Exempt {
            left: p.exempt,
            every: every.max(2),
            k: 0,
        };
        for (cid, _, _) in class_list {
            let (subj, qual) = SUBJECTS[self.rng.random_range(0..5)];
            let quota = if self.rng.random_bool(0.05) {
                "0.5"
            } else {
                ""
            };
            let e = ex.next(&mut self.rng);
            let (id, name) = (self.next_id(), self.name());
            let _ = writeln!(
                staff,
                "{id},{name},班主任,{subj},{qual},{cid},{quota},{e},是"
            );
        }
        for i in 0..n_subject {
            let (subj, qual) = SUBJECTS[(i as usize) % SUBJECTS.len()];
            let quota = if self.rng.random_bool(0.05) {
                "0.5"
            } else {
                ""
            };
            let e = ex.next(&mut self.rng);
            let active = if self.rng.random_bool(0.06) {
                "否"
            } else {
                "是"
            };
            let (id, name) = (self.next_id(), self.name());
            let _ = writeln!(
                staff,
                "{id},{name},任课教师,{subj},{qual},,{quota},{e},{active}"
            );
        }
        for _ in 0..p.admins {
            let (subj, qual) = SUBJECTS[self.rng.random_range(0..SUBJECTS.len())];
            let (id, name) = (self.next_id(), self.name());
            let _ = writeln!(staff, "{id},{name},行政,{subj},{qual},,,,是");
        }
        let mut outside_ids = Vec::new();
        for _ in 0..n_outside {
            let sid = self.next_id();
            let _ = writeln!(staff, "{sid},{},外聘,,,,,,是", self.name());
            outside_ids.push(sid);
        }
        (staff, outside_ids)
    }

    /// A club's weekdays: one, or two different ones (Thursday has none).
    fn club_days(&mut self) -> (usize, String) {
        let d1 = [0, 1, 2, 4][self.rng.random_range(0..4)];
        let days = if self.rng.random_bool(0.5) {
            let d2 = [0, 1, 2, 4][self.rng.random_range(0..4)];
            if d2 != d1 {
                format!("{};{}", WEEKDAYS[d1.min(d2)], WEEKDAYS[d1.max(d2)])
            } else {
                WEEKDAYS[d1].to_string()
            }
        } else {
            WEEKDAYS[d1].to_string()
        };
        (d1, days)
    }

    /// clubs.csv, the first ones run by the outside instructors.
    fn clubs(&mut self, outside_ids: &[String]) -> (String, ClubPupils) {
        let mut clubs = String::from("编号,名称,星期,时段,人数,资质,所需人数,指定教师\n");
        let mut club_pupils = vec![[0u32; 5]; self.p.grades as usize];
        for i in 0..self.p.clubs {
            let (cname, qual) = CLUBS[(i as usize) % CLUBS.len()];
            let suffix = if (i as usize) < CLUBS.len() {
                String::new()
            } else {
                format!("{}", i as usize / CLUBS.len() + 1)
            };
            let (d1, days) = self.club_days();
            let pupils = self.rng.random_range(12..=30u32);
            let g = self.rng.random_range(0..self.p.grades as usize);
            club_pupils[g][d1] += pupils;
            let instructor = outside_ids.get(i as usize).cloned().unwrap_or_default();
            let _ = writeln!(
                clubs,
                "C{:02},{cname}{suffix},{days},stage2,{pupils},{qual},1,{instructor}",
                i + 1
            );
        }
        (clubs, club_pupils)
    }

    /// enrollment.csv: per class, weekday and session.
    fn enrollment(&mut self, class_list: &[ClassRow], club_pupils: &ClubPupils) -> String {
        let mut enr = String::from("班级,星期,时段,人数\n");
        let per_grade = self.p.classes_per_grade.max(1);
        let enrolled = self.p.enrolled;
        for (cid, g, size) in class_list {
            let size = f64::from(*size);
            for (wi, wd) in WEEKDAYS.iter().enumerate() {
                let rng = &mut self.rng;
                let mut jitter = |base: f64| -> u32 {
                    let v = base * rng.random_range(0.85..1.1);
                    (v.round().max(0.0) as u32).min(size as u32)
                };
                let morning = jitter(size * 0.15);
                let noon = jitter(size * 0.80);
                let stage1 = jitter(size * enrolled);
                let club_share = club_pupils[*g as usize - 1][wi] / per_grade;
                let stage2 = jitter(size * 0.45).saturating_sub(club_share);
                let late = jitter(size * 0.04);
                for (sess, n) in [
                    ("morning", morning),
                    ("noon", noon),
                    ("stage1", stage1),
                    ("stage2", stage2),
                    ("late", late),
                ] {
                    let _ = writeln!(enr, "{cid},{wd},{sess},{n}");
                }
            }
        }
        enr
    }
}

/// Write files to a directory (CSV as UTF-8 with BOM, for Excel).
pub fn write(files: &Files, dir: &std::path::Path) -> crate::Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| crate::Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let all = [
        ("staff.csv", Some(&files.staff)),
        ("classes.csv", Some(&files.classes)),
        ("enrollment.csv", Some(&files.enrollment)),
        ("clubs.csv", files.clubs.as_ref()),
        ("leave.csv", files.leave.as_ref()),
        ("served.csv", files.served.as_ref()),
    ];
    for (name, bytes) in all {
        if let Some(b) = bytes {
            let mut out = b"\xEF\xBB\xBF".to_vec();
            out.extend_from_slice(b);
            crate::outputs::files::write_atomic(&dir.join(name), &out)?;
        }
    }
    Ok(())
}
