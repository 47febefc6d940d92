//! The words the bot says back. Short, friendly, and the same shape every time.

use crate::inventory::{Applied, Change, Refusal};
use crate::storage::items::ItemRow;

/// "1 screw", "50 screws", "3 boxes".
pub fn count(n: i64, name: &str) -> String {
    if n == 1 {
        format!("1 {name}")
    } else {
        format!("{n} {}", plural(name))
    }
}

/// English plural of an item name (only the last word changes).
pub fn plural(name: &str) -> String {
    let (head, last) = match name.rsplit_once(' ') {
        Some((h, l)) => (format!("{h} "), l),
        None => (String::new(), name),
    };
    let vowel_before_y = last
        .chars()
        .rev()
        .nth(1)
        .is_some_and(|c| "aeiou".contains(c));
    let last = if last.ends_with('y') && !vowel_before_y && last.len() > 1 {
        format!("{}ies", &last[..last.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|s| last.ends_with(s))
    {
        format!("{last}es")
    } else {
        format!("{last}s")
    };
    format!("{head}{last}")
}

/// One line per applied change, e.g. "✅ Added 50 screws — 50 in stock".
pub fn applied(lines: &[Applied]) -> String {
    lines
        .iter()
        .map(|a| match a.change {
            Change::Add(n) => format!("✅ Added {} — {} in stock", count(n, &a.name), a.after),
            Change::Remove(n) => {
                format!("✅ Removed {} — {} in stock", count(n, &a.name), a.after)
            }
            Change::Set(n) => format!("✅ Set {} to {n} (was {})", plural(&a.name), a.before),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn refusal(r: &Refusal) -> String {
    match r {
        Refusal::UnknownItem { name } => {
            format!("❓ There is no {name} in stock yet, so nothing was changed.")
        }
        Refusal::NotEnough {
            name,
            available: 0,
            requested,
        } => format!(
            "⚠️ No {} in stock, can't remove {requested}. Nothing was changed.",
            plural(name)
        ),
        Refusal::NotEnough {
            name,
            available,
            requested,
        } => format!(
            "⚠️ Only {} in stock, can't remove {requested}. Nothing was changed.",
            count(*available, name)
        ),
        Refusal::TooMuch { name } => {
            format!(
                "⚠️ That would make the count of {} too large. Nothing was changed.",
                plural(name)
            )
        }
    }
}

pub fn quantity(name: &str, row: Option<&ItemRow>) -> String {
    match row {
        Some(r) if r.quantity > 0 => format!("📦 {}: {} in stock", plural(name), r.quantity),
        Some(_) => format!("📦 {}: none in stock", plural(name)),
        None => format!("❓ I don't know an item called \"{name}\"."),
    }
}

pub fn stock_list(items: &[ItemRow]) -> String {
    if items.is_empty() {
        return "📋 No items in stock yet. Try \"Added 50 screws\".".into();
    }
    let mut out = String::from("📋 Stock:");
    for i in items {
        out.push_str(&format!("\n• {}: {}", i.name, i.quantity));
    }
    out
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

pub const STAFF_ONLY: &str = "🔒 Sorry, only shop staff can change stock.";

pub const NOT_UNDERSTOOD: &str = "🤔 Sorry, I didn't get that. Try \"Added 50 screws\", \
    \"sold 3 hammers\", \"set bolts to 120\", \"how many screws?\" or \"stock\".";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        assert_eq!(plural("screw"), "screws");
        assert_eq!(plural("box"), "boxes");
        assert_eq!(plural("battery"), "batteries");
        assert_eq!(plural("paint brush"), "paint brushes");
        assert_eq!(plural("key"), "keys");
        assert_eq!(count(1, "hammer"), "1 hammer");
    }

    #[test]
    fn confirmation_wording() {
        let line = Applied {
            name: "screw".into(),
            change: Change::Add(50),
            before: 0,
            after: 50,
        };
        assert_eq!(applied(&[line]), "✅ Added 50 screws — 50 in stock");
    }
}
