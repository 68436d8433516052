//! Configuration from the environment (names are part of the contract, see README), read with
//! clap's `env` support.

use std::fs::OpenOptions;
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::domain::arrangement::ArrangementSettings;
use crate::domain::creditor::check_code;
use crate::domain::money::Money;
use crate::domain::planner::{Policy, SplitStrategy};
use crate::service::webhooks::{DEFAULT_SOURCE, WebhookSettings};
pub use crate::telemetry::LogFormat;

pub const DEFAULT_DATABASE_URL: &str = "rijksincasso.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_ISSUER: &str = "rijksincasso-ontwikkeling";
pub const DEFAULT_AUDIENCE: &str = "rijksincasso";
/// Where development secrets are kept when none are configured, in the working directory.
pub const DEV_SECRETS_FILE: &str = ".rijksincasso-dev-secrets";

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: String,
    pub jwt: JwtSettings,
    pub pseudonym_secret: Secret,
    pub db_pool_size: u32,
    pub arrangements: ArrangementSettings,
    /// How often to look whether the daily samenloop check (and the watch on counsellors'
    /// mandates) is due.
    pub samenloop_check_every: Duration,
    /// Whether this instance runs its background work: the webhook relay, the daily samenloop
    /// check and the mandate watch (`jobs::start`). Off for a restore drill.
    pub background_work: bool,
    /// How long a client may take to send a request body.
    pub body_read_limit: Duration,
    /// `json` or `text`; unset: JSON unless standard error is a terminal.
    pub log_format: Option<LogFormat>,
    /// Where `/metrics` is served; unset: nowhere.
    pub metrics_bind: Option<String>,
    /// Requests a minute per client on the public endpoints (calculator, registers).
    pub public_per_minute: u32,
    /// Proxies whose `X-Forwarded-For` names the client for rate limits.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The web pages: login provider, sessions.
    pub web: crate::web::settings::WebConfig,
    /// The webhook relay.
    pub webhooks: WebhookSettings,
}

#[derive(Clone)]
pub struct JwtSettings {
    pub key: JwtKey,
    pub issuer: String,
    pub audience: String,
    /// `RIJKSINCASSO_MAX_TOKEN_MINUTEN`; see [`JwtSettings::max_lifetime`].
    pub max_token_minutes: Option<u32>,
}

#[derive(Clone)]
pub enum JwtKey {
    /// HS256 with a shared secret: development and tests.
    Shared(Secret),
    /// RS256 or ES256, verified with the public key in this PEM file: production.
    PublicKeyFile(PathBuf),
    /// RS256 or ES256 keys from a JWKS, chosen by the token's `kid`: production.
    Jwks(JwksSettings),
}

impl JwtKey {
    /// Only public keys: tokens are signed elsewhere, by the identity provider.
    pub fn is_asymmetric(&self) -> bool {
        !matches!(self, JwtKey::Shared(_))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwksSource {
    File(PathBuf),
    /// `https://`, or `http://` to a loopback address (a sidecar on the same host).
    Url(String),
}

#[derive(Debug, Clone)]
pub struct JwksSettings {
    pub source: JwksSource,
    /// How often the key set is fetched again: a removed key stops working within this time.
    pub refresh_every: Duration,
    /// A token with an unknown `kid` fetches the set at once, but not again within this time, so
    /// made-up key ids cannot make the service hammer the identity provider.
    pub unknown_kid_pause: Duration,
}

/// Defaults of [`JwksSettings`].
pub const JWKS_REFRESH_EVERY: Duration = Duration::from_secs(5 * 60);
pub const JWKS_UNKNOWN_KID_PAUSE: Duration = Duration::from_secs(30);

/// The longest token lifetime accepted in production when `RIJKSINCASSO_MAX_TOKEN_MINUTEN` is not
/// set: an hour, the usual lifetime of an access token of an OpenID provider.
pub const DEFAULT_MAX_TOKEN_MINUTES: u32 = 60;

impl JwtSettings {
    /// The longest `exp - iat` a token may have. In production always (tokens without `iat`
    /// are refused); in development only when configured, so that `rijksincasso token
    /// --geldig-minuten` keeps working.
    pub fn max_lifetime(&self, mode: Mode) -> Option<chrono::Duration> {
        let minutes = match mode {
            Mode::Production => Some(self.max_token_minutes.unwrap_or(DEFAULT_MAX_TOKEN_MINUTES)),
            Mode::Development => self.max_token_minutes,
        };
        minutes.map(|m| chrono::Duration::minutes(i64::from(m)))
    }
}

/// Production as soon as a public key, a JWKS or an OpenID provider is configured;
/// otherwise development, which allows the conveniences of [`Convenience`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Development,
    Production,
}

/// What only development mode allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convenience {
    /// The BSN pseudonym secret generated into the development secrets file.
    GeneratedSecret,
    /// API tokens signed with a shared HS256 secret instead of the identity provider's keys.
    SharedTokenSecret,
    /// The `rijksincasso token` command.
    TokenCommand,
    /// The login page where anyone types a BSN.
    DevelopmentLogin,
    /// Webhooks to loopback or private addresses.
    LoopbackWebhook,
    /// The SQLite file in the working directory that an unset `DATABASE_URL` stands for: in
    /// production an instance would keep people's data there, on its own.
    DefaultDatabase,
}

