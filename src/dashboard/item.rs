//! One item: its stock over time (a chart drawn from the ledger, over 7, 30
//! or 90 days) and its movements in words: what happened, who did it, and
//! the message that caused it, linked to the conversation.

use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Response},
};
use maud::html;
use serde::Deserialize;

use super::{
    DashboardState, Owner, chart,
    page::{Nav, frame_at, scroll, when},
};
use crate::{
    domain::{ledger::Reason, money},
    error::AppError,
    storage::{
        self,
        catalogue::{self, MovementFilter, MovementRow},
        log,
    },
};

const DAY: i64 = 86_400_000;
const RANGES: [i64; 3] = [7, 30, 90];
/// The most movements one chart draws; older ones in the range are summed
/// into its starting level.
const MOST: i64 = 2000;

#[derive(Deserialize)]
pub struct ItemQuery {
    days: Option<i64>,
}

pub async fn page(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
    Query(q): Query<ItemQuery>,
) -> Result<Response, AppError> {
    let item = catalogue::get(&s.shop.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such item".into()))?;
    let prefs = s.shop.prefs.get();
    let days = q.days.filter(|d| RANGES.contains(d)).unwrap_or(30);
    let now = storage::now_ms();
    let from = now - days * DAY;
    let filter = MovementFilter {
        item_id: Some(id),
        since: Some(from),
        ..MovementFilter::default()
    };
    let mut moves = catalogue::movements(&s.shop.db, &filter, MOST, 0).await?;
    moves.truncate(MOST as usize);
    moves.reverse();
    // The level before the first drawn movement; with none, today's level.
    let start = moves
        .first()
        .map_or(item.quantity, |m| m.balance_after - m.delta);
    let wamids: Vec<&str> = moves
        .iter()
        .filter_map(|m| m.source_message_id.as_deref())
        .collect();
    let texts = log::texts(&s.shop.db, &wamids).await?;
    let text_of = |m: &MovementRow| {
        let w = m.source_message_id.as_deref()?;
        texts.iter().find(|(id, _, _)| id == w)
    };
    let tz = &prefs.time_zone;
    let alert = item.threshold.unwrap_or(prefs.default_threshold);
    let places = s.shop.places.as_ref();
    let incoming: i64 = storage::locations::transfers(&s.shop.db, Some(true), None, (500, 0))
        .await?
        .iter()
        .filter(|t| t.item_id == id)
        .map(|t| t.quantity - t.received)
        .sum();
    let points: Vec<chart::Point> = moves
        .iter()
        .map(|m| chart::Point {
            at: m.created_at,
            balance: m.balance_after,
            title: format!(
                "{} {}{} → {} · {} · {}",
                Reason::describe(&m.reason),
                if m.delta > 0 { "+" } else { "" },
                m.delta,
                m.balance_after,
                m.actor.as_deref().unwrap_or("someone"),
                when(m.created_at, tz)
            ),
        })
        .collect();
    let body = html! {
        div.cards {
            div.card { span.figure data-figure="quantity" { (item.quantity) } span.label { "in stock" @if let Some(u) = &item.unit { " (" (u) ")" } (super::places::breakdown(places, &item, incoming)) } }
            div.card { span.figure { (alert) } span.label { "alert level" } }
            @if let Some(p) = item.price_minor {
                div.card { span.figure { (money::format(p, &prefs.currency)) } span.label { "price · stock worth " (money::format(p * item.quantity, &prefs.currency)) } }
            }
            @if let Some(sku) = &item.sku { div.card { span.figure { (sku) } span.label { "SKU" } } }
        }
        h2 { "Stock over time" }
        nav.filters aria-label="Range" {
            @for d in RANGES {
                a href=(format!("/items/{id}?days={d}")) aria-current=[(d == days).then_some("page")] { (d) " days" }
            }
        }
        figure.chart {
            (chart::stock(start, &points, (from, now), alert, tz,
                &format!("Stock of {} over the last {days} days, from {start} to {}", item.name, item.quantity)))
            figcaption { (moves.len()) " movement(s) in the last " (days) " days · dashed line: alert level · times in " (tz) }
        }
        h2 { "Movements" }
        @if moves.is_empty() { p.note { "No movements in the last " (days) " days." } }
        @else {
            (scroll(html! { table.stack {
                thead { tr { th { "When" } th.num { "Change" } th.num { "Left" } th { "What happened" } th { "Message" } } }
                tbody {
                    @for m in moves.iter().rev() {
                        tr {
                            td { (when(m.created_at, tz)) }
                            td.num data-label="Change" { @if m.delta > 0 { "+" } (m.delta) }
                            td.num data-label="Left" { (m.balance_after) }
                            td { (Reason::describe(&m.reason))
                                @if let Some(who) = &m.actor { br; small.note { "by " (who) } } }
                            td {
                                @if let Some((_, sender, body)) = text_of(m) {
                                    @match sender {
                                        Some(from) => a href=(format!("/conversations/{from}")) { "“" (body.as_deref().unwrap_or("(no text)")) "”" },
                                        None => { "“" (body.as_deref().unwrap_or("")) "”" },
                                    }
                                }
                            }
                        }
                    }
                }
            } }))
        }
    };
    Ok(frame_at(Nav::Inventory, &item.name, Some(&owner), body).into_response())
}
