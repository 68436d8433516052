//! The creditors' notification feeds: appended in the transaction of the change they report,
//! read in order from a position.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{notification_feeds, notifications};
use super::{DbConnection, StoreError};
use crate::domain::person::PersonId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub creditor: String,
    pub kind: &'static str,
    pub person: PersonId,
    pub subject_id: String,
    /// The notification as the creditor reads it (JSON).
    pub payload: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct StoredNotification {
    pub position: i64,
    pub kind: String,
    pub person: String,
    pub subject_id: String,
    pub payload: String,
    pub created_at: NaiveDateTime,
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

/// Appends notifications, numbering each creditor's consecutively. Feeds are locked in creditor
/// order, so two transactions appending for the same creditors cannot deadlock.
pub fn append(
    conn: &mut DbConnection,
    items: &[NewNotification],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let mut by_creditor: BTreeMap<&str, Vec<&NewNotification>> = BTreeMap::new();
    for item in items {
        by_creditor
            .entry(item.creditor.as_str())
            .or_default()
            .push(item);
    }
    for (creditor, items) in by_creditor {
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
            .map(|(item, position)| Row {
                creditor_code: creditor,
                position,
                kind: item.kind,
                person: item.person.as_str(),
                subject_id: &item.subject_id,
                payload: &item.payload,
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
) -> Result<Vec<StoredNotification>, StoreError> {
    Ok(notifications::table
        .filter(notifications::creditor_code.eq(creditor))
        .filter(notifications::position.gt(after))
        .order(notifications::position)
        .limit(limit)
        .select(StoredNotification::as_select())
        .load(conn)?)
}
