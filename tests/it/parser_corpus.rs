//! The rule parser against the labelled corpus, scored the way the team's
//! scorer describes (`fixtures/parser/`): full-message accuracy must stay at
//! or above 95 %. Names and units are compared after the same normalisation
//! on both sides, so spelling variants the contract forgives are forgiven.

use std::collections::HashMap;

use backroom::parsing::{Parse, batch::known_items_from, rules};
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

#[derive(Deserialize)]
struct Labelled {
    id: String,
    text: String,
    expected: Parse,
}

const ARTICLES: [&str; 11] = [
    "the", "a", "an", "le", "la", "les", "un", "une", "des", "du", "de",
];

/// Accents removed, curly apostrophes straightened, lower case.
fn fold(s: &str) -> String {
    s.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| {
            if c == '\u{2019}' || c == '\u{2018}' {
                '\''
            } else {
                c
            }
        })
        .collect::<String>()
        .to_lowercase()
}

/// One word's comparison key: plural and gender endings folded away.
fn reduce(word: &str) -> String {
    let w = word.to_string();
    if w.chars().count() <= 2 {
        return w;
    }
    if w.len() > 5 && w.ends_with("ies") {
        return format!("{}y", &w[..w.len() - 3]);
    }
    if let Some(stem) = w.strip_suffix("eaux") {
        return format!("{stem}eau");
    }
    if let Some(stem) = w.strip_suffix("aux") {
        return format!("{stem}al");
    }
    if w.ends_with("au") && !w.ends_with("eau") {
        return format!("{}al", &w[..w.len() - 2]);
    }
    if w.ends_with("oux") || w.ends_with("eux") {
        return w[..w.len() - 1].to_string();
    }
    let sibilant = |s: &str| ["s", "x", "z", "ch", "sh"].iter().any(|e| s.ends_with(e));
    let mut w = w;
    if w.ends_with("es") && sibilant(&w[..w.len() - 2]) {
        w.truncate(w.len() - 2);
    } else if w.ends_with('e') && sibilant(&w[..w.len() - 1]) {
        w.truncate(w.len() - 1);
    }
    if w.ends_with('s') && !w.ends_with("ss") {
        w.truncate(w.len() - 1);
    }
    w
}

fn name_key(name: &str) -> String {
    let folded = fold(name);
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    while words.len() > 1 && ARTICLES.contains(&words[0]) {
        words.remove(0);
    }
    let mut words: Vec<String> = words.into_iter().map(str::to_string).collect();
    if let Some(first) = words.first_mut() {
        for elided in ["l'", "d'"] {
            if let Some(rest) = first.strip_prefix(elided) {
                *first = rest.to_string();
            }
        }
    }
    words
        .iter()
        .map(|w| reduce(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn unit_key(unit: Option<&str>) -> Option<String> {
    let synonyms: HashMap<&str, &str> = [
        (
            "box",
            &["box", "boxes", "bx", "boite", "boites", "boks"][..],
        ),
        ("bag", &["bag", "bags", "sac", "sacs", "sak", "sakke"]),
        (
            "kg",
            &[
                "kg",
                "kgs",
                "kilo",
                "kilos",
                "kilogram",
                "kilograms",
                "kilogramme",
            ],
        ),
        ("g", &["g", "gr", "gram", "grams", "gramme", "grammes"]),
        (
            "m",
            &["m", "metre", "metres", "meter", "meters", "mtr", "mtrs"],
        ),
        (
            "litre",
            &[
                "litre", "litres", "liter", "liters", "l", "lt", "ltr", "ltrs",
            ],
        ),
        (
            "ml",
            &[
                "ml",
                "millilitre",
                "millilitres",
                "milliliter",
                "milliliters",
            ],
        ),
        (
            "pack",
            &[
                "pack", "packs", "packet", "packets", "pkt", "pkts", "paquet", "paquets",
            ],
        ),
        ("roll", &["roll", "rolls", "rouleau", "rouleaux"]),
        ("carton", &["carton", "cartons"]),
        ("tin", &["tin", "tins", "can", "cans", "pot", "pots"]),
        (
            "bottle",
            &[
                "bottle",
                "bottles",
                "bouteille",
                "bouteilles",
                "bottel",
                "bottels",
            ],
        ),
        ("crate", &["crate", "crates", "caisse", "caisses"]),
        ("sheet", &["sheet", "sheets", "feuille", "feuilles"]),
        ("loaf", &["loaf", "loaves"]),
        ("pair", &["pair", "pairs", "paire", "paires"]),
        ("tube", &["tube", "tubes"]),
    ]
    .into_iter()
    .flat_map(|(code, spellings)| spellings.iter().map(move |s| (*s, code)))
    .collect();
    unit.map(|u| {
        let folded = fold(u.trim());
        let reduced = reduce(&folded);
        synonyms
            .get(folded.as_str())
            .or_else(|| synonyms.get(reduced.as_str()))
            .map_or(reduced, |code| code.to_string())
    })
}

/// An intent and its items as (name, quantity, unit) keys, order-insensitive.
type Key = (String, Vec<(String, Option<i64>, Option<String>)>);

fn key(p: &Parse) -> Key {
    let mut items: Vec<_> = p
        .items
        .iter()
        .map(|i| (name_key(&i.name), i.quantity, unit_key(i.unit.as_deref())))
        .collect();
    items.sort();
    (p.intent.as_str().to_string(), items)
}

#[test]
fn rule_parser_reaches_95_percent_on_the_corpus() {
    let root = env!("CARGO_MANIFEST_DIR");
    let known = known_items_from(
        &std::fs::read_to_string(format!("{root}/fixtures/parser/known-items.txt")).unwrap(),
    );
    let corpus = std::fs::read_to_string(format!("{root}/fixtures/parser/dev.jsonl")).unwrap();
    let mut total = 0;
    let mut failures = Vec::new();
    for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
        let labelled: Labelled = serde_json::from_str(line).unwrap();
        total += 1;
        let got = rules::parse(&labelled.text, &known);
        if key(&got) != key(&labelled.expected) {
            failures.push(format!(
                "{} {:?}\n    expected {:?}\n    got      {:?}",
                labelled.id,
                labelled.text,
                key(&labelled.expected),
                key(&got)
            ));
        }
    }
    let accuracy = 100.0 * (total - failures.len()) as f64 / total as f64;
    println!("rule parser full-message accuracy: {accuracy:.1}% of {total}");
    assert!(
        accuracy >= 95.0,
        "accuracy {accuracy:.1}% below 95%; failures:\n{}",
        failures.join("\n")
    );
}

#[test]
fn normalisation_matches_the_contract() {
    assert_eq!(name_key("Batteries"), name_key("battery"));
    assert_eq!(name_key("marteaux"), name_key("marteau"));
    assert_eq!(name_key("the paint brushes"), name_key("paint brush"));
    assert_eq!(name_key("clé"), name_key("cle"));
    assert_ne!(name_key("glass"), name_key("glas"));
    assert_eq!(name_key("hoses"), name_key("hose"));
    assert_eq!(unit_key(Some("sacs")), Some("bag".into()));
    assert_eq!(unit_key(Some("Litres")), Some("litre".into()));
    assert_eq!(unit_key(Some("rouleaux")), Some("roll".into()));
}
