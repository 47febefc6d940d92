//! Sending replies: retries, permanent failures, status callbacks.

use std::time::Duration;

use backroom::storage::outbound;

use crate::{
    both_databases,
    fake_graph::{Answer, FakeGraph, graph_error},
    helpers::{self, STAFF, TestApp, TestDb, eventually},
};

both_databases!(
    transient_failure_then_success_sends_once,
    window_closed_is_held_until_they_write,
    late_window_refusal_is_held_too,
    graph_unreachable_is_retried,
    statuses_only_move_forward,
    one_user_is_paced_and_throttling_pauses_the_number,
);

/// The one reply these tests expect, once it exists.
async fn reply_row(app: &TestApp) -> Option<outbound::OutboundRow> {
    outbound::list(&app.db).await.unwrap().into_iter().next()
}

async fn transient_failure_then_success_sends_once(db: TestDb) {
    let graph = FakeGraph::start().await;
    graph.script([
        Answer::Reply(500, graph_error(131000)),
        Answer::Reply(400, graph_error(130429)),
    ]);
    let app = TestApp::spawn(helpers::base_env(&db, &graph)).await;
    let body = helpers::text_webhook(&[("wamid.r1", STAFF, "Added 5 bolts")]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    let row = eventually("the reply accepted", Duration::from_secs(10), || async {
        reply_row(&app).await.filter(|r| r.status == "accepted")
    })
    .await;
    assert_eq!(row.attempts, 3);
    assert_eq!(row.wamid.as_deref(), Some("wamid.fake000000"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Three attempts, one message: the failed ones were never delivered.
    assert_eq!(graph.requests().len(), 3);
    assert_eq!(reply_row(&app).await.unwrap().status, "accepted");
}

async fn window_closed_is_held_until_they_write(db: TestDb) {
    let graph = FakeGraph::start().await;
    graph.script([Answer::Reply(400, graph_error(131047))]);
    let app = TestApp::spawn(helpers::base_env(&db, &graph)).await;
    let body = helpers::text_webhook(&[("wamid.w1", STAFF, "Added 5 bolts")]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    let row = eventually("the reply held", Duration::from_secs(10), || async {
        reply_row(&app).await.filter(|r| r.status == "held")
    })
    .await;
    assert_eq!(row.error_code, Some(131047));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(graph.requests().len(), 1, "held, not retried");

    // Writing again opens the window: the held reply goes out with the new one.
    let body = helpers::text_webhook(&[("wamid.w2", STAFF, "how many bolts?")]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    eventually("both replies accepted", Duration::from_secs(10), || async {
        let rows = outbound::list(&app.db).await.unwrap();
        (rows.len() == 2 && rows.iter().all(|r| r.status == "accepted")).then_some(())
    })
    .await;
    assert_eq!(graph.requests().len(), 3);
    assert_eq!(graph.replies_to("wamid.w1"), 2, "one refused, one sent");
}

/// 131047 usually comes after a 200, as a `failed` status callback.
async fn late_window_refusal_is_held_too(db: TestDb) {
    let graph = FakeGraph::start().await;
    let app = TestApp::spawn(helpers::base_env(&db, &graph)).await;
    let body = helpers::text_webhook(&[("wamid.l1", STAFF, "Added 5 bolts")]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    let wamid = eventually("the reply accepted", Duration::from_secs(10), || async {
        reply_row(&app).await.and_then(|r| r.wamid)
    })
    .await;
    for _ in 0..2 {
        let body = helpers::status_webhook(&wamid, "failed", Some(131047));
        assert_eq!(app.post_webhook(&body).await.status(), 200);
    }
    let row = reply_row(&app).await.unwrap();
    assert_eq!((row.status.as_str(), row.wamid.as_deref()), ("held", None));
    let body = helpers::text_webhook(&[("wamid.l2", STAFF, "stock")]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    eventually(
        "the held reply sent again",
        Duration::from_secs(10),
        || async {
            reply_row(&app)
                .await
                .filter(|r| r.status == "accepted" && r.wamid.is_some())
        },
    )
    .await;
    assert_eq!(graph.replies_to("wamid.l1"), 2);
}

/// Four quick messages from one person with a burst of two: two replies at
/// once, the rest one interval apart. A 130429 then holds the whole number.
async fn one_user_is_paced_and_throttling_pauses_the_number(db: TestDb) {
    let graph = FakeGraph::start().await;
    let mut env = helpers::base_env(&db, &graph);
    env.insert("WHATSAPP_RECIPIENT_BURST".into(), "2".into());
    env.insert("WHATSAPP_RECIPIENT_INTERVAL_MS".into(), "600".into());
    let app = TestApp::spawn(env).await;
    let msgs: Vec<(String, &str, &str)> = (0..4)
        .map(|i| (format!("wamid.p{i}"), STAFF, "how many bolts?"))
        .collect();
    let refs: Vec<(&str, &str, &str)> = msgs.iter().map(|(w, f, t)| (w.as_str(), *f, *t)).collect();
    assert_eq!(
        app.post_webhook(&helpers::text_webhook(&refs))
            .await
            .status(),
        200
    );
    eventually("four replies", Duration::from_secs(10), || async {
        (graph.requests().len() >= 4).then_some(())
    })
    .await;
    let at: Vec<_> = graph.requests().iter().map(|r| r.at).collect();
    let gap = |a: usize, b: usize| at[b].duration_since(at[a]);
    assert!(gap(1, 2) >= Duration::from_millis(450), "{:?}", gap(1, 2));
    assert!(gap(2, 3) >= Duration::from_millis(450), "{:?}", gap(2, 3));
    assert_eq!(graph.requests().len(), 4);

    // 130429 for one message: the next, to someone else, waits out the pause.
    graph.script([Answer::Reply(400, graph_error(130429))]);
    let before = graph.requests().len();
    let body = helpers::text_webhook(&[("wamid.q1", STAFF, "stock")]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    eventually("the throttled send", Duration::from_secs(10), || async {
        (graph.requests().len() > before).then_some(())
    })
    .await;
    app.post_webhook(&helpers::text_webhook(&[(
        "wamid.q2",
        helpers::CUSTOMER,
        "stock",
    )]))
    .await;
    eventually("both sent", Duration::from_secs(10), || async {
        (graph.requests().len() >= before + 3).then_some(())
    })
    .await;
    let reqs = graph.requests();
    let throttled_at = reqs[before].at;
    for r in &reqs[before + 1..] {
        assert!(r.at.duration_since(throttled_at) >= Duration::from_millis(900));
    }
}

async fn graph_unreachable_is_retried(db: TestDb) {
    let graph = FakeGraph::start().await;
    let mut env = helpers::base_env(&db, &graph);
    // Nothing listens on port 9 of loopback: connection refused.
    env.insert("GRAPH_API_BASE".into(), "http://127.0.0.1:9/v21.0".into());
    env.insert("SENDER_MAX_ATTEMPTS".into(), "3".into());
    let app = TestApp::spawn(env).await;
    let body = helpers::text_webhook(&[("wamid.u1", STAFF, "Added 5 bolts")]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    let row = eventually("retries exhausted", Duration::from_secs(10), || async {
        reply_row(&app).await.filter(|r| r.status == "failed")
    })
    .await;
    assert_eq!(row.attempts, 3);
    assert!(
        row.error_message
            .unwrap()
            .starts_with("gave up after 3 attempts")
    );
}

async fn statuses_only_move_forward(db: TestDb) {
    let graph = FakeGraph::start().await;
    let app = TestApp::spawn(helpers::base_env(&db, &graph)).await;
    let body = helpers::text_webhook(&[("wamid.st1", STAFF, "Added 5 bolts")]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    let wamid = eventually("the reply accepted", Duration::from_secs(10), || async {
        reply_row(&app).await.and_then(|r| r.wamid)
    })
    .await;
    let status = || async { reply_row(&app).await.unwrap().status };
    for (sent, expected) in [
        ("read", "read"),
        ("delivered", "read"),
        ("sent", "read"),
        ("failed", "failed"),
        ("read", "failed"),
    ] {
        let code = (sent == "failed").then_some(131026);
        let body = helpers::status_webhook(&wamid, sent, code);
        assert_eq!(app.post_webhook(&body).await.status(), 200);
        assert_eq!(status().await, expected, "after {sent}");
    }
    assert_eq!(reply_row(&app).await.unwrap().error_code, Some(131026));
}
