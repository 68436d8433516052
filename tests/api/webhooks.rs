//! Push over HTTP: a real receiver (an HTTP server on a loopback port that can be killed,
//! revived and told to answer 500) gets every notification of a subscribed feed once, in order,
//! as a signed CloudEvent; killed receivers and a restarted service lose nothing; a failing
//! receiver is retried with back-off (or later, when it asks so with Retry-After) and holds up
//! no other subscriber; one that answers 410 Gone gets nothing more.

use std::net::TcpListener;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, NaiveDateTime};
use hmac::{Hmac, Mac};
use rijksincasso::service::webhooks;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::fixtures::*;
use crate::observability::{scrape, value};
use crate::support::{BSNS, Backend, Reply, TestApp, with_metrics};

/// The subscribers' secret: `whsec_` and the base64 of these 32 bytes.
const KEY: &[u8; 32] = b"a-test-webhook-key-of-32-bytes!!";

fn secret() -> String {
    format!("whsec_{}", BASE64.encode(KEY))
}

/// What the receiver got in one request.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: String,
    signature: String,
    content_type: String,
    body: String,
}

impl Received {
    fn event(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }

    fn position(&self) -> i64 {
        self.event()["sequence"].as_str().unwrap().parse().unwrap()
    }

    /// Verified as the Standard Webhooks specification says, independently of the service:
    /// HMAC-SHA256 of `{id}.{timestamp}.{body}` under the secret's key, base64, after `v1,`.
    fn signature_verifies(&self) -> bool {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(KEY).unwrap();
        mac.update(format!("{}.{}.{}", self.id, self.timestamp, self.body).as_bytes());
        let expected = format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()));
        self.signature.split(' ').any(|s| s == expected)
    }
}

#[derive(Default)]
struct Inbox {
    /// Every request, in the order it arrived, with the status answered.
    requests: Mutex<Vec<(Received, u16)>>,
    status: AtomicU16,
    /// A `Retry-After` header to answer with.
    retry_after: Mutex<Option<String>>,
    /// How long to take over an answer.
    pause: Mutex<Duration>,
}

/// A webhook receiver: a real HTTP server on a loopback port.
struct Receiver {
    port: u16,
    inbox: Arc<Inbox>,
    server: Option<ServerHandle>,
}

async fn receive(req: HttpRequest, body: web::Bytes, inbox: web::Data<Arc<Inbox>>) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let status = inbox.status.load(Ordering::SeqCst);
    inbox.requests.lock().unwrap().push((
        Received {
            id: header("webhook-id"),
            timestamp: header("webhook-timestamp"),
            signature: header("webhook-signature"),
            content_type: header("content-type"),
            body: String::from_utf8_lossy(&body).into_owned(),
        },
        status,
    ));
    let pause = *inbox.pause.lock().unwrap();
    actix_web::rt::time::sleep(pause).await;
    let mut response = HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap());
    if let Some(wait) = inbox.retry_after.lock().unwrap().clone() {
        response.insert_header(("retry-after", wait));
    }
    response.finish()
}

impl Receiver {
    fn start() -> Receiver {
        let mut receiver = Receiver {
            port: 0,
            inbox: Arc::new(Inbox {
                status: AtomicU16::new(204),
                ..Inbox::default()
            }),
            server: None,
        };
        receiver.revive();
        receiver
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/meldingen", self.port)
    }

