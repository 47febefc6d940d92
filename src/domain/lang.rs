//! Which language to answer in: the language of the message, else the
//! person's last one, else English.

/// A language the bot answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    pub fn from_code(code: Option<&str>) -> Self {
        match code {
            Some("fr") => Lang::Fr,
            _ => Lang::En,
        }
    }
}

/// Words common in French chat and rare in English, Afrikaans or Zulu.
const FRENCH: &[&str] = &[
    "je",
    "j'ai",
    "j’ai",
    "vous",
    "avez",
    "nous",
    "avons",
    "est",
    "sont",
    "combien",
    "ajouté",
    "ajoute",
    "ajouter",
    "vendu",
    "vendus",
    "reçu",
    "recu",
    "reçus",
    "voudrais",
    "veux",
    "commande",
    "commander",
    "annule",
    "annuler",
    "bonjour",
    "salut",
    "merci",
    "des",
    "les",
    "une",
    "du",
    "de",
    "il",
    "reste",
    "plus",
    "aide",
    "stock?",
    "svp",
    "s'il",
    "quoi",
    "dernière",
];

/// The message's language, when it says enough to tell.
pub fn detect(text: &str) -> Option<Lang> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '!' | '?' | ':' | ';'))
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return None;
    }
    let french = words.iter().filter(|w| FRENCH.contains(w)).count();
    let accents = lower.chars().any(|c| "éèêàçùâîôû".contains(c));
    if french >= 2 || (french == 1 && (accents || words.len() <= 3)) || (accents && french > 0) {
        Some(Lang::Fr)
    } else if words.iter().any(|w| w.chars().all(char::is_alphabetic)) {
        Some(Lang::En)
    } else {
        None
    }
}

/// Picks the text for the language.
pub fn t(lang: Lang, en: impl Into<String>, fr: impl Into<String>) -> String {
    match lang {
        Lang::En => en.into(),
        Lang::Fr => fr.into(),
    }
}

/// Plural of an item name (only the last word changes).
pub fn plural(lang: Lang, name: &str) -> String {
    let (head, last) = match name.rsplit_once(' ') {
        Some((h, l)) => (format!("{h} "), l),
        None => (String::new(), name),
    };
    let last = match lang {
        Lang::En => english_plural(last),
        Lang::Fr if last.ends_with("eau") || last.ends_with("au") => format!("{last}x"),
        Lang::Fr if last.ends_with(['s', 'x', 'z']) => last.to_string(),
        Lang::Fr => format!("{last}s"),
    };
    format!("{head}{last}")
}

fn english_plural(word: &str) -> String {
    let vowel_before_y = word
        .chars()
        .rev()
        .nth(1)
        .is_some_and(|c| "aeiou".contains(c));
    if ["pliers", "scissors", "tongs"].contains(&word) {
        word.to_string()
    } else if word.ends_with('y') && !vowel_before_y && word.len() > 1 {
        format!("{}ies", &word[..word.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|s| word.ends_with(s))
    {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_french_from_english() {
        assert_eq!(detect("vendu 3 marteaux"), Some(Lang::Fr));
        assert_eq!(detect("Bonjour, je voudrais 2 pinceaux"), Some(Lang::Fr));
        assert_eq!(detect("combien de vis ?"), Some(Lang::Fr));
        assert_eq!(detect("sold 3 hammers"), Some(Lang::En));
        assert_eq!(detect("Added 50 screws"), Some(Lang::En));
        assert_eq!(detect("do you have drills?"), Some(Lang::En));
        assert_eq!(detect("+5"), None);
    }
}
