//! Bearer tokens: only well-signed, unexpired tokens for this service, naming a valid subject;
//! in production, keys from a JWKS that rotate without downtime, and a maximum token lifetime.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::ecdsa::SigningKey;
use p256::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::{AUDIENCE, BSNS, Backend, ISSUER, JWT_SECRET, TestApp};
use rijksincasso::config::{JwksSettings, JwksSource, JwtKey};

fn claims(extra: Value) -> Value {
    let now = Utc::now().timestamp();
    let mut claims = json!({"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600, "rol": "organisatie", "organisatie": "CJIB"});
    for (k, v) in extra.as_object().unwrap() {
        claims[k] = v.clone();
    }
    claims
}

fn signed(claims: &Value, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .unwrap()
}

fn unsigned(claims: &Value) -> String {
    format!(
        "{}.{}.",
        base64_url(&json!({"alg": "none", "typ": "JWT"})),
        base64_url(claims)
    )
}

fn base64_url(value: &Value) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = value.to_string().into_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn refused(app: &TestApp, token: &str) {
    let reply = app.get("/api/v1/vorderingen", Some(token));
    reply.problem(401);
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
}

on_both_backends! {
    fn tampered_expired_foreign_and_unsigned_tokens_are_refused(app) {
        let good = app.agency("CJIB");
        assert_eq!(app.get("/api/v1/vorderingen", Some(&good)).status, 200);
        let mut tampered = good.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'A' { 'B' } else { 'A' });
        refused(&app, &tampered);
        let (head, rest) = good.split_once('.').unwrap();
        let (_, signature) = rest.split_once('.').unwrap();
        let other_payload = base64_url(&claims(json!({"organisatie": "DUO"})));
        refused(&app, &format!("{head}.{other_payload}.{signature}"));
        refused(&app, &app.token_valid_for("organisatie", None, Some("CJIB"), Duration::minutes(-5)));
        refused(&app, &signed(&claims(json!({"aud": "een-andere-dienst"})), JWT_SECRET.as_bytes()));
        refused(&app, &signed(&claims(json!({"iss": "iemand-anders"})), JWT_SECRET.as_bytes()));
        refused(&app, &signed(&claims(json!({})), b"een ander geheim van ruim 32 tekens lang"));
        refused(&app, &unsigned(&claims(json!({}))));
        let mut no_exp = claims(json!({}));
        no_exp.as_object_mut().unwrap().remove("exp");
        refused(&app, &signed(&no_exp, JWT_SECRET.as_bytes()));
        refused(&app, "geen.token.dit");
    }

    fn a_token_must_name_a_valid_subject_for_its_role(app) {
        let secret = JWT_SECRET.as_bytes();
        refused(&app, &signed(&claims(json!({"rol": "burger", "organisatie": null})), secret));
        refused(&app, &signed(&claims(json!({"rol": "burger", "bsn": "999990008"})), secret));
        refused(&app, &signed(&claims(json!({"rol": "organisatie", "organisatie": "cjib lowercase"})), secret));
        refused(&app, &signed(&claims(json!({"rol": "admin"})), secret));
        let reply = app.get("/api/v1/vorderingenoverzicht", Some(&signed(&claims(json!({"rol": "burger", "bsn": "999990008"})), secret)));
        assert!(!reply.text.contains("999990008"));
    }

    fn a_counsellor_token_for_an_organisation_outside_the_registry_reads_and_does_nothing(app) {
        for (code, events) in crate::fixtures::cjib_and_duo_claims() {
            app.post_events(code, events).succeeded();
        }
        let stranger = app.counsellor("ONBEKEND");
        let person = json!({"burgerservicenummer": BSNS[0]});
        let mut proposal = person.clone();
        proposal["huishouden"] = json!({"leefvorm": "ALLEENSTAANDE", "nettoInkomen": "2000.00", "belastbaarJaarinkomen": "23000.00"});
        let replies = [
            app.get("/api/v1/clienten", Some(&stranger)),
            app.post("/api/v1/vorderingenoverzicht/opvragen", Some(&stranger), &person),
            app.post("/api/v1/betalingsregelingen/voorstellen", Some(&stranger), &proposal),
        ];
        for reply in replies {
            assert_eq!(reply.problem(403)["detail"], "Uw organisatie staat niet in het register van deze dienst.");
        }
        let known = app.post("/api/v1/vorderingenoverzicht/opvragen", Some(&app.counsellor("GKB")), &person);
        assert_eq!(known.problem(403)["detail"], "Uw organisatie heeft geen geldige machtiging van deze burger.", "a registered one is only missing its mandate");
    }

    fn requests_without_a_bearer_token_are_refused(app) {
        app.get("/api/v1/vorderingen", None).problem(401);
        let basic = app.send("GET", "/api/v1/vorderingen", None, None);
        basic.problem(401);
        let reply = app.send("GET", "/api/v1/inzagelog", Some(""), None);
        reply.problem(401);
        // The scheme's name is case-insensitive (RFC 9110 §11.1); another scheme is no bearer.
        let token = app.citizen(BSNS[0]);
        let with = |authorization: &str| {
            crate::observability::request(&format!("{}/api/v1/inzagelog", app.base), "GET", None, &[("Authorization", authorization)]).0
        };
        assert_eq!(with(&format!("bearer {token}")), 200);
        assert_eq!(with(&format!("BEARER {token}")), 200);
        assert_eq!(with(&format!("Basic {token}")), 401);
        assert_eq!(with(&format!("Bearertoken {token}")), 401);
    }

    fn every_protected_operation_refuses_a_request_without_a_token(app) {
        const PUBLIC: [(&str, &str); 7] = [
            ("get", "/api/v1/normtabellen"),
            ("get", "/api/v1/openapi.json"),
            ("get", "/api/v1/schuldeisers"),
            ("get", "/api/v1/schuldhulpverleners"),
            ("get", "/health/live"),
            ("get", "/health/ready"),
            ("post", "/api/v1/normberekeningen"),
        ];
        let spec = app.get("/api/v1/openapi.json", None).json();
        let mut protected = 0;
        for (relative, operations) in spec["paths"].as_object().unwrap() {
            let path = &crate::support::called_path(&spec, relative);
            for (method, operation) in operations.as_object().unwrap() {
                if method == "servers" {
                    continue;
                }
                let secured = operation.get("security").is_some_and(|s| s.as_array().is_some_and(|a| !a.is_empty()));
                if !secured {
                    assert!(PUBLIC.contains(&(method.as_str(), path.as_str())), "{method} {path} is public but not on the list");
                    continue;
                }
                protected += 1;
                let concrete = path.replace("{id}", "01932f6e-7c1a-7d3b-9a52-3f0c2b1e4d5a").replace("{code}", "CJIB");
                let body = (method != "get" && method != "delete").then(|| ("application/json", "{}".to_owned()));
                let reply = app.send(&method.to_uppercase(), &concrete, None, body);
                assert_eq!(reply.status, 401, "{method} {path} answered without a token: {}", reply.text);
            }
        }
        assert!(protected >= 10);
    }
}

fn es256_keys() -> (EncodingKey, String) {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).unwrap();
    let key = SigningKey::from_slice(&seed).unwrap();
    let private = key.to_pkcs8_pem(LineEnding::LF).unwrap();
    let public = key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    (
        EncodingKey::from_ec_pem(private.as_bytes()).unwrap(),
        public,
    )
}

