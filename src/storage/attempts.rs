//! What subscribers and owners see of deliveries: the attempt log, stats,
//! manual retries and replays, and retention.

use sqlx::{AssertSqlSafe, FromRow};

use super::{Db, DbResult, Stmt};

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct AttemptRow {
    pub id: i64,
    pub delivery_id: i64,
    pub event_id: String,
    pub event_type: String,
    pub attempt: i64,
    pub at: i64,
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    pub response_body: Option<String>,
    pub error: Option<String>,
    pub next_retry_at: Option<i64>,
}

/// A subscription's attempts, newest first; one more than `limit`.
pub async fn log(
    db: &Db,
    subscription_id: i64,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<AttemptRow>> {
    sqlx::query_as(
        "SELECT id, delivery_id, event_id, event_type, attempt, at, status_code, latency_ms, \
         response_body, error, next_retry_at FROM webhook_attempts WHERE subscription_id = $1 \
         ORDER BY id DESC LIMIT $2 OFFSET $3",
    )
    .bind(subscription_id)
    .bind(limit + 1)
    .bind(offset)
    .fetch_all(db.pool())
    .await
}

/// Attempts since `since`: (succeeded, failed without answer, failed with a
/// status) and the latencies, for stats.
pub async fn window(
    db: &Db,
    subscription_id: i64,
    since: i64,
) -> DbResult<Vec<(Option<i64>, i64)>> {
    sqlx::query_as(
        "SELECT status_code, latency_ms FROM webhook_attempts \
         WHERE subscription_id = $1 AND at >= $2 ORDER BY latency_ms",
    )
    .bind(subscription_id)
    .bind(since)
    .fetch_all(db.pool())
    .await
}

/// Deliveries of a subscription by status.
pub async fn delivery_counts(db: &Db, subscription_id: i64) -> DbResult<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT status, CAST(COUNT(*) AS BIGINT) FROM webhook_deliveries \
         WHERE subscription_id = $1 GROUP BY status ORDER BY status",
    )
    .bind(subscription_id)
    .fetch_all(db.pool())
    .await
}

/// Makes deliveries of a subscription due again now: one (by delivery id or
/// attempt id) or every failed one since a time. Returns how many.
pub async fn requeue(
    db: &Db,
    subscription_id: i64,
    delivery_id: Option<i64>,
    failed_since: Option<i64>,
    now: i64,
) -> DbResult<i64> {
    let tx = db.begin().await?;
    let rows: Vec<(i64,)> = tx
        .commit_with(
            Stmt::new(
                "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $1, \
                 locked_until = 0, finished_at = NULL \
                 WHERE subscription_id = $2 AND status <> 'pending' \
                 AND (($3 IS NOT NULL AND (id = $3 OR id = (SELECT delivery_id FROM webhook_attempts \
                                                            WHERE id = $3 AND subscription_id = $2))) \
                      OR ($4 IS NOT NULL AND status = 'failed' AND created_at >= $4)) \
                 RETURNING id",
            )
            .bind(now)
            .bind(subscription_id)
            .bind(delivery_id)
            .bind(failed_since),
        )
        .await?;
    Ok(rows.len() as i64)
}

/// Queues a delivery of every event recorded since `since` that the
/// subscription's patterns take: new ones for events it never had, and
/// finished ones made due again. Returns how many.
pub async fn replay_all(db: &Db, subscription_id: i64, since: i64, now: i64) -> DbResult<i64> {
    let tx = db.begin().await?;
    // In order of recording, so an ordered subscription replays in order.
    let rows: Vec<(i64,)> = tx
        .commit_with(
            Stmt::new(
                "INSERT INTO webhook_deliveries (subscription_id, event_id, entity, status, \
                 next_attempt_at, created_at) \
                 SELECT $1, e.id, e.entity, 'pending', $3, $3 FROM events e \
                 WHERE e.created_at >= $2 AND EXISTS (SELECT 1 FROM webhook_patterns p \
                     WHERE p.subscription_id = $1 AND (p.pattern = '*' OR p.pattern = e.type \
                     OR (p.prefix IS NOT NULL AND e.type LIKE p.prefix || '%'))) \
                 ORDER BY e.seq \
                 ON CONFLICT (subscription_id, event_id) DO UPDATE SET status = 'pending', \
                 next_attempt_at = $3, locked_until = 0, finished_at = NULL \
                 WHERE webhook_deliveries.status <> 'pending' \
                 RETURNING id",
            )
            .bind(subscription_id)
            .bind(since)
            .bind(now),
        )
        .await?;
    Ok(rows.len() as i64)
}

/// Deletes finished deliveries and attempts older than `before`. Events are
/// kept: they are the shop's history.
pub async fn prune(db: &Db, before: i64) -> DbResult<()> {
    let mut tx = db.begin().await?;
    tx.queue(Stmt::new("DELETE FROM webhook_attempts WHERE at < $1").bind(before));
    tx.queue(
        Stmt::new("DELETE FROM webhook_deliveries WHERE status <> 'pending' AND finished_at < $1")
            .bind(before),
    );
    tx.commit().await
}

/// Whether a delivery belongs to the subscription (for 404s).
pub async fn exists(db: &Db, subscription_id: i64, id: i64) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar(AssertSqlSafe(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM webhook_deliveries WHERE subscription_id = $1 \
         AND (id = $2 OR id = (SELECT delivery_id FROM webhook_attempts WHERE id = $2))"
            .to_string(),
    ))
    .bind(subscription_id)
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}
