//! Webhook ingress: Meta's verification handshake and signed notifications.
//!
//! A notification is verified over its raw bytes, parsed leniently, written to
//! the inbox, and only then answered with 200. Processing happens later, in the
//! conversation worker, so a crash after the 200 loses nothing.

pub mod committer;
pub mod envelope;
pub mod signature;

use std::{collections::HashMap, sync::Arc};

use axum::{
    Router,
    body::Bytes,
    extract::{DefaultBodyLimit, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub use committer::Inbox;

use crate::{config::Secret, error::AppError, metrics};

#[derive(Debug, Clone)]
pub struct IngressState {
    pub verify_token: Option<Secret>,
    /// Every POST must be signed with it (sandbox mode generates one).
    pub app_secret: Secret,
    /// The shop's numbers: notifications for others are acknowledged,
    /// counted and ignored. Empty only in sandbox mode without a number.
    pub numbers: Vec<String>,
    pub inbox: Inbox,
}

pub fn router(state: IngressState, max_body: usize) -> Router {
    Router::new()
        .route("/webhook/whatsapp", get(verify).post(receive))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(Arc::new(state))
}

/// `GET /webhook/whatsapp`: echo `hub.challenge` when the token matches.
async fn verify(
    State(state): State<Arc<IngressState>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let mode_ok = params.get("hub.mode").map(String::as_str) == Some("subscribe");
    let token_ok = match (&state.verify_token, params.get("hub.verify_token")) {
        (Some(expected), Some(given)) => same_secret(expected.expose(), given),
        _ => false,
    };
    match params.get("hub.challenge") {
        Some(challenge) if mode_ok && token_ok => {
            ([(header::CONTENT_TYPE, "text/plain")], challenge.clone()).into_response()
        }
        _ => StatusCode::FORBIDDEN.into_response(),
    }
}

/// Compares secrets in constant time, lengths included (both sides are hashed first).
pub fn same_secret(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes())
        .ct_eq(&Sha256::digest(b.as_bytes()))
        .into()
}

/// `POST /webhook/whatsapp`: verify, store, answer.
async fn receive(
    State(state): State<Arc<IngressState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, AppError> {
    let header = headers.get("x-hub-signature-256").map(|v| v.as_bytes());
    signature::verify(state.app_secret.expose().as_bytes(), header, &body).map_err(|e| {
        metrics::count(&metrics::METRICS.webhooks, "bad_signature");
        tracing::warn!(reason = %e, "rejected webhook with a bad signature");
        AppError::Unauthorized(e.to_string())
    })?;
    let mut notification = envelope::parse(&body).map_err(|e| {
        metrics::count(&metrics::METRICS.webhooks, "malformed");
        AppError::BadRequest(e.to_string())
    })?;
    if !state.numbers.is_empty() {
        let ignored = notification.keep_numbers(&state.numbers);
        if ignored > 0 {
            metrics::METRICS.ignored_other_number.inc_by(ignored as u64);
            tracing::warn!(
                ignored,
                "ignored messages or statuses for a phone number id that is not one of the shop's (WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_NUMBERS)"
            );
        }
    }
    let refused = notification
        .messages
        .iter()
        .filter(|m| m.refusal.is_some())
        .count();
    if refused > 0 {
        metrics::METRICS.refused_senders.inc_by(refused as u64);
        tracing::warn!(
            refused,
            "stored messages whose sender id is malformed; they are not processed"
        );
    }
    let request_id = crate::telemetry::request_id(&headers);
    for m in &mut notification.messages {
        m.request_id = request_id.clone();
    }
    if notification.skipped > 0 {
        tracing::debug!(skipped = notification.skipped, "webhook parts not handled");
    }
    state.inbox.store(notification).await.map_err(|e| {
        metrics::count(&metrics::METRICS.webhooks, "unavailable");
        tracing::error!(error = %e, "could not store webhook");
        AppError::Unavailable("could not store the notification, retry later".into())
    })?;
    metrics::count(&metrics::METRICS.webhooks, "stored");
    Ok(StatusCode::OK)
}
