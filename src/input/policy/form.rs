//! The policy as forms, one per section: which keys each form shows (read
//! from the school's own text, so a school with three seasons sees three),
//! each form field checked on its own (the message names the form field),
//! and the changes a submitted form makes to the text (`edit::apply`).
//! Keys no form shows (overrides, grouping, calendars) are edited as TOML.

use std::collections::HashMap;

use toml_edit::{DocumentMut, Value};

use super::ctx::month_day;
use super::edit::{self, Change, Seg};
use crate::error::{bad_char, Result, Said};
use crate::input::toml_source::path_string;
use crate::model::units::Hm;

/// One form of the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Sessions and seasons, with the cutoffs.
    Seasons,
    DutyKinds,
    StaffRules,
    Exemptions,
    Pay,
    Preferences,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::Seasons,
        Section::DutyKinds,
        Section::StaffRules,
        Section::Exemptions,
        Section::Pay,
        Section::Preferences,
    ];

    /// The section's name in a path (`/admin/policy/form/seasons`).
    pub fn slug(self) -> &'static str {
        match self {
            Section::Seasons => "seasons",
            Section::DutyKinds => "duty_kinds",
            Section::StaffRules => "staff_rules",
            Section::Exemptions => "exemptions",
            Section::Pay => "pay",
            Section::Preferences => "preferences",
        }
    }

    pub fn from_slug(s: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|x| x.slug() == s)
    }

    pub fn title(self) -> Said {
        let (zh, en) = match self {
            Section::Seasons => (
                "时段与作息 (含结束时间)",
                "Sessions and seasons (with the cutoffs)",
            ),
            Section::DutyKinds => ("任务类型与优先级", "Duty kinds and priorities"),
            Section::StaffRules => ("教职工上限与定额", "Staff rules and quotas"),
            Section::Exemptions => ("照顾 (孕期、哺乳期等)", "Exemptions (pregnancy, nursing)"),
            Section::Pay => ("课时与报酬标准", "Pay rates"),
            Section::Preferences => ("偏好权重", "Preferences"),
        };
        Said::new(zh, en)
    }
}

/// What a form field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// `HH:MM`.
    Time,
    /// `HH:MM` or `work_end`.
    TimeOrWorkEnd,
    /// `MM-DD`.
    MonthDay,
    /// A whole number 0..=100,000.
    Count,
    /// A number 0..=10,000 with at most two decimals.
    Decimal,
    Bool,
    /// One of the words.
    Choice(&'static [&'static str]),
}

/// One form field: its name in the form (the key path), its label, what it
/// holds, whether it may be left empty (the key is then removed, and the
/// policy's default applies), and its value in the text now.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub label: Said,
    pub path: Vec<Seg>,
    pub kind: Kind,
    pub optional: bool,
    pub value: String,
}

/// A form field that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Said,
    pub why: Said,
}

pub const PRIORITIES: &[&str] = &["required", "high", "normal"];

/// The fields of `section` in `text`, with their values now.
pub fn fields(text: &str, section: Section) -> Result<Vec<Field>> {
    let doc = edit::document(text)?;
    let mut b = Builder {
        doc: &doc,
        out: Vec::new(),
    };
    match section {
        Section::Seasons => b.seasons(),
        Section::DutyKinds => b.duty_kinds(),
        Section::StaffRules => b.staff_rules(),
        Section::Exemptions => b.exemptions(),
        Section::Pay => b.pay(),
        Section::Preferences => b.preferences(),
    }
    Ok(b.out)
}

struct Builder<'a> {
    doc: &'a DocumentMut,
    out: Vec<Field>,
}

fn key(s: &str) -> Seg {
    Seg::Key(s.to_string())
}

