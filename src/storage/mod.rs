//! All SQL lives here, written once for SQLite and PostgreSQL.
//!
//! One code path serves both backends through sqlx's `Any` driver: queries use
//! `$n` placeholders, which both engines accept, and the schema sticks to
//! INTEGER/BIGINT and TEXT columns, which `Any` maps identically. Batches travel
//! as one JSON parameter unpacked by `json_rows`, so a statement's text never
//! depends on the batch size. Backend-specific SQL is confined to that helper,
//! the row-claiming clauses and the migrations (one set per backend).
//!
//! Writes go through `WriteTx`, which defers statements and sends them as few
//! round trips as it can; see `tx.rs` for why that matters on SQLite.

pub mod app_secrets;
pub mod attempts;
pub mod catalog_sync;
pub mod catalogue;
pub mod contacts;
pub mod counts;
pub mod deliveries;
pub mod events;
pub mod files;
pub mod held;
pub mod inbox;
pub mod items;
pub mod locations;
pub mod log;
pub mod notify;
pub mod orders;
pub mod outbound;
pub mod pending;
pub mod prefs;
pub mod probe;
pub mod purchase_orders;
pub mod reach;
pub mod reports;
pub mod sessions;
pub mod stock_requests;
pub mod subscriptions;
pub mod suppliers;
pub mod tokens;
mod tx;

use std::{sync::Arc, time::Duration};

use sqlx::{
    AnyConnection, AnyPool, Executor,
    any::{AnyPoolOptions, install_default_drivers},
};
use tokio::sync::Mutex;

pub use tx::{Arg, Stmt, WriteTx};

pub type DbResult<T> = Result<T, sqlx::Error>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle on the database: a pool for reads, `begin()` for writes.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer at a time; writers of this process queue here
    /// instead of colliding inside SQLite's busy handler (milliseconds of sleep).
    write_lock: Option<Arc<Mutex<()>>>,
}

/// How hard SQLite works to keep a commit through a power cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SqliteSync {
    /// WAL with `synchronous=NORMAL`: every commit survives a crash or
    /// `kill -9` of backroom; a power cut or OS crash can lose the last few.
    #[default]
    Normal,
    /// `synchronous=FULL`: each commit is flushed to disk before it returns.
    Full,
}

impl Db {
    /// Connects to `sqlite://…` or `postgres://…` with default settings.
    pub async fn connect(url: &str) -> DbResult<Self> {
        Self::connect_with(url, SqliteSync::default()).await
    }

