//! What the chat says about purchase orders (in English: staff and
//! suppliers' words are shop business, not customers').

use crate::{
    domain::{
        lang::{Lang, plural, t},
        purchase::{PurchaseLine, PurchaseOrderPayload, PurchaseStatus},
    },
    storage::purchase_orders::PoRow,
};

fn listed(lines: &[PurchaseLine], count: impl Fn(&PurchaseLine) -> i64) -> String {
    let parts: Vec<String> = lines
        .iter()
        .filter(|l| count(l) > 0)
        .map(|l| format!("{} {}", count(l), plural(Lang::En, &l.name)))
        .collect();
    parts.join(", ")
}

pub fn receipt_form() -> String {
    "🤔 I could not read that receipt. Write it like \"received PO-12\" (all of it) or \
     \"received PO-12: 40 screws, 10 bolts\" (part of it)."
        .into()
}

pub fn no_supplier(name: &str) -> String {
    format!(
        "🤔 {} has no supplier and reorder quantity yet. Set them on the dashboard or with the API.",
        plural(Lang::En, name)
    )
}

pub fn no_open(what: &str) -> String {
    format!("🤔 There is no open purchase order for {what}. Nothing changed.")
}

pub fn which_order(open: &[PoRow]) -> String {
    let refs: Vec<&str> = open.iter().map(|p| p.reference.as_str()).collect();
    format!("📦 Which order arrived? {} are open.", refs.join(", "))
}

pub fn ordered(po: &PurchaseOrderPayload) -> String {
    format!(
        "🧾 {} sent to {}: {}.",
        po.reference,
        po.supplier.name,
        listed(&po.lines, |l| l.quantity)
    )
}

pub fn not_on(reference: &str, name: &str, lines: &[PurchaseLine]) -> String {
    format!(
        "🤔 {reference} has no {}; it lists {}. Nothing changed.",
        plural(Lang::En, name),
        listed(lines, |l| l.quantity)
    )
}

pub fn received(po: &PurchaseOrderPayload) -> String {
    let got = listed(&po.lines, |l| l.received);
    if po.status == PurchaseStatus::Closed {
        return format!("✅ {} received in full ({got}) and closed.", po.reference);
    }
    format!(
        "📦 Received on {}: {got} so far. Still to come: {}.",
        po.reference,
        listed(&po.lines, |l| l.quantity - l.received)
    )
}

/// To a supplier who writes in: noted, nothing changed.
pub fn supplier_noted(lang: Lang) -> String {
    t(
        lang,
        "🙏 Thank you — the shop will read your message.",
        "🙏 Merci — la boutique lira votre message.",
    )
}
