//! The event log: one row per thing that happened, written in the transaction
//! of the change itself, so subscribers (a later stage) never miss one.

use sha2::{Digest, Sha256};
use sqlx::FromRow;

use super::{Col, Db, DbResult, Stmt, WriteTx, json_rows, to_json};

/// An event to record.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NewEvent {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The event's `data` object, as JSON text.
    pub data: String,
    /// What it is about (`order:12`), for subscriptions delivered in order.
    pub entity: Option<String>,
}

impl NewEvent {
    /// An event with a fresh random id.
    pub fn new(kind: &'static str, data: serde_json::Value) -> Self {
        Self {
            id: random_id(),
            kind,
            data: data.to_string(),
            entity: None,
        }
    }

    /// Names what the event is about: `about("order", 12)` → `order:12`.
    pub fn about(mut self, kind: &str, id: impl std::fmt::Display) -> Self {
        self.entity = Some(format!("{kind}:{id}"));
        self
    }

    /// An event whose id follows from what it is about, so recording the same
    /// fact twice (a redelivered status callback) stores it once.
    pub fn derived(kind: &'static str, key: &str, data: serde_json::Value) -> Self {
        let digest = Sha256::digest(format!("{kind}\n{key}").as_bytes());
        Self {
            id: format!("evt_{}", &hex::encode(digest)[..26]),
            kind,
            data: data.to_string(),
            entity: None,
        }
    }
}

/// `evt_` and 128 random bits.
pub fn random_id() -> String {
    format!("evt_{}", hex::encode(rand::random::<[u8; 16]>()))
}

const EVENT_COLS: [Col; 4] = [
    Col::Text("id"),
    Col::Text("type"),
    Col::Text("data"),
    Col::Text("entity"),
];

/// Queues events, and one webhook delivery per matching active
/// subscription (the outbox: a change and its deliveries commit together).
/// An id already stored is skipped, and so are its deliveries.
pub fn insert(tx: &mut WriteTx, events: &[NewEvent], now: i64) {
    if events.is_empty() {
        return;
    }
    let json = to_json(events);
    let sql = format!(
        "INSERT INTO events (id, type, data, entity, created_at) \
         SELECT id, type, data, entity, $2 FROM {} WHERE true ON CONFLICT (id) DO NOTHING",
        json_rows(tx.backend(), 1, &EVENT_COLS)
    );
    tx.queue(Stmt::new(sql).bind(json.clone()).bind(now));
    let fan_out = format!(
        "INSERT INTO webhook_deliveries (subscription_id, event_id, entity, status, \
         next_attempt_at, created_at) \
         SELECT DISTINCT p.subscription_id, v.id, v.entity, 'pending', $2, $2 FROM {} \
         JOIN webhook_patterns p ON p.pattern = '*' OR p.pattern = v.type \
              OR (p.prefix IS NOT NULL AND v.type LIKE p.prefix || '%') \
         JOIN webhook_subscriptions s ON s.id = p.subscription_id AND s.active = 1 \
         WHERE true ON CONFLICT (subscription_id, event_id) DO NOTHING",
        json_rows(tx.backend(), 1, &EVENT_COLS)
    );
    tx.queue(Stmt::new(fan_out).bind(json).bind(now));
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct EventRow {
    pub seq: i64,
    pub id: String,
    #[sqlx(rename = "type")]
    #[serde(rename = "type")]
    pub kind: String,
    pub data: String,
    pub created_at: i64,
}

/// Events after `after_seq`, oldest first; `kind` filters by type.
pub async fn list(
    db: &Db,
    kind: Option<&str>,
    after_seq: i64,
    limit: i64,
) -> DbResult<Vec<EventRow>> {
    sqlx::query_as(
        "SELECT seq, id, type, data, created_at FROM events \
         WHERE seq > $1 AND ($2 IS NULL OR type = $2) ORDER BY seq LIMIT $3",
    )
    .bind(after_seq)
    .bind(kind)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}
