//! Selling on WhatsApp when an item is out: suggestions, one back-in-stock
//! note within a week of asking; and items' categories through the API and
//! the CSV import and export.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_databases,
    dashboard::Browser,
    helpers::{self, CUSTOMER, STAFF, TestDb, eventually},
    selling::{OWNER, Shop, WAIT, body, rows},
};

both_databases!(
    out_of_stock_offers_others_and_tells_once,
    categories_through_the_api_and_csv,
);

async fn out_of_stock_offers_others_and_tells_once(db: TestDb) {
    let shop = Shop::start(&db).await;
    let drill = shop.item("drill", None, Some("tools"), 0).await;
    shop.item("hammer", None, Some("tools"), 4).await;
    shop.item("paint", None, Some("decor"), 9).await;

    let reply = shop.text("wamid.o1", CUSTOMER, "do you have drills?").await;
    assert!(body(&reply).contains("out of stock"), "{reply}");
    let offered: Vec<Value> = rows(&reply).iter().map(|r| r["title"].clone()).collect();
    assert_eq!(offered, [json!("hammer")]);
    let ordered = shop
        .text("wamid.o2", CUSTOMER, "I'd like 2 cement mixers")
        .await;
    assert!(body(&ordered).contains("don't sell"), "{ordered}");

    // Back in stock (staff, in chat): the customer, inside the window, is told once.
    shop.text("wamid.o3", STAFF, "added 3 drills").await;
    assert_eq!(shop.notes().await, 1);
    let note = eventually("the note sent", WAIT, || async {
        shop.graph
            .texts()
            .into_iter()
            .find(|t| t.contains("back in stock"))
    })
    .await;
    assert!(note.contains("drill"), "{note}");
    shop.set(drill, 0).await;
    shop.set(drill, 5).await;
    assert_eq!(shop.notes().await, 1, "told once");

    // Asked again, but more than a week ago: not told.
    shop.set(drill, 0).await;
    // An order for it is refused with the same offer, and asks to be told too.
    let refused = shop.text("wamid.o4", CUSTOMER, "I'd like 2 drills").await;
    assert!(body(&refused).contains("no order was placed"), "{refused}");
    assert_eq!(rows(&refused)[0]["title"], "hammer");
    let old = backroom::storage::now_ms() - 8 * 24 * 3_600_000;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE stock_requests SET asked_at = {old}"
    )))
    .execute(shop.app.db.pool())
    .await
    .unwrap();
    shop.set(drill, 5).await;
    assert_eq!(shop.notes().await, 1, "a week-old request is forgotten");
}

async fn categories_through_the_api_and_csv(db: TestDb) {
    let shop = Shop::start(&db).await;
    let id = shop.item("nail", None, Some("fasteners"), 1).await;
    let (_, v) = shop
        .api(Method::GET, &format!("/items/{id}"), Value::Null)
        .await;
    assert_eq!(v["category"], "fasteners");
    for bad in [json!("a\u{7}b"), json!("x".repeat(41)), json!("")] {
        let (status, v) = shop
            .api(
                Method::PATCH,
                &format!("/items/{id}"),
                json!({"category": bad}),
            )
            .await;
        assert_eq!(status, 422, "{v}");
    }
    let (_, v) = shop
        .api(
            Method::PATCH,
            &format!("/items/{id}"),
            json!({"category": null}),
        )
        .await;
    assert_eq!(v["category"], Value::Null);

    let mut browser = Browser::new(&shop.app);
    browser.cookie = Some(helpers::owner_session(&shop.app.db, OWNER).await);
    let csv = "name,quantity,category\nnail,4,hardware\nglue,2,\n";
    let form = [
        ("csrf", helpers::SESSION_CSRF),
        ("csv", csv),
        ("apply", "1"),
    ];
    let (_, done, _) = browser.post("/import", &form).await;
    assert!(done.contains("Imported 2 rows"), "{done}");
    let (_, v) = shop
        .api(Method::GET, &format!("/items/{id}"), Value::Null)
        .await;
    assert_eq!(v["category"], "hardware");
    let (_, exported, _) = browser.get("/inventory.csv").await;
    assert!(exported.starts_with("name,quantity,unit,sku,threshold,price_minor,category\n"));
    assert!(
        exported.contains("nail,4,,,,,hardware\n") && exported.contains("glue,2,,,,,\n"),
        "{exported}"
    );
}
