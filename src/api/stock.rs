//! Stock changes and the ledger: `/api/v1/items/{id}/adjust`,
//! `/api/v1/items/{id}/quantity`, `/api/v1/movements`.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiState,
    auth::{Caller, Reader, Writer},
    extract::{Body, Check, Id, Page, Paged, Params},
};
use crate::{
    domain::location::FIRST,
    error::AppError,
    inventory::{Change, Origin},
    ops::StockChange,
    parsing::MAX_QUANTITY,
    storage::{
        self,
        catalogue::{self, MovementFilter, MovementRow},
        tokens::{self, Replay},
    },
};

/// Why stock changed, for the ledger.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Restock,
    Sale,
    Return,
    Damage,
    Count,
    #[default]
    Correction,
    Other,
}

impl Reason {
    fn as_str(self) -> &'static str {
        match self {
            Reason::Restock => "restock",
            Reason::Sale => "sale",
            Reason::Return => "return",
            Reason::Damage => "damage",
            Reason::Count => "count",
            Reason::Correction => "correction",
            Reason::Other => "other",
        }
    }
}

/// A signed change: `+n` adds, `-n` removes.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"delta": -3, "reason": "sale"}))]
#[serde(deny_unknown_fields)]
pub struct Adjust {
    pub delta: i64,
    #[serde(default)]
    pub reason: Reason,
    /// The location's name (`GET /api/v1/locations`); the first location when absent.
    #[serde(default)]
    pub location: Option<String>,
}

/// An absolute count; the ledger records the difference.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"quantity": 120}))]
#[serde(deny_unknown_fields)]
pub struct SetQuantity {
    pub quantity: i64,
    #[serde(default)]
    pub reason: Option<Reason>,
    /// The location counted; the first location when absent.
    #[serde(default)]
    pub location: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/items/{id}/adjust", tag = "stock", request_body = Adjust,
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header,
        description = "Retrying with the same key and body returns the first answer instead of applying twice")),
    responses((status = 200, body = StockChange), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody, description = "not enough stock, or the same key is in use"),
        (status = 422, body = super::ErrorBody)),
    security(("token" = ["write"])))]
/// Add or remove stock of an item.
pub async fn adjust(
    Writer(caller): Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
    headers: HeaderMap,
    Body(input): Body<Adjust>,
) -> Result<Response, AppError> {
    let mut c = Check::default();
    if input.delta == 0 {
        c.fail("delta", "must not be 0");
    }
    c.range("delta", input.delta, -MAX_QUANTITY, MAX_QUANTITY);
    let at = place(&s, input.location.as_deref(), &mut c, "location");
    c.done()?;
    let change = if input.delta > 0 {
        Change::Add(input.delta)
    } else {
        Change::Remove(-input.delta)
    };
    let fingerprint = fingerprint(&format!("adjust {id}"), &input);
    idempotent(
        &s,
        &caller,
        &headers,
        fingerprint,
        (change, at),
        id,
        input.reason,
    )
    .await
}

/// The location a request names (422 for an unknown one), else the first.
pub(super) fn place(s: &ApiState, name: Option<&str>, c: &mut Check, field: &str) -> i64 {
    match name {
        None => FIRST,
        Some(n) => match s.shop.places.by_name(n) {
            Some(l) => l.id,
            None => {
                c.fail(field, "is not one of the shop's locations");
                FIRST
            }
        },
    }
}

fn origin(reason: &'static str, caller: &Caller, location: i64) -> Origin {
    Origin {
        reason,
        actor: Some(caller.actor.clone()),
        source_message_id: None,
        location,
    }
}

#[utoipa::path(put, path = "/api/v1/items/{id}/quantity", tag = "stock", request_body = SetQuantity,
    params(("id" = i64, Path)),
    responses((status = 200, body = StockChange), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)),
    security(("token" = ["write"])))]
/// Set an item's count (a stock take).
pub async fn set(
    Writer(caller): Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
    Body(input): Body<SetQuantity>,
) -> Result<Json<StockChange>, AppError> {
    let mut c = Check::default();
    c.range("quantity", input.quantity, 0, MAX_QUANTITY);
    let at = place(&s, input.location.as_deref(), &mut c, "location");
    c.done()?;
    let reason = input.reason.unwrap_or(Reason::Count).as_str();
    let done = s
        .shop
        .adjust(
            id,
            Change::Set(input.quantity),
            origin(reason, &caller, at),
            |_, _| {},
        )
        .await?;
    Ok(Json(done))
}

fn fingerprint(what: &str, body: &impl Serialize) -> String {
    let json = serde_json::to_string(body).unwrap_or_default();
    hex::encode(Sha256::digest(format!("{what}\n{json}").as_bytes()))
}

