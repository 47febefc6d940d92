//! Asking instead of guessing, through the webhook: an uncertain stock change
//! gets Add/Remove/Neither buttons and changes nothing until a tap; a tap
//! applies once, within its lifetime; a customer's uncertain request is put
//! as "Would you like to order…?"; a new item says so, and one close to a
//! known item is asked about. Uncertainty comes from a (fake) LLM reading a
//! message apart from the rules, which is what makes the bot ask.

use std::time::Duration;

use serde_json::{Value, json};

use crate::{
    both_databases,
    fake_graph::FakeGraph,
    fake_llm::{FakeLlm, Reply, parse_json},
    helpers::{self, CUSTOMER, PHONE_NUMBER_ID, STAFF, TestApp, TestDb, eventually, stock},
};

const WAIT: Duration = Duration::from_secs(10);

both_databases!(
    an_uncertain_change_is_asked_and_applied_once,
    questions_expire_and_neither_changes_nothing,
    a_customers_uncertain_request_is_asked,
    new_items_are_announced_or_asked_about,
);

struct Bot {
    graph: FakeGraph,
    llm: FakeLlm,
    app: TestApp,
}

impl Bot {
    async fn start(db: &TestDb) -> Self {
        let graph = FakeGraph::start().await;
        let llm = FakeLlm::start().await;
        let mut env = helpers::base_env(db, &graph);
        for (k, v) in [
            ("LLM_PROVIDER", "openai".to_string()),
            ("OPENAI_BASE_URL", llm.openai_base()),
            ("LLM_TIMEOUT_MS", "2000".to_string()),
        ] {
            env.insert(k.into(), v);
        }
        let app = TestApp::spawn(env).await;
        Self { graph, llm, app }
    }

    /// Sends a text (the model answering `model`) and returns the reply's request body.
    async fn say(&self, id: &str, from: &str, text: &str, model: String) -> Value {
        self.llm.script([Reply::Content(model)]);
        let body = helpers::text_webhook(&[(id, from, text)]);
        assert_eq!(self.app.post_webhook(&body).await.status(), 200);
        self.reply(id).await
    }

    async fn reply(&self, id: &str) -> Value {
        eventually(&format!("the reply to {id}"), WAIT, || async {
            self.graph
                .requests()
                .into_iter()
                .rev()
                .find(|r| r.body["context"]["message_id"] == id)
                .map(|r| r.body)
        })
        .await
    }

    /// Taps a button of an earlier question and returns the reply's body.
    async fn tap(&self, id: &str, from: &str, button: &Value) -> Value {
        let message = json!({
            "from": from, "id": id, "timestamp": "1781000000", "type": "interactive",
            "interactive": {"type": "button_reply",
                            "button_reply": {"id": button["reply"]["id"], "title": button["reply"]["title"]}}
        });
        let body = serde_json::to_vec(&json!({
            "object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15555550100", "phone_number_id": PHONE_NUMBER_ID},
                "messages": [message]
            }}]}]
        }))
        .unwrap();
        assert_eq!(self.app.post_webhook(&body).await.status(), 200);
        self.reply(id).await
    }
}

fn text(reply: &Value) -> String {
    reply["text"]["body"]
        .as_str()
        .or(reply["interactive"]["body"]["text"].as_str())
        .unwrap_or_default()
        .to_string()
}

