//! The WhatsApp catalogue kept in step with the stock, against the fake
//! Graph API's catalogue endpoints: one coalesced update per sell-out, the
//! request shapes, retries and failures shown, pull and push, and silence
//! when no catalogue is configured.

use std::time::Duration;

use backroom::storage::catalog_sync;
use serde_json::json;

use crate::{
    both_databases,
    helpers::{SESSION_CSRF, TestDb, eventually},
};

mod support;
use support::{assert_batch_shapes, settled, start};

both_databases!(
    a_sellout_sends_one_out_of_stock_update,
    failures_are_retried_recorded_and_shown,
    pull_imports_products_and_push_sends_every_item,
    nothing_is_recorded_or_sent_without_a_catalogue,
);

async fn a_sellout_sends_one_out_of_stock_update(db: TestDb) {
    let shop = start(&db, Some("1000")).await;
    let id = shop
        .item(json!({"name": "paint", "sku": "PNT-1", "price_minor": 1250}))
        .await;
    let plain = shop.item(json!({"name": "nail"})).await;
    assert_eq!(shop.adjust(id, 50).await, 200);
    assert_eq!(shop.adjust(plain, 9).await, 200);
    let first = shop.latest("PNT-1", |d| d["inventory"] == 50).await;
    assert_eq!(first["availability"], "in stock");
    assert_eq!(first["price"], "12.50 ZAR");

    // 50 concurrent sales take it to 0.
    let sales: Vec<_> = (0..50).map(|_| shop.adjust(id, -1)).collect();
    let codes = futures::future::join_all(sales).await;
    assert!(codes.iter().all(|&c| c == 200), "{codes:?}");
    let last = shop.latest("PNT-1", |d| d["inventory"] == 0).await;
    assert_eq!(last["availability"], "out of stock");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let sent = shop.sent();
    let stocked = sent.iter().position(|d| d["inventory"] == 50).unwrap();
    let sold_out = sent[stocked..]
        .iter()
        .filter(|d| d["availability"] == "out of stock")
        .count();
    assert_eq!(sold_out, 1, "{sent:?}");
    assert!(sent.iter().all(|d| d["id"] == "PNT-1"), "no SKU, no update");
    let checks = shop.graph.catalog.calls();
    assert!(checks.iter().any(|c| {
        c.endpoint == "check_batch_request_status"
            && c.query
                .get("handle")
                .is_some_and(|h| h.starts_with("handle-"))
    }));

    // Restocking flips it back.
    assert_eq!(shop.adjust(id, 4).await, 200);
    let back = shop.latest("PNT-1", |d| d["inventory"] == 4).await;
    assert_eq!(back["availability"], "in stock");
    assert_batch_shapes(&shop.graph);
    settled(&shop.app).await;
    shop.app.stop().await;
}

async fn failures_are_retried_recorded_and_shown(db: TestDb) {
    let shop = start(&db, Some("50")).await;
    // Graph is down for the first batch: it is sent again.
    shop.graph.catalog.answer_batch(
        500,
        json!({"error": {"message": "Service unavailable", "code": 2}}),
    );
    let a = shop.item(json!({"name": "glue", "sku": "GLU-1"})).await;
    assert_eq!(shop.adjust(a, 3).await, 200);
    // The failed batch is recorded by the fake too: wait for the second.
    eventually("the batch sent again", Duration::from_secs(10), || async {
        (shop.graph.catalog.batches().len() >= 2).then_some(())
    })
    .await;
    shop.latest("GLU-1", |d| d["inventory"] == 3).await;
    settled(&shop.app).await;
    let metrics = shop
        .app
        .http
        .get(format!("{}/metrics", shop.app.addr))
        .send()
        .await;
    let metrics = metrics.unwrap().text().await.unwrap();
    assert!(metrics.contains("backroom_catalog_batches_total{outcome=\"retried\"}"));

    // Meta's status check refuses the next item: recorded and shown.
    shop.graph
        .catalog
        .answer_status(json!({"status": "finished", "errors_total_count": 1,
        "errors": [{"line": 1, "id": "TAPE-9", "message": "Product not found in catalog"}]}));
    let b = shop.item(json!({"name": "tape", "sku": "TAPE-9"})).await;
    assert_eq!(shop.adjust(b, 2).await, 200);
    eventually("the failure recorded", Duration::from_secs(10), || async {
        let (_, failed, trouble) = catalog_sync::overview(&shop.app.db, 10).await.unwrap();
        (failed == 1).then_some(trouble)
    })
    .await;
    let page = shop.settings_page().await;
    assert!(page.contains("Product not found in catalog"), "{page}");
    assert!(page.contains("id=\"catalog-failed\">1<"), "{page}");
    let metrics = shop
        .app
        .http
        .get(format!("{}/metrics", shop.app.addr))
        .send()
        .await;
    let metrics = metrics.unwrap().text().await.unwrap();
    assert!(
        metrics.contains("backroom_queue_depth{queue=\"catalog_failed\"} 1"),
        "{metrics}"
    );
    assert_batch_shapes(&shop.graph);
    shop.app.stop().await;
}

