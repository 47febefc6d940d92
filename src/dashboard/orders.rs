//! Orders: by status, with buttons that move them along.

use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::html;
use serde::Deserialize;

use super::{DashboardState, Owner, page::frame};
use crate::{domain::order::OrderStatus, error::AppError, ops::OrderView, storage::orders};

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
    let body = html! {
        nav aria-label="Order status" {
            a href="/orders" { "all" } " · "
            @for st in OrderStatus::ALL {
                a href=(format!("/orders?status={st}")) { (st) } " · "
            }
        }
        @if list.is_empty() { p.note { "No orders yet. Customers order by writing \"I'd like 2 hammers\"." } }
        @else {
            table {
                thead { tr { th { "Order" } th { "Customer" } th { "Items" } th { "Status" } th { "Move to" } } }
                tbody {
                    @for o in &list {
                        tr {
                            td { a href=(format!("/orders/{}", o.id)) { "#" (o.number) } }
                            td { (o.contact) }
                            td { @for l in &o.lines { (l.quantity) " × " (l.name) br; } }
                            td { (o.status) }
                            td {
                                @for next in o.status.allowed_next() {
                                    form method="post" action=(format!("/orders/{}/status", o.id)) class="inline" {
                                        input type="hidden" name="csrf" value=(owner.csrf);
                                        input type="hidden" name="status" value=(next);
                                        button type="submit" { (next) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(frame("Orders", Some(&owner), body).into_response())
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
    Ok(Redirect::to("/orders").into_response())
}

/// One order: its lines, totals, where it came from, and its next steps.
pub async fn order(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let o = OrderView::load(&s.shop.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such order".into()))?;
    let tz = &s.shop.settings.shop.time_zone;
    let total: Option<i64> = o
        .lines
        .iter()
        .map(|l| l.price_minor.map(|p| p * l.quantity))
        .sum();
    let body = html! {
        dl {
            dt { "Customer" } dd { a href=(format!("/conversations/{}", o.contact)) { (o.contact) } }
            dt { "Placed" } dd { (super::page::when(o.created_at, tz)) " via " (o.source) }
            dt { "Status" } dd { strong { (o.status) } }
        }
        table {
            thead { tr { th { "Item" } th { "Quantity" } th { "Unit price (cents)" } } }
            tbody { @for l in &o.lines { tr {
                td { a href=(format!("/items/{}", l.item_id)) { (l.name) } } td { (l.quantity) }
                td { (l.price_minor.map(|p| p.to_string()).unwrap_or_default()) }
            } } }
        }
        @if let Some(t) = total { p { "Total: " (t) " cents" (o.currency.as_deref().map(|c| format!(" ({c})")).unwrap_or_default()) } }
        @for next in o.status.allowed_next() {
            form method="post" action=(format!("/orders/{}/status", o.id)) class="inline" {
                input type="hidden" name="csrf" value=(owner.csrf);
                input type="hidden" name="status" value=(next);
                button type="submit" { (next) }
            }
        }
    };
    Ok(frame(&format!("Order #{}", o.number), Some(&owner), body).into_response())
}
