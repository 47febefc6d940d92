//! Word classes for item extraction: which words can never be part of an item
//! name, which end one, and which join two items.

/// How a word behaves between quantities and item names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Articles, pronouns, fillers, politeness: dropped.
    Filler,
    /// Prepositions and time words: end a name and what follows is context
    /// ("to the builder", "for Saturday", "this morning").
    Boundary,
    /// Joins two items ("and", "et", "plus").
    Sep,
    /// Intent verbs and nouns ("sold", "delivery", "order"): never a name.
    Cue,
    /// Anything else may be (part of) an item name.
    Content,
}

/// Chat shorthand and phonetic spellings, written out.
pub fn slang(w: &str) -> Option<&'static str> {
    Some(match w {
        "hw" => "how",
        "mny" | "meny" => "many",
        "u" | "ya" | "yu" => "you",
        "ur" => "your",
        "r" => "are",
        "pls" | "plz" | "pleez" | "plse" | "asb" => "please",
        "hav" | "hve" => "have",
        "wat" | "wot" | "wht" => "what",
        "whats" | "wats" | "wots" => "what's",
        "lite" => "light",
        "thru" => "through",
        "id" => "i'd",
        "im" => "i'm",
        "ive" => "i've",
        "dont" => "don't",
        "cant" => "can't",
        "sum" => "some",
        "tmrw" | "tmr" | "2moro" | "2morrow" => "tomorrow",
        "2day" => "today",
        "thx" | "tnx" | "thanx" => "thanks",
        "ordr" => "order",
        "cos" | "coz" | "cause" => "because",
        _ => return None,
    })
}

pub fn class(w: &str) -> Class {
    if is_price(w) {
        Class::Boundary
    } else if is_sep(w) {
        Class::Sep
    } else if is_boundary(w) {
        Class::Boundary
    } else if is_cue(w) {
        Class::Cue
    } else if is_filler(w) || is_greeting(w) {
        Class::Filler
    } else {
        Class::Content
    }
}

fn is_sep(w: &str) -> bool {
    matches!(
        w,
        "and" | "et" | "en" | "plus" | "&" | "n" | "asw" | "also" | "or" | "ou"
    )
}

#[rustfmt::skip]
fn is_boundary(w: &str) -> bool {
    matches!(
        w,
        "for" | "to" | "from" | "on" | "at" | "by" | "in" | "into" | "onto" | "with" | "without"
            | "after" | "before" | "until" | "till" | "off" | "near" | "behind" | "under"
            | "over" | "via" | "pour" | "avec" | "chez" | "vers" | "dans" | "sur" | "sous"
            | "depuis" | "vir" | "van" | "na" | "op" | "met" | "today" | "tonight" | "tomorrow"
            | "yesterday" | "morning" | "afternoon" | "evening" | "night" | "week" | "weekend"
            | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
            | "later" | "soon" | "asap" | "aujourd'hui" | "demain" | "hier" | "vandag" | "gister"
            | "this" | "next" | "last" | "because" | "since" | "but" | "if" | "when" | "while"
            | "as" | "they" | "it" | "which" | "who" | "that's" | "will" | "i'll" | "we'll"
            | "ill" | "cuz" | "car" | "parce" | "mais"
    )
}

#[rustfmt::skip]
fn is_cue(w: &str) -> bool {
    matches!(
        w,
        "added" | "add" | "adding" | "adds" | "got" | "get" | "gotten" | "getting" | "received"
            | "receive" | "receiving" | "restock" | "restocked" | "restocking" | "stocked"
            | "topped" | "delivery" | "deliveries" | "delivered" | "deliver" | "arrived"
            | "arrive" | "arriving" | "came" | "come" | "coming" | "dropped" | "brought"
            | "returned" | "return" | "returns" | "loaded" | "unloaded" | "unpacked" | "put"
            | "recu" | "recus" | "recues" | "ajoute" | "ajoutes" | "ajouter" | "ajoutez"
            | "livraison" | "livre" | "livres" | "arrives" | "arrivee" | "arrivees" | "gekry"
            | "ontvang" | "bygevoeg" | "bygesit" | "ngithole" | "sithole" | "new" | "sold"
            | "sell" | "selling" | "sells" | "sld" | "went" | "gone" | "used" | "use" | "using"
            | "broke" | "broken" | "cracked" | "damaged" | "smashed" | "took" | "taken" | "take"
            | "gave" | "given" | "give" | "write" | "wrote" | "written" | "writing" | "bought"
            | "purchased" | "lost" | "stolen" | "missing" | "expired" | "removed" | "remove"
            | "minus" | "vendu" | "vendus" | "vendue" | "vendues" | "utilise" | "utilises"
            | "casse" | "casses" | "retire" | "enleve" | "verkoop" | "gebruik" | "gebreek"
            | "donated" | "handed" | "ngithengise" | "sithengise" | "thengisile" | "out"
            | "order" | "ordering" | "ordered" | "orders" | "reserve" | "reserved" | "hold"
            | "keep" | "aside" | "buy" | "purchase" | "gimme" | "send" | "need" | "needs"
            | "like" | "love" | "voudrais" | "veux" | "voulons" | "commander" | "commande"
            | "acheter" | "aimerais" | "reserver" | "ngicela" | "ngifuna" | "soek" | "wil"
            | "koop" | "bestel" | "kry" | "wanna" | "want" | "wants" | "set" | "update"
            | "updated" | "change" | "changed" | "adjust" | "correct" | "correction" | "count"
            | "counted" | "stocktake" | "recount" | "recounted" | "remaining" | "left" | "only"
            | "actually" | "mets" | "mettez" | "mettre" | "stel" | "reste" | "restent" | "nou"
            | "maintenant" | "now" | "finished" | "cancel" | "cancelled" | "canceled" | "cancl"
            | "annule" | "annuler" | "annulez" | "undo" | "revert" | "reverse" | "scrap" | "how"
            | "many" | "much" | "combien" | "hoeveel" | "available" | "stock" | "stocks"
            | "inventory" | "list" | "report" | "help" | "menu" | "everything" | "low"
            | "running" | "ninawo" | "ninayo" | "unayo" | "nikhona" | "carry" | "check" | "show"
    )
}

