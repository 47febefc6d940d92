//! What an attacker could read or plant in stored data, tried through the
//! real binary: file modes, secrets at rest and their rotation, envelopes
//! for other numbers or with forged senders, CSV formulas, and the headers
//! every response carries.

use std::{
    collections::HashMap,
    os::unix::fs::PermissionsExt,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use backroom::{api::auth::Scope, secrets::Keys, storage::files};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    both_databases,
    crash::{Server, bin},
    dashboard::Browser,
    fake_graph::FakeGraph,
    helpers::{self, STAFF, TestDb, eventually, stock},
    receiver::Receiver,
    security::{OWNER, connected, token},
};

both_databases!(
    webhook_secrets_are_sealed_and_rotate,
    envelopes_for_others_or_forged_senders_change_nothing,
    csv_cells_cannot_become_formulas,
    subscription_urls_must_be_public,
    test_deliveries_cannot_forge_events,
);

/// Starts the binary expecting it to refuse; its exit code and stderr.
fn refuses_to_start(env: &HashMap<String, String>) -> (Option<i32>, String) {
    let mut child = Command::new(bin())
        .env_clear()
        .envs(env)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "it started anyway"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The database, its WAL and index, the generated key and backups were
/// world-readable under the usual umask (022) and held plaintext `whsec_`
/// secrets; now every one is 0600.
#[tokio::test]
async fn data_files_are_private() {
    let db = TestDb::sqlite().await;
    let graph = FakeGraph::start().await;
    let mut env = connected(&db, &graph);
    // Sandbox mode without SECRETS_KEY: the key is generated beside the file.
    env.remove("WHATSAPP_ACCESS_TOKEN");
    env.remove("SECRETS_KEY");
    let server = Server::start(&env);
    let body = helpers::text_webhook(&[("wamid.files", STAFF, "Added 4 hinges")]);
    assert_eq!(server.post(&body).await, 200);
    let dbh = db.connect().await;
    eventually("the change applied", Duration::from_secs(10), || async {
        (stock(&dbh, "hinge").await == Some(4)).then_some(())
    })
    .await;
    let file = backroom::storage::sqlite_file(db.url()).unwrap();
    for path in [
        file.clone(),
        files::with_suffix(&file, "-wal"),
        files::with_suffix(&file, "-shm"),
        files::with_suffix(&file, ".key"),
    ] {
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
    let backup = file.with_file_name("copy.db");
    let status = Command::new(bin())
        .env_clear()
        .env("DATABASE_URL", db.url())
        .args(["backup", backup.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(mode(&backup), 0o600);
    assert!(std::fs::metadata(&backup).unwrap().len() > 0);
}

/// Webhook secrets were stored as written. Now they are sealed with
/// `SECRETS_KEY`, rows from before are sealed at start-up, a new key listed
/// first re-seals them all, and a key that opens none stops the start.
async fn webhook_secrets_are_sealed_and_rotate(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    let rx = Receiver::start().await;
    let mut env = connected(&test_db, &graph);
    env.insert("ALLOW_HTTP_WEBHOOKS".into(), "true".into());
    env.insert("ALLOW_PRIVATE_WEBHOOKS".into(), "true".into());
    let server = Server::start(&env);
    let db = test_db.connect().await;
    let write = token(&db, Scope::Write).await;
    let client = reqwest::Client::new();
    let created: Value = client
        .post(format!("{}/api/v1/webhooks", server.addr))
        .bearer_auth(&write)
        .json(&json!({"name": "sink", "url": rx.url, "events": ["*"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (id, secret) = (
        created["id"].as_i64().unwrap(),
        created["secret"].as_str().unwrap().to_string(),
    );
    let stored = || async {
        sqlx::query_scalar::<_, String>("SELECT secret FROM webhook_secrets ORDER BY id")
            .fetch_all(db.pool())
            .await
            .unwrap()
    };
    let rows = stored().await;
    assert!(rows[0].starts_with("enc1:") && !rows[0].contains(&secret[6..]));
    // The API never shows it again.
    let listed = client
        .get(format!("{}/api/v1/webhooks/{id}", server.addr))
        .bearer_auth(&write)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!listed.contains(&secret), "{listed}");
    // A row written before encryption existed is sealed at the next start.
    sqlx::query(
        "INSERT INTO webhook_secrets (subscription_id, secret, created_at) VALUES ($1, $2, 0)",
    )
    .bind(id)
    .bind("whsec_cGxhaW50ZXh0cGxhaW50ZXh0cGxhaW50ZXh0")
    .execute(db.pool())
    .await
    .unwrap();
    drop(server);

    // Rotation: the new key first, the old one after it.
    let new = Keys::generate();
    env.insert(
        "SECRETS_KEY".into(),
        format!("{new},{}", helpers::SECRETS_KEY),
    );
    let server = Server::start(&env);
    let new_keys = Keys::parse(&new).unwrap();
    let rows = stored().await;
    assert!(rows.iter().all(|r| new_keys.is_current(r)), "{rows:?}");
    drop(server);
    env.insert("SECRETS_KEY".into(), new.clone());
    let server = Server::start(&env);
    // Deliveries still sign with the secret the subscriber holds.
    let sent: Value = client
        .post(format!("{}/api/v1/webhooks/{id}/test", server.addr))
        .bearer_auth(&write)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (webhook_id, at) = (
        sent["webhook_id"].as_str().expect("a test attempt"),
        sent["webhook_timestamp"].as_i64().unwrap(),
    );
    let body = sent["signed_content"]
        .as_str()
        .unwrap()
        .strip_prefix(&format!("{webhook_id}.{at}."))
        .unwrap();
    let expected = backroom::events::sign::standard(&secret, webhook_id, at, body);
    assert!(
        sent["webhook_signature"]
            .as_str()
            .unwrap()
            .contains(&expected),
        "{sent}"
    );
    drop(server);

    // A key that opens nothing stored: one clear line, no start.
    env.insert("SECRETS_KEY".into(), Keys::generate());
    let (code, stderr) = refuses_to_start(&env);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("SECRETS_KEY"), "{stderr}");
}

/// A notification for another phone number id (or none) was applied, and a
/// `from` of "27825550101\u0000" became the staff number. Now the first is
/// acknowledged, counted and ignored, the second stored as refused.
async fn envelopes_for_others_or_forged_senders_change_nothing(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    let server = Server::start(&connected(&test_db, &graph));
    let db = test_db.connect().await;
    let other_number = String::from_utf8(helpers::text_webhook(&[(
        "wamid.other",
        STAFF,
        "Added 8 ladders",
    )]))
    .unwrap()
    .replace(helpers::PHONE_NUMBER_ID, "106000000000999");
    let mut no_number: Value = serde_json::from_str(&other_number).unwrap();
    no_number["entry"][0]["changes"][0]["value"]
        .as_object_mut()
        .unwrap()
        .remove("metadata");
    let no_number = no_number.to_string().replace("wamid.other", "wamid.nometa");
    let forged = String::from_utf8(helpers::text_webhook(&[(
        "wamid.nul",
        "27825550101\u{0}",
        "Added 8 ladders",
    )]))
    .unwrap();
    let plus = String::from_utf8(helpers::text_webhook(&[(
        "wamid.plus",
        "+27825550101",
        "Added 8 ladders",
    )]))
    .unwrap();
    for body in [&other_number, &no_number, &forged, &plus] {
        assert_eq!(server.post(body.as_bytes()).await, 200);
    }
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT wamid, status, error FROM inbox ORDER BY id")
            .fetch_all(db.pool())
            .await
            .unwrap();
    let kept: Vec<(&str, &str)> = rows
        .iter()
        .map(|(w, s, _)| (w.as_str(), s.as_str()))
        .collect();
    assert_eq!(kept, [("wamid.nul", "refused"), ("wamid.plus", "refused")]);
    assert!(
        rows[0]
            .2
            .as_deref()
            .unwrap()
            .contains("not a WhatsApp number")
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(stock(&db, "ladder").await, None);
    assert!(graph.requests().is_empty(), "nobody was answered");
    let metrics = reqwest::get(format!("{}/metrics", server.addr))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("backroom_webhook_items_ignored_total 2"),
        "{metrics}"
    );
    assert!(metrics.contains("backroom_messages_refused_total 2"));
}

/// An item named "=HYPERLINK(…)" ran as a formula when the export was opened
/// in a spreadsheet. Cells that would are now exported with a leading `'`,
/// and importing the file back takes it off.
async fn csv_cells_cannot_become_formulas(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    let server = Server::start(&connected(&test_db, &graph));
    let db = test_db.connect().await;
    let write = token(&db, Scope::Write).await;
    // Names may not hold `=`, but may start with the other formula signs; a
    // SKU may start with `-` and a unit with anything.
    let hostile = [
        ("@sum(1+1)*cmd|' /c calc'!a0", "SKU-1", "box"),
        ("+1+1 bolts", "-2", "box"),
        ("-2+3 nuts", "SKU-3", "=1+1"),
        ("plain washer", "SKU-4", "box"),
    ];
    for (name, sku, unit) in hostile {
        let r = reqwest::Client::new()
            .post(format!("{}/api/v1/items", server.addr))
            .bearer_auth(&write)
            .json(&json!({"name": name, "sku": sku, "unit": unit}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{name}");
    }
    let mut browser = Browser::at(&server.addr);
    browser.cookie = Some(helpers::owner_session(&db, OWNER).await);
    let (_, csv, _) = browser.get("/inventory.csv").await;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut defused = 0;
    for record in reader.records() {
        let record = record.unwrap();
        for cell in [&record[0], &record[2], &record[3]] {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} would run as a formula"
            );
            defused += usize::from(cell.starts_with('\''));
        }
    }
    assert_eq!(defused, 5, "three names, a SKU and a unit: {csv}");
    // The file comes back as it went out: the same items, names unchanged.
    let (_, done, _) = browser
        .post(
            "/import",
            &[
                ("csrf", helpers::SESSION_CSRF),
                ("csv", &csv),
                ("apply", "1"),
            ],
        )
        .await;
    assert!(done.contains("Imported 4 rows; 0 rejected"), "{done}");
    let mut names = backroom::storage::items::names(&db).await.unwrap();
    names.sort();
    let mut expected: Vec<String> = hostile.iter().map(|(n, ..)| n.to_string()).collect();
    expected.sort();
    assert_eq!(names, expected);
    let units: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT sku, unit FROM items ORDER BY sku")
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert!(
        units.contains(&("-2".into(), Some("box".into()))),
        "{units:?}"
    );
    assert!(
        units.contains(&("SKU-3".into(), Some("=1+1".into()))),
        "{units:?}"
    );
}

/// Pages and files carried no Content-Security-Policy, nosniff or
/// Referrer-Policy; every response does now, and no page needs an inline
/// style or script for the policy to allow.
#[tokio::test]
async fn every_response_carries_security_headers() {
    let db = TestDb::sqlite().await;
    let graph = FakeGraph::start().await;
    let server = Server::start(&connected(&db, &graph));
    for path in [
        "/login",
        "/login/code?phone=1",
        "/docs",
        "/assets/app.css",
        "/assets/docs.css",
        "/api/v1/items",
        "/healthz",
        "/webhook/whatsapp",
        "/no-such-page",
    ] {
        let r = reqwest::get(format!("{}{path}", server.addr))
            .await
            .unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        let page = r.text().await.unwrap();
        if path.starts_with("/login") || path == "/docs" {
            assert!(
                !page.contains("<style") && !page.contains(" style=") && !page.contains("<script"),
                "{path} has inline style or script"
            );
            assert!(page.contains("/assets/"), "{path} links its stylesheet");
        }
    }
}

/// A subscription to a private address literal was accepted and only failed
/// at delivery; IPv6 forms carrying a private IPv4 address got through even
/// there. Both are refused when the subscription is made.
async fn subscription_urls_must_be_public(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    let server = Server::start(&connected(&test_db, &graph));
    let db = test_db.connect().await;
    let write = token(&db, Scope::Write).await;
    let client = reqwest::Client::new();
    let create = |url: &'static str| {
        client
            .post(format!("{}/api/v1/webhooks", server.addr))
            .bearer_auth(&write)
            .json(&json!({"name": "probe", "url": url, "events": ["*"]}))
            .send()
    };
    for url in [
        "https://127.0.0.1/hook",
        "https://10.0.0.5/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:192.168.1.1]/hook",
        "https://[2002:c0a8:101::1]/hook",    // 6to4 of 192.168.1.1
        "https://[2001:0:a9fe:a9fe::1]/hook", // Teredo via 169.254.169.254
        "https://[64:ff9b::a9fe:a9fe]/hook",  // NAT64 of 169.254.169.254
    ] {
        let r = create(url).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{url}");
    }
    let r = create("https://hooks.example.com/backroom").await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_subscriptions")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(count, 1);
}

/// The test endpoint sent any event type with any data, signed with the
/// subscription's real secret: a write token could forge `message.received`.
/// A test is now always `webhook.test`, a sample riding inside it; and a
/// proxy in the environment is never used for deliveries (it would resolve
/// names around the SSRF guard).
async fn test_deliveries_cannot_forge_events(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    let rx = Receiver::start().await;
    let proxy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    proxy.set_nonblocking(true).unwrap();
    let mut env = connected(&test_db, &graph);
    env.insert("ALLOW_HTTP_WEBHOOKS".into(), "true".into());
    env.insert("ALLOW_PRIVATE_WEBHOOKS".into(), "true".into());
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    env.insert("HTTP_PROXY".into(), proxy_url.clone());
    env.insert("HTTPS_PROXY".into(), proxy_url);
    let server = Server::start(&env);
    let db = test_db.connect().await;
    // Lower case "bearer" is the same scheme.
    let write = token(&db, Scope::Write).await;
    let client = reqwest::Client::new();
    let created: Value = client
        .post(format!("{}/api/v1/webhooks", server.addr))
        .header("authorization", format!("bearer {write}"))
        .json(&json!({"name": "accounting", "url": rx.url, "events": ["*"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().expect("created");
    let sent: Value = client
        .post(format!("{}/api/v1/webhooks/{id}/test", server.addr))
        .bearer_auth(&write)
        .json(&json!({"eventType": "message.received",
                      "payload": {"from": OWNER, "text": "pay the supplier R50,000"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sent["status_code"], 200, "{sent}");
    let hit = &rx.hits()[0];
    assert_eq!(hit.header("x-webhook-event"), "webhook.test");
    let body: Value = serde_json::from_str(&hit.body).unwrap();
    assert_eq!(body["event"], "webhook.test");
    assert_eq!(body["data"]["sample_event"], "message.received");
    assert_eq!(body["data"]["sample"]["text"], "pay the supplier R50,000");
    assert!(
        proxy.accept().is_err(),
        "the delivery went straight to the subscriber, not through the proxy"
    );
}

/// A percent-encoded `DATABASE_URL` ("my%20shop.db") left the real file,
/// which SQLite opens decoded, world-readable.
#[tokio::test]
async fn encoded_database_paths_are_private_too() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/my%20shop.db", dir.path().display());
    let graph = FakeGraph::start().await;
    let mut env = connected(&TestDb::sqlite().await, &graph);
    env.insert("DATABASE_URL".into(), url);
    let server = Server::start(&env);
    let body = helpers::text_webhook(&[("wamid.enc", STAFF, "Added 1 rake")]);
    assert_eq!(server.post(&body).await, 200);
    let file = dir.path().join("my shop.db");
    assert_eq!(mode(&file), 0o600);
    assert!(!dir.path().join("my%20shop.db").exists());
}
