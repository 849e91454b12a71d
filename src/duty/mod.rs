//! During each duty (issue 20, item 2), on the duty teacher's phone: the
//! school plan's attendance, supervision and handover systems and its
//! three checks (a pupil absent without reason, a pupil unwell, parents
//! picking up on time).
//!
//! - `held`: which duties are held on a date, and by whom (the published
//!   roster with the events since); a [`Held`] is the only way to write;
//! - `roll`: who is in a duty's group, from the approved applications;
//! - here: the rules of each write (sign-in, roll call, unwell, pickup,
//!   handover, confirmation), each refused with a clear message and
//!   nothing written when it breaks one;
//! - `notice`: the text a homeroom teacher copies to a parent (never a
//!   health detail).
//!
//! Times are the school's local time; `now` is passed in (the web app's
//! clock), so the rules are the same in a test as on a phone.

mod held;
mod notice;
mod roll;

use chrono::{NaiveDateTime, NaiveTime};

use crate::error::{Error, Result, Said};
use crate::model::policy::Policy;
use crate::model::school::School;
use crate::model::units::Hm;
use crate::record::duty::{Handover, Mark, Pickup, RollCall, SignIn, Unwell};
use crate::record::{Actor, Tx};

pub use held::{day, Day, Held};
pub use notice::absence_notice;
pub use roll::{roll_of_duty, Roll};

/// At most this many characters of an action taken for a pupil unwell.
pub const ACTION_MAX: usize = 200;

fn refused(zh: impl Into<String>, en: impl Into<String>) -> Error {
    Error::Refused(vec![Said::new(zh, en)])
}

/// `t` on the duty's date.
pub fn at_on(held: &Held, t: Hm) -> NaiveDateTime {
    let time = NaiveTime::from_hms_opt(u32::from(t.0 / 60), u32::from(t.0 % 60), 0)
        .unwrap_or(NaiveTime::MIN);
    held.duty.date.and_time(time)
}

/// The clock time of `at`.
pub fn hm(at: NaiveDateTime) -> Hm {
    use chrono::Timelike;
    Hm((at.hour() * 60 + at.minute()) as u16)
}

/// A write on another day than the duty's is refused.
fn on_the_day(held: &Held, now: NaiveDateTime) -> Result<()> {
    if now.date() == held.duty.date {
        return Ok(());
    }
    Err(refused(
        format!(
            "这项任务在 {}, 今天是 {}: 只能在当天记录",
            held.duty.date,
            now.date()
        ),
        format!(
            "this duty is on {}, today is {}: it is recorded on its day only",
            held.duty.date,
            now.date()
        ),
    ))
}

fn not_in_group(pupil_id: i64) -> Error {
    refused(
        format!("学生 {pupil_id} 不在本组名单中"),
        format!("pupil {pupil_id} is not on this group's list"),
    )
}

/// The duty teacher signs in now; late when after the start plus the
/// policy's grace. Once per person and duty.
pub fn sign_in(
    tx: &Tx,
    policy: &Policy,
    held: &Held,
    now: NaiveDateTime,
    by: &Actor,
) -> Result<SignIn> {
    on_the_day(held, now)?;
    if let Some(s) = tx.sign_in_of(&held.duty.id, &held.staff_id)? {
        return Err(refused(
            format!("已于 {} 签到, 不再重复记录", s.at.format("%H:%M")),
            format!(
                "already signed in at {}; not recorded again",
                s.at.format("%H:%M")
            ),
        ));
    }
    let grace = u16::try_from(policy.duty.sign_in_grace_min).unwrap_or(u16::MAX);
    let s = SignIn {
        date: held.duty.date,
        duty_id: held.duty.id.clone(),
        staff_id: held.staff_id.clone(),
        at: now,
        late: hm(now).0 > held.duty.start.0.saturating_add(grace),
    };
    tx.insert_sign_in(&s, by)?;
    Ok(s)
}

/// Record the roll call of some pupils of the group, all or none: a pupil
/// not on the list, or one already called for this duty (the first call
/// is kept; a duplicate is refused, never a change), refuses the whole.
pub fn roll_call(
    tx: &Tx,
    held: &Held,
    roll: &Roll,
    marks: &[(i64, Mark)],
    now: NaiveDateTime,
    by: &Actor,
) -> Result<usize> {
    on_the_day(held, now)?;
    if marks.is_empty() {
        return Err(refused(
            "没有选择任何学生的点名结果",
            "no pupil's mark was chosen",
        ));
    }
    let done = tx.roll_marks(&held.duty.id)?;
    for (i, (id, _)) in marks.iter().enumerate() {
        if !roll.has(*id) {
            return Err(not_in_group(*id));
        }
        let first = done.iter().find(|r| r.pupil_id == *id);
        if let Some(r) = first {
            let name = roll.pupil(*id).map_or(String::new(), |p| p.name.clone());
            return Err(refused(
                format!(
                    "{name} (学生 {id}) 已于 {} 点名为「{}」; 点名只记一次, 未做任何更改",
                    r.at.format("%H:%M"),
                    r.mark.label(crate::lang::Lang::Zh)
                ),
                format!(
                    "{name} (pupil {id}) was already called at {} as \"{}\"; a roll call is taken once, nothing was changed",
                    r.at.format("%H:%M"),
                    r.mark.label(crate::lang::Lang::En)
                ),
            ));
        }
        if marks[..i].iter().any(|(j, _)| j == id) {
            return Err(refused(
                format!("学生 {id} 在表单中出现两次"),
                format!("pupil {id} is twice in the form"),
            ));
        }
    }
    for (id, mark) in marks {
        let r = RollCall {
            duty_id: held.duty.id.clone(),
            pupil_id: *id,
            mark: *mark,
            staff_id: held.staff_id.clone(),
            at: now,
        };
        tx.insert_roll_call(held.duty.date, &r, by)?;
    }
    Ok(marks.len())
}

