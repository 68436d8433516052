//! Settings of the web pages, read from the environment like the rest of the configuration (the
//! names are part of the contract, see docs/pages.md): the OpenID Connect provider, the required
//! assurance level, sessions and the login rate limit.

use std::path::PathBuf;
use std::time::Duration;

use super::oidc::acr;

/// DigiD *substantieel* in the DigiD mapping of SAML authentication contexts (Logius): the
/// default level a login must meet.
pub const DEFAULT_ACR: &str = "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard";
pub const DEFAULT_BSN_CLAIM: &str = "bsn";
pub const DEFAULT_ORGANISATION_CLAIM: &str = "organisatie";

#[derive(Debug, Clone, clap::Args)]
pub struct WebSettings {
    /// The OpenID provider (its discovery document is at `/.well-known/openid-configuration`).
    /// Setting it turns on production mode: the development login is refused.
    #[arg(
        long,
        hide = true,
        global = true,
        env = "RIJKSINCASSO_OIDC_ISSUER",
        value_name = "RIJKSINCASSO_OIDC_ISSUER"
    )]
    oidc_issuer: Option<String>,
    #[arg(
        long,
        hide = true,
        global = true,
        env = "RIJKSINCASSO_OIDC_CLIENT_ID",
        value_name = "RIJKSINCASSO_OIDC_CLIENT_ID"
    )]
    oidc_client_id: Option<String>,
    /// PEM file with the private key (RSA or P-256) for `private_key_jwt` client authentication.
    #[arg(
        long,
        hide = true,
        global = true,
        env = "RIJKSINCASSO_OIDC_CLIENT_KEY",
        value_name = "RIJKSINCASSO_OIDC_CLIENT_KEY"
    )]
    oidc_client_key: Option<PathBuf>,
    /// A client secret for `client_secret_basic`, for development providers; ignored when a
    /// client key is set.
    #[arg(
        long,
        hide = true,
        global = true,
        env = "RIJKSINCASSO_OIDC_CLIENT_SECRET",
        value_name = "RIJKSINCASSO_OIDC_CLIENT_SECRET",
        hide_env_values = true
    )]
    oidc_client_secret: Option<String>,
    /// The lowest assurance level (`acr`) accepted.
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_OIDC_ACR", value_name = "RIJKSINCASSO_OIDC_ACR", default_value = DEFAULT_ACR, value_parser = known_acr)]
    oidc_acr: String,
    /// The ID token claim that holds a citizen's BSN.
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_OIDC_BSN_CLAIM", value_name = "RIJKSINCASSO_OIDC_BSN_CLAIM", default_value = DEFAULT_BSN_CLAIM)]
    oidc_bsn_claim: String,
    /// The ID token claim that holds a counsellor organisation's id (eHerkenning).
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_OIDC_ORGANISATIE_CLAIM", value_name = "RIJKSINCASSO_OIDC_ORGANISATIE_CLAIM", default_value = DEFAULT_ORGANISATION_CLAIM)]
    oidc_organisatie_claim: String,
    /// The scopes asked for, separated by spaces; `openid` is always asked.
    #[arg(
        long,
        hide = true,
        global = true,
        env = "RIJKSINCASSO_OIDC_SCOPE",
        value_name = "RIJKSINCASSO_OIDC_SCOPE",
        default_value = "openid"
    )]
    oidc_scope: String,
    /// The address people reach the service at, e.g. `https://mijn.rijksincasso.nl`: the
    /// redirect URI is built from it. Default: `http://` and the bind address.
    #[arg(
        long,
        hide = true,
        global = true,
        env = "RIJKSINCASSO_PUBLIEKE_URL",
        value_name = "RIJKSINCASSO_PUBLIEKE_URL"
    )]
    publieke_url: Option<String>,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_SESSIE_INACTIEF_MINUTEN", value_name = "RIJKSINCASSO_SESSIE_INACTIEF_MINUTEN", default_value_t = 15,
        value_parser = clap::value_parser!(u32).range(1..=240))]
    sessie_inactief_minuten: u32,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_SESSIE_MAXIMAAL_MINUTEN", value_name = "RIJKSINCASSO_SESSIE_MAXIMAAL_MINUTEN", default_value_t = 120,
        value_parser = clap::value_parser!(u32).range(1..=1440))]
    sessie_maximaal_minuten: u32,
    #[arg(long, hide = true, global = true, env = "RIJKSINCASSO_INLOGPOGINGEN_PER_MINUUT", value_name = "RIJKSINCASSO_INLOGPOGINGEN_PER_MINUUT", default_value_t = 10,
        value_parser = clap::value_parser!(u32).range(1..=10_000))]
    inlogpogingen_per_minuut: u32,
    /// The operator's accessibility statement (Besluit digitale toegankelijkheid overheid).
    #[arg(long, hide = true, global = true, env = TOEGANKELIJKHEIDSVERKLARING, value_name = TOEGANKELIJKHEIDSVERKLARING)]
    toegankelijkheidsverklaring: Option<String>,
    /// The operator's privacy statement (art. 13 and 14 AVG).
    #[arg(long, hide = true, global = true, env = PRIVACYVERKLARING, value_name = PRIVACYVERKLARING)]
    privacyverklaring: Option<String>,
    /// How to reach the operator.
    #[arg(long, hide = true, global = true, env = CONTACTPAGINA, value_name = CONTACTPAGINA)]
    contactpagina: Option<String>,
}

