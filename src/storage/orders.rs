//! Customer orders and their lines.

use sqlx::FromRow;

use super::{Col, Db, DbResult, Stmt, WriteTx, for_update, json_rows, to_json};
use crate::domain::{
    event::{OrderLinePayload, OrderPayload},
    order::{OrderSource, OrderStatus},
};

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct OrderRow {
    pub id: i64,
    pub number: String,
    pub contact: String,
    #[sqlx(try_from = "String")]
    pub status: OrderStatus,
    #[sqlx(try_from = "String")]
    pub source: OrderSource,
    pub currency: Option<String>,
    pub source_message_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Where its stock was taken from; `None` (orders from before
    /// locations) is location 1.
    pub location_id: Option<i64>,
}

impl OrderRow {
    /// The order as events carry it.
    pub fn payload(&self, lines: &[LineRow]) -> OrderPayload {
        let lines: Vec<OrderLinePayload> = lines.iter().map(OrderLinePayload::from).collect();
        OrderPayload {
            id: self.id,
            number: self.number.clone(),
            contact: self.contact.clone(),
            status: self.status,
            source: self.source,
            currency: self.currency.clone(),
            total_minor: OrderPayload::total_of(&lines),
            source_message_id: self.source_message_id.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            lines,
        }
    }
}

impl From<&LineRow> for OrderLinePayload {
    fn from(l: &LineRow) -> Self {
        Self {
            item_id: l.item_id,
            name: l.name.clone(),
            quantity: l.quantity,
            price_minor: l.price_minor,
        }
    }
}

impl From<&NewLine> for OrderLinePayload {
    fn from(l: &NewLine) -> Self {
        Self {
            item_id: l.item_id,
            name: l.name.clone(),
            quantity: l.quantity,
            price_minor: l.price_minor,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct LineRow {
    pub order_id: i64,
    pub line: i64,
    pub item_id: i64,
    pub name: String,
    pub quantity: i64,
    pub price_minor: Option<i64>,
}

/// A new order's line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewLine {
    pub item_id: i64,
    pub name: String,
    pub quantity: i64,
    pub price_minor: Option<i64>,
}

const ORDER_COLS: &str = "id, number, contact, status, source, currency, source_message_id, created_at, updated_at, \
     location_id";

/// Records the location an order's stock was taken from.
pub fn set_location(tx: &mut WriteTx, id: i64, location: i64) {
    tx.queue(
        Stmt::new("UPDATE orders SET location_id = $1 WHERE id = $2")
            .bind(location)
            .bind(id),
    );
}

/// Inserts an order with its lines and returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    tx: &mut WriteTx,
    number: &str,
    contact: &str,
    source: OrderSource,
    source_message_id: Option<&str>,
    currency: Option<&str>,
    lines: &[NewLine],
    now: i64,
) -> DbResult<i64> {
    let rows: Vec<(i64,)> = tx
        .fetch_all(
            Stmt::new(
                "INSERT INTO orders (number, contact, status, source, source_message_id, \
                 currency, created_at, updated_at) VALUES ($1, $2, $7, $3, $4, $5, $6, $6) \
                 RETURNING id",
            )
            .bind(number)
            .bind(contact)
            .bind(source.as_str())
            .bind(source_message_id)
            .bind(currency)
            .bind(now)
            .bind(OrderStatus::Placed.as_str()),
        )
        .await?;
    let id = rows.first().map(|r| r.0).ok_or(sqlx::Error::RowNotFound)?;
    let numbered: Vec<serde_json::Value> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            serde_json::json!({
                "line": i as i64 + 1, "item_id": l.item_id, "name": l.name,
                "quantity": l.quantity, "price_minor": l.price_minor,
            })
        })
        .collect();
    let sql = format!(
        "INSERT INTO order_lines (order_id, line, item_id, name, quantity, price_minor) \
         SELECT $2, line, item_id, name, quantity, price_minor FROM {}",
        json_rows(
            tx.backend(),
            1,
            &[
                Col::Int("line"),
                Col::Int("item_id"),
                Col::Text("name"),
                Col::Int("quantity"),
                Col::Int("price_minor"),
            ]
        )
    );
    tx.queue(Stmt::new(sql).bind(to_json(&numbered)).bind(id));
    Ok(id)
}

