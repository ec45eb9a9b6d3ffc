//! Connecting, migrating and running statements on either backend.
//!
//! Statements are `sea-query` values; [`Executes`] builds them for the dialect of the
//! connection at hand and decodes rows into types that decode from both backends.

use crate::DbError;
use sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
use sea_query_binder::SqlxBinder;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous};
use sqlx::{FromRow, PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// A row type that decodes from both backends.
pub trait FromBothRows: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> FromBothRows for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// A scalar that decodes from both backends.
pub trait BothScalar:
    for<'r> sqlx::Decode<'r, Sqlite>
    + sqlx::Type<Sqlite>
    + for<'r> sqlx::Decode<'r, Postgres>
    + sqlx::Type<Postgres>
    + Send
    + Unpin
{
}
impl<T> BothScalar for T where
    T: for<'r> sqlx::Decode<'r, Sqlite>
        + sqlx::Type<Sqlite>
        + for<'r> sqlx::Decode<'r, Postgres>
        + sqlx::Type<Postgres>
        + Send
        + Unpin
{
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How to connect. `Debug` hides the URL's password.
#[derive(Clone)]
pub struct DbOptions {
    /// `sqlite:path/to/file.db` or `postgres://…`.
    pub url: String,
    /// Pool size (PostgreSQL connections; SQLite readers). SQLite always has one writer.
    pub max_connections: u32,
    /// How long a request waits for a connection before it is answered 503.
    pub acquire_timeout: Duration,
}

impl DbOptions {
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into(), max_connections: 8, acquire_timeout: Duration::from_secs(5) }
    }
}

impl std::fmt::Debug for DbOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbOptions")
            .field("url", &redact_password(&self.url))
            .field("max_connections", &self.max_connections)
            .field("acquire_timeout", &self.acquire_timeout)
            .finish()
    }
}

/// A database URL fit to show: the password of `scheme://user:password@host/…` and of a
/// `password=` query parameter replaced by `[redacted]`.
pub fn redact_password(url: &str) -> String {
    const HIDDEN: &str = "[redacted]";
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let mut shown = match base.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_once('/').map_or((rest, None), |(a, p)| (a, Some(p)));
            let authority = match authority.rsplit_once('@') {
                Some((user_info, host)) => match user_info.split_once(':') {
                    Some((user, _)) => format!("{user}:{HIDDEN}@{host}"),
                    None => authority.to_owned(),
                },
                None => authority.to_owned(),
            };
            match path {
                Some(path) => format!("{scheme}://{authority}/{path}"),
                None => format!("{scheme}://{authority}"),
            }
        }
        None => base.to_owned(),
    };
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}={HIDDEN}"),
                _ => pair.to_owned(),
            })
            .collect();
        shown.push('?');
        shown.push_str(&pairs.join("&"));
    }
    shown
}

/// The database: a pool per backend. Cloning is cheap (pools are shared handles).
#[derive(Clone, Debug)]
pub struct Db {
    pools: Pools,
}

#[derive(Clone, Debug)]
enum Pools {
    /// WAL-mode SQLite: many readers, and one writer so that writes queue in-process
    /// instead of failing with "database is locked".
    Sqlite {
        readers: SqlitePool,
        writer: SqlitePool,
    },
    Postgres(PgPool),
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Connects without migrating.
    pub async fn connect(options: &DbOptions) -> Result<Db, DbError> {
        if options.url.starts_with("postgres:") || options.url.starts_with("postgresql:") {
            // No JIT: it compiled list queries for ~100 ms per execution (measured), far more
            // than the queries themselves take. Custom plans: a search's selectivity depends
            // on its term, and the generic plan PostgreSQL switched to after five executions
            // ran the search list in 820 ms instead of 20 ms (measured).
            let connect = PgConnectOptions::from_str(&options.url)?
                .application_name("harrastuspassi")
                .options([("jit", "off"), ("plan_cache_mode", "force_custom_plan")]);
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections.max(1))
                .acquire_timeout(options.acquire_timeout)
                .test_before_acquire(false)
                .connect_with(connect)
                .await?;
            return Ok(Db { pools: Pools::Postgres(pool) });
        }
        let connect = SqliteConnectOptions::from_str(&options.url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // A small page cache per connection: the OS file cache is shared by all of them.
            .pragma("cache_size", "-2000")
            .pragma("temp_store", "memory");
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(options.acquire_timeout.max(Duration::from_secs(30)))
            .connect_with(connect.clone())
            .await?;
        let readers = SqlitePoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(options.acquire_timeout)
            .connect_with(connect.read_only(true))
            .await?;
        Ok(Db { pools: Pools::Sqlite { readers, writer } })
    }

