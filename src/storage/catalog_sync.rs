//! Pending catalogue updates (`catalog_updates`): one row per item with a
//! SKU whose values Meta's catalogue should be told, upserted by the
//! transaction that changed the item, claimed and settled by the sender.

use sqlx::FromRow;

use super::{Col, Db, DbResult, Stmt, WriteTx, json_rows, skip_locked, to_json};
use crate::domain::catalog::SyncStatus;

#[derive(serde::Serialize)]
struct Id {
    id: i64,
}

/// Queues, in the caller's transaction, an update for each of these items
/// that has a SKU. A row already pending keeps its due time, so changes
/// within the window coalesce; its version is bumped so a change made while
/// a send is in flight is sent again afterwards.
pub fn touch(tx: &mut WriteTx, item_ids: &[i64], due_at: i64, now: i64) {
    if item_ids.is_empty() {
        return;
    }
    let mut ids = item_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let rows: Vec<Id> = ids.into_iter().map(|id| Id { id }).collect();
    let sql = format!(
        "INSERT INTO catalog_updates (item_id, status, due_at, version, attempts, updated_at) \
         SELECT i.id, 'pending', $2, 1, 0, $3 FROM items i \
         WHERE i.id IN (SELECT v.id FROM {}) AND i.sku IS NOT NULL AND i.deleted_at IS NULL \
         ORDER BY i.id {UPSERT}",
        json_rows(tx.backend(), 1, &[Col::Int("id")])
    );
    tx.queue(Stmt::new(sql).bind(to_json(&rows)).bind(due_at).bind(now));
}

const UPSERT: &str = "ON CONFLICT (item_id) DO UPDATE SET \
    version = catalog_updates.version + 1, \
    due_at = CASE WHEN catalog_updates.status = 'pending' \
             THEN catalog_updates.due_at ELSE excluded.due_at END, \
    attempts = CASE WHEN catalog_updates.status = 'pending' \
               THEN catalog_updates.attempts ELSE 0 END, \
    status = 'pending', updated_at = excluded.updated_at";

/// Queues every live item with a SKU, due at `due_at`, retries forgotten.
/// Returns how many.
pub async fn touch_all(db: &Db, due_at: i64, now: i64) -> DbResult<u64> {
    let mut tx = db.begin().await?;
    let count: Vec<(i64,)> = tx
        .fetch_all(Stmt::new(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM items WHERE sku IS NOT NULL AND deleted_at IS NULL",
        ))
        .await?;
    tx.queue(
        Stmt::new(
            "INSERT INTO catalog_updates (item_id, status, due_at, version, attempts, updated_at) \
             SELECT id, 'pending', $1, 1, 0, $2 FROM items \
             WHERE sku IS NOT NULL AND deleted_at IS NULL ORDER BY id \
             ON CONFLICT (item_id) DO UPDATE SET version = catalog_updates.version + 1, \
             due_at = excluded.due_at, attempts = 0, status = 'pending', \
             updated_at = excluded.updated_at",
        )
        .bind(due_at)
        .bind(now),
    );
    tx.commit().await?;
    Ok(count.first().map_or(0, |c| c.0 as u64))
}

/// An update claimed for sending, with the item's values as they are now.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Due {
    pub item_id: i64,
    pub version: i64,
    /// Attempts started, this one included.
    pub attempts: i64,
    /// `None` when the SKU was removed (or the item deleted) since.
    pub sku: Option<String>,
    pub quantity: i64,
    pub price_minor: Option<i64>,
}

