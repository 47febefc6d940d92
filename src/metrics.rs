//! Prometheus metrics at `/metrics`: counters and latency histograms kept in
//! process, and queue depths read from the database at scrape time.

use std::sync::LazyLock;

use axum::{extract::State, http::header, response::IntoResponse};
use prometheus_client::{
    encoding::{EncodeLabelSet, text::encode},
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram},
    registry::Registry,
};

use crate::storage::{self, Db};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Outcome {
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Path {
    pub parser: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Queue {
    pub queue: &'static str,
}

pub struct Metrics {
    pub webhooks: Family<Outcome, Counter>,
    /// Messages and statuses for a number that is not the shop's.
    pub ignored_other_number: Counter,
    /// Messages stored as `refused` for a malformed sender id.
    pub refused_senders: Counter,
    pub parses: Family<Path, Counter>,
    pub parse_seconds: Family<Path, Histogram>,
    pub stock_changes: Counter,
    pub replies: Family<Outcome, Counter>,
    pub deliveries: Family<Outcome, Counter>,
    pub delivery_seconds: Histogram,
    /// Catalogue batches sent to Meta, by outcome.
    pub catalog_batches: Family<Outcome, Counter>,
    depth: Family<Queue, Gauge>,
    oldest: Family<Queue, Gauge>,
    registry: Registry,
}

fn seconds() -> Histogram {
    Histogram::new([
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 15.0,
    ])
}

pub static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("backroom");
    let m = Metrics {
        webhooks: Family::default(),
        ignored_other_number: Counter::default(),
        refused_senders: Counter::default(),
        parses: Family::default(),
        parse_seconds: Family::new_with_constructor(seconds),
        stock_changes: Counter::default(),
        replies: Family::default(),
        deliveries: Family::default(),
        delivery_seconds: seconds(),
        catalog_batches: Family::default(),
        depth: Family::default(),
        oldest: Family::default(),
        registry: Registry::default(),
    };
    registry.register(
        "webhooks_received",
        "Meta webhook POSTs by outcome",
        m.webhooks.clone(),
    );
    registry.register(
        "webhook_items_ignored",
        "Messages and statuses acknowledged but ignored: sent to another phone number id",
        m.ignored_other_number.clone(),
    );
    registry.register(
        "messages_refused",
        "Messages stored but never processed: the sender id is not a WhatsApp number or user id",
        m.refused_senders.clone(),
    );
    registry.register(
        "messages_parsed",
        "Messages understood, by parser (rules or the LLM)",
        m.parses.clone(),
    );
    registry.register(
        "parse_seconds",
        "Time to understand a message, by parser",
        m.parse_seconds.clone(),
    );
    registry.register(
        "stock_changes",
        "Ledger lines written by chat messages",
        m.stock_changes.clone(),
    );
    registry.register(
        "replies",
        "WhatsApp send attempts by outcome",
        m.replies.clone(),
    );
    registry.register(
        "webhook_deliveries",
        "Webhook delivery attempts by outcome",
        m.deliveries.clone(),
    );
    registry.register(
        "webhook_delivery_seconds",
        "Webhook request latency",
        m.delivery_seconds.clone(),
    );
    registry.register(
        "catalog_batches",
        "WhatsApp catalogue batches by outcome (sent, retried, refused items)",
        m.catalog_batches.clone(),
    );
    registry.register("queue_depth", "Work waiting, by queue", m.depth.clone());
    registry.register(
        "queue_oldest_age_seconds",
        "Age of the oldest waiting item, by queue",
        m.oldest.clone(),
    );
    Metrics { registry, ..m }
});

/// Counts one event on a labelled counter.
pub fn count(family: &Family<Outcome, Counter>, outcome: &'static str) {
    family.get_or_create(&Outcome { outcome }).inc();
}

pub async fn serve(State(db): State<Db>) -> impl IntoResponse {
    let m = &*METRICS;
    let now = storage::now_ms();
    for d in storage::probe::queue_depths(&db).await {
        let queue = d.queue;
        m.depth.get_or_create(&Queue { queue }).set(d.waiting);
        m.oldest
            .get_or_create(&Queue { queue })
            .set(d.oldest_at.map_or(0, |t| (now - t) / 1000));
    }
    let mut out = String::new();
    let _ = encode(&mut out, &m.registry);
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        out,
    )
}
