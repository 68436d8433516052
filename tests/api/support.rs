//! Starts the real application for one test, on SQLite or on PostgreSQL, and talks HTTP to it.
//!
//! Each test gets its own database: a fresh SQLite file, or a fresh PostgreSQL schema (dropped
//! afterwards) on the server named by `TEST_DATABASE_URL`. Without that variable the PostgreSQL
//! tests are compiled as ignored (the build script sees it), so they are reported as not run; run
//! anyway, they fail.
//! Every log line of the whole test run is captured, and every test checks at its end that none
//! of the test BSNs was ever logged.

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, mpsc};

use actix_web::dev::ServerHandle;
use chrono::{DateTime, Duration, Utc};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, SqliteConnection};
use serde_json::Value;

use rijksincasso::auth::{TokenRequest, mint};
use rijksincasso::clock::FixedClock;
use rijksincasso::config::{Config, JwtKey, JwtSettings, Secret};
use rijksincasso::domain::arrangement::ArrangementSettings;
use rijksincasso::jobs::{self, Jobs};
use rijksincasso::service::webhooks::WebhookSettings;
use rijksincasso::{api, prepare};

/// Valid BSNs (elfproef) used by the tests; none of them may ever reach a log line.
pub const BSNS: [&str; 8] = [
    "999990007",
    "999990019",
    "999990020",
    "999990032",
    "999990044",
    "999990056",
    "999990068",
    "999990081",
];

/// The counsellor organisations every test app has in its registry, as a beheerder adds them.
pub const COUNSELLORS: [&str; 4] = ["GKB", "GKB-AMSTERDAM", "ANDERE", "ANDERE-ORG"];

pub const ISSUER: &str = "test-issuer";
/// Who the tests' administrator is (`sub`), as the audit trail names them.
pub const ADMINISTRATOR: &str = "beheerder-test";
pub const AUDIENCE: &str = "rijksincasso-test";
pub const JWT_SECRET: &str = "test-jwt-secret-of-at-least-32-bytes!!";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    /// Where `/metrics` is served, when the configuration asked for it.
    pub metrics_base: Option<String>,
    pub clock: Arc<FixedClock>,
    jobs: Option<Jobs>,
    pub config: Config,
    handle: ServerHandle,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteDir(PathBuf),
    PostgresSchema {
        url: String,
        schema: String,
    },
    /// Another instance's database: the instance that made it cleans up.
    ByAnother(Backend),
}

/// 15 June 2026, 10:00 UTC: a fixed "now" so that dates in tests mean the same every run.
/// A path of the OpenAPI document as a client calls it: joined with `/api/v1`, the document's
/// server, unless the path names its own server (the probes).
pub fn called_path(doc: &Value, path: &str) -> String {
    if doc["paths"][path]["servers"].is_array() {
        path.to_owned()
    } else {
        format!("{}{path}", api::openapi::API_BASE)
    }
}

/// The document's key for a path a client calls.
pub fn document_path(called: &str) -> &str {
    called
        .strip_prefix(api::openapi::API_BASE)
        .unwrap_or(called)
}

pub fn start_instant() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-15T10:00:00Z")
        .expect("valid instant")
        .with_timezone(&Utc)
}

impl TestApp {
    pub fn start(backend: Backend) -> TestApp {
        TestApp::start_with(backend, |_| {})
    }

