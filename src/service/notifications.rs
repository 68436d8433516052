//! A creditor or counsellor organisation reading its notification feed.

use std::collections::BTreeSet;

use crate::domain::access::Action;
use crate::domain::authorization::{Access, Operation};
use crate::domain::caller::Caller;
use crate::domain::decision::{AccessRecord, Decision};
use crate::domain::mandate::Mandate;
use crate::domain::notification::{Feed, FeedItem};
use crate::store::mandates as mandate_store;
use crate::store::notifications;

use super::ServiceError;
use super::unit_of_work::UnitOfWork;

pub struct FeedPage {
    pub items: Vec<FeedItem>,
    /// Where to continue: the last position returned, or `after` when there was nothing new.
    pub next: i64,
}

/// The caller's notifications after position `after`, oldest first. Delivery is at least once:
/// a reader that loses its place reads again from its last confirmed position. Every person a
/// notification is about gets one access-log row.
pub fn feed(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    after: i64,
    limit: usize,
) -> Result<FeedPage, ServiceError> {
    let access = uow.authorize(caller, Operation::ReadFeed)?;
    let Some(feed) = Feed::of(caller) else {
        return Err(ServiceError::Forbidden(
            "Alleen voor organisaties (schuldeisers) en schuldhulpverleners.".into(),
        ));
    };
    let items = notifications::page(
        uow.conn(),
        &feed,
        after,
        i64::try_from(limit).unwrap_or(i64::MAX),
    )?;
    if items.is_empty() && after > 0 {
        let newest = notifications::last_position(uow.conn(), &feed)?;
        Feed::check_cursor(after, newest).map_err(|issue| ServiceError::Invalid(vec![issue]))?;
    }
    let reads = reads_of(&items, &access);
    let next = items.last().map_or(after, |i| i.position);
    uow.commit(Decision::reads(FeedPage { items, next }, reads))
}

/// One access-log row for every person notifications are about, in a counsellor's feed under
/// each mandate they name.
fn reads_of(items: &[FeedItem], access: &Access) -> Vec<AccessRecord> {
    let read: BTreeSet<_> = items
        .iter()
        .map(|i| (&i.person, i.mandate.as_deref()))
        .collect();
    read.into_iter()
        .map(|(person, mandate)| {
            AccessRecord::new(person, access, Action::NotificationRead, mandate)
        })
        .collect()
}

pub struct RecentPage {
    /// Newest first, each with the mandate it names (in a counsellor's feed), when it exists.
    pub items: Vec<(FeedItem, Option<Mandate>)>,
    /// Where the older ones start: the position to read before, when there are any.
    pub older: Option<i64>,
}

/// A counsellor organisation's notifications before position `before` (the newest, without
/// it), newest first, as its pages show them: each with the mandate it names, so that the page
/// can name the client as its client list does. Read as the feed is, with one access-log row per
/// person.
pub fn recent_for_counsellor(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    before: Option<i64>,
    limit: usize,
) -> Result<RecentPage, ServiceError> {
    let access = uow.authorize(caller, Operation::ReadFeed)?;
    let Some(organisation) = caller.counsellor() else {
        return Err(ServiceError::Forbidden(
            "Alleen voor schuldhulpverleners.".into(),
        ));
    };
    let feed = Feed::Counsellor(organisation.to_owned());
    // One more than shown tells whether there are older ones.
    let asked = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
    let mut items = notifications::newest(uow.conn(), &feed, before, asked)?;
    let more = items.len() > limit;
    items.truncate(limit);
    let older = if more {
        items.last().map(|i| i.position)
    } else {
        None
    };
    let ids: BTreeSet<&str> = items.iter().filter_map(|i| i.mandate.as_deref()).collect();
    let ids: Vec<&str> = ids.into_iter().collect();
    let mandates = mandate_store::find_many(uow.conn(), &ids)?;
    let reads = reads_of(&items, &access);
    let items = items
        .into_iter()
        .map(|item| {
            let mandate = mandates
                .iter()
                .find(|m| Some(&m.id) == item.mandate.as_ref() && m.counsellor == organisation)
                .cloned();
            (item, mandate)
        })
        .collect();
    uow.commit(Decision::reads(RecentPage { items, older }, reads))
}
