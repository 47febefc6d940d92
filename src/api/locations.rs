//! `/api/v1/locations` and `/api/v1/transfers`: where stock is, what is on
//! its way between locations, and which locations a staff member works at.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiState,
    auth::{Admin, Reader, Writer},
    extract::{Body, Check, Id, OptionalBody, Page, Paged, Params},
};
use crate::{
    domain::location::TransferStatus,
    error::AppError,
    parsing::MAX_QUANTITY,
    storage::locations::{self, TransferRow},
};

/// A location and what it holds.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LocationView {
    pub id: i64,
    pub name: String,
    /// The WhatsApp business number id whose messages change its stock.
    pub phone_number_id: Option<String>,
    /// Units on hand, all items.
    pub units: i64,
    /// Units sent to it and not yet received.
    pub incoming: i64,
}

#[utoipa::path(get, path = "/api/v1/locations", tag = "locations",
    responses((status = 200, body = Vec<LocationView>)), security(("token" = ["read"])))]
/// The shop's locations (set by `WHATSAPP_NUMBERS`).
pub async fn list(
    _: Reader,
    State(s): State<ApiState>,
) -> Result<Json<Vec<LocationView>>, AppError> {
    let stock = locations::stock_all(&s.shop.db).await?;
    let moving = locations::in_transit(&s.shop.db).await?;
    let views = s
        .shop
        .places
        .all
        .iter()
        .map(|l| LocationView {
            id: l.id,
            name: l.name.clone(),
            phone_number_id: l.phone_number_id.clone(),
            units: stock.iter().filter(|r| r.1 == l.id).map(|r| r.2).sum(),
            incoming: moving.iter().filter(|r| r.1 == l.id).map(|r| r.2).sum(),
        })
        .collect();
    Ok(Json(views))
}

/// A transfer of one item between two locations.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TransferView {
    pub id: i64,
    /// `T-<id>`, as staff write it ("received T-3").
    pub reference: String,
    pub item_id: i64,
    pub item: String,
    pub from: String,
    pub to: String,
    pub quantity: i64,
    pub received: i64,
    pub status: TransferStatus,
    pub sent_by: Option<String>,
    pub received_by: Option<String>,
    pub created_at: i64,
    pub received_at: Option<i64>,
}

