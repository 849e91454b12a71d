//! Accounts, passwords, sessions and the login rate limit.
//!
//! - Passwords are hashed with argon2id (its default parameters, a random
//!   16-byte salt from the operating system); the record keeps only the hash.
//! - A session is a random 32-byte token in the `kehou_session` cookie
//!   (HttpOnly, SameSite=Strict, Path=/); the record keeps its BLAKE2b hash,
//!   the account, the expiry and the session's CSRF token.
//! - Login failures are counted per client address and per account, in
//!   memory: after `MAX_FAILURES` the key must wait `LOCK`. Wrong
//!   invitation codes are counted per client address too, and, from every
//!   client, against a `Ceiling` per minute.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use rand::TryRngCore;

use crate::error::{Error, Result};
use crate::record::accounts::{NewUser, Role, Session, User};
use crate::record::{Actor, Record};

use super::AppState;

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "kehou_session";
/// The login form's CSRF cookie (before there is a session).
pub(crate) const LOGIN_CSRF_COOKIE: &str = "kehou_login_csrf";
/// How long a session lasts.
pub(crate) const SESSION_HOURS: i64 = 12;
/// Failed logins before a wait.
pub(crate) const MAX_FAILURES: u32 = 5;
/// The wait after too many failures.
pub(crate) const LOCK: Duration = Duration::from_secs(5 * 60);
/// Shortest password a person may choose.
pub(crate) const MIN_PASSWORD_CHARS: usize = 10;

/// Random bytes from the operating system.
fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    rand::rngs::OsRng
        .try_fill_bytes(&mut b)
        .map_err(|e| Error::Usage(format!("no randomness from the operating system: {e}")))?;
    Ok(b)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random token (64 hex digits): a session or a CSRF token.
pub(crate) fn token() -> Result<String> {
    Ok(hex(&random::<32>()?))
}

