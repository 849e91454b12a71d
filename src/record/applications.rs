//! Applications kept in the record (schema migration 5): the pupil, what
//! the family chose, and every step with who took it. The state is
//! replayed from the steps by `enrol::state_of`; a step the rules refuse is
//! not written.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Weekday};
use rusqlite::{params, OptionalExtension};

use crate::enrol::{self, Choice, State, Step};
use crate::error::{Error, Result, Said};
use crate::model::school::Attends;

use super::{now, Actor, Tx};

/// A pupil as the record keeps them (blank once erased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pupil {
    pub id: i64,
    pub class_id: String,
    pub name: String,
    pub guardian: String,
    pub phone: String,
    pub erased: bool,
}

/// An application with its state now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub id: i64,
    pub pupil_id: i64,
    pub choice: Choice,
    pub applied_at: String,
    pub state: State,
}

fn refused(zh: String, en: String) -> Error {
    Error::Refused(vec![Said::new(zh, en)])
}

fn actor_text(a: &enrol::Actor) -> String {
    match a {
        enrol::Actor::Family => "family".into(),
        enrol::Actor::Homeroom { class } => format!("homeroom:{class}"),
        enrol::Actor::Principal => "principal".into(),
        enrol::Actor::Office => "office".into(),
    }
}

fn actor_of(s: &str) -> enrol::Actor {
    match s {
        "family" => enrol::Actor::Family,
        "principal" => enrol::Actor::Principal,
        "office" => enrol::Actor::Office,
        other => enrol::Actor::Homeroom {
            class: other.strip_prefix("homeroom:").unwrap_or(other).to_string(),
        },
    }
}

fn step_columns(s: &Step) -> (&'static str, bool, String) {
    match s {
        Step::Apply => ("apply", true, String::new()),
        Step::Review { ok } => ("review", *ok, String::new()),
        Step::Approve { ok, on } => ("approve", *ok, on.to_string()),
        Step::Withdraw { on } => ("withdraw", true, on.to_string()),
    }
}

fn step_of(kind: &str, ok: bool, on: &str) -> Option<Step> {
    let date = || NaiveDate::parse_from_str(on, "%Y-%m-%d").ok();
    Some(match kind {
        "apply" => Step::Apply,
        "review" => Step::Review { ok },
        "approve" => Step::Approve { ok, on: date()? },
        "withdraw" => Step::Withdraw { on: date()? },
        _ => return None,
    })
}

fn days_text(ws: &[Weekday]) -> String {
    let n: Vec<String> = ws
        .iter()
        .map(|w| w.number_from_monday().to_string())
        .collect();
    n.join(",")
}

fn days_of(s: &str) -> Vec<Weekday> {
    s.split(',')
        .filter_map(|x| x.parse::<u8>().ok())
        .filter_map(|n| Weekday::try_from(n.checked_sub(1)?).ok())
        .collect()
}