#[test]
fn with_a_public_key_configured_only_tokens_signed_by_its_private_key_are_accepted() {
    let (private, public_pem) = es256_keys();
    let path = std::env::temp_dir().join(format!(
        "rijksincasso-test-key-{}.pem",
        uuid::Uuid::new_v4()
    ));
    std::fs::write(&path, &public_pem).unwrap();
    let key_path = path.clone();
    let app = TestApp::start_with(Backend::Sqlite, move |config| {
        config.jwt.key = JwtKey::PublicKeyFile(key_path)
    });
    let citizen = claims(json!({"rol": "burger", "bsn": BSNS[0], "organisatie": null}));
    let es256 = jsonwebtoken::encode(&Header::new(Algorithm::ES256), &citizen, &private).unwrap();
    assert_eq!(
        app.get("/api/v1/vorderingenoverzicht", Some(&es256)).status,
        200
    );
    // The classic confusion: HS256 "signed" with the public key as the shared secret.
    refused(&app, &signed(&claims(json!({})), public_pem.as_bytes()));
    refused(&app, &signed(&claims(json!({})), JWT_SECRET.as_bytes()));
    std::fs::remove_file(path).unwrap();
}

/// An RSA key made for these tests only (`openssl genpkey -algorithm RSA`); it signs nothing
/// else. The tests make their P-256 keys fresh each run.
const TEST_RSA_KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCva+LuQsZ4fCuh\nBq4wMXSKzRnEmt62AWdNO7ZYfGdlPJbIy7gIjVtsj1AQTnSQHh9OtfBfy1Rh/s14\n4IhlZX647I0Cle42KoLK4dGzrU0vZfgyr1Nz0uuTFNnMxWBY7DMi4dJv7FV5SSWZ\n44299nZNeuD6PvUPXqACBbRQ+W3PVStUcN8cH+HR8B+u+PLj7JIJbijUwvpVzZ0g\nPhl4ESjtmoNWhkLzgqn+CPxa7HgnRaUYOaue5D/rHKDdEmaNuOaAGwnIldQu5JqB\nU+XCZuNksDKSrjr0NVlIPBWAR0vGS+fvZWB4sx0SyMzyahxcf/qExQArlF4V82ic\nEb5T4HelAgMBAAECggEAH+dr/h/UZ2DT8YUcxISWGNFtFJIDG9B9CHGp/AViK6od\nlVbhuWJ2JHQbIGAYeIaV9JOH7HA3QFxeY9PYUrKnHbxd+ACrMpxALeRspnRII6z0\nu0kiUSAk+prR8tlZ6MpKkZdHFdaChBy+0zJs2sX6paRJyxGMsdconD2L2idHJqwe\nF6q47D0IkK3Yvtu6KcYTHuENqjpQqs+om0+Nxu94r/1yF5MvVxqSk8HSbXbjvJTu\nimdv7neXSKOBp023d/OzrkRAiiZtP2jbugTdkWgIxQBEvNBvmwr0VK8YkKlcxKlE\nhpKxvaMz+fRsShQ+5Bg/yuXoK35bPiE+7Wag3W87mQKBgQDo9xPeS/gFhN+3wWch\nnCcKFOyKmqFoGwoKf3TYd4y6Dt4mWiGl3msxVNN9XV2TrmhLFxoUjhs2iZ+D/I7Y\nB++3SsuMPNQ4c2jNDTqUHmJ4yu3huWD3nCTT0Sj8OU4mEPAr8xpRej3AC6S8urfN\nBxqUPaYyuZnTFFVnKILRnt+oCQKBgQDAxDxI/CSvoL0FEP4XoY4AmOTmBuKo0PDf\nECU5wOOhjaNNWt5BWuAIeDsaagqZwxKJ863BbsWdxDSaRjLATJ5vbB+atEfFoOGI\n7lfyTMyAGWVSgZfePifT2dpVMIfJ5TtR+WZSxr7/b0oH7VQkDyI1XTudFafQ4SSX\nECLWQuZhvQKBgQCS13Jpkx8Bc5CERd7Yu5GL9EZo0zDb6vc4SMCA1VIZ0NdL+1Hs\nODb+wEYSZjBervdEJYql3DDg/nxSeHYdS1tZAEcu3QSzlGNBpI4A4OoW02p/9hZd\n3MkFznf0C7brnY+VVEWJh/C2RWCQKW1DSbACMp24qW6BMvbl8A4NTQQS6QKBgCv1\nVA4Mucz3KcObAWagJ8LJGwG9tjhrFVK42tRVwVMY+pFsVFyw/X/Q8yFt5ybzTin5\nULlYqmX01U4NDgu+LS8ZiAd+bxOJQYU5XQLbMpNPt0ReWySKJgjwmBJvM7f9t05V\nQllEC1Ayr74pB9QFQ3bJ4QtMYe2HOhHc0yTrMqA9AoGANys97zW7ZBi54OjvWILg\n+Q3ZiwCFdRNCT6Brq7hltVZk7rtSm2KgwaKIQpDoi5AQSFoubJ2uQ4GR386U2oI2\nJGc8RJohiNH/nUdR60xOgRofCbbNt5r1l6z4x22v0BQmDRjwGnAHpU+rJH/rr2KT\n7ctIUma4Cl+INvVlxyBBm/I=\n-----END PRIVATE KEY-----";

