//! The group robot: after a publication, a markdown digest of the changes
//! (`outputs::notice::digest`) is posted to the school's WeCom or DingTalk
//! robot, if one is set (`/admin/robot`). It runs in the background, after
//! the publication is committed, with a timeout, so a robot that is slow,
//! down or refusing never delays or fails a publish: the outcome is kept
//! for the week's changes page and written to the audit trail (without the
//! URL). Both services take at most 20 messages a minute per robot; the
//! limiter keeps to that, and a message beyond it is not sent (and says so).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::error::Said;
use crate::lang::Lang;
use crate::ledger::history;
use crate::outputs::{notice, robot};
use crate::record::Actor;
use crate::{demand, Result};

use super::Shared;

/// The secret's name in the record.
pub(crate) const SECRET: &str = "robot";
/// Messages a robot takes per `WINDOW`.
pub(crate) const PER_MINUTE: usize = 20;
const WINDOW: Duration = Duration::from_secs(60);
/// How long a post may take, in all.
const TIMEOUT: Duration = Duration::from_secs(5);

/// A sliding window of the sends of the last minute.
#[derive(Default)]
pub(crate) struct Limiter {
    sent: Mutex<VecDeque<Instant>>,
}

impl Limiter {
    /// Take a slot at `now`; else how long until one is free.
    pub fn take(&self, now: Instant) -> std::result::Result<(), Duration> {
        let Ok(mut q) = self.sent.lock() else {
            return Err(WINDOW);
        };
        while q.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            q.pop_front();
        }
        if q.len() >= PER_MINUTE {
            let oldest = q.front().copied().unwrap_or(now);
            return Err(WINDOW.saturating_sub(now.duration_since(oldest)));
        }
        q.push_back(now);
        Ok(())
    }
}

/// What became of a week's digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Sending,
    Sent,
    /// Why it was not sent, in both languages (the page shows one).
    Failed(Said),
}

/// The robot's limiter and each week's last outcome (version, outcome).
#[derive(Default)]
pub(crate) struct Robots {
    pub limiter: Limiter,
    outcomes: Mutex<HashMap<NaiveDate, (u32, Outcome)>>,
}

impl Robots {
    pub fn outcome(&self, monday: NaiveDate) -> Option<(u32, Outcome)> {
        self.outcomes.lock().ok()?.get(&monday).cloned()
    }

    fn set(&self, monday: NaiveDate, version: u32, o: Outcome) {
        if let Ok(mut m) = self.outcomes.lock() {
            m.insert(monday, (version, o));
        }
    }
}

/// After `version` of the week was published: send the digest in the
/// background, if a robot is set.
pub(crate) fn after_publish(st: &Shared, monday: NaiveDate, version: u32, login: &str) {
    let st = st.clone();
    let login = login.to_string();
    tokio::task::spawn_blocking(move || {
        let Ok(Some(r)) = st.with_record(|rec| rec.read(|tx| tx.secret(SECRET))) else {
            return;
        };
        let Ok(r) = serde_json::from_str::<robot::Robot>(&r) else {
            return;
        };
        st.robots.set(monday, version, Outcome::Sending);
        let outcome = match digest(&st, monday, version) {
            Ok((title, text)) => send(&st, &r, &title, &text),
            Err(e) => Err(Said::new(e.render(Lang::Zh), e.render(Lang::En))),
        };
        let (o, line) = match outcome {
            Ok(()) => (Outcome::Sent, format!("v{version} sent")),
            Err(why) => (
                Outcome::Failed(why.clone()),
                format!("v{version} failed: {}", why.en),
            ),
        };
        st.robots.set(monday, version, o);
        let by = Actor {
            who: login,
            via: "kehou serve /robot".into(),
        };
        // The audit line is the outcome's record; a record that cannot be
        // written now says so on the next page that opens it.
        let _ = st.with_record(|rec| rec.write(|tx| tx.audit(&by, "robot", Some(monday), &line)));
    });
}

