//! `WriteTx`: a write transaction that sends its statements in as few round
//! trips as the backend allows.
//!
//! sqlx runs each SQLite connection on its own thread, so every statement is a
//! hand-off between threads — tens of microseconds here, more under load —
//! while the process-wide write turn is held. Statements that return nothing
//! are therefore queued, and sent together with the next statement whose rows
//! are needed, or with COMMIT: on SQLite as one multi-statement command
//! (`BEGIN IMMEDIATE; …; COMMIT`), on PostgreSQL one after another inside a
//! normal transaction. The result is the same transaction either way; only the
//! number of hand-offs differs.
//!
//! sqlx has deprecated multi-statement prepared queries; if it drops them,
//! SQLite can take the PostgreSQL path here with no other change.

use std::borrow::Cow;

use sqlx::{
    Any, AnyConnection, AssertSqlSafe, FromRow, Transaction, any::AnyRow, pool::PoolConnection,
};
use tokio::sync::OwnedMutexGuard;

use super::{Backend, Db, DbResult};

/// A bound parameter, owned so the statement can wait in a queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(Some(v))
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(Some(v.to_string()))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::Text(v)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Arg::Text(v.map(str::to_string))
    }
}

/// A statement with `$1…$n` placeholders and its parameters.
#[derive(Debug, Clone)]
pub struct Stmt {
    sql: Cow<'static, str>,
    args: Vec<Arg>,
}

impl Stmt {
    pub fn new(sql: impl Into<Cow<'static, str>>) -> Self {
        Self {
            sql: sql.into(),
            args: Vec::new(),
        }
    }

    pub fn bind(mut self, arg: impl Into<Arg>) -> Self {
        self.args.push(arg.into());
        self
    }
}

fn bind_all<'q, O>(
    mut q: sqlx::query::QueryAs<'q, Any, O, sqlx::any::AnyArguments>,
    args: Vec<Arg>,
) -> sqlx::query::QueryAs<'q, Any, O, sqlx::any::AnyArguments> {
    for arg in args {
        q = match arg {
            Arg::Int(v) => q.bind(v),
            Arg::Text(v) => q.bind(v),
        };
    }
    q
}

/// Rewrites `$n` as `$(n + offset)` so statements can share one parameter list.
fn shift_placeholders(sql: &str, offset: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        out.push(c);
        if c != '$' {
            continue;
        }
        let mut digits = String::new();
        while let Some(&(_, d)) = chars.peek() {
            if !d.is_ascii_digit() {
                break;
            }
            digits.push(d);
            chars.next();
        }
        match digits.parse::<usize>() {
            Ok(n) => out.push_str(&(n + offset).to_string()),
            Err(_) => out.push_str(&digits),
        }
    }
    out
}

