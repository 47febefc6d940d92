//! Locations on the inventory page: a filter, each item's stock by location,
//! and the transfers on their way with a button to receive them.

use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};
use serde::Deserialize;

use super::{DashboardState, Owner, page::scroll};
use crate::{
    domain::location::Places,
    error::AppError,
    storage::{items::ItemRow, locations::TransferRow},
};

/// The location filter's select, for a shop with several locations.
pub fn filter(places: &Places, current: Option<i64>) -> Markup {
    html! {
        @if places.several() {
            label { "Location "
                select name="location" {
                    option value="" selected[current.is_none()] { "All locations" }
                    @for l in &places.all {
                        option value=(l.name) selected[current == Some(l.id)] { (l.name) }
                    }
                }
            }
        }
    }
}

/// "Main Street 5 · Warehouse 10", and what is on its way, under a count.
pub fn breakdown(places: &Places, row: &ItemRow, incoming: i64) -> Markup {
    let split = row.split();
    html! {
        @if places.several() && !split.is_empty() {
            br; small.note {
                @for (i, (l, q)) in split.iter().enumerate() {
                    @if i > 0 { " · " }
                    (places.name(*l)) " " (q)
                }
            }
        }
        @if incoming > 0 {
            br; small.note { "+" (incoming) " in transit" }
        }
    }
}

/// The item's quantity as the page shows it: at the chosen location, or in all.
pub fn shown(row: &ItemRow, location: Option<i64>) -> i64 {
    let Some(at) = location else {
        return row.quantity;
    };
    row.at(at)
}

/// Transfers on their way, each with a "Received" button.
pub fn in_transit(places: &Places, open: &[TransferRow], csrf: &str) -> Markup {
    html! {
        @if !open.is_empty() {
            h2 id="in-transit" { "In transit" }
            (scroll(html! { table.stack {
                thead { tr { th { "Transfer" } th { "Item" } th.num { "Still to come" } th { "From → to" } th { "" } } }
                tbody {
                    @for t in open {
                        tr {
                            td data-label="Transfer" { (t.reference) }
                            td data-label="Item" { a href=(format!("/items/{}", t.item_id)) { (t.item) } }
                            td.num data-label="Still to come" { (t.quantity - t.received) " of " (t.quantity) }
                            td data-label="From → to" { (places.name(t.from_location)) " → " (places.name(t.to_location)) }
                            td {
                                form method="post" action=(format!("/transfers/{}/receive", t.id)) {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button type="submit" { "Received" }
                                }
                            }
                        }
                    }
                }
            } }))
        }
    }
}

#[derive(Deserialize)]
pub struct ReceiveForm {
    csrf: String,
}

/// `POST /transfers/{id}/receive`: all that is still on its way arrived.
pub async fn receive(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
    Form(f): Form<ReceiveForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    let actor = format!("owner:{}", owner.phone);
    let t = s.shop.receive_transfer(id, None, &actor).await?;
    let to = format!("/inventory?received={}", t.reference);
    Ok(Redirect::to(&to).into_response())
}
