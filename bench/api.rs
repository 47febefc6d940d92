//! API read benchmark.
//!
//! `cargo bench --bench api` starts the release binary on SQLite (and on
//! PostgreSQL when `BENCH_DATABASE_URL` or `TEST_DATABASE_URL` is set), seeds
//! 500 items with 10 movements each through the API, then reads for
//! `BENCH_SECONDS` (default 5) from `BENCH_CONCURRENCY` connections (default
//! 32), cycling through the first ten pages of the item list and of the
//! ledger (newest first, as the dashboard reads them) and single items. It
//! reports requests/s and p50/p99 latency.

#[path = "support.rs"]
mod support;

use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use support::{Server, api_token, env_num, on_each_database, percentile, record};

const ITEMS: usize = 500;

#[tokio::main]
async fn main() {
    let seconds = env_num("BENCH_SECONDS", 5);
    let concurrency = env_num("BENCH_CONCURRENCY", 32);
    let rows = on_each_database(|url| async move { run(&url, seconds, concurrency).await }).await;
    println!();
    println!(
        "API read benchmark: {ITEMS} items × 10 movements; GET items (page of 50), one item, \
         movements (page of 50) for {seconds} s, concurrency {concurrency}"
    );
    println!("| database | requests/s | p50 ms | p99 ms |");
    println!("|---|---:|---:|---:|");
    for (db, (rate, p50, p99)) in rows {
        println!("| {db} | {rate:.0} | {p50:.2} | {p99:.2} |");
        record("API reads", db, "requests/s", rate);
        record("API reads", db, "p99 ms", p99);
    }
}

async fn run(database_url: &str, seconds: usize, concurrency: usize) -> (f64, f64, f64) {
    let token = api_token(database_url, "write");
    let env: HashMap<&str, String> = [
        ("DATABASE_URL", database_url.to_string()),
        ("PORT", "0".into()),
        ("HOST", "127.0.0.1".into()),
        ("API_RATE_LIMIT_PER_MINUTE", "1000000".into()),
        ("RUST_LOG", "warn,backroom::app=info".into()),
    ]
    .into_iter()
    .collect();
    let server = Server::start(&env);
    let http = reqwest::Client::new();
    let base = server.addr.clone();
    for i in 0..ITEMS {
        let item: serde_json::Value = http
            .post(format!("{base}/api/v1/items"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"name": format!("bench item {i}"), "sku": format!("B-{i}")}))
            .send()
            .await
            .expect("create item")
            .json()
            .await
            .expect("item JSON");
        let id = item["id"].as_i64().expect("item id");
        for k in 0..10 {
            let status = http
                .post(format!("{base}/api/v1/items/{id}/adjust"))
                .bearer_auth(&token)
                .json(&serde_json::json!({"delta": k + 1, "reason": "restock"}))
                .send()
                .await
                .expect("adjust")
                .status();
            assert!(status.is_success(), "adjust: {status}");
        }
    }

    // BENCH_API_ONLY=items|item|movements reads one kind only.
    let only = std::env::var("BENCH_API_ONLY").unwrap_or_default();
    let paths: Arc<Vec<String>> = Arc::new(
        (0..ITEMS)
            .flat_map(|i| {
                [
                    (
                        "items",
                        format!("/api/v1/items?limit=50&offset={}", (i % 10) * 50),
                    ),
                    ("item", format!("/api/v1/items/{}", i + 1)),
                    (
                        "movements",
                        format!("/api/v1/movements?limit=50&offset={}", (i % 10) * 50),
                    ),
                ]
            })
            .filter(|(kind, _)| only.is_empty() || *kind == only)
            .map(|(_, path)| path)
            .collect(),
    );
    let deadline = Instant::now() + Duration::from_secs(seconds as u64);
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|w| {
            let (paths, base, token) = (paths.clone(), base.clone(), token.clone());
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                let mut samples = Vec::new();
                let mut i = w * 31;
                while Instant::now() < deadline {
                    let path = &paths[i % paths.len()];
                    let t = Instant::now();
                    let r = http
                        .get(format!("{base}{path}"))
                        .bearer_auth(&token)
                        .send()
                        .await
                        .expect("read");
                    assert!(r.status().is_success(), "{path}: {}", r.status());
                    r.bytes().await.expect("body");
                    samples.push(t.elapsed().as_secs_f64() * 1000.0);
                    i += 1;
                }
                samples
            })
        })
        .collect();
    let mut samples: Vec<f64> = Vec::new();
    for w in workers {
        samples.extend(w.await.expect("worker"));
    }
    let secs = started.elapsed().as_secs_f64();
    samples.sort_by(f64::total_cmp);
    eprintln!(
        "{} requests; slowest {:.1} ms; mean {:.2} ms",
        samples.len(),
        samples.last().copied().unwrap_or(0.0),
        samples.iter().sum::<f64>() / samples.len().max(1) as f64
    );
    drop(server);
    (
        samples.len() as f64 / secs,
        percentile(&samples, 50.0),
        percentile(&samples, 99.0),
    )
}
