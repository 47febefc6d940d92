//! Two locations, end to end: each number changes its own location's stock
//! and is answered from that number; a staff member limited to the
//! Warehouse cannot change Main Street's stock; "sent 10 screws to
//! Warehouse" takes stock into transit, the Warehouse receives part over
//! chat and the rest with the arrival button; a redelivered webhook or a
//! second tap changes nothing twice; the API sends and receives in parts;
//! events name the location; balances, splits and ledger always agree.

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

const WAREHOUSE_NUMBER: &str = "106000000000002";
const PACKER: &str = "27825550155";
const OWNER: &str = "15555550199";
const WAIT: Duration = Duration::from_secs(20);

both_databases!(
    two_locations_and_a_transfer,
    what_an_attack_pass_found_holds
);

async fn start(db: &TestDb) -> Bench {
    let graph = FakeGraph::start().await;
    let mut env = helpers::base_env(db, &graph);
    let numbers = format!("{PHONE_NUMBER_ID}=Main Street,{WAREHOUSE_NUMBER}=Warehouse");
    for (k, v) in [
        ("WHATSAPP_NUMBERS", numbers.as_str()),
        ("ALLOW_HTTP_WEBHOOKS", "true"),
        ("ALLOW_PRIVATE_WEBHOOKS", "true"),
        ("OWNER_PHONES", OWNER),
    ] {
        env.insert(k.into(), v.into());
    }
    let app = TestApp::spawn(env).await;
    let token =
        backroom::api::auth::create(&app.db, "locations", &[backroom::api::auth::Scope::Admin])
            .await
            .unwrap()
            .token;
    Bench { app, token, graph }
}

fn webhook(to_number: &str, message: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15555550100", "phone_number_id": to_number},
            "messages": [message]
        }}]}]
    }))
    .unwrap()
}

fn text(to_number: &str, id: &str, from: &str, body: &str) -> Vec<u8> {
    webhook(
        to_number,
        json!({"from": from, "id": id, "timestamp": "1781000000", "type": "text",
            "text": {"body": body}}),
    )
}

/// The reply to message `id`: its text, and the number it was sent from.
fn reply(graph: &FakeGraph, id: &str) -> Option<(String, String)> {
    graph.requests().into_iter().rev().find_map(|r| {
        (r.body["context"]["message_id"] == id).then(|| {
            let b = &r.body;
            let text = b["text"]["body"]
                .as_str()
                .or(b["interactive"]["body"]["text"].as_str())
                .unwrap_or_default()
                .to_string();
            (text, r.phone_number_id.clone())
        })
    })
}

async fn say(bench: &Bench, number: &str, id: &str, from: &str, body: &str) -> (String, String) {
    let sent = text(number, id, from, body);
    assert_eq!(bench.app.post_webhook(&sent).await.status(), 200);
    eventually(&format!("the reply to {id}"), WAIT, || async {
        reply(&bench.graph, id)
    })
    .await
}

