//! Purchase orders through the API: made with lines or from what is low,
//! received in parts (never more than is to come), closed, and `on_order`
//! shown beside the stock; bad input is a 4xx.

use reqwest::Method;
use serde_json::json;

use crate::{
    both_databases,
    helpers::{self, TestDb},
    purchasing::{acme, start},
};

both_databases!(the_api_makes_and_receives_orders);

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
