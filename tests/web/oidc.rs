//! Logging in at a real OpenID provider (`oidc-provider`, run by tests/web/oidc-provider.mjs):
//! the authorization code flow with PKCE, `private_key_jwt` or `client_secret_basic`, and the
//! assurance level checked: a login below it is refused.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::SigningKey;
use p256::pkcs8::{EncodePrivateKey, LineEnding};

use crate::browser::{Browser, Scripts, free_port};
use crate::support::{BSNS, Backend, TestApp};
use rijksincasso::web::settings::{ClientAuth, DEFAULT_ACR, OidcConfig};

const SECRET: &str = "test-client-secret-of-the-development-client";

/// The provider process, stopped (by its own id) when the test ends.
struct Provider {
    child: Child,
    issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn provider(redirect_uri: &str, client_jwk: &str) -> Provider {
    let port = free_port();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/web/oidc-provider.mjs");
    let mut child = Command::new("node")
        .arg(script)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("OIDC_PORT", port.to_string())
        .env("OIDC_REDIRECT_URI", redirect_uri)
        .env("OIDC_CLIENT_JWK", client_jwk)
        .env("OIDC_CLIENT_SECRET", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node must be installed (and npm ci run) for the OpenID provider");
    let mut line = String::new();
    let mut output = BufReader::new(child.stdout.take().expect("stdout"));
    output.read_line(&mut line).expect("provider output");
    // Keep reading what it prints, so that it never writes into a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut output, &mut std::io::sink()));
    let issuer = line
        .trim()
        .strip_prefix("READY ")
        .unwrap_or_else(|| panic!("the OpenID provider did not start: {line:?}"))
        .to_owned();
    Provider { child, issuer }
}

/// A P-256 client key: its PEM file (for the service) and its public JWK (for the provider).
fn client_key() -> (PathBuf, String) {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).unwrap();
    let key = SigningKey::from_slice(&seed).unwrap();
    let path = std::env::temp_dir().join(format!("ri-client-{}.pem", uuid::Uuid::new_v4()));
    std::fs::write(&path, key.to_pkcs8_pem(LineEnding::LF).unwrap().as_bytes()).unwrap();
    let point = key.verifying_key().to_encoded_point(false);
    let jwk = serde_json::json!({
        "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": "rijksincasso-test",
        "x": URL_SAFE_NO_PAD.encode(point.x().unwrap()),
        "y": URL_SAFE_NO_PAD.encode(point.y().unwrap()),
    });
    (path, jwk.to_string())
}

/// The app and a provider that knows it, with the client `client_id`.
fn app_with_provider(backend: Backend, private_key_jwt: bool) -> (TestApp, Provider, PathBuf) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (key_path, jwk) = client_key();
    let provider = provider(&format!("{base}/inloggen/oidc/terug"), &jwk);
    let issuer = provider.issuer.clone();
    let key = key_path.clone();
    let app = TestApp::start_on(backend, listener, move |config| {
        config.web.public_url = Some(base);
        config.web.oidc = Some(OidcConfig {
            issuer,
            client_id: if private_key_jwt {
                "rijksincasso"
            } else {
                "rijksincasso-ontwikkeling"
            }
            .into(),
            client_auth: if private_key_jwt {
                ClientAuth::PrivateKeyJwt(key)
            } else {
                ClientAuth::SecretBasic(SECRET.into())
            },
            acr_minimum: DEFAULT_ACR.into(),
            bsn_claim: "bsn".into(),
            organisation_claim: "organisatie".into(),
            scope: "openid".into(),
        });
    });
    (app, provider, key_path)
}

fn log_in_at_provider(browser: &mut Browser, bsn: &str, acr: &str) {
    browser.goto("/inloggen");
    browser.check_page("inloggen-digid");
    browser.click_link("Inloggen met DigiD");
    assert!(
        browser.url().contains("/interaction/"),
        "at the provider's login page"
    );
    browser.fill("#bsn", bsn);
    browser.select("#acr", acr);
    browser.click("#inloggen");
}

fn logs_in_with_pkce_at_a_real_provider(backend: Backend) {
    let (app, _provider, key) = app_with_provider(backend, true);
    let mut browser = Browser::open(&app.base, Scripts::Enabled);
    log_in_at_provider(&mut browser, BSNS[2], DEFAULT_ACR);
    assert_eq!(browser.path(), "/mijn", "{}", browser.body());
    let text = browser.text();
    assert!(
        text.contains("Bij de aangesloten schuldeisers staat niets open op uw naam."),
        "{text}"
    );
    assert!(
        browser.visited.iter().any(|u| u.contains("/interaction/")),
        "the login went through the provider"
    );
    // The same person as the API's token for that BSN: the pseudonym is the same.
    app.post(
        "/api/v1/machtigingen",
        Some(&app.citizen(BSNS[2])),
        &serde_json::json!({"schuldhulpverlener": "GKB", "geldigTot": "2026-12-31"}),
    )
    .succeeded();
    browser.goto("/mijn/machtigingen");
    assert!(browser.text().contains("Schuldhulp GKB"));
    // A link to the login, followed while logged in, leads to the person's pages and keeps the
    // session: a GET from anywhere cannot log anyone out.
    let session = browser
        .cookie("rijksincasso-sessie")
        .expect("a session cookie");
    browser.goto("/inloggen/oidc");
    assert_eq!(browser.path(), "/mijn");
    assert_eq!(
        browser.cookie("rijksincasso-sessie"),
        Some(session),
        "the same session"
    );
    let _ = std::fs::remove_file(key);
}

fn refuses_a_login_below_the_required_assurance_level(backend: Backend) {
    let (app, _provider, key) = app_with_provider(backend, false);
    let mut browser = Browser::open(&app.base, Scripts::Enabled);
    log_in_at_provider(
        &mut browser,
        BSNS[3],
        "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    );
    assert!(browser.path().starts_with("/inloggen/oidc/terug"));
    let text = browser.text();
    assert!(text.contains("U bent ingelogd met DigiD midden."), "{text}");
    assert!(text.contains("hoger betrouwbaarheidsniveau"), "{text}");
    browser.check_page("inloggen-niveau-te-laag");
    browser.goto("/mijn");
    assert_eq!(
        browser.path(),
        "/inloggen?sessie=verlopen",
        "nobody is logged in; the login session ended"
    );
    let _ = std::fs::remove_file(key);
}

mod sqlite {
    use super::*;

    #[test]
    fn a_citizen_logs_in_at_a_real_openid_provider_with_pkce_and_private_key_jwt() {
        logs_in_with_pkce_at_a_real_provider(Backend::Sqlite);
    }

    #[test]
    fn a_login_below_the_required_assurance_level_is_refused() {
        refuses_a_login_below_the_required_assurance_level(Backend::Sqlite);
    }
}

mod postgres {
    use super::*;

    #[test]
    #[cfg_attr(
        not(postgres_tests),
        ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
    )]
    fn a_citizen_logs_in_at_a_real_openid_provider_with_pkce_and_private_key_jwt() {
        logs_in_with_pkce_at_a_real_provider(Backend::Postgres);
    }

    #[test]
    #[cfg_attr(
        not(postgres_tests),
        ignore = "TEST_DATABASE_URL is not set: PostgreSQL not tested"
    )]
    fn a_login_below_the_required_assurance_level_is_refused() {
        refuses_a_login_below_the_required_assurance_level(Backend::Postgres);
    }
}
