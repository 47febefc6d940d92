//! Evidence words: which intent a word speaks for, by class rather than by
//! sentence. English here; French, Afrikaans and Zulu in `cues_intl`. Words
//! whose meaning depends on their neighbours ("got", "took", "in", "order")
//! are read in `phrases`.

use super::fasthash::{FastMap as HashMap, FastSet as HashSet};
use std::sync::LazyLock;

use super::{cues_intl, cues_zu};

/// One kind of evidence. Several words and phrases map onto each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    // stock coming in
    /// received, arrived, delivered, restocked, a delivery
    Arrive,
    /// added, put on the system
    Added,
    /// a customer return, found again
    Return,
    /// "HAMMERS IN: 12", "1,200 clips in"
    InMark,
    /// "6 more padlocks"
    MoreQty,
    /// "got 3x cords", "we got forty bags"
    GotQty,
    // stock going out
    /// sold, went out
    Sale,
    /// used, used up
    Used,
    /// broke, stolen, lost, expired, written off, gave away
    Loss,
    /// took, taken
    Took,
    /// a third party bought ("a guy came in and bought")
    Bought,
    /// "OUT - 5 cords"
    OutMark,
    // absolute counts
    /// counted, stocktake, recount
    Count,
    /// set, update, change, mets … à
    SetTo,
    /// actually, should be, "not 20 its 25"
    Correction,
    /// left, remaining, oor, il reste, sitting at
    Level,
    /// now, nou, maintenant
    Now,
    /// only, seulement, net
    Only,
    /// "we have 40", "there are 25", "ons het 12", "on a 30"
    HaveQty,
    /// out of, sold out, no more, klaar, iphelile
    Zero,
    // questions
    /// how many, combien, hoeveel, zingaki
    HowMany,
    /// do you have, got any, available, ninawo, het julle, vous avez
    Stocked,
    /// check
    Check,
    // the whole stock
    /// stock, inventory, report, everything, what do we have
    Stock,
    /// low, running out, almost gone, min
    Low,
    // a buyer
    /// want, need, I'd like, voudrais, ngicela, soek
    Want,
    /// can I get, I'll take, kan ek
    Ask,
    /// reserve, hold, set aside, put me down for
    Reserve,
    /// send me, can you bring, deliver to
    Send,
    /// buy, purchase (not yet done)
    Buy,
    /// order, commande, bestel
    OrderWord,
    // the rest
    Cancel,
    Undo,
    /// "the last entry", "that was wrong": undo when paired with cancel words
    UndoMark,
    Help,
}

/// Single words and their evidence, English first, then French and
/// Afrikaans (a word in two lists keeps its first reading). Built once.
static WORDS: LazyLock<HashMap<&'static str, Cue>> = LazyLock::new(|| {
    let mut m = HashMap::default();
    for table in [
        ENGLISH,
        cues_intl::FRENCH,
        cues_intl::AFRIKAANS,
        cues_zu::ZULU,
    ] {
        for (cue, words) in table {
            for w in *words {
                m.entry(*w).or_insert(*cue);
            }
        }
    }
    m
});

/// The evidence one word gives on its own, if any.
pub fn word_cue(w: &str) -> Option<Cue> {
    WORDS
        .get(w)
        .copied()
        .or_else(|| cues_intl::clitic(w))
        .or_else(|| cues_zu::zulu_stem(w))
}

/// The intent verb `w` stands for when written with its doubled last letter
/// once: "ad" for "add", "sel" for "sell". Built once from the word tables.
pub fn doubled_verb(w: &str) -> Option<&'static str> {
    static SHORT: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
        let mut m = HashMap::default();
        for &full in WORDS.keys() {
            let b = full.as_bytes();
            let n = b.len();
            if (3..=5).contains(&n) && b[n - 1] == b[n - 2] && full.is_ascii() {
                m.insert(full[..n - 1].to_string(), full);
            }
        }
        m
    });
    SHORT.get(w).copied()
}

/// Whether a word takes part in intent evidence (alone or in a phrase), and so
/// can never be part of an item name.
pub fn is_cue_word(w: &str) -> bool {
    word_cue(w).is_some() || context_word(w)
}

/// Words read with their neighbours in `phrases`.
fn context_word(w: &str) -> bool {
    static SET: LazyLock<HashSet<&'static str>> =
        LazyLock::new(|| CONTEXT_WORDS.iter().copied().collect());
    SET.contains(w)
}

