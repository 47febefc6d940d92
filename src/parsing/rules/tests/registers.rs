//! Registers and constructions beyond the everyday: formal wording, trade
//! jargon, and "have" as an auxiliary.

use super::*;

#[test]
fn formal_register_and_trade_jargon() {
    check(
        "Kindly record the receipt of 9 ladders.",
        Intent::Add,
        &[("ladder", Some(9), None)],
    );
    check(
        "Please record the sale of 2 spades.",
        Intent::Remove,
        &[("spade", Some(2), None)],
    );
    check(
        "Into stock: 5 brooms.",
        Intent::Add,
        &[("broom", Some(5), None)],
    );
    check(
        "Brooms - 12 on hand.",
        Intent::Set,
        &[("broom", Some(12), None)],
    );
    check(
        "We require 6 buckets.",
        Intent::Order,
        &[("bucket", Some(6), None)],
    );
    check(
        "Three ladders for me, please.",
        Intent::Order,
        &[("ladder", Some(3), None)],
    );
    check(
        "signed for 4 boxes of nails",
        Intent::Add,
        &[("nail", Some(4), Some("box"))],
    );
    check(
        "booked out 3 spades to the site",
        Intent::Remove,
        &[("spade", Some(3), None)],
    );
    check("ring up 2 mops", Intent::Remove, &[("mop", Some(2), None)]);
    check(
        "save me 2 candles",
        Intent::Order,
        &[("candle", Some(2), None)],
    );
}

#[test]
fn have_as_auxiliary_is_not_a_count() {
    // "we've <participle>" reports an action; an unknown verb leaves it unknown.
    assert_ne!(intent("we've flogged 10 ladders"), Intent::Set);
    assert_ne!(intent("we have grabbed 4 spades"), Intent::Set);
    check(
        "we've got 10 ladders now",
        Intent::Set,
        &[("ladder", Some(10), None)],
    );
    // A person who "got" goods took them out of stock.
    check(
        "the plumber got 3 buckets",
        Intent::Remove,
        &[("bucket", Some(3), None)],
    );
    check(
        "we got 3 buckets",
        Intent::Add,
        &[("bucket", Some(3), None)],
    );
}
