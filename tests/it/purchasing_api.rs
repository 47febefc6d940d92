//! Purchase orders through the API: made with lines or from what is low,
//! received in parts (never more than is to come), closed, and `on_order`
//! shown beside the stock; bad input is a 4xx.

use reqwest::Method;
use serde_json::json;

use crate::{
    both_databases,
    dashboard::Browser,
    helpers::{self, SESSION_CSRF, STAFF, TestDb},
    purchasing::{acme, start},
};

both_databases!(the_api_makes_and_receives_orders, the_dashboard_reorders);

async fn the_api_makes_and_receives_orders(db: TestDb) {
    let bench = start(&db).await;
    let (supplier, screw) = acme(&bench).await;
    // Nothing low: without lines there is nothing to order.
    let none = json!({"supplier_id": supplier});
    let (status, _) = bench
        .call(Method::POST, "/api/v1/purchase-orders", Some(none))
        .await;
    assert_eq!(status, 409);
    let new = json!({"supplier_id": supplier, "lines": [{"item_id": screw, "quantity": 30}]});
    let (status, po) = bench
        .call(Method::POST, "/api/v1/purchase-orders", Some(new))
        .await;
    assert_eq!(status, 201, "{po}");
    assert_eq!(po["reference"], "PO-1");
    assert_eq!(po["supplier"]["name"], "Acme");
    // Acme never wrote and no template is set: the order waits, held.
    assert_eq!(
        backroom::storage::held::count(&bench.app.db).await.unwrap(),
        1
    );

    let path = format!("/api/v1/purchase-orders/{}/receive", po["id"]);
    let too_many = json!({"lines": [{"item_id": screw, "quantity": 31}]});
    assert_eq!(bench.call(Method::POST, &path, Some(too_many)).await.0, 409);
    let part = json!({"lines": [{"item_id": screw, "quantity": 10}]});
    let (status, got) = bench.call(Method::POST, &path, Some(part)).await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["status"], "partly_received");
    assert_eq!(got["lines"][0]["received"], 10);
    assert_eq!(helpers::stock(&bench.app.db, "screw").await, Some(70));
    let (status, got) = bench.call(Method::POST, &path, Some(json!({}))).await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["status"], "closed");
    assert_eq!(helpers::stock(&bench.app.db, "screw").await, Some(90));
    assert_eq!(
        bench.call(Method::POST, &path, Some(json!({}))).await.0,
        409
    );
    let (_, item) = bench
        .call(Method::GET, &format!("/api/v1/items/{screw}"), None)
        .await;
    assert_eq!(item["on_order"], 0);
    // A closed order cannot be cancelled; an open one can, once, and then
    // receives nothing more. What arrived stays; the supplier is told.
    let cancel = format!("/api/v1/purchase-orders/{}/cancel", po["id"]);
    assert_eq!(bench.call(Method::POST, &cancel, None).await.0, 409);
    let again = json!({"supplier_id": supplier, "lines": [{"item_id": screw, "quantity": 8}]});
    let (_, po2) = bench
        .call(Method::POST, "/api/v1/purchase-orders", Some(again))
        .await;
    let (_, item) = bench
        .call(Method::GET, &format!("/api/v1/items/{screw}"), None)
        .await;
    assert_eq!(item["on_order"], 8);
    let cancel = format!("/api/v1/purchase-orders/{}/cancel", po2["id"]);
    let (status, gone) = bench.call(Method::POST, &cancel, None).await;
    assert_eq!(
        (status, gone["status"].as_str()),
        (200, Some("cancelled")),
        "{gone}"
    );
    assert_eq!(bench.call(Method::POST, &cancel, None).await.0, 409);
    let receive = format!("/api/v1/purchase-orders/{}/receive", po2["id"]);
    assert_eq!(bench.call(Method::POST, &receive, None).await.0, 409);
    let (_, item) = bench
        .call(Method::GET, &format!("/api/v1/items/{screw}"), None)
        .await;
    assert_eq!(
        (item["on_order"].as_i64(), item["quantity"].as_i64()),
        (Some(0), Some(90))
    );
    assert_eq!(
        bench
            .call(Method::POST, "/api/v1/purchase-orders/999/cancel", None)
            .await
            .0,
        404
    );
    // Bad input is a 4xx, never a 500.
    let bad = json!({"name": "", "wa_id": "nope"});
    assert_eq!(
        bench
            .call(Method::POST, "/api/v1/suppliers", Some(bad))
            .await
            .0,
        422
    );
    let missing = json!({"supplier_id": 999, "lines": [{"item_id": screw, "quantity": 1}]});
    assert_eq!(
        bench
            .call(Method::POST, "/api/v1/purchase-orders", Some(missing))
            .await
            .0,
        404
    );
}

async fn the_dashboard_reorders(db: TestDb) {
    let bench = start(&db).await;
    let (_, screw) = acme(&bench).await;
    bench.say("s1", STAFF, "sold 56 screws").await;
    let mut browser = Browser::at(&bench.app.addr);
    browser.cookie = Some(helpers::owner_session(&bench.app.db, "15555550199").await);
    let (_, page, _) = browser.get("/inventory").await;
    assert!(page.contains("Reorder 50 from Acme"), "{page}");
    let path = format!("/items/{screw}/reorder");
    let (_, _, to) = browser.post(&path, &[("csrf", SESSION_CSRF)]).await;
    assert_eq!(to.as_deref(), Some("/inventory?ordered=PO-1"));
    let (_, page, _) = browser.get("/inventory").await;
    assert!(page.contains("+50 on order"));
    // Once on order, another reorder is refused, not doubled.
    let (status, _, _) = browser.post(&path, &[("csrf", SESSION_CSRF)]).await;
    assert_eq!(status.as_u16(), 409);
    let (_, list) = bench
        .call(Method::GET, "/api/v1/purchase-orders", None)
        .await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
}
