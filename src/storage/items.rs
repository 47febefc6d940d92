//! Items and the append-only stock ledger.

use sqlx::FromRow;

use super::{Col, Db, DbResult, Stmt, WriteTx, for_update, json_rows, to_json};

#[derive(Debug, Clone, Default, PartialEq, Eq, FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub name: String,
    pub quantity: i64,
    pub unit: Option<String>,
    pub sku: Option<String>,
    /// Low-stock threshold; `None` means the shop's default.
    pub threshold: Option<i64>,
    /// A pack this item comes in (`box`) and how many singles it holds.
    pub pack_unit: Option<String>,
    pub pack_size: Option<i64>,
    pub price_minor: Option<i64>,
    /// Groups the item in customers' list messages; `None` is "Other".
    pub category: Option<String>,
    /// Stock by location as `location:quantity,…` (locations holding none
    /// are left out); read by `StockBook`, which keeps the split.
    #[sqlx(default)]
    pub stock: Option<String>,
    /// When a stock count last set it (ms).
    #[sqlx(default)]
    pub last_counted_at: Option<i64>,
}

impl ItemRow {
    /// The stock by location, as (location, quantity) pairs with stock;
    /// malformed parts are skipped.
    pub fn split(&self) -> Vec<(i64, i64)> {
        self.stock
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter_map(|part| {
                let (l, q) = part.split_once(':')?;
                Some((l.trim().parse().ok()?, q.trim().parse().ok()?))
            })
            .collect()
    }

    /// The stock at one location.
    pub fn at(&self, location: i64) -> i64 {
        self.split()
            .into_iter()
            .find(|(l, _)| *l == location)
            .map_or(0, |(_, q)| q)
    }
}

pub(super) const ITEM_COLS: &str = "id, name, quantity, unit, sku, threshold, pack_unit, pack_size, price_minor, category, \
     last_counted_at, (SELECT string_agg(s.location_id || ':' || s.quantity, ',') FROM item_stock s \
      WHERE s.item_id = items.id AND s.quantity > 0) AS stock";

/// One ledger line: a signed change and the balance it left.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewMovement {
    pub item_id: i64,
    pub delta: i64,
    pub balance_after: i64,
    pub reason: String,
    pub actor: Option<String>,
    pub source_message_id: Option<String>,
    pub location_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Movement {
    pub id: i64,
    pub item_id: i64,
    pub delta: i64,
    pub balance_after: i64,
    pub reason: String,
    pub actor: Option<String>,
    pub source_message_id: Option<String>,
    pub created_at: i64,
}

#[derive(serde::Serialize)]
struct Name<'a> {
    name: &'a str,
}

fn names_json(names: &[&str]) -> String {
    let rows: Vec<Name<'_>> = names.iter().map(|name| Name { name }).collect();
    to_json(&rows)
}

/// Queues the creation of items that do not exist yet, at zero. Names go in
/// sorted order so concurrent transactions on PostgreSQL cannot deadlock.
pub fn ensure(tx: &mut WriteTx, names: &[&str], now: i64) {
    if names.is_empty() {
        return;
    }
    let mut names = names.to_vec();
    names.sort_unstable();
    names.dedup();
    let sql = format!(
        "INSERT INTO items (name, quantity, created_at, updated_at) \
         SELECT name, 0, $2, $2 FROM {} WHERE true ON CONFLICT (name) DO NOTHING",
        json_rows(tx.backend(), 1, &[Col::Text("name")])
    );
    tx.queue(Stmt::new(sql).bind(names_json(&names)).bind(now));
}

/// Reads the named items inside a write transaction, locking their rows on
/// PostgreSQL (SQLite's write transaction already excludes other writers).
pub async fn lock(tx: &mut WriteTx, names: &[&str]) -> DbResult<Vec<ItemRow>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {ITEM_COLS} FROM items \
         WHERE name IN (SELECT v.name FROM {}) ORDER BY id {}",
        json_rows(tx.backend(), 1, &[Col::Text("name")]),
        for_update(tx.backend())
    );
    let mut rows = tx.fetch_all(Stmt::new(sql).bind(names_json(names))).await?;
    fresh_splits(tx, &mut rows).await?;
    Ok(rows)
}

