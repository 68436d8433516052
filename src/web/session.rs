//! Server-side sessions: the cookie holds 32 random bytes; the database holds only their
//! SHA-256, the caller (a citizen's pseudonym, never a BSN), the CSRF token of the forms, and the
//! creation, activity and absolute end. A session ends after a spell of inactivity or at its
//! absolute end, whichever comes first; logging in always starts a new session (no fixation).

use std::time::Duration;

use actix_web::HttpRequest;
use actix_web::http::header::{self, HeaderValue};
use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

use super::oidc::{constant_time_eq, random_token};
use crate::domain::caller::Caller;
use crate::domain::person::PersonId;
use crate::store::sessions::{self, SessionRow};
use crate::store::{Db, StoreError};

/// The cookie when it is `Secure`: the `__Host-` prefix makes the browser refuse it from any
/// other origin, path or without TLS.
pub const SECURE_COOKIE: &str = "__Host-rijksincasso-sessie";
/// The cookie over plain http on the loopback address (development only).
pub const PLAIN_COOKIE: &str = "rijksincasso-sessie";
/// The hidden field of every form that carries the CSRF token.
pub const CSRF_FIELD: &str = "csrf";
/// Activity is recorded at most this often, so that reading pages does not write each time.
const TOUCH_AFTER_SECONDS: i64 = 30;

/// How long sessions last.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    pub idle: Duration,
    pub absolute: Duration,
}

/// A live session: its cookie value (only in memory, to set the cookie) and what it holds.
#[derive(Debug, Clone)]
pub struct Session {
    pub row: SessionRow,
    /// Set when the session was just created and its cookie must be sent.
    pub new_cookie: Option<String>,
}

impl Session {
    /// Who is logged in; `None` for a visitor.
    pub fn caller(&self) -> Option<Caller> {
        caller_of(&self.row)
    }

    pub fn csrf(&self) -> &str {
        &self.row.csrf_token
    }

    /// Whether a submitted form carries this session's CSRF token.
    pub fn csrf_matches(&self, submitted: Option<&str>) -> bool {
        submitted.is_some_and(|s| constant_time_eq(s.as_bytes(), self.row.csrf_token.as_bytes()))
    }
}

/// The caller a stored session stands for. An unknown or incomplete role is no caller.
pub fn caller_of(row: &SessionRow) -> Option<Caller> {
    match (row.role.as_deref(), &row.person, &row.organisation) {
        (Some("burger"), Some(person), _) => Some(Caller::Citizen {
            person: PersonId::from_stored(person.clone()),
        }),
        (Some("schuldhulpverlener"), _, Some(organisation)) => Some(Caller::Counsellor {
            organisation: organisation.clone(),
        }),
        _ => None,
    }
}

/// Compares two secrets in constant time.
pub fn constant_time(a: &str, b: &str) -> bool {
    constant_time_eq(a.as_bytes(), b.as_bytes())
}

/// The hex SHA-256 of a cookie value: what the database keeps.
pub fn hash_id(id: &str) -> String {
    hex::encode(Sha256::digest(id.as_bytes()))
}

pub fn cookie_name(secure: bool) -> &'static str {
    if secure { SECURE_COOKIE } else { PLAIN_COOKIE }
}

/// The `Set-Cookie` value for a session id: HttpOnly, SameSite=Lax (the login callback arrives
/// by a top-level navigation from the provider), Path=/, and Secure with the `__Host-` prefix
/// unless on loopback development. No Max-Age: the browser forgets it when closed; the server
/// ends it anyway.
pub fn set_cookie(id: &str, secure: bool) -> String {
    let mut cookie = format!(
        "{}={id}; Path=/; HttpOnly; SameSite=Lax",
        cookie_name(secure)
    );
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    let mut cookie = format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
        cookie_name(secure)
    );
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}

