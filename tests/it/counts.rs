//! Stock counts over chat: start, answers by name and by "the next one",
//! a sale in the middle, a redelivered answer, the summary; then the API
//! and the dashboard show the count.

use std::time::Duration;

use backroom::{api::auth::Scope, storage::items};
use serde_json::{Value, json};

use crate::{
    both_databases,
    dashboard::Browser,
    fake_graph::FakeGraph,
    helpers::{self, STAFF, TestApp, TestDb, eventually, stock},
};

const OWNER: &str = "15555550199";
const WAIT: Duration = Duration::from_secs(10);

both_databases!(
    a_count_over_chat_records_variances_once,
    an_open_count_expires
);

async fn post(app: &TestApp, id: &str, text: &str) {
    let body = helpers::text_webhook(&[(id, STAFF, text)]);
    assert_eq!(app.post_webhook(&body).await.status(), 200);
}

/// The replies to message `id` (there should be one).
fn replies_to(graph: &FakeGraph, id: &str) -> Vec<String> {
    graph
        .requests()
        .into_iter()
        .filter(|r| r.body["context"]["message_id"] == id)
        .map(|r| {
            r.body["text"]["body"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

async fn say(app: &TestApp, graph: &FakeGraph, id: &str, text: &str) -> String {
    post(app, id, text).await;
    eventually(&format!("the reply to {id}"), WAIT, || async {
        replies_to(graph, id).into_iter().next()
    })
    .await
}

async fn reasons(app: &TestApp, name: &str) -> Vec<(String, i64)> {
    let id = items::get(&app.db, name).await.unwrap().unwrap().id;
    let lines = items::movements(&app.db, id).await.unwrap();
    lines.into_iter().map(|m| (m.reason, m.delta)).collect()
}

async fn a_count_over_chat_records_variances_once(db: TestDb) {
    let graph = FakeGraph::start().await;
    let mut env = helpers::base_env(&db, &graph);
    env.insert("OWNER_PHONES".into(), OWNER.into());
    let app = TestApp::spawn(env).await;
    let token = backroom::api::auth::create(&app.db, "tests", &[Scope::Write])
        .await
        .unwrap()
        .token;
    for (name, quantity, category) in [
        ("screw", 50, "fasteners"),
        ("bolt", 125, "fasteners"),
        ("nut", 10, "fasteners"),
        ("paint", 5, "paint"),
    ] {
        let res = app
            .http
            .post(format!("{}/api/v1/items", app.addr))
            .bearer_auth(&token)
            .json(&json!({"name": name, "quantity": quantity, "category": category}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
    }

    let started = say(&app, &graph, "c1", "count fasteners").await;
    assert!(
        started.contains("Count started: 3 items (fasteners)")
            && started.contains("Count next: bolt, nut, screw")
            && !started.contains("125"),
        "a blind count names the items only: {started}"
    );
    let answered = say(&app, &graph, "c2", "screws 48, bolts 120").await;
    assert!(
        answered.contains("screw: counted 48, expected 50 → −2")
            && answered.contains("bolt: counted 120, expected 125 → −5")
            && answered.contains("Count next: nut"),
        "{answered}"
    );
    // A sale during the count is a sale; the count then sets what is there.
    say(&app, &graph, "c3", "sold 2 nuts").await;
    assert_eq!(stock(&app.db, "nut").await, Some(8));
    let next = say(&app, &graph, "c4", "7").await;
    assert!(
        next.contains("nut: counted 7, expected 8 → −1") && next.contains("All items counted"),
        "{next}"
    );
    // Meta delivers the "7" again: nothing changes twice, no second reply.
    post(&app, "c4", "7").await;
    let summary = say(&app, &graph, "c5", "done").await;
    assert!(
        summary.contains("3 items counted, total variance −8"),
        "{summary}"
    );
    assert_eq!(replies_to(&graph, "c4").len(), 1);
    assert_eq!(stock(&app.db, "nut").await, Some(7));
    assert_eq!(
        reasons(&app, "nut").await,
        vec![
            ("opening".into(), 10),
            ("remove".into(), -2),
            ("count".into(), -1)
        ]
    );
    assert_eq!(
        reasons(&app, "screw").await,
        vec![("opening".into(), 50), ("count".into(), -2)]
    );
    assert!(items::ledger_mismatches(&app.db).await.unwrap().is_empty());
    // With the count finished, a number is not an answer any more.
    let after = say(&app, &graph, "c6", "screws 30").await;
    assert!(!after.contains("counted 30"), "{after}");

    let res = app
        .http
        .get(format!("{}/api/v1/counts", app.addr))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let counts: Value = res.json().await.unwrap();
    let count = &counts["data"][0];
    assert_eq!(
        (
            &count["scope"],
            &count["items_counted"],
            &count["total_variance"]
        ),
        (&json!("fasteners"), &json!(3), &json!(-8)),
        "{counts}"
    );
    assert!(count["finished_at"].is_i64());
    let screw = count["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "screw")
        .unwrap();
    assert_eq!(
        (&screw["expected"], &screw["variance"]),
        (&json!(50), &json!(-2))
    );
    // The items carry when they were last counted; paint was not counted.
    let listed: Value = app
        .http
        .get(format!("{}/api/v1/items", app.addr))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let counted_at = |name: &str| {
        listed["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == name)
            .map(|i| i["last_counted_at"].clone())
            .unwrap()
    };
    assert!(counted_at("screw").is_i64(), "{listed}");
    assert!(counted_at("paint").is_null(), "{listed}");

    let mut browser = Browser::new(&app);
    browser.cookie = Some(helpers::owner_session(&app.db, OWNER).await);
    let (status, page, _) = browser.get("/counts?days=30").await;
    assert_eq!(status, 200);
    let stale =
        &page[page.find("Not counted for 30 days").unwrap()..page.find("Recent counts").unwrap()];
    assert!(
        stale.contains("paint") && !stale.contains("screw"),
        "{stale}"
    );
    assert!(
        page.contains("Count #1") && page.contains("3 of 3 counted, total variance -8"),
        "{page}"
    );
    app.stop().await;
}

async fn an_open_count_expires(db: TestDb) {
    let graph = FakeGraph::start().await;
    let app = TestApp::spawn(helpers::base_env(&db, &graph)).await;
    say(&app, &graph, "e1", "added 5 screws").await;
    let started = say(&app, &graph, "e2", "count").await;
    assert!(started.contains("Count started: 1 item."), "{started}");
    assert!(
        say(&app, &graph, "e3", "count nails")
            .await
            .contains("Count next: screw")
    );
    // Three hours later nobody is counting: a number is no answer, and
    // "count" starts afresh.
    sqlx::query("UPDATE counts SET started_at = started_at - 10800000")
        .execute(app.db.pool())
        .await
        .unwrap();
    let late = say(&app, &graph, "e4", "screws 4").await;
    assert!(!late.contains("counted 4"), "{late}");
    assert_eq!(stock(&app.db, "screw").await, Some(5));
    assert!(
        say(&app, &graph, "e5", "count")
            .await
            .contains("Count started")
    );
    let missing = say(&app, &graph, "e6", "done").await;
    assert!(
        missing.contains("0 items counted") && missing.contains("Not counted (1): screw"),
        "{missing}"
    );
    app.stop().await;
}
