//! The soak: mixed traffic (staff, customers, redeliveries, status callbacks,
//! API calls, a subscriber failing 20 % of the time) while `backroom serve`
//! processes are killed with SIGKILL and restarted at random; then the
//! invariants. One process on SQLite, two replicas on PostgreSQL.
//!
//! `SOAK_SECS` sets the traffic's length (default 30, what CI runs);
//! `SOAK_SECS=300 cargo test --release --test it soak:: -- --nocapture`
//! is the long run whose figures the README keeps.

use std::{
    collections::{HashMap, HashSet},
    time::{Duration, Instant},
};

use backroom::storage::{Db, items, subscriptions};
use serde_json::json;

use crate::{
    both_databases,
    crash::Server,
    fake_graph::FakeGraph,
    helpers::{self, STAFF, TestDb, eventually},
    receiver::Receiver,
};

both_databases!(soak);

const ITEMS: [&str; 4] = ["screw", "bolt", "nail", "hammer"];

fn pick(n: usize) -> usize {
    rand::random::<u64>() as usize % n
}

fn chance(p: f64) -> bool {
    rand::random::<f64>() < p
}

/// The replicas, killed and restarted as the soak goes.
struct Fleet {
    env: HashMap<String, String>,
    servers: Vec<Option<Server>>,
    /// When each dead replica comes back.
    back_at: Vec<Option<Instant>>,
    kills: usize,
}

impl Fleet {
    async fn start(env: HashMap<String, String>, n: usize) -> Self {
        let mut fleet = Self {
            env,
            servers: (0..n).map(|_| None).collect(),
            back_at: vec![Some(Instant::now()); n],
            kills: 0,
        };
        fleet.restart_due(true).await;
        fleet
    }

    async fn restart_due(&mut self, all: bool) {
        for i in 0..self.servers.len() {
            let due = self.back_at[i].is_some_and(|t| all || Instant::now() >= t);
            if due && self.servers[i].is_none() {
                let env = self.env.clone();
                let server = tokio::task::spawn_blocking(move || Server::start(&env))
                    .await
                    .unwrap();
                self.servers[i] = Some(server);
                self.back_at[i] = None;
            }
        }
    }

    fn kill_one(&mut self) {
        let alive: Vec<usize> = (0..self.servers.len())
            .filter(|i| self.servers[*i].is_some())
            .collect();
        if alive.is_empty() {
            return;
        }
        let i = alive[pick(alive.len())];
        self.servers[i].take().unwrap().kill9();
        self.back_at[i] = Some(Instant::now() + Duration::from_millis(300 + pick(1200) as u64));
        self.kills += 1;
    }

    fn any(&self) -> Option<&Server> {
        let alive: Vec<&Server> = self.servers.iter().flatten().collect();
        (!alive.is_empty()).then(|| alive[pick(alive.len())])
    }

    /// Posts a webhook as Meta does: anything but a 200 is sent again later.
    async fn webhook(&self, body: &[u8]) -> bool {
        match self.any() {
            Some(s) => s.try_post(body).await == Some(200),
            None => false,
        }
    }

    /// An API stock adjustment; `Some(status)` when a server answered.
    async fn adjust(&self, token: &str, item: i64, key: &str, delta: i64) -> Option<u16> {
        let s = self.any()?;
        let r = reqwest::Client::new()
            .post(format!("{}/api/v1/items/{item}/adjust", s.addr))
            .bearer_auth(token)
            .header("idempotency-key", key)
            .json(&json!({"delta": delta, "reason": "restock"}))
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .ok()?;
        Some(r.status().as_u16())
    }

    async fn read(&self, token: &str) {
        if let Some(s) = self.any() {
            let _ = reqwest::Client::new()
                .get(format!("{}/api/v1/items", s.addr))
                .bearer_auth(token)
                .timeout(Duration::from_secs(10))
                .send()
                .await;
        }
    }
}

