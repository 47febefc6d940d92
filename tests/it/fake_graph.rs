//! A fake Graph API on a loopback port: records every request and answers
//! from a script (default: success with a fresh wamid). Like Meta, it can
//! post a signed `sent` status callback for each message it accepted, with
//! the message's `biz_opaque_callback_data`, retrying until it gets a 200.

use std::{
    collections::VecDeque,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::Value;
use tokio::sync::Notify;

mod catalog;
pub use catalog::FakeCatalog;

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub phone_number_id: String,
    pub authorization: Option<String>,
    pub body: Value,
    pub at: std::time::Instant,
}

/// A scripted answer.
#[derive(Debug, Clone)]
pub enum Answer {
    /// Status and raw body.
    Reply(u16, String),
    /// Hold the request until `release()` is called.
    Hang,
}

/// The bytes every fake media download returns.
pub const VOICE_NOTE: &[u8] = b"OggS\0fake opus voice note";

#[derive(Default)]
struct Inner {
    addr: Mutex<String>,
    media_downloads: AtomicU64,
    requests: Mutex<Vec<Recorded>>,
    script: Mutex<VecDeque<Answer>>,
    counter: AtomicU64,
    release: Notify,
    /// Where `sent` callbacks go (the server's webhook), if anywhere.
    callbacks: Mutex<Option<String>>,
    /// How long each answer takes.
    delay: Mutex<Duration>,
}

#[derive(Clone)]
pub struct FakeGraph {
    addr: String,
    inner: Arc<Inner>,
    /// The catalogue endpoints (items batch, status check, products).
    pub catalog: FakeCatalog,
}

impl FakeGraph {
    pub async fn start() -> Self {
        let inner = Arc::new(Inner::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = format!("http://{}", listener.local_addr().expect("addr"));
        *inner.addr.lock().unwrap() = addr.clone();
        let app = Router::new()
            .route("/v21.0/{pnid}/messages", post(messages))
            .route("/v21.0/{media_id}", get(media_info))
            .route("/media/{media_id}", get(media_file))
            .with_state(inner.clone());
        let catalog = FakeCatalog::default();
        let app = app.merge(catalog.routes());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self {
            addr,
            inner,
            catalog,
        }
    }

    pub fn url(&self) -> String {
        format!("{}/v21.0", self.addr)
    }

    /// Queues answers for the next requests, in order.
    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        self.inner.script.lock().unwrap().extend(answers);
    }

    /// Posts a `sent` status callback for every accepted message to this
    /// server's webhook from now on (it follows a restarted server).
    pub fn send_callbacks_to(&self, base: &str) {
        *self.inner.callbacks.lock().unwrap() = Some(format!("{base}/webhook/whatsapp"));
    }

    /// Answers every request after `delay`, as a slow Graph API would.
    pub fn slow_down(&self, delay: Duration) {
        *self.inner.delay.lock().unwrap() = delay;
    }

    /// Lets every hanging request through.
    pub fn release(&self) {
        self.inner.release.notify_waiters();
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.inner.requests.lock().unwrap().clone()
    }

    /// Bodies of text messages sent, in order.
    pub fn texts(&self) -> Vec<String> {
        self.requests()
            .iter()
            .filter_map(|r| r.body["text"]["body"].as_str().map(str::to_string))
            .collect()
    }

    pub fn media_downloads(&self) -> u64 {
        self.inner.media_downloads.load(Ordering::Relaxed)
    }

    /// The text of the (first) reply to an inbound wamid.
    pub fn reply_text(&self, wamid: &str) -> Option<String> {
        self.requests()
            .iter()
            .find(|r| r.body["context"]["message_id"] == wamid)
            .and_then(|r| r.body["text"]["body"].as_str().map(str::to_string))
    }

    /// How many requests replied to the given inbound wamid.
    pub fn replies_to(&self, wamid: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.body["context"]["message_id"] == wamid)
            .count()
    }
}

