//! Replies about stock: changes, counts, lists, undo and alerts.

use super::{count, plural, split, t};
use crate::{
    domain::lang::Lang,
    inventory::{Applied, Change, Refusal},
    storage::items::ItemRow,
};

/// A pack conversion to mention: "2 boxes of 50".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packs {
    pub packs: i64,
    pub unit: String,
    pub size: i64,
}

/// One line per applied change, e.g. "✅ Added 50 screws — 50 in stock".
pub fn applied(lang: Lang, lines: &[(Applied, Option<Packs>)]) -> String {
    lines
        .iter()
        .map(|(a, packs)| {
            let how = packs.as_ref().map_or(String::new(), |p| {
                format!(" ({} × {})", count(Lang::En, p.packs, &p.unit), p.size)
            });
            match (a.change, lang) {
                (Change::Add(n), Lang::En) => {
                    format!(
                        "✅ Added {}{how} — {} in stock",
                        count(lang, n, &a.name),
                        a.here_after
                    )
                }
                (Change::Add(n), Lang::Fr) => {
                    format!(
                        "✅ Ajouté {}{how} — {} en stock",
                        count(lang, n, &a.name),
                        a.here_after
                    )
                }
                (Change::Remove(n), Lang::En) => {
                    format!(
                        "✅ Removed {}{how} — {} in stock",
                        count(lang, n, &a.name),
                        a.here_after
                    )
                }
                (Change::Remove(n), Lang::Fr) => {
                    format!(
                        "✅ Retiré {}{how} — {} en stock",
                        count(lang, n, &a.name),
                        a.here_after
                    )
                }
                (Change::Set(n), Lang::En) => {
                    format!(
                        "✅ Set {} to {n} (was {})",
                        plural(lang, &a.name),
                        a.here_before
                    )
                }
                (Change::Set(n), Lang::Fr) => {
                    format!(
                        "✅ {} : {n} (avant {})",
                        plural(lang, &a.name),
                        a.here_before
                    )
                }
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn refusal(lang: Lang, r: &Refusal) -> String {
    match r {
        Refusal::UnknownItem { name } => no_such_item(lang, name),
        Refusal::NotEnough {
            name,
            available: 0,
            requested,
        } => t(
            lang,
            format!(
                "⚠️ No {} in stock, can't remove {requested}. Nothing was changed.",
                plural(lang, name)
            ),
            format!(
                "⚠️ Plus de {} en stock, impossible d'en retirer {requested}. Rien n'a été modifié.",
                plural(lang, name)
            ),
        ),
        Refusal::NotEnough {
            name,
            available,
            requested,
        } => t(
            lang,
            format!(
                "⚠️ Only {} in stock, can't remove {requested}. Nothing was changed.",
                count(lang, *available, name)
            ),
            format!(
                "⚠️ Seulement {} en stock, impossible d'en retirer {requested}. Rien n'a été modifié.",
                count(lang, *available, name)
            ),
        ),
        Refusal::TooMuch { name } => t(
            lang,
            format!(
                "⚠️ That would make the count of {} too large. Nothing was changed.",
                plural(lang, name)
            ),
            format!(
                "⚠️ Le stock de {} serait trop grand. Rien n'a été modifié.",
                plural(lang, name)
            ),
        ),
    }
}

pub fn no_such_item(lang: Lang, name: &str) -> String {
    t(
        lang,
        format!("❓ There is no {name} in stock yet, so nothing was changed."),
        format!("❓ Il n'y a pas encore de {name} en stock, rien n'a été modifié."),
    )
}

/// A staff member's count of one item.
pub fn quantity(lang: Lang, name: &str, row: Option<&ItemRow>) -> String {
    match row {
        Some(r) if r.quantity > 0 => t(
            lang,
            format!("📦 {}: {} in stock", plural(lang, name), r.quantity),
            format!("📦 {} : {} en stock", plural(lang, name), r.quantity),
        ),
        Some(_) => t(
            lang,
            format!("📦 {}: none in stock", plural(lang, name)),
            format!("📦 {} : aucun en stock", plural(lang, name)),
        ),
        None => t(
            lang,
            format!("❓ I don't know an item called \"{name}\"."),
            format!("❓ Je ne connais pas d'article « {name} »."),
        ),
    }
}

/// The full stock report for staff, split to fit WhatsApp; low items marked.
pub fn stock_list(lang: Lang, items: &[ItemRow], default_threshold: i64) -> Vec<String> {
    if items.is_empty() {
        return vec![t(
            lang,
            "📋 No items in stock yet. Try \"Added 50 screws\".",
            "📋 Aucun article en stock. Essayez « ajouté 50 vis ».",
        )];
    }
    let lines: Vec<String> = items
        .iter()
        .map(|i| {
            let threshold = i.threshold.unwrap_or(default_threshold);
            let low = if threshold > 0 && i.quantity <= threshold {
                " ⚠️"
            } else {
                ""
            };
            format!("• {}: {}{low}", i.name, i.quantity)
        })
        .collect();
    let header = t(
        lang,
        format!(
            "📋 Stock ({}):",
            count(Lang::En, items.len() as i64, "item")
        ),
        format!(
            "📋 Stock ({}) :",
            count(Lang::Fr, items.len() as i64, "article")
        ),
    );
    split(&header, &lines)
}

pub fn undone(lang: Lang, lines: &[Applied]) -> String {
    let body: Vec<String> = lines
        .iter()
        .map(|a| format!("• {}: {} → {}", a.name, a.here_before, a.here_after))
        .collect();
    t(lang, "↩️ Undone:", "↩️ Annulé :") + "\n" + &body.join("\n")
}

pub fn nothing_to_undo(lang: Lang) -> String {
    t(
        lang,
        "↩️ There's nothing of yours to undo.",
        "↩️ Vous n'avez rien à annuler.",
    )
}

pub fn undo_too_old(lang: Lang, minutes: u64) -> String {
    t(
        lang,
        format!(
            "⌛ Your last change is more than {minutes} minutes old, so it can't be undone. Set the count instead, e.g. \"set screws to 40\"."
        ),
        format!(
            "⌛ Votre dernière opération date de plus de {minutes} minutes et ne peut plus être annulée."
        ),
    )
}

pub fn undo_refused(lang: Lang, r: &Refusal) -> String {
    t(lang, "⚠️ Can't undo: ", "⚠️ Impossible d'annuler : ") + &refusal(lang, r)
}

pub fn pack_set(lang: Lang, name: &str, unit: &str, size: i64) -> String {
    t(
        lang,
        format!("📦 Noted: 1 {unit} of {} = {size}.", plural(lang, name)),
        format!("📦 Noté : 1 {unit} de {} = {size}.", plural(lang, name)),
    )
}
