//! Evidence classes: each class recognised through several of its members,
//! verb forms and languages, not through one sentence.

use super::*;

fn all(intent_wanted: Intent, texts: &[&str]) {
    for t in texts {
        assert_eq!(intent(t), intent_wanted, "message: {t:?}");
    }
}

#[test]
fn arrivals() {
    all(
        Intent::Add,
        &[
            "received 8 ladders",
            "9 brooms arrived this afternoon",
            "the van brought 12 buckets",
            "supplier delivered 30 nails",
            "took delivery of 5 spades",
            "restocked 14 candles",
            "topped up the sugar, 6 kg",
            "the wholesaler dropped off 4 ladders",
            "20 tiles came in",
            "delivery: 7 mops",
            "new stock - 3 trowels",
            "TILES IN: 40",
            "IN - 6 spades",
            "found 2 padlocks in the back, add them back",
            "a client brought back 1 drill",
            "+3 brooms",
        ],
    );
}

#[test]
fn losses_sales_and_use() {
    all(
        Intent::Remove,
        &[
            "sold 6 buckets",
            "2 ladders were stolen",
            "3 eggs expired",
            "wrote off 4 tiles",
            "1 spade damaged",
            "gave away 2 candles",
            "chucked 5 eggs",
            "lost a padlock",
            "4 nails missing",
            "used 3 bags of cement",
            "a builder came in and bought 2 ladders",
            "OUT: 4 mops",
            "took 6 nails for the gate",
            "broke 2 tiles",
            "-3 candles",
        ],
    );
}

#[test]
fn purchase_requests() {
    all(
        Intent::Order,
        &[
            "could I grab 2 spades",
            "I need 4 ladders",
            "keep 3 candles aside for me",
            "can you bring 5 buckets",
            "put me down for 2 mops",
            "I'll have 6 eggs",
            "I'd like 3 brooms please",
            "please reserve a ladder",
            "hold 2 spades for me till Monday",
        ],
    );
}

#[test]
fn counts() {
    all(
        Intent::Set,
        &[
            "counted 22 nails",
            "I see 9 spades on the shelf",
            "we're sitting at 18 ladders",
            "tiles should be 40 not 36",
            "only 2 brooms left",
            "stocktake: candles 30",
            "we're out of tea",
            "no more sugar",
            "mops sold out",
        ],
    );
}

#[test]
fn french_verbs_and_order() {
    check(
        "on a reçu 6 échelles",
        Intent::Add,
        &[("échelle", Some(6), None)],
    );
    check("livré : 10 seaux", Intent::Add, &[("seau", Some(10), None)]);
    check(
        "vendu 2 perceuses",
        Intent::Remove,
        &[("perceuse", Some(2), None)],
    );
    check("3 scies volées", Intent::Remove, &[("scie", Some(3), None)]);
    check("il reste 5 seaux", Intent::Set, &[("seau", Some(5), None)]);
    check("combien de clous ?", Intent::Query, &[("clou", None, None)]);
    check(
        "je voudrais 2 échelles",
        Intent::Order,
        &[("échelle", Some(2), None)],
    );
    check(
        "mettez-moi de côté 1 perceuse",
        Intent::Order,
        &[("perceuse", Some(1), None)],
    );
}

#[test]
fn afrikaans_verbs_and_word_order() {
    // Afrikaans puts the past participle last: "ons het 8 spades ontvang".
    check(
        "ons het 8 spades ontvang",
        Intent::Add,
        &[("spade", Some(8), None)],
    );
    check(
        "12 nails het ingekom",
        Intent::Add,
        &[("nail", Some(12), None)],
    );
    check(
        "ek het 2 ladders verkoop",
        Intent::Remove,
        &[("ladder", Some(2), None)],
    );
    check(
        "3 tiles is gebreek",
        Intent::Remove,
        &[("tile", Some(3), None)],
    );
    check(
        "net 4 buckets oor",
        Intent::Set,
        &[("bucket", Some(4), None)],
    );
    check(
        "hoeveel spades het ons?",
        Intent::Query,
        &[("spade", None, None)],
    );
    check(
        "kan ek 2 brooms kry",
        Intent::Order,
        &[("broom", Some(2), None)],
    );
}

#[test]
fn zulu_stems_and_prefixes() {
    check(
        "sithole ama-spade angu 7",
        Intent::Add,
        &[("spade", Some(7), None)],
    );
    check(
        "ngithengise ama-broom angu 2",
        Intent::Remove,
        &[("broom", Some(2), None)],
    );
    check(
        "ama-egg angu 6 aphukile",
        Intent::Remove,
        &[("egg", Some(6), None)],
    );
    check("i-sugar iphelile", Intent::Set, &[("sugar", Some(0), None)]);
    check(
        "zingaki ama-ladder?",
        Intent::Query,
        &[("ladder", None, None)],
    );
    check(
        "ngicela ama-candle angu 3 ne-broom",
        Intent::Order,
        &[("candle", Some(3), None), ("broom", Some(1), None)],
    );
}

#[test]
fn code_switching_inside_one_message() {
    check(
        "eish, sold 3 ama-bucket namhlanje",
        Intent::Remove,
        &[("bucket", Some(3), None)],
    );
    check(
        "ons het 6 ladders received",
        Intent::Add,
        &[("ladder", Some(6), None)],
    );
}

#[test]
fn verb_typos_are_corrected_like_item_typos() {
    check(
        "recieved 4 brooms",
        Intent::Add,
        &[("broom", Some(4), None)],
    );
    check("delivred 9 nails", Intent::Add, &[("nail", Some(9), None)]);
    check(
        "sould 2 spades",
        Intent::Remove,
        &[("spade", Some(2), None)],
    );
    // A real word close to a verb stays itself: "sole" is not "sold".
    assert_eq!(intent("sole 2 spades"), Intent::Unknown);
}

#[test]
fn whole_stock_help_undo_cancel() {
    all(
        Intent::List,
        &["what's low?", "stock report pls", "what do we have"],
    );
    all(Intent::Help, &["hello", "what can you do?"]);
    all(Intent::Undo, &["undo that", "scrap that last entry"]);
    all(
        Intent::Cancel,
        &["cancel my order", "I don't want it anymore, cancel"],
    );
}
