//! Connections to PostgreSQL or SQLite behind one type, pooled, with blocking work kept off the
//! async executor.

use std::cell::Cell;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::{Connection, ConnectionError, PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::StoreError;

const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which backend a `DATABASE_URL` names. Decided by the URL's scheme, never by trying: a
/// PostgreSQL server that is down must give an error, not a SQLite file named like a URL.
#[derive(Debug, Clone)]
pub enum Backend {
    Postgres(String),
    Sqlite(String),
}

impl Backend {
    pub fn from_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres(url.to_owned())
        } else {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            Backend::Sqlite(path.to_owned())
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Postgres(_) => "postgresql",
            Backend::Sqlite(_) => "sqlite",
        }
    }
}

pub struct Manager {
    backend: Backend,
    breaker: Arc<Breaker>,
}

thread_local! {
    /// Set when a query on this thread found its connection closed (see `connection_lost`).
    static LOST: Cell<bool> = const { Cell::new(false) };
}

/// Records that the connection in use on this thread was found closed. The error conversion
/// notices it, the pool asks when the connection comes back: diesel's `is_broken` only sees a
/// broken transaction, and a `BEGIN` failing on a dead socket leaves none, so without this a dead
/// connection would go back to the pool and fail every request that draws it.
pub(super) fn connection_lost() {
    LOST.with(|lost| lost.set(true));
}

fn take_lost() -> bool {
    LOST.with(|lost| lost.replace(false))
}

/// The advisory lock class of migrations (any constant; "ri" in ASCII).
const MIGRATION_LOCK: i32 = 0x7269;

/// How long checkouts are refused at once after the database could not be reached.
const PROBE_INTERVAL: Duration = Duration::from_secs(1);
/// How long a probe waits for a connection: readiness must answer within a second.
const PROBE_TIMEOUT: Duration = Duration::from_millis(500);
/// How long a checkout waits for a connection while the database is reachable (a busy pool).
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(5);

/// Fails checkouts fast while the database is known to be unreachable, instead of letting every
/// request wait the whole checkout timeout for its 503. Once a checkout failed for want of a
/// connection, the others are refused at once, and every `PROBE_INTERVAL` one checkout at a time
/// tries again with a short timeout; the first that gets a connection restores normal service.
#[derive(Default)]
struct Breaker {
    state: Mutex<Health>,
}

#[derive(Default, Clone, Copy)]
enum Health {
    #[default]
    Reachable,
    /// A connection was found closed: the database may be gone, so checkouts wait only briefly.
    Suspect,
    Unreachable {
        since_probe: Instant,
        probing: bool,
    },
}

/// How one checkout may proceed.
#[derive(Clone, Copy, PartialEq)]
enum Admission {
    Wait(Duration),
    Probe,
    Refused,
}

impl Breaker {
    fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn admit(&self) -> Admission {
        let mut health = self.health();
        match *health {
            Health::Reachable => Admission::Wait(CHECKOUT_TIMEOUT),
            Health::Suspect => Admission::Wait(PROBE_TIMEOUT),
            Health::Unreachable {
                since_probe,
                probing: false,
            } if since_probe.elapsed() >= PROBE_INTERVAL => {
                *health = Health::Unreachable {
                    since_probe,
                    probing: true,
                };
                Admission::Probe
            }
            Health::Unreachable { .. } => Admission::Refused,
        }
    }

    /// The outcome of an admitted checkout: `Some(reached)` when it says something about the
    /// database, `None` for a pool that was merely busy.
    fn record(&self, admission: Admission, reached: Option<bool>) {
        let mut health = self.health();
        match reached {
            Some(true) => *health = Health::Reachable,
            Some(false) => {
                *health = Health::Unreachable {
                    since_probe: Instant::now(),
                    probing: false,
                }
            }
            None if admission == Admission::Probe => {
                *health = Health::Unreachable {
                    since_probe: Instant::now(),
                    probing: false,
                }
            }
            None => {}
        }
    }

