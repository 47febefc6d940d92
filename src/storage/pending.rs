//! Questions the bot asked with reply buttons, waiting for a tap.

use super::{Stmt, WriteTx, for_update};

/// Stores what a "yes" will do and returns the question's id.
pub async fn create(
    tx: &mut WriteTx,
    contact: &str,
    action: &serde_json::Value,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<i64> {
    let rows: Vec<(i64,)> = tx
        .fetch_all(
            Stmt::new(
                "INSERT INTO pending_actions (contact, action, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(contact)
            .bind(action.to_string())
            .bind(now)
            .bind(expires_at),
        )
        .await?;
    rows.first().map(|r| r.0).ok_or(sqlx::Error::RowNotFound)
}

/// Takes a question's action if it belongs to `contact`, is unused and has
/// not expired; it cannot be taken twice.
pub async fn take(
    tx: &mut WriteTx,
    id: i64,
    contact: &str,
    now: i64,
) -> sqlx::Result<Option<serde_json::Value>> {
    let sql = format!(
        "SELECT action FROM pending_actions WHERE id = $1 AND contact = $2 \
         AND used_at IS NULL AND expires_at > $3 {}",
        for_update(tx.backend())
    );
    let rows: Vec<(String,)> = tx
        .fetch_all(Stmt::new(sql).bind(id).bind(contact).bind(now))
        .await?;
    let Some((action,)) = rows.into_iter().next() else {
        return Ok(None);
    };
    tx.queue(
        Stmt::new("UPDATE pending_actions SET used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id),
    );
    Ok(serde_json::from_str(&action).ok())
}
