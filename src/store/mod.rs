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

/// Bulk-inserts rows: on PostgreSQL with one binary `COPY`, a single statement whatever the
/// number of rows (nothing to re-parse, no bind-parameter limit); on SQLite with multi-row
/// INSERTs of `$chunk` rows, inside its bind-parameter limit.
macro_rules! bulk_insert {
    ($conn:expr, $table:expr, $rows:expr, $chunk:expr) => {{
        let rows = $rows;
        if !rows.is_empty() {
            match $conn {
                // One row (a change's access-log row, or a read's alone in its group) is one
                // round trip as a prepared INSERT, two as a COPY, which PostgreSQL also parses
                // anew each time.
                $crate::store::DbConnection::Postgres(c) if rows.len() == 1 => {
                    diesel::insert_into($table).values(&rows[0]).execute(c)?;
                }
                $crate::store::DbConnection::Postgres(c) => {
                    diesel::copy_from($table).from_insertable(rows).execute(c)?;
                }
                $crate::store::DbConnection::Sqlite(c) => {
                    for chunk in rows.chunks($chunk) {
                        diesel::insert_into($table).values(chunk).execute(c)?;
                    }
                }
            }
        }
    }};
}

/// Values bound per `IN (…)` lookup: well inside the bind-parameter limits of both backends,
/// so a longer list is read in several statements.
const IDS_PER_STATEMENT: usize = 500;

pub mod access_log;
pub mod arrangements;
pub mod attachments;
pub mod audit_trail;
pub mod balance_statements;
pub mod claims;
pub mod counsellors;
pub mod creditors;
pub mod declared_arrangements;
mod json_rows;
mod key_probe;
pub mod mandates;
pub mod norms;
pub mod notifications;
pub mod person_file;
mod pool;
pub mod proposals;
pub mod pseudonym_key;
pub mod reference;
pub mod samenloop_checks;
pub mod samenloop_states;
pub mod schema;
pub mod sessions;
pub mod trajectories;
pub mod webhook_subscriptions;

use diesel::RunQueryDsl;
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
    /// The work on the database panicked: a fault of ours, logged where it happened.
    #[error("database work panicked")]
    Panicked,
    #[error(transparent)]
    Query(DieselError),
}

impl From<DieselError> for StoreError {
    fn from(error: DieselError) -> StoreError {
        match &error {
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
            | DieselError::DatabaseError(DatabaseErrorKind::UnableToSendCommand, _) => {
                pool::connection_lost();
                StoreError::Unavailable(error.to_string())
            }
            DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                StoreError::Concurrent
            }
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)
                if is_race_guard(info.as_ref()) =>
            {
                StoreError::Concurrent
            }
            DieselError::DatabaseError(_, info) if is_lost_race(info.message()) => {
                StoreError::Concurrent
            }
            _ => StoreError::Query(error),
        }
    }
}

/// The unique keys that guard against two transactions doing the same thing at once: the one
/// that loses gets the violation, and its retry reads what the winner wrote (a replayed batch is
/// then a replay, a claim already arranged is excluded). By PostgreSQL constraint name and by the
/// columns SQLite names. Any other unique violation is a fault, not a race, and is not retried.
const RACE_GUARDS: [(&str, &str); 8] = [
    (
        "claims_claim_key_creditor_code_key",
        "claims.claim_key, claims.creditor_code",
    ),
    (
        "claim_events_event_key_creditor_code_key",
        "claim_events.event_key, claim_events.creditor_code",
    ),
    ("arranged_claims_pkey", "arranged_claims.claim_id"),
    ("samenloop_states_pkey", "samenloop_states.person"),
    ("declared_situations_pkey", "declared_situations.person"),
    (
        "notification_feeds_pkey",
        "notification_feeds.recipient_kind, notification_feeds.recipient",
    ),
    (
        "debt_help_trajectories_running",
        "debt_help_trajectories.person",
    ),
    (
        "debt_help_trajectory_creditors_pkey",
        "debt_help_trajectory_creditors.trajectory_id, debt_help_trajectory_creditors.creditor_code",
    ),
];

fn is_race_guard(info: &dyn diesel::result::DatabaseErrorInformation) -> bool {
    RACE_GUARDS.iter().any(|(constraint, columns)| {
        info.constraint_name() == Some(constraint) || info.message().ends_with(columns)
    })
}

/// SQLite busy, or a PostgreSQL deadlock (which diesel does not classify): both mean another
/// transaction got in the way, and the whole unit of work can simply run again.
fn is_lost_race(message: &str) -> bool {
    message.contains("database is locked")
        || message.contains("database is busy")
        || message.contains("deadlock detected")
}

/// Holds `key` of the lock class `class` until the transaction ends: a second transaction
/// holding it waits for the first to commit, and then reads what it wrote. Only PostgreSQL runs
/// writers side by side; SQLite runs one at a time, so there is nothing to hold.
fn hold(conn: &mut DbConnection, class: i32, key: &str) -> Result<(), StoreError> {
    take(conn, "pg_advisory_xact_lock", class, key)
}

/// Holds `key` of `class` as [`hold`] does, but beside any number of other sharers: it waits
/// only for a transaction that [`hold`]s it, and such a one waits for every sharer.
fn share(conn: &mut DbConnection, class: i32, key: &str) -> Result<(), StoreError> {
    take(conn, "pg_advisory_xact_lock_shared", class, key)
}

fn take(
    conn: &mut DbConnection,
    function: &'static str,
    class: i32,
    key: &str,
) -> Result<(), StoreError> {
    if let DbConnection::Postgres(c) = conn {
        diesel::sql_query(format!("SELECT {function}($1, hashtext($2))"))
            .bind::<diesel::sql_types::Integer, _>(class)
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(c)?;
    }
    Ok(())
}

