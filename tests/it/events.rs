//! Event webhooks end to end: a real receiver on loopback, signatures checked
//! by the official Standard Webhooks library and by plain HMAC in Python and
//! Node, retries, 410, rotation, slow endpoints, ordering, and the API.

use std::{io::Write, process::Stdio, time::Duration};

use backroom::api::auth::Scope;
use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_databases,
    fake_graph::FakeGraph,
    helpers::{self, STAFF, TestApp, TestDb, eventually},
    receiver::{Receiver, Reply},
};

const WAIT: Duration = Duration::from_secs(15);

both_databases!(
    deliveries_are_signed_and_verifiable,
    patterns_pick_events,
    failures_are_retried_then_logged,
    gone_disables_the_subscription,
    rotation_signs_with_both_secrets,
    a_hanging_endpoint_does_not_hold_back_others,
    ordered_subscriptions_keep_entity_order,
    private_addresses_are_refused_without_the_flag,
    failing_too_long_turns_off_and_tells_owners,
);

struct Hooks {
    app: TestApp,
    token: String,
    graph: FakeGraph,
}

impl Hooks {
    async fn start(db: &TestDb, extra: &[(&str, &str)]) -> Self {
        let graph = FakeGraph::start().await;
        let mut env = helpers::base_env(db, &graph);
        for (k, v) in [
            ("ALLOW_HTTP_WEBHOOKS", "true"),
            ("ALLOW_PRIVATE_WEBHOOKS", "true"),
            ("WEBHOOK_RETRY_SCHEDULE", "0,0.05,0.05,0.05"),
            ("WEBHOOK_TIMEOUT_MS", "3000"),
        ]
        .into_iter()
        .chain(extra.iter().copied())
        {
            env.insert(k.into(), v.into());
        }
        let app = TestApp::spawn(env).await;
        let token = backroom::api::auth::create(&app.db, "tests", &[Scope::Admin])
            .await
            .unwrap()
            .token;
        Self { app, token, graph }
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .app
            .http
            .request(method, format!("{}{path}", self.app.addr))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Subscribes and returns (id, secret).
    async fn subscribe(&self, url: &str, events: &[&str], ordered: bool) -> (i64, String) {
        let (status, v) = self
            .call(
                Method::POST,
                "/api/v1/webhooks",
                Some(json!({"name": "test", "url": url, "events": events, "ordered": ordered})),
            )
            .await;
        assert_eq!(status, 201, "{v}");
        (
            v["id"].as_i64().unwrap(),
            v["secret"].as_str().unwrap().to_string(),
        )
    }

    /// Creates an item and changes its stock `n` times (one event each).
    async fn churn(&self, name: &str, n: usize) -> i64 {
        let (_, item) = self
            .call(Method::POST, "/api/v1/items", Some(json!({"name": name})))
            .await;
        let id = item["id"].as_i64().unwrap();
        for _ in 0..n {
            let path = format!("/api/v1/items/{id}/adjust");
            let (status, _) = self
                .call(Method::POST, &path, Some(json!({"delta": 1})))
                .await;
            assert_eq!(status, 200);
        }
        id
    }
}

/// Runs a verifier script on a delivery; true when it accepts it.
fn verifies(program: &str, script: &str, secret: &str, hit: &crate::receiver::Hit) -> bool {
    let headers: serde_json::Map<String, Value> = [
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
        "x-webhook-signature",
    ]
    .iter()
    .map(|h| (h.to_string(), Value::from(hit.header(h))))
    .collect();
    let case = json!({"secret": secret, "headers": headers, "body": hit.body});
    let path = format!("{}/tests/verify/{script}", env!("CARGO_MANIFEST_DIR"));
    let mut child = std::process::Command::new(program)
        .arg(path)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(case.to_string().as_bytes())
        .unwrap();
    child.wait().unwrap().success()
}

/// The Python with `standardwebhooks`, when this machine has one.
fn python_with_standardwebhooks() -> Option<String> {
    let python = std::env::var("BACKROOM_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = std::process::Command::new(&python)
        .args(["-c", "import standardwebhooks"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok || std::env::var_os("REQUIRE_VERIFIERS").is_none(),
        "{python} lacks standardwebhooks (.ci/python-env installs it)"
    );
    ok.then_some(python)
}

async fn deliveries_are_signed_and_verifiable(db: TestDb) {
    let hooks = Hooks::start(&db, &[]).await;
    let rx = Receiver::start().await;
    let (_, secret) = hooks.subscribe(&rx.url, &["*"], false).await;
    let body = helpers::text_webhook(&[("wamid.wh1", STAFF, "Added 50 screws — café")]);
    hooks.app.post_webhook(&body).await;
    let hit = eventually("inventory.updated delivered", WAIT, || async {
        rx.of("inventory.updated").into_iter().next()
    })
    .await;
    let v = hit.json();
    assert_eq!(v["event"], "inventory.updated");
    assert_eq!(v["id"].as_str().unwrap(), hit.header("webhook-id"));
    assert_eq!(v["data"]["quantity_after"], 50);
    assert!(v["timestamp"].as_str().unwrap().ends_with('Z'));
    assert_eq!(hit.header("x-webhook-attempt"), "1");
    assert!(hit.header("webhook-signature").starts_with("v1,"));
    // message.received carries the text with its accent, byte for byte.
    let received = eventually("message.received", WAIT, || async {
        rx.of("message.received").into_iter().next()
    })
    .await;
    assert!(received.body.contains("café"));

    for h in [&hit, &received] {
        assert!(
            verifies("python3", "plain.py", &secret, h),
            "plain HMAC in Python"
        );
        assert!(
            verifies("node", "plain.js", &secret, h),
            "plain HMAC in Node"
        );
        if let Some(python) = python_with_standardwebhooks() {
            assert!(
                verifies(&python, "standard.py", &secret, h),
                "standardwebhooks"
            );
            assert!(!verifies(
                &python,
                "standard.py",
                "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                h
            ));
        }
    }
    let mut tampered = hit.clone();
    tampered.body = tampered.body.replace("50", "51");
    assert!(!verifies("python3", "plain.py", &secret, &tampered));
}

async fn patterns_pick_events(db: TestDb) {
    let hooks = Hooks::start(&db, &[]).await;
    let (orders, low, all) = (
        Receiver::start().await,
        Receiver::start().await,
        Receiver::start().await,
    );
    hooks.subscribe(&orders.url, &["order.*"], false).await;
    hooks.subscribe(&low.url, &["stock.low"], false).await;
    hooks.subscribe(&all.url, &["*"], false).await;
    let id = hooks.churn("drill", 6).await;
    let order = json!({"contact": "27825550142", "lines": [{"item_id": id, "quantity": 2}]});
    let (status, _) = hooks
        .call(Method::POST, "/api/v1/orders", Some(order))
        .await;
    assert_eq!(status, 201);
    eventually("stock.low and order.created arrive", WAIT, || async {
        (orders.hits().len() == 1 && low.hits().len() == 1).then_some(())
    })
    .await;
    assert_eq!(orders.hits()[0].header("x-webhook-event"), "order.created");
    assert_eq!(low.hits()[0].json()["data"]["quantity"], 4);
    eventually("everything to *", WAIT, || async {
        // 7 inventory.updated, 1 stock.low, 1 order.created
        (all.hits().len() == 9).then_some(())
    })
    .await;
    // An unknown event type is refused, naming the field.
    let (status, v) = hooks
        .call(
            Method::POST,
            "/api/v1/webhooks",
            Some(json!({"name": "x", "url": all.url, "events": ["orders.*"]})),
        )
        .await;
    assert_eq!(
        (status, v["error"]["fields"]["events"].is_string()),
        (422, true)
    );
}

async fn failures_are_retried_then_logged(db: TestDb) {
    let hooks = Hooks::start(&db, &[]).await;
    let rx = Receiver::start().await;
    rx.script([Reply::Status(500), Reply::Status(503)]);
    let (id, _) = hooks
        .subscribe(&rx.url, &["inventory.updated"], false)
        .await;
    hooks.churn("bolt", 1).await;
    eventually("three attempts", WAIT, || async {
        (rx.hits().len() == 3).then_some(())
    })
    .await;
    let (_, logs) = eventually("the log", WAIT, || async {
        let r = hooks
            .call(Method::GET, &format!("/api/v1/webhooks/{id}/logs"), None)
            .await;
        (r.1["data"].as_array().unwrap().len() == 3).then_some(r)
    })
    .await;
    let codes: Vec<i64> = logs["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status_code"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [200, 503, 500], "newest first");
    let attempts: Vec<String> = rx
        .hits()
        .iter()
        .map(|h| h.header("x-webhook-attempt"))
        .collect();
    assert_eq!(attempts, ["1", "2", "3"]);
    let ids: Vec<String> = rx.hits().iter().map(|h| h.header("webhook-id")).collect();
    assert!(
        ids.iter().all(|i| *i == ids[0]),
        "webhook-id is stable across retries"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(rx.hits().len(), 3, "exactly one success, no more sends");
    let (_, stats) = hooks
        .call(Method::GET, &format!("/api/v1/webhooks/{id}/stats"), None)
        .await;
    assert_eq!(
        (stats["attempts"].as_i64(), stats["succeeded"].as_i64()),
        (Some(3), Some(1))
    );
    assert_eq!(stats["delivered"], 1);

    // A manual retry sends the delivered event once more; replay finds no failures.
    let attempt = logs["data"][0]["id"].as_i64().unwrap();
    let (status, v) = hooks
        .call(
            Method::POST,
            &format!("/api/v1/webhooks/{id}/logs/{attempt}/retry"),
            None,
        )
        .await;
    assert_eq!((status, v["requeued"].as_i64()), (200, Some(1)));
    eventually("the manual retry", WAIT, || async {
        (rx.hits().len() == 4).then_some(())
    })
    .await;
    let (_, v) = hooks
        .call(
            Method::POST,
            &format!("/api/v1/webhooks/{id}/replay?since=0"),
            None,
        )
        .await;
    assert_eq!(v["requeued"], 0);

    // The test button answers with the attempt and what was signed.
    let (status, sent) = hooks
        .call(
            Method::POST,
            &format!("/api/v1/webhooks/{id}/test"),
            Some(json!({})),
        )
        .await;
    assert_eq!((status, sent["status_code"].as_i64()), (200, Some(200)));
    let signed = sent["signed_content"].as_str().unwrap();
    assert!(signed.starts_with(&format!(
        "{}.{}.",
        sent["webhook_id"].as_str().unwrap(),
        sent["webhook_timestamp"]
    )));
    assert_eq!(
        rx.hits().last().unwrap().header("x-webhook-event"),
        "webhook.test"
    );
    // As the README's curl sends it: no body at all.
    let before = rx.hits().len();
    let (status, sent) = hooks
        .call(Method::POST, &format!("/api/v1/webhooks/{id}/test"), None)
        .await;
    assert_eq!(
        (status, sent["status_code"].as_i64()),
        (200, Some(200)),
        "{sent}"
    );
    assert_eq!(rx.hits().len(), before + 1);
    assert_eq!(
        rx.hits().last().unwrap().header("x-webhook-event"),
        "webhook.test"
    );
}

async fn gone_disables_the_subscription(db: TestDb) {
    let hooks = Hooks::start(&db, &[]).await;
    let rx = Receiver::start().await;
    rx.script([Reply::Status(410)]);
    let (id, _) = hooks
        .subscribe(&rx.url, &["inventory.updated"], false)
        .await;
    hooks.churn("nut", 1).await;
    let sub = eventually("disabled", WAIT, || async {
        let (_, v) = hooks
            .call(Method::GET, &format!("/api/v1/webhooks/{id}"), None)
            .await;
        (v["active"] == false).then_some(v)
    })
    .await;
    assert!(sub["disabled_reason"].as_str().unwrap().contains("410"));
    hooks.churn("washer", 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(rx.hits().len(), 1, "nothing more is sent to it");
}

async fn rotation_signs_with_both_secrets(db: TestDb) {
    let hooks = Hooks::start(&db, &[]).await;
    let rx = Receiver::start().await;
    let (id, old) = hooks
        .subscribe(&rx.url, &["inventory.updated"], false)
        .await;
    let (status, rotated) = hooks
        .call(
            Method::POST,
            &format!("/api/v1/webhooks/{id}/rotate-secret"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let new = rotated["secret"].as_str().unwrap().to_string();
    assert_ne!(new, old);
    hooks.churn("hinge", 1).await;
    let hit = eventually("the delivery", WAIT, || async {
        rx.hits().into_iter().next()
    })
    .await;
    assert_eq!(hit.header("webhook-signature").split(' ').count(), 2);
    if let Some(python) = python_with_standardwebhooks() {
        assert!(
            verifies(&python, "standard.py", &old, &hit),
            "old secret during the grace period"
        );
        assert!(verifies(&python, "standard.py", &new, &hit), "new secret");
    }
    assert!(
        verifies("node", "plain.js", &new, &hit),
        "the plain signature uses the newest secret"
    );
}

async fn a_hanging_endpoint_does_not_hold_back_others(db: TestDb) {
    let hooks = Hooks::start(
        &db,
        &[
            ("WEBHOOK_PER_SUBSCRIPTION", "4"),
            ("WEBHOOK_TIMEOUT_MS", "10000"),
        ],
    )
    .await;
    let (slow, fast) = (Receiver::start().await, Receiver::start().await);
    slow.script(std::iter::repeat_n(Reply::Slow(Duration::from_secs(6)), 20));
    hooks
        .subscribe(&slow.url, &["inventory.updated"], false)
        .await;
    hooks
        .subscribe(&fast.url, &["inventory.updated"], false)
        .await;
    let started = std::time::Instant::now();
    hooks.churn("saw", 20).await;
    eventually("the fast endpoint has all 20", WAIT, || async {
        (fast.hits().len() == 20).then_some(())
    })
    .await;
    // Each slow answer takes 6 s and that endpoint gets 4 slots: waiting on it
    // would take far longer than this.
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "fast deliveries waited for the slow endpoint"
    );
}

async fn ordered_subscriptions_keep_entity_order(db: TestDb) {
    let hooks = Hooks::start(&db, &[]).await;
    let rx = Receiver::start().await;
    // The first delivery fails twice; later events of the same item must wait.
    rx.script([Reply::Status(500), Reply::Status(500)]);
    hooks.subscribe(&rx.url, &["inventory.updated"], true).await;
    hooks.churn("ladder", 5).await;
    eventually("all five delivered", WAIT, || async {
        (rx.hits().len() >= 7).then_some(())
    })
    .await;
    let delivered: Vec<i64> = rx
        .hits()
        .iter()
        .map(|h| h.json()["data"]["quantity_after"].as_i64().unwrap())
        .collect();
    assert_eq!(
        delivered,
        [1, 1, 1, 2, 3, 4, 5],
        "retries of 1 come before 2"
    );
}

async fn private_addresses_are_refused_without_the_flag(db: TestDb) {
    let hooks = Hooks::start(
        &db,
        &[
            ("ALLOW_PRIVATE_WEBHOOKS", "false"),
            ("WEBHOOK_RETRY_SCHEDULE", "0"),
        ],
    )
    .await;
    let rx = Receiver::start().await;
    // An address literal is refused when the subscription is made…
    for literal in [
        rx.url.clone(),
        "https://[::ffff:127.0.0.1]/x".into(),
        "https://[2002:a9fe:a9fe::]/latest/meta-data".into(),
        "https://[64:ff9b::a00:1]/".into(),
        "https://169.254.169.254/latest".into(),
    ] {
        let (status, v) = hooks
            .call(
                Method::POST,
                "/api/v1/webhooks",
                Some(json!({"name": "x", "url": literal, "events": ["*"]})),
            )
            .await;
        assert_eq!(status, 422, "{literal}: {v}");
        assert!(
            v["error"]["fields"]["url"]
                .as_str()
                .unwrap()
                .contains("public")
        );
    }
    // …and a name that resolves to one is refused at delivery.
    let by_name = rx.url.replace("127.0.0.1", "localhost");
    let (id, _) = hooks.subscribe(&by_name, &["*"], false).await;
    hooks.churn("rope", 1).await;
    let (_, logs) = eventually("a refused attempt", WAIT, || async {
        let r = hooks
            .call(Method::GET, &format!("/api/v1/webhooks/{id}/logs"), None)
            .await;
        (!r.1["data"].as_array().unwrap().is_empty()).then_some(r)
    })
    .await;
    assert!(
        logs["data"][0]["error"]
            .as_str()
            .unwrap()
            .contains("public"),
        "{logs}"
    );
    assert!(
        rx.hits().is_empty(),
        "nothing reached the loopback receiver"
    );
    let (status, v) = hooks
        .call(
            Method::POST,
            "/api/v1/webhooks",
            Some(json!({"name": "x", "url": "ftp://example.com", "events": ["*"]})),
        )
        .await;
    assert_eq!(
        (status, v["error"]["fields"]["url"].is_string()),
        (422, true)
    );
}

async fn failing_too_long_turns_off_and_tells_owners(db: TestDb) {
    let owner = "15555550199";
    let hooks = Hooks::start(
        &db,
        &[
            ("WEBHOOK_DISABLE_AFTER_SECS", "1"),
            ("WEBHOOK_RETRY_SCHEDULE", "0,1.3"),
            ("OWNER_PHONES", owner),
        ],
    )
    .await;
    let rx = Receiver::start().await;
    rx.script([Reply::Status(500), Reply::Status(500)]);
    let (id, _) = hooks
        .subscribe(&rx.url, &["inventory.updated"], false)
        .await;
    hooks.churn("spade", 1).await;
    let sub = eventually("turned off", WAIT, || async {
        let (_, v) = hooks
            .call(Method::GET, &format!("/api/v1/webhooks/{id}"), None)
            .await;
        (v["active"] == false).then_some(v)
    })
    .await;
    assert!(sub["disabled_reason"].as_str().unwrap().contains("failing"));
    // The owner never wrote and no template is set: the alert waits for them.
    eventually("the alert held", WAIT, || async {
        let rows = backroom::storage::outbound::list(&hooks.app.db)
            .await
            .unwrap();
        rows.iter()
            .any(|r| r.recipient == owner && r.status == "held")
            .then_some(())
    })
    .await;
    let hello = crate::helpers::text_webhook(&[("wamid.owner-hi", owner, "stock")]);
    assert_eq!(hooks.app.post_webhook(&hello).await.status(), 200);
    let alert = eventually("the owner's alert", WAIT, || async {
        hooks.graph.requests().into_iter().find(|r| {
            r.body["to"] == owner
                && r.body["text"]["body"]
                    .as_str()
                    .is_some_and(|t| t.contains("turned off"))
        })
    })
    .await;
    assert!(
        alert.body["text"]["body"]
            .as_str()
            .unwrap()
            .contains("turned off")
    );
    // Turning it back on clears the failure record.
    let (status, v) = hooks
        .call(
            Method::PATCH,
            &format!("/api/v1/webhooks/{id}"),
            Some(json!({"active": true})),
        )
        .await;
    assert_eq!(
        (status, v["active"].as_bool(), v["failing_since"].is_null()),
        (200, Some(true), true)
    );
}
