//! The words the bot says back: short, friendly, the same shape every time,
//! in the language of the message.

mod confirm;
mod orders;
pub mod purchase;
mod selling;
mod social;
mod stock;
pub mod transfer;

pub use confirm::*;
pub use orders::*;
pub use selling::*;
pub use social::*;
pub use stock::*;

use crate::domain::lang::{Lang, plural, t};
use crate::storage::contacts::Role;

/// WhatsApp allows 4096 characters; a little room is left for safety.
pub const MAX_CHARS: usize = 4000;

/// "1 screw", "50 screws".
pub fn count(lang: Lang, n: i64, name: &str) -> String {
    if n == 1 {
        format!("1 {name}")
    } else {
        format!("{n} {}", plural(lang, name))
    }
}

/// Joins lines into as few messages as fit WhatsApp's limit, the header on
/// the first.
pub fn split(header: &str, lines: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = header.to_string();
    for line in lines {
        let line: String = line.chars().take(MAX_CHARS - 1).collect();
        if current.chars().count() + 1 + line.chars().count() > MAX_CHARS {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push('\n');
        }
        current.push_str(&line);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

pub fn help(lang: Lang, role: Role) -> String {
    match (role.keeps_stock(), lang) {
        (true, Lang::En) => "👋 Hi! Tell me what happened to the stock:\n\
            • \"Added 50 screws\" or \"+20 bags of cement\"\n\
            • \"sold 3 hammers, 1 saw\" or \"-2 pipes\"\n\
            • \"set bolts to 120\" (a count)\n\
            • \"how many screws?\" · \"stock\" for the full list\n\
            • \"undo\" reverts your last change\n\
            • \"1 box of screws = 50\" sets a pack size"
            .into(),
        (true, Lang::Fr) => "👋 Bonjour ! Dites-moi ce qui a changé :\n\
            • « ajouté 50 vis » ou « +20 sacs de ciment »\n\
            • « vendu 3 marteaux »\n\
            • « combien de vis ? » · « stock » pour la liste\n\
            • « annule la dernière opération » pour défaire"
            .into(),
        (false, Lang::En) => "👋 Hi! I can tell you what's in stock and take your order:\n\
            • \"Do you have drills?\"\n\
            • \"What do you have?\"\n\
            • \"I'd like 2 hammers\"\n\
            • \"Cancel my order\""
            .into(),
        (false, Lang::Fr) => {
            "👋 Bonjour ! Je vous dis ce qui est en stock et je prends vos commandes :\n\
            • « Vous avez des perceuses ? »\n\
            • « Je voudrais 2 marteaux »\n\
            • « Annule ma commande »"
                .into()
        }
    }
}

pub fn not_understood(lang: Lang, role: Role) -> String {
    match (role.keeps_stock(), lang) {
        (true, Lang::En) => "🤔 Sorry, I didn't get that. Try \"Added 50 screws\", \
            \"sold 3 hammers\", \"set bolts to 120\", \"how many screws?\" or \"stock\"."
            .into(),
        (true, Lang::Fr) => "🤔 Désolé, je n'ai pas compris. Essayez « ajouté 50 vis », \
            « vendu 3 marteaux » ou « combien de vis ? »."
            .into(),
        (false, _) => t(
            lang,
            "🤔 Sorry, I didn't get that. Ask \"do you have drills?\" or order with \
             \"I'd like 2 hammers\". Type \"help\" for more.",
            "🤔 Désolé, je n'ai pas compris. Demandez « vous avez des perceuses ? » ou \
             commandez avec « je voudrais 2 marteaux ».",
        ),
    }
}

pub fn staff_only(lang: Lang) -> String {
    t(
        lang,
        "🔒 Sorry, only shop staff can change stock.",
        "🔒 Désolé, seul le personnel du magasin peut modifier le stock.",
    )
}

pub fn nontext(lang: Lang) -> String {
    t(
        lang,
        "👀 I read text messages and voice notes. Please type what you need, e.g. \
         \"do you have drills?\"",
        "👀 Je lis les messages texte et les notes vocales. Écrivez-moi ce qu'il vous faut.",
    )
}

pub fn did_you_mean(lang: Lang, suggestion: &str) -> String {
    t(
        lang,
        format!("🤔 Did you mean {suggestion}?"),
        format!("🤔 Vouliez-vous dire {suggestion} ?"),
    )
}

/// Titles of the yes/no reply buttons (Meta allows 20 characters).
pub fn yes_no(lang: Lang) -> (String, String) {
    (t(lang, "Yes", "Oui"), t(lang, "No", "Non"))
}

pub fn declined(lang: Lang) -> String {
    t(
        lang,
        "👍 OK, nothing was changed.",
        "👍 D'accord, rien n'a été modifié.",
    )
}

pub fn question_expired(lang: Lang) -> String {
    t(
        lang,
        "⌛ That question has expired or was already answered. Please send your message again.",
        "⌛ Cette question a expiré ou a déjà reçu une réponse. Renvoyez votre message.",
    )
}

/// Quotes a voice note's transcript above the answer to it.
pub fn heard(transcript: &str, answer: &str) -> String {
    let short: String = transcript.chars().take(300).collect();
    format!("🎙️ I heard: \"{short}\"\n{answer}")
}

pub const VOICE_NEEDS_PROVIDER: &str = "🎙️ I can't listen to voice notes yet: they need a speech-capable \
    LLM (LLM_PROVIDER=gemini or openai). Please type your message instead.";
pub const VOICE_IN_SANDBOX: &str =
    "🎙️ Voice notes can't be fetched in sandbox mode (no WhatsApp access token). Please type it.";
pub const VOICE_FAILED: &str =
    "🎙️ Sorry, I couldn't make out that voice note. Please try again or type it.";
pub const VOICE_SILENT: &str =
    "🎙️ That voice note seemed to be silent. Please try again or type it.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        assert_eq!(plural(Lang::En, "screw"), "screws");
        assert_eq!(plural(Lang::En, "box"), "boxes");
        assert_eq!(plural(Lang::En, "battery"), "batteries");
        assert_eq!(plural(Lang::En, "paint brush"), "paint brushes");
        assert_eq!(plural(Lang::En, "key"), "keys");
        assert_eq!(plural(Lang::En, "pliers"), "pliers");
        assert_eq!(plural(Lang::Fr, "marteau"), "marteaux");
        assert_eq!(plural(Lang::Fr, "vis"), "vis");
        assert_eq!(count(Lang::En, 1, "hammer"), "1 hammer");
    }

    #[test]
    fn long_lists_split_under_whatsapps_limit() {
        let lines: Vec<String> = (0..2000)
            .map(|i| format!("• item number {i}: {i}"))
            .collect();
        let parts = split("📋 Stock:", &lines);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.chars().count() <= MAX_CHARS));
        assert!(parts[0].starts_with("📋 Stock:"));
        let joined = parts.join("\n");
        assert_eq!(joined.lines().count(), 2001, "no line lost");
    }
}