/// How often a unit of work is tried when it keeps losing races with other transactions.
const MAX_ATTEMPTS: u32 = 10;

/// Runs `work` in one transaction, retrying it from the start when a concurrent transaction got
/// in first (serialization failure, a unique key taken meanwhile, SQLite busy, a stale version).
/// The closure must be repeatable: it re-reads everything it needs.
pub fn transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnMut(&mut DbConnection) -> Result<T, E>,
    E: From<StoreError> + RetryableError,
{
    retried(conn, Intent::Write, work)
}

/// Runs `work`, which only reads, as [`transaction`] runs a change, with the same consistency:
/// on PostgreSQL without BEGIN and COMMIT, since at READ COMMITTED each statement sees its own
/// snapshot inside a transaction too; on SQLite in a deferred transaction, one snapshot that
/// does not take the write lock.
pub fn read<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnMut(&mut DbConnection) -> Result<T, E>,
    E: From<StoreError> + RetryableError,
{
    retried(conn, Intent::Read, work)
}

/// Runs `work`, which writes with one statement, as [`transaction`] runs a change: on
/// PostgreSQL without BEGIN and COMMIT, since a statement outside a transaction block is a
/// transaction of its own, all or nothing and committed when it returns; on SQLite as a change
/// (there a batch of rows may take several statements).
pub fn single_statement<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnMut(&mut DbConnection) -> Result<T, E>,
    E: From<StoreError> + RetryableError,
{
    retried(conn, Intent::SingleStatement, work)
}

#[derive(Clone, Copy)]
enum Intent {
    Write,
    Read,
    SingleStatement,
}

fn retried<T, E, F>(conn: &mut DbConnection, intent: Intent, mut work: F) -> Result<T, E>
where
    F: FnMut(&mut DbConnection) -> Result<T, E>,
    E: From<StoreError> + RetryableError,
{
    let mut attempt = 1;
    loop {
        let result = in_transaction(conn, intent, |conn| {
            work(conn).map_err(TransactionError::Work)
        });
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

/// One transaction around `work`. For a change, SQLite begins IMMEDIATE, taking the write lock
/// at the start: a deferred transaction that has read cannot upgrade to a writer while another
/// writes (SQLite answers "busy" at once, the busy timeout does not help), so concurrent writers
/// would only fail and retry. Every change writes at least its access-log row, so all take the
/// lock; under WAL, reads are not blocked by it. See [`read`] for a read.
fn in_transaction<T, E>(
    conn: &mut DbConnection,
    intent: Intent,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<DieselError>,
{
    use diesel::Connection;
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = <DbConnection as Connection>::TransactionManager;
    match (&mut *conn, intent) {
        (DbConnection::Postgres(_), Intent::Read | Intent::SingleStatement) => return work(conn),
        (DbConnection::Postgres(c), Intent::Write) => AnsiTransactionManager::begin_transaction(c)?,
        (DbConnection::Sqlite(c), Intent::Read) => AnsiTransactionManager::begin_transaction(c)?,
        (DbConnection::Sqlite(c), Intent::Write | Intent::SingleStatement) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
        }
    }
    match work(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => match Manager::rollback_transaction(conn) {
            // A broken connection is discarded by the pool; the work's own error says more.
            Ok(()) | Err(DieselError::BrokenTransactionManager) => Err(error),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

/// Waits after a lost race, twice as long as after the one before (from 2–4 ms up to 125–250
/// ms), at a random point in the second half of that span, so that writers competing for the
/// same rows spread out instead of colliding again in lockstep. The ten attempts of a unit of
/// work wait about a second at most in all.
fn back_off(attempt: u32) {
    let ceiling = (4_u64 << attempt.saturating_sub(1).min(6)).min(250);
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()) % (ceiling / 2 + 1));
    std::thread::sleep(std::time::Duration::from_millis(ceiling / 2 + jitter));
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

#[cfg(test)]
mod tests {
    use diesel::result::DatabaseErrorInformation;

    use super::*;

    struct Info {
        message: &'static str,
        constraint: Option<&'static str>,
    }

    impl DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.message
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            self.constraint
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn unique(message: &'static str, constraint: Option<&'static str>) -> StoreError {
        StoreError::from(DieselError::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            Box::new(Info {
                message,
                constraint,
            }),
        ))
    }

    #[test]
    fn only_the_named_race_guards_make_a_unique_violation_worth_retrying() {
        assert!(matches!(
            unique("duplicate key", Some("arranged_claims_pkey")),
            StoreError::Concurrent
        ));
        assert!(matches!(
            unique(
                "UNIQUE constraint failed: claims.claim_key, claims.creditor_code",
                None
            ),
            StoreError::Concurrent
        ));
        assert!(matches!(
            unique("duplicate key", Some("creditors_claim_type_prefix_key")),
            StoreError::Query(_)
        ));
        assert!(matches!(
            unique("UNIQUE constraint failed: mandates.id", None),
            StoreError::Query(_)
        ));
    }

    #[test]
    fn serialization_failures_deadlocks_and_a_busy_sqlite_are_retried() {
        let error = |kind, message| {
            StoreError::from(DieselError::DatabaseError(
                kind,
                Box::new(Info {
                    message,
                    constraint: None,
                }),
            ))
        };
        for (kind, message) in [
            (
                DatabaseErrorKind::SerializationFailure,
                "could not serialize",
            ),
            (DatabaseErrorKind::Unknown, "deadlock detected"),
            (DatabaseErrorKind::Unknown, "database is locked"),
        ] {
            assert!(error(kind, message).is_retryable(), "{message}");
        }
        assert!(!error(DatabaseErrorKind::Unknown, "syntax error").is_retryable());
    }
}