/// The changes as the notices read them: each with its duty.
pub(crate) fn for_notice<'a>(
    duties: &'a [crate::demand::Duty],
    changes: &'a [history::DutyChange],
) -> Vec<notice::Change<'a>> {
    changes
        .iter()
        .filter_map(|c| {
            Some(notice::Change {
                duty: duties.get(c.duty)?,
                before: &c.before,
                after: &c.after,
            })
        })
        .collect()
}

/// The digest of the week's `version`: its changes against the week as
/// served before it.
fn digest(st: &Shared, monday: NaiveDate, version: u32) -> Result<(String, String)> {
    let h = st.with_record(|rec| rec.read(|tx| tx.week_history(monday)))?;
    let dm = demand::week(&st.now().policy, &st.now().school, monday);
    let changes = history::changes(&dm.duties, &h, version);
    Ok(notice::digest(
        &st.now().policy,
        &st.now().school,
        &for_notice(&dm.duties, &changes),
        monday,
        version,
        Lang::Zh,
    ))
}

/// Post one message, within the rate limit and the timeout; the reason in
/// words (both languages) when it was not taken (never the URL, which is
/// the secret).
pub(crate) fn send(
    st: &Shared,
    r: &robot::Robot,
    title: &str,
    text: &str,
) -> std::result::Result<(), Said> {
    if let Err(wait) = st.robots.limiter.take(Instant::now()) {
        let s = wait.as_secs().max(1);
        return Err(Said::new(
            format!("超出群机器人每分钟 {PER_MINUTE} 条的限制, 未发送 (约 {s} 秒后可再发)"),
            format!("over the group robot's limit of {PER_MINUTE} a minute: not sent (try again in about {s} s)"),
        ));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .build()
        .into();
    let url = robot::signed_url(r, chrono::Utc::now().timestamp_millis());
    let body = robot::body(r.kind, title, text);
    let mut resp = agent
        .post(url.as_str())
        .header("Content-Type", "application/json; charset=utf-8")
        .send(body)
        .map_err(|e| words(&e))?;
    let status = resp.status().as_u16();
    let answer = resp
        .body_mut()
        .with_config()
        .limit(64 * 1024)
        .read_to_string()
        .map_err(|e| words(&e))?;
    if status != 200 {
        return Err(status_words(status));
    }
    robot::accepted(&answer).map_err(|w| {
        Said::new(
            format!("群机器人拒收: {}", w.zh),
            format!("the group robot refused it: {}", w.en),
        )
    })
}

fn status_words(code: u16) -> Said {
    Said::new(
        format!("群机器人回答 HTTP {code}"),
        format!("the group robot answered HTTP {code}"),
    )
}

/// A send's failure in words that never quote the URL.
fn words(e: &ureq::Error) -> Said {
    let s = TIMEOUT.as_secs();
    match e {
        ureq::Error::Timeout(_) => Said::new(
            format!("{s} 秒内没有回应"),
            format!("no answer within {s} s"),
        ),
        ureq::Error::HostNotFound => Said::new(
            "找不到群机器人的主机",
            "the group robot's host was not found",
        ),
        ureq::Error::ConnectionFailed => {
            Said::new("连不上群机器人", "could not connect to the group robot")
        }
        ureq::Error::Io(io) => Said::new(
            format!("网络错误 ({:?})", io.kind()),
            format!("a network error ({:?})", io.kind()),
        ),
        ureq::Error::StatusCode(c) => status_words(*c),
        _ => Said::new("发送失败", "sending failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limiter_takes_twenty_a_minute_then_waits_for_the_oldest() {
        let l = Limiter::default();
        let t0 = Instant::now();
        for i in 0..PER_MINUTE {
            assert!(
                l.take(t0 + Duration::from_secs(i as u64)).is_ok(),
                "send {i}"
            );
        }
        let wait = l
            .take(t0 + Duration::from_secs(30))
            .expect_err("the 21st within a minute is refused");
        assert_eq!(wait, Duration::from_secs(30));
        // A minute after the first, one slot is free again, and only one.
        assert!(l.take(t0 + Duration::from_secs(60)).is_ok());
        assert!(l.take(t0 + Duration::from_secs(60)).is_err());
        assert!(l.take(t0 + Duration::from_secs(61)).is_ok());
    }
}
