//! Afrikaans perfect tense (the participle last), Zulu verb stems and
//! concords, and French "venir de" and "manquer". Sentences written for
//! these tests.

use super::*;

#[test]
fn afrikaans_participle_anywhere_after_het() {
    check(
        "Ons het 4 mops na die kliënt gestuur",
        Intent::Remove,
        &[("mop", Some(4), None)],
    );
    check(
        "Ek het 'n ladder in die stoor gebreek",
        Intent::Remove,
        &[("ladder", Some(1), None)],
    );
    check(
        "Hulle het 3 buckets by die hek gesteel",
        Intent::Remove,
        &[("bucket", Some(3), None)],
    );
    check(
        "Ons het 20 bags cement vir die bouer bygesit",
        Intent::Add,
        &[("cement", Some(20), Some("bag"))],
    );
    check(
        "Die verskaffer het 12 spades afgelaai",
        Intent::Add,
        &[("spade", Some(12), None)],
    );
    // without a participle "het" states a count
    check(
        "Ons het nou 9 spades",
        Intent::Set,
        &[("spade", Some(9), None)],
    );
}

#[test]
fn afrikaans_articles_and_function_words_are_not_names() {
    check(
        "verkoop 3 brooms gister en 'n mop",
        Intent::Remove,
        &[("broom", Some(3), None), ("mop", Some(1), None)],
    );
    check(
        "ontvang: twee ladders en drie buckets",
        Intent::Add,
        &[("ladder", Some(2), None), ("bucket", Some(3), None)],
    );
    // "'n paar" is a few, not one
    assert_ne!(
        p("ons het 'n paar brooms gekry")
            .items
            .first()
            .and_then(|i| i.quantity),
        Some(1)
    );
}

#[test]
fn zulu_stems_with_their_affixes() {
    // -khansel- cancel; "i-oda lami": my order
    check("ngicela ukhansele i-oda lami", Intent::Cancel, &[]);
    check(
        "ngicela ukhansele ama-ladder",
        Intent::Cancel,
        &[("ladder", None, None)],
    );
    // -eb- (steal) passive, -ntshontsh- steal
    check(
        "ama-bucket angu 2 ebiwe izolo",
        Intent::Remove,
        &[("bucket", Some(2), None)],
    );
    check(
        "izi-spade ezingu 4 zintshontshiwe",
        Intent::Remove,
        &[("spade", Some(4), None)],
    );
    // -sal- / -sele remain, kuphela only
    check(
        "kusele ama-candle angu 7",
        Intent::Set,
        &[("candle", Some(7), None)],
    );
    check(
        "kusasele i-sugar engu 3 kuphela",
        Intent::Set,
        &[("sugar", Some(3), None)],
    );
    // "kuphela" is "only", never a finished stock (-phel-)
    assert_ne!(
        p("ama-mop angu 5 kuphela")
            .items
            .first()
            .and_then(|i| i.quantity),
        Some(0)
    );
    // -thol- receive, -fik- arrive
    check(
        "sithole ama-broom angu 8",
        Intent::Add,
        &[("broom", Some(8), None)],
    );
    check(
        "kufike ama-tile angu 40",
        Intent::Add,
        &[("tile", Some(40), None)],
    );
    // "we have" / "we no longer have", with the object concord
    check(
        "sinazo izi-bucket ezingu 9",
        Intent::Set,
        &[("bucket", Some(9), None)],
    );
    check("asinawo ama-mop", Intent::Set, &[("mop", Some(0), None)]);
    // possessives after the noun are never names
    check(
        "ngicela ama-candle ami amathathu",
        Intent::Order,
        &[("candle", Some(3), None)],
    );
    // "sala kahle" is goodbye, not a level
    assert_ne!(intent("sala kahle"), Intent::Set);
}

#[test]
fn french_just_entered_and_running_low() {
    for text in [
        "annule ce que je viens d'ajouter",
        "efface ce que j'ai noté",
        "supprime ma dernière saisie",
        "oups, ce que je viens de taper est faux",
    ] {
        assert_eq!(intent(text), Intent::Undo, "message: {text:?}");
    }
    for text in [
        "qu'est-ce qui manque ?",
        "qu'est-ce qui va manquer bientôt ?",
        "qu'est-ce qui est bientôt en rupture ?",
        "qu'est-ce qui est presque fini ?",
    ] {
        assert_eq!(intent(text), Intent::List, "message: {text:?}");
    }
    // the order itself is still cancelled
    assert_eq!(intent("annulez ma commande svp"), Intent::Cancel);
}
