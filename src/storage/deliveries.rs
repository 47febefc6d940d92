//! Webhook deliveries (one per subscription and event) and their attempts.

use sqlx::{AssertSqlSafe, FromRow};

use super::{Col, Db, DbResult, Stmt, WriteTx, json_rows, to_json};
use crate::domain::delivery::Outcome;

/// A claimed delivery with what is needed to send it.
#[derive(Debug, Clone, FromRow)]
pub struct Claimed {
    pub id: i64,
    pub subscription_id: i64,
    pub event_id: String,
    pub attempts: i64,
    /// Until when this lease holds (ms).
    pub locked_until: i64,
}

#[derive(serde::Serialize)]
struct IdRow {
    id: i64,
}

/// Due only when first in line: for an `ordered` subscription (`s`), a
/// delivery (`d`) waits while an earlier one of its entity is pending. The
/// claim and `lease_fresh` share it so the two cannot drift apart.
const FIRST_OF_ENTITY: &str = "(s.ordered = 0 OR d.entity IS NULL OR NOT EXISTS ( \
     SELECT 1 FROM webhook_deliveries e WHERE e.subscription_id = d.subscription_id \
     AND e.entity = d.entity AND e.status = 'pending' AND e.id < d.id))";

/// The claim statement: leases up to `limit` due deliveries, at most
/// `per_subscription` of each subscription and none of `busy` ones, so one
/// slow endpoint cannot take every slot. For `ordered` subscriptions only the
/// oldest pending delivery of each entity is due. Sent last in the
/// transaction that records the previous outcomes.
///
/// The per-subscription ranking runs over the first `4 × limit` due rows
/// only (read in index order), so a claim costs the same whatever the backlog.
pub fn claim(
    tx: &WriteTx,
    now: i64,
    lease_ms: i64,
    limit: usize,
    per_subscription: usize,
    busy: &[i64],
) -> Stmt {
    let busy: Vec<IdRow> = busy.iter().map(|&id| IdRow { id }).collect();
    let sql = format!(
        "UPDATE webhook_deliveries SET locked_until = $1, attempts = attempts + 1 \
         WHERE locked_until < $2 AND id IN ( \
           SELECT r.id FROM ( \
             SELECT c.id, c.next_attempt_at, ROW_NUMBER() OVER ( \
               PARTITION BY c.subscription_id ORDER BY c.next_attempt_at, c.id) AS rn \
             FROM ( \
               SELECT d.id, d.subscription_id, d.next_attempt_at FROM webhook_deliveries d \
               JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.active = 1 \
               WHERE d.status = 'pending' AND d.next_attempt_at <= $2 AND d.locked_until < $2 \
               AND d.subscription_id NOT IN (SELECT v.id FROM {busy}) \
               AND {FIRST_OF_ENTITY} \
               ORDER BY d.next_attempt_at, d.id LIMIT $6 \
             ) AS c \
           ) AS r WHERE r.rn <= $3 ORDER BY r.next_attempt_at, r.id LIMIT $4) \
         RETURNING id, subscription_id, event_id, attempts, locked_until",
        busy = json_rows(tx.backend(), 5, &[Col::Int("id")])
    );
    Stmt::new(sql)
        .bind(now + lease_ms)
        .bind(now)
        .bind(per_subscription as i64)
        .bind(limit as i64)
        .bind(to_json(&busy))
        .bind(4 * limit as i64)
}

#[derive(serde::Serialize)]
struct EventId<'a> {
    id: &'a str,
}