    fn suspect(&self) {
        let mut health = self.health();
        if matches!(*health, Health::Reachable) {
            *health = Health::Suspect;
        }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConnection, ConnectionError> {
        match &self.backend {
            Backend::Postgres(url) => {
                // PostgreSQL's default plan caching: the batch lookups that once needed a plan
                // per execution probe their unique indexes by construction (`store::claims`).
                let conn = PgConnection::establish(url)?;
                Ok(DbConnection::Postgres(conn))
            }
            Backend::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path)?;
                // WAL lets readers work while one writer commits; the busy timeout makes writers
                // queue instead of failing at once; SQLite enforces foreign keys only on request.
                // Temporary storage in memory: a multi-row INSERT keeps the pages it changes in a
                // statement journal, which otherwise spills to a temporary file past 64 KiB.
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; \
                     PRAGMA temp_store = MEMORY;",
                )
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectionError> {
        conn.ping()
            .map_err(ConnectionError::CouldntSetupConfiguration)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        let lost = take_lost();
        if lost {
            self.breaker.suspect();
        }
        lost || conn.is_broken()
    }
}

/// The connection pool; cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<Manager>,
    breaker: Arc<Breaker>,
    backend_name: &'static str,
}

impl Db {
    /// Builds the pool without connecting: a database that is down at start-up is reported by
    /// the first use (and by `/health/ready`), and the pool reconnects once it is back.
    pub fn new(url: &str, max_connections: u32) -> Db {
        Db::observed(url, max_connections, Box::new(r2d2::NopEventHandler))
    }

    /// A pool whose checkouts and timeouts are reported to `events` (the metrics).
    pub fn observed(url: &str, max_connections: u32, events: Box<dyn r2d2::HandleEvent>) -> Db {
        let backend = Backend::from_url(url);
        let backend_name = backend.name();
        let breaker = Arc::new(Breaker::default());
        let pool = r2d2::Pool::builder()
            .max_size(max_connections)
            .min_idle(Some(0))
            .connection_timeout(CHECKOUT_TIMEOUT)
            // No `SELECT 1` before every checkout: a round trip per request for a rare event. A
            // connection found closed by its first query is discarded when it comes back (see
            // `connection_lost`); that request answers 503 and its client retries.
            .test_on_check_out(false)
            .event_handler(events)
            .build_unchecked(Manager {
                backend,
                breaker: breaker.clone(),
            });
        Db {
            pool,
            breaker,
            backend_name,
        }
    }

    /// Connections open and idle, and the most the pool opens.
    pub fn usage(&self) -> crate::metrics::PoolUsage {
        let state = self.pool.state();
        crate::metrics::PoolUsage {
            open: state.connections,
            idle: state.idle_connections,
            max: self.pool.max_size(),
        }
    }

    pub fn backend_name(&self) -> &'static str {
        self.backend_name
    }

    /// A connection from the pool; at once an error while the database is known unreachable.
    pub fn get(&self) -> Result<r2d2::PooledConnection<Manager>, StoreError> {
        take_lost();
        let admission = self.breaker.admit();
        let timeout = match admission {
            Admission::Wait(timeout) => timeout,
            Admission::Probe => PROBE_TIMEOUT,
            Admission::Refused => {
                return Err(StoreError::Unavailable(
                    "database unreachable at the last attempt".into(),
                ));
            }
        };
        match self.pool.get_timeout(timeout) {
            Ok(conn) => {
                self.breaker.record(admission, Some(true));
                Ok(conn)
            }
            Err(e) => {
                let message = e.to_string();
                // r2d2 appends the last connection error to its timeout, if there was one;
                // without one, the pool was only busy.
                let unreachable = message.contains(": ");
                self.breaker.record(admission, unreachable.then_some(false));
                Err(StoreError::Unavailable(message))
            }
        }
    }

    /// Runs the embedded migrations of this backend. On PostgreSQL under an advisory lock, so
    /// that instances starting at once migrate one after the other (the later finds nothing
    /// pending) instead of both creating the same tables; the lock is per schema, the unit a
    /// deployment migrates.
    pub fn migrate(&self) -> Result<(), StoreError> {
        let mut conn = self.get()?;
        let result = match &mut *conn {
            DbConnection::Postgres(c) => {
                c.batch_execute(&format!(
                    "SELECT pg_advisory_lock({MIGRATION_LOCK}, hashtext(current_schema()))"
                ))?;
                let migrated = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(drop);
                c.batch_execute(&format!(
                    "SELECT pg_advisory_unlock({MIGRATION_LOCK}, hashtext(current_schema()))"
                ))?;
                migrated
            }
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(drop),
        };
        result.map_err(|e| StoreError::Migration(e.to_string()))
    }

    /// Runs blocking database work on the blocking thread pool, with a pooled connection. A
    /// panic in `work` is a fault of ours, reported as such, not as an unavailable database.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.get()?;
            work(&mut conn)
        })
        .await
        .map_err(|e| {
            E::from(if e.is_panic() {
                StoreError::Panicked
            } else {
                StoreError::Unavailable(e.to_string())
            })
        })?
    }
}

