//! Locations, each item's stock split by location, the staff limited to
//! some locations, and transfers between locations.

use sqlx::FromRow;

use super::{Db, DbResult, Stmt, WriteTx, contacts::Recipient, for_update};
use crate::domain::location::{FIRST, Location};

#[derive(FromRow)]
struct LocationRow {
    id: i64,
    name: String,
    phone_number_id: Option<String>,
}

impl From<LocationRow> for Location {
    fn from(r: LocationRow) -> Self {
        Location {
            id: r.id,
            name: r.name,
            phone_number_id: r.phone_number_id,
        }
    }
}

pub async fn all(db: &Db) -> DbResult<Vec<Location>> {
    let rows: Vec<LocationRow> =
        sqlx::query_as("SELECT id, name, phone_number_id FROM locations ORDER BY id")
            .fetch_all(db.pool())
            .await?;
    Ok(rows.into_iter().map(Location::from).collect())
}

/// Brings the stored locations in line with the configured numbers and
/// returns them all. A number already known keeps its location (renamed if
/// its name changed); a name already known takes the number; the first
/// configured number takes over location 1 while it has none, so a shop's
/// existing stock becomes its first branch's. Nothing is ever deleted.
pub async fn sync(
    db: &Db,
    configured: &[(String, String)],
    single: Option<&str>,
    now: i64,
) -> DbResult<Vec<Location>> {
    let mut tx = db.begin().await?;
    let single = single.map(|n| (n.to_string(), None::<String>));
    let wanted: Vec<(String, Option<String>)> = if configured.is_empty() {
        single.into_iter().collect()
    } else {
        configured
            .iter()
            .map(|(n, name)| (n.clone(), Some(name.clone())))
            .collect()
    };
    for (i, (number, name)) in wanted.iter().enumerate() {
        let known: Vec<LocationRow> = tx
            .fetch_all(Stmt::new(
                "SELECT id, name, phone_number_id FROM locations ORDER BY id",
            ))
            .await?;
        let by_number = known
            .iter()
            .find(|l| l.phone_number_id.as_deref() == Some(number));
        let by_name = name
            .as_deref()
            .and_then(|n| known.iter().find(|l| l.name.eq_ignore_ascii_case(n)));
        let first_free = known
            .iter()
            .find(|l| l.id == FIRST && l.phone_number_id.is_none());
        let stmt = match (by_number, by_name, first_free) {
            (Some(l), _, _) => match name {
                Some(n) if &l.name != n => {
                    Stmt::new("UPDATE locations SET name = $1 WHERE id = $2")
                        .bind(n.clone())
                        .bind(l.id)
                }
                _ => continue,
            },
            (None, Some(l), _) => {
                Stmt::new("UPDATE locations SET phone_number_id = $1 WHERE id = $2")
                    .bind(number.clone())
                    .bind(l.id)
            }
            (None, None, Some(l)) if i == 0 => {
                let name = name.clone().unwrap_or_else(|| l.name.clone());
                Stmt::new("UPDATE locations SET phone_number_id = $1, name = $2 WHERE id = $3")
                    .bind(number.clone())
                    .bind(name)
                    .bind(l.id)
            }
            _ => Stmt::new(
                "INSERT INTO locations (name, phone_number_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(name.clone().unwrap_or_else(|| format!("Number {number}")))
            .bind(number.clone())
            .bind(now),
        };
        // Runs before the next step's read, so each step sees the last.
        tx.queue(stmt);
    }
    tx.commit().await?;
    all(db).await
}

/// One item's stock by location (locations holding none are left out).
pub async fn stock_of(db: &Db, item_id: i64) -> DbResult<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT location_id, quantity FROM item_stock \
         WHERE item_id = $1 AND quantity > 0 ORDER BY location_id",
    )
    .bind(item_id)
    .fetch_all(db.pool())
    .await
}

/// Every (item, location, quantity) with stock, for lists.
pub async fn stock_all(db: &Db) -> DbResult<Vec<(i64, i64, i64)>> {
    sqlx::query_as(
        "SELECT item_id, location_id, quantity FROM item_stock WHERE quantity > 0 \
         ORDER BY item_id, location_id",
    )
    .fetch_all(db.pool())
    .await
}