/// A time of the duty's day that is not ahead of now.
fn not_ahead(at: NaiveDateTime, now: NaiveDateTime) -> Result<()> {
    if at <= now {
        return Ok(());
    }
    Err(refused(
        format!(
            "{} 还没到 (现在 {}): 不能提前记录",
            at.format("%H:%M"),
            now.format("%H:%M")
        ),
        format!(
            "{} has not come yet (it is {}): nothing is recorded ahead of time",
            at.format("%H:%M"),
            now.format("%H:%M")
        ),
    ))
}

/// A pupil unwell: when, and the action taken (for the homeroom teacher
/// and administrators; never in a notice).
#[allow(clippy::too_many_arguments)]
pub fn unwell(
    tx: &Tx,
    held: &Held,
    roll: &Roll,
    pupil_id: i64,
    at: Hm,
    action: &str,
    now: NaiveDateTime,
    by: &Actor,
) -> Result<()> {
    on_the_day(held, now)?;
    if !roll.has(pupil_id) {
        return Err(not_in_group(pupil_id));
    }
    let action = action.trim();
    if action.is_empty() || action.chars().count() > ACTION_MAX {
        return Err(refused(
            format!("请写明采取的措施 (1 到 {ACTION_MAX} 个字)"),
            format!("say what was done (1 to {ACTION_MAX} characters)"),
        ));
    }
    let at = at_on(held, at);
    not_ahead(at, now)?;
    let u = Unwell {
        duty_id: held.duty.id.clone(),
        pupil_id,
        at,
        action: action.to_string(),
        staff_id: held.staff_id.clone(),
    };
    tx.insert_unwell(held.duty.date, &u, by)
}

/// What is recorded of a pupil still with a duty: a pickup or a handover
/// (for the refusals' words).
#[derive(Clone, Copy)]
enum Act {
    Pickup,
    Handover,
}

impl Act {
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Act::Pickup => ("接走", "pickup"),
            Act::Handover => ("交接", "handover"),
        }
    }
}

/// Refused unless the pupil is still with this duty to be picked up or
/// handed over: not marked absent at its roll call (请假 or 无故缺席), not
/// handed over from it to another duty's teacher already (picked up
/// there), not picked up already.
fn still_here(tx: &Tx, held: &Held, roll: &Roll, pupil_id: i64, act: Act) -> Result<()> {
    let (zh_act, en_act) = act.words();
    let name = roll
        .pupil(pupil_id)
        .map_or(String::new(), |p| p.name.clone());
    let who = |zh: bool| match (name.is_empty(), zh) {
        (true, true) => format!("学生 {pupil_id}"),
        (true, false) => format!("pupil {pupil_id}"),
        (false, true) => format!("{name} (学生 {pupil_id})"),
        (false, false) => format!("{name} (pupil {pupil_id})"),
    };
    let hm = |t: NaiveDateTime| t.format("%H:%M").to_string();
    let marks = tx.roll_marks(&held.duty.id)?;
    if let Some(r) = marks
        .iter()
        .find(|r| r.pupil_id == pupil_id && r.mark != Mark::Present)
    {
        return Err(refused(
            format!(
                "{} 已于 {} 点名为「{}」, 不在本组: 不能记录{zh_act}, 未做任何更改",
                who(true),
                hm(r.at),
                r.mark.label(crate::lang::Lang::Zh)
            ),
            format!(
                "{} was marked \"{}\" at the roll call at {}, not with this group: no {en_act} is recorded, nothing was changed",
                who(false),
                r.mark.label(crate::lang::Lang::En),
                hm(r.at)
            ),
        ));
    }
    let handovers = tx.handovers_of(held.duty.date, &held.duty.id)?;
    if let Some(h) = handovers
        .iter()
        .find(|h| h.from_duty == held.duty.id && h.pupils.contains(&pupil_id))
    {
        let (zh_then, en_then) = match act {
            Act::Pickup => (
                "请由接班的老师在那项任务中记录接走",
                "the receiving teacher records the pickup on that duty",
            ),
            Act::Handover => ("不能再次交接", "a pupil is handed over from a duty once"),
        };
        return Err(refused(
            format!(
                "{} 已于 {} 交给 {} ({}): {zh_then}; 未做任何更改",
                who(true),
                hm(h.at),
                h.to_staff,
                h.to_duty
            ),
            format!(
                "{} was handed over at {} to {} ({}): {en_then}; nothing was changed",
                who(false),
                hm(h.at),
                h.to_staff,
                h.to_duty
            ),
        ));
    }
    let pickups = tx.pickups_of_duty(&held.duty.id)?;
    if let Some(p) = pickups.iter().find(|p| p.pupil_id == pupil_id) {
        return Err(refused(
            format!(
                "{} 已于 {} 被接走, 不在本组: 不能记录{zh_act}, 未做任何更改",
                who(true),
                hm(p.at)
            ),
            format!(
                "{} was already picked up at {}, not with this group: no {en_act} is recorded, nothing was changed",
                who(false),
                hm(p.at)
            ),
        ));
    }
    Ok(())
}

