//! A creditor reading its notification feed.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;

use crate::clock::Moment;
use crate::domain::access::{Action, Actor, Role};
use crate::domain::person::PersonId;
use crate::store::access_log::{self, Entry};
use crate::store::{DbConnection, StoreError, notifications};

use super::ServiceError;
use super::messages::Melding;

pub struct FeedItem {
    pub position: i64,
    pub created_at: NaiveDateTime,
    pub message: Melding,
}

pub struct FeedPage {
    pub items: Vec<FeedItem>,
    /// Where to continue: the last position returned, or `after` when there was nothing new.
    pub next: i64,
}

/// The creditor's notifications after position `after`, oldest first. Delivery is at least once:
/// a reader that loses its place reads again from its last confirmed position.
pub fn feed(
    conn: &mut DbConnection,
    creditor: &str,
    after: i64,
    limit: usize,
    now: Moment,
) -> Result<FeedPage, ServiceError> {
    let rows = notifications::page(
        conn,
        creditor,
        after,
        i64::try_from(limit).unwrap_or(i64::MAX),
    )?;
    let people: BTreeSet<&str> = rows.iter().map(|r| r.person.as_str()).collect();
    let entries: Vec<Entry> = people
        .into_iter()
        .map(|person| Entry {
            person: PersonId::from_stored(person.to_owned()),
            actor: Actor::organisation(Role::Organisatie, creditor),
            action: Action::NotificationRead,
            subject_id: None,
        })
        .collect();
    access_log::record(conn, &entries, now.utc)?;
    let next = rows.last().map_or(after, |r| r.position);
    let items = rows
        .into_iter()
        .map(|row| {
            let message = serde_json::from_str(&row.payload).map_err(|e| {
                StoreError::Corrupt(format!("notification {} of {creditor}: {e}", row.position))
            })?;
            Ok(FeedItem {
                position: row.position,
                created_at: row.created_at,
                message,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(FeedPage { items, next })
}
