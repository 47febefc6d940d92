//! The conversation log: inbound and outbound messages side by side.

use sqlx::FromRow;

use super::{Db, DbResult, outbound::NewOutbound};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct LogRow {
    /// `in` or `out`.
    pub direction: String,
    pub id: i64,
    pub contact: Option<String>,
    pub kind: String,
    pub text: Option<String>,
    pub status: String,
    pub wamid: Option<String>,
    pub at: i64,
}

/// Messages newest first, of one contact or all; one more than `limit`.
pub async fn page(
    db: &Db,
    contact: Option<&str>,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<LogRow>> {
    sqlx::query_as(
        "SELECT direction, id, contact, kind, text, status, wamid, at FROM ( \
           SELECT 'in' AS direction, id, sender AS contact, msg_type AS kind, body AS text, \
                  status, wamid, received_at AS at FROM inbox WHERE ($1 IS NULL OR sender = $1) \
           UNION ALL \
           SELECT 'out', id, recipient, kind, preview, status, wamid, created_at \
           FROM outbound_messages WHERE kind <> 'read' AND ($1 IS NULL OR recipient = $1) \
         ) AS m ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(contact)
    .bind(limit + 1)
    .bind(offset)
    .fetch_all(db.pool())
    .await
}

/// Queues one message to send and returns its id.
pub async fn send(db: &Db, row: &NewOutbound, now: i64) -> DbResult<i64> {
    let tx = db.begin().await?;
    let insert = super::outbound::insert_returning_id(&tx, std::slice::from_ref(row), now);
    let ids: Vec<(i64,)> = tx.commit_with(insert).await?;
    ids.first().map(|r| r.0).ok_or(sqlx::Error::RowNotFound)
}

/// One message of a conversation as the dashboard shows it, with what the
/// parser made of an inbound one and the buttons of an outbound one.
#[derive(Debug, Clone, FromRow)]
pub struct ThreadRow {
    /// `in` or `out`.
    pub direction: String,
    pub id: i64,
    pub kind: String,
    pub text: Option<String>,
    pub status: String,
    pub wamid: Option<String>,
    pub at: i64,
    pub parser: Option<String>,
    pub intent: Option<String>,
    pub items: Option<String>,
    /// An outbound interactive or template message's object, as JSON.
    pub content: Option<String>,
}

/// A person's conversation, newest first; one more than `limit`.
pub async fn thread(db: &Db, contact: &str, limit: i64) -> DbResult<Vec<ThreadRow>> {
    sqlx::query_as(
        "SELECT direction, id, kind, text, status, wamid, at, parser, intent, items, content FROM ( \
           SELECT 'in' AS direction, id, msg_type AS kind, body AS text, status, wamid, \
                  received_at AS at, parser, intent, parse_items AS items, \
                  CAST(NULL AS TEXT) AS content FROM inbox WHERE sender = $1 \
           UNION ALL \
           SELECT 'out', id, kind, preview, status, wamid, created_at, NULL, NULL, NULL, content \
           FROM outbound_messages WHERE kind <> 'read' AND recipient = $1 \
         ) AS m ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(contact)
    .bind(limit + 1)
    .fetch_all(db.pool())
    .await
}

/// The text of the messages with these wamids, with who sent them: what
/// the ledger's `source_message_id` points at, for people.
pub async fn texts(
    db: &Db,
    wamids: &[&str],
) -> DbResult<Vec<(String, Option<String>, Option<String>)>> {
    if wamids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT wamid, sender, body FROM inbox WHERE wamid IN (SELECT v.k FROM {})",
        super::keys_from(db.backend(), 1)
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(super::keys_json(wamids))
        .fetch_all(db.pool())
        .await
}
