//! WhatsApp's 24-hour customer-service window, for messages the shop starts.
//!
//! A business may write freely to someone only within 24 hours of their last
//! message; after that only an approved template goes through (131047
//! otherwise). Replies are always inside the window. Alerts, order updates and
//! login codes may not be, so each is written as text while the window is
//! open, as the configured template when it is closed, or, with no template
//! configured, stored as `held` and sent when the person next writes.

use serde_json::{Value, json};

use crate::{
    config::{TemplateRef, WhatsAppSettings},
    storage::{contacts::Recipient, outbound::NewOutbound},
};

use crate::domain::message::{OutboundKind, OutboundStatus};
pub use crate::domain::whatsapp::{CODE_MASK, window_is_open as is_open};

/// A message from the shop's number: `queued`, or `sandbox` (stored, not
/// sent) when there is no access token to send with.
pub fn from_shop(
    wa: &WhatsAppSettings,
    recipient: &str,
    kind: OutboundKind,
    preview: String,
) -> NewOutbound {
    let sandbox = wa.sandbox();
    if sandbox && kind != OutboundKind::Read {
        tracing::info!(to = %recipient, reply = %preview, "sandbox mode: reply stored, not sent");
    }
    NewOutbound {
        phone_number_id: wa.primary_number().unwrap_or_default().to_string(),
        recipient: recipient.to_string(),
        kind,
        preview,
        content: None,
        in_reply_to: None,
        status: if sandbox {
            OutboundStatus::Sandbox
        } else {
            OutboundStatus::Queued
        },
        error_message: None,
        request_id: None,
        sealed: None,
    }
}

/// Meta refuses template parameters longer than this.
const MAX_PARAM_CHARS: usize = 1000;

/// Why the shop writes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// To owners: low stock, a webhook turned off, the daily summary.
    Alert,
    /// To a customer: their order moved on.
    OrderUpdate,
    /// A dashboard sign-in code (an authentication template).
    LoginCode,
    /// To a customer: an item they asked for is in stock again.
    BackInStock,
    /// To a supplier: goods the shop orders.
    PurchaseOrder,
}

impl Purpose {
    /// Whether it still goes to someone who opted out of messages the shop
    /// starts: a sign-in code they asked for does; an alert or order update
    /// only while they are talking to the shop (the window is open); news of
    /// a restock never does.
    pub fn reaches_opted_out(self, window_open: bool) -> bool {
        match self {
            Purpose::LoginCode => true,
            Purpose::Alert | Purpose::OrderUpdate | Purpose::PurchaseOrder => window_open,
            Purpose::BackInStock => false,
        }
    }

    fn template(self, wa: &WhatsAppSettings) -> (&'static str, Option<&TemplateRef>) {
        let t = &wa.templates;
        match self {
            Purpose::Alert => ("TEMPLATE_ALERT", t.alert.as_ref()),
            Purpose::OrderUpdate => ("TEMPLATE_ORDER_UPDATE", t.order_update.as_ref()),
            Purpose::LoginCode => ("TEMPLATE_LOGIN_CODE", t.login_code.as_ref()),
            Purpose::BackInStock => ("TEMPLATE_BACK_IN_STOCK", t.back_in_stock.as_ref()),
            Purpose::PurchaseOrder => ("TEMPLATE_PURCHASE_ORDER", t.purchase_order.as_ref()),
        }
    }
}

/// A message the shop starts.
#[derive(Debug, Clone)]
pub struct Notice {
    pub purpose: Purpose,
    /// The text sent while the window is open.
    pub text: String,
    /// The template's `{{1}}` when the window is closed; the text when `None`.
    pub param: Option<String>,
    /// A sealed secret the sender fills in for `CODE_MASK` (a sign-in code).
    pub sealed: Option<String>,
}

impl Notice {
    pub fn new(purpose: Purpose, text: String) -> Self {
        Self {
            purpose,
            text,
            param: None,
            sealed: None,
        }
    }
}

/// The outbox row for `notice` to `to`: text, template, or held; or, for
/// someone who opted out, a row that records it was not sent.
pub fn compose(wa: &WhatsAppSettings, to: &Recipient, notice: &Notice, now: i64) -> NewOutbound {
    let mut row = from_shop(wa, &to.wa_id, OutboundKind::Text, notice.text.clone());
    row.sealed = notice.sealed.clone();
    let open = is_open(to.last_seen, now);
    if to.opted_out_at.is_some() && !notice.purpose.reaches_opted_out(open) {
        row.status = OutboundStatus::Expired;
        row.error_message = Some("not sent: they opted out (STOP); START opts back in".into());
        return row;
    }
    if open {
        return row;
    }
    match notice.purpose.template(wa) {
        (_, Some(t)) => {
            let param = notice.param.as_deref().unwrap_or(&notice.text);
            row.kind = OutboundKind::Template;
            row.content = Some(template(t, notice.purpose, param).to_string());
        }
        (var, None) if row.status == OutboundStatus::Queued => {
            row.status = OutboundStatus::Held;
            row.error_message = Some(format!(
                "held: more than 24 hours since their last message and {var} is not set; \
                 sent when they next write"
            ));
        }
        _ => {}
    }
    row
}

/// Like `compose`, but a message that would be held is dropped instead.
/// For notes whose news goes stale: "back in stock" sent days later, when
/// the person next writes, may no longer be true and is worse than nothing.
pub fn compose_or_drop(
    wa: &WhatsAppSettings,
    to: &Recipient,
    notice: &Notice,
    now: i64,
) -> Option<NewOutbound> {
    let row = compose(wa, to, notice, now);
    (row.status != OutboundStatus::Held).then_some(row)
}

