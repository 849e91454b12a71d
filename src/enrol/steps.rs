//! An application's steps and the state they lead to. The state is never
//! stored apart from the steps: it is replayed from them, so the record
//! keeps who did what and when, and nothing else can disagree with it.

use chrono::{NaiveDate, Weekday};

use crate::error::Said;
use crate::lang::Lang;
use crate::model::policy::{Policy, Source};
use crate::model::school::School;

/// What a family asks for one child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The child's class, as `classes.csv` names it (its id).
    pub class: String,
    /// School weekdays the child attends.
    pub weekdays: Vec<Weekday>,
    /// The sessions, by the policy's enrollment keys (`morning`, `noon`,
    /// `stage1`, `stage2`, `late` in the demo policy).
    pub sessions: Vec<String>,
    /// Clubs by id, in the family's order of preference.
    pub clubs: Vec<String>,
}

/// Who takes a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The family (on the parent page, with the child's invitation code).
    Family,
    /// The homeroom teacher of a class.
    Homeroom { class: String },
    /// The principal (or whoever the school lets approve).
    Principal,
    /// The office entering a paper or imported application.
    Office,
}

/// One step of an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The application itself.
    Apply,
    /// The homeroom teacher's review (of the application or of its
    /// withdrawal).
    Review { ok: bool },
    /// The principal's decision, taking effect `on` that day (for a
    /// withdrawal: the first day the child no longer attends).
    Approve { ok: bool, on: NaiveDate },
    /// The family asks to withdraw from `on`.
    Withdraw { on: NaiveDate },
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Applied,
    Reviewed,
    /// Not approved (by the homeroom teacher or the principal).
    Refused,
    /// Withdrawn before it was approved: it never counted.
    Cancelled,
    /// Counts from `from`.
    Approved {
        from: NaiveDate,
    },
    /// A withdrawal from `until` asked for; still counts until approved.
    Withdrawing {
        from: NaiveDate,
        until: NaiveDate,
        reviewed: bool,
    },
    /// Counted from `from` to the day before `until`.
    Withdrawn {
        from: NaiveDate,
        until: NaiveDate,
    },
}

impl State {
    /// Still waiting for a decision: applied or reviewed, neither
    /// approved, refused nor withdrawn. A pupil has one such at a time.
    pub fn is_open(&self) -> bool {
        matches!(self, State::Applied | State::Reviewed)
    }

    /// Whether the child attends on `date` (an approval in effect).
    pub fn counts_on(&self, date: NaiveDate) -> bool {
        match *self {
            State::Approved { from } | State::Withdrawing { from, .. } => from <= date,
            State::Withdrawn { from, until } => from <= date && date < until,
            _ => false,
        }
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            State::Applied => lang.t("待班主任审核", "awaiting the homeroom teacher"),
            State::Reviewed => lang.t("待校长审定", "awaiting the principal"),
            State::Refused => lang.t("未通过", "refused"),
            State::Cancelled => lang.t("已撤回", "cancelled"),
            State::Approved { .. } => lang.t("已批准", "approved"),
            State::Withdrawing {
                reviewed: false, ..
            } => lang.t(
                "退出待班主任审核",
                "withdrawal awaiting the homeroom teacher",
            ),
            State::Withdrawing { reviewed: true, .. } => {
                lang.t("退出待校长审定", "withdrawal awaiting the principal")
            }
            State::Withdrawn { .. } => lang.t("已退出", "withdrawn"),
        }
    }
}

/// A step that cannot be taken: said in both languages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("step {step}: {}", .why.en)]
pub struct StepError {
    /// 1-based position of the step in the application's steps.
    pub step: usize,
    pub why: Said,
}

/// The state the steps lead to, each taken by its actor, for a child of
/// `class`. The first step must be `Apply`.
pub fn state_of(class: &str, steps: &[(Step, Actor)]) -> Result<State, StepError> {
    let mut state: Option<State> = None;
    for (i, (step, by)) in steps.iter().enumerate() {
        let next = take(state, step, by, class).map_err(|why| StepError { step: i + 1, why })?;
        state = Some(next);
    }
    state.ok_or(StepError {
        step: 0,
        why: Said::new("没有申请", "no application"),
    })
}

