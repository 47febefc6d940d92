//! Locations: the shop and its store rooms or branches, each reached by its
//! own WhatsApp number, and the transfers of stock between them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The location every shop starts with; stock from before locations is here,
/// and so is a change made without naming one (the API's default).
pub const FIRST: i64 = 1;

/// A location as the running app knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Location {
    pub id: i64,
    pub name: String,
    /// The business phone number id whose messages change this location's stock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number_id: Option<String>,
}

/// Every location, fixed while the app runs (they come from `WHATSAPP_NUMBERS`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places {
    pub all: Vec<Location>,
}

impl Places {
    /// The location a message to `phone_number_id` belongs to; the first one
    /// for a number no location has (the sandbox, a single-number shop).
    pub fn for_number(&self, phone_number_id: &str) -> i64 {
        self.all
            .iter()
            .find(|l| l.phone_number_id.as_deref() == Some(phone_number_id))
            .map_or(FIRST, |l| l.id)
    }

    pub fn get(&self, id: i64) -> Option<&Location> {
        self.all.iter().find(|l| l.id == id)
    }

    pub fn name(&self, id: i64) -> &str {
        self.get(id).map_or("Main", |l| l.name.as_str())
    }

    /// By name, ignoring case and surrounding space ("warehouse").
    pub fn by_name(&self, name: &str) -> Option<&Location> {
        let name = name.trim();
        self.all.iter().find(|l| l.name.eq_ignore_ascii_case(name))
    }

    /// More than one location: replies and pages then say where.
    pub fn several(&self) -> bool {
        self.all.len() > 1
    }

    /// The number a message from `id` is sent from, if it has its own.
    pub fn number_of(&self, id: i64) -> Option<&str> {
        self.get(id).and_then(|l| l.phone_number_id.as_deref())
    }
}

/// Where a transfer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferStatus {
    /// Out of the sending location, not yet (all) at the receiving one.
    InTransit,
    /// All of it arrived.
    Received,
}

impl TransferStatus {
    pub const ALL: [TransferStatus; 2] = [Self::InTransit, Self::Received];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InTransit => "in_transit",
            Self::Received => "received",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Self::InTransit => "in transit",
            Self::Received => "received",
        }
    }
}

named!(display: TransferStatus);
named!(parse: TransferStatus);

/// How events name a location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LocationRef {
    pub id: i64,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Places {
        Places {
            all: vec![
                Location {
                    id: 1,
                    name: "Main Street".into(),
                    phone_number_id: Some("106001".into()),
                },
                Location {
                    id: 2,
                    name: "Warehouse".into(),
                    phone_number_id: Some("106002".into()),
                },
            ],
        }
    }

    #[test]
    fn numbers_and_names_find_locations() {
        let p = places();
        assert_eq!(p.for_number("106002"), 2);
        assert_eq!(p.for_number("999"), FIRST);
        assert_eq!(p.by_name(" warehouse ").map(|l| l.id), Some(2));
        assert!(p.by_name("ware").is_none());
        assert_eq!(p.number_of(1), Some("106001"));
        assert!(p.several());
        assert_eq!("in_transit".parse(), Ok(TransferStatus::InTransit));
    }
}