impl Convenience {
    fn describe(self) -> &'static str {
        match self {
            Convenience::GeneratedSecret => {
                "a generated development secret (set RIJKSINCASSO_PSEUDONYM_SECRET)"
            }
            Convenience::SharedTokenSecret => {
                "a shared token secret (set RIJKSINCASSO_JWKS or RIJKSINCASSO_JWT_PUBLIC_KEY)"
            }
            Convenience::TokenCommand => {
                "minting tokens with `rijksincasso token` (tokens come from the identity provider)"
            }
            Convenience::DevelopmentLogin => "the development login page",
            Convenience::LoopbackWebhook => "a webhook to a loopback or private address",
            Convenience::DefaultDatabase => {
                "the default SQLite file in the working directory (set DATABASE_URL)"
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("production mode refuses {}", .0.describe())]
pub struct DevelopmentOnly(pub Convenience);

impl Mode {
    /// `api_key_configured`: a JWKS or public key for API tokens; `oidc_issuer_configured`: an
    /// OpenID provider for the web pages.
    pub fn of(api_key_configured: bool, oidc_issuer_configured: bool) -> Mode {
        if api_key_configured || oidc_issuer_configured {
            Mode::Production
        } else {
            Mode::Development
        }
    }

    /// Whether this mode allows `convenience`; the one predicate every such feature asks.
    pub fn permit(self, convenience: Convenience) -> Result<(), DevelopmentOnly> {
        match self {
            Mode::Development => Ok(()),
            Mode::Production => Err(DevelopmentOnly(convenience)),
        }
    }
}

/// A secret and where it came from, so start-up can warn when it is a generated one.
#[derive(Clone)]
pub struct Secret {
    pub bytes: Vec<u8>,
    pub generated_in: Option<PathBuf>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the random source: {0}")]
    Random(String),
    #[error("cannot read or create development secrets in {path}: {source}")]
    DevSecrets {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Production(#[from] DevelopmentOnly),
    #[error(transparent)]
    Web(#[from] crate::web::settings::WebConfigError),
    /// Named without its value: a real key that is too short would otherwise reach the logs.
    #[error("{0} must be at least 32 characters (its value is not shown)")]
    ShortSecret(&'static str),
}

/// What the service reads from its environment (the names are part of the contract). Clap reads
/// each from its variable, or from a hidden option of the same name for tests and one-offs, and
/// checks it; [`Config::resolve`] then fills in what is missing.
#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// Unset: [`DEFAULT_DATABASE_URL`], in development mode only.
    #[arg(
        long,
        hide = true,
        global = true,
        env = "DATABASE_URL",
        value_name = "DATABASE_URL"
    )]
    database_url: Option<String>,
    #[arg(long = "bind-address", hide = true, global = true, env = "RIJKSINCASSO_BIND", value_name = "RIJKSINCASSO_BIND", default_value = DEFAULT_BIND)]
    bind: String,
    #[arg(
        long,
        hide = true,
        global = true,
        env = "RIJKSINCASSO_JWT_PUBLIC_KEY",
        value_name = "RIJKSINCASSO_JWT_PUBLIC_KEY"
    )]
    jwt_public_key: Option<PathBuf>,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_JWKS", value_name = "RIJKSINCASSO_JWKS",
        conflicts_with = "jwt_public_key", value_parser = jwks_source)]
    jwks: Option<JwksSource>,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_MAX_TOKEN_MINUTEN", value_name = "RIJKSINCASSO_MAX_TOKEN_MINUTEN",
        value_parser = clap::value_parser!(u32).range(1..=1440))]
    max_token_minuten: Option<u32>,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_LOG_FORMAT", value_name = "RIJKSINCASSO_LOG_FORMAT", value_parser = log_format)]
    log_format: Option<LogFormat>,
    #[arg(
        long,
        hide = true,
        global = true,
        env = "RIJKSINCASSO_METRICS_BIND",
        value_name = "RIJKSINCASSO_METRICS_BIND"
    )]
    metrics_bind: Option<String>,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_PUBLIEK_PER_MINUUT", value_name = "RIJKSINCASSO_PUBLIEK_PER_MINUUT", default_value_t = 120,
        value_parser = clap::value_parser!(u32).range(1..=100_000))]
    publiek_per_minuut: u32,
    #[arg(
        long,
        hide = true,
        global = true,
        env = "RIJKSINCASSO_VERTROUWDE_PROXIES",
        value_name = "RIJKSINCASSO_VERTROUWDE_PROXIES",
        value_delimiter = ',',
        value_parser = crate::rate_limit::parse_proxy
    )]
    vertrouwde_proxies: Vec<ipnet::IpNet>,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_JWT_SECRET", value_name = "RIJKSINCASSO_JWT_SECRET", hide_env_values = true, value_parser = secret)]
    jwt_secret: Option<Secret>,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_JWT_ISSUER", value_name = "RIJKSINCASSO_JWT_ISSUER", default_value = DEFAULT_ISSUER)]
    jwt_issuer: String,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_JWT_AUDIENCE", value_name = "RIJKSINCASSO_JWT_AUDIENCE", default_value = DEFAULT_AUDIENCE)]
    jwt_audience: String,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_PSEUDONYM_SECRET", value_name = "RIJKSINCASSO_PSEUDONYM_SECRET", hide_env_values = true, value_parser = secret)]
    pseudonym_secret: Option<Secret>,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_DB_POOL", value_name = "RIJKSINCASSO_DB_POOL", default_value_t = 10,
        value_parser = clap::value_parser!(u32).range(1..=200))]
    db_pool: u32,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_SAMENLOOP_CONTROLE_SECONDEN", value_name = "RIJKSINCASSO_SAMENLOOP_CONTROLE_SECONDEN", default_value_t = 600,
        value_parser = clap::value_parser!(u64).range(1..=86_400))]
    samenloop_controle_seconden: u64,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_ACHTERGRONDWERK", value_name = "RIJKSINCASSO_ACHTERGRONDWERK", default_value = "aan",
        value_parser = ["aan", "uit"])]
    achtergrondwerk: String,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_MAXIMALE_LOOPTIJD_MAANDEN", value_name = "RIJKSINCASSO_MAXIMALE_LOOPTIJD_MAANDEN", default_value_t = 36,
        value_parser = clap::value_parser!(u32).range(1..=120))]
    maximale_looptijd_maanden: u32,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_MINIMALE_TERMIJN", value_name = "RIJKSINCASSO_MINIMALE_TERMIJN", default_value = "10.00", value_parser = amount)]
    minimale_termijn: Money,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_VERDELING", value_name = "RIJKSINCASSO_VERDELING", default_value = "PONDSGEWIJS", value_parser = split)]
    verdeling: SplitStrategy,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_COORDINEREND_INVORDERAAR", value_name = "RIJKSINCASSO_COORDINEREND_INVORDERAAR", default_value = "CJIB", value_parser = creditor_code)]
    coordinerend_invorderaar: String,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_VOORSTEL_GELDIG_DAGEN", value_name = "RIJKSINCASSO_VOORSTEL_GELDIG_DAGEN", default_value_t = 14,
        value_parser = clap::value_parser!(u32).range(1..=90))]
    voorstel_geldig_dagen: u32,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_VOORSTEL_BEWAREN_DAGEN", value_name = "RIJKSINCASSO_VOORSTEL_BEWAREN_DAGEN", default_value_t = 30,
        value_parser = clap::value_parser!(u32).range(0..=3650))]
    voorstel_bewaren_dagen: u32,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_VERZOEK_LEESTIJD_SECONDEN", value_name = "RIJKSINCASSO_VERZOEK_LEESTIJD_SECONDEN", default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..=300))]
    verzoek_leestijd_seconden: u64,
    #[command(flatten)]
    web: crate::web::settings::WebSettings,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_WEBHOOK_INTERVAL_MS", value_name = "RIJKSINCASSO_WEBHOOK_INTERVAL_MS", default_value_t = 1000,
        value_parser = clap::value_parser!(u64).range(10..=60_000))]
    webhook_interval_ms: u64,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_WEBHOOK_WACHTTIJD_MS", value_name = "RIJKSINCASSO_WEBHOOK_WACHTTIJD_MS", default_value_t = 1000,
        value_parser = clap::value_parser!(u64).range(10..=3_600_000))]
    webhook_wachttijd_ms: u64,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_CLOUDEVENTS_BRON", value_name = "RIJKSINCASSO_CLOUDEVENTS_BRON", default_value = DEFAULT_SOURCE, value_parser = urn)]
    cloudevents_bron: String,
}

