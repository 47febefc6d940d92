//! A webhook subscriber on loopback that records every request (headers and
//! raw body) and answers as scripted.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::post,
};

/// One request received.
#[derive(Debug, Clone)]
pub struct Hit {
    pub headers: HeaderMap,
    pub body: String,
    /// The status it was answered with.
    pub answered: u16,
}

impl Hit {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("JSON body")
    }
}

/// How to answer the next request.
#[derive(Debug, Clone, Copy)]
pub enum Reply {
    Status(u16),
    /// Answer after this long.
    Slow(Duration),
}

#[derive(Default)]
struct Inner {
    hits: Mutex<Vec<Hit>>,
    script: Mutex<VecDeque<Reply>>,
    /// Share of unscripted requests answered 500 (0 to 1).
    fail_rate: Mutex<f64>,
}

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    inner: Arc<Inner>,
}

impl Receiver {
    pub async fn start() -> Self {
        let inner = Arc::new(Inner::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let app = Router::new()
            .route("/hook", post(hook))
            .with_state(inner.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, inner }
    }

    /// Queues answers for the next requests; afterwards every request gets 200.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.inner.script.lock().unwrap().extend(replies);
    }

    /// Answers this share of unscripted requests with 500, at random.
    pub fn fail_randomly(&self, rate: f64) {
        *self.inner.fail_rate.lock().unwrap() = rate;
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.inner.hits.lock().unwrap().clone()
    }

    /// Requests whose `X-Webhook-Event` is `kind`.
    pub fn of(&self, kind: &str) -> Vec<Hit> {
        self.hits()
            .into_iter()
            .filter(|h| h.header("x-webhook-event") == kind)
            .collect()
    }
}

async fn hook(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let next = inner.script.lock().unwrap().pop_front();
    let (answer, wait) = match next {
        Some(Reply::Status(code)) => (StatusCode::from_u16(code).unwrap(), None),
        Some(Reply::Slow(wait)) => (StatusCode::OK, Some(wait)),
        None if rand::random::<f64>() < *inner.fail_rate.lock().unwrap() => {
            (StatusCode::INTERNAL_SERVER_ERROR, None)
        }
        None => (StatusCode::OK, None),
    };
    inner.hits.lock().unwrap().push(Hit {
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        answered: answer.as_u16(),
    });
    if let Some(wait) = wait {
        tokio::time::sleep(wait).await;
    }
    answer
}
