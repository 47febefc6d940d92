//! Orders: by status, with buttons that move them along. Cancelling asks
//! first, since it puts the stock back and tells the customer.

use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};
use serde::Deserialize;

use super::{
    DashboardState, Owner,
    page::{Nav, frame_at, scroll, when},
};
use crate::{
    domain::{money, order::OrderStatus},
    error::AppError,
    ops::OrderView,
    storage::orders,
};

#[derive(Deserialize)]
pub struct OrdersQuery {
    status: Option<String>,
}

pub async fn page(
    State(s): State<DashboardState>,
    owner: Owner,
    Query(q): Query<OrdersQuery>,
) -> Result<Response, AppError> {
    let status = q.status.and_then(|st| st.parse::<OrderStatus>().ok());
    let rows = orders::search(&s.shop.db, status, None, 200, 0).await?;
    let mut list = Vec::new();
    for o in rows.into_iter().take(200) {
        let lines = orders::lines(&s.shop.db, o.id).await?;
        list.push(OrderView::new(o, lines));
    }
    let tz = s.shop.prefs.get().time_zone;
    let body = html! {
        nav.filters aria-label="Order status" {
            a href="/orders" aria-current=[status.is_none().then_some("page")] { "All" }
            @for st in OrderStatus::ALL {
                a href=(format!("/orders?status={st}")) aria-current=[(status == Some(st)).then_some("page")] { (st.words()) }
            }
        }
        @if list.is_empty() { p.note { "No orders here yet. Customers order by writing \"I'd like 2 hammers\"." } }
        @else {
            (scroll(html! { table.stack {
                thead { tr { th { "Order" } th { "Customer" } th { "Items" } th { "Status" } th { "Next" } } }
                tbody {
                    @for o in &list {
                        tr {
                            td { a href=(format!("/orders/{}", o.id)) { "#" (o.number) } br; small.note { (when(o.created_at, &tz)) } }
                            td data-label="Customer" { a href=(format!("/conversations/{}", o.contact)) { (o.contact) } }
                            td data-label="Items" { @for l in &o.lines { (l.quantity) " × " (l.name) br; } }
                            td { span class=(format!("badge {}", o.status)) { (o.status.words()) } }
                            td { (actions(o, &owner.csrf)) }
                        }
                    }
                }
            } }))
        }
    };
    Ok(frame_at(Nav::Orders, "Orders", Some(&owner), body).into_response())
}

/// The order's next steps as verbs; cancelling goes to a confirmation page.
fn actions(o: &OrderView, csrf: &str) -> Markup {
    html! {
        div.row {
            @for next in o.status.allowed_next() {
                @if *next == OrderStatus::Cancelled {
                    a.button.danger href=(format!("/orders/{}?cancel=1", o.id)) { (next.action()) }
                } @else {
                    form method="post" action=(format!("/orders/{}/status", o.id)) class="inline" {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="status" value=(next);
                        button type="submit" aria-label=(format!("{} order #{}", next.action(), o.number)) { (next.action()) }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct StatusForm {
    csrf: String,
    status: String,
}

pub async fn set_status(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    let moves = OrderStatus::Placed.allowed_next();
    let Some(status) = f.status.parse().ok().filter(|st| moves.contains(st)) else {
        return Err(AppError::field(
            "status",
            format!("must be {}", OrderStatus::list(moves)),
        ));
    };
    s.shop
        .set_order_status(id, status, &format!("owner:{}", owner.phone))
        .await?;
    Ok(Redirect::to(&format!("/orders/{id}?moved={status}")).into_response())
}

#[derive(Deserialize)]
pub struct OrderQuery {
    cancel: Option<u8>,
    moved: Option<String>,
}

/// One order: its lines, totals, where it came from, and its next steps.
pub async fn order(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
    Query(q): Query<OrderQuery>,
) -> Result<Response, AppError> {
    let o = OrderView::load(&s.shop.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such order".into()))?;
    let prefs = s.shop.prefs.get();
    let currency = o.currency.clone().unwrap_or(prefs.currency);
    let price = |minor: Option<i64>| {
        minor
            .map(|p| money::format(p, &currency))
            .unwrap_or_default()
    };
    let total: Option<i64> = o
        .lines
        .iter()
        .map(|l| l.price_minor.map(|p| p * l.quantity))
        .sum();
    let moved = q.moved.and_then(|m| m.parse::<OrderStatus>().ok());
    let asking = q.cancel.is_some() && o.status.allowed_next().contains(&OrderStatus::Cancelled);
    let body = html! {
        @if let Some(m) = moved { p.saved role="status" { "✓ Order #" (o.number) " is now " (m.words()) "." } }
        @if asking {
            div.card role="alertdialog" aria-labelledby="cancel-q" {
                p id="cancel-q" { strong { "Cancel order #" (o.number) "?" } }
                p { "The stock goes back on the shelf and " (o.contact) " is told the order was cancelled." }
                div.row {
                    form method="post" action=(format!("/orders/{}/status", o.id)) class="inline" {
                        input type="hidden" name="csrf" value=(owner.csrf);
                        input type="hidden" name="status" value=(OrderStatus::Cancelled);
                        button.danger type="submit" { "Yes, cancel the order" }
                    }
                    a.button.secondary href=(format!("/orders/{}", o.id)) { "No, keep it" }
                }
            }
        }
        dl {
            dt { "Customer" } dd { a href=(format!("/conversations/{}", o.contact)) { (o.contact) } " (their messages)" }
            dt { "Placed" } dd { (when(o.created_at, &prefs.time_zone)) " via " (o.source) }
            dt { "Status" } dd { span class=(format!("badge {}", o.status)) { (o.status.words()) } }
        }
        (scroll(html! { table {
            thead { tr { th { "Item" } th.num { "Quantity" } th.num { "Unit price" } th.num { "Line total" } } }
            tbody { @for l in &o.lines { tr {
                td { a href=(format!("/items/{}", l.item_id)) { (l.name) } } td.num { (l.quantity) }
                td.num { (price(l.price_minor)) }
                td.num { (price(l.price_minor.map(|p| p * l.quantity))) }
            } } }
        } }))
        @if let Some(t) = total { p { "Total: " strong { (money::format(t, &currency)) } } }
        @if !asking { (actions(&o, &owner.csrf)) }
        p { a href="/orders" { "← All orders" } }
    };
    Ok(frame_at(
        Nav::Orders,
        &format!("Order #{}", o.number),
        Some(&owner),
        body,
    )
    .into_response())
}
