//! The rule parser: plain English stock commands, no network.

use std::sync::LazyLock;

use regex::Regex;

use super::{Intent, Item, KnownItems, Parse};

static LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(stock|list|inventory|stock report|what do we have( in stock)?|show stock)$")
        .expect("valid regex")
});
static SET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:set|update|change)\s+(.+?)\s+to\s+(\d+)$").expect("valid regex")
});
static QUERY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:how many|how much)\s+(.+?)(?:\s+(?:do we have|are there|in stock|left))?$")
        .expect("valid regex")
});
static CHANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(added|add|got|received|restocked|sold|removed|remove|used)\s+(\d+)\s+(.+)$")
        .expect("valid regex")
});
static SIGNED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([+-])\s*(\d+)\s+(.+)$").expect("valid regex"));

/// Parses one message, with notes on how the answer was reached.
pub fn parse_explained(text: &str, known: &KnownItems) -> (Parse, Vec<String>) {
    (parse(text, known), Vec::new())
}

/// Parses one message.
pub fn parse(text: &str, _known: &KnownItems) -> Parse {
    let text = normalise(text);
    if LIST.is_match(&text) {
        return Parse::bare(Intent::List);
    }
    if let Some(c) = SET.captures(&text) {
        return one(Intent::Set, &c[1], c[2].parse().ok());
    }
    if let Some(c) = QUERY.captures(&text) {
        return one(Intent::Query, &c[1], None);
    }
    if let Some(c) = CHANGE.captures(&text) {
        let intent = match &c[1] {
            "added" | "add" | "got" | "received" | "restocked" => Intent::Add,
            _ => Intent::Remove,
        };
        return one(intent, &c[3], c[2].parse().ok());
    }
    if let Some(c) = SIGNED.captures(&text) {
        let intent = if &c[1] == "+" {
            Intent::Add
        } else {
            Intent::Remove
        };
        return one(intent, &c[3], c[2].parse().ok());
    }
    Parse::unknown()
}

fn one(intent: Intent, name: &str, quantity: Option<i64>) -> Parse {
    let name = singular(name.trim());
    if name.is_empty() {
        return Parse::unknown();
    }
    Parse {
        intent,
        items: vec![Item {
            name,
            quantity,
            unit: None,
        }],
    }
    .bounded_if(intent != Intent::Query)
}

impl Parse {
    fn bounded_if(self, check: bool) -> Self {
        if check { self.bounded() } else { self }
    }
}

fn normalise(text: &str) -> String {
    text.trim()
        .trim_end_matches(['?', '!', '.'])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// English plural to singular, for the common regular forms.
pub fn singular(word: &str) -> String {
    let (head, last) = match word.rsplit_once(' ') {
        Some((h, l)) => (Some(h), l),
        None => (None, word),
    };
    let one = if let Some(stem) = last.strip_suffix("ies").filter(|s| s.len() > 2) {
        format!("{stem}y")
    } else if ["ses", "xes", "zes", "ches", "shes"]
        .iter()
        .any(|suffix| last.ends_with(suffix))
    {
        last[..last.len() - 2].to_string()
    } else if last.ends_with('s') && !last.ends_with("ss") && last.len() > 2 {
        last[..last.len() - 1].to_string()
    } else {
        last.to_string()
    };
    match head {
        Some(h) => format!("{h} {one}"),
        None => one,
    }
}

/// The known item `name` is probably a misspelling of (placeholder until the full parser lands).
pub fn closest_known(name: &str, known: &KnownItems) -> Option<String> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let cur = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
                prev = cur;
            }
        }
        row[b.len()]
    }
    let limit = if name.chars().count() >= 5 { 2 } else { 1 };
    known
        .names()
        .iter()
        .map(|k| (distance(name, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k.clone())
}

/// Whether a message tries to instruct the bot (placeholder until the full parser lands).
pub fn looks_unsafe(text: &str) -> bool {
    let t = text.to_lowercase();
    [
        "ignore previous",
        "ignore all",
        "system:",
        "admin mode",
        "forget your rules",
    ]
    .iter()
    .any(|cue| t.contains(cue))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Parse {
        parse(text, &KnownItems::default())
    }

    #[test]
    fn staff_commands() {
        let add = p("Added 50 screws");
        assert_eq!(add.intent, Intent::Add);
        assert_eq!(add.items[0].name, "screw");
        assert_eq!(add.items[0].quantity, Some(50));
        assert_eq!(p("sold 3 hammers").intent, Intent::Remove);
        let set = p("set bolts to 120");
        assert_eq!(
            (set.intent, set.items[0].quantity),
            (Intent::Set, Some(120))
        );
        let query = p("how many screws?");
        assert_eq!(
            (query.intent, query.items[0].quantity),
            (Intent::Query, None)
        );
        assert_eq!(p("stock").intent, Intent::List);
        assert_eq!(p("+5 nails").intent, Intent::Add);
        assert_eq!(p("added 0 bolts").intent, Intent::Unknown);
        assert_eq!(p("what is the weather").intent, Intent::Unknown);
    }

    #[test]
    fn singulars() {
        assert_eq!(singular("boxes"), "box");
        assert_eq!(singular("batteries"), "battery");
        assert_eq!(singular("paint brushes"), "paint brush");
        assert_eq!(singular("glass"), "glass");
    }
}