const TOEGANKELIJKHEIDSVERKLARING: &str = "RIJKSINCASSO_TOEGANKELIJKHEIDSVERKLARING";
const PRIVACYVERKLARING: &str = "RIJKSINCASSO_PRIVACYVERKLARING";
const CONTACTPAGINA: &str = "RIJKSINCASSO_CONTACTPAGINA";

/// The operator's own pages that every page's footer links to: theirs to write, so configured.
#[derive(Debug, Clone, Default)]
pub struct FooterLinks {
    pub accessibility: Option<String>,
    pub privacy: Option<String>,
    pub contact: Option<String>,
}

impl FooterLinks {
    fn each(&self) -> [(&'static str, &'static str, Option<&String>); 3] {
        [
            (
                "Toegankelijkheid",
                TOEGANKELIJKHEIDSVERKLARING,
                self.accessibility.as_ref(),
            ),
            ("Privacy", PRIVACYVERKLARING, self.privacy.as_ref()),
            ("Contact", CONTACTPAGINA, self.contact.as_ref()),
        ]
    }

    /// The links set, each with its text, in the footer's order.
    pub fn links(&self) -> Vec<(&'static str, &str)> {
        self.each()
            .into_iter()
            .filter_map(|(text, _, url)| url.map(|url| (text, url.as_str())))
            .collect()
    }

    /// The variables not set: production mode warns of each.
    pub fn missing(&self) -> Vec<&'static str> {
        self.each()
            .into_iter()
            .filter(|(_, _, url)| url.is_none())
            .map(|(_, variable, _)| variable)
            .collect()
    }
}