/// A signing key of the identity provider, with its public JWK.
struct ProviderKey {
    kid: String,
    algorithm: Algorithm,
    private: EncodingKey,
    jwk: Value,
}

impl ProviderKey {
    fn new(kid: &str, algorithm: Algorithm, private: EncodingKey) -> ProviderKey {
        let mut jwk =
            serde_json::to_value(Jwk::from_encoding_key(&private, algorithm).unwrap()).unwrap();
        jwk["kid"] = json!(kid);
        jwk["use"] = json!("sig");
        ProviderKey {
            kid: kid.into(),
            algorithm,
            private,
            jwk,
        }
    }

    fn es256(kid: &str) -> ProviderKey {
        ProviderKey::new(kid, Algorithm::ES256, es256_keys().0)
    }

    fn rs256(kid: &str) -> ProviderKey {
        ProviderKey::new(
            kid,
            Algorithm::RS256,
            EncodingKey::from_rsa_pem(TEST_RSA_KEY.as_bytes()).unwrap(),
        )
    }

    fn sign(&self, claims: &Value) -> String {
        let mut header = Header::new(self.algorithm);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.private).unwrap()
    }
}

/// The identity provider's JWKS endpoint: a real HTTP server on the loopback address that
/// serves what was last published, and counts the fetches.
struct JwksServer {
    url: String,
    published: Arc<Mutex<String>>,
    fetches: Arc<AtomicUsize>,
}

