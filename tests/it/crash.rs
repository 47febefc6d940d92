//! The real binary, killed with SIGKILL at awkward moments and restarted.

use std::{
    collections::HashMap,
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::Duration,
};

use backroom::storage::{Db, outbound};

use crate::{
    both_databases,
    fake_graph::{Answer, FakeGraph},
    helpers::{self, APP_SECRET, STAFF, TestDb, eventually, stock},
};

both_databases!(
    killed_after_the_ack_before_processing,
    killed_right_after_the_ack,
    killed_mid_send_waits_for_the_callback,
    killed_mid_send_without_a_callback_sends_again,
    killed_mid_traffic_sends_each_reply_once,
    sigterm_shuts_down_cleanly,
    killed_during_a_webhook_burst,
    one_request_id_follows_a_message,
);

/// The binary under test. `BACKROOM_BIN` runs the tests against another
/// build (an older release, to show what a fix changed).
pub(crate) fn bin() -> String {
    std::env::var("BACKROOM_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_backroom").to_string())
}

/// A `backroom serve` child process.
pub(crate) struct Server {
    child: Child,
    pub(crate) addr: String,
    /// Every log line written so far (JSON).
    logs: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    pub(crate) fn start(env: &HashMap<String, String>) -> Self {
        let mut child = Command::new(bin())
            .env_clear()
            .envs(env)
            .env("LOG_FORMAT", "json")
            .env(
                "RUST_LOG",
                // The port is read from the "listening" line, whatever else is filtered.
                format!(
                    "{},backroom::app=info",
                    env.get("RUST_LOG").map_or("info", String::as_str)
                ),
            )
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start backroom");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        let logs = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = logs.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                kept.lock().unwrap().push(line.clone());
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
                    && v["fields"]["message"] == "backroom listening"
                {
                    let _ = tx.send(v["fields"]["port"].as_u64().unwrap_or(0));
                }
                eprintln!("[server] {line}");
            }
        });
        let port = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("server reports its port");
        Self {
            child,
            addr: format!("http://127.0.0.1:{port}"),
            logs,
        }
    }

    /// Posts a signed webhook; `None` when the server is not answering.
    pub(crate) async fn try_post(&self, body: &[u8]) -> Option<u16> {
        let r = reqwest::Client::new()
            .post(format!("{}/webhook/whatsapp", self.addr))
            .header(
                "x-hub-signature-256",
                backroom::whatsapp::inbound::signature::sign(APP_SECRET.as_bytes(), body),
            )
            .timeout(Duration::from_secs(10))
            .body(body.to_vec())
            .send()
            .await
            .ok()?;
        Some(r.status().as_u16())
    }

    /// Every log line so far (JSON), for tests that read what was logged.
    pub(crate) fn logs(&self) -> Vec<String> {
        self.logs.lock().unwrap().clone()
    }

    pub(crate) async fn post(&self, body: &[u8]) -> u16 {
        reqwest::Client::new()
            .post(format!("{}/webhook/whatsapp", self.addr))
            .header(
                "x-hub-signature-256",
                backroom::whatsapp::inbound::signature::sign(APP_SECRET.as_bytes(), body),
            )
            .body(body.to_vec())
            .send()
            .await
            .expect("post")
            .status()
            .as_u16()
    }

    pub(crate) fn kill9(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn env(db: &TestDb, graph: &FakeGraph) -> HashMap<String, String> {
    let mut env = helpers::base_env(db, graph);
    // On PostgreSQL a dead replica's claims pass on when their lease ends.
    env.insert("WORKER_LEASE_SECS".into(), "2".into());
    // Thousands of messages from a few people: WhatsApp's per-user pacing
    // would stretch the replies over hours.
    env.insert("WHATSAPP_RECIPIENT_BURST".into(), "1000000".into());
    // A send cut off by a kill waits this long for Meta's callback.
    env.insert("SENDER_IN_DOUBT_SECS".into(), "2".into());
    env
}

async fn replies(db: &Db) -> Vec<outbound::OutboundRow> {
    outbound::list(db).await.unwrap()
}

async fn killed_after_the_ack_before_processing(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    let mut ingress_only = env(&test_db, &graph);
    ingress_only.insert("RUN_WORKERS".into(), "false".into());
    let server = Server::start(&ingress_only);
    let messages: Vec<(String, &str, &str)> = (0..20)
        .map(|i| (format!("wamid.k{i}"), STAFF, "added 1 screw"))
        .collect();
    let refs: Vec<(&str, &str, &str)> = messages
        .iter()
        .map(|(a, b, c)| (a.as_str(), *b, *c))
        .collect();
    assert_eq!(server.post(&helpers::text_webhook(&refs)).await, 200);
    server.kill9();

    let db = test_db.connect().await;
    assert_eq!(
        stock(&db, "screw").await,
        None,
        "nothing was processed before the kill"
    );
    let server = Server::start(&env(&test_db, &graph));
    eventually("20 replies", Duration::from_secs(15), || async {
        (graph.requests().len() >= 20).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(stock(&db, "screw").await, Some(20));
    for (id, _, _) in &messages {
        assert_eq!(graph.replies_to(id), 1, "{id}");
    }
    assert_eq!(replies(&db).await.len(), 20);
    drop(server);
}

async fn killed_right_after_the_ack(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    let server = Server::start(&env(&test_db, &graph));
    let body = helpers::text_webhook(&[("wamid.now", STAFF, "Added 50 screws")]);
    assert_eq!(server.post(&body).await, 200);
    server.kill9();

    let server = Server::start(&env(&test_db, &graph));
    let db = test_db.connect().await;
    eventually("the reply", Duration::from_secs(15), || async {
        (graph.replies_to("wamid.now") >= 1).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(stock(&db, "screw").await, Some(50));
    assert_eq!(graph.replies_to("wamid.now"), 1);
    assert_eq!(replies(&db).await.len(), 1);
    drop(server);
}

/// Killed while Graph held a send: Graph took it, the answer never came.
/// After the restart the reply is in doubt and is not sent again; Meta's
/// `sent` callback names it (`biz_opaque_callback_data`) and settles it.
async fn killed_mid_send_waits_for_the_callback(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    graph.script([Answer::Hang]);
    let env = env(&test_db, &graph);
    let server = Server::start(&env);
    graph.send_callbacks_to(&server.addr);
    let body = helpers::text_webhook(&[("wamid.mid", STAFF, "Added 7 bolts")]);
    assert_eq!(server.post(&body).await, 200);
    eventually("the send in flight", Duration::from_secs(10), || async {
        (graph.requests().len() == 1).then_some(())
    })
    .await;
    server.kill9();
    graph.release();

    let server = Server::start(&env);
    graph.send_callbacks_to(&server.addr);
    let db = test_db.connect().await;
    let row = eventually(
        "the callback settles it",
        Duration::from_secs(20),
        || async {
            let rows = replies(&db).await;
            rows.into_iter().find(|r| r.status == "sent")
        },
    )
    .await;
    assert_eq!(row.wamid.as_deref(), Some("wamid.fake000000"));
    // Past the in-doubt wait (2 s), nothing is sent again.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(graph.replies_to("wamid.mid"), 1, "sent once");
    assert_eq!(replies(&db).await[0].status, "sent");
    assert_eq!(stock(&db, "bolt").await, Some(7), "the stock changed once");
    drop(server);
}

/// With no callback (Meta never got it, or never said), an in-doubt reply
/// goes again once `SENDER_IN_DOUBT_SECS` have passed: nothing is lost.
async fn killed_mid_send_without_a_callback_sends_again(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    graph.script([Answer::Hang]);
    let env = env(&test_db, &graph);
    let server = Server::start(&env);
    let body = helpers::text_webhook(&[("wamid.mid", STAFF, "Added 7 bolts")]);
    assert_eq!(server.post(&body).await, 200);
    eventually("the send in flight", Duration::from_secs(10), || async {
        (graph.requests().len() == 1).then_some(())
    })
    .await;
    server.kill9();
    graph.release();

    let restarted = std::time::Instant::now();
    let server = Server::start(&env);
    let db = test_db.connect().await;
    let row = eventually("the resend accepted", Duration::from_secs(20), || async {
        let rows = replies(&db).await;
        rows.into_iter().find(|r| r.status == "accepted")
    })
    .await;
    assert!(
        restarted.elapsed() >= Duration::from_millis(1800),
        "it waited for a callback first ({:?})",
        restarted.elapsed()
    );
    assert_eq!(row.attempts, 2);
    assert_eq!(graph.replies_to("wamid.mid"), 2);
    assert_eq!(stock(&db, "bolt").await, Some(7), "the stock changed once");
    drop(server);
}

/// 300 messages, the server killed with SIGKILL while many replies are in
/// flight to a slow Graph API that reports each message it takes (as Meta
/// does), then restarted: every message is applied once and answered once.
async fn killed_mid_traffic_sends_each_reply_once(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    graph.slow_down(Duration::from_millis(150));
    let env = env(&test_db, &graph);
    let server = Server::start(&env);
    graph.send_callbacks_to(&server.addr);
    let ids: Vec<String> = (0..300).map(|i| format!("wamid.traffic{i}")).collect();
    for chunk in ids.chunks(10) {
        let messages: Vec<(&str, &str, &str)> = chunk
            .iter()
            .map(|id| (id.as_str(), STAFF, "added 1 washer"))
            .collect();
        assert_eq!(server.post(&helpers::text_webhook(&messages)).await, 200);
    }
    eventually("replies under way", Duration::from_secs(20), || async {
        (graph.requests().len() >= 60).then_some(())
    })
    .await;
    server.kill9();
    let at_kill = graph.requests().len();

    let server = Server::start(&env);
    graph.send_callbacks_to(&server.addr);
    let db = test_db.connect().await;
    // Every reply settled: none waits to be sent, or to be sent again.
    eventually("every reply settled", Duration::from_secs(60), || async {
        let rows = replies(&db).await;
        (rows.len() == 300 && rows.iter().all(|r| r.status != "queued")).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sends = graph.requests().len();
    eprintln!(
        "kill -9 mid-traffic: {at_kill} sends before the kill, {sends} in all for 300 messages"
    );
    let twice: Vec<&String> = ids.iter().filter(|id| graph.replies_to(id) > 1).collect();
    assert!(twice.is_empty(), "answered twice: {twice:?}");
    assert_eq!(sends, 300);
    assert_eq!(stock(&db, "washer").await, Some(300), "each applied once");
    drop(server);
}

async fn sigterm_shuts_down_cleanly(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    let mut server = Server::start(&env(&test_db, &graph));
    let body = helpers::text_webhook(&[("wamid.term", STAFF, "Added 2 saws")]);
    assert_eq!(server.post(&body).await, 200);
    let pid = server.child.id().to_string();
    let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(status.success());
    let exit = tokio::task::spawn_blocking(move || server.child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "{exit:?}");
    let db = test_db.connect().await;
    // Whatever was accepted before the signal is stored and will be processed.
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inbox")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(stored, 1);
}

#[test]
fn bad_configuration_stops_with_one_clear_line() {
    let output = Command::new(env!("CARGO_BIN_EXE_backroom"))
        .env_clear()
        .env("PORT", "eighty")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("PORT"), "{stderr}");
}

/// 1,000 events fanned out to a slow subscriber; the server is killed while
/// delivering and restarted: every event arrives at least once.
async fn killed_during_a_webhook_burst(test_db: TestDb) {
    use crate::receiver::{Receiver, Reply};
    use backroom::storage::{events, subscriptions};

    let graph = FakeGraph::start().await;
    let rx = Receiver::start().await;
    rx.script(std::iter::repeat_n(
        Reply::Slow(Duration::from_millis(40)),
        3000,
    ));
    let mut env = env(&test_db, &graph);
    for (k, v) in [
        ("ALLOW_HTTP_WEBHOOKS", "true"),
        ("ALLOW_PRIVATE_WEBHOOKS", "true"),
        ("WEBHOOK_TIMEOUT_MS", "1000"),
        ("WEBHOOK_RETRY_SCHEDULE", "0,0.1,0.1,0.1,0.1,0.1"),
        ("RUST_LOG", "warn"),
    ] {
        env.insert(k.into(), v.into());
    }
    let server = Server::start(&env);
    let db = test_db.connect().await;
    let fields = subscriptions::SubscriptionFields {
        name: "sink".into(),
        url: rx.url.clone(),
        description: None,
        events: vec!["message.received".into()],
        active: true,
        ordered: false,
    };
    subscriptions::create(
        &db,
        &crate::helpers::keys(),
        &fields,
        "whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0",
        backroom::storage::now_ms(),
    )
    .await
    .unwrap();
    for chunk in 0..10 {
        let ids: Vec<String> = (0..100)
            .map(|i| format!("wamid.burst{chunk}-{i}"))
            .collect();
        let messages: Vec<(&str, &str, &str)> = ids
            .iter()
            .map(|id| (id.as_str(), STAFF, "how many screws?"))
            .collect();
        assert_eq!(server.post(&helpers::text_webhook(&messages)).await, 200);
    }
    eventually("deliveries under way", Duration::from_secs(30), || async {
        (rx.hits().len() >= 100).then_some(())
    })
    .await;
    server.kill9();
    let before = rx.hits().len();
    assert!(
        before < 1000,
        "the kill came mid-burst ({before} delivered)"
    );
    let _server = Server::start(&env);
    // Messages still in the inbox at the kill are processed after the restart.
    let recorded = eventually(
        "every message recorded",
        Duration::from_secs(30),
        || async {
            let ids: std::collections::HashSet<String> =
                events::list(&db, Some("message.received"), 0, 5000)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|e| e.id)
                    .collect();
            (ids.len() == 1000).then_some(ids)
        },
    )
    .await;
    eventually("every event delivered", Duration::from_secs(60), || async {
        let got: std::collections::HashSet<String> =
            rx.hits().iter().map(|h| h.header("webhook-id")).collect();
        (got == recorded).then_some(())
    })
    .await;
}

/// `/readyz` reports the database, migrations and workers; `/metrics` counts
/// what happened; `backroom backup` copies a live SQLite database that then
/// opens with its data.
#[tokio::test]
async fn readiness_and_backup() {
    let test_db = TestDb::sqlite().await;
    let graph = FakeGraph::start().await;
    let server = Server::start(&env(&test_db, &graph));
    let ready: serde_json::Value = eventually("ready", Duration::from_secs(10), || async {
        let res = reqwest::get(format!("{}/readyz", server.addr)).await.ok()?;
        (res.status() == 200).then_some(())?;
        res.json().await.ok()
    })
    .await;
    assert_eq!(ready["migrations"], true);
    let body = helpers::text_webhook(&[("wamid.bk1", STAFF, "added 7 rakes")]);
    assert_eq!(server.post(&body).await, 200);
    let db = test_db.connect().await;
    eventually("the change", Duration::from_secs(10), || async {
        (stock(&db, "rake").await == Some(7)).then_some(())
    })
    .await;
    let metrics = reqwest::get(format!("{}/metrics", server.addr))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        "backroom_webhooks_received_total{outcome=\"stored\"} 1",
        "backroom_messages_parsed_total{parser=\"rules\"} 1",
        "backroom_stock_changes_total 1",
        "backroom_queue_depth{queue=\"inbox\"} 0",
        "backroom_parse_seconds_bucket",
    ] {
        assert!(
            metrics.contains(needle),
            "{needle} missing from:\n{metrics}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    let out = Command::new(env!("CARGO_BIN_EXE_backroom"))
        .args(["backup", copy.to_str().unwrap()])
        .env_clear()
        .env("DATABASE_URL", test_db.url())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let restored = Db::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    assert_eq!(stock(&restored, "rake").await, Some(7));
}

/// Three replicas on one PostgreSQL take 2,000 signed messages (10 % of them
/// redelivered), one is killed with SIGKILL midway: every distinct message is
/// applied once, the ledger adds up, each message has one stored reply that
/// reached the Graph API, and every event reaches the subscriber.
#[tokio::test]
async fn three_replicas_one_killed() {
    use crate::receiver::Receiver;
    use backroom::storage::{events, items, subscriptions};

    let Some(test_db) = TestDb::postgres().await else {
        return;
    };
    let graph = FakeGraph::start().await;
    let sink = Receiver::start().await;
    let mut env = env(&test_db, &graph);
    for (k, v) in [
        ("ALLOW_HTTP_WEBHOOKS", "true"),
        ("ALLOW_PRIVATE_WEBHOOKS", "true"),
        // A loaded machine can make the sink slow; retries stay within the wait.
        ("WEBHOOK_TIMEOUT_MS", "3000"),
        ("WEBHOOK_RETRY_SCHEDULE", "0,0.5,1,1,2,2,2,2,2,2"),
        ("GRAPH_TIMEOUT_MS", "3000"),
        ("RUST_LOG", "warn"),
    ] {
        env.insert(k.into(), v.into());
    }
    let mut replicas: Vec<Option<Server>> = (0..3).map(|_| Some(Server::start(&env))).collect();
    let db = test_db.connect().await;
    let fields = subscriptions::SubscriptionFields {
        name: "sink".into(),
        url: sink.url.clone(),
        description: None,
        events: vec!["inventory.updated".into()],
        active: true,
        ordered: false,
    };
    subscriptions::create(
        &db,
        &crate::helpers::keys(),
        &fields,
        "whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0",
        backroom::storage::now_ms(),
    )
    .await
    .unwrap();

    // 1,800 distinct messages, then 200 redeliveries of earlier ones, in a mixed order.
    let mut sends: Vec<String> = (0..1800).map(|i| format!("wamid.rep{i}")).collect();
    for i in 0..200 {
        sends.insert(300 + i * 8, format!("wamid.rep{}", i * 7));
    }
    for (n, chunk) in sends.chunks(40).enumerate() {
        if n == 25 {
            replicas[1].take().unwrap().kill9();
        }
        let posts = chunk.iter().enumerate().map(|(i, id)| {
            let alive: Vec<&Server> = replicas.iter().flatten().collect();
            let server = alive[(n + i) % alive.len()];
            let body = helpers::text_webhook(&[(id.as_str(), STAFF, "added 1 screw")]);
            async move { server.post(&body).await }
        });
        assert!(
            futures::future::join_all(posts)
                .await
                .iter()
                .all(|s| *s == 200)
        );
    }

    eventually("every message applied", Duration::from_secs(60), || async {
        (stock(&db, "screw").await == Some(1800)).then_some(())
    })
    .await;
    assert!(items::ledger_mismatches(&db).await.unwrap().is_empty());
    let per_message: Vec<(String, i64)> = sqlx::query_as(
        "SELECT in_reply_to, CAST(COUNT(*) AS BIGINT) FROM outbound_messages \
         WHERE in_reply_to LIKE 'wamid.rep%' GROUP BY in_reply_to",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert_eq!(per_message.len(), 1800);
    assert!(
        per_message.iter().all(|(_, n)| *n == 1),
        "one stored reply per message"
    );
    eventually("every reply sent", Duration::from_secs(60), || async {
        let sent: std::collections::HashSet<String> = graph
            .requests()
            .iter()
            .filter_map(|r| r.body["context"]["message_id"].as_str().map(str::to_string))
            .collect();
        (sent.len() == 1800).then_some(())
    })
    .await;
    let recorded: std::collections::HashSet<String> =
        events::list(&db, Some("inventory.updated"), 0, 10_000)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
    assert_eq!(recorded.len(), 1800);
    eventually("every event delivered", Duration::from_secs(60), || async {
        let got: std::collections::HashSet<String> =
            sink.hits().iter().map(|h| h.header("webhook-id")).collect();
        (got == recorded).then_some(())
    })
    .await;
}

/// Graph rejecting the access token (190) holds replies instead of failing
/// them, shows in `/readyz`, and sending resumes once the token works.
#[tokio::test]
async fn a_rejected_token_holds_replies() {
    let test_db = TestDb::sqlite().await;
    let graph = FakeGraph::start().await;
    graph.script([Answer::Reply(401, crate::fake_graph::graph_error(190))]);
    let mut env = env(&test_db, &graph);
    env.insert("SENDER_RETRY_MAX_MS".into(), "1500".into());
    let server = Server::start(&env);
    let readyz = || async {
        let v: serde_json::Value = reqwest::get(format!("{}/readyz", server.addr))
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        Some(v["whatsapp"].as_str()?.to_string())
    };
    let body = helpers::text_webhook(&[("wamid.t190", STAFF, "added 2 mops")]);
    assert_eq!(server.post(&body).await, 200);
    eventually("the pause shows", Duration::from_secs(10), || async {
        readyz().await.filter(|w| w.contains("190"))
    })
    .await;
    let db = test_db.connect().await;
    let held = replies(&db).await;
    assert_eq!(
        (held[0].status.as_str(), held[0].error_code),
        ("queued", Some(190))
    );
    eventually(
        "sent once the token works",
        Duration::from_secs(15),
        // The rejected request, then the one that went through.
        || async { (graph.replies_to("wamid.t190") == 2).then_some(()) },
    )
    .await;
    eventually("recorded as accepted", Duration::from_secs(10), || async {
        (replies(&db).await[0].status == "accepted").then_some(())
    })
    .await;
    eventually("resumed", Duration::from_secs(10), || async {
        readyz().await.filter(|w| w == "ok")
    })
    .await;
}

/// The id of the request that brought a message in is on the log lines of
/// its receipt, its processing and the sending of its reply, and is answered
/// back in `x-request-id`.
async fn one_request_id_follows_a_message(test_db: TestDb) {
    let graph = FakeGraph::start().await;
    let mut env = env(&test_db, &graph);
    env.insert(
        "RUST_LOG".into(),
        "info,backroom=debug,tower_http=debug".into(),
    );
    let server = Server::start(&env);
    let body = helpers::text_webhook(&[("wamid.trace1", STAFF, "Added 7 nails")]);
    let response = reqwest::Client::new()
        .post(format!("{}/webhook/whatsapp", server.addr))
        .header(
            "x-hub-signature-256",
            backroom::whatsapp::inbound::signature::sign(APP_SECRET.as_bytes(), &body),
        )
        .header("x-request-id", "trace-4f1c<script>")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-request-id"], "trace-4f1c<script>");
    let id = "trace-4f1cscript";
    let db = test_db.connect().await;
    eventually("the reply sent", Duration::from_secs(10), || async {
        replies(&db).await.into_iter().find(|r| r.wamid.is_some())
    })
    .await;
    let lines = eventually("the whole path logged", Duration::from_secs(10), || async {
        let logs = server.logs.lock().unwrap().clone();
        let ours: Vec<String> = logs.into_iter().filter(|l| l.contains(id)).collect();
        let has = |m: &str| ours.iter().any(|l| l.contains(m));
        (has("started processing request") && has("message applied") && has("\"sent\""))
            .then_some(ours)
    })
    .await;
    assert!(lines.len() >= 3, "{lines:#?}");
    let inbox_id: Option<String> = sqlx::query_scalar("SELECT request_id FROM inbox")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(inbox_id.as_deref(), Some(id));

    // Without one, the app makes one up and answers it back.
    let health = reqwest::get(format!("{}/healthz", server.addr))
        .await
        .unwrap();
    assert_eq!(health.headers()["x-request-id"].len(), 36);
}
