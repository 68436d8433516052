//! Webhook subscriptions with their delivery state and lease: the relay's bookkeeping. A lease
//! (holder, until) gives one instance at a time the right to deliver to a subscription; every
//! write of the relay names its holder, so an instance that lost its lease changes nothing.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{notification_feeds, webhook_subscriptions};
use super::{DbConnection, StoreError};
use crate::domain::notification::Feed;
use crate::domain::webhook::{DeliveryState, Subscription};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_subscriptions, treat_none_as_default_value = false)]
struct Row {
    id: String,
    recipient_kind: String,
    recipient: String,
    url: String,
    sealed_secret: String,
    created_at: NaiveDateTime,
    delivered_position: i64,
    delivered_at: Option<NaiveDateTime>,
    failed_attempts: i32,
    next_attempt_at: Option<NaiveDateTime>,
    last_error: Option<String>,
    last_error_at: Option<NaiveDateTime>,
    lease_holder: Option<String>,
    lease_until: Option<NaiveDateTime>,
    stopped_at: Option<NaiveDateTime>,
}

fn convert(row: Row) -> Result<Subscription, StoreError> {
    let feed = Feed::from_stored(&row.recipient_kind, row.recipient).ok_or_else(|| {
        StoreError::Corrupt(format!("unknown recipient kind '{}'", row.recipient_kind))
    })?;
    Ok(Subscription {
        id: row.id,
        feed,
        url: row.url,
        sealed_secret: row.sealed_secret,
        created_at: row.created_at,
        state: DeliveryState {
            delivered_position: row.delivered_position,
            delivered_at: row.delivered_at,
            failed_attempts: u32::try_from(row.failed_attempts).unwrap_or(0),
            next_attempt_at: row.next_attempt_at,
            last_error: row.last_error,
            last_error_at: row.last_error_at,
            stopped_at: row.stopped_at,
        },
    })
}

fn convert_all(rows: Vec<Row>) -> Result<Vec<Subscription>, StoreError> {
    rows.into_iter().map(convert).collect()
}

/// Per feed with a subscription still delivering, by owner, the lowest position delivered: what
/// its slowest subscription has delivered up to.
pub fn lowest_delivered(conn: &mut DbConnection) -> Result<Vec<(String, i64)>, StoreError> {
    let rows: Vec<(String, Option<i64>)> = webhook_subscriptions::table
        .filter(webhook_subscriptions::stopped_at.is_null())
        .group_by(webhook_subscriptions::recipient)
        .select((
            webhook_subscriptions::recipient,
            diesel::dsl::min(webhook_subscriptions::delivered_position),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(feed, lowest)| Some((feed, lowest?)))
        .collect())
}

pub fn insert(conn: &mut DbConnection, subscription: &Subscription) -> Result<(), StoreError> {
    let state = &subscription.state;
    diesel::insert_into(webhook_subscriptions::table)
        .values(Row {
            id: subscription.id.clone(),
            recipient_kind: subscription.feed.kind().to_owned(),
            recipient: subscription.feed.id().to_owned(),
            url: subscription.url.clone(),
            sealed_secret: subscription.sealed_secret.clone(),
            created_at: subscription.created_at,
            delivered_position: state.delivered_position,
            delivered_at: state.delivered_at,
            failed_attempts: 0,
            next_attempt_at: None,
            last_error: None,
            last_error_at: None,
            lease_holder: None,
            lease_until: None,
            stopped_at: None,
        })
        .execute(conn)?;
    Ok(())
}

