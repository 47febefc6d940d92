//! Token clean-up before reading: Zulu noun prefixes split off borrowed words
//! ("ne-hammer" -> "and hammer", "ama-drill" -> "drill"), the clitic "'s" split
//! off a noun ("the ladder's broken"), chat shorthand written out, "4 me" / "4
//! a dozen" read as "for", text-speak without vowels ("dwn", "hld", "snt") read
//! as the one intent or function word with that skeleton, a doubled letter
//! typed once ("ad 5"), "vs avez" as "vous", "R 350" kept as rands, and
//! misspelt intent words ("sould", "recieved", "delivred") corrected against
//! the intent vocabulary — like item typos, with guards so real words and item
//! words are never "corrected".

use super::lexicon::{self, Role};
use super::names::ZULU_PREFIXES;
use super::text::Token;
use super::typo::{bag_distance, is_real_word, is_skeleton_of, is_typo_of, vowelless};
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

/// Short words text-speak writes as consonants only ("dwn", "frm", "wth"),
/// besides the intent words above. A skeleton two of them share is left alone.
#[rustfmt::skip]
const PLAIN: &[&str] = &[
    "down", "from", "with", "this", "that", "them", "then", "want", "went", "need", "send", "sent",
    "much", "still", "just", "only", "left", "have", "some", "more", "next", "last", "list",
    "week", "total", "today", "level", "sold", "used", "broke", "took", "back", "about",
    "after", "before", "pick", "book", "keep", "hold", "stock", "soon", "later", "here", "there",
    "where", "what", "when", "which", "your", "yours", "mine", "ours", "tonight", "check",
    "please", "thanks",
];

/// The word a vowel-less abbreviation stands for, when exactly one intent or
/// function word has that skeleton and no catalogue word does ("dwn" ->
/// "down"; "snd" stays when the shop sells sand).
fn skeleton_word(w: &str, known: &KnownItems) -> Option<&'static str> {
    if !vowelless(w) || units::unit_code(w).is_some() || super::words::classes(w) != 0 {
        return None;
    }
    let mut found = None;
    let first = w.as_bytes()[0];
    for &v in VOCAB
        .iter()
        .chain(PLAIN)
        .filter(|v| v.as_bytes()[0] == first)
    {
        if is_skeleton_of(w, v) {
            if found.is_some_and(|f| f != v) {
                return None;
            }
            found = Some(v);
        }
    }
    found.filter(|_| !known.index().near_item_word(w))
}

/// "ad 5 trowels", "sel 3": an intent verb with a doubled last letter
/// written once, straight before a quantity.
fn doubled_verb(w: &str, next: Option<&str>) -> Option<&'static str> {
    if !(2..=4).contains(&w.len()) {
        return None;
    }
    let full = super::cues::doubled_verb(w)?;
    let counted =
        next.is_some_and(|n| numbers::digits_value(n).is_some() || numbers::is_number_word(n));
    counted.then_some(full)
}

/// "vs avez", "vs pouvez": French "vous" before a verb of its person.
fn french_vous(next: Option<&str>) -> bool {
    next.is_some_and(|n| {
        n.len() > 3 && n.ends_with("ez") || matches!(n, "etes" | "faites" | "dites")
    })
}

/// "R 350", "for r 20 each": "r" before a number is rands, not "are".
fn rand_sign(prev: Option<&str>, next: Option<&str>, after: Option<&str>) -> bool {
    let number = next.is_some_and(|n| numbers::digits_value(n).is_some());
    let price_before = prev.is_some_and(|p| {
        matches!(
            p,
            "for"
                | "at"
                | "@"
                | "cost"
                | "costs"
                | "price"
                | "priced"
                | "pay"
                | "paid"
                | "was"
                | "only"
                | "just"
                | "vir"
                | "teen"
                | "kos"
                | "pour"
                | "a"
                | "c'est"
                | "est"
                | "charge"
                | "charged"
                | "sell"
                | "sells"
                | "selling"
        )
    });
    let price_after = after.is_some_and(|a| {
        matches!(
            a,
            "each" | "per" | "a" | "ea" | "apiece" | "le" | "la" | "elk" | "stuk"
        )
    });
    number && (price_before || price_after)
}

/// Words after "4" that make it "for": "4 me", "4 sat", "4 the roof", "4 a dozen".
fn for_follows(w: &str) -> bool {
    matches!(
        w,
        "me" | "you"
            | "a"
            | "an"
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
    // "toppled", "bundled", "tackled": a verb in "-le" with its "-d" is a
    // real word, not a slip on "topped".
    let b = w.as_bytes();
    if w.ends_with("led") && w.len() > 5 && !b"aeioul".contains(&b[b.len() - 4]) {
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
            // "the ladder's broken", "the baker's van": the noun, then "'s"
            if let Some(stem) = t.text.strip_suffix("'s")
                && stem.len() >= 2
                && lexicon::role(t.text) == Role::Content
            {
                out.push(Token::word(stem, t.spaced));
                out.push(Token::word(&t.text[stem.len()..], false));
                continue;
            }
            out.push(t);
        }
    }
    for i in 0..out.len() {
        if out[i].punct {
            continue;
        }
        let w = out[i].text;
        let word = |k: usize| out.get(k).filter(|t| !t.punct).map(|t| t.text);
        let (prev, next) = (i.checked_sub(1).and_then(word), word(i + 1));
        if w == "r" && rand_sign(prev, next, word(i + 2)) {
            // rands: a price sign, kept for the scan
        } else if w == "nd" {
            // "nd 5 bags": need, when it opens the message; "nails nd screws": and
            let opens = out[..i]
                .iter()
                .all(|t| t.punct || super::words::is_greeting(t.text));
            out[i].text = if opens { "need" } else { "and" };
        } else if w == "vs" && french_vous(next) {
            out[i].text = "vous";
        } else if let Some(s) = lexicon::slang(w) {
            out[i].text = s;
        } else if w == "4"
            && out
                .get(i + 1)
                .is_some_and(|n| !n.punct && for_follows(lexicon::slang(n.text).unwrap_or(n.text)))
        {
            out[i].text = "for";
        } else if let Some(full) = doubled_verb(w, next) {
            notes.add(|| format!("typo: {w} -> {full}"));
            out[i].text = full;
        } else if let Some(full) = skeleton_word(w, known) {
            notes.add(|| format!("text-speak: {w} -> {full}"));
            out[i].text = full;
        } else if let Some(fixed) = fix_verb(w, known) {
            notes.add(|| format!("typo: {w} -> {fixed}"));
            out[i].text = fixed;
        }
    }
    out
}
