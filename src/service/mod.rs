//! Application services: one function per use case, each a unit of work — load, decide (in the
//! domain), commit (in [`unit_of_work`]).

pub mod access_log;
pub mod access_log_groups;
pub mod arrangements;
pub mod attachments;
pub mod audit_trail;
pub mod claims;
pub mod counsellors;
pub mod creditors;
pub mod ingest;
pub mod mandates;
pub mod norms;
pub mod notifications;
pub mod overview;
pub mod reference;
pub mod saldo_opgaven;
pub mod samenloop;
pub mod schuldhulptrajecten;
pub mod unit_of_work;
pub mod webhooks;

use std::sync::Arc;

use diesel::Connection;

use crate::clock::Clock;
use crate::domain::arrangement::{ArrangementError, ArrangementSettings};
use crate::domain::attachment::RegistrationError;
use crate::domain::mandate::MandateError;
use crate::domain::person::PersonId;
use crate::domain::schuldhulptraject::TrajectoryError;
use crate::domain::time::Moment;
use crate::domain::validation::FieldIssue;
use crate::metrics::{Metrics, StatementCounter};
use crate::sealing::Sealer;
use crate::store::{Db, DbConnection, RetryableError, StoreError};

use access_log_groups::AccessLogGroups;
use reference::ReferenceCache;
use unit_of_work::{Context, UnitOfWork};
use webhooks::{Wakeup, WebhookSettings};

impl ServiceError {
    /// Problems with input named from the object that holds the one they were found in.
    pub fn within(self, prefix: &str) -> ServiceError {
        match self {
            ServiceError::Invalid(issues) => {
                ServiceError::Invalid(issues.into_iter().map(|i| i.within(prefix)).collect())
            }
            other => other,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Input breaks a rule; every problem is listed, each with the full name of its field.
    #[error("invalid input")]
    Invalid(Vec<FieldIssue>),
    /// A record that does not exist or is not the caller's, named as the sentence needs it, with
    /// its demonstrative (`"dit beslag"`, `"deze machtiging"`: Dutch chooses by the noun).
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The request conflicts with what is stored.
    #[error("conflict: {detail}")]
    Conflict {
        detail: String,
        issues: Vec<FieldIssue>,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ServiceError {
    fn conflict(detail: impl Into<String>) -> ServiceError {
        ServiceError::Conflict {
            detail: detail.into(),
            issues: Vec::new(),
        }
    }
}

impl From<diesel::result::Error> for ServiceError {
    fn from(error: diesel::result::Error) -> ServiceError {
        ServiceError::Store(error.into())
    }
}

impl From<Vec<FieldIssue>> for ServiceError {
    fn from(issues: Vec<FieldIssue>) -> ServiceError {
        ServiceError::Invalid(issues)
    }
}

impl From<ArrangementError> for ServiceError {
    fn from(error: ArrangementError) -> ServiceError {
        match error {
            ArrangementError::Invalid(issues) => ServiceError::Invalid(issues),
            ArrangementError::Changed(changes) => ServiceError::Conflict {
                detail: ArrangementError::Changed(Vec::new()).to_string(),
                issues: changes
                    .iter()
                    .map(|c| FieldIssue::new("voorstel", "gewijzigd", c.explanation()))
                    .collect(),
            },
            ArrangementError::Inconsistent(_) => {
                ServiceError::Store(StoreError::Corrupt(error.to_string()))
            }
            other => ServiceError::conflict(other.to_string()),
        }
    }
}

impl From<RegistrationError> for ServiceError {
    fn from(error: RegistrationError) -> ServiceError {
        match error {
            RegistrationError::Invalid(issues) => ServiceError::Invalid(issues),
            RegistrationError::NoClaimOnPerson => ServiceError::Forbidden(error.to_string()),
            RegistrationError::ReferenceTaken(_) | RegistrationError::ReferenceInUse(_) => {
                ServiceError::Conflict {
                    issues: vec![FieldIssue::new(
                        "beslagkenmerk",
                        "al_geregistreerd",
                        "hoort al bij een ander beslag van deze partij",
                    )],
                    detail: error.to_string(),
                }
            }
        }
    }
}

impl From<MandateError> for ServiceError {
    fn from(error: MandateError) -> ServiceError {
        match error {
            MandateError::Invalid(issues) => ServiceError::Invalid(issues),
            other => ServiceError::conflict(other.to_string()),
        }
    }
}

impl From<TrajectoryError> for ServiceError {
    fn from(error: TrajectoryError) -> ServiceError {
        match error {
            TrajectoryError::Invalid(issues) => ServiceError::Invalid(issues),
            TrajectoryError::OnlyCounsellorChangesPhase => {
                ServiceError::Forbidden(error.to_string())
            }
            other => ServiceError::conflict(other.to_string()),
        }
    }
}

impl RetryableError for ServiceError {
    fn is_retryable(&self) -> bool {
        matches!(self, ServiceError::Store(StoreError::Concurrent))
    }
}

/// Whom a request is about: a person (a citizen's own, or named by BSN in the body), or for a
/// counsellor the citizen of one of its mandates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whom {
    Person(PersonId),
    Mandate(String),
}

/// Prefixes issues of one element of a list with its place, e.g. `gebeurtenissen[3].bedrag`.
/// A page of a list in a stable order, and the cursor of the next page if there is one.
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// Loads up to `limit` items with `load`, which is asked for one more so that a next page is
    /// known without counting; `cursor` names where the next page starts.
    pub fn load(
        limit: usize,
        load: impl FnOnce(i64) -> Result<Vec<T>, crate::store::StoreError>,
        cursor: impl FnOnce(&T) -> String,
    ) -> Result<Page<T>, ServiceError> {
        let page_size = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut items = load(page_size.saturating_add(1))?;
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(cursor)
        } else {
            None
        };
        Ok(Page { items, next })
    }
}

pub fn at_index(list: &str, index: usize, issue: FieldIssue) -> FieldIssue {
    let field = if issue.field.is_empty() {
        format!("{list}[{index}]")
    } else {
        format!("{list}[{index}].{}", issue.field)
    };
    FieldIssue { field, ..issue }
}

/// What the use cases run with: the database, the cached reference data, the policy, the clock,
/// and what the webhook relay needs. Cheap to share.
pub struct Services {
    pub db: Db,
    pub reference: ReferenceCache,
    pub settings: ArrangementSettings,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
    pub webhooks: WebhookSettings,
    /// Seals webhook secrets at rest.
    pub sealer: Sealer,
    /// Wakes this instance's relay when a change appended notifications.
    pub wakeup: Wakeup,
    /// Commits the access-log rows of concurrent reads together.
    pub access_log_groups: AccessLogGroups,
}

impl Services {
    pub fn now(&self) -> Moment {
        Moment::at(self.clock.now())
    }

