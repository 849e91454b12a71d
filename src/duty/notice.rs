//! The text a homeroom teacher copies to a parent when a pupil is absent
//! without reason. It names the child, the day and the duty, and nothing
//! else: never a health detail (an unwell record is not a notice).

use chrono::{Datelike, NaiveDate};

use crate::lang::Lang;
use crate::model::units::Hm;

/// The parent notice for an unexcused absence of `pupil` from the duty
/// `what` (its kind, as the school names it) that began at `start`.
pub fn absence_notice(
    school: &str,
    pupil: &str,
    date: NaiveDate,
    what: &str,
    start: Hm,
    lang: Lang,
) -> String {
    match lang {
        Lang::Zh => format!(
            "【{school}·课后服务】{pupil}家长您好: {}月{}日 {start} 的「{what}」点名时, {pupil}未到, 也没有请假记录. 请尽快回复孩子现在在哪里; 如已请假, 请告知班主任. 谢谢!",
            date.month(),
            date.day()
        ),
        Lang::En => format!(
            "[{school} after-school service] Dear parent of {pupil}: at the roll call of \"{what}\" on {date} at {start}, {pupil} was not there and no leave was recorded. Please reply at once where your child is; if you asked for leave, please tell the homeroom teacher. Thank you."
        ),
    }
}
