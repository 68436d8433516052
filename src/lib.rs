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
pub mod service;
pub mod store;
pub mod telemetry;

use std::sync::Arc;

use api::AppState;
use auth::{AuthSetupError, Authenticator};
use clock::Clock;
use config::Config;
use domain::person::Pseudonymizer;
use store::{Db, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Auth(#[from] AuthSetupError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot seed reference data: {0}")]
    Seed(#[from] service::ServiceError),
}

/// Everything the HTTP layer needs, with the database migrated to the current schema.
pub fn prepare(config: &Config, clock: Arc<dyn Clock>) -> Result<AppState, StartError> {
    let db = Db::new(&config.database_url, config.db_pool_size);
    db.migrate()?;
    let mut conn = db.get()?;
    service::norms::seed_if_empty(&mut conn, clock::Moment::at(clock.now()))?;
    drop(conn);
    Ok(AppState {
        db,
        auth: Authenticator::new(&config.jwt)?,
        pseudonymizer: Pseudonymizer::new(&config.pseudonym_secret.bytes),
        clock,
        arrangements: config.arrangements.clone(),
    })
}
