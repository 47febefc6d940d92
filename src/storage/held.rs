//! Messages held outside WhatsApp's 24-hour window (`whatsapp::outbound::window`): they
//! wait in the outbox as `held` until the person writes again.

use super::{Db, DbResult, Stmt, WriteTx, keys_from, keys_json};
use crate::domain::whatsapp::{HOLD_FOR_MS, graph_code::WINDOW_CLOSED};

/// Queues sending what was held for these people, who just wrote and so
/// opened the window; what was held too long to still make sense expires.
/// One statement: it runs in every batch the conversation worker applies.
pub fn release(tx: &mut WriteTx, wa_ids: &[&str], now: i64) {
    if wa_ids.is_empty() {
        return;
    }
    let sql = format!(
        "UPDATE outbound_messages SET \
         status = CASE WHEN created_at >= $3 THEN 'queued' ELSE 'expired' END, \
         status_rank = CASE WHEN created_at >= $3 THEN 0 ELSE 100 END, \
         error_message = CASE WHEN created_at >= $3 THEN NULL \
             ELSE 'held more than 3 days outside the 24-hour window; not sent' END, \
         error_code = CASE WHEN created_at >= $3 THEN NULL ELSE error_code END, \
         sealed = CASE WHEN created_at >= $3 THEN sealed END, \
         attempts = 0, locked_until = 0, next_attempt_at = $2, updated_at = $2 \
         WHERE status = 'held' AND recipient IN (SELECT v.k FROM {})",
        keys_from(tx.backend(), 1)
    );
    tx.queue(
        Stmt::new(sql)
            .bind(keys_json(wa_ids))
            .bind(now)
            .bind(now - HOLD_FOR_MS),
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
        keys_from(tx.backend(), 1)
    );
    tx.queue(Stmt::new(sql).bind(keys_json(wamids)).bind(now));
}

/// How many messages are held, for `/readyz`-style summaries and the dashboard.
pub async fn count(db: &Db) -> DbResult<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbound_messages WHERE status = 'held'")
        .fetch_one(db.pool())
        .await
}