enum Inner {
    Sqlite {
        conn: PoolConnection<Any>,
        /// BEGIN has been sent: a failure from here on must roll back.
        open: bool,
    },
    Postgres(Transaction<'static, Any>),
    /// Committed.
    Done,
}

/// A write transaction; dropped without `commit` it rolls back.
pub struct WriteTx {
    inner: Inner,
    queued: Vec<Stmt>,
    /// Run at the commit, after everything else queued (see `queue_at_commit`).
    at_commit: Vec<Stmt>,
    backend: Backend,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub(super) async fn start(db: &Db, turn: Option<OwnedMutexGuard<()>>) -> DbResult<Self> {
        let inner = match db.backend {
            Backend::Sqlite => Inner::Sqlite {
                conn: db.pool.acquire().await?,
                open: false,
            },
            Backend::Postgres => Inner::Postgres(db.pool.begin().await?),
        };
        Ok(Self {
            inner,
            queued: Vec::new(),
            at_commit: Vec::new(),
            backend: db.backend,
            _turn: turn,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Queues a statement that returns no rows; it runs before the next fetch
    /// or the commit, and its errors surface there.
    pub fn queue(&mut self, stmt: Stmt) {
        self.queued.push(stmt);
    }

    /// Queues a statement to run only at the commit, after all others: for a
    /// row many transactions write (a running total), so its lock is held for
    /// the commit's round trip alone.
    pub fn queue_at_commit(&mut self, stmt: Stmt) {
        self.at_commit.push(stmt);
    }

    /// Runs the queued statements, then `stmt`, and returns `stmt`'s rows.
    pub async fn fetch_all<T>(&mut self, stmt: Stmt) -> DbResult<Vec<T>>
    where
        T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        self.flush(Some(stmt), false).await
    }

    /// Runs everything queued and commits.
    pub async fn commit(mut self) -> DbResult<()> {
        self.flush::<()>(None, true).await.map(|_| ())
    }

    /// Runs `stmt` last, commits, and returns `stmt`'s rows: one round trip
    /// for a whole transaction that ends in a claim.
    pub async fn commit_with<T>(mut self, stmt: Stmt) -> DbResult<Vec<T>>
    where
        T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        self.flush(Some(stmt), true).await
    }

    async fn flush<T>(&mut self, last: Option<Stmt>, commit: bool) -> DbResult<Vec<T>>
    where
        T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        let mut queued = std::mem::take(&mut self.queued);
        if commit {
            queued.append(&mut self.at_commit);
        }
        match &mut self.inner {
            Inner::Sqlite { conn, open } => {
                let mut sql = String::new();
                let mut args = Vec::new();
                if !*open {
                    sql.push_str("BEGIN IMMEDIATE;\n");
                    *open = true;
                }
                for stmt in queued.into_iter().chain(last) {
                    sql.push_str(&shift_placeholders(&stmt.sql, args.len()));
                    sql.push_str(";\n");
                    args.extend(stmt.args);
                }
                if commit {
                    sql.push_str("COMMIT;");
                }
                let q = bind_all(sqlx::query_as::<_, T>(AssertSqlSafe(sql)), args);
                match q.fetch_all(&mut **conn).await {
                    Ok(rows) => {
                        if commit {
                            *open = false;
                        }
                        Ok(rows)
                    }
                    Err(e) => {
                        rollback(conn).await;
                        *open = false;
                        Err(e)
                    }
                }
            }
            Inner::Postgres(tx) => {
                for stmt in queued {
                    let q = bind_all(sqlx::query_as::<_, ()>(AssertSqlSafe(stmt.sql)), stmt.args);
                    q.fetch_all(&mut **tx).await?;
                }
                let rows = match last {
                    Some(stmt) => {
                        bind_all(sqlx::query_as::<_, T>(AssertSqlSafe(stmt.sql)), stmt.args)
                            .fetch_all(&mut **tx)
                            .await?
                    }
                    None => Vec::new(),
                };
                if commit {
                    let Inner::Postgres(tx) = std::mem::replace(&mut self.inner, Inner::Done)
                    else {
                        unreachable!("matched above")
                    };
                    tx.commit().await?;
                }
                Ok(rows)
            }
            Inner::Done => Err(sqlx::Error::Protocol("transaction already finished".into())),
        }
    }
}

async fn rollback(conn: &mut PoolConnection<Any>) {
    let conn: &mut AnyConnection = conn;
    if sqlx::query("ROLLBACK").execute(conn).await.is_err() {
        // Nothing to roll back (the failure came before BEGIN took effect).
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        // A SQLite transaction left open cannot be rolled back from a sync
        // drop; closing the connection makes SQLite discard it.
        if let Inner::Sqlite { conn, open: true } = &mut self.inner {
            conn.close_on_drop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::shift_placeholders;

    #[test]
    fn placeholders_shift() {
        assert_eq!(
            shift_placeholders("UPDATE t SET a = $1 WHERE b = $2 AND c = $12", 3),
            "UPDATE t SET a = $4 WHERE b = $5 AND c = $15"
        );
        assert_eq!(shift_placeholders("SELECT '$'", 3), "SELECT '$'");
    }
}
