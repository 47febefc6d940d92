//! What role a word can play around item names: dropped filler, a preposition
//! that opens context, a joiner between items, an intent word, a person or
//! carrier, a word that is never part of a product name, or possible name text.

use super::cues;
use super::words;

/// How a word behaves between quantities and item names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Articles, pronouns, auxiliaries, fillers, politeness: dropped.
    Filler,
    /// Prepositions and time words: what follows is context ("to the builder",
    /// "for Saturday", "this morning") until the next joiner.
    Boundary,
    /// Joins two items ("and", "et", "en", "+").
    Sep,
    /// A word that carries intent ("sold", "delivery", "how"): never a name.
    Cue,
    /// A person or carrier ("customer", "guy", "truck"): never a name, and a
    /// known item right before it is a modifier ("the bread guy").
    Agent,
    /// Adverbs, places, times and other words that never belong to a product
    /// name ("somewhere", "finally", "namhlanje", "encore").
    Stop,
    /// Anything else may be (part of) an item name.
    Content,
}

/// The role of one folded word, before anchors are known.
pub fn role(w: &str) -> Role {
    use words::{BOUNDARY, CARRIER, CURRENCY, FILLER, GREETING, PERSON, QUESTION_WORD, SEP, STOP};
    let c = words::classes(w);
    if c & CURRENCY != 0 || is_price(w) {
        Role::Boundary
    } else if c & SEP != 0 {
        Role::Sep
    } else if c & BOUNDARY != 0 {
        Role::Boundary
    } else if cues::is_cue_word(w) {
        Role::Cue
    } else if c & (PERSON | CARRIER) != 0 {
        Role::Agent
    } else if c & (FILLER | GREETING | QUESTION_WORD) != 0 {
        Role::Filler
    } else if c & STOP != 0 || participle(w) || super::cues_zu::function_word(w) {
        Role::Stop
    } else {
        Role::Content
    }
}

/// "fixing", "checking", "collecting": a verb form, not a product — unless
/// it is one of the nouns that end the same way.
pub fn participle(w: &str) -> bool {
    let ing = w.len() >= 6 && w.ends_with("ing") && !words::is_ing_noun(w);
    // "placed", "asked": past forms; "-eed" words are nouns (seed, tweed)
    let ed = w.len() > 4 && w.ends_with("ed") && !w.ends_with("eed");
    ing || ed
}

/// Currency names and codes: the number beside them is a price (rule 14).
pub fn is_currency(w: &str) -> bool {
    words::classes(w) & words::CURRENCY != 0
}

/// "r450", "r1.50": a price written as one word.
fn is_price(w: &str) -> bool {
    w.strip_prefix('r').is_some_and(|d| {
        d.starts_with(|c: char| c.is_ascii_digit())
            && d.bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    })
}

/// Chat shorthand and phonetic spellings, written out.
pub fn slang(w: &str) -> Option<&'static str> {
    Some(match w {
        "hw" => "how",
        "mny" | "meny" => "many",
        "u" | "ya" | "yu" => "you",
        "ur" => "your",
        "r" => "are",
        "pls" | "plz" | "pleez" | "plse" | "asb" | "plis" => "please",
        "hav" | "hve" | "hv" => "have",
        "wat" | "wot" | "wht" => "what",
        "whats" | "wats" | "wots" => "what's",
        "lite" => "light",
        "thru" => "through",
        "id" => "i'd",
        "im" => "i'm",
        "ive" => "i've",
        "ill" => "i'll",
        "dont" => "don't",
        "cant" | "cnt" => "can't",
        "chk" | "chck" | "chek" => "check",
        "sum" => "some",
        "tmrw" | "tmr" | "2moro" | "2morrow" | "tomoz" => "tomorrow",
        "2day" | "tday" | "2dy" | "2de" => "today",
        "2nite" | "tonite" | "2night" => "tonight",
        "nite" => "night",
        "thx" | "tnx" | "thanx" | "thnx" | "ty" => "thanks",
        "ordr" | "oder" => "order",
        "cos" | "coz" | "cause" | "bcos" | "bc" => "because",
        "rpt" => "report",
        "lft" => "left",
        "tk" => "take",
        "gt" => "get",
        "cn" => "can",
        "cld" => "could",
        "wld" => "would",
        "shld" => "should",
        "bjr" | "bjour" => "bonjour",
        "rcvd" | "recd" | "rec'd" | "rcv" | "rcvd." => "received",
        "dlvd" | "dlvrd" => "delivered",
        "b4" => "before",
        "abt" => "about",
        "ea" => "each",
        "wk" => "week",
        "ppl" => "people",
        "qty" | "qnty" | "qtty" => "quantity",
        "avail" | "avl" | "avbl" | "availble" => "available",
        "nw" => "now",
        _ => return None,
    })
}

/// Words after which a number is not a quantity: "at 9", "aisle 3", "not 20".
#[rustfmt::skip]
pub fn blocks_next_number(w: &str) -> bool {
    matches!(
        w,
        "at" | "around" | "till" | "until" | "before" | "after" | "not" | "pas" | "nie" | "route"
            | "road" | "highway" | "hwy" | "exit" | "aisle" | "shelf" | "bay" | "row" | "gate"
            | "room" | "unit" | "flat" | "house" | "stand" | "erf" | "platform" | "page"
            | "table" | "bus" | "taxi" | "channel" | "no" | "number" | "nr" | "ref" | "invoice"
            | "order#" | "than" | "instead" | "@" | "om" | "vers" | "by" | "call" | "phone"
            | "tel" | "cell" | "code" | "account" | "acc" | "r"
    ) || is_currency(w)
}

/// Words after which a number was a price, time or measure, not a count.
#[rustfmt::skip]
pub fn blocks_prev_number(w: &str) -> bool {
    matches!(
        w,
        "rand" | "bucks" | "each" | "per" | "euro" | "euros" | "dollars" | "dollar" | "cents"
            | "am" | "pm" | "h" | "o'clock" | "oclock" | "percent" | "%" | "minutes" | "mins"
            | "hours" | "hrs" | "days" | "weeks" | "years" | "yrs" | "am." | "pm." | "uur"
            | "heures" | "sec" | "seconds" | "months" | "times" | "c" | "apiece"
    ) || is_currency(w)
}

/// Street-name endings: "12 Main Rd" is an address, not twelve of anything.
#[rustfmt::skip]
pub fn is_street(w: &str) -> bool {
    matches!(
        w,
        "rd" | "road" | "st" | "street" | "str" | "ave" | "avenue" | "drive" | "dr" | "lane"
            | "ln" | "crescent" | "cres" | "close" | "way" | "blvd" | "boulevard" | "rue"
            | "straat" | "weg" | "laan" | "place" | "pl"
    )
}
