//! Event webhooks: signed, durable delivery of recorded events to subscriber
//! URLs. Deliveries are written with their events (the outbox, see
//! `storage::events::insert`); this worker claims them, sends them, and
//! writes each attempt back, with retries, 410 handling and auto-disable.

mod attempt;
mod guard;
pub mod sign;
mod worker;

pub use attempt::{Sent, body_of};
pub use guard::{check_literal, check_url};
pub use worker::Deliverer;

use std::time::Duration;

/// The delay before the next attempt after `attempts` failed ones, or `None`
/// when the schedule is spent. ±20 % jitter; a `Retry-After` is honoured
/// when longer, up to a day.
pub fn next_delay(
    schedule: &[Duration],
    attempts: usize,
    retry_after: Option<Duration>,
) -> Option<Duration> {
    let base = *schedule.get(attempts)?;
    let jitter = 0.8 + rand::random::<f64>() * 0.4;
    let delay = base.mul_f64(jitter);
    Some(match retry_after {
        Some(asked) => delay.max(asked.min(Duration::from_secs(86_400))),
        None => delay,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_with_jitter_and_retry_after() {
        let s = [0, 5, 300].map(Duration::from_secs);
        let d = next_delay(&s, 1, None).unwrap();
        assert!(d >= Duration::from_secs(4) && d <= Duration::from_secs(6));
        assert_eq!(next_delay(&s, 3, None), None, "schedule spent");
        let asked = next_delay(&s, 1, Some(Duration::from_secs(60))).unwrap();
        assert_eq!(asked, Duration::from_secs(60));
        let capped = next_delay(&s, 1, Some(Duration::from_secs(10_000_000))).unwrap();
        assert_eq!(capped, Duration::from_secs(86_400));
    }
}
