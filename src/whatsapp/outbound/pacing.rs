//! Staying inside WhatsApp's rate limits instead of colliding with them.
//!
//! Two limits apply: messages per second from one business number (130429
//! when exceeded) and messages to one user in a short time (131056, the "pair"
//! limit, about one every 6 s after a burst). Sends are paced under both, and
//! when Graph still reports one, every message on that number (or to that
//! user) waits out a backoff that grows with each report in a row and is never
//! shorter than what Graph asked for.

use std::{collections::HashMap, num::NonZeroU32, sync::Mutex, time::Duration};

use governor::{DefaultKeyedRateLimiter, Quota, clock::Clock};

use crate::config::SenderSettings;

pub use crate::domain::whatsapp::graph_code::{NUMBER_THROTTLED, PAIR_THROTTLED};

/// Where a backoff applies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Scope {
    Number(String),
    Recipient(String),
}

#[derive(Debug, Clone, Copy)]
struct Pause {
    until_ms: i64,
    /// Throttling reports in a row; each doubles the next backoff.
    strikes: u32,
}

pub struct Pacing {
    per_number: DefaultKeyedRateLimiter<String>,
    per_recipient: DefaultKeyedRateLimiter<String>,
    pauses: Mutex<HashMap<Scope, Pause>>,
}