    /// Starts (again) on its port; the first time on a free one.
    fn revive(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("bind the receiver");
        self.port = listener.local_addr().unwrap().port();
        let inbox = web::Data::new(self.inbox.clone());
        let (sender, handle) = mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(inbox.clone())
                        .default_service(web::to(receive))
                })
                .workers(1)
                .disable_signals()
                .shutdown_timeout(0)
                .listen(listener)
                .expect("listen")
                .run();
                sender.send(server.handle()).unwrap();
                server.await
            })
        });
        self.server = Some(handle.recv().unwrap());
    }

    /// Stops at once: connections are dropped, new ones refused.
    fn kill(&mut self) {
        if let Some(server) = self.server.take() {
            actix_web::rt::System::new().block_on(server.stop(false));
        }
    }

    fn answer(&self, status: u16) {
        self.inbox.status.store(status, Ordering::SeqCst);
    }

    /// Answers `status` with `Retry-After: {wait}`.
    fn answer_later(&self, status: u16, wait: &str) {
        *self.inbox.retry_after.lock().unwrap() = Some(wait.to_owned());
        self.answer(status);
    }

    /// Takes `pause` over every answer from now on.
    fn answer_slowly(&self, pause: Duration) {
        *self.inbox.pause.lock().unwrap() = pause;
    }

    fn requests(&self) -> Vec<(Received, u16)> {
        self.inbox.requests.lock().unwrap().clone()
    }

    /// The deliveries it acknowledged (2xx), in order.
    fn acknowledged(&self) -> Vec<Received> {
        self.requests()
            .into_iter()
            .filter(|(_, status)| (200..300).contains(status))
            .map(|(r, _)| r)
            .collect()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A test app whose relay looks every 20 ms and first waits 10 s after a failure; the test
/// moves the clock to let the wait pass.
fn fast(backend: Backend) -> TestApp {
    TestApp::start_with(backend, |config| {
        config.webhooks.poll = Duration::from_millis(20);
        config.webhooks.backoff_base = Duration::from_secs(10);
        with_metrics()(config);
    })
}

fn subscribe(app: &TestApp, code: &str, url: &str) -> Reply {
    app.post(
        "/api/v1/abonnementen",
        Some(&app.agency(code)),
        &json!({"url": url, "geheim": secret()}),
    )
}

/// One notification for CJIB (its attachment applies a lower beslagvrije voet than the common
/// norm) about the `n`th test citizen.
fn notify_cjib(app: &TestApp, n: usize) {
    let mut body = attachment("100.00", "1200.00", "2026-03-01");
    body["burgerservicenummer"] = json!(BSNS[n]);
    register(app, &app.agency("CJIB"), &body).succeeded();
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !done() {
        assert!(Instant::now() < deadline, "waited in vain: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn subscriptions(app: &TestApp, code: &str) -> Vec<Value> {
    app.get("/api/v1/abonnementen", Some(&app.agency(code)))
        .json()["abonnementen"]
        .as_array()
        .unwrap()
        .clone()
}

/// Two receivers subscribed to CJIB's feed, and the first one's subscription id.
fn two_cjib_subscribers(app: &TestApp) -> (Receiver, Receiver, String) {
    let first = Receiver::start();
    let second = Receiver::start();
    let id = subscribe(app, "CJIB", &first.url()).succeeded().json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    subscribe(app, "CJIB", &second.url()).succeeded();
    (first, second, id)
}

fn cjib_subscription(app: &TestApp, id: &str) -> Value {
    app.get(
        &format!("/api/v1/abonnementen/{id}"),
        Some(&app.agency("CJIB")),
    )
    .json()
}

fn seconds_between(from: &Value, to: &Value) -> i64 {
    let at = |v: &Value| DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    (at(to) - at(from)).num_seconds()
}

/// Each test on both backends, as `sqlite::name` and `postgres::name`, with a fast relay.
macro_rules! on_both_backends_with_a_fast_relay {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(super::fast(super::Backend::Sqlite)) } )*
        }
        mod postgres {
            $( #[test]
            #[cfg_attr(not(postgres_tests), ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested")]
            fn $name() { super::$name(super::fast(super::Backend::Postgres)) } )*
        }
    };
}

on_both_backends_with_a_fast_relay!(
    a_receiver_gets_every_notification_once_in_order_as_a_signed_cloud_event,
    killed_and_restarted_receivers_and_a_restarted_service_lose_nothing,
    a_receiver_answering_500_is_retried_with_back_off_and_holds_up_no_other_subscriber,
    a_receiver_answering_410_gone_gets_nothing_more_until_it_subscribes_again,
    a_receiver_asking_to_retry_after_two_minutes_is_not_tried_before_then,
    subscriptions_are_checked_owned_and_removed,
    another_instance_serves_the_longest_waiting_first_and_takes_only_what_is_still_due,
    a_delivery_acknowledged_after_its_subscription_was_removed_is_in_the_access_log,
);

