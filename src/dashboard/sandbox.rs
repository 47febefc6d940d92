//! The chat sandbox: type as a staff member or a customer; each message goes
//! through the real signed webhook path and the bot's reply shows up here.
//! It exists only in sandbox mode: with WhatsApp connected, a message typed
//! here would reach a real person's phone as if they had written first.

use axum::{
    Form,
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::{PreEscaped, html};
use serde::Deserialize;

use super::{
    DashboardState, Owner,
    page::{frame, thread},
};
use crate::{
    error::AppError,
    storage::{self, contacts, log},
    whatsapp::inbound::signature,
};

#[derive(Deserialize)]
pub struct SandboxQuery {
    #[serde(rename = "as")]
    who: Option<String>,
    sent: Option<u8>,
}

#[derive(Deserialize)]
pub struct SandboxForm {
    csrf: String,
    #[serde(rename = "as")]
    who: String,
    text: String,
}

fn digits(s: &str) -> String {
    crate::config::normalise_phone(s).unwrap_or_default()
}

pub async fn page(
    State(s): State<DashboardState>,
    owner: Owner,
    Query(q): Query<SandboxQuery>,
) -> Result<Response, AppError> {
    let people = contacts::list(&s.shop.db, None).await?;
    let who = q
        .who
        .as_deref()
        .map(digits)
        .filter(|w| w.len() >= 6)
        .unwrap_or_else(|| owner.phone.clone());
    let mut messages = log::page(&s.shop.db, Some(&who), 50, 0).await?;
    messages.truncate(50);
    messages.reverse();
    let body = html! {
        @if q.sent.is_some() {
            // Let the bot answer, then show the reply; no script needed.
            (PreEscaped(r#"<meta http-equiv="refresh" content="1;url=/sandbox?as="#)) (who) (PreEscaped(r#"">"#))
        }
        p.note { "Messages typed here are signed and posted to this server's own WhatsApp webhook, exactly as Meta would, and the bot answers below." }
        form method="post" action="/sandbox" {
            input type="hidden" name="csrf" value=(owner.csrf);
            label { "Write as "
                input name="as" list="people" value=(who) inputmode="numeric" required aria-describedby="as-help";
                datalist id="people" { @for p in &people { option value=(p.wa_id) { (p.role) " " (p.profile_name.as_deref().unwrap_or("")) } } }
            }
            small id="as-help" { "A staff or owner number changes stock; any other number is a customer." }
            label { "Message " input name="text" required maxlength="1000" autocomplete="off" placeholder="Added 50 screws"; }
            button type="submit" { "Send" }
        }
        (thread(&who, &messages))
    };
    Ok(frame("Sandbox", Some(&owner), body).into_response())
}

pub async fn send(
    State(s): State<DashboardState>,
    owner: Owner,
    Form(f): Form<SandboxForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    let who = digits(&f.who);
    let text = f.text.trim();
    if who.len() < 6 || text.is_empty() || text.chars().count() > 1000 {
        return Err(AppError::BadRequest(
            "give a phone number and a message of up to 1,000 characters".into(),
        ));
    }
    let settings = &s.shop.settings;
    let phone_number_id = settings
        .whatsapp
        .phone_number_id
        .clone()
        .unwrap_or_else(|| "sandbox".into());
    let wamid = format!("wamid.sandbox.{}", hex::encode(rand::random::<[u8; 12]>()));
    let body = serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "sandbox", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "sandbox", "phone_number_id": phone_number_id},
            // No profile: a sandbox message must not rename the contact.
            "contacts": [{"wa_id": who}],
            "messages": [{"from": who, "id": wamid, "timestamp": (storage::now_ms() / 1000).to_string(),
                          "type": "text", "text": {"body": text}}]
        }}]}]
    })
    .to_string();
    let base = s
        .self_url
        .get()
        .ok_or_else(|| AppError::Unavailable("the server is starting".into()))?;
    let secret = settings
        .whatsapp
        .app_secret
        .as_ref()
        .ok_or_else(|| AppError::Unavailable("the server is starting".into()))?;
    let status = reqwest::Client::new()
        .post(format!("{base}/webhook/whatsapp"))
        .header("content-type", "application/json")
        .header(
            "x-hub-signature-256",
            signature::sign(secret.expose().as_bytes(), body.as_bytes()),
        )
        .body(body)
        .send()
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .status();
    if !status.is_success() {
        return Err(AppError::Internal(anyhow::anyhow!(
            "the webhook answered {status}"
        )));
    }
    Ok(Redirect::to(&format!("/sandbox?as={who}&sent=1")).into_response())
}
