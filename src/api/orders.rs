//! `/api/v1/orders`.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiState,
    auth::{Reader, Writer},
    extract::{Body, Check, Id, Page, Paged, Params, wa_id},
};
use crate::{
    domain::order::OrderStatus,
    error::AppError,
    ops::{NewOrderLine, OrderView},
    parsing::MAX_QUANTITY,
    storage::orders,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderQuery {
    /// `placed`, `confirmed`, `ready`, `fulfilled` or `cancelled`.
    pub status: Option<String>,
    /// A customer's WhatsApp id.
    pub contact: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", params(OrderQuery, Page),
    responses((status = 200, body = Paged<OrderView>), (status = 422, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// List orders, newest first.
pub async fn list(
    _: Reader,
    State(s): State<ApiState>,
    Params(q): Params<OrderQuery>,
    Params(page): Params<Page>,
) -> Result<Json<Paged<OrderView>>, AppError> {
    let (limit, offset) = page.resolve()?;
    let status = match q.status.as_deref().map(str::parse::<OrderStatus>) {
        None => None,
        Some(Ok(st)) => Some(st),
        Some(Err(_)) => {
            return Err(AppError::field(
                "status",
                format!("must be {}", OrderStatus::list(&OrderStatus::ALL)),
            ));
        }
    };
    if q.contact.as_ref().is_some_and(|c| c.len() > 64) {
        return Err(AppError::field("contact", "must be at most 64 characters"));
    }
    let rows = orders::search(&s.shop.db, status, q.contact.as_deref(), limit, offset).await?;
    let more = rows.len() as i64 > limit;
    let mut data = Vec::new();
    for o in rows.into_iter().take(limit as usize) {
        let lines = orders::lines(&s.shop.db, o.id).await?;
        data.push(OrderView::new(o, lines));
    }
    Ok(Json(Paged {
        data,
        next_offset: more.then_some(offset + limit),
    }))
}

#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders", params(("id" = i64, Path)),
    responses((status = 200, body = OrderView), (status = 404, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// One order with its lines.
pub async fn get(
    _: Reader,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
) -> Result<Json<OrderView>, AppError> {
    OrderView::load(&s.shop.db, id)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound("no such order".into()))
}

/// An order to place for a customer; the stock is reserved at once.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"contact": "27825550142", "lines": [{"item_id": 1, "quantity": 2}]}))]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    /// The customer's WhatsApp number, digits only.
    pub contact: String,
    pub lines: Vec<NewLine>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLine {
    pub item_id: i64,
    pub quantity: i64,
}

#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = NewOrder,
    responses((status = 201, body = OrderView), (status = 404, body = super::ErrorBody, description = "an item does not exist"),
        (status = 409, body = super::ErrorBody, description = "not enough stock"), (status = 422, body = super::ErrorBody)),
    security(("token" = ["write"])))]
/// Place an order (reserves stock; records `order.created`).
pub async fn create(
    Writer(caller): Writer,
    State(s): State<ApiState>,
    Body(new): Body<NewOrder>,
) -> Result<(StatusCode, Json<OrderView>), AppError> {
    let mut c = Check::default();
    let contact = wa_id(&mut c, "contact", &new.contact);
    if new.lines.is_empty() || new.lines.len() > 50 {
        c.fail("lines", "must hold 1 to 50 lines");
    }
    for (i, l) in new.lines.iter().enumerate() {
        c.range(&format!("lines[{i}].quantity"), l.quantity, 1, MAX_QUANTITY);
    }
    c.done()?;
    let lines: Vec<NewOrderLine> = new
        .lines
        .iter()
        .map(|l| NewOrderLine {
            item_id: l.item_id,
            quantity: l.quantity,
        })
        .collect();
    let order = s.shop.create_order(&contact, &lines, &caller.actor).await?;
    Ok((StatusCode::CREATED, Json(order)))
}

/// The status to move an order to.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"status": "ready"}))]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// `confirmed`, `ready`, `fulfilled` or `cancelled` (which restocks).
    pub status: String,
}

#[utoipa::path(patch, path = "/api/v1/orders/{id}", tag = "orders", params(("id" = i64, Path)), request_body = StatusChange,
    responses((status = 200, body = OrderView), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody, description = "not a move this order can make"), (status = 422, body = super::ErrorBody)),
    security(("token" = ["write"])))]
/// Move an order along: confirmed → ready → fulfilled, or cancelled (restocks).
pub async fn update(
    Writer(caller): Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
    Body(change): Body<StatusChange>,
) -> Result<Json<OrderView>, AppError> {
    let moves = OrderStatus::Placed.allowed_next();
    let Some(status) = change.status.parse().ok().filter(|st| moves.contains(st)) else {
        return Err(AppError::field(
            "status",
            format!("must be {}", OrderStatus::list(moves)),
        ));
    };
    Ok(Json(
        s.shop.set_order_status(id, status, &caller.actor).await?,
    ))
}
