//! The words of purchasing in the chat, read strictly: "reorder screws",
//! "received PO-12", "received PO-12: 40 screws, 10 bolts", "received the
//! Acme order". Anything else is the parser's; a receipt whose lines do not
//! read is `Unclear` (its form is said back), never guessed at.

use std::sync::LazyLock;

use regex::Regex;

/// What a purchasing message asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Purchase {
    /// "reorder screws": the item's name, singular.
    Reorder(String),
    /// "received PO-12[: 40 screws, …]" or "received the Acme order".
    Receive {
        reference: Option<String>,
        supplier: Option<String>,
        /// Count and item name; empty means everything still to come.
        lines: Vec<(i64, String)>,
    },
    /// It starts like a receipt but its lines do not read: say the form.
    Unclear,
}

static REORDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*re-?order\s+([\p{L}][\p{L}\d '\-]{0,60}?)\s*[.!]?\s*$")
        .expect("valid regex")
});
static BY_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*received\s+(PO-\d{1,12})\s*(?::\s*(.*?))?\s*[.!]?\s*$")
        .expect("valid regex")
});
static BY_SUPPLIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*received\s+the\s+(.{1,80}?)\s+order\s*[.!]?\s*$").expect("valid regex")
});
static LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,7})\s+([\p{L}][\p{L}\d '\-]{0,60}?)$").expect("valid regex")
});

/// Reads a purchasing message, or `None` for anything else.
pub(super) fn read(text: &str) -> Option<Purchase> {
    if let Some(c) = REORDER.captures(text) {
        let name = crate::parsing::rules::singular(&c[1].trim().to_lowercase());
        return Some(Purchase::Reorder(name));
    }
    if let Some(c) = BY_SUPPLIER.captures(text) {
        return Some(Purchase::Receive {
            reference: None,
            supplier: Some(c[1].trim().to_string()),
            lines: Vec::new(),
        });
    }
    let c = BY_REFERENCE.captures(text)?;
    let mut lines = Vec::new();
    let listed = c.get(2).map_or("", |m| m.as_str());
    for part in listed.split([',', ';']).flat_map(|p| p.split(" and ")) {
        let part = part.trim().to_lowercase();
        if part.is_empty() {
            continue;
        }
        let Some(l) = LINE.captures(&part) else {
            return Some(Purchase::Unclear);
        };
        let name = crate::parsing::rules::singular(l[2].trim());
        lines.push((l[1].parse().ok()?, name));
    }
    Some(Purchase::Receive {
        reference: Some(c[1].to_uppercase()),
        supplier: None,
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_the_strict_forms() {
        assert_eq!(
            read("reorder screws"),
            Some(Purchase::Reorder("screw".into()))
        );
        assert_eq!(
            read("Received PO-12: 40 screws, 10 bolts"),
            Some(Purchase::Receive {
                reference: Some("PO-12".into()),
                supplier: None,
                lines: vec![(40, "screw".into()), (10, "bolt".into())],
            })
        );
        assert!(
            matches!(read("received po-3"), Some(Purchase::Receive { lines, .. }) if lines.is_empty())
        );
        assert!(matches!(read("received the Acme order"),
            Some(Purchase::Receive { supplier: Some(s), .. }) if s == "Acme"));
        assert_eq!(read("received PO-12: some screws"), Some(Purchase::Unclear));
        assert_eq!(
            read("received 20 screws"),
            None,
            "a plain add is the parser's"
        );
        assert_eq!(read("added 50 screws"), None);
    }
}