fn a_receiver_gets_every_notification_once_in_order_as_a_signed_cloud_event(app: TestApp) {
    let receiver = Receiver::start();
    let reply = subscribe(&app, "CJIB", &receiver.url());
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert!(
        !reply.text.contains("whsec_"),
        "the secret is never given back"
    );
    for n in 0..5 {
        notify_cjib(&app, n);
    }
    wait_until("five deliveries recorded", || {
        subscriptions(&app, "CJIB")[0]["achterstand"] == 0
    });
    let got = receiver.acknowledged();
    assert_eq!(
        got.iter().map(Received::position).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5],
        "once each, in feed order"
    );
    let pulled = feed(&app, "CJIB");
    let now = chrono::Utc::now().timestamp();
    for (delivery, item) in got.iter().zip(&pulled) {
        assert!(delivery.signature_verifies(), "{delivery:?}");
        assert!((now - delivery.timestamp.parse::<i64>().unwrap()).abs() < 300);
        assert_eq!(
            delivery.content_type,
            "application/cloudevents+json; charset=utf-8"
        );
        let event = delivery.event();
        assert_eq!(
            event["id"],
            delivery.id.as_str(),
            "webhook-id is the event id"
        );
        assert_eq!(event["specversion"], "1.0");
        assert_eq!(event["source"], "urn:nld:rijksincasso:systeem:meldingen");
        assert_eq!(event["type"], "nl.rijksincasso.samenloop.gesignaleerd");
        assert_eq!(
            event["data"], *item,
            "the same notification as the pull feed"
        );
        for bsn in BSNS {
            assert!(!delivery.body.contains(bsn));
        }
    }
    let ids: std::collections::BTreeSet<_> = got.iter().map(|d| d.id.clone()).collect();
    assert_eq!(ids.len(), 5);
    let state = &subscriptions(&app, "CJIB")[0];
    assert_eq!(
        (
            state["afgeleverdTotPositie"].as_i64(),
            state["achterstand"].as_i64()
        ),
        (Some(5), Some(0))
    );
    assert_eq!(state["misluktePogingen"], 0);
    let log = app
        .get("/api/v1/inzagelog", Some(&app.citizen(BSNS[0])))
        .json()
        .to_string();
    assert!(
        log.contains("MELDING_AFGELEVERD"),
        "the citizen sees that their data was sent"
    );
}

fn killed_and_restarted_receivers_and_a_restarted_service_lose_nothing(mut app: TestApp) {
    let mut receiver = Receiver::start();
    subscribe(&app, "CJIB", &receiver.url()).succeeded();
    notify_cjib(&app, 0);
    notify_cjib(&app, 1);
    // Recorded by the service, not only acknowledged by the receiver: killed between its answer
    // and the relay's record, the second delivery would rightly be tried again.
    wait_until("two deliveries recorded", || {
        subscriptions(&app, "CJIB")[0]["afgeleverdTotPositie"] == 2
    });

    receiver.kill();
    notify_cjib(&app, 2);
    notify_cjib(&app, 3);
    wait_until("a failed attempt recorded", || {
        subscriptions(&app, "CJIB")[0]["misluktePogingen"].as_i64() >= Some(1)
    });
    let state = &subscriptions(&app, "CJIB")[0];
    assert_eq!(state["afgeleverdTotPositie"], 2);
    assert_eq!(state["achterstand"], 2);
    assert!(
        state["laatsteFout"]
            .as_str()
            .unwrap()
            .contains("niet te bereiken"),
        "{state}"
    );

    app.restart();
    receiver.revive();
    app.clock.advance(chrono::Duration::seconds(12));
    wait_until("the backlog after the restarts", || {
        receiver.acknowledged().len() >= 4
    });
    notify_cjib(&app, 4);
    wait_until("a delivery by the restarted service", || {
        receiver.acknowledged().iter().any(|d| d.position() == 5)
    });
    let mut first_seen = Vec::new();
    for delivery in receiver.acknowledged() {
        assert!(delivery.signature_verifies());
        if !first_seen.contains(&delivery.position()) {
            first_seen.push(delivery.position());
        }
    }
    assert_eq!(
        first_seen,
        [1, 2, 3, 4, 5],
        "nothing lost, in order (at least once)"
    );
    wait_until("every delivery recorded", || {
        subscriptions(&app, "CJIB")[0]["achterstand"] == 0
    });
}

