//! Webhook ingress: handshake, signatures, envelopes, batching, duplicates.

use std::time::Duration;

use crate::{
    both_databases,
    fake_graph::FakeGraph,
    helpers::{self, APP_SECRET, TestApp, TestDb, VERIFY_TOKEN, eventually, fixture, stock},
};

both_databases!(
    handshake,
    signatures,
    every_fixture_is_accepted,
    batched_post_handles_every_message,
    duplicates_change_stock_once,
    a_new_item_is_announced_once_per_batch,
    bad_bodies_get_clear_errors,
);

async fn app(db: &TestDb) -> (TestApp, FakeGraph) {
    let graph = FakeGraph::start().await;
    let app = TestApp::spawn(helpers::base_env(db, &graph)).await;
    (app, graph)
}

async fn handshake(db: TestDb) {
    let (app, _graph) = app(&db).await;
    let get = |query: String| {
        let http = app.http.clone();
        let url = format!("{}/webhook/whatsapp?{query}", app.addr);
        async move { http.get(url).send().await.unwrap() }
    };
    let ok = get(format!(
        "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={VERIFY_TOKEN}"
    ))
    .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.headers()["content-type"], "text/plain");
    assert_eq!(ok.text().await.unwrap(), "1158201444");

    for bad in [
        "hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong".to_string(),
        format!("hub.mode=unsubscribe&hub.challenge=1&hub.verify_token={VERIFY_TOKEN}"),
        "hub.mode=subscribe&hub.challenge=1".to_string(),
        format!("hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}"),
        String::new(),
    ] {
        assert_eq!(get(bad.clone()).await.status(), 403, "{bad}");
    }
}

async fn signatures(db: TestDb) {
    let (app, _graph) = app(&db).await;
    let body = fixture("text_raw_escaped.json");
    let post = |signature: Option<String>, body: Vec<u8>| {
        let mut req = app
            .http
            .post(format!("{}/webhook/whatsapp", app.addr))
            .body(body);
        if let Some(s) = signature {
            req = req.header("x-hub-signature-256", s);
        }
        req.send()
    };
    // Missing and wrong signatures are refused and store nothing.
    assert_eq!(post(None, body.clone()).await.unwrap().status(), 401);
    let wrong = backroom::whatsapp::inbound::signature::sign(b"not the secret", &body);
    assert_eq!(post(Some(wrong), body.clone()).await.unwrap().status(), 401);
    let reserialised =
        serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(&body).unwrap()).unwrap();
    let right_for_original =
        "sha256=137aa9a30853c2708392483bfc4e5dd66f035f303dfed9eecef077f24265d236".to_string();
    assert_eq!(
        post(Some(right_for_original.clone()), reserialised)
            .await
            .unwrap()
            .status(),
        401
    );
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM inbox")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
    };
    assert_eq!(count().await, 0);

    // The byte-exact Meta body (\u00e9, surrogate pairs, \/) verifies as sent.
    let response = post(Some(right_for_original), body).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(count().await, 1);
    let text: String = sqlx::query_scalar("SELECT body FROM inbox")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        text,
        "Café au lait? No — 2 hammers 🔨 and 1/2 box of screws"
    );
    assert_eq!(APP_SECRET, "backroom-fixture-app-secret");
}

async fn every_fixture_is_accepted(db: TestDb) {
    let (app, _graph) = app(&db).await;
    let mut webhooks = 0;
    for entry in std::fs::read_dir(helpers::fixture_path("")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let graph_response = name.starts_with("send_success")
            || name.starts_with("error_")
            || name.starts_with("media_url")
            || name.starts_with("mark_read");
        if graph_response || !name.ends_with(".json") {
            continue;
        }
        let response = app.post_webhook(&fixture(&name)).await;
        assert_eq!(response.status(), 200, "{name}");
        webhooks += 1;
    }
    assert_eq!(webhooks, 29, "webhook fixtures found");
    // Every fixture message has an id, so each is in the inbox once.
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inbox")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(stored >= 25, "{stored} messages stored");
}

async fn batched_post_handles_every_message(db: TestDb) {
    let (app, graph) = app(&db).await;
    // Two entries, the first with two changes; messages and a status mixed.
    let body = serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [
            {"id": "1", "changes": [
                {"field": "messages", "value": {"metadata": {"phone_number_id": helpers::PHONE_NUMBER_ID},
                    "messages": [
                        {"from": helpers::STAFF, "id": "wamid.b1", "timestamp": "1", "type": "text", "text": {"body": "added 10 screws"}},
                        {"from": helpers::STAFF, "id": "wamid.b2", "timestamp": "2", "type": "text", "text": {"body": "added 5 bolts"}}
                    ]}},
                {"field": "messages", "value": {"metadata": {"phone_number_id": helpers::PHONE_NUMBER_ID},
                    "statuses": [{"id": "wamid.unknown", "status": "read", "timestamp": "3", "recipient_id": "1"}]}}
            ]},
            {"id": "1", "changes": [
                {"field": "messages", "value": {"metadata": {"phone_number_id": helpers::PHONE_NUMBER_ID},
                    "messages": [
                        {"from": helpers::STAFF, "id": "wamid.b3", "timestamp": "4", "type": "text", "text": {"body": "sold 4 screws"}}
                    ]}}
            ]}
        ]
    });
    let response = app.post_webhook(&serde_json::to_vec(&body).unwrap()).await;
    assert_eq!(response.status(), 200);
    eventually("three replies", Duration::from_secs(10), || async {
        (graph.requests().len() == 3).then_some(())
    })
    .await;
    assert_eq!(stock(&app.db, "screw").await, Some(6));
    assert_eq!(stock(&app.db, "bolt").await, Some(5));

    // The shared fixture: one staff and one customer message in one change.
    let response = app
        .post_webhook(&fixture("batched_two_messages.json"))
        .await;
    assert_eq!(response.status(), 200);
    eventually("two more replies", Duration::from_secs(10), || async {
        (graph.requests().len() == 5).then_some(())
    })
    .await;
}

