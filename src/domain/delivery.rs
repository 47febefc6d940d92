//! How one delivery attempt of an event to a subscriber ended.

use serde::{Deserialize, Serialize};

/// Stored as the delivery's status and in each attempt's log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Delivered,
    /// To be tried again at `next_retry_at`.
    Pending,
    /// The schedule is spent, or the endpoint answered 410.
    Failed,
    /// A test send, logged but belonging to no delivery.
    Test,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Delivered => "delivered",
            Self::Pending => "pending",
            Self::Failed => "failed",
            Self::Test => "test",
        }
    }
}