/// A pupil picked up at `at`: not before the duty began, not ahead of
/// now, once; late (flagged) after the policy's late-pickup limit; only a
/// pupil still with this duty (`still_here`).
#[allow(clippy::too_many_arguments)]
pub fn pickup(
    tx: &Tx,
    policy: &Policy,
    held: &Held,
    roll: &Roll,
    pupil_id: i64,
    at: Hm,
    now: NaiveDateTime,
    by: &Actor,
) -> Result<Pickup> {
    on_the_day(held, now)?;
    if !roll.has(pupil_id) {
        return Err(not_in_group(pupil_id));
    }
    if at < held.duty.start {
        return Err(refused(
            format!("接走时间 {at} 早于本任务开始的 {}: 未记录", held.duty.start),
            format!(
                "a pickup at {at} is before this duty began at {}: not recorded",
                held.duty.start
            ),
        ));
    }
    let at = at_on(held, at);
    not_ahead(at, now)?;
    still_here(tx, held, roll, pupil_id, Act::Pickup)?;
    let p = Pickup {
        duty_id: held.duty.id.clone(),
        pupil_id,
        at,
        late: hm(at) > policy.duty.late_pickup_after,
        staff_id: held.staff_id.clone(),
    };
    tx.insert_pickup(held.duty.date, &p, by)?;
    Ok(p)
}

/// The giving teacher hands pupils (a list from the roll, or a count when
/// the group has no list) to the holder of another duty that day; their
/// recording is their confirmation. Its id. Each pupil named must still
/// be with this duty (`still_here`: not absent at its roll call, not
/// picked up or handed over already); else refused, nothing recorded.
#[allow(clippy::too_many_arguments)]
pub fn hand_over(
    tx: &Tx,
    school: &School,
    day: &Day,
    held: &Held,
    roll: &Roll,
    to: (&str, &str),
    pupils: &[i64],
    count: Option<u32>,
    now: NaiveDateTime,
    by: &Actor,
) -> Result<i64> {
    on_the_day(held, now)?;
    let (to_duty, to_staff) = to;
    if to_duty == held.duty.id || day.held_by(school, to_duty, to_staff).is_none() {
        return Err(refused(
            format!("接班人应为当天另一项任务的值班教师 ({to_duty} {to_staff} 不是)"),
            format!("the receiver must hold another duty that day ({to_duty} {to_staff} does not)"),
        ));
    }
    if let Some(id) = pupils.iter().find(|id| !roll.has(**id)) {
        return Err(not_in_group(*id));
    }
    for id in pupils {
        still_here(tx, held, roll, *id, Act::Handover)?;
    }
    let count = match (pupils.is_empty(), count) {
        (false, _) => pupils.len() as u32,
        (true, Some(n)) if n > 0 => n,
        _ => {
            return Err(refused(
                "请选择交接的学生或填写人数",
                "choose the pupils handed over or give their number",
            ))
        }
    };
    let h = Handover {
        id: 0,
        date: held.duty.date,
        from_duty: held.duty.id.clone(),
        from_staff: held.staff_id.clone(),
        to_duty: to_duty.to_string(),
        to_staff: to_staff.to_string(),
        pupils: pupils.to_vec(),
        count,
        at: now,
        confirmed: None,
    };
    tx.insert_handover(&h, by)
}

/// The receiver confirms a handover to their duty, once.
pub fn confirm(tx: &Tx, held: &Held, id: i64, now: NaiveDateTime, by: &Actor) -> Result<()> {
    on_the_day(held, now)?;
    let h = tx
        .handover(held.duty.date, id)?
        .filter(|h| h.to_duty == held.duty.id && h.to_staff == held.staff_id)
        .ok_or_else(|| {
            refused(
                format!("没有交给你这项任务的交接 {id}"),
                format!("there is no handover {id} to you on this duty"),
            )
        })?;
    if let Some((_, at)) = h.confirmed {
        return Err(refused(
            format!("交接 {id} 已于 {} 确认", at.format("%H:%M")),
            format!(
                "handover {id} was already confirmed at {}",
                at.format("%H:%M")
            ),
        ));
    }
    tx.insert_confirm(id, &held.staff_id, now, by)
}
