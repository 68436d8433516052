//! Bearer tokens: verifying them on every request and minting development tokens.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::{JwtKey, JwtSettings};

/// Clock skew tolerated on `exp` and `nbf`, in seconds.
const LEEWAY_SECONDS: u64 = 30;

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
    #[error("tokens can only be minted with a shared development secret, not with a public key")]
    CannotMint,
    #[error("cannot sign the token: {0}")]
    Sign(#[from] jsonwebtoken::errors::Error),
}

#[derive(Clone)]
pub struct Authenticator {
    key: DecodingKey,
    validation: Validation,
}

impl Authenticator {
    pub fn new(settings: &JwtSettings) -> Result<Authenticator, AuthSetupError> {
        let (key, algorithm) = match &settings.key {
            JwtKey::Shared(secret) => (DecodingKey::from_secret(&secret.bytes), Algorithm::HS256),
            JwtKey::PublicKeyFile(path) => {
                let shown = path.display().to_string();
                let pem = std::fs::read(path).map_err(|source| AuthSetupError::ReadKey {
                    path: shown.clone(),
                    source,
                })?;
                if let Ok(key) = DecodingKey::from_rsa_pem(&pem) {
                    (key, Algorithm::RS256)
                } else if let Ok(key) = DecodingKey::from_ec_pem(&pem) {
                    (key, Algorithm::ES256)
                } else {
                    return Err(AuthSetupError::UnsupportedKey(shown));
                }
            }
        };
        // One algorithm only, fixed by the key: a token cannot choose its own (no `none`, no
        // HS256 signed with a public key).
        let mut validation = Validation::new(algorithm);
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_nbf = true;
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        Ok(Authenticator { key, validation })
    }

    pub fn verify(&self, token: &str) -> Result<TokenClaims, jsonwebtoken::errors::Error> {
        jsonwebtoken::decode::<TokenClaims>(token, &self.key, &self.validation)
            .map(|data| data.claims)
    }
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
}

/// What to put in a development token.
pub struct TokenRequest<'a> {
    pub rol: &'a str,
    pub bsn: Option<&'a str>,
    pub organisatie: Option<&'a str>,
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
    };
    Ok(jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&secret.bytes),
    )?)
}