/// Applies an adjustment once per `Idempotency-Key`: a retry gets the first answer.
async fn idempotent(
    s: &ApiState,
    caller: &Caller,
    headers: &HeaderMap,
    fingerprint: String,
    (change, at): (Change, i64),
    id: i64,
    reason: Reason,
) -> Result<Response, AppError> {
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .filter(|k| (1..=255).contains(&k.len()))
                .ok_or_else(|| {
                    AppError::BadRequest(
                        "Idempotency-Key must be 1 to 255 visible characters".into(),
                    )
                })?
                .to_string(),
        ),
    };
    if let Some(key) = &key
        && let Some(replay) = tokens::replay(&s.shop.db, caller.token_id, key).await?
    {
        if replay.fingerprint != fingerprint {
            return Err(AppError::field(
                "Idempotency-Key",
                "was already used for a different request",
            ));
        }
        let status = StatusCode::from_u16(replay.status as u16).unwrap_or(StatusCode::OK);
        let mut response =
            (status, [("content-type", "application/json")], replay.body).into_response();
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
        return Ok(response);
    }
    let token_id = caller.token_id;
    let done = s
        .shop
        .adjust(
            id,
            change,
            origin(reason.as_str(), caller, at),
            |tx, result| {
                if let Some(key) = &key {
                    let answer = Replay {
                        fingerprint,
                        status: 200,
                        body: serde_json::to_string(result).unwrap_or_default(),
                    };
                    tokens::remember(tx, token_id, key, &answer, storage::now_ms());
                }
            },
        )
        .await?;
    Ok(Json(done).into_response())
}

/// A ledger line.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MovementView {
    pub id: i64,
    pub item_id: i64,
    pub item_name: String,
    pub delta: i64,
    pub balance_after: i64,
    /// `add`, `remove`, `set`, `undo` (chat), `order`, `order_cancelled`, or an API reason.
    pub reason: String,
    /// A WhatsApp id, or `api:` and a token prefix.
    pub actor: Option<String>,
    /// The WhatsApp message that caused it, if any.
    pub source_message_id: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
}

impl From<MovementRow> for MovementView {
    fn from(m: MovementRow) -> Self {
        Self {
            id: m.id,
            item_id: m.item_id,
            item_name: m.item_name,
            delta: m.delta,
            balance_after: m.balance_after,
            reason: m.reason,
            actor: m.actor,
            source_message_id: m.source_message_id,
            created_at: m.created_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MovementQuery {
    /// From this time (ms since the epoch), inclusive.
    pub since: Option<i64>,
    /// Before this time (ms since the epoch).
    pub until: Option<i64>,
    pub actor: Option<String>,
    pub reason: Option<String>,
}

impl MovementQuery {
    fn filter(self, item_id: Option<i64>) -> Result<MovementFilter, AppError> {
        let mut c = Check::default();
        let actor = self.actor.map(|a| c.text("actor", &a, 1, 100));
        let reason = self.reason.map(|r| c.text("reason", &r, 1, 40));
        c.done()?;
        Ok(MovementFilter {
            item_id,
            since: self.since,
            until: self.until,
            actor,
            reason,
        })
    }
}

#[utoipa::path(get, path = "/api/v1/movements", tag = "stock", params(MovementQuery, Page),
    responses((status = 200, body = Paged<MovementView>), (status = 400, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// The whole ledger, newest first.
pub async fn movements(
    _: Reader,
    State(s): State<ApiState>,
    Params(q): Params<MovementQuery>,
    Params(page): Params<Page>,
) -> Result<Json<Paged<MovementView>>, AppError> {
    let (limit, offset) = page.resolve()?;
    let rows = catalogue::movements(&s.shop.db, &q.filter(None)?, limit, offset).await?;
    Ok(Json(Paged::from_rows(
        rows,
        limit,
        offset,
        MovementView::from,
    )))
}

#[utoipa::path(get, path = "/api/v1/items/{id}/movements", tag = "stock",
    params(("id" = i64, Path), MovementQuery, Page),
    responses((status = 200, body = Paged<MovementView>), (status = 404, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// One item's ledger, newest first.
pub async fn item_movements(
    _: Reader,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
    Params(q): Params<MovementQuery>,
    Params(page): Params<Page>,
) -> Result<Json<Paged<MovementView>>, AppError> {
    let (limit, offset) = page.resolve()?;
    catalogue::get(&s.shop.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such item".into()))?;
    let rows = catalogue::movements(&s.shop.db, &q.filter(Some(id))?, limit, offset).await?;
    Ok(Json(Paged::from_rows(
        rows,
        limit,
        offset,
        MovementView::from,
    )))
}