    /// Runs one use case as a unit of work on the blocking thread pool.
    pub async fn run<T, F>(self: &Arc<Self>, work: F) -> Result<T, ServiceError>
    where
        F: FnMut(&mut UnitOfWork<'_>) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        self.counted(move |conn, services, now| {
            unit_of_work::run(conn, &services.context(now), work)
        })
        .await
    }

    /// Runs a use case that only reads, on the blocking thread pool: it reads outside a write
    /// transaction (`unit_of_work::read`) and answers once its access-log rows are committed,
    /// together with those of the reads running beside it ([`AccessLogGroups`]).
    pub async fn read<T, F>(self: &Arc<Self>, work: F) -> Result<T, ServiceError>
    where
        F: FnMut(&mut UnitOfWork<'_>) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        self.counted(move |conn, services, now| {
            let (value, rows) = unit_of_work::read(conn, &services.context(now), work)?;
            services.access_log_groups.record(conn, services, rows)?;
            Ok(value)
        })
        .await
    }

    /// Runs `work` with a pooled connection, its statements counted: per use case, so the count
    /// is what a use case costs the database.
    async fn counted<T, F>(self: &Arc<Self>, work: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut DbConnection, &Services, Moment) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        let services = self.clone();
        let now = self.now();
        self.db
            .run(move |conn| {
                conn.set_instrumentation(services.metrics.statement_counter());
                let result = work(conn, &services, now);
                conn.set_instrumentation(None::<StatementCounter>);
                result
            })
            .await
    }

    pub fn context(&self, now: Moment) -> Context<'_> {
        Context {
            now,
            reference: &self.reference,
            settings: &self.settings,
            metrics: &self.metrics,
            wakeup: &self.wakeup,
        }
    }
}
