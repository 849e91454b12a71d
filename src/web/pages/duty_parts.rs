//! The parts of one duty's page (`duty.rs`): sign-in, roll call, pickups,
//! a pupil unwell, handovers. Each shows what is recorded and, to the duty
//! teacher, the form that records more (CSRF on every one).

use chrono::NaiveDateTime;
use maud::{html, Markup};

use crate::duty;
use crate::lang::Lang;
use crate::outputs::terminal::kind_label;
use crate::record::duty::Mark;
use crate::web::guard::Cx;
use crate::web::Loaded;

use super::duty::{csrf, DutyView};

fn action(v: &DutyView, what: &str) -> String {
    format!("/duty/{}/{what}", v.duty.id)
}

fn name_of(l: &Loaded, staff_id: &str) -> String {
    l.school
        .staff_index(staff_id)
        .map_or(staff_id.to_string(), |i| {
            l.school.shown_name(i).into_owned()
        })
}

fn pupil_name(v: &DutyView, id: i64) -> String {
    v.roll
        .pupil(id)
        .map_or_else(|| id.to_string(), |p| p.name.clone())
}

fn class_name(l: &Loaded, id: &str) -> String {
    l.school
        .classes
        .iter()
        .find(|c| c.id == id)
        .map_or(id.to_string(), |c| c.name.clone())
}

/// The holders' sign-ins, and the button for the teacher not signed in yet.
pub(super) fn sign_in_box(cx: &Cx, l: &Loaded, v: &DutyView, now: NaiveDateTime) -> Markup {
    let lang = cx.lang;
    let mine = v
        .held
        .as_ref()
        .and_then(|h| v.sign_ins.iter().find(|s| s.staff_id == h.staff_id));
    let grace = l.policy.duty.sign_in_grace_min;
    html! {
        h2 { (lang.t("签到", "Sign-in")) }
        ul { @for s in &v.sign_ins {
            li { (name_of(l, &s.staff_id)) " · " (s.at.format("%H:%M"))
                @if s.late { " " span.flag { (lang.t("迟到", "late")) } } }
        } }
        @if v.held.is_some() && mine.is_none() {
            form method="post" action=(action(v, "signin")) {
                (csrf(cx))
                button.big type="submit" { (lang.t("签到", "Sign in")) " (" (now.format("%H:%M")) ")" }
            }
            p.t { (lang.t("开始后 ", "Later than ")) (grace) (lang.t(" 分钟以后签到记为迟到.", " minutes after the start is late.")) }
        }
    }
}

/// The roll call: each pupil of the list, marked once.
pub(super) fn roll_box(cx: &Cx, l: &Loaded, v: &DutyView) -> Markup {
    let lang = cx.lang;
    let marked = |id: i64| v.marks.iter().find(|m| m.pupil_id == id);
    let open = v.roll.pupils.iter().any(|p| marked(p.id).is_none());
    html! {
        h2 { (lang.t("点名", "Roll call")) }
        @if let Some(why) = &v.roll.no_list { p { (why.render(lang)) } }
        @for &ci in &v.roll.unlisted {
            p.t { (l.school.classes[ci].name) (lang.t(": 没有申请名单 (人数来自 enrollment.csv), 请按班级名册点名.", ": no list from applications (the count is enrollment.csv's); call the class register.")) }
        }
        @if !v.roll.pupils.is_empty() {
            form method="post" action=(action(v, "roll")) {
                (csrf(cx))
                ul.roll { @for p in &v.roll.pupils {
                    li {
                        strong { (p.name) } " " span.t { (class_name(l, &p.class_id)) }
                        @match marked(p.id) {
                            Some(m) => {
                                " · " (m.mark.label(lang)) " " span.t { (m.at.format("%H:%M")) }
                                @if m.mark == Mark::Unexcused { " " span.flag { (lang.t("已提醒班主任", "flagged to the homeroom teacher")) } }
                            }
                            None => @if v.held.is_some() {
                                br;
                                @for m in [Mark::Present, Mark::Leave, Mark::Unexcused] {
                                    label { input type="radio" name=(format!("mark_{}", p.id)) value=(m.code()); " " (m.label(lang)) }
                                }
                            },
                        }
                    }
                } }
                @if v.held.is_some() && open {
                    button.big type="submit" { (lang.t("提交点名", "Record the roll call")) }
                }
            }
        }
    }
}

/// Pickups: the time each pupil left, late ones flagged; the form per pupil.
pub(super) fn pickup_box(cx: &Cx, l: &Loaded, v: &DutyView, now: NaiveDateTime) -> Markup {
    let lang = cx.lang;
    if v.roll.pupils.is_empty() {
        return html! {};
    }
    let limit = l.policy.duty.late_pickup_after;
    let absent = |id: i64| {
        v.marks
            .iter()
            .any(|m| m.pupil_id == id && m.mark != Mark::Present)
    };
    let last = v.pickups.iter().map(|p| p.at).max();
    html! {
        h2 { (lang.t("接走", "Pickups")) }
        p.t { (lang.t("晚于 ", "A pickup after ")) (limit) (lang.t(" 接走会提醒班主任.", " is flagged to the homeroom teacher.")) }
        ul.roll { @for p in &v.roll.pupils {
            li {
                strong { (p.name) }
                @match v.pickups.iter().find(|k| k.pupil_id == p.id) {
                    Some(k) => {
                        " · " (lang.t("接走于 ", "picked up at ")) (k.at.format("%H:%M"))
                        @if k.late { " " span.flag { (lang.t("晚接", "late pickup")) } }
                    }
                    None => @if absent(p.id) { " · " span.t { (lang.t("未到", "absent")) } } @else if v.held.is_some() {
                        form.inline method="post" action=(action(v, "pickup")) {
                            (csrf(cx))
                            input type="hidden" name="pupil" value=(p.id);
                            " " input type="time" name="at" value=(now.format("%H:%M").to_string()) required;
                            " " button type="submit" { (lang.t("接走", "Picked up")) }
                        }
                    },
                }
            }
        } }
        @if let (true, Some(t)) = (v.duty.until_pickup, last) {
            p { (lang.t("最后一名学生接走于 ", "The last pupil left at ")) strong { (t.format("%H:%M")) }
                (lang.t(" (延时托管的实际结束).", " (the late stay's actual end).")) }
        }
    }
}

