//! Group commit for the inbox.
//!
//! Each webhook request hands its messages to one writer task and waits for the
//! commit. The writer takes everything queued meanwhile into the same
//! transaction, so under load one fsync covers many requests and each request
//! still gets its 200 only once its rows are durable.

use crate::{domain::message::OutboundStatus, signals::Signals};
use std::{collections::HashSet, sync::Arc};

use tokio::sync::{Notify, mpsc, oneshot};

use super::envelope::Notification;
use crate::storage::{self, Db, WriteTx, inbox, outbound};

/// Items (messages + statuses) one transaction takes at most.
const MAX_BATCH: usize = 1024;

/// Handle used by request handlers to store a notification durably.
#[derive(Debug, Clone)]
pub struct Inbox {
    jobs: mpsc::Sender<Job>,
}

#[derive(Debug)]
struct Job {
    notification: Notification,
    done: oneshot::Sender<Result<(), String>>,
}

/// The inbox could not be written; Meta should retry later.
#[derive(Debug, thiserror::Error)]
#[error("inbox unavailable: {0}")]
pub struct InboxError(String);

impl Inbox {
    /// Starts the writer task. It stops once every `Inbox` handle is dropped.
    /// `wake` is notified whenever new messages were stored, and the event
    /// deliverer (through `signals`) when status callbacks were.
    pub fn spawn(
        db: Db,
        wake: Arc<Notify>,
        signals: Signals,
    ) -> (Self, tokio::task::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(4096);
        let task = tokio::spawn(run(db, rx, wake, signals));
        (Self { jobs: tx }, task)
    }

    /// Stores the notification's messages and statuses durably. Repeats of
    /// stored wamids (Meta redelivers for days) are accepted and ignored.
    pub async fn store(&self, notification: Notification) -> Result<(), InboxError> {
        if notification.messages.is_empty() && notification.statuses.is_empty() {
            return Ok(());
        }
        let (done, result) = oneshot::channel();
        self.jobs
            .send(Job { notification, done })
            .await
            .map_err(|_| InboxError("writer stopped".into()))?;
        result
            .await
            .map_err(|_| InboxError("writer stopped".into()))?
            .map_err(InboxError)
    }
}

async fn run(db: Db, mut rx: mpsc::Receiver<Job>, wake: Arc<Notify>, signals: Signals) {
    while let Some(first) = rx.recv().await {
        // Wait for the write turn before gathering: requests that arrive while
        // another writer holds it join this batch instead of the next one.
        let tx = db.begin().await;
        let mut size = weight(&first);
        let mut jobs = vec![first];
        while size < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => {
                    size += weight(&job);
                    jobs.push(job);
                }
                Err(_) => break,
            }
        }
        let statuses = jobs.iter().any(|j| !j.notification.statuses.is_empty());
        let result = match tx {
            Ok(tx) => write(tx, &jobs).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => reply(jobs, &Ok(())),
            // One bad request must not fail its neighbours: retry each alone.
            Err(e) if jobs.len() > 1 => {
                tracing::warn!(error = %e, jobs = jobs.len(), "inbox batch failed; retrying one by one");
                for job in jobs {
                    let result = match db.begin().await {
                        Ok(tx) => write(tx, std::slice::from_ref(&job)).await,
                        Err(e) => Err(e),
                    };
                    reply(vec![job], &result.map_err(|e| e.to_string()));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "inbox write failed");
                reply(jobs, &Err(e.to_string()));
            }
        }
        // Spurious wakes (all duplicates) cost the worker one empty read.
        wake.notify_one();
        if statuses {
            signals.wake_events();
        }
    }
}

fn reply(jobs: Vec<Job>, result: &Result<(), String>) {
    for job in jobs {
        let _ = job.done.send(result.clone());
    }
}

fn weight(job: &Job) -> usize {
    job.notification.messages.len() + job.notification.statuses.len()
}

/// Writes all jobs in one transaction.
async fn write(mut tx: WriteTx, jobs: &[Job]) -> Result<(), sqlx::Error> {
    let now = storage::now_ms();
    let mut seen = HashSet::new();
    let messages: Vec<_> = jobs
        .iter()
        .flat_map(|j| &j.notification.messages)
        .filter(|m| seen.insert((m.phone_number_id.as_str(), m.wamid.as_str())))
        .collect();
    let mut seen_status = HashSet::new();
    let statuses: Vec<_> = jobs
        .iter()
        .flat_map(|j| &j.notification.statuses)
        .filter(|s| seen_status.insert((s.wamid.as_str(), s.status.as_str())))
        .collect();
    let mut wamids: Vec<&str> = statuses.iter().map(|s| s.wamid.as_str()).collect();
    wamids.sort_unstable();
    wamids.dedup();

    inbox::insert(&mut tx, &messages, now);
    inbox::insert_statuses(&mut tx, &statuses, now);
    // A callback naming an outbox row settles a send a crash left in doubt.
    outbound::adopt(&mut tx, &statuses, now);
    outbound::apply_statuses(&mut tx, &wamids, now);
    // 131047 arrives after a 200: the message waits for the person to write.
    let refused: Vec<&str> = statuses
        .iter()
        .filter(|s| {
            s.status == OutboundStatus::Failed.as_str()
                && s.error_code == Some(crate::domain::whatsapp::graph_code::WINDOW_CLOSED)
        })
        .map(|s| s.wamid.as_str())
        .collect();
    storage::held::hold_refused(&mut tx, &refused, now);
    tx.commit().await?;
    Ok(())
}
