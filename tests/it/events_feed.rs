//! The events feed (`GET /api/v1/events`), per-entity `sequence` numbers and
//! `replay?all=true`: what a system that polls or fell behind relies on.

use std::{collections::HashMap, time::Duration};

use backroom::api::auth::Scope;
use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    both_databases,
    event_contract::Bench,
    helpers::{CUSTOMER, TestDb, eventually},
    receiver::Receiver,
};

const WAIT: Duration = Duration::from_secs(20);

both_databases!(
    the_feed_pages_filters_and_needs_read,
    sequences_and_replay_all
);

/// An item with `n` stock changes, and an order of it cancelled: events
/// about one item and one order.
async fn history(bench: &Bench, n: usize) -> (i64, i64) {
    let (_, item) = bench
        .call(
            Method::POST,
            "/api/v1/items",
            Some(json!({"name": "drill"})),
        )
        .await;
    let item = item["id"].as_i64().unwrap();
    for _ in 0..n {
        let path = format!("/api/v1/items/{item}/adjust");
        let (status, _) = bench
            .call(Method::POST, &path, Some(json!({"delta": 2})))
            .await;
        assert_eq!(status, 200);
    }
    let new =
        json!({"contact": CUSTOMER, "lines": [{"item_id": item, "quantity": 2 * n as i64 - 4}]});
    let (status, order) = bench.call(Method::POST, "/api/v1/orders", Some(new)).await;
    assert_eq!(status, 201, "{order}");
    let order = order["id"].as_i64().unwrap();
    for status in ["confirmed", "cancelled"] {
        let path = format!("/api/v1/orders/{order}");
        let moved = bench.call(Method::PATCH, &path, Some(json!({ "status": status })));
        assert_eq!(moved.await.0, 200);
    }
    (item, order)
}

/// Every page of the feed, following `after`.
async fn read_all(bench: &Bench, token: &str, query: &str) -> Vec<Value> {
    let (mut after, mut all) = (0, Vec::new());
    loop {
        let url = format!(
            "{}/api/v1/events?after={after}&limit=3{query}",
            bench.app.addr
        );
        let res = bench
            .app
            .http
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let page: Value = res.json().await.unwrap();
        let data = page["data"].as_array().unwrap();
        assert!(data.len() <= 3);
        all.extend(data.iter().cloned());
        after = page["after"].as_i64().unwrap();
        if !page["has_more"].as_bool().unwrap() {
            return all;
        }
    }
}

async fn the_feed_pages_filters_and_needs_read(db: TestDb) {
    let bench = Bench::start(&db).await;
    let rx = Receiver::start().await;
    bench.subscribe(&rx.url, &["*"]).await;
    history(&bench, 5).await;
    let reader = backroom::api::auth::create(&bench.app.db, "poller", &[Scope::Read])
        .await
        .unwrap()
        .token;

    // Paged in order of recording, each entry the delivered body plus `seq`.
    let all = read_all(&bench, &reader, "").await;
    let stored = backroom::storage::events::list(&bench.app.db, None, 0, 1000)
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|e| e["id"].as_str().unwrap()).collect();
    let stored_ids: Vec<&str> = stored.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, stored_ids);
    // 5 adjusts, the order (10 → 4, so stock.low), its cancel, 3 order events.
    assert_eq!(all.len(), 11, "{all:#?}");
    let seqs: Vec<i64> = all.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
    eventually("every delivery", WAIT, || async {
        (rx.hits().len() == all.len()).then_some(())
    })
    .await;
    let delivered: HashMap<String, Value> = rx
        .hits()
        .iter()
        .map(|h| (h.header("webhook-id"), h.json()))
        .collect();
    for entry in &all {
        let mut entry = entry.clone();
        entry.as_object_mut().unwrap().remove("seq");
        assert_eq!(entry, delivered[entry["id"].as_str().unwrap()]);
    }

    // By type and by prefix.
    let low = read_all(&bench, &reader, "&type=stock.low").await;
    assert_eq!(low.len(), 1);
    let orders = read_all(&bench, &reader, "&type=order.*").await;
    let kinds: Vec<&str> = orders
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["order.created", "order.confirmed", "order.cancelled"]
    );
    let last = all.last().unwrap()["seq"].as_i64().unwrap();
    let (status, page) = bench
        .call(Method::GET, &format!("/api/v1/events?after={last}"), None)
        .await;
    assert_eq!(
        (status, page["after"].as_i64(), page["has_more"].as_bool()),
        (200, Some(last), Some(false))
    );

    // Bad parameters say which; no token is 401, a token without read 403.
    for (query, field) in [
        ("type=orders.*", "type"),
        ("limit=0", "limit"),
        ("after=-1", "after"),
    ] {
        let (status, v) = bench
            .call(Method::GET, &format!("/api/v1/events?{query}"), None)
            .await;
        assert_eq!(status, 422, "{query}: {v}");
        assert!(v["error"]["fields"][field].is_string(), "{query}: {v}");
    }
    let (status, _) = bench
        .call(Method::GET, "/api/v1/events?after=abc", None)
        .await;
    assert_eq!(status, 400);
    let url = format!("{}/api/v1/events", bench.app.addr);
    let anonymous = bench.app.http.get(&url).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let scopeless = backroom::api::auth::create(&bench.app.db, "none", &[])
        .await
        .unwrap()
        .token;
    let refused = bench
        .app
        .http
        .get(&url)
        .bearer_auth(scopeless)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

