//! Bearer tokens: verifying them on every request and minting development tokens.
//!
//! In production the identity provider signs tokens with RS256 or ES256 and this service holds
//! only public keys: one PEM key, or a JWKS whose key is chosen by the token's `kid` and which is
//! fetched again periodically and when a token names a key not yet known, so keys rotate without
//! downtime. A refused token is reported by the kind of failure only: the parser's message could
//! quote a claim, and a claim can be a BSN.

use std::collections::HashMap;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::{JwksSettings, JwksSource, JwtKey, JwtSettings, Mode};

/// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds.
const LEEWAY_SECONDS: u64 = 30;

/// Longest wait for the identity provider's JWKS, and the largest document accepted.
const JWKS_TIMEOUT: StdDuration = StdDuration::from_secs(5);
const JWKS_MAX_BYTES: u64 = 1024 * 1024;

/// What a verified token says about its bearer, before any interpretation.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenClaims {
    pub rol: String,
    #[serde(default)]
    pub bsn: Option<String>,
    #[serde(default)]
    pub organisatie: Option<String>,
    #[serde(default)]
    pub sub: Option<String>,
    /// NumericDate: seconds, possibly with a fraction.
    #[serde(default)]
    iat: Option<f64>,
    #[serde(default)]
    exp: Option<f64>,
}

/// Why a token was refused, without anything the token said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("not a well-formed token")]
    Malformed,
    #[error("claims of the wrong type")]
    UnreadableClaims,
    #[error("no key id (kid) in the header")]
    MissingKeyId,
    #[error("signed with a key this service does not know")]
    UnknownKey,
    #[error("an algorithm this service does not accept for the key")]
    WrongAlgorithm,
    #[error("the signature does not verify")]
    BadSignature,
    #[error("expired")]
    Expired,
    #[error("not valid yet")]
    NotYetValid,
    #[error("another issuer")]
    WrongIssuer,
    #[error("another audience")]
    WrongAudience,
    #[error("a required claim is missing")]
    MissingClaim,
    #[error("issued in the future")]
    IssuedInFuture,
    #[error("valid for longer than the maximum token lifetime")]
    TooLong,
    #[error("invalid")]
    Invalid,
}

impl TokenError {
    /// A short name for logs and metrics.
    pub fn kind(self) -> &'static str {
        match self {
            TokenError::Malformed => "malformed",
            TokenError::UnreadableClaims => "unreadable_claims",
            TokenError::MissingKeyId => "missing_kid",
            TokenError::UnknownKey => "unknown_kid",
            TokenError::WrongAlgorithm => "wrong_algorithm",
            TokenError::BadSignature => "bad_signature",
            TokenError::Expired => "expired",
            TokenError::NotYetValid => "not_yet_valid",
            TokenError::WrongIssuer => "wrong_issuer",
            TokenError::WrongAudience => "wrong_audience",
            TokenError::MissingClaim => "missing_claim",
            TokenError::IssuedInFuture => "issued_in_future",
            TokenError::TooLong => "lifetime_too_long",
            TokenError::Invalid => "invalid",
        }
    }
}

