//! `/api/v1/suppliers`, and which supplier an item is reordered from.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    ApiState,
    auth::{Reader, Writer},
    extract::{Body, Check, Id, Page, Paged, Params, wa_id},
};
use crate::{
    error::AppError,
    parsing::MAX_QUANTITY,
    storage::suppliers::{self, SupplierFields, SupplierRow},
};

/// A supplier as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "name": "Acme", "wa_id": "27825550177",
    "email": "orders@acme.example", "lead_time_days": 3, "created_at": 1781000000000_i64}))]
pub struct SupplierView {
    pub id: i64,
    pub name: String,
    /// Their WhatsApp number; purchase orders are sent there.
    pub wa_id: String,
    pub email: Option<String>,
    /// Days from order to delivery, as usual.
    pub lead_time_days: i64,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
}

impl From<SupplierRow> for SupplierView {
    fn from(r: SupplierRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            wa_id: r.wa_id,
            email: r.email,
            lead_time_days: r.lead_time_days,
            created_at: r.created_at,
        }
    }
}

/// A supplier's details; on update, a missing field keeps its value.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Acme", "wa_id": "+27 82 555 0177", "lead_time_days": 3}))]
#[serde(deny_unknown_fields)]
pub struct SupplierInput {
    pub name: Option<String>,
    /// WhatsApp number in international format.
    pub wa_id: Option<String>,
    pub email: Option<String>,
    pub lead_time_days: Option<i64>,
}

/// Checks input over `base` (the stored supplier, on update).
pub(crate) fn fields(
    input: SupplierInput,
    base: Option<SupplierRow>,
) -> Result<SupplierFields, AppError> {
    let mut c = Check::default();
    let name = match (&input.name, &base) {
        (Some(n), _) => c.text("name", n, 1, 80),
        (None, Some(b)) => b.name.clone(),
        (None, None) => {
            c.fail("name", "is required");
            String::new()
        }
    };
    let number = match (&input.wa_id, &base) {
        (Some(n), _) => wa_id(&mut c, "wa_id", n),
        (None, Some(b)) => b.wa_id.clone(),
        (None, None) => {
            c.fail("wa_id", "is required");
            String::new()
        }
    };
    let email = match input.email {
        Some(e) => {
            let e = c.text("email", &e, 3, 254);
            let ok = e.contains('@') && !e.contains(char::is_whitespace);
            if !ok {
                c.fail("email", "must be an email address");
            }
            Some(e)
        }
        None => base.as_ref().and_then(|b| b.email.clone()),
    };
    let lead = input
        .lead_time_days
        .or(base.map(|b| b.lead_time_days))
        .unwrap_or(0);
    c.range("lead_time_days", lead, 0, 365);
    c.done()?;
    Ok(SupplierFields {
        name,
        wa_id: number,
        email,
        lead_time_days: lead,
    })
}

#[utoipa::path(get, path = "/api/v1/suppliers", tag = "purchasing", params(Page),
    responses((status = 200, body = Paged<SupplierView>)), security(("token" = ["read"])))]
/// List suppliers, by name.
pub async fn list(
    _: Reader,
    State(s): State<ApiState>,
    Params(page): Params<Page>,
) -> Result<Json<Paged<SupplierView>>, AppError> {
    let (limit, offset) = page.resolve()?;
    let rows: Vec<SupplierRow> = suppliers::list(&s.shop.db)
        .await?
        .into_iter()
        .skip(offset as usize)
        .collect();
    Ok(Json(Paged::from_rows(
        rows,
        limit,
        offset,
        SupplierView::from,
    )))
}

#[utoipa::path(get, path = "/api/v1/suppliers/{id}", tag = "purchasing", params(("id" = i64, Path)),
    responses((status = 200, body = SupplierView), (status = 404, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// One supplier.
pub async fn get(
    _: Reader,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
) -> Result<Json<SupplierView>, AppError> {
    let row = suppliers::get(&s.shop.db, id).await?;
    row.map(|r| Json(r.into()))
        .ok_or_else(|| AppError::NotFound("no such supplier".into()))
}

#[utoipa::path(post, path = "/api/v1/suppliers", tag = "purchasing", request_body = SupplierInput,
    responses((status = 201, body = SupplierView), (status = 409, body = super::ErrorBody, description = "name or number taken"),
        (status = 422, body = super::ErrorBody)),
    security(("token" = ["write"])))]
/// Add a supplier; their number becomes a contact with the role `supplier`.
pub async fn create(
    _: Writer,
    State(s): State<ApiState>,
    Body(input): Body<SupplierInput>,
) -> Result<(StatusCode, Json<SupplierView>), AppError> {
    let f = fields(input, None)?;
    let row = s.shop.save_supplier(None, &f).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

#[utoipa::path(patch, path = "/api/v1/suppliers/{id}", tag = "purchasing", params(("id" = i64, Path)),
    request_body = SupplierInput,
    responses((status = 200, body = SupplierView), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("token" = ["write"])))]
/// Change a supplier's details.
pub async fn update(
    _: Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
    Body(input): Body<SupplierInput>,
) -> Result<Json<SupplierView>, AppError> {
    let base = suppliers::get(&s.shop.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such supplier".into()))?;
    let f = fields(input, Some(base))?;
    Ok(Json(s.shop.save_supplier(Some(id), &f).await?.into()))
}

/// Who an item is reordered from, and how many at a time; nulls clear both.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"supplier_id": 1, "reorder_qty": 50}))]
#[serde(deny_unknown_fields)]
pub struct ItemSupplier {
    pub supplier_id: Option<i64>,
    pub reorder_qty: Option<i64>,
}

#[utoipa::path(put, path = "/api/v1/items/{id}/supplier", tag = "purchasing", params(("id" = i64, Path)),
    request_body = ItemSupplier,
    responses((status = 204, description = "set"), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)),
    security(("token" = ["write"])))]
/// Set the supplier an item is reordered from (its alert level stays the reorder point).
pub async fn set_item(
    _: Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
    Body(input): Body<ItemSupplier>,
) -> Result<StatusCode, AppError> {
    let supplier = match (input.supplier_id, input.reorder_qty) {
        (None, None) => None,
        (Some(sid), Some(q)) => {
            let mut c = Check::default();
            c.range("reorder_qty", q, 1, MAX_QUANTITY);
            c.done()?;
            Some((sid, q))
        }
        _ => {
            return Err(AppError::field(
                "reorder_qty",
                "give supplier_id and reorder_qty together, or neither",
            ));
        }
    };
    s.shop.set_item_supplier(id, supplier).await?;
    Ok(StatusCode::NO_CONTENT)
}