impl JwksServer {
    fn start(keys: &[&ProviderKey]) -> JwksServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!(
            "http://{}/.well-known/jwks.json",
            listener.local_addr().unwrap()
        );
        let server = JwksServer {
            url,
            published: Arc::default(),
            fetches: Arc::default(),
        };
        server.publish(keys);
        let (published, fetches) = (server.published.clone(), server.fetches.clone());
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                    line.clear();
                }
                fetches.fetch_add(1, Ordering::SeqCst);
                let body = published.lock().unwrap().clone();
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/jwk-set+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        server
    }

    fn publish(&self, keys: &[&ProviderKey]) {
        let keys: Vec<&Value> = keys.iter().map(|k| &k.jwk).collect();
        *self.published.lock().unwrap() = json!({"keys": keys}).to_string();
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }

    /// An app in production mode with this JWKS.
    fn app(&self, refresh_every: StdDuration, unknown_kid_pause: StdDuration) -> TestApp {
        let source = JwksSource::Url(self.url.clone());
        TestApp::start_with(Backend::Sqlite, move |config| {
            config.jwt.key = JwtKey::Jwks(JwksSettings {
                source,
                refresh_every,
                unknown_kid_pause,
            });
        })
    }
}

fn citizen_claims() -> Value {
    claims(json!({"rol": "burger", "bsn": BSNS[0], "organisatie": null}))
}

fn accepted(app: &TestApp, token: &str) -> bool {
    let reply = app.get("/api/v1/vorderingenoverzicht", Some(token));
    match reply.status {
        200 => true,
        401 => false,
        other => panic!("{other}: {}", reply.text),
    }
}

const HOUR: StdDuration = StdDuration::from_secs(3600);

