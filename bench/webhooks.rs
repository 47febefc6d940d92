//! Webhook delivery benchmark.
//!
//! `cargo bench --bench webhooks` starts the release `backroom` binary on
//! SQLite (and on PostgreSQL when `BENCH_DATABASE_URL` or `TEST_DATABASE_URL`
//! is set) with three subscriptions to `order.created` on a local sink, then:
//!
//! 1. **Backlog**: records `BENCH_EVENTS` (default 10,000) `order.created`
//!    events through the storage layer — the same insert that fans them out
//!    to deliveries in one transaction — and measures how fast the server
//!    delivers all 3 × N signed requests, each attempt logged.
//! 2. **Latency**: places orders through the API at 1,000 per second for
//!    `BENCH_SECONDS` (default 5) and measures event → arrival latency
//!    (the event's own timestamp to the sink receiving it).
//!
//! It prints deliveries/s, latency p50/p99 and the server's peak RSS.

#[path = "support.rs"]
mod support;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant, SystemTime},
};

use axum::{Router, body::Bytes, extract::State, routing::post};
use backroom::domain::{
    event::{Event, EventType},
    sample::sample,
};
use backroom::storage::{Db, events::NewEvent, now_ms};
use support::{Server, api_token, env_num, on_each_database, record};

#[derive(Default)]
struct Sink {
    /// (arrival, event time) per request.
    arrivals: Mutex<Vec<(Instant, SystemTime, SystemTime)>>,
}

#[tokio::main]
async fn main() {
    let events = env_num("BENCH_EVENTS", 10_000);
    let seconds = env_num("BENCH_SECONDS", 5);
    let rows = on_each_database(|url| async move { run(&url, events, seconds).await }).await;
    println!();
    println!(
        "webhook benchmark: {events} order.created events × 3 subscriptions; then orders at 1,000/s for {seconds} s"
    );
    println!(
        "| database | backlog deliveries/s | latency at 1,000 events/s: p50 ms | p99 ms | peak RSS MB |"
    );
    println!("|---|---:|---:|---:|---:|");
    for (db, r) in rows {
        println!(
            "| {db} | {:.0} | {:.2} | {:.2} | {:.1} |",
            r.0, r.1, r.2, r.3
        );
        record("event fan-out", db, "backlog deliveries/s", r.0);
        record("event fan-out", db, "p50 ms at 1,000 events/s", r.1);
        record("event fan-out", db, "p99 ms at 1,000 events/s", r.2);
    }
}

async fn run(database_url: &str, events: usize, seconds: usize) -> (f64, f64, f64, f64) {
    let sink = Arc::new(Sink::default());
    let sink_url = start_sink(sink.clone()).await;
    let token = api_token(database_url, "admin");
    let env: HashMap<&str, String> = [
        ("DATABASE_URL", database_url.to_string()),
        ("PORT", "0".into()),
        ("HOST", "127.0.0.1".into()),
        ("ALLOW_HTTP_WEBHOOKS", "true".into()),
        ("ALLOW_PRIVATE_WEBHOOKS", "true".into()),
        ("API_RATE_LIMIT_PER_MINUTE", "1000000".into()),
        ("RUST_LOG", "warn,backroom::app=info".into()),
    ]
    .into_iter()
    .collect();
    let server = Server::start(&env);
    let http = reqwest::Client::new();
    let call = |method: reqwest::Method, path: &str, body: serde_json::Value| {
        http.request(method, format!("{}{path}", server.addr))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    for i in 0..3 {
        let sub = serde_json::json!({"name": format!("sink {i}"), "url": sink_url, "events": ["order.created"]});
        assert_eq!(
            call(reqwest::Method::POST, "/api/v1/webhooks", sub)
                .await
                .unwrap()
                .status(),
            201
        );
    }

    // 1. The backlog: events recorded (and fanned out) in batches of 1,000.
    let db = Db::connect(database_url).await.expect("db");
    let started = Instant::now();
    for chunk in 0..events.div_ceil(1000) {
        let batch: Vec<NewEvent> = (0..1000.min(events - chunk * 1000))
            .map(|i| {
                let id = chunk * 1000 + i;
                let mut event = sample(EventType::OrderCreated);
                if let Event::OrderCreated(created) = &mut event {
                    created.order.id = id as i64;
                }
                NewEvent::new(event)
            })
            .collect();
        let mut tx = db.begin().await.expect("begin");
        backroom::storage::events::record(&mut tx, &batch, now_ms())
            .await
            .expect("record");
        tx.commit().await.expect("commit");
    }
    let wanted = events * 3;
    wait_for(&sink, wanted, Duration::from_secs(300)).await;
    let arrivals = std::mem::take(&mut *sink.arrivals.lock().unwrap());
    let first = arrivals.iter().map(|a| a.0).min().unwrap_or(started);
    let last = arrivals.iter().map(|a| a.0).max().unwrap_or(started);
    let rate = wanted as f64 / (last - first).as_secs_f64().max(1e-6);
    eprintln!(
        "backlog: {wanted} deliveries, first after {:?}, {:.0}/s",
        first - started,
        rate
    );

    // 2. Latency at 1,000 events/s: orders through the API.
    let (_, item) = {
        let r = call(
            reqwest::Method::POST,
            "/api/v1/items",
            serde_json::json!({"name": "hammer"}),
        )
        .await
        .unwrap();
        ((), r.json::<serde_json::Value>().await.unwrap())
    };
    let id = item["id"].as_i64().unwrap();
    let path = format!("/api/v1/items/{id}/adjust");
    call(
        reqwest::Method::POST,
        &path,
        serde_json::json!({"delta": 1_000_000}),
    )
    .await
    .unwrap();
    let orders = seconds * 1000;
    let mut tick = tokio::time::interval(Duration::from_millis(10));
    let mut sent = Vec::new();
    for _ in 0..orders / 10 {
        tick.tick().await;
        for _ in 0..10 {
            let order = serde_json::json!({"contact": "27825550142", "lines": [{"item_id": id, "quantity": 1}]});
            sent.push(tokio::spawn(call(
                reqwest::Method::POST,
                "/api/v1/orders",
                order,
            )));
        }
    }
    for s in sent {
        assert_eq!(s.await.unwrap().unwrap().status(), 201);
    }
    wait_for(&sink, orders * 3, Duration::from_secs(120)).await;
    let mut latencies: Vec<f64> = sink
        .arrivals
        .lock()
        .unwrap()
        .iter()
        .map(|(_, at, evt)| at.duration_since(*evt).unwrap_or_default().as_secs_f64() * 1000.0)
        .collect();
    latencies.sort_by(f64::total_cmp);
    let pick = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    (
        rate,
        pick(0.5),
        pick(0.99),
        server.peak_rss_kb() as f64 / 1024.0,
    )
}

async fn wait_for(sink: &Sink, n: usize, limit: Duration) {
    let started = Instant::now();
    while sink.arrivals.lock().unwrap().len() < n {
        assert!(
            started.elapsed() < limit,
            "only {} of {n} deliveries arrived",
            sink.arrivals.lock().unwrap().len()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn start_sink(sink: Arc<Sink>) -> String {
    async fn hook(State(sink): State<Arc<Sink>>, body: Bytes) -> &'static str {
        let now = (Instant::now(), SystemTime::now());
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let evt = v["timestamp"]
            .as_str()
            .and_then(|t| humantime::parse_rfc3339(t).ok())
            .unwrap_or(now.1);
        sink.arrivals.lock().unwrap().push((now.0, now.1, evt));
        "ok"
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let app = Router::new().route("/hook", post(hook)).with_state(sink);
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}
