//! Sessions of the web pages: a row per session, keyed by the SHA-256 of its cookie value. Only
//! the web layer uses this; nothing here decides who someone is.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::sessions;
use super::{DbConnection, StoreError};

/// A session as stored. `role` is `None` for a visitor who has not logged in (yet).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sessions, treat_none_as_null = true)]
pub struct SessionRow {
    pub id_hash: String,
    pub role: Option<String>,
    /// A citizen's pseudonym (never a BSN).
    pub person: Option<String>,
    /// A counsellor organisation's id.
    pub organisation: Option<String>,
    pub csrf_token: String,
    pub oidc_state: Option<String>,
    pub oidc_nonce: Option<String>,
    pub oidc_verifier: Option<String>,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    /// The absolute end: the session is never valid after it, however active.
    pub expires_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &SessionRow) -> Result<(), StoreError> {
    diesel::insert_into(sessions::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id_hash: &str) -> Result<Option<SessionRow>, StoreError> {
    Ok(sessions::table
        .find(id_hash)
        .select(SessionRow::as_select())
        .first(conn)
        .optional()?)
}

/// Replaces the stored fields of a session (same id hash).
pub fn update(conn: &mut DbConnection, row: &SessionRow) -> Result<(), StoreError> {
    diesel::update(sessions::table.find(&row.id_hash))
        .set(row)
        .execute(conn)?;
    Ok(())
}

/// Records activity: the idle time counts from here.
pub fn touch(conn: &mut DbConnection, id_hash: &str, at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(sessions::table.find(id_hash))
        .set(sessions::last_seen_at.eq(at))
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConnection, id_hash: &str) -> Result<(), StoreError> {
    diesel::delete(sessions::table.find(id_hash)).execute(conn)?;
    Ok(())
}

/// Removes the sessions that ended before `now` (absolutely) or were idle since `idle_before`.
pub fn delete_ended(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    idle_before: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        sessions::table.filter(
            sessions::expires_at
                .le(now)
                .or(sessions::last_seen_at.lt(idle_before)),
        ),
    )
    .execute(conn)?)
}