async fn sequences_and_replay_all(db: TestDb) {
    let bench = Bench::start(&db).await;
    let (item, order) = history(&bench, 4).await;
    let events = backroom::storage::events::list(&bench.app.db, None, 0, 1000)
        .await
        .unwrap();
    // Per entity, in order of recording: 1, 2, 3… with no gap.
    let mut per: HashMap<String, Vec<i64>> = HashMap::new();
    for e in &events {
        let data: Value = serde_json::from_str(&e.data).unwrap();
        let entity = match data["item"]["id"].as_i64() {
            Some(id) => format!("item:{id}"),
            None => format!("order:{}", data["order"]["id"]),
        };
        per.entry(entity)
            .or_default()
            .push(data["sequence"].as_i64().unwrap());
    }
    let item_seq = &per[&format!("item:{item}")];
    // 4 adjusts, the order, stock.low, the cancel.
    assert_eq!(item_seq, &(1..=7).collect::<Vec<i64>>());
    assert_eq!(per[&format!("order:{order}")], [1, 2, 3]);

    // A subscription made afterwards backfills with all=true, its filter kept.
    let rx = Receiver::start().await;
    let sub = bench.subscribe(&rx.url, &["order.*"]).await;
    let path = format!("/api/v1/webhooks/{sub}/replay?since=0");
    let (_, v) = bench.call(Method::POST, &path, None).await;
    assert_eq!(v["requeued"], 0, "no failures to resend");
    let (status, v) = bench
        .call(Method::POST, &format!("{path}&all=true"), None)
        .await;
    assert_eq!((status, v["requeued"].as_i64()), (200, Some(3)));
    let hits = eventually("the backfill", WAIT, || async {
        let hits = rx.hits();
        (hits.len() == 3).then_some(hits)
    })
    .await;
    let got: Vec<i64> = hits
        .iter()
        .map(|h| h.json()["data"]["sequence"].as_i64().unwrap())
        .collect();
    let mut sorted = got.clone();
    sorted.sort();
    assert_eq!(sorted, [1, 2, 3]);
    // Again, once recorded as delivered: they are sent once more; a later
    // `since` takes none.
    eventually("the backfill recorded", WAIT, || async {
        let stats = format!("/api/v1/webhooks/{sub}/stats");
        let (_, v) = bench.call(Method::GET, &stats, None).await;
        (v["delivered"] == 3).then_some(())
    })
    .await;
    let (_, v) = bench
        .call(Method::POST, &format!("{path}&all=true"), None)
        .await;
    assert_eq!(v["requeued"], 3);
    let future = format!("/api/v1/webhooks/{sub}/replay?since=99999999999999&all=true");
    let (_, v) = bench.call(Method::POST, &future, None).await;
    assert_eq!(v["requeued"], 0);
    eventually("the second backfill", WAIT, || async {
        (rx.hits().len() == 6).then_some(())
    })
    .await;
}
