//! Where an item name ends: a catalogue word lengthened only by a product
//! head noun, the noun phrase after "N <unit> of", and the goods that name a
//! supplier ("the milk guy") — a person, not an item, until a count that
//! names nothing else takes them. Sentences written for these tests.

use super::*;

#[test]
fn only_product_head_nouns_lengthen_a_known_name() {
    check(
        "sold 2 bucket lids",
        Intent::Remove,
        &[("bucket lid", Some(2), None)],
    );
    check(
        "need 4 mop heads",
        Intent::Order,
        &[("mop head", Some(4), None)],
    );
    check(
        "need 2 paint scrapers",
        Intent::Order,
        &[("paint scraper", Some(2), None)],
    );
    // A verb, a status word or a word of another language is not the product.
    check(
        "2 ladders toppled over, write them off",
        Intent::Remove,
        &[("ladder", Some(2), None)],
    );
    check(
        "one bucket fell and cracked",
        Intent::Remove,
        &[("bucket", Some(1), None)],
    );
    check("drill update?", Intent::Query, &[("drill", None, None)]);
    check(
        "zingaki ama-candle esinawo?",
        Intent::Query,
        &[("candle", None, None)],
    );
    check(
        "ngicela i-spade yami",
        Intent::Order,
        &[("spade", Some(1), None)],
    );
}

#[test]
fn a_plural_noun_after_a_count_and_a_catalogue_word_is_the_head() {
    check(
        "sold 3 candle holders",
        Intent::Remove,
        &[("candle holder", Some(3), None)],
    );
    check(
        "got 4 sand blasters in",
        Intent::Add,
        &[("sand blaster", Some(4), None)],
    );
    // two catalogue words: the second is the head
    check(
        "received 6 rope ladders",
        Intent::Add,
        &[("rope ladder", Some(6), None)],
    );
    // a unit after the catalogue word stays a unit
    check(
        "sold 2 milk crates",
        Intent::Remove,
        &[("milk", Some(2), Some("crate"))],
    );
    // a verb after a bare name is not a head
    assert_eq!(intent("the tap leaks"), Intent::Unknown);
    // "'s" is a clitic, not part of the name
    check(
        "the ladder's cracked, write off 1",
        Intent::Remove,
        &[("ladder", Some(1), None)],
    );
}

#[test]
fn the_phrase_after_a_unit_and_of_is_the_name() {
    check(
        "sold 4 bags of pool salt",
        Intent::Remove,
        &[("pool salt", Some(4), Some("bag"))],
    );
    check(
        "used 2 litres of engine oil on the bakkie",
        Intent::Remove,
        &[("engine oil", Some(2), Some("litre"))],
    );
    check(
        "deliver 3 bags of lawn dressing to 5 Oak Ave",
        Intent::Order,
        &[("lawn dressing", Some(3), Some("bag"))],
    );
    check(
        "got 12 packets of instant noodles in",
        Intent::Add,
        &[("instant noodle", Some(12), Some("pack"))],
    );
    // a catalogue item there is read as usual
    check(
        "sold 2 bags of sand for the wall",
        Intent::Remove,
        &[("sand", Some(2), Some("bag"))],
    );
}

#[test]
fn goods_before_a_person_name_a_supplier() {
    check(
        "the candle lady came, 40 packs today",
        Intent::Add,
        &[("candle", Some(40), Some("pack"))],
    );
    check(
        "the sugar truck dropped off 30 bags",
        Intent::Add,
        &[("sugar", Some(30), Some("bag"))],
    );
    check(
        "our rope supplier sent 6 rolls",
        Intent::Add,
        &[("rope", Some(6), Some("roll"))],
    );
    check(
        "the firewood guy came, 15 bundles of firewood",
        Intent::Add,
        &[("firewood", Some(15), None)],
    );
    // the goods after the person are the count's own
    check(
        "the milk guy brought 5 bags of ice",
        Intent::Add,
        &[("ice", Some(5), Some("bag"))],
    );
    // a possessive names the person: the count names only its unit
    check(
        "the farmer's van dropped off 6 crates",
        Intent::Add,
        &[("crate", Some(6), None)],
    );
    // a person alone is no stock
    assert_eq!(intent("the milk guy is late again"), Intent::Unknown);
    // a customer who came in is not a delivery
    check("a customer came in for 2 mops", Intent::Unknown, &[]);
}
