//! The realistic school's policy file: the demo policy's sessions, duty
//! kinds, limits, exemptions and pay, with the school's own grade bands and
//! staggered dismissal, subject study blackouts and the county's patrol
//! rule.

use std::fmt::Write as _;

use super::Scale;

/// Minutes after midnight as "HH:MM".
fn hm(min: u32) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

/// A season's afternoon: the first band's dismissal, the end of stage 1
/// and the cutoff, in minutes after midnight.
struct Afternoon {
    id: &'static str,
    label: &'static str,
    from: &'static str,
    to: &'static str,
    first_dismissal: u32,
    stage1_end: u32,
    cutoff: u32,
    noon_end: u32,
}

const WINTER: Afternoon = Afternoon {
    id: "winter",
    label: "冬季作息",
    from: "10-01",
    to: "04-30",
    first_dismissal: 15 * 60 + 20,
    stage1_end: 16 * 60 + 30,
    cutoff: 17 * 60,
    noon_end: 13 * 60 + 10,
};

/// Summer: the afternoon starts and ends 30 minutes later, noon is longer
/// (docs/domain: Xiamen, Zaozhuang, Nanjing).
const SUMMER: Afternoon = Afternoon {
    id: "summer",
    label: "夏季作息",
    from: "05-01",
    to: "09-30",
    first_dismissal: 15 * 60 + 50,
    stage1_end: 17 * 60,
    cutoff: 17 * 60 + 30,
    noon_end: 13 * 60 + 30,
};

/// Minutes between one band's dismissal and the next one's.
pub(crate) const DISMISSAL_STEP: u32 = 10;

/// Minutes between a band's dismissal and its stage 1.
const STAGE1_AFTER: u32 = 10;

/// The policy file (TOML) of a realistic school of this scale.
pub(crate) fn text(sc: &Scale) -> String {
    let mut t = String::new();
    let _ = write!(
        t,
        "# kehou policy of a synthetic realistic school ({} classes), written by\n\
         # `kehou gen --profile realistic`. Every key is in docs/policy.md.\n\n\
         [school]\nname = \"仿真实验小学({}班)\"\nwork_end = \"17:00\"\n\n",
        sc.classes, sc.classes
    );
    t.push_str(CALENDAR);
    for b in &sc.bands {
        let grades: Vec<String> = b.grades.iter().map(u32::to_string).collect();
        let _ = write!(
            t,
            "[[grade_bands]]\nid = \"{}\"\nlabel = \"{}\"\ngrades = [{}]\n\n",
            b.id,
            b.label,
            grades.join(", ")
        );
    }
    t.push_str(SESSIONS);
    for season in [WINTER, SUMMER] {
        season_text(&mut t, sc, &season);
    }
    t.push_str(
        "# No service at all: Thursday afternoon is the teachers' weekly study.\n\
         [[service_blackouts]]\nweekdays = [\"thu\"]\nsessions = [\"afternoon\"]\n\
         reason = \"周四下午教师业务学习\"\n\n",
    );
    for bl in &sc.blackouts {
        let subjects: Vec<String> = bl.subjects.iter().map(|s| format!("\"{s}\"")).collect();
        let _ = write!(
            t,
            "[[staff_blackouts]]\nsubjects = [{}]\nweekdays = [\"{}\"]\nsessions = [\"afternoon\"]\n\
             reason = \"{}\"\n\n",
            subjects.join(", "),
            bl.weekday,
            bl.reason
        );
    }
    t.push_str(DUTY_KINDS);
    t.push_str(RULES);
    t
}

/// One season: cutoff, per-band dismissal 10 minutes apart, stage 1 from
/// 10 minutes after each band's dismissal to a common end, stage 2 to the
/// cutoff. The base times are the last band's; the others override them.
fn season_text(t: &mut String, sc: &Scale, a: &Afternoon) {
    let dismissal = |i: usize| a.first_dismissal + DISMISSAL_STEP * i as u32;
    let bands: Vec<String> = sc
        .bands
        .iter()
        .enumerate()
        .map(|(i, b)| format!("{} = \"{}\"", b.id, hm(dismissal(i))))
        .collect();
    let last = sc.bands.len().saturating_sub(1);
    let _ = write!(
        t,
        "[[seasons]]\nid = \"{}\"\nlabel = \"{}\"\nfrom = \"{}\"\nto = \"{}\"\ncutoff = \"{}\"\n\
         dismissal = {{ {} }}\n[seasons.times]\n\
         morning = {{ start = \"07:20\", end = \"07:50\" }}\n\
         noon = {{ start = \"11:50\", end = \"{}\" }}\n\
         stage1 = {{ start = \"{}\", end = \"{}\" }}\nstage2 = {{ start = \"{}\" }}\n",
        a.id,
        a.label,
        a.from,
        a.to,
        hm(a.cutoff),
        bands.join(", "),
        hm(a.noon_end),
        hm(dismissal(last) + STAGE1_AFTER),
        hm(a.stage1_end),
        hm(a.stage1_end),
    );
    for (i, b) in sc.bands.iter().enumerate().take(last) {
        let _ = write!(
            t,
            "[[seasons.overrides]]\nbands = [\"{}\"]\nsession = \"stage1\"\nstart = \"{}\"\nend = \"{}\"\n",
            b.id,
            hm(dismissal(i) + STAGE1_AFTER),
            hm(a.stage1_end)
        );
    }
    t.push('\n');
}

