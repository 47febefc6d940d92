//! Token clean-up before reading: Zulu noun prefixes split off borrowed words
//! ("ne-hammer" -> "and hammer", "ama-drill" -> "drill"), chat shorthand
//! written out, "4 me" read as "for me", and misspelt intent words ("sould",
//! "recieved", "delivred") corrected against the intent vocabulary — like item
//! typos, with guards so real words and item words are never "corrected".

use super::lexicon::{self, Role};
use super::names::ZULU_PREFIXES;
use super::text::Token;
use super::typo::{bag_distance, is_real_word, is_typo_of};
use super::{KnownItems, Notes, numbers, units};

/// Intent words a misspelling may stand for (4 letters or more).
#[rustfmt::skip]
const VOCAB: &[&str] = &[
    "received", "receive", "delivered", "delivery", "deliver", "arrived", "arrive", "restocked",
    "restock", "returned", "return", "added", "sold", "selling", "used", "broke", "broken",
    "stolen", "damaged", "expired", "cracked", "missing", "written", "cancel", "cancelled",
    "reserve", "order", "ordered", "inventory", "available", "remaining", "counted", "recount",
    "stocktake", "correction", "update", "please", "have", "many", "much", "would", "could",
    "want", "need", "send", "thanks", "there", "tomorrow", "report", "stock", "everything",
    "anymore", "remove", "removed", "help", "menu", "list", "combien", "voudrais", "commander",
    "commande", "annule", "annuler", "vendu", "ajoute", "livraison", "gimme", "bought",
    "anything", "actually", "finished", "replenished", "topped", "dropped", "brought",
    "purchase", "purchased", "hoeveel", "verkoop", "ontvang", "gekry", "kanselleer", "bestel",
    "asseblief", "utilise", "ngicela", "ngifuna", "sithengise", "ngithengise", "sithole",
    "ngithole", "zingaki", "ninawo", "ninayo", "undo", "revert", "reverse", "arrival",
];

/// Words after "4" that make it "for": "4 me", "4 sat", "4 the roof".
fn for_follows(w: &str) -> bool {
    matches!(
        w,
        "me" | "you"
            | "us"
            | "him"
            | "her"
            | "them"
            | "sat"
            | "saturday"
            | "sun"
            | "sunday"
            | "monday"
            | "tue"
            | "tues"
            | "tuesday"
            | "wed"
            | "wednesday"
            | "thu"
            | "thur"
            | "thurs"
            | "thursday"
            | "fri"
            | "friday"
            | "tomorrow"
            | "today"
            | "tonight"
            | "the"
            | "my"
            | "next"
            | "this"
            | "later"
            | "collection"
            | "pickup"
            | "weekend"
            | "week"
    )
}

/// Splits "ama-drill" into its parts: "and"/"of" for joining prefixes, then the word.
fn zulu_split<'a>(t: Token<'a>, out: &mut Vec<Token<'a>>) -> bool {
    let Some(p) = ZULU_PREFIXES.iter().find(|p| t.text.starts_with(**p)) else {
        return false;
    };
    let rest = &t.text[p.len()..];
    if rest.len() < 3 || !rest.starts_with(|c: char| c.is_alphabetic()) || rest.contains('-') {
        return false;
    }
    let joiner = match *p {
        "ne-" | "na-" | "nama-" | "ngama-" | "nezi-" | "nezin-" => Some("and"),
        "ye-" | "ka-" | "we-" | "wa-" | "ze-" | "za-" | "ya-" | "kwe-" | "kwa-" | "lwe-" => {
            Some("of")
        }
        _ => None,
    };
    let mut spaced = t.spaced;
    if let Some(j) = joiner {
        out.push(Token::word(j, spaced));
        spaced = false;
    }
    out.push(Token::word(rest, spaced));
    true
}

/// The intent word a misspelt word stands for, unless it is a real word or
/// looks like an item.
fn fix_verb(w: &str, known: &KnownItems) -> Option<&'static str> {
    // Only words of no known class may be misspellings ("recieved" looks like
    // a past form, which the lexicon sets aside as never a name).
    let unknown = match lexicon::role(w) {
        Role::Content => true,
        Role::Stop => lexicon::participle(w),
        _ => false,
    };
    if w.len() < 4 || !w.bytes().all(|b| b.is_ascii_alphabetic()) || !unknown {
        return None;
    }
    let first = w.as_bytes()[0];
    // Abbreviations drop vowels ("rtrnd", "dlvrd"); a word with several vowels
    // is compared only with words of about its length.
    let vowels = w.bytes().filter(|b| b"aeiouy".contains(b)).count();
    let mut best: Option<(usize, &'static str)> = None;
    for &v in VOCAB.iter().filter(|v| v.as_bytes()[0] == first) {
        if v == w {
            return None;
        }
        if vowels > 1 && v.len().abs_diff(w.len()) > 2 {
            continue;
        }
        // A slip adds, drops or swaps letters; the same length with other
        // letters is usually another word ("counter" is not "counted").
        if v.len() == w.len() && bag_distance(w, v) > 0 {
            continue;
        }
        if let Some(d) = is_typo_of(w, v, 3)
            && best.is_none_or(|(b, _)| d < b)
        {
            best = Some((d, v));
        }
    }
    let (_, v) = best?;
    // Only an unknown word may be a misspelling: never a real word, a known
    // word of another class, a number, a unit or an item.
    let plain = !is_real_word(w)
        && !numbers::is_number_word(w)
        && units::unit_code(w).is_none()
        && !known.index().near_item_word(w);
    plain.then_some(v)
}

pub(super) fn normalize<'a>(
    toks: Vec<Token<'a>>,
    known: &KnownItems,
    notes: &mut Notes<'_>,
) -> Vec<Token<'a>> {
    let mut out = Vec::with_capacity(toks.len() + 2);
    for t in toks {
        if t.punct || !t.text.contains('-') || !zulu_split(t, &mut out) {
            out.push(t);
        }
    }
    for i in 0..out.len() {
        if out[i].punct {
            continue;
        }
        let w = out[i].text;
        if let Some(s) = lexicon::slang(w) {
            out[i].text = s;
        } else if w == "4"
            && out
                .get(i + 1)
                .is_some_and(|n| !n.punct && for_follows(lexicon::slang(n.text).unwrap_or(n.text)))
        {
            out[i].text = "for";
        } else if let Some(fixed) = fix_verb(w, known) {
            notes.add(|| format!("typo: {w} -> {fixed}"));
            out[i].text = fixed;
        }
    }
    out
}
