//! "Asked while out of stock": who wanted an item the shop did not have, so
//! they can be told once when it comes back.

use super::{Col, DbResult, Stmt, WriteTx, contacts::Recipient, json_rows, to_json};

/// Queues a request; asking again renews it (and may be told again).
pub fn record(tx: &mut WriteTx, contact: &str, item_id: i64, now: i64) {
    tx.queue(
        Stmt::new(
            "INSERT INTO stock_requests (contact, item_id, asked_at, told_at) \
             VALUES ($1, $2, $3, NULL) ON CONFLICT (contact, item_id) \
             DO UPDATE SET asked_at = excluded.asked_at, told_at = NULL",
        )
        .bind(contact)
        .bind(item_id)
        .bind(now),
    );
}

/// Someone to tell that an item is back.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Waiting {
    pub item_id: i64,
    pub wa_id: String,
    pub last_seen: Option<i64>,
    pub lang: Option<String>,
    pub opted_out_at: Option<i64>,
}

impl Waiting {
    pub fn recipient(&self) -> Recipient {
        Recipient {
            wa_id: self.wa_id.clone(),
            last_seen: self.last_seen,
            lang: self.lang.clone(),
            opted_out_at: self.opted_out_at,
        }
    }
}

#[derive(serde::Serialize)]
struct Id {
    id: i64,
}

/// The untold requests for these items made since `since`, and marks them
/// told in the same transaction: each request is answered at most once.
pub async fn take(
    tx: &mut WriteTx,
    item_ids: &[i64],
    since: i64,
    now: i64,
) -> DbResult<Vec<Waiting>> {
    if item_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Id> = item_ids.iter().map(|&id| Id { id }).collect();
    let from = json_rows(tx.backend(), 1, &[Col::Int("id")]);
    let waiting: Vec<Waiting> = tx
        .fetch_all(
            Stmt::new(format!(
                "SELECT r.item_id, r.contact AS wa_id, c.last_seen, c.lang, c.opted_out_at \
                 FROM stock_requests r LEFT JOIN contacts c ON c.wa_id = r.contact \
                 WHERE r.item_id IN (SELECT v.id FROM {from}) \
                 AND r.told_at IS NULL AND r.asked_at >= $2 ORDER BY r.item_id, r.contact"
            ))
            .bind(to_json(&ids))
            .bind(since),
        )
        .await?;
    tx.queue(
        Stmt::new(format!(
            "UPDATE stock_requests SET told_at = $3 \
             WHERE item_id IN (SELECT v.id FROM {from}) AND told_at IS NULL AND asked_at >= $2"
        ))
        .bind(to_json(&ids))
        .bind(since)
        .bind(now),
    );
    Ok(waiting)
}
