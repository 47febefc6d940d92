//! Opening quantities: an item created with stock through the API or a new
//! row of the CSV import records it as `opening`, with its event, at once.

use backroom::{api::auth::Scope, storage::events, storage::items};
use serde_json::{Value, json};

use crate::{
    both_databases,
    dashboard::Browser,
    fake_graph::FakeGraph,
    helpers::{self, SESSION_CSRF, TestApp, TestDb, stock},
};

const OWNER: &str = "15555550199";

both_databases!(new_items_start_with_opening_stock);

async fn create(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    let res = app
        .http
        .post(format!("{}/api/v1/items", app.addr))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn reasons(app: &TestApp, name: &str) -> Vec<(String, i64)> {
    let id = items::get(&app.db, name).await.unwrap().unwrap().id;
    let lines = items::movements(&app.db, id).await.unwrap();
    lines.into_iter().map(|m| (m.reason, m.delta)).collect()
}

async fn new_items_start_with_opening_stock(db: TestDb) {
    let graph = FakeGraph::start().await;
    let mut env = helpers::base_env(&db, &graph);
    env.insert("OWNER_PHONES".into(), OWNER.into());
    let app = TestApp::spawn(env).await;
    let token = backroom::api::auth::create(&app.db, "tests", &[Scope::Write])
        .await
        .unwrap()
        .token;

    let (status, item) = create(&app, &token, json!({"name": "Screw", "quantity": 50})).await;
    assert_eq!(status, 201, "{item}");
    assert_eq!(item["quantity"], 50);
    assert_eq!(reasons(&app, "screw").await, vec![("opening".into(), 50)]);
    let updates = events::list(&app.db, Some("inventory.updated"), 0, 10)
        .await
        .unwrap();
    assert_eq!(updates.len(), 1);
    let data: Value = serde_json::from_str(&updates[0].data).unwrap();
    assert_eq!(
        (data["reason"].as_str(), data["change"].as_i64()),
        (Some("opening"), Some(50))
    );

    // Out of range or not a number: 422, and nothing is created.
    for bad in [json!(-1), json!(1_000_001), json!("5"), json!(2.5)] {
        let (status, body) = create(&app, &token, json!({"name": "bolt", "quantity": bad})).await;
        assert!(status == 422 || status == 400, "{bad}: {status} {body}");
        assert_eq!(stock(&app.db, "bolt").await, None, "{bad}");
    }
    let (status, _) = create(&app, &token, json!({"name": "bolt"})).await;
    assert_eq!(status, 201);
    assert!(
        reasons(&app, "bolt").await.is_empty(),
        "no quantity, no ledger line"
    );

    // CSV: a new row opens with its quantity; an existing one is an import.
    let mut browser = Browser::new(&app);
    browser.cookie = Some(helpers::owner_session(&app.db, OWNER).await);
    let upload = "name,quantity\nbolt,12\nnut,30\n";
    let (_, done, _) = browser
        .post(
            "/import",
            &[("csrf", SESSION_CSRF), ("csv", upload), ("apply", "1")],
        )
        .await;
    assert!(done.contains("Imported 2 rows"), "{done}");
    assert_eq!(reasons(&app, "nut").await, vec![("opening".into(), 30)]);
    assert_eq!(reasons(&app, "bolt").await, vec![("import".into(), 12)]);
    assert!(items::ledger_mismatches(&app.db).await.unwrap().is_empty());
    app.stop().await;
}