impl Builder<'_> {
    fn add(&mut self, path: Vec<Seg>, label: Said, kind: Kind, optional: bool) {
        let value = edit::value_at(self.doc.as_table(), &path).map_or_else(
            || match kind {
                Kind::Bool => "false".to_string(),
                Kind::Choice(c) => c.last().copied().unwrap_or("").to_string(),
                _ => String::new(),
            },
            shown,
        );
        self.out.push(Field {
            name: path_string(&path),
            label,
            path,
            kind,
            optional,
            value,
        });
    }

    /// The label of `[[table]]` number `i` (its `label`, else its `id`).
    fn name_of(&self, table: &str, i: usize) -> String {
        let at = |k: &str| {
            edit::value_at(self.doc.as_table(), &[key(table), Seg::Index(i), key(k)])
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        at("label")
            .or_else(|| at("id"))
            .unwrap_or_else(|| format!("{table}[{i}]"))
    }

    /// The keys of the (inline) table at `path`.
    fn keys_at(&self, path: &[Seg]) -> Vec<String> {
        edit::table_ref(self.doc.as_table(), path)
            .map(|t| t.iter().map(|(k, _)| k.to_string()).collect())
            .unwrap_or_default()
    }

    fn seasons(&mut self) {
        for i in 0..edit::count(self.doc, "sessions") {
            let s = self.name_of("sessions", i);
            let at = |k: &str| vec![key("sessions"), Seg::Index(i), key(k)];
            self.add(at("label"), label(&s, "名称", "label"), Kind::Text, false);
            self.add(
                at("label_en"),
                label(&s, "英文名称", "English label"),
                Kind::Text,
                true,
            );
        }
        for i in 0..edit::count(self.doc, "seasons") {
            let s = self.name_of("seasons", i);
            let at = |k: &str| vec![key("seasons"), Seg::Index(i), key(k)];
            self.add(at("label"), label(&s, "名称", "label"), Kind::Text, false);
            self.add(
                at("from"),
                label(&s, "起 (月-日)", "from (MM-DD)"),
                Kind::MonthDay,
                false,
            );
            self.add(
                at("to"),
                label(&s, "止 (月-日)", "to (MM-DD)"),
                Kind::MonthDay,
                false,
            );
            self.add(
                at("cutoff"),
                label(&s, "课后服务结束时间", "cutoff (end of the service)"),
                Kind::Time,
                false,
            );
            for sess in self.keys_at(&at("times")) {
                let p = |k: &str| [at("times"), vec![key(&sess), key(k)]].concat();
                let zh = |w: &str| format!("{sess} {w}");
                self.add(
                    p("start"),
                    label(&s, &zh("开始"), &format!("{sess} start")),
                    Kind::Time,
                    false,
                );
                self.add(
                    p("end"),
                    label(
                        &s,
                        &zh("结束 (下午时段可空: 到结束时间)"),
                        &format!("{sess} end (an afternoon stage may be empty: to the cutoff)"),
                    ),
                    Kind::Time,
                    true,
                );
            }
            for band in self.keys_at(&at("dismissal")) {
                let p = [at("dismissal"), vec![key(&band)]].concat();
                self.add(
                    p,
                    label(
                        &s,
                        &format!("{band} 放学时间"),
                        &format!("{band} dismissal"),
                    ),
                    Kind::Time,
                    false,
                );
            }
        }
    }

    fn duty_kinds(&mut self) {
        for i in 0..edit::count(self.doc, "duty_kinds") {
            let s = self.name_of("duty_kinds", i);
            let at = |k: &str| vec![key("duty_kinds"), Seg::Index(i), key(k)];
            self.add(at("label"), label(&s, "名称", "label"), Kind::Text, false);
            self.add(
                at("label_en"),
                label(&s, "英文名称", "English label"),
                Kind::Text,
                true,
            );
            self.add(
                at("priority"),
                label(&s, "优先级", "priority"),
                Kind::Choice(PRIORITIES),
                false,
            );
            self.add(
                at("weight"),
                label(&s, "权重 (空: 1)", "weight (empty: 1)"),
                Kind::Decimal,
                true,
            );
            self.add(
                at("flat_pay"),
                label(
                    &s,
                    "按次报酬 (元, 空: 按课时)",
                    "flat pay per duty (yuan; empty: by 课时)",
                ),
                Kind::Decimal,
                true,
            );
            self.add(
                at("until_pickup"),
                label(&s, "等到全部接走", "until every pupil is picked up"),
                Kind::Bool,
                false,
            );
        }
    }

    fn staff_rules(&mut self) {
        let at = |k: &str| vec![key("staff_rules"), key(k)];
        let rules = [
            (
                "max_duties_per_day",
                "每人每天最多任务数",
                "duties per person and day at most",
            ),
            (
                "max_minutes_per_day",
                "每人每天最多分钟",
                "minutes per person and day at most",
            ),
            (
                "max_duties_per_week",
                "每人每周最多任务数",
                "duties per person and week at most",
            ),
            (
                "max_minutes_per_week",
                "每人每周最多分钟",
                "minutes per person and week at most",
            ),
        ];
        for (k, zh, en) in rules {
            self.add(at(k), Said::new(zh, en), Kind::Count, false);
        }
        for role in self.keys_at(&at("default_quota")) {
            let p = [at("default_quota"), vec![key(&role)]].concat();
            self.add(
                p,
                Said::new(format!("默认定额 {role}"), format!("default quota {role}")),
                Kind::Decimal,
                false,
            );
        }
    }

    fn exemptions(&mut self) {
        for i in 0..edit::count(self.doc, "exemptions") {
            let s = self.name_of("exemptions", i);
            let at = |k: &str| vec![key("exemptions"), Seg::Index(i), key(k)];
            self.add(at("label"), label(&s, "名称", "label"), Kind::Text, false);
            self.add(
                at("no_end_after"),
                label(
                    &s,
                    "不排结束晚于 (HH:MM 或 work_end; 可空)",
                    "no duty ending after (HH:MM or work_end; may be empty)",
                ),
                Kind::TimeOrWorkEnd,
                true,
            );
            self.add(
                at("no_until_pickup"),
                label(&s, "不排延时托管", "no late-stay duty"),
                Kind::Bool,
                false,
            );
        }
    }

    fn pay(&mut self) {
        let at = |k: &str| vec![key("pay"), key(k)];
        self.add(
            at("minutes_per_keshi"),
            Said::new("每课时分钟数", "minutes per 课时"),
            Kind::Count,
            false,
        );
        self.add(
            at("rate_per_keshi"),
            Said::new("每课时报酬 (元)", "yuan per 课时"),
            Kind::Decimal,
            false,
        );
        self.add(
            at("daily_cap_keshi"),
            Said::new(
                "每人每天最多计课时 (可空)",
                "paid 课时 per person and day at most (may be empty)",
            ),
            Kind::Decimal,
            true,
        );
        self.add(
            at("outside_rate_per_keshi"),
            Said::new(
                "校外人员每课时劳务费 (元, 空: 同上)",
                "outside instructors' fee per 课时 (yuan; empty: the rate)",
            ),
            Kind::Decimal,
            true,
        );
    }

    fn preferences(&mut self) {
        let at = |k: &str| vec![key("preferences"), key(k)];
        let prefs = [
            (
                "own_class",
                "班主任看本班 (默认 3)",
                "homeroom teacher on their own class (default 3)",
            ),
            (
                "continuity",
                "相邻时段同一人 (默认 2)",
                "same person across stages (default 2)",
            ),
            (
                "noon_and_afternoon",
                "避免同日午间和下午 (默认 1)",
                "avoid noon and afternoon on one day (default 1)",
            ),
            (
                "personal_request",
                "个人意愿 (默认 2)",
                "personal requests (default 2)",
            ),
        ];
        for (k, zh, en) in prefs {
            self.add(at(k), Said::new(zh, en), Kind::Count, true);
        }
    }
}