/// The locations a person may change stock at; empty means every one.
pub async fn of_contact(db: &Db, wa_id: &str) -> DbResult<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT location_id FROM contact_locations WHERE wa_id = $1 ORDER BY location_id",
    )
    .bind(wa_id)
    .fetch_all(db.pool())
    .await
}

/// As `of_contact`, inside a write transaction.
pub async fn of_contact_in(tx: &mut WriteTx, wa_id: &str) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = tx
        .fetch_all(
            Stmt::new(
                "SELECT location_id FROM contact_locations WHERE wa_id = $1 \
                 ORDER BY location_id",
            )
            .bind(wa_id),
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Replaces the locations a person is limited to (none: every location).
pub fn set_of_contact(tx: &mut WriteTx, wa_id: &str, locations: &[i64]) {
    tx.queue(Stmt::new("DELETE FROM contact_locations WHERE wa_id = $1").bind(wa_id));
    for &l in locations {
        tx.queue(
            Stmt::new("INSERT INTO contact_locations (wa_id, location_id) VALUES ($1, $2)")
                .bind(wa_id)
                .bind(l),
        );
    }
}

/// Owners and staff who may work at `location` (limited to it, or to none),
/// to tell them about stock on its way there.
pub async fn keepers_at(tx: &mut WriteTx, location: i64) -> DbResult<Vec<Recipient>> {
    tx.fetch_all(
        Stmt::new(
            "SELECT c.wa_id, c.last_seen, c.lang, c.opted_out_at FROM contacts c \
             WHERE c.role IN ('owner', 'staff') AND ( \
                 NOT EXISTS (SELECT 1 FROM contact_locations l WHERE l.wa_id = c.wa_id) \
                 OR EXISTS (SELECT 1 FROM contact_locations l \
                            WHERE l.wa_id = c.wa_id AND l.location_id = $1)) \
             ORDER BY c.wa_id",
        )
        .bind(location),
    )
    .await
}

/// A transfer with its item's name.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct TransferRow {
    pub id: i64,
    pub reference: String,
    pub item_id: i64,
    pub item: String,
    pub from_location: i64,
    pub to_location: i64,
    pub quantity: i64,
    pub received: i64,
    pub status: String,
    pub sent_by: Option<String>,
    pub received_by: Option<String>,
    pub created_at: i64,
    pub received_at: Option<i64>,
}

const TRANSFER: &str = "t.id, t.reference, t.item_id, i.name AS item, t.from_location, \
     t.to_location, t.quantity, t.received, t.status, t.sent_by, t.received_by, t.created_at, \
     t.received_at FROM transfers t JOIN items i ON i.id = t.item_id";

/// A new transfer, in transit; returns its id (its reference is `T-<id>`).
pub struct NewTransfer<'a> {
    pub item_id: i64,
    pub from: i64,
    pub to: i64,
    pub quantity: i64,
    pub sent_by: &'a str,
    pub source_message_id: Option<&'a str>,
}

pub async fn insert_transfer(tx: &mut WriteTx, t: &NewTransfer<'_>, now: i64) -> DbResult<i64> {
    let rows: Vec<(i64,)> = tx
        .fetch_all(
            Stmt::new(
                "INSERT INTO transfers (item_id, from_location, to_location, quantity, status, \
                 sent_by, source_message_id, created_at) \
                 VALUES ($1, $2, $3, $4, 'in_transit', $5, $6, $7) RETURNING id",
            )
            .bind(t.item_id)
            .bind(t.from)
            .bind(t.to)
            .bind(t.quantity)
            .bind(t.sent_by)
            .bind(t.source_message_id.map(str::to_string))
            .bind(now),
        )
        .await?;
    let id = rows.first().map(|r| r.0).ok_or(sqlx::Error::RowNotFound)?;
    tx.queue(Stmt::new("UPDATE transfers SET reference = 'T-' || id WHERE id = $1").bind(id));
    Ok(id)
}