fn known_acr(value: &str) -> Result<String, String> {
    match acr::rank(value) {
        Some(_) => Ok(value.to_owned()),
        None => Err(format!(
            "must be one of the known assurance levels: {}",
            acr::KNOWN
                .iter()
                .map(|(v, _, _)| *v)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// How a client authenticates at the token endpoint.
#[derive(Clone)]
pub enum ClientAuth {
    /// `private_key_jwt`: a signed assertion with the key in this PEM file.
    PrivateKeyJwt(PathBuf),
    /// `client_secret_basic`, for development providers.
    SecretBasic(String),
}

impl std::fmt::Debug for ClientAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientAuth::PrivateKeyJwt(path) => write!(f, "PrivateKeyJwt({})", path.display()),
            ClientAuth::SecretBasic(_) => f.write_str("SecretBasic(..)"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct OidcConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_auth: ClientAuth,
    pub acr_minimum: String,
    pub bsn_claim: String,
    pub organisation_claim: String,
    pub scope: String,
}

/// The web pages' configuration, resolved.
#[derive(Debug, Clone)]
pub struct WebConfig {
    pub oidc: Option<OidcConfig>,
    /// Where the service is reached, without a trailing slash.
    pub public_url: Option<String>,
    pub idle_timeout: Duration,
    pub absolute_timeout: Duration,
    pub login_attempts_per_minute: u32,
    pub footer: FooterLinks,
}

impl Default for WebConfig {
    /// Development: no provider, the development login, 15 minutes idle, 2 hours at most.
    fn default() -> WebConfig {
        WebConfig {
            oidc: None,
            public_url: None,
            idle_timeout: Duration::from_secs(15 * 60),
            absolute_timeout: Duration::from_secs(120 * 60),
            login_attempts_per_minute: 10,
            footer: FooterLinks::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WebConfigError {
    #[error("RIJKSINCASSO_OIDC_ISSUER is set but {0} is not")]
    Missing(&'static str),
    #[error(
        "RIJKSINCASSO_OIDC_ISSUER must be an https address (http only on the loopback address)"
    )]
    InsecureIssuer,
    #[error("RIJKSINCASSO_PUBLIEKE_URL must be an http(s) address without a path")]
    PublicUrl,
    #[error("{0} must be an https address (http only on the loopback address)")]
    InsecureLink(&'static str),
}

impl WebSettings {
    pub fn resolve(self) -> Result<WebConfig, WebConfigError> {
        let oidc = match self.oidc_issuer {
            None => None,
            Some(issuer) => {
                let issuer = issuer.trim_end_matches('/').to_owned();
                if !secure_or_loopback(&issuer) {
                    return Err(WebConfigError::InsecureIssuer);
                }
                let client_id = self
                    .oidc_client_id
                    .ok_or(WebConfigError::Missing("RIJKSINCASSO_OIDC_CLIENT_ID"))?;
                let client_auth = match (self.oidc_client_key, self.oidc_client_secret) {
                    (Some(path), _) => ClientAuth::PrivateKeyJwt(path),
                    (None, Some(secret)) => ClientAuth::SecretBasic(secret),
                    (None, None) => {
                        return Err(WebConfigError::Missing(
                            "RIJKSINCASSO_OIDC_CLIENT_KEY (or RIJKSINCASSO_OIDC_CLIENT_SECRET)",
                        ));
                    }
                };
                Some(OidcConfig {
                    issuer,
                    client_id,
                    client_auth,
                    acr_minimum: self.oidc_acr,
                    bsn_claim: self.oidc_bsn_claim,
                    organisation_claim: self.oidc_organisatie_claim,
                    scope: self.oidc_scope,
                })
            }
        };
        let public_url = match self.publieke_url {
            None => None,
            Some(url) => {
                let url = url.trim_end_matches('/').to_owned();
                let rest = url
                    .strip_prefix("https://")
                    .or_else(|| url.strip_prefix("http://"))
                    .ok_or(WebConfigError::PublicUrl)?;
                if rest.is_empty() || rest.contains('/') {
                    return Err(WebConfigError::PublicUrl);
                }
                Some(url)
            }
        };
        let footer = FooterLinks {
            accessibility: self.toegankelijkheidsverklaring,
            privacy: self.privacyverklaring,
            contact: self.contactpagina,
        };
        if let Some((_, variable, _)) = footer
            .each()
            .into_iter()
            .find(|(_, _, url)| url.is_some_and(|url| !secure_or_loopback(url)))
        {
            return Err(WebConfigError::InsecureLink(variable));
        }
        Ok(WebConfig {
            oidc,
            public_url,
            idle_timeout: Duration::from_secs(u64::from(self.sessie_inactief_minuten) * 60),
            absolute_timeout: Duration::from_secs(u64::from(self.sessie_maximaal_minuten) * 60),
            login_attempts_per_minute: self.inlogpogingen_per_minuut,
            footer,
        })
    }
}

/// An https address, or http on the loopback address (a provider on the same machine).
pub fn secure_or_loopback(url: &str) -> bool {
    if url.starts_with("https://") {
        return true;
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<WebSettings, clap::Error> {
        #[derive(clap::Parser)]
        struct Probe {
            #[command(flatten)]
            web: WebSettings,
        }
        let args = std::iter::once("rijksincasso").chain(args.iter().copied());
        <Probe as clap::Parser>::try_parse_from(args).map(|p| p.web)
    }

    #[test]
    fn without_a_provider_the_pages_use_development_defaults() {
        let config = parse(&[]).unwrap().resolve().unwrap();
        assert!(config.oidc.is_none());
        assert_eq!(config.idle_timeout, Duration::from_secs(15 * 60));
        assert_eq!(config.absolute_timeout, Duration::from_secs(120 * 60));
    }

    #[test]
    fn a_provider_needs_a_client_and_a_key_or_secret() {
        let issuer = "--oidc-issuer=https://digid.example/";
        assert!(matches!(
            parse(&[issuer]).unwrap().resolve(),
            Err(WebConfigError::Missing(_))
        ));
        assert!(matches!(
            parse(&[issuer, "--oidc-client-id=ri"]).unwrap().resolve(),
            Err(WebConfigError::Missing(_))
        ));
        let config = parse(&[issuer, "--oidc-client-id=ri", "--oidc-client-key=/k.pem"])
            .unwrap()
            .resolve()
            .unwrap();
        let oidc = config.oidc.expect("provider");
        assert_eq!(oidc.issuer, "https://digid.example");
        assert_eq!(oidc.acr_minimum, DEFAULT_ACR);
        assert!(matches!(oidc.client_auth, ClientAuth::PrivateKeyJwt(_)));
        assert!(matches!(
            parse(&[
                "--oidc-issuer=http://digid.example",
                "--oidc-client-id=ri",
                "--oidc-client-secret=x"
            ])
            .unwrap()
            .resolve(),
            Err(WebConfigError::InsecureIssuer)
        ));
    }

    #[test]
    fn the_footer_links_only_what_is_set_and_only_over_https() {
        let config = parse(&["--privacyverklaring=https://rijksincasso.example/privacy"])
            .unwrap()
            .resolve()
            .unwrap();
        assert_eq!(
            config.footer.links(),
            [("Privacy", "https://rijksincasso.example/privacy")]
        );
        assert_eq!(
            config.footer.missing(),
            [TOEGANKELIJKHEIDSVERKLARING, CONTACTPAGINA]
        );
        assert!(matches!(
            parse(&["--contactpagina=http://rijksincasso.example/contact"])
                .unwrap()
                .resolve(),
            Err(WebConfigError::InsecureLink(CONTACTPAGINA))
        ));
    }

    #[test]
    fn an_unknown_assurance_level_is_refused_by_name() {
        let error = parse(&["--oidc-acr=urn:zelfbedacht"])
            .map(drop)
            .unwrap_err();
        assert!(error.to_string().contains("oidc-acr"), "{error}");
        assert!(parse(&["--oidc-acr=urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI"]).is_ok());
    }

    #[test]
    fn only_https_or_loopback_http_is_a_usable_provider_address() {
        assert!(secure_or_loopback("https://digid.example"));
        assert!(secure_or_loopback("http://127.0.0.1:4000"));
        assert!(secure_or_loopback("http://localhost:4000/oidc"));
        assert!(secure_or_loopback("http://[::1]:4000"));
        assert!(!secure_or_loopback("http://digid.example"));
        assert!(!secure_or_loopback("http://127.0.0.1.evil.example"));
        assert!(!secure_or_loopback("ftp://127.0.0.1"));
    }
}
