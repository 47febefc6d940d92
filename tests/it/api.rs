//! The developer API over loopback: auth, every endpoint's happy path and bad
//! input, idempotency, pagination, limits, and the reference documents.

use backroom::{api::auth::Scope, storage::events};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    both_databases,
    fake_graph::FakeGraph,
    helpers::{self, CUSTOMER, STAFF, TestApp, TestDb, eventually},
};

both_databases!(
    tokens_are_checked,
    items_are_managed,
    stock_adjusts_once_per_key,
    orders_move_along_and_cancel_with_restock,
    contacts_and_messages,
    requests_are_rate_limited,
);

struct Api {
    app: TestApp,
    graph: FakeGraph,
    token: String,
}

impl Api {
    async fn start(db: &TestDb, extra: &[(&str, &str)]) -> Self {
        let graph = FakeGraph::start().await;
        let mut env = helpers::base_env(db, &graph);
        for (k, v) in extra {
            env.insert(k.to_string(), v.to_string());
        }
        let app = TestApp::spawn(env).await;
        let token = backroom::api::auth::create(&app.db, "tests", &[Scope::Admin])
            .await
            .unwrap()
            .token;
        Self { app, graph, token }
    }

    async fn token(&self, scopes: &[Scope]) -> String {
        backroom::api::auth::create(&self.app.db, "scoped", scopes)
            .await
            .unwrap()
            .token
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.call_as(&self.token, method, path, body).await
    }

    async fn call_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .app
            .http
            .request(method, format!("{}{path}", self.app.addr))
            .bearer_auth(token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn item(&self, name: &str) -> i64 {
        let (status, v) = self
            .call(Method::POST, "/api/v1/items", Some(json!({"name": name})))
            .await;
        assert_eq!(status, 201, "{v}");
        v["id"].as_i64().unwrap()
    }
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("<none>")
}

async fn tokens_are_checked(db: TestDb) {
    let api = Api::start(&db, &[]).await;
    let url = format!("{}/api/v1/items", api.app.addr);
    let none = api.app.http.get(&url).send().await.unwrap();
    assert_eq!(none.status(), 401);
    let body: Value = none.json().await.unwrap();
    assert_eq!(code(&body), "unauthorized");
    let (status, _) = api
        .call_as("bk_not-a-real-token", Method::GET, "/api/v1/items", None)
        .await;
    assert_eq!(status, 401);

    let reader = api.token(&[Scope::Read]).await;
    assert_eq!(
        api.call_as(&reader, Method::GET, "/api/v1/items", None)
            .await
            .0,
        200
    );
    let (status, body) = api
        .call_as(
            &reader,
            Method::POST,
            "/api/v1/items",
            Some(json!({"name": "saw"})),
        )
        .await;
    assert_eq!((status.as_u16(), code(&body)), (403, "forbidden"));
    assert_eq!(
        api.call_as(&reader, Method::GET, "/api/v1/tokens", None)
            .await
            .0,
        403
    );

    // Tokens through the API: created once, listed without secrets, revoked.
    let (status, created) = api
        .call(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "widget", "scopes": ["write"]})),
        )
        .await;
    assert_eq!(status, 201);
    let secret = created["token"].as_str().unwrap().to_string();
    assert!(secret.starts_with("bk_") && secret.len() >= 35);
    let (_, list) = api.call(Method::GET, "/api/v1/tokens", None).await;
    assert!(!list.to_string().contains(&secret));
    let id = created["id"].as_i64().unwrap();
    assert_eq!(
        api.call_as(&secret, Method::GET, "/api/v1/items", None)
            .await
            .0,
        200
    );
    let (status, revoked) = api
        .call(Method::DELETE, &format!("/api/v1/tokens/{id}"), None)
        .await;
    assert_eq!(status, 200);
    assert!(revoked["revoked_at"].is_i64());
    assert_eq!(
        api.call_as(&secret, Method::GET, "/api/v1/items", None)
            .await
            .0,
        401
    );
    let (status, body) = api
        .call(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "x", "scopes": ["root"]})),
        )
        .await;
    assert_eq!((status.as_u16(), code(&body)), (422, "invalid"));

    // The reference documents need no token.
    let doc: Value = api
        .app
        .http
        .get(format!("{}/api/v1/openapi.json", api.app.addr))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let page = api
        .app
        .http
        .get(format!("{}/docs", api.app.addr))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("/api/v1/orders/{id}") && !page.contains("<script"));
}