/// Reads a secret as given. Its length is checked in [`Config::resolve`], not here: clap would
/// repeat a refused value in its error.
fn secret(value: &str) -> Result<Secret, String> {
    Ok(Secret {
        bytes: value.as_bytes().to_vec(),
        generated_in: None,
    })
}

/// HS256 and HMAC keys of at least 32 bytes resist guessing.
fn long_enough(variable: &'static str, secret: Secret) -> Result<Secret, ConfigError> {
    if secret.bytes.len() < 32 {
        return Err(ConfigError::ShortSecret(variable));
    }
    Ok(secret)
}

fn jwks_source(value: &str) -> Result<JwksSource, String> {
    if value.starts_with("https://") {
        return Ok(JwksSource::Url(value.to_owned()));
    }
    if let Some(rest) = value.strip_prefix("http://") {
        let authority = rest.split('/').next().unwrap_or_default();
        let host = authority
            .rsplit_once(':')
            .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
            .map_or(authority, |(host, _)| host);
        return match host {
            "127.0.0.1" | "[::1]" | "localhost" => Ok(JwksSource::Url(value.to_owned())),
            _ => Err("must be an https:// address (http:// only on the loopback address)".into()),
        };
    }
    if value.is_empty() || value.contains("://") {
        return Err("must be an https:// address or a file path".into());
    }
    Ok(JwksSource::File(PathBuf::from(value)))
}

