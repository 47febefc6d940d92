//! The event contract: every event type, caused through every path that can
//! cause it, arrives at a subscriber in the shape `backroom` publishes in its
//! OpenAPI document (`webhooks`), whichever path caused it.

use std::{
    collections::{BTreeSet, HashMap},
    time::Duration,
};

use backroom::api::auth::Scope;
use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_databases,
    dashboard::Browser,
    fake_graph::FakeGraph,
    helpers::{self, CUSTOMER, SESSION_CSRF, STAFF, TestApp, TestDb, eventually},
    receiver::{Hit, Receiver},
};

const OWNER: &str = "15555550199";
const WAIT: Duration = Duration::from_secs(20);

both_databases!(every_path_delivers_the_published_shape);

/// The app, an admin token and a receiver subscribed to everything.
pub(crate) struct Bench {
    pub app: TestApp,
    pub token: String,
    pub graph: FakeGraph,
}

impl Bench {
    pub async fn start(db: &TestDb) -> Self {
        let graph = FakeGraph::start().await;
        let mut env = helpers::base_env(db, &graph);
        for (k, v) in [
            ("ALLOW_HTTP_WEBHOOKS", "true"),
            ("ALLOW_PRIVATE_WEBHOOKS", "true"),
            ("WEBHOOK_RETRY_SCHEDULE", "0,0.05,0.05"),
            ("OWNER_PHONES", OWNER),
        ] {
            env.insert(k.into(), v.into());
        }
        let app = TestApp::spawn(env).await;
        let token = backroom::api::auth::create(&app.db, "contract", &[Scope::Admin])
            .await
            .unwrap()
            .token;
        Self { app, token, graph }
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
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

    pub async fn subscribe(&self, url: &str, events: &[&str]) -> i64 {
        let sub = json!({"name": "contract", "url": url, "events": events});
        let (status, v) = self.call(Method::POST, "/api/v1/webhooks", Some(sub)).await;
        assert_eq!(status, 201, "{v}");
        v["id"].as_i64().unwrap()
    }

    /// Sends a chat message and waits until it is answered.
    pub async fn say(&self, id: &str, from: &str, text: &str) {
        let body = helpers::text_webhook(&[(id, from, text)]);
        assert_eq!(self.app.post_webhook(&body).await.status(), 200);
        eventually(&format!("the reply to {id}"), WAIT, || async {
            let replies = self.graph.requests();
            replies
                .iter()
                .any(|r| r.body["context"]["message_id"] == id)
                .then_some(())
        })
        .await;
    }

    async fn item_id(&self, name: &str) -> i64 {
        let item = backroom::storage::items::get(&self.app.db, name).await;
        item.unwrap().unwrap().id
    }
}

/// One validator per event type, for the whole delivered body, from the
/// document `backroom openapi` prints. Objects are closed here
/// (`additionalProperties: false`), so a key the schema lacks fails too.
fn validators() -> HashMap<String, jsonschema::Validator> {
    let doc = backroom::api::openapi_document().clone();
    let mut components = doc["components"].clone();
    close_objects(&mut components);
    doc["webhooks"]
        .as_object()
        .expect("a webhooks section")
        .iter()
        .map(|(kind, hook)| {
            let mut schema =
                hook["post"]["requestBody"]["content"]["application/json"]["schema"].clone();
            close_objects(&mut schema);
            // `$ref`s name `#/components/…`: resolve them in this document.
            schema["components"] = components.clone();
            let validator = jsonschema::validator_for(&schema)
                .unwrap_or_else(|e| panic!("{kind}: the published schema compiles: {e}"));
            (kind.clone(), validator)
        })
        .collect()
}

fn close_objects(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            map.values_mut().for_each(close_objects);
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

/// Every key path in a value (`order.lines[].name`), to compare shapes.
pub(crate) fn keys(v: &Value, at: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let path = format!("{at}.{k}");
                out.insert(path.clone());
                keys(v, &path, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| keys(i, &format!("{at}[]"), out)),
        _ => {}
    }
}

fn shape(hit: &Hit) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    keys(&hit.json()["data"], "", &mut out);
    out
}

