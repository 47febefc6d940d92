//! Suppliers and purchase orders, end to end: the owner's low-stock alert
//! carries "Reorder 50 from Acme"; a tap makes the order and sends it to the
//! supplier (at the fake Graph); staff receive it in parts over chat until it
//! closes; the API does the same. A second tap or a redelivered webhook
//! changes nothing twice, and a supplier writing in is not staff. The API's
//! side is in `purchasing_api.rs`.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_databases,
    event_contract::Bench,
    fake_graph::FakeGraph,
    helpers::{self, PHONE_NUMBER_ID, STAFF, TestApp, TestDb, eventually},
    receiver::Receiver,
};

const OWNER: &str = "15555550199";
const SUPPLIER: &str = "27825550177";
const WAIT: Duration = Duration::from_secs(20);

both_databases!(from_the_alert_button_to_a_closed_order);

pub(crate) async fn start(db: &TestDb) -> Bench {
    let graph = FakeGraph::start().await;
    let mut env = helpers::base_env(db, &graph);
    for (k, v) in [
        ("ALLOW_HTTP_WEBHOOKS", "true"),
        ("ALLOW_PRIVATE_WEBHOOKS", "true"),
        ("OWNER_PHONES", OWNER),
    ] {
        env.insert(k.into(), v.into());
    }
    let app = TestApp::spawn(env).await;
    let token =
        backroom::api::auth::create(&app.db, "purchasing", &[backroom::api::auth::Scope::Admin])
            .await
            .unwrap()
            .token;
    Bench { app, token, graph }
}

/// Acme, supplying screws 50 at a time; 60 screws in stock.
pub(crate) async fn acme(bench: &Bench) -> (i64, i64) {
    bench.say("s0", STAFF, "added 60 screws").await;
    let new = json!({"name": "Acme", "wa_id": format!("+{SUPPLIER}"), "lead_time_days": 3});
    let (status, supplier) = bench
        .call(Method::POST, "/api/v1/suppliers", Some(new))
        .await;
    assert_eq!(status, 201, "{supplier}");
    assert_eq!(supplier["wa_id"], SUPPLIER);
    let screw = backroom::storage::items::get(&bench.app.db, "screw")
        .await
        .unwrap()
        .unwrap()
        .id;
    let set = json!({"supplier_id": supplier["id"], "reorder_qty": 50});
    let path = format!("/api/v1/items/{screw}/supplier");
    assert_eq!(bench.call(Method::PUT, &path, Some(set)).await.0, 204);
    (supplier["id"].as_i64().unwrap(), screw)
}

fn webhook(message: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15555550100", "phone_number_id": PHONE_NUMBER_ID},
            "messages": [message]
        }}]}]
    }))
    .unwrap()
}

fn tap(id: &str, from: &str, button: &Value) -> Vec<u8> {
    webhook(json!({
        "from": from, "id": id, "timestamp": "1781000000", "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": button["reply"].clone()}
    }))
}

fn reply_to(graph: &FakeGraph, id: &str) -> Option<String> {
    graph.requests().into_iter().rev().find_map(|r| {
        (r.body["context"]["message_id"] == id).then(|| {
            let b = &r.body;
            b["text"]["body"]
                .as_str()
                .or(b["interactive"]["body"]["text"].as_str())
                .unwrap_or_default()
                .to_string()
        })
    })
}

async fn purchase_orders(bench: &Bench) -> Vec<Value> {
    let (status, page) = bench
        .call(Method::GET, "/api/v1/purchase-orders", None)
        .await;
    assert_eq!(status, 200, "{page}");
    page["data"].as_array().unwrap().clone()
}

