//! The shop conversation through the webhook: roles, undo, orders, catalogue
//! carts, reply buttons, low-stock alerts, events and languages.

use std::time::Duration;

use backroom::storage::{events, orders};
use serde_json::{Value, json};

use crate::{
    both_databases,
    fake_graph::FakeGraph,
    helpers::{self, CUSTOMER, PHONE_NUMBER_ID, STAFF, TestApp, TestDb, eventually, stock},
};

const OWNER: &str = "15555550199";
const OTHER_CUSTOMER: &str = "27825550177";
const WAIT: Duration = Duration::from_secs(10);

both_databases!(
    undo_reverts_once,
    undo_has_a_time_window,
    customers_order_and_cancel,
    two_customers_race_for_the_last_item,
    catalogue_carts_become_orders,
    low_stock_alerts_owners_once,
    did_you_mean_asks_with_buttons,
    non_text_messages_get_one_notice,
    read_receipts_when_asked,
    french_messages_get_french_replies,
    pack_sizes_count_singles,
    daily_summary_goes_out_once,
    sends_are_paced_per_number,
);

/// A webhook carrying arbitrary message objects.
fn webhook(messages: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15555550100", "phone_number_id": PHONE_NUMBER_ID},
            "messages": messages
        }}]}]
    }))
    .unwrap()
}

struct Shop {
    graph: FakeGraph,
    app: TestApp,
}

impl Shop {
    async fn open(db: &TestDb, extra: &[(&str, &str)]) -> Self {
        let graph = FakeGraph::start().await;
        let mut env = helpers::base_env(db, &graph);
        env.insert("OWNER_PHONES".into(), OWNER.into());
        for (k, v) in extra {
            env.insert(k.to_string(), v.to_string());
        }
        let app = TestApp::spawn(env).await;
        Self { graph, app }
    }

    /// Sends one text and waits for the reply to it.
    async fn say(&self, id: &str, from: &str, text: &str) -> String {
        let body = helpers::text_webhook(&[(id, from, text)]);
        assert_eq!(self.app.post_webhook(&body).await.status(), 200);
        self.reply(id).await
    }

    async fn reply(&self, id: &str) -> String {
        eventually(&format!("the reply to {id}"), WAIT, || async {
            self.graph.requests().into_iter().find_map(|r| {
                (r.body["context"]["message_id"] == id).then(|| {
                    r.body["text"]["body"]
                        .as_str()
                        .or(r.body["interactive"]["body"]["text"].as_str())
                        .unwrap_or_default()
                        .to_string()
                })
            })
        })
        .await
    }

    async fn events(&self, kind: &str) -> Vec<Value> {
        events::list(&self.app.db, Some(kind), 0, 1000)
            .await
            .unwrap()
            .into_iter()
            .map(|e| serde_json::from_str(&e.data).unwrap())
            .collect()
    }
}

async fn undo_reverts_once(db: TestDb) {
    let shop = Shop::open(&db, &[]).await;
    shop.say("w1", STAFF, "added 10 screws").await;
    shop.say("w2", STAFF, "sold 3 screws").await;
    let undone = shop.say("w3", STAFF, "undo").await;
    assert_eq!(undone, "↩️ Undone:\n• screw: 7 → 10");
    assert_eq!(stock(&shop.app.db, "screw").await, Some(10));
    let again = shop.say("w4", STAFF, "undo").await;
    assert_eq!(again, "↩️ There's nothing of yours to undo.");
    assert_eq!(stock(&shop.app.db, "screw").await, Some(10));
    // A customer cannot undo anything.
    let refused = shop.say("w5", CUSTOMER, "undo").await;
    assert!(refused.starts_with("🔒"), "{refused}");
    // Undo in the same batch as the change it reverts.
    let body = helpers::text_webhook(&[("w6", STAFF, "added 5 bolts"), ("w7", STAFF, "undo")]);
    shop.app.post_webhook(&body).await;
    assert_eq!(shop.reply("w7").await, "↩️ Undone:\n• bolt: 5 → 0");
    assert_eq!(stock(&shop.app.db, "bolt").await, Some(0));
}

async fn undo_has_a_time_window(db: TestDb) {
    let shop = Shop::open(&db, &[("UNDO_WINDOW_SECS", "1")]).await;
    shop.say("w1", STAFF, "added 10 screws").await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let late = shop.say("w2", STAFF, "undo").await;
    assert!(late.starts_with("⌛"), "{late}");
    assert_eq!(stock(&shop.app.db, "screw").await, Some(10));
}