/// (total, Main Street, Warehouse, in transit) as the API reports the item.
async fn screws(bench: &Bench, id: i64) -> (i64, i64, i64, i64) {
    let (status, item) = bench
        .call(Method::GET, &format!("/api/v1/items/{id}"), None)
        .await;
    assert_eq!(status, 200, "{item}");
    let at = |name: &str| {
        item["locations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["location"] == name)
            .map_or(0, |l| l["quantity"].as_i64().unwrap())
    };
    (
        item["quantity"].as_i64().unwrap(),
        at("Main Street"),
        at("Warehouse"),
        item["in_transit"].as_i64().unwrap(),
    )
}

/// Totals equal the sum of the splits, and the ledger sums to the totals.
async fn books_agree(bench: &Bench) {
    let db = &bench.app.db;
    assert!(
        backroom::storage::items::ledger_mismatches(db)
            .await
            .unwrap()
            .is_empty()
    );
    let off: Vec<(String,)> = sqlx::query_as(
        "SELECT i.name FROM items i LEFT JOIN item_stock s ON s.item_id = i.id \
         GROUP BY i.id, i.name, i.quantity \
         HAVING i.quantity <> CAST(COALESCE(SUM(s.quantity), 0) AS BIGINT)",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert!(off.is_empty(), "split differs from total: {off:?}");
}

async fn two_locations_and_a_transfer(db: TestDb) {
    let bench = start(&db).await;
    let rx = Receiver::start().await;
    bench.subscribe(&rx.url, &["inventory.updated"]).await;

    // Each number changes its own location and answers from it.
    let (said, from) = say(&bench, PHONE_NUMBER_ID, "m1", STAFF, "added 50 screws").await;
    assert!(said.contains("50 in stock"), "{said}");
    assert_eq!(from, PHONE_NUMBER_ID);
    let (said, from) = say(&bench, WAREHOUSE_NUMBER, "w1", STAFF, "added 7 screws").await;
    assert!(said.contains("7 in stock"), "{said}");
    assert_eq!(from, WAREHOUSE_NUMBER);
    let id = backroom::storage::items::get(&bench.app.db, "screw")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(screws(&bench, id).await, (57, 50, 7, 0));
    let (status, listed) = bench
        .call(Method::GET, "/api/v1/items?location=Warehouse", None)
        .await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    let (status, _) = bench
        .call(Method::GET, "/api/v1/items?location=Nowhere", None)
        .await;
    assert_eq!(status, 422);

    // Main Street has 50: selling 51 there is refused though the shop has 57.
    let (said, _) = say(&bench, PHONE_NUMBER_ID, "m2", STAFF, "sold 51 screws").await;
    assert!(said.contains("Only 50"), "{said}");

    // A packer limited to the Warehouse cannot change Main Street's stock.
    let role = json!({"role": "staff"});
    let path = format!("/api/v1/contacts/{PACKER}");
    assert_eq!(bench.call(Method::PATCH, &path, Some(role)).await.0, 200);
    let limit = json!({"locations": ["warehouse"]});
    let (status, set) = bench
        .call(Method::PUT, &format!("{path}/locations"), Some(limit))
        .await;
    assert_eq!(
        (status, set["locations"][0].as_str()),
        (200, Some("Warehouse"))
    );
    let (said, _) = say(&bench, PHONE_NUMBER_ID, "p1", PACKER, "sold 1 screw").await;
    assert!(said.contains("Warehouse only"), "{said}");
    assert_eq!(screws(&bench, id).await, (57, 50, 7, 0));

    // Sent from Main Street: out of it, in transit, the Warehouse told.
    let send = text(PHONE_NUMBER_ID, "m3", STAFF, "sent 10 screws to Warehouse");
    assert_eq!(bench.app.post_webhook(&send).await.status(), 200);
    let said = eventually("the send's answer", WAIT, || async {
        reply(&bench.graph, "m3")
    })
    .await;
    assert!(
        said.0.contains("Sent 10 screws (T-1) to Warehouse"),
        "{}",
        said.0
    );
    assert_eq!(screws(&bench, id).await, (47, 40, 7, 10));
    let note = eventually("the arrival note to the packer", WAIT, || async {
        bench
            .graph
            .requests()
            .into_iter()
            .find(|r| r.body["to"] == PACKER && r.body["type"] == "interactive")
    })
    .await;
    assert_eq!(
        note.phone_number_id, WAREHOUSE_NUMBER,
        "from the Warehouse's number"
    );
    let button = note.body["interactive"]["action"]["buttons"][0].clone();
    assert_eq!(button["reply"]["title"], "✅ It arrived");
    // The sender is not told about their own transfer.
    assert!(
        !bench
            .graph
            .requests()
            .iter()
            .any(|r| r.body["to"] == STAFF && r.body["type"] == "interactive")
    );

    // Meta delivers the send again: no second transfer.
    assert_eq!(bench.app.post_webhook(&send).await.status(), 200);
    let (_, open) = bench
        .call(Method::GET, "/api/v1/transfers?in_transit=true", None)
        .await;
    assert_eq!(open["data"].as_array().unwrap().len(), 1, "{open}");
    assert_eq!(open["data"][0]["status"], "in_transit");

    // Part arrives, said over chat at the Warehouse.
    let (said, from) = say(
        &bench,
        WAREHOUSE_NUMBER,
        "p2",
        PACKER,
        "received 4 screws from Main Street",
    )
    .await;
    assert!(
        said.contains("Received 4 screws from Main Street — 11 at Warehouse"),
        "{said}"
    );
    assert_eq!(from, WAREHOUSE_NUMBER);
    assert_eq!(screws(&bench, id).await, (51, 40, 11, 6));
    // More than is on its way is refused.
    let (said, _) = say(
        &bench,
        WAREHOUSE_NUMBER,
        "p3",
        PACKER,
        "received 9 screws from Main Street",
    )
    .await;
    assert!(said.contains("only 6"), "{said}");

    // The rest, with the button; a second tap changes nothing.
    let tap = |id: &str| {
        webhook(
            WAREHOUSE_NUMBER,
            json!({"from": PACKER, "id": id, "timestamp": "1781000000", "type": "interactive",
                "interactive": {"type": "button_reply", "button_reply": button["reply"].clone()}}),
        )
    };
    assert_eq!(bench.app.post_webhook(&tap("p4")).await.status(), 200);
    let said = eventually("the tap's answer", WAIT, || async {
        reply(&bench.graph, "p4")
    })
    .await;
    assert!(said.0.contains("Received 6 screws"), "{}", said.0);
    assert_eq!(screws(&bench, id).await, (57, 40, 17, 0));
    assert_eq!(bench.app.post_webhook(&tap("p4")).await.status(), 200);
    assert_eq!(bench.app.post_webhook(&tap("p5")).await.status(), 200);
    eventually("the second tap's answer", WAIT, || async {
        reply(&bench.graph, "p5")
    })
    .await;
    assert_eq!(screws(&bench, id).await, (57, 40, 17, 0));
    let (_, t1) = bench.call(Method::GET, "/api/v1/transfers/1", None).await;
    assert_eq!(
        (t1["status"].as_str(), t1["received"].as_i64()),
        (Some("received"), Some(10))
    );
    books_agree(&bench).await;

    // The API: Warehouse → Main Street, received in two parts.
    let new = json!({"item_id": id, "quantity": 5, "from": "Warehouse", "to": "Main Street"});
    let (status, t2) = bench
        .call(Method::POST, "/api/v1/transfers", Some(new))
        .await;
    assert_eq!(status, 201, "{t2}");
    assert_eq!(screws(&bench, id).await, (52, 40, 12, 5));
    let path = format!("/api/v1/transfers/{}/receive", t2["id"]);
    let (status, part) = bench
        .call(Method::POST, &path, Some(json!({"quantity": 2})))
        .await;
    assert_eq!(
        (status, part["received"].as_i64()),
        (200, Some(2)),
        "{part}"
    );
    let (status, done) = bench.call(Method::POST, &path, None).await;
    assert_eq!(
        (status, done["status"].as_str()),
        (200, Some("received")),
        "{done}"
    );
    assert_eq!(bench.call(Method::POST, &path, None).await.0, 409);
    assert_eq!(screws(&bench, id).await, (57, 45, 12, 0));
    let too_many = json!({"item_id": id, "quantity": 13, "from": "Warehouse", "to": "Main Street"});
    assert_eq!(
        bench
            .call(Method::POST, "/api/v1/transfers", Some(too_many))
            .await
            .0,
        409
    );
    let (_, places) = bench.call(Method::GET, "/api/v1/locations", None).await;
    assert_eq!(places[1]["name"], "Warehouse");
    assert_eq!(places[1]["units"], 12);
    books_agree(&bench).await;

    // Events name the location and its count; totals are the item's.
    let arrived = eventually("the transfer_in event", WAIT, || async {
        rx.of("inventory.updated")
            .into_iter()
            .map(|h| h.json())
            .find(|e| {
                e["data"]["reason"] == "transfer_in" && e["data"]["location"]["name"] == "Warehouse"
            })
    })
    .await;
    assert_eq!(arrived["data"]["location_quantity_after"], 11);
    assert_eq!(arrived["data"]["quantity_after"], 51);
}

/// Each case an attack pass on the first version found, kept closed.
async fn what_an_attack_pass_found_holds(db: TestDb) {
    let bench = start(&db).await;
    // The owner writes, so notes to them carry buttons.
    say(&bench, PHONE_NUMBER_ID, "a0", OWNER, "stock").await;
    say(&bench, PHONE_NUMBER_ID, "a1", STAFF, "added 70 screws").await;
    let id = backroom::storage::items::get(&bench.app.db, "screw")
        .await
        .unwrap()
        .unwrap()
        .id;

    // Naming an item twice in a receipt cannot receive more than was sent.
    let one = json!({"item_id": id, "quantity": 1, "from": "Main Street", "to": "Warehouse"});
    assert_eq!(
        bench
            .call(Method::POST, "/api/v1/transfers", Some(one))
            .await
            .0,
        201
    );
    let (said, _) = say(
        &bench,
        WAREHOUSE_NUMBER,
        "a2",
        STAFF,
        "received 1 screw, 1 screw and 1 screw from Main Street",
    )
    .await;
    assert!(said.contains("only 1 screw"), "{said}");
    assert_eq!(screws(&bench, id).await, (69, 69, 0, 1));

    // Concurrent sends never take more than the location holds, and
    // concurrent receipts through the API and the chat never deadlock.
    let sends = (0..10).map(|_| {
        let body = json!({"item_id": id, "quantity": 10, "from": "Main Street", "to": "Warehouse"});
        bench.call(Method::POST, "/api/v1/transfers", Some(body))
    });
    let answers = futures::future::join_all(sends).await;
    let made = answers.iter().filter(|(s, _)| *s == 201).count();
    assert!(
        answers.iter().all(|(s, _)| matches!(s, 201 | 409)),
        "{answers:?}"
    );
    assert_eq!(made, 6, "69 screws make six sends of 10");
    assert_eq!(screws(&bench, id).await, (9, 9, 0, 61));
    books_agree(&bench).await;
    // The newest: the chat's receipts take the oldest transfers first.
    let t2 = answers
        .iter()
        .filter(|(s, _)| *s == 201)
        .filter_map(|(_, t)| t["id"].as_i64())
        .max()
        .unwrap();
    let path = format!("/api/v1/transfers/{t2}/receive");
    let api = (0..6).map(|_| bench.call(Method::POST, &path, Some(json!({"quantity": 1}))));
    let app = &bench.app;
    let chat = (0..6).map(|i| {
        let body = text(
            WAREHOUSE_NUMBER,
            &format!("r{i}"),
            STAFF,
            "received 1 screw from Main Street",
        );
        async move { app.post_webhook(&body).await.status().as_u16() }
    });
    let (api, chat) = futures::future::join(
        futures::future::join_all(api),
        futures::future::join_all(chat),
    )
    .await;
    assert!(api.iter().all(|(s, _)| *s == 200), "{api:?}");
    assert!(chat.iter().all(|s| *s == 200));
    eventually("the chat receipts", WAIT, || async {
        (0..6)
            .all(|i| reply(&bench.graph, &format!("r{i}")).is_some())
            .then_some(())
    })
    .await;
    assert_eq!(screws(&bench, id).await, (21, 9, 12, 49));
    books_agree(&bench).await;

    // Undo puts a change back where it was made, whichever number it reaches.
    say(&bench, PHONE_NUMBER_ID, "u1", STAFF, "sold 3 screws").await;
    let (said, _) = say(&bench, WAREHOUSE_NUMBER, "u2", STAFF, "undo").await;
    assert!(said.contains("6 → 9"), "{said}");
    assert_eq!(screws(&bench, id).await, (21, 9, 12, 49));

    // A typo of a location is asked about; nothing leaves the shop.
    let (said, _) = say(
        &bench,
        PHONE_NUMBER_ID,
        "y1",
        STAFF,
        "sent 2 screws to Wårehouse",
    )
    .await;
    assert!(said.contains("did you mean Warehouse"), "{said}");
    assert_eq!(screws(&bench, id).await, (21, 9, 12, 49));

    // An item with stock in transit cannot be deleted.
    let (status, _) = bench
        .call(Method::DELETE, &format!("/api/v1/items/{id}"), None)
        .await;
    assert_eq!(status, 409);

    // The arrival button works through either number; limits still hold.
    let note = bench
        .graph
        .requests()
        .into_iter()
        .find(|r| r.body["type"] == "interactive" && r.body["to"] == OWNER);
    let note = note.expect("the owner is told of transfers to the Warehouse, with a button");
    {
        let button = note.body["interactive"]["action"]["buttons"][0]["reply"].clone();
        let tap = webhook(
            PHONE_NUMBER_ID,
            json!({"from": OWNER, "id": "b1", "timestamp": "1781000000", "type": "interactive",
                "interactive": {"type": "button_reply", "button_reply": button}}),
        );
        assert_eq!(bench.app.post_webhook(&tap).await.status(), 200);
        let said = eventually("the tap's answer", WAIT, || async {
            reply(&bench.graph, "b1")
        })
        .await;
        assert!(
            said.0.contains("at Warehouse now") || said.0.contains("arrived already"),
            "{}",
            said.0
        );
    }
    books_agree(&bench).await;

    // Repeated names in a staff member's locations are one; customers get none.
    let role = json!({"role": "staff"});
    let path = format!("/api/v1/contacts/{PACKER}");
    assert_eq!(bench.call(Method::PATCH, &path, Some(role)).await.0, 200);
    let twice = json!({"locations": ["Warehouse", "warehouse"]});
    let (status, set) = bench
        .call(Method::PUT, &format!("{path}/locations"), Some(twice))
        .await;
    assert_eq!(
        (status, set["locations"].as_array().map(Vec::len)),
        (200, Some(1))
    );
    let customer = format!("/api/v1/contacts/{}/locations", helpers::CUSTOMER);
    let role = json!({"role": "customer"});
    let cpath = format!("/api/v1/contacts/{}", helpers::CUSTOMER);
    assert_eq!(bench.call(Method::PATCH, &cpath, Some(role)).await.0, 200);
    let limit = json!({"locations": ["Warehouse"]});
    assert_eq!(bench.call(Method::PUT, &customer, Some(limit)).await.0, 422);
    // An unknown `to` is named as such.
    let bad = json!({"item_id": id, "quantity": 1, "from": "Main Street", "to": "Nowhere"});
    let (status, body) = bench
        .call(Method::POST, "/api/v1/transfers", Some(bad))
        .await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["to"].is_string(), "{body}");
}