/// Leases, in the transaction that recorded them, the deliveries of
/// `event_ids` that are due now — for `ordered` subscriptions only those with
/// no earlier pending delivery of their entity (the others wait for the
/// claim) — and returns them, to hand straight to this process's
/// deliverer: the first attempt needs no claim of its own. Sent last, with
/// the commit.
pub fn lease_fresh(tx: &WriteTx, event_ids: &[&str], now: i64, lease_ms: i64) -> Stmt {
    let ids: Vec<EventId<'_>> = event_ids.iter().map(|id| EventId { id }).collect();
    let sql = format!(
        "UPDATE webhook_deliveries SET locked_until = $1, attempts = attempts + 1 \
         WHERE locked_until < $2 AND id IN ( \
           SELECT d.id FROM {ids} \
           JOIN webhook_subscriptions s ON s.active = 1 \
           JOIN webhook_deliveries d ON d.subscription_id = s.id AND d.event_id = v.id \
           WHERE d.status = 'pending' AND d.next_attempt_at <= $2 \
           AND {FIRST_OF_ENTITY}) \
         RETURNING id, subscription_id, event_id, attempts, locked_until",
        ids = json_rows(tx.backend(), 3, &[Col::Text("id")])
    );
    Stmt::new(sql)
        .bind(now + lease_ms)
        .bind(now)
        .bind(to_json(&ids))
}

#[derive(serde::Serialize)]
struct Lease {
    id: i64,
    until: i64,
}

/// Gives back leases taken by `lease_fresh` that were not used (the
/// deliverer was full): the claim takes them in turn. A lease that has
/// meanwhile expired and been taken by a claim is left alone.
pub fn release(tx: &mut WriteTx, leases: &[(i64, i64)]) {
    if leases.is_empty() {
        return;
    }
    let rows: Vec<Lease> = leases
        .iter()
        .map(|&(id, until)| Lease { id, until })
        .collect();
    let sql = format!(
        "UPDATE webhook_deliveries SET locked_until = 0, attempts = attempts - 1 \
         FROM {} WHERE webhook_deliveries.id = v.id AND webhook_deliveries.status = 'pending' \
         AND webhook_deliveries.locked_until = v.until",
        json_rows(tx.backend(), 1, &[Col::Int("id"), Col::Int("until")])
    );
    tx.queue(Stmt::new(sql).bind(to_json(&rows)));
}

/// An event as subscribers receive it.
#[derive(Debug, Clone, FromRow)]
pub struct EventBody {
    pub id: String,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub data: String,
    pub created_at: i64,
}

pub async fn events(db: &Db, ids: &[&str]) -> DbResult<Vec<EventBody>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<serde_json::Value> = ids
        .iter()
        .map(|id| serde_json::json!({ "id": id }))
        .collect();
    let sql = format!(
        "SELECT id, type, data, created_at FROM events WHERE id IN (SELECT v.id FROM {})",
        json_rows(db.backend(), 1, &[Col::Text("id")])
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(to_json(&rows))
        .fetch_all(db.pool())
        .await
}

/// How one attempt ended, and what happens next.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AttemptRecord {
    pub delivery_id: i64,
    pub subscription_id: i64,
    pub event_id: String,
    pub event_type: String,
    pub attempt: i64,
    pub at: i64,
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    pub response_body: Option<String>,
    pub error: Option<String>,
    /// `delivered`, `pending` (a retry at `next_retry_at`) or `failed`.
    pub outcome: Outcome,
    pub next_retry_at: Option<i64>,
    /// 1 when the endpoint answered 410 Gone: stop sending to it.
    pub gone: i64,
}

const ATTEMPT_COLS: [Col; 13] = [
    Col::Int("delivery_id"),
    Col::Int("subscription_id"),
    Col::Text("event_id"),
    Col::Text("event_type"),
    Col::Int("attempt"),
    Col::Int("at"),
    Col::Int("status_code"),
    Col::Int("latency_ms"),
    Col::Text("response_body"),
    Col::Text("error"),
    Col::Text("outcome"),
    Col::Int("next_retry_at"),
    Col::Int("gone"),
];

