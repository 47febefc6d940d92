//! What the benchmarks share: the release binary as a child process, its
//! memory and CPU, and throwaway PostgreSQL databases.

#![allow(dead_code)]

use std::{
    collections::HashMap,
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use axum::{Json, Router, routing::post};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use sqlx::{Connection, Executor};
use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

/// The app secret the benchmarks sign webhooks with, and the staff number
/// their messages come from.
pub const SECRET: &str = "bench-app-secret";
pub const STAFF: &str = "27825550101";

pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Server {
    pub fn start(env: &HashMap<&str, String>) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_backroom"))
            .env_clear()
            // Required with an access token (fail closed); a fixed key for benches.
            // One load generator, one address: lift the per-address share of
            // connections (a quarter of this) that protects a real server.
            .env("HTTP_MAX_CONNECTIONS", "65536")
            .env(
                "SECRETS_KEY",
                "YmFja3Jvb20tYmVuY2gta2V5LTMyLWJ5dGVzLWxvbmc=",
            )
            .envs(env)
            .env("LOG_FORMAT", "json")
            .stderr(Stdio::piped())
            .spawn()
            .expect("start backroom");
        // The listening line is logged at info; raise only that target.
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
                    && v["fields"]["message"] == "backroom listening"
                {
                    let _ = tx.send(v["fields"]["port"].as_u64().unwrap_or(0));
                } else {
                    eprintln!("[server] {line}");
                }
            }
        });
        let port = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("server port");
        Self {
            child,
            addr: format!("http://127.0.0.1:{port}"),
        }
    }

    /// VmHWM: the most resident memory the process ever had.
    pub fn peak_rss_kb(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            })
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An API token with `scope`, made by the binary's own CLI before it serves.
pub fn api_token(database_url: &str, scope: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_backroom"))
        .args(["token", "create", "--name", "bench", "--scope", scope])
        .env_clear()
        .env("DATABASE_URL", database_url)
        .output()
        .expect("token");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}

/// User + system CPU time of a process, from /proc.
pub fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, r)| r)
        .split_whitespace()
        .collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<f64>().ok())
        .sum();
    ticks / 100.0
}

pub fn env_num(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `bench` on a fresh SQLite file and, when `BENCH_DATABASE_URL` or
/// `TEST_DATABASE_URL` names a PostgreSQL server, on a fresh database there;
/// returns each database's name with its result.
pub async fn on_each_database<T, F, Fut>(mut bench: F) -> Vec<(&'static str, T)>
where
    F: FnMut(String) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = format!("sqlite://{}", dir.path().join("bench.db").display());
    let mut rows = vec![("sqlite", bench(sqlite).await)];
    let pg = std::env::var("BENCH_DATABASE_URL").or_else(|_| std::env::var("TEST_DATABASE_URL"));
    if let Ok(admin) = pg {
        let (url, name) = create_pg_database(&admin).await;
        rows.push(("postgres", bench(url).await));
        drop_pg_database(&admin, &name).await;
    }
    rows
}

async fn create_pg_database(admin: &str) -> (String, String) {
    sqlx::any::install_default_drivers();
    let name = format!("backroom_bench_{:08x}", rand::random::<u32>());
    let mut conn = sqlx::AnyConnection::connect(admin)
        .await
        .expect("connect admin");
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create database");
    let mut url = url::Url::parse(admin).expect("url");
    url.set_path(&name);
    (url.to_string(), name)
}

async fn drop_pg_database(admin: &str, name: &str) {
    if let Ok(mut conn) = sqlx::AnyConnection::connect(admin).await {
        let _ = conn
            .execute(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .await;
    }
}

/// Appends one figure to the file named by `BENCH_RESULTS` (tab-separated:
/// benchmark, database, metric, value), from which `bench/all` prints one table.
pub fn record(bench: &str, database: &str, metric: &str, value: f64) {
    let Ok(path) = std::env::var("BENCH_RESULTS") else {
        return;
    };
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("results file");
    writeln!(f, "{bench}\t{database}\t{metric}\t{value:.2}").expect("write results");
}

/// The p-th percentile (0–100) of sorted samples.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p / 100.0).round() as usize;
    sorted[i]
}

/// One signed-shape webhook body holding one text message from `STAFF`.
pub fn webhook(id: &str, text: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "100200300400500", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15555550100", "phone_number_id": "106000000000001"},
            "contacts": [{"profile": {"name": "Thandi Nkosi"}, "wa_id": STAFF}],
            "messages": [{"from": STAFF, "id": id, "timestamp": "1781000000",
                          "type": "text", "text": {"body": text}}]
        }}]}]
    }))
    .expect("json")
}