#[test]
fn keys_from_a_jwks_are_chosen_by_kid_and_rotate_without_downtime() {
    let (old, new) = (
        ProviderKey::es256("sleutel-2026-1"),
        ProviderKey::rs256("sleutel-2026-2"),
    );
    let provider = JwksServer::start(&[&old]);
    let app = provider.app(StdDuration::from_secs(1), StdDuration::ZERO);
    let citizen = citizen_claims();
    assert!(accepted(&app, &old.sign(&citizen)), "ES256 by kid");
    assert!(
        !accepted(&app, &new.sign(&citizen)),
        "a key the provider has not published"
    );

    // The provider publishes the new key next to the old one, then signs with it: the first
    // token naming it fetches the set at once.
    provider.publish(&[&old, &new]);
    let fetched = provider.fetches();
    assert!(
        accepted(&app, &new.sign(&citizen)),
        "RS256 by kid, right after publication"
    );
    assert!(
        provider.fetches() > fetched,
        "the unknown kid fetched the set"
    );
    assert!(
        accepted(&app, &old.sign(&citizen)),
        "tokens of the old key still work"
    );

    // The old key is withdrawn: its tokens stop working from the next refresh on.
    provider.publish(&[&new]);
    let deadline = Instant::now() + StdDuration::from_secs(10);
    while accepted(&app, &old.sign(&citizen)) {
        assert!(
            Instant::now() < deadline,
            "the withdrawn key was never dropped"
        );
        std::thread::sleep(StdDuration::from_millis(200));
    }
    assert!(accepted(&app, &new.sign(&citizen)));

    // The key, not the token, decides the algorithm; and a key set needs the kid.
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(new.kid.clone());
    let confused = jsonwebtoken::encode(
        &header,
        &citizen,
        &EncodingKey::from_secret(new.jwk["n"].as_str().unwrap().as_bytes()),
    )
    .unwrap();
    refused(&app, &confused);
    let without_kid =
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), &citizen, &new.private).unwrap();
    refused(&app, &without_kid);
}

#[test]
fn a_jwks_file_is_read_again_when_a_token_names_a_new_key() {
    let (old, new) = (
        ProviderKey::es256("bestand-1"),
        ProviderKey::es256("bestand-2"),
    );
    let path =
        std::env::temp_dir().join(format!("rijksincasso-jwks-{}.json", uuid::Uuid::new_v4()));
    let write = |keys: &[&ProviderKey]| {
        let keys: Vec<&Value> = keys.iter().map(|k| &k.jwk).collect();
        std::fs::write(&path, json!({"keys": keys}).to_string()).unwrap();
    };
    write(&[&old]);
    let source = JwksSource::File(path.clone());
    let app = TestApp::start_with(Backend::Sqlite, move |config| {
        config.jwt.key = JwtKey::Jwks(JwksSettings {
            source,
            refresh_every: HOUR,
            unknown_kid_pause: StdDuration::ZERO,
        });
    });
    assert!(accepted(&app, &old.sign(&citizen_claims())));
    assert!(!accepted(&app, &new.sign(&citizen_claims())));
    write(&[&old, &new]);
    assert!(
        accepted(&app, &new.sign(&citizen_claims())),
        "the rewritten file is read again"
    );
    std::fs::remove_file(path).unwrap();
}

#[test]
fn made_up_key_ids_fetch_the_jwks_at_most_once_per_pause() {
    let key = ProviderKey::es256("sleutel");
    let provider = JwksServer::start(&[&key]);
    let app = provider.app(HOUR, HOUR);
    assert_eq!(provider.fetches(), 1, "fetched once at start");
    for i in 0..5 {
        refused(
            &app,
            &ProviderKey::es256(&format!("verzonnen-{i}")).sign(&citizen_claims()),
        );
    }
    assert_eq!(
        provider.fetches(),
        2,
        "the first made-up key fetched, then the pause holds"
    );
    assert!(accepted(&app, &key.sign(&citizen_claims())));
}

