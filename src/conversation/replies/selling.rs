//! Replies that sell: list messages of what is in stock, a product asked
//! about, order buttons, and what to offer instead.

use super::{plural, t};
use crate::domain::lang::Lang;

pub fn shelf_intro(lang: Lang) -> String {
    t(
        lang,
        "🛒 Here's what we have in stock. Tap an item to see it and order.",
        "🛒 Voici ce que nous avons en stock. Touchez un article pour le voir et commander.",
    )
}

pub fn shelf_more(lang: Lang) -> String {
    t(
        lang,
        "🛒 More of what we have:",
        "🛒 La suite de nos articles :",
    )
}

/// The list's button (Meta allows 20 characters).
pub fn shelf_button(lang: Lang) -> String {
    t(lang, "See items", "Voir les articles")
}

pub fn instead_button(lang: Lang) -> String {
    t(lang, "See suggestions", "Voir les idées")
}

/// "Order 2": a reply button that orders that many.
pub fn order_button(lang: Lang, n: i64) -> String {
    t(lang, format!("Order {n}"), format!("Commander {n}"))
}

pub fn how_many(lang: Lang) -> String {
    t(lang, "How many would you like?", "Combien en voulez-vous ?")
}

pub fn unknown_product(lang: Lang) -> String {
    t(
        lang,
        "😕 Sorry, I can't find that product.",
        "😕 Désolé, je ne trouve pas ce produit.",
    )
}

pub fn item_gone(lang: Lang) -> String {
    t(
        lang,
        "😕 Sorry, that item is no longer sold.",
        "😕 Désolé, cet article n'est plus vendu.",
    )
}

/// Offered with up to three in-stock items instead of `name`.
pub fn instead(lang: Lang, name: &str) -> String {
    t(
        lang,
        format!("💡 Instead of {}, we have:", plural(lang, name)),
        format!("💡 À la place des {}, nous avons :", plural(lang, name)),
    )
}

pub fn tell_when_back(lang: Lang) -> String {
    t(
        lang,
        "🔔 I'll let you know when they're back.",
        "🔔 Je vous préviendrai dès leur retour.",
    )
}
