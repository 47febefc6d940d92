//! Intent cues: which words and phrases say what a message wants (rules 1-6).
//! Matched on the cleaned token stream joined by single spaces.

use std::sync::LazyLock;

use regex::Regex;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid regex")
}

/// Revert the last stock change (rule 5).
static UNDO: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(undo|revert|ctrl z|reverse (that|it|this|the last)|scrap (that|this|it|the last)|",
        r"(delete|remove|cancel|annule|annuler|annulez) (that|this|the|my|la|le|ma) ",
        r"(last|previous|derniere|dernier)|take (that|it) back|roll ?back|",
        r"(that|the|my|la|le) (last|previous|derniere|dernier) (entry|one|change|update|",
        r"operation|transaction|record|modification|entree|input)|ongedaan|maak dit ongedaan|",
        r"that was (a )?(wrong|mistake)|wrong entry)\b",
    ))
});

/// Cancel the sender's order (rule 5).
static CANCEL: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(cancel|cancell?ed|cancl|annule|annuler|annulez|kanselleer|",
        r"(don't|do not|dont) want|no longer (want|need)|call off)\b",
    ))
});

/// Absolute counts that name a number (rule 3).
static SET: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(set|update|change|adjust|correct|mets|mettez|mettre|stel|count|stocktake|",
        r"stock take|recount|recounted|counted|correction|actually|should be|there are|",
        r"there is|on a \d+|il reste \d+|il y a \d+|we have \d+)\b| = ",
    ))
});

/// Weaker count cues, which a verb outranks: "now", "only N left".
static SET_WEAK: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(now|nou|maintenant|remaining|left|only|total|we have|we've got|ons het|",
        r"there's|still)\b",
    ))
});

/// Counts of zero without a number: "we're out of", "no more", "sold out".
static SET_ZERO: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(out of|run out|ran out|no more|sold out|none left|all gone|finished|",
        r"plus de|rupture|there's no|there is no|we have no|klaar|op is)\b",
    ))
});

/// How-many questions: stronger than any verb they contain.
static QUERY_STRONG: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(how many|how much|combien|hoeveel|stock level|level of|count on|",
        r"what's the count|what is the count|how are we (on|for)|ninawo|ninayo|unayo|nikhona)\b",
    ))
});

/// Is-it-in-stock questions.
static QUERY: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b((do|did|does) (you|we)( guys| all)? (have|got|stock|sell|carry)|",
        r"(you|we) (guys )?(have|got) any|have (you|we) got|got any|is there|are there|",
        r"available|in stock|left|any|vous avez|avez-vous|avez vous|il reste|y a-t-il|",
        r"est-ce que vous|vous reste|reste-t-il|het julle|is daar|het ons|have any|still have|check)\b",
    ))
});

/// A buyer's request (rule 2).
static ORDER: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(i'd like|i would like|we'd like|we would like|i'd love|i want|we want|i wanna|",
        r"(can|could|may) (i|we) (get|have|buy|order|grab|take|pick up)|i'll take|i will take|",
        r"we'll take|i'll have|(please )?send me|send us|reserve|hold|set aside|put aside|",
        r"keep aside|put me down|keep (me|for me)|need|(to )?order|send|",
        r"(can|could|would|will) you (please )?(send|deliver|bring|get|reserve|hold|keep|put|drop)|",
        r"buy|purchase|gimme|give me|get me|deliver|je voudrais|voudrais|je veux|",
        r"commander|acheter|j'aimerais|reserver|ngicela|ngifuna|ek soek|soek|ek wil|",
        r"bestel|kan ek|mag ek|i'm looking for|looking for)\b",
    ))
});