async fn items_are_managed(db: TestDb) {
    let api = Api::start(&db, &[]).await;
    let (status, item) = api
        .call(
            Method::POST,
            "/api/v1/items",
            Some(json!({"name": " Claw  Hammer ", "sku": "HAM-16", "threshold": 3, "price_minor": 18999})),
        )
        .await;
    assert_eq!(status, 201, "{item}");
    assert_eq!(item["name"], "claw hammer");
    let id = item["id"].as_i64().unwrap();

    let cases = [
        (json!({"name": "claw hammer"}), 409, "conflict"),
        (json!({"name": "x", "sku": "HAM-16"}), 409, "conflict"),
        (json!({"name": 5}), 400, "bad_request"),
        (json!({}), 400, "bad_request"),
        (json!({"name": "a".repeat(101)}), 422, "invalid"),
        (json!({"name": "nails", "threshold": -1}), 422, "invalid"),
        (json!({"name": "x'); DROP TABLE items;--"}), 422, "invalid"),
        (
            json!({"name": "nails", "colour": "red"}),
            400,
            "bad_request",
        ),
    ];
    for (body, want, want_code) in cases {
        let (status, v) = api
            .call(Method::POST, "/api/v1/items", Some(body.clone()))
            .await;
        assert_eq!(
            (status.as_u16(), code(&v)),
            (want, want_code),
            "{body} → {v}"
        );
    }
    let (_, v) = api
        .call(
            Method::POST,
            "/api/v1/items",
            Some(json!({"name": "nails", "threshold": -1})),
        )
        .await;
    assert!(v["error"]["fields"]["threshold"].is_string(), "{v}");

    let (status, patched) = api
        .call(
            Method::PATCH,
            &format!("/api/v1/items/{id}"),
            Some(json!({"threshold": 10, "sku": null})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (patched["threshold"].as_i64(), patched["sku"].is_null()),
        (Some(10), true)
    );
    assert_eq!(patched["price_minor"], 18999, "absent fields are kept");
    assert_eq!(
        api.call(Method::GET, "/api/v1/items/999999", None).await.0,
        404
    );
    assert_eq!(
        api.call(Method::GET, "/api/v1/items/abc", None).await.0,
        400
    );

    for name in ["bolt", "anchor", "washer"] {
        api.item(name).await;
    }
    let (_, first) = api.call(Method::GET, "/api/v1/items?limit=2", None).await;
    assert_eq!(first["data"].as_array().unwrap().len(), 2);
    assert_eq!(first["data"][0]["name"], "anchor");
    assert_eq!(first["next_offset"], 2);
    let (_, last) = api
        .call(Method::GET, "/api/v1/items?limit=2&offset=2", None)
        .await;
    assert_eq!(last["data"].as_array().unwrap().len(), 2);
    assert!(last["next_offset"].is_null());
    let (_, found) = api
        .call(Method::GET, "/api/v1/items?search=HAMM", None)
        .await;
    assert_eq!(found["data"][0]["id"], id);
    let (_, low) = api
        .call(Method::GET, "/api/v1/items?low_stock=true", None)
        .await;
    assert_eq!(low["data"].as_array().unwrap().len(), 4, "all at 0 are low");
    assert_eq!(
        api.call(Method::GET, "/api/v1/items?limit=0", None).await.0,
        422
    );

    assert_eq!(
        api.call(Method::DELETE, &format!("/api/v1/items/{id}"), None)
            .await
            .0,
        204
    );
    assert_eq!(
        api.call(Method::GET, &format!("/api/v1/items/{id}"), None)
            .await
            .0,
        404
    );
    // The name is free again.
    api.item("claw hammer").await;
}

async fn stock_adjusts_once_per_key(db: TestDb) {
    let api = Api::start(&db, &[]).await;
    let id = api.item("screw").await;
    let adjust = |key: &'static str, body: Value| {
        let url = format!("{}/api/v1/items/{id}/adjust", api.app.addr);
        let req = api.app.http.post(url).bearer_auth(&api.token).json(&body);
        async move {
            let res = req.header("idempotency-key", key).send().await.unwrap();
            let replayed = res.headers().contains_key("idempotent-replayed");
            (res.status(), replayed, res.json::<Value>().await.unwrap())
        }
    };
    let (status, replayed, first) = adjust("k1", json!({"delta": 10, "reason": "restock"})).await;
    assert_eq!((status.as_u16(), replayed), (200, false), "{first}");
    assert_eq!(first["quantity_after"], 10);
    let (status, replayed, again) = adjust("k1", json!({"delta": 10, "reason": "restock"})).await;
    assert_eq!((status.as_u16(), replayed), (200, true));
    assert_eq!(again, first);
    let (status, _, v) = adjust("k1", json!({"delta": 11, "reason": "restock"})).await;
    assert_eq!((status.as_u16(), code(&v)), (422, "invalid"));
    assert_eq!(helpers::stock(&api.app.db, "screw").await, Some(10));

    let path = format!("/api/v1/items/{id}/adjust");
    let (status, v) = api
        .call(
            Method::POST,
            &path,
            Some(json!({"delta": -3, "reason": "sale"})),
        )
        .await;
    assert_eq!(
        (status.as_u16(), v["quantity_after"].as_i64()),
        (200, Some(7))
    );
    let (status, v) = api
        .call(Method::POST, &path, Some(json!({"delta": -100})))
        .await;
    assert_eq!((status.as_u16(), code(&v)), (409, "conflict"));
    for bad in [json!({"delta": 0}), json!({"delta": 2_000_000})] {
        assert_eq!(api.call(Method::POST, &path, Some(bad)).await.0, 422);
    }
    assert_eq!(
        api.call(Method::POST, &path, Some(json!({"delta": "ten"})))
            .await
            .0,
        400
    );
    assert_eq!(
        api.call(
            Method::POST,
            &path,
            Some(json!({"delta": 1, "reason": "theft"}))
        )
        .await
        .0,
        400
    );
    assert_eq!(
        api.call(
            Method::POST,
            "/api/v1/items/4242/adjust",
            Some(json!({"delta": 1}))
        )
        .await
        .0,
        404
    );

    let qty = format!("/api/v1/items/{id}/quantity");
    let (status, v) = api
        .call(Method::PUT, &qty, Some(json!({"quantity": 40})))
        .await;
    assert_eq!((status.as_u16(), v["change"].as_i64()), (200, Some(33)));
    assert_eq!(
        api.call(Method::PUT, &qty, Some(json!({"quantity": -1})))
            .await
            .0,
        422
    );

    let (_, moves) = api
        .call(Method::GET, &format!("/api/v1/items/{id}/movements"), None)
        .await;
    let reasons: Vec<&str> = moves["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["count", "sale", "restock"]);
    let (_, sales) = api
        .call(Method::GET, "/api/v1/movements?reason=sale", None)
        .await;
    assert_eq!(sales["data"].as_array().unwrap().len(), 1);
    assert!(
        sales["data"][0]["actor"]
            .as_str()
            .unwrap()
            .starts_with("api:bk_")
    );
    assert!(
        backroom::storage::items::ledger_mismatches(&api.app.db)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn orders_move_along_and_cancel_with_restock(db: TestDb) {
    let api = Api::start(&db, &[]).await;
    // The customer wrote today, so the shop may text them about the order.
    let hello = helpers::text_webhook(&[("wamid.cust-hi", CUSTOMER, "hello")]);
    assert_eq!(api.app.post_webhook(&hello).await.status(), 200);
    let id = api.item("drill").await;
    api.call(
        Method::POST,
        &format!("/api/v1/items/{id}/adjust"),
        Some(json!({"delta": 5})),
    )
    .await;
    let order =
        |q: i64| json!({"contact": "+27825550142", "lines": [{"item_id": id, "quantity": q}]});
    let (status, v) = api
        .call(Method::POST, "/api/v1/orders", Some(order(9)))
        .await;
    assert_eq!((status.as_u16(), code(&v)), (409, "conflict"));
    let (status, placed) = api
        .call(Method::POST, "/api/v1/orders", Some(order(2)))
        .await;
    assert_eq!(status, 201, "{placed}");
    assert_eq!(
        (placed["status"].as_str(), placed["contact"].as_str()),
        (Some("placed"), Some(CUSTOMER))
    );
    assert_eq!(helpers::stock(&api.app.db, "drill").await, Some(3));
    let oid = placed["id"].as_i64().unwrap();
    let path = format!("/api/v1/orders/{oid}");
    for status in ["confirmed", "ready", "fulfilled"] {
        let (code_, v) = api
            .call(Method::PATCH, &path, Some(json!({"status": status})))
            .await;
        assert_eq!((code_.as_u16(), v["status"].as_str()), (200, Some(status)));
    }
    let number = placed["number"].as_str().unwrap();
    let told = eventually(
        "the customer told of each move",
        std::time::Duration::from_secs(10),
        || async {
            let texts: Vec<String> = api
                .graph
                .requests()
                .into_iter()
                .filter(|r| r.body["to"] == CUSTOMER)
                .filter_map(|r| r.body["text"]["body"].as_str().map(str::to_string))
                .filter(|t| t.contains(&format!("#{number}")))
                .collect();
            (texts.len() == 3).then_some(texts)
        },
    )
    .await;
    for word in ["confirmed", "ready for collection", "complete"] {
        assert!(told.iter().any(|t| t.contains(word)), "{word}: {told:?}");
    }
    let (status, v) = api
        .call(Method::PATCH, &path, Some(json!({"status": "cancelled"})))
        .await;
    assert_eq!((status.as_u16(), code(&v)), (409, "conflict"));
    assert_eq!(
        api.call(Method::PATCH, &path, Some(json!({"status": "lost"})))
            .await
            .0,
        422
    );

    let (_, second) = api
        .call(Method::POST, "/api/v1/orders", Some(order(3)))
        .await;
    let path = format!("/api/v1/orders/{}", second["id"]);
    api.call(Method::PATCH, &path, Some(json!({"status": "cancelled"})))
        .await;
    assert_eq!(helpers::stock(&api.app.db, "drill").await, Some(3));
    assert_eq!(
        api.call(Method::DELETE, &format!("/api/v1/items/{id}"), None)
            .await
            .0,
        204,
        "no open order holds it"
    );

    let (_, list) = api
        .call(Method::GET, "/api/v1/orders?status=fulfilled", None)
        .await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        api.call(Method::GET, "/api/v1/orders?status=lost", None)
            .await
            .0,
        422
    );
    assert_eq!(
        api.call(Method::GET, "/api/v1/orders/777", None).await.0,
        404
    );
    let kinds: Vec<String> = events::list(&api.app.db, None, 0, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind.starts_with("order."))
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "order.created",
            "order.confirmed",
            "order.ready",
            "order.fulfilled",
            "order.created",
            "order.cancelled"
        ]
    );
    let bad = json!({"contact": "not a phone", "lines": []});
    let (status, v) = api.call(Method::POST, "/api/v1/orders", Some(bad)).await;
    assert_eq!(status, 422);
    assert!(
        v["error"]["fields"]["contact"].is_string() && v["error"]["fields"]["lines"].is_string()
    );
}