/// Checks that the database answers.
pub fn ping(conn: &mut DbConnection) -> Result<(), StoreError> {
    conn.ping().map_err(StoreError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn while_unreachable_one_checkout_per_interval_probes_and_the_others_are_refused() {
        let breaker = Breaker::default();
        let first = breaker.admit();
        assert!(first == Admission::Wait(CHECKOUT_TIMEOUT));
        breaker.record(first, Some(false));
        assert!(breaker.admit() == Admission::Refused);

        std::thread::sleep(PROBE_INTERVAL);
        assert!(breaker.admit() == Admission::Probe);
        assert!(breaker.admit() == Admission::Refused, "one probe at a time");
        breaker.record(Admission::Probe, None);
        assert!(
            breaker.admit() == Admission::Refused,
            "a failed probe waits again"
        );

        std::thread::sleep(PROBE_INTERVAL);
        assert!(breaker.admit() == Admission::Probe);
        breaker.record(Admission::Probe, Some(true));
        assert!(breaker.admit() == Admission::Wait(CHECKOUT_TIMEOUT));
    }

    #[test]
    fn a_sqlite_connection_writes_ahead_checks_foreign_keys_and_keeps_temporary_data_in_memory() {
        use diesel::RunQueryDsl;
        use diesel::sql_types::Text;

        #[derive(diesel::QueryableByName)]
        struct Setting {
            #[diesel(sql_type = Text)]
            value: String,
        }
        let path = std::env::temp_dir().join(format!("pragmas-{}.db", uuid::Uuid::now_v7()));
        let db = Db::new(path.to_str().expect("a UTF-8 temporary path"), 1);
        let mut conn = db.get().expect("a SQLite connection");
        let DbConnection::Sqlite(sqlite) = &mut *conn else {
            panic!("a file path is SQLite");
        };
        let mut setting = |name: &str| {
            diesel::sql_query(format!(
                "SELECT CAST({name} AS TEXT) AS value FROM pragma_{name}"
            ))
            .get_result::<Setting>(sqlite)
            .expect("a pragma")
            .value
        };
        // temp_store 2 is MEMORY: the statement journals of the batch inserts stay off the disk.
        assert_eq!(
            [
                setting("journal_mode"),
                setting("synchronous"),
                setting("foreign_keys"),
                setting("temp_store")
            ],
            ["wal", "1", "1", "2"]
        );
        drop(conn);
        drop(db);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    #[test]
    fn a_lost_connection_shortens_the_wait_until_a_checkout_succeeds() {
        let breaker = Breaker::default();
        breaker.suspect();
        let admission = breaker.admit();
        assert!(admission == Admission::Wait(PROBE_TIMEOUT));
        breaker.record(admission, None);
        assert!(
            breaker.admit() == Admission::Wait(PROBE_TIMEOUT),
            "a busy pool says nothing about the database"
        );
        breaker.record(admission, Some(true));
        assert!(breaker.admit() == Admission::Wait(CHECKOUT_TIMEOUT));
    }
}
