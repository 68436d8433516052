//! The webhook relay: delivers every notification of a subscribed feed to its webhook, at least
//! once and in feed order, as a signed CloudEvent (docs/debt-help-chain.md).
//!
//! The notifications are the outbox: written in the transaction of the change they report. Each
//! subscription's delivery state (last delivered position, failed attempts, next attempt, last
//! error) is kept with it in the database. A dispatcher looks for subscriptions with something
//! due — woken at once by a change on this instance, else every poll interval — and takes a
//! lease on each (a row lease, as the daily samenloop check does), so one instance at a time
//! delivers to a subscription, across instances. A worker per leased subscription delivers its
//! notifications one by one, in order, and records the acknowledgements in small groups (at most
//! 50, or every 50 ms): a crash re-sends at most those not yet recorded, with their own ids. A
//! failure records the error and the time of the next attempt (exponential back-off, or the
//! endpoint's `Retry-After` when longer) and lets go; other subscriptions are not held up. An endpoint that answers `410 Gone` gets nothing
//! more: its subscription is stopped. Stopping lets go of every lease, so another instance (or
//! the next start) continues at once.
//!
//! The HTTP client is ureq, a blocking client: the relay runs on its own threads, like the daily
//! check, and needs no async runtime of its own.

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::domain::notification::FeedItem;
use crate::domain::webhook::{self, Answer, Subscription};
use crate::lock;
use crate::service::{ServiceError, Services};
use crate::service::{unit_of_work, webhooks};

/// How long one attempt may take (Standard Webhooks recommends 15 to 30 seconds).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// How long a lease holds without renewal: longer than any attempt, so a live holder never loses
/// it; a stopped one's runs out and another instance continues.
const LEASE: Duration = Duration::from_secs(60);
/// Subscriptions delivered to at once by one instance.
const MAX_WORKERS: usize = 8;
/// Notifications read per query by a worker.
const BATCH: i64 = 100;
/// Acknowledged deliveries are recorded together, at the latest after this many or this long,
/// and before anything else happens (a failure, the end of a batch, stopping): one transaction
/// per group instead of per delivery. A crash re-sends at most the unrecorded ones.
const RECORD_EVERY: usize = 50;
const RECORD_WITHIN: Duration = Duration::from_millis(50);

/// The running relay; dropping it stops it, waits for the deliveries in flight and lets go of
/// its leases.
pub struct Relay {
    shared: Arc<Shared>,
    dispatcher: Option<JoinHandle<()>>,
}

struct Shared {
    services: Arc<Services>,
    /// This instance's name on its leases.
    holder: String,
    stopping: AtomicBool,
    /// Subscriptions a worker of this instance is delivering to.
    active: Mutex<HashSet<String>>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    agent: ureq::Agent,
}

/// The HTTP client of the relay: no redirects, a 15 s limit, and in production only public
/// addresses, checked on the very addresses it connects to (see [`PublicOnly`]).
fn agent(production: bool) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(REQUEST_TIMEOUT))
        .user_agent(concat!(
            "rijksincasso-meldingen/",
            env!("CARGO_PKG_VERSION")
        ))
        .build();
    let resolver = PublicOnly {
        production,
        system: DefaultResolver::default(),
    };
    ureq::Agent::with_parts(config, DefaultConnector::default(), resolver)
}

/// The system's resolver, and in production nothing but public addresses. The connection goes to
/// the addresses this checked, so a host name that resolves to a private or loopback address
/// between an earlier check and the connection (DNS rebinding) never reaches this service's own
/// network. A configured egress proxy is the operator's own: its address is not checked (it
/// resolves the webhook's host itself, and should refuse internal addresses).
#[derive(Debug)]
struct PublicOnly {
    production: bool,
    system: DefaultResolver,
}

impl Resolver for PublicOnly {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let resolved = self.system.resolve(uri, config, timeout)?;
        let to_proxy = config
            .proxy()
            .is_some_and(|proxy| uri.host() == Some(proxy.host()));
        if !to_proxy {
            let addresses: Vec<IpAddr> = resolved.iter().map(SocketAddr::ip).collect();
            webhook::check_addresses(&addresses, self.production)
                .map_err(|issue| ureq::Error::Other(Box::new(RefusedAddress(issue.reason))))?;
        }
        Ok(resolved)
    }
}

/// Why a webhook's host was not connected to.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct RefusedAddress(String);