async fn contacts_and_messages(db: TestDb) {
    let api = Api::start(&db, &[]).await;
    // A text to someone who never wrote is outside WhatsApp's window.
    let text = json!({"to": CUSTOMER, "text": "Your order is ready"});
    let (status, v) = api
        .call(Method::POST, "/api/v1/messages", Some(text.clone()))
        .await;
    assert_eq!((status.as_u16(), code(&v)), (409, "conflict"));
    let template =
        json!({"to": CUSTOMER, "template": {"name": "order_ready", "language": "en_US"}});
    let (status, queued) = api
        .call(Method::POST, "/api/v1/messages", Some(template))
        .await;
    assert_eq!(status, 202, "{queued}");

    let hello = helpers::text_webhook(&[("wamid.hi", CUSTOMER, "hi")]);
    api.app.post_webhook(&hello).await;
    eventually(
        "the greeting is processed",
        std::time::Duration::from_secs(10),
        || async { (api.graph.replies_to("wamid.hi") == 1).then_some(()) },
    )
    .await;
    let (status, queued) = api.call(Method::POST, "/api/v1/messages", Some(text)).await;
    assert_eq!(status, 202, "{queued}");
    let stored = backroom::storage::outbound::list(&api.app.db)
        .await
        .unwrap();
    let row = stored
        .iter()
        .find(|r| r.id == queued["id"].as_i64().unwrap())
        .unwrap();
    assert_eq!(
        row.request_id.as_ref().map(String::len),
        Some(36),
        "the request's id"
    );
    eventually(
        "the API message is sent",
        std::time::Duration::from_secs(10),
        || async {
            api.graph
                .texts()
                .iter()
                .any(|t| t == "Your order is ready")
                .then_some(())
        },
    )
    .await;
    assert!(
        api.graph
            .requests()
            .iter()
            .any(|r| r.body["template"]["name"] == "order_ready")
    );
    let (_, log) = api
        .call(
            Method::GET,
            &format!("/api/v1/messages?contact={CUSTOMER}"),
            None,
        )
        .await;
    let directions: Vec<&str> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["direction"].as_str().unwrap())
        .collect();
    assert_eq!(directions.iter().filter(|d| **d == "in").count(), 1);
    assert_eq!(directions.iter().filter(|d| **d == "out").count(), 3);
    for bad in [
        json!({"to": CUSTOMER}),
        json!({"to": "12", "text": "x"}),
        json!({"to": CUSTOMER, "text": ""}),
    ] {
        assert_eq!(
            api.call(Method::POST, "/api/v1/messages", Some(bad))
                .await
                .0,
            422
        );
    }

    let (_, staff) = api
        .call(Method::GET, "/api/v1/contacts?role=staff", None)
        .await;
    assert_eq!(staff["data"][0]["wa_id"], STAFF);
    let (status, v) = api
        .call(
            Method::PATCH,
            &format!("/api/v1/contacts/{CUSTOMER}"),
            Some(json!({"role": "staff"})),
        )
        .await;
    assert_eq!((status.as_u16(), v["role"].as_str()), (200, Some("staff")));
    let writer = api.token(&[Scope::Write]).await;
    let (status, _) = api
        .call_as(
            &writer,
            Method::PATCH,
            &format!("/api/v1/contacts/{CUSTOMER}"),
            Some(json!({"role": "owner"})),
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(
        api.call(
            Method::PATCH,
            &format!("/api/v1/contacts/{CUSTOMER}"),
            Some(json!({"role": "king"}))
        )
        .await
        .0,
        422
    );
}

