//! Purchase orders to suppliers and their lines.

use sqlx::FromRow;

use super::{Col, Db, DbResult, Stmt, WriteTx, for_update, json_rows, to_json};
use crate::domain::purchase::{PurchaseLine, PurchaseOrderPayload, PurchaseStatus, SupplierRef};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PoRow {
    pub id: i64,
    pub reference: String,
    pub supplier_id: i64,
    pub supplier: String,
    #[sqlx(try_from = "String")]
    pub status: PurchaseStatus,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub closed_at: Option<i64>,
}

impl PoRow {
    /// The order as events and the API carry it.
    pub fn payload(&self, lines: &[PurchaseLine]) -> PurchaseOrderPayload {
        PurchaseOrderPayload {
            id: self.id,
            reference: self.reference.clone(),
            supplier: SupplierRef {
                id: self.supplier_id,
                name: self.supplier.clone(),
            },
            status: self.status,
            created_at: self.created_at,
            sent_at: self.sent_at,
            closed_at: self.closed_at,
            lines: lines.to_vec(),
        }
    }
}

const PO: &str = "SELECT p.id, COALESCE(p.reference, '') AS reference, p.supplier_id, \
     s.name AS supplier, p.status, p.created_by, p.created_at, p.sent_at, p.closed_at \
     FROM purchase_orders p JOIN suppliers s ON s.id = p.supplier_id";

const LINES: &str = "SELECT l.item_id, i.name, l.quantity, l.received \
     FROM purchase_order_lines l JOIN items i ON i.id = l.item_id WHERE l.po_id = $1 \
     ORDER BY i.name";

#[derive(FromRow)]
struct LineRow {
    item_id: i64,
    name: String,
    quantity: i64,
    received: i64,
}

fn lines_of(rows: Vec<LineRow>) -> Vec<PurchaseLine> {
    rows.into_iter()
        .map(|r| PurchaseLine {
            item_id: r.item_id,
            name: r.name,
            quantity: r.quantity,
            received: r.received,
        })
        .collect()
}

/// Inserts a sent order with its lines (item id, quantity) and returns its
/// id; the reference follows from the id.
pub async fn create(
    tx: &mut WriteTx,
    supplier_id: i64,
    created_by: &str,
    lines: &[(i64, i64)],
    now: i64,
) -> DbResult<i64> {
    let rows: Vec<(i64,)> = tx
        .fetch_all(
            Stmt::new(
                "INSERT INTO purchase_orders (supplier_id, status, created_by, created_at, \
                 sent_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
            )
            .bind(supplier_id)
            .bind(PurchaseStatus::Sent.as_str())
            .bind(created_by)
            .bind(now),
        )
        .await?;
    let id = rows.first().map(|r| r.0).ok_or(sqlx::Error::RowNotFound)?;
    tx.queue(
        Stmt::new("UPDATE purchase_orders SET reference = 'PO-' || CAST(id AS TEXT) WHERE id = $1")
            .bind(id),
    );
    let json: Vec<serde_json::Value> = lines
        .iter()
        .map(|(item_id, quantity)| serde_json::json!({"item_id": item_id, "quantity": quantity}))
        .collect();
    let sql = format!(
        "INSERT INTO purchase_order_lines (po_id, item_id, quantity, received) \
         SELECT $2, item_id, quantity, 0 FROM {}",
        json_rows(
            tx.backend(),
            1,
            &[Col::Int("item_id"), Col::Int("quantity")]
        )
    );
    tx.queue(Stmt::new(sql).bind(to_json(&json)).bind(id));
    Ok(id)
}

/// One order, locked inside a write transaction.
pub async fn lock(tx: &mut WriteTx, id: i64) -> DbResult<Option<PoRow>> {
    // PostgreSQL locks only the order's row, not the joined supplier.
    let lock = match for_update(tx.backend()) {
        "" => "",
        _ => "FOR UPDATE OF p",
    };
    let sql = format!("{PO} WHERE p.id = $1 {lock}");
    Ok(tx
        .fetch_all(Stmt::new(sql).bind(id))
        .await?
        .into_iter()
        .next())
}

/// Open orders by reference (`PO-12`, any case) or of a supplier, oldest first.
pub async fn open_in(
    tx: &mut WriteTx,
    reference: Option<&str>,
    supplier_id: Option<i64>,
) -> DbResult<Vec<PoRow>> {
    let sql = format!(
        "{PO} WHERE p.status IN ('sent', 'partly_received') \
         AND ($1 IS NULL OR UPPER(p.reference) = UPPER($1)) \
         AND ($2 IS NULL OR p.supplier_id = $2) ORDER BY p.id"
    );
    tx.fetch_all(Stmt::new(sql).bind(reference).bind(supplier_id))
        .await
}

pub async fn lines_in(tx: &mut WriteTx, id: i64) -> DbResult<Vec<PurchaseLine>> {
    let rows: Vec<LineRow> = tx.fetch_all(Stmt::new(LINES).bind(id)).await?;
    Ok(lines_of(rows))
}

/// Queues the new received count of one line.
pub fn set_received(tx: &mut WriteTx, id: i64, item_id: i64, received: i64) {
    tx.queue(
        Stmt::new(
            "UPDATE purchase_order_lines SET received = $1 WHERE po_id = $2 AND item_id = $3",
        )
        .bind(received)
        .bind(id)
        .bind(item_id),
    );
}

/// Queues a status change; `closed_at` is set when it closes.
pub fn set_status(tx: &mut WriteTx, id: i64, status: PurchaseStatus, closed_at: Option<i64>) {
    tx.queue(
        Stmt::new("UPDATE purchase_orders SET status = $1, closed_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(closed_at)
            .bind(id),
    );
}

pub async fn get(db: &Db, id: i64) -> DbResult<Option<PoRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{PO} WHERE p.id = $1")))
        .bind(id)
        .fetch_optional(db.pool())
        .await
}

pub async fn lines(db: &Db, id: i64) -> DbResult<Vec<PurchaseLine>> {
    let rows: Vec<LineRow> = sqlx::query_as(LINES).bind(id).fetch_all(db.pool()).await?;
    Ok(lines_of(rows))
}

/// Orders, newest first, filtered; one more than `limit` tells a page follows.
pub async fn search(
    db: &Db,
    status: Option<PurchaseStatus>,
    supplier_id: Option<i64>,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<PoRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{PO} WHERE ($1 IS NULL OR p.status = $1) AND ($2 IS NULL OR p.supplier_id = $2) \
         ORDER BY p.id DESC LIMIT $3 OFFSET $4"
    )))
    .bind(status.map(PurchaseStatus::as_str))
    .bind(supplier_id)
    .bind(limit + 1)
    .bind(offset)
    .fetch_all(db.pool())
    .await
}

/// How many of each item are still to come on open orders (PostgreSQL's
/// SUM of BIGINT is NUMERIC, hence the cast).
pub async fn on_order(db: &Db) -> DbResult<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT l.item_id, CAST(SUM(l.quantity - l.received) AS BIGINT) FROM purchase_order_lines l \
         JOIN purchase_orders p ON p.id = l.po_id \
         WHERE p.status IN ('sent', 'partly_received') GROUP BY l.item_id",
    )
    .fetch_all(db.pool())
    .await
}