fn buttons(reply: &Value) -> Vec<Value> {
    reply["interactive"]["action"]["buttons"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn titles(reply: &Value) -> Vec<String> {
    buttons(reply)
        .iter()
        .map(|b| b["reply"]["title"].as_str().unwrap().to_string())
        .collect()
}

async fn an_uncertain_change_is_asked_and_applied_once(db: TestDb) {
    let bot = Bot::start(&db).await;
    let agree = parse_json("add", &[("wall plug", Some(50), None)]);
    bot.say("w1", STAFF, "added 50 wall plugs", agree).await;
    assert_eq!(stock(&bot.app.db, "wall plug").await, Some(50));

    // The rules read an arrival, the model a removal: nothing changes yet.
    let model = parse_json("remove", &[("wall plug", Some(30), None)]);
    let asked = bot.say("w2", STAFF, "added 30 wall plugs", model).await;
    assert_eq!(asked["type"], "interactive");
    assert!(text(&asked).contains("30 wall plugs"), "{asked}");
    assert_eq!(
        titles(&asked),
        ["➖ Remove", "➕ Add 30 wall plugs", "✖️ Neither"],
        "{asked}"
    );
    for b in buttons(&asked) {
        assert!(b["reply"]["title"].as_str().unwrap().chars().count() <= 20);
    }
    assert_eq!(stock(&bot.app.db, "wall plug").await, Some(50));

    // A tap applies the chosen reading, once.
    let remove = &buttons(&asked)[0];
    let done = bot.tap("t1", STAFF, remove).await;
    assert_eq!(text(&done), "✅ Removed 30 wall plugs — 20 in stock");
    assert_eq!(stock(&bot.app.db, "wall plug").await, Some(20));
    let again = bot.tap("t2", STAFF, remove).await;
    assert!(
        text(&again).contains("expired") || text(&again).contains("no longer"),
        "{again}"
    );
    let other = bot.tap("t3", STAFF, &buttons(&asked)[1]).await;
    assert!(
        text(&other).contains("expired") || text(&other).contains("no longer"),
        "{other}"
    );
    assert_eq!(stock(&bot.app.db, "wall plug").await, Some(20));
    // Someone else cannot answer the question.
    let asked = bot
        .say(
            "w3",
            STAFF,
            "added 30 wall plugs",
            parse_json("remove", &[("wall plug", Some(30), None)]),
        )
        .await;
    let theirs = bot.tap("t4", CUSTOMER, &buttons(&asked)[0]).await;
    assert!(!text(&theirs).contains("Removed"), "{theirs}");
    assert_eq!(stock(&bot.app.db, "wall plug").await, Some(20));
}

async fn questions_expire_and_neither_changes_nothing(db: TestDb) {
    let bot = Bot::start(&db).await;
    bot.say(
        "w1",
        STAFF,
        "added 10 hinges",
        parse_json("add", &[("hinge", Some(10), None)]),
    )
    .await;
    let model = parse_json("remove", &[("hinge", Some(4), None)]);
    let asked = bot.say("w2", STAFF, "added 4 hinges", model).await;
    let neither = buttons(&asked).pop().unwrap();
    let declined = bot.tap("t1", STAFF, &neither).await;
    assert!(
        text(&declined).contains("nothing was changed"),
        "{declined}"
    );
    assert_eq!(stock(&bot.app.db, "hinge").await, Some(10));

    // Past its lifetime a question applies nothing.
    let model = parse_json("remove", &[("hinge", Some(4), None)]);
    let asked = bot.say("w3", STAFF, "added 4 hinges", model).await;
    sqlx::query("UPDATE pending_actions SET expires_at = 0")
        .execute(bot.app.db.pool())
        .await
        .unwrap();
    let late = bot.tap("t2", STAFF, &buttons(&asked)[0]).await;
    assert!(
        text(&late).contains("expired") || text(&late).contains("no longer"),
        "{late}"
    );
    assert_eq!(stock(&bot.app.db, "hinge").await, Some(10));
}

async fn a_customers_uncertain_request_is_asked(db: TestDb) {
    let bot = Bot::start(&db).await;
    bot.say(
        "w1",
        STAFF,
        "added 10 paint rollers",
        parse_json("add", &[("paint roller", Some(10), None)]),
    )
    .await;
    let model = parse_json("remove", &[("paint roller", Some(4), None)]);
    let asked = bot
        .say("w2", CUSTOMER, "I'd like 4 paint rollers", model)
        .await;
    assert_eq!(text(&asked), "🛒 Would you like to order 4 paint rollers?");
    assert_eq!(titles(&asked), ["Yes", "No"]);
    assert_eq!(stock(&bot.app.db, "paint roller").await, Some(10));
    let ordered = bot.tap("t1", CUSTOMER, &buttons(&asked)[0]).await;
    assert!(text(&ordered).starts_with("📦 Order #"), "{ordered}");
    assert_eq!(stock(&bot.app.db, "paint roller").await, Some(6));
}

async fn new_items_are_announced_or_asked_about(db: TestDb) {
    let bot = Bot::start(&db).await;
    let first = bot
        .say(
            "w1",
            STAFF,
            "added 5 hammers",
            parse_json("add", &[("hammer", Some(5), None)]),
        )
        .await;
    assert_eq!(
        text(&first),
        "🆕 New item: hammer — 5 in stock. Reply undo if that's a typo."
    );
    // The model names a new item where the rules read a known one: both
    // readings are offered, told apart by name.
    let model = parse_json("add", &[("claw hammer", Some(3), None)]);
    let asked = bot.say("w2", STAFF, "added 3 claw hammers", model).await;
    assert_eq!(
        titles(&asked),
        ["➕ claw hammer", "➕ hammer", "✖️ Neither"],
        "{asked}"
    );
    assert_eq!(
        stock(&bot.app.db, "claw hammer").await,
        None,
        "not made yet"
    );
    let made = bot.tap("t1", STAFF, &buttons(&asked)[0]).await;
    assert_eq!(
        text(&made),
        "🆕 New item: claw hammer — 3 in stock. Reply undo if that's a typo."
    );
    assert_eq!(stock(&bot.app.db, "claw hammer").await, Some(3));
    assert_eq!(stock(&bot.app.db, "hammer").await, Some(5));

    // A new name close to a known item is asked about before anything is made.
    let agree = parse_json("add", &[("wheelbarrow", Some(4), None)]);
    bot.say("w3", STAFF, "added 4 wheelbarrows", agree).await;
    let model = parse_json("add", &[("wheelbarox", Some(2), None)]);
    let asked = bot.say("w4", STAFF, "added 2 wheelbarox", model).await;
    assert!(text(&asked).contains("Did you mean wheelbarrow"), "{asked}");
    assert_eq!(
        titles(&asked),
        ["✅ wheelbarrow", "🆕 New item", "✖️ Neither"]
    );
    assert_eq!(stock(&bot.app.db, "wheelbarox").await, None, "not made yet");
    let known = bot.tap("t2", STAFF, &buttons(&asked)[0]).await;
    assert_eq!(text(&known), "✅ Added 2 wheelbarrows — 6 in stock");
    assert_eq!(stock(&bot.app.db, "wheelbarox").await, None);
}