fn a_receiver_answering_500_is_retried_with_back_off_and_holds_up_no_other_subscriber(
    app: TestApp,
) {
    let (failing, working, failing_id) = two_cjib_subscribers(&app);
    failing.answer(500);
    for n in 0..3 {
        notify_cjib(&app, n);
    }
    wait_until("the working receiver got everything", || {
        working.acknowledged().len() >= 3
    });
    let state = |app: &TestApp| cjib_subscription(app, &failing_id);
    wait_until("a failed attempt", || state(&app)["misluktePogingen"] == 1);
    let first = state(&app);
    assert!(
        first["laatsteFout"].as_str().unwrap().contains("500"),
        "{first}"
    );
    assert_eq!(first["afgeleverdTotPositie"], 0);
    assert_eq!(first["achterstand"], 3);
    let backlog = || value(&scrape(&app), "rijksincasso_webhook_backlog{feed=\"CJIB\"}");
    assert_eq!(
        backlog(),
        3.0,
        "the operator sees the slowest subscription's backlog"
    );
    // Base 10 s, plus up to a tenth of jitter.
    assert!(
        (10..=11).contains(&seconds_between(
            &first["laatsteFoutOp"],
            &first["volgendePogingOp"]
        )),
        "{first}"
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        failing.requests().len(),
        1,
        "not retried before the wait is over"
    );

    app.clock.advance(chrono::Duration::seconds(12));
    wait_until("a second failed attempt", || {
        state(&app)["misluktePogingen"] == 2
    });
    let second = state(&app);
    assert!(
        (20..=22).contains(&seconds_between(
            &second["laatsteFoutOp"],
            &second["volgendePogingOp"]
        )),
        "the wait doubles: {second}"
    );

    failing.answer(200);
    app.clock.advance(chrono::Duration::seconds(23));
    wait_until("the failing receiver caught up", || {
        failing.acknowledged().len() >= 3
    });
    let positions: Vec<i64> = failing
        .acknowledged()
        .iter()
        .map(Received::position)
        .collect();
    assert_eq!(positions, [1, 2, 3], "in order once it answers");
    let attempts: Vec<i64> = failing
        .requests()
        .iter()
        .map(|(r, _)| r.position())
        .collect();
    assert_eq!(
        attempts,
        [1, 1, 1, 2, 3],
        "every retry is of the first undelivered notification"
    );
    let retried = failing.requests();
    assert_eq!(
        retried[0].0.id, retried[2].0.id,
        "a retry keeps its webhook-id"
    );
    // The relay records an acknowledgement after the receiver answered it.
    wait_until("the last delivery recorded", || {
        state(&app)["achterstand"] == 0
    });
    assert_eq!(state(&app)["misluktePogingen"], 0);
    assert_eq!(backlog(), 0.0);
    assert_eq!(
        working.requests().len(),
        3,
        "the working receiver was never held up nor repeated"
    );
}

fn a_receiver_answering_410_gone_gets_nothing_more_until_it_subscribes_again(app: TestApp) {
    let (gone, working, gone_id) = two_cjib_subscribers(&app);
    let state = |app: &TestApp| cjib_subscription(app, &gone_id);
    for n in 0..2 {
        notify_cjib(&app, n);
    }
    wait_until("two deliveries recorded", || {
        state(&app)["achterstand"] == 0
    });

    gone.answer(410);
    notify_cjib(&app, 2);
    wait_until("the stop recorded", || !state(&app)["gestoptOp"].is_null());
    let stopped = state(&app);
    assert_eq!(stopped["afgeleverdTotPositie"], 2, "{stopped}");
    assert_eq!(stopped["achterstand"], 1, "{stopped}");
    assert!(stopped["volgendePogingOp"].is_null(), "{stopped}");
    assert!(
        stopped["laatsteFout"].as_str().unwrap().contains("410"),
        "{stopped}"
    );

    // No retry, however long the wait, and no new notification either.
    app.clock.advance(chrono::Duration::hours(2));
    notify_cjib(&app, 3);
    wait_until("the other subscriber got everything", || {
        working.acknowledged().len() >= 4
    });
    std::thread::sleep(Duration::from_millis(300));
    let statuses: Vec<u16> = gone.requests().iter().map(|(_, status)| *status).collect();
    assert_eq!(statuses, [204, 204, 410], "nothing after the 410");
    let feed = app
        .get("/api/v1/meldingen", Some(&app.agency("CJIB")))
        .json();
    assert_eq!(
        feed["meldingen"].as_array().unwrap().len(),
        4,
        "the pull feed keeps everything"
    );

    // Removed and subscribed again, the endpoint gets what comes next.
    let path = format!("/api/v1/abonnementen/{gone_id}");
    assert_eq!(app.delete(&path, Some(&app.agency("CJIB"))).status, 204);
    gone.answer(204);
    subscribe(&app, "CJIB", &gone.url()).succeeded();
    notify_cjib(&app, 4);
    wait_until("the new subscription delivered", || {
        gone.acknowledged().len() >= 3
    });
    assert_eq!(gone.acknowledged()[2].position(), 5);
}