/// What the traffic sent, to check against what the database holds.
#[derive(Default)]
struct Sent {
    /// Every webhook body, for redeliveries, and those not yet acknowledged.
    bodies: Vec<Vec<u8>>,
    unacked: Vec<Vec<u8>>,
    /// Text messages, and which of them add stock (never refused).
    texts: HashSet<String>,
    adds: HashSet<String>,
    redeliveries: usize,
    callbacks: usize,
    /// Idempotency keys (with item and delta), acknowledged or still owed.
    keys: HashMap<String, (i64, i64)>,
    unanswered: Vec<String>,
    api_calls: usize,
}

async fn soak(test_db: TestDb) {
    let secs: u64 = std::env::var("SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let replicas = if test_db.is_postgres() { 2 } else { 1 };
    let graph = FakeGraph::start().await;
    let sink = Receiver::start().await;
    sink.fail_randomly(0.2);
    let staff: Vec<String> = (0..3).map(|i| format!("2782555020{i}")).collect();
    let customers: Vec<String> = (0..20).map(|i| format!("277200000{i:02}")).collect();
    let mut env = helpers::base_env(&test_db, &graph);
    for (k, v) in [
        ("STAFF_PHONES", format!("{STAFF},{}", staff.join(","))),
        ("WORKER_LEASE_SECS", "2".into()),
        ("ALLOW_HTTP_WEBHOOKS", "true".into()),
        ("ALLOW_PRIVATE_WEBHOOKS", "true".into()),
        ("WEBHOOK_RETRY_SCHEDULE", "0,0.2,0.5,1,1,1,1,1,1,1".into()),
        ("WEBHOOK_TIMEOUT_MS", "2000".into()),
        ("GRAPH_TIMEOUT_MS", "2000".into()),
        // The fake Graph API has no pair limit, and the traffic is dense.
        ("WHATSAPP_RECIPIENT_BURST", "1000000".into()),
        ("API_RATE_LIMIT_PER_MINUTE", "1000000".into()),
        ("RUST_LOG", "warn".into()),
    ] {
        env.insert(k.into(), v);
    }
    let mut fleet = Fleet::start(env, replicas).await;
    let db: Db = test_db.connect().await;
    let fields = subscriptions::SubscriptionFields {
        name: "sink".into(),
        url: sink.url.clone(),
        description: None,
        events: vec!["*".into()],
        active: true,
        ordered: false,
    };
    let secret = "whsec_c29ha3NvYWtzb2Frc29ha3NvYWtzb2Frc29haw==";
    subscriptions::create(
        &db,
        &crate::helpers::keys(),
        &fields,
        secret,
        backroom::storage::now_ms(),
    )
    .await
    .unwrap();
    let scopes = [backroom::api::auth::Scope::Write];
    let token = backroom::api::auth::create(&db, "soak", &scopes)
        .await
        .unwrap()
        .token;
    let seed = helpers::text_webhook(&[(
        "wamid.seed",
        STAFF,
        "added 1 screw, 1 bolt, 1 nail, 1 hammer",
    )]);
    assert!(fleet.webhook(&seed).await);
    let item_ids: Vec<i64> = eventually("items exist", Duration::from_secs(20), || async {
        let mut ids = Vec::new();
        for name in ITEMS {
            ids.push(items::get(&db, name).await.unwrap()?.id);
        }
        Some(ids)
    })
    .await;

    let mut sent = Sent::default();
    let started = Instant::now();
    let mut next_kill = started + Duration::from_millis(2000 + pick(3000) as u64);
    let mut n = 0u64;
    while started.elapsed() < Duration::from_secs(secs) {
        n += 1;
        if Instant::now() >= next_kill {
            fleet.kill_one();
            next_kill = Instant::now() + Duration::from_millis(2000 + pick(5000) as u64);
        }
        fleet.restart_due(false).await;
        traffic(
            &fleet, &mut sent, &db, &token, &item_ids, &staff, &customers, n,
        )
        .await;
        tokio::time::sleep(Duration::from_millis(15)).await;
    }

    // Traffic stops; every replica comes back and everything owed is resent.
    fleet.restart_due(true).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while !(sent.unacked.is_empty() && sent.unanswered.is_empty()) {
        assert!(Instant::now() < deadline, "the servers stopped answering");
        for body in std::mem::take(&mut sent.unacked) {
            if !fleet.webhook(&body).await {
                sent.unacked.push(body);
            }
        }
        for key in std::mem::take(&mut sent.unanswered) {
            let (item, delta) = sent.keys[&key];
            if fleet.adjust(&token, item, &key, delta).await != Some(200) {
                sent.unanswered.push(key);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check(&db, &graph, &sink, &sent).await;
    let hits = sink.hits();
    println!(
        "soak on {}: {secs} s of traffic, {} replica(s), {} kill -9; {} messages, {} redeliveries, \
         {} status callbacks, {} API calls ({} idempotency keys); {} deliveries to the subscriber \
         ({} answered 500); all invariants hold",
        if test_db.is_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        replicas,
        fleet.kills,
        sent.texts.len(),
        sent.redeliveries,
        sent.callbacks,
        sent.api_calls,
        sent.keys.len(),
        hits.len(),
        hits.iter().filter(|h| h.answered == 500).count(),
    );
}

/// One step of traffic: a staff or customer message, and sometimes a
/// redelivery, a status callback or API calls.
#[allow(clippy::too_many_arguments)]
async fn traffic(
    fleet: &Fleet,
    sent: &mut Sent,
    db: &Db,
    token: &str,
    item_ids: &[i64],
    staff: &[String],
    customers: &[String],
    n: u64,
) {
    let wamid = format!("wamid.soak{n}");
    let item = ITEMS[pick(ITEMS.len())];
    let (from, text) = match pick(10) {
        0..=3 => (
            &staff[pick(staff.len())],
            format!("added {} {item}s", 1 + pick(20)),
        ),
        4..=5 => (
            &staff[pick(staff.len())],
            format!("sold {} {item}s", 1 + pick(4)),
        ),
        6 => (&staff[pick(staff.len())], format!("how many {item}s?")),
        7 => (
            &customers[pick(customers.len())],
            format!("do you have {item}s?"),
        ),
        _ => (
            &customers[pick(customers.len())],
            format!("I'd like 1 {item}"),
        ),
    };
    if text.starts_with("added") {
        sent.adds.insert(wamid.clone());
    }
    sent.texts.insert(wamid.clone());
    let body = helpers::text_webhook(&[(wamid.as_str(), from.as_str(), text.as_str())]);
    if !fleet.webhook(&body).await {
        sent.unacked.push(body.clone());
    }
    sent.bodies.push(body);

    if chance(0.1) {
        let again = sent.bodies[pick(sent.bodies.len())].clone();
        sent.redeliveries += 1;
        if !fleet.webhook(&again).await {
            sent.unacked.push(again);
        }
    }
    if chance(0.15) {
        let wamids: Vec<(String,)> = sqlx::query_as(
            "SELECT wamid FROM outbound_messages WHERE wamid IS NOT NULL ORDER BY id DESC LIMIT 20",
        )
        .fetch_all(db.pool())
        .await
        .unwrap_or_default();
        if !wamids.is_empty() {
            let status = ["sent", "delivered", "read"][pick(3)];
            let body = helpers::status_webhook(&wamids[pick(wamids.len())].0, status, None);
            sent.callbacks += 1;
            if !fleet.webhook(&body).await {
                sent.unacked.push(body);
            }
        }
    }
    if chance(0.1) {
        // A new key, or an earlier one sent again (a client retrying).
        let key = if sent.keys.is_empty() || chance(0.7) {
            let key = format!("soak-{n}");
            sent.keys.insert(
                key.clone(),
                (item_ids[pick(item_ids.len())], 1 + pick(5) as i64),
            );
            key
        } else {
            let keys: Vec<&String> = sent.keys.keys().collect();
            keys[pick(keys.len())].clone()
        };
        let (item, delta) = sent.keys[&key];
        sent.api_calls += 2;
        fleet.read(token).await;
        if fleet.adjust(token, item, &key, delta).await != Some(200) {
            sent.unanswered.push(key);
        }
    }
}

/// Nothing lost, nothing twice.
async fn check(db: &Db, graph: &FakeGraph, sink: &Receiver, sent: &Sent) {
    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(db.pool())
            .await
            .unwrap()
    };
    eventually("the backlog drained", Duration::from_secs(120), || async {
        let pending = count("SELECT COUNT(*) FROM inbox WHERE status = 'pending'").await
            + count("SELECT COUNT(*) FROM outbound_messages WHERE status = 'queued'").await
            + count("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'").await;
        (pending == 0).then_some(())
    })
    .await;

    // Every distinct message stored once and processed.
    let inbox: Vec<(String, String)> = sqlx::query_as("SELECT wamid, status FROM inbox")
        .fetch_all(db.pool())
        .await
        .unwrap();
    let stored: HashSet<&str> = inbox.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(inbox.len(), stored.len(), "no message stored twice");
    for wamid in &sent.texts {
        assert!(stored.contains(wamid.as_str()), "{wamid} lost");
    }
    assert!(
        inbox.iter().all(|(_, s)| s == "done"),
        "every message processed"
    );

    // Stock changed once per message, and the ledger adds up.
    let twice: i64 = count(
        "SELECT COUNT(*) FROM (SELECT source_message_id, item_id FROM stock_movements \
         WHERE source_message_id IS NOT NULL GROUP BY source_message_id, item_id \
         HAVING COUNT(*) > 1) AS t",
    )
    .await;
    assert_eq!(twice, 0, "a message changed an item's stock twice");
    let added: Vec<(String,)> = sqlx::query_as(
        "SELECT source_message_id FROM stock_movements WHERE reason = 'add' \
         AND source_message_id LIKE 'wamid.soak%'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let added: HashSet<String> = added.into_iter().map(|(w,)| w).collect();
    assert_eq!(
        added, sent.adds,
        "every 'added' message applied exactly once"
    );
    assert!(
        items::ledger_mismatches(db).await.unwrap().is_empty(),
        "ledger = balance"
    );
    let restocks = count("SELECT COUNT(*) FROM stock_movements WHERE reason = 'restock'").await;
    assert_eq!(
        restocks as usize,
        sent.keys.len(),
        "one change per idempotency key"
    );

    // One stored reply per message, and each reached the Graph API.
    let replies: Vec<(String, i64)> = sqlx::query_as(
        "SELECT in_reply_to, CAST(COUNT(*) AS BIGINT) FROM outbound_messages \
         WHERE in_reply_to LIKE 'wamid.soak%' AND kind <> 'read' GROUP BY in_reply_to",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert!(
        replies.iter().all(|(_, n)| *n == 1),
        "one reply per message"
    );
    let replied: HashSet<&str> = replies.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(replied.len(), sent.texts.len(), "every message answered");
    let reached: HashSet<String> = graph
        .requests()
        .iter()
        .filter_map(|r| r.body["context"]["message_id"].as_str().map(str::to_string))
        .collect();
    for wamid in &sent.texts {
        assert!(
            reached.contains(wamid),
            "the reply to {wamid} never reached Graph"
        );
    }

    // Every event reached the subscriber with a 2xx at least once.
    let events: Vec<(String,)> = sqlx::query_as("SELECT id FROM events")
        .fetch_all(db.pool())
        .await
        .unwrap();
    let delivered: HashSet<String> = sink
        .hits()
        .iter()
        .filter(|h| h.answered == 200)
        .map(|h| h.header("webhook-id"))
        .collect();
    let missing: Vec<&String> = events
        .iter()
        .map(|(id,)| id)
        .filter(|id| !delivered.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} events never delivered",
        missing.len(),
        events.len()
    );
}
