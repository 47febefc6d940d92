//! The Developer page: API tokens (shown once) and webhooks (add, test, delete).

use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::html;
use serde::Deserialize;

use super::{
    DashboardState, Owner,
    page::{Nav, frame_at, scroll},
};
use crate::{
    api::{auth, subscriptions::checked as webhook_fields, tokens::checked as token_fields},
    domain::event::WebhookTest,
    error::AppError,
    events::sign,
    storage::{self, subscriptions, tokens},
};

pub async fn page(State(s): State<DashboardState>, owner: Owner) -> Result<Response, AppError> {
    let tokens = tokens::list(&s.shop.db).await?;
    let hooks = subscriptions::list(&s.shop.db).await?;
    let csrf = &owner.csrf;
    let body = html! {
        p { "The REST API and its reference: " a href="/docs" { "/docs" } " (OpenAPI: " a href="/api/v1/openapi.json" { "/api/v1/openapi.json" } ")." }
        h2 { "API tokens" }
        form method="post" action="/developer/tokens" {
            input type="hidden" name="csrf" value=(csrf);
            label { "Name " input name="name" required maxlength="100"; }
            label { "Scope "
                select name="scope" { option value="read" { "read" } option value="write" { "write" } option value="admin" { "admin" } }
            }
            button type="submit" { "Create token" }
        }
        (scroll(html! { table {
            thead { tr { th { "Name" } th { "Token" } th { "Scopes" } th { "State" } th {} } }
            tbody {
                @for t in &tokens {
                    tr {
                        td { (t.name) } td { code { (t.prefix) "…" } } td { (t.scopes) }
                        td { @if t.revoked_at.is_some() { "revoked" } @else { "live" } }
                        td { @if t.revoked_at.is_none() {
                            form method="post" action=(format!("/developer/tokens/{}/revoke", t.id)) {
                                input type="hidden" name="csrf" value=(csrf);
                                button type="submit" aria-label=(format!("Revoke {}", t.name)) { "Revoke" }
                            }
                        } }
                    }
                }
            }
        } }))
        h2 { "Webhooks" }
        form method="post" action="/developer/webhooks" {
            input type="hidden" name="csrf" value=(csrf);
            label { "Name " input name="name" required maxlength="100"; }
            label { "URL " input name="url" type="url" required placeholder="https://example.com/hooks/backroom"; }
            label { "Events " input name="events" required value="*" aria-describedby="events-help"; }
            small id="events-help" { "Comma-separated: order.created, order.*, stock.low or *" }
            button type="submit" { "Add webhook" }
        }
        (scroll(html! { table {
            thead { tr { th { "Name" } th { "URL" } th { "Events" } th { "State" } th {} } }
            tbody {
                @for w in &hooks {
                    tr {
                        td { a href=(format!("/developer/webhooks/{}", w.id)) { (w.name) } } td { (w.url) } td { (w.events) }
                        td { @if w.active == 1 { "active" } @else { "off: " (w.disabled_reason.as_deref().unwrap_or("")) } }
                        td {
                            form method="post" action=(format!("/developer/webhooks/{}/test", w.id)) class="inline" {
                                input type="hidden" name="csrf" value=(csrf);
                                button type="submit" aria-label=(format!("Test {}", w.name)) { "Test" }
                            }
                            form method="post" action=(format!("/developer/webhooks/{}/delete", w.id)) class="inline" {
                                input type="hidden" name="csrf" value=(csrf);
                                button type="submit" aria-label=(format!("Delete {}", w.name)) { "Delete" }
                            }
                        }
                    }
                }
            }
        } }))
    };
    Ok(frame_at(Nav::Developer, "Developer", Some(&owner), body).into_response())
}

#[derive(Deserialize)]
pub struct TokenForm {
    csrf: String,
    name: String,
    scope: String,
}

