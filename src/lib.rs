//! backroom: a shop's stock, run over WhatsApp.
//!
//! A message arrives at the webhook (`whatsapp::inbound`), is stored in the inbox, read by
//! the conversation worker (`conversation`, `parsing`), applied to the stock
//! (`inventory`, `storage`), and answered through the Graph API (`whatsapp::outbound`).

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
/// The shop's vocabulary: states, events and rules as types (no I/O).
pub mod domain;
/// The HTTP error type.
pub mod error;
/// Signed, durable delivery of events to subscriber URLs (outgoing webhooks).
pub mod events;
/// `/healthz` and `/readyz`.
pub mod health;
/// Stock rules, in memory and free of I/O.
pub mod inventory;
/// Prometheus metrics.
pub mod metrics;
/// The client's address behind trusted proxies, and per-address failure limits.
pub mod net;
/// The use cases: stock changes and orders, for the chat, the API and the
/// dashboard alike, each with its events and notices.
pub mod ops;
/// Free text to the parse contract.
pub mod parsing;
/// Encryption at rest for secrets backroom must read back.
pub mod secrets;
/// Wake-ups and shared flags between the workers of one app.
pub mod signals;
/// SQL for SQLite and PostgreSQL.
pub mod storage;
/// The daily stock summary for owners.
pub mod summary;
/// Logging set-up.
pub mod telemetry;
/// Meta's side: the inbound webhook and the outbound Graph API sender.
pub mod whatsapp;
