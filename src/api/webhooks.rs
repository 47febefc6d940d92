//! `/api/v1/webhooks`: event subscriptions, their logs, stats and tests.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiState,
    auth::{Caller, Scope},
    extract::{Body, Check, Id, Page, Paged, Params},
};
use crate::{
    error::AppError,
    storage::{
        self,
        attempts::{self, AttemptRow},
        webhooks::{self, SubscriptionFields, SubscriptionRow},
    },
    webhooks::{Sent, check_url, sign},
};

/// Every event type a subscription can name.
pub const EVENT_TYPES: [&str; 11] = [
    "message.received",
    "message.sent",
    "message.status",
    "inventory.updated",
    "stock.low",
    "order.created",
    "order.confirmed",
    "order.ready",
    "order.fulfilled",
    "order.cancelled",
    "webhook.test",
];

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

/// Checks a subscription's fields (shared with the command line).
pub fn checked(allow_http: bool, f: SubscriptionFields) -> Result<SubscriptionFields, AppError> {
    let mut c = Check::default();
    let name = c.text("name", &f.name, 1, 100);
    let url = c.text("url", &f.url, 1, 2000);
    if let Err(why) = check_url(&url, allow_http) {
        c.fail("url", why);
    }
    let description = f.description.map(|d| c.text("description", &d, 0, 500));
    if f.events.is_empty() || f.events.len() > 20 {
        c.fail("events", "give 1 to 20 event types, `prefix.*` or `*`");
    }
    let mut events = Vec::new();
    for e in &f.events {
        let e = e.trim();
        let ok = e == "*"
            || EVENT_TYPES.contains(&e)
            || e.strip_suffix(".*")
                .is_some_and(|p| EVENT_TYPES.iter().any(|t| t.starts_with(&format!("{p}."))));
        if !ok {
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

fn not_found() -> AppError {
    AppError::NotFound("no such webhook".into())
}

async fn load(s: &ApiState, id: i64) -> Result<SubscriptionRow, AppError> {
    webhooks::get(&s.shop.db, id).await?.ok_or_else(not_found)
}

#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = NewWebhook,
    responses((status = 201, body = WebhookView, description = "created; `secret` is shown this once")),
    security(("token" = ["write"])))]
/// Subscribe a URL to events.
pub async fn create(
    State(s): State<ApiState>,
    caller: Caller,
    Body(new): Body<NewWebhook>,
) -> Result<(StatusCode, Json<WebhookView>), AppError> {
    caller.require(Scope::Write)?;
    let f = checked(
        s.shop.settings.webhooks.allow_http,
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
    let row = webhooks::create(&s.shop.db, &f, &secret, storage::now_ms()).await?;
    let mut view = WebhookView::from(row);
    view.secret = Some(secret);
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    responses((status = 200, body = Vec<WebhookView>)), security(("token" = ["write"])))]
/// List subscriptions.
pub async fn list(
    State(s): State<ApiState>,
    caller: Caller,
) -> Result<Json<Vec<WebhookView>>, AppError> {
    caller.require(Scope::Write)?;
    Ok(Json(
        webhooks::list(&s.shop.db)
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
    State(s): State<ApiState>,
    caller: Caller,
    Id(id): Id<i64>,
) -> Result<Json<WebhookView>, AppError> {
    caller.require(Scope::Write)?;
    Ok(Json(load(&s, id).await?.into()))
}

#[utoipa::path(patch, path = "/api/v1/webhooks/{id}", tag = "webhooks", params(("id" = i64, Path)),
    request_body = WebhookPatch, responses((status = 200, body = WebhookView)), security(("token" = ["write"])))]
/// Change a subscription; takes effect at once. `"active": true` re-enables it.
pub async fn update(
    State(s): State<ApiState>,
    caller: Caller,
    Id(id): Id<i64>,
    Body(p): Body<WebhookPatch>,
) -> Result<Json<WebhookView>, AppError> {
    caller.require(Scope::Write)?;
    let row = load(&s, id).await?;
    let f = checked(
        s.shop.settings.webhooks.allow_http,
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
    let row = webhooks::update(&s.shop.db, id, &f, storage::now_ms())
        .await?
        .ok_or_else(not_found)?;
    crate::webhooks::poke();
    Ok(Json(row.into()))
}

#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks", params(("id" = i64, Path)),
    responses((status = 204, description = "deleted")), security(("token" = ["write"])))]
