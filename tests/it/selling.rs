//! Selling on WhatsApp through the webhook and the fake Graph: a catalogue
//! product asked about gets order buttons that order; customers see the
//! shelf as list messages by category, paged. (`selling_stock.rs`: out of
//! stock, back in stock, categories.)

use std::time::Duration;

use backroom::{api::auth::Scope, storage::outbound};
use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_databases,
    fake_graph::FakeGraph,
    helpers::{self, CUSTOMER, PHONE_NUMBER_ID, STAFF, TestApp, TestDb, eventually, stock},
};

pub(crate) const WAIT: Duration = Duration::from_secs(10);
pub(crate) const OWNER: &str = "15555550199";

both_databases!(
    a_product_question_offers_order_buttons_that_order,
    customers_see_the_shelf_as_lists,
);

pub(crate) struct Shop {
    pub graph: FakeGraph,
    pub app: TestApp,
    token: String,
}

impl Shop {
    pub(crate) async fn start(db: &TestDb) -> Self {
        let graph = FakeGraph::start().await;
        let mut env = helpers::base_env(db, &graph);
        env.insert("SHOW_STOCK_COUNTS".into(), "true".into());
        env.insert("OWNER_PHONES".into(), OWNER.into());
        let app = TestApp::spawn(env).await;
        let token = backroom::api::auth::create(&app.db, "tests", &[Scope::Admin])
            .await
            .unwrap()
            .token;
        Self { graph, app, token }
    }

    pub(crate) async fn api(&self, method: Method, path: &str, body: Value) -> (u16, Value) {
        let res = self
            .app
            .http
            .request(method, format!("{}/api/v1{path}", self.app.addr))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Creates an item with `quantity` in stock; returns its id.
    pub(crate) async fn item(
        &self,
        name: &str,
        sku: Option<&str>,
        category: Option<&str>,
        quantity: i64,
    ) -> i64 {
        let body = json!({"name": name, "sku": sku, "category": category});
        let (status, v) = self.api(Method::POST, "/items", body).await;
        assert_eq!(status, 201, "{v}");
        let id = v["id"].as_i64().unwrap();
        self.set(id, quantity).await;
        id
    }

    pub(crate) async fn set(&self, id: i64, quantity: i64) {
        let path = format!("/items/{id}/quantity");
        let (status, v) = self
            .api(Method::PUT, &path, json!({"quantity": quantity}))
            .await;
        assert_eq!(status, 200, "{v}");
    }

    /// Posts one message from `from` and returns the first reply's body.
    pub(crate) async fn send(&self, from: &str, message: Value) -> Value {
        let id = message["id"].as_str().unwrap().to_string();
        let mut message = message;
        message["from"] = json!(from);
        message["timestamp"] = json!("1781000000");
        let body = serde_json::to_vec(&json!({
            "object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15555550100", "phone_number_id": PHONE_NUMBER_ID},
                "contacts": [{"profile": {"name": "Pieter"}, "wa_id": from}],
                "messages": [message]
            }}]}]
        }))
        .unwrap();
        assert_eq!(self.app.post_webhook(&body).await.status(), 200);
        self.reply(&id).await
    }

    pub(crate) async fn text(&self, id: &str, from: &str, text: &str) -> Value {
        self.send(
            from,
            json!({"id": id, "type": "text", "text": {"body": text}}),
        )
        .await
    }

    pub(crate) async fn pick(&self, id: &str, row: &str) -> Value {
        let reply = json!({"type": "list_reply", "list_reply": {"id": row, "title": "x"}});
        self.send(
            CUSTOMER,
            json!({"id": id, "type": "interactive", "interactive": reply}),
        )
        .await
    }

    pub(crate) async fn tap(&self, id: &str, button: &Value) -> Value {
        let reply = json!({"type": "button_reply", "button_reply": button["reply"].clone()});
        self.send(
            CUSTOMER,
            json!({"id": id, "type": "interactive", "interactive": reply}),
        )
        .await
    }

    pub(crate) async fn reply(&self, id: &str) -> Value {
        eventually(&format!("the reply to {id}"), WAIT, || async {
            self.graph
                .requests()
                .into_iter()
                .find(|r| r.body["context"]["message_id"] == id)
                .map(|r| r.body)
        })
        .await
    }

    /// Back-in-stock notes queued for the customer so far.
    pub(crate) async fn notes(&self) -> usize {
        let rows = outbound::list(&self.app.db).await.unwrap();
        rows.iter()
            .filter(|r| r.recipient == CUSTOMER && r.preview.contains("back in stock"))
            .count()
    }
}

