//! Configuration from the environment (names are part of the contract, see README).

use std::fs::OpenOptions;
use std::io::{ErrorKind, Read, Write};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::domain::arrangement::ArrangementSettings;
use crate::domain::creditor::check_code;
use crate::domain::money::Money;
use crate::domain::planner::{Policy, SplitStrategy};

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
    /// How often to look whether the daily samenloop check is due.
    pub samenloop_check_every: Duration,
}

#[derive(Clone)]
pub struct JwtSettings {
    pub key: JwtKey,
    pub issuer: String,
    pub audience: String,
}

#[derive(Clone)]
pub enum JwtKey {
    /// HS256 with a shared secret: development and tests.
    Shared(Secret),
    /// RS256 or ES256, verified with the public key in this PEM file: production.
    PublicKeyFile(PathBuf),
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
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error("cannot read or create development secrets in {path}: {source}")]
    DevSecrets {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Config {
    /// Reads the environment. Secrets that are not configured are taken from (or generated
    /// into) a development secrets file, so `serve` and `token` agree without any set-up.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    pub fn from_lookup(env: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let dev_secrets = || DevSecrets::load_or_create(Path::new(DEV_SECRETS_FILE));
        let key = match (
            env("RIJKSINCASSO_JWT_PUBLIC_KEY"),
            env("RIJKSINCASSO_JWT_SECRET"),
        ) {
            (Some(path), _) => JwtKey::PublicKeyFile(PathBuf::from(path)),
            (None, Some(secret)) => {
                JwtKey::Shared(configured_secret("RIJKSINCASSO_JWT_SECRET", secret)?)
            }
            (None, None) => JwtKey::Shared(dev_secrets()?.jwt),
        };
        let pseudonym_secret = match env("RIJKSINCASSO_PSEUDONYM_SECRET") {
            Some(secret) => configured_secret("RIJKSINCASSO_PSEUDONYM_SECRET", secret)?,
            None => dev_secrets()?.pseudonym,
        };
        let db_pool_size = whole_number(&env, "RIJKSINCASSO_DB_POOL", 10, 1..=200)?;
        let check_seconds = whole_number(
            &env,
            "RIJKSINCASSO_SAMENLOOP_CONTROLE_SECONDEN",
            600,
            1..=86_400,
        )?;
        let arrangements = arrangement_settings(&env)?;
        Ok(Config {
            arrangements,
            database_url: env("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            bind: env("RIJKSINCASSO_BIND").unwrap_or_else(|| DEFAULT_BIND.into()),
            jwt: JwtSettings {
                key,
                issuer: env("RIJKSINCASSO_JWT_ISSUER").unwrap_or_else(|| DEFAULT_ISSUER.into()),
                audience: env("RIJKSINCASSO_JWT_AUDIENCE")
                    .unwrap_or_else(|| DEFAULT_AUDIENCE.into()),
            },
            pseudonym_secret,
            db_pool_size,
            samenloop_check_every: Duration::from_secs(check_seconds.into()),
        })
    }
}

fn arrangement_settings(
    env: &impl Fn(&str) -> Option<String>,
) -> Result<ArrangementSettings, ConfigError> {
    let defaults = ArrangementSettings::default();
    let min_instalment = match env("RIJKSINCASSO_MINIMALE_TERMIJN") {
        None => defaults.policy.min_instalment,
        Some(value) => Money::parse(&value)
            .ok()
            .filter(|m| !m.is_negative())
            .ok_or(ConfigError::Invalid {
                name: "RIJKSINCASSO_MINIMALE_TERMIJN",
                reason: "must be an amount such as 10.00".into(),
            })?,
    };
    let split = match env("RIJKSINCASSO_VERDELING") {
        None => defaults.policy.split,
        Some(value) => SplitStrategy::from_code(&value).ok_or(ConfigError::Invalid {
            name: "RIJKSINCASSO_VERDELING",
            reason: "must be PONDSGEWIJS or PREFERENT".into(),
        })?,
    };
    let coordinator = env("RIJKSINCASSO_COORDINEREND_INVORDERAAR").unwrap_or(defaults.coordinator);
    if check_code("RIJKSINCASSO_COORDINEREND_INVORDERAAR", &coordinator).is_some() {
        return Err(ConfigError::Invalid {
            name: "RIJKSINCASSO_COORDINEREND_INVORDERAAR",
            reason: "must be a creditor code such as CJIB".into(),
        });
    }
    Ok(ArrangementSettings {
        policy: Policy {
            max_term_months: whole_number(
                env,
                "RIJKSINCASSO_MAXIMALE_LOOPTIJD_MAANDEN",
                defaults.policy.max_term_months,
                1..=120,
            )?,
            min_instalment,
            split,
        },
        coordinator,
        proposal_validity_days: whole_number(
            env,
            "RIJKSINCASSO_VOORSTEL_GELDIG_DAGEN",
            defaults.proposal_validity_days,
            1..=90,
        )?,
    })
}

/// A whole number within `range`, `default` when the variable is not set.
fn whole_number(
    env: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: u32,
    range: RangeInclusive<u32>,
) -> Result<u32, ConfigError> {
    match env(name) {
        None => Ok(default),
        Some(value) => value
            .parse::<u32>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or(ConfigError::Invalid {
                name,
                reason: format!(
                    "must be a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
            }),
    }
}

/// A configured secret must be long enough to resist guessing: HS256 and HMAC keys of at least
/// 32 bytes.
fn configured_secret(name: &'static str, value: String) -> Result<Secret, ConfigError> {
    if value.len() < 32 {
        return Err(ConfigError::Invalid {
            name,
            reason: "must be at least 32 characters".into(),
        });
    }
    Ok(Secret {
        bytes: value.into_bytes(),
        generated_in: None,
    })
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
    getrandom::fill(&mut bytes).map_err(|e| ConfigError::Invalid {
        name: "random source",
        reason: e.to_string(),
    })?;
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

    #[test]
    fn configured_values_win_and_short_secrets_are_refused() {
        let env = |name: &str| match name {
            "DATABASE_URL" => Some("postgres://db/x".to_string()),
            "RIJKSINCASSO_JWT_SECRET" => Some("a".repeat(32)),
            "RIJKSINCASSO_PSEUDONYM_SECRET" => Some("b".repeat(40)),
            _ => None,
        };
        let config = Config::from_lookup(env).unwrap();
        assert_eq!(config.database_url, "postgres://db/x");
        assert_eq!(config.bind, DEFAULT_BIND);
        assert_eq!(config.pseudonym_secret.bytes.len(), 40);
        assert!(config.pseudonym_secret.generated_in.is_none());
        assert_eq!(config.arrangements, ArrangementSettings::default());

        let short = |name: &str| {
            (name == "RIJKSINCASSO_PSEUDONYM_SECRET")
                .then(|| "kort".to_string())
                .or_else(|| (name == "RIJKSINCASSO_JWT_SECRET").then(|| "c".repeat(32)))
        };
        assert!(matches!(
            Config::from_lookup(short),
            Err(ConfigError::Invalid { .. })
        ));
    }

    #[test]
    fn whole_numbers_outside_their_range_are_refused_by_name() {
        let with = |name: &'static str, value: &'static str| {
            move |asked: &str| match asked {
                "RIJKSINCASSO_JWT_SECRET" | "RIJKSINCASSO_PSEUDONYM_SECRET" => Some("s".repeat(32)),
                _ if asked == name => Some(value.to_string()),
                _ => None,
            }
        };
        let config = Config::from_lookup(with("RIJKSINCASSO_SAMENLOOP_CONTROLE_SECONDEN", "30"));
        assert_eq!(
            config.unwrap().samenloop_check_every,
            Duration::from_secs(30)
        );
        for (name, value) in [
            ("RIJKSINCASSO_SAMENLOOP_CONTROLE_SECONDEN", "0"),
            ("RIJKSINCASSO_DB_POOL", "201"),
            ("RIJKSINCASSO_VOORSTEL_GELDIG_DAGEN", "veertien"),
        ] {
            match Config::from_lookup(with(name, value)) {
                Err(ConfigError::Invalid { name: refused, .. }) => assert_eq!(refused, name),
                other => panic!(
                    "{name}={value} accepted: {:?}",
                    other.map(|c| c.db_pool_size)
                ),
            }
        }
    }
}
