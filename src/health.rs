//! Liveness and readiness. `/healthz`: the process answers. `/readyz`: the
//! database answers, its migrations are the ones this binary expects, and the
//! workers are turning (each records a heartbeat as it loops).

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use serde_json::json;

use crate::storage::{self, Backend, Db};

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
}

/// A worker that has not looped for this long is considered stuck.
const STALE_MS: i64 = 30_000;

pub async fn readyz(State(r): State<Readiness>) -> impl IntoResponse {
    let database = sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)")
        .fetch_one(r.db.pool())
        .await
        .is_ok();
    let migrations = migrations_current(&r.db).await;
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
    let rejected = crate::whatsapp::outbound::TOKEN_REJECTED_AT.load(Ordering::Relaxed);
    let whatsapp = if rejected > 0 {
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

/// Whether every migration this binary carries is applied.
async fn migrations_current(db: &Db) -> bool {
    let expected = match db.backend() {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").migrations.len(),
        Backend::Postgres => sqlx::migrate!("./migrations/postgres").migrations.len(),
    } as i64;
    sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM _sqlx_migrations WHERE success = true",
    )
    .fetch_one(db.pool())
    .await
    .is_ok_and(|applied| applied >= expected)
}
