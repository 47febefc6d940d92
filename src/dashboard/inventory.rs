//! The inventory page: search, sort, low stock highlighted, thresholds edited in place.

use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::html;
use serde::Deserialize;

use super::{
    DashboardState, Owner,
    page::{Nav, frame_at, scroll},
    places,
};
use crate::{
    domain::money,
    error::AppError,
    storage::{self, catalogue},
};

#[derive(Deserialize)]
pub struct InventoryQuery {
    q: Option<String>,
    sort: Option<String>,
    /// The item just saved, for the "Saved" note.
    saved: Option<i64>,
    /// A location's name: its stock only.
    location: Option<String>,
    /// A transfer just received, for the note.
    received: Option<String>,
    /// Which page of `PAGE` items, from 1.
    page: Option<i64>,
}

/// Items per page: by name, a page reads its hundred rows from the name index
/// whatever the catalogue's size (sorting by quantity sorts the whole list).
const PAGE: i64 = 100;

pub async fn page(
    State(s): State<DashboardState>,
    owner: Owner,
    Query(q): Query<InventoryQuery>,
) -> Result<Response, AppError> {
    let search =
        q.q.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 100);
    let prefs = s.shop.prefs.get();
    let default = prefs.default_threshold;
    let places = s.shop.places.as_ref();
    let at = q
        .location
        .as_deref()
        .and_then(|n| places.by_name(n))
        .map(|l| l.id);
    let sort = q.sort.as_deref().unwrap_or("name");
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let query = catalogue::Search {
        text: search,
        location: at,
        low_only: false,
        by_quantity: sort == "quantity",
        after: None,
    };
    let mut rows = catalogue::search(&s.shop.db, query, default, PAGE, (page - 1) * PAGE).await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    // The saved item may be on another page than the one shown.
    let saved = match q.saved {
        Some(id) => catalogue::get(&s.shop.db, id).await?,
        None => None,
    };
    let open = crate::storage::locations::transfers(&s.shop.db, Some(true), at, (200, 0)).await?;
    let incoming = |id: i64| -> i64 {
        open.iter()
            .filter(|t| t.item_id == id && at.is_none_or(|a| t.to_location == a))
            .map(|t| t.quantity - t.received)
            .sum()
    };
    // Still to come on open purchase orders, shown beside the stock.
    let on_order: std::collections::HashMap<i64, i64> =
        crate::storage::purchase_orders::on_order(&s.shop.db)
            .await?
            .into_iter()
            .collect();
    let reorderable = crate::storage::suppliers::reorderable(&s.shop.db).await?;
    let body = html! {
        @if let Some(r) = &saved {
            p.saved role="status" { "✓ Saved " (r.name) "." }
        }
        @if let Some(r) = q.received.as_deref().filter(|r| r.len() <= 20) {
            p.saved role="status" { "✓ Received " (r) "." }
        }
        form.row method="get" action="/inventory" {
            label { "Search " input type="search" name="q" value=(search.unwrap_or("")); }
            label { "Sort by "
                select name="sort" {
                    option value="name" selected[sort == "name"] { "name" }
                    option value="quantity" selected[sort == "quantity"] { "quantity" }
                }
            }
            (places::filter(places, at))
            button type="submit" { "Show" }
        }
        p { a href="/inventory.csv" { "Export CSV" } " · " a href="/import" { "Import CSV" } " · " a href="/counts" { "Stock counts" } " · " a href="/purchasing" { "Suppliers and purchase orders" } }
        @if rows.is_empty() && page > 1 {
            p.note { "No items on this page." }
            (pages(&q, page, false))
        } @else if rows.is_empty() {
            p.note { "No items yet. Staff add stock by writing \"Added 50 screws\" on WhatsApp — or try it in the " a href="/sandbox" { "sandbox" } "." }
        } @else {
            (scroll(html! { table {
                thead { tr { th { "Item" } th.num { "In stock" } th.opt { "SKU" } th.opt { "Unit" } th.opt { "Category" } th.opt { "Price (" (prefs.currency) ")" } th { "Alert at" } } }
                tbody {
                    @for r in &rows {
                        @let threshold = r.threshold.unwrap_or(default);
                        @let low = threshold > 0 && r.quantity <= threshold;
                        tr class=[low.then_some("low")] {
                            td { a href=(format!("/items/{}", r.id)) { (r.name) } @if low { " ⚠️" } }
                            td.num {
                                span.count { (places::shown(r, at)) }
                                (places::breakdown(places, r, incoming(r.id)))
                                @if let Some(n) = on_order.get(&r.id).filter(|n| **n > 0) {
                                    br; small.note { "+" (n) " on order" }
                                } @else if let Some(o) = reorderable.iter().find(|o| o.item_id == r.id && low) {
                                    form method="post" action=(format!("/items/{}/reorder", r.id)) {
                                        input type="hidden" name="csrf" value=(owner.csrf);
                                        button type="submit" { "Reorder " (o.reorder_qty) " from " (o.supplier) }
                                    }
                                }
                            }
                            // Inputs outside the form join it through `form=`, one form per row.
                            td.opt { input form=(format!("row-{}", r.id)) name="sku" size="10" maxlength="64" value=(r.sku.as_deref().unwrap_or("")) aria-label=(format!("SKU of {}", r.name)); }
                            td.opt { input form=(format!("row-{}", r.id)) name="unit" size="6" maxlength="20" value=(r.unit.as_deref().unwrap_or("")) aria-label=(format!("Unit of {}", r.name)); }
                            td.opt { input form=(format!("row-{}", r.id)) name="category" size="10" maxlength="40" placeholder="Other" value=(r.category.as_deref().unwrap_or("")) aria-label=(format!("Category of {}", r.name)); }
                            td.opt { input form=(format!("row-{}", r.id)) name="price" inputmode="decimal" size="8" value=(r.price_minor.map(|p| money::plain(p, &prefs.currency)).unwrap_or_default()) aria-label=(format!("Price of {} in {}", r.name, prefs.currency)); }
                            td {
                                form id=(format!("row-{}", r.id)) method="post" action=(format!("/items/{}", r.id)) {
                                    input type="hidden" name="csrf" value=(owner.csrf);
                                    label { span hidden { "Alert threshold for " (r.name) }
                                        input type="number" name="threshold" min="0" max="1000000" value=(threshold) aria-label=(format!("Alert threshold for {}", r.name));
                                    }
                                    button type="submit" { "Save" }
                                }
                            }
                        }
                    }
                }
            } }))
            (pages(&q, page, more))
        }
        (places::in_transit(places, &open, &owner.csrf))
    };
    Ok(frame_at(Nav::Inventory, "Inventory", Some(&owner), body).into_response())
}

