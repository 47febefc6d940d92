//! Hostile input, and properties checked on generated input: every answer is a
//! clean 4xx or a safe reply, never a 5xx or a panic.

use proptest::prelude::*;
use reqwest::Method;
use serde_json::json;

use crate::{
    fake_graph::FakeGraph,
    helpers::{self, STAFF, TestApp, TestDb, eventually},
};

#[tokio::test]
async fn hostile_requests_get_clean_answers() {
    let db = TestDb::sqlite().await;
    let graph = FakeGraph::start().await;
    let app = TestApp::spawn(helpers::base_env(&db, &graph)).await;
    let token = backroom::api::auth::create(&app.db, "t", &[backroom::api::auth::Scope::Admin])
        .await
        .unwrap()
        .token;
    let http = &app.http;

    // Webhook: oversized, deeply nested, not UTF-8.
    let huge = vec![b'a'; 5 << 20];
    assert_eq!(app.post_oversized_webhook(&huge).await, 413);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    // Not an envelope we understand: acknowledged (Meta must not retry it) or refused, never a 5xx.
    let status = app.post_webhook(deep.as_bytes()).await.status();
    assert!(status == 200 || status == 400, "{status}");
    let nested = format!(
        "{{\"object\":{}1{}}}",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    let status = app.post_webhook(nested.as_bytes()).await.status();
    assert!(status == 200 || status == 400, "{status}");
    assert_eq!(
        app.post_webhook(b"\xff\xfe{\"object\":1}").await.status(),
        400
    );

    // Messages that try SQL, markup, enormous numbers and 10,000 characters.
    let long = "screw ".repeat(1700);
    let texts = [
        "added 5 x'); DROP TABLE items;--",
        "added 3 <script>alert(1)</script>",
        "added 99999999999999999999999 screws",
        long.as_str(),
    ];
    let messages: Vec<(String, &str, &str)> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("wamid.h{i}"), STAFF, *t))
        .collect();
    let refs: Vec<(&str, &str, &str)> = messages
        .iter()
        .map(|(a, b, c)| (a.as_str(), *b, *c))
        .collect();
    assert_eq!(
        app.post_webhook(&helpers::text_webhook(&refs))
            .await
            .status(),
        200
    );
    eventually(
        "answers to all four",
        std::time::Duration::from_secs(10),
        || async {
            (0..4)
                .all(|i| graph.replies_to(&format!("wamid.h{i}")) == 1)
                .then_some(())
        },
    )
    .await;
    let names = backroom::storage::items::names(&app.db).await.unwrap();
    assert!(
        names.iter().all(|n| !n.contains(';') && !n.contains('<')),
        "{names:?}"
    );

    // API: header injection in a webhook URL, absurd numbers, wrong content types.
    let api = |m: Method, path: &str| {
        http.request(m, format!("{}{path}", app.addr))
            .bearer_auth(&token)
    };
    let injected = json!({"name": "x", "url": "https://a.example/\r\nX-Evil: 1", "events": ["*"]});
    let r = api(Method::POST, "/api/v1/webhooks")
        .json(&injected)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = api(Method::POST, "/api/v1/items")
        .json(&json!({"name": "n", "threshold": 1e300}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = api(Method::POST, "/api/v1/items")
        .body("name=x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = api(Method::GET, "/api/v1/items?limit=99999999999999999999")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The envelope parser answers anything without panicking.
    #[test]
    fn envelope_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = backroom::whatsapp::inbound::envelope::parse(&bytes);
    }

    /// Well-formed envelopes with arbitrary message fields are read, not refused.
    #[test]
    fn envelopes_with_odd_fields_are_accepted(body in ".{0,300}", kind in "[a-z_]{0,12}", from in "[0-9+ ]{0,20}") {
        let doc = json!({"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages",
            "value": {"metadata": {"phone_number_id": "1"}, "messages": [
                {"from": from, "id": "wamid.p", "timestamp": "1", "type": kind, "text": {"body": body}}]}}]}]});
        prop_assert!(backroom::whatsapp::inbound::envelope::parse(doc.to_string().as_bytes()).is_ok());
    }

    /// The rule parser answers any text within the contract's bounds.
    #[test]
    fn rule_parser_stays_in_bounds(text in "\\PC{0,400}") {
        let known = backroom::parsing::KnownItems::new(vec!["screw".into(), "hammer".into()]);
        let p = backroom::parsing::rules::parse(&text, &known);
        prop_assert!(p.items.len() <= 50);
        for item in &p.items {
            prop_assert!(item.quantity.is_none_or(|q| (0..=backroom::parsing::MAX_QUANTITY).contains(&q)));
            prop_assert!(!item.name.is_empty() && item.name.chars().count() <= 200);
        }
    }
}
