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

/// The menu's sections; the page's own is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Today,
    Inventory,
    Orders,
    Conversations,
    Sandbox,
    Developer,
    Settings,
    /// Sign-in and other pages outside the menu.
    None,
}

const MENU: [(Nav, &str, &str); 7] = [
    (Nav::Today, "/", "Today"),
    (Nav::Inventory, "/inventory", "Inventory"),
    (Nav::Orders, "/orders", "Orders"),
    (Nav::Conversations, "/conversations", "Conversations"),
    (Nav::Sandbox, "/sandbox", "Sandbox"),
    (Nav::Developer, "/developer", "Developer"),
    (Nav::Settings, "/settings", "Settings"),
];

/// A page outside the menu's sections.
pub fn frame(title: &str, owner: Option<&Owner>, body: Markup) -> Markup {
    frame_at(Nav::None, title, owner, body)
}

/// A page; with a signed-in owner it shows the menu, with `nav` marked, and sign-out.
pub fn frame_at(nav: Nav, title: &str, owner: Option<&Owner>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (owner.map(|o| o.shop_name.as_str()).unwrap_or("backroom")) }
                link rel="stylesheet" href="/assets/app.css";
            }
            body {
                header {
                    strong { (owner.map(|o| o.shop_name.as_str()).unwrap_or("backroom")) }
                    @if let Some(owner) = owner {
                        nav aria-label="Menu" {
                            @for (section, href, label) in MENU {
                                @if section != Nav::Sandbox || owner.sandbox {
                                    a href=(href) aria-current=[(section == nav).then_some("page")] { (label) }
                                }
                            }
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

/// A table that scrolls inside its own box when it is wider than a phone.
pub fn scroll(table: Markup) -> Markup {
    html! { div.scroll { (table) } }
}

/// A time in the shop's zone: `2026-11-22 11:41`.
pub fn when(ms: i64, tz: &str) -> String {
    let zone = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned(zone).strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}