    /// Connects, choosing SQLite's durability level.
    pub async fn connect_with(url: &str, sync: SqliteSync) -> DbResult<Self> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let mut options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        let file = sqlite_file(url);
        if let Some(path) = &file {
            files::make_private(path).map_err(sqlx::Error::Io)?;
        }
        if backend == Backend::Sqlite {
            // WAL lets readers run beside the writer; switching needs an exclusive
            // lock, so do it once here rather than on every pooled connection.
            let mut first = <AnyConnection as sqlx::Connection>::connect(url).await?;
            first.execute("PRAGMA journal_mode = WAL").await?;
            sqlx::Connection::close(first).await?;
            // A local file does not go stale: skip the ping before each checkout,
            // which would cost a round trip to SQLite's worker thread.
            let pragmas = match sync {
                SqliteSync::Normal => "PRAGMA synchronous = NORMAL",
                SqliteSync::Full => "PRAGMA synchronous = FULL",
            };
            options = options
                .max_connections(4)
                .test_before_acquire(false)
                .after_connect(move |conn, _meta| {
                    Box::pin(async move {
                        conn.execute(pragmas).await?;
                        // 8 MB of page cache per connection keeps the hot index pages in
                        // memory; statement journals (multi-row upserts) stay in memory
                        // instead of temp files; checkpoints, which run inside a commit,
                        // come every 16 MB of WAL instead of every 4 MB.
                        conn.execute(
                            "PRAGMA busy_timeout = 10000; PRAGMA cache_size = -8000; \
                             PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 4000",
                        )
                        .await?;
                        Ok(())
                    })
                });
        } else {
            reach::probe(url).await?;
            options = options.max_connections(16);
        }
        let pool = options.connect(url).await?;
        if let Some(path) = &file {
            // The WAL and its index now exist; SQLite gives them the main
            // file's mode, and this makes sure of it.
            files::make_private(path).map_err(sqlx::Error::Io)?;
        }
        Ok(Self {
            pool,
            backend,
            write_lock: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
        })
    }

    /// Applies every pending migration for this backend.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&self.pool).await,
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.pool)
                    .await
            }
        }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// Starts a write transaction. On SQLite it first waits its turn behind
    /// this process's other writers.
    pub async fn begin(&self) -> DbResult<WriteTx> {
        let guard = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        WriteTx::start(self, guard).await
    }

    /// Ends every lease. Only for SQLite at start-up: one process serves an
    /// SQLite file, so any lease found then belonged to a process that died.
    /// Inbox rows are free again at once; an outbound message's lease is
    /// marked lapsed now, which puts its send in doubt (see `outbound::claim`).
    pub async fn release_leases(&self) -> DbResult<()> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        tx.queue(Stmt::new(
            "UPDATE inbox SET locked_until = 0 WHERE status = 'pending' AND locked_until > 0",
        ));
        tx.queue(
            Stmt::new(
                "UPDATE outbound_messages SET locked_until = $1 \
                 WHERE status = 'queued' AND locked_until > $1",
            )
            .bind(now),
        );
        // A catalogue update repeats harmlessly: send it again at once.
        tx.queue(Stmt::new(
            "UPDATE catalog_updates SET locked_until = 0 WHERE locked_until > 0",
        ));
        tx.commit().await
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A column of a JSON-batched row set.
#[derive(Debug, Clone, Copy)]
pub enum Col {
    Int(&'static str),
    Text(&'static str),
}

/// A row source, usable after `FROM`, that unpacks parameter `$n` — a JSON
/// array of objects — into typed columns, aliased `v`.
///
/// A batch thus travels as one bound parameter under one unchanging SQL text:
/// the statement is prepared once and cached, whatever the batch size, and no
/// engine's parameter limit applies.
pub fn json_rows(backend: Backend, param: usize, cols: &[Col]) -> String {
    match backend {
        Backend::Postgres => {
            let defs: Vec<String> = cols
                .iter()
                .map(|c| match c {
                    Col::Int(n) => format!("{n} BIGINT"),
                    Col::Text(n) => format!("{n} TEXT"),
                })
                .collect();
            format!(
                "json_to_recordset(${param}::json) AS v({})",
                defs.join(", ")
            )
        }
        Backend::Sqlite => {
            let picks: Vec<String> = cols
                .iter()
                .map(|c| {
                    let (Col::Int(n) | Col::Text(n)) = c;
                    format!("value ->> '{n}' AS {n}")
                })
                .collect();
            // jsonb_each hands each element over in SQLite's binary JSON, so the
            // `->>` lookups read it directly instead of re-parsing text per column.
            format!(
                "(SELECT {} FROM jsonb_each(${param})) AS v",
                picks.join(", ")
            )
        }
    }
}

/// Serialises a batch for `json_rows`.
pub fn to_json<T: serde::Serialize>(rows: &[T]) -> String {
    serde_json::to_string(rows).expect("rows serialise")
}

/// A list of strings as one parameter: `IN (SELECT v.k FROM {keys_from(..)})`
/// with `keys_json(..)` bound to `$param`.
pub fn keys_from(backend: Backend, param: usize) -> String {
    json_rows(backend, param, &[Col::Text("k")])
}

pub fn keys_json(values: &[&str]) -> String {
    #[derive(serde::Serialize)]
    struct Key<'a> {
        k: &'a str,
    }
    to_json(&values.iter().map(|k| Key { k }).collect::<Vec<_>>())
}

/// The claim suffix for a sub-select that picks work rows: replicas on
/// PostgreSQL skip rows another replica is claiming at the same moment.
pub fn skip_locked(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    }
}

/// Row locks for a read inside a write transaction; SQLite's write
/// transaction already excludes other writers.
pub fn for_update(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "FOR UPDATE",
        Backend::Sqlite => "",
    }
}

/// Writes a consistent copy of an SQLite database to `path` while it stays in
/// use (`VACUUM INTO` reads one snapshot). The copy is readable by its owner
/// only, like the database: it holds the same customers and secrets.
pub async fn backup(db: &Db, path: &std::path::Path) -> DbResult<()> {
    // VACUUM INTO writes into an empty file as it finds it, mode included.
    files::create_private(path).map_err(sqlx::Error::Io)?;
    sqlx::query("VACUUM INTO $1")
        .bind(path.to_string_lossy().into_owned())
        .execute(db.pool())
        .await?;
    files::make_private(path).map_err(sqlx::Error::Io)
}

/// The file of an `sqlite://FILE?…` URL; `None` for PostgreSQL and for
/// in-memory databases.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or_default();
    // sqlx decodes `%20` and the like in the path; so must we, or the file
    // made private would not be the file SQLite opens.
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?
        .into_owned();
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| path.into())
}

/// Milliseconds since the Unix epoch: the one time format in the schema.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
