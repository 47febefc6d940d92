//! `/api/v1/items`: the catalogue.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiState,
    auth::{Reader, Writer},
    extract::{Body, Check, Id, Page, Paged, Params},
};
use crate::{
    error::AppError,
    storage::{self, catalogue, catalogue::ItemFields, items::ItemRow},
};

/// An item and its stock.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 1, "name": "screw", "quantity": 120, "unit": null, "sku": "SCR-4x40",
    "threshold": 20, "low_stock": false, "price_minor": 250, "pack_unit": "box", "pack_size": 50,
    "category": "fasteners", "on_order": 0}))]
pub struct ItemView {
    pub id: i64,
    /// Lower case, as staff write it in chat.
    pub name: String,
    pub quantity: i64,
    pub unit: Option<String>,
    pub sku: Option<String>,
    /// Low-stock threshold; null uses the shop's default.
    pub threshold: Option<i64>,
    /// Whether the quantity is at or below the effective threshold.
    pub low_stock: bool,
    /// Price in minor units (cents).
    pub price_minor: Option<i64>,
    pub pack_unit: Option<String>,
    pub pack_size: Option<i64>,
    /// Groups the item in customers' WhatsApp lists; null shows as "Other".
    pub category: Option<String>,
    /// Still to come on open purchase orders.
    pub on_order: i64,
    /// On hand at each location that holds some (`quantity` is their sum).
    pub locations: Vec<LocationQuantity>,
    /// Sent between locations and not yet received (not in `quantity`).
    pub in_transit: i64,
    /// When a stock count last confirmed it (ms since the epoch); null if never.
    pub last_counted_at: Option<i64>,
}

/// An item's stock at one location.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LocationQuantity {
    pub location: String,
    pub quantity: i64,
    #[serde(skip)]
    pub location_id: i64,
}

impl ItemView {
    pub fn new(r: ItemRow, default_threshold: i64) -> Self {
        let t = r.threshold.unwrap_or(default_threshold);
        let split = r.split();
        Self {
            low_stock: t > 0 && r.quantity <= t,
            id: r.id,
            name: r.name,
            quantity: r.quantity,
            unit: r.unit,
            sku: r.sku,
            threshold: r.threshold,
            price_minor: r.price_minor,
            pack_unit: r.pack_unit,
            pack_size: r.pack_size,
            category: r.category,
            on_order: 0,
            locations: split
                .into_iter()
                .map(|(location_id, quantity)| LocationQuantity {
                    location_id,
                    location: String::new(),
                    quantity,
                })
                .collect(),
            in_transit: 0,
            last_counted_at: r.last_counted_at,
        }
    }

    /// Fills `on_order` from the open purchase orders, `in_transit` from
    /// the open transfers, and the locations' names.
    async fn complete(mut views: Vec<Self>, s: &ApiState) -> sqlx::Result<Vec<Self>> {
        let db = &s.shop.db;
        let on_order = crate::storage::purchase_orders::on_order(db).await?;
        let moving = crate::storage::locations::in_transit(db).await?;
        for v in &mut views {
            v.on_order = on_order.iter().find(|o| o.0 == v.id).map_or(0, |o| o.1);
            v.in_transit = moving.iter().filter(|m| m.0 == v.id).map(|m| m.2).sum();
            v.locations.sort_by_key(|l| l.location_id);
            for l in &mut v.locations {
                l.location = s.shop.places.name(l.location_id).to_string();
            }
        }
        Ok(views)
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemQuery {
    /// Part of the name or SKU.
    pub search: Option<String>,
    /// Only items at or below their threshold.
    pub low_stock: Option<bool>,
    /// Only items with stock at (or on its way to) this location, by name.
    pub location: Option<String>,
}

/// A new item. Stock starts at `quantity` (recorded in the ledger as opening
/// stock), or at 0 without it.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "screw", "sku": "SCR-4x40", "threshold": 20, "price_minor": 250, "quantity": 120}))]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    pub name: String,
    pub sku: Option<String>,
    pub unit: Option<String>,
    pub threshold: Option<i64>,
    pub price_minor: Option<i64>,
    pub pack_unit: Option<String>,
    pub pack_size: Option<i64>,
    /// 1 to 40 characters, no control characters.
    pub category: Option<String>,
    /// Opening stock, 0 to 1,000,000.
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub quantity: Option<i64>,
    /// Where the opening quantity is; the first location when absent.
    #[serde(default)]
    pub location: Option<String>,
}

/// Fields to change; `null` clears a field, an absent key leaves it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({"threshold": 10, "sku": null}))]
#[serde(deny_unknown_fields)]
pub struct ItemPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub sku: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub unit: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub threshold: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub price_minor: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub pack_unit: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub pack_size: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub category: Option<Option<String>>,
}

