//! The event log: one row per thing that happened, written in the transaction
//! of the change itself, so subscribers never miss one.

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use sqlx::FromRow;

use super::{Col, Db, DbResult, Stmt, WriteTx, json_rows, to_json};
use crate::domain::event::Event;

/// An event to record: the domain value and its id.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub id: String,
    pub event: Event,
}

impl NewEvent {
    /// An event with a fresh random id.
    pub fn new(event: Event) -> Self {
        Self {
            id: random_id(),
            event,
        }
    }

    /// An event whose id follows from what it is about, so recording the same
    /// fact twice (a redelivered status callback) stores it once.
    pub fn derived(event: Event, key: &str) -> Self {
        let kind = event.kind().as_str();
        let digest = Sha256::digest(format!("{kind}\n{key}").as_bytes());
        Self {
            id: format!("evt_{}", &hex::encode(digest)[..26]),
            event,
        }
    }
}

/// `evt_` and 128 random bits.
pub fn random_id() -> String {
    format!("evt_{}", hex::encode(rand::random::<[u8; 16]>()))
}

/// The row written: the event serialised by its domain type, never by hand.
#[derive(serde::Serialize)]
struct Row<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    data: String,
    entity: Option<String>,
}

#[derive(serde::Serialize)]
struct Slim<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    entity: Option<&'a str>,
}

const SLIM_COLS: [Col; 3] = [Col::Text("id"), Col::Text("type"), Col::Text("entity")];

const EVENT_COLS: [Col; 4] = [
    Col::Text("id"),
    Col::Text("type"),
    Col::Text("data"),
    Col::Text("entity"),
];

/// Records events, numbering those about an item or an order per entity
/// (`sequence` 1, 2, 3…) in this transaction, so numbers follow the order of
/// recording and a rolled-back change takes none.
pub async fn record(tx: &mut WriteTx, events: &[NewEvent], now: i64) -> DbResult<()> {
    let mut counts: Vec<(String, i64)> = Vec::new();
    for e in events {
        if let Some(entity) = e.event.sequenced_entity() {
            match counts.iter_mut().find(|(k, _)| *k == entity) {
                Some((_, n)) => *n += 1,
                None => counts.push((entity, 1)),
            }
        }
    }
    if counts.is_empty() {
        insert(tx, events, now);
        return Ok(());
    }
    let rows: Vec<serde_json::Value> = counts
        .iter()
        .map(|(entity, n)| serde_json::json!({ "entity": entity, "n": n }))
        .collect();
    let sql = format!(
        "INSERT INTO entity_sequences (entity, last) SELECT entity, n FROM {} WHERE true \
         ON CONFLICT (entity) DO UPDATE SET last = entity_sequences.last + excluded.last \
         RETURNING entity, last",
        json_rows(tx.backend(), 1, &[Col::Text("entity"), Col::Int("n")])
    );
    let lasts: Vec<(String, i64)> = tx.fetch_all(Stmt::new(sql).bind(to_json(&rows))).await?;
    // The next number per entity: last minus what this batch takes, plus one.
    let mut next: HashMap<String, i64> = lasts
        .into_iter()
        .map(|(entity, last)| {
            let n = counts.iter().find(|(k, _)| *k == entity).map_or(0, |c| c.1);
            (entity, last - n + 1)
        })
        .collect();
    let numbered: Vec<NewEvent> = events
        .iter()
        .cloned()
        .map(|mut e| {
            if let Some(n) = e.event.sequenced_entity().and_then(|k| next.get_mut(&k)) {
                e.event.set_sequence(*n);
                *n += 1;
            }
            e
        })
        .collect();
    insert(tx, &numbered, now);
    Ok(())
}

/// Queues events, and one webhook delivery per matching active
/// subscription (the outbox: a change and its deliveries commit together).
/// An id already stored is skipped, and so are its deliveries. Events about
/// items and orders go through `record`, which numbers them first.
pub fn insert(tx: &mut WriteTx, events: &[NewEvent], now: i64) {
    if events.is_empty() {
        return;
    }
    let rows: Vec<Row<'_>> = events
        .iter()
        .map(|e| Row {
            id: &e.id,
            kind: e.event.kind().as_str(),
            data: e.event.data().to_string(),
            entity: e.event.entity(),
        })
        .collect();
    let json = to_json(&rows);
    let sql = format!(
        "INSERT INTO events (id, type, data, entity, created_at) \
         SELECT id, type, data, entity, $2 FROM {} WHERE true ON CONFLICT (id) DO NOTHING",
        json_rows(tx.backend(), 1, &EVENT_COLS)
    );
    tx.queue(Stmt::new(sql).bind(json).bind(now));
    // The fan-out reads ids, types and entities only: a slim copy, so the
    // database does not parse every payload twice.
    let slim: Vec<Slim<'_>> = rows
        .iter()
        .map(|r| Slim {
            id: r.id,
            kind: r.kind,
            entity: r.entity.as_deref(),
        })
        .collect();
    let fan_out = format!(
        "INSERT INTO webhook_deliveries (subscription_id, event_id, entity, status, \
         next_attempt_at, created_at) \
         SELECT DISTINCT p.subscription_id, v.id, v.entity, 'pending', $2, $2 FROM {} \
         JOIN webhook_patterns p ON p.pattern = '*' OR p.pattern = v.type \
              OR (p.prefix IS NOT NULL AND v.type LIKE p.prefix || '%') \
         JOIN webhook_subscriptions s ON s.id = p.subscription_id AND s.active = 1 \
         WHERE true ON CONFLICT (subscription_id, event_id) DO NOTHING",
        json_rows(tx.backend(), 1, &SLIM_COLS)
    );
    tx.queue(Stmt::new(fan_out).bind(to_json(&slim)).bind(now));
    super::notify::events_recorded(tx);
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
    feed(db, kind.as_slice(), after_seq, limit).await
}

/// Events after `after_seq` in order of recording, of any of `kinds` (all
/// types when empty). Each type is read from its own run of the `(type, seq)`
/// index, at most `limit` rows, so a rare type costs the same as a common
/// one however many events precede it.
pub async fn feed(db: &Db, kinds: &[&str], after_seq: i64, limit: i64) -> DbResult<Vec<EventRow>> {
    const COLS: &str = "seq, id, type, data, created_at";
    let sql = if kinds.is_empty() {
        format!("SELECT {COLS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2")
    } else {
        let runs: Vec<String> = (0..kinds.len())
            .map(|i| {
                format!(
                    "SELECT * FROM (SELECT {COLS} FROM events WHERE type = ${} AND seq > $1 \
                     ORDER BY seq LIMIT $2) AS r{i}",
                    i + 3
                )
            })
            .collect();
        format!("{} ORDER BY seq LIMIT $2", runs.join(" UNION ALL "))
    };
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(after_seq)
        .bind(limit);
    for kind in kinds {
        query = query.bind(*kind);
    }
    query.fetch_all(db.pool()).await
}
