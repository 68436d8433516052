//! Bearer tokens: only well-signed, unexpired tokens for this service, naming a valid subject.

use chrono::{Duration, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::ecdsa::SigningKey;
use p256::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::{AUDIENCE, BSNS, Backend, ISSUER, JWT_SECRET, TestApp};
use rijksincasso::config::JwtKey;

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

    fn requests_without_a_bearer_token_are_refused(app) {
        app.get("/api/v1/vorderingen", None).problem(401);
        let basic = app.send("GET", "/api/v1/vorderingen", None, None);
        basic.problem(401);
        let reply = app.send("GET", "/api/v1/inzagelog", Some(""), None);
        reply.problem(401);
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
        for (path, operations) in spec["paths"].as_object().unwrap() {
            for (method, operation) in operations.as_object().unwrap() {
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