impl TransferView {
    fn new(t: TransferRow, s: &ApiState) -> Self {
        let places = &s.shop.places;
        Self {
            status: t.status.parse().unwrap_or(TransferStatus::InTransit),
            from: places.name(t.from_location).to_string(),
            to: places.name(t.to_location).to_string(),
            id: t.id,
            reference: t.reference,
            item_id: t.item_id,
            item: t.item,
            quantity: t.quantity,
            received: t.received,
            sent_by: t.sent_by,
            received_by: t.received_by,
            created_at: t.created_at,
            received_at: t.received_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TransferQuery {
    /// Only transfers still on their way (`true`) or done (`false`).
    pub in_transit: Option<bool>,
    /// Only transfers from or to this location, by name.
    pub location: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/transfers", tag = "locations", params(TransferQuery, Page),
    responses((status = 200, body = Paged<TransferView>), (status = 422, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// Transfers, newest first.
pub async fn transfers(
    _: Reader,
    State(s): State<ApiState>,
    Params(q): Params<TransferQuery>,
    Params(page): Params<Page>,
) -> Result<Json<Paged<TransferView>>, AppError> {
    let (limit, offset) = page.resolve()?;
    let mut c = Check::default();
    let at = q
        .location
        .as_deref()
        .map(|n| super::stock::place(&s, Some(n), &mut c, "location"));
    c.done()?;
    let rows = locations::transfers(&s.shop.db, q.in_transit, at, (limit + 1, offset)).await?;
    Ok(Json(Paged::from_rows(rows, limit, offset, |t| {
        TransferView::new(t, &s)
    })))
}

#[utoipa::path(get, path = "/api/v1/transfers/{id}", tag = "locations", params(("id" = i64, Path)),
    responses((status = 200, body = TransferView), (status = 404, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// One transfer.
pub async fn transfer(
    _: Reader,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
) -> Result<Json<TransferView>, AppError> {
    let t = locations::transfer(&s.shop.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such transfer".into()))?;
    Ok(Json(TransferView::new(t, &s)))
}

/// Stock to send from one location to another.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"item_id": 1, "quantity": 10, "from": "Main Street", "to": "Warehouse"}))]
#[serde(deny_unknown_fields)]
pub struct NewTransfer {
    pub item_id: i64,
    pub quantity: i64,
    pub from: String,
    pub to: String,
}

#[utoipa::path(post, path = "/api/v1/transfers", tag = "locations", request_body = NewTransfer,
    responses((status = 201, body = TransferView), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody, description = "not enough at `from`"),
        (status = 422, body = super::ErrorBody)),
    security(("token" = ["write"])))]
/// Send stock to another location: out of `from` now (ledger reason
/// `transfer_out`), in transit until received; `to`'s staff are told.
pub async fn send(
    Writer(caller): Writer,
    State(s): State<ApiState>,
    Body(t): Body<NewTransfer>,
) -> Result<(StatusCode, Json<TransferView>), AppError> {
    let mut c = Check::default();
    c.range("quantity", t.quantity, 1, MAX_QUANTITY);
    let from = super::stock::place(&s, Some(&t.from), &mut c, "from");
    let to = super::stock::place(&s, Some(&t.to), &mut c, "to");
    if from == to && s.shop.places.by_name(&t.to).is_some() {
        c.fail("to", "must differ from `from`");
    }
    c.done()?;
    let row = s
        .shop
        .send_transfer(t.item_id, t.quantity, (from, to), &caller.actor)
        .await?;
    Ok((StatusCode::CREATED, Json(TransferView::new(row, &s))))
}

/// What arrived; without `quantity`, all that is still on its way.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({"quantity": 4}))]
#[serde(deny_unknown_fields)]
pub struct Arrival {
    pub quantity: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/transfers/{id}/receive", tag = "locations", params(("id" = i64, Path)),
    request_body(content = Option<Arrival>, description = "optional: with no body, everything still on its way"),
    responses((status = 200, body = TransferView), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody, description = "already received, or more than is on its way"),
        (status = 422, body = super::ErrorBody)),
    security(("token" = ["write"])))]
/// Receive a transfer at its destination (ledger reason `transfer_in`).
pub async fn receive(
    Writer(caller): Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
    OptionalBody(a): OptionalBody<Arrival>,
) -> Result<Json<TransferView>, AppError> {
    if let Some(q) = a.quantity {
        let mut c = Check::default();
        c.range("quantity", q, 1, MAX_QUANTITY);
        c.done()?;
    }
    let row = s
        .shop
        .receive_transfer(id, a.quantity, &caller.actor)
        .await?;
    Ok(Json(TransferView::new(row, &s)))
}

/// The locations a staff member may change stock at; empty for every one.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"locations": ["Warehouse"]}))]
#[serde(deny_unknown_fields)]
pub struct StaffLocations {
    pub locations: Vec<String>,
}

#[utoipa::path(put, path = "/api/v1/contacts/{wa_id}/locations", tag = "contacts",
    params(("wa_id" = String, Path)), request_body = StaffLocations,
    responses((status = 200, body = StaffLocations), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)),
    security(("token" = ["admin"])))]
/// Limit a staff member to some locations (an empty list lifts the limit).
pub async fn set_staff_locations(
    _: Admin,
    State(s): State<ApiState>,
    Id(id): Id<String>,
    Body(body): Body<StaffLocations>,
) -> Result<Json<StaffLocations>, AppError> {
    let mut c = Check::default();
    if body.locations.len() > 50 {
        c.fail("locations", "must hold at most 50 names");
    }
    let mut ids: Vec<i64> = body
        .locations
        .iter()
        .map(|n| super::stock::place(&s, Some(n), &mut c, "locations"))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    c.done()?;
    let Some(contact) = crate::storage::contacts::get(&s.shop.db, &id).await? else {
        return Err(AppError::NotFound("no such contact".into()));
    };
    if contact.role() != crate::storage::contacts::Role::Staff && !ids.is_empty() {
        return Err(AppError::field(
            "locations",
            "only staff are limited to locations (owners work everywhere)",
        ));
    }
    let mut tx = s.shop.db.begin().await?;
    locations::set_of_contact(&mut tx, &id, &ids);
    tx.commit().await?;
    let now = locations::of_contact(&s.shop.db, &id).await?;
    Ok(Json(StaffLocations {
        locations: now
            .into_iter()
            .map(|l| s.shop.places.name(l).to_string())
            .collect(),
    }))
}
