//! Shop settings stored by the dashboard (`shop_settings`): plain name/value
//! pairs; `config::prefs` gives them meaning and checks them.

use super::{Db, DbResult, Stmt};

/// Every stored setting.
pub async fn all(db: &Db) -> DbResult<Vec<(String, String)>> {
    sqlx::query_as("SELECT name, value FROM shop_settings ORDER BY name")
        .fetch_all(db.pool())
        .await
}

/// Stores the given settings in one transaction; `None` removes one.
pub async fn save(db: &Db, values: &[(&str, Option<String>)], now: i64) -> DbResult<()> {
    let mut tx = db.begin().await?;
    for (name, value) in values {
        let stmt = match value {
            Some(v) => Stmt::new(
                "INSERT INTO shop_settings (name, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(*name)
            .bind(v.clone())
            .bind(now),
            None => Stmt::new("DELETE FROM shop_settings WHERE name = $1").bind(*name),
        };
        tx.queue(stmt);
    }
    tx.commit().await
}

/// The currency of the newest order that named one (catalogue orders do):
/// the shop's currency when nobody set it.
pub async fn order_currency(db: &Db) -> DbResult<Option<String>> {
    sqlx::query_scalar(
        "SELECT currency FROM orders WHERE currency IS NOT NULL ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await
}
