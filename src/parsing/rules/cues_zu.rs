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
    if w.len() < 6 || !w.is_ascii() || !w.ends_with(['a', 'e', 'i', 'o']) {
        return None;
    }
    let stem = |s: &str| w.contains(s);
    let cue = if stem("thengis") {
        Sale
    } else if stem("theng") {
        if w.starts_with("uku") { Buy } else { Bought }
    } else if stem("sebenzis") {
        Used
    } else if stem("ntshontsh") || w.ends_with("ebiwe") || stem("phuk") || stem("lahlek") {
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

/// -fik- (arrive) after a subject prefix: "kufike", "ifikile", "zifikile".
fn fik(w: &str) -> bool {
    ["ku", "i", "zi", "si", "a", "u", "li", "ba", "se"]
        .iter()
        .any(|p| w.strip_prefix(p).is_some_and(|r| r.starts_with("fik")))
}

/// -phel- (be finished): "iphelile", "kuphelile", "siphelelwe".
fn phel(w: &str) -> bool {
    w.contains("phel")
}