fn label(group: &str, zh: &str, en: &str) -> Said {
    Said::new(format!("{group} · {zh}"), format!("{group} · {en}"))
}

/// A value as a form shows it.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.value().clone(),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => f.value().to_string(),
        Value::Boolean(b) => b.value().to_string(),
        other => other.to_string().trim().to_string(),
    }
}

/// The changes a submitted form makes: only the fields whose value
/// differs from the text's, each checked; the first field that cannot be
/// used is named. A field missing from the form is left as it is.
pub fn changes(
    fields: &[Field],
    form: &HashMap<String, String>,
) -> std::result::Result<Vec<Change>, FieldError> {
    let mut out = Vec::new();
    for f in fields {
        let Some(given) = form.get(&f.name).map(|s| s.trim()) else {
            continue;
        };
        let bad = |why: Said| FieldError {
            field: f.label.clone(),
            why,
        };
        if given.is_empty() {
            if !f.optional {
                return Err(bad(Said::new("不能为空", "may not be empty")));
            }
            if !f.value.is_empty() {
                out.push(Change {
                    path: f.path.clone(),
                    value: None,
                });
            }
            continue;
        }
        let (canon, value) = read(f.kind, given, &f.value).map_err(bad)?;
        if canon != canonical(f.kind, &f.value) {
            out.push(Change {
                path: f.path.clone(),
                value: Some(value),
            });
        }
    }
    Ok(out)
}

