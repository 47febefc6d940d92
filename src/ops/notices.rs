//! What the shop tells people on its own initiative when an operation
//! changes something they care about: owners about low stock, customers about
//! their orders. (Replies to a message are the chat's, in `conversation`.)

use crate::{
    domain::{
        lang::{Lang, plural, t},
        order::OrderStatus,
    },
    inventory::LowStock,
};

/// One message for owners listing every item that just ran low.
pub fn low_stock_alerts(low: &[LowStock]) -> String {
    low.iter()
        .map(|l| {
            format!(
                "⚠️ Low stock: {} — {} left (alert at {}).",
                plural(Lang::En, &l.name),
                l.quantity,
                l.threshold
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Tells a customer the shop moved their order on (the API or the dashboard).
pub fn order_update(lang: Lang, number: &str, status: OrderStatus) -> Option<String> {
    let (en, fr) = match status {
        OrderStatus::Confirmed => (
            format!("✅ Your order #{number} is confirmed."),
            format!("✅ Votre commande n°{number} est confirmée."),
        ),
        OrderStatus::Ready => (
            format!("📦 Your order #{number} is ready for collection."),
            format!("📦 Votre commande n°{number} est prête à être retirée."),
        ),
        OrderStatus::Fulfilled => (
            format!("🙏 Your order #{number} is complete. Thank you!"),
            format!("🙏 Votre commande n°{number} est terminée. Merci !"),
        ),
        OrderStatus::Cancelled => (
            format!("🗑️ The shop cancelled your order #{number}. Reply here with any question."),
            format!(
                "🗑️ La boutique a annulé votre commande n°{number}. Répondez ici pour toute question."
            ),
        ),
        OrderStatus::Placed => return None,
    };
    Some(t(lang, en, fr))
}

/// The message that sends a purchase order to its supplier.
pub fn purchase_order(po: &crate::domain::purchase::PurchaseOrderPayload) -> String {
    let lines: Vec<String> = po
        .lines
        .iter()
        .map(|l| format!("• {} × {}", l.quantity, plural(Lang::En, &l.name)))
        .collect();
    format!(
        "🧾 Purchase order {} for {}:\n{}\nPlease deliver and quote {} on the delivery note. Thank you!",
        po.reference,
        po.supplier.name,
        lines.join("\n"),
        po.reference
    )
}
