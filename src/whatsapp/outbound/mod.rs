//! The sender: delivers queued WhatsApp messages through the Graph API.
//!
//! Messages are claimed from the outbox with a lease, sent concurrently, and
//! their outcomes written back in batches. A transient failure is retried with
//! exponential backoff and jitter; a permanent one is recorded with Graph's
//! error and never retried.
//!
//! A claim is committed before its request goes out, so a crash leaves the
//! row leased: the send is in doubt (Graph may have accepted it). Graph has no
//! idempotency key, so an in-doubt message is not sent again at once; it
//! waits `SENDER_IN_DOUBT_SECS` for Meta's status callback, which names the
//! row through `biz_opaque_callback_data` and settles it as sent. Only if none
//! comes is it sent again.

pub mod catalog;
pub mod catalog_sync;
pub mod graph;
pub mod media;
pub mod pacing;
pub mod payload;
mod pipeline;
pub mod window;

/// Graph's error for a free-form message more than 24 hours after the user's
/// last message: only a template may be sent until they write again.
pub use crate::domain::whatsapp::graph_code::{TOKEN_INVALID, WINDOW_CLOSED};

use crate::{
    domain::message::{OutboundKind, OutboundStatus},
    signals::Signals,
};
use std::{sync::Arc, time::Duration};

use tokio::sync::{Notify, mpsc};

use self::graph::{GraphClient, GraphResult};
use crate::{
    config::SenderSettings,
    secrets::{self, Keys},
    storage::{
        self, Db,
        outbound::{self, OutboundJob, SendOutcome},
    },
};

/// Replies handed straight to this process's sender by the transaction that
/// wrote them (already leased to it), so they need no claim.
pub type Handoff = mpsc::UnboundedSender<Vec<OutboundJob>>;

#[derive(Clone)]
pub struct Sender {
    db: Db,
    graph: GraphClient,
    settings: SenderSettings,
    wake: Arc<Notify>,
    signals: Signals,
    pacing: Arc<pacing::Pacing>,
    /// Opens the sealed sign-in codes that messages carry.
    keys: Keys,
}

impl Sender {
    pub fn new(
        db: Db,
        graph: GraphClient,
        settings: SenderSettings,
        wake: Arc<Notify>,
        signals: Signals,
        keys: Keys,
    ) -> Self {
        Self {
            db,
            graph,
            pacing: Arc::new(pacing::Pacing::new(&settings)),
            settings,
            wake,
            signals,
            keys,
        }
    }

    fn in_doubt_ms(&self) -> i64 {
        self.settings.in_doubt.as_millis() as i64
    }

    fn lease_ms(&self) -> i64 {
        self.settings.lease().as_millis() as i64
    }

    /// One transaction: records finished attempts, then claims up to `want`
    /// due messages. Sharing the commit halves the write transactions.
    pub(crate) async fn cycle(
        &self,
        outcomes: &[(i64, SendOutcome)],
        want: usize,
    ) -> Result<Vec<OutboundJob>, sqlx::Error> {
        let now = storage::now_ms();
        let mut tx = self.db.begin().await?;
        outbound::record(&mut tx, outcomes, now);
        // Accepted sends record `message.sent` events, which may have subscribers.
        let sent = outcomes
            .iter()
            .any(|(_, o)| matches!(o, SendOutcome::Accepted { .. }));
        if want == 0 {
            tx.commit().await?;
            if sent {
                self.signals.wake_events();
            }
            return Ok(Vec::new());
        }
        let claim = outbound::claim(&tx, want, now, self.lease_ms(), self.in_doubt_ms());
        let mut jobs: Vec<OutboundJob> = tx.commit_with(claim).await?;
        if sent {
            self.signals.wake_events();
        }
        jobs.sort_by_key(|j| j.id);
        Ok(jobs)
    }

    /// Claims what is due, sends it all, records the outcomes; returns how many
    /// messages were attempted. `run` pipelines the same steps.
    pub async fn drain_once(&self) -> Result<usize, sqlx::Error> {
        let jobs = self.cycle(&[], self.settings.concurrency).await?;
        let outcomes = futures::future::join_all(jobs.into_iter().map(|j| self.attempt(j))).await;
        self.cycle(&outcomes, 0).await?;
        Ok(outcomes.len())
    }

    /// How long to sleep when there is nothing to do: until the next retry is
    /// due, at most a second (other replicas may queue work too).
    async fn idle_wait(&self) -> Duration {
        let next = outbound::next_due(&self.db, self.in_doubt_ms())
            .await
            .ok()
            .flatten();
        let wait = next.map_or(1000, |at| (at - storage::now_ms()).clamp(5, 1000));
        Duration::from_millis(wait as u64)
    }

    /// How long sending pauses after Graph rejects the access token.
    fn token_pause(&self) -> Duration {
        self.settings.retry_max.min(Duration::from_secs(60))
    }