/// The value as compared (numbers by value: `50` and `50.0` are one).
fn canonical(kind: Kind, s: &str) -> String {
    match kind {
        Kind::Decimal => s.parse::<f64>().map_or(s.to_string(), |v| v.to_string()),
        Kind::Time => Hm::parse(s).map_or(s.to_string(), |h| h.to_string()),
        _ => s.to_string(),
    }
}

/// A form field's text read as its kind: its canonical form and the TOML
/// value to write (`old`: the text's value now, whose type a number keeps).
fn read(kind: Kind, s: &str, old: &str) -> std::result::Result<(String, Value), Said> {
    match kind {
        Kind::Text => text(s).map(|t| (t.clone(), Value::from(t))),
        Kind::Time => Hm::parse(s)
            .map(|h| (h.to_string(), Value::from(h.to_string())))
            .ok_or_else(|| {
                Said::new(
                    format!("\"{s}\" 应为 HH:MM 的时间, 如 17:00"),
                    format!("\"{s}\": expected a time HH:MM, such as 17:00"),
                )
            }),
        Kind::TimeOrWorkEnd if s == "work_end" => Ok((s.to_string(), Value::from(s))),
        Kind::TimeOrWorkEnd => read(Kind::Time, s, old),
        Kind::MonthDay => month_day(s)
            .map(|(m, d)| {
                let t = format!("{m:02}-{d:02}");
                (t.clone(), Value::from(t))
            })
            .ok_or_else(|| {
                Said::new(
                    format!("\"{s}\" 应为 月-日, 如 10-01"),
                    format!("\"{s}\": expected a month-day MM-DD, such as 10-01"),
                )
            }),
        Kind::Count => s
            .parse::<i64>()
            .ok()
            .filter(|v| (0..=100_000).contains(v))
            .map(|v| (v.to_string(), Value::from(v)))
            .ok_or_else(|| {
                Said::new(
                    format!("\"{s}\" 应为 0 到 100000 的整数"),
                    format!("\"{s}\": expected a whole number from 0 to 100000"),
                )
            }),
        Kind::Decimal => decimal(s, old),
        Kind::Bool => match s {
            "true" | "false" => Ok((s.to_string(), Value::from(s == "true"))),
            _ => Err(Said::new("应为 是 或 否", "expected yes or no")),
        },
        Kind::Choice(words) => words
            .iter()
            .find(|w| **w == s)
            .map(|w| (w.to_string(), Value::from(*w)))
            .ok_or_else(|| {
                Said::new(
                    format!("\"{s}\" 应为 {} 之一", words.join(", ")),
                    format!("\"{s}\": expected one of {}", words.join(", ")),
                )
            }),
    }
}

fn text(s: &str) -> std::result::Result<String, Said> {
    if let Some(c) = bad_char(s) {
        return Err(Said::new(
            format!("含有控制字符 {c:?}"),
            format!("holds the control character {c:?}"),
        ));
    }
    if s.chars().count() > 1000 {
        return Err(Said::new("超过 1000 字", "longer than 1000 characters"));
    }
    Ok(s.to_string())
}

/// A decimal 0..=10,000 with at most two places; written as a whole
/// number when the text had one there and this is whole too.
fn decimal(s: &str, old: &str) -> std::result::Result<(String, Value), Said> {
    let places = s.split_once('.').map_or(0, |(_, f)| f.len());
    let v = s
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && (0.0..=10_000.0).contains(v) && places <= 2);
    let Some(v) = v else {
        return Err(Said::new(
            format!("\"{s}\" 应为 0 到 10000 的数, 最多两位小数"),
            format!("\"{s}\": expected a number from 0 to 10000 with at most two decimals"),
        ));
    };
    let whole_before = !old.is_empty() && !old.contains('.') && old.parse::<i64>().is_ok();
    let value = if whole_before && v.fract() == 0.0 {
        Value::from(v as i64)
    } else {
        Value::from(v)
    };
    Ok((v.to_string(), value))
}