#[rustfmt::skip]
pub fn is_greeting(w: &str) -> bool {
    matches!(
        w,
        "hi" | "hello" | "hey" | "hiya" | "howzit" | "heita" | "sawubona" | "molo" | "dumela"
            | "hallo" | "bonjour" | "salut" | "bonsoir" | "yo" | "aweh" | "greetings" | "hie"
            | "good" | "goeie" | "more" | "middag" | "sup" | "hola" | "howdy" | "sharp"
            | "sanibonani" | "yebo" | "hellow" | "helo" | "hii" | "heyy"
    )
}

#[rustfmt::skip]
fn is_filler(w: &str) -> bool {
    matches!(
        w,
        "the" | "a" | "an" | "some" | "any" | "those" | "these" | "that" | "my" | "our" | "your"
            | "his" | "her" | "their" | "its" | "le" | "la" | "les" | "l'" | "un" | "une" | "des"
            | "du" | "de" | "d'" | "ma" | "mon" | "mes" | "ta" | "ton" | "tes" | "sa" | "son"
            | "ses" | "notre" | "nos" | "votre" | "vos" | "die" | "'n" | "of" | "i" | "i'm"
            | "i'd" | "i've" | "me" | "we" | "we're" | "were" | "us" | "you" | "y'all" | "yall"
            | "them" | "he" | "she" | "it's" | "je" | "j'" | "tu" | "il" | "elle" | "nous"
            | "vous" | "ils" | "elles" | "ek" | "ons" | "julle" | "jy" | "hy" | "sy" | "is"
            | "are" | "was" | "be" | "been" | "am" | "do" | "does" | "did" | "don't" | "didn't"
            | "have" | "has" | "had" | "can" | "could" | "would" | "should" | "shall" | "may"
            | "might" | "must" | "let" | "let's" | "gonna" | "gotta" | "um" | "umm" | "uh"
            | "uhm" | "erm" | "er" | "hmm" | "so" | "yeah" | "yes" | "ok" | "okay" | "oh"
            | "oops" | "well" | "just" | "too" | "again" | "still" | "then" | "please"
            | "asseblief" | "thanks" | "thank" | "cheers" | "lol" | "haha" | "eish" | "lekker"
            | "yoh" | "mate" | "bru" | "bra" | "bro" | "boet" | "china" | "dude" | "guys" | "guy"
            | "all" | "sir" | "maam" | "boss" | "chief" | "buddy" | "pal" | "ngiyabonga"
            | "dankie" | "baie" | "merci" | "svp" | "stp" | "s'il" | "plait" | "more" | "what"
            | "what's" | "whats" | "where" | "why" | "whose" | "quoi" | "quel" | "quelle" | "qu'"
            | "est-ce" | "wat" | "het" | "there" | "here" | "anymore" | "else" | "about"
            | "around" | "approx" | "roughly" | "total" | "each" | "per" | "every" | "items"
            | "item" | "stuff" | "things" | "thing" | "full" | "whole" | "not" | "no" | "pas"
            | "nie" | "ne" | "y" | "a-t-il" | "avez" | "avez-vous" | "a-t-on" | "est" | "sont"
            | "ai" | "as" | "avons" | "avez-vous?" | "also" | "really" | "very" | "quickly"
            | "asap." | "btw" | "hopefully" | "kindly" | "x" | "ngi" | "si" | "sicela" | "up"
            | "down" | "qui" | "anything" | "something" | "nothing" | "ayi" | "ezi" | "angu"
            | "que" | "ce" | "c'est" | "bot" | "back" | "wena" | "mina" | "nawe" | "ke" | "kan"
            | "nog" | "ook" | "vir'n"
    )
}

/// Wh-words: a bare "who won…?" is not a terse item query.
pub fn is_question_word(w: &str) -> bool {
    matches!(
        w,
        "who"
            | "what"
            | "what's"
            | "when"
            | "where"
            | "why"
            | "whose"
            | "which"
            | "how"
            | "quoi"
            | "pourquoi"
            | "quand"
            | "ou"
            | "qui"
            | "wie"
            | "waar"
            | "hoekom"
            | "wanneer"
    )
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
            | "order#" | "than" | "instead" | "@"
    )
}

/// Words after which a number was a price, time or measure, not a count.
#[rustfmt::skip]
pub fn blocks_prev_number(w: &str) -> bool {
    matches!(
        w,
        "rand" | "bucks" | "each" | "per" | "euro" | "euros" | "dollars" | "dollar" | "cents"
            | "am" | "pm" | "h" | "o'clock" | "oclock" | "percent" | "%" | "minutes" | "mins"
            | "hours" | "hrs" | "days" | "weeks" | "years" | "yrs" | "am." | "pm."
    )
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

/// "r450", "r1.50", "$5": a price written as one word.
fn is_price(w: &str) -> bool {
    w.strip_prefix('r').is_some_and(|d| {
        d.starts_with(|c: char| c.is_ascii_digit())
            && d.bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    })
}