/// The letters of an invitation code: no 0/O or 1/I to misread.
const CODE_LETTERS: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A new invitation code for a family: 12 letters (about 60 bits) in
/// three groups, e.g. `K7QM-2XWD-9PHT`.
pub(crate) fn family_code() -> Result<String> {
    let b = random::<12>()?;
    let letters: Vec<char> = b
        .iter()
        .map(|x| char::from(CODE_LETTERS[usize::from(x % 32)]))
        .collect();
    Ok(letters
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// An invitation code as typed, in the form it was issued (upper case,
/// without spaces or dashes); None when it cannot be one.
pub(crate) fn normal_code(typed: &str) -> Option<String> {
    let c: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{3000}'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (c.len() == 12 && c.bytes().all(|b| CODE_LETTERS.contains(&b))).then_some(c)
}

/// What the record keeps of an invitation code.
pub(crate) fn code_hash(normal: &str) -> String {
    token_hash(&format!("family code {normal}"))
}

/// What the record keeps of a session token.
pub(crate) fn token_hash(token: &str) -> String {
    hex(&Blake2b::<U32>::digest(token.as_bytes()))
}

/// Equal strings, in time independent of where they differ.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A one-time password: 16 characters without look-alikes (no 0/O, 1/l/I).
pub(crate) fn one_time_password() -> Result<String> {
    const ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz23456789K";
    // 256 is a multiple of 32, so each character is uniform.
    Ok(random::<16>()?
        .iter()
        .map(|b| ALPHABET[usize::from(b % 32)] as char)
        .collect())
}

pub(crate) fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::encode_b64(&random::<16>()?)
        .map_err(|e| Error::Usage(format!("password salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Usage(format!("password hash: {e}")))
}

/// A hash to check a password against when the login is unknown, so that
/// an unknown login takes as long as a wrong password.
pub(crate) fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no such account").unwrap_or_default())
}

/// Whether `password` matches the stored hash (a damaged hash never does).
pub(crate) fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// On a record without accounts: create `admin` with a one-time password
/// (returned, to be printed once) that must be changed at first login.
pub(crate) fn first_admin(record: &mut Record) -> Result<Option<String>> {
    if record.read(|tx| tx.user_count())? > 0 {
        return Ok(None);
    }
    let password = one_time_password()?;
    let hash = hash_password(&password)?;
    let by = Actor {
        who: "kehou".into(),
        via: "kehou serve (first start)".into(),
    };
    record.write(|tx| {
        tx.create_user(
            &NewUser {
                login: "admin",
                display_name: "管理员",
                role: Role::Admin,
                password_hash: &hash,
                must_change: true,
                staff_id: None,
            },
            &by,
        )
    })?;
    Ok(Some(password))
}

/// Add an account with a chosen password (not to be changed first).
pub(crate) fn add_account(
    st: &AppState,
    login: &str,
    role: Role,
    staff_id: Option<&str>,
    password: &str,
) -> Result<()> {
    let hash = hash_password(password)?;
    let by = Actor {
        who: "kehou".into(),
        via: "kehou (library)".into(),
    };
    st.with_record(|rec| {
        rec.write(|tx| {
            tx.create_user(
                &NewUser {
                    login,
                    display_name: login,
                    role,
                    password_hash: &hash,
                    must_change: false,
                    staff_id,
                },
                &by,
            )
        })
    })?;
    Ok(())
}

/// Seconds since 1970, for session expiry.
pub(crate) fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A new session for `user`: the cookie's token (the record keeps its hash).
pub(crate) fn open_session(rec: &mut Record, user: &User) -> Result<String> {
    let token = token()?;
    let csrf = self::token()?;
    let expires = unix_now() + SESSION_HOURS * 3600;
    rec.write(|tx| tx.insert_session(&token_hash(&token), user.id, &csrf, expires))?;
    Ok(token)
}

/// The live session a cookie's token names, if any.
pub(crate) fn find_session(rec: &mut Record, token: &str) -> Result<Option<Session>> {
    let h = token_hash(token);
    rec.read(|tx| tx.session(&h, unix_now()))
}

/// The `Set-Cookie` value for a session token (empty token: delete it).
pub(crate) fn session_cookie(token: &str) -> String {
    let age = if token.is_empty() {
        0
    } else {
        SESSION_HOURS * 3600
    };
    format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={age}")
}

/// Failed logins per key ("ip …" or "login …"), in memory.
#[derive(Default)]
pub(crate) struct Limiter {
    map: Mutex<HashMap<String, Attempts>>,
}

#[derive(Debug, Clone, Copy)]
struct Attempts {
    failures: u32,
    locked_until: Option<Instant>,
    last: Instant,
}

/// Keys kept at most; older entries are forgotten beyond this.
const LIMITER_KEYS: usize = 10_000;

impl Limiter {
    /// How long any of `keys` must still wait, if it must.
    pub fn wait(&self, keys: &[String]) -> Option<Duration> {
        let now = Instant::now();
        let map = self.map.lock().ok()?;
        keys.iter()
            .filter_map(|k| map.get(k)?.locked_until)
            .filter(|&t| t > now)
            .map(|t| t - now)
            .max()
    }

    /// One more failure for each key; the `MAX_FAILURES`th locks it.
    pub fn fail(&self, keys: &[String]) {
        self.fail_with(keys, MAX_FAILURES);
    }

    /// Whether `key` failed within the last `LOCK`.
    pub fn failed_recently(&self, key: &str) -> bool {
        let Ok(map) = self.map.lock() else {
            return true;
        };
        map.get(key)
            .is_some_and(|a| a.failures > 0 && a.last.elapsed() < LOCK)
    }

    /// One more failure for each key; the `max`th locks it.
    pub fn fail_with(&self, keys: &[String], max: u32) {
        let now = Instant::now();
        let Ok(mut map) = self.map.lock() else { return };
        if map.len() > LIMITER_KEYS {
            map.retain(|_, a| now.duration_since(a.last) < LOCK);
        }
        for k in keys {
            let a = map.entry(k.clone()).or_insert(Attempts {
                failures: 0,
                locked_until: None,
                last: now,
            });
            a.failures += 1;
            a.last = now;
            if a.failures >= max {
                a.failures = 0;
                a.locked_until = Some(now + LOCK);
            }
        }
    }

    /// A successful login clears the account's count.
    pub fn succeed(&self, key: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(key);
        }
    }
}

/// Wrong invitation codes from every client per `CEILING_WINDOW` before
/// the stricter rule (one wrong code locks a client).
pub(crate) const CODE_CEILING: usize = 30;
const CEILING_WINDOW: Duration = Duration::from_secs(60);

/// The wrong codes of the last minute from every client (at most
/// `CODE_CEILING` kept): a sliding window, in memory.
#[derive(Default)]
pub(crate) struct Ceiling {
    seen: Mutex<VecDeque<Instant>>,
}

impl Ceiling {
    fn pruned(&self, now: Instant) -> Option<std::sync::MutexGuard<'_, VecDeque<Instant>>> {
        let mut q = self.seen.lock().ok()?;
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) >= CEILING_WINDOW)
        {
            q.pop_front();
        }
        Some(q)
    }

    /// Whether `CODE_CEILING` wrong codes came within the minute to `now`.
    pub fn reached(&self, now: Instant) -> bool {
        self.pruned(now).is_none_or(|q| q.len() >= CODE_CEILING)
    }

    /// One more wrong code at `now`.
    pub fn add(&self, now: Instant) {
        if let Some(mut q) = self.pruned(now) {
            q.push_back(now);
            while q.len() > CODE_CEILING {
                q.pop_front();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ceiling_counts_the_last_minute_only() {
        let c = Ceiling::default();
        let t = Instant::now();
        for _ in 0..CODE_CEILING - 1 {
            c.add(t);
        }
        assert!(!c.reached(t));
        c.add(t);
        assert!(c.reached(t));
        assert!(c.reached(t + Duration::from_secs(59)));
        assert!(!c.reached(t + CEILING_WINDOW));
    }

    #[test]
    fn a_lower_allowance_locks_at_once() {
        let l = Limiter::default();
        let k = ["family ip 10.0.0.1".to_string()];
        assert!(!l.failed_recently(&k[0]));
        l.fail(&k);
        assert!(l.failed_recently(&k[0]) && l.wait(&k).is_none());
        l.fail_with(&k, 1);
        assert!(l.wait(&k).is_some());
    }
}
