//! Observability: `/metrics` on its own listener with counters that move, logs as JSON lines
//! that never hold a BSN (not from a token, a path or a request id), and the request span with
//! its request id and W3C `traceparent`.

use std::io::{Read, Write};
use std::process::Command;

use chrono::Utc;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::fixtures::{attachment, register};
use crate::on_both_backends;
use crate::support::{AUDIENCE, BSNS, ISSUER, JWT_SECRET, TestApp, logs, with_metrics};

const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/// A request with extra headers; the status and the echoed request id.
pub fn request(
    url: &str,
    method: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
) -> (u16, Option<String>, String) {
    let mut request = ureq::http::Request::builder().method(method).uri(url);
    if let Some(token) = token {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .run(request.body(String::new()).unwrap())
        .expect("HTTP exchange");
    let id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    (
        response.status().as_u16(),
        id,
        format!("{content_type}\n{body}"),
    )
}

pub fn scrape(app: &TestApp) -> String {
    let base = app.metrics_base.as_ref().expect("metrics listener");
    let (status, _, text) = request(&format!("{base}/metrics"), "GET", None, &[]);
    assert_eq!(status, 200, "{text}");
    text
}

/// The value of one series, 0 when it is not there yet.
pub fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0.0)
}

fn requests(route: &str, status: u16) -> String {
    format!(
        "rijksincasso_http_request_duration_seconds_count{{method=\"GET\",route=\"{route}\",status=\"{status}\"}}"
    )
}

