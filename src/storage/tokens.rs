//! API tokens: only a hash of each is stored.

use sqlx::FromRow;

use super::{Db, DbResult, Stmt};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub scopes: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

const COLUMNS: &str = "id, name, prefix, scopes, created_at, last_used_at, revoked_at";

pub async fn insert(
    db: &Db,
    name: &str,
    prefix: &str,
    token_hash: &str,
    scopes: &str,
    now: i64,
) -> DbResult<TokenRow> {
    let tx = db.begin().await?;
    let rows: Vec<TokenRow> = tx
        .commit_with(
            Stmt::new(format!(
                "INSERT INTO api_tokens (name, prefix, token_hash, scopes, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"
            ))
            .bind(name)
            .bind(prefix)
            .bind(token_hash)
            .bind(scopes)
            .bind(now),
        )
        .await?;
    rows.into_iter().next().ok_or(sqlx::Error::RowNotFound)
}

/// The live (not revoked) token with this hash.
pub async fn find_live(db: &Db, token_hash: &str) -> DbResult<Option<TokenRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
    )))
    .bind(token_hash)
    .fetch_optional(db.pool())
    .await
}

pub async fn touch(db: &Db, id: i64, now: i64) -> DbResult<()> {
    let mut tx = db.begin().await?;
    tx.queue(
        Stmt::new("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id),
    );
    tx.commit().await
}

pub async fn list(db: &Db) -> DbResult<Vec<TokenRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM api_tokens ORDER BY id"
    )))
    .fetch_all(db.pool())
    .await
}

pub async fn get(db: &Db, id: i64) -> DbResult<Option<TokenRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db.pool())
    .await
}

/// Revokes a token; true when it was live.
pub async fn revoke(db: &Db, id: i64, now: i64) -> DbResult<bool> {
    let tx = db.begin().await?;
    let rows: Vec<(i64,)> = tx
        .commit_with(
            Stmt::new(
                "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL \
                 RETURNING id",
            )
            .bind(now)
            .bind(id),
        )
        .await?;
    Ok(!rows.is_empty())
}

/// A stored answer to an idempotent request.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Replay {
    pub fingerprint: String,
    pub status: i64,
    pub body: String,
}

pub async fn replay(db: &Db, token_id: i64, key: &str) -> DbResult<Option<Replay>> {
    sqlx::query_as(
        "SELECT fingerprint, status, body FROM idempotency_keys WHERE token_id = $1 AND key = $2",
    )
    .bind(token_id)
    .bind(key)
    .fetch_optional(db.pool())
    .await
}

/// Queues storing the answer, in the transaction that did the work. A
/// concurrent twin fails on the primary key and rolls back.
pub fn remember(tx: &mut super::WriteTx, token_id: i64, key: &str, answer: &Replay, now: i64) {
    tx.queue(
        Stmt::new(
            "INSERT INTO idempotency_keys (token_id, key, fingerprint, status, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_id)
        .bind(key)
        .bind(answer.fingerprint.as_str())
        .bind(answer.status)
        .bind(answer.body.as_str())
        .bind(now),
    );
}
