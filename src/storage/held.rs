//! Messages held outside WhatsApp's 24-hour window (`sender::window`): they
//! wait in the outbox as `held` until the person writes again.

use super::{Col, Db, DbResult, Stmt, WriteTx, json_rows, to_json};
use crate::sender::{WINDOW_CLOSED, window::HOLD_FOR_MS};

#[derive(serde::Serialize)]
struct Key<'a> {
    k: &'a str,
}

fn keys<'a>(values: &[&'a str]) -> String {
    let rows: Vec<Key<'a>> = values.iter().map(|k| Key { k }).collect();
    to_json(&rows)
}

/// Queues sending what was held for these people, who just wrote and so
/// opened the window; what was held too long to still make sense expires.
pub fn release(tx: &mut WriteTx, wa_ids: &[&str], now: i64) {
    if wa_ids.is_empty() {
        return;
    }
    let who = json_rows(tx.backend(), 1, &[Col::Text("k")]);
    tx.queue(
        Stmt::new(format!(
            "UPDATE outbound_messages SET status = 'queued', attempts = 0, locked_until = 0, \
             next_attempt_at = $2, error_message = NULL, error_code = NULL, updated_at = $2 \
             WHERE status = 'held' AND recipient IN (SELECT v.k FROM {who}) AND created_at >= $3"
        ))
        .bind(keys(wa_ids))
        .bind(now)
        .bind(now - HOLD_FOR_MS),
    );
    tx.queue(
        Stmt::new(format!(
            "UPDATE outbound_messages SET status = 'expired', status_rank = 100, \
             error_message = 'held more than 3 days outside the 24-hour window; not sent', \
             updated_at = $2 \
             WHERE status = 'held' AND recipient IN (SELECT v.k FROM {who})"
        ))
        .bind(keys(wa_ids))
        .bind(now),
    );
}

/// Queues holding messages WhatsApp refused after accepting them because the
/// window had closed (131047 arrives as a `failed` status callback). Their
/// wamid is cleared: the retry gets a new one, and a repeated callback for
/// the old one then finds nothing. Templates are never held: 131047 cannot
/// apply to them.
pub fn hold_refused(tx: &mut WriteTx, wamids: &[&str], now: i64) {
    if wamids.is_empty() {
        return;
    }
    let sql = format!(
        "UPDATE outbound_messages SET status = 'held', status_rank = 0, wamid = NULL, \
         error_code = {WINDOW_CLOSED}, \
         error_message = 'held: WhatsApp refused it outside the 24-hour window; sent when they next write', \
         updated_at = $2 \
         WHERE wamid IN (SELECT v.k FROM {}) AND kind NOT IN ('template', 'read') \
         AND EXISTS (SELECT 1 FROM message_statuses s WHERE s.wamid = outbound_messages.wamid \
                     AND s.status = 'failed' AND s.error_code = {WINDOW_CLOSED})",
        json_rows(tx.backend(), 1, &[Col::Text("k")])
    );
    tx.queue(Stmt::new(sql).bind(keys(wamids)).bind(now));
}

/// How many messages are held, for `/readyz`-style summaries and the dashboard.
pub async fn count(db: &Db) -> DbResult<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbound_messages WHERE status = 'held'")
        .fetch_one(db.pool())
        .await
}