pub async fn create_token(
    State(s): State<DashboardState>,
    owner: Owner,
    Form(f): Form<TokenForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    let (name, scopes) = token_fields(&f.name, &[f.scope])?;
    let new = auth::create(&s.shop.db, &name, &scopes).await?;
    let body = html! {
        p { "Your new token " strong { (new.row.name) } " (" (new.row.scopes) "). Copy it now: it is not shown again." }
        p { code id="new-token" { (new.token) } }
        p { a href="/developer" { "Back to Developer" } }
    };
    Ok(frame_at(Nav::Developer, "Token created", Some(&owner), body).into_response())
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn revoke_token(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    tokens::revoke(&s.shop.db, id, storage::now_ms()).await?;
    Ok(Redirect::to("/developer").into_response())
}

#[derive(Deserialize)]
pub struct WebhookForm {
    csrf: String,
    name: String,
    url: String,
    events: String,
}

pub async fn add_webhook(
    State(s): State<DashboardState>,
    owner: Owner,
    Form(f): Form<WebhookForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    let fields = webhook_fields(
        &s.shop.settings.webhooks,
        subscriptions::SubscriptionFields {
            name: f.name,
            url: f.url,
            description: None,
            events: f
                .events
                .split(',')
                .map(|e| e.trim().to_string())
                .filter(|e| !e.is_empty())
                .collect(),
            active: true,
            ordered: false,
        },
    )?;
    let secret = sign::new_secret();
    let row = subscriptions::create(
        &s.shop.db,
        &s.shop.keys,
        &fields,
        &secret,
        storage::now_ms(),
    )
    .await?;
    let body = html! {
        p { "Webhook " strong { (row.name) } " sends to " (row.url) ". Its signing secret, shown only now:" }
        p { code id="new-secret" { (secret) } }
        p { a href="/developer" { "Back to Developer" } }
    };
    Ok(frame_at(Nav::Developer, "Webhook added", Some(&owner), body).into_response())
}

pub async fn test_webhook(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    let sub = subscriptions::get(&s.shop.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such webhook".into()))?;
    let sent = s
        .deliverer
        .test(
            &sub,
            crate::domain::event::Event::WebhookTest(WebhookTest::plain()),
        )
        .await?;
    let body = html! {
        p id="test-result" { "The endpoint answered "
            strong { (sent.status_code.map_or("nothing".to_string(), |c| c.to_string())) }
            " in " (sent.latency_ms) " ms." @if let Some(e) = &sent.error { " " (e) } }
        p { "Signed string (" code { "{id}.{timestamp}.{body}" } "):" }
        pre { (sent.signed_content) }
        p { "webhook-signature: " code { (sent.webhook_signature) } }
        p { a href="/developer" { "Back to Developer" } }
    };
    Ok(frame_at(Nav::Developer, "Webhook test", Some(&owner), body).into_response())
}

pub async fn delete_webhook(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    subscriptions::delete(&s.shop.db, id).await?;
    Ok(Redirect::to("/developer").into_response())
}

/// One webhook: edit it, and its delivery log with a retry button per attempt.
#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<u8>,
}

pub async fn webhook_page(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Result<Response, AppError> {
    let w = subscriptions::get(&s.shop.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such webhook".into()))?;
    let mut log = storage::attempts::log(&s.shop.db, id, 100, 0).await?;
    log.truncate(100);
    let tz = &s.shop.prefs.get().time_zone;
    let csrf = &owner.csrf;
    let body = html! {
        @if q.saved.is_some() { p.saved role="status" { "✓ Saved." } }
        form method="post" action=(format!("/developer/webhooks/{id}/edit")) {
            input type="hidden" name="csrf" value=(csrf);
            label { "URL " input name="url" type="url" required value=(w.url); }
            label { "Events " input name="events" required value=(w.events.replace(' ', ", ")); }
            label { input type="checkbox" name="active" value="1" checked[w.active == 1]; " Active" }
            button type="submit" { "Save" }
        }
        @if let Some(why) = &w.disabled_reason { p role="alert" { "Turned off: " (why) } }
        h2 { "Delivery log" }
        @if log.is_empty() { p.note { "No attempts yet." } }
        @else {
            (scroll(html! { table {
                thead { tr { th { "When (" (tz) ")" } th { "Event" } th { "Answer" } th.opt { "ms" } th {} } }
                tbody { @for a in &log { tr {
                    td { (super::page::when(a.at, tz)) }
                    td { (a.event_type) " #" (a.attempt) }
                    td { (a.status_code.map(|c| c.to_string()).unwrap_or_else(|| a.error.clone().unwrap_or_default())) }
                    td.opt { (a.latency_ms) }
                    td { @if a.delivery_id > 0 {
                        form method="post" action=(format!("/developer/webhooks/{id}/retry/{}", a.id)) {
                            input type="hidden" name="csrf" value=(csrf);
                            button type="submit" { "Retry" }
                        }
                    } }
                } } }
            } }))
        }
    };
    Ok(frame_at(
        Nav::Developer,
        &format!("Webhook {}", w.name),
        Some(&owner),
        body,
    )
    .into_response())
}

#[derive(Deserialize)]
pub struct EditForm {
    csrf: String,
    url: String,
    events: String,
    active: Option<String>,
}

pub async fn edit_webhook(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(id): Path<i64>,
    Form(f): Form<EditForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    let w = subscriptions::get(&s.shop.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such webhook".into()))?;
    let fields = webhook_fields(
        &s.shop.settings.webhooks,
        subscriptions::SubscriptionFields {
            name: w.name,
            url: f.url,
            description: w.description,
            events: f
                .events
                .split(',')
                .map(|e| e.trim().to_string())
                .filter(|e| !e.is_empty())
                .collect(),
            active: f.active.is_some(),
            ordered: w.ordered == 1,
        },
    )?;
    subscriptions::update(&s.shop.db, id, &fields, storage::now_ms()).await?;
    s.shop.signals.wake_events();
    Ok(Redirect::to(&format!("/developer/webhooks/{id}?saved=1")).into_response())
}

pub async fn retry(
    State(s): State<DashboardState>,
    owner: Owner,
    Path((id, attempt)): Path<(i64, i64)>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    storage::attempts::requeue(&s.shop.db, id, Some(attempt), None, storage::now_ms()).await?;
    s.shop.signals.wake_events();
    Ok(Redirect::to(&format!("/developer/webhooks/{id}")).into_response())
}
