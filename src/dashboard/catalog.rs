//! The Settings page's "Catalogue" section: how many updates wait for Meta,
//! which failed and why, and the buttons that pull the catalogue's products
//! in and push every item out again.

use axum::{
    Form, Router,
    extract::State,
    response::{IntoResponse, Redirect, Response},
    routing::post,
};
use maud::{Markup, html};
use serde::Deserialize;

use super::{DashboardState, Owner, page::frame};
use crate::{error::AppError, ops::catalog, storage::catalog_sync};

/// The buttons' routes, added to the dashboard's router.
pub fn routes(router: Router<DashboardState>) -> Router<DashboardState> {
    router
        .route("/settings/catalog/pull", post(pull))
        .route("/settings/catalog/push", post(push))
}

/// The section, for the Settings page.
pub async fn section(s: &DashboardState, owner: &Owner) -> Result<Markup, AppError> {
    let cfg = &s.shop.settings;
    let Some(id) = cfg.catalog.id.as_deref() else {
        return Ok(html! {
            h2 { "Catalogue" }
            p.note { "Off: set " code { "WHATSAPP_CATALOG_ID" } " to keep the WhatsApp catalogue's \
                availability, counts and prices in step with the stock." }
        });
    };
    let (pending, failed, trouble) = catalog_sync::overview(&s.shop.db, 50).await?;
    Ok(html! {
        h2 { "Catalogue" }
        dl id="catalog-sync" {
            dt { "Catalogue" } dd { code { (id) } @if cfg.whatsapp.sandbox() { " (sandbox mode: updates are recorded, not sent)" } }
            dt { "Waiting to be sent" } dd id="catalog-pending" { (pending) }
            dt { "Failed" } dd id="catalog-failed" { (failed) }
        }
        @if !trouble.is_empty() {
            table id="catalog-trouble" {
                thead { tr { th { "Item" } th { "SKU" } th { "State" } th { "Attempts" } th { "Last error" } } }
                tbody { @for t in &trouble { tr {
                    td data-label="Item" { (t.name) }
                    td data-label="SKU" { (t.sku.as_deref().unwrap_or("")) }
                    td data-label="State" { (t.status) }
                    td data-label="Attempts" { (t.attempts) }
                    td data-label="Last error" { (t.last_error.as_deref().unwrap_or("")) }
                } } }
            }
        }
        form.inline method="post" action="/settings/catalog/pull" {
            input type="hidden" name="csrf" value=(owner.csrf);
            button.secondary type="submit" { "Pull products from the catalogue" }
        }
        " "
        form.inline method="post" action="/settings/catalog/push" {
            input type="hidden" name="csrf" value=(owner.csrf);
            button type="submit" { "Push everything now" }
        }
    })
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /settings/catalog/pull`: imports the catalogue's products as items.
async fn pull(
    State(s): State<DashboardState>,
    owner: Owner,
    Form(f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    let currency = s.shop.prefs.get().currency;
    let body = match catalog::pull(&s.shop.db, &s.shop.settings, &currency).await {
        Ok(p) => html! {
            p id="catalog-pulled" role="status" {
                "Pulled the catalogue: " (p.created) " items created, " (p.updated) " updated, "
                (p.skipped.len()) " skipped."
            }
            @if !p.skipped.is_empty() { ul { @for why in &p.skipped { li { (why) } } } }
            p { a href="/settings" { "Back to the settings" } }
        },
        Err(e) => html! {
            p.error role="alert" { "Could not pull the catalogue: " (e) }
            p { a href="/settings" { "Back to the settings" } }
        },
    };
    Ok(frame("Catalogue pulled", Some(&owner), body).into_response())
}

/// `POST /settings/catalog/push`: queues every item with a SKU.
async fn push(
    State(s): State<DashboardState>,
    owner: Owner,
    Form(f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    catalog::push_all(&s.shop.db, &s.shop.settings)
        .await
        .map_err(|e| AppError::field("catalog", e.to_string()))?;
    s.shop.signals.wake_catalog();
    Ok(Redirect::to("/settings#catalog-sync").into_response())
}
