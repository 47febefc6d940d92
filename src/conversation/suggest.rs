//! "Did you mean…?": the known item a name probably stands for.
//!
//! Looser than the parser's own typo matching, because here a person
//! confirms the guess before anything happens.

use crate::parsing::KnownItems;

/// The known item closest to `name`, if one is close enough to ask about.
pub fn suggestion(name: &str, known: &KnownItems) -> Option<String> {
    let name = name.trim();
    if name.is_empty() || known.contains(name) {
        return None;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut best: Option<(f64, &String)> = None;
    for candidate in known.names() {
        // "claw hammer" for "hammer": the known item is one of the words.
        let contained = words.len() > 1 && words.contains(&candidate.as_str());
        let score = if contained {
            0.9
        } else {
            let similarity = strsim::normalized_damerau_levenshtein(name, candidate);
            let distance = strsim::damerau_levenshtein(name, candidate);
            let allowed = (candidate.chars().count() / 3).max(1);
            if distance <= allowed { similarity } else { 0.0 }
        };
        if score > 0.6 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> KnownItems {
        KnownItems::new(
            ["hammer", "screw", "wheelbarrow", "paint brush", "scarf"]
                .map(String::from)
                .to_vec(),
        )
    }

    #[test]
    fn suggests_close_known_items() {
        let k = known();
        assert_eq!(suggestion("claw hammer", &k).as_deref(), Some("hammer"));
        assert_eq!(suggestion("wheelbarow", &k).as_deref(), Some("wheelbarrow"));
        assert_eq!(suggestion("paintbrush", &k).as_deref(), Some("paint brush"));
        assert_eq!(suggestion("scre", &k).as_deref(), Some("screw"));
        assert_eq!(suggestion("hammer", &k), None, "already known");
        assert_eq!(suggestion("cement", &k), None);
        assert_eq!(suggestion("", &k), None);
    }
}
