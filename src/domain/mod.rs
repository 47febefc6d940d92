//! The shop's vocabulary: states, events and rules as types. No I/O, no SQL,
//! no HTTP; every other layer may import it, and it imports nothing above it.

/// How a delivery attempt to a subscriber ended.
pub mod delivery;
/// Events subscribers receive: one type, one JSON shape, whoever causes it.
pub mod event;
/// The languages the shop answers in, detecting them, and plurals.
pub mod lang;
/// Inbound and outbound WhatsApp messages: their states.
pub mod message;
/// Orders: status, source and the moves between them.
pub mod order;
/// The `data` of each event type.
pub mod payload;
/// A sample event of each type.
pub mod sample;
/// WhatsApp's 24-hour customer-service window and Graph API error codes.
pub mod whatsapp;
