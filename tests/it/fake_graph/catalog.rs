//! The fake Graph API's catalogue endpoints: the items batch, its status
//! check and the product list. Every call is recorded (endpoint, token,
//! query, body) so tests can check each request's shape; answers come from
//! a script, else succeed.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
};

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::{Value, json};

/// One catalogue call the fake received.
#[derive(Debug, Clone)]
pub struct CatalogCall {
    /// `items_batch`, `check_batch_request_status` or `products`.
    pub endpoint: &'static str,
    pub catalog_id: String,
    pub authorization: Option<String>,
    pub query: HashMap<String, String>,
    pub body: Value,
}

#[derive(Default)]
struct Inner {
    calls: Mutex<Vec<CatalogCall>>,
    /// Answers for the next batches, then for the next status checks.
    batch_script: Mutex<VecDeque<(u16, Value)>>,
    status_script: Mutex<VecDeque<Value>>,
    products: Mutex<Vec<Value>>,
}

#[derive(Clone, Default)]
pub struct FakeCatalog {
    inner: Arc<Inner>,
}

impl FakeCatalog {
    pub fn routes(&self) -> Router {
        Router::new()
            .route("/v21.0/{pnid}/items_batch", post(items_batch))
            .route(
                "/v21.0/{pnid}/check_batch_request_status",
                get(batch_status),
            )
            .route("/v21.0/{pnid}/products", get(products))
            .with_state(self.inner.clone())
    }

    pub fn calls(&self) -> Vec<CatalogCall> {
        self.inner.calls.lock().unwrap().clone()
    }

    /// The batches posted, in order.
    pub fn batches(&self) -> Vec<CatalogCall> {
        self.calls()
            .into_iter()
            .filter(|c| c.endpoint == "items_batch")
            .collect()
    }

    /// Every product update sent, in order: each batch's `requests` entries.
    pub fn updates(&self) -> Vec<Value> {
        self.batches()
            .iter()
            .flat_map(|b| b.body["requests"].as_array().cloned().unwrap_or_default())
            .collect()
    }

    /// The next batch gets this status and body.
    pub fn answer_batch(&self, status: u16, body: Value) {
        self.inner
            .batch_script
            .lock()
            .unwrap()
            .push_back((status, body));
    }

    /// The next status check answers this (one element of `data`).
    pub fn answer_status(&self, status: Value) {
        self.inner.status_script.lock().unwrap().push_back(status);
    }

    /// The catalogue's products, as `/products` lists them.
    pub fn set_products(&self, products: Vec<Value>) {
        *self.inner.products.lock().unwrap() = products;
    }
}

fn record(
    inner: &Inner,
    endpoint: &'static str,
    catalog_id: String,
    headers: &HeaderMap,
    query: HashMap<String, String>,
    body: Value,
) {
    inner.calls.lock().unwrap().push(CatalogCall {
        endpoint,
        catalog_id,
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        query,
        body,
    });
}

async fn items_batch(
    State(inner): State<Arc<Inner>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    record(&inner, "items_batch", id, &headers, HashMap::new(), body);
    let n = inner.calls.lock().unwrap().len();
    match inner.batch_script.lock().unwrap().pop_front() {
        Some((status, body)) => (StatusCode::from_u16(status).unwrap(), Json(body)).into_response(),
        None => Json(json!({"handles": [format!("handle-{n}")]})).into_response(),
    }
}

async fn batch_status(
    State(inner): State<Arc<Inner>>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let handle = query.get("handle").cloned().unwrap_or_default();
    record(
        &inner,
        "check_batch_request_status",
        id,
        &headers,
        query,
        Value::Null,
    );
    let status = inner.status_script.lock().unwrap().pop_front().unwrap_or_else(
        || json!({"handle": handle, "status": "finished", "errors_total_count": 0, "errors": []}),
    );
    Json(json!({"data": [status]})).into_response()
}

/// Two products a page, with Graph's cursors; `next` only when more follow.
async fn products(
    State(inner): State<Arc<Inner>>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let start: usize = query.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
    record(&inner, "products", id, &headers, query, Value::Null);
    let all = inner.products.lock().unwrap().clone();
    let page: Vec<Value> = all.iter().skip(start).take(2).cloned().collect();
    let end = start + page.len();
    let mut paging = json!({"cursors": {"before": start.to_string(), "after": end.to_string()}});
    if end < all.len() {
        paging["next"] = json!(format!("https://graph.invalid/next?after={end}"));
    }
    Json(json!({"data": page, "paging": paging})).into_response()
}
