//! OpenID Connect login (authorization code flow with PKCE, NL GOV Assurance profile for OAuth
//! 2.0 / OpenID Connect): discovery, the authorization request, the token request with
//! `private_key_jwt` (or `client_secret_basic` for development providers), and the ID token
//! checked in full: signature by the provider's JWKS, `iss`, `aud`, `exp`, `nonce` and the
//! assurance level `acr`. The BSN (or a counsellor's organisation) comes only from that token.
//!
//! Everything here that talks HTTP blocks: the pages call it through `web::block`.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::settings::{ClientAuth, OidcConfig, secure_or_loopback};
use crate::domain::bsn::Bsn;
use crate::domain::creditor::check_code;
use crate::domain::mandate::check_counsellor_id;

/// Clock skew tolerated on `exp`, `iat` and `nbf` of an ID token.
const LEEWAY_SECONDS: u64 = 30;
/// How long discovery and keys are used before they are fetched again.
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// How long a client assertion is valid.
const ASSERTION_SECONDS: i64 = 60;

/// Assurance levels (`acr`) this service knows, each with a rank (higher is stronger) and a name
/// for people. DigiD's SAML contexts (Logius: basis, midden, substantieel, hoog), eHerkenning's
/// assurance classes, and eIDAS levels of assurance.
pub mod acr {
    pub const KNOWN: [(&str, u8, &str); 13] = [
        (
            "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
            1,
            "DigiD basis",
        ),
        (
            "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
            2,
            "DigiD midden",
        ),
        (
            "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
            3,
            "DigiD substantieel",
        ),
        (
            "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
            4,
            "DigiD hoog",
        ),
        (
            "urn:etoegang:core:assurance-class:loa1",
            1,
            "eHerkenning EH1",
        ),
        (
            "urn:etoegang:core:assurance-class:loa2",
            2,
            "eHerkenning EH2",
        ),
        (
            "urn:etoegang:core:assurance-class:loa2plus",
            2,
            "eHerkenning EH2+",
        ),
        (
            "urn:etoegang:core:assurance-class:loa3",
            3,
            "eHerkenning EH3",
        ),
        (
            "urn:etoegang:core:assurance-class:loa4",
            4,
            "eHerkenning EH4",
        ),
        ("http://eidas.europa.eu/LoA/low", 1, "eIDAS laag"),
        (
            "http://eidas.europa.eu/LoA/substantial",
            3,
            "eIDAS substantieel",
        ),
        ("http://eidas.europa.eu/LoA/high", 4, "eIDAS hoog"),
        (
            "http://eidas.europa.eu/LoA/NotNotified/substantial",
            3,
            "eIDAS substantieel (niet genotificeerd)",
        ),
    ];

    pub fn rank(value: &str) -> Option<u8> {
        KNOWN
            .iter()
            .find(|(v, _, _)| *v == value)
            .map(|(_, r, _)| *r)
    }

    pub fn label(value: &str) -> &'static str {
        KNOWN
            .iter()
            .find(|(v, _, _)| *v == value)
            .map_or("onbekend niveau", |(_, _, l)| *l)
    }

    /// Whether `actual` is a known level at least as strong as `minimum`.
    pub fn meets(actual: &str, minimum: &str) -> bool {
        match (rank(actual), rank(minimum)) {
            (Some(a), Some(m)) => a >= m,
            _ => false,
        }
    }
}

/// Who the provider says logged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Citizen(Bsn),
    Counsellor(String),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OidcError {
    /// The provider could not be reached or answered nonsense.
    #[error("provider unavailable: {0}")]
    Unavailable(String),
    /// The provider refused (e.g. an invalid code) or its answer failed a check.
    #[error("login refused: {0}")]
    Refused(String),
    /// The login was valid but at a lower assurance level than required.
    #[error("assurance level too low")]
    AcrTooLow { actual: Option<String> },
}