    /// Starts the app with a changed configuration.
    pub fn start_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        TestApp::start_on(backend, listener, adjust)
    }

    /// Starts the app on a listener bound beforehand, so that its address can be configured
    /// (the web pages' redirect URI at an OpenID provider).
    pub fn start_on(
        backend: Backend,
        listener: TcpListener,
        adjust: impl FnOnce(&mut Config),
    ) -> TestApp {
        capture_logs();
        let id = uuid::Uuid::new_v4().simple().to_string();
        let (database_url, cleanup) = match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("rijksincasso-test-{id}"));
                std::fs::create_dir_all(&dir).expect("temp dir");
                (
                    dir.join("test.db").display().to_string(),
                    Cleanup::SqliteDir(dir),
                )
            }
            Backend::Postgres => {
                let url = postgres_url();
                let schema = format!("t_{id}");
                let mut conn =
                    PgConnection::establish(&url).expect("TEST_DATABASE_URL must be reachable");
                conn.batch_execute(&format!("CREATE SCHEMA {schema}"))
                    .expect("create schema");
                (
                    with_search_path(&url, &schema),
                    Cleanup::PostgresSchema { url, schema },
                )
            }
        };
        let mut config = test_config(database_url);
        adjust(&mut config);
        let clock = Arc::new(FixedClock::new(start_instant()));
        let (base, metrics_base, jobs, handle) = serve(&config, &clock, listener);
        let app = TestApp {
            base,
            metrics_base,
            clock,
            jobs,
            config,
            handle,
            cleanup,
        };
        // Only an app that accepts the tests' own tokens can have them added by a beheerder.
        let registrars = matches!(app.config.jwt.key, JwtKey::Shared(_));
        for organisation in COUNSELLORS.iter().filter(|_| registrars) {
            let body = serde_json::json!({"naam": format!("Schuldhulp {organisation}")});
            let path = format!("/api/v1/schuldhulpverleners/{organisation}");
            app.put(&path, Some(&app.admin()), &body).succeeded();
        }
        app
    }

    /// A second instance of the service on the same database and clock, at an address of its
    /// own, as a deployment runs replicas; drop it before this one.
    pub fn another_instance(&self) -> TestApp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let (base, metrics_base, jobs, handle) = serve(&self.config, &self.clock, listener);
        TestApp {
            base,
            metrics_base,
            clock: self.clock.clone(),
            jobs,
            config: self.config.clone(),
            handle,
            cleanup: Cleanup::ByAnother(self.backend()),
        }
    }

    pub fn backend(&self) -> Backend {
        match self.cleanup {
            Cleanup::SqliteDir(_) => Backend::Sqlite,
            Cleanup::PostgresSchema { .. } => Backend::Postgres,
            Cleanup::ByAnother(backend) => backend,
        }
    }

    /// Runs `sql` on the app's database behind its back: for tests that make the database
    /// refuse something.
    pub fn run_sql(&self, sql: &str) {
        let url = &self.config.database_url;
        match self.backend() {
            Backend::Sqlite => SqliteConnection::establish(url)
                .expect("connect")
                .batch_execute(sql),
            Backend::Postgres => PgConnection::establish(url)
                .expect("connect")
                .batch_execute(sql),
        }
        .expect("the test's SQL runs");
    }

    /// Stops the service (its background work and its HTTP server) and starts it again on the
    /// same database and clock, at a new address: what a deployment or a crash-and-restart does.
    pub fn restart(&mut self) {
        drop(self.jobs.take());
        actix_web::rt::System::new().block_on(self.handle.clone().stop(false));
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let (base, metrics_base, jobs, handle) = serve(&self.config, &self.clock, listener);
        self.base = base;
        self.metrics_base = metrics_base;
        self.jobs = jobs;
        self.handle = handle;
    }

    pub fn token(&self, rol: &str, bsn: Option<&str>, organisatie: Option<&str>) -> String {
        self.token_valid_for(rol, bsn, organisatie, Duration::minutes(10))
    }

    pub fn token_valid_for(
        &self,
        rol: &str,
        bsn: Option<&str>,
        organisatie: Option<&str>,
        valid_for: Duration,
    ) -> String {
        let request = TokenRequest {
            rol,
            bsn,
            organisatie,
            sub: (rol == "beheerder").then_some(ADMINISTRATOR),
            valid_for,
        };
        mint(&self.config.jwt, &request, Utc::now()).expect("token")
    }

    pub fn citizen(&self, bsn: &str) -> String {
        self.token("burger", Some(bsn), None)
    }

    pub fn agency(&self, code: &str) -> String {
        self.token("organisatie", None, Some(code))
    }

    pub fn counsellor(&self, organisation: &str) -> String {
        self.token("schuldhulpverlener", None, Some(organisation))
    }

    pub fn admin(&self) -> String {
        self.token("beheerder", None, None)
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send("GET", path, token, None)
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.send(
            "POST",
            path,
            token,
            Some(("application/json", body.to_string())),
        )
    }

    pub fn put(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.send(
            "PUT",
            path,
            token,
            Some(("application/json", body.to_string())),
        )
    }

    pub fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        self.send("DELETE", path, token, None)
    }

    pub fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<(&str, String)>,
    ) -> Reply {
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let (content_type, body) = body.unwrap_or(("", String::new()));
        if !content_type.is_empty() {
            request = request.header("Content-Type", content_type);
        }
        let request = request.body(body).expect("request");
        let mut response = agent().run(request).expect("HTTP exchange");
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    v.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        Reply {
            status,
            headers,
            text,
        }
    }

    /// Posts a batch of claim events as agency `code`.
    pub fn post_events(&self, code: &str, events: Value) -> Reply {
        self.post(
            "/api/v1/gebeurtenissen",
            Some(&self.agency(code)),
            &serde_json::json!({ "gebeurtenissen": events }),
        )
    }

    /// Marks creditors as connected to this service from the start of 2026.
    pub fn connect(&self, codes: &[&str]) {
        let registry = self.get("/api/v1/schuldeisers", None).json();
        for entry in registry["schuldeisers"].as_array().expect("list") {
            let code = entry["code"].as_str().expect("code");
            if codes.contains(&code) {
                let body = serde_json::json!({
                    "naam": entry["naam"],
                    "vorderingtypeVoorvoegsel": entry["vorderingtypeVoorvoegsel"],
                    "betalingsregelingRijkVanaf": entry["betalingsregelingRijkVanaf"],
                    "overzichtAangeslotenVanaf": "2026-01-01",
                    "contact": entry["contact"],
                });
                let reply = self.put(
                    &format!("/api/v1/schuldeisers/{code}"),
                    Some(&self.admin()),
                    &body,
                );
                assert_eq!(reply.status, 200, "{}", reply.text);
            }
        }
    }
}