pub fn start(services: Arc<Services>) -> Relay {
    let agent = agent(services.webhooks.production);
    let shared = Arc::new(Shared {
        services,
        holder: uuid::Uuid::new_v4().to_string(),
        stopping: AtomicBool::new(false),
        active: Mutex::new(HashSet::new()),
        workers: Mutex::new(Vec::new()),
        agent,
    });
    let dispatching = shared.clone();
    let dispatcher = std::thread::spawn(move || dispatch(&dispatching));
    Relay {
        shared,
        dispatcher: Some(dispatcher),
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.shared.services.wakeup.wake();
        if let Some(dispatcher) = self.dispatcher.take() {
            let _ = dispatcher.join();
        }
        let workers = std::mem::take(&mut *lock(&self.shared.workers));
        for worker in workers {
            let _ = worker.join();
        }
        let released = self
            .shared
            .services
            .db
            .get()
            .map_err(ServiceError::from)
            .and_then(|mut conn| webhooks::release(&mut conn, None, &self.shared.holder));
        if let Err(error) = released {
            tracing::warn!(%error, "webhook leases not released; they run out by themselves");
        }
    }
}

fn dispatch(shared: &Arc<Shared>) {
    while !shared.stopping.load(Ordering::SeqCst) {
        if let Err(error) = hand_out(shared) {
            tracing::warn!(%error, "webhook relay could not look for work");
        }
        lock(&shared.workers).retain(|w| !w.is_finished());
        shared.services.wakeup.wait(shared.services.webhooks.poll);
    }
}

/// Takes every due subscription this instance has room for and starts a worker on it.
fn hand_out(shared: &Arc<Shared>) -> Result<(), ServiceError> {
    let room = MAX_WORKERS.saturating_sub(lock(&shared.active).len());
    if room == 0 {
        return Ok(());
    }
    let mut conn = shared.services.db.get()?;
    let now = shared.services.now().utc;
    // Subscriptions this instance delivers to are leased, so not due.
    let limit = i64::try_from(room).unwrap_or(i64::MAX);
    for subscription in webhooks::due(&mut conn, now, limit)? {
        if lock(&shared.active).len() >= MAX_WORKERS
            || lock(&shared.active).contains(&subscription.id)
        {
            continue;
        }
        let until = webhooks::lease_until(now, LEASE);
        let Some(subscription) =
            webhooks::take(&mut conn, &subscription.id, &shared.holder, now, until)?
        else {
            continue;
        };
        lock(&shared.active).insert(subscription.id.clone());
        let working = shared.clone();
        lock(&shared.workers).push(std::thread::spawn(move || {
            let id = subscription.id.clone();
            if let Err(error) = work(&working, subscription) {
                tracing::warn!(%error, subscription = %id, "webhook delivery stopped");
            }
            lock(&working.active).remove(&id);
            // More may have arrived meanwhile.
            working.services.wakeup.wake();
        }));
    }
    Ok(())
}

/// Delivers the subscription's notifications in order until its feed is done, an attempt fails,
/// the lease is lost or the relay stops; then lets go of it.
fn work(shared: &Shared, mut subscription: Subscription) -> Result<(), ServiceError> {
    let services = &shared.services;
    let key = match services
        .sealer
        .open(&subscription.sealed_secret, &subscription.id)
    {
        Ok(key) => key,
        Err(error) => {
            let failed = Answer::failed(format!("het geheim is niet te openen: {error}"));
            return refused(shared, &subscription, &failed);
        }
    };
    loop {
        let items = {
            let mut conn = services.db.get()?;
            webhooks::pending(
                &mut conn,
                &subscription.feed,
                subscription.state.delivered_position,
                BATCH,
            )?
        };
        if items.is_empty() || shared.stopping.load(Ordering::SeqCst) {
            return release(shared, &subscription);
        }
        let mut acknowledged: Vec<FeedItem> = Vec::new();
        let mut oldest = Instant::now();
        for item in items {
            if shared.stopping.load(Ordering::SeqCst) {
                break;
            }
            let answer = send(shared, &subscription, &key, &item);
            if answer != Answer::Acknowledged {
                if !record(shared, &mut subscription, &mut acknowledged)? {
                    return release(shared, &subscription);
                }
                return refused(shared, &subscription, &answer);
            }
            if acknowledged.is_empty() {
                oldest = Instant::now();
            }
            acknowledged.push(item);
            if (acknowledged.len() >= RECORD_EVERY || oldest.elapsed() >= RECORD_WITHIN)
                && !record(shared, &mut subscription, &mut acknowledged)?
            {
                return release(shared, &subscription);
            }
        }
        if !record(shared, &mut subscription, &mut acknowledged)? {
            return release(shared, &subscription);
        }
    }
}

