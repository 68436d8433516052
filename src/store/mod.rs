//! Storage: the diesel schema, rows, queries and the pool. No business rules live here.

/// Inserts many rows in one statement. Diesel's multi-backend connection cannot express SQLite's
/// batch insert, so this one query is dispatched to the concrete connection.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::store::DbConnection::Postgres(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
            $crate::store::DbConnection::Sqlite(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
        }
    };
}

pub mod access_log;
pub mod arrangements;
pub mod attachments;
pub mod claims;
pub mod creditors;
pub mod declared_arrangements;
pub mod mandates;
pub mod norms;
pub mod notifications;
mod pool;
pub mod proposals;
pub mod samenloop_checks;
pub mod samenloop_states;
pub mod schema;

use diesel::result::{DatabaseErrorKind, Error as DieselError};

pub use pool::{Db, DbConnection, ping};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("migration failed: {0}")]
    Migration(String),
    /// Another transaction changed the same rows first; the whole unit of work may be retried.
    #[error("concurrent update")]
    Concurrent,
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Query(DieselError),
}

impl From<DieselError> for StoreError {
    fn from(error: DieselError) -> StoreError {
        match &error {
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
            | DieselError::DatabaseError(DatabaseErrorKind::UnableToSendCommand, _) => {
                StoreError::Unavailable(error.to_string())
            }
            DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                StoreError::Concurrent
            }
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                StoreError::Concurrent
            }
            DieselError::DatabaseError(_, info) if is_lost_race(info.message()) => {
                StoreError::Concurrent
            }
            _ => StoreError::Query(error),
        }
    }
}

/// SQLite busy, or a PostgreSQL deadlock (which diesel does not classify): both mean another
/// transaction got in the way, and the whole unit of work can simply run again.
fn is_lost_race(message: &str) -> bool {
    message.contains("database is locked")
        || message.contains("database is busy")
        || message.contains("deadlock detected")
}

/// How often a unit of work is tried when it keeps losing races with other transactions.
const MAX_ATTEMPTS: u32 = 10;

/// Runs `work` in one transaction, retrying it from the start when a concurrent transaction got
/// in first (serialization failure, a unique key taken meanwhile, SQLite busy, a stale version).
/// The closure must be repeatable: it re-reads everything it needs.
pub fn transaction<T, E, F>(conn: &mut DbConnection, mut work: F) -> Result<T, E>
where
    F: FnMut(&mut DbConnection) -> Result<T, E>,
    E: From<StoreError> + RetryableError,
{
    use diesel::Connection;
    let mut attempt = 1;
    loop {
        let result = conn.transaction(|conn| work(conn).map_err(TransactionError::Work));
        match result {
            Ok(value) => return Ok(value),
            Err(TransactionError::Work(e)) if e.is_retryable() && attempt < MAX_ATTEMPTS => {}
            Err(TransactionError::Work(e)) => return Err(e),
            Err(TransactionError::Store(e)) => {
                let e = StoreError::from(e);
                if !matches!(e, StoreError::Concurrent) || attempt >= MAX_ATTEMPTS {
                    return Err(E::from(e));
                }
            }
        }
        back_off(attempt);
        attempt += 1;
    }
}

/// Waits a little longer after each lost race, with jitter, so that competing transactions do
/// not collide again in lockstep.
fn back_off(attempt: u32) {
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() % 5);
    std::thread::sleep(std::time::Duration::from_millis(u64::from(
        attempt * 3 + jitter,
    )));
}

/// Whether an error means "lost a race; try the whole unit of work again".
pub trait RetryableError {
    fn is_retryable(&self) -> bool;
}

impl RetryableError for StoreError {
    fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Concurrent)
    }
}

enum TransactionError<E> {
    Work(E),
    Store(DieselError),
}

impl<E> From<DieselError> for TransactionError<E> {
    fn from(error: DieselError) -> Self {
        TransactionError::Store(error)
    }
}