/// The error code a provider sent (RFC 6749 §4.1.2.1 and §5.2, OpenID Connect Core §3.1.2.6), as
/// far as it is one of those: the parameter is whatever the browser brought along, and anything
/// else (a BSN, a line break) must not reach the log.
pub fn error_code(sent: &str) -> &'static str {
    const CODES: [&str; 19] = [
        "invalid_request",
        "unauthorized_client",
        "access_denied",
        "unsupported_response_type",
        "invalid_scope",
        "server_error",
        "temporarily_unavailable",
        "interaction_required",
        "login_required",
        "account_selection_required",
        "consent_required",
        "invalid_request_uri",
        "invalid_request_object",
        "request_not_supported",
        "request_uri_not_supported",
        "registration_not_supported",
        "invalid_grant",
        "invalid_client",
        "unsupported_grant_type",
    ];
    CODES
        .into_iter()
        .find(|code| *code == sent)
        .unwrap_or("other")
}

/// A random value of 32 bytes, base64url: session ids, `state`, `nonce`, PKCE verifiers, CSRF
/// tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The operating system's random source; without it no login can be safe.
    getrandom::fill(&mut bytes).unwrap_or_else(|e| panic!("no random source: {e}"));
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The PKCE `S256` code challenge of a verifier (RFC 7636 §4.2).
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
}

struct Metadata {
    discovery: Discovery,
    keys: JwkSet,
    fetched: Instant,
}

/// What the ID token must say, besides a valid signature.
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    pub acr_minimum: &'a str,
    pub bsn_claim: &'a str,
    pub organisation_claim: &'a str,
}

/// Checks an ID token completely and says who logged in.
pub fn validate_id_token(
    token: &str,
    keys: &JwkSet,
    expected: &Expected<'_>,
) -> Result<Identity, OidcError> {
    let refused = |why: &str| OidcError::Refused(why.to_owned());
    let header = jsonwebtoken::decode_header(token).map_err(|_| refused("unreadable ID token"))?;
    let algorithm = header.alg;
    if !matches!(
        algorithm,
        Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512
            | Algorithm::ES256
            | Algorithm::ES384
    ) {
        return Err(refused("ID token signed with an algorithm not accepted"));
    }
    let jwk = find_key(keys, header.kid.as_deref(), algorithm)
        .ok_or_else(|| refused("no key of the provider fits the ID token"))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|_| refused("unusable provider key"))?;
    let mut validation = Validation::new(algorithm);
    validation.leeway = LEEWAY_SECONDS;
    validation.validate_nbf = true;
    validation.set_issuer(&[expected.issuer]);
    validation.set_audience(&[expected.client_id]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    let claims = jsonwebtoken::decode::<Map<String, Value>>(token, &key, &validation)
        .map_err(|e| OidcError::Refused(format!("ID token: {:?}", e.kind())))?
        .claims;
    // With several audiences, the token must be meant for this client (OIDC Core §3.1.3.7).
    if let Some(Value::Array(audiences)) = claims.get("aud")
        && audiences.len() > 1
        && claims.get("azp").and_then(Value::as_str) != Some(expected.client_id)
    {
        return Err(refused(
            "ID token for several audiences without this client as azp",
        ));
    }
    let nonce = claims
        .get("nonce")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !constant_time_eq(nonce.as_bytes(), expected.nonce.as_bytes()) {
        return Err(refused("nonce differs"));
    }
    let acr = claims.get("acr").and_then(Value::as_str);
    if !acr.is_some_and(|a| acr::meets(a, expected.acr_minimum)) {
        return Err(OidcError::AcrTooLow {
            actual: acr.map(str::to_owned),
        });
    }
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
    if let Some(bsn) = text(expected.bsn_claim) {
        return Bsn::parse(&bsn)
            .map(Identity::Citizen)
            .map_err(|_| refused("the BSN claim is not a valid BSN"));
    }
    match text(expected.organisation_claim) {
        Some(org)
            if check_counsellor_id("organisatie", &org).is_none()
                || check_code("organisatie", &org).is_none() =>
        {
            Ok(Identity::Counsellor(org))
        }
        _ => Err(refused(
            "the ID token names neither a citizen nor an organisation",
        )),
    }
}

