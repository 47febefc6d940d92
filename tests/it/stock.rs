//! Stock changes through the webhook: replies, roles, limits, concurrency.

use std::time::Duration;

use backroom::storage::{items, outbound};

use crate::{
    both_databases,
    fake_graph::FakeGraph,
    helpers::{self, CUSTOMER, STAFF, TestApp, TestDb, eventually, stock},
};

both_databases!(
    staff_change_stock_and_get_confirmations,
    customers_cannot_change_stock,
    sandbox_mode_stores_replies_without_sending,
    concurrent_removes_never_go_below_zero,
);

async fn staff_change_stock_and_get_confirmations(db: TestDb) {
    let graph = FakeGraph::start().await;
    let app = TestApp::spawn(helpers::base_env(&db, &graph)).await;
    let steps = [
        // The first add of an item says it is new, so a typo shows at once.
        (
            "Added 50 screws",
            "🆕 New item: screw — 50 in stock. Reply undo if that's a typo.",
        ),
        ("sold 3 screws", "✅ Removed 3 screws — 47 in stock"),
        ("set screws to 120", "✅ Set screws to 120 (was 47)"),
        ("how many screws?", "📦 screws: 120 in stock"),
        (
            "sold 500 screws",
            "⚠️ Only 120 screws in stock, can't remove 500. Nothing was changed.",
        ),
        (
            "sold 1 hammer",
            "❓ There is no hammer in stock yet, so nothing was changed.",
        ),
        ("stock", "📋 Stock (1 item):\n• screw: 120"),
        (
            "what's the weather like",
            &backroom::conversation::replies::not_understood(
                backroom::domain::lang::Lang::En,
                backroom::storage::contacts::Role::Staff,
            ),
        ),
    ];
    for (i, (text, _)) in steps.iter().enumerate() {
        let id = format!("wamid.step{i}");
        let body = helpers::text_webhook(&[(&id, STAFF, text)]);
        assert_eq!(app.post_webhook(&body).await.status(), 200);
        eventually("the reply", Duration::from_secs(10), || async {
            (graph.replies_to(&id) == 1).then_some(())
        })
        .await;
    }
    let expected: Vec<&str> = steps.iter().map(|(_, reply)| *reply).collect();
    assert_eq!(graph.texts(), expected);
    let first = &graph.requests()[0];
    assert_eq!(first.phone_number_id, helpers::PHONE_NUMBER_ID);
    assert_eq!(
        first.authorization.as_deref(),
        Some("Bearer test-access-token")
    );
    assert_eq!(first.body["to"], STAFF);
    assert_eq!(first.body["context"]["message_id"], "wamid.step0");

    // The ledger explains the balance, line by line.
    let screw = items::get(&app.db, "screw").await.unwrap().unwrap();
    let ledger = items::movements(&app.db, screw.id).await.unwrap();
    let deltas: Vec<(i64, i64, &str)> = ledger
        .iter()
        .map(|m| (m.delta, m.balance_after, m.reason.as_str()))
        .collect();
    assert_eq!(
        deltas,
        [(50, 50, "add"), (-3, 47, "remove"), (73, 120, "set")]
    );
    assert_eq!(ledger[0].actor.as_deref(), Some(STAFF));
    assert_eq!(ledger[0].source_message_id.as_deref(), Some("wamid.step0"));
    assert!(items::ledger_mismatches(&app.db).await.unwrap().is_empty());

    // Each sent reply has Graph's message id stored (the last outcome is
    // recorded just after the fake Graph API answers).
    eventually(
        "every outcome recorded",
        Duration::from_secs(10),
        || async {
            let sent = outbound::list(&app.db).await.unwrap();
            sent.iter()
                .all(|m| m.status == "accepted" && m.wamid.is_some())
                .then_some(())
        },
    )
    .await;
}