/// Delete a subscription; its pending deliveries are dropped.
pub async fn delete(
    State(s): State<ApiState>,
    caller: Caller,
    Id(id): Id<i64>,
) -> Result<StatusCode, AppError> {
    caller.require(Scope::Write)?;
    if webhooks::delete(&s.shop.db, id).await? {
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
    State(s): State<ApiState>,
    caller: Caller,
    Id(id): Id<i64>,
) -> Result<Json<WebhookView>, AppError> {
    caller.require(Scope::Write)?;
    let row = load(&s, id).await?;
    let secret = sign::new_secret();
    let now = storage::now_ms();
    webhooks::rotate(&s.shop.db, id, &secret, now, now + ROTATION_GRACE_MS).await?;
    let mut view = WebhookView::from(row);
    view.secret = Some(secret);
    Ok(Json(view))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AttemptView {
    pub id: i64,
    pub delivery_id: i64,
    pub event_id: String,
    pub event_type: String,
    pub attempt: i64,
    pub at: i64,
    /// Null when no HTTP answer came (timeout, refused connection).
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    /// The first KiB of the answer.
    pub response_body: Option<String>,
    pub error: Option<String>,
    pub next_retry_at: Option<i64>,
}

impl From<AttemptRow> for AttemptView {
    fn from(a: AttemptRow) -> Self {
        Self {
            id: a.id,
            delivery_id: a.delivery_id,
            event_id: a.event_id,
            event_type: a.event_type,
            attempt: a.attempt,
            at: a.at,
            status_code: a.status_code,
            latency_ms: a.latency_ms,
            response_body: a.response_body,
            error: a.error,
            next_retry_at: a.next_retry_at,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/webhooks/{id}/logs", tag = "webhooks", params(("id" = i64, Path), Page),
    responses((status = 200, body = Paged<AttemptView>)), security(("token" = ["write"])))]
/// Every attempt, newest first.
pub async fn logs(
    State(s): State<ApiState>,
    caller: Caller,
    Id(id): Id<i64>,
    Params(page): Params<Page>,
) -> Result<Json<Paged<AttemptView>>, AppError> {
    caller.require(Scope::Write)?;
    let (limit, offset) = page.resolve()?;
    load(&s, id).await?;
    let rows = attempts::log(&s.shop.db, id, limit, offset).await?;
    Ok(Json(Paged::from_rows(
        rows,
        limit,
        offset,
        AttemptView::from,
    )))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// The window, in hours back from now (1 to 720, default 24).
    pub hours: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Stats {
    pub hours: i64,
    pub attempts: i64,
    pub succeeded: i64,
    pub failed: i64,
    /// Succeeded ÷ attempts, 0 to 1; null without attempts.
    pub success_rate: Option<f64>,
    pub p50_latency_ms: Option<i64>,
    pub p95_latency_ms: Option<i64>,
    /// Deliveries now pending, delivered and failed (all time).
    pub pending: i64,
    pub delivered: i64,
    pub failed_deliveries: i64,
}

#[utoipa::path(get, path = "/api/v1/webhooks/{id}/stats", tag = "webhooks", params(("id" = i64, Path), StatsQuery),
    responses((status = 200, body = Stats)), security(("token" = ["write"])))]
/// Outcome counts, success rate and latency over a window.
pub async fn stats(
    State(s): State<ApiState>,
    caller: Caller,
    Id(id): Id<i64>,
    Params(q): Params<StatsQuery>,
) -> Result<Json<Stats>, AppError> {
    caller.require(Scope::Write)?;
    let hours = q.hours.unwrap_or(24);
    if !(1..=720).contains(&hours) {
        return Err(AppError::field("hours", "must be between 1 and 720"));
    }
    load(&s, id).await?;
    let rows = attempts::window(&s.shop.db, id, storage::now_ms() - hours * 3_600_000).await?;
    let ok = rows
        .iter()
        .filter(|(c, _)| c.is_some_and(|c| (200..300).contains(&c)))
        .count() as i64;
    let n = rows.len() as i64;
    let pick = |q: f64| (n > 0).then(|| rows[(((n - 1) as f64) * q).round() as usize].1);
    let counts = attempts::delivery_counts(&s.shop.db, id).await?;
    let count = |st: &str| counts.iter().find(|(k, _)| k == st).map_or(0, |(_, v)| *v);
    Ok(Json(Stats {
        hours,
        attempts: n,
        succeeded: ok,
        failed: n - ok,
        success_rate: (n > 0).then(|| ok as f64 / n as f64),
        p50_latency_ms: pick(0.5),
        p95_latency_ms: pick(0.95),
        pending: count("pending"),
        delivered: count("delivered"),
        failed_deliveries: count("failed"),
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({"eventType": "order.created"}))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestRequest {
    /// An event type to send instead of `webhook.test`.
    pub event_type: Option<String>,
    /// The `data` to send instead of a sample.
    #[schema(value_type = Option<Object>)]
    pub payload: Option<serde_json::Value>,
}

#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", tag = "webhooks", params(("id" = i64, Path)),
    request_body = TestRequest,
    responses((status = 200, body = Sent, description = "the attempt's outcome, the signed string and the signatures")),
    security(("token" = ["write"])))]
/// Send a test event now, and see exactly what was signed and how the endpoint answered.
pub async fn test(
    State(s): State<ApiState>,
    caller: Caller,
    Id(id): Id<i64>,
    Body(req): Body<TestRequest>,
) -> Result<Json<Sent>, AppError> {
    caller.require(Scope::Write)?;
    let sub = load(&s, id).await?;
    let kind = req.event_type.unwrap_or_else(|| "webhook.test".into());
    if !EVENT_TYPES.contains(&kind.as_str()) {
        return Err(AppError::field("eventType", "is not an event type"));
    }
    let data = req.payload.unwrap_or_else(|| sample(&kind));
    if !data.is_object() || data.to_string().len() > 16_384 {
        return Err(AppError::field(
            "payload",
            "must be a JSON object of at most 16 KiB",
        ));
    }
    Ok(Json(s.deliverer.test(&sub, &kind, data).await?))
}

/// A plausible `data` for each event type.
fn sample(kind: &str) -> serde_json::Value {
    use serde_json::json;
    let item = json!({"id": 1, "name": "hammer", "sku": "HAM-16"});
    let order = json!({"id": 1, "number": "A7K2", "contact": "27825550142", "status": "placed",
        "source": "chat", "currency": null, "lines": [{"item_id": 1, "name": "hammer", "quantity": 2, "price_minor": 18999}]});
    match kind {
        "inventory.updated" => {
            json!({"item": item, "change": -2, "quantity_before": 10, "quantity_after": 8,
            "reason": "order", "actor": "27825550142", "source_message_id": "wamid.TEST"})
        }
        "stock.low" => json!({"item": item, "quantity": 4, "threshold": 5}),
        k if k.starts_with("order.") => json!({"order": order}),
        k if k.starts_with("message.") => {
            json!({"message_id": "wamid.TEST", "from": "27825550142", "text": "do you have hammers?"})
        }
        _ => json!({"message": "This is a test event from backroom."}),
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Requeued {
    /// How many deliveries will be sent again.
    pub requeued: i64,
}

#[utoipa::path(post, path = "/api/v1/webhooks/{id}/logs/{attempt}/retry", tag = "webhooks",
    params(("id" = i64, Path), ("attempt" = i64, Path, description = "an attempt id or a delivery id")),
    responses((status = 200, body = Requeued)), security(("token" = ["write"])))]
/// Send a finished delivery again now.
pub async fn retry(
    State(s): State<ApiState>,
    caller: Caller,
    Id((id, attempt)): Id<(i64, i64)>,
) -> Result<Json<Requeued>, AppError> {
    caller.require(Scope::Write)?;
    load(&s, id).await?;
    if !attempts::exists(&s.shop.db, id, attempt).await? {
        return Err(AppError::NotFound(
            "no such delivery or attempt for this webhook".into(),
        ));
    }
    let n = attempts::requeue(&s.shop.db, id, Some(attempt), None, storage::now_ms()).await?;
    crate::webhooks::poke();
    Ok(Json(Requeued { requeued: n }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReplayQuery {
    /// Failed deliveries created since this time (ms since the epoch).
    pub since: i64,
}

#[utoipa::path(post, path = "/api/v1/webhooks/{id}/replay", tag = "webhooks", params(("id" = i64, Path), ReplayQuery),
    responses((status = 200, body = Requeued)), security(("token" = ["write"])))]
/// Send every failed delivery since a time again (after fixing an endpoint).
pub async fn replay(
    State(s): State<ApiState>,
    caller: Caller,
    Id(id): Id<i64>,
    Params(q): Params<ReplayQuery>,
) -> Result<Json<Requeued>, AppError> {
    caller.require(Scope::Write)?;
    load(&s, id).await?;
    let n = attempts::requeue(&s.shop.db, id, None, Some(q.since), storage::now_ms()).await?;
    crate::webhooks::poke();
    Ok(Json(Requeued { requeued: n }))
}
