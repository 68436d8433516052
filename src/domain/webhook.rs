//! Push delivery of feeds (docs/debt-help-chain.md): an organisation or counsellor subscribes a webhook, and
//! every notification of its feed is delivered to it as a CloudEvent 1.0 in structured JSON
//! (NL GOV profile for CloudEvents), signed as Standard Webhooks 1.0 does, at least once and in
//! feed order, retried with exponential back-off. This module decides what is sent, which URLs
//! may be called, and what a delivery or failure records; the relay does the sending.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, NaiveDateTime, TimeDelta};
use chrono_tz::Europe::Amsterdam;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use super::access::{Action, Actor, Role};
use super::decision::{AccessRecord, Decision, Effects, Write};
use super::notification::{Feed, FeedItem, GenummerdeMelding, Melding};
use super::person::PersonId;
use super::validation::FieldIssue;

/// At most this many subscriptions per feed: enough for a test and a production endpoint and a
/// few systems besides.
pub const MAX_SUBSCRIPTIONS: usize = 10;

/// Back-off never waits longer than this between attempts; delivery is retried for as long as
/// the subscription exists (at least once means never giving up), unless its endpoint answers
/// `410 Gone` ([`Answer::Gone`]).
pub const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// The prefix of a Standard Webhooks symmetric secret.
const SECRET_PREFIX: &str = "whsec_";

/// A webhook subscription of one feed, with its delivery state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: String,
    pub feed: Feed,
    pub url: String,
    /// The signing secret, sealed: only the relay opens it.
    pub sealed_secret: String,
    pub created_at: NaiveDateTime,
    pub state: DeliveryState,
}

/// How far delivery has come.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryState {
    /// The last feed position delivered (acknowledged with a 2xx).
    pub delivered_position: i64,
    pub delivered_at: Option<NaiveDateTime>,
    /// Failed attempts at the next notification since the last success.
    pub failed_attempts: u32,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub last_error_at: Option<NaiveDateTime>,
    /// When the endpoint answered `410 Gone`: nothing is sent to it any more.
    pub stopped_at: Option<NaiveDateTime>,
}

/// Where a webhook may go: the URL as given, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub host: String,
    pub port: u16,
}

/// Whether an address is on the public internet: not loopback, private, link-local (which
/// holds cloud metadata services), shared, documentation, multicast or otherwise reserved.
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            let embedded = |high: u16, low: u16| {
                IpAddr::V4(Ipv4Addr::from((u32::from(high) << 16) | u32::from(low)))
            };
            match v6.segments() {
                // IPv4-mapped (`::ffff:a.b.c.d`) and NAT64's well-known prefix (RFC 6052), which
                // a NAT64 gateway translates to the IPv4 address in the last 32 bits.
                [0, 0, 0, 0, 0, 0xffff, high, low] | [0x64, 0xff9b, 0, 0, 0, 0, high, low] => {
                    is_public(embedded(high, low))
                }
                // 6to4 (RFC 3056): the IPv4 address in bits 16 to 47.
                [0x2002, high, low, ..] => is_public(embedded(high, low)),
                // NAT64's local-use prefix (RFC 8215), the deprecated IPv4-compatible addresses
                // and the rest of `::/96` (RFC 4291), loopback and unspecified included.
                [0x64, 0xff9b, 1, ..] | [0, 0, 0, 0, 0, 0, _, _] => false,
                [first, second, ..] => {
                    let documentation = first == 0x2001 && second == 0x0db8;
                    !(v6.is_multicast()
                        || v6.is_unique_local()
                        || v6.is_unicast_link_local()
                        || documentation)
                }
            }
        }
    }
}

fn url_issue(reason: &str) -> FieldIssue {
    FieldIssue::new("url", "ongeldige_url", reason)
}