async fn pull_imports_products_and_push_sends_every_item(db: TestDb) {
    let mut shop = start(&db, Some("50")).await;
    shop.item(json!({"name": "brush"})).await;
    shop.graph.catalog.set_products(vec![
        json!({"id": "1", "retailer_id": "P1", "name": "Blue Paint", "price": "R12.50", "currency": "ZAR"}),
        json!({"id": "2", "retailer_id": "P2", "name": "Brush", "price": "R1,234.00", "currency": "ZAR"}),
        json!({"id": "3", "retailer_id": "P3", "name": "Roller", "price": "R5.00", "currency": "ZAR"}),
    ]);
    let (status, page, _) = shop
        .browser
        .post("/settings/catalog/pull", &[("csrf", SESSION_CSRF)])
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("2 items created, 1 updated, 0 skipped"),
        "{page}"
    );
    let pages: Vec<_> = (shop.graph.catalog.calls().into_iter())
        .filter(|c| c.endpoint == "products")
        .collect();
    assert_eq!(pages.len(), 2, "two pages followed by cursor");
    assert_eq!(pages[1].query.get("after").map(String::as_str), Some("2"));
    assert!(pages[0].query["fields"].contains("retailer_id"));
    for (name, sku, price) in [
        ("blue paint", "P1", 1250),
        ("brush", "P2", 123_400),
        ("roller", "P3", 500),
    ] {
        let row = backroom::storage::items::get(&shop.app.db, name)
            .await
            .unwrap();
        let row = row.unwrap_or_else(|| panic!("{name} imported"));
        assert_eq!(
            (row.sku.as_deref(), row.price_minor),
            (Some(sku), Some(price))
        );
    }
    assert!(
        shop.graph.catalog.batches().is_empty(),
        "a pull sends nothing"
    );

    let (status, _, location) = shop
        .browser
        .post("/settings/catalog/push", &[("csrf", SESSION_CSRF)])
        .await;
    assert_eq!(
        (status.as_u16(), location.as_deref()),
        (303, Some("/settings#catalog-sync"))
    );
    for sku in ["P1", "P2", "P3"] {
        let d = shop.latest(sku, |_| true).await;
        assert_eq!(
            (d["availability"].as_str(), d["inventory"].as_i64()),
            (Some("out of stock"), Some(0))
        );
    }
    assert_eq!(shop.latest("P2", |_| true).await["price"], "1234.00 ZAR");
    assert_eq!(shop.sent().len(), 3);
    assert_batch_shapes(&shop.graph);
    shop.app.stop().await;
}

async fn nothing_is_recorded_or_sent_without_a_catalogue(db: TestDb) {
    let mut shop = start(&db, None).await;
    let id = shop
        .item(json!({"name": "paint", "sku": "PNT-1", "price_minor": 100}))
        .await;
    assert_eq!(shop.adjust(id, 5).await, 200);
    assert_eq!(shop.adjust(id, -5).await, 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(shop.graph.catalog.calls().is_empty());
    let (pending, failed, _) = catalog_sync::overview(&shop.app.db, 10).await.unwrap();
    assert_eq!((pending, failed), (0, 0));
    assert!(shop.settings_page().await.contains("Off: set"));
    let (status, _, _) = shop
        .browser
        .post("/settings/catalog/push", &[("csrf", SESSION_CSRF)])
        .await;
    assert_eq!(status.as_u16(), 422);
    assert!(shop.graph.catalog.calls().is_empty());
    shop.app.stop().await;
}
