//! The `rijksincasso` command: serve the API, migrate the database, print the OpenAPI document,
//! or mint a development token.

use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use rijksincasso::auth::{self, TokenRequest};
use rijksincasso::clock::SystemClock;
use rijksincasso::config::{Config, Convenience, JwtKey, Mode, Settings};
use rijksincasso::store::Db;
use rijksincasso::{api, jobs, prepare, telemetry};

#[derive(Parser)]
#[command(
    name = "rijksincasso",
    version,
    about = "Coördinatie van de invordering door het Rijk"
)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Subcommand)]
enum Command {
    /// Start the HTTP service (the default).
    Serve {
        /// Address to listen on; overrides RIJKSINCASSO_BIND.
        #[arg(long)]
        bind: Option<String>,
    },
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Print a signed development token, accepted by a server with the same configuration.
    Token {
        /// burger, organisatie, schuldhulpverlener or beheerder.
        #[arg(long)]
        rol: String,
        /// The citizen's BSN (rol burger).
        #[arg(long)]
        bsn: Option<String>,
        /// Creditor code (rol organisatie) or counsellor organisation id (rol schuldhulpverlener).
        #[arg(long)]
        organisatie: Option<String>,
        /// Who the administrator is (rol beheerder): the audit trail names them with every change.
        #[arg(long)]
        sub: Option<String>,
        /// Validity in minutes.
        #[arg(long = "geldig-minuten", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..=1440))]
        geldig_minuten: u32,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = || Config::resolve(cli.settings.clone()).map_err(|e| e.to_string());
    let result = match cli.command.clone().unwrap_or(Command::Serve { bind: None }) {
        Command::Serve { bind } => config().and_then(|config| serve(config, bind)),
        Command::Migrate => config().and_then(migrate),
        Command::Openapi => {
            print!("{}", api::openapi::to_json());
            Ok(())
        }
        Command::Token {
            rol,
            bsn,
            organisatie,
            sub,
            geldig_minuten,
        } => config().and_then(|config| {
            let request = TokenRequest {
                rol: &rol,
                bsn: bsn.as_deref(),
                organisatie: organisatie.as_deref(),
                sub: sub.as_deref(),
                valid_for: chrono::Duration::minutes(i64::from(geldig_minuten)),
            };
            token(&config, &request)
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("rijksincasso: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve(mut config: Config, bind: Option<String>) -> Result<(), String> {
    // The address decides more than where to listen (whether cookies must be `Secure`, the
    // default public URL), so `--bind` replaces the configured one before anything reads it.
    if let Some(bind) = bind {
        config.bind = bind;
    }
    telemetry::init(config.log_format);
    let mode = config.mode();
    config.check_mode(mode).map_err(|e| e.to_string())?;
    match mode {
        Mode::Production => {
            tracing::info!("production mode");
            for variable in config.web.footer.missing() {
                tracing::warn!(
                    variable,
                    "the pages' footer lacks a link the operator must publish (accessibility \
                     statement, privacy statement, contact)"
                );
            }
        }
        Mode::Development => {
            tracing::warn!(
                "DEVELOPMENT MODE: no JWKS, public key or OpenID provider is configured, so \
                 development conveniences are on. Never use this in production."
            );
            warn_about_development_secrets(&config);
        }
    }
    // Before the database is touched: a wrong address or a port in use is told at once.
    let address = config.bind.clone();
    let listen = |address: &str, variable: &str| {
        TcpListener::bind(address)
            .map_err(|e| format!("cannot listen on {address} ({variable}): {e}"))
    };
    let listener = listen(&address, "RIJKSINCASSO_BIND")?;
    let metrics = config
        .metrics_bind
        .as_deref()
        .map(|address| listen(address, "RIJKSINCASSO_METRICS_BIND"))
        .transpose()?;
    let state = prepare(&config, Arc::new(SystemClock)).map_err(|e| e.to_string())?;
    let workers = std::thread::available_parallelism().map_or(2, usize::from);
    tracing::info!(%address, metrics = config.metrics_bind.as_deref().unwrap_or("off"),
        backend = state.services.db.backend_name(), "rijksincasso listening");
    let jobs = jobs::start(state.services.clone(), &config);
    let served = actix_web::rt::System::new()
        .block_on(async move { api::server(state, listener, metrics, workers)?.await })
        .map_err(|e| e.to_string());
    // The background work finishes what it was doing first.
    drop(jobs);
    tracing::info!("rijksincasso stopped");
    served
}

fn warn_about_development_secrets(config: &Config) {
    if let JwtKey::Shared(secret) = &config.jwt.key
        && let Some(path) = &secret.generated_in
    {
        tracing::warn!(
            file = %path.display(),
            "DEVELOPMENT MODE: tokens are checked with a generated local secret. Never use this in production: \
             set RIJKSINCASSO_JWKS or RIJKSINCASSO_JWT_PUBLIC_KEY."
        );
    }
    if let Some(path) = &config.pseudonym_secret.generated_in {
        tracing::warn!(
            file = %path.display(),
            "DEVELOPMENT MODE: BSNs are pseudonymised with a generated local secret. Set \
             RIJKSINCASSO_PSEUDONYM_SECRET in production; changing it later makes stored data unreachable."
        );
    }
}

fn migrate(config: Config) -> Result<(), String> {
    telemetry::init(config.log_format);
    let db = Db::new(&config.database_url, 1);
    db.migrate().map_err(|e| e.to_string())?;
    tracing::info!(backend = db.backend_name(), "database schema is up to date");
    Ok(())
}

fn token(config: &Config, request: &TokenRequest<'_>) -> Result<(), String> {
    let rol = request.rol;
    let needs = match rol {
        "burger" if request.bsn.is_none() => Some("--bsn"),
        "organisatie" | "schuldhulpverlener" if request.organisatie.is_none() => {
            Some("--organisatie")
        }
        "beheerder" if request.sub.is_none() => Some("--sub"),
        "burger" | "organisatie" | "schuldhulpverlener" | "beheerder" => None,
        _ => {
            return Err(
                "--rol must be burger, organisatie, schuldhulpverlener or beheerder".into(),
            );
        }
    };
    if let Some(flag) = needs {
        return Err(format!("rol {rol} needs {flag}"));
    }
    config
        .mode()
        .permit(Convenience::TokenCommand)
        .map_err(|e| e.to_string())?;
    let token = auth::mint(&config.jwt, request, chrono::Utc::now()).map_err(|e| e.to_string())?;
    println!("{token}");
    Ok(())
}
