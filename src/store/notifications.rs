//! The creditors' notification feeds: appended in the transaction of the change they report,
//! read in order from a position.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{notification_feeds, notifications};
use super::{DbConnection, StoreError};
use crate::domain::notification::{FeedItem, Notification, Recipient};
use crate::domain::person::PersonId;

#[derive(Queryable, Selectable)]
#[diesel(table_name = notifications)]
struct StoredRow {
    position: i64,
    person: String,
    payload: String,
    created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = notifications)]
struct Row<'a> {
    creditor_code: &'a str,
    position: i64,
    kind: &'static str,
    person: &'a str,
    subject_id: &'a str,
    payload: &'a str,
    created_at: NaiveDateTime,
}

/// Appends notifications, numbering each feed's consecutively. Feeds are locked in recipient
/// order, so two transactions appending for the same recipients cannot deadlock.
pub fn append(
    conn: &mut DbConnection,
    items: &[Notification],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let mut by_feed: BTreeMap<&str, Vec<(&Notification, String)>> = BTreeMap::new();
    for item in items {
        let Recipient::Creditor(code) = &item.recipient;
        let payload = serde_json::to_string(&item.message)
            .map_err(|e| StoreError::Corrupt(format!("notification: {e}")))?;
        by_feed
            .entry(code.as_str())
            .or_default()
            .push((item, payload));
    }
    for (creditor, items) in by_feed {
        let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
        let feed = notification_feeds::table.find(creditor);
        let updated = diesel::update(feed)
            .set(notification_feeds::last_position.eq(notification_feeds::last_position + count))
            .execute(conn)?;
        if updated != 1 {
            return Err(StoreError::Corrupt(format!(
                "no notification feed for creditor {creditor}"
            )));
        }
        let last: i64 = feed.select(notification_feeds::last_position).first(conn)?;
        let rows: Vec<Row<'_>> = items
            .iter()
            .zip(last - count + 1..)
            .map(|((item, payload), position)| Row {
                creditor_code: creditor,
                position,
                kind: item.message.kind(),
                person: item.person.as_str(),
                subject_id: &item.subject_id,
                payload,
                created_at: now,
            })
            .collect();
        insert_rows!(conn, notifications::table, &rows)?;
    }
    Ok(())
}

/// The creditor's notifications after `after`, oldest first.
pub fn page(
    conn: &mut DbConnection,
    creditor: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<FeedItem>, StoreError> {
    let rows: Vec<StoredRow> = notifications::table
        .filter(notifications::creditor_code.eq(creditor))
        .filter(notifications::position.gt(after))
        .order(notifications::position)
        .limit(limit)
        .select(StoredRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            let message = serde_json::from_str(&row.payload).map_err(|e| {
                StoreError::Corrupt(format!("notification {} of {creditor}: {e}", row.position))
            })?;
            Ok(FeedItem {
                position: row.position,
                created_at: row.created_at,
                person: PersonId::from_stored(row.person),
                message,
            })
        })
        .collect()
}

/// The newest position of every feed, by owner: one row per feed, read by primary key order.
pub fn feed_positions(conn: &mut DbConnection) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(notification_feeds::table
        .select((
            notification_feeds::creditor_code,
            notification_feeds::last_position,
        ))
        .order(notification_feeds::creditor_code)
        .load(conn)?)
}
