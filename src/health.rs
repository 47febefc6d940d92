//! Liveness and readiness. `/healthz`: the process answers. `/readyz`: the
//! database answers, its migrations are the ones this binary expects, and the
//! workers are turning (each records a heartbeat as it loops).

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use serde_json::json;

use crate::{
    signals::Signals,
    storage::{self, Db, probe},
};

/// Heartbeats of the background workers (ms since the epoch; 0 = not started).
#[derive(Debug, Default)]
pub struct Heartbeat {
    pub conversation: AtomicI64,
}

impl Heartbeat {
    pub fn beat(cell: &AtomicI64) {
        cell.store(storage::now_ms(), Ordering::Relaxed);
    }
}

#[derive(Clone)]
pub struct Readiness {
    pub db: Db,
    pub heartbeat: Arc<Heartbeat>,
    pub workers: bool,
    pub signals: Signals,
}

/// A worker that has not looped for this long is considered stuck.
const STALE_MS: i64 = 30_000;

pub async fn readyz(State(r): State<Readiness>) -> impl IntoResponse {
    let database = probe::ping(&r.db).await;
    let migrations = probe::migrations_current(&r.db).await;
    let beat = r.heartbeat.conversation.load(Ordering::Relaxed);
    let workers = !r.workers || storage::now_ms() - beat < STALE_MS;
    let ok = database && migrations && workers;
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    // A rejected token is reported, not treated as unready: restarting or
    // moving traffic would not fix it, and webhooks must still be stored.
    let whatsapp = if r.signals.token_rejected_at().is_some() {
        "access token rejected (190): sending paused"
    } else {
        "ok"
    };
    (
        status,
        Json(
            json!({ "ready": ok, "database": database, "migrations": migrations,
                     "workers": workers, "whatsapp": whatsapp }),
        ),
    )
}