/// Transfers still on their way to `to` (of one item, from one location, or
/// by id when given), oldest first, locked.
pub async fn open_to(
    tx: &mut WriteTx,
    to: i64,
    item_id: Option<i64>,
    from: Option<i64>,
    id: Option<i64>,
) -> DbResult<Vec<TransferRow>> {
    let sql = format!(
        "SELECT {TRANSFER} WHERE t.status = 'in_transit' AND t.to_location = $1 \
         AND ($2 IS NULL OR t.item_id = $2) AND ($3 IS NULL OR t.from_location = $3) \
         AND ($4 IS NULL OR t.id = $4) ORDER BY t.id {}",
        for_update(tx.backend()).replace("FOR UPDATE", "FOR UPDATE OF t")
    );
    tx.fetch_all(Stmt::new(sql).bind(to).bind(item_id).bind(from).bind(id))
        .await
}

/// One transfer by id, locked.
pub async fn lock_transfer(tx: &mut WriteTx, id: i64) -> DbResult<Option<TransferRow>> {
    let sql = format!(
        "SELECT {TRANSFER} WHERE t.id = $1 {}",
        for_update(tx.backend()).replace("FOR UPDATE", "FOR UPDATE OF t")
    );
    Ok(tx
        .fetch_all(Stmt::new(sql).bind(id))
        .await?
        .into_iter()
        .next())
}

/// One transfer inside a write transaction, without locking it (to learn
/// which item to lock first).
pub async fn peek_transfer(tx: &mut WriteTx, id: i64) -> DbResult<Option<TransferRow>> {
    let sql = format!("SELECT {TRANSFER} WHERE t.id = $1");
    Ok(tx
        .fetch_all(Stmt::new(sql).bind(id))
        .await?
        .into_iter()
        .next())
}

/// Units of an item still in transit to any location.
pub async fn open_to_any(tx: &mut WriteTx, item_id: i64) -> DbResult<i64> {
    let rows: Vec<(i64,)> = tx
        .fetch_all(
            Stmt::new(
                "SELECT CAST(COALESCE(SUM(quantity - received), 0) AS BIGINT) FROM transfers \
                 WHERE item_id = $1 AND status = 'in_transit'",
            )
            .bind(item_id),
        )
        .await?;
    Ok(rows.first().map_or(0, |r| r.0))
}

/// Records `received` (the new total arrived) and, once all arrived, closes it.
pub fn set_received(tx: &mut WriteTx, id: i64, received: i64, by: &str, now: i64) {
    tx.queue(
        Stmt::new(
            "UPDATE transfers SET received = $1, received_by = $2, received_at = $3, \
             status = CASE WHEN $1 >= quantity THEN 'received' ELSE 'in_transit' END \
             WHERE id = $4",
        )
        .bind(received)
        .bind(by)
        .bind(now)
        .bind(id),
    );
}

/// Transfers, newest first, optionally only those in transit and/or touching a location.
pub async fn transfers(
    db: &Db,
    in_transit: Option<bool>,
    location: Option<i64>,
    (limit, offset): (i64, i64),
) -> DbResult<Vec<TransferRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {TRANSFER} WHERE ($1 IS NULL OR (t.status = 'in_transit') = $1) \
         AND ($2 IS NULL OR t.from_location = $2 OR t.to_location = $2) \
         ORDER BY t.id DESC LIMIT $3 OFFSET $4"
    )))
    .bind(in_transit)
    .bind(location)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await
}

pub async fn transfer(db: &Db, id: i64) -> DbResult<Option<TransferRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {TRANSFER} WHERE t.id = $1"
    )))
    .bind(id)
    .fetch_optional(db.pool())
    .await
}

/// Units in transit per item, towards each location: (item, to, units).
pub async fn in_transit(db: &Db) -> DbResult<Vec<(i64, i64, i64)>> {
    sqlx::query_as(
        "SELECT item_id, to_location, CAST(SUM(quantity - received) AS BIGINT) FROM transfers \
         WHERE status = 'in_transit' GROUP BY item_id, to_location ORDER BY item_id, to_location",
    )
    .fetch_all(db.pool())
    .await
}
