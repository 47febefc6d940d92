//! Safety screen (rules 16 and 17): instructions aimed at the bot, and SQL or
//! markup where an item name would be. Such messages are refused, never parsed.

use std::sync::LazyLock;

use regex::Regex;

use super::text::fold;

/// Talk about the bot's rules, role changes, and pasted prompts (English and
/// French). Matched on folded text.
static INJECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(ignore|ignoring|disregard|forget|override|bypass|skip|oublie|oubliez|ignorez?)\b",
        r".{0,40}\b(instructions?|rules?|prompts?|previous|above|guidelines?|directives?|",
        r"system|programming|training|constraints?|consignes?|regles?|restrictions?)\b",
        r"|\b(you are now|you're now|from now on,? you|act as|pretend (to be|you)|roleplay|",
        r"jailbreak|new instructions?|system prompt|developer mode|admin mode|god mode|",
        r"debug mode|maintenance mode|sudo|root access|as an ai|language model|your (rules|",
        r"instructions|prompt|programming|guidelines)|tu es maintenant|vous etes maintenant|",
        r"mode (admin|administrateur|developpeur|dev)|nouvelles? (instructions?|consignes?)|",
        r"reveal|print your|repeat after me)\b",
        r"|(^|[\s\[(<#])(system|assistant|developer|admin|root|user)\s*[:\]>]",
        r"|\b(delete|remove|wipe|erase|clear|reset|drop|empty|supprimer?|supprimez|",
        r"efface[rz]?|vide[rz]?)\b.{0,20}\b(all|everything|entire|whole|database|db|",
        r"tout|toute|toutes|tous)\b",
        r"|\bset (all|every|everything)\b|\b(forget|ignore|disregard) (everything|all)\b",
        r"|\byou (were|have been) (told|instructed|programmed)\b",
    ))
    .expect("valid regex")
});

/// SQL fragments that need no special character to be spotted.
static SQL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(drop|truncate|alter|create)\s+(table|database)\b|\bunion\s+(all\s+)?select\b",
        r"|\bselect\s+(\*|.+\s+from)\b|\binsert\s+into\b|\bdelete\s+from\b",
        r"|\bor\s+'?1'?\s*=\s*'?1|'\s*or\s+'|\bxp_\w+|\bexec\s*\(",
    ))
    .expect("valid regex")
});

/// True for prompt-injection or control attempts and for SQL or markup
/// fragments: the message must be refused rather than parsed or forwarded.
pub fn looks_unsafe(text: &str) -> bool {
    if has_code_chars(text) {
        return true;
    }
    let folded = fold(text);
    INJECTION.is_match(&folded) || SQL.is_match(&folded)
}

/// Characters that never occur in a product name (rule 17). "=" is allowed once,
/// between a name and a number ("nails = 200").
fn has_code_chars(text: &str) -> bool {
    if text.contains("--") || text.contains("/*") || text.contains("*/") {
        return true;
    }
    if text
        .chars()
        .any(|c| matches!(c, ';' | '"' | '`' | '<' | '>' | '{' | '}' | '\\'))
    {
        return true;
    }
    let equals = text.matches('=').count();
    if equals == 0 {
        return false;
    }
    if equals > 1 {
        return true;
    }
    // One "=": only "name = number" is a count.
    let (before, after) = text.split_once('=').unwrap_or_default();
    let after = after.trim_start();
    before.contains('\'') || !after.starts_with(|c: char| c.is_alphanumeric())
}