pub fn remove(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    diesel::delete(webhook_subscriptions::table.find(id)).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<Subscription>, StoreError> {
    let row: Option<Row> = webhook_subscriptions::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    row.map(convert).transpose()
}

/// The advisory lock class of subscribing (any constant; "ws" in ASCII).
const SUBSCRIBE_LOCK: i32 = 0x7773;

/// Holds the feed's subscriptions until the transaction ends; taken before they are counted,
/// so that two subscriptions at once cannot both pass the limit.
pub fn hold_of_feed(conn: &mut DbConnection, feed: &Feed) -> Result<(), StoreError> {
    super::hold(
        conn,
        SUBSCRIBE_LOCK,
        &format!("{}:{}", feed.kind(), feed.id()),
    )
}

pub fn of_feed(conn: &mut DbConnection, feed: &Feed) -> Result<Vec<Subscription>, StoreError> {
    let rows = webhook_subscriptions::table
        .filter(webhook_subscriptions::recipient_kind.eq(feed.kind()))
        .filter(webhook_subscriptions::recipient.eq(feed.id()))
        .order(webhook_subscriptions::id)
        .select(Row::as_select())
        .load(conn)?;
    convert_all(rows)
}

/// Subscriptions with notifications to deliver, due now, not stopped, that no instance holds: at
/// most `limit`, the longest waiting first.
pub fn due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Subscription>, StoreError> {
    let rows = webhook_subscriptions::table
        .inner_join(
            notification_feeds::table.on(notification_feeds::recipient_kind
                .eq(webhook_subscriptions::recipient_kind)
                .and(notification_feeds::recipient.eq(webhook_subscriptions::recipient))),
        )
        .filter(notification_feeds::last_position.gt(webhook_subscriptions::delivered_position))
        .filter(free_and_due(now))
        // Never delivered first, on PostgreSQL too (which sorts nulls last).
        .order((
            webhook_subscriptions::delivered_at.is_not_null(),
            webhook_subscriptions::delivered_at.asc(),
        ))
        .limit(limit)
        .select(Row::as_select())
        .load(conn)?;
    convert_all(rows)
}

/// Not stopped, due now, and held by no instance.
#[diesel::dsl::auto_type]
fn free_and_due(now: NaiveDateTime) -> _ {
    webhook_subscriptions::stopped_at
        .is_null()
        .and(
            webhook_subscriptions::next_attempt_at
                .is_null()
                .or(webhook_subscriptions::next_attempt_at.le(now)),
        )
        .and(
            webhook_subscriptions::lease_until
                .is_null()
                .or(webhook_subscriptions::lease_until.lt(now)),
        )
}

/// Takes the subscription's lease for `holder` until `until` if it is still due and nobody
/// holds it, and reads it as it is then: another instance may have delivered to it, or stopped
/// it, since it was found due.
pub fn take_lease(
    conn: &mut DbConnection,
    id: &str,
    holder: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Option<Subscription>, StoreError> {
    let taken = diesel::update(
        webhook_subscriptions::table
            .find(id)
            .filter(free_and_due(now)),
    )
    .set((
        webhook_subscriptions::lease_holder.eq(holder),
        webhook_subscriptions::lease_until.eq(until),
    ))
    .execute(conn)?;
    if taken == 1 { find(conn, id) } else { Ok(None) }
}

/// Records that `position` was delivered, and holds the lease until `until`: whether `holder`
/// still held it (if not, nothing changed).
pub fn record_delivery(
    conn: &mut DbConnection,
    id: &str,
    holder: &str,
    position: i64,
    at: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        webhook_subscriptions::table
            .find(id)
            .filter(webhook_subscriptions::lease_holder.eq(holder))
            .filter(webhook_subscriptions::delivered_position.lt(position)),
    )
    .set((
        webhook_subscriptions::delivered_position.eq(position),
        webhook_subscriptions::delivered_at.eq(at),
        webhook_subscriptions::failed_attempts.eq(0),
        webhook_subscriptions::next_attempt_at.eq(None::<NaiveDateTime>),
        webhook_subscriptions::lease_until.eq(until),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Records the delivery state after a refused attempt (when to try again, or that delivery
/// stopped), and lets go of the lease.
pub fn record_refusal(
    conn: &mut DbConnection,
    id: &str,
    holder: &str,
    state: &DeliveryState,
) -> Result<(), StoreError> {
    diesel::update(
        webhook_subscriptions::table
            .find(id)
            .filter(webhook_subscriptions::lease_holder.eq(holder)),
    )
    .set((
        webhook_subscriptions::failed_attempts
            .eq(i32::try_from(state.failed_attempts).unwrap_or(i32::MAX)),
        webhook_subscriptions::next_attempt_at.eq(state.next_attempt_at),
        webhook_subscriptions::last_error.eq(&state.last_error),
        webhook_subscriptions::last_error_at.eq(state.last_error_at),
        webhook_subscriptions::stopped_at.eq(state.stopped_at),
        webhook_subscriptions::lease_holder.eq(None::<String>),
        webhook_subscriptions::lease_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(())
}

/// Lets go of the holder's lease on one subscription, or on all it holds (`id` `None`), so
/// another instance can continue at once.
pub fn release(conn: &mut DbConnection, id: Option<&str>, holder: &str) -> Result<(), StoreError> {
    let cleared = (
        webhook_subscriptions::lease_holder.eq(None::<String>),
        webhook_subscriptions::lease_until.eq(None::<NaiveDateTime>),
    );
    let held = webhook_subscriptions::lease_holder.eq(holder);
    match id {
        Some(id) => diesel::update(webhook_subscriptions::table.find(id).filter(held))
            .set(cleared)
            .execute(conn)?,
        None => diesel::update(webhook_subscriptions::table.filter(held))
            .set(cleared)
            .execute(conn)?,
    };
    Ok(())
}
