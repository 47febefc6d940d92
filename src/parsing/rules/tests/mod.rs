//! Tests, with sentences written for them (none is taken from a corpus):
//! the contract rule by rule, the evidence classes, known-item anchoring, and
//! readings (confidence, questions, sender).

mod anchors;
mod classes;
mod contract_intent;
mod contract_items;
mod languages;
mod names;
mod reading;
mod registers;
mod shorthand;

use super::*;

pub(super) fn known() -> KnownItems {
    let names = [
        "hammer",
        "screw",
        "ciment",
        "light bulb",
        "padlock",
        "wheelbarrow",
        "cement",
        "paint",
        "white paint",
        "paint brush",
        "cable tie",
        "marteau",
        "vis",
        "clou",
        "clé",
        "perceuse",
        "tuyau",
        "scie",
        "drill",
        "glove",
        "bread",
        "milk",
        "pliers",
        "trowel",
        "bolt",
        "candle",
        "mop",
        "tap",
        "egg",
        "sand",
        "rope",
        "bucket",
        "spirit level",
        "ladder",
        "nail",
        "broom",
        "spade",
        "tile",
        "seau",
        "échelle",
        "sugar",
        "tea",
        "cold drink",
        "soap",
    ];
    KnownItems::new(names.iter().map(|s| s.to_string()).collect())
}

pub(super) fn p(text: &str) -> Parse {
    parse(text, &known())
}

/// (name, quantity, unit) triples for compact assertions.
pub(super) fn items(parse: &Parse) -> Vec<(String, Option<i64>, Option<String>)> {
    parse
        .items
        .iter()
        .map(|i| (i.name.clone(), i.quantity, i.unit.clone()))
        .collect()
}

pub(super) fn one(
    name: &str,
    q: Option<i64>,
    unit: Option<&str>,
) -> (String, Option<i64>, Option<String>) {
    (name.to_string(), q, unit.map(String::from))
}

pub(super) fn check(text: &str, intent: Intent, want: &[(&str, Option<i64>, Option<&str>)]) {
    let got = p(text);
    let want: Vec<_> = want.iter().map(|(n, q, u)| one(n, *q, *u)).collect();
    assert_eq!(
        (got.intent, items(&got)),
        (intent, want),
        "message: {text:?}"
    );
}

/// Intent only, for class tests.
pub(super) fn intent(text: &str) -> Intent {
    p(text).intent
}