fn log_format(value: &str) -> Result<LogFormat, String> {
    match value {
        "json" => Ok(LogFormat::Json),
        "text" => Ok(LogFormat::Text),
        _ => Err("must be json or text".into()),
    }
}

fn amount(value: &str) -> Result<Money, String> {
    Money::parse(value)
        .ok()
        .filter(|m| !m.is_negative())
        .ok_or_else(|| "must be an amount such as 10.00".into())
}

fn split(value: &str) -> Result<SplitStrategy, String> {
    SplitStrategy::from_code(value).ok_or_else(|| "must be PONDSGEWIJS or PREFERENT".into())
}

fn urn(value: &str) -> Result<String, String> {
    let valid = value.starts_with("urn:")
        && value.len() <= 200
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ":-._~%".contains(c));
    if valid {
        Ok(value.to_owned())
    } else {
        Err("must be a URN such as urn:nld:oin:00000001234567890000:systeem:rijksincasso".into())
    }
}

fn creditor_code(value: &str) -> Result<String, String> {
    match check_code("", value) {
        None => Ok(value.to_owned()),
        Some(_) => Err("must be a creditor code such as CJIB".into()),
    }
}

impl Config {
    /// The configuration the settings describe. Secrets that are not configured are taken from
    /// (or generated into) a development secrets file, so `serve` and `token` agree without any
    /// set-up.
    pub fn resolve(settings: Settings) -> Result<Config, ConfigError> {
        let dev_secrets = || DevSecrets::load_or_create(Path::new(DEV_SECRETS_FILE));
        // Production keys or an OpenID provider make production mode: no secret is generated
        // then, not even into a file.
        let web = settings.web.resolve()?;
        let keys_configured = settings.jwks.is_some() || settings.jwt_public_key.is_some();
        let mode = Mode::of(keys_configured, web.oidc.is_some());
        if settings.pseudonym_secret.is_none() {
            mode.permit(Convenience::GeneratedSecret)?;
        }
        let key = match (settings.jwks, settings.jwt_public_key, settings.jwt_secret) {
            (Some(source), _, _) => JwtKey::Jwks(JwksSettings {
                source,
                refresh_every: JWKS_REFRESH_EVERY,
                unknown_kid_pause: JWKS_UNKNOWN_KID_PAUSE,
            }),
            (None, Some(path), _) => JwtKey::PublicKeyFile(path),
            (None, None, Some(secret)) => {
                JwtKey::Shared(long_enough("RIJKSINCASSO_JWT_SECRET", secret)?)
            }
            (None, None, None) => {
                // Named as what is missing: keys for API tokens, not the generated secret.
                mode.permit(Convenience::SharedTokenSecret)?;
                JwtKey::Shared(dev_secrets()?.jwt)
            }
        };
        let database_url = match settings.database_url {
            Some(url) => url,
            None => {
                mode.permit(Convenience::DefaultDatabase)?;
                DEFAULT_DATABASE_URL.to_owned()
            }
        };
        let pseudonym_secret = match settings.pseudonym_secret {
            Some(secret) => long_enough("RIJKSINCASSO_PSEUDONYM_SECRET", secret)?,
            None => dev_secrets()?.pseudonym,
        };
        Ok(Config {
            database_url,
            bind: settings.bind,
            jwt: JwtSettings {
                key,
                issuer: settings.jwt_issuer,
                audience: settings.jwt_audience,
                max_token_minutes: settings.max_token_minuten,
            },
            pseudonym_secret,
            db_pool_size: settings.db_pool,
            arrangements: ArrangementSettings {
                policy: Policy {
                    max_term_months: settings.maximale_looptijd_maanden,
                    min_instalment: settings.minimale_termijn,
                    split: settings.verdeling,
                },
                coordinator: settings.coordinerend_invorderaar,
                proposal_validity_days: settings.voorstel_geldig_dagen,
                unaccepted_proposal_kept_days: settings.voorstel_bewaren_dagen,
            },
            samenloop_check_every: Duration::from_secs(settings.samenloop_controle_seconden),
            background_work: settings.achtergrondwerk == "aan",
            body_read_limit: Duration::from_secs(settings.verzoek_leestijd_seconden),
            log_format: settings.log_format,
            metrics_bind: settings.metrics_bind,
            public_per_minute: settings.publiek_per_minuut,
            trusted_proxies: settings.vertrouwde_proxies,
            web,
            webhooks: WebhookSettings {
                production: mode.permit(Convenience::LoopbackWebhook).is_err(),
                poll: Duration::from_millis(settings.webhook_interval_ms),
                backoff_base: Duration::from_millis(settings.webhook_wachttijd_ms),
                source: settings.cloudevents_bron,
            },
        })
    }

