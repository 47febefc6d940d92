//! `backroom score`: a parser measured against a labelled corpus (JSON lines
//! of `{id, text, expected: {intent, items}, lang, tags}`), with the
//! normalisation and comparison the team's parse contract describes
//! (`fixtures/parser/README.md`), so the figures match the team's scorer.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::{Intent, Parse};

/// One labelled message.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub id: String,
    pub text: String,
    pub expected: Expected,
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Expected {
    pub intent: String,
    #[serde(default)]
    pub items: Vec<Value>,
}

/// Reads a corpus; a bad line is an error naming it.
pub fn corpus(text: &str) -> Result<Vec<Case>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", n + 1)))
        .collect()
}

/// A name as the contract compares it: accents, case, articles and regular
/// plural endings folded away.
pub fn name_key(name: &str) -> String {
    let folded = fold(name);
    let mut words: Vec<String> = folded.split_whitespace().map(str::to_string).collect();
    while words.len() > 1 && ARTICLES.contains(&words[0].as_str()) {
        words.remove(0);
    }
    if let Some(first) = words.first_mut() {
        for elided in ["l'", "d'"] {
            if first.len() > 2 && first.starts_with(elided) {
                *first = first[2..].to_string();
            }
        }
    }
    words
        .iter()
        .map(|w| reduce(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Accents removed (compatibility decomposition), curly apostrophes made
/// straight, lower case.
fn fold(text: &str) -> String {
    use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| {
            if matches!(c, '\u{2018}' | '\u{2019}' | '\u{02bc}') {
                '\''
            } else {
                c
            }
        })
        .flat_map(char::to_lowercase)
        .collect()
}

const ARTICLES: [&str; 11] = [
    "the", "a", "an", "le", "la", "les", "un", "une", "des", "du", "de",
];

/// One word's comparison key: the first rule that applies.
fn reduce(w: &str) -> String {
    let n = w.chars().count();
    if n <= 2 {
        return w.to_string();
    }
    if n > 5
        && let Some(stem) = w.strip_suffix("ies")
    {
        return format!("{stem}y");
    }
    if let Some(stem) = w.strip_suffix("eaux") {
        return format!("{stem}eau");
    }
    if let Some(stem) = w.strip_suffix("aux") {
        return format!("{stem}al");
    }
    if !w.ends_with("eau")
        && let Some(stem) = w.strip_suffix("au")
    {
        return format!("{stem}al");
    }
    if w.ends_with("oux") || w.ends_with("eux") {
        return w[..w.len() - 1].to_string();
    }
    let sibilant = |s: &str| ["s", "x", "z", "ch", "sh"].iter().any(|e| s.ends_with(e));
    let mut out = w.to_string();
    if let Some(stem) = w.strip_suffix("es").filter(|s| sibilant(s)) {
        out = stem.to_string();
    } else if let Some(stem) = w.strip_suffix('e').filter(|s| sibilant(s)) {
        out = stem.to_string();
    }
    if out.ends_with('s') && !out.ends_with("ss") {
        out.pop();
    }
    out
}

/// A unit as the contract compares it: a code, or the reduced word.
pub fn unit_key(unit: &str) -> String {
    let folded = fold(unit.trim());
    UNIT_SPELLINGS
        .iter()
        .find(|(_, spellings)| spellings.contains(&folded.as_str()))
        .or_else(|| {
            let reduced = reduce(&folded);
            UNIT_SPELLINGS
                .iter()
                .find(|(_, spellings)| spellings.contains(&reduced.as_str()))
        })
        .map_or_else(|| reduce(&folded), |(code, _)| code.to_string())
}

/// The unit codes and the spellings the contract accepts for each.
const UNIT_SPELLINGS: [(&str, &[&str]); 17] = [
    ("box", &["box", "boxes", "bx", "boite", "boites", "boks"]),
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
            "kilogrammes",
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
            "litre", "litres", "liter", "liters", "l", "lt", "ltr", "ltrs", "ℓ",
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
];

/// An item as compared: (name key, quantity, unit key).
type Key = (String, Option<i64>, Option<String>);

fn quantity(v: &Value) -> Result<Option<i64>, ()> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Ok(Some(i)),
            None => n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                .map(|f| Some(f as i64))
                .ok_or(()),
        },
        _ => Err(()),
    }
}

