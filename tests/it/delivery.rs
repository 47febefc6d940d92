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
    window_closed_is_failed_not_retried,
    graph_unreachable_is_retried,
    statuses_only_move_forward,
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

async fn window_closed_is_failed_not_retried(db: TestDb) {
    let graph = FakeGraph::start().await;
    graph.script([Answer::Reply(400, graph_error(131047))]);
    let app = TestApp::spawn(helpers::base_env(&db, &graph)).await;
    let body = helpers::text_webhook(&[("wamid.w1", STAFF, "Added 5 bolts")]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
    let row = eventually("the reply failed", Duration::from_secs(10), || async {
        reply_row(&app).await.filter(|r| r.status == "failed")
    })
    .await;
    assert_eq!(row.error_code, Some(131047));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(graph.requests().len(), 1);
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
        let code = (sent == "failed").then_some(131047);
        let body = helpers::status_webhook(&wamid, sent, code);
        assert_eq!(app.post_webhook(&body).await.status(), 200);
        assert_eq!(status().await, expected, "after {sent}");
    }
    assert_eq!(reply_row(&app).await.unwrap().error_code, Some(131047));
}
