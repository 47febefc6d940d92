//! A subscription's deliveries: the attempt log, stats, a test event, and
//! sending attempts or whole periods again.

use axum::{Json, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiState,
    auth::Writer,
    extract::{Id, OptionalBody, Page, Paged, Params},
    subscriptions::load,
};
use crate::{
    domain::{
        delivery::Outcome,
        event::{Event, EventType, WebhookTest},
        sample::sample,
    },
    error::AppError,
    events::Sent,
    storage::{
        self,
        attempts::{self, AttemptRow},
    },
};

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
    _: Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
    Params(page): Params<Page>,
) -> Result<Json<Paged<AttemptView>>, AppError> {
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
    _: Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
    Params(q): Params<StatsQuery>,
) -> Result<Json<Stats>, AppError> {
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
        pending: count(Outcome::Pending.as_str()),
        delivered: count(Outcome::Delivered.as_str()),
        failed_deliveries: count(Outcome::Failed.as_str()),
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({"eventType": "order.created"}))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestRequest {
    /// An event type whose sample `data` the test carries (under `sample`).
    pub event_type: Option<String>,
    /// The sample to carry instead of the built-in one.
    #[schema(value_type = Option<Object>)]
    pub payload: Option<serde_json::Value>,
}

#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", tag = "webhooks", params(("id" = i64, Path)),
    request_body(content = Option<TestRequest>, description = "optional: with no body, a plain `webhook.test`"),
    responses((status = 200, body = Sent, description = "the attempt's outcome, the signed string and the signatures")),
    security(("token" = ["write"])))]
/// Send a test event now, and see exactly what was signed and how the endpoint answered.
pub async fn test(
    _: Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
    OptionalBody(req): OptionalBody<TestRequest>,
) -> Result<Json<Sent>, AppError> {
    let sub = load(&s, id).await?;
    // A test is always `webhook.test`: a sample of another type rides inside
    // it, so a token holder cannot make a subscriber act on a forged event
    // signed with its real secret.
    let mut data = WebhookTest::plain();
    if let Some(kind) = req.event_type {
        let Some(kind) = kind.parse().ok().filter(|k| *k != EventType::WebhookTest) else {
            return Err(AppError::field("eventType", "is not an event type"));
        };
        let sample = req.payload.unwrap_or_else(|| sample(kind).data());
        if !sample.is_object() || sample.to_string().len() > 16_384 {
            return Err(AppError::field(
                "payload",
                "must be a JSON object of at most 16 KiB",
            ));
        }
        data.sample_event = Some(kind);
        data.sample = Some(sample);
    } else if req.payload.is_some() {
        return Err(AppError::field("payload", "goes with eventType"));
    }
    Ok(Json(
        s.deliverer.test(&sub, Event::WebhookTest(data)).await?,
    ))
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
    _: Writer,
    State(s): State<ApiState>,
    Id((id, attempt)): Id<(i64, i64)>,
) -> Result<Json<Requeued>, AppError> {
    load(&s, id).await?;
    if !attempts::exists(&s.shop.db, id, attempt).await? {
        return Err(AppError::NotFound(
            "no such delivery or attempt for this webhook".into(),
        ));
    }
    let n = attempts::requeue(&s.shop.db, id, Some(attempt), None, storage::now_ms()).await?;
    s.shop.signals.wake_events();
    Ok(Json(Requeued { requeued: n }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReplayQuery {
    /// Since this time (ms since the epoch).
    pub since: i64,
    /// `true`: every event recorded since then that the subscription's
    /// patterns take, delivered or not, is sent (again), in order of recording —
    /// a backfill for a new or re-enabled subscription. Default: failed
    /// deliveries only.
    pub all: Option<bool>,
}

#[utoipa::path(post, path = "/api/v1/webhooks/{id}/replay", tag = "webhooks", params(("id" = i64, Path), ReplayQuery),
    responses((status = 200, body = Requeued)), security(("token" = ["write"])))]
/// Send every failed delivery since a time again (after fixing an endpoint), or with `all=true` every matching event since then.
pub async fn replay(
    _: Writer,
    State(s): State<ApiState>,
    Id(id): Id<i64>,
    Params(q): Params<ReplayQuery>,
) -> Result<Json<Requeued>, AppError> {
    load(&s, id).await?;
    let now = storage::now_ms();
    let n = if q.all.unwrap_or(false) {
        attempts::replay_all(&s.shop.db, id, q.since, now).await?
    } else {
        attempts::requeue(&s.shop.db, id, None, Some(q.since), now).await?
    };
    s.shop.signals.wake_events();
    Ok(Json(Requeued { requeued: n }))
}
