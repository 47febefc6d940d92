//! The page frame: one small stylesheet, readable on a phone, no scripts.
//! The stylesheet is a file of its own (`/assets/app.css`) so the Content
//! Security Policy can forbid every inline style and script.

use axum::{http::header, response::IntoResponse};
use maud::{DOCTYPE, Markup, html};

use super::Owner;

pub const STYLE: &str = include_str!("assets/app.css");

/// `GET /assets/app.css`.
pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
}

/// A page; with a signed-in owner it shows the menu and sign-out.
pub fn frame(title: &str, owner: Option<&Owner>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · backroom" }
                link rel="stylesheet" href="/assets/app.css";
            }
            body {
                header {
                    strong { "backroom" }
                    @if let Some(owner) = owner {
                        nav {
                            a href="/" { "Inventory" } " "
                            a href="/orders" { "Orders" } " "
                            a href="/conversations" { "Conversations" } " "
                            @if owner.sandbox { a href="/sandbox" { "Sandbox" } " " }
                            a href="/developer" { "Developer" } " "
                            a href="/settings" { "Settings" } " "
                            a href="/docs" { "API" }
                        }
                        form method="post" action="/logout" {
                            input type="hidden" name="csrf" value=(owner.csrf);
                            button type="submit" { "Sign out" }
                        }
                    }
                }
                @if owner.is_some_and(|o| o.token_rejected) {
                    p.alert role="alert" {
                        "⚠️ WhatsApp rejected the access token (error 190). Replies are held until "
                        code { "WHATSAPP_ACCESS_TOKEN" } " is fixed."
                    }
                }
                main { h1 { (title) } (body) }
            }
        }
    }
}

/// A conversation, oldest first, with WhatsApp-style ticks on what we sent.
pub fn thread(who: &str, messages: &[crate::storage::log::LogRow]) -> Markup {
    html! {
        section aria-label="Conversation" {
            @if messages.is_empty() { p.note { "No messages with " (who) " yet." } }
            @for m in messages {
                div class=(format!("msg {}", m.direction)) {
                    (m.text.as_deref().unwrap_or(&m.kind))
                    @if m.direction == "out" { " " small.note title=(m.status) { (ticks(&m.status)) } }
                }
            }
        }
    }
}

/// WhatsApp-style delivery ticks for a stored status.
fn ticks(status: &str) -> &'static str {
    use crate::domain::message::OutboundStatus as S;
    match S::parse(status) {
        Some(S::Queued) => "🕓",
        Some(S::Accepted | S::Sent) => "✓",
        Some(S::Delivered) => "✓✓",
        Some(S::Read | S::Played) => "✓✓ read",
        Some(S::Failed) => "⚠ failed",
        Some(S::Held) => "⏳ held",
        Some(S::Sandbox) => "sandbox",
        _ => "",
    }
}

/// A time in the shop's zone: `2026-11-22 11:41`.
pub fn when(ms: i64, tz: &str) -> String {
    let zone = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned(zone).strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}
