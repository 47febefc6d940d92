//! Suppliers and purchase orders: who the shop buys from, what is on order,
//! and buttons to receive what came or cancel what will not.

use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::html;
use serde::Deserialize;

use super::{
    DashboardState, Owner,
    page::{Nav, frame_at, scroll, when},
};
use crate::{
    api::suppliers::{SupplierInput, fields},
    error::AppError,
    storage::{purchase_orders, suppliers},
};

#[derive(Deserialize)]
pub struct Note {
    /// What was just done ("PO-3 received"), for the note.
    done: Option<String>,
}

pub async fn page(
    State(s): State<DashboardState>,
    owner: Owner,
    Query(q): Query<Note>,
) -> Result<Response, AppError> {
    let db = &s.shop.db;
    let all = suppliers::list(db).await?;
    let orders = purchase_orders::search(db, None, None, 50, 0).await?;
    let mut shown = Vec::new();
    for po in orders.into_iter().take(50) {
        let lines = purchase_orders::lines(db, po.id).await?;
        shown.push(po.payload(&lines));
    }
    let tz = s.shop.prefs.get().time_zone;
    let body = html! {
        @if let Some(d) = q.done.as_deref().filter(|d| d.len() <= 40) {
            p.saved role="status" { "✓ " (d) "." }
        }
        h2 { "Purchase orders" }
        p.note { "Made from the low-stock alert's Reorder button, the Inventory page, " code { "reorder screws" } " on WhatsApp or the API. Staff write " code { "received PO-12" } " when goods arrive." }
        @if shown.is_empty() { p.note { "No purchase order yet." } }
        @else {
            (scroll(html! { table.stack {
                thead { tr { th { "Order" } th { "Supplier" } th { "Lines" } th { "Status" } th { "Made" } th { "" } } }
                tbody { @for po in &shown { tr {
                    td data-label="Order" { (po.reference) }
                    td data-label="Supplier" { (po.supplier.name) }
                    td data-label="Lines" {
                        @for (i, l) in po.lines.iter().enumerate() {
                            @if i > 0 { br; }
                            (l.quantity) " × " (l.name)
                            @if l.received > 0 && l.received < l.quantity { " (" (l.received) " came)" }
                        }
                    }
                    td data-label="Status" { (po.status.words()) }
                    td data-label="Made" { (when(po.created_at, &tz)) }
                    td {
                        @if po.status.is_open() {
                            form.row method="post" action=(format!("/purchase-orders/{}/receive", po.id)) {
                                input type="hidden" name="csrf" value=(owner.csrf);
                                button type="submit" { "Received all" }
                            }
                            form.row method="post" action=(format!("/purchase-orders/{}/cancel", po.id)) {
                                input type="hidden" name="csrf" value=(owner.csrf);
                                button.secondary type="submit" { "Cancel order" }
                            }
                        }
                    }
                } } }
            } }))
        }
        h2 { "Suppliers" }
        @if all.is_empty() { p.note { "No supplier yet. Add one below, then set an item's supplier and reorder quantity through the API." } }
        @else {
            (scroll(html! { table.stack {
                thead { tr { th { "Name" } th { "WhatsApp" } th { "Email" } th.num { "Lead time (days)" } } }
                tbody { @for sup in &all { tr {
                    td data-label="Name" { (sup.name) }
                    td data-label="WhatsApp" { (sup.wa_id) }
                    td data-label="Email" { (sup.email.as_deref().unwrap_or("—")) }
                    td.num data-label="Lead time (days)" { (sup.lead_time_days) }
                } } }
            } }))
        }
        h3 { "Add a supplier" }
        form.row method="post" action="/suppliers" {
            input type="hidden" name="csrf" value=(owner.csrf);
            label { "Name " input name="name" required maxlength="80"; }
            label { "WhatsApp number " input name="wa_id" required inputmode="tel" placeholder="+27 82 555 0177"; }
            label { "Email " input name="email" type="email" maxlength="254"; }
            label { "Lead time (days) " input name="lead_time_days" type="number" min="0" max="365" value="0"; }
            button type="submit" { "Add supplier" }
        }
    };
    Ok(frame_at(
        Nav::Inventory,
        "Suppliers and purchase orders",
        Some(&owner),
        body,
    )
    .into_response())
}

#[derive(Deserialize)]
pub struct NewSupplier {
    csrf: String,
    name: String,
    wa_id: String,
    email: Option<String>,
    lead_time_days: Option<i64>,
}

pub async fn add_supplier(
    State(s): State<DashboardState>,
    owner: Owner,
    Form(f): Form<NewSupplier>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    let input = SupplierInput {
        name: Some(f.name),
        wa_id: Some(f.wa_id),
        email: f.email.filter(|e| !e.trim().is_empty()),
        lead_time_days: f.lead_time_days,
    };
    s.shop.save_supplier(None, &fields(input, None)?).await?;
    Ok(Redirect::to("/purchasing?done=Supplier%20added").into_response())
}

#[derive(Deserialize)]
pub struct Csrf {
    csrf: String,
}

pub async fn receive(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
    Form(f): Form<Csrf>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    let actor = format!("owner:{}", owner.phone);
    let first = crate::domain::location::FIRST;
    let po = s
        .shop
        .receive_purchase_order(id, None, first, &actor)
        .await?;
    Ok(Redirect::to(&format!("/purchasing?done={}%20received", po.reference)).into_response())
}

pub async fn cancel(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
    Form(f): Form<Csrf>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    let actor = format!("owner:{}", owner.phone);
    let po = s.shop.cancel_purchase_order(id, &actor).await?;
    Ok(Redirect::to(&format!("/purchasing?done={}%20cancelled", po.reference)).into_response())
}
