//! Questions that confirm before anything changes, and their buttons (Meta
//! allows three reply buttons of at most 20 characters).

use super::{count, t};
use crate::{
    domain::lang::Lang,
    parsing::{Intent, Item},
};

/// Meta's limit on a reply button's title.
const MAX_TITLE: usize = 20;

/// The full title when it fits, else the short one.
fn title(full: String, short: String) -> String {
    if full.chars().count() <= MAX_TITLE {
        full
    } else {
        short
    }
}

/// "30 wall plugs, 5 hinges"; a count-less item is just named.
pub fn items_summary(lang: Lang, items: &[Item]) -> String {
    items
        .iter()
        .map(|i| match i.quantity {
            Some(n) => count(lang, n, &i.name),
            None => i.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The button for one reading of an uncertain stock change.
pub fn change_button(lang: Lang, intent: Intent, items: &[Item]) -> String {
    let what = items_summary(lang, items);
    let (verb_en, verb_fr) = match intent {
        Intent::Add => ("➕ Add", "➕ Ajouter"),
        Intent::Remove => ("➖ Remove", "➖ Retirer"),
        _ => ("🔢 Set count", "🔢 Compter"),
    };
    let full = match (intent, items) {
        (Intent::Set, [one]) => t(
            lang,
            format!("🔢 Set to {}", one.quantity.unwrap_or(0)),
            format!("🔢 Mettre à {}", one.quantity.unwrap_or(0)),
        ),
        _ => t(
            lang,
            format!("{verb_en} {what}"),
            format!("{verb_fr} {what}"),
        ),
    };
    title(full, t(lang, verb_en, verb_fr))
}

/// The button for one of two readings of the same change that name the
/// items differently ("claw hammer" or "hammer"): the names tell them apart.
pub fn item_button(intent: Intent, items: &[Item]) -> String {
    let sign = match intent {
        Intent::Add => "➕",
        Intent::Remove => "➖",
        _ => "🔢",
    };
    let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
    let full = format!("{sign} {}", names.join(", "));
    full.chars().take(MAX_TITLE).collect()
}

pub fn neither(lang: Lang) -> String {
    t(lang, "✖️ Neither", "✖️ Aucun")
}

/// The question for a stock change the parser is not sure of.
pub fn which_change(lang: Lang, items: &[Item]) -> String {
    let what = items_summary(lang, items);
    t(
        lang,
        format!("🤔 I'm not sure what happened to {what}. Nothing changes until you tap one:"),
        format!(
            "🤔 Je ne suis pas sûr de ce qui est arrivé à {what}. Rien ne change avant votre choix :"
        ),
    )
}

/// A customer's request the parser is not sure of.
pub fn order_question(lang: Lang, items: &[Item]) -> String {
    let what = items_summary(lang, items);
    t(
        lang,
        format!("🛒 Would you like to order {what}?"),
        format!("🛒 Voulez-vous commander {what} ?"),
    )
}

/// A new item whose name is close to a known one.
pub fn new_or_known(lang: Lang, new: &str, known: &str) -> String {
    t(
        lang,
        format!("🤔 There is no {new} yet. Did you mean {known}, or is {new} a new item?"),
        format!(
            "🤔 Il n'y a pas encore de {new}. Vouliez-vous dire {known}, ou est-ce un nouvel article ?"
        ),
    )
}

pub fn known_button(lang: Lang, known: &str) -> String {
    title(
        t(lang, format!("✅ {known}"), format!("✅ {known}")),
        t(lang, "✅ The known one", "✅ L'existant"),
    )
}

pub fn new_button(lang: Lang) -> String {
    t(lang, "🆕 New item", "🆕 Nouvel article")
}

/// What a staff member's add did for an item the shop did not have.
pub fn new_item(lang: Lang, name: &str, after: i64) -> String {
    t(
        lang,
        format!("🆕 New item: {name} — {after} in stock. Reply undo if that's a typo."),
        format!(
            "🆕 Nouvel article : {name} — {after} en stock. Répondez annuler si c'est une faute de frappe."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, n: i64) -> Item {
        Item {
            name: name.into(),
            quantity: Some(n),
            unit: None,
        }
    }

    #[test]
    fn button_titles_fit_whatsapp() {
        let short = [item("plug", 30)];
        assert_eq!(
            change_button(Lang::En, Intent::Add, &short),
            "➕ Add 30 plugs"
        );
        let long = [item("wheelbarrow", 30)];
        assert_eq!(change_button(Lang::En, Intent::Remove, &long), "➖ Remove");
        assert_eq!(change_button(Lang::En, Intent::Set, &long), "🔢 Set to 30");
        for lang in [Lang::En, Lang::Fr] {
            for b in [
                change_button(lang, Intent::Add, &long),
                neither(lang),
                new_button(lang),
                known_button(lang, "extension ladder"),
            ] {
                assert!(b.chars().count() <= MAX_TITLE, "{b}");
            }
        }
    }
}