/// Checks a webhook URL. In production only `https` to a host that is not loopback or a private
/// address (a host name is checked again on its resolved addresses with [`check_addresses`]);
/// in development any `http` or `https` URL, so tests and local receivers work.
pub fn check_url(url: &str, production: bool) -> Result<Target, FieldIssue> {
    if url.len() > 2000 || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(url_issue(
            "moet een URL zijn van hoogstens 2000 tekens, zonder spaties",
        ));
    }
    let uri: ureq::http::Uri = url.parse().map_err(|_| url_issue("is geen geldige URL"))?;
    let https = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => {
            return Err(url_issue(
                "moet beginnen met https:// (of http:// buiten productie)",
            ));
        }
    };
    let host = uri
        .host()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| url_issue("noemt geen host"))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        return Err(url_issue("mag geen gebruikersnaam of wachtwoord bevatten"));
    }
    if production {
        if !https {
            return Err(url_issue("moet in productie met https:// beginnen"));
        }
        let local_name = host == "localhost" || host.ends_with(".localhost");
        let private_ip = host.parse::<IpAddr>().is_ok_and(|ip| !is_public(ip));
        if local_name || private_ip {
            return Err(url_issue(
                "mag in productie niet naar loopback of een privé-adres wijzen",
            ));
        }
    }
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    Ok(Target {
        url: url.to_owned(),
        host,
        port,
    })
}

/// In production, every address a host name resolves to must be public: a name that resolves
/// to loopback or a private network would let a subscriber reach this service's own network.
pub fn check_addresses(addresses: &[IpAddr], production: bool) -> Result<(), FieldIssue> {
    if !production {
        return Ok(());
    }
    if addresses.is_empty() {
        return Err(url_issue("de host is niet te vinden"));
    }
    if addresses.iter().all(|a| is_public(*a)) {
        Ok(())
    } else {
        Err(url_issue(
            "de host wijst naar loopback of een privé-adres; dat mag in productie niet",
        ))
    }
}

/// Checks a signing secret in the Standard Webhooks form: `whsec_` and the base64 of 24 to 64
/// random bytes. Returns the key bytes.
pub fn check_secret(secret: &str) -> Result<Vec<u8>, FieldIssue> {
    let issue = || {
        FieldIssue::new(
            "geheim",
            "ongeldig_geheim",
            "moet de vorm whsec_<base64> hebben, met 24 tot 64 willekeurige bytes (Standard Webhooks)",
        )
    };
    let encoded = secret.strip_prefix(SECRET_PREFIX).ok_or_else(issue)?;
    let key = BASE64.decode(encoded).map_err(|_| issue())?;
    if (24..=64).contains(&key.len()) {
        Ok(key)
    } else {
        Err(issue())
    }
}

/// The Standard Webhooks signature of a delivery: `v1,` and the base64 of HMAC-SHA256 under the
/// secret's key over `{webhook-id}.{webhook-timestamp}.{body}`.
pub fn signature(key: &[u8], message_id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(message_id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()))
}

/// The CloudEvents `type` of a notification: reverse-DNS, by subject area, not by organisation
/// (NL GOV profile).
pub fn event_type(message: &Melding) -> &'static str {
    match message {
        Melding::RegelingGestart(_) => "nl.rijksincasso.betalingsregeling.gestart",
        Melding::RegelingBeeindigd(_) => "nl.rijksincasso.betalingsregeling.beeindigd",
        Melding::RegelingVorderingGewijzigd(_) => {
            "nl.rijksincasso.betalingsregeling.vordering-gewijzigd"
        }
        Melding::SamenloopGesignaleerd(_) => "nl.rijksincasso.samenloop.gesignaleerd",
        Melding::SamenloopGewijzigd(_) => "nl.rijksincasso.samenloop.gewijzigd",
        Melding::SamenloopOpgeheven(_) => "nl.rijksincasso.samenloop.opgeheven",
        Melding::GegevensGevraagd(_) => "nl.rijksincasso.samenloop.gegevens-gevraagd",
        Melding::SchuldhulptrajectGestart(_) => "nl.rijksincasso.schuldhulptraject.gestart",
        Melding::SchuldhulptrajectGewijzigd(_) => "nl.rijksincasso.schuldhulptraject.gewijzigd",
        Melding::SchuldhulptrajectBeeindigd(_) => "nl.rijksincasso.schuldhulptraject.beeindigd",
        Melding::SignaalTijdensSchuldenpauze(_) => "nl.rijksincasso.schuldenpauze.signaal",
        Melding::MachtigingBeeindigd(_) => "nl.rijksincasso.machtiging.beeindigd",
    }
}

