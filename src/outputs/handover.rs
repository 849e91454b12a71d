//! The handover sheet (交接班表) a duty teacher runs the afternoon from:
//! for each day and each change of stage, which group's pupils (how many)
//! the giver hands to whom, when the giver leaves and when the receiver
//! takes over; "continues" where the same people keep the group; clubs
//! (pupils leave their class for a club, then go home or to late-stay);
//! the care groups' release at the cutoff and late-stay's release to the
//! parents. Signature columns for both sides.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::demand::Duty;
use crate::lang::Lang;
use crate::model::policy::{Part, Policy, Source};
use crate::model::school::School;
use crate::model::units::Hm;
use crate::outputs::terminal::kind_label;
use crate::plan::Plan;

/// What a row of the sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// The giver hands pupils to other people.
    Hand,
    /// The same people keep these pupils into the next stage.
    Continues,
    /// Pupils leave a group for a club (or come to it from their classes).
    ToClub,
    /// Pupils go to their parents (or, not picked up, to late-stay).
    Release,
}

/// One change of hands.
#[derive(Debug, Clone, PartialEq)]
pub struct Handover {
    pub date: NaiveDate,
    /// When the giver's duty ends.
    pub leaves: Hm,
    /// When the receiver's duty starts (the gap in between is real).
    pub at: Hm,
    /// The group handed over, with its duty kind, e.g. `一(1)班 作业辅导`.
    pub from_group: String,
    /// The giver's names (or who the pupils come from).
    pub from: String,
    pub pupils: u32,
    /// The receiving group, e.g. `低年级合班(1) 托管看护`, or the parents.
    pub to_group: String,
    /// The receiver's names, `继续` / `continues`, or the parents.
    pub to: String,
    pub step: Step,
    /// Staff indices of the giver and the receiver (empty: none or parents).
    pub from_staff: Vec<usize>,
    pub to_staff: Vec<usize>,
}

/// The staff of each duty, in roster order.
fn holders(plan: &Plan) -> BTreeMap<usize, Vec<usize>> {
    let mut m: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for a in &plan.assignments {
        m.entry(a.duty).or_default().push(a.staff);
    }
    m
}

struct Ctx<'a> {
    p: &'a Policy,
    s: &'a School,
    plan: &'a Plan,
    holders: BTreeMap<usize, Vec<usize>>,
    lang: Lang,
}

impl Ctx<'_> {
    fn staff(&self, duty: usize) -> Vec<usize> {
        self.holders.get(&duty).cloned().unwrap_or_default()
    }
    fn names(&self, staff: &[usize]) -> String {
        if staff.is_empty() {
            return self.lang.t("(未安排)", "(nobody)").to_string();
        }
        let v: Vec<String> = staff
            .iter()
            .map(|&i| self.s.shown_name(i).into_owned())
            .collect();
        v.join("、")
    }
    fn group(&self, d: &Duty) -> String {
        format!("{} {}", d.group, kind_label(self.p, d.kind, self.lang))
    }
    fn duty(&self, i: usize) -> &Duty {
        &self.plan.demand.duties[i]
    }
    /// The enrollment key of a duty's kind (None: clubs, patrol).
    fn key(&self, d: &Duty) -> Option<&str> {
        match &self.p.duty_kinds[d.kind].source {
            Source::Groups { enrollment, .. } => Some(enrollment.as_str()),
            _ => None,
        }
    }
    fn enrolled(&self, d: &Duty, class: usize, key: &str) -> u32 {
        let wd = d.follows.num_days_from_monday() as u8;
        self.s
            .enrollment
            .get(&(class, wd, key.to_string()))
            .copied()
            .unwrap_or(0)
    }
    fn row(&self, from: usize, to: Option<usize>, pupils: u32, step: Step) -> Handover {
        let d = self.duty(from);
        let from_staff = self.staff(from);
        let (at, to_group, to_staff) = match to {
            Some(t) => (self.duty(t).start, self.group(self.duty(t)), self.staff(t)),
            None => (
                d.end,
                self.lang.t("家长", "parents").to_string(),
                Vec::new(),
            ),
        };
        let to_names = match (step, to) {
            (Step::Continues, _) => self.lang.t("继续", "continues").to_string(),
            (_, Some(_)) => self.names(&to_staff),
            (_, None) => self.lang.t("家长", "parents").to_string(),
        };
        Handover {
            date: d.date,
            leaves: d.end,
            at,
            from_group: self.group(d),
            from: self.names(&from_staff),
            pupils,
            to_group,
            to: to_names,
            step,
            from_staff,
            to_staff,
        }
    }
}