async fn every_path_delivers_the_published_shape(db: TestDb) {
    let bench = Bench::start(&db).await;
    let rx = Receiver::start().await;
    let sub = bench.subscribe(&rx.url, &["*"]).await;

    // Staff in chat: inventory.updated, then stock.low (20 → 4, threshold 5).
    bench.say("c1", STAFF, "added 20 hammers, 30 screws").await;
    bench.say("c2", STAFF, "sold 16 hammers").await;
    // A customer orders in chat and cancels in chat.
    bench.say("c3", CUSTOMER, "I'd like 2 screws").await;
    bench.say("c4", CUSTOMER, "cancel my order").await;
    bench.say("c5", CUSTOMER, "STOP").await;
    bench.say("c6", CUSTOMER, "START").await;
    // A WhatsApp catalogue cart (2 hammers, 1 box of screws).
    for (name, sku) in [
        ("hammer", "hammer-claw-16oz"),
        ("screw", "screws-4x40-box100"),
    ] {
        let id = bench.item_id(name).await;
        let patch = json!({"sku": sku});
        let path = format!("/api/v1/items/{id}");
        assert_eq!(bench.call(Method::PATCH, &path, Some(patch)).await.0, 200);
    }
    bench
        .app
        .post_webhook(&helpers::fixture("order.json"))
        .await;
    let cart = eventually("the catalogue order", WAIT, || async {
        let placed = backroom::storage::orders::list(&bench.app.db, Some(CUSTOMER)).await;
        placed
            .unwrap()
            .into_iter()
            .find(|o| o.source.as_str() == "catalog")
    })
    .await;

    // The API: a stock change, an order moved all the way, one cancelled.
    let screw = bench.item_id("screw").await;
    let path = format!("/api/v1/items/{screw}/adjust");
    let adjust = bench.call(Method::POST, &path, Some(json!({"delta": 1})));
    assert_eq!(adjust.await.0, 200);
    let new = json!({"contact": CUSTOMER, "lines": [{"item_id": screw, "quantity": 1}]});
    let mut api_orders = Vec::new();
    for _ in 0..2 {
        let (status, o) = bench
            .call(Method::POST, "/api/v1/orders", Some(new.clone()))
            .await;
        assert_eq!(status, 201, "{o}");
        api_orders.push(o["id"].as_i64().unwrap());
    }
    for status in ["confirmed", "ready", "fulfilled"] {
        let path = format!("/api/v1/orders/{}", api_orders[0]);
        let moved = bench.call(Method::PATCH, &path, Some(json!({ "status": status })));
        assert_eq!(moved.await.0, 200);
    }
    let path = format!("/api/v1/orders/{}", api_orders[1]);
    let cancel = json!({"status": "cancelled"});
    assert_eq!(bench.call(Method::PATCH, &path, Some(cancel)).await.0, 200);

    // The API: a purchase order to a supplier, received in two parts.
    let acme = json!({"name": "Acme", "wa_id": "27825550177"});
    let (status, acme) = bench
        .call(Method::POST, "/api/v1/suppliers", Some(acme))
        .await;
    assert_eq!(status, 201, "{acme}");
    let po = json!({"supplier_id": acme["id"], "lines": [{"item_id": screw, "quantity": 10}]});
    let (status, po) = bench
        .call(Method::POST, "/api/v1/purchase-orders", Some(po))
        .await;
    assert_eq!(status, 201, "{po}");
    let path = format!("/api/v1/purchase-orders/{}/receive", po["id"]);
    let part = json!({"lines": [{"item_id": screw, "quantity": 4}]});
    for body in [part, json!({})] {
        assert_eq!(bench.call(Method::POST, &path, Some(body)).await.0, 200);
    }

    // The dashboard: the cart order moved along and cancelled; a CSV import.
    let mut browser = Browser::at(&bench.app.addr);
    browser.cookie = Some(helpers::owner_session(&bench.app.db, OWNER).await);
    for status in ["confirmed", "cancelled"] {
        let path = format!("/orders/{}/status", cart.id);
        let (_, _, to) = browser
            .post(&path, &[("csrf", SESSION_CSRF), ("status", status)])
            .await;
        let moved = format!("/orders/{}?moved={status}", cart.id);
        assert_eq!(to, Some(moved), "{status}");
    }
    let csv = "name,quantity\nscrew,50\nhammer,3\n";
    let form = [("csrf", SESSION_CSRF), ("csv", csv), ("apply", "1")];
    let (_, done, _) = browser.post("/import", &form).await;
    assert!(done.contains("Imported 2 rows"), "{done}");

    // A status callback for a message the shop sent; a test event with a sample.
    let sent = eventually("message.sent", WAIT, || async {
        rx.of("message.sent").into_iter().next()
    })
    .await;
    let wamid = sent.json()["data"]["message_id"]
        .as_str()
        .unwrap()
        .to_string();
    let status = helpers::status_webhook(&wamid, "delivered", None);
    assert_eq!(bench.app.post_webhook(&status).await.status(), 200);
    for body in [json!({}), json!({"eventType": "order.cancelled"})] {
        let path = format!("/api/v1/webhooks/{sub}/test");
        assert_eq!(bench.call(Method::POST, &path, Some(body)).await.0, 200);
    }

    // Every type arrives; every body is what the document says.
    let wanted: [(&str, usize); 17] = [
        ("inventory.updated", 17),
        ("stock.low", 1),
        ("order.created", 4),
        ("order.confirmed", 2),
        ("order.ready", 1),
        ("order.fulfilled", 1),
        ("order.cancelled", 3),
        ("message.received", 7),
        ("message.sent", 7),
        ("message.status", 1),
        ("contact.opted_out", 1),
        ("contact.opted_in", 1),
        ("purchase_order.created", 1),
        ("purchase_order.sent", 1),
        ("purchase_order.received", 2),
        ("purchase_order.closed", 1),
        ("webhook.test", 2),
    ];
    eventually("every event type", WAIT, || async {
        wanted
            .iter()
            .all(|(kind, n)| rx.of(kind).len() >= *n)
            .then_some(())
    })
    .await;
    let validators = validators();
    assert_eq!(validators.len(), wanted.len(), "one schema per type");
    for hit in rx.hits() {
        let kind = hit.header("x-webhook-event");
        let body = hit.json();
        let validator = &validators[&kind];
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{kind}: {errors:?}\n{body:#}");
    }

    // A parser written against one origin reads every other.
    let created = rx.of("order.created");
    let by_source = |source: &str| {
        created
            .iter()
            .find(|h| h.json()["data"]["order"]["source"] == source)
            .unwrap_or_else(|| panic!("an order.created from {source}"))
    };
    let (chat, api) = (by_source("chat"), by_source("api"));
    assert_eq!(shape(chat), shape(api), "order.created: chat and API");
    assert_eq!(shape(by_source("catalog")), shape(api));
    assert_eq!(chat.json()["data"]["order"]["source_message_id"], "c3");
    assert!(api.json()["data"]["order"]["created_at"].is_i64());
    let cancelled = rx.of("order.cancelled");
    let first = shape(&cancelled[0]);
    assert!(
        cancelled.iter().all(|h| shape(h) == first),
        "order.cancelled: one shape"
    );
    let by_chat = cancelled
        .iter()
        .find(|h| h.json()["data"]["changed_by"] == CUSTOMER)
        .expect("the chat cancel");
    assert_eq!(by_chat.json()["data"]["previous_status"], "placed");
}