impl Pacing {
    pub fn new(s: &SenderSettings) -> Self {
        let rate = NonZeroU32::new(s.rate_per_number.max(1)).expect("at least 1");
        let burst = NonZeroU32::new(s.recipient_burst.max(1)).expect("at least 1");
        let every = s.recipient_every.max(Duration::from_millis(1));
        Self {
            per_number: DefaultKeyedRateLimiter::keyed(Quota::per_second(rate)),
            per_recipient: DefaultKeyedRateLimiter::keyed(
                Quota::with_period(every)
                    .expect("non-zero period")
                    .allow_burst(burst),
            ),
            pauses: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for the number's turn, or says when to try instead (ms since the
    /// epoch) if the number or the recipient must not be written to yet.
    /// Read receipts are not messages to the user and skip the pair limit.
    pub async fn admit(&self, number: &str, recipient: Option<&str>, now: i64) -> Result<(), i64> {
        {
            let pauses = self.pauses.lock().expect("pacing lock");
            // Usually empty: then nothing is built for the lookups.
            if !pauses.is_empty() {
                let scopes = [
                    Some(Scope::Number(number.to_string())),
                    recipient.map(|r| Scope::Recipient(r.to_string())),
                ];
                for scope in scopes.iter().flatten() {
                    if let Some(p) = pauses.get(scope).filter(|p| p.until_ms > now) {
                        return Err(p.until_ms);
                    }
                }
            }
        }
        if let Some(r) = recipient {
            let key = r.to_string();
            if let Err(not_until) = self.per_recipient.check_key(&key) {
                let wait = not_until.wait_time_from(self.per_recipient.clock().now());
                return Err(now + wait.as_millis() as i64 + 1);
            }
            if self.per_recipient.len() > 50_000 {
                self.per_recipient.retain_recent();
            }
        }
        self.per_number.until_key_ready(&number.to_string()).await;
        Ok(())
    }

    /// Records a throttling error and returns when the number (130429) or the
    /// recipient (131056) may be written to again.
    pub fn throttled(
        &self,
        code: i64,
        number: &str,
        recipient: &str,
        retry_after: Option<Duration>,
        now: i64,
    ) -> Option<i64> {
        let (scope, first) = match code {
            NUMBER_THROTTLED => (Scope::Number(number.to_string()), Duration::from_secs(1)),
            PAIR_THROTTLED => (
                Scope::Recipient(recipient.to_string()),
                Duration::from_secs(6),
            ),
            _ => return None,
        };
        let mut pauses = self.pauses.lock().expect("pacing lock");
        let entry = pauses.entry(scope).or_insert(Pause {
            until_ms: 0,
            strikes: 0,
        });
        // Reports from sends that were already in flight do not count twice.
        if entry.until_ms > now {
            return Some(entry.until_ms);
        }
        entry.strikes = (entry.strikes + 1).min(8);
        let backoff = first
            .saturating_mul(1 << (entry.strikes - 1))
            .min(Duration::from_secs(300));
        let wait = backoff.max(
            retry_after
                .unwrap_or_default()
                .min(Duration::from_secs(3600)),
        );
        entry.until_ms = now + wait.as_millis() as i64;
        tracing::warn!(
            code,
            number,
            wait_ms = wait.as_millis() as u64,
            strikes = entry.strikes,
            "WhatsApp throttled us; backing off"
        );
        Some(entry.until_ms)
    }

    /// A send went through: the number's (and recipient's) strikes reset.
    pub fn cleared(&self, number: &str, recipient: &str) {
        let mut pauses = self.pauses.lock().expect("pacing lock");
        if pauses.is_empty() {
            return;
        }
        pauses.remove(&Scope::Number(number.to_string()));
        pauses.remove(&Scope::Recipient(recipient.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pacing(burst: u32) -> Pacing {
        Pacing::new(&SenderSettings {
            concurrency: 4,
            max_attempts: 8,
            retry_base: Duration::from_secs(1),
            retry_max: Duration::from_secs(60),
            request_timeout: Duration::from_secs(10),
            rate_per_number: 1000,
            recipient_burst: burst,
            recipient_every: Duration::from_secs(6),
            in_doubt: Duration::from_secs(60),
        })
    }

    #[tokio::test]
    async fn a_recipient_gets_a_burst_then_one_message_per_period() {
        let p = pacing(3);
        for _ in 0..3 {
            assert_eq!(p.admit("1", Some("27"), 0).await, Ok(()));
        }
        let later = p.admit("1", Some("27"), 0).await.unwrap_err();
        assert!((4_000..=6_001).contains(&later), "{later}");
        // Others are not held up, and read receipts skip the pair limit.
        assert_eq!(p.admit("1", Some("28"), 0).await, Ok(()));
        assert_eq!(p.admit("1", None, 0).await, Ok(()));
    }

    #[tokio::test]
    async fn throttling_backs_off_the_whole_number_and_grows() {
        let p = pacing(100);
        let until = p
            .throttled(NUMBER_THROTTLED, "1", "27", None, 1_000)
            .unwrap();
        assert_eq!(until, 2_000);
        assert_eq!(p.admit("1", Some("99"), 1_500).await, Err(2_000));
        assert_eq!(p.admit("2", Some("99"), 1_500).await, Ok(()));
        // A report while paused does not stack; the next one doubles.
        assert_eq!(
            p.throttled(NUMBER_THROTTLED, "1", "27", None, 1_600),
            Some(2_000)
        );
        assert_eq!(
            p.throttled(NUMBER_THROTTLED, "1", "27", None, 2_100),
            Some(4_100)
        );
        // Graph's Retry-After wins when longer.
        let p = pacing(100);
        let asked = Some(Duration::from_secs(30));
        assert_eq!(
            p.throttled(NUMBER_THROTTLED, "1", "27", asked, 0),
            Some(30_000)
        );
        p.cleared("1", "27");
        assert_eq!(p.admit("1", Some("27"), 1).await, Ok(()));
    }

    #[tokio::test]
    async fn pair_throttling_holds_only_that_recipient() {
        let p = pacing(100);
        assert_eq!(p.throttled(PAIR_THROTTLED, "1", "27", None, 0), Some(6_000));
        assert_eq!(p.admit("1", Some("27"), 10).await, Err(6_000));
        assert_eq!(p.admit("1", Some("28"), 10).await, Ok(()));
        assert_eq!(p.throttled(131000, "1", "27", None, 0), None);
    }
}