/// Tells `"field": null` (clear it) from a missing field (keep it).
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Checks and normalises an item's fields.
fn checked(f: ItemFields) -> Result<ItemFields, AppError> {
    let mut c = Check::default();
    let name = c.text("name", &f.name, 1, 100).to_lowercase();
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.contains([';', '=', '"', '`', '<', '>', '{', '}']) || name.contains("--") {
        c.fail(
            "name",
            "must be a product name (letters, digits, spaces, - ' . / &)",
        );
    }
    let sku = f.sku.map(|s| c.text("sku", &s, 1, 64));
    if sku.as_deref().is_some_and(|s| {
        !s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    }) {
        c.fail("sku", "may hold letters, digits, - _ and . only");
    }
    let unit = f.unit.map(|u| c.text("unit", &u, 1, 20).to_lowercase());
    let pack_unit = f
        .pack_unit
        .map(|u| c.text("pack_unit", &u, 1, 20).to_lowercase());
    let category = f.category.map(|g| c.text("category", &g, 1, 40));
    if let Some(t) = f.threshold {
        c.range("threshold", t, 0, 1_000_000);
    }
    if let Some(p) = f.price_minor {
        c.range("price_minor", p, 0, 1_000_000_000_000);
    }
    if let Some(s) = f.pack_size {
        c.range("pack_size", s, 2, 1_000_000);
    }
    if pack_unit.is_some() != f.pack_size.is_some() {
        c.fail("pack_size", "pack_unit and pack_size go together");
    }
    c.done()?;
    Ok(ItemFields {
        name,
        sku,
        unit,
        pack_unit,
        category,
        ..f
    })
}

#[utoipa::path(get, path = "/api/v1/items", tag = "items", params(ItemQuery, Page),
    responses((status = 200, body = Paged<ItemView>), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody), (status = 429, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// List items, by name.
pub async fn list(
    _: Reader,
    State(s): State<ApiState>,
    Params(q): Params<ItemQuery>,
    Params(page): Params<Page>,
) -> Result<Json<Paged<ItemView>>, AppError> {
    let (limit, offset) = page.resolve()?;
    if q.search.as_ref().is_some_and(|t| t.chars().count() > 100) {
        return Err(AppError::field("search", "must be at most 100 characters"));
    }
    let mut c = Check::default();
    let at = q
        .location
        .as_deref()
        .map(|name| super::stock::place(&s, Some(name), &mut c, "location"));
    c.done()?;
    let t = s.default_threshold();
    let rows = catalogue::search(
        &s.shop.db,
        catalogue::Search {
            text: q.search.as_deref(),
            location: at,
            low_only: q.low_stock.unwrap_or(false),
            by_quantity: false,
            after: None,
        },
        t,
        limit,
        offset,
    )
    .await?;
    let mut page = Paged::from_rows(rows, limit, offset, |r| ItemView::new(r, t));
    page.data = ItemView::complete(page.data, &s).await?;
    Ok(Json(page))
}

#[utoipa::path(get, path = "/api/v1/items/{id}", tag = "items", params(("id" = i64, Path)),
    responses((status = 200, body = ItemView), (status = 404, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// One item.
pub async fn get(
    _: Reader,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
) -> Result<Json<ItemView>, AppError> {
    let row = catalogue::get(&s.shop.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such item".into()))?;
    let view = ItemView::new(row, s.default_threshold());
    let mut views = ItemView::complete(vec![view], &s).await?;
    Ok(Json(views.remove(0)))
}

#[utoipa::path(post, path = "/api/v1/items", tag = "items", request_body = NewItem,
    responses((status = 201, body = ItemView), (status = 409, body = super::ErrorBody, description = "name or SKU taken"),
        (status = 422, body = super::ErrorBody), (status = 400, body = super::ErrorBody), (status = 403, body = super::ErrorBody)),
    security(("token" = ["write"])))]
/// Create an item.
pub async fn create(
    Writer(caller): Writer,
    State(s): State<ApiState>,
    Body(new): Body<NewItem>,
) -> Result<(StatusCode, Json<ItemView>), AppError> {
    let mut c = Check::default();
    if let Some(q) = new.quantity {
        c.range("quantity", q, 0, 1_000_000);
    }
    let at = super::stock::place(&s, new.location.as_deref(), &mut c, "location");
    c.done()?;
    let f = checked(ItemFields {
        name: new.name,
        unit: new.unit,
        sku: new.sku,
        threshold: new.threshold,
        price_minor: new.price_minor,
        pack_unit: new.pack_unit,
        pack_size: new.pack_size,
        category: new.category,
    })?;
    let mut tx = s.shop.db.begin().await?;
    if let Some(field) = catalogue::clash(&mut tx, Some(&f.name), f.sku.as_deref(), 0).await? {
        return Err(AppError::Conflict(format!(
            "an item with this {field} exists"
        )));
    }
    let row = s
        .shop
        .create_item(tx, &f, new.quantity, at, &caller.actor)
        .await
        .map_err(AppError::from)?;
    // As stored, with its opening stock's location.
    let row = catalogue::get(&s.shop.db, row.id).await?.unwrap_or(row);
    s.shop.signals.wake_catalog();
    let view = ItemView::new(row, s.default_threshold());
    let mut views = ItemView::complete(vec![view], &s).await?;
    Ok((StatusCode::CREATED, Json(views.remove(0))))
}

#[utoipa::path(patch, path = "/api/v1/items/{id}", tag = "items", params(("id" = i64, Path)), request_body = ItemPatch,
    responses((status = 200, body = ItemView), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("token" = ["write"])))]