impl From<jsonwebtoken::errors::Error> for TokenError {
    fn from(error: jsonwebtoken::errors::Error) -> TokenError {
        match error.kind() {
            ErrorKind::InvalidToken | ErrorKind::Base64(_) | ErrorKind::Utf8(_) => {
                TokenError::Malformed
            }
            ErrorKind::Json(_) | ErrorKind::InvalidClaimFormat(_) => TokenError::UnreadableClaims,
            ErrorKind::InvalidSignature => TokenError::BadSignature,
            ErrorKind::InvalidAlgorithm
            | ErrorKind::MissingAlgorithm
            | ErrorKind::InvalidAlgorithmName => TokenError::WrongAlgorithm,
            ErrorKind::ExpiredSignature => TokenError::Expired,
            ErrorKind::ImmatureSignature => TokenError::NotYetValid,
            ErrorKind::InvalidIssuer => TokenError::WrongIssuer,
            ErrorKind::InvalidAudience => TokenError::WrongAudience,
            ErrorKind::MissingRequiredClaim(_) => TokenError::MissingClaim,
            _ => TokenError::Invalid,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthSetupError {
    #[error("cannot read the JWT public key file {path}: {source}")]
    ReadKey {
        path: String,
        source: std::io::Error,
    },
    #[error("the JWT public key file {0} holds no RSA or EC (P-256) public key in PEM form")]
    UnsupportedKey(String),
    #[error("cannot load the JWKS: {0}")]
    Jwks(#[from] JwksError),
    #[error("tokens can only be minted with a shared development secret, not with a public key")]
    CannotMint,
    #[error("cannot sign the token: {0}")]
    Sign(#[from] jsonwebtoken::errors::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum JwksError {
    #[error("cannot fetch {url}: {reason}")]
    Fetch { url: String, reason: String },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("not a JWKS document: {0}")]
    Parse(String),
    #[error("no RS256 or ES256 (P-256) signing key with a kid in the JWKS")]
    NoUsableKey,
}

/// Verifies tokens; cheap to clone.
#[derive(Clone)]
pub struct Authenticator {
    inner: Arc<Inner>,
}

struct Inner {
    keys: Keys,
    /// `iss`, `aud`, `exp` and `nbf`, per accepted algorithm.
    validations: HashMap<Algorithm, Validation>,
    max_lifetime: Option<Duration>,
}

enum Keys {
    /// One key, fixed by configuration, with its algorithm.
    Single(DecodingKey, Algorithm),
    /// Keys by `kid`, refreshed by a background thread that stops when this is dropped.
    Set {
        set: Arc<KeySet>,
        _refresher: mpsc::Sender<()>,
    },
}

impl Authenticator {
    /// Loads the keys (a JWKS is fetched once now: a service that cannot get its keys does not
    /// start) and, for a JWKS, starts refreshing them.
    pub fn new(settings: &JwtSettings, mode: Mode) -> Result<Authenticator, AuthSetupError> {
        let keys = match &settings.key {
            JwtKey::Shared(secret) => {
                Keys::Single(DecodingKey::from_secret(&secret.bytes), Algorithm::HS256)
            }
            JwtKey::PublicKeyFile(path) => {
                let shown = path.display().to_string();
                let pem = std::fs::read(path).map_err(|source| AuthSetupError::ReadKey {
                    path: shown.clone(),
                    source,
                })?;
                if let Ok(key) = DecodingKey::from_rsa_pem(&pem) {
                    Keys::Single(key, Algorithm::RS256)
                } else if let Ok(key) = DecodingKey::from_ec_pem(&pem) {
                    Keys::Single(key, Algorithm::ES256)
                } else {
                    return Err(AuthSetupError::UnsupportedKey(shown));
                }
            }
            JwtKey::Jwks(jwks) => {
                let set = Arc::new(KeySet::new(jwks));
                set.refresh()?;
                let stop = refresh_periodically(set.clone(), jwks.refresh_every);
                Keys::Set {
                    set,
                    _refresher: stop,
                }
            }
        };
        // The algorithm comes from the key, never from the token: no `none`, no HS256 signed
        // with a public key.
        let algorithms: &[Algorithm] = match &keys {
            Keys::Single(_, algorithm) => std::slice::from_ref(algorithm),
            Keys::Set { .. } => &[Algorithm::RS256, Algorithm::ES256],
        };
        let validations = algorithms
            .iter()
            .map(|algorithm| {
                let mut validation = Validation::new(*algorithm);
                validation.leeway = LEEWAY_SECONDS;
                validation.validate_nbf = true;
                validation.set_issuer(&[&settings.issuer]);
                validation.set_audience(&[&settings.audience]);
                validation.set_required_spec_claims(&["exp", "iss", "aud"]);
                (*algorithm, validation)
            })
            .collect();
        Ok(Authenticator {
            inner: Arc::new(Inner {
                keys,
                validations,
                max_lifetime: settings.max_lifetime(mode),
            }),
        })
    }

    /// Verifies with the keys known now; a token naming an unknown key is refused as such.
    pub fn verify(&self, token: &str) -> Result<TokenClaims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        let (key, algorithm) = match &self.inner.keys {
            Keys::Single(key, algorithm) => (key.clone(), *algorithm),
            Keys::Set { set, .. } => {
                let kid = header.kid.as_deref().ok_or(TokenError::MissingKeyId)?;
                set.get(kid).ok_or(TokenError::UnknownKey)?
            }
        };
        if header.alg != algorithm {
            return Err(TokenError::WrongAlgorithm);
        }
        let validation = self
            .inner
            .validations
            .get(&algorithm)
            .ok_or(TokenError::WrongAlgorithm)?;
        let claims = jsonwebtoken::decode::<TokenClaims>(token, &key, validation)?.claims;
        self.check_lifetime(&claims)?;
        Ok(claims)
    }

    /// Whether a token refused as [`TokenError::UnknownKey`] is worth [`Self::verify_refreshed`]:
    /// only a key set can learn new keys.
    pub fn learns_keys(&self) -> bool {
        matches!(self.inner.keys, Keys::Set { .. })
    }

    /// Verifies after fetching the key set again, for a token whose `kid` was not known:
    /// the identity provider may have rotated its key. Blocking; fetches at most once per
    /// pause however many tokens name unknown keys.
    pub fn verify_refreshed(&self, token: &str) -> Result<TokenClaims, TokenError> {
        if let Keys::Set { set, .. } = &self.inner.keys
            && let Some(kid) = jsonwebtoken::decode_header(token).ok().and_then(|h| h.kid)
        {
            set.refresh_for(&kid);
        }
        self.verify(token)
    }

    fn check_lifetime(&self, claims: &TokenClaims) -> Result<(), TokenError> {
        let Some(max) = self.inner.max_lifetime else {
            return Ok(());
        };
        let (Some(iat), Some(exp)) = (claims.iat, claims.exp) else {
            return Err(TokenError::MissingClaim);
        };
        let now = jsonwebtoken::get_current_timestamp() as f64;
        // Otherwise `iat` far ahead would stretch the lifetime beyond the maximum.
        if iat > now + LEEWAY_SECONDS as f64 {
            return Err(TokenError::IssuedInFuture);
        }
        if exp - iat > max.num_seconds() as f64 {
            return Err(TokenError::TooLong);
        }
        Ok(())
    }
}

/// Keys by `kid`, from a JWKS file or URL.
struct KeySet {
    source: JwksSource,
    agent: ureq::Agent,
    keys: RwLock<Arc<HashMap<String, (DecodingKey, Algorithm)>>>,
    /// When the set was last fetched (or tried) for a token naming a key it did not know; held
    /// while fetching, so concurrent requests wait for one fetch instead of starting their own.
    /// The periodic refresh does not count: a key published just after it is fetched for the
    /// first token that names it.
    fetched_for_unknown: Mutex<Option<Instant>>,
    unknown_kid_pause: StdDuration,
}

impl KeySet {
    fn new(settings: &JwksSettings) -> KeySet {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(JWKS_TIMEOUT))
            .max_redirects(0)
            .build()
            .into();
        KeySet {
            source: settings.source.clone(),
            agent,
            keys: RwLock::default(),
            fetched_for_unknown: Mutex::new(None),
            unknown_kid_pause: settings.unknown_kid_pause,
        }
    }

    fn get(&self, kid: &str) -> Option<(DecodingKey, Algorithm)> {
        self.keys
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(kid)
            .cloned()
    }

    /// Fetches the set and replaces the keys; on failure the keys known stay in use.
    fn refresh(&self) -> Result<(), JwksError> {
        let _fetching = self
            .fetched_for_unknown
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        self.fetch()
    }

    /// Fetches for a token naming `kid`, unless `kid` became known meanwhile or the set was
    /// fetched for an unknown key less than a pause ago (made-up key ids fetch no more often).
    fn refresh_for(&self, kid: &str) {
        let mut fetched = self
            .fetched_for_unknown
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let recent = fetched.is_some_and(|at| at.elapsed() < self.unknown_kid_pause);
        if self.get(kid).is_some() || recent {
            return;
        }
        *fetched = Some(Instant::now());
        if let Err(error) = self.fetch() {
            tracing::warn!(%error, "JWKS refresh for an unknown key id failed");
        }
    }

    /// Called with `fetched_for_unknown` held: one fetch at a time.
    fn fetch(&self) -> Result<(), JwksError> {
        let document = self.read_document()?;
        let keys = usable_keys(&document)?;
        let mut kids: Vec<&str> = keys.keys().map(String::as_str).collect();
        kids.sort_unstable();
        tracing::info!(kids = %kids.join(","), "JWKS loaded");
        *self.keys.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(keys);
        Ok(())
    }

    fn read_document(&self) -> Result<String, JwksError> {
        match &self.source {
            JwksSource::File(path) => {
                std::fs::read_to_string(path).map_err(|source| JwksError::Read {
                    path: path.display().to_string(),
                    source,
                })
            }
            JwksSource::Url(url) => {
                let failed = |reason: String| JwksError::Fetch {
                    url: url.clone(),
                    reason,
                };
                self.agent
                    .get(url)
                    .header("Accept", "application/jwk-set+json, application/json")
                    .call()
                    .map_err(|e| failed(e.to_string()))?
                    .body_mut()
                    .with_config()
                    .limit(JWKS_MAX_BYTES)
                    .read_to_string()
                    .map_err(|e| failed(e.to_string()))
            }
        }
    }
}

/// The RS256 and ES256 (P-256) signing keys of a JWKS that have a `kid`. Other keys
/// (encryption keys, other algorithms, types this library does not know) are skipped, so a
/// provider can publish them side by side.
fn usable_keys(document: &str) -> Result<HashMap<String, (DecodingKey, Algorithm)>, JwksError> {
    #[derive(Deserialize)]
    struct Document {
        keys: Vec<serde_json::Value>,
    }
    let document: Document =
        serde_json::from_str(document).map_err(|e| JwksError::Parse(e.to_string()))?;
    let keys: HashMap<_, _> = document
        .keys
        .into_iter()
        .filter_map(|value| serde_json::from_value::<Jwk>(value).ok())
        .filter_map(|jwk| {
            let kid = jwk.common.key_id.clone()?;
            if matches!(jwk.common.public_key_use, Some(ref u) if *u != PublicKeyUse::Signature) {
                return None;
            }
            let algorithm = match (&jwk.algorithm, jwk.common.key_algorithm) {
                (AlgorithmParameters::RSA(_), None | Some(KeyAlgorithm::RS256)) => Algorithm::RS256,
                (AlgorithmParameters::EllipticCurve(ec), None | Some(KeyAlgorithm::ES256))
                    if ec.curve == EllipticCurve::P256 =>
                {
                    Algorithm::ES256
                }
                _ => return None,
            };
            let key = DecodingKey::from_jwk(&jwk).ok()?;
            Some((kid, (key, algorithm)))
        })
        .collect();
    if keys.is_empty() {
        return Err(JwksError::NoUsableKey);
    }
    Ok(keys)
}

/// Refreshes `set` every `every` on a thread of its own, until the returned sender is dropped.
fn refresh_periodically(set: Arc<KeySet>, every: StdDuration) -> mpsc::Sender<()> {
    let (stop, stopped) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
            if let Err(error) = set.refresh() {
                // The keys known stay in use; tried again at the next tick.
                tracing::warn!(%error, "JWKS refresh failed");
            }
        }
    });
    stop
}

