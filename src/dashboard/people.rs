//! Conversations (everyone who wrote, with their last message) and Settings
//! (who is staff or owner, and how the shop is configured).

use axum::{
    Form,
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use maud::html;
use serde::Deserialize;

use super::{
    DashboardState, Owner,
    page::{frame, thread, when},
};
use crate::{
    config::LlmProvider,
    error::AppError,
    storage::{
        contacts::{self, Role},
        held, log,
    },
};

pub async fn conversations(
    State(s): State<DashboardState>,
    owner: Owner,
) -> Result<Response, AppError> {
    let people = contacts::list(&s.shop.db, None).await?;
    let held = held::count(&s.shop.db).await?;
    let tz = &s.shop.settings.shop.time_zone;
    let body = html! {
        @if held > 0 {
            p role="status" {
                "⏳ " (held) " message(s) wait for their recipient to write: WhatsApp lets the shop write first "
                "only within 24 hours of a person's last message. Set " code { "TEMPLATE_ALERT" } ", "
                code { "TEMPLATE_ORDER_UPDATE" } " and " code { "TEMPLATE_LOGIN_CODE" }
                " to approved templates to reach people outside that window."
            }
        }
        @if people.is_empty() { p.note { "Nobody has written yet." } }
        @else {
            table {
                thead { tr { th { "Number" } th { "Name" } th { "Role" } th { "Last message (" (tz) ")" } } }
                tbody { @for p in &people { tr {
                    td { a href=(format!("/conversations/{}", p.wa_id)) { (p.wa_id) } }
                    td { (p.profile_name.as_deref().unwrap_or("")) }
                    td { (p.role) }
                    td { (p.last_seen.map(|t| when(t, tz)).unwrap_or_default()) }
                } } }
            }
        }
    };
    Ok(frame("Conversations", Some(&owner), body).into_response())
}

/// One person's conversation, read-only: what they wrote and what the shop
/// answered, newest at the bottom.
pub async fn conversation(
    State(s): State<DashboardState>,
    owner: Owner,
    axum::extract::Path(wa_id): axum::extract::Path<String>,
) -> Result<Response, AppError> {
    let contact = contacts::get(&s.shop.db, &wa_id)
        .await?
        .ok_or_else(|| AppError::NotFound("nobody with that number has written".into()))?;
    let mut messages = log::page(&s.shop.db, Some(&contact.wa_id), 100, 0).await?;
    messages.truncate(100);
    messages.reverse();
    let title = match &contact.profile_name {
        Some(name) => format!("{name} ({})", contact.wa_id),
        None => contact.wa_id.clone(),
    };
    let body = html! {
        p.note { (contact.role) " · the latest 100 messages, oldest first" }
        (thread(&contact.wa_id, &messages))
    };
    Ok(frame(&title, Some(&owner), body).into_response())
}

pub async fn settings(State(s): State<DashboardState>, owner: Owner) -> Result<Response, AppError> {
    let cfg = &s.shop.settings;
    let staff = contacts::list(&s.shop.db, Some(Role::Staff)).await?;
    let owners = contacts::list(&s.shop.db, Some(Role::Owner)).await?;
    let llm = match &cfg.llm.provider {
        LlmProvider::None => "none: the rule parser reads every message".to_string(),
        LlmProvider::Gemini { model, .. } => format!("Gemini ({model}), rules as fallback"),
        LlmProvider::OpenAi { model, base, .. } => {
            format!("OpenAI-compatible {base} ({model}), rules as fallback")
        }
    };
    let body = html! {
        dl {
            dt { "WhatsApp" } dd { @if cfg.whatsapp.sandbox() { "sandbox mode: replies are stored, not sent (no WHATSAPP_ACCESS_TOKEN)" } @else { "connected" } }
            dt { "Understanding" } dd { (llm) }
            dt { "Default low-stock threshold" } dd { (cfg.shop.default_low_stock_threshold) " (DEFAULT_LOW_STOCK_THRESHOLD)" }
            dt { "Time zone" } dd { (cfg.shop.time_zone) " (TZ)" }
        }
        h2 { "Owners" }
        ul { @for p in &owners { li { (p.wa_id) " " (p.profile_name.as_deref().unwrap_or("")) } } }
        h2 { "Staff" }
        ul { @for p in &staff { li {
            (p.wa_id) " " (p.profile_name.as_deref().unwrap_or("")) " "
            form method="post" action="/settings/staff" class="inline" {
                input type="hidden" name="csrf" value=(owner.csrf);
                input type="hidden" name="phone" value=(p.wa_id);
                input type="hidden" name="role" value="customer";
                button type="submit" aria-label=(format!("Remove {} from staff", p.wa_id)) { "Remove" }
            }
        } } }
        form method="post" action="/settings/staff" {
            input type="hidden" name="csrf" value=(owner.csrf);
            input type="hidden" name="role" value="staff";
            label { "Add a staff number " input name="phone" type="tel" required placeholder="27825550101"; }
            button type="submit" { "Add staff" }
        }
    };
    Ok(frame("Settings", Some(&owner), body).into_response())
}

#[derive(Deserialize)]
pub struct StaffForm {
    csrf: String,
    phone: String,
    role: String,
}

pub async fn set_staff(
    State(s): State<DashboardState>,
    owner: Owner,
    Form(f): Form<StaffForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    let phone = crate::config::normalise_phone(&f.phone).ok_or_else(|| {
        AppError::field("phone", "must be a phone number in international format")
    })?;
    let role = match f.role.as_str() {
        "staff" => Role::Staff,
        "customer" => Role::Customer,
        _ => return Err(AppError::field("role", "must be staff or customer")),
    };
    contacts::set_role(&s.shop.db, &phone, role).await?;
    Ok(Redirect::to("/settings").into_response())
}
