//! Wake-ups and shared flags between the workers of one running app. One
//! `Signals` is made at start-up and handed to each part that needs it, so two
//! apps in one process (as in the tests) never wake or pause each other.

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

use tokio::sync::Notify;

#[derive(Clone, Default)]
pub struct Signals {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Recorded events may have deliveries due.
    events: Notify,
    /// Catalogue updates may be due.
    catalog: Notify,
    /// When Graph last rejected the access token (ms since the epoch; 0: not).
    token_rejected_at: AtomicI64,
}

impl Signals {
    /// Tells the event deliverer new deliveries may be due. Call after commit.
    pub fn wake_events(&self) {
        self.inner.events.notify_one();
    }

    /// Resolves when `wake_events` was called (or had been, since last time).
    pub async fn events_woken(&self) {
        self.inner.events.notified().await;
    }

    /// Tells the catalogue sender updates were recorded. Call after commit.
    pub fn wake_catalog(&self) {
        self.inner.catalog.notify_one();
    }

    /// Resolves when `wake_catalog` was called (or had been, since last time).
    pub async fn catalog_woken(&self) {
        self.inner.catalog.notified().await;
    }

    /// Graph rejected the access token at `now`: sending pauses.
    pub fn token_rejected(&self, now: i64) {
        self.inner.token_rejected_at.store(now, Ordering::Relaxed);
    }

    /// Graph accepted the access token again.
    pub fn token_accepted(&self) {
        self.inner.token_rejected_at.store(0, Ordering::Relaxed);
    }

    /// When the token was last rejected, if it has not been accepted since.
    pub fn token_rejected_at(&self) -> Option<i64> {
        Some(self.inner.token_rejected_at.load(Ordering::Relaxed)).filter(|&at| at > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_wake_before_the_wait_is_not_lost_and_flags_are_per_app() {
        let a = Signals::default();
        let b = Signals::default();
        a.wake_events();
        tokio::time::timeout(std::time::Duration::from_secs(1), a.events_woken())
            .await
            .expect("the earlier wake is kept");
        a.token_rejected(42);
        assert_eq!(a.token_rejected_at(), Some(42));
        assert_eq!(b.token_rejected_at(), None, "another app is not paused");
        a.token_accepted();
        assert_eq!(a.token_rejected_at(), None);
    }
}
