//! One item: its stock over time (an inline SVG drawn from the ledger) and
//! its movements, with who, why and the source message.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use maud::{Markup, html};

use super::{
    DashboardState, Owner,
    page::{frame, when},
};
use crate::{
    error::AppError,
    storage::catalogue::{self, MovementFilter, MovementRow},
};

pub async fn page(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let item = catalogue::get(&s.shop.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such item".into()))?;
    let filter = MovementFilter {
        item_id: Some(id),
        ..MovementFilter::default()
    };
    let mut moves = catalogue::movements(&s.shop.db, &filter, 500, 0).await?;
    moves.truncate(500);
    let tz = &s.shop.settings.shop.time_zone;
    let body = html! {
        p { "In stock: " strong { (item.quantity) } @if let Some(sku) = &item.sku { " · SKU " (sku) } }
        (chart(&moves))
        h2 { "Movements" }
        @if moves.is_empty() { p.note { "No movements yet." } }
        @else {
            table {
                thead { tr { th { "When (" (tz) ")" } th { "Change" } th { "Balance" } th { "Why" } th.opt { "Who" } th.opt { "Message" } } }
                tbody {
                    @for m in &moves {
                        tr {
                            td { (when(m.created_at, tz)) }
                            td { @if m.delta > 0 { "+" } (m.delta) }
                            td { (m.balance_after) }
                            td { (m.reason) }
                            td.opt { (m.actor.as_deref().unwrap_or("")) }
                            td.opt { small { (m.source_message_id.as_deref().unwrap_or("")) } }
                        }
                    }
                }
            }
        }
    };
    Ok(frame(&item.name, Some(&owner), body).into_response())
}

/// Stock over time as a step line; newest movement last.
fn chart(moves: &[MovementRow]) -> Markup {
    if moves.len() < 2 {
        return html! {};
    }
    let points: Vec<(i64, i64)> = moves
        .iter()
        .rev()
        .map(|m| (m.created_at, m.balance_after))
        .collect();
    let (t0, t1) = (points[0].0, points[points.len() - 1].0.max(points[0].0 + 1));
    let top = points.iter().map(|p| p.1).max().unwrap_or(1).max(1);
    let (w, h) = (600.0, 160.0);
    let x = |t: i64| 10.0 + (t - t0) as f64 / (t1 - t0) as f64 * (w - 20.0);
    let y = |q: i64| h - 10.0 - q as f64 / top as f64 * (h - 20.0);
    let mut path = String::new();
    let mut last_y = y(points[0].1);
    for (i, (t, q)) in points.iter().enumerate() {
        if i == 0 {
            path.push_str(&format!("{:.1},{:.1}", x(*t), y(*q)));
        } else {
            path.push_str(&format!(
                " {:.1},{last_y:.1} {:.1},{:.1}",
                x(*t),
                x(*t),
                y(*q)
            ));
        }
        last_y = y(*q);
    }
    html! {
        svg viewBox=(format!("0 0 {w} {h}")) width="100%" role="img" aria-label=(format!("Stock over time, from {} to {}", points[0].1, points[points.len() - 1].1)) {
            line x1="10" y1=(h - 10.0) x2=(w - 10.0) y2=(h - 10.0) stroke="#999" {}
            text x="12" y="14" font-size="12" { (top) }
            polyline points=(path) fill="none" stroke="#128c7e" stroke-width="2" {}
        }
    }
}