/// The Graph `template` object carrying one body parameter (and, for login
/// codes, the copy-code button Meta's authentication templates require).
fn template(t: &TemplateRef, purpose: Purpose, param: &str) -> Value {
    let param = flatten(param);
    let mut components = vec![json!({
        "type": "body",
        "parameters": [{"type": "text", "text": param}],
    })];
    if purpose == Purpose::LoginCode {
        components.push(json!({
            "type": "button", "sub_type": "url", "index": "0",
            "parameters": [{"type": "text", "text": param}],
        }));
    }
    json!({"name": t.name, "language": {"code": t.language}, "components": components})
}

/// Template parameters may not hold newlines, tabs or runs of spaces.
fn flatten(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    lines.join(" · ").chars().take(MAX_PARAM_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Secret, Templates};

    fn wa(alert: Option<&str>) -> WhatsAppSettings {
        WhatsAppSettings {
            verify_token: None,
            app_secret: None,
            access_token: Some(Secret::new("t")),
            phone_number_id: Some("1".into()),
            numbers: Vec::new(),
            business_account_id: None,
            graph_api_base: "http://x".into(),
            templates: Templates {
                alert: alert.map(|n| TemplateRef {
                    name: n.into(),
                    language: "en_US".into(),
                }),
                ..Templates::default()
            },
        }
    }

    fn to(last_seen: Option<i64>) -> Recipient {
        Recipient {
            wa_id: "27825550101".into(),
            last_seen,
            lang: None,
            opted_out_at: None,
        }
    }

    #[test]
    fn opted_out_people_get_only_what_they_asked_for() {
        let now = 100 * crate::domain::whatsapp::WINDOW_MS;
        let out = |last_seen| Recipient {
            opted_out_at: Some(1),
            ..to(last_seen)
        };
        let alert = Notice::new(Purpose::OrderUpdate, "📦 Order #A7K2 is ready".into());
        let talking = compose(&wa(Some("t")), &out(Some(now - 60_000)), &alert, now);
        assert_eq!(
            talking.status,
            OutboundStatus::Queued,
            "inside the window it goes"
        );
        let later = compose(&wa(Some("t")), &out(None), &alert, now);
        assert_eq!(later.status, OutboundStatus::Expired, "no template to them");
        assert!(later.error_message.unwrap().contains("opted out"));
        let code = Notice::new(Purpose::LoginCode, format!("Code {CODE_MASK}"));
        assert_ne!(
            compose(&wa(None), &out(None), &code, now).status,
            OutboundStatus::Expired
        );
    }

    #[test]
    fn text_inside_the_window_template_or_held_outside() {
        let now = 100 * crate::domain::whatsapp::WINDOW_MS;
        let notice = Notice::new(Purpose::Alert, "⚠️ Low stock:\n  screws — 3 left".into());
        let row = compose(&wa(None), &to(Some(now - 3_600_000)), &notice, now);
        assert_eq!(
            (row.kind, row.status),
            (OutboundKind::Text, OutboundStatus::Queued)
        );

        let row = compose(
            &wa(None),
            &to(Some(now - crate::domain::whatsapp::WINDOW_MS + 60_000)),
            &notice,
            now,
        );
        assert_eq!(
            row.status,
            OutboundStatus::Held,
            "a minute left is too close to call"
        );
        assert!(row.error_message.unwrap().contains("TEMPLATE_ALERT"));
        assert_eq!(
            compose(&wa(None), &to(None), &notice, now).status,
            OutboundStatus::Held
        );

        let row = compose(&wa(Some("stock_alert")), &to(None), &notice, now);
        assert_eq!(
            (row.kind, row.status),
            (OutboundKind::Template, OutboundStatus::Queued)
        );
        let t: Value = serde_json::from_str(&row.content.unwrap()).unwrap();
        assert_eq!(t["name"], "stock_alert");
        assert_eq!(
            t["components"][0]["parameters"][0]["text"],
            "⚠️ Low stock: · screws — 3 left"
        );
    }

    #[test]
    fn stale_notes_are_dropped_not_held() {
        let now = 100 * crate::domain::whatsapp::WINDOW_MS;
        let notice = Notice::new(Purpose::BackInStock, "🔔 Back in stock: saw".into());
        let inside = compose_or_drop(&wa(None), &to(Some(now - 60_000)), &notice, now);
        assert_eq!(inside.map(|r| r.kind), Some(OutboundKind::Text));
        assert!(compose_or_drop(&wa(None), &to(None), &notice, now).is_none());
        let mut w = wa(None);
        w.templates.back_in_stock = Some(TemplateRef {
            name: "restocked".into(),
            language: "en_US".into(),
        });
        let row = compose_or_drop(&w, &to(None), &notice, now).expect("template");
        assert_eq!(row.kind, OutboundKind::Template);
    }

    #[test]
    fn login_codes_carry_the_code_in_the_button_too() {
        let mut w = wa(None);
        w.templates.login_code = Some(TemplateRef {
            name: "login".into(),
            language: "fr".into(),
        });
        let notice = Notice {
            purpose: Purpose::LoginCode,
            text: format!("Your code is {CODE_MASK}"),
            param: Some(CODE_MASK.into()),
            sealed: Some("enc1:sealed".into()),
        };
        let row = compose(&w, &to(None), &notice, 0);
        assert_eq!(row.sealed.as_deref(), Some("enc1:sealed"));
        let t: Value = serde_json::from_str(&row.content.unwrap()).unwrap();
        assert_eq!(t["language"]["code"], "fr");
        assert_eq!(t["components"][1]["parameters"][0]["text"], CODE_MASK);
    }
}
