//! Fuzz targets, run as property tests with a seed corpus from `fixtures/`:
//! the webhook envelope (as bytes and through the HTTP endpoint, on SQLite
//! and PostgreSQL), the message parser, and the API's JSON bodies. Each
//! generated input must get a clean answer: no panic, no 5xx.
//!
//! `PROPTEST_CASES=20000 cargo test --test it fuzz::` runs a longer session.

use std::sync::OnceLock;

use proptest::{prelude::*, sample::Index};
use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    fake_graph::FakeGraph,
    helpers::{self, TestApp, TestDb},
};

/// Every WhatsApp payload in `fixtures/whatsapp`.
fn seeds() -> &'static Vec<Vec<u8>> {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let dir = helpers::fixture_path("");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files.iter().map(|p| std::fs::read(p).unwrap()).collect()
    })
}

/// The texts of the parser's labelled corpus.
fn texts() -> &'static Vec<String> {
    static TEXTS: OnceLock<Vec<String>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/parser/dev.jsonl");
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["text"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    })
}

/// Field names our payloads and bodies use, so generated objects reach past
/// "unknown field" into the code that reads them.
const KEYS: &[&str] = &[
    "object",
    "entry",
    "changes",
    "value",
    "field",
    "messages",
    "statuses",
    "metadata",
    "phone_number_id",
    "from",
    "id",
    "timestamp",
    "type",
    "text",
    "body",
    "errors",
    "code",
    "name",
    "sku",
    "unit",
    "threshold",
    "delta",
    "reason",
    "quantity",
    "contact",
    "lines",
    "item_id",
    "status",
    "to",
    "template",
    "language",
    "components",
    "scopes",
    "url",
    "events",
    "description",
    "active",
    "ordered",
    "price_cents",
    "pack_size",
    "role",
];

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        Just(json!(1e300)),
        "\\PC{0,40}".prop_map(Value::from),
        "[\\x00-\\x1f'\"<>;%&\\\\]{0,12}".prop_map(Value::from),
        Just(Value::from("9".repeat(400))),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        let key = prop_oneof![
            prop::sample::select(KEYS).prop_map(str::to_string),
            "[a-z_]{1,10}"
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Replaces the `n`th node (pre-order, wrapping) of `doc` with `new`.
fn replace_node(doc: &mut Value, n: usize, new: Value) {
    fn count(v: &Value) -> usize {
        1 + match v {
            Value::Array(a) => a.iter().map(count).sum(),
            Value::Object(o) => o.values().map(count).sum(),
            _ => 0,
        }
    }
    fn walk(v: &mut Value, n: &mut usize, new: &mut Option<Value>) {
        if *n == 0 {
            if let Some(x) = new.take() {
                *v = x;
            }
            return;
        }
        *n -= 1;
        match v {
            Value::Array(a) => a.iter_mut().for_each(|c| walk(c, n, new)),
            Value::Object(o) => o.values_mut().for_each(|c| walk(c, n, new)),
            _ => {}
        }
    }
    let mut n = n % count(doc);
    walk(doc, &mut n, &mut Some(new));
}

/// A fixture with one node swapped for generated JSON.
fn mutated_envelope() -> impl Strategy<Value = Vec<u8>> {
    (any::<Index>(), any::<usize>(), any_json()).prop_map(|(seed, at, new)| {
        let seeds = seeds();
        let mut doc: Value = serde_json::from_slice(&seeds[seed.index(seeds.len())]).unwrap();
        replace_node(&mut doc, at, new);
        doc.to_string().into_bytes()
    })
}

/// A fixture with a few bytes flipped, inserted, deleted or cut.
fn damaged_bytes() -> impl Strategy<Value = Vec<u8>> {
    let edit = (0u8..4, any::<Index>(), any::<u8>());
    (any::<Index>(), prop::collection::vec(edit, 1..8)).prop_map(|(seed, edits)| {
        let seeds = seeds();
        let mut b = seeds[seed.index(seeds.len())].clone();
        for (op, at, byte) in edits {
            let pos = at.index(b.len() + 1);
            match op {
                0 if pos < b.len() => b[pos] = byte,
                1 => b.insert(pos, byte),
                2 => {
                    let end = (pos + 1 + usize::from(byte % 16)).min(b.len());
                    b.drain(pos.min(end)..end);
                }
                _ => b.truncate(pos),
            }
        }
        b
    })
}

/// A corpus text with words duplicated, numbers swapped for extreme ones and
/// odd characters spliced in.
fn mutated_text() -> impl Strategy<Value = String> {
    let splice = prop_oneof![
        Just("99999999999999999999".to_string()),
        Just("-5".to_string()),
        Just("0".to_string()),
        Just("'; DROP TABLE items; --".to_string()),
        Just("<b>x</b>".to_string()),
        Just("\u{202e}".to_string()),
        "\\PC{1,12}",
    ];
    (
        any::<Index>(),
        prop::collection::vec((any::<Index>(), splice), 0..4),
    )
        .prop_map(|(seed, edits)| {
            let texts = texts();
            let mut words: Vec<String> = texts[seed.index(texts.len())]
                .split(' ')
                .map(str::to_string)
                .collect();
            for (at, w) in edits {
                let pos = at.index(words.len() + 1);
                words.insert(pos, w);
            }
            words.join(" ")
        })
}

/// One app per database, shared by every case of a run.
struct Target {
    rt: tokio::runtime::Runtime,
    app: TestApp,
    token: String,
    _db: TestDb,
    _graph: FakeGraph,
}

fn start(postgres: bool) -> Option<Target> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (db, graph, app, token) = rt.block_on(async {
        let db = if postgres {
            TestDb::postgres().await?
        } else {
            TestDb::sqlite().await
        };
        let graph = FakeGraph::start().await;
        let mut env = helpers::base_env(&db, &graph);
        env.insert("API_RATE_LIMIT_PER_MINUTE".into(), "1000000".into());
        let app = TestApp::spawn(env).await;
        let scopes = [backroom::api::auth::Scope::Admin];
        let token = backroom::api::auth::create(&app.db, "fuzz", &scopes)
            .await
            .unwrap()
            .token;
        Some((db, graph, app, token))
    })?;
    let target = Target {
        rt,
        app,
        token,
        _db: db,
        _graph: graph,
    };
    // Something for the `{id}` routes to find.
    for (method, path, body) in [
        (
            "POST",
            "/api/v1/items",
            json!({"name": "fuzz screw", "sku": "FZ-1"}),
        ),
        ("POST", "/api/v1/items/1/adjust", json!({"delta": 50})),
        (
            "POST",
            "/api/v1/orders",
            json!({"contact": "27825550142", "lines": [{"item_id": 1, "quantity": 1}]}),
        ),
        (
            "POST",
            "/api/v1/suppliers",
            json!({"name": "Acme", "wa_id": "27825550177"}),
        ),
        (
            "POST",
            "/api/v1/purchase-orders",
            json!({"supplier_id": 1, "lines": [{"item_id": 1, "quantity": 500}]}),
        ),
    ] {
        let status = target.call(method, path, body.to_string().into_bytes());
        assert!(status < 300, "{method} {path}: {status}");
    }
    Some(target)
}