/// Items as keys; an item whose quantity is not a number or null never
/// matches (it gets a quantity no label has).
fn keys(items: &[Value]) -> Vec<Key> {
    let mut out: Vec<Key> = items
        .iter()
        .map(|i| {
            let name = i["name"].as_str().map(name_key).unwrap_or_default();
            let q = quantity(&i["quantity"]).unwrap_or(Some(i64::MIN));
            let unit = i["unit"].as_str().map(unit_key);
            (name, q, unit)
        })
        .collect();
    out.sort();
    out
}

/// How one answer compares with its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Verdict {
    pub intent: bool,
    pub items: bool,
    pub full: bool,
    /// The answer changes stock (add/remove/set) and is wrong: another
    /// intent was meant, or another item or quantity.
    pub harmful: bool,
}

/// Compares an answer with a label.
pub fn judge(expected: &Expected, got: &Parse) -> Verdict {
    let got_json = serde_json::to_value(&got.items).unwrap_or_default();
    let got_items = keys(got_json.as_array().map_or(&[], Vec::as_slice));
    let want_items = keys(&expected.items);
    let pairs = |k: &[Key]| {
        let mut v: Vec<(String, Option<i64>)> = k.iter().map(|(n, q, _)| (n.clone(), *q)).collect();
        v.sort();
        v
    };
    let intent = got.intent.as_str() == expected.intent.trim().to_lowercase();
    let items = pairs(&got_items) == pairs(&want_items);
    let full = intent && got_items == want_items;
    let harmful = got.intent.changes_stock() && got.intent != Intent::Undo && !(intent && items);
    Verdict {
        intent,
        items,
        full,
        harmful,
    }
}

/// Accuracy counters for one group (an intent, a language, a tag).
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Tally {
    pub messages: usize,
    pub intent: usize,
    pub full: usize,
    pub harmful: usize,
}

impl Tally {
    fn add(&mut self, v: Verdict) {
        self.messages += 1;
        self.intent += usize::from(v.intent);
        self.full += usize::from(v.full);
        self.harmful += usize::from(v.harmful);
    }

    pub fn pct(n: usize, of: usize) -> f64 {
        if of == 0 {
            0.0
        } else {
            100.0 * n as f64 / of as f64
        }
    }
}

/// Every figure of a run.
#[derive(Debug, Default, serde::Serialize)]
pub struct Report {
    pub all: Tally,
    pub items: usize,
    pub by_intent: BTreeMap<String, Tally>,
    pub by_lang: BTreeMap<String, Tally>,
    pub by_tag: BTreeMap<String, Tally>,
    /// Which parser answered, and how often (an LLM's answers that failed
    /// validation were answered by the rules).
    pub by_parser: BTreeMap<String, usize>,
    /// Readings confirmed with the sender first (they count as `unknown`).
    pub asked: usize,
    /// Time to answer each message, in microseconds.
    #[serde(skip)]
    pub micros: Vec<i64>,
    /// (id, text, label, answer, verdict) of every miss.
    #[serde(skip)]
    pub misses: Vec<(Case, Parse, Verdict)>,
}

impl Report {
    pub fn record(&mut self, case: &Case, got: &Parse) {
        let v = judge(&case.expected, got);
        self.all.add(v);
        self.items += usize::from(v.items);
        self.by_intent
            .entry(case.expected.intent.clone())
            .or_default()
            .add(v);
        self.by_lang.entry(case.lang.clone()).or_default().add(v);
        for tag in &case.tags {
            self.by_tag.entry(tag.clone()).or_default().add(v);
        }
        if !v.full {
            self.misses.push((case.clone(), got.clone(), v));
        }
    }

    /// Notes who answered and how long it took.
    pub fn timing(&mut self, parsed: &super::Parsed, known: &super::KnownItems) {
        *self.by_parser.entry(parsed.by.to_string()).or_default() += 1;
        self.asked += usize::from(parsed.needs_confirmation(known));
        self.micros.push(parsed.micros);
    }

    /// The `q` quantile of the answer times, in milliseconds.
    pub fn latency_ms(&self, q: f64) -> f64 {
        let mut m = self.micros.clone();
        m.sort_unstable();
        m.get(((m.len().max(1) - 1) as f64 * q).round() as usize)
            .map_or(0.0, |us| *us as f64 / 1000.0)
    }

    pub fn full_pct(&self) -> f64 {
        Tally::pct(self.all.full, self.all.messages)
    }
}

mod report;
mod run;

pub use run::{check, run_files};
#[cfg(test)]
mod tests;