/// The pause between fetches for unknown key ids counts only those fetches: a key the provider
/// published just after the service fetched the set (at start, or periodically) is fetched for
/// the first token that names it, instead of that token being refused for a pause.
#[test]
fn a_key_published_just_after_a_fetch_is_fetched_for_its_first_token() {
    let (old, new) = (
        ProviderKey::es256("sleutel-1"),
        ProviderKey::es256("sleutel-2"),
    );
    let provider = JwksServer::start(&[&old]);
    let app = provider.app(HOUR, HOUR);
    provider.publish(&[&old, &new]);
    assert!(accepted(&app, &new.sign(&citizen_claims())));
    assert_eq!(provider.fetches(), 2);
}

#[test]
fn in_production_a_token_carries_iat_and_lives_at_most_the_maximum() {
    let key = ProviderKey::es256("sleutel");
    let provider = JwksServer::start(&[&key]);
    let app = provider.app(HOUR, HOUR);
    let now = Utc::now().timestamp();
    let lasting = |iat: i64, minutes: i64| {
        let mut c = citizen_claims();
        c["iat"] = json!(iat);
        c["exp"] = json!(iat + minutes * 60);
        key.sign(&c)
    };
    assert!(
        accepted(&app, &lasting(now, 60)),
        "the default maximum is an hour"
    );
    refused(&app, &lasting(now, 61));
    refused(&app, &lasting(now + 600, 5));
    let mut no_iat = citizen_claims();
    no_iat.as_object_mut().unwrap().remove("iat");
    refused(&app, &key.sign(&no_iat));
}

#[test]
fn a_configured_maximum_token_lifetime_applies_in_development_too() {
    let limited = TestApp::start_with(Backend::Sqlite, |config| {
        config.jwt.max_token_minutes = Some(15)
    });
    let minted = |minutes| {
        limited.token_valid_for("burger", Some(BSNS[0]), None, Duration::minutes(minutes))
    };
    assert!(accepted(&limited, &minted(15)));
    refused(&limited, &minted(20));
    let unlimited = TestApp::start(Backend::Sqlite);
    let day = unlimited.token_valid_for("burger", Some(BSNS[0]), None, Duration::minutes(1440));
    assert!(
        accepted(&unlimited, &day),
        "development tokens of `token --geldig-minuten 1440`"
    );
}

/// `rijksincasso` with only these variables, in a fresh directory; its exit and standard error.
fn run(args: &[&str], env: &[(&str, &str)]) -> (bool, String, bool) {
    let dir = std::env::temp_dir().join(format!("rijksincasso-mode-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_rijksincasso"))
        .args(args)
        .current_dir(&dir)
        .env_clear()
        .env("DATABASE_URL", dir.join("mode.db"))
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let secrets_made = dir.join(".rijksincasso-dev-secrets").exists();
    std::fs::remove_dir_all(&dir).unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        secrets_made,
    )
}

#[test]
fn production_mode_refuses_development_conveniences() {
    let production = [("RIJKSINCASSO_JWKS", "/etc/rijksincasso/keys/jwks.json")];
    let (ok, stderr, secrets_made) = run(&["serve", "--bind", "127.0.0.1:0"], &production);
    assert!(
        !ok && stderr.contains("production mode refuses a generated development secret"),
        "{stderr}"
    );
    assert!(!secrets_made, "nothing generated");

    let pseudonym = (
        "RIJKSINCASSO_PSEUDONYM_SECRET",
        "een-pseudoniemgeheim-van-minstens-32-tekens",
    );
    let (ok, stderr, _) = run(
        &["token", "--rol", "beheerder", "--sub", "beheerder-1"],
        &[production[0], pseudonym],
    );
    assert!(
        !ok && stderr.contains("production mode refuses minting tokens"),
        "{stderr}"
    );

    let (ok, stdout_or_err, _) = run(&["token", "--rol", "beheerder"], &[]);
    assert!(
        !ok && stdout_or_err.contains("rol beheerder needs --sub"),
        "the audit trail names who: {stdout_or_err}"
    );
    let (ok, stdout_or_err, _) = run(
        &["token", "--rol", "beheerder", "--sub", "beheerder-1"],
        &[],
    );
    assert!(ok, "development mode mints: {stdout_or_err}");
}