fn take(state: Option<State>, step: &Step, by: &Actor, class: &str) -> Result<State, Said> {
    let homeroom = matches!(by, Actor::Homeroom { class: c } if c == class);
    use State as S;
    match (state, step) {
        (None, Step::Apply)
            if !matches!(by, Actor::Principal | Actor::Homeroom { .. }) || homeroom =>
        {
            Ok(S::Applied)
        }
        (None, Step::Apply) => Err(not_yours(class)),
        (None, _) => Err(Said::new(
            "第一步须是申请",
            "the first step must be the application",
        )),
        (Some(_), Step::Apply) => Err(Said::new("已经申请过", "already applied")),
        (Some(s), Step::Review { .. }) if !homeroom => Err(only(
            s,
            (
                &format!("{class} 的班主任"),
                &format!("the homeroom teacher of {class}"),
            ),
        )),
        (Some(s), Step::Approve { .. }) if *by != Actor::Principal => {
            Err(only(s, ("校长", "the principal")))
        }
        (Some(S::Applied), Step::Review { ok }) => Ok(if *ok { S::Reviewed } else { S::Refused }),
        (Some(S::Reviewed), Step::Approve { ok: true, on }) => Ok(S::Approved { from: *on }),
        (Some(S::Reviewed), Step::Approve { ok: false, .. }) => Ok(S::Refused),
        (Some(S::Applied | S::Reviewed), Step::Withdraw { .. }) => Ok(S::Cancelled),
        (Some(S::Approved { from }), Step::Withdraw { on }) if *on >= from => Ok(S::Withdrawing {
            from,
            until: *on,
            reviewed: false,
        }),
        (Some(S::Approved { from }), Step::Withdraw { .. }) => Err(Said::new(
            format!("退出日期早于批准生效的 {from}"),
            format!("the withdrawal is dated before the approval took effect on {from}"),
        )),
        (
            Some(S::Withdrawing {
                from,
                until,
                reviewed: false,
            }),
            Step::Review { ok },
        ) => Ok(if *ok {
            S::Withdrawing {
                from,
                until,
                reviewed: true,
            }
        } else {
            S::Approved { from }
        }),
        (
            Some(S::Withdrawing {
                from,
                reviewed: true,
                ..
            }),
            Step::Approve { ok, on },
        ) => Ok(match (*ok, *on >= from) {
            (true, true) => S::Withdrawn { from, until: *on },
            (true, false) => {
                return Err(Said::new(
                    format!("退出生效日期早于批准生效的 {from}"),
                    format!("the withdrawal takes effect before the approval did, on {from}"),
                ))
            }
            (false, _) => S::Approved { from },
        }),
        (Some(s), _) => Err(Said::new(
            format!("申请{}, 不能这样操作", s.label(Lang::Zh)),
            format!(
                "the application is {}: this step does not apply",
                s.label(Lang::En)
            ),
        )),
    }
}

fn not_yours(class: &str) -> Said {
    Said::new(
        format!("只有 {class} 的班主任、家长或学校办公室可以提交申请"),
        format!("only the family, the homeroom teacher of {class} or the office may apply"),
    )
}

/// The step is someone else's: `(zh, en)` names who may take it.
fn only(s: State, (zh, en): (&str, &str)) -> Said {
    Said::new(
        format!("申请{}: 这一步只能由{zh}完成", s.label(Lang::Zh)),
        format!(
            "the application is {}: only {en} may take this step",
            s.label(Lang::En)
        ),
    )
}

/// A choice that does not fit the school: a field and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {}", .why.en)]
pub struct ChoiceError {
    /// The field as a form or an import names it: `class`, `weekdays`,
    /// `sessions`, `clubs`.
    pub field: &'static str,
    pub why: Said,
}

/// Every problem of a choice at once: a class the school does not have,
/// no weekday or session, a session the policy does not count, a club
/// that does not exist or does not meet on a chosen weekday.
pub fn check_choice(policy: &Policy, school: &School, c: &Choice) -> Vec<ChoiceError> {
    let mut out = Vec::new();
    let mut bad = |field, zh: String, en: String| {
        out.push(ChoiceError {
            field,
            why: Said::new(zh, en),
        })
    };
    if !school.classes.iter().any(|k| k.id == c.class) {
        bad(
            "class",
            format!("没有班级 \"{}\"", c.class),
            format!("there is no class \"{}\"", c.class),
        );
    }
    if c.weekdays.is_empty() {
        bad(
            "weekdays",
            "至少选择一天".into(),
            "choose at least one weekday".into(),
        );
    }
    if let Some(w) = c.weekdays.iter().find(|w| w.num_days_from_monday() > 4) {
        bad(
            "weekdays",
            format!("{} 不是上课日", Lang::Zh.weekday(*w)),
            format!("{} is not a school weekday", Lang::En.weekday(*w)),
        );
    }
    let keys = session_keys(policy);
    if c.sessions.is_empty() {
        bad(
            "sessions",
            "至少选择一个时段".into(),
            "choose at least one session".into(),
        );
    }
    for s in c.sessions.iter().filter(|s| !keys.contains(&s.as_str())) {
        bad(
            "sessions",
            format!("没有时段 \"{s}\" (可选: {})", keys.join(", ")),
            format!("there is no session \"{s}\" (one of: {})", keys.join(", ")),
        );
    }
    for id in &c.clubs {
        match school.clubs.iter().find(|k| &k.id == id) {
            None => bad(
                "clubs",
                format!("没有社团 \"{id}\""),
                format!("there is no club \"{id}\""),
            ),
            Some(k) if !k.weekdays.iter().any(|w| c.weekdays.contains(w)) => bad(
                "clubs",
                format!("社团 \"{}\" 不在所选的日子活动", k.name),
                format!("club \"{}\" does not meet on the weekdays chosen", k.name),
            ),
            Some(_) => {}
        }
    }
    out
}

/// The enrollment keys the policy's grouped duties count, in policy order.
pub(crate) fn session_keys(policy: &Policy) -> Vec<&str> {
    let mut keys: Vec<&str> = Vec::new();
    for k in &policy.duty_kinds {
        if let Source::Groups { enrollment, .. } = &k.source {
            if !keys.contains(&enrollment.as_str()) {
                keys.push(enrollment);
            }
        }
    }
    keys
}
