//! The inbox: inbound messages, stored before Meta gets its 200, then claimed
//! and completed by the conversation worker.

use sqlx::{AssertSqlSafe, FromRow};

use super::{
    Backend, Col, Db, DbResult, Stmt, WriteTx,
    events::{self, NewEvent},
    json_rows, to_json,
};
use crate::domain::{
    event::{Event, MessageError, MessageStatus},
    message::{InboundMessage, InboxStatus, StatusUpdate, status_rank},
};

/// An inbox row claimed for processing.
#[derive(Debug, Clone, FromRow)]
pub struct InboxRecord {
    pub id: i64,
    pub phone_number_id: String,
    pub wamid: String,
    pub sender: Option<String>,
    pub profile_name: Option<String>,
    pub msg_type: String,
    pub body: Option<String>,
    pub payload: String,
    pub sent_at: i64,
    pub attempts: i64,
    pub request_id: Option<String>,
}

/// What processing concluded about one message.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Completion {
    pub id: i64,
    /// `done`, or `failed` after repeated errors.
    pub status: InboxStatus,
    pub parser: Option<String>,
    pub parse_micros: Option<i64>,
    pub intent: Option<String>,
    /// The items the parse named, for people ("3 × hammer").
    pub items: Option<String>,
    pub error: Option<String>,
}

const MESSAGE_COLS: [Col; 10] = [
    Col::Text("phone_number_id"),
    Col::Text("wamid"),
    Col::Text("sender"),
    Col::Text("profile_name"),
    Col::Text("msg_type"),
    Col::Text("body"),
    Col::Text("payload"),
    Col::Int("sent_at"),
    Col::Text("request_id"),
    Col::Text("refusal"),
];

/// Queues the insert of messages; any (phone_number_id, wamid) already stored
/// is ignored, so Meta's redeliveries change nothing. A message with a
/// refusal is stored `refused`, with the reason, and never processed.
pub fn insert(tx: &mut WriteTx, messages: &[&InboundMessage], now: i64) {
    if messages.is_empty() {
        return;
    }
    // `WHERE true` keeps SQLite from reading ON CONFLICT as a join constraint.
    let sql = format!(
        "INSERT INTO inbox (phone_number_id, wamid, sender, profile_name, msg_type, body, \
         payload, sent_at, request_id, received_at, status, error) \
         SELECT phone_number_id, wamid, sender, profile_name, msg_type, body, payload, sent_at, \
                request_id, $2, CASE WHEN refusal IS NULL THEN 'pending' ELSE 'refused' END, \
                refusal \
         FROM {} WHERE true ON CONFLICT (phone_number_id, wamid) DO NOTHING",
        json_rows(tx.backend(), 1, &MESSAGE_COLS)
    );
    tx.queue(Stmt::new(sql).bind(to_json(messages)).bind(now));
}

#[derive(serde::Serialize)]
struct StatusRow<'a> {
    #[serde(flatten)]
    status: &'a StatusUpdate,
    status_rank: i64,
}

/// Queues the storing of status callbacks, ignoring repeats. They are kept even
/// for messages we do not know yet: the sender applies them once it learns the
/// wamid (a callback can overtake Graph's answer).
pub fn insert_statuses(tx: &mut WriteTx, statuses: &[&StatusUpdate], now: i64) {
    if statuses.is_empty() {
        return;
    }
    let rows: Vec<StatusRow<'_>> = statuses
        .iter()
        .map(|status| StatusRow {
            status,
            status_rank: status_rank(&status.status),
        })
        .collect();
    let sql = format!(
        "INSERT INTO message_statuses (wamid, status, status_rank, recipient, status_at, \
         error_code, error_title, payload, outbound_id, received_at) \
         SELECT wamid, status, status_rank, recipient, status_at, error_code, error_title, \
         payload, outbound_id, $2 FROM {} WHERE true ON CONFLICT (wamid, status) DO NOTHING",
        json_rows(
            tx.backend(),
            1,
            &[
                Col::Text("wamid"),
                Col::Text("status"),
                Col::Int("status_rank"),
                Col::Text("recipient"),
                Col::Int("status_at"),
                Col::Int("error_code"),
                Col::Text("error_title"),
                Col::Text("payload"),
                Col::Int("outbound_id"),
            ]
        )
    );
    tx.queue(Stmt::new(sql).bind(to_json(&rows)).bind(now));
    // Derived ids make a redelivered callback one event, like one row above.
    let events: Vec<NewEvent> = statuses
        .iter()
        .map(|s| {
            let data = Event::MessageStatus(MessageStatus {
                message_id: s.wamid.clone(),
                status: s.status.clone(),
                recipient: s.recipient.clone(),
                timestamp: s.status_at,
                error: s.error_code.map(|code| MessageError {
                    code,
                    title: s.error_title.clone(),
                }),
            });
            NewEvent::derived(data, &format!("{}\n{}", s.wamid, s.status))
        })
        .collect();
    events::insert(tx, &events, now);
}