pub(crate) fn body(reply: &Value) -> String {
    reply["text"]["body"]
        .as_str()
        .or(reply["interactive"]["body"]["text"].as_str())
        .unwrap_or_default()
        .to_string()
}

pub(crate) fn rows(reply: &Value) -> Vec<Value> {
    assert_eq!(reply["interactive"]["type"], "list", "{reply}");
    let sections = reply["interactive"]["action"]["sections"]
        .as_array()
        .unwrap();
    sections
        .iter()
        .flat_map(|s| s["rows"].as_array().unwrap().clone())
        .collect()
}

pub(crate) fn buttons(reply: &Value) -> Vec<Value> {
    assert_eq!(reply["interactive"]["type"], "button", "{reply}");
    reply["interactive"]["action"]["buttons"]
        .as_array()
        .unwrap()
        .clone()
}

async fn a_product_question_offers_order_buttons_that_order(db: TestDb) {
    let shop = Shop::start(&db).await;
    shop.item("saw", Some("SAW-1"), Some("tools"), 5).await;
    let asked = json!({"id": "wamid.p1", "type": "text", "text": {"body": "Is this still available?"},
        "context": {"from": "15555550100", "id": "wamid.cat",
                    "referred_product": {"catalog_id": "900", "product_retailer_id": "SAW-1"}}});
    let reply = shop.send(CUSTOMER, asked).await;
    assert!(body(&reply).contains("5 saws"), "{reply}");
    let offered = buttons(&reply);
    let titles: Vec<&str> = offered
        .iter()
        .map(|b| b["reply"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Order 1", "Order 2", "Order 3"]);

    let placed = shop.tap("wamid.p2", &offered[1]).await;
    assert!(body(&placed).contains("2 × saw"), "{placed}");
    assert_eq!(stock(&shop.app.db, "saw").await, Some(3), "reserved");
    // The question is used up: a second tap orders nothing more.
    shop.tap("wamid.p3", &offered[1]).await;
    assert_eq!(stock(&shop.app.db, "saw").await, Some(3));

    let unknown = json!({"id": "wamid.p4", "type": "text", "text": {"body": "Price?"},
        "context": {"referred_product": {"catalog_id": "900", "product_retailer_id": "GONE-9"}}});
    let reply = shop.send(CUSTOMER, unknown).await;
    assert!(body(&reply).contains("can't find that product"), "{reply}");
    assert_eq!(rows(&reply)[0]["id"], "it:1");
}

async fn customers_see_the_shelf_as_lists(db: TestDb) {
    let shop = Shop::start(&db).await;
    for i in 0..12 {
        let category = [Some("tools"), Some("paint"), None][i % 3];
        shop.item(&format!("thing {i:02}"), None, category, 2).await;
    }
    shop.item("empty thing", None, Some("tools"), 0).await;

    let first = shop.text("wamid.s1", CUSTOMER, "what do you have?").await;
    let listed = rows(&first);
    assert_eq!(listed.len(), 10);
    let titles: Vec<&str> = first["interactive"]["action"]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["paint", "tools", "Other", "More"]);
    assert_eq!(listed[9]["id"], "more:9");
    assert!(
        listed.iter().all(|r| r["title"] != "empty thing"),
        "in stock only"
    );
    assert!(
        listed[0]["description"]
            .as_str()
            .unwrap()
            .contains("2 in stock")
    );

    let next = shop.pick("wamid.s2", "more:9").await;
    assert_eq!(rows(&next).len(), 3, "12 in stock: 9, then 3");

    let row = listed[0]["id"].as_str().unwrap();
    let item = shop.pick("wamid.s3", row).await;
    assert_eq!(buttons(&item).len(), 2, "two in stock: Order 1 and Order 2");
    assert!(body(&item).contains("2 thing"), "{item}");

    // Staff keep the text stock list.
    let staff = shop.text("wamid.s4", STAFF, "stock").await;
    assert!(
        staff["text"]["body"].as_str().unwrap().contains("thing 00"),
        "{staff}"
    );
}
