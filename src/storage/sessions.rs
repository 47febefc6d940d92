//! Dashboard sign-in: one-time codes and sessions, both stored as hashes.

use super::{Db, DbResult, Stmt};

/// How many codes a number may be sent since a time.
pub struct CodeLimit {
    pub since: i64,
    /// In all.
    pub per_number: i64,
    /// At one client address's asking.
    pub per_client: i64,
}

/// Stores a new code for an owner's number if the limits allow, and says
/// whether it did. The number's earlier codes stop working, so the newest
/// code's tries are the only ones anyone gets. The count and the insert are
/// one transaction, with the owner's contact row locked, so requests racing
/// each other cannot pass the limit together.
pub async fn add_code(
    db: &Db,
    phone: &str,
    client: &str,
    code_hash: &str,
    (now, expires_at): (i64, i64),
    limit: &CodeLimit,
) -> DbResult<bool> {
    let mut tx = db.begin().await?;
    let lock = format!(
        "SELECT wa_id FROM contacts WHERE wa_id = $1 {}",
        super::for_update(tx.backend())
    );
    tx.fetch_all::<(String,)>(Stmt::new(lock).bind(phone))
        .await?;
    let counts: Vec<(i64, i64)> = tx
        .fetch_all(
            Stmt::new(
                "SELECT CAST(COUNT(*) AS BIGINT), \
                 CAST(COALESCE(SUM(CASE WHEN client = $2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
                 FROM login_codes WHERE phone = $1 AND created_at >= $3",
            )
            .bind(phone)
            .bind(client)
            .bind(limit.since),
        )
        .await?;
    let (all, theirs) = counts.first().copied().unwrap_or_default();
    if all >= limit.per_number || theirs >= limit.per_client {
        tx.commit().await?;
        return Ok(false);
    }
    tx.queue(
        Stmt::new("UPDATE login_codes SET used_at = $2 WHERE phone = $1 AND used_at IS NULL")
            .bind(phone)
            .bind(now),
    );
    tx.queue(
        Stmt::new(
            "INSERT INTO login_codes (phone, client, code_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(phone)
        .bind(client)
        .bind(code_hash)
        .bind(now)
        .bind(expires_at),
    );
    tx.commit().await?;
    Ok(true)
}

/// Checks a code against the number's newest live code, counting the
/// attempt; true (and the code used up) when it matches. A code whose tries
/// are spent fails however it is typed.
pub async fn check_code(
    db: &Db,
    phone: &str,
    code_hash: &str,
    max_attempts: i64,
    now: i64,
) -> DbResult<bool> {
    let tx = db.begin().await?;
    let rows: Vec<(i64, String, i64)> = tx
        .commit_with(
            Stmt::new(
                "UPDATE login_codes SET attempts = attempts + 1, \
                 used_at = CASE WHEN code_hash = $2 AND attempts < $4 THEN $3 ELSE used_at END \
                 WHERE id = (SELECT id FROM login_codes WHERE phone = $1 AND used_at IS NULL \
                             AND expires_at > $3 ORDER BY id DESC LIMIT 1) \
                 RETURNING id, code_hash, attempts",
            )
            .bind(phone)
            .bind(code_hash)
            .bind(now)
            .bind(max_attempts),
        )
        .await?;
    Ok(rows
        .first()
        .is_some_and(|(_, h, tries)| h == code_hash && *tries <= max_attempts))
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

/// The live session's (phone, csrf token) — only while its number is still
/// an owner's: a demoted owner's sessions stop working at once.
pub async fn find(db: &Db, token_hash: &str, now: i64) -> DbResult<Option<(String, String)>> {
    sqlx::query_as(
        "SELECT s.phone, s.csrf FROM sessions s \
         JOIN contacts c ON c.wa_id = s.phone AND c.role = 'owner' \
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db.pool())
    .await
}

/// Ends every session of a number (its owner role was taken away).
pub fn end_all(tx: &mut super::WriteTx, phone: &str) {
    tx.queue(Stmt::new("DELETE FROM sessions WHERE phone = $1").bind(phone));
}

pub async fn delete(db: &Db, token_hash: &str) -> DbResult<()> {
    let mut tx = db.begin().await?;
    tx.queue(Stmt::new("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash));
    tx.commit().await
}
