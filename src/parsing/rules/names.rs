//! Item names outside the catalogue: Zulu noun prefixes, singular forms, and a
//! last look for a catalogue typo across the whole name (rules 7, 9, 10).

use super::singular::singular;
use super::text::fold;
use super::typo::{is_real_word, is_typo_of};
use super::{KnownItems, Notes};

/// Zulu noun-class prefixes written with a hyphen before a borrowed word
/// ("ama-drill", "i-hammer", "izi-spade"), and the joined forms "and" (ne-,
/// nama-) and "of" (ye-, ka-) that `normalize` turns into words.
pub const ZULU_PREFIXES: &[&str] = &[
    "ngama-", "nama-", "nezi-", "nezin-", "ama-", "ezi-", "izi-", "izin-", "ezin-", "aba-", "imi-",
    "isi-", "ubu-", "uku-", "ii-", "yi-", "ka-", "ne-", "na-", "ye-", "we-", "wa-", "ze-", "za-",
    "ya-", "kwe-", "kwa-", "lwe-", "i-", "u-", "e-",
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
    // Misspelt catalogue words were anchored already: this name is new stock.
    notes.add(|| format!("new item: {one}"));
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

pub fn strip_zulu_prefix(w: &str) -> &str {
    ZULU_PREFIXES
        .iter()
        .find_map(|p| w.strip_prefix(p).filter(|rest| rest.len() >= 3))
        .unwrap_or(w)
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
