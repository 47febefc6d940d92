//! Zulu evidence: whole words for questions, requests and politeness, and
//! verb stems found inside inflected words, since subject and tense affixes
//! vary ("sithengise", "ngithengise", "ithengisiwe" all hold -thengis-, sell).

use super::cues::Cue::{self, *};

#[rustfmt::skip]
pub(super) const ZULU: &[(Cue, &[&str])] = &[
    (HowMany, &[
        "zingaki", "kungaki", "mangaki", "ingaki", "bangaki", "angaki", "zingakhi",
    ]),
    (Stocked, &[
        "ninawo", "ninayo", "ninazo", "ninalo", "ninabo", "unayo", "unawo", "unazo", "unalo",
        "ukhona", "zikhona", "kukhona", "kusekhona", "isekhona", "usekhona", "zisekhona",
        "sekhona", "ikhona", "akhona", "asekhona", "likhona",
    ]),
    (Zero, &[
        "asinawo", "asinazo", "asinayo", "asinalo", "angisenawo", "angisenazo", "asisenawo",
        "asisenazo", "asisenayo", "akusekho", "azisekho", "ayisekho", "akukho",
    ]),
    (HaveQty, &[
        "sinawo", "sinazo", "sinayo", "sinalo", "sinabo", "nginawo", "nginazo", "nginayo",
        "nginalo", "sisenawo", "sisenazo", "sisenayo",
    ]),
    (Want, &[
        "ngicela", "sicela", "ngifuna", "sifuna", "ngidinga", "sidinga",
    ]),
    (Reserve, &[
        "beka", "bekela", "ngibekele", "sibekele", "eceleni",
    ]),
    (Cancel, &[
        "khansela", "ngikhansela", "khanselwa",
    ]),
    (Undo, &[
        "ngiphambanisile", "siphambanisile", "iphutha", "ngiphutha",
    ]),
    (Help, &[
        "usizo", "siza", "ngisize", "sisize",
    ]),
    (Count, &[
        "ngibale", "sibale", "sibalile", "ngibalile",
    ]),
    (Arrive, &[
        "kungene", "zingene", "singenise",
    ]),
];

/// Zulu verbs by their stems inside inflected words.
pub fn zulu_stem(w: &str) -> Option<Cue> {
    use Cue::*;
    // Zulu verb forms end in a vowel ("-e", "-ile", "-iwe"); English words
    // that happen to hold a stem ("lethal") mostly do not.
    if w.len() < 5 || !w.is_ascii() || !w.ends_with(['a', 'e', 'i', 'o']) {
        return None;
    }
    let stem = |s: &str| w.contains(s);
    // "kuphela" (only) and "kusele" (there remain) hold verb stems but
    // state a level; "-yaphela" (is running out) is low stock.
    if matches!(w, "kuphela" | "qha") {
        return Some(Only);
    }
    if remain(w) {
        return Some(Level);
    }
    if w.ends_with("yaphela") {
        return Some(Low);
    }
    // -eb- (steal) in its passive "-ebiwe": "ebiwe", "zebiwe", "kwebiwe".
    let stolen = w.ends_with("ebiwe") || w.ends_with("ebile") || stem("ntshontsh");
    let cue = if stem("khansel") {
        Cancel
    } else if stolen {
        Loss
    } else if w.len() < 6 {
        return None;
    } else if stem("thengis") {
        Sale
    } else if stem("theng") {
        if w.starts_with("uku") { Buy } else { Bought }
    } else if stem("sebenzis") {
        Used
    } else if stem("phuk") || stem("lahlek") {
        Loss
    } else if stem("buyis") {
        Return
    } else if stem("thol") || stem("leth") || fik(w) {
        Arrive
    } else if stem("engez") {
        Added
    } else if phel(w) {
        Zero
    } else {
        return None;
    };
    Some(cue)
}

/// -sal- / -sele (remain) after a subject prefix: "kusele", "kusale",
/// "zisasele", "okusele" — never the bare "sala" of "sala kahle" (goodbye).
fn remain(w: &str) -> bool {
    let w = w
        .strip_prefix(['o', 'e'])
        .filter(|r| r.len() > 5)
        .unwrap_or(w);
    ["ku", "zi", "i", "a", "si", "li", "lu", "ba", "bu", "u"]
        .iter()
        .filter_map(|p| w.strip_prefix(p))
        .map(|r| {
            r.strip_prefix("sa")
                .filter(|r| r.starts_with('s'))
                .unwrap_or(r)
        })
        .any(|r| matches!(r, "sele" | "sala" | "sale" | "salile" | "seleyo" | "salayo"))
}

/// Zulu words that are never part of an item name: possessives ("i-order
/// yami": my order), relatives of "have" ("esinazo": that we have), and
/// adverbs. Built from the concords rather than listed word by word.
pub fn function_word(w: &str) -> bool {
    // Every form below ends in a vowel; most English nouns do not.
    if w.len() < 3 || !w.is_ascii() || !w.ends_with(['a', 'e', 'i', 'o', 'u']) {
        return false;
    }
    const CONCORDS: &[&str] = &["", "y", "w", "l", "z", "s", "b", "kw", "lw", "k"];
    let possessive = CONCORDS.iter().any(|c| {
        w.strip_prefix(c).is_some_and(|r| {
            matches!(
                r,
                "ami" | "akho" | "ethu" | "enu" | "akhe" | "abo" | "ayo" | "azo" | "awo"
            )
        })
    });
    // e-/o-/a- relative + subject + "-na-" + object: "esinazo", "enginawo", "abanazo"
    let relative = w.strip_prefix(['e', 'o', 'a']).is_some_and(|r| {
        let r = ["si", "ngi", "ni", "ba", "ku", "zi", "li", "u", "i", "a"]
            .iter()
            .find_map(|p| r.strip_prefix(p))
            .unwrap_or(r);
        r.strip_prefix("na")
            .is_some_and(|o| matches!(o, "zo" | "wo" | "yo" | "lo" | "bo" | "so" | "khona"))
    });
    relative
        || possessive
        || matches!(
            w,
            "kuphela"
                | "qha"
                | "futhi"
                | "manje"
                | "kodwa"
                | "noma"
                | "khona"
                | "lapha"
                | "lapho"
                | "kakhulu"
                | "namuhla"
                | "namhlanje"
                | "izolo"
                | "kusasa"
                | "nje"
                | "ngiyabonga"
                | "siyabonga"
                | "ngiyacela"
                | "sicela"
        )
}

/// -fik- (arrive) after a subject prefix: "kufike", "ifikile", "zifikile".
fn fik(w: &str) -> bool {
    ["ku", "i", "zi", "si", "a", "u", "li", "ba", "se"]
        .iter()
        .any(|p| w.strip_prefix(p).is_some_and(|r| r.starts_with("fik")))
}

/// -phel- (be finished): "iphelile", "kuphelile", "siphelelwe"; the
/// infinitive and adverb forms in "-phela" are read above.
fn phel(w: &str) -> bool {
    w.contains("phel")
}
