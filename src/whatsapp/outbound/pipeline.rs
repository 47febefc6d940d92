//! The sender's main loop: a window of concurrent sends fed by hand-offs and
//! claims, with outcomes written back in batches.
//!
//! Every database round is a write transaction, so rounds are batched:
//! outcomes are recorded once half the window has finished (or nothing is left
//! in flight, or `RECORD_AFTER` passed), and due work is claimed in the same
//! transaction once half the window is free and no hand-offs are waiting.

use std::{
    collections::VecDeque,
    sync::Arc,
    time::{Duration, Instant},
};

use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::Sender;
use crate::storage::outbound::{OutboundJob, SendOutcome};

/// Longest an outcome waits in memory for others to share its transaction.
const RECORD_AFTER: Duration = Duration::from_millis(5);

type Outcome = (i64, SendOutcome);

struct Window {
    sender: Sender,
    limit: usize,
    permits: Arc<Semaphore>,
    done_tx: mpsc::UnboundedSender<Outcome>,
    /// Handed-off jobs not yet started, with when they arrived.
    waiting: VecDeque<(Instant, OutboundJob)>,
}

impl Window {
    fn in_flight(&self) -> usize {
        self.limit - self.permits.available_permits()
    }

    fn start(&self, job: OutboundJob) {
        let permit = self
            .permits
            .clone()
            .try_acquire_owned()
            .expect("started only with a free permit");
        let (sender, done) = (self.sender.clone(), self.done_tx.clone());
        let span = tracing::info_span!(
            "send",
            id = job.id,
            request_id = job.request_id.as_deref().unwrap_or("-")
        );
        tokio::spawn(
            async move {
                let _ = done.send(sender.attempt(job).await);
                drop(permit);
            }
            .instrument(span),
        );
    }

    /// Starts waiting hand-offs while the window has room. A job that waited
    /// past half its lease is not started (its lease could run out mid-send)
    /// but handed back: never attempted, it is free to claim at once.
    fn start_waiting(&mut self, outcomes: &mut Vec<Outcome>) {
        let stale_after = self.sender.settings.lease() / 2;
        while self.permits.available_permits() > 0 {
            let Some((since, job)) = self.waiting.pop_front() else {
                break;
            };
            if since.elapsed() < stale_after {
                self.start(job);
            } else {
                tracing::debug!(id = job.id, "hand-off waited too long; handed back");
                outcomes.push(not_attempted(job.id));
            }
        }
    }
}

/// The outcome of a job this process leased but never sent: the lease ends
/// and the attempt is not counted, so no one need wait to see if it went.
fn not_attempted(id: i64) -> Outcome {
    (
        id,
        SendOutcome::Deferred {
            at: crate::storage::now_ms(),
        },
    )
}

impl Sender {
    /// Sends until `shutdown`, then lets the sends in flight finish and records
    /// them. Hand-offs not yet started are handed back, unattempted, for
    /// whichever process claims next.
    pub async fn run(
        self,
        mut handoffs: mpsc::UnboundedReceiver<Vec<OutboundJob>>,
        shutdown: CancellationToken,
    ) {
        let limit = self.settings.concurrency;
        let (done_tx, mut done_rx) = mpsc::unbounded_channel();
        let mut w = Window {
            sender: self,
            limit,
            permits: Arc::new(Semaphore::new(limit)),
            done_tx,
            waiting: VecDeque::new(),
        };
        let mut outcomes: Vec<Outcome> = Vec::new();
        let mut stopping = false;
        // Whether due work may be in the database: after a wake, a timeout or a full claim.
        let mut maybe_due = true;
        loop {
            if stopping && w.in_flight() == 0 && outcomes.is_empty() {
                // Hand-offs from the conversation worker's last batch go back too.
                while let Ok(jobs) = handoffs.try_recv() {
                    outcomes.extend(jobs.iter().map(|j| not_attempted(j.id)));
                }
                if outcomes.is_empty() {
                    break;
                }
            }
            let wait = if !outcomes.is_empty() {
                RECORD_AFTER
            } else if w.in_flight() == 0 && w.waiting.is_empty() {
                w.sender.idle_wait().await
            } else {
                Duration::from_secs(1)
            };
            let mut timed_out = false;
            tokio::select! {
                _ = shutdown.cancelled(), if !stopping => {
                    stopping = true;
                    while let Ok(jobs) = handoffs.try_recv() {
                        outcomes.extend(jobs.iter().map(|j| not_attempted(j.id)));
                    }
                    outcomes.extend(w.waiting.drain(..).map(|(_, j)| not_attempted(j.id)));
                }
                Some(outcome) = done_rx.recv() => outcomes.push(outcome),
                Some(jobs) = handoffs.recv(), if !stopping => {
                    let now = Instant::now();
                    w.waiting.extend(jobs.into_iter().map(|j| (now, j)));
                }
                _ = w.sender.wake.notified(), if !stopping => maybe_due = true,
                _ = tokio::time::sleep(wait) => timed_out = true,
            }
            if timed_out && outcomes.is_empty() {
                maybe_due = true;
            }
            while let Ok(outcome) = done_rx.try_recv() {
                outcomes.push(outcome);
            }
            if !stopping {
                while let Ok(jobs) = handoffs.try_recv() {
                    let now = Instant::now();
                    w.waiting.extend(jobs.into_iter().map(|j| (now, j)));
                }
                w.start_waiting(&mut outcomes);
            }

            let free = w.permits.available_permits();
            let want = if !stopping && maybe_due && w.waiting.is_empty() && free * 2 >= limit {
                free
            } else {
                0
            };
            let record = !outcomes.is_empty()
                && (outcomes.len() * 2 >= limit || w.in_flight() == 0 || timed_out || stopping);
            if want == 0 && !record {
                continue;
            }
            let recorded = if record { outcomes.as_slice() } else { &[] };
            match w.sender.cycle(recorded, want).await {
                Ok(jobs) => {
                    if record {
                        outcomes.clear();
                    }
                    maybe_due = want > 0 && jobs.len() == want;
                    for job in jobs {
                        w.start(job);
                    }
                }
                Err(e) => {
                    // Outcomes are kept and written next time; leases cover the gap.
                    tracing::error!(error = %e, "sender could not reach the database");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
            }
        }
    }
}