async fn duplicates_change_stock_once(db: TestDb) {
    let (app, graph) = app(&db).await;
    let body = helpers::text_webhook(&[("wamid.dup1", helpers::STAFF, "Added 50 screws")]);
    // Meta redelivers; it may even repeat an id inside one POST.
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    let twice = helpers::text_webhook(&[
        ("wamid.dup1", helpers::STAFF, "Added 50 screws"),
        ("wamid.dup2", helpers::STAFF, "Added 1 screw"),
        ("wamid.dup2", helpers::STAFF, "Added 1 screw"),
    ]);
    assert_eq!(app.post_webhook(&twice).await.status(), 200);
    eventually("replies", Duration::from_secs(10), || async {
        (graph.requests().len() >= 2).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(stock(&app.db, "screw").await, Some(51));
    assert_eq!(graph.replies_to("wamid.dup1"), 1);
    assert_eq!(graph.replies_to("wamid.dup2"), 1);
    assert_eq!(
        graph.texts(),
        [
            "🆕 New item: screw — 50 in stock. Reply undo if that's a typo.",
            "✅ Added 1 screw — 51 in stock"
        ]
    );
}

/// Two adds of an item the shop lacks, in one POST (so usually one batch):
/// only the first says the item is new.
async fn a_new_item_is_announced_once_per_batch(db: TestDb) {
    let (app, graph) = app(&db).await;
    let body = helpers::text_webhook(&[
        ("wamid.new1", helpers::STAFF, "Added 5 hinges"),
        ("wamid.new2", helpers::STAFF, "Added 2 hinges"),
    ]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    eventually("replies", Duration::from_secs(10), || async {
        (graph.requests().len() >= 2).then_some(())
    })
    .await;
    assert_eq!(stock(&app.db, "hinge").await, Some(7));
    // The sender may deliver the two replies in either order.
    let mut texts = graph.texts();
    texts.sort();
    assert_eq!(
        texts,
        [
            "✅ Added 2 hinges — 7 in stock",
            "🆕 New item: hinge — 5 in stock. Reply undo if that's a typo.",
        ]
    );
}

async fn bad_bodies_get_clear_errors(db: TestDb) {
    let (app, _graph) = app(&db).await;
    let malformed = app
        .post_webhook(b"{\"object\": \"whatsapp_business_account\", ")
        .await;
    assert_eq!(malformed.status(), 400);
    let body: serde_json::Value = malformed.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("malformed JSON")
    );

    // Valid JSON we do not understand is acknowledged so Meta stops retrying.
    for other in [
        &br#"{"object":"page","entry":[]}"#[..],
        br#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"account_update","value":{"event":"X"}}]}]}"#,
        br#"{"object":"whatsapp_business_account","entry":"not a list"}"#,
        br#"[1,2,3]"#,
        br#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"106000000000001"},"messages":[{"id":"wamid.odd","from":12345,"type":"text","text":"x"}]}}]}]}"#,
        // With no phone number id it is not for the shop: acknowledged, ignored.
        br#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"wamid.nometa","from":"27825550101","type":"text","text":{"body":"sold 1 saw"}}]}}]}]}"#,
    ] {
        assert_eq!(app.post_webhook(other).await.status(), 200);
    }
    let ignored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM inbox WHERE wamid = 'wamid.nometa'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(ignored, 0);
    // The odd-typed message is kept, not lost.
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inbox WHERE wamid = 'wamid.odd'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(kept, 1);

    let huge = vec![b' '; 5 << 20];
    assert_eq!(app.post_oversized_webhook(&huge).await, 413);
    let invalid_utf8 = b"{\"object\": \"\xff\xfe\"}";
    assert_eq!(app.post_webhook(invalid_utf8).await.status(), 400);
}

both_databases!(readme_curl_example_changes_stock);

/// The README's curl example, body and signature recipe, works as written.
async fn readme_curl_example_changes_stock(db: TestDb) {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let body_line = readme
        .lines()
        .find(|l| l.starts_with("BODY='"))
        .expect("README has a BODY= line");
    let body = body_line
        .trim_start_matches("BODY='")
        .trim_end_matches('\'')
        .to_string();
    let sig_line = readme
        .lines()
        .find(|l| l.starts_with("SIG="))
        .expect("README has a SIG= line");
    // The shell recipe must compute the same signature the server checks.
    let script =
        format!("WHATSAPP_APP_SECRET={APP_SECRET}\n{body_line}\n{sig_line}\nprintf '%s' \"$SIG\"");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        backroom::whatsapp::inbound::signature::sign(APP_SECRET.as_bytes(), body.as_bytes()),
        "README signature recipe (needs openssl): {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let graph = FakeGraph::start().await;
    let app = TestApp::spawn(helpers::base_env(&db, &graph)).await;
    assert_eq!(app.post_webhook(body.as_bytes()).await.status(), 200);
    eventually("the reply", Duration::from_secs(10), || async {
        (graph.replies_to("wamid.readme-example-1") == 1).then_some(())
    })
    .await;
    assert_eq!(stock(&app.db, "screw").await, Some(50));
    assert_eq!(
        graph.reply_text("wamid.readme-example-1").as_deref(),
        Some("🆕 New item: screw — 50 in stock. Reply undo if that's a typo.")
    );
}