    pub(crate) async fn attempt(&self, job: OutboundJob) -> (i64, SendOutcome) {
        // While the token is known bad, hold every message instead of sending
        // (and failing) it; one probe per pause finds out whether it was fixed.
        let pause = self.token_pause().as_millis() as i64;
        if let Some(rejected_at) = self.signals.token_rejected_at()
            && storage::now_ms() < rejected_at + pause
        {
            let message = "held: WhatsApp rejected the access token (190)".to_string();
            return (
                job.id,
                SendOutcome::Retry {
                    at: rejected_at + pause,
                    code: Some(TOKEN_INVALID),
                    message,
                },
            );
        }
        let recipient = (job.kind != OutboundKind::Read.as_str()).then_some(job.recipient.as_str());
        let admitted = self
            .pacing
            .admit(&job.phone_number_id, recipient, storage::now_ms())
            .await;
        if let Err(at) = admitted {
            return (job.id, SendOutcome::Deferred { at });
        }
        let mut body = payload::for_job(&job);
        if let Some(sealed) = &job.sealed {
            match self.keys.open(secrets::Purpose::LoginCode, sealed) {
                // The code goes into the request only, never back to the database.
                Ok(code) => body = body.replace(window::CODE_MASK, &code),
                Err(e) => {
                    tracing::error!(id = job.id, error = %e, "cannot send a sealed message");
                    let message = e.to_string();
                    return (
                        job.id,
                        SendOutcome::Failed {
                            code: None,
                            message,
                        },
                    );
                }
            }
        }
        let result = self.graph.send(&job.phone_number_id, body).await;
        if !matches!(
            result,
            GraphResult::Permanent {
                code: Some(TOKEN_INVALID),
                ..
            }
        ) && self.signals.token_rejected_at().is_some()
        {
            self.signals.token_accepted();
            tracing::info!("WhatsApp accepts the access token again; sending resumed");
        }
        let outcome = match result {
            GraphResult::Accepted { wamid, wa_id } => {
                tracing::debug!(%wamid, "sent");
                self.pacing.cleared(&job.phone_number_id, &job.recipient);
                SendOutcome::Accepted { wamid, wa_id }
            }
            GraphResult::Done => SendOutcome::Done,
            GraphResult::Permanent {
                code: Some(TOKEN_INVALID),
                message,
            } => {
                self.signals.token_rejected(storage::now_ms());
                tracing::error!(%message, "WhatsApp rejected the access token (190): sending is paused \
                    until WHATSAPP_ACCESS_TOKEN is fixed; messages are held, not failed");
                SendOutcome::Retry {
                    at: storage::now_ms() + pause,
                    code: Some(TOKEN_INVALID),
                    message,
                }
            }
            GraphResult::Permanent {
                code: Some(WINDOW_CLOSED),
                message,
            } => {
                tracing::info!(
                    id = job.id,
                    "outside the 24-hour window; held until they write"
                );
                SendOutcome::Held {
                    code: Some(WINDOW_CLOSED),
                    message: format!("held until they next write: {message}"),
                }
            }
            GraphResult::Permanent { code, message } => {
                tracing::warn!(id = job.id, ?code, %message, "send failed permanently");
                SendOutcome::Failed { code, message }
            }
            GraphResult::Transient { code, message, .. }
                if job.attempts >= i64::from(self.settings.max_attempts) =>
            {
                tracing::warn!(id = job.id, ?code, %message, "send failed; giving up");
                SendOutcome::Failed {
                    code,
                    message: format!("gave up after {} attempts: {message}", job.attempts),
                }
            }
            GraphResult::Transient {
                code,
                message,
                retry_after,
            } => {
                let now = storage::now_ms();
                // Throttling (130429, 131056) also holds back the number or the
                // recipient: this message waits at least as long.
                let mut delay = retry_delay(&self.settings, job.attempts, retry_after);
                let paused = code.and_then(|c| {
                    self.pacing
                        .throttled(c, &job.phone_number_id, &job.recipient, retry_after, now)
                });
                if let Some(until) = paused {
                    delay = delay.max(Duration::from_millis((until - now).max(0) as u64));
                }
                tracing::info!(id = job.id, ?code, %message, ?delay, "send failed; will retry");
                SendOutcome::Retry {
                    at: now + delay.as_millis() as i64,
                    code,
                    message,
                }
            }
        };
        let label = match &outcome {
            SendOutcome::Accepted { .. } => OutboundStatus::Accepted.as_str(),
            SendOutcome::Done => "done",
            SendOutcome::Retry { .. } | SendOutcome::Deferred { .. } => "retry",
            SendOutcome::Held { .. } => OutboundStatus::Held.as_str(),
            SendOutcome::Failed { .. } => "failed",
        };
        crate::metrics::count(&crate::metrics::METRICS.replies, label);
        (job.id, outcome)
    }
}

/// Exponential backoff with ±20 % jitter, never shorter than Graph asked for.
pub fn retry_delay(
    settings: &SenderSettings,
    attempts: i64,
    retry_after: Option<Duration>,
) -> Duration {
    let exp = attempts.clamp(1, 30) - 1;
    let base = settings
        .retry_base
        .saturating_mul(1u32 << exp.min(20))
        .min(settings.retry_max);
    let jitter = 0.8 + rand::random::<f64>() * 0.4;
    let mut delay = base.mul_f64(jitter);
    if let Some(asked) = retry_after {
        delay = delay.max(asked.min(Duration::from_secs(3600)));
    }
    delay
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> SenderSettings {
        SenderSettings {
            concurrency: 4,
            max_attempts: 8,
            retry_base: Duration::from_secs(1),
            retry_max: Duration::from_secs(60),
            request_timeout: Duration::from_secs(10),
            rate_per_number: 80,
            recipient_burst: 20,
            recipient_every: Duration::from_secs(6),
            in_doubt: Duration::from_secs(60),
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_respects_caps() {
        let s = settings();
        for _ in 0..100 {
            let d1 = retry_delay(&s, 1, None).as_secs_f64();
            assert!((0.8..=1.2).contains(&d1), "{d1}");
            let d3 = retry_delay(&s, 3, None).as_secs_f64();
            assert!((3.2..=4.8).contains(&d3), "{d3}");
            let d20 = retry_delay(&s, 20, None).as_secs_f64();
            assert!((48.0..=72.0).contains(&d20), "{d20}");
        }
        assert!(retry_delay(&s, 1, Some(Duration::from_secs(30))) >= Duration::from_secs(30));
    }
}