fn find_key<'k>(keys: &'k JwkSet, kid: Option<&str>, algorithm: Algorithm) -> Option<&'k Jwk> {
    let fits = |k: &&Jwk| {
        k.common
            .key_algorithm
            .is_none_or(|a| a.to_string() == format!("{algorithm:?}"))
            && !matches!(
                k.common.public_key_use,
                Some(jsonwebtoken::jwk::PublicKeyUse::Encryption)
            )
    };
    match kid {
        Some(kid) => keys
            .keys
            .iter()
            .filter(fits)
            .find(|k| k.common.key_id.as_deref() == Some(kid)),
        None => {
            let mut candidates = keys.keys.iter().filter(fits);
            let only = candidates.next();
            candidates.next().is_none().then_some(only).flatten()
        }
    }
}

/// Compares secrets without telling by its timing where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The client of one OpenID provider: metadata cached, HTTP with timeouts.
pub struct Client {
    pub config: OidcConfig,
    pub redirect_uri: String,
    http: ureq::Agent,
    metadata: Mutex<Option<Metadata>>,
    signing: Option<(EncodingKey, Algorithm)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ClientSetupError {
    #[error("cannot read the OIDC client key {path}: {source}")]
    ReadKey {
        path: String,
        source: std::io::Error,
    },
    #[error("the OIDC client key {0} holds no RSA or P-256 private key in PEM form")]
    UnsupportedKey(String),
}

impl Client {
    pub fn new(config: OidcConfig, redirect_uri: String) -> Result<Client, ClientSetupError> {
        let signing = match &config.client_auth {
            ClientAuth::PrivateKeyJwt(path) => {
                let shown = path.display().to_string();
                let pem = std::fs::read(path).map_err(|source| ClientSetupError::ReadKey {
                    path: shown.clone(),
                    source,
                })?;
                if let Ok(key) = EncodingKey::from_rsa_pem(&pem) {
                    Some((key, Algorithm::RS256))
                } else if let Ok(key) = EncodingKey::from_ec_pem(&pem) {
                    Some((key, Algorithm::ES256))
                } else {
                    return Err(ClientSetupError::UnsupportedKey(shown));
                }
            }
            ClientAuth::SecretBasic(_) => None,
        };
        let http = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(10)))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Ok(Client {
            config,
            redirect_uri,
            http,
            metadata: Mutex::new(None),
            signing,
        })
    }

    fn get_json(&self, url: &str) -> Result<Value, OidcError> {
        if !secure_or_loopback(url) {
            return Err(OidcError::Unavailable(
                "provider address is not https".into(),
            ));
        }
        let mut response = self
            .http
            .get(url)
            .header("Accept", "application/json")
            .call()
            .map_err(|e| OidcError::Unavailable(e.to_string()))?;
        if !response.status().is_success() {
            return Err(OidcError::Unavailable(format!(
                "{url} answered {}",
                response.status()
            )));
        }
        response
            .body_mut()
            .read_json::<Value>()
            .map_err(|e| OidcError::Unavailable(e.to_string()))
    }

    fn fetch_metadata(&self) -> Result<Metadata, OidcError> {
        let url = format!("{}/.well-known/openid-configuration", self.config.issuer);
        let discovery: Discovery = serde_json::from_value(self.get_json(&url)?)
            .map_err(|e| OidcError::Unavailable(format!("discovery document: {e}")))?;
        // The document must be the issuer's own (OIDC Discovery §4.3).
        if discovery.issuer.trim_end_matches('/') != self.config.issuer {
            return Err(OidcError::Unavailable(
                "discovery names another issuer".into(),
            ));
        }
        let keys: JwkSet = serde_json::from_value(self.get_json(&discovery.jwks_uri)?)
            .map_err(|e| OidcError::Unavailable(format!("JWKS: {e}")))?;
        Ok(Metadata {
            discovery,
            keys,
            fetched: Instant::now(),
        })
    }

    /// The provider's discovery document and keys, fetched when missing or stale (or, with
    /// `refresh`, because a token names a key not yet known: the provider rotated its keys).
    fn metadata(&self, refresh: bool) -> Result<(Discovery, JwkSet), OidcError> {
        let mut cached = self.metadata.lock().unwrap_or_else(|p| p.into_inner());
        let stale = cached
            .as_ref()
            .is_none_or(|m| refresh || m.fetched.elapsed() > METADATA_TTL);
        if stale {
            *cached = Some(self.fetch_metadata()?);
        }
        let m = cached
            .as_ref()
            .ok_or_else(|| OidcError::Unavailable("no metadata".into()))?;
        Ok((m.discovery.clone(), m.keys.clone()))
    }

    /// Where to send the browser to log in.
    pub fn authorization_url(
        &self,
        state: &str,
        nonce: &str,
        verifier: &str,
    ) -> Result<String, OidcError> {
        let (discovery, _) = self.metadata(false)?;
        let mut scope: Vec<&str> = vec!["openid"];
        scope.extend(
            self.config
                .scope
                .split(' ')
                .filter(|s| !s.is_empty() && *s != "openid"),
        );
        let scope = scope.join(" ");
        let challenge = pkce_challenge(verifier);
        let query = serde_urlencoded::to_string([
            ("response_type", "code"),
            ("client_id", self.config.client_id.as_str()),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("scope", scope.as_str()),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
            ("acr_values", self.config.acr_minimum.as_str()),
        ])
        .map_err(|e| OidcError::Unavailable(e.to_string()))?;
        let separator = if discovery.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        Ok(format!(
            "{}{separator}{query}",
            discovery.authorization_endpoint
        ))
    }

    /// Exchanges the code for tokens and checks the ID token.
    pub fn redeem(&self, code: &str, verifier: &str, nonce: &str) -> Result<Identity, OidcError> {
        let (discovery, keys) = self.metadata(false)?;
        if !secure_or_loopback(&discovery.token_endpoint) {
            return Err(OidcError::Unavailable("token endpoint is not https".into()));
        }
        let mut form: Vec<(&str, String)> = vec![
            ("grant_type", "authorization_code".into()),
            ("code", code.into()),
            ("redirect_uri", self.redirect_uri.clone()),
            ("code_verifier", verifier.into()),
        ];
        let mut request = self.http.post(&discovery.token_endpoint);
        match (&self.config.client_auth, &self.signing) {
            (ClientAuth::SecretBasic(secret), _) => {
                let user =
                    serde_urlencoded::to_string([("", &self.config.client_id)]).unwrap_or_default();
                let password = serde_urlencoded::to_string([("", secret)]).unwrap_or_default();
                let pair = format!("{}:{}", &user[1..], &password[1..]);
                request =
                    request.header("Authorization", format!("Basic {}", STANDARD.encode(pair)));
            }
            (ClientAuth::PrivateKeyJwt(_), Some((key, algorithm))) => {
                let assertion = client_assertion(
                    &self.config.client_id,
                    &discovery.token_endpoint,
                    key,
                    *algorithm,
                    chrono::Utc::now().timestamp(),
                )?;
                form.push(("client_id", self.config.client_id.clone()));
                form.push((
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".into(),
                ));
                form.push(("client_assertion", assertion));
            }
            (ClientAuth::PrivateKeyJwt(_), None) => {
                return Err(OidcError::Unavailable("no client key".into()));
            }
        }
        let mut response = request
            .header("Accept", "application/json")
            .send_form(form.iter().map(|(k, v)| (*k, v.as_str())))
            .map_err(|e| OidcError::Unavailable(e.to_string()))?;
        let status = response.status();
        let body: Value = response
            .body_mut()
            .read_json()
            .map_err(|e| OidcError::Unavailable(e.to_string()))?;
        if !status.is_success() {
            let error = body
                .get("error")
                .and_then(Value::as_str)
                .unwrap_or("unknown");
            return Err(OidcError::Refused(format!(
                "token endpoint: {}",
                error_code(error)
            )));
        }
        let token = body
            .get("id_token")
            .and_then(Value::as_str)
            .ok_or_else(|| OidcError::Refused("no ID token".into()))?;
        let expected = Expected {
            issuer: &discovery.issuer,
            client_id: &self.config.client_id,
            nonce,
            acr_minimum: &self.config.acr_minimum,
            bsn_claim: &self.config.bsn_claim,
            organisation_claim: &self.config.organisation_claim,
        };
        match validate_id_token(token, &keys, &expected) {
            // A key not yet known: the provider may have rotated; fetch once more.
            Err(OidcError::Refused(why)) if why.starts_with("no key") => {
                let (_, keys) = self.metadata(true)?;
                validate_id_token(token, &keys, &expected)
            }
            other => other,
        }
    }
}

