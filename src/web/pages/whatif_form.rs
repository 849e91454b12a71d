//! The what-if form's fields read into a scenario: each field checked
//! against the school and the policy, a mistake naming the field.

use chrono::{Datelike, NaiveDate};

use crate::lang::Lang;
use crate::model::policy::{Policy, Role};
use crate::model::school::School;
use crate::model::units::{parse_weekday, Hm};
use crate::studies::whatif::{Change, ScenarioSpec};
use crate::web::guard::Cx;
use crate::web::layout::Fail;

/// A form field: its name in the form and its label in both languages.
pub(crate) struct Field {
    pub name: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

const fn f(name: &'static str, zh: &'static str, en: &'static str) -> Field {
    Field { name, zh, en }
}

pub(crate) const NAME: Field = f("name", "方案名称", "scenario name");
pub(crate) const WEEK: Field = f("week", "周", "week");
pub(crate) const LEAVE_STAFF: Field = f("leave_staff", "休假人员", "staff on leave");
pub(crate) const LEAVE_FROM: Field = f("leave_from", "休假开始", "leave from");
pub(crate) const LEAVE_TO: Field = f("leave_to", "休假结束", "leave until");
pub(crate) const LEAVING: Field = f("leaving_staff", "离校人员", "staff leaving");
pub(crate) const HIRE_COUNT: Field = f("hire_count", "新进人数", "hires");
pub(crate) const HIRE_ROLE: Field = f("hire_role", "新进人员角色", "hires' role");
pub(crate) const HIRE_SUBJECT: Field = f("hire_subject", "新进人员学科", "hires' subject");
pub(crate) const HIRE_QUALS: Field = f("hire_quals", "新进人员资质", "hires' qualifications");
pub(crate) const ENROLL_AT: Field = f("enroll_at", "报名变化的年级或班级", "grade or class");
pub(crate) const ENROLL_BY: Field = f("enroll_by", "报名变化", "enrollment change");
pub(crate) const CLUB_ID: Field = f("club_id", "新社团编号", "new club's id");
pub(crate) const CLUB_NAME: Field = f("club_name", "新社团名称", "new club's name");
pub(crate) const CLUB_DAYS: Field = f("club_days", "新社团星期", "new club's weekdays");
pub(crate) const CLUB_SESSION: Field = f("club_session", "新社团时段", "new club's session");
pub(crate) const CLUB_PUPILS: Field = f("club_pupils", "新社团人数", "new club's pupils");
pub(crate) const CLUB_QUAL: Field = f("club_qual", "新社团所需资质", "new club's qualification");
pub(crate) const REMOVE_CLUB: Field = f("remove_club", "撤销社团", "club removed");
pub(crate) const CUTOFF: Field = f("cutoff", "下午结束时间", "afternoon ends at");
pub(crate) const SET_KEY: Field = f("set_key", "规则键", "policy key");
pub(crate) const SET_VALUE: Field = f("set_value", "新值", "new value");

impl Field {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.t(self.zh, self.en)
    }
    fn get<'a>(&self, cx: &'a Cx) -> &'a str {
        cx.field(self.name)
    }
    fn fail(&self, lang: Lang, zh: &str, en: &str) -> Fail {
        Fail::field(lang, self.label(lang), lang.t(zh, en))
    }
}

/// A scenario built from the form: its week, and each change with the
/// field that names it (for a change the school or policy refuses).
pub(crate) struct Built {
    pub week: NaiveDate,
    pub spec: ScenarioSpec,
    pub fields: Vec<&'static Field>,
}