fn sqlite() -> &'static Target {
    static T: OnceLock<Target> = OnceLock::new();
    T.get_or_init(|| start(false).unwrap())
}

fn postgres() -> Option<&'static Target> {
    static T: OnceLock<Option<Target>> = OnceLock::new();
    T.get_or_init(|| start(true)).as_ref()
}

impl Target {
    fn call(&self, method: &str, path: &str, body: Vec<u8>) -> u16 {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let url = format!("{}{path}", self.app.addr);
        self.rt.block_on(async {
            self.app
                .http
                .request(method, url)
                .bearer_auth(&self.token)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    }

    fn webhook(&self, body: &[u8]) -> u16 {
        self.rt
            .block_on(self.app.post_webhook(body))
            .status()
            .as_u16()
    }
}

/// The API's JSON-taking routes, with a valid body for each.
const ROUTES: &[(&str, &str, &str)] = &[
    (
        "POST",
        "/api/v1/items",
        r#"{"name":"bolt","sku":"B-1","unit":"box","threshold":3}"#,
    ),
    (
        "PATCH",
        "/api/v1/items/1",
        r#"{"name":"fuzz screw","threshold":4}"#,
    ),
    (
        "POST",
        "/api/v1/items/1/adjust",
        r#"{"delta":-1,"reason":"sold"}"#,
    ),
    ("PUT", "/api/v1/items/1/quantity", r#"{"quantity":40}"#),
    (
        "POST",
        "/api/v1/orders",
        r#"{"contact":"27825550142","lines":[{"item_id":1,"quantity":1}]}"#,
    ),
    ("PATCH", "/api/v1/orders/1", r#"{"status":"confirmed"}"#),
    (
        "PATCH",
        "/api/v1/contacts/27825550142",
        r#"{"role":"staff"}"#,
    ),
    (
        "POST",
        "/api/v1/messages",
        r#"{"to":"27825550142","template":{"name":"hi","language":"en_US"}}"#,
    ),
    (
        "POST",
        "/api/v1/tokens",
        r#"{"name":"ci","scopes":["read"]}"#,
    ),
    (
        "POST",
        "/api/v1/webhooks",
        r#"{"name":"erp","url":"https://example.com/hook","events":["*"]}"#,
    ),
    ("PATCH", "/api/v1/webhooks/1", r#"{"active":false}"#),
    (
        "POST",
        "/api/v1/suppliers",
        r#"{"name":"Bolts Ltd","wa_id":"27825550178","lead_time_days":2}"#,
    ),
    ("PATCH", "/api/v1/suppliers/1", r#"{"lead_time_days":4}"#),
    (
        "PUT",
        "/api/v1/items/1/supplier",
        r#"{"supplier_id":1,"reorder_qty":20}"#,
    ),
    (
        "POST",
        "/api/v1/purchase-orders",
        r#"{"supplier_id":1,"lines":[{"item_id":1,"quantity":5}]}"#,
    ),
    (
        "POST",
        "/api/v1/purchase-orders/1/receive",
        r#"{"lines":[{"item_id":1,"quantity":1}]}"#,
    ),
];

/// A route and a body: generated JSON, its valid body with one node swapped,
/// or bytes that are not JSON at all.
fn api_request() -> impl Strategy<Value = (usize, Vec<u8>)> {
    let route = 0..ROUTES.len();
    prop_oneof![
        (route.clone(), any_json()).prop_map(|(r, v)| (r, v.to_string().into_bytes())),
        (route.clone(), any::<usize>(), any_json()).prop_map(|(r, at, new)| {
            let mut doc: Value = serde_json::from_str(ROUTES[r].2).unwrap();
            replace_node(&mut doc, at, new);
            (r, doc.to_string().into_bytes())
        }),
        (route, prop::collection::vec(any::<u8>(), 0..64)).prop_map(|(r, b)| (r, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn envelope_parser_survives_damaged_fixtures(bytes in damaged_bytes()) {
        let _ = backroom::whatsapp::inbound::envelope::parse(&bytes);
        let _ = backroom::whatsapp::outbound::graph::classify(400, &bytes, None);
    }

    #[test]
    fn webhook_endpoint_answers_mutated_fixtures(body in mutated_envelope()) {
        let parsed = backroom::whatsapp::inbound::envelope::parse(&body);
        let status = sqlite().webhook(&body);
        // Stored and acknowledged, or refused as malformed; never a 5xx.
        prop_assert!(status == 200 || status == 400, "SQLite answered {}", status);
        prop_assert_eq!(status == 200, parsed.is_ok());
        if let Some(pg) = postgres() {
            let status = pg.webhook(&body);
            prop_assert!(status == 200 || status == 400, "PostgreSQL answered {}", status);
        }
    }

    #[test]
    fn message_parser_handles_mutated_corpus(text in mutated_text()) {
        let known = backroom::parsing::KnownItems::new(vec!["screw".into(), "hammer".into()]);
        let p = backroom::parsing::rules::parse(&text, &known);
        prop_assert!(p.items.len() <= 50);
        for item in &p.items {
            prop_assert!(item.quantity.is_none_or(|q| (0..=backroom::parsing::MAX_QUANTITY).contains(&q)));
        }
    }

    #[test]
    fn api_bodies_never_get_a_5xx((route, body) in api_request()) {
        let (method, path, _) = ROUTES[route];
        let status = sqlite().call(method, path, body.clone());
        prop_assert!(status < 500, "{} {} answered {} to {}", method, path, status,
            String::from_utf8_lossy(&body));
        if let Some(pg) = postgres() {
            let status = pg.call(method, path, body.clone());
            prop_assert!(status < 500, "PostgreSQL: {} {} answered {} to {}", method, path, status,
                String::from_utf8_lossy(&body));
        }
    }
}
