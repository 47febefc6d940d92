//! Settings: the shop's name, currency, time zone and default alert level
//! (stored in the database; a value set in the environment wins and shows
//! as such), who is staff, and how the bot is connected.

use axum::{
    Form,
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};
use serde::Deserialize;

use super::{
    DashboardState, Owner,
    page::{Nav, frame_at},
};
use crate::{
    config::{
        LlmProvider,
        prefs::{Pref, ShopPrefs},
    },
    error::AppError,
    storage::{
        self,
        contacts::{self, Role},
        prefs,
    },
};

#[derive(Deserialize)]
pub struct SettingsQuery {
    saved: Option<String>,
}

pub async fn page(
    State(s): State<DashboardState>,
    owner: Owner,
    Query(q): Query<SettingsQuery>,
) -> Result<Response, AppError> {
    let cfg = &s.shop.settings;
    let now = s.shop.prefs.get();
    let staff = contacts::list(&s.shop.db, Some(Role::Staff)).await?;
    let owners = contacts::list(&s.shop.db, Some(Role::Owner)).await?;
    let llm = match &cfg.llm.provider {
        LlmProvider::None => "the rule parser reads every message".to_string(),
        LlmProvider::Gemini { model, .. } => {
            format!("Gemini ({model}), with the rules as fallback")
        }
        LlmProvider::OpenAi { model, base, .. } => {
            format!("OpenAI-compatible {base} ({model}), with the rules as fallback")
        }
    };
    let catalogue = super::catalog::section(&s, &owner).await?;
    let body = html! {
        @if let Some(what) = q.saved.as_deref().and_then(saved_what) { p.saved role="status" { "✓ Saved " (what) "." } }
        h2 { "Shop" }
        form method="post" action="/settings" {
            input type="hidden" name="csrf" value=(owner.csrf);
            (field(&s, Pref::Name, "Shop name", &now, html! {}))
            (field(&s, Pref::Currency, "Currency (ISO code; prices are kept in its cents)", &now, html! {}))
            (field(&s, Pref::TimeZone, "Time zone", &now, html! {}))
            (field(&s, Pref::DefaultThreshold, "Default alert level (0 turns alerts off)", &now,
                html! { small.note { "Items without their own alert level warn at or below this." } }))
            button type="submit" { "Save settings" }
        }
        h2 { "Staff" }
        p.note { "Staff change stock by writing to the shop's number; everyone else is a customer." }
        ul { @for p in &staff { li {
            (p.wa_id) " " (p.profile_name.as_deref().unwrap_or("")) " "
            form method="post" action="/settings/staff" class="inline" {
                input type="hidden" name="csrf" value=(owner.csrf);
                input type="hidden" name="phone" value=(p.wa_id);
                input type="hidden" name="role" value="customer";
                button.secondary type="submit" aria-label=(format!("Remove {} from staff", p.wa_id)) { "Remove" }
            }
        } } }
        form.row method="post" action="/settings/staff" {
            input type="hidden" name="csrf" value=(owner.csrf);
            input type="hidden" name="role" value="staff";
            label { "Add a staff number " input name="phone" type="tel" required placeholder="27825550101"; }
            button type="submit" { "Add staff" }
        }
        h2 { "Owners" }
        ul { @for p in &owners { li { (p.wa_id) " " (p.profile_name.as_deref().unwrap_or("")) } } }
        p.note { "Owners are set with " code { "OWNER_PHONES" } " or " code { "backroom owner add" } "." }
        h2 { "Connection" }
        dl {
            dt { "WhatsApp" } dd { @if cfg.whatsapp.sandbox() { "sandbox mode: replies are stored, not sent (no WHATSAPP_ACCESS_TOKEN)" } @else { "connected" } }
            dt { "Understanding messages" } dd { (llm) }
        }
        (catalogue)
    };
    Ok(frame_at(Nav::Settings, "Settings", Some(&owner), body).into_response())
}

/// What a `?saved=` note names; unknown values name nothing.
fn saved_what(key: &str) -> Option<&'static str> {
    match key {
        "settings" => Some("the shop settings"),
        "staff" => Some("the staff list"),
        _ => None,
    }
}

fn field(s: &DashboardState, pref: Pref, label: &str, now: &ShopPrefs, help: Markup) -> Markup {
    let value = match pref {
        Pref::Name => now.name.clone(),
        Pref::Currency => now.currency.clone(),
        Pref::TimeZone => now.time_zone.clone(),
        Pref::DefaultThreshold => now.default_threshold.to_string(),
    };
    let pinned = s.shop.prefs.pinned(pref);
    html! {
        label {
            (label) br;
            input name=(pref.key()) value=(value) disabled[pinned] required
                inputmode=[(pref == Pref::DefaultThreshold).then_some("numeric")];
            @if pinned { br; small.note { "Set by " code { (pref.env()) } " in the environment, which wins over this page." } }
            (help)
        }
    }
}

/// `POST /settings`: the shop settings not pinned by the environment.
pub async fn save(
    State(s): State<DashboardState>,
    owner: Owner,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let given = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    owner.check_csrf(given("csrf").unwrap_or(""))?;
    let mut changes = Vec::new();
    for pref in Pref::ALL {
        let Some(v) = given(pref.key()) else { continue };
        if s.shop.prefs.pinned(pref) {
            continue;
        }
        let v = pref.check(v).map_err(|e| AppError::field(pref.key(), e))?;
        changes.push((pref.key(), Some(v)));
    }
    prefs::save(&s.shop.db, &changes, storage::now_ms()).await?;
    s.shop.load_prefs().await?;
    Ok(Redirect::to("/settings?saved=settings").into_response())
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
    Ok(Redirect::to("/settings?saved=staff").into_response())
}
