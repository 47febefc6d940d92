//! Figures for the dashboard's Today page: what sold, what moved, what the
//! stock is worth, what is waiting. Reads only, except the ledger's running
//! totals (`ledger_quarters`, `item_sales_days`), which the transaction
//! writing ledger lines adds to, so these figures cost the same however long
//! the ledger grows.

use std::collections::BTreeMap;

use sqlx::FromRow;

use super::{Col, Db, DbResult, Stmt, WriteTx, items::NewMovement, json_rows, to_json};
use crate::domain::ledger::Reason;

/// A quarter hour in ms: every time zone's midnight falls on one.
pub const QUARTER: i64 = 900_000;
pub const DAY: i64 = 86_400_000;

/// Stock leaving to customers, as stored ledger reasons: the reasons for
/// which `Reason::is_sale` holds.
pub const SALES: &str = "('remove', 'order', 'sale')";

/// Adds a batch of new ledger lines, all written at `now`, to the running
/// totals. Every stock-changing transaction writes the quarter's row, so the
/// upserts run at the commit, after everything else, the shared row last:
/// on PostgreSQL its lock is held for that round trip only. The per-item
/// rows follow the item locks the caller's stock book already holds.
pub fn add_to_totals(tx: &mut WriteTx, movements: &[NewMovement], now: i64) {
    let sold =
        |m: &NewMovement| m.delta < 0 && m.reason.parse::<Reason>().is_ok_and(Reason::is_sale);
    let mut per_item: BTreeMap<i64, i64> = BTreeMap::new();
    for m in movements.iter().filter(|m| sold(m)) {
        *per_item.entry(m.item_id).or_default() -= m.delta;
    }
    let units_sold: i64 = per_item.values().sum();
    if !per_item.is_empty() {
        #[derive(serde::Serialize)]
        struct Sold {
            item_id: i64,
            units: i64,
        }
        let rows: Vec<Sold> = per_item
            .into_iter()
            .map(|(item_id, units)| Sold { item_id, units })
            .collect();
        let sql = format!(
            "INSERT INTO item_sales_days (item_id, day, units) \
             SELECT item_id, $2, units FROM {} WHERE true ON CONFLICT (item_id, day) \
             DO UPDATE SET units = item_sales_days.units + excluded.units",
            json_rows(tx.backend(), 1, &[Col::Int("item_id"), Col::Int("units")])
        );
        tx.queue_at_commit(Stmt::new(sql).bind(to_json(&rows)).bind(now / DAY));
    }
    tx.queue_at_commit(
        Stmt::new(
            "INSERT INTO ledger_quarters (quarter, movements, units_in, units_out, units_sold) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (quarter) DO UPDATE SET \
             movements = ledger_quarters.movements + excluded.movements, \
             units_in = ledger_quarters.units_in + excluded.units_in, \
             units_out = ledger_quarters.units_out + excluded.units_out, \
             units_sold = ledger_quarters.units_sold + excluded.units_sold",
        )
        .bind(now / QUARTER)
        .bind(movements.len() as i64)
        .bind(movements.iter().map(|m| m.delta.max(0)).sum::<i64>())
        .bind(movements.iter().map(|m| (-m.delta).max(0)).sum::<i64>())
        .bind(units_sold),
    );
}

/// Recomputes the running totals from the whole ledger, as migration 0017
/// first filled them: for a ledger written around `insert_movements` (a
/// bulk load, a restore of the ledger alone).
pub async fn rebuild_totals(db: &Db) -> DbResult<()> {
    let mut tx = db.begin().await?;
    tx.queue(Stmt::new("DELETE FROM ledger_quarters"));
    tx.queue(Stmt::new("DELETE FROM item_sales_days"));
    tx.queue(Stmt::new(format!(
        "INSERT INTO ledger_quarters (quarter, movements, units_in, units_out, units_sold) \
         SELECT created_at / {QUARTER}, COUNT(*), \
         CAST(SUM(CASE WHEN delta > 0 THEN delta ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN delta < 0 THEN -delta ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN delta < 0 AND reason IN {SALES} THEN -delta ELSE 0 END) AS BIGINT) \
         FROM stock_movements GROUP BY created_at / {QUARTER}"
    )));
    tx.queue(Stmt::new(format!(
        "INSERT INTO item_sales_days (item_id, day, units) \
         SELECT item_id, created_at / {DAY}, CAST(SUM(-delta) AS BIGINT) FROM stock_movements \
         WHERE delta < 0 AND reason IN {SALES} GROUP BY item_id, created_at / {DAY}"
    )));
    tx.commit().await
}

/// Units of one item sold since a time.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Sold {
    pub item_id: i64,
    pub name: String,
    pub units: i64,
}

/// The items that sold most since the UTC day holding `since`, most first.
pub async fn top_sellers(db: &Db, since: i64, limit: i64) -> DbResult<Vec<Sold>> {
    sqlx::query_as(
        "SELECT d.item_id, i.name, CAST(SUM(d.units) AS BIGINT) AS units \
         FROM item_sales_days d JOIN items i ON i.id = d.item_id \
         WHERE d.day >= $1 GROUP BY d.item_id, i.name ORDER BY units DESC, i.name LIMIT $2",
    )
    .bind(since / DAY)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

/// (item id, units) sold of each of `items` since the UTC day holding `since`.
pub async fn sold_of(db: &Db, items: &[i64], since: i64) -> DbResult<Vec<(i64, i64)>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(serde::Serialize)]
    struct Id {
        id: i64,
    }
    let ids: Vec<Id> = items.iter().map(|&id| Id { id }).collect();
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT item_id, CAST(SUM(units) AS BIGINT) FROM item_sales_days \
         WHERE item_id IN (SELECT id FROM {}) AND day >= $1 GROUP BY item_id",
        json_rows(db.backend(), 2, &[Col::Int("id")])
    )))
    .bind(since / DAY)
    .bind(to_json(&ids))
    .fetch_all(db.pool())
    .await
}

/// (start, units) of each quarter hour with sales since `since`, for sales
/// per day in the shop's own days (which SQL would need the zone rules for).
pub async fn sales_by_quarter(db: &Db, since: i64) -> DbResult<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT quarter, units_sold FROM ledger_quarters \
         WHERE quarter >= $1 AND units_sold > 0 ORDER BY quarter",
    )
    .bind(since.div_euclid(QUARTER))
    .fetch_all(db.pool())
    .await
    .map(|rows: Vec<(i64, i64)>| {
        rows.into_iter()
            .map(|(q, units)| (q * QUARTER, units))
            .collect()
    })
}

/// Ledger activity since a time (from the start of its quarter hour).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, FromRow)]
pub struct Activity {
    pub movements: i64,
    pub units_in: i64,
    pub units_out: i64,
    pub units_sold: i64,
}

pub async fn activity_since(db: &Db, since: i64) -> DbResult<Activity> {
    sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(movements), 0) AS BIGINT) AS movements, \
         CAST(COALESCE(SUM(units_in), 0) AS BIGINT) AS units_in, \
         CAST(COALESCE(SUM(units_out), 0) AS BIGINT) AS units_out, \
         CAST(COALESCE(SUM(units_sold), 0) AS BIGINT) AS units_sold \
         FROM ledger_quarters WHERE quarter >= $1",
    )
    .bind(since.div_euclid(QUARTER))
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
