//! The developer API under `/api/v1`: JSON in and out, bearer tokens with
//! scopes, per-token rate limits, one error shape, and an OpenAPI reference
//! generated from these handlers (`/api/v1/openapi.json`, `/docs`).

pub mod auth;
mod contacts;
mod contract;
pub mod counts;
mod deliveries;
mod docs;
mod events;
mod extract;
mod items;
mod locations;
mod messages;
mod orders;
mod purchase_orders;
mod stock;
pub mod subscriptions;
pub mod suppliers;
pub mod tokens;

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderValue, Method, header},
    routing::{get, post},
};
use serde::Serialize;
use tower_http::{cors::CorsLayer, timeout::TimeoutLayer};
use utoipa::ToSchema;

use crate::{
    error::AppError,
    events::Deliverer,
    inventory::Refusal,
    ops::{Shop, ShopError},
};

pub use docs::document as openapi_document;

/// What every API handler can reach.
#[derive(Clone)]
pub struct ApiState {
    pub shop: Shop,
    pub limits: Arc<auth::Limits>,
    /// Wrong tokens per client address.
    pub bad_tokens: Arc<crate::net::Strikes>,
    /// For the webhook test button.
    pub deliverer: Deliverer,
}

impl ApiState {
    pub fn new(shop: Shop) -> anyhow::Result<Self> {
        let per_minute = shop.settings.api.rate_limit_per_minute;
        Ok(Self {
            deliverer: Deliverer::new(shop.clone())?,
            shop,
            limits: Arc::new(auth::Limits::per_minute(per_minute)),
            bad_tokens: Arc::new(crate::net::Strikes::new(
                auth::BAD_TOKENS_PER_MINUTE,
                Duration::from_secs(60),
            )),
        })
    }

    fn default_threshold(&self) -> i64 {
        self.shop.prefs.threshold()
    }
}

/// The error body every endpoint uses.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"error": {"code": "invalid", "message": "quantity: must be between 0 and 1000000",
    "fields": {"quantity": "must be between 0 and 1000000"}}}))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// `bad_request`, `unauthorized`, `forbidden`, `not_found`, `conflict`, `invalid`,
    /// `rate_limited`, `too_large`, `unavailable` or `internal`.
    pub code: String,
    pub message: String,
    /// For `invalid`: what is wrong with each field.
    #[schema(value_type = Option<Object>)]
    pub fields: Option<std::collections::BTreeMap<String, String>>,
}

impl From<ShopError> for AppError {
    fn from(e: ShopError) -> Self {
        match e {
            ShopError::NotFound(what) => AppError::NotFound(format!("no such {what}")),
            ShopError::Conflict(m) => AppError::Conflict(m),
            ShopError::Refused(Refusal::NotEnough {
                name,
                available,
                requested,
            }) => AppError::Conflict(format!(
                "only {available} {name} in stock, {requested} requested"
            )),
            ShopError::Refused(Refusal::TooMuch { name }) => AppError::field(
                "quantity",
                format!("the stock of {name} would grow too large"),
            ),
            ShopError::Refused(Refusal::UnknownItem { name }) => {
                AppError::NotFound(format!("no item {name}"))
            }
            ShopError::Db(e)
                if e.as_database_error()
                    .is_some_and(|d| d.is_unique_violation()) =>
            {
                // Two requests made the same unique thing at once (an
                // Idempotency-Key, a supplier's name or number): one wins.
                AppError::Conflict(
                    "another request made the same change at the same moment; retry to see its result"
                        .into(),
                )
            }
            ShopError::Db(e) => e.into(),
        }
    }
}

/// The `/api/v1` routes and the reference pages.
pub fn router(state: ApiState) -> Router {
    let settings = &state.shop.settings.api;
    let api = Router::new()
        .route("/items", get(items::list).post(items::create))
        .route(
            "/items/{id}",
            get(items::get).patch(items::update).delete(items::delete),
        )
        .route("/items/{id}/adjust", post(stock::adjust))
        .route("/items/{id}/quantity", axum::routing::put(stock::set))
        .route("/items/{id}/movements", get(stock::item_movements))
        .route("/movements", get(stock::movements))
        .route("/counts", get(counts::list))
        .route("/orders", get(orders::list).post(orders::create))
        .route("/orders/{id}", get(orders::get).patch(orders::update))
        .route(
            "/items/{id}/supplier",
            axum::routing::put(suppliers::set_item),
        )
        .route("/suppliers", get(suppliers::list).post(suppliers::create))
        .route(
            "/suppliers/{id}",
            get(suppliers::get).patch(suppliers::update),
        )
        .route(
            "/purchase-orders",
            get(purchase_orders::list).post(purchase_orders::create),
        )
        .route("/purchase-orders/{id}", get(purchase_orders::get))
        .route(
            "/purchase-orders/{id}/receive",
            post(purchase_orders::receive),
        )
        .route(
            "/purchase-orders/{id}/cancel",
            post(purchase_orders::cancel),
        )
        .route("/locations", get(locations::list))
        .route(
            "/transfers",
            get(locations::transfers).post(locations::send),
        )
        .route("/transfers/{id}", get(locations::transfer))
        .route("/transfers/{id}/receive", post(locations::receive))
        .route(
            "/contacts/{wa_id}/locations",
            axum::routing::put(locations::set_staff_locations),
        )
        .route("/contacts", get(contacts::list))
        .route(
            "/contacts/{wa_id}",
            axum::routing::patch(contacts::set_role),
        )
        .route("/messages", get(messages::list).post(messages::send))
        .route("/tokens", get(tokens::list).post(tokens::create))
        .route("/tokens/{id}", axum::routing::delete(tokens::revoke))
        .route(
            "/webhooks",
            get(subscriptions::list).post(subscriptions::create),
        )
        .route(
            "/webhooks/{id}",
            get(subscriptions::get)
                .patch(subscriptions::update)
                .delete(subscriptions::delete),
        )
        .route("/webhooks/{id}/rotate-secret", post(subscriptions::rotate))
        .route("/webhooks/{id}/logs", get(deliveries::logs))
        .route(
            "/webhooks/{id}/logs/{attempt}/retry",
            post(deliveries::retry),
        )
        .route("/webhooks/{id}/stats", get(deliveries::stats))
        .route("/webhooks/{id}/test", post(deliveries::test))
        .route("/webhooks/{id}/replay", post(deliveries::replay))
        .route("/events", get(events::feed))
        .route("/openapi.json", get(docs::openapi_json))
        .fallback(|| async { AppError::NotFound("no such endpoint".into()) })
        .layer(DefaultBodyLimit::max(settings.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(15),
        ))
        .with_state(state.clone());
    let mut router = Router::new()
        .nest("/api/v1", api)
        .route("/docs", get(docs::page))
        .route("/assets/docs.css", get(docs::stylesheet));
    if !settings.cors_origins.is_empty() {
        let origins: Vec<HeaderValue> = settings
            .cors_origins
            .iter()
            .filter_map(|o| o.parse().ok())
            .collect();
        router = router.layer(
            CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([
                    Method::GET,
                    Method::POST,
                    Method::PATCH,
                    Method::PUT,
                    Method::DELETE,
                ])
                .allow_headers([
                    header::AUTHORIZATION,
                    header::CONTENT_TYPE,
                    "idempotency-key".parse().expect("valid"),
                ]),
        );
    }
    router
}
