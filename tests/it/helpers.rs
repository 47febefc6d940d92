//! Test harness: a database per test, the real app on a loopback port, and
//! helpers to talk to it the way Meta does.

use std::{
    collections::HashMap,
    future::Future,
    path::PathBuf,
    time::{Duration, Instant},
};

use backroom::{app::App, config::Settings, storage::Db, whatsapp::inbound::signature};
use sqlx::{Connection, Executor};
use tokio::sync::oneshot;

use crate::fake_graph::FakeGraph;

pub const APP_SECRET: &str = "backroom-fixture-app-secret";
pub const VERIFY_TOKEN: &str = "verify-me-please";
pub const STAFF: &str = "27825550101";
pub const CUSTOMER: &str = "27825550142";
pub const PHONE_NUMBER_ID: &str = "106000000000001";
/// The `SECRETS_KEY` every test server runs with (32 bytes, base64).
pub const SECRETS_KEY: &str = "dGVzdC1zZWNyZXRzLWtleS0zMi1ieXRlcy1sb25nISE=";

/// The keys a test server seals with, for tests that write to its database.
pub fn keys() -> backroom::secrets::Keys {
    backroom::secrets::Keys::parse(SECRETS_KEY).expect("a valid test key")
}

/// A fresh database: an SQLite file in a temporary folder, or a PostgreSQL
/// database created for this test and dropped after it.
pub enum TestDb {
    Sqlite {
        _dir: tempfile::TempDir,
        url: String,
    },
    Postgres {
        admin_url: String,
        name: String,
        url: String,
    },
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        TestDb::Sqlite { _dir: dir, url }
    }

    /// `None` when `TEST_DATABASE_URL` is not set (the test is then skipped).
    pub async fn postgres() -> Option<Self> {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            eprintln!("TEST_DATABASE_URL is not set: skipping the PostgreSQL run");
            return None;
        };
        sqlx::any::install_default_drivers();
        let name = format!("backroom_t_{:016x}", rand::random::<u64>());
        let mut admin = sqlx::AnyConnection::connect(&admin_url)
            .await
            .expect("connect to TEST_DATABASE_URL");
        admin
            .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .expect("create test database");
        let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
        url.set_path(&name);
        Some(TestDb::Postgres {
            admin_url,
            name,
            url: url.to_string(),
        })
    }

    pub fn url(&self) -> &str {
        match self {
            TestDb::Sqlite { url, .. } | TestDb::Postgres { url, .. } => url,
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, TestDb::Postgres { .. })
    }

    pub async fn connect(&self) -> Db {
        let db = Db::connect(&normalised(self.url())).await.expect("connect");
        db.migrate().await.expect("migrate");
        db
    }
}

/// The URL as the app's settings would normalise it.
fn normalised(url: &str) -> String {
    let map = HashMap::from([("DATABASE_URL".to_string(), url.to_string())]);
    Settings::from_map(&map).expect("valid url").database_url
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres {
            admin_url, name, ..
        } = self
        {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs outside async; a short-lived runtime on its own thread does the work.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(mut admin) = sqlx::AnyConnection::connect(&admin_url).await {
                        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        let _ = admin.execute(sqlx::AssertSqlSafe(sql)).await;
                    }
                });
            })
            .join();
        }
    }
}

/// Generates a SQLite and a PostgreSQL test from one `async fn(TestDb)`.
#[macro_export]
macro_rules! both_databases {
    ($($test:ident),* $(,)?) => {$(
        mod $test {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$test($crate::helpers::TestDb::sqlite().await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = $crate::helpers::TestDb::postgres().await {
                    super::$test(db).await
                }
            }
        }
    )*};
}