/// The afternoon stages of the policy, in order.
fn stages(p: &Policy) -> Vec<&str> {
    p.sessions
        .iter()
        .filter(|x| x.part == Part::Afternoon)
        .map(|x| x.id.as_str())
        .collect()
}

/// How many of each class's pupils each duty of a group kind takes: a
/// split group's parts are filled in class order, so each class's pupils
/// go to named parts.
fn intake(cx: &Ctx, duties: &[usize]) -> BTreeMap<(usize, usize), u32> {
    // Parts of one split group share kind and classes.
    let mut families: BTreeMap<(usize, Vec<usize>), Vec<usize>> = BTreeMap::new();
    for &i in duties {
        let d = cx.duty(i);
        families
            .entry((d.kind, d.classes.clone()))
            .or_default()
            .push(i);
    }
    let mut out = BTreeMap::new();
    for ((_, classes), parts) in families {
        let Some(key) = cx.key(cx.duty(parts[0])) else {
            continue;
        };
        let mut room: Vec<(usize, u32)> = parts.iter().map(|&i| (i, cx.duty(i).pupils)).collect();
        let mut k = 0;
        for &c in &classes {
            let mut n = cx.enrolled(cx.duty(parts[0]), c, key);
            while n > 0 && k < room.len() {
                let take = n.min(room[k].1);
                if take > 0 {
                    *out.entry((c, room[k].0)).or_insert(0) += take;
                }
                n -= take;
                room[k].1 -= take;
                if room[k].1 == 0 {
                    k += 1;
                }
            }
        }
    }
    out
}

/// The rows of one change of stage on one day: each group of stage `a`
/// hands its pupils to the groups of stage `b` that take its classes, the
/// rest going to a club or home; clubs of stage `b` take pupils from the
/// classes.
fn change(cx: &Ctx, day: &[usize], a: &str, b: &str, out: &mut Vec<Handover>) {
    let of = |st: &str| -> Vec<usize> {
        day.iter()
            .copied()
            .filter(|&i| cx.duty(i).session == st)
            .collect()
    };
    let (src, dst) = (of(a), of(b));
    let taken = intake(cx, &dst);
    // Pupils moving from each source duty to each receiving duty.
    let mut flows: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    for (&(c, t), &n) in &taken {
        let from: Vec<usize> = src
            .iter()
            .copied()
            .filter(|&x| cx.duty(x).classes.contains(&c))
            .collect();
        // A class split over several source parts: even shares.
        let k = from.len() as u32;
        for (j, &x) in from.iter().enumerate() {
            let share = n / k + u32::from((j as u32) < n % k);
            if share > 0 {
                *flows.entry((x, t)).or_insert(0) += share;
            }
        }
    }
    for &x in src.iter().filter(|&&x| !cx.duty(x).classes.is_empty()) {
        let mut moved = 0;
        for (&(_, t), &n) in flows.range((x, 0)..=(x, usize::MAX)) {
            let same = cx.staff(x) == cx.staff(t) && !cx.staff(x).is_empty();
            out.push(cx.row(
                x,
                Some(t),
                n,
                if same { Step::Continues } else { Step::Hand },
            ));
            moved += n;
        }
        let rest = cx.duty(x).pupils.saturating_sub(moved);
        if rest > 0 {
            let mut r = cx.row(x, None, rest, Step::Release);
            r.to_group = cx
                .lang
                .t("社团 / 放学交家长", "a club / home to the parents")
                .to_string();
            r.to = cx
                .lang
                .t("社团教师或家长", "club staff or parents")
                .to_string();
            out.push(r);
        }
    }
    for &t in dst.iter().filter(|&&t| cx.key(cx.duty(t)).is_none()) {
        out.push(club_intake(cx, t, &src));
    }
}