/// "‹ Previous · Page 2 · Next ›", keeping the search, sort and location;
/// nothing when everything fits on one page.
fn pages(q: &InventoryQuery, page: i64, more: bool) -> maud::Markup {
    let link = |to: i64| {
        let mut url = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in [("q", &q.q), ("sort", &q.sort), ("location", &q.location)] {
            if let Some(v) = value {
                url.append_pair(key, v);
            }
        }
        url.append_pair("page", &to.to_string());
        format!("/inventory?{}", url.finish())
    };
    html! {
        @if page > 1 || more {
            nav.pages aria-label="Pages" {
                @if page > 1 { a href=(link(page - 1)) rel="prev" { "‹ Previous" } " · " }
                "Page " (page)
                @if more { " · " a href=(link(page + 1)) rel="next" { "Next ›" } }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct ThresholdForm {
    csrf: String,
    threshold: i64,
    sku: Option<String>,
    unit: Option<String>,
    category: Option<String>,
    /// In the shop's currency, as a person types it ("12.50").
    price: Option<String>,
}

pub async fn update(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
    Form(f): Form<ThresholdForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    if !(0..=1_000_000).contains(&f.threshold) {
        return Err(AppError::field(
            "threshold",
            "must be between 0 and 1000000",
        ));
    }
    let mut tx = s.shop.db.begin().await?;
    let row = catalogue::lock_id(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such item".into()))?;
    // Absent fields (an older form) keep their values; empty ones clear them.
    let text = |given: Option<String>, old: Option<String>| match given {
        Some(v) if v.trim().is_empty() => None,
        Some(v) => Some(v.trim().to_string()),
        None => old,
    };
    let currency = s.shop.prefs.get().currency;
    let price_minor = match f.price.as_deref().map(str::trim) {
        None => row.price_minor,
        Some("") => None,
        Some(p) => Some(
            money::parse(p, &currency)
                .filter(|p| (0..=1_000_000_000_000).contains(p))
                .ok_or_else(|| {
                    AppError::field(
                        "price",
                        format!("must be an amount in {currency}, such as 12.50"),
                    )
                })?,
        ),
    };
    let sku = text(f.sku, row.sku);
    if sku.as_deref().is_some_and(|s| {
        s.len() > 64
            || !s
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    }) {
        return Err(AppError::field(
            "sku",
            "may hold letters, digits, - _ and . only",
        ));
    }
    if catalogue::clash(&mut tx, None, sku.as_deref(), id)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict("another item has this SKU".into()));
    }
    let unit = text(f.unit, row.unit);
    if unit
        .as_deref()
        .is_some_and(|u| u.chars().count() > 20 || u.chars().any(char::is_control))
    {
        return Err(AppError::field(
            "unit",
            "must be at most 20 characters, without control characters",
        ));
    }
    let category = text(f.category, row.category);
    if category
        .as_deref()
        .is_some_and(|c| c.chars().count() > 40 || c.chars().any(char::is_control))
    {
        return Err(AppError::field(
            "category",
            "must be at most 40 characters, without control characters",
        ));
    }
    let fields = catalogue::ItemFields {
        name: row.name,
        unit,
        sku,
        threshold: Some(f.threshold),
        price_minor,
        pack_unit: row.pack_unit,
        pack_size: row.pack_size,
        category,
    };
    catalogue::update(&mut tx, id, &fields, storage::now_ms()).await?;
    crate::ops::catalog::note(&mut tx, &s.shop.settings, &[id], storage::now_ms());
    tx.commit().await?;
    s.shop.signals.wake_catalog();
    Ok(Redirect::to(&format!("/inventory?saved={id}")).into_response())
}

#[derive(Deserialize)]
pub struct ReorderForm {
    csrf: String,
}

/// The Reorder button: a purchase order to the item's supplier (with their
/// other low items not on order), sent at once.
pub async fn reorder(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
    Form(f): Form<ReorderForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    let actor = format!("owner:{}", owner.phone);
    let po = s.shop.reorder_item(id, &actor).await?;
    let to = format!("/inventory?ordered={}", po.reference);
    Ok(axum::response::Redirect::to(&to).into_response())
}
