//! The contract on intents (README rules 1-6) and greetings.

use super::*;

#[test]
fn rule_1_chatter_does_not_change_intent() {
    check(
        "morning all, Thabo here. 6 buckets arrived, cheers",
        Intent::Add,
        &[("bucket", Some(6), None)],
    );
    check(
        "hey! could I get 2 mops? ta",
        Intent::Order,
        &[("mop", Some(2), None)],
    );
}

#[test]
fn rule_2_wording_decides_add_remove_order() {
    check(
        "a client brought back 3 trowels",
        Intent::Add,
        &[("trowel", Some(3), None)],
    );
    check(
        "sold 4 candles",
        Intent::Remove,
        &[("candle", Some(4), None)],
    );
    check(
        "we used 2 ropes on site",
        Intent::Remove,
        &[("rope", Some(2), None)],
    );
    check(
        "written off: 5 eggs",
        Intent::Remove,
        &[("egg", Some(5), None)],
    );
    check(
        "please hold 3 buckets for me",
        Intent::Order,
        &[("bucket", Some(3), None)],
    );
    check(
        "put me down for 2 mops",
        Intent::Order,
        &[("mop", Some(2), None)],
    );
    check(
        "could you set aside 4 candles",
        Intent::Order,
        &[("candle", Some(4), None)],
    );
}

#[test]
fn rule_3_absolute_counts() {
    check(
        "set candles to 40",
        Intent::Set,
        &[("candle", Some(40), None)],
    );
    check("we have 9 mops now", Intent::Set, &[("mop", Some(9), None)]);
    check(
        "count: buckets 11",
        Intent::Set,
        &[("bucket", Some(11), None)],
    );
    check("trowels = 8", Intent::Set, &[("trowel", Some(8), None)]);
    check(
        "only 4 padlocks left",
        Intent::Set,
        &[("padlock", Some(4), None)],
    );
    check("no more candles", Intent::Set, &[("candle", Some(0), None)]);
    check(
        "actually there are 12 mops, not 10",
        Intent::Set,
        &[("mop", Some(12), None)],
    );
}

#[test]
fn rule_4_query_or_list() {
    check(
        "how many candles do we have?",
        Intent::Query,
        &[("candle", None, None)],
    );
    check(
        "any buckets left?",
        Intent::Query,
        &[("bucket", None, None)],
    );
    check("mops?", Intent::Query, &[("mop", None, None)]);
    check("what's low", Intent::List, &[]);
    check("full stock report please", Intent::List, &[]);
}

#[test]
fn rule_5_cancel_and_undo() {
    check("please cancel my order", Intent::Cancel, &[]);
    check("cancel the mops", Intent::Cancel, &[("mop", None, None)]);
    check("annulez ma commande", Intent::Cancel, &[]);
    check("undo that last change", Intent::Undo, &[]);
    check("annule la dernière opération stp", Intent::Undo, &[]);
}

#[test]
fn rule_6_signs() {
    check("+4 candles", Intent::Add, &[("candle", Some(4), None)]);
    check("buckets -3", Intent::Remove, &[("bucket", Some(3), None)]);
    check(
        "sold 2 mops + 2 buckets",
        Intent::Remove,
        &[("mop", Some(2), None), ("bucket", Some(2), None)],
    );
}

#[test]
fn greetings_help_and_smalltalk() {
    check("good evening", Intent::Help, &[]);
    check("menu please", Intent::Help, &[]);
    check("thank you so much", Intent::Unknown, &[]);
    check("who is playing tonight?", Intent::Unknown, &[]);
}