/// A notification as a CloudEvent in structured JSON.
#[derive(Debug, Serialize)]
struct CloudEvent<'a> {
    specversion: &'static str,
    /// The notification's own stable id: the same for every attempt.
    id: &'a str,
    source: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    /// What it is about (an arrangement, attachment, flag, trajectory or claim id); never a BSN.
    subject: &'a str,
    /// When the notification was written (logged), with microseconds, in Dutch time.
    time: String,
    datacontenttype: &'static str,
    /// Where the same notification can be read from the pull feed.
    dataref: String,
    /// The feed position: from 1, contiguous (sequencetype Integer).
    sequence: String,
    sequencetype: &'static str,
    data: GenummerdeMelding,
}

/// The body of a delivery: the notification as a CloudEvent 1.0 (`application/cloudevents+json`).
/// `source` is this service's URN.
pub fn cloud_event(item: &FeedItem, source: &str) -> String {
    let event = CloudEvent {
        specversion: "1.0",
        id: &item.event_id,
        source,
        kind: event_type(&item.message),
        subject: &item.subject_id,
        time: item
            .created_at
            .and_utc()
            .with_timezone(&Amsterdam)
            .format("%Y-%m-%dT%H:%M:%S%.6f%:z")
            .to_string(),
        datacontenttype: "application/json",
        dataref: format!("/api/v1/meldingen?na={}&aantal=1", item.position - 1),
        sequence: item.position.to_string(),
        sequencetype: "Integer",
        data: GenummerdeMelding::from(item),
    };
    serde_json::to_string(&event)
        .unwrap_or_else(|e| unreachable!("a notification always serializes: {e}"))
}

/// How a delivery attempt ended: the endpoint's answer as Standard Webhooks 1.0 reads it
/// ("Delivery success and failure"), or a failure before any answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A 2xx: delivered.
    Acknowledged,
    /// `410 Gone`: the endpoint wants no more deliveries from this source; the specification has
    /// the sender stop sending to it.
    Gone(String),
    /// Any other answer, a redirect too (it is not followed), or none at all: tried again after
    /// the back-off, or later if the endpoint asked so with `Retry-After`.
    Failed {
        reason: String,
        retry_after: Option<RetryAfter>,
    },
}

impl Answer {
    /// A failure without an answer to take a wait from.
    pub fn failed(reason: String) -> Answer {
        Answer::Failed {
            reason,
            retry_after: None,
        }
    }
}

/// The endpoint's answer to an attempt: its status and its `Retry-After` header, if any.
pub fn answer(status: u16, retry_after: Option<&str>) -> Answer {
    match status {
        200..=299 => Answer::Acknowledged,
        410 => Answer::Gone(
            "uw eindpunt antwoordde met status 410 (Gone): er wordt niets meer heen gestuurd. \
             Verwijder dit abonnement en neem zo nodig een nieuw."
                .to_owned(),
        ),
        _ => Answer::Failed {
            reason: format!("uw eindpunt antwoordde met status {status}"),
            retry_after: retry_after.and_then(RetryAfter::parse),
        },
    }
}

/// A `Retry-After` header (RFC 9110, section 10.2.3): a number of seconds, or an HTTP date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    Seconds(u64),
    At(NaiveDateTime),
}

impl RetryAfter {
    /// The header's value; anything else than seconds or an HTTP date is ignored.
    pub fn parse(value: &str) -> Option<RetryAfter> {
        let value = value.trim();
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            return value.parse().ok().map(RetryAfter::Seconds);
        }
        DateTime::parse_from_rfc2822(value)
            .ok()
            .map(|at| RetryAfter::At(at.naive_utc()))
    }

    /// How long from `now` (UTC); a date in the past is no wait.
    fn wait(self, now: NaiveDateTime) -> Duration {
        match self {
            RetryAfter::Seconds(seconds) => Duration::from_secs(seconds),
            RetryAfter::At(at) => (at - now).to_std().unwrap_or(Duration::ZERO),
        }
    }
}

/// How long to wait after `attempts` failed attempts in a row: `base`, doubling with every
/// further attempt, at most [`MAX_BACKOFF`].
pub fn backoff(base: Duration, attempts: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(31));
    base.saturating_mul(factor).min(MAX_BACKOFF)
}

/// What a subscriber gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscription {
    pub target: Target,
}

