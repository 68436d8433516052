//! Webhook subscriptions (abonnementen) of an organisation's feed, and the relay's steps: which
//! subscriptions are due, taking one, what is pending, and recording a delivery or a failure.
//! The sending itself is in [`crate::relay`].

use std::net::{IpAddr, ToSocketAddrs};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};

use crate::domain::authorization::Operation;
use crate::domain::caller::Caller;
use crate::domain::notification::{Feed, FeedItem};
use crate::domain::validation::FieldIssue;
use crate::domain::webhook::{self, Answer, NewSubscription, Subscription, SubscriptionError};
use crate::sealing::Sealer;
use crate::store::{DbConnection, notifications, webhook_subscriptions};

use super::ServiceError;
use super::unit_of_work::UnitOfWork;

const SUBSCRIPTION: &str = "dit abonnement";

/// How the relay works; see `docs/debt-help-chain.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSettings {
    /// Production mode: only `https` to public addresses.
    pub production: bool,
    /// How often each instance looks for notifications to deliver (a change committed on this
    /// instance wakes it at once).
    pub poll: Duration,
    /// The first wait after a failed attempt; it doubles with every further failure.
    pub backoff_base: Duration,
    /// The CloudEvents `source` of every delivery: this service's URN.
    pub source: String,
}

impl Default for WebhookSettings {
    fn default() -> WebhookSettings {
        WebhookSettings {
            production: false,
            poll: Duration::from_secs(1),
            backoff_base: Duration::from_secs(1),
            source: DEFAULT_SOURCE.to_owned(),
        }
    }
}

/// The default CloudEvents source: a URN in the `nld` namespace naming the system (NL GOV
/// profile); an operator with an OIN configures `urn:nld:oin:<OIN>:systeem:rijksincasso`.
pub const DEFAULT_SOURCE: &str = "urn:nld:rijksincasso:systeem:meldingen";

/// Wakes the relay of this instance when a change appended notifications, so delivery need not
/// wait for the next poll.
#[derive(Debug, Default)]
pub struct Wakeup {
    pending: Mutex<bool>,
    signal: Condvar,
}

impl Wakeup {
    pub fn wake(&self) {
        *self.pending.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.signal.notify_all();
    }

    /// Waits until woken or `timeout` passed.
    pub fn wait(&self, timeout: Duration) {
        let pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        let (mut pending, _) = self
            .signal
            .wait_timeout_while(pending, timeout, |woken| !*woken)
            .unwrap_or_else(|p| p.into_inner());
        *pending = false;
    }
}

impl From<SubscriptionError> for ServiceError {
    fn from(error: SubscriptionError) -> ServiceError {
        ServiceError::Conflict {
            detail: error.to_string(),
            issues: Vec::new(),
        }
    }
}

fn own_feed(caller: &Caller) -> Result<Feed, ServiceError> {
    Feed::of(caller).ok_or_else(|| {
        ServiceError::Forbidden(
            "Alleen voor organisaties (schuldeisers) en schuldhulpverleners.".into(),
        )
    })
}

/// The addresses a host name resolves to (an address literal is itself).
fn resolve(host: &str, port: u16) -> Vec<IpAddr> {
    (host, port)
        .to_socket_addrs()
        .map(|addresses| addresses.map(|a| a.ip()).collect())
        .unwrap_or_default()
}

/// Checks a webhook target; in production also where its host resolves to now (a DNS lookup:
/// done before the unit of work, whose transaction it would hold up).
pub fn check_target(url: &str, production: bool) -> Result<webhook::Target, FieldIssue> {
    let target = webhook::check_url(url, production)?;
    if production {
        webhook::check_addresses(&resolve(&target.host, target.port), production)?;
    }
    Ok(target)
}

/// Subscribes the caller's feed to `target` (checked with [`check_target`]), signing with
/// `secret` (kept sealed), from the feed's current position on.
pub fn subscribe(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    target: &webhook::Target,
    secret: &str,
    sealer: &Sealer,
) -> Result<SubscriptionView, ServiceError> {
    uow.authorize(caller, Operation::ManageSubscriptions)?;
    let feed = own_feed(caller)?;
    let key = webhook::check_secret(secret).map_err(|e| ServiceError::Invalid(vec![e]))?;
    let id = uow.new_id();
    let sealed = sealer
        .seal(&key, &id)
        .map_err(|e| ServiceError::Store(crate::store::StoreError::Corrupt(e.to_string())))?;
    uow.hold_subscriptions_of(&feed)?;
    let existing = webhook_subscriptions::of_feed(uow.conn(), &feed)?;
    let position = notifications::last_position(uow.conn(), &feed)?;
    let decision = Subscription::subscribe(
        feed,
        id,
        NewSubscription {
            target: target.clone(),
        },
        sealed,
        &existing,
        position,
        uow.now.utc,
    )?;
    let subscription = uow.commit(decision)?;
    Ok(SubscriptionView {
        subscription,
        feed_position: position,
    })
}