fn signed(claims: Value) -> String {
    let now = Utc::now().timestamp();
    let mut all = json!({"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600});
    for (k, v) in claims.as_object().unwrap() {
        all[k] = v.clone();
    }
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &all,
        &EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .unwrap()
}

/// Runs of exactly nine digits passing the elfproef: what reads as a BSN.
fn bsn_like(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 9)
        .filter(|run| {
            let d: Vec<i64> = run.bytes().map(|b| i64::from(b - b'0')).collect();
            let sum: i64 = (0..8).map(|i| d[i] * (9 - i as i64)).sum::<i64>() - d[8];
            sum % 11 == 0
        })
        .map(str::to_owned)
        .collect()
}

/// The captured log lines of the requests with these ids.
fn lines_of(ids: &[String]) -> Vec<Value> {
    logs()
        .lines()
        .filter(|line| ids.iter().any(|id| line.contains(id.as_str())))
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

on_both_backends! {
    fn no_bsn_reaches_the_log_from_a_token_a_path_or_a_request_id(app) {
        let agency = app.agency("CJIB");
        let mut ids = Vec::new();
        let mut send = |path: &str, token: Option<&str>, headers: &[(&str, &str)]| {
            let (status, id, _) = request(&format!("{}{path}", app.base), "GET", token, headers);
            ids.push(id.expect("every response names its request id"));
            status
        };
        // A BSN as a number, in a list and as a malformed string in a validly signed token, and
        // as the role or the organisation.
        for claims in [
            json!({"rol": "burger", "bsn": 999990020_u64}),
            json!({"rol": "burger", "bsn": [BSNS[2]]}),
            json!({"rol": "burger", "bsn": format!("{}0", BSNS[2])}),
            json!({"rol": BSNS[2]}),
        ] {
            assert_eq!(send("/api/v1/vorderingenoverzicht", Some(&signed(claims)), &[]), 401);
        }
        let organisation = signed(json!({"rol": "organisatie", "organisatie": BSNS[2]}));
        assert_eq!(send("/api/v1/vorderingen", Some(&organisation), &[]), 403, "not in the registry");
        // In a path, with and without a route, and in a client's request id.
        assert_eq!(send(&format!("/api/v1/beslagen/{}", BSNS[3]), Some(&agency), &[]), 400, "not an id");
        assert_eq!(send(&format!("/api/v1/{}", BSNS[4]), None, &[]), 404);
        assert_eq!(send("/api/v1/schuldeisers", None, &[("X-Request-Id", BSNS[5])]), 200);
        assert_eq!(send("/api/v1/schuldeisers", None, &[("X-Request-Id", &format!("aaaaaaaa-aaaa-4aaa-8aaa-a{}aa", BSNS[6]))]), 200);
        // Inside a longer run of digits too.
        assert_eq!(send("/api/v1/schuldeisers", None, &[("X-Request-Id", &format!("00000000-0000-4000-8000-{}123", BSNS[1]))]), 200);
        assert!(!ids.iter().any(|id| id.contains(BSNS[5]) || id.contains(BSNS[6]) || id.contains(BSNS[1])), "replaced, not echoed");
        // And as the method, which a client may make up (no HTTP client sends one, so by hand).
        let mut stream = std::net::TcpStream::connect(app.base.trim_start_matches("http://")).unwrap();
        write!(stream, "{} /api/v1/schuldeisers HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", BSNS[7]).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let id = answer.lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("x-request-id: ").map(str::to_owned));
        ids.push(id.expect("every response names its request id"));

        let lines = lines_of(&ids);
        for id in &ids {
            assert!(lines.iter().any(|l| l["span"]["request_id"] == id.as_str()), "request {id} was logged");
        }
        let refused: Vec<&Value> = lines.iter().filter(|l| l["message"] == "token refused").collect();
        assert_eq!(refused.len(), 4, "every refusal is logged");
        assert!(refused.iter().any(|l| l["reason"] == "unreadable_claims"), "by its kind: {refused:?}");
        assert!(lines.iter().any(|l| l["span"]["route"] == "/api/v1/beslagen/{id}"), "the route pattern, not the path");
        for line in &lines {
            let mut text = line.to_string();
            for id in &ids {
                text = text.replace(id.as_str(), "");
            }
            assert_eq!(bsn_like(&text), Vec::<String>::new(), "{text}");
        }
    }

    fn a_request_span_keeps_a_uuid_request_id_and_a_valid_traceparent(app) {
        let url = format!("{}/api/v1/schuldeisers", app.base);
        // A random UUID holds a nine-digit run that passes the elfproef about once in 700
        // draws, and the service rightly replaces such an id; draw one without.
        let mine = std::iter::repeat_with(|| uuid::Uuid::new_v4().to_string())
            .find(|id| !id.split(|c: char| !c.is_ascii_digit()).any(|run| run.len() >= 9))
            .unwrap();
        let (_, echoed, _) = request(&url, "GET", None, &[("X-Request-Id", &mine.to_uppercase()), ("traceparent", TRACEPARENT)]);
        assert_eq!(echoed.as_deref(), Some(mine.as_str()), "a UUID is kept, written the standard way");
        let (_, generated, _) = request(&url, "GET", None, &[("X-Request-Id", "not-a-uuid"), ("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01")]);
        let generated = generated.unwrap();
        assert!(uuid::Uuid::try_parse(&generated).is_ok() && generated != "not-a-uuid");

        let done = |id: &str| {
            lines_of(&[id.to_owned()])
                .into_iter()
                .find(|l| l["message"] == "request done")
                .unwrap_or_else(|| panic!("request {id} done"))
        };
        let traced = done(&mine);
        assert_eq!(traced["span"]["traceparent"], TRACEPARENT);
        assert_eq!(traced["span"]["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(traced["span"]["route"], "/api/v1/schuldeisers");
        assert_eq!(traced["span"]["status"], 200);
        assert!(traced["span"]["latency_ms"].is_u64());
        let untraced = done(&generated);
        assert!(untraced["span"].get("traceparent").is_none(), "an invalid traceparent is ignored");
    }
}

mod metrics {
    use super::*;

    fn counters_move_with_requests_flags_feeds_and_refusals(app: TestApp) {
        let base = app.metrics_base.clone().unwrap();
        let before = scrape(&app);
        for _ in 0..3 {
            assert_eq!(app.get("/api/v1/schuldeisers", None).status, 200);
        }
        let expired = app.token_valid_for(
            "organisatie",
            None,
            Some("CJIB"),
            chrono::Duration::minutes(-5),
        );
        assert_eq!(
            app.get(&format!("/api/v1/beslagen/{}", BSNS[0]), Some(&expired))
                .status,
            401
        );
        // CJIB applies another exempt amount (a flag), DUO attaches too (a second flag).
        register(
            &app,
            &app.agency("CJIB"),
            &attachment("500.00", "1200.00", "2026-03-01"),
        )
        .succeeded();
        register(
            &app,
            &app.agency("DUO"),
            &attachment("150.00", "1331.43", "2026-04-01"),
        )
        .succeeded();
        let after = scrape(&app);

        let moved = |series: &str| value(&after, series) - value(&before, series);
        assert_eq!(moved(&requests("/api/v1/schuldeisers", 200)), 3.0);
        assert_eq!(moved(&requests("/api/v1/beslagen/{id}", 401)), 1.0);
        assert_eq!(
            moved("rijksincasso_tokens_refused_total{reason=\"expired\"}"),
            1.0
        );
        for kind in ["AFWIJKENDE_BESLAGVRIJE_VOET", "MEERDERE_BESLAGLEGGERS"] {
            assert_eq!(
                moved(&format!(
                    "rijksincasso_samenloop_flags_raised_total{{kind=\"{kind}\"}}"
                )),
                1.0,
                "{kind}"
            );
        }
        assert_eq!(
            moved(
                "rijksincasso_samenloop_flags_raised_total{kind=\"BESTAANSMINIMUM_ONDERSCHREDEN\"}"
            ),
            0.0
        );
        assert!(moved("rijksincasso_db_pool_wait_seconds_count") > 0.0);
        assert_eq!(value(&after, "rijksincasso_db_pool_max_connections"), 4.0);

        // CJIB has not read its feed: all of it lags; after reading, nothing does.
        let cjib = "{feed=\"CJIB\"}";
        let newest = value(
            &after,
            &format!("rijksincasso_notification_feed_position{cjib}"),
        );
        assert!(newest >= 2.0, "{after}");
        assert_eq!(
            value(&after, &format!("rijksincasso_notification_feed_lag{cjib}")),
            newest
        );
        assert_eq!(
            app.get("/api/v1/meldingen", Some(&app.agency("CJIB")))
                .status,
            200
        );
        let read = scrape(&app);
        assert_eq!(
            value(&read, &format!("rijksincasso_notification_feed_lag{cjib}")),
            0.0
        );
        assert_eq!(
            value(
                &read,
                &format!("rijksincasso_notification_feed_fetched_position{cjib}")
            ),
            newest
        );

        for bsn in BSNS {
            assert!(!read.contains(bsn), "no BSN in the metrics");
        }
        assert!(read.starts_with("text/plain; version=0.0.4"), "{read}");

        // Only on the metrics listener, and only /metrics there.
        // However it is written: the router decodes the path before it matches it.
        for path in ["/metrics", "/m%65trics", "/%6D%65%74%72%69%63%73"] {
            let (status, _, problem) = request(&format!("{}{path}", app.base), "GET", None, &[]);
            assert_eq!(status, 404, "{path}");
            assert!(
                problem.starts_with("application/problem+json"),
                "{path}: {problem}"
            );
        }
        assert_eq!(
            request(&format!("{base}/api/v1/schuldeisers"), "GET", None, &[]).0,
            404
        );
        let (status, _, problem) = request(&format!("{base}/metrics"), "POST", None, &[]);
        assert_eq!(status, 405);
        assert!(problem.starts_with("application/problem+json"), "{problem}");
    }

    /// The day operators must post the next norm table by: 1 January 2027 with the seeded
    /// tables, 1 July 2027 once the table of 1 January 2027 is posted.
    fn the_norm_tables_day_moves_when_the_next_table_is_posted(app: TestApp) {
        let day = |text: &str| {
            value(
                text,
                "rijksincasso_norm_tables_covered_until_timestamp_seconds",
            )
        };
        assert_eq!(
            day(&scrape(&app)),
            1_798_761_600.0,
            "1 January 2027, 00:00 UTC"
        );
        app.post(
            "/api/v1/normtabellen",
            Some(&app.admin()),
            &crate::fixtures::next_table(&app),
        )
        .succeeded();
        assert_eq!(
            day(&scrape(&app)),
            1_814_400_000.0,
            "1 July 2027, 00:00 UTC"
        );
    }

    on_both_backends! {
        configured(with_metrics());

        fn scraped_counters_move_with_requests_flags_feeds_and_refusals(app) {
            counters_move_with_requests_flags_feeds_and_refusals(app);
        }

        fn scraped_norm_tables_day_moves_when_the_next_table_is_posted(app) {
            the_norm_tables_day_moves_when_the_next_table_is_posted(app);
        }
    }
}

/// The service's own logger, as `serve` and `migrate` install it, writing to a file.
fn migrate_logs(format: Option<&str>) -> String {
    let dir = std::env::temp_dir().join(format!("rijksincasso-log-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_rijksincasso"));
    command
        .arg("migrate")
        .current_dir(&dir)
        .env_clear()
        .env("DATABASE_URL", dir.join("log.db"))
        .env("RUST_LOG", "info");
    if let Some(format) = format {
        command.env("RIJKSINCASSO_LOG_FORMAT", format);
    }
    let output = command.output().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn logs_written_to_a_file_are_json_lines_without_colour_codes() {
    let json = migrate_logs(None);
    assert!(json.contains("database schema is up to date"), "{json}");
    for line in json.lines() {
        let event: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(
            event["timestamp"].is_string() && event["level"].is_string(),
            "{line}"
        );
    }
    let text = migrate_logs(Some("text"));
    assert!(
        text.contains("database schema is up to date")
            && serde_json::from_str::<Value>(text.lines().next().unwrap()).is_err()
    );
    assert!(
        !json.contains('\u{1b}') && !text.contains('\u{1b}'),
        "no colour codes in a file"
    );
}
