//! What the benchmarks share: the release binary as a child process, its
//! memory and CPU, and throwaway PostgreSQL databases.

#![allow(dead_code)]

use std::{
    collections::HashMap,
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::Duration,
};

use sqlx::{Connection, Executor};

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
