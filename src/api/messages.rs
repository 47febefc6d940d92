//! `/api/v1/messages`: the conversation log, and sending.

use crate::domain::message::OutboundKind;
use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiState,
    auth::{Reader, Writer},
    extract::{Body, Check, Page, Paged, Params, wa_id},
};
use crate::{
    error::AppError,
    storage::{self, contacts, log},
};

/// WhatsApp lets a business write freely only within 24 hours of the
/// customer's last message; after that only approved templates.

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MessageView {
    /// `in` (from the contact) or `out` (from the shop).
    pub direction: String,
    pub id: i64,
    pub contact: Option<String>,
    /// `text`, `audio`, `interactive`, `template`, …
    pub kind: String,
    pub text: Option<String>,
    /// Inbound: `pending`, `done`, `failed`, `refused` (a malformed sender id; never
    /// processed). Outbound: `queued`, `accepted`, `sent`,
    /// `delivered`, `read`, `failed`, `sandbox`; `held` (outside the 24-hour window, sent
    /// when they next write) or `expired` (held too long).
    pub status: String,
    pub wamid: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageQuery {
    /// Only this contact's conversation.
    pub contact: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/messages", tag = "messages", params(MessageQuery, Page),
    responses((status = 200, body = Paged<MessageView>), (status = 422, body = super::ErrorBody)),
    security(("token" = ["read"])))]
/// The conversation log, newest first.
pub async fn list(
    _: Reader,
    State(s): State<ApiState>,
    Params(q): Params<MessageQuery>,
    Params(page): Params<Page>,
) -> Result<Json<Paged<MessageView>>, AppError> {
    let (limit, offset) = page.resolve()?;
    if q.contact.as_ref().is_some_and(|c| c.len() > 64) {
        return Err(AppError::field("contact", "must be at most 64 characters"));
    }
    let rows = log::page(&s.shop.db, q.contact.as_deref(), limit, offset).await?;
    Ok(Json(Paged::from_rows(rows, limit, offset, |m| {
        MessageView {
            direction: m.direction,
            id: m.id,
            contact: m.contact,
            kind: m.kind,
            text: m.text,
            status: m.status,
            wamid: m.wamid,
            at: m.at,
        }
    })))
}

/// A text, or an approved template for contacts outside the 24-hour window.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"to": "27825550142", "text": "Your order is ready for collection."}))]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    /// WhatsApp number, digits only.
    pub to: String,
    pub text: Option<String>,
    pub template: Option<Template>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// The approved template's name.
    pub name: String,
    /// Its language code, e.g. `en_US`.
    pub language: String,
    /// Graph API template components (parameters), passed through.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub components: Vec<serde_json::Value>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Queued {
    /// The stored message's id (see the conversation log).
    pub id: i64,
    /// `queued`, or `sandbox` when no access token is configured.
    pub status: String,
}

#[utoipa::path(post, path = "/api/v1/messages", tag = "messages", request_body = NewMessage,
    responses((status = 202, body = Queued), (status = 409, body = super::ErrorBody,
        description = "a text to a contact outside the 24-hour window, or anything to an opted-out contact outside it"), (status = 422, body = super::ErrorBody)),
    security(("token" = ["write"])))]
/// Send a WhatsApp message through the durable sender.
pub async fn send(
    Writer(caller): Writer,
    State(s): State<ApiState>,
    headers: axum::http::HeaderMap,
    Body(m): Body<NewMessage>,
) -> Result<(StatusCode, Json<Queued>), AppError> {
    let mut c = Check::default();
    let to = wa_id(&mut c, "to", &m.to);
    let mut row = match (&m.text, &m.template) {
        (Some(text), None) => s.shop.text_to(&to, c.text("text", text, 1, 4096)),
        (None, Some(t)) => {
            c.text("template.name", &t.name, 1, 512);
            c.text("template.language", &t.language, 2, 15);
            if t.components.len() > 20 {
                c.fail("template.components", "at most 20 components");
            }
            let mut row = s.shop.text_to(&to, format!("template {}", t.name));
            row.kind = OutboundKind::Template;
            row.content = Some(
                serde_json::json!({"name": t.name, "language": {"code": t.language}, "components": t.components})
                    .to_string(),
            );
            row
        }
        _ => {
            c.fail("text", "give exactly one of text or template");
            s.shop.text_to(&to, String::new())
        }
    };
    c.done()?;
    let now = storage::now_ms();
    let contact = contacts::get(&s.shop.db, &to).await?;
    let last = contact.as_ref().and_then(|c| c.last_seen).unwrap_or(0);
    let talking = crate::domain::whatsapp::wrote_within_window(last, now);
    if contact.is_some_and(|c| c.opted_out_at.is_some()) && !talking {
        return Err(AppError::Conflict(
            "this contact opted out of messages the shop starts (STOP); write to them only within 24 hours of their own message".into(),
        ));
    }
    if row.kind == OutboundKind::Text && !talking {
        return Err(AppError::Conflict(
            "this contact has not written in the last 24 hours; WhatsApp only allows a template"
                .into(),
        ));
    }
    row.in_reply_to = None;
    // The sender's log lines for it carry this request's id.
    row.request_id = crate::telemetry::request_id(&headers);
    let id = log::send(&s.shop.db, &row, now).await?;
    s.shop.sender_wake.notify_one();
    tracing::info!(id, actor = %caller.actor, "message queued through the API");
    Ok((
        StatusCode::ACCEPTED,
        Json(Queued {
            id,
            status: row.status.to_string(),
        }),
    ))
}
