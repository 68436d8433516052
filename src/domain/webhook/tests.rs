use super::*;
use crate::domain::notification::{GegevensVerzoek, Melding};
use crate::domain::person::PersonId;
use crate::domain::testing::d;

#[test]
fn the_signature_is_the_one_of_the_standard_webhooks_reference_vector() {
    // The vector of the Standard Webhooks reference library (libraries/rust, `test_sign`).
    let key = check_secret("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
    assert_eq!(
        signature(
            &key,
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            1649367553,
            br#"{"email":"test@example.com","username":"test_user"}"#
        ),
        "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw="
    );
}

#[test]
fn a_secret_is_whsec_and_the_base64_of_24_to_64_bytes() {
    use base64::Engine;
    let encode = |n: usize| format!("whsec_{}", BASE64.encode(vec![7u8; n]));
    assert_eq!(check_secret(&encode(24)).unwrap().len(), 24);
    assert_eq!(check_secret(&encode(64)).unwrap().len(), 64);
    for wrong in [
        encode(23),
        encode(65),
        "C2FVsBQIhrscChlQIMV+b5sSYspob7oD".to_owned(),
        "whsec_niet-base64!".to_owned(),
    ] {
        assert_eq!(check_secret(&wrong).unwrap_err().field, "geheim", "{wrong}");
    }
}

#[test]
fn in_production_only_https_to_a_public_host_is_allowed() {
    assert!(check_url("https://meldingen.cjib.example/hook", true).is_ok());
    for refused in [
        "http://meldingen.cjib.example/hook",
        "https://localhost/hook",
        "https://api.localhost:8443/hook",
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://169.254.169.254/latest",
        "https://[::1]/hook",
        "https://[fd00::1]/hook",
        "ftp://meldingen.cjib.example/hook",
        "https://user:pass@meldingen.cjib.example/hook",
        "https:///hook",
        "meldingen.cjib.example",
    ] {
        assert!(check_url(refused, true).is_err(), "{refused}");
    }
}

#[test]
fn in_development_a_loopback_receiver_over_http_is_allowed() {
    let target = check_url("http://127.0.0.1:8099/ontvang", false).unwrap();
    assert_eq!((target.host.as_str(), target.port), ("127.0.0.1", 8099));
    assert_eq!(check_url("https://[::1]/x", false).unwrap().port, 443);
    assert!(check_url("ftp://127.0.0.1/x", false).is_err());
}

#[test]
fn resolved_addresses_must_all_be_public_in_production() {
    let public: IpAddr = "93.184.215.14".parse().unwrap();
    let private: IpAddr = "192.168.1.10".parse().unwrap();
    assert!(check_addresses(&[public], true).is_ok());
    assert!(check_addresses(&[public, private], true).is_err());
    assert!(
        check_addresses(&[], true).is_err(),
        "a host that does not resolve"
    );
    assert!(check_addresses(&[private], false).is_ok());
    for address in [
        "100.64.0.1",
        "0.1.2.3",
        "198.18.0.1",
        "224.0.0.1",
        "::ffff:127.0.0.1",
        "fe80::1",
        "2001:db8::1",
        "::1",
        "::",
        // IPv4 inside IPv6: NAT64 to link-local (cloud metadata) and to a private network,
        // 6to4 around a private address, IPv4-compatible, NAT64's local-use prefix.
        "64:ff9b::a9fe:a9fe",
        "64:ff9b::a00:1",
        "2002:a00:1::1",
        "::a00:1",
        "::8.8.8.8",
        "64:ff9b:1::808:808",
    ] {
        assert!(!is_public(address.parse().unwrap()), "{address}");
    }
    for address in [
        "2a00:1450:4001::1",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
    ] {
        assert!(is_public(address.parse().unwrap()), "{address}");
    }
}

#[test]
fn back_off_doubles_from_its_base_up_to_an_hour() {
    let base = Duration::from_millis(500);
    let waits: Vec<_> = (1..=5).map(|n| backoff(base, n).as_millis()).collect();
    assert_eq!(waits, [500, 1000, 2000, 4000, 8000]);
    assert_eq!(backoff(base, 40), MAX_BACKOFF);
    assert_eq!(backoff(Duration::from_secs(3000), 2), MAX_BACKOFF);
}

#[test]
fn a_notification_becomes_a_cloud_event_with_the_nl_gov_attributes_and_no_bsn() {
    let item = FeedItem {
        position: 42,
        event_id: "0193a1b2-0000-7000-8000-000000000001".into(),
        created_at: d(2026, 6, 15).and_hms_micro_opt(10, 0, 0, 123_456).unwrap(),
        person: PersonId::from_stored("pseudoniem".into()),
        mandate: None,
        subject_id: "beslag-1".into(),
        message: Melding::GegevensGevraagd(GegevensVerzoek {
            beslag_id: "beslag-1".into(),
            ontbrekend: vec!["belastbaarJaarinkomen".into()],
            toelichting: "Vul aan".into(),
        }),
    };
    let event: serde_json::Value = serde_json::from_str(&cloud_event(
        &item,
        "urn:nld:rijksincasso:systeem:meldingen",
    ))
    .unwrap();
    assert_eq!(event["specversion"], "1.0");
    assert_eq!(event["id"], "0193a1b2-0000-7000-8000-000000000001");
    assert_eq!(event["source"], "urn:nld:rijksincasso:systeem:meldingen");
    assert_eq!(event["type"], "nl.rijksincasso.samenloop.gegevens-gevraagd");
    assert_eq!(event["subject"], "beslag-1");
    assert_eq!(event["time"], "2026-06-15T12:00:00.123456+02:00");
    assert_eq!(event["datacontenttype"], "application/json");
    assert_eq!(event["sequence"], "42");
    assert_eq!(event["sequencetype"], "Integer");
    assert_eq!(event["dataref"], "/api/v1/meldingen?na=41&aantal=1");
    assert_eq!(event["data"]["positie"], 42);
    assert_eq!(event["data"]["inhoud"]["soort"], "GEGEVENS_GEVRAAGD");
    assert!(
        !event.to_string().contains("pseudoniem"),
        "no person identifier"
    );
}

/// CJIB's subscription to `url` beside `existing`, from feed position `position` on.
fn subscribe_to(
    url: &str,
    existing: &[Subscription],
    position: i64,
    now: NaiveDateTime,
) -> Result<Decision<Subscription>, SubscriptionError> {
    Subscription::subscribe(
        Feed::Creditor("CJIB".into()),
        format!("a-{}", existing.len() + 1),
        NewSubscription {
            target: check_url(url, false).unwrap(),
        },
        "verzegeld".into(),
        existing,
        position,
        now,
    )
}

/// CJIB's subscription beside `existing` others (each to an address of its own).
fn subscribe(
    existing: usize,
    position: i64,
    now: NaiveDateTime,
) -> Result<Decision<Subscription>, SubscriptionError> {
    let others: Vec<Subscription> = (0..existing)
        .map(|n| {
            subscribe_to(&format!("http://127.0.0.1:9/ander-{n}"), &[], position, now)
                .unwrap()
                .value
        })
        .collect();
    subscribe_to("http://127.0.0.1:9/x", &others, position, now)
}

fn subscription_at(position: i64, now: NaiveDateTime) -> Subscription {
    subscribe(0, position, now).unwrap().value
}

#[test]
fn a_second_subscription_to_the_same_address_is_refused() {
    let now = d(2026, 6, 15).and_hms_opt(10, 0, 0).unwrap();
    let first = subscription_at(3, now);
    assert_eq!(
        subscribe_to("http://127.0.0.1:9/x", std::slice::from_ref(&first), 3, now).map(|d| d.value),
        Err(SubscriptionError::SameAddress(first.id.clone()))
    );
    assert!(subscribe_to("http://127.0.0.1:9/y", &[first], 3, now).is_ok());
}

#[test]
fn a_feed_takes_at_most_ten_subscriptions_and_starts_at_its_current_position() {
    let subscribe =
        |existing| subscribe(existing, 17, d(2026, 6, 15).and_hms_opt(10, 0, 0).unwrap());
    assert_eq!(
        subscribe(MAX_SUBSCRIPTIONS),
        Err(SubscriptionError::TooMany)
    );
    let subscription = subscribe(MAX_SUBSCRIPTIONS - 1).unwrap().value;
    assert_eq!(subscription.state.delivered_position, 17);
}

#[test]
fn a_2xx_acknowledges_410_gone_stops_and_anything_else_is_tried_again() {
    for status in [200, 201, 202, 204, 299] {
        assert_eq!(answer(status, None), Answer::Acknowledged, "{status}");
    }
    assert!(matches!(answer(410, Some("60")), Answer::Gone(reason) if reason.contains("410")));
    for status in [301, 302, 400, 404, 409, 429, 500, 502, 503, 504] {
        assert!(
            matches!(answer(status, None), Answer::Failed { reason, retry_after: None } if reason.contains(&status.to_string())),
            "{status}"
        );
    }
}

#[test]
fn a_failure_waits_the_back_off_and_a_410_stops_delivery_keeping_what_was_delivered() {
    let now = d(2026, 6, 15).and_hms_opt(10, 0, 0).unwrap();
    let mut subscription = subscription_at(17, now);
    subscription.state.failed_attempts = 2;
    let base = Duration::from_secs(10);
    let jitter = Duration::from_secs(1);

    assert_eq!(
        subscription.refused(&Answer::Acknowledged, now, base, jitter),
        None
    );
    let failed = subscription
        .refused(&answer(500, None), now, base, jitter)
        .unwrap();
    assert_eq!(failed.failed_attempts, 3);
    // The third failure in a row waits 10 s doubled twice, plus the jitter.
    assert_eq!(failed.next_attempt_at, Some(now + TimeDelta::seconds(41)));
    assert_eq!(failed.stopped_at, None);
    assert_eq!(failed.last_error_at, Some(now));
    assert!(failed.last_error.unwrap().contains("500"));

    let gone = subscription
        .refused(&answer(410, None), now, base, jitter)
        .unwrap();
    assert_eq!(gone.stopped_at, Some(now));
    assert_eq!(gone.next_attempt_at, None, "never tried again");
    assert_eq!(gone.delivered_position, 17, "what was delivered stays");
    assert!(gone.last_error.unwrap().contains("410"));
}

#[test]
fn retry_after_is_seconds_or_an_http_date_and_anything_else_is_ignored() {
    assert_eq!(RetryAfter::parse("120"), Some(RetryAfter::Seconds(120)));
    assert_eq!(RetryAfter::parse(" 0 "), Some(RetryAfter::Seconds(0)));
    assert_eq!(
        RetryAfter::parse("Mon, 15 Jun 2026 10:05:00 GMT"),
        Some(RetryAfter::At(
            d(2026, 6, 15).and_hms_opt(10, 5, 0).unwrap()
        ))
    );
    for ignored in ["", "-5", "1.5", "morgen", "2026-06-15T10:05:00Z"] {
        assert_eq!(RetryAfter::parse(ignored), None, "{ignored}");
    }
    assert!(matches!(
        answer(503, Some("120")),
        Answer::Failed {
            retry_after: Some(RetryAfter::Seconds(120)),
            ..
        }
    ));
}

#[test]
fn an_endpoints_retry_after_counts_when_longer_than_the_back_off_up_to_an_hour() {
    let now = d(2026, 6, 15).and_hms_opt(10, 0, 0).unwrap();
    let subscription = subscription_at(0, now);
    let base = Duration::from_secs(10);
    let next = |retry_after: &str| {
        subscription
            .refused(&answer(503, Some(retry_after)), now, base, Duration::ZERO)
            .unwrap()
            .next_attempt_at
            .unwrap()
    };
    for (retry_after, wait, why) in [
        ("120", TimeDelta::seconds(120), "longer: the endpoint's"),
        ("3", TimeDelta::seconds(10), "shorter: the back-off"),
        (
            "Mon, 15 Jun 2026 10:05:00 GMT",
            TimeDelta::minutes(5),
            "a date",
        ),
        (
            "Mon, 15 Jun 2026 09:00:00 GMT",
            TimeDelta::seconds(10),
            "a past date",
        ),
        ("86400", TimeDelta::hours(1), "at most an hour"),
    ] {
        assert_eq!(next(retry_after), now + wait, "{why}");
    }
}
