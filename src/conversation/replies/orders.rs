//! Replies to customers: availability, orders and cancellations.

use super::{count, plural, split, t};
use crate::{domain::lang::Lang, storage::items::ItemRow};

/// Whether an item is in stock, with the count only when the shop shows counts.
pub fn availability(lang: Lang, name: &str, row: Option<&ItemRow>, show_counts: bool) -> String {
    match row {
        Some(r) if r.quantity > 0 && show_counts => t(
            lang,
            format!(
                "✅ Yes, we have {} in stock.",
                count(lang, r.quantity, name)
            ),
            format!(
                "✅ Oui, nous avons {} en stock.",
                count(lang, r.quantity, name)
            ),
        ),
        Some(r) if r.quantity > 0 => t(
            lang,
            format!("✅ Yes, we have {} in stock.", plural(lang, name)),
            format!("✅ Oui, nous avons des {} en stock.", plural(lang, name)),
        ),
        Some(_) => t(
            lang,
            format!(
                "❌ Sorry, {} are out of stock right now.",
                plural(lang, name)
            ),
            format!(
                "❌ Désolé, plus de {} en stock pour le moment.",
                plural(lang, name)
            ),
        ),
        None => not_sold(lang, name),
    }
}

pub fn not_sold(lang: Lang, name: &str) -> String {
    t(
        lang,
        format!("❌ Sorry, we don't sell {}.", plural(lang, name)),
        format!("❌ Désolé, nous ne vendons pas de {}.", plural(lang, name)),
    )
}

/// What a customer can buy, split to fit WhatsApp.
pub fn catalogue(lang: Lang, items: &[ItemRow], show_counts: bool) -> Vec<String> {
    let lines: Vec<String> = items
        .iter()
        .filter(|i| i.quantity > 0)
        .map(|i| match show_counts {
            true => format!("• {}: {}", i.name, i.quantity),
            false => format!("• {}", i.name),
        })
        .collect();
    if lines.is_empty() {
        return vec![t(
            lang,
            "😕 Sorry, nothing is in stock right now.",
            "😕 Désolé, rien n'est en stock pour le moment.",
        )];
    }
    split(&t(lang, "🛒 In stock now:", "🛒 En stock :"), &lines)
}

/// "2 × hammer, 1 × saw".
pub fn lines_summary(lines: &[(String, i64)]) -> String {
    lines
        .iter()
        .map(|(name, q)| format!("{q} × {name}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn order_confirmed(lang: Lang, number: &str, lines: &[(String, i64)]) -> String {
    t(
        lang,
        format!(
            "📦 Order #{number} confirmed: {}. We'll let you know when it's ready.",
            lines_summary(lines)
        ),
        format!(
            "📦 Commande n°{number} confirmée : {}. Nous vous prévenons dès qu'elle est prête.",
            lines_summary(lines)
        ),
    )
}

pub fn order_short(lang: Lang, name: &str, available: i64, requested: i64) -> String {
    if available == 0 {
        return t(
            lang,
            format!(
                "😕 Sorry, {} are out of stock, so no order was placed.",
                plural(lang, name)
            ),
            format!(
                "😕 Désolé, plus de {} en stock : aucune commande n'a été passée.",
                plural(lang, name)
            ),
        );
    }
    t(
        lang,
        format!(
            "😕 Sorry, only {available} available (you asked for {requested} {}). No order was placed; \
             send a new order for up to {available}.",
            plural(lang, name)
        ),
        format!(
            "😕 Désolé, seulement {available} disponibles (vous en demandez {requested}). \
             Aucune commande n'a été passée."
        ),
    )
}

pub fn order_cancelled(lang: Lang, number: &str, lines: &[(String, i64)]) -> String {
    t(
        lang,
        format!("🗑️ Order #{number} cancelled ({}).", lines_summary(lines)),
        format!("🗑️ Commande n°{number} annulée ({}).", lines_summary(lines)),
    )
}

pub fn no_open_order(lang: Lang) -> String {
    t(
        lang,
        "🤷 You have no open order to cancel.",
        "🤷 Vous n'avez aucune commande en cours à annuler.",
    )
}

pub fn unknown_products(lang: Lang, skus: &[String]) -> String {
    t(
        lang,
        format!(
            "😕 Sorry, we couldn't match these catalogue products to our stock: {}. No order was placed.",
            skus.join(", ")
        ),
        format!(
            "😕 Désolé, ces produits du catalogue sont introuvables : {}. Aucune commande n'a été passée.",
            skus.join(", ")
        ),
    )
}