#[derive(Serialize)]
struct MintedClaims<'a> {
    iss: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
    rol: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    bsn: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organisatie: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub: Option<&'a str>,
}

/// What to put in a development token.
pub struct TokenRequest<'a> {
    pub rol: &'a str,
    pub bsn: Option<&'a str>,
    pub organisatie: Option<&'a str>,
    /// Who an administrator is.
    pub sub: Option<&'a str>,
    pub valid_for: Duration,
}

/// Signs a development token with the shared secret, so it is accepted by a server started with
/// the same configuration.
pub fn mint(
    settings: &JwtSettings,
    request: &TokenRequest<'_>,
    now: DateTime<Utc>,
) -> Result<String, AuthSetupError> {
    let JwtKey::Shared(secret) = &settings.key else {
        return Err(AuthSetupError::CannotMint);
    };
    let claims = MintedClaims {
        iss: &settings.issuer,
        aud: &settings.audience,
        iat: now.timestamp(),
        exp: (now + request.valid_for).timestamp(),
        rol: request.rol,
        bsn: request.bsn,
        organisatie: request.organisatie,
        sub: request.sub,
    };
    Ok(jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&secret.bytes),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rs256_and_p256_signing_keys_with_a_kid_are_taken_from_a_jwks() {
        let ec = r#"{"kty":"EC","crv":"P-256","kid":"ec","use":"sig",
            "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
        let document = format!(
            r#"{{"keys":[{ec},
            {{"kty":"EC","crv":"P-256","use":"enc","kid":"encryption","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}},
            {{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}},
            {{"kty":"RSA","kid":"pss","alg":"PS256","n":"0vx7","e":"AQAB"}},
            {{"kty":"oct","kid":"hmac","k":"c2VjcmV0"}},
            {{"kty":"unknown","kid":"future"}}]}}"#
        );
        let keys = usable_keys(&document).unwrap();
        assert_eq!(keys.keys().collect::<Vec<_>>(), ["ec"]);
        assert_eq!(keys["ec"].1, Algorithm::ES256);
        assert!(matches!(
            usable_keys(r#"{"keys":[{"kty":"oct","kid":"hmac","k":"c2VjcmV0"}]}"#),
            Err(JwksError::NoUsableKey)
        ));
        assert!(matches!(usable_keys("[]"), Err(JwksError::Parse(_))));
    }

    #[test]
    fn a_refusal_names_its_kind_and_never_the_claim_that_caused_it() {
        let secret = crate::config::Secret {
            bytes: b"a-development-secret-of-32-bytes-or-more".to_vec(),
            generated_in: None,
        };
        let settings = JwtSettings {
            key: JwtKey::Shared(secret.clone()),
            issuer: "iss".into(),
            audience: "aud".into(),
            max_token_minutes: None,
        };
        let authenticator = Authenticator::new(&settings, Mode::Development).unwrap();
        let now = jsonwebtoken::get_current_timestamp();
        let claims = serde_json::json!({"iss": "iss", "aud": "aud", "exp": now + 60, "rol": "burger", "bsn": 999990007});
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(&secret.bytes),
        )
        .unwrap();
        let error = authenticator.verify(&token).unwrap_err();
        assert_eq!(error, TokenError::UnreadableClaims);
        assert!(!format!("{error} {error:?} {}", error.kind()).contains("999990007"));
    }
}
