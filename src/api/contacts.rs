//! `/api/v1/contacts`: the people who write in, and their roles.

use axum::{Json, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiState,
    auth::{Admin, Reader},
    extract::{Body, Check, Id, Page, Paged, Params, wa_id},
};
use crate::{
    error::AppError,
    storage::contacts::{self, ContactRow, Role},
};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContactView {
    pub wa_id: String,
    pub profile_name: Option<String>,
    /// `owner`, `staff` or `customer`.
    pub role: String,
    /// Language of their last message: `en` or `fr`.
    pub lang: Option<String>,
    pub first_seen: Option<i64>,
    /// Their last message; WhatsApp's 24-hour window runs from it.
    pub last_seen: Option<i64>,
    /// They wrote STOP (or tapped a template's opt-out button): the shop
    /// writes to them only within 24 hours of their own message, never with
    /// a template. START clears it.
    pub opted_out: bool,
    /// When they opted out.
    pub opted_out_at: Option<i64>,
}

impl From<ContactRow> for ContactView {
    fn from(c: ContactRow) -> Self {
        Self {
            wa_id: c.wa_id,
            profile_name: c.profile_name,
            role: c.role,
            lang: c.lang,
            first_seen: c.first_seen,
            last_seen: c.last_seen,
            opted_out: c.opted_out_at.is_some(),
            opted_out_at: c.opted_out_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactQuery {
    /// `owner`, `staff` or `customer`.
    pub role: Option<String>,
}

fn role(field: &str, value: &str) -> Result<Role, AppError> {
    Role::parse(value)
        .ok_or_else(|| AppError::field(field, "must be owner, staff, customer or supplier"))
}

#[utoipa::path(get, path = "/api/v1/contacts", tag = "contacts", params(ContactQuery, Page),
    responses((status = 200, body = Paged<ContactView>), (status = 422, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// List contacts by number.
pub async fn list(
    _: Reader,
    State(s): State<ApiState>,
    Params(q): Params<ContactQuery>,
    Params(page): Params<Page>,
) -> Result<Json<Paged<ContactView>>, AppError> {
    let (limit, offset) = page.resolve()?;
    let role = q.role.as_deref().map(|r| role("role", r)).transpose()?;
    let rows = contacts::page(&s.shop.db, role, limit, offset).await?;
    Ok(Json(Paged::from_rows(
        rows,
        limit,
        offset,
        ContactView::from,
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"role": "staff"}))]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    /// `owner`, `staff` or `customer`.
    pub role: String,
}

#[utoipa::path(patch, path = "/api/v1/contacts/{wa_id}", tag = "contacts", params(("wa_id" = String, Path)),
    request_body = RoleChange,
    responses((status = 200, body = ContactView), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("token" = ["admin"])))]
/// Give a number a role (creates the contact if new).
pub async fn set_role(
    _: Admin,
    State(s): State<ApiState>,
    Id(id): Id<String>,
    Body(change): Body<RoleChange>,
) -> Result<Json<ContactView>, AppError> {
    let mut c = Check::default();
    let id = wa_id(&mut c, "wa_id", &id);
    c.done()?;
    let role = role("role", &change.role)?;
    contacts::set_role(&s.shop.db, &id, role).await?;
    let row = contacts::get(&s.shop.db, &id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such contact".into()))?;
    Ok(Json(row.into()))
}
