//! Application services: one function per use case. Each loads what it needs, applies the domain
//! rules, stores the outcome and writes the access log, in one transaction where it changes data.

pub mod access_log;
pub mod arrangements;
pub mod attachments;
pub mod claims;
pub mod creditors;
pub mod ingest;
pub mod mandates;
pub mod messages;
pub mod norms;
pub mod notifications;
pub mod overview;
pub mod samenloop;

use chrono::NaiveDate;

use crate::clock::Moment;
use crate::domain::access::{Action, Actor, Role};
use crate::domain::person::PersonId;
use crate::domain::validation::FieldIssue;
use crate::store::{DbConnection, RetryableError, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Input breaks a rule; every problem is listed, each with the full name of its field.
    #[error("invalid input")]
    Invalid(Vec<FieldIssue>),
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

impl From<diesel::result::Error> for ServiceError {
    fn from(error: diesel::result::Error) -> ServiceError {
        ServiceError::Store(error.into())
    }
}

impl RetryableError for ServiceError {
    fn is_retryable(&self) -> bool {
        matches!(self, ServiceError::Store(StoreError::Concurrent))
    }
}

/// Prefixes issues of one element of a list with its place, e.g. `gebeurtenissen[3].bedrag`.
pub fn at_index(list: &str, index: usize, issue: FieldIssue) -> FieldIssue {
    let field = if issue.field.is_empty() {
        format!("{list}[{index}]")
    } else {
        format!("{list}[{index}].{}", issue.field)
    };
    FieldIssue { field, ..issue }
}

/// A fresh identifier for a new resource: time-ordered, so ids also order pages.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Records one thing done with one person's data in their access log.
pub fn log_access(
    conn: &mut DbConnection,
    person: &PersonId,
    actor: Actor,
    action: Action,
    subject: Option<&str>,
    now: Moment,
) -> Result<(), ServiceError> {
    crate::store::access_log::record(
        conn,
        &[crate::store::access_log::Entry {
            person: person.clone(),
            actor,
            action,
            subject_id: subject.map(str::to_owned),
        }],
        now.utc,
    )?;
    Ok(())
}

/// Who acts on a citizen's data in a request: the citizen, or a counsellor organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requester<'a> {
    Citizen,
    Counsellor(&'a str),
}

/// The actor for the access log, after checking that a counsellor holds a live mandate of the
/// person today. Returns the mandate's id as the reason a counsellor may act.
pub fn acting_for(
    conn: &mut DbConnection,
    person: &PersonId,
    requester: Requester<'_>,
    today: NaiveDate,
) -> Result<(Actor, Option<String>), ServiceError> {
    match requester {
        Requester::Citizen => Ok((Actor::citizen(), None)),
        Requester::Counsellor(organisation) => {
            let mandate = mandates::require_live(conn, person, organisation, today)?;
            Ok((
                Actor::organisation(Role::Schuldhulpverlener, organisation),
                Some(mandate.id),
            ))
        }
    }
}

/// One field of a partial update (JSON merge patch): keep it, clear it, or set it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

impl<T> Patch<T> {
    /// Applies the patch to an optional value.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Keep => current,
            Patch::Clear => None,
            Patch::Set(value) => Some(value),
        }
    }

    /// Applies the patch to a required value (the API refuses clearing it).
    pub fn apply_required(self, current: T) -> T {
        match self {
            Patch::Set(value) => value,
            Patch::Keep | Patch::Clear => current,
        }
    }
}
