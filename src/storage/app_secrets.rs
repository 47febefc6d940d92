//! Values backroom generates for itself once and keeps: the first writer's
//! value wins, so replicas starting together agree.

use super::{Db, DbResult, Stmt};

/// The stored value of `name`, storing `candidate` first if there is none.
pub async fn get_or_create(db: &Db, name: &str, candidate: &str, now: i64) -> DbResult<String> {
    let mut tx = db.begin().await?;
    tx.queue(
        Stmt::new(
            "INSERT INTO app_secrets (name, value, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(candidate)
        .bind(now),
    );
    tx.commit().await?;
    sqlx::query_scalar("SELECT value FROM app_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(db.pool())
        .await
}
