//! Ingest and end-to-end benchmark.
//!
//! `cargo bench --bench ingest` starts the release `backroom` binary on SQLite
//! (and on PostgreSQL when `BENCH_DATABASE_URL` or `TEST_DATABASE_URL` is set),
//! a fast fake Graph API in this process, and fires signed single-message
//! webhook POSTs at it from `BENCH_CONCURRENCY` connections (default 32).
//!
//! It reports: accepted requests/s and p50/p99 latency to the 200; the
//! end-to-end rate (messages stored, parsed, applied to stock and replied to
//! at the fake Graph API, per second, first POST to last reply); how long the
//! backlog took to drain after the last 200; and the server's peak RSS.
//! `BENCH_MESSAGES` sets the message count (default 50,000);
//! `BENCH_INGEST_ONLY=1` runs the server with `RUN_WORKERS=false` to measure
//! the webhook path alone; `BENCH_SERVER_ENV="K=V K=V"` passes other settings.

#[path = "support.rs"]
mod support;

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use support::{
    Server, cpu_seconds, env_num, fire, on_each_database, record, signed_bodies, start_fake_graph,
    whatsapp_env,
};

#[tokio::main]
async fn main() {
    let messages = env_num("BENCH_MESSAGES", 50_000);
    let concurrency = env_num("BENCH_CONCURRENCY", 32);
    let rows = on_each_database(|url| async move { run(&url, messages, concurrency).await }).await;

    println!();
    println!(
        "ingest benchmark: {messages} signed webhook POSTs (one message each), concurrency {concurrency}"
    );
    println!(
        "| database | accepted req/s | p50 ms | p99 ms | end-to-end msg/s | drain after last 200 s | peak RSS MB | server CPU µs/msg |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (db, r) in rows {
        println!(
            "| {db} | {:.0} | {:.2} | {:.2} | {:.0} | {:.2} | {:.1} | {:.0} |",
            r.accepted_per_sec,
            r.p50_ms,
            r.p99_ms,
            r.e2e_per_sec,
            r.drain_secs,
            r.peak_rss_mb,
            r.server_cpu_us
        );
        if std::env::var_os("BENCH_INGEST_ONLY").is_some() {
            record(
                "ingest only (RUN_WORKERS=false)",
                db,
                "accepted req/s",
                r.accepted_per_sec,
            );
            record(
                "ingest only (RUN_WORKERS=false)",
                db,
                "p99 ms to the 200",
                r.p99_ms,
            );
        } else {
            record("ingest, end to end", db, "messages/s", r.e2e_per_sec);
            record("ingest, end to end", db, "p99 ms to the 200", r.p99_ms);
            record("ingest, end to end", db, "peak RSS MB", r.peak_rss_mb);
        }
    }
}

struct Report {
    accepted_per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
    e2e_per_sec: f64,
    drain_secs: f64,
    peak_rss_mb: f64,
    server_cpu_us: f64,
}

async fn run(database_url: &str, messages: usize, concurrency: usize) -> Report {
    let replies = Arc::new(AtomicU64::new(0));
    let graph = start_fake_graph(replies.clone()).await;
    let ingest_only = std::env::var_os("BENCH_INGEST_ONLY").is_some();
    let mut env = whatsapp_env(database_url, graph);
    env.insert("RUN_WORKERS", (!ingest_only).to_string());
    // BENCH_SERVER_ENV="PROCESS_BATCH=128 SENDER_CONCURRENCY=64" tries other settings.
    let extra = std::env::var("BENCH_SERVER_ENV").unwrap_or_default();
    for pair in extra.split_whitespace() {
        if let Some((k, v)) = pair.split_once('=') {
            env.insert(Box::leak(k.to_string().into_boxed_str()), v.to_string());
        }
    }
    let server = Server::start(&env);

    // Bodies are built and signed up front so the load generator stays light.
    let texts = [
        "added 3 screws",
        "sold 1 screw",
        "how many screws?",
        "added 2 bolts",
    ];
    let bodies = Arc::new(signed_bodies("bench", messages, &texts));
    let addr = server.addr.trim_start_matches("http://").to_string();
    let started = Instant::now();
    let mut latencies = fire(&addr, bodies, concurrency).await;
    let ingest_secs = started.elapsed().as_secs_f64();
    let last_ack = Instant::now();
    while !ingest_only && replies.load(Ordering::Relaxed) < messages as u64 {
        assert!(
            last_ack.elapsed() < Duration::from_secs(600),
            "backlog did not drain"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let e2e_secs = started.elapsed().as_secs_f64();
    let drain_secs = last_ack.elapsed().as_secs_f64();
    let peak_rss_mb = server.peak_rss_kb() as f64 / 1024.0;
    let server_cpu_us = cpu_seconds(server.child.id()) * 1e6 / messages as f64;
    latencies.sort_unstable();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    Report {
        accepted_per_sec: messages as f64 / ingest_secs,
        p50_ms: pct(0.50).as_secs_f64() * 1000.0,
        p99_ms: pct(0.99).as_secs_f64() * 1000.0,
        e2e_per_sec: messages as f64 / e2e_secs,
        drain_secs,
        peak_rss_mb,
        server_cpu_us,
    }
}
