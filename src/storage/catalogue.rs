//! The item catalogue as the API manages it: search, create, edit, delete,
//! and the ledger filtered.

use sqlx::{AssertSqlSafe, FromRow};

use super::{Db, DbResult, Stmt, WriteTx, for_update, items::ItemRow};

use super::items::ITEM_COLS as COLS;

/// What an item search asks for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Search<'a> {
    /// Part of the name or SKU.
    pub text: Option<&'a str>,
    /// Only items with stock at, or on its way to, this location.
    pub location: Option<i64>,
    /// Only items at or below their threshold.
    pub low_only: bool,
    /// Fewest first (at `location` when given), then by name; else by name.
    pub by_quantity: bool,
    /// By name only: items after this name (keyset paging).
    pub after: Option<&'a str>,
}

/// Items filtered and ordered as `q` asks; one more than `limit` is fetched
/// to tell whether another page follows.
pub async fn search(
    db: &Db,
    q: Search<'_>,
    default_threshold: i64,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<ItemRow>> {
    let pattern = q
        .text
        .map(|t| format!("%{}%", t.to_lowercase().replace(['%', '_'], "")));
    let order = match (q.by_quantity, q.location) {
        (false, _) => "name",
        (true, None) => "quantity, name",
        (true, Some(_)) => {
            "COALESCE((SELECT s.quantity FROM item_stock s WHERE s.item_id = items.id \
             AND s.location_id = $6), 0), name"
        }
    };
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLS} FROM items WHERE deleted_at IS NULL \
         AND ($1 IS NULL OR name LIKE $1 OR LOWER(COALESCE(sku, '')) LIKE $1) \
         AND ($2 = 0 OR quantity <= COALESCE(threshold, $3)) \
         AND ($2 = 0 OR COALESCE(threshold, $3) > 0) \
         AND ($6 IS NULL OR EXISTS (SELECT 1 FROM item_stock s WHERE s.item_id = items.id \
              AND s.location_id = $6 AND s.quantity > 0) \
              OR EXISTS (SELECT 1 FROM transfers t WHERE t.item_id = items.id \
              AND t.to_location = $6 AND t.status = 'in_transit')) \
         AND ($7 IS NULL OR name > $7) \
         ORDER BY {order} LIMIT $4 OFFSET $5"
    )))
    .bind(pattern)
    .bind(i64::from(q.low_only))
    .bind(default_threshold)
    .bind(limit + 1)
    .bind(offset)
    .bind(q.location)
    .bind(q.after)
    .fetch_all(db.pool())
    .await
}

pub async fn get(db: &Db, id: i64) -> DbResult<Option<ItemRow>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLS} FROM items WHERE id = $1 AND deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(db.pool())
    .await
}

/// Locks one live item inside a write transaction.
pub async fn lock_id(tx: &mut WriteTx, id: i64) -> DbResult<Option<ItemRow>> {
    let sql = format!(
        "SELECT {COLS} FROM items WHERE id = $1 AND deleted_at IS NULL {}",
        for_update(tx.backend())
    );
    let mut rows = tx.fetch_all(Stmt::new(sql).bind(id)).await?;
    super::items::fresh_splits(tx, &mut rows).await?;
    Ok(rows.into_iter().next())
}

/// Whether another live item already uses this name or SKU.
pub async fn clash(
    tx: &mut WriteTx,
    name: Option<&str>,
    sku: Option<&str>,
    except_id: i64,
) -> DbResult<Option<&'static str>> {
    let rows: Vec<(Option<String>, Option<String>)> = tx
        .fetch_all(
            Stmt::new("SELECT name, sku FROM items WHERE id <> $3 AND (name = $1 OR sku = $2)")
                .bind(name)
                .bind(sku)
                .bind(except_id),
        )
        .await?;
    Ok(rows.first().map(|(n, _)| {
        if name.is_some() && n.as_deref() == name {
            "name"
        } else {
            "sku"
        }
    }))
}

/// Fields of an item the API sets.
#[derive(Debug, Clone, Default)]
pub struct ItemFields {
    pub name: String,
    pub unit: Option<String>,
    pub sku: Option<String>,
    pub threshold: Option<i64>,
    pub price_minor: Option<i64>,
    pub pack_unit: Option<String>,
    pub pack_size: Option<i64>,
    pub category: Option<String>,
}

pub async fn create(tx: &mut WriteTx, f: &ItemFields, now: i64) -> DbResult<ItemRow> {
    let sql = format!(
        "INSERT INTO items (name, quantity, unit, sku, threshold, price_minor, pack_unit, \
         pack_size, category, created_at, updated_at) \
         VALUES ($1, 0, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         RETURNING {COLS}"
    );
    let rows = tx
        .fetch_all(bind_fields(Stmt::new(sql), f).bind(now))
        .await?;
    rows.into_iter().next().ok_or(sqlx::Error::RowNotFound)
}

