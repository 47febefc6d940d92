//! Dashboard sign-in: one-time codes and sessions, both stored as hashes.

use super::{Db, DbResult, Stmt};

/// Codes sent to a number since `since` (for rate limiting).
pub async fn codes_since(db: &Db, phone: &str, since: i64) -> DbResult<i64> {
    sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM login_codes WHERE phone = $1 AND created_at >= $2",
    )
    .bind(phone)
    .bind(since)
    .fetch_one(db.pool())
    .await
}

pub async fn add_code(
    db: &Db,
    phone: &str,
    code_hash: &str,
    now: i64,
    expires_at: i64,
) -> DbResult<()> {
    let mut tx = db.begin().await?;
    tx.queue(
        Stmt::new(
            "INSERT INTO login_codes (phone, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(phone)
        .bind(code_hash)
        .bind(now)
        .bind(expires_at),
    );
    tx.commit().await
}

/// Checks a code against the number's latest live code, counting the
/// attempt; true (and the code used up) when it matches.
pub async fn check_code(
    db: &Db,
    phone: &str,
    code_hash: &str,
    max_attempts: i64,
    now: i64,
) -> DbResult<bool> {
    let tx = db.begin().await?;
    let rows: Vec<(i64, String)> = tx
        .commit_with(
            Stmt::new(
                "UPDATE login_codes SET attempts = attempts + 1, \
                 used_at = CASE WHEN code_hash = $2 THEN $3 ELSE used_at END \
                 WHERE id = (SELECT id FROM login_codes WHERE phone = $1 AND used_at IS NULL \
                             AND expires_at > $3 AND attempts < $4 ORDER BY id DESC LIMIT 1) \
                 RETURNING id, code_hash",
            )
            .bind(phone)
            .bind(code_hash)
            .bind(now)
            .bind(max_attempts),
        )
        .await?;
    Ok(rows.first().is_some_and(|(_, h)| h == code_hash))
}

pub async fn create(
    db: &Db,
    token_hash: &str,
    phone: &str,
    csrf: &str,
    now: i64,
    expires_at: i64,
) -> DbResult<()> {
    let mut tx = db.begin().await?;
    tx.queue(
        Stmt::new(
            "INSERT INTO sessions (token_hash, phone, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(phone)
        .bind(csrf)
        .bind(now)
        .bind(expires_at),
    );
    tx.commit().await
}

/// The live session's (phone, csrf token).
pub async fn find(db: &Db, token_hash: &str, now: i64) -> DbResult<Option<(String, String)>> {
    sqlx::query_as("SELECT phone, csrf FROM sessions WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_hash)
        .bind(now)
        .fetch_optional(db.pool())
        .await
}

pub async fn delete(db: &Db, token_hash: &str) -> DbResult<()> {
    let mut tx = db.begin().await?;
    tx.queue(Stmt::new("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash));
    tx.commit().await
}