    /// Production or development mode: production as soon as API tokens are verified with a
    /// public key or JWKS, or the pages log in at an OpenID provider.
    pub fn mode(&self) -> Mode {
        Mode::of(self.jwt.key.is_asymmetric(), self.web.oidc.is_some())
    }

    /// Refuses, in production mode, the development set-up: generated secrets, and API tokens
    /// checked with a shared secret.
    pub fn check_mode(&self, mode: Mode) -> Result<(), DevelopmentOnly> {
        if self.pseudonym_secret.generated_in.is_some() {
            mode.permit(Convenience::GeneratedSecret)?;
        }
        if let JwtKey::Shared(_) = &self.jwt.key {
            mode.permit(Convenience::SharedTokenSecret)?;
        }
        Ok(())
    }
}

struct DevSecrets {
    jwt: Secret,
    pseudonym: Secret,
}

impl DevSecrets {
    /// Reads the file, or creates it with fresh random secrets. `create_new` makes two processes
    /// starting at once agree on one file instead of overwriting each other.
    fn load_or_create(path: &Path) -> Result<DevSecrets, ConfigError> {
        let wrap = |source| ConfigError::DevSecrets {
            path: path.to_owned(),
            source,
        };
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut file) => {
                let contents = format!("jwt={}\npseudonym={}\n", random_hex()?, random_hex()?);
                file.write_all(contents.as_bytes()).map_err(wrap)?;
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => return Err(wrap(e)),
        }
        let mut contents = String::new();
        std::fs::File::open(path)
            .and_then(|mut f| f.read_to_string(&mut contents))
            .map_err(wrap)?;
        let field = |name: &str| {
            contents
                .lines()
                .find_map(|line| line.strip_prefix(name)?.strip_prefix('='))
                .filter(|v| v.len() >= 32)
                .map(|v| Secret {
                    bytes: v.as_bytes().to_vec(),
                    generated_in: Some(path.to_owned()),
                })
                .ok_or_else(|| {
                    wrap(std::io::Error::new(
                        ErrorKind::InvalidData,
                        format!("no valid {name} line"),
                    ))
                })
        };
        Ok(DevSecrets {
            jwt: field("jwt")?,
            pseudonym: field("pseudonym")?,
        })
    }
}