async fn requests_are_rate_limited(db: TestDb) {
    let api = Api::start(
        &db,
        &[
            ("API_RATE_LIMIT_PER_MINUTE", "3"),
            ("API_MAX_BODY_BYTES", "2048"),
        ],
    )
    .await;
    for _ in 0..3 {
        assert_eq!(api.call(Method::GET, "/api/v1/items", None).await.0, 200);
    }
    let res = api
        .app
        .http
        .get(format!("{}/api/v1/items", api.app.addr))
        .bearer_auth(&api.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    // Another token has its own budget; an oversized body is refused.
    let other = api.token(&[Scope::Write]).await;
    let big = json!({"name": "x".repeat(4000)});
    let (status, v) = api
        .call_as(&other, Method::POST, "/api/v1/items", Some(big))
        .await;
    assert_eq!((status.as_u16(), code(&v)), (413, "too_large"));
}

/// The "done when": a token made on the command line lists, adjusts and
/// orders through the API; once revoked it cannot.
#[tokio::test]
async fn a_command_line_token_works_until_revoked() {
    let db = TestDb::sqlite().await;
    let graph = FakeGraph::start().await;
    let app = TestApp::spawn(helpers::base_env(&db, &graph)).await;
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_backroom"))
            .args(args)
            .env_clear()
            .env("DATABASE_URL", db.url())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let token = cli(&["token", "create", "--name", "shop site", "--scope", "write"])
        .trim()
        .to_string();
    assert!(token.starts_with("bk_"));
    assert!(cli(&["token", "list"]).contains("shop site"));
    let api = Api {
        app,
        graph,
        token: token.clone(),
    };
    let id = api.item("rake").await;
    let (status, _) = api
        .call(
            Method::POST,
            &format!("/api/v1/items/{id}/adjust"),
            Some(json!({"delta": 4})),
        )
        .await;
    assert_eq!(status, 200);
    let order = json!({"contact": CUSTOMER, "lines": [{"item_id": id, "quantity": 1}]});
    assert_eq!(
        api.call(Method::POST, "/api/v1/orders", Some(order))
            .await
            .0,
        201
    );
    assert_eq!(api.call(Method::GET, "/api/v1/items", None).await.0, 200);
    let listed = cli(&["token", "list"]);
    let token_id = listed.split('\t').next().unwrap();
    cli(&["token", "revoke", token_id]);
    assert_eq!(api.call(Method::GET, "/api/v1/items", None).await.0, 401);
}
