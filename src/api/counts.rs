//! `/api/v1/counts`: stock counts staff ran over chat, each with its lines
//! and their variances (counted minus the balance it replaced). The
//! dashboard's Counts page shows the same views.

use axum::{Json, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    ApiState,
    auth::Reader,
    extract::{Page, Paged, Params},
};
use crate::{
    error::AppError,
    storage::{Db, counts},
};

/// One item of a count.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CountLineView {
    pub item_id: i64,
    pub name: String,
    /// The balance the count replaced (the balance at the start until counted).
    pub expected: i64,
    /// Null while not counted.
    pub counted: Option<i64>,
    /// `counted - expected`; null while not counted.
    pub variance: Option<i64>,
    /// Milliseconds since the epoch.
    pub counted_at: Option<i64>,
}

/// A stock count started over chat.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": 1, "started_by": "27825550101", "scope": "paint", "started_at": 1795000000000_i64,
    "finished_at": 1795000600000_i64, "items_counted": 1, "total_variance": -2,
    "lines": [{"item_id": 1, "name": "screw", "expected": 50, "counted": 48, "variance": -2, "counted_at": 1795000300000_i64}]}))]
pub struct CountView {
    pub id: i64,
    /// The staff member's WhatsApp number.
    pub started_by: String,
    /// The category or name word it covers; null for every item.
    pub scope: Option<String>,
    pub started_at: i64,
    /// Null while open (an open count expires two hours after its start).
    pub finished_at: Option<i64>,
    pub items_counted: i64,
    pub total_variance: i64,
    pub lines: Vec<CountLineView>,
}

/// Counts, newest first, with their lines.
pub async fn recent(db: &Db, limit: i64, offset: i64) -> Result<Vec<CountView>, sqlx::Error> {
    let mut out = Vec::new();
    for c in counts::recent(db, limit, offset).await? {
        let lines: Vec<CountLineView> = counts::lines(db, c.id)
            .await?
            .into_iter()
            .map(|l| CountLineView {
                variance: l.counted.map(|n| n - l.expected),
                item_id: l.item_id,
                name: l.name,
                expected: l.expected,
                counted: l.counted,
                counted_at: l.counted_at,
            })
            .collect();
        out.push(CountView {
            id: c.id,
            started_by: c.started_by,
            scope: c.scope,
            started_at: c.started_at,
            finished_at: c.finished_at,
            items_counted: lines.iter().filter(|l| l.counted.is_some()).count() as i64,
            total_variance: lines.iter().filter_map(|l| l.variance).sum(),
            lines,
        });
    }
    Ok(out)
}

#[utoipa::path(get, path = "/api/v1/counts", tag = "stock", params(Page),
    responses((status = 200, body = Paged<CountView>), (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody), (status = 429, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// Stock counts, newest first, each with its lines and variances.
pub async fn list(
    _: Reader,
    State(s): State<ApiState>,
    Params(page): Params<Page>,
) -> Result<Json<Paged<CountView>>, AppError> {
    let (limit, offset) = page.resolve()?;
    // One more than asked tells whether there is a next page.
    let rows = recent(&s.shop.db, limit + 1, offset).await?;
    Ok(Json(Paged::from_rows(rows, limit, offset, |c| c)))
}
