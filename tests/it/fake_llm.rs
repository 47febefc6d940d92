//! Fake LLM servers on loopback: Gemini's `generateContent` and the
//! OpenAI-compatible `/chat/completions` and `/audio/transcriptions`,
//! answering from a script and recording what they were sent.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
};
use serde_json::{Value, json};

/// What the model does for one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Answers with this text as the model's content.
    Content(String),
    /// Answers with an HTTP error.
    Status(u16),
    /// Waits, then answers with the content.
    Slow(Duration, String),
}

#[derive(Default)]
struct Inner {
    script: Mutex<VecDeque<Reply>>,
    requests: Mutex<Vec<(HeaderMap, Bytes)>>,
    /// Answer `response_format: json_schema` with a 500, as llama-cpp-python's server does.
    rejects_json_schema: std::sync::atomic::AtomicBool,
}

#[derive(Clone)]
pub struct FakeLlm {
    addr: String,
    inner: Arc<Inner>,
}

impl FakeLlm {
    pub async fn start() -> Self {
        let inner = Arc::new(Inner::default());
        let app = Router::new()
            .route("/v1beta/models/{action}", post(gemini))
            .route("/v1/chat/completions", post(openai))
            .route("/v1/audio/transcriptions", post(transcription))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { addr, inner }
    }

    pub fn gemini_base(&self) -> String {
        format!("{}/v1beta", self.addr)
    }

    pub fn openai_base(&self) -> String {
        format!("{}/v1", self.addr)
    }

    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.inner.script.lock().unwrap().extend(replies);
    }

    /// From now on refuse the `json_schema` response format (llama-cpp-python).
    pub fn reject_json_schema(&self) {
        self.inner
            .rejects_json_schema
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn request_count(&self) -> usize {
        self.inner.requests.lock().unwrap().len()
    }

    /// Every request body received, parsed as JSON where it is JSON.
    pub fn requests(&self) -> Vec<(HeaderMap, Bytes)> {
        self.inner.requests.lock().unwrap().clone()
    }
}

/// A model answer in the parse contract's shape.
pub fn parse_json(intent: &str, items: &[(&str, Option<i64>, Option<&str>)]) -> String {
    let items: Vec<Value> = items
        .iter()
        .map(|(name, quantity, unit)| json!({"name": name, "quantity": quantity, "unit": unit}))
        .collect();
    json!({"intent": intent, "items": items}).to_string()
}

async fn next(inner: &Inner, headers: HeaderMap, body: Bytes) -> Result<String, StatusCode> {
    inner.requests.lock().unwrap().push((headers, body));
    let reply = inner.script.lock().unwrap().pop_front();
    match reply {
        Some(Reply::Content(text)) => Ok(text),
        Some(Reply::Status(code)) => Err(StatusCode::from_u16(code).expect("status")),
        Some(Reply::Slow(wait, text)) => {
            tokio::time::sleep(wait).await;
            Ok(text)
        }
        None => Ok(parse_json("unknown", &[])),
    }
}

fn error(status: StatusCode) -> Response {
    (
        status,
        Json(json!({"error": {"message": "scripted failure"}})),
    )
        .into_response()
}

async fn gemini(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    match next(&inner, headers, body).await {
        Ok(text) => Json(json!({
            "candidates": [{"content": {"parts": [{"text": text}], "role": "model"},
                            "finishReason": "STOP"}]
        }))
        .into_response(),
        Err(status) => error(status),
    }
}

async fn openai(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    let request: Value = serde_json::from_slice(&body).unwrap_or_default();
    if inner
        .rejects_json_schema
        .load(std::sync::atomic::Ordering::Relaxed)
        && request["response_format"]["type"] == "json_schema"
    {
        inner.requests.lock().unwrap().push((headers, body));
        let detail =
            "1 validation error: response_format.type: Input should be 'text' or 'json_object'";
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"error": {"message": detail, "type": "internal_server_error"}})),
        )
            .into_response();
    }
    match next(&inner, headers, body).await {
        Ok(text) => Json(json!({
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text,
                         "refusal": null}, "finish_reason": "stop"}]
        }))
        .into_response(),
        Err(status) => error(status),
    }
}

async fn transcription(
    State(inner): State<Arc<Inner>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match next(&inner, headers, body).await {
        Ok(text) => Json(json!({"text": text})).into_response(),
        Err(status) => error(status),
    }
}