/// A list typed into one field: split at commas, 、, semicolons or spaces.
fn items(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ';', '；', ' ', '\u{3000}'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn toml_date(d: NaiveDate) -> toml::value::Datetime {
    toml::value::Datetime {
        date: Some(toml::value::Date {
            year: d.year() as u16,
            month: d.month() as u8,
            day: d.day() as u8,
        }),
        time: None,
        offset: None,
    }
}

fn date(cx: &Cx, field: &Field) -> Result<NaiveDate, Fail> {
    super::date_field(cx.lang, field.label(cx.lang), field.get(cx))
}

fn staff_ids(cx: &Cx, s: &School, field: &Field) -> Result<Vec<String>, Fail> {
    let ids = items(field.get(cx));
    if let Some(bad) = ids.iter().find(|id| s.staff_index(id).is_none()) {
        let lang = cx.lang;
        let why = match lang {
            Lang::Zh => format!("教职工名单中没有工号 {bad}; 应为工号, 用逗号分隔, 如 T005, T012"),
            Lang::En => format!("no staff with id {bad}; expected staff ids separated by commas, such as T005, T012"),
        };
        return Err(Fail::field(lang, field.label(lang), &why));
    }
    Ok(ids)
}

/// Read the whole form; the first field that cannot be used is named.
pub(crate) fn build(cx: &Cx, p: &Policy, s: &School) -> Result<Built, Fail> {
    let lang = cx.lang;
    let name = NAME.get(cx);
    if name.is_empty() || name.chars().count() > 60 || name == "baseline" {
        return Err(NAME.fail(
            lang,
            "应为 1 到 60 个字的名称 (不能是 baseline)",
            "expected a name of 1 to 60 characters (not baseline)",
        ));
    }
    let week = crate::calendar::monday_of(date(cx, &WEEK)?);
    let mut out = Built {
        week,
        spec: ScenarioSpec {
            name: name.to_string(),
            changes: Vec::new(),
        },
        fields: Vec::new(),
    };
    let mut add = |c: Change, field: &'static Field| {
        out.spec.changes.push(c);
        out.fields.push(field);
    };
    if !LEAVE_STAFF.get(cx).is_empty() {
        let staff = staff_ids(cx, s, &LEAVE_STAFF)?;
        let (from, to) = (date(cx, &LEAVE_FROM)?, date(cx, &LEAVE_TO)?);
        if to < from {
            return Err(LEAVE_TO.fail(
                lang,
                "应不早于休假开始日期",
                "expected a date on or after the leave's start",
            ));
        }
        add(
            Change::Leave {
                staff,
                from: toml_date(from),
                to: toml_date(to),
            },
            &LEAVE_STAFF,
        );
    }
    if !LEAVING.get(cx).is_empty() {
        add(
            Change::Leaves {
                staff: staff_ids(cx, s, &LEAVING)?,
            },
            &LEAVING,
        );
    }
    hire(cx, &mut add)?;
    enrollment(cx, s, &mut add)?;
    club(cx, p, s, &mut add)?;
    let remove = REMOVE_CLUB.get(cx);
    if !remove.is_empty() {
        if !s.clubs.iter().any(|c| c.id == remove) {
            return Err(REMOVE_CLUB.fail(
                lang,
                "学校没有这个社团; 应为社团编号",
                "the school has no such club; expected a club id",
            ));
        }
        add(
            Change::RemoveClub {
                id: remove.to_string(),
            },
            &REMOVE_CLUB,
        );
    }
    let cutoff = CUTOFF.get(cx);
    if !cutoff.is_empty() {
        if Hm::parse(cutoff).is_none() {
            return Err(CUTOFF.fail(lang, "应为时刻, 如 17:30", "expected a time such as 17:30"));
        }
        add(
            Change::Cutoff {
                time: cutoff.to_string(),
            },
            &CUTOFF,
        );
    }
    set(cx, &mut add)?;
    if out.spec.changes.is_empty() {
        return Err(NAME.fail(
            lang,
            "方案没有任何变化; 请至少填写下面的一项",
            "the scenario changes nothing; fill in at least one of the changes below",
        ));
    }
    Ok(out)
}

type Add<'a> = dyn FnMut(Change, &'static Field) + 'a;

fn hire(cx: &Cx, add: &mut Add) -> Result<(), Fail> {
    let lang = cx.lang;
    let count = HIRE_COUNT.get(cx);
    if count.is_empty() || count == "0" {
        return Ok(());
    }
    let Some(n) = count.parse::<u32>().ok().filter(|n| (1..=50).contains(n)) else {
        return Err(HIRE_COUNT.fail(
            lang,
            "应为 1 到 50 的整数",
            "expected a whole number from 1 to 50",
        ));
    };
    let role = HIRE_ROLE.get(cx);
    if Role::parse(role).is_none() {
        return Err(HIRE_ROLE.fail(
            lang,
            "应为 homeroom (班主任), subject (任课教师), admin (行政) 或 outside (外聘)",
            "expected homeroom, subject, admin or outside",
        ));
    }
    add(
        Change::Hire {
            count: n,
            role: role.to_string(),
            subject: HIRE_SUBJECT.get(cx).to_string(),
            qualifications: items(HIRE_QUALS.get(cx)),
        },
        &HIRE_COUNT,
    );
    Ok(())
}

