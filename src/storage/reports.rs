//! Figures for the dashboard's Today page: what sold, what moved, what the
//! stock is worth, what is waiting. Reads only.

use sqlx::FromRow;

use super::{Db, DbResult};

/// Stock leaving to customers, as ledger reasons (see `domain::ledger`).
const SALES: &str = "('remove', 'order', 'sale')";

/// Units of one item sold since a time.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Sold {
    pub item_id: i64,
    pub name: String,
    pub units: i64,
}

/// Units sold per item since `since`, most first.
pub async fn sold_since(db: &Db, since: i64) -> DbResult<Vec<Sold>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT m.item_id, i.name, CAST(SUM(-m.delta) AS BIGINT) AS units \
         FROM stock_movements m JOIN items i ON i.id = m.item_id \
         WHERE m.created_at >= $1 AND m.reason IN {SALES} AND m.delta < 0 \
         GROUP BY m.item_id, i.name ORDER BY units DESC, i.name"
    )))
    .bind(since)
    .fetch_all(db.pool())
    .await
}

/// (time, units) of every sale since `since`, for sales per day in the
/// shop's own days (which SQL would need the zone rules for).
pub async fn sales_times(db: &Db, since: i64) -> DbResult<Vec<(i64, i64)>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT created_at, -delta FROM stock_movements \
         WHERE created_at >= $1 AND reason IN {SALES} AND delta < 0 ORDER BY created_at"
    )))
    .bind(since)
    .fetch_all(db.pool())
    .await
}

/// Ledger activity since a time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, FromRow)]
pub struct Activity {
    pub movements: i64,
    pub units_in: i64,
    pub units_out: i64,
}

pub async fn activity_since(db: &Db, since: i64) -> DbResult<Activity> {
    sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) AS movements, \
         CAST(COALESCE(SUM(CASE WHEN delta > 0 THEN delta ELSE 0 END), 0) AS BIGINT) AS units_in, \
         CAST(COALESCE(SUM(CASE WHEN delta < 0 THEN -delta ELSE 0 END), 0) AS BIGINT) AS units_out \
         FROM stock_movements WHERE created_at >= $1",
    )
    .bind(since)
    .fetch_one(db.pool())
    .await
}

/// What the stock on hand is worth at its prices (minor units), and how
/// many items in stock have no price.
pub async fn stock_value(db: &Db) -> DbResult<(i64, i64)> {
    sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN price_minor IS NOT NULL THEN quantity * price_minor ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN price_minor IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM items WHERE deleted_at IS NULL AND quantity > 0",
    )
    .fetch_one(db.pool())
    .await
}

/// How many orders are in each status.
pub async fn orders_by_status(db: &Db) -> DbResult<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT status, CAST(COUNT(*) AS BIGINT) FROM orders GROUP BY status ORDER BY status",
    )
    .fetch_all(db.pool())
    .await
}

/// Messages to people that failed since a time.
pub async fn failed_messages(db: &Db, since: i64) -> DbResult<i64> {
    sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM outbound_messages \
         WHERE status = 'failed' AND kind <> 'read' AND updated_at >= $1",
    )
    .bind(since)
    .fetch_one(db.pool())
    .await
}