/// Change an item's name, SKU, unit, threshold, price, pack size or category.
pub async fn update(
    _: Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
    Body(patch): Body<ItemPatch>,
) -> Result<Json<ItemView>, AppError> {
    let mut tx = s.shop.db.begin().await?;
    let row = catalogue::lock_id(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such item".into()))?;
    let f = checked(ItemFields {
        name: patch.name.unwrap_or(row.name),
        unit: patch.unit.unwrap_or(row.unit),
        sku: patch.sku.unwrap_or(row.sku),
        threshold: patch.threshold.unwrap_or(row.threshold),
        price_minor: patch.price_minor.unwrap_or(row.price_minor),
        pack_unit: patch.pack_unit.unwrap_or(row.pack_unit),
        pack_size: patch.pack_size.unwrap_or(row.pack_size),
        category: patch.category.unwrap_or(row.category),
    })?;
    if let Some(field) = catalogue::clash(&mut tx, Some(&f.name), f.sku.as_deref(), id).await? {
        return Err(AppError::Conflict(format!("another item has this {field}")));
    }
    let row = catalogue::update(&mut tx, id, &f, storage::now_ms()).await?;
    crate::ops::catalog::note(&mut tx, &s.shop.settings, &[id], storage::now_ms());
    tx.commit().await?;
    s.shop.signals.wake_catalog();
    let view = ItemView::new(row, s.default_threshold());
    let mut views = ItemView::complete(vec![view], &s).await?;
    Ok(Json(views.remove(0)))
}

#[utoipa::path(delete, path = "/api/v1/items/{id}", tag = "items", params(("id" = i64, Path)),
    responses((status = 204, description = "deleted; its ledger is kept"), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody, description = "open orders hold this item")),
    security(("token" = ["write"])))]
/// Delete an item that no open order holds. Its ledger is kept.
pub async fn delete(
    _: Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
) -> Result<StatusCode, AppError> {
    let mut tx = s.shop.db.begin().await?;
    catalogue::lock_id(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such item".into()))?;
    let open = catalogue::open_orders_of(&mut tx, id).await?;
    if open > 0 {
        return Err(AppError::Conflict(format!(
            "{open} open order(s) hold this item; fulfil or cancel them first"
        )));
    }
    let moving = crate::storage::locations::open_to_any(&mut tx, id).await?;
    if moving > 0 {
        return Err(AppError::Conflict(format!(
            "{moving} of this item are in transit between locations; receive them first"
        )));
    }
    catalogue::soft_delete(&mut tx, id, storage::now_ms());
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
