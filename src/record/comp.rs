//! Comp time taken (弹性上下班, issue 20, item 4), kept in the record
//! (migration 10, `comp_taken`): who took how many minutes on which day,
//! recorded by whom and when; never updated or deleted (a mistake is put
//! right by the administrator's note on a later row, not by changing one).
//! What was earned is computed from the duties served (`ledger::comp`).

use chrono::NaiveDate;
use rusqlite::params;

use crate::error::{Error, Result, Said};
use crate::ledger::comp::{accrual, balances, Balance, Taken};
use crate::model::policy::Policy;
use crate::model::school::School;

use super::{now, Actor, Tx};

/// The longest a note may be.
pub const NOTE_MAX: usize = 200;

/// The span of every term of the policy (comp time is counted over it).
pub fn all_terms(policy: &Policy) -> Option<(NaiveDate, NaiveDate)> {
    let t = &policy.calendar.terms;
    Some((
        t.iter().map(|t| t.start).min()?,
        t.iter().map(|t| t.end).max()?,
    ))
}

/// Everyone's comp time over every term: earned (from the duties served)
/// and taken (from the record). Empty when the policy has no `[comp]`.
pub fn balances_now(tx: &Tx, policy: &Policy, school: &School) -> Result<Vec<Balance>> {
    let (Some(comp), Some((from, to))) = (&policy.comp, all_terms(policy)) else {
        return Ok(Vec::new());
    };
    let served = crate::ledger::served(policy, school, tx, from, to)?;
    Ok(balances(school, &accrual(comp, &served), &tx.comp_taken()?))
}

/// Record that `staff_id` took `minutes` of comp time on `on_date`:
/// refused for someone not on the staff list, a number of minutes that is
/// not positive, or more than their balance.
#[allow(clippy::too_many_arguments)]
pub fn take(
    tx: &Tx,
    policy: &Policy,
    school: &School,
    staff_id: &str,
    on_date: NaiveDate,
    minutes: i64,
    note: &str,
    by: &Actor,
) -> Result<i64> {
    let refuse = |zh: String, en: String| Err(Error::Refused(vec![Said::new(zh, en)]));
    if policy.comp.is_none() {
        return refuse(
            "规则中没有 [comp] (弹性上下班): 不记录调休".into(),
            "the policy has no [comp] block (comp time): nothing is recorded".into(),
        );
    }
    let Some(ix) = school.staff_index(staff_id) else {
        return refuse(
            format!("教职工名单中无此人: {staff_id}; 未做任何记录"),
            format!("no such staff member: {staff_id}; nothing was recorded"),
        );
    };
    if minutes <= 0 || minutes > 24 * 60 {
        return refuse(
            format!("调休分钟数应为 1 到 1440, 而不是 {minutes}; 未做任何记录"),
            format!(
                "minutes of comp taken: expected 1 to 1440, not {minutes}; nothing was recorded"
            ),
        );
    }
    let have = balances_now(tx, policy, school)?
        .iter()
        .find(|b| b.staff == ix)
        .map_or(0, Balance::balance);
    if minutes > have {
        return refuse(
            format!(
                "{} 的调休余额只有 {have} 分钟, 不能调休 {minutes} 分钟; 未做任何记录",
                school.staff[ix].name
            ),
            format!(
                "{} has only {have} minutes of comp time, not {minutes}; nothing was recorded",
                school.staff[ix].name
            ),
        );
    }
    tx.tx
        .execute(
            "INSERT INTO comp_taken (staff_id, on_date, minutes, note, recorded_at, who, via)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                staff_id,
                on_date.to_string(),
                minutes,
                note,
                now(),
                by.who,
                by.via
            ],
        )
        .map_err(|e| tx.err(e))?;
    let id = tx.tx.last_insert_rowid();
    tx.audit(
        by,
        "comp taken",
        None,
        &format!("{staff_id} {minutes} min, row {id}"),
    )?;
    Ok(id)
}

impl Tx<'_> {
    /// Every row of comp time taken, in the order recorded.
    pub fn comp_taken(&self) -> Result<Vec<Taken>> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT id, staff_id, on_date, minutes, note, recorded_at, who FROM comp_taken ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, staff_id, d, minutes, note, recorded_at, who) =
                row.map_err(|e| self.err(e))?;
            out.push(Taken {
                id,
                staff_id,
                on_date: self.stored_date(&d)?,
                minutes,
                note,
                recorded_at,
                who,
            });
        }
        Ok(out)
    }
}