const COLUMNS: &str = "id, phone_number_id, wamid, sender, profile_name, msg_type, body, payload, sent_at, attempts, \
     request_id";

/// Takes up to `limit` pending messages, oldest first.
///
/// On PostgreSQL, where replicas compete, rows are leased: a lease that runs
/// out (the replica died mid-batch) makes them claimable again. SQLite has one
/// process and one conversation worker, so a plain read suffices and costs no
/// write transaction; `complete` still applies each message only once.
pub async fn claim(db: &Db, limit: usize, now: i64, lease_ms: i64) -> DbResult<Vec<InboxRecord>> {
    if db.backend() == Backend::Sqlite {
        let sql = format!(
            "SELECT {COLUMNS} FROM inbox WHERE status = 'pending' AND locked_until < $1 \
             ORDER BY id LIMIT $2"
        );
        return sqlx::query_as(AssertSqlSafe(sql))
            .bind(now)
            .bind(limit as i64)
            .fetch_all(db.pool())
            .await;
    }
    let sql = format!(
        "UPDATE inbox SET locked_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM inbox WHERE status = 'pending' AND locked_until < $2 \
                      ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
         RETURNING {COLUMNS}"
    );
    let tx = db.begin().await?;
    let mut rows: Vec<InboxRecord> = tx
        .commit_with(
            Stmt::new(sql)
                .bind(now + lease_ms)
                .bind(now)
                .bind(limit as i64),
        )
        .await?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

const COMPLETION_COLS: [Col; 7] = [
    Col::Int("id"),
    Col::Text("status"),
    Col::Text("parser"),
    Col::Int("parse_micros"),
    Col::Text("intent"),
    Col::Text("items"),
    Col::Text("error"),
];

/// Marks messages processed, but only those still pending: the ids returned are
/// the ones this transaction owns, so a message is applied exactly once even if
/// two workers raced for it.
pub async fn complete(tx: &mut WriteTx, done: &[Completion], now: i64) -> DbResult<Vec<i64>> {
    if done.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "UPDATE inbox SET status = v.status, processed_at = $2, parser = v.parser, \
         parse_micros = v.parse_micros, intent = v.intent, parse_items = v.items, error = v.error \
         FROM {} WHERE inbox.id = v.id AND inbox.status = 'pending' RETURNING inbox.id",
        json_rows(tx.backend(), 1, &COMPLETION_COLS)
    );
    let ids: Vec<(i64,)> = tx
        .fetch_all(Stmt::new(sql).bind(to_json(done)).bind(now))
        .await?;
    Ok(ids.into_iter().map(|(id,)| id).collect())
}

/// Records an error against a message that stays pending for another try.
pub async fn record_error(db: &Db, id: i64, error: &str, retry_at: i64) -> DbResult<()> {
    // SQLite's claims do not count attempts, so failures count them here.
    let sql = match db.backend() {
        Backend::Sqlite => {
            "UPDATE inbox SET error = $1, locked_until = $2, attempts = attempts + 1 WHERE id = $3"
        }
        Backend::Postgres => "UPDATE inbox SET error = $1, locked_until = $2 WHERE id = $3",
    };
    let mut tx = db.begin().await?;
    tx.queue(Stmt::new(sql).bind(error).bind(retry_at).bind(id));
    tx.commit().await
}

/// Messages waiting to be processed (for readiness and metrics).
pub async fn pending_count(db: &Db) -> DbResult<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM inbox WHERE status = 'pending'")
        .fetch_one(db.pool())
        .await
}

/// Whether a received message was processed (or given up on): the sandbox
/// waits for that before showing the bot's answer.
pub async fn settled(db: &Db, wamid: &str) -> DbResult<bool> {
    let pending: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM inbox WHERE wamid = $1 AND status = 'pending'",
    )
    .bind(wamid)
    .fetch_optional(db.pool())
    .await?;
    Ok(pending == Some(0))
}