pub async fn update(tx: &mut WriteTx, id: i64, f: &ItemFields, now: i64) -> DbResult<ItemRow> {
    let sql = format!(
        "UPDATE items SET name = $1, unit = $2, sku = $3, threshold = $4, price_minor = $5, \
         pack_unit = $6, pack_size = $7, category = $8, updated_at = $9 WHERE id = $10 \
         RETURNING {COLS}"
    );
    let rows = tx
        .fetch_all(bind_fields(Stmt::new(sql), f).bind(now).bind(id))
        .await?;
    rows.into_iter().next().ok_or(sqlx::Error::RowNotFound)
}

fn bind_fields(stmt: Stmt, f: &ItemFields) -> Stmt {
    stmt.bind(f.name.as_str())
        .bind(f.unit.clone())
        .bind(f.sku.clone())
        .bind(f.threshold)
        .bind(f.price_minor)
        .bind(f.pack_unit.clone())
        .bind(f.pack_size)
        .bind(f.category.clone())
}

/// Orders still holding stock of this item.
pub async fn open_orders_of(tx: &mut WriteTx, id: i64) -> DbResult<i64> {
    let rows: Vec<(i64,)> = tx
        .fetch_all(
            Stmt::new(format!(
                "SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.id = l.order_id \
                 WHERE l.item_id = $1 AND o.status IN {}",
                crate::domain::order::OrderStatus::open_sql_list()
            ))
            .bind(id),
        )
        .await?;
    Ok(rows.first().map_or(0, |r| r.0))
}

/// Deletes an item but keeps its ledger: the row is renamed out of the way
/// (so the name can be used again) and hidden.
pub fn soft_delete(tx: &mut WriteTx, id: i64, now: i64) {
    tx.queue(
        Stmt::new(
            "UPDATE items SET deleted_at = $1, sku = NULL, \
             name = name || ' (deleted ' || CAST(id AS TEXT) || ')' WHERE id = $2",
        )
        .bind(now)
        .bind(id),
    );
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct MovementRow {
    pub id: i64,
    pub item_id: i64,
    pub item_name: String,
    pub delta: i64,
    pub balance_after: i64,
    pub reason: String,
    pub actor: Option<String>,
    pub source_message_id: Option<String>,
    pub created_at: i64,
}

/// Filters for the ledger; times are milliseconds since the epoch.
#[derive(Debug, Clone, Default)]
pub struct MovementFilter {
    pub item_id: Option<i64>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub actor: Option<String>,
    pub reason: Option<String>,
}

/// Ledger lines, newest first; one more than `limit` tells a page follows.
/// Only the filters given are in the SQL: `($1 IS NULL OR …)` would keep the
/// planner (PostgreSQL's generic plans especially) from walking the id index.
pub async fn movements(
    db: &Db,
    f: &MovementFilter,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<MovementRow>> {
    // Each filter given, with its value, in the order of its placeholder.
    enum Value<'a> {
        Int(i64),
        Text(&'a str),
    }
    let given = [
        ("m.item_id =", f.item_id.map(Value::Int)),
        ("m.created_at >=", f.since.map(Value::Int)),
        ("m.created_at <", f.until.map(Value::Int)),
        ("m.actor =", f.actor.as_deref().map(Value::Text)),
        ("m.reason =", f.reason.as_deref().map(Value::Text)),
    ];
    let given: Vec<(&str, Value<'_>)> = given
        .into_iter()
        .filter_map(|(test, v)| Some((test, v?)))
        .collect();
    let conds: Vec<String> = given
        .iter()
        .enumerate()
        .map(|(i, (test, _))| format!("{test} ${}", i + 1))
        .collect();
    let filter = if conds.is_empty() {
        "true".to_string()
    } else {
        conds.join(" AND ")
    };
    let n = given.len();
    let sql = format!(
        "SELECT m.id, m.item_id, i.name AS item_name, m.delta, m.balance_after, m.reason, \
         m.actor, m.source_message_id, m.created_at \
         FROM stock_movements m JOIN items i ON i.id = m.item_id \
         WHERE {filter} ORDER BY m.id DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for (_, v) in given {
        q = match v {
            Value::Int(x) => q.bind(x),
            Value::Text(x) => q.bind(x),
        };
    }
    q.bind(limit + 1).bind(offset).fetch_all(db.pool()).await
}
