//! The conversation worker: reads the inbox, understands each message, applies
//! what the sender may do, and queues the reply.
//!
//! A batch of messages is understood outside any transaction (a parser or a
//! transcription may be a slow network call: `prepare`), then applied in one
//! transaction that also marks the messages done and writes the replies to the
//! outbox (`apply`). The inbox row flips to `done` only in the transaction that
//! changed the stock, so each message changes stock exactly once, whatever
//! crashes or replicas do.

mod apply;
mod confirm;
mod count_words;
mod counting;
mod decide;
mod orders;
mod prepare;
mod purchase_words;
mod purchasing;
pub mod replies;
mod selling;
mod shelf;
mod social;
mod special;
mod stock;
mod suggest;
mod transfer_words;
mod transfers;
mod turn;

use std::{sync::Arc, time::Duration};

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use self::prepare::Prepared;
use crate::{
    config::Settings,
    parsing::{KnownItems, Understanding},
    storage::{
        self, Db, contacts,
        inbox::{self, Completion},
        items,
    },
    whatsapp::outbound::{Handoff, graph::GraphClient},
};

/// Pause after a part batch: a few milliseconds on a message, for far fewer
/// (and cheaper per message) transactions under load.
const LINGER: Duration = Duration::from_millis(10);
/// Attempts before a message that keeps failing is set aside as `failed`.
const MAX_ATTEMPTS: i64 = 5;

/// Everything the worker needs; built once by the app.
#[derive(Clone)]
pub struct Conversation {
    pub db: Db,
    pub settings: Arc<Settings>,
    /// The default alert level can change while running.
    pub prefs: crate::config::prefs::Prefs,
    /// The shop's locations: a message changes the stock of its number's.
    pub places: Arc<crate::domain::location::Places>,
    pub understanding: Understanding,
    /// For downloading voice notes; absent in sandbox mode.
    pub graph: Option<GraphClient>,
    pub inbox_wake: Arc<Notify>,
    pub sender_wake: Arc<Notify>,
    /// Wakes the event deliverer after commits that recorded events.
    pub signals: crate::signals::Signals,
    /// This process's sender, when it runs one: fresh replies go straight to it.
    pub handoff: Option<Handoff>,
    /// Where the worker records that it is still turning, for `/readyz`.
    pub heartbeat: Arc<crate::health::Heartbeat>,
}

impl Conversation {
    /// Processes the next batch of pending messages; returns how many it took.
    pub async fn process_once(&self) -> Result<usize, sqlx::Error> {
        let lease = self.settings.worker_lease.as_millis() as i64;
        let batch = inbox::claim(
            &self.db,
            self.settings.process_batch,
            storage::now_ms(),
            lease,
        )
        .await?;
        if batch.is_empty() {
            return Ok(0);
        }
        let known = KnownItems::new(items::names(&self.db).await?);
        // Who keeps the stock colours how ambiguous wording is read (a prior,
        // not authority: `apply` checks each sender's role again).
        let keepers: std::collections::HashSet<String> =
            contacts::keepers(&self.db).await?.into_iter().collect();
        let prepared = self.prepare(batch, &known, &keepers).await;
        let taken = prepared.len();
        if let Err(e) = self.apply(&prepared, &known).await {
            tracing::warn!(error = %e, messages = taken, "batch failed; applying one by one");
            for p in &prepared {
                if let Err(e) = self.apply(std::slice::from_ref(p), &known).await {
                    self.set_aside(p, &e).await?;
                }
            }
        }
        Ok(taken)
    }

    /// Records a message's failure; after repeated failures it stops being retried.
    async fn set_aside(&self, p: &Prepared, e: &sqlx::Error) -> Result<(), sqlx::Error> {
        let id = p.record.id;
        tracing::error!(error = %e, id, attempts = p.record.attempts, "message could not be processed");
        if p.record.attempts < MAX_ATTEMPTS {
            let retry_at = storage::now_ms() + 1000 * p.record.attempts;
            return inbox::record_error(&self.db, id, &e.to_string(), retry_at).await;
        }
        let mut tx = self.db.begin().await?;
        let failed = Completion {
            id,
            status: crate::domain::message::InboxStatus::Failed,
            parser: None,
            parse_micros: None,
            intent: None,
            items: None,
            error: Some(e.to_string()),
        };
        inbox::complete(&mut tx, &[failed], storage::now_ms()).await?;
        tx.commit().await
    }

    /// Processes batches until `shutdown`; a batch in progress is finished first.
    pub async fn run(self, shutdown: CancellationToken) {
        while !shutdown.is_cancelled() {
            crate::health::Heartbeat::beat(&self.heartbeat.conversation);
            let pause = match self.process_once().await {
                Ok(n) if n >= self.settings.process_batch => continue,
                // A part batch: give the inbox a moment to fill so the next
                // transaction carries more messages.
                Ok(n) if n > 0 => {
                    tokio::time::sleep(LINGER).await;
                    continue;
                }
                Ok(_) => Duration::from_secs(1),
                Err(e) => {
                    tracing::error!(error = %e, "conversation worker error");
                    Duration::from_secs(1)
                }
            };
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = self.inbox_wake.notified() => {}
                _ = tokio::time::sleep(pause) => {}
            }
        }
    }
}
