//! Item names: Zulu noun prefixes, singular forms, catalogue typos (rules 7, 9, 10).

use super::singular::singular;
use super::text::fold;
use super::typo::{is_real_word, is_typo_of};
use super::{KnownItems, Notes};

/// Zulu noun-class prefixes written with a hyphen before a borrowed word
/// ("ama-drill", "i-hammer", "izi-spade").
const ZULU_PREFIXES: &[&str] = &[
    "ama-", "ezi-", "izi-", "izin-", "ezin-", "aba-", "imi-", "isi-", "ubu-", "uku-", "ii-", "i-",
    "u-", "o-", "e-", "ngama-", "nama-", "yi-", "ka-",
];

/// Cue words a misspelling may stand for ("addd", "recieved", "inventry").
const CUE_VOCAB: &[&str] = &[
    "added",
    "add",
    "received",
    "restocked",
    "delivery",
    "delivered",
    "arrived",
    "returned",
    "sold",
    "used",
    "broke",
    "order",
    "cancel",
    "reserve",
    "please",
    "have",
    "many",
    "much",
    "inventory",
    "stock",
    "available",
    "undo",
    "remove",
    "removed",
    "help",
    "menu",
    "list",
    "report",
    "update",
    "correction",
    "count",
    "would",
    "could",
    "want",
    "send",
    "need",
    "hello",
    "thanks",
    "there",
    "deliver",
    "anymore",
    "everything",
    "tomorrow",
    "recount",
    "stocktake",
    "remaining",
    "combien",
    "voudrais",
    "commander",
    "annule",
    "vendu",
    "ajoute",
    "livraison",
    "gimme",
    "restock",
    "bought",
    "available",
];

/// The catalogue item a possibly misspelt name stands for, if any.
pub fn closest_known(name: &str, known: &KnownItems) -> Option<String> {
    let folded = fold(name);
    let folded = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.is_empty() {
        return None;
    }
    let one = singular(&folded);
    if is_real_word(&folded) || is_real_word(&one) {
        return known
            .names()
            .iter()
            .find(|k| fold(k) == one || fold(k) == folded)
            .cloned();
    }
    let mut best: Option<(usize, &String)> = None;
    let mut buf;
    for k in known.names() {
        let key: &str = if k.is_ascii() {
            k
        } else {
            buf = fold(k);
            &buf
        };
        for cand in [folded.as_str(), one.as_str()] {
            if let Some(d) = is_typo_of(cand, key, 4)
                && best.is_none_or(|(b, _)| d < b)
            {
                best = Some((d, k));
            }
        }
        if best.is_some_and(|(d, _)| d == 0) {
            break;
        }
    }
    best.map(|(_, k)| k.clone())
}

/// Cleans the words of one item into its name, or `None` if nothing is left.
pub(super) fn item_name(
    words: &[&str],
    known: &KnownItems,
    notes: &mut Notes<'_>,
) -> Option<String> {
    let mut name = String::new();
    for w in words {
        let w = strip_zulu_prefix(w);
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if w.is_empty() {
            continue;
        }
        if !name.is_empty() {
            name.push(' ');
        }
        name.push_str(w);
    }
    if name.is_empty() {
        return None;
    }
    if let Some(k) = exact(&name, known) {
        return Some(k);
    }
    let one = singular(&name);
    if let Some(k) = exact(&one, known) {
        return Some(k);
    }
    // French plurals the English rules miss ("scies" -> "scie").
    if let Some(k) = name.strip_suffix('s').and_then(|s| exact(s, known)) {
        return Some(k);
    }
    if let Some(k) = closest_known(&name, known) {
        notes.add(|| format!("typo: {name} -> {k} (rule 9)"));
        return Some(k);
    }
    Some(one)
}

/// The catalogue spelling of `name` when it is in the catalogue (accents aside).
fn exact(name: &str, known: &KnownItems) -> Option<String> {
    if known.contains(name) {
        return Some(name.to_string());
    }
    known
        .names()
        .iter()
        .filter(|k| !k.is_ascii())
        .find(|k| folds_to(k, name))
        .cloned()
}

fn strip_zulu_prefix(w: &str) -> &str {
    ZULU_PREFIXES
        .iter()
        .find_map(|p| w.strip_prefix(p).filter(|rest| rest.len() >= 3))
        .unwrap_or(w)
}

/// The cue word a misspelt word stands for, unless it looks like an item.
pub fn fix_cue_word(w: &str, known: &KnownItems) -> Option<&'static str> {
    if w.len() < 3
        || super::lexicon::class(w) != super::lexicon::Class::Content
        || super::numbers::is_number_word(w)
        || super::units::unit_code(w).is_some()
        || !w.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let mut best: Option<(usize, &'static str)> = None;
    // Slips rarely hit the first letter, and checking it first keeps this cheap.
    for &c in CUE_VOCAB
        .iter()
        .filter(|c| c.as_bytes()[0] == w.as_bytes()[0])
    {
        if let Some(d) = is_typo_of(w, c, 3)
            && best.is_none_or(|(b, _)| d < b)
        {
            best = Some((d, c));
        }
    }
    let (_, cue) = best?;
    // Item words win: "scews" is a screw, not a cue.
    let one = singular(w);
    let item_like = known.names().iter().any(|k| {
        k.split_whitespace()
            .any(|kw| is_typo_of(w, kw, 3).is_some() || is_typo_of(&one, kw, 3).is_some())
    });
    (!item_like).then_some(cue)
}

/// Whether `word` folds (accents removed, lower case) to `folded`, without allocating.
fn folds_to(word: &str, folded: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    word.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .eq(folded.chars())
}
