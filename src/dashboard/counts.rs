//! Counts: the items nobody has counted for a while, and each stock count
//! staff ran over chat with its variances.

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Response},
};
use maud::html;
use serde::Deserialize;

use super::{
    DashboardState, Owner,
    page::{Nav, frame_at, scroll, when},
};
use crate::{
    error::AppError,
    storage::{self, counts},
};

#[derive(Deserialize)]
pub struct Since {
    days: Option<i64>,
}

const DAY_MS: i64 = 86_400_000;

pub async fn page(
    State(s): State<DashboardState>,
    owner: Owner,
    Query(q): Query<Since>,
) -> Result<Response, AppError> {
    let days = q.days.unwrap_or(30).clamp(1, 3650);
    let stale = counts::not_counted_since(&s.shop.db, storage::now_ms() - days * DAY_MS).await?;
    let recent = crate::api::counts::recent(&s.shop.db, 20, 0).await?;
    let tz = s.shop.prefs.get().time_zone;
    let body = html! {
        p.note { "Staff start a count on WhatsApp with " code { "count" } " (or " code { "count paint" }
            "), answer with numbers, and finish with " code { "done" } "." }
        h2 { "Not counted for " (days) " days" }
        @if stale.is_empty() { p.note { "Every item was counted in that time." } }
        @else {
            p id="stale-count" { (stale.len()) " item(s)" }
            ul { @for (name, at) in &stale {
                li { (name) " — " (at.map(|t| format!("last counted {}", when(t, &tz))).unwrap_or("never counted".into())) }
            } }
        }
        h2 { "Recent counts" }
        @if recent.is_empty() { p.note { "No count yet." } }
        @for c in &recent {
            h3 { "Count #" (c.id) " · " (c.scope.as_deref().unwrap_or("all items")) " · " (when(c.started_at, &tz))
                " by " (c.started_by) @if c.finished_at.is_none() { " (open)" } }
            p { (c.items_counted) " of " (c.lines.len()) " counted, total variance " (c.total_variance) }
            (scroll(html! { table {
                thead { tr { th { "Item" } th { "Expected" } th { "Counted" } th { "Variance" } } }
                tbody { @for l in c.lines.iter().filter(|l| l.counted.is_some()) { tr {
                    td { (l.name) } td { (l.expected) }
                    td { (l.counted.unwrap_or_default()) } td { (l.variance.unwrap_or_default()) }
                } } }
            } }))
        }
    };
    Ok(frame_at(Nav::Inventory, "Counts", Some(&owner), body).into_response())
}
