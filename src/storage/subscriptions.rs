//! Webhook subscriptions, their event patterns and signing secrets. Secrets
//! are stored sealed (`crate::secrets`): a copy of the database, or a backup,
//! does not let its reader sign events as the shop.

use sqlx::{AssertSqlSafe, FromRow};

use super::{Db, DbResult, Stmt, WriteTx};
use crate::secrets::{self, Keys, Purpose};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SubscriptionRow {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub description: Option<String>,
    pub events: String,
    pub active: i64,
    pub ordered: i64,
    pub failing_since: Option<i64>,
    pub disabled_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLS: &str = "id, name, url, description, events, active, ordered, failing_since, \
                    disabled_reason, created_at, updated_at";

/// A subscription's settable fields.
#[derive(Debug, Clone)]
pub struct SubscriptionFields {
    pub name: String,
    pub url: String,
    pub description: Option<String>,
    /// Exact types, `prefix.*` or `*`.
    pub events: Vec<String>,
    pub active: bool,
    pub ordered: bool,
}

pub async fn create(
    db: &Db,
    keys: &Keys,
    f: &SubscriptionFields,
    secret: &str,
    now: i64,
) -> DbResult<SubscriptionRow> {
    let mut tx = db.begin().await?;
    let rows: Vec<SubscriptionRow> = tx
        .fetch_all(
            Stmt::new(format!(
                "INSERT INTO webhook_subscriptions (name, url, description, events, active, \
                 ordered, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
                 RETURNING {COLS}"
            ))
            .bind(f.name.as_str())
            .bind(f.url.as_str())
            .bind(f.description.clone())
            .bind(f.events.join(" "))
            .bind(i64::from(f.active))
            .bind(i64::from(f.ordered))
            .bind(now),
        )
        .await?;
    let row = rows.into_iter().next().ok_or(sqlx::Error::RowNotFound)?;
    set_patterns(&mut tx, row.id, &f.events);
    tx.queue(
        Stmt::new(
            "INSERT INTO webhook_secrets (subscription_id, secret, created_at) VALUES ($1, $2, $3)",
        )
        .bind(row.id)
        .bind(keys.seal(Purpose::WebhookSecret, secret))
        .bind(now),
    );
    tx.commit().await?;
    Ok(row)
}

fn set_patterns(tx: &mut WriteTx, id: i64, events: &[String]) {
    tx.queue(Stmt::new("DELETE FROM webhook_patterns WHERE subscription_id = $1").bind(id));
    for pattern in events {
        let prefix = pattern.strip_suffix('*').filter(|p| !p.is_empty());
        tx.queue(
            Stmt::new(
                "INSERT INTO webhook_patterns (subscription_id, pattern, prefix) VALUES ($1, $2, $3) \
                 ON CONFLICT (subscription_id, pattern) DO NOTHING",
            )
            .bind(id)
            .bind(pattern.as_str())
            .bind(prefix),
        );
    }
}

pub async fn update(
    db: &Db,
    id: i64,
    f: &SubscriptionFields,
    now: i64,
) -> DbResult<Option<SubscriptionRow>> {
    let mut tx = db.begin().await?;
    // Re-enabling clears the record of failures that disabled it.
    let rows: Vec<SubscriptionRow> = tx
        .fetch_all(
            Stmt::new(format!(
                "UPDATE webhook_subscriptions SET name = $1, url = $2, description = $3, \
                 events = $4, ordered = $6, updated_at = $7, \
                 failing_since = CASE WHEN $5 = 1 AND active = 0 THEN NULL ELSE failing_since END, \
                 disabled_reason = CASE WHEN $5 = 1 THEN NULL ELSE disabled_reason END, \
                 active = $5 WHERE id = $8 RETURNING {COLS}"
            ))
            .bind(f.name.as_str())
            .bind(f.url.as_str())
            .bind(f.description.clone())
            .bind(f.events.join(" "))
            .bind(i64::from(f.active))
            .bind(i64::from(f.ordered))
            .bind(now)
            .bind(id),
        )
        .await?;
    let Some(row) = rows.into_iter().next() else {
        return Ok(None);
    };
    set_patterns(&mut tx, id, &f.events);
    tx.commit().await?;
    Ok(Some(row))
}

pub async fn delete(db: &Db, id: i64) -> DbResult<bool> {
    let mut tx = db.begin().await?;
    for table in ["webhook_patterns", "webhook_secrets"] {
        tx.queue(Stmt::new(format!("DELETE FROM {table} WHERE subscription_id = $1")).bind(id));
    }
    // Pending deliveries go with it; the attempt log stays for the record.
    tx.queue(
        Stmt::new(
            "UPDATE webhook_deliveries SET status = 'failed', last_error = 'subscription deleted' \
             WHERE subscription_id = $1 AND status = 'pending'",
        )
        .bind(id),
    );
    let rows: Vec<(i64,)> = tx
        .commit_with(
            Stmt::new("DELETE FROM webhook_subscriptions WHERE id = $1 RETURNING id").bind(id),
        )
        .await?;
    Ok(!rows.is_empty())
}

pub async fn get(db: &Db, id: i64) -> DbResult<Option<SubscriptionRow>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLS} FROM webhook_subscriptions WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db.pool())
    .await
}

