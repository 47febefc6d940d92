//! `/api/v1/events`: the event log for systems that poll or fell behind,
//! each entry exactly the body a webhook delivers, plus its cursor.

use axum::{Json, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiState, auth::Reader, extract::Params};
use crate::{
    domain::event::EventType,
    error::AppError,
    events::body_of,
    storage::{deliveries::EventBody, events},
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The cursor: events recorded after the one with this `seq` (default 0,
    /// the start). Pass the last page's `after`.
    pub after: Option<i64>,
    /// An event type, `prefix.*` (e.g. `order.*`) or `*`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// 1 to 500 (default 100).
    pub limit: Option<i64>,
}

/// One recorded event: the webhook body (`id`, `event`, `timestamp`, `data`)
/// and its place in the log.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FeedEntry {
    /// Its position in the log, in order of recording.
    pub seq: i64,
    /// `evt_…`, the same id deliveries carry (`webhook-id`).
    pub id: String,
    pub event: EventType,
    /// RFC 3339, when it was recorded.
    pub timestamp: String,
    /// The type's payload; see the `webhooks` section.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Feed {
    pub data: Vec<FeedEntry>,
    /// The cursor to pass as `after` next time (the last entry's `seq`, or
    /// the `after` given when nothing is new).
    pub after: i64,
    /// Whether more events follow at once.
    pub has_more: bool,
}

#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(FeedQuery),
    responses((status = 200, body = Feed), (status = 422, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// Recorded events in order of recording, after a cursor: catch up after downtime, or poll instead of subscribing.
pub async fn feed(
    _: Reader,
    State(s): State<ApiState>,
    Params(q): Params<FeedQuery>,
) -> Result<Json<Feed>, AppError> {
    let after = q.after.unwrap_or(0);
    if after < 0 {
        return Err(AppError::field("after", "must be 0 or more"));
    }
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(AppError::field("limit", "must be between 1 and 500"));
    }
    let pattern = q.kind.as_deref().unwrap_or("*");
    if !EventType::is_pattern(pattern) {
        return Err(AppError::field(
            "type",
            "must be an event type, `prefix.*` of one, or `*`",
        ));
    }
    // A pattern is read as the known types it covers (none for `*`: all).
    let kinds: Vec<&str> = if pattern == "*" {
        Vec::new()
    } else {
        EventType::ALL
            .iter()
            .filter(|t| t.matches(pattern))
            .map(|t| t.as_str())
            .collect()
    };
    let mut rows = events::feed(&s.shop.db, &kinds, after, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let mut data = Vec::with_capacity(rows.len());
    for r in rows {
        let body = body_of(&EventBody {
            id: r.id,
            kind: r.kind,
            data: r.data,
            created_at: r.created_at,
        });
        // Parsed back from the delivered body, so both stay one shape.
        let mut entry: serde_json::Value =
            serde_json::from_str(&body).map_err(anyhow::Error::from)?;
        entry["seq"] = r.seq.into();
        data.push(serde_json::from_value(entry).map_err(anyhow::Error::from)?);
    }
    let after = data.last().map_or(after, |e: &FeedEntry| e.seq);
    Ok(Json(Feed {
        data,
        after,
        has_more,
    }))
}
