//! The owner's dashboard: server-rendered pages behind a WhatsApp one-time
//! code, with the chat sandbox. No scripts from elsewhere; forms carry a
//! CSRF token; the session cookie is HttpOnly and SameSite=Strict.

mod catalog;
mod chart;
mod counts;
mod developer;
mod inventory;
mod item;
mod login;
mod orders;
mod page;
mod people;
mod places;
mod purchasing;
mod sandbox;
mod settings;
mod spreadsheet;
mod thread;
mod today;

use std::sync::{Arc, OnceLock};

use axum::{
    Router,
    extract::FromRequestParts,
    http::{header, request::Parts},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use governor::{DefaultKeyedRateLimiter, Quota};
use subtle::ConstantTimeEq;

use crate::{
    error::AppError,
    ops::Shop,
    storage::{self, sessions},
};

pub const COOKIE: &str = "backroom_session";

#[derive(Clone)]
pub struct DashboardState {
    pub shop: Shop,
    /// Sign-in attempts per client address.
    pub per_ip: Arc<DefaultKeyedRateLimiter<std::net::IpAddr>>,
    /// This server's own address, for the sandbox's signed webhook posts.
    pub self_url: Arc<OnceLock<String>>,
    /// For the webhook test button.
    pub deliverer: crate::events::Deliverer,
}

impl DashboardState {
    pub fn new(shop: Shop, self_url: Arc<OnceLock<String>>) -> anyhow::Result<Self> {
        let quota = Quota::per_minute(std::num::NonZeroU32::new(20).expect("non-zero"));
        Ok(Self {
            deliverer: crate::events::Deliverer::new(shop.clone())?,
            shop,
            per_ip: Arc::new(DefaultKeyedRateLimiter::keyed(quota)),
            self_url,
        })
    }
}

pub fn router(state: DashboardState) -> Router {
    let sandbox = state.shop.settings.whatsapp.sandbox();
    let router = Router::new()
        .route("/assets/app.css", get(page::stylesheet))
        .route("/", get(today::page))
        .route("/inventory", get(inventory::page))
        .route("/counts", get(counts::page))
        .route("/items/{id}", get(item::page).post(inventory::update))
        .route("/items/{id}/reorder", post(inventory::reorder))
        .route("/transfers/{id}/receive", post(places::receive))
        .route("/purchasing", get(purchasing::page))
        .route("/suppliers", post(purchasing::add_supplier))
        .route("/purchase-orders/{id}/receive", post(purchasing::receive))
        .route("/purchase-orders/{id}/cancel", post(purchasing::cancel))
        .route("/login", get(login::form).post(login::send_code))
        .route("/login/code", get(login::code_form).post(login::verify))
        .route("/logout", post(login::logout))
        .route("/orders", get(orders::page))
        .route("/orders/{id}", get(orders::order))
        .route("/conversations", get(people::conversations))
        .route("/conversations/{wa_id}", get(people::conversation))
        .route("/settings", get(settings::page).post(settings::save))
        .route("/settings/staff", post(settings::set_staff))
        .route("/inventory.csv", get(spreadsheet::export))
        .route("/import", get(spreadsheet::form).post(spreadsheet::import))
        .route("/orders/{id}/status", post(orders::set_status))
        .route("/developer", get(developer::page))
        .route("/developer/tokens", post(developer::create_token))
        .route(
            "/developer/tokens/{id}/revoke",
            post(developer::revoke_token),
        )
        .route("/developer/webhooks", post(developer::add_webhook))
        .route("/developer/webhooks/{id}", get(developer::webhook_page))
        .route(
            "/developer/webhooks/{id}/edit",
            post(developer::edit_webhook),
        )
        .route(
            "/developer/webhooks/{id}/retry/{attempt}",
            post(developer::retry),
        )
        .route(
            "/developer/webhooks/{id}/test",
            post(developer::test_webhook),
        )
        .route(
            "/developer/webhooks/{id}/delete",
            post(developer::delete_webhook),
        );
    // Only in sandbox mode: with WhatsApp connected its replies would reach
    // real people who never wrote.
    let router = if sandbox {
        router
            .route("/sandbox", get(sandbox::page).post(sandbox::send))
            .route("/sandbox/reply", post(sandbox::reply))
    } else {
        router
    };
    catalog::routes(router).with_state(state)
}

pub use crate::api::auth::hash;

/// A signed-in owner; pages without one redirect to the sign-in form.
pub struct Owner {
    pub phone: String,
    pub csrf: String,
    /// Sandbox mode: the menu offers the sandbox.
    pub sandbox: bool,
    /// Graph rejected the access token: every page says so.
    pub token_rejected: bool,
    /// For the page header.
    pub shop_name: String,
}

impl Owner {
    /// Checks a form's CSRF token in constant time.
    pub fn check_csrf(&self, given: &str) -> Result<(), AppError> {
        if bool::from(self.csrf.as_bytes().ct_eq(given.as_bytes())) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "the form has expired; reload the page".into(),
            ))
        }
    }
}

pub fn session_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

impl FromRequestParts<DashboardState> for Owner {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &DashboardState,
    ) -> Result<Self, Response> {
        let to_login = || Redirect::to("/login").into_response();
        let token = session_cookie(&parts.headers).ok_or_else(to_login)?;
        match sessions::find(&state.shop.db, &hash(&token), storage::now_ms()).await {
            Ok(Some((phone, csrf))) => Ok(Owner {
                phone,
                csrf,
                sandbox: state.shop.settings.whatsapp.sandbox(),
                token_rejected: state.shop.signals.token_rejected_at().is_some(),
                shop_name: state.shop.prefs.get().name,
            }),
            Ok(None) => Err(to_login()),
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }
}