pub async fn list(db: &Db) -> DbResult<Vec<SubscriptionRow>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLS} FROM webhook_subscriptions ORDER BY id"
    )))
    .fetch_all(db.pool())
    .await
}

/// Secrets that sign now, opened: the current one and any still in their
/// grace period. (Start-up has checked that every stored secret opens.)
pub async fn signing_secrets(
    db: &Db,
    keys: &Keys,
    ids: &[i64],
    now: i64,
) -> DbResult<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    let rows: Vec<(i64, String)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT subscription_id, secret FROM webhook_secrets \
         WHERE subscription_id IN ({}) AND (expires_at IS NULL OR expires_at > $1) \
         ORDER BY subscription_id, id DESC",
        list.join(", ")
    )))
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(id, stored)| match keys.open(Purpose::WebhookSecret, &stored) {
                Ok(secret) => Some((id, secret)),
                Err(e) => {
                    tracing::error!(subscription = id, error = %e, "webhook secret not usable");
                    None
                }
            },
        )
        .collect())
}

/// Seals every stored secret with the current key: rows from before
/// encryption and rows sealed with a key being rotated out. Returns how many
/// were re-sealed; fails if one opens with no key we hold.
pub async fn reseal(db: &Db, keys: &Keys) -> anyhow::Result<usize> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, secret FROM webhook_secrets")
        .fetch_all(db.pool())
        .await?;
    let mut tx = db.begin().await?;
    let mut count = 0;
    for (id, stored) in rows.iter().filter(|(_, s)| !keys.is_current(s)) {
        let plain = if secrets::is_sealed(stored) {
            keys.open(Purpose::WebhookSecret, stored).map_err(|e| {
                anyhow::anyhow!(
                    "SECRETS_KEY: {e}. Keep the previous key after the new one \
                     (SECRETS_KEY=new,old) until start-up has re-sealed them"
                )
            })?
        } else {
            stored.clone()
        };
        tx.queue(
            Stmt::new("UPDATE webhook_secrets SET secret = $1 WHERE id = $2")
                .bind(keys.seal(Purpose::WebhookSecret, &plain))
                .bind(*id),
        );
        count += 1;
    }
    tx.commit().await?;
    Ok(count)
}

/// Adds a new current secret; the old ones keep signing until `old_until`.
pub async fn rotate(
    db: &Db,
    keys: &Keys,
    id: i64,
    secret: &str,
    now: i64,
    old_until: i64,
) -> DbResult<()> {
    let mut tx = db.begin().await?;
    tx.queue(
        Stmt::new(
            "UPDATE webhook_secrets SET expires_at = $1 WHERE subscription_id = $2 \
             AND (expires_at IS NULL OR expires_at > $1)",
        )
        .bind(old_until)
        .bind(id),
    );
    tx.queue(
        Stmt::new(
            "INSERT INTO webhook_secrets (subscription_id, secret, created_at) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(keys.seal(Purpose::WebhookSecret, secret))
        .bind(now),
    );
    tx.commit().await
}
