//! `kehou validate`: the policy and every CSV file checked.

use crate::app::context::Ctx;
use crate::error::Result;

pub(crate) fn run(cx: &Ctx) -> Result<i32> {
    let (policy, school) = cx.load()?;
    println!(
        "{}: {} {}, {} {}, {} {}, {} {}",
        cx.t("校验通过", "valid"),
        school.staff.len(),
        cx.t("名教职工", "staff"),
        school.classes.len(),
        cx.t("个班级", "classes"),
        school.clubs.len(),
        cx.t("个社团", "clubs"),
        policy.duty_kinds.len(),
        cx.t("类任务", "duty kinds")
    );
    Ok(0)
}
