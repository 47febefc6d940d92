//! Sign-in with a one-time code sent to the owner's WhatsApp (printed in the
//! log in sandbox mode): 6 digits, valid 5 minutes, 5 tries, 3 codes per
//! number per 15 minutes, 20 requests per minute per address.

use axum::{
    Form,
    extract::State,
    http::{HeaderMap, header},
    response::{IntoResponse, Redirect, Response},
};
use maud::html;
use serde::Deserialize;

use super::{COOKIE, DashboardState, Owner, hash, page::frame};
use crate::{
    error::AppError,
    net::ClientAddr,
    secrets,
    storage::{self, contacts, log, sessions},
    whatsapp::outbound::window::{CODE_MASK, Notice, Purpose},
};

const CODE_TTL_MS: i64 = 5 * 60 * 1000;
const SESSION_TTL_MS: i64 = 12 * 3600 * 1000;
const MAX_TRIES: i64 = 5;

#[derive(Deserialize)]
pub struct PhoneForm {
    phone: String,
}

#[derive(Deserialize)]
pub struct CodeForm {
    phone: String,
    code: String,
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// The number as a WhatsApp id, or empty (which matches no owner).
fn digits(phone: &str) -> String {
    crate::config::normalise_phone(phone).unwrap_or_default()
}

/// In sandbox mode a shop with no owner yet lets the first person to sign in
/// become it, so a fresh clone works without the command line. Never once
/// WhatsApp is connected.
async fn first_owner_wanted(s: &DashboardState) -> Result<bool, AppError> {
    Ok(s.shop.settings.whatsapp.sandbox()
        && contacts::list(&s.shop.db, Some(contacts::Role::Owner))
            .await?
            .is_empty())
}

pub async fn form(State(s): State<DashboardState>) -> impl IntoResponse {
    let sandbox = s.shop.settings.whatsapp.sandbox();
    frame(
        "Sign in",
        None,
        html! {
            p { "Owners sign in with a code sent to their WhatsApp number." }
            @if sandbox {
                p.saved role="note" {
                    "🧪 Sandbox mode: WhatsApp is not connected, so the code is not sent — it is printed in the "
                    strong { "server log" } " (the terminal running backroom), on the line "
                    code { "sandbox mode: dashboard sign-in code" } ". On a new shop, the first number to sign in becomes the owner."
                }
            }
            form method="post" action="/login" {
                label { "WhatsApp number " input name="phone" type="tel" autocomplete="tel" required placeholder="27825550101"; }
                button type="submit" { "Send me a code" }
            }
        },
    )
}

pub async fn send_code(
    State(s): State<DashboardState>,
    ClientAddr(client): ClientAddr,
    Form(f): Form<PhoneForm>,
) -> Result<Response, AppError> {
    if s.per_ip.check_key(&client).is_err() {
        return Err(AppError::TooManyRequests { retry_after: 60 });
    }
    let phone = digits(&f.phone);
    // Owner or not, the answer comes at once and the same: the work for an
    // owner happens after it, so timing does not tell who the owners are.
    tokio::spawn(async move {
        if let Err(e) = issue_code(&s, &phone, &client.to_string()).await {
            tracing::error!(error = %e, "could not issue a sign-in code");
        }
    });
    Ok(Redirect::to(&format!("/login/code?phone={}", digits(&f.phone))).into_response())
}

/// Codes per number per 15 minutes: from one client address, and in all.
/// Per address, so a stranger asking for an owner's number cannot use up
/// the codes the owner needs.
const CODES_PER_CLIENT: i64 = 3;
const CODES_PER_NUMBER: i64 = 10;

/// Creates and sends a code when `phone` is an owner's and its limits allow.
async fn issue_code(s: &DashboardState, phone: &str, client: &str) -> Result<(), AppError> {
    let now = storage::now_ms();
    let contact = contacts::get(&s.shop.db, phone).await?;
    let is_owner = contact
        .as_ref()
        .is_some_and(|c| c.role() == contacts::Role::Owner)
        || first_owner_wanted(s).await? && phone.len() >= 6;
    if !is_owner {
        return Ok(());
    }
    let code = format!("{:06}", rand::random::<u32>() % 1_000_000);
    let digest = s.shop.keys.digest(secrets::Purpose::LoginCode, &code);
    let limit = sessions::CodeLimit {
        since: now - 15 * 60 * 1000,
        per_number: CODES_PER_NUMBER,
        per_client: CODES_PER_CLIENT,
    };
    let when = (now, now + CODE_TTL_MS);
    if sessions::add_code(&s.shop.db, phone, client, &digest, when, &limit).await? {
        if s.shop.settings.whatsapp.sandbox() {
            tracing::info!(%phone, %code, "sandbox mode: dashboard sign-in code (not sent)");
        } else {
            // The code itself is stored nowhere readable: the message shows a
            // mask, and the sender fills the sealed code in at send time.
            let notice = Notice {
                purpose: Purpose::LoginCode,
                text: format!(
                    "🔐 Your backroom sign-in code is {CODE_MASK}. It expires in 5 minutes."
                ),
                param: Some(CODE_MASK.into()),
                sealed: Some(s.shop.keys.seal(secrets::Purpose::LoginCode, &code)),
            };
            let to = contacts::Recipient {
                wa_id: phone.to_string(),
                last_seen: contact.as_ref().and_then(|c| c.last_seen),
                opted_out_at: contact.as_ref().and_then(|c| c.opted_out_at),
                lang: contact.and_then(|c| c.lang),
            };
            log::send(&s.shop.db, &s.shop.notice(&to, &notice, now), now).await?;
            s.shop.sender_wake.notify_one();
        }
    }
    Ok(())
}

#[derive(Deserialize)]
pub struct PhoneQuery {
    phone: Option<String>,
}

pub async fn code_form(
    State(s): State<DashboardState>,
    axum::extract::Query(q): axum::extract::Query<PhoneQuery>,
) -> impl IntoResponse {
    let phone = digits(q.phone.as_deref().unwrap_or(""));
    let sandbox = s.shop.settings.whatsapp.sandbox();
    frame(
        "Enter your code",
        None,
        html! {
            @if sandbox {
                p { "If " strong { (phone) } " may sign in, its 6-digit code is now in the " strong { "server log" }
                    " (the terminal running backroom): look for " code { "sandbox mode: dashboard sign-in code" }
                    ". Sandbox mode sends nothing to WhatsApp. The code expires in 5 minutes." }
            } @else {
                p { "If " strong { (phone) } " is an owner's number, a 6-digit code is on its way to WhatsApp. It expires in 5 minutes." }
                p class="muted" { "Not arriving? WhatsApp lets the shop write first only within 24 hours of your last message: send any message to the shop's number and the code follows." }
            }
            form method="post" action="/login/code" {
                input type="hidden" name="phone" value=(phone);
                label { "Code " input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required; }
                button type="submit" { "Sign in" }
            }
        },
    )
}

pub async fn verify(
    State(s): State<DashboardState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<CodeForm>,
) -> Result<Response, AppError> {
    if s.per_ip.check_key(&client).is_err() {
        return Err(AppError::TooManyRequests { retry_after: 60 });
    }
    let phone = digits(&f.phone);
    let now = storage::now_ms();
    let code: String = f.code.trim().chars().take(12).collect();
    let digest = s.shop.keys.digest(secrets::Purpose::LoginCode, &code);
    let still_owner = || async {
        Ok::<_, AppError>(
            contacts::get(&s.shop.db, &phone)
                .await?
                .is_some_and(|c| c.role() == contacts::Role::Owner)
                || first_owner_wanted(&s).await?,
        )
    };
    // A right code for a number that is no longer an owner's opens nothing.
    if !sessions::check_code(&s.shop.db, &phone, &digest, MAX_TRIES, now).await?
        || !still_owner().await?
    {
        return Ok(frame("Enter your code", None, html! {
            p role="alert" { "That code is wrong or has expired. " a href="/login" { "Get a new code" } "." }
        })
        .into_response());
    }
    if first_owner_wanted(&s).await? {
        contacts::set_role(&s.shop.db, &phone, contacts::Role::Owner).await?;
        tracing::info!(%phone, "sandbox mode: first sign-in made this number the owner");
    }
    let token = hex::encode(rand::random::<[u8; 32]>());
    let csrf = hex::encode(rand::random::<[u8; 16]>());
    sessions::create(
        &s.shop.db,
        &hash(&token),
        &phone,
        &csrf,
        now,
        now + SESSION_TTL_MS,
    )
    .await?;
    let secure = if headers
        .get("x-forwarded-proto")
        .is_some_and(|p| p == "https")
    {
        "; Secure"
    } else {
        ""
    };
    let cookie =
        format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200{secure}");
    // In sandbox mode the chat is where a newcomer starts.
    let landing = if s.shop.settings.whatsapp.sandbox() {
        "/sandbox"
    } else {
        "/"
    };
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(landing)).into_response())
}

pub async fn logout(
    State(s): State<DashboardState>,
    owner: Owner,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    owner.check_csrf(&f.csrf)?;
    if let Some(token) = super::session_cookie(&headers) {
        sessions::delete(&s.shop.db, &hash(&token)).await?;
    }
    let clear = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    Ok(([(header::SET_COOKIE, clear)], Redirect::to("/login")).into_response())
}
