//! Meta's WhatsApp Cloud API, both directions.

/// The webhook Meta calls: handshake, signature, envelope, inbox writes.
pub mod inbound;
/// The outbox worker and the Graph API client that sends replies.
pub mod outbound;
