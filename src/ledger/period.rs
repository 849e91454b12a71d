//! The period a workload is asked for: a month, one of the policy's terms,
//! or any range of dates; its words for a title and its part of a file
//! name. What a user typed is read here, and what is wrong with it is a
//! [`PeriodError`] naming the field, said in the user's language at the edge.

use chrono::{Datelike, Months, NaiveDate};

use crate::input::cells::parse_date;
use crate::lang::Lang;
use crate::model::policy::Policy;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    /// A calendar month (its first day is `from`).
    Month,
    /// One of the policy's terms, by its name.
    Term(String),
    /// Any dates.
    Range,
}

/// First and last day (both included), and what they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub span: Span,
}

/// A field of the period's form (and the option of `kehou workload`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Month,
    Term,
    From,
    To,
}

impl Field {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Field::Month => lang.t("月份", "month"),
            Field::Term => lang.t("学期", "term"),
            Field::From => lang.t("开始日期", "from"),
            Field::To => lang.t("结束日期", "to"),
        }
    }
}

/// What is wrong with a period as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("{field:?}: {found:?} is no date")]
    NotADate { field: Field, found: String },
    #[error("{0:?} is no month")]
    NotAMonth(String),
    #[error("no term {0:?}")]
    NoTerm(String),
    #[error("{0:?} is missing")]
    Missing(Field),
    #[error("{from} is after {to}")]
    Order { from: NaiveDate, to: NaiveDate },
}

impl PeriodError {
    /// The field the user should correct.
    pub fn field(&self) -> Field {
        match self {
            PeriodError::NotADate { field, .. } => *field,
            PeriodError::NotAMonth(_) => Field::Month,
            PeriodError::NoTerm(_) => Field::Term,
            PeriodError::Missing(f) => *f,
            PeriodError::Order { .. } => Field::To,
        }
    }

    /// Why, in the user's language, with what was expected.
    pub fn why(&self, policy: &Policy, lang: Lang) -> String {
        match self {
            PeriodError::NotADate { found, .. } => format!(
                "{}; {} {found:?}",
                lang.t(
                    "应为 2000-01-01 至 2100-12-31 之间的日期, 如 2026-12-07",
                    "expected a date from 2000-01-01 to 2100-12-31, such as 2026-12-07",
                ),
                lang.t("收到", "found"),
            ),
            PeriodError::NotAMonth(found) => format!(
                "{}; {} {found:?}",
                lang.t(
                    "应为年-月, 如 2026-12",
                    "expected year-month, such as 2026-12"
                ),
                lang.t("收到", "found"),
            ),
            PeriodError::NoTerm(found) => {
                let names: Vec<&str> = policy
                    .calendar
                    .terms
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect();
                format!(
                    "{} {}; {} {found:?}",
                    lang.t(
                        "应为规则中的学期名称或学期中的一天:",
                        "expected a term of the policy, or a day in it:"
                    ),
                    names.join(", "),
                    lang.t("收到", "found"),
                )
            }
            PeriodError::Missing(_) => lang
                .t(
                    "缺少日期 (开始与结束日期须同时给出)",
                    "missing (give both from and to)",
                )
                .to_string(),
            PeriodError::Order { from, to } => match lang {
                Lang::Zh => format!("结束日期 {to} 早于开始日期 {from}"),
                Lang::En => format!("{to} is before the first day {from}"),
            },
        }
    }
}

/// A month typed as `2026-12`, `2026/12`, `2026.12` or `2026年12月`: its first day.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    let s = s.trim().trim_end_matches('月');
    parse_date(&format!("{s}-01")).filter(|d| d.day() == 1)
}

impl Period {
    /// The calendar month of `day`.
    pub fn month(day: NaiveDate) -> Period {
        let from = day.with_day(1).unwrap_or(day);
        let to = from
            .checked_add_months(Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(from);
        Period {
            from,
            to,
            span: Span::Month,
        }
    }

    /// The policy's term named `word`, or the term holding the date `word`.
    pub fn term(policy: &Policy, word: &str) -> Result<Period, PeriodError> {
        let word = word.trim();
        let day = parse_date(word);
        policy
            .calendar
            .terms
            .iter()
            .find(|t| t.name == word)
            .or_else(|| {
                let d = day?;
                policy
                    .calendar
                    .terms
                    .iter()
                    .find(|t| t.start <= d && d <= t.end)
            })
            .map(|t| Period {
                from: t.start,
                to: t.end,
                span: Span::Term(t.name.clone()),
            })
            .ok_or_else(|| PeriodError::NoTerm(word.to_string()))
    }

    /// Any dates, the first not after the last.
    pub fn range(from: NaiveDate, to: NaiveDate) -> Result<Period, PeriodError> {
        if from > to {
            return Err(PeriodError::Order { from, to });
        }
        Ok(Period {
            from,
            to,
            span: Span::Range,
        })
    }

    /// The period of a form's fields (empty ones count as not given):
    /// from and to, else a term, else a month, else the month of `today`.
    pub fn asked(policy: &Policy, ask: &Ask, today: NaiveDate) -> Result<Period, PeriodError> {
        let given = |s: Option<&str>| {
            s.map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let date =
            |field, s: String| parse_date(&s).ok_or(PeriodError::NotADate { field, found: s });
        match (given(ask.from), given(ask.to)) {
            (Some(f), Some(t)) => return Period::range(date(Field::From, f)?, date(Field::To, t)?),
            (Some(_), None) => return Err(PeriodError::Missing(Field::To)),
            (None, Some(_)) => return Err(PeriodError::Missing(Field::From)),
            (None, None) => {}
        }
        if let Some(t) = given(ask.term) {
            return Period::term(policy, &t);
        }
        match given(ask.month) {
            Some(m) => parse_month(&m)
                .map(Period::month)
                .ok_or(PeriodError::NotAMonth(m)),
            None => Ok(Period::month(today)),
        }
    }

    /// In words, for a title: `2026年12月 (2026-12-01 至 2026-12-31)`.
    pub fn label(&self, lang: Lang) -> String {
        let dates = match lang {
            Lang::Zh => format!("{} 至 {}", self.from, self.to),
            Lang::En => format!("{} to {}", self.from, self.to),
        };
        match &self.span {
            Span::Month => match lang {
                Lang::Zh => format!("{}年{}月 ({dates})", self.from.year(), self.from.month()),
                Lang::En => format!("{} ({dates})", self.from.format("%B %Y")),
            },
            Span::Term(name) => format!("{name} ({dates})"),
            Span::Range => dates,
        }
    }

    /// For a file name: `2026-12`, or `2026-09-01_2027-01-22`.
    pub fn file_part(&self) -> String {
        match self.span {
            Span::Month => self.from.format("%Y-%m").to_string(),
            _ => format!("{}_{}", self.from, self.to),
        }
    }
}

/// A period as typed in a form: each field as given, if given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ask<'a> {
    pub month: Option<&'a str>,
    pub term: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}
