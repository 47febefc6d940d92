//! `/api/v1/webhooks`: event subscriptions and their secrets. Their delivery
//! logs, stats, tests, retries and replays are in `deliveries`.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    ApiState,
    auth::Writer,
    extract::{Body, Check, Id},
};
use crate::{
    config::WebhookSettings,
    domain::event::EventType,
    error::AppError,
    events::{check_literal, check_url, sign},
    storage::{
        self,
        subscriptions::{self, SubscriptionFields, SubscriptionRow},
    },
};

/// How long a rotated-out secret keeps signing.
const ROTATION_GRACE_MS: i64 = 24 * 3600 * 1000;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WebhookView {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub description: Option<String>,
    /// Exact types, `prefix.*` or `*`.
    pub events: Vec<String>,
    pub active: bool,
    /// Events about the same order or item are delivered one after another, in order.
    pub ordered: bool,
    /// Failing since (ms since the epoch); null when the last attempt succeeded.
    pub failing_since: Option<i64>,
    pub disabled_reason: Option<String>,
    pub created_at: i64,
    /// Only when created or rotated: the signing secret, `whsec_…`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl From<SubscriptionRow> for WebhookView {
    fn from(s: SubscriptionRow) -> Self {
        Self {
            id: s.id,
            name: s.name,
            url: s.url,
            description: s.description,
            events: s.events.split(' ').map(String::from).collect(),
            active: s.active == 1,
            ordered: s.ordered == 1,
            failing_since: s.failing_since,
            disabled_reason: s.disabled_reason,
            created_at: s.created_at,
            secret: None,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "warehouse", "url": "https://wms.example/hooks/backroom",
    "events": ["order.*", "stock.low"], "ordered": true}))]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    pub name: String,
    pub url: String,
    pub events: Vec<String>,
    pub description: Option<String>,
    pub active: Option<bool>,
    pub ordered: Option<bool>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({"active": false}))]
#[serde(deny_unknown_fields)]
pub struct WebhookPatch {
    pub name: Option<String>,
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    pub description: Option<String>,
    pub active: Option<bool>,
    pub ordered: Option<bool>,
}

/// Checks a subscription's fields (shared with the dashboard and the command
/// line). An address literal that is not public is refused here, at once,
/// not only at delivery; names are checked when they are resolved.
pub fn checked(
    settings: &WebhookSettings,
    f: SubscriptionFields,
) -> Result<SubscriptionFields, AppError> {
    let mut c = Check::default();
    let name = c.text("name", &f.name, 1, 100);
    let url = c.text("url", &f.url, 1, 2000);
    match check_url(&url, settings.allow_http) {
        Err(why) => c.fail("url", why),
        Ok(parsed) => {
            if let Err(why) = check_literal(&parsed, settings.allow_private) {
                c.fail("url", format!("{why} (ALLOW_PRIVATE_WEBHOOKS is off)"));
            }
        }
    }
    let description = f.description.map(|d| c.text("description", &d, 0, 500));
    if f.events.is_empty() || f.events.len() > 20 {
        c.fail("events", "give 1 to 20 event types, `prefix.*` or `*`");
    }
    let mut events = Vec::new();
    for e in &f.events {
        let e = e.trim();
        if !EventType::is_pattern(e) {
            c.fail(
                "events",
                format!("{e:?} is not an event type, a `prefix.*` of one, or `*`"),
            );
        }
        events.push(e.to_string());
    }
    events.sort();
    events.dedup();
    c.done()?;
    Ok(SubscriptionFields {
        name,
        url,
        description,
        events,
        ..f
    })
}

pub(super) fn not_found() -> AppError {
    AppError::NotFound("no such webhook".into())
}

pub(super) async fn load(s: &ApiState, id: i64) -> Result<SubscriptionRow, AppError> {
    subscriptions::get(&s.shop.db, id)
        .await?
        .ok_or_else(not_found)
}

