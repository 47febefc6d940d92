//! A circuit breaker: after several failures in a row the LLM is skipped for a
//! while, so a provider that is down costs each message nothing rather than a
//! full timeout. After the pause one message tries again.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

#[derive(Debug)]
pub struct Breaker {
    threshold: u32,
    cooldown: Duration,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    failures: u32,
    open_until: Option<Instant>,
}

impl Breaker {
    pub fn new(threshold: u32, cooldown: Duration) -> Self {
        Self {
            threshold,
            cooldown,
            state: Mutex::new(State::default()),
        }
    }

    /// Whether to call the LLM now. While open, only after the cooldown, and
    /// then for one trial call at a time.
    pub fn allow(&self) -> bool {
        let mut s = self.state.lock().expect("breaker lock");
        match s.open_until {
            Some(until) if Instant::now() < until => false,
            Some(_) => {
                // Half-open: let this call through, hold the others back.
                s.open_until = Some(Instant::now() + self.cooldown);
                true
            }
            None => true,
        }
    }

    pub fn success(&self) {
        let mut s = self.state.lock().expect("breaker lock");
        s.failures = 0;
        s.open_until = None;
    }

    pub fn failure(&self) {
        let mut s = self.state.lock().expect("breaker lock");
        s.failures += 1;
        if s.failures >= self.threshold {
            s.open_until = Some(Instant::now() + self.cooldown);
        }
    }

    #[cfg(test)]
    pub fn is_open(&self) -> bool {
        let s = self.state.lock().expect("breaker lock");
        s.open_until.is_some_and(|until| Instant::now() < until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_threshold_and_retries_after_cooldown() {
        let b = Breaker::new(3, Duration::from_millis(30));
        for _ in 0..2 {
            assert!(b.allow());
            b.failure();
        }
        assert!(!b.is_open());
        b.failure();
        assert!(b.is_open() && !b.allow());
        std::thread::sleep(Duration::from_millis(40));
        assert!(b.allow(), "one trial after the cooldown");
        assert!(!b.allow(), "only one at a time");
        b.success();
        assert!(b.allow() && !b.is_open());
    }
}