/// Records the deliveries acknowledged so far (and renews the lease): whether this instance still
/// held the subscription. If another took over (this one stalled past its lease), it continues,
/// and at most these are delivered again.
fn record(
    shared: &Shared,
    subscription: &mut Subscription,
    acknowledged: &mut Vec<FeedItem>,
) -> Result<bool, ServiceError> {
    let Some(last) = acknowledged.last().map(|item| item.position) else {
        return Ok(true);
    };
    let services = &shared.services;
    let mut conn = services.db.get()?;
    let now = services.now();
    let until = webhooks::lease_until(now.utc, LEASE);
    let held = unit_of_work::delivered(
        &mut conn,
        &services.context(now),
        subscription,
        acknowledged,
        &shared.holder,
        until,
    )?;
    acknowledged.clear();
    subscription.state.delivered_position = last;
    subscription.state.failed_attempts = 0;
    Ok(held)
}

/// One attempt: the CloudEvent, signed, POSTed; what the endpoint's answer means.
fn send(shared: &Shared, subscription: &Subscription, key: &[u8], item: &FeedItem) -> Answer {
    let settings = &shared.services.webhooks;
    // The resolver checks the addresses this attempt connects to; the URL itself is checked
    // again too, in case the rules changed since it was subscribed.
    if let Err(issue) = webhook::check_url(&subscription.url, settings.production) {
        return Answer::failed(issue.reason);
    }
    let body = webhook::cloud_event(item, &settings.source);
    // The attempt's own wall-clock time: receivers check it against theirs to refuse replays.
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let signature = webhook::signature(key, &item.event_id, timestamp, body.as_bytes());
    let sent = shared
        .agent
        .post(&subscription.url)
        .header(
            "content-type",
            "application/cloudevents+json; charset=utf-8",
        )
        .header("webhook-id", &item.event_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .send(body.as_bytes());
    match sent {
        Ok(response) => webhook::answer(
            response.status().as_u16(),
            response
                .headers()
                .get("retry-after")
                .and_then(|value| value.to_str().ok()),
        ),
        Err(error) => Answer::failed(refusal_reason(&error)),
    }
}

/// Records an attempt the endpoint did not acknowledge: when to try again, or, after `410 Gone`,
/// that nothing more is sent.
fn refused(
    shared: &Shared,
    subscription: &Subscription,
    answer: &Answer,
) -> Result<(), ServiceError> {
    let services = &shared.services;
    let mut conn = services.db.get()?;
    let backoff = webhook::backoff(
        services.webhooks.backoff_base,
        subscription.state.failed_attempts + 1,
    );
    webhooks::refused(
        &mut conn,
        subscription,
        &shared.holder,
        answer,
        services.now().utc,
        &services.webhooks,
        jitter(backoff),
    )
}

/// What went wrong before any answer, in the subscriber's words.
fn refusal_reason(error: &ureq::Error) -> String {
    let refused = match error {
        ureq::Error::Other(inner) => inner.downcast_ref::<RefusedAddress>(),
        _ => None,
    };
    match refused {
        Some(RefusedAddress(reason)) => reason.clone(),
        None => format!("uw eindpunt was niet te bereiken: {error}"),
    }
}

fn release(shared: &Shared, subscription: &Subscription) -> Result<(), ServiceError> {
    let mut conn = shared.services.db.get()?;
    webhooks::release(&mut conn, Some(&subscription.id), &shared.holder)
}

/// Up to a tenth more, so that retries to many endpoints do not move in lockstep.
fn jitter(wait: Duration) -> Duration {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    wait.mul_f64(f64::from(nanos % 1000) / 10_000.0)
}

#[cfg(test)]
mod tests {
    use std::io::ErrorKind;
    use std::net::TcpListener;

    use super::*;

    /// A host name that resolves to loopback gets no connection in production, even though no
    /// check of the name itself ran before: the addresses connected to are the ones checked.
    #[test]
    fn in_production_no_connection_goes_to_a_loopback_address_whatever_the_name() {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        for url in [
            format!("http://localhost:{port}/meldingen"),
            format!("http://127.0.0.1:{port}/meldingen"),
        ] {
            let error = agent(true).post(&url).send("{}").unwrap_err();
            assert!(
                refusal_reason(&error).contains("loopback of een privé-adres"),
                "{url}: {error}"
            );
        }
        assert_eq!(
            listener.accept().map(|_| ()).unwrap_err().kind(),
            ErrorKind::WouldBlock,
            "nothing connected"
        );
    }
}
