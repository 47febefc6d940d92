//! Messages about the conversation: STOP and START (and a template's opt-out
//! button), what opting out holds back, greetings and ad referrals, and
//! "where's my order?".

use std::time::Duration;

use backroom::api::auth::Scope;
use serde_json::{Value, json};

use crate::{
    both_databases,
    fake_graph::FakeGraph,
    helpers::{self, CUSTOMER, PHONE_NUMBER_ID, STAFF, TestApp, TestDb, eventually},
};

const WAIT: Duration = Duration::from_secs(10);

both_databases!(
    stop_and_start_change_what_the_shop_may_start,
    greetings_and_ads_get_the_welcome,
    where_is_my_order_answers_with_its_status
);

struct Chat {
    graph: FakeGraph,
    app: TestApp,
}

impl Chat {
    async fn open(db: &TestDb) -> Self {
        let graph = FakeGraph::start().await;
        let mut env = helpers::base_env(db, &graph);
        env.insert("SHOP_NAME".into(), "Hardware Hut".into());
        let app = TestApp::spawn(env).await;
        Self { graph, app }
    }

    /// Posts one message object from `from` and returns the texts of the
    /// replies to it (waiting for `replies` of them).
    async fn send(&self, message: Value, replies: usize) -> Vec<String> {
        let id = message["id"].as_str().unwrap().to_string();
        let body = serde_json::to_vec(&json!({
            "object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15555550100", "phone_number_id": PHONE_NUMBER_ID},
                "contacts": [{"wa_id": message["from"], "profile": {"name": "Lindiwe"}}],
                "messages": [message]
            }}]}]
        }))
        .unwrap();
        assert_eq!(self.app.post_webhook(&body).await.status(), 200);
        eventually(&format!("{replies} replies to {id}"), WAIT, || async {
            let got: Vec<String> = self
                .graph
                .requests()
                .into_iter()
                .filter(|r| r.body["context"]["message_id"] == id.as_str())
                .map(|r| {
                    r.body["text"]["body"]
                        .as_str()
                        .or(r.body["interactive"]["body"]["text"].as_str())
                        .unwrap_or_default()
                        .to_string()
                })
                .collect();
            (got.len() >= replies).then_some(got)
        })
        .await
    }

    async fn say(&self, id: &str, from: &str, text: &str) -> String {
        let message = json!({"from": from, "id": id, "timestamp": "1781000000",
            "type": "text", "text": {"body": text}});
        self.send(message, 1).await.remove(0)
    }

    async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
            .fetch_one(self.app.db.pool())
            .await
            .unwrap()
    }

    async fn api(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let token = backroom::api::auth::create(&self.app.db, "t", &[Scope::Admin])
            .await
            .unwrap()
            .token;
        let mut req = reqwest::Client::new()
            .request(method, format!("{}{path}", self.app.addr))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }
}

fn consent_events(kind: &str) -> String {
    format!("SELECT CAST(COUNT(*) AS BIGINT) FROM events WHERE type = '{kind}'")
}

