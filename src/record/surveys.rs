//! The parent/pupil survey (issue 20, item 4): the administrator opens a
//! survey for one group or club and term; its link carries a random token,
//! which the record keeps only as a BLAKE2b-256 hash (a copy of the file
//! does not give the link). Answers are anonymous: the scores and a
//! comment, and when; nothing about who answered, no pupil data.

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use rusqlite::{params, OptionalExtension};

use crate::error::{Error, Result, Said};
use crate::lang::Lang;
use crate::ledger::appraisal::Feedback;

use super::{now, Actor, Tx};

/// The questions, each scored 1 (poor) to 5 (very good).
pub const QUESTIONS: [(&str, &str); 4] = [
    (
        "孩子在课后服务中是否安全、有人照看?",
        "Is the child safe and looked after during the service?",
    ),
    (
        "作业辅导或活动内容是否对孩子有帮助?",
        "Do the homework help or the activities help the child?",
    ),
    ("老师的服务态度如何?", "How is the teachers' attitude?"),
    ("放学和接送是否有序?", "Are dismissal and pickup orderly?"),
];

/// The longest comment kept.
pub const COMMENT_MAX: usize = 300;
/// The longest group or club name.
pub const TARGET_MAX: usize = 60;

/// A survey's link token's hash, as kept.
pub fn token_hash(token: &str) -> String {
    Blake2b::<U32>::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    pub id: i64,
    /// The group or club, as the duties name it.
    pub target: String,
    pub term: String,
    pub opened_at: String,
    pub who: String,
}

/// A survey's answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub survey: Survey,
    pub answers: u32,
    /// Each question's mean, in hundredths (None: no answer yet).
    pub means: Vec<Option<i64>>,
    pub comments: Vec<String>,
}

impl Results {
    /// The mean of every score given, in hundredths.
    pub fn overall(&self) -> Option<i64> {
        let v: Vec<i64> = self.means.iter().flatten().copied().collect();
        (!v.is_empty()).then(|| crate::ledger::div_round(v.iter().sum(), v.len() as i64))
    }
}

/// The scores of one answer, checked: one per question, each 1 to 5.
pub fn scores(given: &[&str], lang: Lang) -> std::result::Result<Vec<u8>, String> {
    if given.len() != QUESTIONS.len() {
        return Err(lang
            .t("请回答每一个问题", "please answer every question")
            .to_string());
    }
    given
        .iter()
        .enumerate()
        .map(|(i, s)| match s.trim().parse::<u8>() {
            Ok(n @ 1..=5) => Ok(n),
            _ => Err(match lang {
                Lang::Zh => format!("第 {} 题: 应为 1 到 5 分", i + 1),
                Lang::En => format!("question {}: expected a score from 1 to 5", i + 1),
            }),
        })
        .collect()
}

impl Tx<'_> {
    /// Open a survey for `target` in `term`; its link's token is `token`
    /// (kept hashed).
    pub fn open_survey(&self, target: &str, term: &str, token: &str, by: &Actor) -> Result<i64> {
        let t = target.trim();
        if t.is_empty() || t.chars().count() > TARGET_MAX || t.chars().any(char::is_control) {
            return Err(Error::Refused(vec![Said::new(
                format!("班组或社团名称应为 1 到 {TARGET_MAX} 个字符的一行; 未开启问卷"),
                format!("the group or club: expected one line of 1 to {TARGET_MAX} characters; no survey was opened"),
            )]));
        }
        self.tx
            .execute(
                "INSERT INTO surveys (target, term, token_hash, opened_at, who) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![t, term, token_hash(token), now(), by.who],
            )
            .map_err(|e| self.err(e))?;
        let id = self.tx.last_insert_rowid();
        self.audit(
            by,
            "survey opened",
            None,
            &format!("survey {id}: {t}, {term}"),
        )?;
        Ok(id)
    }

    /// The survey a link's token opens, if any.
    pub fn survey_by_token(&self, token: &str) -> Result<Option<Survey>> {
        self.tx
            .query_row(
                "SELECT id, target, term, opened_at, who FROM surveys WHERE token_hash = ?1",
                [token_hash(token)],
                survey_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Keep one anonymous answer.
    pub fn answer_survey(&self, survey: i64, scores: &[u8], comment: &str) -> Result<()> {
        let s: Vec<String> = scores.iter().map(u8::to_string).collect();
        self.tx
            .execute(
                "INSERT INTO survey_answers (survey_id, scores, comment, at) VALUES (?1, ?2, ?3, ?4)",
                params![survey, s.join(","), comment, now()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Every survey with its answers, by id.
    pub fn survey_results(&self) -> Result<Vec<Results>> {
        let mut st = self
            .tx
            .prepare("SELECT id, target, term, opened_at, who FROM surveys ORDER BY id")
            .map_err(|e| self.err(e))?;
        let surveys = st
            .query_map([], survey_row)
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        let mut st = self
            .tx
            .prepare("SELECT scores, comment FROM survey_answers WHERE survey_id = ?1 ORDER BY id")
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for survey in surveys {
            let answers = st
                .query_map([survey.id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .map_err(|e| self.err(e))?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| self.err(e))?;
            out.push(results(survey, &answers));
        }
        Ok(out)
    }
}

fn survey_row(r: &rusqlite::Row) -> rusqlite::Result<Survey> {
    Ok(Survey {
        id: r.get(0)?,
        target: r.get(1)?,
        term: r.get(2)?,
        opened_at: r.get(3)?,
        who: r.get(4)?,
    })
}

/// Means per question (hundredths, half up) and the comments.
fn results(survey: Survey, answers: &[(String, String)]) -> Results {
    let mut sums = vec![(0i64, 0i64); QUESTIONS.len()];
    let mut comments = Vec::new();
    for (scores, comment) in answers {
        for (i, s) in scores.split(',').enumerate() {
            if let (Some(x), Ok(n)) = (sums.get_mut(i), s.parse::<i64>()) {
                x.0 += n;
                x.1 += 1;
            }
        }
        if !comment.is_empty() {
            comments.push(comment.clone());
        }
    }
    Results {
        survey,
        answers: answers.len() as u32,
        means: sums
            .iter()
            .map(|&(s, n)| (n > 0).then(|| crate::ledger::div_round(s * 100, n)))
            .collect(),
        comments,
    }
}

/// The feedback the appraisal sheet reads: per group or club, every
/// survey's answers together (of the terms named; all when empty).
pub fn feedback(results: &[Results], terms: &[&str]) -> Vec<Feedback> {
    let mut by: std::collections::BTreeMap<&str, (u32, i64, i64)> = Default::default();
    for r in results
        .iter()
        .filter(|r| terms.is_empty() || terms.contains(&r.survey.term.as_str()))
    {
        let e = by.entry(r.survey.target.as_str()).or_default();
        e.0 += r.answers;
        for m in r.means.iter().flatten() {
            // Each question's mean weighted by the answers.
            e.1 += m * i64::from(r.answers);
            e.2 += i64::from(r.answers);
        }
    }
    by.into_iter()
        .filter(|(_, (n, _, w))| *n > 0 && *w > 0)
        .map(|(t, (n, s, w))| Feedback {
            target: t.to_string(),
            answers: n,
            mean_centi: crate::ledger::div_round(s, w),
        })
        .collect()
}