    /// Connects and brings the schema up to date.
    pub async fn connect_and_migrate(options: &DbOptions) -> Result<Db, DbError> {
        let db = Self::connect(options).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Whether no migration has been applied yet: the database was just created (or is
    /// empty), and the data that comes with a new database is not there yet.
    pub async fn is_new(&self) -> Result<bool, DbError> {
        let applied: i64 = match &self.pools {
            Pools::Sqlite { writer, .. } => {
                let tables: i64 = sqlx::query_scalar(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
                )
                .fetch_one(writer)
                .await?;
                if tables == 0 {
                    0
                } else {
                    sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations").fetch_one(writer).await?
                }
            }
            Pools::Postgres(pool) => {
                let exists: bool =
                    sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL").fetch_one(pool).await?;
                if !exists {
                    0
                } else {
                    sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations").fetch_one(pool).await?
                }
            }
        };
        Ok(applied == 0)
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        match &self.pools {
            Pools::Sqlite { writer, .. } => SQLITE_MIGRATIONS.run(writer).await?,
            Pools::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match &self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// A connection for reading.
    pub async fn conn(&self) -> Result<Conn, DbError> {
        Ok(match &self.pools {
            Pools::Sqlite { readers, .. } => Conn::Sqlite(readers.acquire().await?),
            Pools::Postgres(pool) => Conn::Postgres(pool.acquire().await?),
        })
    }

    /// A transaction for writing. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`) so that it never fails half-way on a lock upgrade.
    pub async fn begin(&self) -> Result<Tx, DbError> {
        Ok(match &self.pools {
            Pools::Sqlite { writer, .. } => Tx::Sqlite(writer.begin_with("BEGIN IMMEDIATE").await?),
            Pools::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Pool figures for metrics: (connections open, idle).
    pub fn pool_usage(&self) -> (u32, usize) {
        match &self.pools {
            Pools::Sqlite { readers, writer } => {
                (readers.size() + writer.size(), readers.num_idle() + writer.num_idle())
            }
            Pools::Postgres(pool) => (pool.size(), pool.num_idle()),
        }
    }

    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { readers, writer } => {
                readers.close().await;
                writer.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }

    /// Refreshes the planner's statistics (and on PostgreSQL the visibility map) after bulk
    /// loads, so that the first queries do not pick plans made for empty tables nor compete
    /// with autovacuum.
    pub async fn analyze(&self) -> Result<(), DbError> {
        match self.backend() {
            Backend::Sqlite => self.execute_raw("ANALYZE").await,
            Backend::Postgres => self.execute_raw("VACUUM (ANALYZE)").await,
        }
    }

    /// Runs plain SQL without parameters (maintenance, tests).
    pub async fn execute_raw(&self, sql: &str) -> Result<(), DbError> {
        match &self.pools {
            Pools::Sqlite { writer, .. } => {
                sqlx::raw_sql(sql).execute(writer).await?;
            }
            Pools::Postgres(pool) => {
                sqlx::raw_sql(sql).execute(pool).await?;
            }
        }
        Ok(())
    }

    pub async fn fetch_all<T: FromBothRows>(&self, stmt: &impl SqlxBinder) -> Result<Vec<T>, DbError> {
        self.conn().await?.fetch_all(stmt).await
    }

    pub async fn fetch_optional<T: FromBothRows>(&self, stmt: &impl SqlxBinder) -> Result<Option<T>, DbError> {
        self.conn().await?.fetch_optional(stmt).await
    }

    pub async fn fetch_scalar<T: BothScalar>(&self, stmt: &impl SqlxBinder) -> Result<T, DbError> {
        self.conn().await?.fetch_scalar(stmt).await
    }
}

/// A pooled connection, returned to the pool on drop.
pub enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// A transaction; rolled back on drop unless committed.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub async fn commit(self) -> Result<(), DbError> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// A borrowed connection of either backend.
pub enum ConnRef<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// Anything statements can run on: a [`Conn`] or a [`Tx`].
pub trait Executes: Send {
    fn connection(&mut self) -> ConnRef<'_>;

    fn backend(&mut self) -> Backend {
        match self.connection() {
            ConnRef::Sqlite(_) => Backend::Sqlite,
            ConnRef::Postgres(_) => Backend::Postgres,
        }
    }

    fn fetch_all<T: FromBothRows>(
        &mut self,
        stmt: &impl SqlxBinder,
    ) -> impl std::future::Future<Output = Result<Vec<T>, DbError>> + Send {
        let built = build(self.backend(), stmt);
        async move {
            let (sql, values) = built;
            Ok(match self.connection() {
                ConnRef::Sqlite(c) => sqlx::query_as_with::<_, T, _>(&sql, values).fetch_all(c).await?,
                ConnRef::Postgres(c) => sqlx::query_as_with::<_, T, _>(&sql, values).fetch_all(c).await?,
            })
        }
    }

    fn fetch_optional<T: FromBothRows>(
        &mut self,
        stmt: &impl SqlxBinder,
    ) -> impl std::future::Future<Output = Result<Option<T>, DbError>> + Send {
        let built = build(self.backend(), stmt);
        async move {
            let (sql, values) = built;
            Ok(match self.connection() {
                ConnRef::Sqlite(c) => sqlx::query_as_with::<_, T, _>(&sql, values).fetch_optional(c).await?,
                ConnRef::Postgres(c) => sqlx::query_as_with::<_, T, _>(&sql, values).fetch_optional(c).await?,
            })
        }
    }

    /// The first column of the first row.
    fn fetch_scalar<T: BothScalar>(
        &mut self,
        stmt: &impl SqlxBinder,
    ) -> impl std::future::Future<Output = Result<T, DbError>> + Send {
        let built = build(self.backend(), stmt);
        async move {
            let (sql, values) = built;
            Ok(match self.connection() {
                ConnRef::Sqlite(c) => sqlx::query_scalar_with::<_, T, _>(&sql, values).fetch_one(c).await?,
                ConnRef::Postgres(c) => sqlx::query_scalar_with::<_, T, _>(&sql, values).fetch_one(c).await?,
            })
        }
    }

    /// The first column of every row.
    fn fetch_column<T: BothScalar>(
        &mut self,
        stmt: &impl SqlxBinder,
    ) -> impl std::future::Future<Output = Result<Vec<T>, DbError>> + Send {
        let built = build(self.backend(), stmt);
        async move {
            let (sql, values) = built;
            Ok(match self.connection() {
                ConnRef::Sqlite(c) => sqlx::query_scalar_with::<_, T, _>(&sql, values).fetch_all(c).await?,
                ConnRef::Postgres(c) => sqlx::query_scalar_with::<_, T, _>(&sql, values).fetch_all(c).await?,
            })
        }
    }

    /// Runs one statement of plain SQL without parameters (what `sea-query` has no builder for).
    fn execute_sql(&mut self, sql: &str) -> impl std::future::Future<Output = Result<(), DbError>> + Send {
        let sql = sql.to_owned();
        async move {
            match self.connection() {
                ConnRef::Sqlite(c) => {
                    sqlx::query(&sql).execute(c).await?;
                }
                ConnRef::Postgres(c) => {
                    sqlx::query(&sql).execute(c).await?;
                }
            }
            Ok(())
        }
    }

    /// Runs a statement and returns the number of rows it changed.
    fn execute(&mut self, stmt: &impl SqlxBinder) -> impl std::future::Future<Output = Result<u64, DbError>> + Send {
        let built = build(self.backend(), stmt);
        async move {
            let (sql, values) = built;
            Ok(match self.connection() {
                ConnRef::Sqlite(c) => sqlx::query_with(&sql, values).execute(c).await?.rows_affected(),
                ConnRef::Postgres(c) => sqlx::query_with(&sql, values).execute(c).await?.rows_affected(),
            })
        }
    }
}

fn build(backend: Backend, stmt: &impl SqlxBinder) -> (String, sea_query_binder::SqlxValues) {
    match backend {
        Backend::Sqlite => stmt.build_sqlx(SqliteQueryBuilder),
        Backend::Postgres => stmt.build_sqlx(PostgresQueryBuilder),
    }
}

impl Executes for Conn {
    fn connection(&mut self) -> ConnRef<'_> {
        match self {
            Conn::Sqlite(c) => ConnRef::Sqlite(c),
            Conn::Postgres(c) => ConnRef::Postgres(c),
        }
    }
}

impl Executes for Tx {
    fn connection(&mut self) -> ConnRef<'_> {
        match self {
            Tx::Sqlite(t) => ConnRef::Sqlite(t),
            Tx::Postgres(t) => ConnRef::Postgres(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{redact_password, DbOptions};

    #[test]
    fn passwords_of_database_urls_are_not_shown() {
        assert_eq!(redact_password("postgres://hp:s3cret@db:5432/hp"), "postgres://hp:[redacted]@db:5432/hp");
        assert_eq!(redact_password("postgres://a:b:c@db"), "postgres://a:[redacted]@db");
        assert_eq!(
            redact_password("postgres://hp@db/hp?sslmode=require&password=s3cret"),
            "postgres://hp@db/hp?sslmode=require&password=[redacted]"
        );
        assert_eq!(redact_password("postgres://hp@db/hp"), "postgres://hp@db/hp");
        assert_eq!(redact_password("sqlite:data/harrastuspassi.db"), "sqlite:data/harrastuspassi.db");
        let shown = format!("{:?}", DbOptions::new("postgres://hp:s3cret@db/hp"));
        assert!(!shown.contains("s3cret") && shown.contains("max_connections: 8"), "{shown}");
    }
}
