//! Orders: their status and source, and the moves between statuses. Stored as
//! the lowercase words below; storage converts with `as_str`/`FromStr`.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where an order stands. An order holds its stock until it is fulfilled or
/// cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OrderStatus {
    Placed,
    Confirmed,
    Ready,
    Fulfilled,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 5] = [
        Self::Placed,
        Self::Confirmed,
        Self::Ready,
        Self::Fulfilled,
        Self::Cancelled,
    ];
    /// Statuses in which an order still holds stock and can be cancelled.
    pub const OPEN: [OrderStatus; 3] = [Self::Placed, Self::Confirmed, Self::Ready];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Placed => "placed",
            Self::Confirmed => "confirmed",
            Self::Ready => "ready",
            Self::Fulfilled => "fulfilled",
            Self::Cancelled => "cancelled",
        }
    }

    /// The statuses an order may move to from this one.
    pub fn allowed_next(self) -> &'static [OrderStatus] {
        match self {
            Self::Placed => &[
                Self::Confirmed,
                Self::Ready,
                Self::Fulfilled,
                Self::Cancelled,
            ],
            Self::Confirmed => &[Self::Ready, Self::Fulfilled, Self::Cancelled],
            Self::Ready => &[Self::Fulfilled, Self::Cancelled],
            Self::Fulfilled | Self::Cancelled => &[],
        }
    }

    /// The button that moves an order to this status.
    pub fn action(self) -> &'static str {
        match self {
            Self::Placed => "Reopen",
            Self::Confirmed => "Confirm",
            Self::Ready => "Mark ready",
            Self::Fulfilled => "Mark collected",
            Self::Cancelled => "Cancel…",
        }
    }

    /// The status for people.
    pub fn words(self) -> &'static str {
        match self {
            Self::Placed => "new — to confirm",
            Self::Confirmed => "confirmed — to get ready",
            Self::Ready => "ready for collection",
            Self::Fulfilled => "collected",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// `('placed', 'confirmed', 'ready')`, for SQL that filters open orders.
    pub fn open_sql_list() -> String {
        let quoted: Vec<String> = Self::OPEN
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        format!("({})", quoted.join(", "))
    }

    /// `placed, confirmed, …`, for messages that list the choices.
    pub fn list(of: &[OrderStatus]) -> String {
        let words: Vec<&str> = of.iter().map(|s| s.as_str()).collect();
        words.join(", ")
    }
}

/// A word that is not an order status (or source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown(pub String);

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown value {:?}", self.0)
    }
}

impl std::error::Error for Unknown {}

/// How an order was placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OrderSource {
    /// Typed in the chat.
    Chat,
    /// A WhatsApp catalogue cart.
    Catalog,
    /// The REST API.
    Api,
}

impl OrderSource {
    pub const ALL: [OrderSource; 3] = [Self::Chat, Self::Catalog, Self::Api];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Chat => "chat",
            Self::Catalog => "catalog",
            Self::Api => "api",
        }
    }
}

// `TryFrom<String>` reads the stored word (`sqlx(try_from = "String")` at the storage edge).
named!(display: OrderStatus, OrderSource);
named!(parse: OrderStatus, OrderSource);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_moves_only_go_forward() {
        for s in OrderStatus::ALL {
            assert_eq!(s.as_str().parse::<OrderStatus>(), Ok(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
            assert!(!s.allowed_next().contains(&OrderStatus::Placed));
        }
        for s in OrderSource::ALL {
            assert_eq!(s.as_str().parse::<OrderSource>(), Ok(s));
        }
        assert!("shipped".parse::<OrderStatus>().is_err());
        assert_eq!(
            OrderStatus::open_sql_list(),
            "('placed', 'confirmed', 'ready')"
        );
    }
}