/// Re-reads the split by location of rows just locked. On PostgreSQL a
/// locking SELECT that waited re-reads the locked row but not the subquery
/// beside it, which still sees the statement's older snapshot; a new
/// statement sees what the transaction that held the lock wrote.
pub(super) async fn fresh_splits(tx: &mut WriteTx, rows: &mut [ItemRow]) -> DbResult<()> {
    if rows.is_empty() || tx.backend() == super::Backend::Sqlite {
        return Ok(());
    }
    let ids: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| serde_json::json!({ "id": r.id }))
        .collect();
    let sql = format!(
        "SELECT item_id, location_id, quantity FROM item_stock \
         WHERE item_id IN (SELECT v.id FROM {}) AND quantity > 0 ORDER BY item_id, location_id",
        json_rows(tx.backend(), 1, &[Col::Int("id")])
    );
    let split: Vec<(i64, i64, i64)> = tx.fetch_all(Stmt::new(sql).bind(to_json(&ids))).await?;
    for row in rows.iter_mut() {
        let parts: Vec<String> = split
            .iter()
            .filter(|s| s.0 == row.id)
            .map(|s| format!("{}:{}", s.1, s.2))
            .collect();
        row.stock = (!parts.is_empty()).then(|| parts.join(","));
    }
    Ok(())
}

/// Every item, by name, inside a write transaction.
pub async fn all_in(tx: &mut WriteTx) -> DbResult<Vec<ItemRow>> {
    tx.fetch_all(Stmt::new(format!(
        "SELECT {ITEM_COLS} FROM items WHERE deleted_at IS NULL ORDER BY name"
    )))
    .await
}

/// The names the shop stocks, for the parser's typo matching.
pub async fn names(db: &Db) -> DbResult<Vec<String>> {
    sqlx::query_scalar("SELECT name FROM items WHERE deleted_at IS NULL ORDER BY name")
        .fetch_all(db.pool())
        .await
}

pub async fn get(db: &Db, name: &str) -> DbResult<Option<ItemRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ITEM_COLS} FROM items WHERE name = $1 AND deleted_at IS NULL"
    )))
    .bind(name)
    .fetch_optional(db.pool())
    .await
}

#[derive(serde::Serialize)]
struct Balance {
    id: i64,
    quantity: i64,
}

/// Queues new balances (the ledger lines are queued by `insert_movements`).
pub fn set_quantities(tx: &mut WriteTx, balances: &[(i64, i64)], now: i64) {
    if balances.is_empty() {
        return;
    }
    let rows: Vec<Balance> = balances
        .iter()
        .map(|&(id, quantity)| Balance { id, quantity })
        .collect();
    let sql = format!(
        "UPDATE items SET quantity = v.quantity, updated_at = $2 FROM {} WHERE items.id = v.id",
        json_rows(tx.backend(), 1, &[Col::Int("id"), Col::Int("quantity")])
    );
    tx.queue(Stmt::new(sql).bind(to_json(&rows)).bind(now));
}

#[derive(serde::Serialize)]
struct Here {
    item_id: i64,
    location_id: i64,
    quantity: i64,
}

/// Queues each (item, location, quantity) split of the balances written by
/// `set_quantities`.
pub fn set_location_quantities(tx: &mut WriteTx, rows: &[(i64, i64, i64)]) {
    if rows.is_empty() {
        return;
    }
    let rows: Vec<Here> = rows
        .iter()
        .map(|&(item_id, location_id, quantity)| Here {
            item_id,
            location_id,
            quantity,
        })
        .collect();
    let sql = format!(
        "INSERT INTO item_stock (item_id, location_id, quantity) \
         SELECT item_id, location_id, quantity FROM {} WHERE true \
         ON CONFLICT (item_id, location_id) DO UPDATE SET quantity = excluded.quantity",
        json_rows(
            tx.backend(),
            1,
            &[
                Col::Int("item_id"),
                Col::Int("location_id"),
                Col::Int("quantity")
            ]
        )
    );
    tx.queue(Stmt::new(sql).bind(to_json(&rows)));
}

const MOVEMENT_COLS: [Col; 7] = [
    Col::Int("item_id"),
    Col::Int("delta"),
    Col::Int("balance_after"),
    Col::Text("reason"),
    Col::Text("actor"),
    Col::Text("source_message_id"),
    Col::Int("location_id"),
];

pub fn insert_movements(tx: &mut WriteTx, movements: &[NewMovement], now: i64) {
    if movements.is_empty() {
        return;
    }
    let sql = format!(
        "INSERT INTO stock_movements (item_id, delta, balance_after, reason, actor, \
         source_message_id, location_id, created_at) \
         SELECT item_id, delta, balance_after, reason, actor, source_message_id, location_id, $2 \
         FROM {}",
        json_rows(tx.backend(), 1, &MOVEMENT_COLS)
    );
    tx.queue(Stmt::new(sql).bind(to_json(movements)).bind(now));
    super::reports::add_to_totals(tx, movements, now);
}

/// The ledger of one item, oldest first.
pub async fn movements(db: &Db, item_id: i64) -> DbResult<Vec<Movement>> {
    sqlx::query_as(
        "SELECT id, item_id, delta, balance_after, reason, actor, source_message_id, created_at \
         FROM stock_movements WHERE item_id = $1 ORDER BY id",
    )
    .bind(item_id)
    .fetch_all(db.pool())
    .await
}