async fn from_the_alert_button_to_a_closed_order(db: TestDb) {
    let bench = start(&db).await;
    let rx = Receiver::start().await;
    bench.subscribe(&rx.url, &["purchase_order.*"]).await;
    let (_, screw) = acme(&bench).await;
    let stock = || helpers::stock(&bench.app.db, "screw");

    // A supplier writing in is not staff: thanked, nothing changed.
    bench.say("x1", SUPPLIER, "added 500 screws").await;
    assert!(reply_to(&bench.graph, "x1").unwrap().contains("Thank you"));
    assert_eq!(stock().await, Some(60));

    // The owner talks to the shop (their window opens); stock runs low.
    bench.say("o1", OWNER, "stock").await;
    bench.say("s1", STAFF, "sold 56 screws").await;
    let alert = eventually("the owner's alert with its button", WAIT, || async {
        bench
            .graph
            .requests()
            .into_iter()
            .find(|r| r.body["to"] == OWNER && r.body["type"] == "interactive")
    })
    .await;
    let button = alert.body["interactive"]["action"]["buttons"][0].clone();
    assert_eq!(button["reply"]["title"], "Reorder 50 from Acme");

    // The tap makes PO-1 and sends it to Acme (inside its window: text).
    let tapped = tap("t1", OWNER, &button);
    assert_eq!(bench.app.post_webhook(&tapped).await.status(), 200);
    let said = eventually("the tap's answer", WAIT, || async {
        reply_to(&bench.graph, "t1")
    })
    .await;
    assert!(said.contains("PO-1 sent to Acme"), "{said}");
    let sent = eventually("the order at the supplier", WAIT, || async {
        bench.graph.requests().into_iter().find(|r| {
            r.body["to"] == SUPPLIER
                && r.body["text"]["body"]
                    .as_str()
                    .is_some_and(|t| t.contains("PO-1"))
        })
    })
    .await;
    assert!(
        sent.body["text"]["body"]
            .as_str()
            .unwrap()
            .contains("50 × screws")
    );

    // The same webhook again, and a second tap on the used button: no second order.
    assert_eq!(bench.app.post_webhook(&tapped).await.status(), 200);
    assert_eq!(
        bench
            .app
            .post_webhook(&tap("t2", OWNER, &button))
            .await
            .status(),
        200
    );
    eventually("the second tap's answer", WAIT, || async {
        reply_to(&bench.graph, "t2")
    })
    .await;
    let orders = purchase_orders(&bench).await;
    assert_eq!(orders.len(), 1, "{orders:?}");
    assert_eq!(orders[0]["status"], "sent");
    let (_, item) = bench
        .call(Method::GET, &format!("/api/v1/items/{screw}"), None)
        .await;
    assert_eq!(item["on_order"], 50);
    let mut browser = crate::dashboard::Browser::at(&bench.app.addr);
    browser.cookie = Some(helpers::owner_session(&bench.app.db, OWNER).await);
    let (_, page, _) = browser.get("/inventory").await;
    assert!(
        page.contains("+50 on order"),
        "the Stock page shows what is on order"
    );

    // A part arrives, then the rest; an item not on the order is refused.
    bench.say("r0", STAFF, "received PO-1: 5 bolts").await;
    assert!(
        reply_to(&bench.graph, "r0")
            .unwrap()
            .contains("has no bolts")
    );
    bench.say("r1", STAFF, "received PO-1: 20 screws").await;
    assert_eq!(stock().await, Some(24));
    assert_eq!(
        purchase_orders(&bench).await[0]["status"],
        "partly_received"
    );
    bench.say("r2", STAFF, "received the Acme order").await;
    assert!(reply_to(&bench.graph, "r2").unwrap().contains("closed"));
    assert_eq!(stock().await, Some(54));
    let order = &purchase_orders(&bench).await[0];
    assert_eq!(order["status"], "closed");
    assert!(order["closed_at"].is_i64());
    // A receipt repeated after closing changes nothing.
    bench.say("r3", STAFF, "received PO-1").await;
    assert_eq!(stock().await, Some(54));

    // The ledger names the order; the events arrived once each.
    let ledger = backroom::storage::items::movements(&bench.app.db, screw)
        .await
        .unwrap();
    let received: Vec<_> = ledger.iter().filter(|m| m.reason == "received").collect();
    assert_eq!(received.len(), 2);
    assert!(
        received
            .iter()
            .all(|m| m.actor.as_deref().unwrap().starts_with("PO-1 by"))
    );
    let counts = [
        ("purchase_order.created", 1),
        ("purchase_order.sent", 1),
        ("purchase_order.received", 2),
        ("purchase_order.closed", 1),
    ];
    eventually("the purchase order events", WAIT, || async {
        counts
            .iter()
            .all(|(k, n)| rx.of(k).len() >= *n)
            .then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    for (kind, n) in counts {
        assert_eq!(rx.of(kind).len(), n, "{kind}");
    }
}
