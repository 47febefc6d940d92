//! Scale benchmark: does backroom stay flat as the shop grows?
//!
//! `cargo bench --bench scale` measures a fresh shop, then grows the same
//! database to 100,000 items, 10 million ledger lines (half of them on eleven
//! busy items), 1 million events and 1,000 contacts with bulk SQL, restarts
//! the server and measures again: the end-to-end message rate, and the p99 of
//! the API's lists, search and feeds, the dashboard's pages and the CSV
//! export (200 sequential requests each, after a warm-up). It prints each
//! figure fresh and grown with their ratio. On SQLite, and on PostgreSQL when
//! `BENCH_DATABASE_URL` or `TEST_DATABASE_URL` is set. `BENCH_SCALE=0.1`
//! grows to a tenth of that.

#[path = "scale_data.rs"]
mod scale_data;
#[path = "support.rs"]
mod support;

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use scale_data::Size;
use support::{
    Server, api_token, env_num, on_each_database, percentile, record, signed_bodies,
    start_fake_graph, whatsapp_env,
};

const OWNER: &str = "27825550199";
const SAMPLES: usize = 200;

#[tokio::main]
async fn main() {
    let scale: f64 = std::env::var("BENCH_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1.0);
    let size = Size::scaled(scale);
    let messages = env_num("BENCH_MESSAGES", 5_000);
    let rows = on_each_database(|url| async move { run(&url, size, messages).await }).await;
    println!();
    println!(
        "scale benchmark: fresh shop, then {} items, {} ledger lines, {} events, {} contacts",
        size.items, size.ledger, size.events, size.contacts
    );
    println!("| database | figure | fresh | grown | grown / fresh |");
    println!("|---|---|---:|---:|---:|");
    for (db, figures) in rows {
        for f in figures {
            // For a rate, more is better: the ratio is how many times slower.
            let ratio = if f.rate {
                f.fresh / f.grown
            } else {
                f.grown / f.fresh
            };
            println!(
                "| {db} | {} | {:.2} | {:.2} | {ratio:.2}× |",
                f.name, f.fresh, f.grown
            );
            record("scale: grown / fresh", db, f.name, ratio);
        }
    }
}

struct Figure {
    name: &'static str,
    rate: bool,
    fresh: f64,
    grown: f64,
}

/// The ids and numbers a measurement needs, read from the database.
#[derive(Clone, Default)]
struct Marks {
    busy_item: i64,
    last_seq: i64,
}

async fn run(database_url: &str, size: Size, messages: usize) -> Vec<Figure> {
    let token = api_token(database_url, "read");
    let replies = Arc::new(AtomicU64::new(0));
    let graph = start_fake_graph(replies.clone()).await;
    let mut env = whatsapp_env(database_url, graph);
    env.insert("OWNER_PHONES", OWNER.into());
    env.insert("API_RATE_LIMIT_PER_MINUTE", "1000000".into());

    let server = Server::start(&env);
    let cookie = owner_session(database_url).await;
    let fresh = measure(
        (&server, database_url),
        &token,
        &cookie,
        &replies,
        "fresh",
        messages,
    )
    .await;
    drop(server);

    let started = Instant::now();
    scale_data::grow(database_url, size).await;
    eprintln!(
        "grew the database in {:.0} s",
        started.elapsed().as_secs_f64()
    );

    let server = Server::start(&env);
    let grown = measure(
        (&server, database_url),
        &token,
        &cookie,
        &replies,
        "grown",
        messages,
    )
    .await;
    drop(server);
    fresh
        .into_iter()
        .zip(grown)
        .map(|((name, rate, fresh), (_, _, grown))| Figure {
            name,
            rate,
            fresh,
            grown,
        })
        .collect()
}

async fn owner_session(database_url: &str) -> String {
    let db = backroom::storage::Db::connect(database_url)
        .await
        .expect("connect");
    let token = format!("{:064x}", rand::random::<u128>());
    let now = backroom::storage::now_ms();
    backroom::storage::sessions::create(
        &db,
        &backroom::dashboard::hash(&token),
        OWNER,
        "cccccccccccccccccccccccccccccccc",
        now,
        now + 24 * 3_600_000,
    )
    .await
    .expect("session");
    format!("{}={token}", backroom::dashboard::COOKIE)
}

async fn marks(database_url: &str) -> Marks {
    let db = backroom::storage::Db::connect(database_url)
        .await
        .expect("connect");
    let (busy_item,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM items")
        .fetch_one(db.pool())
        .await
        .expect("an item");
    let (last_seq,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM events")
        .fetch_one(db.pool())
        .await
        .expect("events");
    Marks {
        busy_item,
        last_seq,
    }
}

/// Every figure, in a fixed order: (name, whether it is a rate, value).
async fn measure(
    (server, database_url): (&Server, &str),
    token: &str,
    cookie: &str,
    replies: &AtomicU64,
    phase: &str,
    messages: usize,
) -> Vec<(&'static str, bool, f64)> {
    let mut out = vec![(
        "messages end to end (msg/s)",
        true,
        ingest(server, replies, phase, messages).await,
    )];
    let m = marks(database_url).await;
    let item = m.busy_item;
    let newest = (m.last_seq - 100).max(0);
    let api: [(&'static str, String); 9] = [
        (
            "API items, first page (p99 ms)",
            "/api/v1/items?limit=50".into(),
        ),
        (
            "API items, search (p99 ms)",
            "/api/v1/items?search=screw&limit=50".into(),
        ),
        ("API one item (p99 ms)", format!("/api/v1/items/{item}")),
        (
            "API ledger, newest page (p99 ms)",
            "/api/v1/movements?limit=50".into(),
        ),
        (
            "API a busy item's ledger (p99 ms)",
            format!("/api/v1/items/{item}/movements?limit=50"),
        ),
        ("API contacts (p99 ms)", "/api/v1/contacts?limit=50".into()),
        (
            "events feed, oldest page (p99 ms)",
            "/api/v1/events?limit=100".into(),
        ),
        (
            "events feed, newest page (p99 ms)",
            format!("/api/v1/events?after={newest}&limit=100"),
        ),
        (
            "events feed, order.* (p99 ms)",
            "/api/v1/events?type=order.*&limit=100".into(),
        ),
    ];
    let pages: [(&'static str, String); 4] = [
        ("dashboard Today (p99 ms)", "/".into()),
        ("dashboard Inventory (p99 ms)", "/inventory".into()),
        (
            "dashboard busy item page (p99 ms)",
            format!("/items/{item}"),
        ),
        ("dashboard Conversations (p99 ms)", "/conversations".into()),
    ];
    let http = reqwest::Client::new();
    for (name, path) in api {
        let auth = format!("Bearer {token}");
        out.push((
            name,
            false,
            p99(
                &http,
                &server.addr,
                &path,
                ("authorization", &auth),
                SAMPLES,
            )
            .await,
        ));
    }
    for (name, path) in pages {
        out.push((
            name,
            false,
            p99(&http, &server.addr, &path, ("cookie", cookie), SAMPLES).await,
        ));
    }
    // The export grows with the catalogue by nature: per item is what stays flat.
    let items = item_count(database_url).await as f64;
    let export = p99(
        &http,
        &server.addr,
        "/inventory.csv",
        ("cookie", cookie),
        10,
    )
    .await;
    out.push((
        "CSV export (p99 µs per item)",
        false,
        export * 1000.0 / items,
    ));
    out
}

async fn item_count(database_url: &str) -> i64 {
    let db = backroom::storage::Db::connect(database_url)
        .await
        .expect("connect");
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM items")
        .fetch_one(db.pool())
        .await
        .expect("count")
}

/// Messages per second from the first POST to the last reply at the fake
/// Graph API.
async fn ingest(server: &Server, replies: &AtomicU64, phase: &str, messages: usize) -> f64 {
    let texts = [
        "added 3 screws",
        "sold 1 screw",
        "how many screws?",
        "added 2 bolts",
    ];
    let bodies = Arc::new(signed_bodies(phase, messages, &texts));
    let before = replies.load(Ordering::Relaxed);
    let addr = server.addr.trim_start_matches("http://").to_string();
    let started = Instant::now();
    support::fire(&addr, bodies, 32).await;
    while replies.load(Ordering::Relaxed) < before + messages as u64 {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "backlog did not drain"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    messages as f64 / started.elapsed().as_secs_f64()
}

/// The 99th percentile in ms of `n` sequential GETs, after five to warm up.
async fn p99(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    (header, value): (&str, &str),
    n: usize,
) -> f64 {
    let mut samples = Vec::with_capacity(n);
    for i in 0..n + 5 {
        let t = Instant::now();
        let r = http
            .get(format!("{base}{path}"))
            .header(header, value)
            .send()
            .await
            .expect("GET");
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.bytes().await.expect("body");
        if i >= 5 {
            samples.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    samples.sort_by(f64::total_cmp);
    percentile(&samples, 99.0)
}
