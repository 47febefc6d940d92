//! The chat sandbox: write as a staff member or a customer; each message
//! (or tap on a reply button) goes through the real signed webhook path and
//! the bot's reply shows up here, like a WhatsApp chat.
//! It exists only in sandbox mode: with WhatsApp connected, a message typed
//! here would reach a real person's phone as if they had written first.

use std::time::{Duration, Instant};

use axum::{
    Form,
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::{PreEscaped, html};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    DashboardState, Owner,
    page::{Nav, frame_at},
    thread::{Taps, thread},
};
use crate::{
    domain::location::FIRST,
    error::AppError,
    storage::{
        self,
        contacts::{self, Role},
        inbox, log,
    },
    whatsapp::inbound::signature,
};

/// Ready-made numbers, so trying the bot never uses the owner's own.
const SANDBOX_STAFF: &str = "27825550100";
const SANDBOX_CUSTOMER: &str = "27825550123";
/// How long a send waits for the bot's answer before showing the page.
const WAIT_FOR_REPLY: Duration = Duration::from_secs(5);

#[derive(Deserialize)]
pub struct SandboxQuery {
    #[serde(rename = "as")]
    who: Option<String>,
    /// The bot had not answered yet: refresh once more.
    pending: Option<u8>,
    /// The location (id) whose number is written to, with several.
    at: Option<i64>,
}

#[derive(Deserialize)]
pub struct SandboxForm {
    csrf: String,
    #[serde(rename = "as")]
    who: String,
    text: String,
    at: Option<i64>,
}

#[derive(Deserialize)]
pub struct ReplyForm {
    csrf: String,
    #[serde(rename = "as")]
    who: String,
    kind: String,
    id: String,
    title: String,
    context: Option<String>,
    at: Option<i64>,
}

fn digits(s: &str) -> String {
    crate::config::normalise_phone(s).unwrap_or_default()
}

/// The staff number the switch uses: the first configured staff member,
/// else the ready-made one.
async fn staff_number(s: &DashboardState) -> Result<String, AppError> {
    let staff = contacts::list(&s.shop.db, Some(Role::Staff)).await?;
    Ok(staff
        .first()
        .map_or_else(|| SANDBOX_STAFF.to_string(), |c| c.wa_id.clone()))
}