/// Leases up to `limit` due updates until `now + lease_ms` and reads their
/// items' current values.
pub async fn claim(db: &Db, now: i64, limit: i64, lease_ms: i64) -> DbResult<Vec<Due>> {
    let mut tx = db.begin().await?;
    let claimed: Vec<(i64,)> = tx
        .fetch_all(
            Stmt::new(format!(
                "UPDATE catalog_updates SET locked_until = $1, attempts = attempts + 1 \
                 WHERE item_id IN (SELECT item_id FROM catalog_updates \
                     WHERE status = 'pending' AND due_at <= $2 AND locked_until < $2 \
                     ORDER BY due_at, item_id LIMIT $3 {}) \
                 RETURNING item_id",
                skip_locked(tx.backend())
            ))
            .bind(now + lease_ms)
            .bind(now)
            .bind(limit),
        )
        .await?;
    if claimed.is_empty() {
        tx.commit().await?;
        return Ok(Vec::new());
    }
    let ids: Vec<Id> = claimed.into_iter().map(|(id,)| Id { id }).collect();
    let sql = format!(
        "SELECT c.item_id, c.version, c.attempts, \
         CASE WHEN i.deleted_at IS NULL THEN i.sku END AS sku, i.quantity, i.price_minor \
         FROM catalog_updates c JOIN items i ON i.id = c.item_id \
         WHERE c.item_id IN (SELECT v.id FROM {}) ORDER BY c.item_id",
        json_rows(tx.backend(), 1, &[Col::Int("id")])
    );
    let due = tx.commit_with(Stmt::new(sql).bind(to_json(&ids))).await?;
    Ok(due)
}

/// How a claimed update ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// Meta applied it (in the batch with this handle).
    Sent { handle: String },
    /// Try again at `at` (or give up: `give_up`), recording the error.
    Retry {
        error: String,
        at: i64,
        give_up: bool,
    },
    /// Meta refused this item; retrying the same values cannot help.
    Refused { error: String },
    /// The item has no SKU any more: nothing to send.
    Dropped,
}

/// Records outcomes in one transaction. A row changed since its claim
/// (another version) stays pending, due now, whatever this send did.
pub async fn settle(db: &Db, outcomes: &[(Due, Settled)], now: i64) -> DbResult<()> {
    let mut tx = db.begin().await?;
    for (due, settled) in outcomes {
        let (status, error, at, handle) = match settled {
            Settled::Sent { handle } => (SyncStatus::Done, None, now, Some(handle.as_str())),
            Settled::Retry { error, at, give_up } => {
                let status = if *give_up {
                    SyncStatus::Failed
                } else {
                    SyncStatus::Pending
                };
                (status, Some(error.as_str()), *at, None)
            }
            Settled::Refused { error } => (SyncStatus::Failed, Some(error.as_str()), now, None),
            Settled::Dropped => {
                tx.queue(
                    Stmt::new("DELETE FROM catalog_updates WHERE item_id = $1 AND version = $2")
                        .bind(due.item_id)
                        .bind(due.version),
                );
                continue;
            }
        };
        tx.queue(
            Stmt::new(
                "UPDATE catalog_updates SET locked_until = 0, updated_at = $1, \
                 status = CASE WHEN version = $2 THEN $3 ELSE 'pending' END, \
                 due_at = CASE WHEN version = $2 THEN $4 ELSE $1 END, \
                 attempts = CASE WHEN $8 = 1 THEN 0 ELSE attempts END, \
                 last_error = $5, handle = COALESCE($6, handle) WHERE item_id = $7",
            )
            .bind(now)
            .bind(due.version)
            .bind(status.as_str())
            .bind(at)
            .bind(error)
            .bind(handle)
            .bind(due.item_id)
            .bind(i64::from(matches!(settled, Settled::Sent { .. }))),
        );
    }
    tx.commit().await
}

/// When the next pending update falls due, if any waits.
pub async fn next_due(db: &Db) -> DbResult<Option<i64>> {
    sqlx::query_scalar(
        "SELECT MIN(CASE WHEN locked_until > due_at THEN locked_until ELSE due_at END) \
         FROM catalog_updates WHERE status = 'pending'",
    )
    .fetch_one(db.pool())
    .await
}

/// An update the owner should see: failed, or failing and retrying.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Trouble {
    pub item_id: i64,
    pub name: String,
    pub sku: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub updated_at: i64,
}

/// How many updates wait, how many failed, and the troubled ones (newest first).
pub async fn overview(db: &Db, limit: i64) -> DbResult<(i64, i64, Vec<Trouble>)> {
    let (pending, failed): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM catalog_updates",
    )
    .fetch_one(db.pool())
    .await?;
    let trouble = sqlx::query_as(
        "SELECT c.item_id, i.name, i.sku, c.status, c.attempts, c.last_error, c.updated_at \
         FROM catalog_updates c JOIN items i ON i.id = c.item_id \
         WHERE c.status = 'failed' OR (c.status = 'pending' AND c.last_error IS NOT NULL) \
         ORDER BY c.updated_at DESC, c.item_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok((pending, failed, trouble))
}