#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = NewWebhook,
    responses((status = 201, body = WebhookView, description = "created; `secret` is shown this once")),
    security(("token" = ["write"])))]
/// Subscribe a URL to events.
pub async fn create(
    _: Writer,
    State(s): State<ApiState>,
    Body(new): Body<NewWebhook>,
) -> Result<(StatusCode, Json<WebhookView>), AppError> {
    let f = checked(
        &s.shop.settings.webhooks,
        SubscriptionFields {
            name: new.name,
            url: new.url,
            description: new.description,
            events: new.events,
            active: new.active.unwrap_or(true),
            ordered: new.ordered.unwrap_or(false),
        },
    )?;
    let secret = sign::new_secret();
    let row =
        subscriptions::create(&s.shop.db, &s.shop.keys, &f, &secret, storage::now_ms()).await?;
    let mut view = WebhookView::from(row);
    view.secret = Some(secret);
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    responses((status = 200, body = Vec<WebhookView>)), security(("token" = ["write"])))]
/// List subscriptions.
pub async fn list(
    _: Writer,
    State(s): State<ApiState>,
) -> Result<Json<Vec<WebhookView>>, AppError> {
    Ok(Json(
        subscriptions::list(&s.shop.db)
            .await?
            .into_iter()
            .map(WebhookView::from)
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = "webhooks", params(("id" = i64, Path)),
    responses((status = 200, body = WebhookView)), security(("token" = ["write"])))]
/// One subscription.
pub async fn get(
    _: Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
) -> Result<Json<WebhookView>, AppError> {
    Ok(Json(load(&s, id).await?.into()))
}

#[utoipa::path(patch, path = "/api/v1/webhooks/{id}", tag = "webhooks", params(("id" = i64, Path)),
    request_body = WebhookPatch, responses((status = 200, body = WebhookView)), security(("token" = ["write"])))]
/// Change a subscription; takes effect at once. `"active": true` re-enables it.
pub async fn update(
    _: Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
    Body(p): Body<WebhookPatch>,
) -> Result<Json<WebhookView>, AppError> {
    let row = load(&s, id).await?;
    let f = checked(
        &s.shop.settings.webhooks,
        SubscriptionFields {
            name: p.name.unwrap_or(row.name),
            url: p.url.unwrap_or(row.url),
            description: p.description.or(row.description),
            events: p
                .events
                .unwrap_or_else(|| row.events.split(' ').map(String::from).collect()),
            active: p.active.unwrap_or(row.active == 1),
            ordered: p.ordered.unwrap_or(row.ordered == 1),
        },
    )?;
    let row = subscriptions::update(&s.shop.db, id, &f, storage::now_ms())
        .await?
        .ok_or_else(not_found)?;
    s.shop.signals.wake_events();
    Ok(Json(row.into()))
}

#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks", params(("id" = i64, Path)),
    responses((status = 204, description = "deleted")), security(("token" = ["write"])))]
/// Delete a subscription; its pending deliveries are dropped.
pub async fn delete(
    _: Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
) -> Result<StatusCode, AppError> {
    if subscriptions::delete(&s.shop.db, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found())
    }
}

#[utoipa::path(post, path = "/api/v1/webhooks/{id}/rotate-secret", tag = "webhooks", params(("id" = i64, Path)),
    responses((status = 200, body = WebhookView, description = "`secret` is the new one; the old one signs beside it for 24 h")),
    security(("token" = ["write"])))]
/// Issue a new signing secret.
pub async fn rotate(
    _: Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
) -> Result<Json<WebhookView>, AppError> {
    let row = load(&s, id).await?;
    let secret = sign::new_secret();
    let now = storage::now_ms();
    subscriptions::rotate(
        &s.shop.db,
        &s.shop.keys,
        id,
        &secret,
        now,
        now + ROTATION_GRACE_MS,
    )
    .await?;
    let mut view = WebhookView::from(row);
    view.secret = Some(secret);
    Ok(Json(view))
}