/// Prepares the app on `config` and serves it on a fresh loopback port, with its background work.
fn serve(
    config: &Config,
    clock: &Arc<FixedClock>,
    listener: TcpListener,
) -> (String, Option<String>, Option<Jobs>, ServerHandle) {
    let state = prepare(config, clock.clone()).expect("app prepares");
    let jobs = jobs::start(state.services.clone(), config);
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let metrics = config
        .metrics_bind
        .as_ref()
        .map(|address| TcpListener::bind(address).expect("bind metrics"));
    let metrics_base = metrics
        .as_ref()
        .map(|l| format!("http://{}", l.local_addr().expect("address")));
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = api::server(state, listener, metrics, 1).expect("server starts");
            sender.send(server.handle()).expect("handle sent");
            server.await
        })
    });
    (
        base,
        metrics_base,
        jobs,
        receiver.recv().expect("server handle"),
    )
}

impl Drop for TestApp {
    fn drop(&mut self) {
        drop(self.jobs.take());
        let handle = self.handle.clone();
        actix_web::rt::System::new().block_on(handle.stop(false));
        match &self.cleanup {
            Cleanup::SqliteDir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PostgresSchema { url, schema } => {
                if let Ok(mut conn) = PgConnection::establish(url) {
                    let _ = conn.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
                }
            }
            Cleanup::ByAnother(_) => {}
        }
        if !std::thread::panicking() {
            assert_no_bsn_logged();
        }
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Asserts that a set-up step succeeded (2xx), and returns the reply.
    pub fn succeeded(self) -> Reply {
        assert!(
            (200..300).contains(&self.status),
            "set-up step failed with {}: {}",
            self.status,
            self.text
        );
        self
    }

    /// Asserts a problem report with this status, and returns it.
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{}",
            self.text
        );
        let problem = self.json();
        assert_eq!(problem["status"], status);
        assert!(problem["type"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(problem["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(problem["detail"].as_str().is_some_and(|t| !t.is_empty()));
        problem
    }

    /// The names in a problem's `invalidParams`.
    pub fn invalid_names(&self) -> Vec<String> {
        self.problem(400)["invalidParams"]
            .as_array()
            .expect("invalidParams")
            .iter()
            .map(|p| p["name"].as_str().expect("name").to_owned())
            .collect()
    }
}

fn agent() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into()
    })
}

