//! `kehou validate`: the policy and every CSV file checked.

use crate::app::context::Ctx;
use crate::calendar;
use crate::error::Result;

pub(crate) fn run(cx: &Ctx) -> Result<i32> {
    let policy = crate::input::policy::load(&cx.policy)?;
    let (school, warnings) = cx.school(&policy);
    // The warnings are shown with the errors, not only once they are fixed.
    crate::app::context::print_warnings(&warnings, cx.lang);
    let school = school?;
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
    // Not an error here: the term may run into a year whose calendar is
    // not yet published; planning a week with such a date is refused.
    if let Some(gap) = calendar::national_gap(&policy, &calendar::uncovered_terms(&policy)) {
        eprintln!("{}: {}", cx.t("警告", "warning"), gap.render(cx.lang));
        eprintln!(
            "  {}",
            cx.t(
                "在含这些日期的周排班(plan、simulate 等)会报错, 直到添加该文件",
                "planning a week with these dates (plan, simulate, ...) stops with this error until the file is added"
            )
        );
    }
    Ok(0)
}