fn random_hex() -> Result<String, ConfigError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ConfigError::Random(e.to_string()))?;
    Ok(hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn development_secrets_are_generated_once_and_then_reused() {
        let dir = std::env::temp_dir().join(format!("ri-cfg-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(DEV_SECRETS_FILE);
        let first = DevSecrets::load_or_create(&path).unwrap();
        let second = DevSecrets::load_or_create(&path).unwrap();
        assert_eq!(first.jwt.bytes, second.jwt.bytes);
        assert_ne!(first.jwt.bytes, first.pseudonym.bytes);
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// Parses settings as the command line would, from options named like the variables.
    fn parse(args: &[&str]) -> Result<Settings, clap::Error> {
        #[derive(clap::Parser)]
        struct Probe {
            #[command(flatten)]
            settings: Settings,
        }
        let args = std::iter::once("rijksincasso").chain(args.iter().copied());
        <Probe as clap::Parser>::try_parse_from(args).map(|p| p.settings)
    }

    #[test]
    fn configured_values_win_and_short_secrets_are_refused() {
        let settings = parse(&[
            "--database-url=postgres://db/x",
            &format!("--jwt-secret={}", "a".repeat(32)),
            &format!("--pseudonym-secret={}", "b".repeat(40)),
        ])
        .unwrap();
        let config = Config::resolve(settings).unwrap();
        assert_eq!(config.database_url, "postgres://db/x");
        assert_eq!(config.bind, DEFAULT_BIND);
        assert_eq!(config.pseudonym_secret.bytes.len(), 40);
        assert!(config.pseudonym_secret.generated_in.is_none());
        assert_eq!(config.arrangements, ArrangementSettings::default());
        assert_eq!(config.webhooks, WebhookSettings::default());
        for (option, variable) in [
            ("--pseudonym-secret", "RIJKSINCASSO_PSEUDONYM_SECRET"),
            ("--jwt-secret", "RIJKSINCASSO_JWT_SECRET"),
        ] {
            let short = parse(&[&format!("{option}=kort-GEHEIM-123")]).unwrap();
            let Err(refused) = Config::resolve(short) else {
                panic!("{variable} of 15 characters was taken");
            };
            let refused = refused.to_string();
            assert!(refused.contains(variable), "{refused}");
            assert!(!refused.contains("GEHEIM"), "never the value: {refused}");
        }
    }

    #[test]
    fn production_mode_is_on_with_any_production_identity_and_refuses_conveniences() {
        assert_eq!(Mode::of(false, false), Mode::Development);
        assert_eq!(Mode::of(true, false), Mode::Production);
        assert_eq!(Mode::of(false, true), Mode::Production);
        for convenience in [
            Convenience::GeneratedSecret,
            Convenience::SharedTokenSecret,
            Convenience::TokenCommand,
            Convenience::DevelopmentLogin,
            Convenience::LoopbackWebhook,
            Convenience::DefaultDatabase,
        ] {
            assert_eq!(Mode::Development.permit(convenience), Ok(()));
            assert_eq!(
                Mode::Production.permit(convenience),
                Err(DevelopmentOnly(convenience))
            );
        }
        let settings = parse(&[
            &format!("--jwt-secret={}", "a".repeat(32)),
            &format!("--pseudonym-secret={}", "b".repeat(32)),
        ])
        .unwrap();
        let config = Config::resolve(settings).unwrap();
        assert_eq!(config.mode(), Mode::Development);
        assert_eq!(config.check_mode(Mode::Development), Ok(()));
        assert_eq!(
            config.check_mode(Mode::Production),
            Err(DevelopmentOnly(Convenience::SharedTokenSecret)),
            "an OpenID provider with API tokens on a shared secret"
        );
        let jwks = |database: &[&str]| {
            let secret = format!("--pseudonym-secret={}", "b".repeat(32));
            let mut args = vec!["--jwks=https://idp.example/jwks.json", secret.as_str()];
            args.extend(database);
            Config::resolve(parse(&args).unwrap())
        };
        assert!(matches!(
            jwks(&[]),
            Err(ConfigError::Production(DevelopmentOnly(
                Convenience::DefaultDatabase
            )))
        ));
        let config = jwks(&["--database-url=postgres://db/x"]).unwrap();
        assert_eq!(config.mode(), Mode::Production);
        assert_eq!(config.check_mode(Mode::Production), Ok(()));
        assert_eq!(
            config.jwt.max_lifetime(Mode::Production),
            Some(chrono::Duration::minutes(60))
        );
        assert_eq!(config.jwt.max_lifetime(Mode::Development), None);
        assert!(matches!(
            Config::resolve(parse(&["--jwks=/etc/jwks.json"]).unwrap()),
            Err(ConfigError::Production(DevelopmentOnly(
                Convenience::GeneratedSecret
            )))
        ));
    }

    #[test]
    fn an_openid_provider_without_keys_for_api_tokens_is_refused_naming_those_keys() {
        let secret = format!("--pseudonym-secret={}", "b".repeat(32));
        let refused = Config::resolve(
            parse(&[
                "--oidc-issuer=https://login.example.org",
                "--oidc-client-id=rijksincasso",
                "--oidc-client-secret=geheim-geheim-geheim-geheim",
                secret.as_str(),
                "--database-url=postgres://db/x",
            ])
            .unwrap(),
        )
        .map(|_| ())
        .unwrap_err()
        .to_string();
        assert!(
            refused.contains("RIJKSINCASSO_JWKS or RIJKSINCASSO_JWT_PUBLIC_KEY")
                && !refused.contains("RIJKSINCASSO_PSEUDONYM_SECRET"),
            "the pseudonym secret is set; the keys are missing: {refused}"
        );
    }

    #[test]
    fn a_jwks_is_an_https_address_a_loopback_http_address_or_a_file() {
        assert_eq!(
            jwks_source("https://idp.example/jwks"),
            Ok(JwksSource::Url("https://idp.example/jwks".into()))
        );
        assert!(jwks_source("http://127.0.0.1:8081/jwks").is_ok());
        assert!(jwks_source("http://localhost/jwks").is_ok());
        assert!(jwks_source("http://idp.example/jwks").is_err());
        assert!(jwks_source("http://127.0.0.1.evil.example/jwks").is_err());
        assert!(jwks_source("ftp://idp.example/jwks").is_err());
        assert_eq!(
            jwks_source("/etc/rijksincasso/keys/jwks.json"),
            Ok(JwksSource::File("/etc/rijksincasso/keys/jwks.json".into()))
        );
        assert!(parse(&["--jwks=/a.json", "--jwt-public-key=/b.pem"]).is_err());
    }

    #[test]
    fn a_configured_public_key_is_production_mode_for_webhooks_too() {
        let settings = parse(&[
            "--jwt-public-key=/keys/api.pem",
            "--database-url=postgres://db/x",
            &format!("--pseudonym-secret={}", "b".repeat(40)),
            "--webhook-interval-ms=50",
            "--webhook-wachttijd-ms=200",
            "--cloudevents-bron=urn:nld:oin:00000001234567890000:systeem:rijksincasso",
        ])
        .unwrap();
        let webhooks = Config::resolve(settings).unwrap().webhooks;
        assert!(webhooks.production);
        assert_eq!(webhooks.poll, Duration::from_millis(50));
        assert_eq!(webhooks.backoff_base, Duration::from_millis(200));
        assert_eq!(
            webhooks.source,
            "urn:nld:oin:00000001234567890000:systeem:rijksincasso"
        );
    }

    #[test]
    fn settings_outside_their_range_are_refused_by_name() {
        let settings = parse(&["--samenloop-controle-seconden=30"]).unwrap();
        assert_eq!(settings.samenloop_controle_seconden, 30);
        for arg in [
            "--samenloop-controle-seconden=0",
            "--db-pool=201",
            "--voorstel-geldig-dagen=veertien",
            "--verdeling=EERLIJK",
            "--minimale-termijn=-1.00",
            "--coordinerend-invorderaar=cjib",
            "--log-format=xml",
            "--max-token-minuten=0",
            "--webhook-interval-ms=5",
            "--cloudevents-bron=https://example.org",
        ] {
            let error = parse(&[arg]).expect_err(arg).to_string();
            let name = arg.trim_start_matches("--").split('=').next().unwrap();
            assert!(error.contains(name), "{arg}: {error}");
        }
    }
}