pub fn test_config(database_url: String) -> Config {
    Config {
        database_url,
        bind: "127.0.0.1:0".into(),
        jwt: JwtSettings {
            key: JwtKey::Shared(Secret {
                bytes: JWT_SECRET.as_bytes().to_vec(),
                generated_in: None,
            }),
            issuer: ISSUER.into(),
            audience: AUDIENCE.into(),
            max_token_minutes: None,
        },
        pseudonym_secret: Secret {
            bytes: b"test-pseudonym-secret-of-32-bytes-or-more".to_vec(),
            generated_in: None,
        },
        db_pool_size: 4,
        arrangements: ArrangementSettings::default(),
        // Tests that need the daily check set a short interval.
        samenloop_check_every: std::time::Duration::from_secs(3600),
        background_work: true,
        body_read_limit: std::time::Duration::from_secs(10),
        // Tests call the public endpoints far more often than a person would.
        public_per_minute: 100_000,
        trusted_proxies: Vec::new(),
        log_format: None,
        metrics_bind: None,
        web: Default::default(),
        webhooks: WebhookSettings::default(),
    }
}

pub fn postgres_url() -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!("TEST_DATABASE_URL is not set: this PostgreSQL test cannot run"),
    }
}

/// The database URL with this test's schema first on the search path.
pub fn with_search_path(url: &str, schema: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}options=-csearch_path%3D{schema}")
}

/// Every log line of this test run, as written.
fn log_buffer() -> &'static Mutex<Vec<u8>> {
    static BUFFER: OnceLock<Mutex<Vec<u8>>> = OnceLock::new();
    BUFFER.get_or_init(|| Mutex::new(Vec::new()))
}

struct BufferWriter;

impl Write for BufferWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        log_buffer()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    static INIT: OnceLock<()> = OnceLock::new();
    // The service's own JSON logger, as in production, writing into the buffer.
    INIT.get_or_init(|| {
        rijksincasso::telemetry::install(
            rijksincasso::telemetry::LogFormat::Json,
            tracing_subscriber::EnvFilter::new("debug,rijksincasso=trace"),
            || BufferWriter,
            false,
        )
        .expect("the first logger of the test run");
    });
}

/// The captured logs so far.
pub fn logs() -> String {
    String::from_utf8_lossy(&log_buffer().lock().unwrap_or_else(|p| p.into_inner())).into_owned()
}

fn assert_no_bsn_logged() {
    let logs = logs();
    for bsn in BSNS {
        assert!(!logs.contains(bsn), "a BSN reached the logs");
    }
}

/// Declares each test once and runs it on both backends, as `sqlite::name` and `postgres::name`;
/// `configured(adjust);` first starts each app with `TestApp::start_with(backend, adjust)`.
#[macro_export]
macro_rules! on_both_backends {
    (configured($adjust:expr); $($(#[$meta:meta])* fn $name:ident($app:ident) $body:block)*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $( $(#[$meta])* #[test] fn $name() {
                let $app = $crate::support::TestApp::start_with(
                    $crate::support::Backend::Sqlite,
                    $adjust,
                );
                $body
            } )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $( $(#[$meta])* #[test]
            #[cfg_attr(not(postgres_tests), ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested")]
            fn $name() {
                let $app = $crate::support::TestApp::start_with(
                    $crate::support::Backend::Postgres,
                    $adjust,
                );
                $body
            } )*
        }
    };
    ($($tests:tt)*) => {
        $crate::on_both_backends! { configured(|_| {}); $($tests)* }
    };
}

/// A configuration with the metrics listener on a free port.
pub fn with_metrics() -> impl FnOnce(&mut Config) {
    |config| config.metrics_bind = Some("127.0.0.1:0".into())
}
