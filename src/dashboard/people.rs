//! Conversations: everyone who wrote, with their last message, and each
//! person's thread read-only, with what the parser made of every message.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use maud::html;

use super::{
    DashboardState, Owner,
    page::{Nav, frame_at, scroll, when},
    thread::{Taps, thread},
};
use crate::{
    error::AppError,
    storage::{contacts, held, log, orders},
};

pub async fn conversations(
    State(s): State<DashboardState>,
    owner: Owner,
) -> Result<Response, AppError> {
    let people = contacts::list(&s.shop.db, None).await?;
    let held = held::count(&s.shop.db).await?;
    let tz = s.shop.prefs.get().time_zone;
    let body = html! {
        @if held > 0 {
            p.saved role="status" {
                "⏳ " (held) " message(s) wait for their recipient to write: WhatsApp lets the shop write first "
                "only within 24 hours of a person's last message. Set " code { "TEMPLATE_ALERT" } ", "
                code { "TEMPLATE_ORDER_UPDATE" } " and " code { "TEMPLATE_LOGIN_CODE" }
                " to approved templates to reach people outside that window."
            }
        }
        @if people.is_empty() { p.note { "Nobody has written yet." } }
        @else {
            (scroll(html! { table {
                thead { tr { th { "Person" } th { "Role" } th.opt { "Last message (" (tz) ")" } } }
                tbody { @for p in &people { tr {
                    td {
                        a href=(format!("/conversations/{}", p.wa_id)) { (p.profile_name.as_deref().unwrap_or(&p.wa_id)) }
                        @if p.profile_name.is_some() { br; small.note { (p.wa_id) } }
                    }
                    td { (p.role) @if p.opted_out_at.is_some() { " " span.badge title="They wrote STOP: the shop writes to them only when they write first" { "🔕 opted out" } } }
                    td.opt { (p.last_seen.map(|t| when(t, &tz)).unwrap_or_default()) }
                } } }
            } }))
        }
    };
    Ok(frame_at(Nav::Conversations, "Conversations", Some(&owner), body).into_response())
}

/// One person's conversation, read-only: what they wrote, what the parser
/// made of it, what the shop answered (with ticks), and their orders.
pub async fn conversation(
    State(s): State<DashboardState>,
    owner: Owner,
    Path(wa_id): Path<String>,
) -> Result<Response, AppError> {
    let contact = contacts::get(&s.shop.db, &wa_id)
        .await?
        .ok_or_else(|| AppError::NotFound("nobody with that number has written".into()))?;
    let mut messages = log::thread(&s.shop.db, &contact.wa_id, 100).await?;
    messages.truncate(100);
    messages.reverse();
    let theirs = orders::list(&s.shop.db, Some(&contact.wa_id)).await?;
    let tz = s.shop.prefs.get().time_zone;
    let title = match &contact.profile_name {
        Some(name) => format!("{name} ({})", contact.wa_id),
        None => contact.wa_id.clone(),
    };
    let body = html! {
        @if let Some(at) = contact.opted_out_at {
            p.saved role="note" { "🔕 Opted out on " (when(at, &tz)) ": the shop writes to them only within 24 hours of their own message, never with a template. They can write START to opt back in." }
        }
        p.note { (contact.role) " · the latest 100 messages, oldest first · "
            a href="#latest" { "jump to the newest" } }
        @if !theirs.is_empty() {
            p { "Orders: "
                @for o in theirs.iter().take(20) {
                    a href=(format!("/orders/{}", o.id)) { "#" (o.number) " " (o.status) } " · "
                }
            }
        }
        (thread(&contact.wa_id, &messages, &tz, Taps::ReadOnly))
    };
    Ok(frame_at(Nav::Conversations, &title, Some(&owner), body).into_response())
}
