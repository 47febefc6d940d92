//! The catalogue tests' shop: an app with (or without) a catalogue, an API
//! token and a signed-in owner, and checks on what the fake Graph received.

use std::time::Duration;

use backroom::{api::auth::Scope, storage::catalog_sync};
use serde_json::{Value, json};

use crate::{
    dashboard::Browser,
    fake_graph::FakeGraph,
    helpers::{self, TestApp, TestDb, eventually},
};
pub const OWNER: &str = "27825550999";
pub const CATALOG: &str = "8000900010";

pub struct Shop {
    pub app: TestApp,
    pub graph: FakeGraph,
    pub token: String,
    pub browser: Browser,
}

pub async fn start(db: &TestDb, delay_ms: Option<&str>) -> Shop {
    let graph = FakeGraph::start().await;
    let mut env = helpers::base_env(db, &graph);
    env.insert("OWNER_PHONES".into(), OWNER.into());
    env.insert("SHOP_CURRENCY".into(), "ZAR".into());
    if let Some(ms) = delay_ms {
        env.insert("WHATSAPP_CATALOG_ID".into(), CATALOG.into());
        env.insert("CATALOG_SYNC_DELAY_MS".into(), ms.into());
    }
    let app = TestApp::spawn(env).await;
    let token = backroom::api::auth::create(&app.db, "tests", &[Scope::Admin])
        .await
        .unwrap()
        .token;
    let mut browser = Browser::new(&app);
    browser.cookie = Some(helpers::owner_session(&app.db, OWNER).await);
    Shop {
        app,
        graph,
        token,
        browser,
    }
}

impl Shop {
    pub async fn item(&self, body: Value) -> i64 {
        let res = self
            .app
            .http
            .post(format!("{}/api/v1/items", self.app.addr))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
    }

    pub async fn adjust(&self, id: i64, delta: i64) -> u16 {
        let reason = if delta > 0 { "restock" } else { "sale" };
        self.app
            .http
            .post(format!("{}/api/v1/items/{id}/adjust", self.app.addr))
            .bearer_auth(&self.token)
            .json(&json!({"delta": delta, "reason": reason}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    /// The `data` of every product update sent, in order.
    pub fn sent(&self) -> Vec<Value> {
        self.graph
            .catalog
            .updates()
            .into_iter()
            .map(|u| u["data"].clone())
            .collect()
    }

    /// Waits until the latest update sent for `sku` satisfies `want`.
    pub async fn latest(&self, sku: &str, want: impl Fn(&Value) -> bool) -> Value {
        eventually(
            &format!("an update for {sku}"),
            Duration::from_secs(15),
            || {
                let last = self.sent().into_iter().rev().find(|d| d["id"] == sku);
                let found = last.filter(|d| want(d));
                async move { found }
            },
        )
        .await
    }

    pub async fn settings_page(&self) -> String {
        self.browser.get("/settings").await.1
    }
}

/// Waits until no update is pending or failed (each sent was recorded).
pub async fn settled(app: &TestApp) {
    eventually("updates settled", Duration::from_secs(10), || async {
        let (pending, failed, _) = catalog_sync::overview(&app.db, 10).await.unwrap();
        (pending == 0 && failed == 0).then_some(())
    })
    .await;
}

/// Every batch is shaped as Meta's items batch wants it.
pub fn assert_batch_shapes(graph: &FakeGraph) {
    let batches = graph.catalog.batches();
    assert!(!batches.is_empty());
    for b in batches {
        assert_eq!(b.catalog_id, CATALOG);
        assert_eq!(b.authorization.as_deref(), Some("Bearer test-access-token"));
        assert_eq!(b.body["item_type"], "PRODUCT_ITEM");
        assert_eq!(b.body["allow_upsert"], false);
        for r in b.body["requests"].as_array().unwrap() {
            assert_eq!(r["method"], "UPDATE", "{r}");
            let d = &r["data"];
            let n = d["inventory"].as_i64().expect("inventory is a number");
            let want = if n > 0 { "in stock" } else { "out of stock" };
            assert_eq!(d["availability"], want, "{d}");
            if let Some(p) = d["price"].as_str() {
                let (amount, code) = p.split_once(' ').expect("amount and currency");
                assert_eq!(code, "ZAR");
                assert!(
                    amount.split_once('.').is_some_and(|(_, c)| c.len() == 2),
                    "{p}"
                );
            }
        }
    }
    for c in graph.catalog.calls() {
        assert_eq!(c.authorization.as_deref(), Some("Bearer test-access-token"));
    }
}
