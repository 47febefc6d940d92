//! `/api/v1/purchase-orders`: list, create (and send), get, receive.

use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiState,
    auth::{Reader, Writer},
    extract::{Body, Check, Id, OptionalBody, Page, Paged, Params},
};
use crate::{
    domain::purchase::{PurchaseOrderPayload, PurchaseStatus},
    error::AppError,
    ops::purchasing::Wanted,
    parsing::MAX_QUANTITY,
    storage::purchase_orders,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PurchaseQuery {
    /// `sent`, `partly_received`, `closed` or `cancelled`.
    pub status: Option<String>,
    pub supplier_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/purchase-orders", tag = "purchasing", params(PurchaseQuery, Page),
    responses((status = 200, body = Paged<PurchaseOrderPayload>), (status = 422, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// List purchase orders, newest first.
pub async fn list(
    _: Reader,
    State(s): State<ApiState>,
    Params(q): Params<PurchaseQuery>,
    Params(page): Params<Page>,
) -> Result<Json<Paged<PurchaseOrderPayload>>, AppError> {
    let (limit, offset) = page.resolve()?;
    let status = match q.status.as_deref().map(str::parse::<PurchaseStatus>) {
        None => None,
        Some(Ok(st)) => Some(st),
        Some(Err(_)) => {
            let all: Vec<&str> = PurchaseStatus::ALL.iter().map(|s| s.as_str()).collect();
            return Err(AppError::field(
                "status",
                format!("must be {}", all.join(", ")),
            ));
        }
    };
    let db = &s.shop.db;
    let rows = purchase_orders::search(db, status, q.supplier_id, limit, offset).await?;
    let more = rows.len() as i64 > limit;
    let mut data = Vec::new();
    for po in rows.into_iter().take(limit as usize) {
        let lines = purchase_orders::lines(db, po.id).await?;
        data.push(po.payload(&lines));
    }
    Ok(Json(Paged {
        data,
        next_offset: more.then_some(offset + limit),
    }))
}

#[utoipa::path(get, path = "/api/v1/purchase-orders/{id}", tag = "purchasing", params(("id" = i64, Path)),
    responses((status = 200, body = PurchaseOrderPayload), (status = 404, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// One purchase order with its lines (ordered and received).
pub async fn get(
    _: Reader,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
) -> Result<Json<PurchaseOrderPayload>, AppError> {
    let db = &s.shop.db;
    let po = purchase_orders::get(db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such purchase order".into()))?;
    Ok(Json(po.payload(&purchase_orders::lines(db, id).await?)))
}

/// A line to order or to receive.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseLineInput {
    pub item_id: i64,
    pub quantity: i64,
}

/// A purchase order to make and send; without `lines`, the supplier's low
/// items not already on order, at their reorder quantities.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"supplier_id": 1, "lines": [{"item_id": 1, "quantity": 50}]}))]
#[serde(deny_unknown_fields)]
pub struct NewPurchaseOrder {
    pub supplier_id: i64,
    pub lines: Option<Vec<PurchaseLineInput>>,
}

/// What arrived; without `lines`, everything still to come.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({"lines": [{"item_id": 1, "quantity": 20}]}))]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    pub lines: Option<Vec<PurchaseLineInput>>,
    /// Where the goods arrived; the first location when absent.
    #[serde(default)]
    pub location: Option<String>,
}

fn checked(lines: Option<Vec<PurchaseLineInput>>) -> Result<Option<Vec<Wanted>>, AppError> {
    let Some(lines) = lines else { return Ok(None) };
    let mut c = Check::default();
    if lines.is_empty() || lines.len() > 50 {
        c.fail("lines", "must hold 1 to 50 lines");
    }
    for (i, l) in lines.iter().enumerate() {
        c.range(&format!("lines[{i}].quantity"), l.quantity, 1, MAX_QUANTITY);
        if lines[..i].iter().any(|o| o.item_id == l.item_id) {
            c.fail(&format!("lines[{i}].item_id"), "names an item twice");
        }
    }
    c.done()?;
    Ok(Some(
        lines
            .iter()
            .map(|l| Wanted {
                item_id: l.item_id,
                quantity: l.quantity,
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/purchase-orders", tag = "purchasing", request_body = NewPurchaseOrder,
    responses((status = 201, body = PurchaseOrderPayload), (status = 404, body = super::ErrorBody, description = "no such supplier or item"),
        (status = 409, body = super::ErrorBody, description = "nothing to order"), (status = 422, body = super::ErrorBody)),
    security(("token" = ["write"])))]
/// Make a purchase order and send it to the supplier on WhatsApp (records
/// `purchase_order.created` and `purchase_order.sent`).
pub async fn create(
    Writer(caller): Writer,
    State(s): State<ApiState>,
    Body(new): Body<NewPurchaseOrder>,
) -> Result<(StatusCode, Json<PurchaseOrderPayload>), AppError> {
    let lines = checked(new.lines)?;
    let po = s
        .shop
        .create_purchase_order(new.supplier_id, lines.as_deref(), &caller.actor)
        .await?;
    Ok((StatusCode::CREATED, Json(po)))
}

#[utoipa::path(post, path = "/api/v1/purchase-orders/{id}/receive", tag = "purchasing",
    params(("id" = i64, Path)),
    request_body(content = Option<Receipt>, description = "optional: with no body, everything still to come"),
    responses((status = 200, body = PurchaseOrderPayload), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody, description = "not on the order, more than is to come, or closed"),
        (status = 422, body = super::ErrorBody)),
    security(("token" = ["write"])))]
/// Receive goods into stock (ledger reason `received`); closes the order
/// when everything has come. Records `purchase_order.received` (and `.closed`).
pub async fn receive(
    Writer(caller): Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
    OptionalBody(receipt): OptionalBody<Receipt>,
) -> Result<Json<PurchaseOrderPayload>, AppError> {
    let mut c = Check::default();
    let at = super::stock::place(&s, receipt.location.as_deref(), &mut c, "location");
    c.done()?;
    let lines = checked(receipt.lines)?;
    let po = s
        .shop
        .receive_purchase_order(id, lines.as_deref(), at, &caller.actor)
        .await?;
    Ok(Json(po))
}

#[utoipa::path(post, path = "/api/v1/purchase-orders/{id}/cancel", tag = "purchasing",
    params(("id" = i64, Path)),
    responses((status = 200, body = PurchaseOrderPayload), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody, description = "already closed or cancelled")),
    security(("token" = ["write"])))]
/// Cancel an open order: the supplier is told; what arrived stays in stock.
/// Records `purchase_order.closed` with the status `cancelled`.
pub async fn cancel(
    Writer(caller): Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
) -> Result<Json<PurchaseOrderPayload>, AppError> {
    Ok(Json(s.shop.cancel_purchase_order(id, &caller.actor).await?))
}