/// Whether an order number is taken (numbers are random, so rarely).
pub async fn number_taken(tx: &mut WriteTx, number: &str) -> DbResult<bool> {
    let rows: Vec<(i64,)> = tx
        .fetch_all(Stmt::new("SELECT id FROM orders WHERE number = $1").bind(number))
        .await?;
    Ok(!rows.is_empty())
}

/// A person's latest order that still holds stock, locked.
pub async fn latest_open(tx: &mut WriteTx, contact: &str) -> DbResult<Option<OrderRow>> {
    let sql = format!(
        "SELECT {ORDER_COLS} FROM orders WHERE contact = $1 \
         AND status IN {} ORDER BY id DESC LIMIT 1 {}",
        OrderStatus::open_sql_list(),
        for_update(tx.backend())
    );
    Ok(tx
        .fetch_all(Stmt::new(sql).bind(contact))
        .await?
        .into_iter()
        .next())
}

/// A person's newest order, whatever its status (for "where's my order?").
pub async fn latest_in(tx: &mut WriteTx, contact: &str) -> DbResult<Option<OrderRow>> {
    let sql =
        format!("SELECT {ORDER_COLS} FROM orders WHERE contact = $1 ORDER BY id DESC LIMIT 1");
    Ok(tx
        .fetch_all(Stmt::new(sql).bind(contact))
        .await?
        .into_iter()
        .next())
}

/// An order's lines under the items' current names.
pub async fn lines_in(tx: &mut WriteTx, order_id: i64) -> DbResult<Vec<LineRow>> {
    tx.fetch_all(
        Stmt::new(
            "SELECT l.order_id, l.line, l.item_id, i.name, l.quantity, l.price_minor \
             FROM order_lines l JOIN items i ON i.id = l.item_id \
             WHERE l.order_id = $1 ORDER BY l.line",
        )
        .bind(order_id),
    )
    .await
}

pub fn set_status(tx: &mut WriteTx, order_id: i64, status: OrderStatus, now: i64) {
    tx.queue(
        Stmt::new("UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(now)
            .bind(order_id),
    );
}

/// Orders, newest first, optionally of one contact.
pub async fn list(db: &Db, contact: Option<&str>) -> DbResult<Vec<OrderRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORDER_COLS} FROM orders WHERE ($1 IS NULL OR contact = $1) ORDER BY id DESC"
    )))
    .bind(contact)
    .fetch_all(db.pool())
    .await
}

pub async fn lines(db: &Db, order_id: i64) -> DbResult<Vec<LineRow>> {
    sqlx::query_as(
        "SELECT order_id, line, item_id, name, quantity, price_minor FROM order_lines \
         WHERE order_id = $1 ORDER BY line",
    )
    .bind(order_id)
    .fetch_all(db.pool())
    .await
}

pub async fn get(db: &Db, id: i64) -> DbResult<Option<OrderRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORDER_COLS} FROM orders WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db.pool())
    .await
}

/// An order, locked inside a write transaction.
pub async fn lock(tx: &mut WriteTx, id: i64) -> DbResult<Option<OrderRow>> {
    let sql = format!(
        "SELECT {ORDER_COLS} FROM orders WHERE id = $1 {}",
        for_update(tx.backend())
    );
    Ok(tx
        .fetch_all(Stmt::new(sql).bind(id))
        .await?
        .into_iter()
        .next())
}

/// Orders, newest first, filtered; one more than `limit` tells a page follows.
pub async fn search(
    db: &Db,
    status: Option<OrderStatus>,
    contact: Option<&str>,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<OrderRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORDER_COLS} FROM orders WHERE ($1 IS NULL OR status = $1) \
         AND ($2 IS NULL OR contact = $2) ORDER BY id DESC LIMIT $3 OFFSET $4"
    )))
    .bind(status.map(OrderStatus::as_str))
    .bind(contact)
    .bind(limit + 1)
    .bind(offset)
    .fetch_all(db.pool())
    .await
}