/// The error body Graph sends for `code`, as in the fixtures.
pub fn graph_error(code: i64) -> String {
    serde_json::json!({"error": {"message": format!("(#{code}) error"), "type": "OAuthException",
        "code": code, "fbtrace_id": "Atest"}})
    .to_string()
}

async fn messages(
    State(inner): State<Arc<Inner>>,
    Path(pnid): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let answer = inner.script.lock().unwrap().pop_front();
    inner.requests.lock().unwrap().push(Recorded {
        at: std::time::Instant::now(),
        phone_number_id: pnid,
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: body.clone(),
    });
    // Graph takes a message when it arrives (and Meta then reports it), even
    // if the answer is slow or never reaches a sender that died meanwhile.
    let accepted = match &answer {
        Some(Answer::Reply(..)) => None,
        _ => Some(success(&inner, &body)),
    };
    let delay = *inner.delay.lock().unwrap();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    match (answer, accepted) {
        (Some(Answer::Reply(status, body)), _) => {
            (StatusCode::from_u16(status).expect("status"), body).into_response()
        }
        (Some(Answer::Hang), Some(accepted)) => {
            inner.release.notified().await;
            tokio::time::sleep(Duration::from_millis(1)).await;
            accepted.into_response()
        }
        (_, accepted) => accepted.expect("accepted").into_response(),
    }
}

/// Posts Meta's `sent` callback for an accepted message until the server
/// (wherever it now listens) answers 200, for up to a minute.
fn call_back(inner: &Arc<Inner>, wamid: String, request: &Value) {
    if request.get("status").is_some() {
        return; // a read receipt
    }
    let status = serde_json::json!({
        "id": wamid, "status": "sent", "timestamp": "1781000100",
        "recipient_id": request["to"], "biz_opaque_callback_data": request["biz_opaque_callback_data"],
    });
    let body = serde_json::to_vec(&serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "100200300400500", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15555550100", "phone_number_id": crate::helpers::PHONE_NUMBER_ID},
            "statuses": [status]
        }}]}]
    }))
    .expect("json");
    let inner = inner.clone();
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        let signature = backroom::whatsapp::inbound::signature::sign(
            crate::helpers::APP_SECRET.as_bytes(),
            &body,
        );
        for _ in 0..600 {
            let url = inner.callbacks.lock().unwrap().clone();
            if let Some(url) = url {
                let sent = client
                    .post(url)
                    .header("content-type", "application/json")
                    .header("x-hub-signature-256", &signature)
                    .body(body.clone())
                    .timeout(Duration::from_secs(2))
                    .send()
                    .await;
                if sent.is_ok_and(|r| r.status().is_success()) {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
}

fn authorised(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some("Bearer test-access-token")
}

/// `GET /{media-id}`: where to download the file (a URL on this fake).
async fn media_info(
    State(inner): State<Arc<Inner>>,
    Path(media_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !authorised(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let addr = inner.addr.lock().unwrap().clone();
    Json(serde_json::json!({
        "url": format!("{addr}/media/{media_id}"), "mime_type": "audio/ogg",
        "sha256": "00", "file_size": VOICE_NOTE.len(), "id": media_id,
        "messaging_product": "whatsapp"
    }))
    .into_response()
}

async fn media_file(State(inner): State<Arc<Inner>>, headers: HeaderMap) -> Response {
    if !authorised(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    inner.media_downloads.fetch_add(1, Ordering::Relaxed);
    ([("content-type", "audio/ogg")], VOICE_NOTE).into_response()
}

fn success(inner: &Arc<Inner>, body: &Value) -> Json<Value> {
    let n = inner.counter.fetch_add(1, Ordering::Relaxed);
    let to = body["to"].clone();
    let wamid = format!("wamid.fake{n:06}");
    if inner.callbacks.lock().unwrap().is_some() {
        call_back(inner, wamid.clone(), body);
    }
    Json(serde_json::json!({
        "messaging_product": "whatsapp",
        "contacts": [{"input": to, "wa_id": to}],
        "messages": [{"id": wamid}]
    }))
}
