//! What `/readyz` and `/metrics` ask the database: whether it answers, whether
//! its migrations are the ones this binary carries, and how deep the queues are.

use super::{Backend, Db};
use crate::domain::{
    catalog::SyncStatus,
    message::{InboxStatus, OutboundStatus},
};

/// Whether the database answers a trivial query.
pub async fn ping(db: &Db) -> bool {
    sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)")
        .fetch_one(db.pool())
        .await
        .is_ok()
}

/// Whether every migration this binary carries is applied.
pub async fn migrations_current(db: &Db) -> bool {
    let expected = match db.backend() {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").migrations.len(),
        Backend::Postgres => sqlx::migrate!("./migrations/postgres").migrations.len(),
    } as i64;
    sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM _sqlx_migrations WHERE success = true",
    )
    .fetch_one(db.pool())
    .await
    .is_ok_and(|applied| applied >= expected)
}

/// One queue's depth: how many wait, and since when the oldest has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Depth {
    pub queue: &'static str,
    pub waiting: i64,
    pub oldest_at: Option<i64>,
}

/// The depth of each queue: the inbox, replies to send, replies held for a
/// closed 24-hour window, event deliveries, and catalogue updates
/// (pending and failed). A queue whose query fails
/// is left out rather than reported as empty.
pub async fn queue_depths(db: &Db) -> Vec<Depth> {
    let queues = [
        (
            "inbox",
            "received_at",
            "inbox",
            InboxStatus::Pending.as_str(),
        ),
        (
            "replies",
            "created_at",
            "outbound_messages",
            OutboundStatus::Queued.as_str(),
        ),
        (
            OutboundStatus::Held.as_str(),
            "created_at",
            "outbound_messages",
            OutboundStatus::Held.as_str(),
        ),
        ("webhooks", "created_at", "webhook_deliveries", "pending"),
        // Catalogue updates waiting to go to Meta, and those given up on.
        (
            "catalog",
            "updated_at",
            "catalog_updates",
            SyncStatus::Pending.as_str(),
        ),
        (
            "catalog_failed",
            "updated_at",
            "catalog_updates",
            SyncStatus::Failed.as_str(),
        ),
    ];
    let mut out = Vec::with_capacity(queues.len());
    for (queue, at, table, status) in queues {
        let sql =
            format!("SELECT CAST(COUNT(*) AS BIGINT), MIN({at}) FROM {table} WHERE status = $1");
        if let Ok((waiting, oldest_at)) =
            sqlx::query_as::<_, (i64, Option<i64>)>(sqlx::AssertSqlSafe(sql))
                .bind(status)
                .fetch_one(db.pool())
                .await
        {
            out.push(Depth {
                queue,
                waiting,
                oldest_at,
            });
        }
    }
    out
}