async fn customers_cannot_change_stock(db: TestDb) {
    let graph = FakeGraph::start().await;
    let app = TestApp::spawn(helpers::base_env(&db, &graph)).await;
    let body = helpers::text_webhook(&[
        ("wamid.s1", STAFF, "added 5 hammers"),
        ("wamid.c1", CUSTOMER, "added 500 hammers"),
        ("wamid.c2", CUSTOMER, "set hammers to 0"),
        ("wamid.c3", CUSTOMER, "how many hammers"),
    ]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    eventually("four replies", Duration::from_secs(10), || async {
        (graph.requests().len() == 4).then_some(())
    })
    .await;
    assert_eq!(stock(&app.db, "hammer").await, Some(5));
    let reply = |id| graph.reply_text(id).unwrap();
    assert_eq!(
        reply("wamid.c1"),
        backroom::conversation::replies::staff_only(backroom::domain::lang::Lang::En)
    );
    assert_eq!(
        reply("wamid.c2"),
        backroom::conversation::replies::staff_only(backroom::domain::lang::Lang::En)
    );
    // Customers learn whether, not how many (SHOW_STOCK_COUNTS is off).
    assert_eq!(reply("wamid.c3"), "✅ Yes, we have hammers in stock.");
}

async fn sandbox_mode_stores_replies_without_sending(db: TestDb) {
    let graph = FakeGraph::start().await;
    let mut env = helpers::base_env(&db, &graph);
    env.remove("WHATSAPP_ACCESS_TOKEN");
    let app = TestApp::spawn(env).await;
    let body = helpers::text_webhook(&[("wamid.sb1", STAFF, "Added 50 screws")]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    let stored = eventually("the stored reply", Duration::from_secs(10), || async {
        outbound::list(&app.db).await.unwrap().into_iter().next()
    })
    .await;
    assert_eq!(stored.status, "sandbox");
    assert_eq!(
        stored.preview,
        "🆕 New item: screw — 50 in stock. Reply undo if that's a typo."
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(graph.requests().is_empty());
    app.stop().await;
}

/// 50 customers' worth of sales race for 30 hammers; on PostgreSQL two
/// replicas share the work. Stock never goes negative and the ledger adds up.
async fn concurrent_removes_never_go_below_zero(db: TestDb) {
    let graph = FakeGraph::start().await;
    let mut env = helpers::base_env(&db, &graph);
    // 51 replies to one person at once: lift the pair limit that would
    // spread them over minutes.
    env.insert("WHATSAPP_RECIPIENT_BURST".into(), "100".into());
    let first = TestApp::spawn(env.clone()).await;
    let second = if db.is_postgres() {
        Some(TestApp::spawn(env).await)
    } else {
        None
    };
    let body = helpers::text_webhook(&[("wamid.seed", STAFF, "added 30 hammers")]);
    assert_eq!(first.post_webhook(&body).await.status(), 200);
    eventually("seeded", Duration::from_secs(10), || async {
        (stock(&first.db, "hammer").await == Some(30)).then_some(())
    })
    .await;

    let posts = (0..50).map(|i| {
        let app = match (&second, i % 2) {
            (Some(second), 1) => second,
            _ => &first,
        };
        let body = helpers::text_webhook(&[(&format!("wamid.race{i}"), STAFF, "sold 1 hammer")]);
        async move { app.post_webhook(&body).await.status() }
    });
    let statuses = futures::future::join_all(posts).await;
    assert!(statuses.iter().all(|s| *s == 200));
    eventually("51 replies", Duration::from_secs(20), || async {
        (graph.requests().len() == 51).then_some(())
    })
    .await;
    assert_eq!(stock(&first.db, "hammer").await, Some(0));
    assert!(
        items::ledger_mismatches(&first.db)
            .await
            .unwrap()
            .is_empty()
    );
    let texts = graph.texts();
    let removed = texts
        .iter()
        .filter(|t| t.starts_with("✅ Removed 1 hammer"))
        .count();
    let refused = texts
        .iter()
        .filter(|t| t.starts_with("⚠️ No hammers in stock"))
        .count();
    assert_eq!((removed, refused), (30, 20));
}