fn a_receiver_asking_to_retry_after_two_minutes_is_not_tried_before_then(app: TestApp) {
    let busy = Receiver::start();
    busy.answer_later(503, "120");
    let id = subscribe(&app, "CJIB", &busy.url()).succeeded().json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    notify_cjib(&app, 0);
    wait_until("a failed attempt", || {
        cjib_subscription(&app, &id)["misluktePogingen"] == 1
    });
    let failed = cjib_subscription(&app, &id);
    // Its 120 s rather than the 10 s back-off, plus up to a tenth of the back-off.
    assert!(
        (120..=121).contains(&seconds_between(
            &failed["laatsteFoutOp"],
            &failed["volgendePogingOp"]
        )),
        "{failed}"
    );
    app.clock.advance(chrono::Duration::seconds(60));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(busy.requests().len(), 1, "not before the time it asked for");
    busy.answer(204);
    app.clock.advance(chrono::Duration::seconds(62));
    wait_until("delivered once the time came", || {
        busy.acknowledged().len() == 1
    });
}

/// What another instance does between finding subscriptions due and taking one, on its own
/// connection to the same database: the longest waiting first, one that never delivered first
/// of all; and it takes only one that is still due, as it is at that moment.
fn another_instance_serves_the_longest_waiting_first_and_takes_only_what_is_still_due(
    app: TestApp,
) {
    let (never, before) = (Receiver::start(), Receiver::start());
    never.answer_later(503, "120");
    before.answer_later(503, "120");
    let id = |reply: Reply| reply.succeeded().json()["id"].as_str().unwrap().to_owned();
    let never_id = id(subscribe(&app, "CJIB", &never.url()));
    let before_id = id(subscribe(&app, "CJIB", &before.url()));
    notify_cjib(&app, 0);
    wait_until("both tried once", || {
        [&never_id, &before_id]
            .iter()
            .all(|id| cjib_subscription(&app, id)["misluktePogingen"] == 1)
    });
    app.run_sql(&format!(
        "UPDATE webhook_subscriptions SET delivered_at = '2026-06-15 09:00:00' WHERE id = '{before_id}'"
    ));
    let db = rijksincasso::store::Db::new(&app.config.database_url, 1);
    let mut conn = db.get().expect("a connection");
    let at = |time: &str| NaiveDateTime::parse_from_str(time, "%Y-%m-%d %H:%M:%S").unwrap();
    let (now, later) = (at("2026-06-15 10:00:30"), at("2026-06-15 10:05:00"));
    let due = |conn: &mut _, at, limit| -> Vec<String> {
        let found = webhooks::due(conn, at, limit).expect("due");
        found.into_iter().map(|s| s.id).collect()
    };
    assert!(
        due(&mut conn, now, 10).is_empty(),
        "both wait the time they asked for"
    );
    assert_eq!(
        due(&mut conn, later, 1),
        std::slice::from_ref(&never_id),
        "never delivered: first"
    );
    assert_eq!(
        due(&mut conn, later, 2),
        [never_id.clone(), before_id.clone()]
    );

    let take = |conn: &mut _, id: &str, at| {
        let until = webhooks::lease_until(at, Duration::from_secs(60));
        webhooks::take(conn, id, "another-instance", at, until).expect("take")
    };
    assert!(
        take(&mut conn, &never_id, now).is_none(),
        "not before the time it asked for"
    );
    app.run_sql(&format!(
        "UPDATE webhook_subscriptions SET stopped_at = '2026-06-15 10:01:00' WHERE id = '{before_id}'"
    ));
    assert!(
        take(&mut conn, &before_id, later).is_none(),
        "stopped since it was found due"
    );
    app.run_sql(&format!(
        "UPDATE webhook_subscriptions SET delivered_position = 1 WHERE id = '{never_id}'"
    ));
    let taken = take(&mut conn, &never_id, later).expect("due and held by nobody");
    assert_eq!(taken.state.delivered_position, 1, "as it is once taken");
    assert!(take(&mut conn, &never_id, later).is_none(), "held now");
}

