//! WhatsApp's rules as named values: the 24-hour customer-service window, the
//! Graph API error codes backroom acts on, and the markers it writes into
//! messages so it can recognise them when they come back.

/// A business may write free-form text to someone only within this long of
/// their last message; after that only an approved template goes through.
pub const WINDOW_MS: i64 = 24 * 3600 * 1000;
/// Room for the send itself: a message queued a minute before the window
/// closes may go out after it has.
pub const WINDOW_MARGIN_MS: i64 = 10 * 60 * 1000;
/// A message held for a closed window is stale after this long, and is
/// marked expired instead of sent when the person next writes.
pub const HOLD_FOR_MS: i64 = 72 * 3600 * 1000;

/// Whether free-form text to someone last heard from at `last_seen` arrives
/// while their window is still open.
pub fn window_is_open(last_seen: Option<i64>, now: i64) -> bool {
    last_seen.is_some_and(|at| at + WINDOW_MS - WINDOW_MARGIN_MS > now)
}

/// Whether someone wrote within the last 24 hours (no sending margin: for
/// reporting and for deciding whom to tell that the window closed).
pub fn wrote_within_window(last_seen: i64, now: i64) -> bool {
    last_seen > now - WINDOW_MS
}

/// Marks our own sends in `biz_opaque_callback_data`, so a status callback
/// names the outbox row it is about ("backroom:<id>").
pub const OPAQUE_PREFIX: &str = "backroom:";
/// What stands for a sign-in code in a stored message; the code itself is
/// kept sealed beside it and put in its place only in the Graph request.
pub const CODE_MASK: &str = "••••••";

/// Graph API error codes with a meaning of their own to backroom.
pub mod graph_code {
    /// The access token is invalid or expired.
    pub const TOKEN_INVALID: i64 = 190;
    /// Too many messages from this business number.
    pub const NUMBER_THROTTLED: i64 = 130429;
    /// An unknown error on Meta's side.
    pub const UNKNOWN: i64 = 131000;
    /// Service temporarily unavailable.
    pub const SERVICE_UNAVAILABLE: i64 = 131016;
    /// More than 24 hours since the person last wrote: only templates pass.
    pub const WINDOW_CLOSED: i64 = 131047;
    /// Too many messages to one recipient in a short time.
    pub const PAIR_THROTTLED: i64 = 131056;
    /// The business account is in maintenance.
    pub const MAINTENANCE: i64 = 131057;
    /// Rate limits of the Graph platform itself.
    pub const RATE_LIMITS: [i64; 4] = [4, 17, 341, 80007];

    /// Codes worth retrying: throttling, outages, maintenance.
    pub fn is_transient(code: i64) -> bool {
        matches!(
            code,
            1 | 2 | NUMBER_THROTTLED | UNKNOWN | SERVICE_UNAVAILABLE | PAIR_THROTTLED | MAINTENANCE
        ) || RATE_LIMITS.contains(&code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_closes_a_margin_before_24_hours() {
        let now = 10 * WINDOW_MS;
        assert!(window_is_open(
            Some(now - WINDOW_MS + WINDOW_MARGIN_MS + 1),
            now
        ));
        assert!(!window_is_open(
            Some(now - WINDOW_MS + WINDOW_MARGIN_MS),
            now
        ));
        assert!(!window_is_open(None, now));
        assert!(wrote_within_window(now - WINDOW_MS + 1, now));
        assert!(!wrote_within_window(now - WINDOW_MS, now));
    }

    #[test]
    fn throttling_and_outages_are_transient_and_the_window_is_not() {
        for code in [4, 130429, 131000, 131016, 131056, 131057, 80007] {
            assert!(graph_code::is_transient(code), "{code}");
        }
        for code in [190, 131047, 131026, 100] {
            assert!(!graph_code::is_transient(code), "{code}");
        }
    }
}