fn list_of(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// A new application refused while `open` waits for a decision (`who`:
/// the pupil, in each language).
fn still_open(open: &Application, zh_who: &str, en_who: &str) -> Error {
    let id = open.id;
    refused(
        format!(
            "{zh_who} 已有一份未决的申请 (申请 {id}, {}, {} 提交): 一名学生同时只能有一份待审核的申请; 请先审核、不批准或撤回它. 未做任何更改",
            open.state.label(crate::lang::Lang::Zh),
            open.applied_at.get(..10).unwrap_or(&open.applied_at),
        ),
        format!(
            "{en_who} already has an application waiting for a decision (application {id}, {}, made {}): a pupil has one application under review at a time; decide or withdraw it first. Nothing was changed",
            open.state.label(crate::lang::Lang::En),
            open.applied_at.get(..10).unwrap_or(&open.applied_at),
        ),
    )
}

impl Tx<'_> {
    /// Add a pupil; their id.
    pub fn add_pupil(
        &self,
        class_id: &str,
        name: &str,
        guardian: &str,
        phone: &str,
        by: &Actor,
    ) -> Result<i64> {
        self.tx
            .execute(
                "INSERT INTO pupils (class_id, name, guardian, phone, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![class_id, name, guardian, phone, now()],
            )
            .map_err(|e| self.err(e))?;
        let id = self.tx.last_insert_rowid();
        // The audit names the row, never the child.
        self.audit(
            by,
            "add pupil",
            None,
            &format!("pupil {id} class {class_id}"),
        )?;
        Ok(id)
    }

    pub fn pupil(&self, id: i64) -> Result<Option<Pupil>> {
        self.tx
            .query_row(
                "SELECT id, class_id, name, guardian, phone, erased_at IS NOT NULL FROM pupils WHERE id = ?1",
                [id],
                |r| {
                    Ok(Pupil {
                        id: r.get(0)?,
                        class_id: r.get(1)?,
                        name: r.get(2)?,
                        guardian: r.get(3)?,
                        phone: r.get(4)?,
                        erased: r.get(5)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Erase a pupil's name and contacts (at a family's withdrawal); the
    /// applications stay, naming no one.
    pub fn erase_pupil(&self, id: i64, by: &Actor) -> Result<()> {
        let n = self
            .tx
            .execute(
                "UPDATE pupils SET name = '', guardian = '', phone = '', erased_at = ?2 WHERE id = ?1 AND erased_at IS NULL",
                params![id, now()],
            )
            .map_err(|e| self.err(e))?;
        if n == 0 {
            return Err(refused(
                format!("没有可删除的学生 {id}"),
                format!("there is no pupil {id} to erase"),
            ));
        }
        self.audit(by, "erase pupil", None, &format!("pupil {id}"))
    }

    /// Record an application for a pupil (its first step); its id.
    pub fn apply(
        &self,
        pupil_id: i64,
        c: &Choice,
        actor: &enrol::Actor,
        by: &Actor,
    ) -> Result<i64> {
        let pupil = self.pupil(pupil_id)?.ok_or_else(|| {
            refused(
                format!("没有学生 {pupil_id}"),
                format!("there is no pupil {pupil_id}"),
            )
        })?;
        if pupil.class_id != c.class {
            return Err(refused(
                format!(
                    "学生 {pupil_id} 在 {} 班, 申请写的是 {}",
                    pupil.class_id, c.class
                ),
                format!(
                    "pupil {pupil_id} is in class {}, the application names {}",
                    pupil.class_id, c.class
                ),
            ));
        }
        enrol::state_of(&c.class, &[(Step::Apply, actor.clone())])
            .map_err(|e| Error::Refused(vec![e.why]))?;
        if let Some(open) = self.open_application(pupil_id)? {
            return Err(still_open(
                &open,
                &format!("学生 {pupil_id}"),
                &format!("pupil {pupil_id}"),
            ));
        }
        self.tx
            .execute(
                "INSERT INTO applications (pupil_id, class_id, weekdays, sessions, clubs, applied_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![pupil_id, c.class, days_text(&c.weekdays), c.sessions.join(","), c.clubs.join(","), now()],
            )
            .map_err(|e| self.err(e))?;
        let id = self.tx.last_insert_rowid();
        self.insert_step(id, &Step::Apply, actor, "", by)?;
        Ok(id)
    }

    /// An application as the office or the homeroom teacher enters a
    /// paper form or an imported row (`pupil`: name, guardian, phone); the
    /// application's id. A pupil of the same class and name (not erased)
    /// is the same child: the application is theirs (a change from the
    /// date it is approved, counted once by `enrol::enrollment_on`), their
    /// recorded contacts kept; otherwise a new pupil. Refused, nothing
    /// written, while that pupil has an application open: the same child
    /// entered twice.
    pub fn enter(
        &self,
        pupil: (&str, &str, &str),
        c: &Choice,
        actor: &enrol::Actor,
        by: &Actor,
    ) -> Result<i64> {
        let (name, guardian, phone) = pupil;
        let mut same = None;
        for p in self.pupils_of_class(&c.class)? {
            if p.name != name {
                continue;
            }
            if let Some(open) = self.open_application(p.id)? {
                let class = &c.class;
                return Err(still_open(
                    &open,
                    &format!("{class} 班的「{name}」"),
                    &format!("「{name}」 of class {class}"),
                ));
            }
            // The first such pupil (an older record may hold two).
            same = same.or(Some(p.id));
        }
        let id = match same {
            Some(id) => id,
            None => self.add_pupil(&c.class, name, guardian, phone, by)?,
        };
        self.apply(id, c, actor, by)
    }

    /// The pupil's application still waiting for a decision (applied or
    /// reviewed, neither approved, refused nor withdrawn), if any.
    pub fn open_application(&self, pupil_id: i64) -> Result<Option<Application>> {
        Ok(self
            .applications_of_pupil(pupil_id)?
            .into_iter()
            .find(|a| a.state.is_open()))
    }

    /// Take a step on an application; the state it leads to. Refused (and
    /// nothing written) when the rules do not allow it.
    pub fn step(
        &self,
        id: i64,
        step: &Step,
        actor: &enrol::Actor,
        note: &str,
        by: &Actor,
    ) -> Result<State> {
        let (class, mut steps) = self.steps(id)?;
        steps.push((step.clone(), actor.clone()));
        let state = enrol::state_of(&class, &steps).map_err(|e| Error::Refused(vec![e.why]))?;
        self.insert_step(id, step, actor, note, by)?;
        Ok(state)
    }

    fn insert_step(
        &self,
        id: i64,
        step: &Step,
        actor: &enrol::Actor,
        note: &str,
        by: &Actor,
    ) -> Result<()> {
        let (kind, ok, on) = step_columns(step);
        self.tx
            .execute(
                "INSERT INTO application_steps (application_id, step, ok, on_date, actor, note, at, who, via)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![id, kind, ok, on, actor_text(actor), note, now(), by.who, by.via],
            )
            .map_err(|e| self.err(e))?;
        self.audit(
            by,
            "application step",
            None,
            &format!("application {id} {kind} {}", if ok { "ok" } else { "no" }),
        )
    }

    /// An application's class and its steps, in order.
    fn steps(&self, id: i64) -> Result<(String, Vec<(Step, enrol::Actor)>)> {
        let class: String = self
            .tx
            .query_row(
                "SELECT class_id FROM applications WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or_else(|| {
                refused(
                    format!("没有申请 {id}"),
                    format!("there is no application {id}"),
                )
            })?;
        let steps = self.steps_of(Some(id))?.remove(&id).unwrap_or_default();
        Ok((class, steps))
    }

    /// The steps of one application (or of all), in order, by application.
    fn steps_of(&self, only: Option<i64>) -> Result<BTreeMap<i64, Vec<(Step, enrol::Actor)>>> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT application_id, step, ok, on_date, actor FROM application_steps
                 WHERE ?1 IS NULL OR application_id = ?1 ORDER BY application_id, id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([only], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, bool>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out: BTreeMap<i64, Vec<(Step, enrol::Actor)>> = BTreeMap::new();
        for row in rows {
            let (id, kind, ok, on, actor) = row.map_err(|e| self.err(e))?;
            let step = step_of(&kind, ok, &on).ok_or_else(|| Error::Record {
                path: self.path.clone(),
                detail: format!("application {id}: a step that cannot be read ({kind} {on})"),
            })?;
            out.entry(id).or_default().push((step, actor_of(&actor)));
        }
        Ok(out)
    }

    /// Every application with its state now, by id.
    pub fn applications(&self) -> Result<Vec<Application>> {
        let mut st = self
            .tx
            .prepare_cached("SELECT id, pupil_id, class_id, weekdays, sessions, clubs, applied_at FROM applications ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let rows: Vec<_> = rows
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))?;
        // All steps in one query, not one per application.
        let mut all = self.steps_of(None)?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, pupil_id, class, days, sessions, clubs, applied_at) in rows {
            let steps = all.remove(&id).unwrap_or_default();
            let state = enrol::state_of(&class, &steps).map_err(|e| Error::Record {
                path: self.path.clone(),
                detail: format!("application {id}: {}", e.why.en),
            })?;
            let choice = Choice {
                class,
                weekdays: days_of(&days),
                sessions: list_of(&sessions),
                clubs: list_of(&clubs),
            };
            out.push(Application {
                id,
                pupil_id,
                choice,
                applied_at,
                state,
            });
        }
        Ok(out)
    }
}

impl Tx<'_> {
    /// The approved attendance the applications give, for the week's
    /// demand (`School::attends`).
    pub fn attends(&self) -> Result<Vec<Attends>> {
        let apps: Vec<(i64, Choice, State)> = self
            .applications()?
            .into_iter()
            .map(|a| (a.pupil_id, a.choice, a.state))
            .collect();
        Ok(enrol::attends(&apps))
    }
}