fn a_delivery_acknowledged_after_its_subscription_was_removed_is_in_the_access_log(app: TestApp) {
    let slow = Receiver::start();
    slow.answer_slowly(Duration::from_millis(600));
    let id = subscribe(&app, "CJIB", &slow.url()).succeeded().json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    notify_cjib(&app, 0);
    wait_until("the delivery reached the endpoint", || {
        !slow.requests().is_empty()
    });
    let path = format!("/api/v1/abonnementen/{id}");
    assert_eq!(app.delete(&path, Some(&app.agency("CJIB"))).status, 204);
    wait_until("the citizen sees that their data was sent", || {
        app.get("/api/v1/inzagelog", Some(&app.citizen(BSNS[0])))
            .json()
            .to_string()
            .contains("MELDING_AFGELEVERD")
    });
    assert_eq!(slow.acknowledged().len(), 1);
}

fn subscriptions_are_checked_owned_and_removed(app: TestApp) {
    let reply = app.post(
        "/api/v1/abonnementen",
        Some(&app.agency("CJIB")),
        &json!({"url": "ftp://127.0.0.1/x", "geheim": "geheim", "extra": true}),
    );
    assert_eq!(reply.invalid_names(), ["extra", "url", "geheim"]);
    app.post(
        "/api/v1/abonnementen",
        Some(&app.citizen(BSNS[0])),
        &json!({"url": "http://127.0.0.1:9/x", "geheim": secret()}),
    )
    .problem(403);
    let receiver = Receiver::start();
    let id = subscribe(&app, "CJIB", &receiver.url()).succeeded().json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let again = subscribe(&app, "CJIB", &receiver.url());
    assert!(
        again.problem(409)["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("al een abonnement op dit adres ({id})")),
        "every notification would arrive twice: {}",
        again.text
    );
    assert_eq!(subscriptions(&app, "CJIB").len(), 1);
    let path = format!("/api/v1/abonnementen/{id}");
    app.get(&path, Some(&app.agency("DUO"))).problem(404);
    assert_eq!(app.delete(&path, Some(&app.agency("DUO"))).status, 404);
    assert!(subscriptions(&app, "DUO").is_empty());
    let counsellor = app.post(
        "/api/v1/abonnementen",
        Some(&app.counsellor("GKB")),
        &json!({"url": receiver.url(), "geheim": secret()}),
    );
    assert_eq!(
        counsellor.status, 201,
        "a counsellor subscribes its own feed"
    );
    app.get(&path, Some(&app.counsellor("GKB"))).problem(404);
    assert_eq!(app.delete(&path, Some(&app.agency("CJIB"))).status, 204);
    app.get(&path, Some(&app.agency("CJIB"))).problem(404);
    notify_cjib(&app, 0);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        receiver.requests().is_empty(),
        "a removed subscription gets nothing"
    );
}

/// In production mode a webhook must be https and may not point at loopback or a private
/// network.
#[test]
fn in_production_mode_only_https_to_a_public_host_is_accepted() {
    let app = TestApp::start_with(Backend::Sqlite, |config| config.webhooks.production = true);
    for url in [
        "http://meldingen.cjib.example/hook",
        "https://127.0.0.1:8443/hook",
        "https://localhost/hook",
        "https://10.0.0.5/hook",
    ] {
        let reply = app.post(
            "/api/v1/abonnementen",
            Some(&app.agency("CJIB")),
            &json!({"url": url, "geheim": secret()}),
        );
        assert_eq!(reply.invalid_names(), ["url"], "{url}");
    }
}

/// With its background work off (a restore drill on a copy of the data), an instance delivers
/// nothing: the subscriber hears nothing and the notification waits.
#[test]
fn an_instance_with_its_background_work_off_delivers_no_webhook() {
    let app = TestApp::start_with(Backend::Sqlite, |config| {
        config.background_work = false;
        config.webhooks.poll = Duration::from_millis(20);
    });
    let receiver = Receiver::start();
    subscribe(&app, "CJIB", &receiver.url()).succeeded();
    notify_cjib(&app, 0);
    std::thread::sleep(Duration::from_millis(500));
    assert!(receiver.requests().is_empty(), "nothing leaves the machine");
    assert_eq!(subscriptions(&app, "CJIB")[0]["achterstand"], 1);
}