/// Stock going out, staff wording (rule 2).
static REMOVE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(sold|sell|selling|sells|sld|went out|gone out|go out|used|use|using|broke|",
        r"broken|cracked|damaged|smashed|took|taken|gave|given away|give away|donated|",
        r"handed out|write off|wrote off|written off|writing off|bought|purchased|lost|",
        r"stolen|missing|expired|removed|remove|minus|vendu|vendus|vendue|vendues|utilise|",
        r"utilises|casse|casses|retire|enleve|verkoop|gebruik|gebreek|ngithengise|",
        r"sithengise|thengisile|out the door)\b",
    ))
});

/// Stock coming in that outranks a "took" or "came in and bought" (rule 2).
static ADD_STRONG: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(returned|return|returns|brought back|bring back|took delivery|taken delivery|restock\w*)\b",
    )
});

/// Stock coming in.
static ADD: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(added|add|adding|got|gotten|received|receive|receiving|stocked|topped up|top up|",
        r"delivery|delivered|deliveries|arrived|arrive|arriving|came|come in|coming in|",
        r"dropped off|brought in|loaded|unloaded|unpacked|new stock|put|plus|recu|recus|",
        r"recues|ajoute|ajoutes|ajouter|ajoutez|livraison|livre|livres|arrive|arrives|",
        r"arrivee|arrivees|gekry|ontvang|bygevoeg|bygesit|ngithole|sithole|in stock now|",
        r"stock in|stocks in|goods in|incoming|inbound)\b",
    ))
});

/// The whole stock, or what is low (rule 4).
static LIST: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\b(stock|stocks|inventory|list|report|everything|low|running out|what do (we|you) have|",
        r"what have (we|you) got|what's in|inventaire|liste|wat het ons|qu'on a|",
        r"all items|all stock)\b",
    ))
});

/// Help and the bot's menu.
static HELP: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^ *(help|menu|aide|commands|options|start|info|instructions|hulp|usizo)\b",
        r"|\b(help me|what can (you|this|the|it)( bot)? do|how does (this|it) work|how do i use|what do you do|",
        r"how to use|qu'est-ce que tu (peux|sais) faire|comment (ca|ça) marche|what are the commands|",
        r"need help|can you help|help please|show me the menu)\b",
    ))
});

/// What the cues say, before items are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    Undo,
    Cancel,
    Set,
    SetWeak,
    SetZero,
    QueryStrong,
    Query,
    Order,
    Remove,
    AddStrong,
    Add,
    List,
    Help,
}

impl Cue {
    pub fn name(self) -> &'static str {
        match self {
            Cue::Undo => "undo cue",
            Cue::Cancel => "cancel cue",
            Cue::Set => "absolute-count cue",
            Cue::SetWeak => "count-now cue",
            Cue::SetZero => "out-of-stock cue",
            Cue::QueryStrong => "how-many cue",
            Cue::Query => "in-stock question cue",
            Cue::Order => "buyer request cue",
            Cue::Remove => "stock-out verb",
            Cue::AddStrong => "return/restock verb",
            Cue::Add => "stock-in verb",
            Cue::List => "whole-stock cue",
            Cue::Help => "help cue",
        }
    }
}

/// Every cue the joined text shows, as a bit set indexed by `Cue as usize`.
pub fn cues(joined: &str) -> u32 {
    let table: [(Cue, &Regex); 13] = [
        (Cue::Undo, &UNDO),
        (Cue::Cancel, &CANCEL),
        (Cue::Set, &SET),
        (Cue::SetWeak, &SET_WEAK),
        (Cue::SetZero, &SET_ZERO),
        (Cue::QueryStrong, &QUERY_STRONG),
        (Cue::Query, &QUERY),
        (Cue::Order, &ORDER),
        (Cue::Remove, &REMOVE),
        (Cue::AddStrong, &ADD_STRONG),
        (Cue::Add, &ADD),
        (Cue::List, &LIST),
        (Cue::Help, &HELP),
    ];
    table
        .iter()
        .filter(|(_, r)| r.is_match(joined))
        .fold(0, |acc, (c, _)| acc | (1 << *c as u32))
}

pub fn has(set: u32, cue: Cue) -> bool {
    set & (1 << cue as u32) != 0
}