/// The approved attendance kept in the record at `path`; none when there
/// is no record yet (nothing is created).
pub fn attends_in(path: &std::path::Path) -> Result<Vec<Attends>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    super::Record::open(path)?.read(|tx| tx.attends())
}

/// An application with the pupil it is for (names: only for the pages
/// that may show them, see docs/enrol.md "Who sees what").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PupilApplication {
    pub application: Application,
    pub pupil: Pupil,
}

fn pupil_from(r: &rusqlite::Row) -> rusqlite::Result<Pupil> {
    Ok(Pupil {
        id: r.get(0)?,
        class_id: r.get(1)?,
        name: r.get(2)?,
        guardian: r.get(3)?,
        phone: r.get(4)?,
        erased: r.get(5)?,
    })
}

impl Tx<'_> {
    /// The pupils of a class (erased ones left out), by id. Personal
    /// data: for the class's homeroom teacher and administrators.
    pub fn pupils_of_class(&self, class: &str) -> Result<Vec<Pupil>> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT id, class_id, name, guardian, phone, erased_at IS NOT NULL FROM pupils
                 WHERE class_id = ?1 AND erased_at IS NULL ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st.query_map([class], pupil_from).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// The applications of a class (or of every class), each with its
    /// pupil, by id. Personal data: for the class's homeroom teacher and
    /// administrators.
    pub fn applications_of_class(&self, class: Option<&str>) -> Result<Vec<PupilApplication>> {
        let mut out = Vec::new();
        for a in self.applications()? {
            if class.is_some_and(|c| c != a.choice.class) {
                continue;
            }
            let pupil = self.pupil(a.pupil_id)?.ok_or_else(|| Error::Record {
                path: self.path.clone(),
                detail: format!("application {}: no pupil {}", a.id, a.pupil_id),
            })?;
            out.push(PupilApplication {
                application: a,
                pupil,
            });
        }
        Ok(out)
    }

    /// One pupil's applications, by id (the parent page: their own child).
    pub fn applications_of_pupil(&self, pupil_id: i64) -> Result<Vec<Application>> {
        Ok(self
            .applications()?
            .into_iter()
            .filter(|a| a.pupil_id == pupil_id)
            .collect())
    }

    /// One application with its state now.
    pub fn application(&self, id: i64) -> Result<Option<Application>> {
        Ok(self.applications()?.into_iter().find(|a| a.id == id))
    }
}