pub async fn page(
    State(s): State<DashboardState>,
    owner: Owner,
    Query(q): Query<SandboxQuery>,
) -> Result<Response, AppError> {
    let staff = staff_number(&s).await?;
    let who = match q.who.as_deref() {
        None | Some("staff") => staff.clone(),
        Some("customer") => SANDBOX_CUSTOMER.to_string(),
        Some(other) => Some(digits(other))
            .filter(|w| w.len() >= 6)
            .unwrap_or_else(|| staff.clone()),
    };
    let role = contacts::get(&s.shop.db, &who)
        .await?
        .map_or("customer".to_string(), |c| c.role.to_string());
    let role = if who == SANDBOX_STAFF || who == staff {
        "staff".into()
    } else {
        role
    };
    let mut messages = log::thread(&s.shop.db, &who, 60).await?;
    messages.truncate(60);
    messages.reverse();
    let tz = s.shop.prefs.get().time_zone;
    let places = s.shop.places.as_ref();
    let at = q.at.filter(|a| places.get(*a).is_some()).unwrap_or(FIRST);
    let body = html! {
        @if q.pending.is_some() {
            // The bot had not answered within the wait: look once more.
            (PreEscaped(r#"<meta http-equiv="refresh" content="2;url=/sandbox?as="#)) (who) (at_param(places, at)) (PreEscaped(r##"#latest">"##))
        }
        nav.filters aria-label="Write as" {
            a href=(format!("/sandbox?as=staff{}#latest", at_param(places, at))) aria-current=[(who == staff).then_some("page")] { "👷 Staff · " (staff) }
            a href=(format!("/sandbox?as=customer{}#latest", at_param(places, at))) aria-current=[(who == SANDBOX_CUSTOMER).then_some("page")] { "🛒 Customer · " (SANDBOX_CUSTOMER) }
        }
        @if places.several() {
            nav.filters aria-label="Write to" {
                @for l in &places.all {
                    a href=(format!("/sandbox?as={who}&at={}#latest", l.id)) aria-current=[(l.id == at).then_some("page")] { "📍 " (l.name) }
                }
            }
        }
        p.note { "Writing as " strong { (who) } " (" (role) "). Messages are signed and posted to this server's own WhatsApp webhook, exactly as Meta would; the bot's answer appears below." }
        (thread(&who, &messages, &tz, Taps::Sandbox { csrf: &owner.csrf, who: &who, at }))
        form.row.compose method="post" action="/sandbox" {
            input type="hidden" name="csrf" value=(owner.csrf);
            input type="hidden" name="as" value=(who);
            input type="hidden" name="at" value=(at);
            div.grow { input name="text" required maxlength="1000" autocomplete="off" autofocus placeholder=(if role == "customer" { "Do you have hammers?" } else { "Added 50 screws" }) aria-label="Message"; }
            button type="submit" { "Send" }
        }
        details {
            summary { "Write as another number" }
            form.row method="get" action="/sandbox" {
                label { "Number " input name="as" inputmode="numeric" required placeholder="27825550199"; }
                button.secondary type="submit" { "Switch" }
            }
        }
    };
    Ok(frame_at(Nav::Sandbox, "Sandbox", Some(&owner), body).into_response())
}

pub async fn send(
    State(s): State<DashboardState>,
    owner: Owner,
    Form(f): Form<SandboxForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    let text = f.text.trim();
    if text.is_empty() || text.chars().count() > 1000 {
        return Err(AppError::field(
            "text",
            "write a message of up to 1,000 characters",
        ));
    }
    let message = json!({"type": "text", "text": {"body": text}});
    deliver(&s, &f.who, f.at, message).await
}

/// A tap on a reply button or list row of one of the bot's messages: an
/// `interactive` reply, as WhatsApp sends it.
pub async fn reply(
    State(s): State<DashboardState>,
    owner: Owner,
    Form(f): Form<ReplyForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    if !matches!(f.kind.as_str(), "button_reply" | "list_reply")
        || f.id.is_empty()
        || f.id.len() > 256
        || f.title.chars().count() > 72
    {
        return Err(AppError::field("kind", "not a reply button or list row"));
    }
    let mut message = json!({"type": "interactive", "interactive": {
        "type": f.kind, (f.kind.as_str()): {"id": f.id, "title": f.title}}});
    if let Some(context) = f.context.filter(|c| !c.is_empty()) {
        message["context"] = json!({"from": "sandbox", "id": context});
    }
    deliver(&s, &f.who, f.at, message).await
}

/// Signs and posts one message from `who` to our own webhook, waits briefly
/// for the bot to answer, and shows the chat at its newest message.
async fn deliver(
    s: &DashboardState,
    who: &str,
    at: Option<i64>,
    mut message: Value,
) -> Result<Response, AppError> {
    let at = at
        .filter(|a| s.shop.places.get(*a).is_some())
        .unwrap_or(FIRST);
    let who = digits(who);
    if who.len() < 6 {
        return Err(AppError::field(
            "as",
            "must be a phone number in international format",
        ));
    }
    if who == SANDBOX_STAFF {
        contacts::set_role(&s.shop.db, &who, Role::Staff).await?;
    }
    let settings = &s.shop.settings;
    let phone_number_id = s
        .shop
        .places
        .number_of(at)
        .or(settings.whatsapp.primary_number())
        .unwrap_or("sandbox")
        .to_string();
    let wamid = format!("wamid.sandbox.{}", hex::encode(rand::random::<[u8; 12]>()));
    message["from"] = json!(who);
    message["id"] = json!(wamid);
    message["timestamp"] = json!((storage::now_ms() / 1000).to_string());
    let body = json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "sandbox", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "sandbox", "phone_number_id": phone_number_id},
            // No profile: a sandbox message must not rename the contact.
            "contacts": [{"wa_id": who}],
            "messages": [message]
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
    let started = Instant::now();
    while !inbox::settled(&s.shop.db, &wamid).await? {
        if started.elapsed() > WAIT_FOR_REPLY {
            let at = at_param(&s.shop.places, at);
            let to = format!("/sandbox?as={who}{at}&pending=1#latest");
            return Ok(Redirect::to(&to).into_response());
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    let at = at_param(&s.shop.places, at);
    Ok(Redirect::to(&format!("/sandbox?as={who}{at}#latest")).into_response())
}

/// `&at=2` when the shop has several locations; nothing for one, so its
/// sandbox links stay as they were.
fn at_param(places: &crate::domain::location::Places, at: i64) -> String {
    if places.several() {
        format!("&at={at}")
    } else {
        String::new()
    }
}