impl Subscription {
    /// Subscribes `feed` from its current position on: what is already in the feed can be read
    /// with `GET /meldingen`. `existing`: the feed's subscriptions. A second one to the same
    /// address is refused: every notification would arrive there twice.
    pub fn subscribe(
        feed: Feed,
        id: String,
        new: NewSubscription,
        sealed_secret: String,
        existing: &[Subscription],
        feed_position: i64,
        now: NaiveDateTime,
    ) -> Result<Decision<Subscription>, SubscriptionError> {
        if let Some(same) = existing.iter().find(|s| s.url == new.target.url) {
            return Err(SubscriptionError::SameAddress(same.id.clone()));
        }
        if existing.len() >= MAX_SUBSCRIPTIONS {
            return Err(SubscriptionError::TooMany);
        }
        let subscription = Subscription {
            id,
            feed,
            url: new.target.url,
            sealed_secret,
            created_at: now,
            state: DeliveryState {
                delivered_position: feed_position,
                ..DeliveryState::default()
            },
        };
        Ok(Decision {
            writes: vec![Write::NewSubscription(subscription.clone())],
            value: subscription,
            effects: Effects::default(),
        })
    }

    /// Ends the subscription; deliveries stop, the pull feed stays.
    pub fn remove(self) -> Decision<()> {
        Decision {
            value: (),
            writes: vec![Write::SubscriptionRemoved { id: self.id }],
            effects: Effects::default(),
        }
    }

    /// Deliveries acknowledged: each person's access log records, once per person (and
    /// mandate), that their data reached the feed's owner.
    pub fn delivered(&self, items: &[FeedItem]) -> Decision<()> {
        let role = match self.feed {
            Feed::Creditor(_) => Role::Organisatie,
            Feed::Counsellor(_) => Role::Schuldhulpverlener,
        };
        let concerned: BTreeSet<(&PersonId, Option<&String>)> = items
            .iter()
            .map(|item| (&item.person, item.mandate.as_ref()))
            .collect();
        let records = concerned
            .into_iter()
            .map(|(person, mandate)| AccessRecord {
                person: person.clone(),
                actor: Actor::organisation(role, self.feed.id()),
                action: Action::NotificationDelivered,
                subject_id: Some(mandate.unwrap_or(&self.id).clone()),
            })
            .collect();
        Decision::reads((), records)
    }

    /// The delivery state after an attempt the endpoint did not acknowledge (`None` if it did):
    /// one more failed attempt and its error, and when to try the same notification again (the
    /// back-off from `base`, or the endpoint's `Retry-After` if longer, at most [`MAX_BACKOFF`],
    /// plus `jitter`), or, after `410 Gone`, that delivery has stopped.
    pub fn refused(
        &self,
        answer: &Answer,
        now: NaiveDateTime,
        base: Duration,
        jitter: Duration,
    ) -> Option<DeliveryState> {
        let attempts = self.state.failed_attempts + 1;
        let (error, next_attempt_at, stopped_at) = match answer {
            Answer::Acknowledged => return None,
            Answer::Gone(reason) => (reason, None, Some(now)),
            Answer::Failed {
                reason,
                retry_after,
            } => {
                // The endpoint's own wait counts when longer than the back-off, up to its cap.
                let asked = retry_after.map_or(Duration::ZERO, |r| r.wait(now).min(MAX_BACKOFF));
                let wait = backoff(base, attempts).max(asked).saturating_add(jitter);
                let retry_at = now + TimeDelta::from_std(wait).unwrap_or(TimeDelta::MAX);
                (reason, Some(retry_at), None)
            }
        };
        Some(DeliveryState {
            failed_attempts: attempts,
            next_attempt_at,
            last_error: Some(error.clone()),
            last_error_at: Some(now),
            stopped_at,
            ..self.state.clone()
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubscriptionError {
    #[error(
        "U heeft al het grootste aantal abonnementen; verwijder er eerst een (hoogstens 10 per organisatie)."
    )]
    TooMany,
    #[error(
        "U heeft al een abonnement op dit adres ({0}); met een tweede kwam elke melding er twee keer. Gebruik dat abonnement, of verwijder het eerst."
    )]
    SameAddress(String),
}

#[cfg(test)]
mod tests;