const CALENDAR: &str = r#"[calendar]
national = ["calendar/cn-2026.toml"]
terms = [
  { name = "2026年春季学期", start = 2026-02-24, end = 2026-07-03 },
  { name = "2026年秋季学期", start = 2026-09-01, end = 2027-01-22 },
]
no_service_days = [
  { date = 2026-06-01, reason = "儿童节(学生放假)" },
  { date = 2026-11-13, reason = "秋季运动会" },
  { from = 2027-01-18, to = 2027-01-20, reason = "期末考试" },
]

"#;

const SESSIONS: &str = r#"[[sessions]]
id = "morning"
label = "早间看护"
label_en = "morning care"
part = "morning"

[[sessions]]
id = "noon"
label = "午间看护"
label_en = "noon care"
part = "noon"

[[sessions]]
id = "stage1"
label = "课后第一时段"
label_en = "afternoon stage 1"
part = "afternoon"

[[sessions]]
id = "stage2"
label = "课后第二时段"
label_en = "afternoon stage 2"
part = "afternoon"

"#;

const DUTY_KINDS: &str = r#"[[duty_kinds]]
id = "morning"
label = "早间看护"
label_en = "morning care"
ledger = "care"
session = "morning"
source = "groups"
enrollment = "morning"
roles = ["homeroom", "subject", "admin"]
grouping = { merge = "band", min = 20, max = 40 }

[[duty_kinds]]
id = "noon"
label = "午餐午休看护"
label_en = "lunch and nap"
priority = "required"
ledger = "care"
session = "noon"
source = "groups"
enrollment = "noon"
roles = ["homeroom", "subject"]
grouping = { merge = "grade", min = 15, max = 50 }

[[duty_kinds]]
id = "homework"
label = "作业辅导"
label_en = "homework help"
ledger = "service"
session = "stage1"
source = "groups"
enrollment = "stage1"
roles = ["homeroom", "subject"]
grouping = { merge = "grade", min = 15, max = 45 }

[[duty_kinds]]
id = "care"
label = "托管看护"
label_en = "care group"
ledger = "service"
session = "stage2"
source = "groups"
enrollment = "stage2"
roles = ["homeroom", "subject", "admin"]
grouping = { merge = "band", min = 20, max = 40 }

[[duty_kinds]]
id = "club"
label = "社团活动"
label_en = "club"
ledger = "service"
session = "stage2"
source = "clubs"
roles = ["homeroom", "subject", "outside"]
weight = 1.2

[[duty_kinds]]
id = "late"
label = "延时托管"
label_en = "late-stay care"
priority = "required"
ledger = "service"
session = "stage2"
source = "groups"
enrollment = "late"
roles = ["homeroom", "subject", "admin"]
until_pickup = true
weight = 1.5
grouping = { merge = "school", min = 15, max = 40, pupils_per_staff = 25 }

# County rule: administrators on duty per day by number of classes.
[[duty_kinds]]
id = "patrol"
label = "行政巡查"
label_en = "patrol"
priority = "required"
ledger = "service"
session = "afternoon"
source = "patrol"
roles = ["admin"]
flat_pay = 40.0
by_size = [
  { max_classes = 6, staff = 1 },
  { max_classes = 12, staff = 2 },
  { max_classes = 18, staff = 3 },
  { max_classes = 24, staff = 4 },
  { max_classes = 36, staff = 6 },
  { max_classes = 9999, staff = 8 },
]

"#;

/// The county rule above, for tests and the guide: patrols per day.
pub(crate) fn patrols_per_day(classes: u32) -> u32 {
    match classes {
        0..=6 => 1,
        7..=12 => 2,
        13..=18 => 3,
        19..=24 => 4,
        25..=36 => 6,
        _ => 8,
    }
}

const RULES: &str = r#"[staff_rules]
max_duties_per_day = 2
max_minutes_per_day = 170
max_duties_per_week = 7
max_minutes_per_week = 420
default_quota = { homeroom = 1.0, subject = 1.0, admin = 0.8, outside = 1.0 }

[[exemptions]]
id = "pregnant"
label = "孕7个月以上"
no_end_after = "work_end"
no_until_pickup = true

[[exemptions]]
id = "nursing"
label = "哺乳期(婴儿未满1周岁)"
no_end_after = "work_end"
no_until_pickup = true
no_sessions = ["morning"]

[pay]
minutes_per_keshi = 40
rate_per_keshi = 50.0
daily_cap_keshi = 4
outside_rate_per_keshi = 80.0

[preferences]
own_class = 3
continuity = 2
noon_and_afternoon = 1
personal_request = 2

[solver]
time_limit_s = 60
max_nodes = 500
mip_rel_gap = 0.0
preferences_gap = 0.01
"#;
