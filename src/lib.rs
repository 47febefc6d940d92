//! backroom: a shop's stock, run over WhatsApp.
//!
//! A message arrives at the webhook (`ingress`), is stored in the inbox, read by
//! the conversation worker (`conversation`, `parsing`), applied to the stock
//! (`inventory`, `storage`), and answered through the Graph API (`sender`).

/// The developer REST API under `/api/v1`, its tokens and its reference.
pub mod api;
/// Wiring of database, workers and HTTP server.
pub mod app;
/// Command-line entry points.
pub mod cli;
/// Typed settings from the environment.
pub mod config;
/// The inbox worker: message in, stock changed, reply queued.
pub mod conversation;
/// The owner's dashboard and chat sandbox.
pub mod dashboard;
/// The HTTP error type.
pub mod error;
/// `/healthz` and `/readyz`.
pub mod health;
/// Meta's webhook: handshake, signature, envelope, inbox writes.
pub mod ingress;
/// Stock rules, in memory and free of I/O.
pub mod inventory;
/// Prometheus metrics.
pub mod metrics;
/// The client's address behind trusted proxies, and per-address failure limits.
pub mod net;
/// Free text to the parse contract.
pub mod parsing;
/// Encryption at rest for secrets backroom must read back.
pub mod secrets;
/// The outbox worker and the Graph API client.
pub mod sender;
/// Stock and order operations for the API.
pub mod shop;
/// SQL for SQLite and PostgreSQL.
pub mod storage;
/// The daily stock summary for owners.
pub mod summary;
/// Logging set-up.
pub mod telemetry;
/// Signed, durable delivery of events to subscriber URLs.
pub mod webhooks;