/// A pupil unwell: the form for the duty teacher; the details for the
/// administrator only (the homeroom teacher sees them on `/duty`).
pub(super) fn unwell_box(cx: &Cx, v: &DutyView, now: NaiveDateTime) -> Markup {
    let lang = cx.lang;
    if v.roll.pupils.is_empty() {
        return html! {};
    }
    html! {
        h2 { (lang.t("身体不适", "A pupil unwell")) }
        @if v.unwell_count > 0 { p { (lang.t("本任务已记录 ", "Recorded on this duty: ")) (v.unwell_count) } }
        @if !v.unwell.is_empty() {
            ul { @for u in &v.unwell { li { (u.at.format("%H:%M")) " " (pupil_name(v, u.pupil_id)) ": " (u.action) } } }
        }
        @if v.held.is_some() {
            form.stack method="post" action=(action(v, "unwell")) {
                (csrf(cx))
                label { (lang.t("学生", "Pupil"))
                    select name="pupil" { @for p in &v.roll.pupils { option value=(p.id) { (p.name) } } } }
                label { (lang.t("时间", "Time")) input type="time" name="at" value=(now.format("%H:%M").to_string()) required; }
                label { (lang.t("采取的措施", "Action taken"))
                    textarea name="action" rows="2" maxlength=(duty::ACTION_MAX) required {} }
                button.big type="submit" { (lang.t("记录身体不适", "Record")) }
            }
            p.t { (lang.t("只有班主任和管理员能看到; 不写入任何通知.", "Seen by the homeroom teacher and administrators only; never in a notice.")) }
        }
    }
}

fn handover_line(
    l: &Loaded,
    v: &DutyView,
    h: &crate::record::duty::Handover,
    lang: Lang,
) -> Markup {
    let group = |id: &str| {
        v.day.duty(id).map_or(id.to_string(), |d| {
            format!("{} {}", kind_label(&l.policy, d.kind, lang), d.group)
        })
    };
    html! {
        (group(&h.from_duty)) " (" (name_of(l, &h.from_staff)) ") → " (group(&h.to_duty)) " (" (name_of(l, &h.to_staff)) "): "
        (h.count) (lang.t(" 人, ", " pupils, ")) (h.at.format("%H:%M"))
        @match &h.confirmed {
            Some((_, at)) => { " · " (lang.t("已确认 ", "confirmed ")) (at.format("%H:%M")) }
            None => { " · " span.flag { (lang.t("待确认", "open")) } }
        }
    }
}

/// Handovers given and received; the form for the giver, the button for
/// the receiver.
pub(super) fn handover_box(cx: &Cx, l: &Loaded, v: &DutyView) -> Markup {
    let lang = cx.lang;
    let me = v.held.as_ref().map(|h| h.staff_id.as_str());
    let targets: Vec<&crate::ledger::Served> = v
        .day
        .held
        .iter()
        .filter(|x| x.duty.id != v.duty.id && x.duty.start >= v.duty.start)
        .collect();
    let picked = |id: i64| v.pickups.iter().any(|k| k.pupil_id == id);
    let here = |id: i64| {
        !picked(id)
            && !v
                .marks
                .iter()
                .any(|m| m.pupil_id == id && m.mark != Mark::Present)
    };
    html! {
        h2 { (lang.t("交接班", "Handover")) }
        @if v.handovers.is_empty() { p.t { (lang.t("还没有交接记录.", "No handover recorded yet.")) } }
        ul { @for h in &v.handovers {
            li {
                (handover_line(l, v, h, lang))
                @if h.confirmed.is_none() && h.to_duty == v.duty.id && Some(h.to_staff.as_str()) == me {
                    form method="post" action=(action(v, "confirm")) {
                        (csrf(cx))
                        input type="hidden" name="handover" value=(h.id);
                        button.big type="submit" { (lang.t("确认接班", "Confirm I took them over")) }
                    }
                }
            }
        } }
        @if me.is_some() && !targets.is_empty() {
            form.stack method="post" action=(action(v, "handover")) {
                (csrf(cx))
                label { (lang.t("交给", "Hand to"))
                    select name="to" { @for x in &targets {
                        option value=(format!("{}|{}", x.duty.id, l.school.staff[x.staff].id)) {
                            (x.duty.start) " " (kind_label(&l.policy, x.duty.kind, lang)) " " (x.duty.group) " · " (l.school.shown_name(x.staff))
                        }
                    } } }
                @if v.roll.pupils.is_empty() {
                    label { (lang.t("人数", "Number of pupils")) input type="number" name="count" min="1" max="999" required; }
                } @else {
                    @for p in v.roll.pupils.iter().filter(|p| here(p.id)) {
                        label { input type="checkbox" name=(format!("p_{}", p.id)) value="1" checked; " " (p.name) }
                    }
                }
                button.big type="submit" { (lang.t("记录交接", "Record the handover")) }
            }
        }
    }
}