async fn stop_and_start_change_what_the_shop_may_start(db: TestDb) {
    let chat = Chat::open(&db).await;
    chat.say("s1", STAFF, "Added 10 hammers").await;
    let placed = chat.say("c1", CUSTOMER, "2 hammers please").await;
    assert!(placed.contains("Order #"), "{placed}");

    let reply = chat.say("c2", CUSTOMER, "STOP").await;
    assert!(
        reply.contains("Hardware Hut won't message you first"),
        "{reply}"
    );
    let again = chat.say("c3", CUSTOMER, "stop.").await;
    assert!(again.contains("won't message you first"), "{again}");
    assert_eq!(
        chat.scalar(&consent_events("contact.opted_out")).await,
        1,
        "one event, not two"
    );
    let (_, contacts) = chat
        .api(reqwest::Method::GET, "/api/v1/contacts", None)
        .await;
    let me = contacts["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["wa_id"] == CUSTOMER)
        .unwrap()
        .clone();
    assert_eq!(me["opted_out"], true, "{me}");

    // A day later the window is shut: the order update is recorded as not
    // sent, and the API refuses to start a conversation.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE contacts SET last_seen = last_seen - 90000000 WHERE wa_id = '{CUSTOMER}'"
    )))
    .execute(chat.app.db.pool())
    .await
    .unwrap();
    let order = chat.scalar("SELECT id FROM orders").await;
    let (status, _) = chat
        .api(
            reqwest::Method::PATCH,
            &format!("/api/v1/orders/{order}"),
            Some(json!({"status": "ready"})),
        )
        .await;
    assert_eq!(status, 200);
    let unsent = eventually("the update recorded as not sent", WAIT, || async {
        let n = chat
            .scalar(&format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM outbound_messages WHERE recipient = '{CUSTOMER}' \
                 AND status = 'expired' AND error_message LIKE '%opted out%'"
            ))
            .await;
        (n == 1).then_some(n)
    })
    .await;
    assert_eq!(unsent, 1);
    let template = json!({"to": CUSTOMER, "template": {"name": "order_update", "language": "en"}});
    let (status, body) = chat
        .api(reqwest::Method::POST, "/api/v1/messages", Some(template))
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("opted out"),
        "{body}"
    );

    // START opts back in; a template's quick-reply button opts out again.
    let reply = chat.say("c4", CUSTOMER, "START").await;
    assert!(reply.contains("Welcome back"), "{reply}");
    assert_eq!(chat.scalar(&consent_events("contact.opted_in")).await, 1);
    let tap = json!({"from": CUSTOMER, "id": "c5", "timestamp": "1781000000", "type": "button",
        "button": {"payload": "Stop promotions", "text": "Stop promotions"},
        "context": {"from": "15555550100", "id": "wamid.template"}});
    let replies = chat.send(tap, 1).await;
    assert!(
        replies[0].contains("won't message you first"),
        "{replies:?}"
    );
    assert_eq!(chat.scalar(&consent_events("contact.opted_out")).await, 2);
    let data: String = sqlx::query_scalar(
        "SELECT data FROM events WHERE type = 'contact.opted_out' ORDER BY seq DESC LIMIT 1",
    )
    .fetch_one(chat.app.db.pool())
    .await
    .unwrap();
    let data: Value = serde_json::from_str(&data).unwrap();
    assert_eq!(
        (data["contact"].as_str(), data["changed_by"].as_str()),
        (Some(CUSTOMER), Some("contact"))
    );
}

async fn greetings_and_ads_get_the_welcome(db: TestDb) {
    let chat = Chat::open(&db).await;
    chat.say("s1", STAFF, "Added 10 hammers").await;
    let hello = chat.say("g1", CUSTOMER, "Hi there!").await;
    assert!(hello.starts_with("👋 Welcome to Hardware Hut!"), "{hello}");
    // The welcome is the body of the list of what is in stock: one message.
    let list = chat
        .graph
        .requests()
        .into_iter()
        .find(|r| r.body["context"]["message_id"] == "g1")
        .unwrap()
        .body;
    assert_eq!(list["interactive"]["type"], "list", "{list}");
    assert!(list.to_string().contains("hammer"), "{list}");
    // A click-to-WhatsApp ad's first message, whatever its words.
    let ad = json!({"from": "27825550188", "id": "g2", "timestamp": "1781000000", "type": "text",
        "text": {"body": "I saw this on Facebook"},
        "referral": {"source_url": "https://fb.me/ad", "source_id": "120", "source_type": "ad",
            "headline": "Hammers on sale", "body": "Best hammers in town", "media_type": "image",
            "ctwa_clid": "ARAkLkA"}});
    let welcome = chat.send(ad, 1).await;
    assert!(
        welcome[0].starts_with("👋 Welcome to Hardware Hut!"),
        "{welcome:?}"
    );
    // Staff saying hi keep their help; a customer's real question is answered.
    let staff = chat.say("g3", STAFF, "hello").await;
    assert!(!staff.contains("Welcome to"), "{staff}");
    let question = chat.say("g4", CUSTOMER, "hi, do you have hammers?").await;
    assert!(
        question.contains("hammer") && !question.contains("Welcome"),
        "{question}"
    );
}

async fn where_is_my_order_answers_with_its_status(db: TestDb) {
    let chat = Chat::open(&db).await;
    let none = chat.say("w1", CUSTOMER, "Where's my order?").await;
    assert!(none.contains("no orders with us yet"), "{none}");
    chat.say("s1", STAFF, "Added 10 hammers").await;
    let placed = chat.say("w2", CUSTOMER, "2 hammers please").await;
    let number = placed
        .split('#')
        .nth(1)
        .unwrap()
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap()
        .to_string();
    let answer = chat.say("w3", CUSTOMER, "where is my order").await;
    assert!(
        answer.contains(&format!("Order #{number} (2 × hammer) is in")),
        "{answer}"
    );
    let id = chat.scalar("SELECT id FROM orders").await;
    chat.api(
        reqwest::Method::PATCH,
        &format!("/api/v1/orders/{id}"),
        Some(json!({"status": "ready"})),
    )
    .await;
    let answer = chat.say("w4", CUSTOMER, "Is my order ready yet?").await;
    assert!(answer.contains("ready for you to collect"), "{answer}");
}