/// A club's pupils come from their classes' groups of the stage before.
fn club_intake(cx: &Ctx, club: usize, src: &[usize]) -> Handover {
    let d = cx.duty(club);
    let leaves = src.iter().map(|&x| cx.duty(x).end).min().unwrap_or(d.start);
    let to_staff = cx.staff(club);
    Handover {
        date: d.date,
        leaves,
        at: d.start,
        from_group: cx.lang.t("各班", "their classes").to_string(),
        from: cx
            .lang
            .t("各班上一时段教师", "each class's staff of the stage before")
            .to_string(),
        pupils: d.pupils,
        to_group: cx.group(d),
        to: cx.names(&to_staff),
        step: Step::ToClub,
        from_staff: Vec::new(),
        to_staff,
    }
}

/// The end of the last stage: care groups and clubs release their pupils
/// to the parents (those not picked up go to late-stay); late-stay hands
/// each pupil to the parents, until the last one is picked up.
fn release(cx: &Ctx, day: &[usize], last: &str, out: &mut Vec<Handover>) {
    let late: Vec<usize> = day
        .iter()
        .copied()
        .filter(|&i| cx.duty(i).until_pickup)
        .collect();
    let late_staff: Vec<usize> = late.iter().flat_map(|&i| cx.staff(i)).collect();
    for &i in day.iter().filter(|&&i| cx.duty(i).session == last) {
        let d = cx.duty(i);
        let mut r = cx.row(i, None, d.pupils, Step::Release);
        if d.until_pickup {
            r.to_group = cx
                .lang
                .t(
                    "家长 (直至全部接走)",
                    "parents (until the last pupil is picked up)",
                )
                .to_string();
        } else if !late.is_empty() {
            r.to_group = match cx.lang {
                Lang::Zh => format!("家长; 未接走的交延时托管 {}", cx.names(&late_staff)),
                Lang::En => format!(
                    "parents; those not picked up to late-stay ({})",
                    cx.names(&late_staff)
                ),
            };
        }
        out.push(r);
    }
}

/// Every row of the week's sheet, day by day in time order.
pub fn handover(p: &Policy, s: &School, plan: &Plan, lang: Lang) -> Vec<Handover> {
    let cx = Ctx {
        p,
        s,
        plan,
        holders: holders(plan),
        lang,
    };
    let st = stages(p);
    let mut out = Vec::new();
    for day in &plan.demand.days {
        let duties: Vec<usize> = (0..plan.demand.duties.len())
            .filter(|&i| cx.duty(i).date == day.date && st.contains(&cx.duty(i).session.as_str()))
            .collect();
        let present: Vec<&str> = st
            .iter()
            .copied()
            .filter(|x| duties.iter().any(|&i| cx.duty(i).session == *x))
            .collect();
        let mut rows = Vec::new();
        for w in present.windows(2) {
            change(&cx, &duties, w[0], w[1], &mut rows);
        }
        if let Some(last) = present.last() {
            release(&cx, &duties, last, &mut rows);
        }
        // Stable: a group's rows stay together, groups in the duties' order.
        rows.sort_by_key(|r| r.leaves);
        out.extend(rows);
    }
    out
}

/// The sheet as CSV for Excel, with empty signature columns.
pub fn handover_csv(p: &Policy, s: &School, plan: &Plan, lang: Lang) -> Vec<u8> {
    use crate::outputs::files::{Cell, CsvOut};
    let h: &[&str] = if lang == Lang::Zh {
        &[
            "日期",
            "星期",
            "交出时间",
            "接收时间",
            "交出组",
            "交出人",
            "人数",
            "接收组",
            "接收人",
            "交出人签字",
            "接收人签字",
        ]
    } else {
        &[
            "date",
            "weekday",
            "leaves",
            "takes over",
            "from group",
            "from",
            "pupils",
            "to group",
            "to",
            "giver's signature",
            "receiver's signature",
        ]
    };
    let mut out = CsvOut::new(h);
    for x in handover(p, s, plan, lang) {
        out.row(vec![
            Cell::Num(x.date.to_string()),
            Cell::Text(lang.weekday(x.date.weekday()).to_string()),
            Cell::Num(x.leaves.to_string()),
            Cell::Num(x.at.to_string()),
            Cell::Text(x.from_group),
            Cell::Text(x.from),
            Cell::Num(x.pupils.to_string()),
            Cell::Text(x.to_group),
            Cell::Text(x.to),
            Cell::Text(String::new()),
            Cell::Text(String::new()),
        ]);
    }
    out.into_bytes()
}
