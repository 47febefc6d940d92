//! The catalogue sender: claims due updates, sends them as one items batch,
//! follows the batch to its end with the status check, and settles each
//! item (sent, retry with backoff, refused). Values are read when sending,
//! so an item changed ten times in the window is sent once, as it is now.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::{
    catalog::{CatalogError, ProductUpdate},
    graph::GraphClient,
};
use crate::{
    config::prefs::Prefs,
    domain::catalog,
    metrics::{self, METRICS},
    signals::Signals,
    storage::{
        self, Db,
        catalog_sync::{self, Due, Settled},
    },
};

/// Items per batch; Meta takes up to 5,000 and advises under 3,000.
const BATCH: i64 = 1000;
/// Attempts before an update is marked failed and shown to the owner.
const MAX_ATTEMPTS: i64 = 10;
/// Status checks before a batch is treated as lost and sent again.
const STATUS_CHECKS: u32 = 20;
/// The longest wait between retries.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// Idle poll, for updates recorded by another replica.
const IDLE: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct CatalogSync {
    pub db: Db,
    pub graph: GraphClient,
    pub catalog_id: String,
    /// The coalescing window; also the first retry's wait.
    pub delay: Duration,
    /// The lease on claimed updates: longer than a send and its checks.
    pub lease: Duration,
    pub signals: Signals,
    /// The shop's currency, read per send.
    pub prefs: Prefs,
}

impl CatalogSync {
    /// Sends due updates until `stop`.
    pub async fn run(self, stop: CancellationToken) {
        loop {
            let now = storage::now_ms();
            let lease = self.lease.as_millis() as i64;
            let wait = match catalog_sync::claim(&self.db, now, BATCH, lease).await {
                Ok(due) if !due.is_empty() => {
                    let outcomes = self.send(due).await;
                    if let Err(e) =
                        catalog_sync::settle(&self.db, &outcomes, storage::now_ms()).await
                    {
                        tracing::warn!(error = %e, "could not record catalogue outcomes");
                    }
                    continue;
                }
                Ok(_) => match catalog_sync::next_due(&self.db).await {
                    Ok(Some(at)) => Duration::from_millis((at - now).clamp(1, 30_000) as u64),
                    _ => IDLE,
                },
                Err(e) => {
                    tracing::warn!(error = %e, "could not claim catalogue updates");
                    Duration::from_secs(1)
                }
            };
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = self.signals.catalog_woken() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// One batch: every claimed item's outcome.
    pub async fn send(&self, due: Vec<Due>) -> Vec<(Due, Settled)> {
        let currency = self.prefs.get().currency;
        let (live, gone): (Vec<Due>, Vec<Due>) = due.into_iter().partition(|d| d.sku.is_some());
        let mut out: Vec<(Due, Settled)> =
            gone.into_iter().map(|d| (d, Settled::Dropped)).collect();
        if live.is_empty() {
            return out;
        }
        let updates: Vec<ProductUpdate> = live
            .iter()
            .map(|d| ProductUpdate {
                id: d.sku.clone().unwrap_or_default(),
                availability: catalog::availability(d.quantity),
                inventory: d.quantity,
                price: d.price_minor.map(|p| catalog::price(p, &currency)),
            })
            .collect();
        let result = self.batch(&updates).await;
        let now = storage::now_ms();
        match result {
            Ok((handle, refused)) => {
                let any_refused = !refused.is_empty();
                metrics::count(&METRICS.catalog_batches, "sent");
                if any_refused {
                    metrics::count(&METRICS.catalog_batches, "refused_items");
                }
                for d in live {
                    let sku = d.sku.clone().unwrap_or_default();
                    let settled = match refused.iter().find(|(id, _)| *id == sku) {
                        Some((_, error)) => Settled::Refused {
                            error: error.clone(),
                        },
                        None => Settled::Sent {
                            handle: handle.clone(),
                        },
                    };
                    out.push((d, settled));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, items = live.len(), "catalogue batch failed; will retry");
                metrics::count(&METRICS.catalog_batches, "retried");
                for d in live {
                    let wait = backoff(self.delay, d.attempts);
                    let settled = Settled::Retry {
                        error: e.to_string(),
                        at: now + wait.as_millis() as i64,
                        give_up: d.attempts >= MAX_ATTEMPTS,
                    };
                    out.push((d, settled));
                }
            }
        }
        out
    }

    /// Posts the batch and follows it to its end: the handle and the
    /// (retailer_id, error) of each item Meta refused.
    async fn batch(
        &self,
        updates: &[ProductUpdate],
    ) -> Result<(String, Vec<(String, String)>), CatalogError> {
        let accepted = self.graph.items_batch(&self.catalog_id, updates).await?;
        let mut refused: Vec<(String, String)> = accepted
            .validation_status
            .into_iter()
            .filter(|v| !v.errors.is_empty())
            .filter_map(|v| Some((v.retailer_id?, join(&v.errors))))
            .collect();
        let every = (self.delay / 2).clamp(Duration::from_millis(10), Duration::from_secs(1));
        for handle in &accepted.handles {
            let mut checks = 0;
            let status = loop {
                tokio::time::sleep(every).await;
                let status = self.graph.batch_status(&self.catalog_id, handle).await?;
                checks += 1;
                if status.is_over() {
                    break status;
                }
                if checks >= STATUS_CHECKS {
                    return Err(CatalogError::Transient(format!(
                        "batch {handle} still {:?} after {checks} checks",
                        status.status
                    )));
                }
            };
            if status.status == "error" && status.errors.is_empty() {
                return Err(CatalogError::Transient(format!(
                    "batch {handle} ended in error"
                )));
            }
            for problem in status.errors {
                match problem.id.clone() {
                    Some(id) => refused.push((id, problem.message)),
                    // An error naming no item: the whole batch is in doubt.
                    None => return Err(CatalogError::Transient(problem.message)),
                }
            }
        }
        let handle = accepted.handles.into_iter().next().unwrap_or_default();
        Ok((handle, refused))
    }
}

fn join(problems: &[super::catalog::Problem]) -> String {
    let all: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    all.join("; ")
}

/// The wait after the `attempts`-th failed attempt: the window doubled per
/// attempt, at most an hour.
fn backoff(base: Duration, attempts: i64) -> Duration {
    let factor = 1u32 << attempts.clamp(0, 20) as u32;
    base.saturating_mul(factor).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_stops_at_an_hour() {
        let base = Duration::from_secs(3);
        assert_eq!(backoff(base, 1), Duration::from_secs(6));
        assert_eq!(backoff(base, 2), Duration::from_secs(12));
        assert_eq!(backoff(base, 40), MAX_BACKOFF);
    }
}