#[rustfmt::skip]
const CONTEXT_WORDS: &[&str] = &[
    "collected", "fetched", "picked", "handed", "turned",
    "got", "get", "gets", "gotten", "getting", "out", "take", "takes", "took", "taken", "taking",
    "bought", "purchased", "brought", "bring", "brings", "bringing", "order", "orders", "ordered",
    "ordering", "put", "puts", "putting", "set", "come", "came", "comes", "coming", "deliver",
    "give", "gave", "given", "giving", "keep", "hold", "how", "aside", "write", "wrote", "written",
    "writing", "went", "gone", "go", "goes", "going", "sent", "flew", "dropped", "drop", "drops",
    "stocked", "topped", "top", "threw", "throw", "thrown", "chuck", "last", "previous",
    "derniere", "dernier", "entry", "running", "run", "ran", "sitting", "acheter", "achete",
    "achetes", "achetee", "achetees", "gekoop", "koop", "peux", "avoir", "kry", "mag", "cote",
    "faire", "sais", "hoe", "werk", "doen", "level", "rupture", "should", "none", "mind",
    "status", "quantity", "situation", "numbers", "figures", "gestuur", "oda",
];

#[rustfmt::skip]
pub(super) const ENGLISH: &[(Cue, &[&str])] = {
    use Cue::*;
    &[
    (Arrive, &[
        "unboxed", "re-stocked", "re-stock", "re-stocking", "restocking:",
        "receipt", "receipts",
        "received", "receive", "receives", "receiving", "arrived", "arrive", "arrives", "arriving",
        "arrival", "arrivals", "delivered", "delivery", "deliveries", "restock", "restocked",
        "restocking", "restocks", "restockd", "replenished", "replenish", "replenishing",
        "unloaded", "offloaded", "unpacked", "pitched", "landed", "incoming", "inbound",
        "shipment", "consignment", "supplied", "stockin", "intake", "rocked", "showed",
    ]),
    (Added, &[
        "added", "add", "adds", "adding",
    ]),
    (Return, &[
        "returned", "return", "returns", "returning", "refunded", "found", "recovered",
    ]),
    (Sale, &[
        "shifted", "shifting",
        "sale",
        "dispatched", "despatched", "issued",
        "remove", "removed", "removing", "deduct", "deducted", "deducting", "subtract",
        "subtracted", "minus",
        "sold", "sell", "sells", "selling", "sld", "sales", "flogged",
    ]),
    (Used, &[
        "used", "use", "uses", "using", "consumed", "installed", "fitted",
    ]),
    (Loss, &[
        "disappeared", "vanished", "snapped", "ripped", "burnt", "burned", "rusted", "spilled",
        "spilt",
        "broke", "broken", "breakage", "cracked", "damaged", "smashed", "shattered", "stolen",
        "stole", "nicked", "robbed", "lost", "missing", "expired", "spoiled", "spoilt", "rotten",
        "leaked", "leaking", "ruined", "destroyed", "chucked", "dumped", "binned", "discarded",
        "trashed", "donated", "wasted", "writeoff", "damage", "bent", "burst", "dented", "torn",
    ]),
    (Count, &[
        "count", "counted", "counting", "recount", "recounted", "stocktake", "stocktaking",
        "tally", "tallied",
    ]),
    (SetTo, &[
        "update", "updated", "change", "changed", "adjust", "adjusted", "correct", "corrected",
        "reset",
    ]),
    (Correction, &[
        "actually", "correction", "corrections",
    ]),
    (Level, &[
        "left", "remaining", "remain", "remains", "leftover",
    ]),
    (Now, &[
        "now", "currently", "presently", "current",
    ]),
    (Only, &[
        "only", "just",
    ]),
    (Zero, &[
        "finished", "depleted",
    ]),
    (Stocked, &[
        "available", "availability", "carry",
    ]),
    (Check, &[
        "check",
    ]),
    (Stock, &[
        "stock", "stocks", "inventory", "list", "report", "everything", "overview", "summary",
        "levels",
    ]),
    (Low, &[
        "reorder", "reordering",
        "low", "short", "lacking",
    ]),
    (Want, &[
        "needed",
        "require", "requires",
        "want", "wants", "wanna", "need", "needs", "gimme", "lemme",
    ]),
    (Reserve, &[
        "reserve", "reserved", "reserving", "aside",
    ]),
    (Send, &[
        "send", "sending",
    ]),
    (Buy, &[
        "buy", "purchase", "buying",
    ]),
    (Cancel, &[
        "cancel", "cancelled", "canceled", "cancelling", "cancl", "cncl", "cancle",
    ]),
    (Undo, &[
        "undo", "revert", "reverse", "rollback", "unto",
    ]),
    (UndoMark, &[
        "mistake", "wrongly", "typo",
    ]),
    (Help, &[
        "explain",
        "help", "menu", "commands", "options", "instructions", "assist", "assistance",
    ]),
    ]
};