/// A `private_key_jwt` client assertion (RFC 7523): issued by and about the client, for the
/// token endpoint, valid for a minute, with a unique `jti`.
pub fn client_assertion(
    client_id: &str,
    audience: &str,
    key: &EncodingKey,
    algorithm: Algorithm,
    now: i64,
) -> Result<String, OidcError> {
    let claims = serde_json::json!({
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "jti": random_token(),
        "iat": now,
        "exp": now + ASSERTION_SECONDS,
    });
    jsonwebtoken::encode(&Header::new(algorithm), &claims, key)
        .map_err(|e| OidcError::Unavailable(format!("cannot sign client assertion: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_known_error_code_of_the_provider_is_passed_on_to_the_log() {
        assert_eq!(error_code("access_denied"), "access_denied");
        assert_eq!(error_code("999990007\nfake"), "other");
        assert_eq!(error_code("Access_Denied"), "other");
    }

    #[test]
    fn the_pkce_challenge_is_the_s256_of_the_verifier() {
        // RFC 7636, appendix B.
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn random_tokens_are_long_and_differ() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
    }

    /// A provider's signing key and its JWKS, and ID tokens signed with it.
    struct TestProvider {
        key: EncodingKey,
        keys: JwkSet,
    }

    const ISSUER: &str = "https://digid.example";
    const CLIENT: &str = "rijksincasso";
    const NONCE: &str = "nonce-van-deze-login";
    const SUBSTANTIEEL: &str = "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard";

    impl TestProvider {
        fn new() -> TestProvider {
            use p256::ecdsa::SigningKey;
            use p256::pkcs8::{EncodePrivateKey, LineEnding};
            let mut seed = [0u8; 32];
            getrandom::fill(&mut seed).expect("random");
            let signing = SigningKey::from_slice(&seed).expect("key");
            let pem = signing.to_pkcs8_pem(LineEnding::LF).expect("pem");
            let point = signing.verifying_key().to_encoded_point(false);
            let keys: JwkSet = serde_json::from_value(serde_json::json!({"keys": [{
                "kty": "EC", "crv": "P-256", "kid": "k1", "alg": "ES256", "use": "sig",
                "x": URL_SAFE_NO_PAD.encode(point.x().expect("x")),
                "y": URL_SAFE_NO_PAD.encode(point.y().expect("y")),
            }]}))
            .expect("jwks");
            TestProvider {
                key: EncodingKey::from_ec_pem(pem.as_bytes()).expect("encoding key"),
                keys,
            }
        }

        fn token(&self, change: impl FnOnce(&mut Value)) -> String {
            let now = chrono::Utc::now().timestamp();
            let mut claims = serde_json::json!({
                "iss": ISSUER, "aud": CLIENT, "sub": "s-1", "iat": now, "exp": now + 300,
                "nonce": NONCE, "acr": SUBSTANTIEEL, "bsn": "999990007",
            });
            change(&mut claims);
            let mut header = Header::new(Algorithm::ES256);
            header.kid = Some("k1".into());
            jsonwebtoken::encode(&header, &claims, &self.key).expect("signed")
        }

        fn check(&self, token: &str) -> Result<Identity, OidcError> {
            let expected = Expected {
                issuer: ISSUER,
                client_id: CLIENT,
                nonce: NONCE,
                acr_minimum: SUBSTANTIEEL,
                bsn_claim: "bsn",
                organisation_claim: "organisatie",
            };
            validate_id_token(token, &self.keys, &expected)
        }
    }

    #[test]
    fn a_valid_id_token_names_the_citizen_by_its_bsn_claim() {
        let provider = TestProvider::new();
        let identity = provider.check(&provider.token(|_| {})).expect("valid");
        assert_eq!(
            identity,
            Identity::Citizen(Bsn::parse("999990007").unwrap())
        );
        let counsellor = provider.token(|c| {
            c.as_object_mut().unwrap().remove("bsn");
            c["organisatie"] = "GKB-AMSTERDAM".into();
        });
        assert_eq!(
            provider.check(&counsellor),
            Ok(Identity::Counsellor("GKB-AMSTERDAM".into()))
        );
    }

    #[test]
    fn an_id_token_with_another_nonce_is_refused() {
        let provider = TestProvider::new();
        let token = provider.token(|c| c["nonce"] = "nonce-van-een-andere-login".into());
        assert!(matches!(provider.check(&token), Err(OidcError::Refused(_))));
        let without = provider.token(|c| {
            c.as_object_mut().unwrap().remove("nonce");
        });
        assert!(matches!(
            provider.check(&without),
            Err(OidcError::Refused(_))
        ));
    }

    #[test]
    fn an_id_token_for_another_audience_or_issuer_is_refused() {
        let provider = TestProvider::new();
        for token in [
            provider.token(|c| c["aud"] = "een-andere-client".into()),
            provider.token(|c| c["iss"] = "https://nep-digid.example".into()),
            provider.token(|c| c["aud"] = serde_json::json!([CLIENT, "een-andere-client"])),
        ] {
            assert!(matches!(provider.check(&token), Err(OidcError::Refused(_))));
        }
    }

    #[test]
    fn an_expired_id_token_is_refused() {
        let provider = TestProvider::new();
        let token = provider.token(|c| {
            let past = chrono::Utc::now().timestamp() - 600;
            c["iat"] = (past - 300).into();
            c["exp"] = past.into();
        });
        assert!(matches!(provider.check(&token), Err(OidcError::Refused(_))));
    }

    #[test]
    fn an_id_token_below_the_required_assurance_level_is_refused() {
        let provider = TestProvider::new();
        for acr in [
            Some("urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"),
            Some("urn:zelfbedacht:hoog"),
            None,
        ] {
            let token = provider.token(|c| match acr {
                Some(acr) => c["acr"] = acr.into(),
                None => {
                    c.as_object_mut().unwrap().remove("acr");
                }
            });
            assert_eq!(
                provider.check(&token),
                Err(OidcError::AcrTooLow {
                    actual: acr.map(str::to_owned)
                })
            );
        }
    }

    #[test]
    fn an_id_token_signed_by_another_key_is_refused() {
        let provider = TestProvider::new();
        let impostor = TestProvider::new();
        let token = impostor.token(|_| {});
        assert!(matches!(provider.check(&token), Err(OidcError::Refused(_))));
    }

    #[test]
    fn a_client_assertion_is_signed_for_the_token_endpoint() {
        let provider = TestProvider::new();
        let assertion = client_assertion(
            CLIENT,
            "https://digid.example/token",
            &provider.key,
            Algorithm::ES256,
            1_000,
        )
        .expect("signed");
        let mut validation = Validation::new(Algorithm::ES256);
        validation.validate_exp = false;
        validation.set_audience(&["https://digid.example/token"]);
        let key = DecodingKey::from_jwk(&provider.keys.keys[0]).expect("key");
        let claims = jsonwebtoken::decode::<Map<String, Value>>(&assertion, &key, &validation)
            .expect("valid")
            .claims;
        assert_eq!(claims["iss"], CLIENT);
        assert_eq!(claims["sub"], CLIENT);
        assert_eq!(claims["exp"], 1_060);
        assert_eq!(claims["jti"].as_str().map(str::len), Some(43));
    }

    #[test]
    fn assurance_levels_are_ranked_and_unknown_ones_never_meet() {
        let substantieel = "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard";
        assert!(acr::meets(substantieel, substantieel));
        assert!(acr::meets(
            "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
            substantieel
        ));
        assert!(!acr::meets(
            "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
            substantieel
        ));
        assert!(!acr::meets("urn:zelfbedacht", substantieel));
        assert_eq!(acr::label(substantieel), "DigiD substantieel");
    }
}
