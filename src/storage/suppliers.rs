//! Suppliers, and which items are reordered from whom.

use sqlx::FromRow;

use super::{Db, DbResult, Stmt, WriteTx, for_update};

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct SupplierRow {
    pub id: i64,
    pub name: String,
    /// Their WhatsApp id; the contact of that number has the role `supplier`.
    pub wa_id: String,
    pub email: Option<String>,
    pub lead_time_days: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLS: &str = "id, name, wa_id, email, lead_time_days, created_at, updated_at";

/// A supplier's fields as written by the API or the dashboard.
#[derive(Debug, Clone)]
pub struct SupplierFields {
    pub name: String,
    pub wa_id: String,
    pub email: Option<String>,
    pub lead_time_days: i64,
}

pub async fn list(db: &Db) -> DbResult<Vec<SupplierRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM suppliers ORDER BY name"
    )))
    .fetch_all(db.pool())
    .await
}

pub async fn get(db: &Db, id: i64) -> DbResult<Option<SupplierRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM suppliers WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db.pool())
    .await
}

/// One supplier, locked inside a write transaction.
pub async fn lock(tx: &mut WriteTx, id: i64) -> DbResult<Option<SupplierRow>> {
    let sql = format!(
        "SELECT {COLS} FROM suppliers WHERE id = $1 {}",
        for_update(tx.backend())
    );
    Ok(tx
        .fetch_all(Stmt::new(sql).bind(id))
        .await?
        .into_iter()
        .next())
}

/// Suppliers whose name is `name`, ignoring case (names are unique as typed,
/// so "acme" may in principle name two).
pub async fn named_in(tx: &mut WriteTx, name: &str) -> DbResult<Vec<SupplierRow>> {
    let sql = format!("SELECT {COLS} FROM suppliers WHERE LOWER(name) = LOWER($1) ORDER BY id");
    tx.fetch_all(Stmt::new(sql).bind(name)).await
}

/// Which field another supplier already uses (`name` or `wa_id`), if any.
pub async fn clash(
    tx: &mut WriteTx,
    f: &SupplierFields,
    except: i64,
) -> DbResult<Option<&'static str>> {
    let rows: Vec<(String,)> = tx
        .fetch_all(
            Stmt::new("SELECT name FROM suppliers WHERE (name = $1 OR wa_id = $2) AND id <> $3")
                .bind(f.name.clone())
                .bind(f.wa_id.clone())
                .bind(except),
        )
        .await?;
    Ok(rows
        .first()
        .map(|(name,)| if *name == f.name { "name" } else { "wa_id" }))
}

/// Inserts a supplier, or updates `id` when given; returns the row (none
/// for an `id` that does not exist).
pub async fn save(
    tx: &mut WriteTx,
    id: Option<i64>,
    f: &SupplierFields,
    now: i64,
) -> DbResult<Option<SupplierRow>> {
    let sql = match id {
        None => format!(
            "INSERT INTO suppliers (name, wa_id, email, lead_time_days, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING {COLS}"
        ),
        Some(_) => format!(
            "UPDATE suppliers SET name = $1, wa_id = $2, email = $3, lead_time_days = $4, \
             updated_at = $5 WHERE id = $6 RETURNING {COLS}"
        ),
    };
    let mut stmt = Stmt::new(sql)
        .bind(f.name.clone())
        .bind(f.wa_id.clone())
        .bind(f.email.clone())
        .bind(f.lead_time_days)
        .bind(now);
    if let Some(id) = id {
        stmt = stmt.bind(id);
    }
    Ok(tx.fetch_all(stmt).await?.into_iter().next())
}

/// Makes `wa_id` a supplier's contact (creating it when new); returns
/// false, changing nothing, when the number belongs to an owner or staff.
pub async fn mark_contact(tx: &mut WriteTx, wa_id: &str, now: i64) -> DbResult<bool> {
    let rows: Vec<(String,)> = tx
        .fetch_all(
            Stmt::new(
                "INSERT INTO contacts (wa_id, role, created_at, updated_at) \
                 VALUES ($1, 'supplier', $2, $2) ON CONFLICT (wa_id) DO UPDATE \
                 SET role = 'supplier', updated_at = excluded.updated_at \
                 WHERE contacts.role NOT IN ('owner', 'staff') RETURNING wa_id",
            )
            .bind(wa_id)
            .bind(now),
        )
        .await?;
    Ok(!rows.is_empty())
}

/// Sets who an item is reordered from and how many (`None` clears both).
pub fn set_item(tx: &mut WriteTx, item_id: i64, supplier: Option<(i64, i64)>, now: i64) {
    tx.queue(
        Stmt::new(
            "UPDATE items SET supplier_id = $1, reorder_qty = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(supplier.map(|s| s.0))
        .bind(supplier.map(|s| s.1))
        .bind(now)
        .bind(item_id),
    );
}

/// An item that can be reordered: its supplier and reorder quantity.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Reorderable {
    pub item_id: i64,
    pub name: String,
    pub quantity: i64,
    pub threshold: Option<i64>,
    pub supplier_id: i64,
    pub supplier: String,
    pub reorder_qty: i64,
    /// Still to come on open purchase orders.
    pub on_order: i64,
}

const REORDERABLE: &str = "SELECT i.id AS item_id, i.name, i.quantity, i.threshold, \
     s.id AS supplier_id, s.name AS supplier, i.reorder_qty, \
     CAST(COALESCE((SELECT SUM(l.quantity - l.received) FROM purchase_order_lines l \
       JOIN purchase_orders p ON p.id = l.po_id \
       WHERE l.item_id = i.id AND p.status IN ('sent', 'partly_received')), 0) AS BIGINT) AS on_order \
     FROM items i JOIN suppliers s ON s.id = i.supplier_id \
     WHERE i.deleted_at IS NULL AND i.reorder_qty IS NOT NULL";

/// Items with a supplier and a reorder quantity, of one supplier or all.
pub async fn reorderable_in(
    tx: &mut WriteTx,
    supplier_id: Option<i64>,
) -> DbResult<Vec<Reorderable>> {
    let sql = format!("{REORDERABLE} AND ($1 IS NULL OR s.id = $1) ORDER BY i.name");
    tx.fetch_all(Stmt::new(sql).bind(supplier_id)).await
}

/// Every reorderable item, outside a transaction (the dashboard's Stock page).
pub async fn reorderable(db: &Db) -> DbResult<Vec<Reorderable>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{REORDERABLE} ORDER BY i.name"
    )))
    .fetch_all(db.pool())
    .await
}