/// The settings every test starts from, as environment variables.
pub fn base_env(db: &TestDb, graph: &FakeGraph) -> HashMap<String, String> {
    [
        ("HOST", "127.0.0.1"),
        ("PORT", "0"),
        ("DATABASE_URL", db.url()),
        ("WHATSAPP_APP_SECRET", APP_SECRET),
        ("WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN),
        ("WHATSAPP_ACCESS_TOKEN", "test-access-token"),
        ("WHATSAPP_PHONE_NUMBER_ID", PHONE_NUMBER_ID),
        ("SECRETS_KEY", SECRETS_KEY),
        ("GRAPH_API_BASE", &graph.url()),
        ("STAFF_PHONES", STAFF),
        ("SENDER_RETRY_BASE_MS", "20"),
        ("SENDER_RETRY_MAX_MS", "200"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// The app running in this process on a loopback port.
pub struct TestApp {
    pub addr: String,
    pub db: Db,
    pub http: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    pub async fn spawn(env: HashMap<String, String>) -> Self {
        // Server logs in test output only on request: TEST_LOG=1 cargo test.
        if std::env::var_os("TEST_LOG").is_some() {
            backroom::telemetry::init(backroom::config::LogFormat::Text);
        }
        let settings = Settings::from_map(&env).expect("valid test settings");
        let app = App::build(settings).await.expect("app builds");
        let addr = format!("http://127.0.0.1:{}", app.port());
        let db = app.db().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let done = tokio::spawn(app.run(async move {
            let _ = stopped.await;
        }));
        Self {
            addr,
            db,
            http: reqwest::Client::new(),
            stop: Some(stop),
            done: Some(done),
        }
    }

    /// Posts a body larger than the server reads and returns the status. The
    /// server answers 413 without reading the rest and closes the connection,
    /// so this uses a connection of its own (a pooled one would be closed
    /// under the next request), and the client, which may see the close
    /// before the answer, tries again.
    pub async fn post_oversized_webhook(&self, body: &[u8]) -> u16 {
        let own = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap();
        for _ in 0..5 {
            let sent = own
                .post(format!("{}/webhook/whatsapp", self.addr))
                .header("content-type", "application/json")
                .header(
                    "x-hub-signature-256",
                    signature::sign(APP_SECRET.as_bytes(), body),
                )
                .body(body.to_vec())
                .send()
                .await;
            if let Ok(r) = sent {
                return r.status().as_u16();
            }
        }
        panic!("no answer to an oversized webhook in 5 tries");
    }

    /// Posts a body signed with the app secret, as Meta does.
    pub async fn post_webhook(&self, body: &[u8]) -> reqwest::Response {
        self.http
            .post(format!("{}/webhook/whatsapp", self.addr))
            .header("content-type", "application/json")
            .header(
                "x-hub-signature-256",
                signature::sign(APP_SECRET.as_bytes(), body),
            )
            .body(body.to_vec())
            .send()
            .await
            .expect("request")
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(done) = self.done.take() {
            done.await.expect("join").expect("clean shutdown");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Polls `check` until it returns `Some`, or panics after `timeout`.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let started = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(started.elapsed() < timeout, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/whatsapp")
        .join(name)
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A compact webhook carrying text messages `(wamid, from, body)`.
pub fn text_webhook(messages: &[(&str, &str, &str)]) -> Vec<u8> {
    let messages: Vec<_> = messages
        .iter()
        .map(|(id, from, body)| {
            serde_json::json!({
                "from": from, "id": id, "timestamp": "1781000000",
                "type": "text", "text": {"body": body}
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "100200300400500", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15555550100", "phone_number_id": PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": "Thandi Nkosi"}, "wa_id": STAFF}],
            "messages": messages
        }}]}]
    }))
    .expect("json")
}

/// A webhook carrying one status callback.
pub fn status_webhook(wamid: &str, status: &str, error_code: Option<i64>) -> Vec<u8> {
    let mut s = serde_json::json!({
        "id": wamid, "status": status, "timestamp": "1781000100", "recipient_id": STAFF
    });
    if let Some(code) = error_code {
        s["errors"] = serde_json::json!([{"code": code, "title": "error"}]);
    }
    serde_json::to_vec(&serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "100200300400500", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15555550100", "phone_number_id": PHONE_NUMBER_ID},
            "statuses": [s]
        }}]}]
    }))
    .expect("json")
}

/// The CSRF token of sessions made by `owner_session`.
pub const SESSION_CSRF: &str = "cccccccccccccccccccccccccccccccc";

/// A signed-in owner's session cookie (`name=value`), written straight to the
/// database: in sandbox mode the sign-in code is only in the server's log.
pub async fn owner_session(db: &Db, phone: &str) -> String {
    let token = format!("{:064x}", rand::random::<u128>());
    let now = backroom::storage::now_ms();
    backroom::storage::sessions::create(
        db,
        &backroom::dashboard::hash(&token),
        phone,
        SESSION_CSRF,
        now,
        now + 3_600_000,
    )
    .await
    .expect("session");
    format!("{}={token}", backroom::dashboard::COOKIE)
}

/// A stock level read straight from the database.
pub async fn stock(db: &Db, name: &str) -> Option<i64> {
    backroom::storage::items::get(db, name)
        .await
        .expect("query")
        .map(|i| i.quantity)
}
