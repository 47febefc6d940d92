//! Text-speak: words written without their vowels ("trwls", "dwn", "bxs"),
//! SMS spellings, "4" for "for", a doubled letter typed once ("ad"), and
//! French "vs" for "vous". Sentences written for these tests.

use super::*;

#[test]
fn item_words_without_vowels() {
    check("sld 3 trwls", Intent::Remove, &[("trowel", Some(3), None)]);
    // every word of a longer name, plural included, even at three letters
    check(
        "rcvd 2 sprt lvls",
        Intent::Add,
        &[("spirit level", Some(2), None)],
    );
    check("brk 2 tls", Intent::Remove, &[("tile", Some(2), None)]);
    check(
        "used 1 spirit lvl",
        Intent::Remove,
        &[("spirit level", Some(1), None)],
    );
    // a skeleton the catalogue does not have is kept as written, never a guess
    assert_eq!(p("rcvd 3 xyz").items[0].name, "xyz");
}

#[test]
fn intent_and_function_words_without_vowels() {
    check(
        "put me dwn for 2 mops",
        Intent::Order,
        &[("mop", Some(2), None)],
    );
    check(
        "hld 2 candles for me",
        Intent::Order,
        &[("candle", Some(2), None)],
    );
    check(
        "3 buckets frm the depot, rcvd",
        Intent::Add,
        &[("bucket", Some(3), None)],
    );
}

#[test]
fn units_without_vowels() {
    check(
        "rcvd 4 bxs nails",
        Intent::Add,
        &[("nail", Some(4), Some("box"))],
    );
    check(
        "sld 2 btls milk",
        Intent::Remove,
        &[("milk", Some(2), Some("bottle"))],
    );
    check(
        "got 6 shts of sandpaper in",
        Intent::Add,
        &[("sandpaper", Some(6), Some("sheet"))],
    );
}

#[test]
fn four_means_for_before_a_determiner() {
    check(
        "hold 2 brooms 4 a friend",
        Intent::Order,
        &[("broom", Some(2), None)],
    );
    check(
        "keep a ladder 4 my brother",
        Intent::Order,
        &[("ladder", Some(1), None)],
    );
    // before a name it is still a number
    check("sold 4 mops", Intent::Remove, &[("mop", Some(4), None)]);
}

#[test]
fn a_doubled_letter_typed_once() {
    check("ad 6 mops", Intent::Add, &[("mop", Some(6), None)]);
    check(
        "ad seven candles",
        Intent::Add,
        &[("candle", Some(7), None)],
    );
    // without a count it is not read as a verb
    assert_eq!(intent("ad for brooms"), Intent::Unknown);
}

#[test]
fn status_words_after_an_item_ask_about_it() {
    for (text, name) in [
        ("tea qty?", "tea"),
        ("bread status", "bread"),
        ("candles avail?", "candle"),
        ("milk availability pls", "milk"),
        ("rope level?", "rope"),
        ("sugar stock?", "sugar"),
    ] {
        check(text, Intent::Query, &[(name, None, None)]);
    }
    // after a verb it is a request of its own
    assert_ne!(intent("show stock"), Intent::Query);
}

#[test]
fn bare_fragments_with_a_time_or_filler_word_ask() {
    for (text, name) in [
        ("milk today?", "milk"),
        ("brood vandag?", "brood"),
        ("sugar nog?", "sugar"),
        ("eggs tmrw?", "egg"),
    ] {
        check(text, Intent::Query, &[(name, None, None)]);
    }
    // "nd" opening a message is "need", elsewhere "and"
    check(
        "nd 3 bags sand",
        Intent::Order,
        &[("sand", Some(3), Some("bag"))],
    );
    check(
        "sold 2 mops nd 1 broom",
        Intent::Remove,
        &[("mop", Some(2), None), ("broom", Some(1), None)],
    );
    // "loads", "heaps": an amount, never a name
    check(
        "sold heaps today: 3 spades and 2 mops",
        Intent::Remove,
        &[("spade", Some(3), None), ("mop", Some(2), None)],
    );
}

#[test]
fn french_vs_is_vous_before_its_verb() {
    check(
        "vs vendez des seaux ?",
        Intent::Query,
        &[("seau", None, None)],
    );
    check(
        "vs pouvez me réserver 2 marteaux ?",
        Intent::Order,
        &[("marteau", Some(2), None)],
    );
    // English "vs" is left alone
    assert_ne!(intent("hammers vs mallets?"), Intent::Order);
}
