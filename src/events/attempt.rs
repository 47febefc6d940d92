//! One signed request to a subscriber, and what its answer means for the
//! delivery: delivered, retried later (by the schedule or `Retry-After`), or
//! failed for good.

use std::time::{Duration, Instant, UNIX_EPOCH};

use serde::Serialize;
use utoipa::ToSchema;

use super::{Deliverer, guard, next_delay, sign};
use crate::domain::{delivery::Outcome, event::Event};
use crate::storage::{
    self,
    deliveries::{self, AttemptRecord, EventBody},
    subscriptions,
};

/// One request to make.
#[derive(Debug, Clone)]
pub(super) struct Job {
    pub(super) delivery_id: i64,
    pub(super) subscription_id: i64,
    pub(super) url: String,
    pub(super) secrets: Vec<String>,
    pub(super) event_id: String,
    pub(super) event_type: String,
    pub(super) body: String,
    pub(super) attempt: i64,
}

/// What one request came to, as the test button shows it.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct Sent {
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    /// The first KiB of the response.
    pub response_body: Option<String>,
    pub error: Option<String>,
    /// Exactly what `webhook-signature` signs: `{id}.{timestamp}.{body}`.
    pub signed_content: String,
    pub webhook_id: String,
    pub webhook_timestamp: i64,
    pub webhook_signature: String,
    pub x_webhook_signature: String,
}

/// The JSON body subscribers receive.
pub fn body_of(e: &EventBody) -> String {
    let at = UNIX_EPOCH + Duration::from_millis(e.created_at.max(0) as u64);
    format!(
        r#"{{"id":{},"event":{},"timestamp":"{}","data":{}}}"#,
        serde_json::Value::from(e.id.as_str()),
        serde_json::Value::from(e.kind.as_str()),
        humantime::format_rfc3339_millis(at),
        e.data
    )
}

impl Deliverer {
    /// Makes one signed request.
    async fn request(
        &self,
        url: &str,
        secrets: &[String],
        id: &str,
        kind: &str,
        body: &str,
        attempt: i64,
    ) -> (Sent, Option<Duration>) {
        let ts = storage::now_ms() / 1000;
        let mut sent = Sent {
            status_code: None,
            latency_ms: 0,
            response_body: None,
            error: None,
            signed_content: sign::signed_content(id, ts, body),
            webhook_id: id.to_string(),
            webhook_timestamp: ts,
            webhook_signature: sign::standard_header(secrets, id, ts, body),
            x_webhook_signature: secrets
                .first()
                .map(|s| sign::simple(s, body))
                .unwrap_or_default(),
        };
        let started = Instant::now();
        let target = guard::check_url(url, true).and_then(|u| {
            guard::check_literal(&u, self.shop.settings.webhooks.allow_private).map(|_| u)
        });
        let mut retry_after = None;
        match target {
            Err(e) => sent.error = Some(e),
            Ok(target) => {
                let request = self
                    .client
                    .post(target)
                    .header("content-type", "application/json")
                    .header("webhook-id", id)
                    .header("webhook-timestamp", ts.to_string())
                    .header("webhook-signature", sent.webhook_signature.as_str())
                    .header("x-webhook-event", kind)
                    .header("x-webhook-attempt", attempt.to_string())
                    .header("x-webhook-signature", sent.x_webhook_signature.as_str())
                    .body(body.to_string());
                match request.send().await {
                    Ok(res) => {
                        sent.status_code = Some(i64::from(res.status().as_u16()));
                        retry_after = res
                            .headers()
                            .get("retry-after")
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.trim().parse::<u64>().ok())
                            .map(Duration::from_secs);
                        let bytes = res.bytes().await.unwrap_or_default();
                        let cut = &bytes[..bytes.len().min(1024)];
                        sent.response_body = Some(String::from_utf8_lossy(cut).into_owned());
                    }
                    Err(e) => sent.error = Some(describe(&e)),
                }
            }
        }
        sent.latency_ms = started.elapsed().as_millis() as i64;
        (sent, retry_after)
    }

    pub(super) async fn attempt(&self, job: Job) -> AttemptRecord {
        let (sent, retry_after) = self
            .request(
                &job.url,
                &job.secrets,
                &job.event_id,
                &job.event_type,
                &job.body,
                job.attempt,
            )
            .await;
        let now = storage::now_ms();
        let code = sent.status_code.unwrap_or(0);
        let ok = (200..300).contains(&code);
        let gone = code == 410;
        let honour = matches!(code, 429 | 503).then_some(retry_after).flatten();
        let schedule = &self.shop.settings.webhooks.retry_schedule;
        let next = (!ok && !gone)
            .then(|| next_delay(schedule, job.attempt as usize, honour))
            .flatten()
            .map(|d| now + d.as_millis() as i64);
        let m = &crate::metrics::METRICS;
        m.delivery_seconds.observe(sent.latency_ms as f64 / 1000.0);
        crate::metrics::count(
            &m.deliveries,
            match (ok, next.is_some()) {
                (true, _) => crate::domain::delivery::Outcome::Delivered.as_str(),
                (false, true) => "retry",
                (false, false) => crate::domain::delivery::Outcome::Failed.as_str(),
            },
        );
        AttemptRecord {
            delivery_id: job.delivery_id,
            subscription_id: job.subscription_id,
            event_id: job.event_id,
            event_type: job.event_type,
            attempt: job.attempt,
            at: now,
            status_code: sent.status_code,
            latency_ms: sent.latency_ms,
            response_body: sent.response_body,
            error: sent.error.or_else(|| (!ok).then(|| format!("HTTP {code}"))),
            outcome: match (ok, next) {
                (true, _) => Outcome::Delivered,
                (false, Some(_)) => Outcome::Pending,
                (false, None) => Outcome::Failed,
            },
            next_retry_at: next,
            gone: i64::from(gone),
        }
    }

    /// Sends a test event to a subscription now and reports the attempt.
    pub async fn test(
        &self,
        sub: &subscriptions::SubscriptionRow,
        event: Event,
    ) -> Result<Sent, sqlx::Error> {
        let kind = event.kind().as_str();
        let now = storage::now_ms();
        let secrets: Vec<String> =
            subscriptions::signing_secrets(&self.shop.db, &self.shop.keys, &[sub.id], now)
                .await?
                .into_iter()
                .map(|(_, s)| s)
                .collect();
        let event = EventBody {
            id: storage::events::random_id(),
            kind: kind.to_string(),
            data: event.data().to_string(),
            created_at: now,
        };
        let (sent, _) = self
            .request(&sub.url, &secrets, &event.id, kind, &body_of(&event), 1)
            .await;
        let record = AttemptRecord {
            delivery_id: 0,
            subscription_id: sub.id,
            event_id: event.id,
            event_type: kind.to_string(),
            attempt: 1,
            at: now,
            status_code: sent.status_code,
            latency_ms: sent.latency_ms,
            response_body: sent.response_body.clone(),
            error: sent.error.clone(),
            outcome: Outcome::Test,
            next_retry_at: None,
            gone: 0,
        };
        let mut tx = self.shop.db.begin().await?;
        deliveries::log_only(&mut tx, &record);
        tx.commit().await?;
        Ok(sent)
    }
}

/// A short reason for a failed request, without the URL's query.
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_redirect() {
        "redirected (not followed)"
    } else {
        "request failed"
    };
    let mut source = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {detail}")
    }
}