async fn customers_order_and_cancel(db: TestDb) {
    let shop = Shop::open(&db, &[]).await;
    shop.say("w1", STAFF, "added 5 hammers").await;
    let too_many = shop.say("w2", CUSTOMER, "I'd like 7 hammers").await;
    assert!(too_many.contains("only 5 available"), "{too_many}");
    assert!(orders::list(&shop.app.db, None).await.unwrap().is_empty());

    let confirmed = shop.say("w3", CUSTOMER, "I'd like 2 hammers").await;
    let placed = orders::list(&shop.app.db, Some(CUSTOMER)).await.unwrap();
    assert_eq!(placed.len(), 1);
    let number = &placed[0].number;
    assert_eq!(
        confirmed,
        format!("📦 Order #{number} confirmed: 2 × hammer. We'll let you know when it's ready.")
    );
    assert_eq!(stock(&shop.app.db, "hammer").await, Some(3));
    let created = shop.events("order.created").await;
    assert_eq!(created[0]["order"]["number"], number.as_str());
    assert_eq!(created[0]["order"]["lines"][0]["quantity"], 2);

    let cancelled = shop.say("w4", CUSTOMER, "cancel my order").await;
    assert!(
        cancelled.contains(&format!("#{number} cancelled")),
        "{cancelled}"
    );
    assert_eq!(stock(&shop.app.db, "hammer").await, Some(5));
    let after = orders::list(&shop.app.db, Some(CUSTOMER)).await.unwrap();
    assert_eq!(after[0].status.as_str(), "cancelled");
    assert_eq!(shop.events("order.cancelled").await.len(), 1);
    let nothing = shop.say("w5", CUSTOMER, "cancel my order").await;
    assert!(nothing.contains("no open order"), "{nothing}");

    // The ledger tells the story with reasons, and every message was logged.
    let reasons: Vec<String> = shop
        .events("inventory.updated")
        .await
        .iter()
        .map(|e| e["reason"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(reasons, ["add", "order", "order_cancelled"]);
    assert_eq!(shop.events("message.received").await.len(), 5);
    eventually("message.sent events", WAIT, || async {
        (shop.events("message.sent").await.len() == 5).then_some(())
    })
    .await;
}

async fn two_customers_race_for_the_last_item(db: TestDb) {
    let shop = Shop::open(&db, &[]).await;
    shop.say("w1", STAFF, "added 1 wheelbarrow").await;
    let first = helpers::text_webhook(&[("r1", CUSTOMER, "I'll take 1 wheelbarrow")]);
    let second = helpers::text_webhook(&[("r2", OTHER_CUSTOMER, "I'll take 1 wheelbarrow")]);
    let (a, b) = tokio::join!(
        shop.app.post_webhook(&first),
        shop.app.post_webhook(&second)
    );
    assert!(a.status().is_success() && b.status().is_success());
    let replies = [shop.reply("r1").await, shop.reply("r2").await];
    let won = replies.iter().filter(|r| r.contains("confirmed")).count();
    assert_eq!(won, 1, "{replies:?}");
    assert!(
        replies.iter().any(|r| r.contains("out of stock")),
        "{replies:?}"
    );
    assert_eq!(stock(&shop.app.db, "wheelbarrow").await, Some(0));
    assert_eq!(orders::list(&shop.app.db, None).await.unwrap().len(), 1);
}

async fn catalogue_carts_become_orders(db: TestDb) {
    let shop = Shop::open(&db, &[]).await;
    shop.say("w1", STAFF, "added 10 hammers, 4 screws").await;
    for (name, sku) in [
        ("hammer", "hammer-claw-16oz"),
        ("screw", "screws-4x40-box100"),
    ] {
        sqlx::query("UPDATE items SET sku = $1 WHERE name = $2")
            .bind(sku)
            .bind(name)
            .execute(shop.app.db.pool())
            .await
            .unwrap();
    }
    // The fixture: 2 × hammer-claw-16oz at 189.99 and 1 × screws-4x40-box100, from CUSTOMER.
    assert_eq!(
        shop.app
            .post_webhook(&helpers::fixture("order.json"))
            .await
            .status(),
        200
    );
    let placed = eventually("the catalogue order", WAIT, || async {
        orders::list(&shop.app.db, Some(CUSTOMER))
            .await
            .unwrap()
            .into_iter()
            .next()
    })
    .await;
    assert_eq!(
        (placed.source.as_str(), placed.currency.as_deref()),
        ("catalog", Some("ZAR"))
    );
    let lines = orders::lines(&shop.app.db, placed.id).await.unwrap();
    assert_eq!(lines[0].price_minor, Some(18999));
    assert_eq!((lines[0].name.as_str(), lines[0].quantity), ("hammer", 2));
    assert_eq!(stock(&shop.app.db, "hammer").await, Some(8));
    assert_eq!(stock(&shop.app.db, "screw").await, Some(3));

    // A cart naming a product we cannot match creates nothing.
    let unknown = webhook(vec![json!({
        "from": CUSTOMER, "id": "cart2", "timestamp": "1781000000", "type": "order",
        "order": {"catalog_id": "1", "product_items": [
            {"product_retailer_id": "nope-1", "quantity": 1, "item_price": 5, "currency": "ZAR"}]}
    })]);
    shop.app.post_webhook(&unknown).await;
    assert!(shop.reply("cart2").await.contains("nope-1"));
    assert_eq!(orders::list(&shop.app.db, None).await.unwrap().len(), 1);
}

async fn low_stock_alerts_owners_once(db: TestDb) {
    let shop = Shop::open(&db, &[("DEFAULT_LOW_STOCK_THRESHOLD", "5")]).await;
    shop.say("w1", STAFF, "added 10 drills").await;
    shop.say("w2", STAFF, "sold 6 drills").await;
    let alert = eventually("the owner's alert", WAIT, || async {
        shop.graph
            .requests()
            .into_iter()
            .find(|r| r.body["to"] == OWNER)
            .map(|r| r.body["text"]["body"].as_str().unwrap().to_string())
    })
    .await;
    assert_eq!(alert, "⚠️ Low stock: drills — 4 left (alert at 5).");
    shop.say("w3", STAFF, "sold 1 drill").await;
    let low = shop.events("stock.low").await;
    assert_eq!(low.len(), 1, "one alert per crossing");
    assert_eq!(
        (low[0]["quantity"].as_i64(), low[0]["threshold"].as_i64()),
        (Some(4), Some(5))
    );
    let to_owner = shop
        .graph
        .requests()
        .iter()
        .filter(|r| r.body["to"] == OWNER)
        .count();
    assert_eq!(to_owner, 1);
}

async fn did_you_mean_asks_with_buttons(db: TestDb) {
    let shop = Shop::open(&db, &[]).await;
    shop.say("w1", STAFF, "added 5 wheelbarrows").await;
    // The rules keep a word they cannot place; it is close to a known item.
    let asked = shop.say("w2", STAFF, "sold 2 wheelbarox").await;
    assert_eq!(asked, "🤔 Did you mean wheelbarrow?");
    let question = shop
        .graph
        .requests()
        .into_iter()
        .find(|r| r.body["context"]["message_id"] == "w2")
        .unwrap();
    assert_eq!(question.body["type"], "interactive");
    let yes = question.body["interactive"]["action"]["buttons"][0]["reply"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        stock(&shop.app.db, "wheelbarrow").await,
        Some(5),
        "nothing before the tap"
    );
    let tap = |id: &str| {
        webhook(vec![json!({
            "from": STAFF, "id": id, "timestamp": "1781000000", "type": "interactive",
            "interactive": {"type": "button_reply", "button_reply": {"id": yes, "title": "Yes"}}
        })])
    };
    shop.app.post_webhook(&tap("t1")).await;
    assert_eq!(
        shop.reply("t1").await,
        "✅ Removed 2 wheelbarrows — 3 in stock"
    );
    // The same button again changes nothing.
    shop.app.post_webhook(&tap("t2")).await;
    assert!(shop.reply("t2").await.starts_with("⌛"));
    assert_eq!(stock(&shop.app.db, "wheelbarrow").await, Some(3));
    // A modifier before a known item is the known item (the catalogue anchors
    // the reading): "claw hammers" are the shop's hammers.
    shop.say("w4", STAFF, "added 5 hammers").await;
    let anchored = shop.say("w5", STAFF, "sold 2 claw hammers").await;
    assert_eq!(anchored, "✅ Removed 2 hammers — 3 in stock");
    // An item that resembles nothing is simply unknown.
    let unknown = shop.say("w3", STAFF, "sold 1 cement mixer").await;
    assert!(unknown.contains("no cement mixer"), "{unknown}");
}

async fn non_text_messages_get_one_notice(db: TestDb) {
    let shop = Shop::open(&db, &[]).await;
    let image = |id: &str| {
        json!({"from": CUSTOMER, "id": id, "timestamp": "1781000000", "type": "image",
               "image": {"id": "m1", "mime_type": "image/jpeg"}})
    };
    shop.app
        .post_webhook(&webhook(vec![image("i1"), image("i2")]))
        .await;
    assert!(
        shop.reply("i1")
            .await
            .contains("I read text messages and voice notes")
    );
    shop.app.post_webhook(&webhook(vec![image("i3")])).await;
    shop.say("w1", CUSTOMER, "hello").await;
    assert_eq!(shop.graph.replies_to("i2") + shop.graph.replies_to("i3"), 0);
}

async fn read_receipts_when_asked(db: TestDb) {
    let shop = Shop::open(&db, &[("MARK_AS_READ", "true")]).await;
    shop.say("w1", STAFF, "stock").await;
    eventually("the read receipt", WAIT, || async {
        shop.graph
            .requests()
            .into_iter()
            .find(|r| r.body["status"] == "read" && r.body["message_id"] == "w1")
    })
    .await;
}

async fn french_messages_get_french_replies(db: TestDb) {
    let shop = Shop::open(&db, &[]).await;
    let added = shop.say("w1", STAFF, "ajouté 5 marteaux").await;
    assert_eq!(
        added,
        "🆕 Nouvel article : marteau — 5 en stock. Répondez annuler si c'est une faute de frappe."
    );
    let ordered = shop
        .say("w2", CUSTOMER, "Bonjour, je voudrais 2 marteaux")
        .await;
    assert!(ordered.starts_with("📦 Commande n°"), "{ordered}");
}

async fn pack_sizes_count_singles(db: TestDb) {
    let shop = Shop::open(&db, &[]).await;
    shop.say("w1", STAFF, "added 10 screws").await;
    assert_eq!(
        shop.say("w2", STAFF, "1 box of screws = 50").await,
        "📦 Noted: 1 box of screws = 50."
    );
    let added = shop.say("w3", STAFF, "added 2 boxes of screws").await;
    assert_eq!(added, "✅ Added 100 screws (2 boxes × 50) — 110 in stock");
}

/// `backroom staff add|list|remove` changes who may change stock.
#[tokio::test]
async fn staff_are_managed_on_the_command_line() {
    let db = TestDb::sqlite().await;
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_backroom"))
            .args(args)
            .env_clear()
            .env("DATABASE_URL", db.url())
            .output()
            .expect("the binary runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(
        run(&["staff", "add", "+27 82 555 0188"]),
        "27825550188 is now staff\n"
    );
    assert_eq!(run(&["staff", "list"]), "27825550188\t\n");
    assert!(run(&["owner", "list"]).is_empty());
    assert_eq!(
        run(&["staff", "remove", "27825550188"]),
        "27825550188 is now a customer\n"
    );
    assert!(run(&["staff", "list"]).is_empty());
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_backroom"))
        .args(["staff", "add", "not-a-number"])
        .env_clear()
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert!(!bad.status.success());
}

async fn daily_summary_goes_out_once(db: TestDb) {
    // 00:00 has always passed, so the summary is due at start-up. The owner
    // has not written in 24 hours, so it goes as the approved template.
    let env = [
        ("SUMMARY_AT", "00:00"),
        ("TEMPLATE_ALERT", "stock_news:en_GB"),
    ];
    let shop = Shop::open(&db, &env).await;
    let template = eventually("the owner's summary", WAIT, || async {
        shop.graph
            .requests()
            .into_iter()
            .find(|r| r.body["to"] == OWNER)
            .map(|r| r.body["template"].clone())
    })
    .await;
    assert_eq!(template["name"], "stock_news");
    assert_eq!(template["language"]["code"], "en_GB");
    let summary = template["components"][0]["parameters"][0]["text"]
        .as_str()
        .unwrap();
    assert!(summary.starts_with("📊 Stock summary for "), "{summary}");
    assert!(!summary.contains('\n'), "template parameters are one line");
    let settings = backroom::config::Settings::from_map(
        &[("DATABASE_URL".to_string(), db.url().to_string())]
            .into_iter()
            .collect(),
    )
    .unwrap();
    let again = backroom::ops::Shop {
        db: shop.app.db.clone(),
        prefs: backroom::config::prefs::Prefs::new(&settings.shop),
        settings: std::sync::Arc::new(settings),
        sender_wake: Default::default(),
        signals: Default::default(),
        keys: crate::helpers::keys(),
        places: Default::default(),
        deliveries: None,
    };
    let at = "00:00".parse().unwrap();
    assert!(
        !backroom::summary::send_if_due(&again, at).await.unwrap(),
        "one summary a day"
    );
}

async fn sends_are_paced_per_number(db: TestDb) {
    let shop = Shop::open(&db, &[("WHATSAPP_SEND_RATE", "5")]).await;
    let ids: Vec<String> = (0..15).map(|i| format!("wamid.pace{i}")).collect();
    let messages: Vec<(&str, &str, &str)> =
        ids.iter().map(|id| (id.as_str(), STAFF, "stock")).collect();
    let started = std::time::Instant::now();
    shop.app
        .post_webhook(&helpers::text_webhook(&messages))
        .await;
    eventually("all 15 replies", WAIT, || async {
        (shop.graph.requests().len() >= 15).then_some(())
    })
    .await;
    // 5 at once, then 5 a second: the last ten need about two seconds.
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(1800),
        "{:?}",
        started.elapsed()
    );
}
