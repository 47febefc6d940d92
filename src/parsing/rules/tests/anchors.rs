//! Known items anchor the reading: the longest catalogue name wins, words
//! outside it never join it, and an unknown name stays short and clean.

use super::*;

#[test]
fn longest_known_name_wins() {
    check(
        "sold 2 paint brushes",
        Intent::Remove,
        &[("paint brush", Some(2), None)],
    );
    check(
        "sold 2 white paints",
        Intent::Remove,
        &[("white paint", Some(2), None)],
    );
    check(
        "got 5 spirit levels",
        Intent::Add,
        &[("spirit level", Some(5), None)],
    );
}

#[test]
fn filler_never_joins_a_known_item() {
    for text in [
        "sold 3 ladders somewhere today",
        "sold 3 ladders finally",
        "sold 3 ladders behind the counter",
        "sold 3 ladders this morning",
        "sold 3 ladders just now",
        "sold like 3 of those ladders",
    ] {
        check(text, Intent::Remove, &[("ladder", Some(3), None)]);
    }
}

#[test]
fn plurals_typos_and_split_names() {
    check(
        "sold 4 buckts",
        Intent::Remove,
        &[("bucket", Some(4), None)],
    );
    check(
        "received 2 wheel barrows",
        Intent::Add,
        &[("wheelbarrow", Some(2), None)],
    );
    check(
        "received 6 lightbulbs",
        Intent::Add,
        &[("light bulb", Some(6), None)],
    );
    check(
        "reçu 4 marteaux",
        Intent::Add,
        &[("marteau", Some(4), None)],
    );
}

#[test]
fn near_miss_words_stay_themselves() {
    // "towels" is a real word one slip from "trowel": a different item.
    check("sold 3 towels", Intent::Remove, &[("towel", Some(3), None)]);
    check("any taps?", Intent::Query, &[("tap", None, None)]);
    check("any tape?", Intent::Query, &[("tape", None, None)]);
    // One slip from a three-letter item is too often another word.
    check("sold 3 tarps", Intent::Remove, &[("tarp", Some(3), None)]);
}

#[test]
fn unknown_names_are_bounded() {
    check(
        "received 3 angle grinders",
        Intent::Add,
        &[("angle grinder", Some(3), None)],
    );
    check(
        "received 3 angle grinders finally",
        Intent::Add,
        &[("angle grinder", Some(3), None)],
    );
    // Words before a known item are not part of it.
    check(
        "sold 2 big ladders",
        Intent::Remove,
        &[("ladder", Some(2), None)],
    );
}

#[test]
fn longer_products_and_modifiers() {
    // A singular known word before a noun names a longer product.
    check(
        "need 2 tile spacers",
        Intent::Order,
        &[("tile spacer", Some(2), None)],
    );
    // French adjectives follow the noun.
    check(
        "vendu 2 pots de peinture blanche",
        Intent::Remove,
        &[("peinture blanche", Some(2), Some("tin"))],
    );
    // "the bread guy" is a person, not bread.
    check(
        "the bread guy dropped off 20 loaves of bread",
        Intent::Add,
        &[("bread", Some(20), Some("loaf"))],
    );
}

#[test]
fn numbers_pair_with_their_names() {
    check(
        "count ladders 7 spades 9",
        Intent::Set,
        &[("ladder", Some(7), None), ("spade", Some(9), None)],
    );
    check(
        "sold 2 bags sand 1 milk",
        Intent::Remove,
        &[("sand", Some(2), Some("bag")), ("milk", Some(1), None)],
    );
    check(
        "the spades went fast today, sold 4",
        Intent::Remove,
        &[("spade", Some(4), None)],
    );
    check(
        "sold four no sorry five ladders",
        Intent::Remove,
        &[("ladder", Some(5), None)],
    );
    check(
        "I'll take 3 loaves",
        Intent::Order,
        &[("loaf", Some(3), None)],
    );
}

#[test]
fn numbers_that_size_or_total_are_not_counts() {
    check(
        "sold 3 of the 5 ladders",
        Intent::Remove,
        &[("ladder", Some(3), None)],
    );
    check(
        "we have 3 out of 5 ladders left",
        Intent::Set,
        &[("ladder", Some(3), None)],
    );
    check(
        "got 2 boxes of 100 nails",
        Intent::Add,
        &[("nail", Some(2), Some("box"))],
    );
    check(
        "sold 3 x 5L paint",
        Intent::Remove,
        &[("paint", Some(3), None)],
    );
    check(
        "sold 2 ladders on 12/03",
        Intent::Remove,
        &[("ladder", Some(2), None)],
    );
    check(
        "I need 2 ladders, call me on 0821234567",
        Intent::Order,
        &[("ladder", Some(2), None)],
    );
    check(
        "reçu une vingtaine de seaux",
        Intent::Add,
        &[("seau", Some(20), None)],
    );
    check(
        "sold 6 bars of soap",
        Intent::Remove,
        &[("soap", Some(6), None)],
    );
    check(
        "received 1 200 nails",
        Intent::Add,
        &[("nail", Some(1200), None)],
    );
}
