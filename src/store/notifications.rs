//! The notification feeds of creditors and counsellor organisations: appended in the
//! transaction of the change they report, read in order from a position.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{notification_feeds, notifications};
use super::{DbConnection, StoreError};
use crate::domain::notification::{Feed, FeedItem, Notification};
use crate::domain::person::PersonId;

#[derive(Queryable, Selectable)]
#[diesel(table_name = notifications, treat_none_as_default_value = false)]
struct StoredRow {
    position: i64,
    event_id: String,
    person: String,
    mandate_id: Option<String>,
    subject_id: String,
    payload: String,
    created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = notifications, treat_none_as_default_value = false)]
struct Row<'a> {
    recipient_kind: &'static str,
    recipient: &'a str,
    position: i64,
    event_id: String,
    kind: &'static str,
    person: &'a str,
    mandate_id: Option<&'a str>,
    subject_id: &'a str,
    payload: &'a str,
    created_at: NaiveDateTime,
}

/// Appends notifications, numbering each feed's consecutively. Feeds are locked in feed order,
/// so two transactions appending to the same feeds cannot deadlock; a feed's row is created
/// with its first notification (two transactions creating it at once: one retries).
pub fn append(
    conn: &mut DbConnection,
    items: &[Notification],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let mut by_feed: BTreeMap<Feed, Vec<(&Notification, String)>> = BTreeMap::new();
    for item in items {
        let feed = item.recipient.feed().ok_or_else(|| {
            StoreError::Corrupt(
                "a notification for the person's counsellors was not addressed".into(),
            )
        })?;
        let payload = serde_json::to_string(&item.message)
            .map_err(|e| StoreError::Corrupt(format!("notification: {e}")))?;
        by_feed.entry(feed).or_default().push((item, payload));
    }
    for (feed, items) in by_feed {
        let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
        let row = notification_feeds::table.find((feed.kind(), feed.id()));
        let updated = diesel::update(row)
            .set(notification_feeds::last_position.eq(notification_feeds::last_position + count))
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(notification_feeds::table)
                .values((
                    notification_feeds::recipient_kind.eq(feed.kind()),
                    notification_feeds::recipient.eq(feed.id()),
                    notification_feeds::last_position.eq(count),
                ))
                .execute(conn)?;
        }
        let last: i64 = row.select(notification_feeds::last_position).first(conn)?;
        let rows: Vec<Row<'_>> = items
            .iter()
            .zip(last - count + 1..)
            .map(|((item, payload), position)| Row {
                recipient_kind: feed.kind(),
                recipient: feed.id(),
                position,
                event_id: uuid::Uuid::now_v7().to_string(),
                kind: item.message.kind(),
                person: item.person.as_str(),
                mandate_id: item.recipient.mandate(),
                subject_id: &item.subject_id,
                payload,
                created_at: now,
            })
            .collect();
        insert_rows!(conn, notifications::table, &rows)?;
    }
    Ok(())
}

/// The feed's notifications after `after`, oldest first.
pub fn page(
    conn: &mut DbConnection,
    feed: &Feed,
    after: i64,
    limit: i64,
) -> Result<Vec<FeedItem>, StoreError> {
    let rows: Vec<StoredRow> = notifications::table
        .filter(notifications::recipient_kind.eq(feed.kind()))
        .filter(notifications::recipient.eq(feed.id()))
        .filter(notifications::position.gt(after))
        .order(notifications::position)
        .limit(limit)
        .select(StoredRow::as_select())
        .load(conn)?;
    items(feed, rows)
}

/// The feed's notifications before `before` (all, without it), newest first: the primary key
/// read backwards.
pub fn newest(
    conn: &mut DbConnection,
    feed: &Feed,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<FeedItem>, StoreError> {
    let mut query = notifications::table
        .filter(notifications::recipient_kind.eq(feed.kind()))
        .filter(notifications::recipient.eq(feed.id()))
        .order(notifications::position.desc())
        .limit(limit)
        .select(StoredRow::as_select())
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(notifications::position.lt(before));
    }
    items(feed, query.load(conn)?)
}

fn items(feed: &Feed, rows: Vec<StoredRow>) -> Result<Vec<FeedItem>, StoreError> {
    rows.into_iter()
        .map(|row| {
            let message = serde_json::from_str(&row.payload).map_err(|e| {
                StoreError::Corrupt(format!(
                    "notification {} of {}: {e}",
                    row.position,
                    feed.id()
                ))
            })?;
            Ok(FeedItem {
                position: row.position,
                event_id: row.event_id,
                created_at: row.created_at,
                person: PersonId::from_stored(row.person),
                mandate: row.mandate_id,
                subject_id: row.subject_id,
                message,
            })
        })
        .collect()
}

/// The newest position of every feed, by owner (a creditor code or a counsellor organisation
/// id): one row per feed, read in primary key order.
pub fn feed_positions(conn: &mut DbConnection) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(notification_feeds::table
        .select((
            notification_feeds::recipient,
            notification_feeds::last_position,
        ))
        .order((
            notification_feeds::recipient_kind,
            notification_feeds::recipient,
        ))
        .load(conn)?)
}

/// The position of the feed's newest notification; 0 for a feed without any.
pub fn last_position(conn: &mut DbConnection, feed: &Feed) -> Result<i64, StoreError> {
    Ok(notification_feeds::table
        .find((feed.kind(), feed.id()))
        .select(notification_feeds::last_position)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}
