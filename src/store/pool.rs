//! Connections to PostgreSQL or SQLite behind one type, pooled, with blocking work kept off the
//! async executor.

use std::time::Duration;

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
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConnection, ConnectionError> {
        match &self.backend {
            Backend::Postgres(url) => {
                let mut conn = PgConnection::establish(url)?;
                // Plan every execution for its own parameters. A generic plan cached while the
                // tables were nearly empty (a fresh deployment, before autovacuum analyzes them)
                // would keep scanning whole tables for every batch; planning these short
                // lookups costs a fraction of a millisecond.
                conn.batch_execute("SET plan_cache_mode = force_custom_plan")
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Postgres(conn))
            }
            Backend::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path)?;
                // WAL lets readers work while one writer commits; the busy timeout makes writers
                // queue instead of failing at once; SQLite enforces foreign keys only on request.
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;",
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
        conn.is_broken()
    }
}

/// The connection pool; cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<Manager>,
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
        let pool = r2d2::Pool::builder()
            .max_size(max_connections)
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(5))
            .event_handler(events)
            .build_unchecked(Manager { backend });
        Db { pool, backend_name }
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

    pub fn get(&self) -> Result<r2d2::PooledConnection<Manager>, StoreError> {
        self.pool
            .get()
            .map_err(|e| StoreError::Unavailable(e.to_string()))
    }

    /// Runs the embedded migrations of this backend.
    pub fn migrate(&self) -> Result<(), StoreError> {
        let mut conn = self.get()?;
        let result = match &mut *conn {
            DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(drop),
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