pub fn sign(body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("key");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A Graph API stand-in that answers every send at once.
pub async fn start_fake_graph(count: Arc<AtomicU64>) -> String {
    let app = Router::new().route(
        "/v21.0/{pnid}/messages",
        post(move || {
            let n = count.fetch_add(1, Ordering::Relaxed);
            async move {
                Json(serde_json::json!({
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": STAFF, "wa_id": STAFF}],
                    "messages": [{"id": format!("wamid.out{n}")}]
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/v21.0", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// Posts every signed body to `/webhook/whatsapp` at `addr` (host:port) from
/// `concurrency` plain HTTP/1.1 connections, asserting each 200, and returns
/// each request's time to its answer. The load generator shares the cores
/// with the server, so it is kept as lean as it can be.
pub async fn fire(
    addr: &str,
    bodies: Arc<Vec<(Vec<u8>, String)>>,
    concurrency: usize,
) -> Vec<Duration> {
    let next = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (bodies, next, addr) = (bodies.clone(), next.clone(), addr.to_string());
            tokio::spawn(async move {
                let stream = tokio::net::TcpStream::connect(&addr)
                    .await
                    .expect("connect");
                stream.set_nodelay(true).expect("nodelay");
                let (mut send, conn) =
                    hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                        .await
                        .expect("handshake");
                tokio::spawn(conn);
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                    let Some((body, sig)) = bodies.get(i) else {
                        break;
                    };
                    let request = hyper::Request::post("/webhook/whatsapp")
                        .header("host", &addr)
                        .header("content-type", "application/json")
                        .header("x-hub-signature-256", sig)
                        .body(http_body_util::Full::new(bytes::Bytes::from(body.clone())))
                        .expect("request");
                    let t = Instant::now();
                    let response = send.send_request(request).await.expect("post");
                    assert_eq!(response.status(), 200);
                    http_body_util::BodyExt::collect(response.into_body())
                        .await
                        .expect("body");
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(bodies.len());
    for w in workers {
        latencies.extend(w.await.expect("load task"));
    }
    latencies
}

/// `n` signed webhook bodies with ids `wamid.{prefix}{i}`, cycling through `texts`.
pub fn signed_bodies(prefix: &str, n: usize, texts: &[&str]) -> Vec<(Vec<u8>, String)> {
    (0..n)
        .map(|i| {
            let body = webhook(&format!("wamid.{prefix}{i:08}"), texts[i % texts.len()]);
            let sig = sign(&body);
            (body, sig)
        })
        .collect()
}

/// The settings of a server that takes WhatsApp messages from `STAFF` and
/// answers through the fake Graph API at `graph`, unpaced.
pub fn whatsapp_env(database_url: &str, graph: String) -> HashMap<&'static str, String> {
    HashMap::from([
        ("DATABASE_URL", database_url.to_string()),
        ("HOST", "127.0.0.1".into()),
        ("PORT", "0".into()),
        ("WHATSAPP_APP_SECRET", SECRET.into()),
        ("WHATSAPP_ACCESS_TOKEN", "bench-token".into()),
        ("WHATSAPP_PHONE_NUMBER_ID", "106000000000001".into()),
        ("GRAPH_API_BASE", graph),
        ("STAFF_PHONES", STAFF.into()),
        // The fake Graph API has no throughput tier; measure backroom, not pacing.
        ("WHATSAPP_SEND_RATE", "1000000".into()),
        ("WHATSAPP_RECIPIENT_BURST", "1000000".into()),
        ("RUST_LOG", "warn,backroom::app=info".into()),
    ])
}