/// A subscription with how far its feed has come.
pub struct SubscriptionView {
    pub subscription: Subscription,
    /// The position of the feed's newest notification.
    pub feed_position: i64,
}

/// The caller's subscriptions, with their delivery state.
pub fn list(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
) -> Result<Vec<SubscriptionView>, ServiceError> {
    uow.authorize(caller, Operation::ManageSubscriptions)?;
    let feed = own_feed(caller)?;
    let feed_position = notifications::last_position(uow.conn(), &feed)?;
    Ok(webhook_subscriptions::of_feed(uow.conn(), &feed)?
        .into_iter()
        .map(|subscription| SubscriptionView {
            subscription,
            feed_position,
        })
        .collect())
}

/// One of the caller's subscriptions; another's is "not found".
fn load(uow: &mut UnitOfWork<'_>, caller: &Caller, id: &str) -> Result<Subscription, ServiceError> {
    let subscription = uow.find(caller, Operation::ManageSubscriptions, SUBSCRIPTION, |c| {
        webhook_subscriptions::find(c, id)
    })?;
    uow.authorize_feed_record(
        caller,
        Operation::ManageSubscriptions,
        &subscription.feed,
        SUBSCRIPTION,
    )?;
    Ok(subscription)
}

pub fn get(
    uow: &mut UnitOfWork<'_>,
    caller: &Caller,
    id: &str,
) -> Result<SubscriptionView, ServiceError> {
    let subscription = load(uow, caller, id)?;
    let feed_position = notifications::last_position(uow.conn(), &subscription.feed)?;
    Ok(SubscriptionView {
        subscription,
        feed_position,
    })
}

/// Ends a subscription at once; the pull feed stays.
pub fn remove(uow: &mut UnitOfWork<'_>, caller: &Caller, id: &str) -> Result<(), ServiceError> {
    let subscription = load(uow, caller, id)?;
    uow.commit(subscription.remove())
}

/// Subscriptions with something to deliver that no instance holds, at most `limit`.
pub fn due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Subscription>, ServiceError> {
    Ok(webhook_subscriptions::due(conn, now, limit)?)
}

/// Takes the subscription for `holder` until `until` if it is still due: only one instance
/// delivers to it at a time. The subscription as it is once taken, or `None`.
pub fn take(
    conn: &mut DbConnection,
    id: &str,
    holder: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Option<Subscription>, ServiceError> {
    Ok(webhook_subscriptions::take_lease(
        conn, id, holder, now, until,
    )?)
}

/// The notifications after `after` in the feed, oldest first.
pub fn pending(
    conn: &mut DbConnection,
    feed: &Feed,
    after: i64,
    limit: i64,
) -> Result<Vec<FeedItem>, ServiceError> {
    Ok(notifications::page(conn, feed, after, limit)?)
}

/// Records an attempt the endpoint did not acknowledge, and lets go of the subscription: after
/// `410 Gone` delivery stops for good (the subscription can be removed and a new one taken);
/// after any other failure it is tried again after the back-off from the configured base, plus
/// `jitter`.
pub fn refused(
    conn: &mut DbConnection,
    subscription: &Subscription,
    holder: &str,
    answer: &Answer,
    now: NaiveDateTime,
    settings: &WebhookSettings,
    jitter: Duration,
) -> Result<(), ServiceError> {
    // An acknowledged answer changes no delivery state; the lease is still let go, as promised.
    let Some(state) = subscription.refused(answer, now, settings.backoff_base, jitter) else {
        return release(conn, Some(&subscription.id), holder);
    };
    Ok(webhook_subscriptions::record_refusal(
        conn,
        &subscription.id,
        holder,
        &state,
    )?)
}

/// Lets go of one subscription, or of all the holder has (`None`), e.g. when stopping.
pub fn release(
    conn: &mut DbConnection,
    id: Option<&str>,
    holder: &str,
) -> Result<(), ServiceError> {
    Ok(webhook_subscriptions::release(conn, id, holder)?)
}

/// How long a lease lasts from now.
pub fn lease_until(now: NaiveDateTime, lease: Duration) -> NaiveDateTime {
    now + TimeDelta::from_std(lease).unwrap_or(TimeDelta::MAX)
}
