//! `/api/v1/tokens`: API tokens, for owners and the dashboard.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    ApiState,
    auth::{self, Admin, Scope},
    extract::{Body, Check, Id},
};
use crate::{
    error::AppError,
    storage::{
        self,
        tokens::{self, TokenRow},
    },
};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    /// The token's first characters, to recognise it.
    pub prefix: String,
    pub scopes: Vec<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl From<TokenRow> for TokenView {
    fn from(t: TokenRow) -> Self {
        Self {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            scopes: t.scopes.split(' ').map(String::from).collect(),
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "website stock widget", "scopes": ["read"]}))]
#[serde(deny_unknown_fields)]
pub struct NewTokenRequest {
    pub name: String,
    /// `read`, `write`, `admin`; default `["read"]`.
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// A new token: `token` is shown this once and never again.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreatedToken {
    pub token: String,
    #[serde(flatten)]
    pub info: TokenView,
}

/// Checks a token's name and scopes (shared with the command line).
pub fn checked(name: &str, scopes: &[String]) -> Result<(String, Vec<Scope>), AppError> {
    let mut c = Check::default();
    let name = c.text("name", name, 1, 100);
    let mut parsed = Vec::new();
    for s in scopes {
        match Scope::parse(s) {
            Some(scope) => parsed.push(scope),
            None => c.fail("scopes", format!("{s:?} is not read, write or admin")),
        }
    }
    if parsed.is_empty() && scopes.is_empty() {
        parsed.push(Scope::Read);
    }
    c.done()?;
    Ok((name, parsed))
}

#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = NewTokenRequest,
    responses((status = 201, body = CreatedToken), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("token" = ["admin"])))]
/// Create a token (shown once).
pub async fn create(
    _: Admin,
    State(s): State<ApiState>,
    Body(req): Body<NewTokenRequest>,
) -> Result<(StatusCode, Json<CreatedToken>), AppError> {
    let (name, scopes) = checked(&req.name, &req.scopes)?;
    let new = auth::create(&s.shop.db, &name, &scopes).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            token: new.token,
            info: new.row.into(),
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens",
    responses((status = 200, body = Vec<TokenView>), (status = 403, body = super::ErrorBody)),
    security(("token" = ["admin"])))]
/// List tokens (never their secrets).
pub async fn list(_: Admin, State(s): State<ApiState>) -> Result<Json<Vec<TokenView>>, AppError> {
    Ok(Json(
        tokens::list(&s.shop.db)
            .await?
            .into_iter()
            .map(TokenView::from)
            .collect(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", params(("id" = i64, Path)),
    responses((status = 200, body = TokenView), (status = 404, body = super::ErrorBody), (status = 403, body = super::ErrorBody)),
    security(("token" = ["admin"])))]
/// Revoke a token; it stops working at once.
pub async fn revoke(
    _: Admin,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
) -> Result<Json<TokenView>, AppError> {
    tokens::revoke(&s.shop.db, id, storage::now_ms()).await?;
    let row = tokens::get(&s.shop.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such token".into()))?;
    Ok(Json(row.into()))
}
