//! Replies about the conversation itself: opting out and back in, the
//! welcome, and where a customer's order is.

use super::{lines_summary, t};
use crate::domain::{lang::Lang, order::OrderStatus};

pub fn opted_out(lang: Lang, shop: &str) -> String {
    t(
        lang,
        format!(
            "🔕 Done: {shop} won't message you first any more. You can still write to us any time, \
             and we'll answer. Reply START to hear from us again."
        ),
        format!(
            "🔕 C'est noté : {shop} ne vous écrira plus en premier. Vous pouvez toujours nous écrire, \
             nous répondrons. Répondez START pour recevoir à nouveau nos messages."
        ),
    )
}

pub fn opted_in(lang: Lang, shop: &str) -> String {
    t(
        lang,
        format!(
            "🔔 Welcome back: {shop} will let you know about your orders again. Reply STOP any time."
        ),
        format!(
            "🔔 Re-bonjour : {shop} vous tiendra de nouveau au courant de vos commandes. Répondez STOP à tout moment."
        ),
    )
}

pub fn welcome(lang: Lang, shop: &str) -> String {
    t(
        lang,
        format!(
            "👋 Welcome to {shop}! Ask me whether something is in stock, or order by writing \"2 hammers please\". Here's what we have:"
        ),
        format!(
            "👋 Bienvenue chez {shop} ! Demandez-moi si un article est en stock, ou commandez en écrivant « 2 marteaux svp ». Voici ce que nous avons :"
        ),
    )
}

/// Where the customer's newest order is.
pub fn order_status(
    lang: Lang,
    number: &str,
    status: OrderStatus,
    lines: &[(String, i64)],
) -> String {
    let what = lines_summary(lines);
    match status {
        OrderStatus::Placed => t(
            lang,
            format!("🧾 Order #{number} ({what}) is in: the shop will confirm it soon."),
            format!("🧾 Commande n°{number} ({what}) reçue : la boutique va la confirmer."),
        ),
        OrderStatus::Confirmed => t(
            lang,
            format!("👍 Order #{number} ({what}) is confirmed and being got ready."),
            format!("👍 Commande n°{number} ({what}) confirmée, en préparation."),
        ),
        OrderStatus::Ready => t(
            lang,
            format!("📦 Order #{number} ({what}) is ready for you to collect."),
            format!("📦 Commande n°{number} ({what}) prête à être retirée."),
        ),
        OrderStatus::Fulfilled => t(
            lang,
            format!("✅ Order #{number} ({what}) was collected. Thank you!"),
            format!("✅ Commande n°{number} ({what}) retirée. Merci !"),
        ),
        OrderStatus::Cancelled => t(
            lang,
            format!("🗑️ Order #{number} ({what}) was cancelled."),
            format!("🗑️ Commande n°{number} ({what}) annulée."),
        ),
    }
}

pub fn no_orders(lang: Lang) -> String {
    t(
        lang,
        "🤷 You have no orders with us yet. Write what you'd like, e.g. \"2 hammers please\".",
        "🤷 Vous n'avez pas encore de commande. Écrivez ce que vous souhaitez, par ex. « 2 marteaux svp ».",
    )
}