fn enrollment(cx: &Cx, s: &School, add: &mut Add) -> Result<(), Fail> {
    let lang = cx.lang;
    let at = ENROLL_AT.get(cx);
    let by = ENROLL_BY.get(cx).replace(['％', ' '], "%");
    if at.is_empty() && by.is_empty() {
        return Ok(());
    }
    let (grade, class) = match at.parse::<u8>() {
        Ok(g) if s.classes.iter().any(|c| c.grade == g) => (Some(g), None),
        _ if s.classes.iter().any(|c| c.id == at) => (None, Some(at.to_string())),
        _ => {
            return Err(ENROLL_AT.fail(
                lang,
                "应为学校的年级 (如 1) 或班级编号",
                "expected one of the school's grades (such as 1) or a class id",
            ))
        }
    };
    let bad = || {
        ENROLL_BY.fail(
            lang,
            "应为百分比或人数的增减, 如 +15%, -10%, +5",
            "expected a change in per cent or pupils, such as +15%, -10%, +5",
        )
    };
    let (percent, pupils) = match by.strip_suffix('%') {
        Some(p) => (
            Some(
                p.trim_start_matches('+')
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= -100.0 && *x <= 500.0)
                    .ok_or_else(bad)?,
            ),
            None,
        ),
        None => (
            None,
            Some(
                by.trim_start_matches('+')
                    .parse::<i64>()
                    .ok()
                    .filter(|x| x.abs() <= 200)
                    .ok_or_else(bad)?,
            ),
        ),
    };
    add(
        Change::Enrollment {
            grade,
            class,
            percent,
            pupils,
        },
        &ENROLL_AT,
    );
    Ok(())
}

fn club(cx: &Cx, p: &Policy, s: &School, add: &mut Add) -> Result<(), Fail> {
    let lang = cx.lang;
    let id = CLUB_ID.get(cx);
    if id.is_empty() {
        return Ok(());
    }
    if s.clubs.iter().any(|c| c.id == id) {
        return Err(CLUB_ID.fail(
            lang,
            "学校已有这个编号的社团; 应为新的编号",
            "the school has a club of this id; expected a new one",
        ));
    }
    let name = CLUB_NAME.get(cx);
    if name.is_empty() {
        return Err(CLUB_NAME.fail(lang, "应填写社团名称", "expected the club's name"));
    }
    let days = items(CLUB_DAYS.get(cx));
    if days.is_empty() || days.iter().any(|d| parse_weekday(d).is_none()) {
        return Err(CLUB_DAYS.fail(
            lang,
            "应为星期, 用逗号分隔, 如 周二, 周四",
            "expected weekdays separated by commas, such as Tue, Thu",
        ));
    }
    let session = CLUB_SESSION.get(cx);
    if !p.sessions.iter().any(|x| x.id == session) {
        return Err(CLUB_SESSION.fail(
            lang,
            "应为规则文件中的时段编号",
            "expected a session id of the policy",
        ));
    }
    let Some(pupils) = CLUB_PUPILS
        .get(cx)
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=200).contains(n))
    else {
        return Err(CLUB_PUPILS.fail(
            lang,
            "应为 1 到 200 的整数",
            "expected a whole number from 1 to 200",
        ));
    };
    let qual = CLUB_QUAL.get(cx);
    add(
        Change::AddClub {
            id: id.to_string(),
            name: name.to_string(),
            weekdays: days,
            session: session.to_string(),
            pupils,
            qualification: (!qual.is_empty()).then(|| qual.to_string()),
        },
        &CLUB_ID,
    );
    Ok(())
}

fn set(cx: &Cx, add: &mut Add) -> Result<(), Fail> {
    let lang = cx.lang;
    let key = SET_KEY.get(cx);
    if key.is_empty() {
        return Ok(());
    }
    let ok_key = key
        .split('.')
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    if !ok_key {
        return Err(SET_KEY.fail(
            lang,
            "应为规则文件中的键, 用点连接, 如 staff_rules.max_duties_per_week",
            "expected a dotted policy key such as staff_rules.max_duties_per_week",
        ));
    }
    let value = toml::from_str::<toml::Table>(&format!("v = {}", SET_VALUE.get(cx)))
        .ok()
        .and_then(|mut t| t.remove("v"));
    let Some(value) = value else {
        return Err(SET_VALUE.fail(
            lang,
            "应为 TOML 值, 如 6, 60.0, true 或 \"文字\"",
            "expected a TOML value such as 6, 60.0, true or \"text\"",
        ));
    };
    add(
        Change::Set {
            key: key.to_string(),
            value,
        },
        &SET_KEY,
    );
    Ok(())
}