/// Sum of each item's ledger next to its balance; they must always agree.
/// So must the ledger's running totals (`storage::reports`) and the lines
/// they sum: a disagreement there is reported under the totals' names.
pub async fn ledger_mismatches(db: &Db) -> DbResult<Vec<(String, i64, i64)>> {
    let mut rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT i.name, i.quantity, CAST(COALESCE(SUM(m.delta), 0) AS BIGINT) \
         FROM items i LEFT JOIN stock_movements m ON m.item_id = i.id \
         GROUP BY i.id, i.name, i.quantity \
         HAVING i.quantity <> CAST(COALESCE(SUM(m.delta), 0) AS BIGINT)",
    )
    .fetch_all(db.pool())
    .await?;
    let (lines, units_in, units_out, sold): (i64, i64, i64, i64) =
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT CAST(COUNT(*) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN delta > 0 THEN delta ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN delta < 0 THEN -delta ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN delta < 0 AND reason IN {} \
                  THEN -delta ELSE 0 END), 0) AS BIGINT) FROM stock_movements",
            super::reports::SALES
        )))
        .fetch_one(db.pool())
        .await?;
    let totals: (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(movements), 0) AS BIGINT), \
         CAST(COALESCE(SUM(units_in), 0) AS BIGINT), CAST(COALESCE(SUM(units_out), 0) AS BIGINT), \
         CAST(COALESCE(SUM(units_sold), 0) AS BIGINT) FROM ledger_quarters",
    )
    .fetch_one(db.pool())
    .await?;
    let per_item_sold: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(units), 0) AS BIGINT) FROM item_sales_days")
            .fetch_one(db.pool())
            .await?;
    for (name, total, lines) in [
        ("(ledger_quarters.movements)", totals.0, lines),
        ("(ledger_quarters.units_in)", totals.1, units_in),
        ("(ledger_quarters.units_out)", totals.2, units_out),
        ("(ledger_quarters.units_sold)", totals.3, sold),
        ("(item_sales_days.units)", per_item_sold, sold),
    ] {
        if total != lines {
            rows.push((name.to_string(), total, lines));
        }
    }
    Ok(rows)
}

/// Items by catalogue SKU, locked like `lock`.
pub async fn lock_skus(tx: &mut WriteTx, skus: &[&str]) -> DbResult<Vec<ItemRow>> {
    if skus.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<serde_json::Value> = skus
        .iter()
        .map(|s| serde_json::json!({ "sku": s }))
        .collect();
    let sql = format!(
        "SELECT {ITEM_COLS} FROM items \
         WHERE sku IN (SELECT v.sku FROM {}) ORDER BY id {}",
        json_rows(tx.backend(), 1, &[Col::Text("sku")]),
        for_update(tx.backend())
    );
    let mut locked = tx.fetch_all(Stmt::new(sql).bind(to_json(&rows))).await?;
    fresh_splits(tx, &mut locked).await?;
    Ok(locked)
}

/// A person's latest stock change (all ledger lines of the message that made
/// it), newest first, among their add/remove/set/undo lines.
pub async fn last_change(tx: &mut WriteTx, actor: &str) -> DbResult<Vec<ChangeLine>> {
    tx.fetch_all(
        Stmt::new(
            "SELECT m.source_message_id, m.reason, m.delta, m.created_at, i.name, \
             CAST(COALESCE(m.location_id, 1) AS BIGINT) AS location_id \
             FROM stock_movements m JOIN items i ON i.id = m.item_id \
             WHERE m.actor = $1 AND m.source_message_id = ( \
                 SELECT source_message_id FROM stock_movements \
                 WHERE actor = $1 AND reason IN ('add', 'remove', 'set', 'undo') \
                 ORDER BY id DESC LIMIT 1) \
             AND m.reason IN ('add', 'remove', 'set', 'undo') ORDER BY m.id",
        )
        .bind(actor),
    )
    .await
}

/// One ledger line of a person's change, for undo.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ChangeLine {
    pub source_message_id: Option<String>,
    pub reason: String,
    pub delta: i64,
    pub created_at: i64,
    pub name: String,
    pub location_id: i64,
}

/// Sets how many singles one `unit` of an item holds ("1 box of screws = 50").
pub fn set_pack(tx: &mut WriteTx, name: &str, unit: &str, size: i64, now: i64) {
    tx.queue(
        Stmt::new(
            "UPDATE items SET pack_unit = $1, pack_size = $2, updated_at = $3 WHERE name = $4",
        )
        .bind(unit)
        .bind(size)
        .bind(now)
        .bind(name),
    );
}
