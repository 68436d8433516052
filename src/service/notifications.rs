//! A creditor or counsellor organisation reading its notification feed.

use std::collections::BTreeSet;

use crate::domain::access::Action;
use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::decision::{AccessRecord, Decision};
use crate::domain::notification::{Feed, FeedItem};
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
    let persons: BTreeSet<_> = items.iter().map(|i| &i.person).collect();
    let reads = persons
        .into_iter()
        .map(|person| AccessRecord::new(person, &access, Action::NotificationRead, None))
        .collect();
    let next = items.last().map_or(after, |i| i.position);
    uow.commit(Decision::reads(FeedPage { items, next }, reads))
}