/// Queues the attempts' log lines, the deliveries' new states, and the
/// subscriptions' health: a success clears `failing_since`, a failure sets
/// it if unset, 410 disables.
pub fn record(tx: &mut WriteTx, attempts: &[AttemptRecord], now: i64) {
    if attempts.is_empty() {
        return;
    }
    let json = to_json(attempts);
    let rows = json_rows(tx.backend(), 1, &ATTEMPT_COLS);
    tx.queue(
        Stmt::new(format!(
            "INSERT INTO webhook_attempts (delivery_id, subscription_id, event_id, event_type, \
             attempt, at, status_code, latency_ms, response_body, error, next_retry_at) \
             SELECT delivery_id, subscription_id, event_id, event_type, attempt, at, status_code, \
             latency_ms, response_body, error, next_retry_at FROM {rows}"
        ))
        .bind(json.clone()),
    );
    tx.queue(
        Stmt::new(format!(
            "UPDATE webhook_deliveries SET status = v.outcome, locked_until = 0, \
             last_status = v.status_code, last_error = v.error, \
             next_attempt_at = COALESCE(v.next_retry_at, webhook_deliveries.next_attempt_at), \
             finished_at = CASE WHEN v.outcome = 'pending' THEN NULL ELSE $2 END \
             FROM {rows} WHERE webhook_deliveries.id = v.delivery_id \
             AND webhook_deliveries.status = 'pending'"
        ))
        .bind(json.clone())
        .bind(now),
    );
    tx.queue(
        Stmt::new(format!(
            "UPDATE webhook_subscriptions SET failing_since = CASE \
               WHEN EXISTS (SELECT 1 FROM {rows} WHERE v.subscription_id = webhook_subscriptions.id \
                            AND v.outcome = 'delivered') THEN NULL \
               ELSE COALESCE(failing_since, $2) END, \
             active = CASE WHEN EXISTS (SELECT 1 FROM {rows} \
                 WHERE v.subscription_id = webhook_subscriptions.id AND v.gone = 1) THEN 0 ELSE active END, \
             disabled_reason = CASE WHEN EXISTS (SELECT 1 FROM {rows} \
                 WHERE v.subscription_id = webhook_subscriptions.id AND v.gone = 1) \
                 THEN 'the endpoint answered 410 Gone' ELSE disabled_reason END \
             WHERE id IN (SELECT v.subscription_id FROM {rows})"
        ))
        .bind(json)
        .bind(now),
    );
}

/// Disables subscriptions failing since before `cutoff`; returns (name, url) of each.
pub fn disable_failing(cutoff: i64, now: i64) -> Stmt {
    Stmt::new(
        "UPDATE webhook_subscriptions SET active = 0, updated_at = $2, \
         disabled_reason = 'failing since ' || CAST(failing_since AS TEXT) || ' (ms)' \
         WHERE active = 1 AND failing_since IS NOT NULL AND failing_since < $1 \
         RETURNING name, url",
    )
    .bind(cutoff)
    .bind(now)
}

/// The earliest time a pending delivery becomes due.
pub async fn next_due(db: &Db) -> DbResult<Option<i64>> {
    sqlx::query_scalar(
        "SELECT MIN(CASE WHEN next_attempt_at > locked_until THEN next_attempt_at \
         ELSE locked_until END) FROM webhook_deliveries WHERE status = 'pending'",
    )
    .fetch_one(db.pool())
    .await
}

/// Queues an attempt's log line alone (a test send has no delivery).
pub fn log_only(tx: &mut WriteTx, attempt: &AttemptRecord) {
    let rows = json_rows(tx.backend(), 1, &ATTEMPT_COLS);
    tx.queue(
        Stmt::new(format!(
            "INSERT INTO webhook_attempts (delivery_id, subscription_id, event_id, event_type, \
             attempt, at, status_code, latency_ms, response_body, error, next_retry_at) \
             SELECT delivery_id, subscription_id, event_id, event_type, attempt, at, status_code, \
             latency_ms, response_body, error, next_retry_at FROM {rows}"
        ))
        .bind(to_json(std::slice::from_ref(attempt))),
    );
}

/// Whether any delivery is due: a plain read, so an idle deliverer woken by
/// every commit does not take the write turn just to find nothing.
pub async fn any_due(db: &Db, now: i64) -> DbResult<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 \
         AND locked_until < $1 LIMIT 1",
    )
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}
