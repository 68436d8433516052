//! Rijksincasso: one overview of a citizen's government claims, one subsistence norm, one
//! payment arrangement across government creditors, and a watch on concurrence.
//!
//! Layers (one way): `api` (HTTP) → `service` (use cases) → `store` (diesel), with the pure
//! rules in `domain`.

pub mod api;
pub mod auth;
pub mod clock;
pub mod config;
pub mod domain;
pub mod jobs;
pub mod metrics;
pub mod rate_limit;
pub mod relay;
pub mod sealing;
pub mod service;
pub mod store;
pub mod telemetry;
pub mod web;

use std::sync::Arc;

use api::AppState;
use auth::{AuthSetupError, Authenticator};
use clock::Clock;
use config::Config;
use domain::person::Pseudonymizer;
use domain::time::Moment;
use metrics::Metrics;
use rate_limit::KeyedLimiter;
use sealing::Sealer;
use service::Services;
use service::access_log_groups::AccessLogGroups;
use service::reference::ReferenceCache;
use service::webhooks::Wakeup;
use store::{Db, StoreError};

/// Locks `mutex`, also after a holder panicked: every lock in the service guards data that is
/// whole between statements, so the panic is reported where it happened and the rest goes on.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Auth(#[from] AuthSetupError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot seed reference data: {0}")]
    Seed(#[from] service::ServiceError),
    #[error(transparent)]
    Web(#[from] web::WebSetupError),
    #[error(
        "RIJKSINCASSO_PSEUDONYM_SECRET is not the key this database was filled with: with it no \
         person's data can be found, and new data would be stored where the right key cannot \
         find it. Start with the key the data was stored under (docs/production.md, \"The \
         pseudonym secret never changes\")."
    )]
    WrongPseudonymKey,
    #[error(
        "RIJKSINCASSO_COORDINEREND_INVORDERAAR is {0}, which is not in the register of creditors: \
         every Betalingsregeling Rijk would tell people to pay a collector that does not exist. \
         Name a registered creditor, or register it first (PUT /api/v1/schuldeisers/{0}) while \
         the service runs with one that is."
    )]
    UnknownCoordinator(String),
}

/// How long a cached snapshot of the reference data is used before its version is checked: a
/// change made on another instance is seen within this time.
const REFERENCE_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Everything the HTTP layer needs, with the database migrated to the current schema.
pub fn prepare(config: &Config, clock: Arc<dyn Clock>) -> Result<AppState, StartError> {
    let metrics = Metrics::new();
    let db = Db::observed(
        &config.database_url,
        config.db_pool_size,
        metrics.pool_events(),
    );
    db.migrate()?;
    let pseudonymizer = Pseudonymizer::new(&config.pseudonym_secret.bytes);
    let mut conn = db.get()?;
    let fingerprint = pseudonymizer.key_fingerprint();
    if store::pseudonym_key::recorded_or_record(&mut conn, &fingerprint)? != fingerprint {
        return Err(StartError::WrongPseudonymKey);
    }
    service::norms::seed_if_empty(&mut conn, Moment::at(clock.now()))?;
    let coordinator = &config.arrangements.coordinator;
    if !store::creditors::all(&mut conn)?
        .iter()
        .any(|c| &c.code == coordinator)
    {
        return Err(StartError::UnknownCoordinator(coordinator.clone()));
    }
    drop(conn);
    Ok(AppState {
        services: Arc::new(Services {
            db,
            reference: ReferenceCache::new(REFERENCE_CHECK_EVERY),
            settings: config.arrangements.clone(),
            clock,
            metrics,
            webhooks: config.webhooks.clone(),
            sealer: Sealer::new(&config.pseudonym_secret.bytes),
            wakeup: Wakeup::default(),
            access_log_groups: AccessLogGroups::default(),
        }),
        auth: Authenticator::new(&config.jwt, config.mode())?,
        pseudonymizer,
        body_read_limit: config.body_read_limit,
        public_limiter: KeyedLimiter::new(config.public_per_minute, config.public_per_minute),
        trusted_proxies: config.trusted_proxies.clone(),
        web: web::WebState::new(config)?,
    })
}