/// The session id the request carries, if any.
pub fn cookie_value(req: &HttpRequest, secure: bool) -> Option<String> {
    let name = cookie_name(secure);
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| {
            v.len() == 43
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Whether a stored session is still valid at `now`.
pub fn is_live(row: &SessionRow, now: NaiveDateTime, lifetimes: Lifetimes) -> bool {
    let idle = chrono::Duration::from_std(lifetimes.idle).unwrap_or(chrono::Duration::zero());
    now < row.expires_at && now < row.last_seen_at + idle
}

/// A fresh session row for a cookie value, with a fresh CSRF token and no caller.
pub fn new_row(id: &str, now: NaiveDateTime, lifetimes: Lifetimes) -> SessionRow {
    let absolute =
        chrono::Duration::from_std(lifetimes.absolute).unwrap_or(chrono::Duration::zero());
    SessionRow {
        id_hash: hash_id(id),
        role: None,
        person: None,
        organisation: None,
        csrf_token: random_token(),
        oidc_state: None,
        oidc_nonce: None,
        oidc_verifier: None,
        created_at: now,
        last_seen_at: now,
        expires_at: now + absolute,
    }
}

/// Sessions in the database.
#[derive(Clone)]
pub struct Store {
    pub db: Db,
    pub lifetimes: Lifetimes,
    pub secure: bool,
}

impl Store {
    /// The request's live session. An ended one is removed and counts as none.
    pub async fn load(
        &self,
        req: &HttpRequest,
        now: NaiveDateTime,
    ) -> Result<Option<Session>, StoreError> {
        let Some(id) = cookie_value(req, self.secure) else {
            return Ok(None);
        };
        let lifetimes = self.lifetimes;
        self.db
            .run(move |conn| {
                let hash = hash_id(&id);
                let Some(row) = sessions::find(conn, &hash)? else {
                    return Ok(None);
                };
                if !is_live(&row, now, lifetimes) {
                    sessions::delete(conn, &hash)?;
                    return Ok(None);
                }
                if (now - row.last_seen_at).num_seconds() >= TOUCH_AFTER_SECONDS {
                    sessions::touch(conn, &hash, now)?;
                }
                Ok(Some(Session {
                    row,
                    new_cookie: None,
                }))
            })
            .await
    }

    /// Starts a new session, filled in by `fill` (a caller after a login, a login's state).
    /// Ended sessions are cleared away at the same time.
    pub async fn start(
        &self,
        now: NaiveDateTime,
        fill: impl FnOnce(&mut SessionRow) + Send + 'static,
    ) -> Result<Session, StoreError> {
        let id = random_token();
        let mut row = new_row(&id, now, self.lifetimes);
        fill(&mut row);
        let lifetimes = self.lifetimes;
        let stored = row.clone();
        self.db
            .run(move |conn| {
                let idle =
                    chrono::Duration::from_std(lifetimes.idle).unwrap_or(chrono::Duration::zero());
                sessions::delete_ended(conn, now, now - idle)?;
                sessions::insert(conn, &stored)
            })
            .await?;
        Ok(Session {
            row,
            new_cookie: Some(id),
        })
    }

    pub async fn save(&self, row: SessionRow) -> Result<(), StoreError> {
        self.db.run(move |conn| sessions::update(conn, &row)).await
    }

    pub async fn end(&self, row: &SessionRow) -> Result<(), StoreError> {
        let hash = row.id_hash.clone();
        self.db.run(move |conn| sessions::delete(conn, &hash)).await
    }

    /// The `Set-Cookie` header for a session that was just started.
    pub fn cookie_header(&self, session: &Session) -> Option<(header::HeaderName, HeaderValue)> {
        let id = session.new_cookie.as_deref()?;
        HeaderValue::from_str(&set_cookie(id, self.secure))
            .ok()
            .map(|v| (header::SET_COOKIE, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 6, 15)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
            + chrono::Duration::minutes(minutes)
    }

    const LIFETIMES: Lifetimes = Lifetimes {
        idle: Duration::from_secs(15 * 60),
        absolute: Duration::from_secs(120 * 60),
    };

    #[test]
    fn a_session_ends_after_its_idle_time_and_at_its_absolute_end() {
        let mut row = new_row("x", at(0), LIFETIMES);
        assert!(is_live(&row, at(14), LIFETIMES));
        assert!(!is_live(&row, at(15), LIFETIMES), "idle for 15 minutes");
        row.last_seen_at = at(110);
        assert!(is_live(&row, at(119), LIFETIMES));
        row.last_seen_at = at(119);
        assert!(
            !is_live(&row, at(120), LIFETIMES),
            "active, but at its absolute end"
        );
    }

    #[test]
    fn the_secure_cookie_is_host_prefixed_http_only_and_same_site() {
        let cookie = set_cookie("abc", true);
        assert!(cookie.starts_with("__Host-rijksincasso-sessie=abc;"));
        for part in ["Path=/", "HttpOnly", "SameSite=Lax", "Secure"] {
            assert!(cookie.split("; ").any(|p| p == part), "{part} in {cookie}");
        }
        assert!(
            !cookie.contains("Domain="),
            "__Host- cookies name no domain"
        );
        let plain = set_cookie("abc", false);
        assert!(plain.starts_with("rijksincasso-sessie=abc;"));
        assert!(plain.contains("HttpOnly") && !plain.contains("Secure"));
        assert!(clear_cookie(true).contains("Max-Age=0"));
    }

    #[test]
    fn only_the_hash_of_the_session_id_is_kept() {
        let row = new_row("geheim-id", at(0), LIFETIMES);
        assert_eq!(row.id_hash.len(), 64);
        assert!(!row.id_hash.contains("geheim"));
        assert_eq!(row.id_hash, hash_id("geheim-id"));
        assert_eq!(caller_of(&row), None, "a new session is nobody's");
    }

    #[test]
    fn a_form_passes_only_with_the_sessions_own_csrf_token() {
        let session = Session {
            row: new_row("x", at(0), LIFETIMES),
            new_cookie: None,
        };
        let token = session.csrf().to_owned();
        assert_eq!(token.len(), 43);
        assert!(session.csrf_matches(Some(&token)));
        assert!(!session.csrf_matches(None));
        assert!(!session.csrf_matches(Some("")));
        assert!(!session.csrf_matches(Some(&random_token())));
        let other = new_row("y", at(0), LIFETIMES);
        assert_ne!(other.csrf_token, token, "every session has its own token");
    }
}
