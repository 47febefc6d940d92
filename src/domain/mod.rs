//! The shop's vocabulary: states, events and rules as types. No I/O, no SQL,
//! no HTTP; every other layer may import it, and it imports nothing above it.

/// `Display` for a state enum with `as_str`, and, for one with `ALL` too,
/// `FromStr` and `TryFrom<String>` (the stored word back to the state)
/// failing with `order::Unknown`.
macro_rules! named {
    (display: $($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
    (parse: $($t:ty),*) => {$(
        impl std::str::FromStr for $t {
            type Err = $crate::domain::order::Unknown;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .into_iter()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::domain::order::Unknown(s.to_string()))
            }
        }

        impl TryFrom<String> for $t {
            type Error = $crate::domain::order::Unknown;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }
    )*};
}

/// The WhatsApp catalogue: availability, price form, update states.
pub mod catalog;
/// How a delivery attempt to a subscriber ended.
pub mod delivery;
/// Events subscribers receive: one type, one JSON shape, whoever causes it.
pub mod event;
/// The languages the shop answers in, detecting them, and plurals.
pub mod lang;
/// Why stock changed, in stored words and in words for people.
pub mod ledger;
/// Locations (branches, store rooms) and transfers between them.
pub mod location;
/// Inbound and outbound WhatsApp messages: their states.
pub mod message;
/// Prices in minor units and how people read them.
pub mod money;
/// Orders: status, source and the moves between them.
pub mod order;
/// The `data` of each event type.
pub mod payload;
/// Purchase orders to suppliers: status and event data.
pub mod purchase;
/// A sample event of each type.
pub mod sample;
/// WhatsApp's 24-hour customer-service window and Graph API error codes.
pub mod whatsapp;
