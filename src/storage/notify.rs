//! Wake-ups across replicas on PostgreSQL: a transaction that records events
//! also sends `NOTIFY backroom_events` (delivered at commit), and every
//! replica listens, so the deliverer of any replica starts at once instead
//! of at its next poll. SQLite has one process; its own wake-ups suffice.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::{Stmt, WriteTx};

/// The channel events are announced on.
pub const EVENTS: &str = "backroom_events";

/// Queues the announcement in `tx` (PostgreSQL sends it at commit, once per
/// transaction however often it is queued).
pub fn events_recorded(tx: &mut WriteTx) {
    if tx.backend() == super::Backend::Postgres {
        tx.queue(Stmt::new("NOTIFY backroom_events"));
    }
}

/// Calls `wake` for each announcement until `stop`. The listener reconnects
/// by itself; an announcement lost meanwhile costs one poll interval.
pub async fn listen(url: String, wake: impl Fn() + Send + 'static, stop: CancellationToken) {
    loop {
        let listener = async {
            let mut l = sqlx::postgres::PgListener::connect(&url).await?;
            l.listen(EVENTS).await?;
            tracing::debug!("listening for events recorded by any replica");
            loop {
                l.recv().await?;
                wake();
            }
            #[allow(unreachable_code)]
            Ok::<(), sqlx::Error>(())
        };
        tokio::select! {
            _ = stop.cancelled() => return,
            r = listener => {
                if let Err(e) = r {
                    tracing::warn!(error = %e, "event announcements unavailable; polling until they return");
                }
            }
        }
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
        }
    }
}
